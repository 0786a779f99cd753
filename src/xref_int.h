/* xref_int.h: what the two halves of cross-referencing share: the units
 * (xref.c) and the documents and the implements graph (xref_docs.c).  Not
 * for other modules. */
#ifndef PLANSITE_XREF_INT_H
#define PLANSITE_XREF_INT_H

#include "model.h"

/* Lookup tables of one resolution; the documents table outlives it in the
 * site (body text links numbers to documents). */
struct xref {
	strmap_t units_by_key;   /* name key -> struct cand list */
	strmap_t units_by_fold;  /* folded name key -> struct cand list */
	strmap_t folds;          /* name key -> its fold (cache) */
	strmap_t units_by_id;
	strmap_t docs_by_key;    /* docnum key -> doc_t */
	strmap_t unreg;          /* name key -> unregistered unit */
	strmap_t keys;           /* text as written -> its name key (cache) */
	/* the same cache by the text's address: the model keeps one copy of
	 * each distinct value (model_str), so most names are found without
	 * hashing their bytes */
	addrmap_t tkeys;
	const char **names;      /* registered names and aliases, for suggestions */
	const char **namekeys;   /* ... folded */
	size_t nnames;
	struct near *near;       /* numbers of registered documents and plans */
	size_t nnear;
	strmap_t near_of;        /* unknown number key -> suggestion ("" none) */
	/* lookup's answers by (scope, name key): the same few hundred names
	 * are looked up from the same issuers for every task */
	struct xref_memo *memo;
	size_t nmemo, capmemo;   /* capmemo: 0 or a power of two */
	arena_t *a;
};

struct xref_memo {
	const unit_t *scope;
	const char *key;         /* NULL: an empty slot */
	unit_t *unit;
	int ambiguous;
};

/* A number (or alias) of a registered document or a plan, for "có phải". */
struct near {
	const char *key;
	const doc_t *doc;
};

/* The docnum key of s, in the arena. */
char *xref_numkey(arena_t *a, const char *s);
/* The snapshot's file at rel, or NULL. */
const rfile_t *xref_find_file(const snap_t *snap, const char *rel);
/* A registry file's top-level list, or NULL (after an error, or when f is
 * NULL: no file). */
const ynode_t *xref_load_list(arena_t *a, diag_t *d, const rfile_t *f);
/* The scalar at key k of map m, in the arena; NULL when missing or empty. */
const char *xref_sval(arena_t *a, diag_t *d, const ynode_t *m, const char *k);
/* A scalar or a list of scalars as an array of non-empty strings. */
const char **xref_list_of(arena_t *a, diag_t *d, const ynode_t *n, size_t *cnt);

/* xref_docs.c, in the order xref_resolve calls them. */

/* Reads documents.yaml into s->docs and the documents table. */
void xref_load_documents(arena_t *a, diag_t *d, site_t *s, struct xref *x, const snap_t *snap);
/* Every plan joins the graph as a document (p->doc); a registry entry of
 * the same number gives way to the plan. */
void xref_plans_join(arena_t *a, diag_t *d, site_t *s, struct xref *x);
/* The implements edges (up and down), with stubs for numbers known
 * nowhere and "có phải" suggestions for slips. */
void xref_link_implements(arena_t *a, diag_t *d, site_t *s, struct xref *x);
/* Numbers in plan and page bodies and in task sources that look like slips
 * of a known number (W038). */
void xref_scan_numbers(diag_t *d, site_t *s, struct xref *x);
/* Breaks every implements cycle (an error naming its files) and numbers
 * the documents roots first (topo, height). */
void xref_order_graph(diag_t *d, site_t *s);

#endif
