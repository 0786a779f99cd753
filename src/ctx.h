/* ctx.h: the data templates see (themes/README.md), built as jansson
 * values from the model.  Every function returns a new reference. */
#ifndef PLANSITE_CTX_H
#define PLANSITE_CTX_H

#include <jansson.h>

#include "model.h"
#include "tmpl.h"

/* The renderer's cache: the shared references to units that ctx_unit_ref
 * returns on a thread that uses it (ctx_cache_use), instead of building
 * them for each page (ctx_plan_summary builds each time: pages show plans
 * by their typed summaries, ctx_plan_val).  Built
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
/* A date as a template sees it: ISO (2025-12-31) or, vi, as shown
 * (31/12/2025), written into scratch (at least 11 bytes); null when d is
 * 0.  Typed records of tasks, plans, weekly rows and changes (ctx_task.c). */
tmpl_val_t ctx_date_val(date_t d, bool vi, char *scratch);
json_t *ctx_stats(const stats_t *st);
json_t *ctx_unit_ref(const unit_t *u, const char *written);
json_t *ctx_plan_summary(const plan_t *p);
/* A plan's page data, but "groups" (ctx_plan_groups). */
json_t *ctx_plan_full(const site_t *s, const plan_t *p);
/* Evidence or attachments: { href, label[, name] } (web links and files
 * under static/).  New reference. */
json_t *ctx_href_list(const site_t *s, const str_t *v, size_t n);

/* ---- typed template records (ctx_task.c) ----
 *
 * A task row is read from the task when a template asks (no jansson
 * object per row): the names themes/README.md lists for a task,
 * with "plan" (its plan's summary) when with_plan, and "role_support"
 * when role is 1 (false) or 2 (true).  Its cells that read only the task
 * are rendered once per build (tmpl_memo_t). */
typedef struct {
	const task_t *t;
	const site_t *s;
	unsigned char with_plan, role;
} ctx_trow_t;
extern const tmpl_type_t *const ctx_task_type;
/* A unit as a task or plan names it (a uref_t): { id, name, url,
 * registered, written }, written only when it differs from the name. */
extern const tmpl_type_t *const ctx_uref_type;
/* Registers the types (once; before any theme is loaded). */
void ctx_types_init(void);
/* The tasks of s's plans numbered 0 to *n - 1, plan after plan, for the
 * memo's array of task cells (tmpl_memo_dense): ctx_task_num(nums, t) is
 * the number of task t (a task_t *, the task type's memo key), or SIZE_MAX
 * when it is not one of them.  Freed with ctx_task_nums_free (accepts
 * NULL). */
typedef struct ctx_task_nums ctx_task_nums_t;
ctx_task_nums_t *ctx_task_nums_new(const site_t *s, size_t *n);
size_t ctx_task_num(const void *nums, const void *t);
void ctx_task_nums_free(ctx_task_nums_t *nums);
/* A list of rows of tasks v (roles: each row's role, or NULL); the rows
 * are freed with keeper. */
tmpl_val_t ctx_rows(tmpl_obj_t *keeper, const task_t *const *v, size_t n, bool with_plan,
		    const unsigned char *roles, const site_t *s);
/* ---- plan summaries as typed records (ctx_plan.c) ----
 *
 * The plan summary of themes/README.md (the names and values of
 * ctx_plan_summary, with "issuer" a unit ref and "stats",
 * "completeness" records) read from a plan_t, and a stats_t as the
 * "stats" object (ctx_stats). */
extern const tmpl_type_t *const ctx_plan_type;
extern const tmpl_type_t *const ctx_stats_type;
/* Registers them (ctx_types_init does). */
void ctx_plan_types_register(void);
/* p's summary; n plans' summaries (v lives as long as the value). */
tmpl_val_t ctx_plan_val(const plan_t *p);
tmpl_val_t ctx_plan_list(const plan_t *const *v, size_t n);
/* ---- the frame of every page as typed records (ctx_frame.c) ----
 *
 * A menu entry { url, label, current } (the strings borrowed), and
 * `site`: the values of the keys of the site's data (a jansson object
 * as render_site_json makes it; borrowed, and it must not change while
 * the record is used) with `nav`, a list of nav entries. */
typedef struct {
	const char *url, *label;
	bool current;
} ctx_nav_t;
#define CTX_SITE_NKEYS 25
typedef struct {
	json_t *v[CTX_SITE_NKEYS];
	const ctx_nav_t *nav;
	size_t nnav;
} ctx_site_t;
extern const tmpl_type_t *const ctx_nav_type;
extern const tmpl_type_t *const ctx_site_type;
/* A status filter: { chips: [{ key, anchor, label, count }], total },
 * each chip a kind of chip (its strings, borrowed) and its count. */
