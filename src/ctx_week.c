/* ctx_week.c: a weekly report's task rows as typed template records
 * (ctx_week.h): the names a row had as a jansson object (weeks.c,
 * changes_week_row_json, the reference the unit tests compare with), read
 * from the htask_t of the week's end. */
#include "ctx_week.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "jsonh.h"

static const tmpl_val_t missing = { .kind = TMPL_MISSING };
static const tmpl_val_t null_val = { .kind = TMPL_NULL };

/* ---- a lead unit: the unit ref ({ id, name, url, registered, written }),
 * or { name, url: null, registered: false } when it names no unit */

static const tmpl_field_t lead_fields[] = {
	{ "id", TMPL_F_SCALAR, NULL, false },
	{ "name", TMPL_F_SCALAR, NULL, false },
	{ "url", TMPL_F_SCALAR, NULL, false },
	{ "registered", TMPL_F_SCALAR, NULL, false },
	{ "written", TMPL_F_SCALAR, NULL, false },
};

static void lead_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_wlead_t *l = rec;
	const unit_t *u = l->unit;
	(void)scratch;
	switch (i) {
	case 0: *out = u ? tmpl_str(u->id) : missing; break;
	case 1: *out = tmpl_str(u ? u->name : l->text); break;
	case 2: *out = u ? tmpl_str(u->url) : null_val; break;
	case 3: *out = tmpl_bool(u && u->registered); break;
	default:
		*out = u && l->text && strcmp(l->text, u->name) ? tmpl_str(l->text) : missing;
	}
}

static tmpl_type_t lead_type = { "week_lead", lead_fields, 5, lead_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_wlead_type = &lead_type;

/* ---- the deadline: ctx_due(due_shown, &due, !due_written) */

static const tmpl_field_t due_fields[] = {
	{ "text", TMPL_F_SCALAR, NULL, false },
	{ "date", TMPL_F_SCALAR, NULL, false },
	{ "date_vi", TMPL_F_SCALAR, NULL, false },
	{ "ongoing", TMPL_F_SCALAR, NULL, false },
	{ "parsed", TMPL_F_SCALAR, NULL, false },
	{ "exact", TMPL_F_SCALAR, NULL, false },
};

static void due_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const htask_t *t = rec;
	switch (i) {
	case 0: *out = tmpl_str(t->due_shown); break;
	case 1: *out = ctx_date_val(t->due.date, false, scratch); break;
	case 2: *out = ctx_date_val(t->due.date, true, scratch); break;
	case 3: *out = tmpl_bool(t->due.ongoing); break;
	case 4: *out = tmpl_bool(t->due.parsed); break;
	/* a deadline given only as due_date is shown as that date */
	default: *out = tmpl_bool(!t->due_written);
	}
}

static tmpl_type_t due_type = { "week_due", due_fields, 6, due_get, NULL, 0, NULL, 0 };

/* What a row shows of a plan no longer published: its number and title
 * as last seen (changes_plan_brief). */
static json_t *plan_gone(const hitem_t *it)
{
	json_t *o = json_object();
	SET(o, "number", jstr(hitem_label(it)));
	SET(o, "name", jstr(hitem_label(it)));
	SET(o, "url", json_null());
	SET(o, "title", jstr(it->ver->title));
	return o;
}

/* ---- a row */

enum {
	W_ID, W_ANCHOR, W_TITLE, W_PLAN, W_LEAD, W_DUE, W_STATUS, W_STATUS_LABEL,
	W_NOT_STARTED, W_IN_PROGRESS, W_DONE, W_CANCELLED, W_OVERDUE, W_DONE_LATE,
	W_HAS_PROGRESS, W_PROGRESS, W_COMPLETED_VI, W_DUE_FROM, W_DUE_TO, W_FIELDS
};

/* nothing here is memoized: a row is of its week, not of the task */
static tmpl_field_t row_fields[W_FIELDS] = {
	{ "id", TMPL_F_SCALAR, NULL, false },
	{ "anchor", TMPL_F_SCALAR, NULL, false },
	{ "title", TMPL_F_SCALAR, NULL, false },
	{ "plan", TMPL_F_OPAQUE, NULL, false },
	{ "lead", TMPL_F_LIST, &lead_type, false },
	{ "due", TMPL_F_REC, &due_type, false },
	{ "status", TMPL_F_SCALAR, NULL, false },
	{ "status_label", TMPL_F_SCALAR, NULL, false },
	{ "is_not_started", TMPL_F_SCALAR, NULL, false },
	{ "is_in_progress", TMPL_F_SCALAR, NULL, false },
	{ "is_done", TMPL_F_SCALAR, NULL, false },
	{ "is_cancelled", TMPL_F_SCALAR, NULL, false },
	{ "overdue", TMPL_F_SCALAR, NULL, false },
	{ "done_late", TMPL_F_SCALAR, NULL, false },
	{ "has_progress", TMPL_F_SCALAR, NULL, false },
	{ "progress", TMPL_F_SCALAR, NULL, false },
	{ "completed_vi", TMPL_F_SCALAR, NULL, false },
	{ "due_from", TMPL_F_SCALAR, NULL, false },
	{ "due_to", TMPL_F_SCALAR, NULL, false },
};

