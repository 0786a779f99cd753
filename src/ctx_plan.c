/* ctx_plan.c: plan summaries and figures as typed template records
 * (tmpl.h): the **plan summary** and **stats** of themes/README.md, read
 * from plan_t and stats_t when a template asks for a name, instead of a
 * jansson object looked up by name on every task row that shows its plan. */
#include "ctx.h"

#include <string.h>

#include "facts.h"
#include "model_fields.h"

static const tmpl_val_t missing = { .kind = TMPL_MISSING };

/* ---- stats: { total, done, in_progress, not_started, cancelled, overdue,
 * done_late, percent_done, has_tasks, has_overdue } (ctx_stats) */

static const tmpl_field_t stats_fields[] = {
	{ "total", TMPL_F_SCALAR, NULL, true },
	{ "done", TMPL_F_SCALAR, NULL, true },
	{ "in_progress", TMPL_F_SCALAR, NULL, true },
	{ "not_started", TMPL_F_SCALAR, NULL, true },
	{ "cancelled", TMPL_F_SCALAR, NULL, true },
	{ "overdue", TMPL_F_SCALAR, NULL, true },
	{ "done_late", TMPL_F_SCALAR, NULL, true },
	{ "percent_done", TMPL_F_SCALAR, NULL, true },
	{ "has_tasks", TMPL_F_SCALAR, NULL, true },
	{ "has_overdue", TMPL_F_SCALAR, NULL, true },
};

static void stats_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const stats_t *st = rec;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_int(st->total); break;
	case 1: *out = tmpl_int(st->done); break;
	case 2: *out = tmpl_int(st->in_progress); break;
	case 3: *out = tmpl_int(st->not_started); break;
	case 4: *out = tmpl_int(st->cancelled); break;
	case 5: *out = tmpl_int(st->overdue); break;
	case 6: *out = tmpl_int(st->done_late); break;
	case 7: *out = tmpl_int(st->percent_done); break;
	case 8: *out = tmpl_bool(st->total > 0); break;
	default: *out = tmpl_bool(st->overdue > 0);
	}
}

static tmpl_type_t stats_type = { "stats", stats_fields, 10, stats_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_stats_type = &stats_type;

/* ---- a plan's "5 rõ" figures: { incomplete, complete, percent, all } */

static const tmpl_field_t five_fields[] = {
	{ "incomplete", TMPL_F_SCALAR, NULL, true },
	{ "complete", TMPL_F_SCALAR, NULL, true },
	{ "percent", TMPL_F_SCALAR, NULL, true },
	{ "all", TMPL_F_SCALAR, NULL, true },
};

static void five_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	facts_five_t f = facts_five(rec);   /* a pass over the plan's tasks; rarely shown */
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_int(f.incomplete); break;
	case 1: *out = tmpl_int(f.complete); break;
	case 2: *out = tmpl_int(f.percent); break;
	default: *out = tmpl_bool(f.all);
	}
}

static tmpl_type_t five_type = { "completeness", five_fields, 4, five_get, NULL, 0, NULL, 0 };

/* ---- a plan summary (a plan_t) */

enum {
	P_NO_NUMBER, P_NAME, P_SLUG, P_URL, P_ISSUER, P_DATE, P_DATE_VI, P_STATUS, P_SUPERSEDED,
	P_STATS, P_COMPLETENESS, P_FIXED
};

/* The fixed fields; the texts of the plan's field table (model_fields.h)
 * come after them, and a text named like a fixed field is hidden by it
 * (as in the jansson summary: texts set first, these over them). */
static tmpl_field_t fixed_fields[P_FIXED] = {
	{ "no_number", TMPL_F_SCALAR, NULL, true },
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "slug", TMPL_F_SCALAR, NULL, true },
	{ "url", TMPL_F_SCALAR, NULL, true },
	{ "issuer", TMPL_F_REC, NULL, false },   /* absent when the plan names none */
	{ "date", TMPL_F_SCALAR, NULL, true },
	{ "date_vi", TMPL_F_SCALAR, NULL, true },
	{ "status", TMPL_F_SCALAR, NULL, true },
	{ "is_superseded", TMPL_F_SCALAR, NULL, true },
	{ "stats", TMPL_F_REC, &stats_type, true },
	{ "completeness", TMPL_F_REC, &five_type, true },
};

static tmpl_field_t *plan_fields;
static const field_t **plan_texts;   /* by field index - P_FIXED */

static void plan_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const plan_t *p = rec;
	switch (i) {
	case P_NO_NUMBER: *out = tmpl_bool(!p->number); break;
	case P_NAME: *out = tmpl_str(p->name); break;
	case P_SLUG: *out = tmpl_str(p->slug); break;
	case P_URL: *out = tmpl_str(p->url); break;
	case P_ISSUER: *out = p->has_issuer ? tmpl_rec(ctx_uref_type, &p->issuer) : missing; break;
	case P_DATE: *out = ctx_date_val(p->date, false, scratch); break;
	case P_DATE_VI: *out = ctx_date_val(p->date, true, scratch); break;
	case P_STATUS: *out = tmpl_str(p->status_text ? p->status_text : "in_force"); break;
	case P_SUPERSEDED: *out = tmpl_bool(p->status_text && !strcmp(p->status_text, "superseded")); break;
	case P_STATS: *out = tmpl_rec(&stats_type, &p->stats); break;
	case P_COMPLETENESS: *out = tmpl_rec(&five_type, p); break;
	default:
		*out = tmpl_str(model_fields_text(p, FIELD_PLAN, plan_texts[i - P_FIXED]));
	}
}

static tmpl_type_t plan_type = { "plan_summary", NULL, 0, plan_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_plan_type = &plan_type;

void ctx_plan_types_register(void)
{
	size_t n;
	const field_t *fs = model_fields_of(FIELD_PLAN, &n);
	fixed_fields[P_ISSUER].type = ctx_uref_type;
	plan_fields = xmalloc((P_FIXED + n) * sizeof *plan_fields);
	plan_texts = xmalloc((n + 1) * sizeof *plan_texts);
	memcpy(plan_fields, fixed_fields, sizeof fixed_fields);
	size_t nf = P_FIXED;
	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind != FIELD_TEXT || !fs[i].key)
			continue;
		bool fixed = false;
		for (size_t j = 0; j < P_FIXED; j++)
			fixed |= !strcmp(fixed_fields[j].name, fs[i].key);
		if (fixed)
			continue;   /* the fixed one hides it */
		plan_texts[nf - P_FIXED] = &fs[i];
		plan_fields[nf++] = (tmpl_field_t){ fs[i].key, TMPL_F_SCALAR, NULL, true };
	}
	plan_type.fields = plan_fields;
	plan_type.nfields = nf;
	tmpl_type_register(&stats_type);
	tmpl_type_register(&five_type);
	tmpl_type_register(&plan_type);
}

tmpl_val_t ctx_plan_val(const plan_t *p)
{
	return tmpl_rec(&plan_type, p);
}

tmpl_val_t ctx_plan_list(const plan_t *const *v, size_t n)
{
	return tmpl_list(&plan_type, v, sizeof *v, n, true);
}
