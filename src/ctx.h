/* ctx.h: the data templates see (themes/README.md), built as jansson
 * values from the model.  Every function returns a new reference. */
#ifndef PLANSITE_CTX_H
#define PLANSITE_CTX_H

#include <jansson.h>

#include "model.h"

/* The renderer's cache: the shared summaries of plans and references to
 * units that ctx_plan_summary and ctx_unit_ref return on a thread that
 * uses it (ctx_cache_use), instead of building them for each page.  Built
 * before rendering on several threads; the site must not change while it
 * lives.  The caller frees it with ctx_cache_free (accepts NULL), after
 * every thread stopped using it. */
typedef struct ctx_cache ctx_cache_t;
ctx_cache_t *ctx_cache_new(const site_t *s);
/* The calling thread's ctx_* calls use c from now on (NULL: no cache; the
 * values are the same, built each time). */
void ctx_cache_use(const ctx_cache_t *c);
void ctx_cache_free(ctx_cache_t *c);

/* A deadline: { text (as shown), date, date_vi, ongoing, parsed, exact }. */
json_t *ctx_due(const char *text, const due_t *due, bool exact);
json_t *ctx_stats(const stats_t *st);
json_t *ctx_unit_ref(const unit_t *u, const char *written);
json_t *ctx_plan_summary(const plan_t *p);
/* with_plan: include the task's plan summary (lists across plans). */
json_t *ctx_task(const site_t *s, const task_t *t, int with_plan);
json_t *ctx_plan_full(const site_t *s, const plan_t *p);
/* A unit's page data without its task rows (render_pages.c pages them). */
json_t *ctx_unit_full(const site_t *s, const unit_t *u);
/* A unit's figures with its sub-units', each task once (themes/README.md). */
json_t *ctx_unit_totals(const unit_t *u);
json_t *ctx_doc_link(const doc_t *dc);
json_t *ctx_doc_full(const site_t *s, const doc_t *dc);
/* The documents cascade from the top resolutions down. */
json_t *ctx_cascade(const site_t *s);
/* A node of the implements tree below dc. */
json_t *ctx_doc_tree(const doc_t *dc, int depth);
/* A unit tree node for the units index. */
json_t *ctx_unit_tree(const unit_t *u, int depth);
/* Params (unknown keys) as JSON: plain scalars that read as numbers or
 * booleans become those. */
json_t *ctx_params(const ynode_t *n);
/* "21/07/2025" or NULL-safe empty. */
json_t *ctx_date_vi(date_t d);
json_t *ctx_date_iso(date_t d);

#endif
