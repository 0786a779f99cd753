/* hver.h: versions of a plan file for the history, one per blob: parsed
 * with private diagnostics (a past commit's errors are not this build's),
 * whole or from a neighbouring version of the same file, into records whose
 * strings are interned so that equal text compares as equal pointers. */
#ifndef PLANSITE_HVER_H
#define PLANSITE_HVER_H

#include <stdbool.h>
#include <stdint.h>
#include <git2.h>

#include "hrec.h"

/* Fingerprint of a run of bytes (hver.c), and how a version's tasks lie in
 * its text: the lines before the tasks, each task's item, and the rest of
 * the front matter, as fingerprints, so that a version next to it in
 * history parses only the tasks that differ.  Public for the history
 * cache (hcache.c), which keeps them between builds. */
typedef struct {
	uint64_t hash;
	size_t len;
} span_t;

struct hlayout {
	int n;          /* tasks */
	int indent;     /* the column of each task's "-" */
	int head_lines; /* lines before the first task */
	unsigned skel_gen;     /* skel is valid while it is hver_ctx_t's skel_gen */
	span_t head;    /* those lines */
	span_t tail;    /* from the line after the tasks to the closing "---" */
	span_t *items;  /* each task's lines */
	const char *head_fm;   /* the plan's groups, as a front matter that lists
				* their ids (what parse_near checks the groups
				* of the tasks it parses against) */
	uint64_t *skel;        /* each task's skeleton (hver.c, item_skel: its
				* lines less its status, progress and deadline),
				* when its task is known to read with no error;
				* 0 for a task not known so, NULL for every task
				* (a layout from the history cache, which does
				* not keep them, or from a model whose errors
				* may be some other build's).  In the tables'
				* skel_a (hver_skel_drop), but inline in
				* hver_layouts_take's */
};

/* A cache by address (hver.c): a slot overwritten on a collision; made
 * small on first use and made again four times larger, empty, each time
 * its misses pass four times its slots, up to HVER_MEMO slots (a portal
 * has tables for each source, most of them small). */
typedef struct {
	void *v;
	size_t cap, miss;
} hver_memo_t;
#define HVER_MEMO 4096
/* The longest list of units the list memo keeps. */
#define HVER_LIST_MAX 4
/* The most tracked texts of a task the texts memo shares (hver.c,
 * texts_of; the field table has 2). */
#define HVER_TEXTS_MAX 8

/* Interned texts: an open-addressed table of the texts and their hashes
 * (hash_words over their bytes: a few times faster than hash_str on the
 * titles and notes of every task of every version). */
typedef struct {
	const char **k;
	uint64_t *h;
	size_t n, cap;
} hver_strs_t;

/* The tables of history walks; zero-initialise, then set the first three
 * fields.  Records and strings live in `a`; hver_ctx_free frees the tables.
 * A version depends only on its blob (and, broken, the path it was read
 * at), never on the built site: the tables may serve several builds (the
 * history cache, hcache.c). */
typedef struct {
	arena_t *a;
	git_repository *git;
	size_t rel_off;           /* path + rel_off is the content-relative path */
	hver_strs_t strs;         /* the interned texts (hver_intern) */
	strmap_t names, blobs;
	size_t nversions;         /* blobs parsed */
	size_t nincremental;      /* ... of which from a neighbouring version */
	size_t nbytes;            /* the bytes their parses read (front matters
				   * made of their items, or whole files) */
	size_t nbroken;           /* broken versions put (hver_put) */
	/* the built site's model outlives these tables (a build's own
	 * history cache, not serve's): the versions of its plans
	 * (hver_from_plan) point to its strings instead of copies (at
	 * 10,000 plans, every task's title once more) */
	bool borrow;
	/* where each past version is parsed, emptied after each (made on
	 * first use): freeing a new arena per version made glibc give the
	 * heap's top back to the system and fault it in again, thousands of
	 * times */
	arena_t *scratch;
	/* their private diagnostics, emptied after each (diag_reset; made on
	 * first use): a new one per version was freed and allocated again
	 * (its tables and strings) thousands of times */
	diag_t *diag;
	/* by address: the built site's strings already interned (borrow:
	 * they outlive the tables, so an address stands for its text), the
	 * name keys of interned unit names, and lists of a few units (lead,
	 * support) by their interned names' addresses.  The parse keeps one
	 * copy of each short text per worker, so the lead, output and
	 * deadline written in thousands of tasks come here as a few
	 * addresses: each was measured, hashed and compared whole in a table
	 * of every text of every version, once per task */
	hver_memo_t memo, name_memo, list_memo;
	/* tasks' arrays of tracked texts by their interned addresses, shared
	 * by every task whose texts are the same (texts_of): 16 bytes a task
	 * of every version, 6.4 MB for the built commit's at 10,000 plans */
	hver_memo_t texts_memo;
	/* the layouts' skeletons (struct hlayout), needed only while the
	 * versions are read: 8 bytes a task of every version, 6 MB at
	 * 10,000 plans given back when they are read (hver_skel_drop) */
	arena_t *skel_a;
	unsigned skel_gen;
	size_t nhashed;           /* texts hashed to be interned (the tests') */
} hver_ctx_t;

