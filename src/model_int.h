/* model_int.h: what the files of the model (model.c, model_plan.c,
 * model_site.c) share: the parse context and the readers of YAML values.
 * Not for other modules. */
#ifndef PLANSITE_MODEL_INT_H
#define PLANSITE_MODEL_INT_H

#include "model.h"

/* Plans are parsed on every core: each worker has an arena of its own
 * (arenas are not thread-safe), handed over to the build's arena after. */
#define MODEL_PARSE_WORKERS 8

/* The texts model_str kept, each once: a table of the copies, found by a
 * hash of their bytes (a plan file has hundreds of texts, every one
 * looked up).  Zeroed: empty. */
typedef struct {
	struct mtext *v;
	size_t cap, n;
	/* due_text_exact's answers (model_plan.c), NULL until the first */
	struct exact_slot *exact;
	/* due_parse's answers by the kept text's address (model_plan.c) */
	addrmap_t due;
} mtexts_t;
void mtexts_free(mtexts_t *t);

/* One parse: records go to a, messages to d.  With strs, model_str keeps
 * one copy of each text (a portal names the same units, outputs and
 * deadlines in thousands of tasks); the table lives only while plans
 * parse. */
typedef struct {
	arena_t *a;
	diag_t *d;
	const model_opts_t *o;
	mtexts_t *strs;   /* NULL: every text copied */
} model_ctx_t;

/* A trimmed, non-empty string value (in c->a), or NULL: absent, empty,
 * or not a scalar (reported). */
const char *model_str(model_ctx_t *c, const ynode_t *n, const char *what);
/* A YYYY-MM-DD date, or 0: absent, or not a date (reported). */
date_t model_date(model_ctx_t *c, const ynode_t *n, const char *what);
/* A list of strings, also accepting a single string; *count set. */
str_t *model_strs(model_ctx_t *c, const ynode_t *n, const char *what, size_t *count);
/* Unit names as written (resolved later by xref). */
void model_urefs(model_ctx_t *c, const ynode_t *n, const char *what, urefs_t *out);
/* The keys of map not in known[] (NULL-terminated) as a new map (in c->a,
 * pointing into map's nodes), or NULL when there are none; with --strict
 * each one is a warning. */
const ynode_t *model_params(model_ctx_t *c, const ynode_t *map, const char *const *known);
/* A deep copy of a YAML subtree into a (params outlive the parse). */
ynode_t *model_ynode_copy(arena_t *a, const ynode_t *n);

/* One plan file parsed and built; NULL after reporting errors when it has
 * no usable front matter (model_plan.c). */
plan_t *model_plan_parse(model_ctx_t *c, const rfile_t *f);
/* The runs of p's body and task sources that may be document numbers
 * into p->numbers (in a): scanned while plans parse on every core, not in
 * xref's one thread, and kept with the plan by model_cache. */
void model_plan_numbers(arena_t *a, plan_t *p);
/* site.yaml into s (model_site.c). */
void model_site_parse(model_ctx_t *c, site_t *s, const rfile_t *f);
/* A free page into s->pages (model_site.c). */
void model_page_parse(model_ctx_t *c, site_t *s, const rfile_t *f);
/* The path part of base_url ("https://x.gov.vn/kh/" -> "/kh/"), in a. */
const char *model_base_path(arena_t *a, const char *url);

#endif
