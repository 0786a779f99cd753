/* weeks.c: the weekly reports (/bao-cao-tuan/): the index and one page a week. */
#include "changes.h"

#include <stdlib.h>
#include <string.h>

#include "changes_int.h"
#include "ctx.h"
#include "facts.h"
#include "jsonh.h"
#include "text.h"

size_t changes_week_count(const site_t *s, const history_t *h)
{
	return h ? h->nweeks : 0;
}

char *changes_week_rel(const site_t *s, const history_t *h, size_t i)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s/index.html", routes_dir(&s->routes, ROUTE_WEEKS), h->weeks[i]->id);
	return buf_detach(&b);
}

static json_t *week_ref(const site_t *s, const hweek_t *wk)
{
	json_t *o = json_object();
	SET(o, "id", json_string(wk->id));
	SET(o, "year", json_integer(wk->year));
	SET(o, "number", json_integer(wk->week));
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s%s/", s->base_path, routes_dir(&s->routes, ROUTE_WEEKS), wk->id);
	SET(o, "url", json_string(b.ptr));
	buf_free(&b);
	SET(o, "start", ctx_date_iso(wk->start));
	SET(o, "end", ctx_date_iso(wk->end));
	SET(o, "start_vi", ctx_date_vi(wk->start));
	SET(o, "end_vi", ctx_date_vi(wk->end));
	SET(o, "as_of", ctx_date_iso(wk->as_of));
	SET(o, "as_of_vi", ctx_date_vi(wk->as_of));
	/* a finished week counts as of the Monday after it, which is also the
	 * next week's date: its page says "to the end of Sunday" instead, so
	 * two reports never claim the same date with different figures */
	SET(o, "closed", json_boolean(wk->as_of > wk->end));
	SET(o, "completed_count", json_integer((json_int_t)wk->completed.n));
	SET(o, "overdue_count", json_integer((json_int_t)wk->overdue.n));
	SET(o, "added_count", json_integer((json_int_t)wk->added.n));
	SET(o, "due_changed_count", json_integer((json_int_t)wk->due_changed.n));
	SET(o, "change_count", json_integer((json_int_t)wk->nentries));
	return o;
}

json_t *changes_weeks(const site_t *s, const history_t *h)
{
	json_t *ctx = json_object();
	json_t *a = json_array();
	for (size_t i = 0; h && i < h->nweeks; i++)
		json_array_append_new(a, week_ref(s, h->weeks[i]));
	SET(ctx, "weeks", a);
	return ctx;
}

static json_t *unit_json(const site_t *s, const plan_t *p, const char *text)
{
	const unit_t *u = facts_unit_named(s, p, text);
	if (u)
		return ctx_unit_ref(u, text);
	json_t *o = json_object();
	SET(o, "name", json_string(text));
	SET(o, "url", json_null());
	SET(o, "registered", json_false());
	return o;
}

static json_t *task_row(const site_t *s, const hweek_t *wk, const hitem_t *it)
{
	const htask_t *t = it->task;
	json_t *o = json_object();
	SET(o, "id", jstr(t->id));
	SET(o, "anchor", jstr(t->id));
	SET(o, "title", jstr(t->title));
	SET(o, "plan", changes_plan_brief(it->plan, it->label, it->ver->title));
	json_t *lead = json_array();
	if (t->lead) {
		const char *p = t->lead;
		for (;;) {
			const char *e = strstr(p, "; ");
			char *one = xstrndup(p, e ? (size_t)(e - p) : strlen(p));
			json_array_append_new(lead, unit_json(s, it->plan, one));
			free(one);
			if (!e)
				break;
			p = e + 2;
		}
	}
	SET(o, "lead", lead);
	/* a deadline given only as due_date is shown as that date */
	SET(o, "due", ctx_due(t->due_shown, &t->due, !t->due_text));
	const char *st = status_id(t->status);
	SET(o, "status", json_string(st));
	SET(o, "status_label", json_string(status_label_vi(t->status)));
	buf_t b = BUF_INIT;
	buf_printf(&b, "is_%s", st);
	SET(o, b.ptr, json_true());
	buf_free(&b);
	SET(o, "overdue", json_boolean(due_overdue(&t->due, t->status, wk->as_of)));
	SET(o, "done_late", json_boolean(t->completed && due_done_late(&t->due, t->status, t->completed)));
	SET(o, "has_progress", json_boolean(t->progress >= 0));
	SET(o, "progress", t->progress >= 0 ? json_integer(t->progress) : json_null());
	SET(o, "completed_vi", ctx_date_vi(t->completed));
	if (it->from || it->to) {
		SET(o, "due_from", jstr(it->from));
		SET(o, "due_to", jstr(it->to));
	}
	return o;
}