/* The interned copy of s (NULL gives NULL). */
const char *hver_intern(hver_ctx_t *c, const char *s);
/* "YYYY-MM-DD", interned; NULL for no date. */
const char *hver_iso(hver_ctx_t *c, date_t d);

/* The version of an already parsed plan (the built commit's) whose file
 * text is text[0..len) (not kept); text NULL: lo (hver_layouts_get's, or
 * NULL for none) is where its tasks lie in it. */
hver_t *hver_from_plan(hver_ctx_t *c, const plan_t *p, const char *text, size_t len,
		       const struct hlayout *lo);

/* The layouts of the built commit's plan files (where their tasks lie),
 * taken while they parse, so that their texts are freed then rather than
 * held through the cross-references until the history makes versions of
 * them (158 MB at 10,000 plans).  hver_layouts_take is the parse's
 * model_opts_t.on_plan (called on the parse threads, for distinct files):
 * it frees the file's text and sets its data NULL.  Only a commit's files
 * (the work tree's have no blob id and are left alone).  snap must outlive
 * it; hver_layouts_free accepts NULL.  The layouts carry their tasks'
 * skeletons (struct hlayout): only for a build that stops at its plans'
 * errors before it builds its history, with tables of its own. */
typedef struct hver_layouts hver_layouts_t;
hver_layouts_t *hver_layouts_new(snap_t *snap);
void hver_layouts_take(void *cls, size_t file, const plan_t *p);
/* The layout taken of snap's file (NULL: none), *taken whether it was. */
const struct hlayout *hver_layouts_get(const hver_layouts_t *l, size_t file, bool *taken);
/* Frees the layout taken of snap's file, once its version holds a copy
 * (taken stays true).  Accepts NULL. */
void hver_layouts_drop(hver_layouts_t *l, size_t file);
void hver_layouts_free(hver_layouts_t *l);

/* The cached version of a blob that parsed, or NULL; hver_put caches one
 * (a broken one under its oid and v->path: its error names the file). */
hver_t *hver_cached(hver_ctx_t *c, const git_oid *oid);
void hver_put(hver_ctx_t *c, const git_oid *oid, hver_t *v);
/* The cached version of blob oid read at path (parsed or broken), or NULL. */
hver_t *hver_known(hver_ctx_t *c, const git_oid *oid, const char *path);

/* The version of blob oid at `path` (repository-relative), cached.  text is
 * the blob's content when the caller has it, else NULL (it is read); it is
 * not kept, and only text[0..len) is read (it need not end in a NUL:
 * fetch_get's buffers).  With ref (a version of the same file next to it in history),
 * only the tasks written differently from ref's are parsed when that is
 * possible.  A file that does not parse gives a version with broken set.
 * Never NULL. */
hver_t *hver_of(hver_ctx_t *c, const git_oid *oid, const char *path, const char *text,
		size_t len, const hver_t *ref);

/* A blob's content, malloc'd and NUL-terminated; NULL when it cannot be
 * read (a shallow or partial clone). */
char *hver_blob_text(hver_ctx_t *c, const git_oid *oid, size_t *len);

/* Frees the layouts' skeletons once the versions are read: versions read
 * later are parsed, not patched, from those layouts (hver.c). */
void hver_skel_drop(hver_ctx_t *c);

void hver_ctx_free(hver_ctx_t *c);

#endif