static void row_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_wrow_t *row = rec;
	const hitem_t *it = row->it;
	const htask_t *t = it->task;
	switch (i) {
	case W_ID: case W_ANCHOR: *out = tmpl_str(t->id); break;
	case W_TITLE: *out = tmpl_str(t->title); break;
	case W_PLAN:
		*out = it->plan ? ctx_plan_val(it->plan) : tmpl_json(plan_gone(it), true);
		break;
	case W_LEAD:
		*out = row->lead_units ? tmpl_list(ctx_uref_type, row->lead, sizeof(uref_t), row->nlead, false)
				       : tmpl_list(&lead_type, row->lead, sizeof(ctx_wlead_t), row->nlead, false);
		break;
	case W_DUE: *out = tmpl_rec(&due_type, t); break;
	case W_STATUS: *out = tmpl_str(status_id(t->status)); break;
	case W_STATUS_LABEL: *out = tmpl_str(status_label_vi(t->status)); break;
	/* only the task's own is_<status>, as the jansson row had */
	case W_NOT_STARTED: *out = t->status == STATUS_NOT_STARTED ? tmpl_bool(true) : missing; break;
	case W_IN_PROGRESS: *out = t->status == STATUS_IN_PROGRESS ? tmpl_bool(true) : missing; break;
	case W_DONE: *out = t->status == STATUS_DONE ? tmpl_bool(true) : missing; break;
	case W_CANCELLED: *out = t->status == STATUS_CANCELLED ? tmpl_bool(true) : missing; break;
	case W_OVERDUE: *out = tmpl_bool(due_overdue(&t->due, t->status, row->as_of)); break;
	case W_DONE_LATE:
		*out = tmpl_bool(t->completed && due_done_late(&t->due, t->status, t->completed));
		break;
	case W_HAS_PROGRESS: *out = tmpl_bool(t->progress >= 0); break;
	case W_PROGRESS: *out = t->progress >= 0 ? tmpl_int(t->progress) : null_val; break;
	case W_COMPLETED_VI: *out = ctx_date_val(t->completed, true, scratch); break;
	case W_DUE_FROM: *out = it->from || it->to ? tmpl_str(it->from) : missing; break;
	default: *out = it->from || it->to ? tmpl_str(it->to) : missing;
	}
}

static tmpl_type_t row_type = { "week_row", row_fields, W_FIELDS, row_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_wrow_type = &row_type;

void ctx_week_types_register(void)
{
	tmpl_type_register(&lead_type);
	tmpl_type_register(&due_type);
	tmpl_type_register(&row_type);
}

static void wrow_init(ctx_wrow_t *row, tmpl_obj_t *keeper, const site_t *s, facts_unames_t *names,
		      const hitem_t *it, date_t as_of)
{
	*row = (ctx_wrow_t){ it, as_of, NULL, 0, false };
	const char *lead = it->task->lead;
	if (!lead)
		return;
	/* one block: the units (room for n of the larger record), then the
	 * lead's text cut at each "; " */
	size_t n = 1, len = strlen(lead);
	for (const char *p = lead; (p = strstr(p, "; ")); p += 2)
		n++;
	size_t each = sizeof(uref_t) > sizeof(ctx_wlead_t) ? sizeof(uref_t) : sizeof(ctx_wlead_t);
	char *block = xmalloc(n * each + len + 1);
	ctx_wlead_t *v = (ctx_wlead_t *)(void *)block;
	char *text = block + n * each;
	memcpy(text, lead, len + 1);
	bool all = true;
	for (size_t i = 0; i < n; i++) {
		char *e = strstr(text, "; ");
		if (e)
			*e = '\0';
		v[i] = (ctx_wlead_t){ names ? facts_unames_get(names, it->plan, text)
					    : facts_unit_named(s, it->plan, text), text };
		all = all && v[i].unit;
		if (e)
			text = e + 2;
	}
	if (all) {
		/* as uref_t, from the last: u[i] covers only v[i] and later
		 * ones (a uref_t is no smaller), read before */
		uref_t *u = (uref_t *)(void *)block;
		for (size_t i = n; i-- > 0;) {
			ctx_wlead_t one = v[i];
			u[i] = (uref_t){ .text = one.text, .unit = (unit_t *)one.unit };
		}
	}
	tmpl_obj_keep(keeper, block);
	row->lead = block;
	row->nlead = n;
	row->lead_units = all;
}

void ctx_wrow_init(ctx_wrow_t *row, tmpl_obj_t *keeper, const site_t *s, const hitem_t *it,
		   date_t as_of)
{
	wrow_init(row, keeper, s, NULL, it, as_of);
}

void ctx_wrow_init_with(ctx_wrow_t *row, tmpl_obj_t *keeper, facts_unames_t *names,
			const hitem_t *it, date_t as_of)
{
	wrow_init(row, keeper, NULL, names, it, as_of);
}