typedef struct {
	const char *key, *anchor, *label;
} ctx_chip_kind_t;
typedef struct {
	const ctx_chip_kind_t *kind;
	int count;
} ctx_chip_t;
#define CTX_FILTER_MAX 8
typedef struct {
	ctx_chip_t chips[CTX_FILTER_MAX];
	size_t nchips;
	int total;
} ctx_filter_t;
extern const tmpl_type_t *const ctx_filter_type;
/* Registers them (ctx_types_init does). */
void ctx_frame_types_register(void);
/* Fills f (its menu empty) from site; false when site has a key the
 * record lacks (the caller then gives templates site itself). */
bool ctx_site_frame(ctx_site_t *f, json_t *site);
/* ---- units' figures as typed records (ctx_unit.c) ----
 *
 * The names and values of ctx_unit_totals, of a unit page's "children"
 * (a unit ref + totals + has_children each) and of ctx_unit_tree,
 * read from unit_t. */
void ctx_unit_types_register(void);
tmpl_val_t ctx_unit_totals_val(const unit_t *u);
/* u's sub-units, for its page. */
tmpl_val_t ctx_unit_children(const unit_t *u);
/* The units without a parent (malloc'd, *n of them), and the units index's
 * tree under n units v (v lives as long as the value). */
const unit_t **ctx_unit_roots(const site_t *s, size_t *n);
tmpl_val_t ctx_unit_tree_list(const unit_t *const *v, size_t n);
/* Appends to b every name and value of v as a template reads them (the
 * text of a fingerprint); false when v holds what cannot be written. */
bool ctx_digest_val(const tmpl_val_t *v, buf_t *b);
/* The digests of a site's units as a task's row names them (id, name,
 * url, registered: ctx_uref_type's fields but the text written), one a
 * unit, taken once a build: a task's digest then holds 16 bytes for
 * each of its units instead of their texts (three a task, four fields
 * each).  Read-only once made; ctx_unit_dgs_free accepts NULL. */
typedef struct ctx_unit_dgs ctx_unit_dgs_t;
ctx_unit_dgs_t *ctx_unit_dgs_new(const site_t *s);
void ctx_unit_dgs_free(ctx_unit_dgs_t *ud);
/* Appends to b what a row of t shows but its plan and role: every field
 * of the task type (with the texts of the field table), as a template
 * reads it, so the fingerprint of a list page covers each cell of its
 * rows; a unit of ud as its digest and the text written (ud NULL, or a
 * unit it lacks: the unit's fields).  False when some value cannot be
 * written (the page must then be rendered). */
bool ctx_task_digest(const task_t *t, const site_t *s, const ctx_unit_dgs_t *ud, buf_t *b);
/* Appends to b the text of p's summary (ctx_plan_val, the names and
 * values of ctx_plan_summary): what a row with_plan, or a plans index,
 * shows of p. */
void ctx_plan_digest(const plan_t *p, buf_t *b);
/* Sets "groups" of a plan's page data: { id, title, stats, columns, tasks }
 * each, tasks without a group first. */
void ctx_plan_groups(tmpl_obj_t *plan, const site_t *s, const plan_t *p);
/* A unit's page data without its task rows, "issued", "children" and
 * "totals" (render_pages.c sets them, as typed records). */
json_t *ctx_unit_full(const site_t *s, const unit_t *u);
/* A unit's figures with its sub-units', each task once (themes/README.md);
 * what ctx_unit_totals_val gives templates (the tests compare them). */
json_t *ctx_unit_totals(const unit_t *u);
json_t *ctx_doc_link(const doc_t *dc);
/* A document's page data without "plans" (render_pages.c sets them, a
 * page's share of ctx_doc_plans, as typed plan summaries). */
json_t *ctx_doc_full(const site_t *s, const doc_t *dc);
/* Every plan implementing dc, directly or through other documents, each
 * once, in the site's order; malloc'd, *n set. */
const plan_t **ctx_doc_plans(const site_t *s, const doc_t *dc, size_t *n);
/* The documents cascade from the top resolutions down. */
json_t *ctx_cascade(const site_t *s);
/* A node of the implements tree below dc. */
json_t *ctx_doc_tree(const doc_t *dc, int depth);
/* A unit tree node for the units index, as ctx_unit_tree_list gives it
 * templates (the tests compare them). */
json_t *ctx_unit_tree(const unit_t *u, int depth);
/* Params (unknown keys) as JSON: plain scalars that read as numbers or
 * booleans become those. */
json_t *ctx_params(const ynode_t *n);
/* "21/07/2025" or NULL-safe empty. */
json_t *ctx_date_vi(date_t d);
json_t *ctx_date_iso(date_t d);

#endif