static const char *const kinds[FACTS_WEEK_LISTS] = { "completed", "became_overdue", "added", "due_changed" };

json_t *changes_week(const site_t *s, const history_t *h, size_t idx)
{
	const hweek_t *wk = h->weeks[idx];
	json_t *w = week_ref(s, wk);
	if (idx + 1 < h->nweeks)
		SET(w, "prev", week_ref(s, h->weeks[idx + 1]));
	if (idx > 0)
		SET(w, "next", week_ref(s, h->weeks[idx - 1]));
	SET(w, "stats", ctx_stats(&wk->stats));
	json_t *rows[FACTS_WEEK_LISTS];
	for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
		const hitems_t *l = facts_week_list(wk, k);
		rows[k] = json_array();
		for (size_t i = 0; i < l->n; i++)
			json_array_append_new(rows[k], task_row(s, wk, &l->v[i]));
		SET(w, kinds[k], json_incref(rows[k]));
	}
	facts_wgroup_t *g;
	size_t ng = facts_week_groups(s, wk, &g);
	json_t *units = json_array();
	for (size_t j = 0; j < ng; j++) {
		json_t *o = json_object();
		if (g[j].unit)
			SET(o, "unit", ctx_unit_ref(g[j].unit, NULL));
		else if (g[j].text)
			SET(o, "unit", unit_json(s, NULL, g[j].text));
		else
			SET(o, "no_unit", json_true());
		char *sl = text_slug(g[j].unit ? g[j].unit->name : g[j].text ? g[j].text : "khac");
		buf_t b = BUF_INIT;
		buf_printf(&b, "u-%zu-%s", j + 1, sl);
		SET(o, "anchor", json_string(b.ptr));
		buf_free(&b);
		free(sl);
		for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
			json_t *list = json_array();
			for (size_t i = 0; i < g[j].n[k]; i++)
				json_array_append(list, json_array_get(rows[k], g[j].items[k][i]));
			buf_t c = BUF_INIT;
			buf_printf(&c, "%s_count", kinds[k]);
			SET(o, c.ptr, json_integer((json_int_t)g[j].n[k]));
			buf_clear(&c);
			buf_printf(&c, "has_%s", kinds[k]);
			SET(o, c.ptr, json_boolean(g[j].n[k] > 0));
			buf_free(&c);
			SET(o, kinds[k], list);
		}
		json_array_append_new(units, o);
	}
	facts_week_groups_free(g, ng);
	for (int k = 0; k < FACTS_WEEK_LISTS; k++)
		json_decref(rows[k]);
	SET(w, "units", units);
	SET(w, "has_units", json_boolean(ng > 0));
	json_t *next = json_array();
	for (size_t i = 0; i < wk->due_next.n; i++)
		json_array_append_new(next, task_row(s, wk, &wk->due_next.v[i]));
	SET(w, "due_next", next);
	json_t *np = json_array();
	for (size_t i = 0; i < wk->new_plans.n; i++) {
		const hitem_t *it = &wk->new_plans.v[i];
		json_array_append_new(np, changes_plan_brief(it->plan, it->label, it->ver->title));
	}
	SET(w, "new_plans", np);
	SET(w, "has_new_plans", json_boolean(wk->new_plans.n > 0));
	json_t *ch = json_array();
	for (size_t i = 0; i < wk->nentries; i++)
		json_array_append_new(ch, changes_entry(s, wk->entries[i]));
	SET(w, "changes", ch);
	json_t *ctx = json_object();
	SET(ctx, "week", w);
	return ctx;
}
