/* weeks.c: the weekly reports (/bao-cao-tuan/): the index and one report a
 * week, cut into pages when it is long. */
#include "changes.h"

#include <stdlib.h>
#include <string.h>

#include "changes_int.h"
#include "ctx.h"
#include "ctx_week.h"
#include "facts.h"
#include "jsonh.h"
#include "pager.h"
#include "text.h"

size_t changes_week_count(const site_t *s, const history_t *h)
{
	return h ? h->nweeks : 0;
}

/* The folder of report wk's pages: "bao-cao-tuan/2025-W51/".  malloc'd. */
static char *week_dir(const site_t *s, const hweek_t *wk)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s/", routes_dir(&s->routes, ROUTE_WEEKS), wk->id);
	return buf_detach(&b);
}

char *changes_week_rel(const site_t *s, const history_t *h, size_t i, size_t pg)
{
	char *dir = week_dir(s, h->weeks[i]);
	char *rel = pager_rel(dir, pg);
	free(dir);
	return rel;
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

/* A row as a jansson object: what the typed rows (ctx_week.h) show, and
 * their reference in the unit tests. */
json_t *changes_week_row_json(const site_t *s, const hweek_t *wk, const hitem_t *it)
{
	const htask_t *t = it->task;
	json_t *o = json_object();
	SET(o, "id", jstr(t->id));
	SET(o, "anchor", jstr(t->id));
	SET(o, "title", jstr(t->title));
	SET(o, "plan", changes_plan_brief(it->plan, hitem_label(it), it->ver->title));
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
	SET(o, "due", ctx_due(t->due_shown, &t->due, !t->due_written));
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

/* The parts of a report's rows, in page order. */
enum { WS_UNIT, WS_NEW, WS_NEXT, WS_CHG, WS_PARTS };

struct wslot {
	int part, k;   /* WS_UNIT: list k of group g, its item[i]-th place */
	size_t g, i;   /* other parts: item i of the part's list */
};

struct changes_wlayout {
	const site_t *s;
	const history_t *h;
	size_t idx;
	const hweek_t *wk;
	facts_wgroup_t *g;
	size_t ng;
	size_t *group_first;   /* each group's first slot */
	struct wslot *slot;
	size_t nslot;
	size_t part_first[WS_PARTS];
	size_t *start;         /* page p holds slots start[p] .. start[p + 1] - 1 */
	size_t npages;
	char *dir;             /* the report's folder, relative to base_path */
	facts_unames_t *names; /* the lead units named by the report's rows */
	bool own_names;        /* names is the report's (not the caller's) */
	struct wghead *head;   /* each group's name, anchor and link (group_heads) */
};

/* A group's head, made once a report (not on each page that shows it, and
 * again for the summary by unit): its unit as a record (has_unit false:
 * the tasks with no lead), its anchor and where its rows start.  No
 * jansson value: the layout outlives the jalloc scope of a page
 * (jalloc.h; render_pages.c ends one after each page). */
struct wghead {
	bool has_unit, resolved;
	uref_t ref;            /* resolved: as ctx_unit_ref(unit, text) */
	ctx_wlead_t lead;      /* not: { name: text, url: null, registered: false } */
	char *anchor, *href;
};

/* What a slot weighs against CHANGES_WEEK_PAGE: a task row CHANGES_WEEK_ROW;
 * a new plan (one line) 1; a change entry half a row and a quarter for
 * each of its items; a row of the summary by unit (first page) 2. */
static size_t slot_weight(const changes_wlayout_t *l, const struct wslot *sl)
{
	switch (sl->part) {
	case WS_NEW: return 1;
	case WS_CHG: return CHANGES_WEEK_ROW / 2 + 2 * l->wk->entries[sl->i]->nchanges;
	default: return CHANGES_WEEK_ROW;
	}
}

static void group_heads(changes_wlayout_t *l);

changes_wlayout_t *changes_week_layout(const site_t *s, const history_t *h, size_t idx)
{
	return changes_week_layout_with(s, h, idx, NULL);
}

changes_wlayout_t *changes_week_layout_with(const site_t *s, const history_t *h, size_t idx,
					    facts_unames_t *names)
{
	changes_wlayout_t *l = xcalloc(1, sizeof(*l));
	const hweek_t *wk = h->weeks[idx];
	*l = (changes_wlayout_t){ .s = s, .h = h, .idx = idx, .wk = wk };
	l->own_names = !names;
	l->names = names ? names : facts_unames_new(s);
	l->ng = facts_week_groups_with(s, wk, l->names, &l->g);
	size_t n = wk->new_plans.n + wk->due_next.n + wk->nentries;
	for (int k = 0; k < FACTS_WEEK_LISTS; k++)
		n += facts_week_list(wk, k)->n;
	l->slot = xmalloc((n + 1) * sizeof(*l->slot));
	l->group_first = xmalloc((l->ng + 1) * sizeof(size_t));
	l->part_first[WS_UNIT] = 0;
	for (size_t j = 0; j < l->ng; j++) {
		l->group_first[j] = l->nslot;
		for (int k = 0; k < FACTS_WEEK_LISTS; k++)
			for (size_t i = 0; i < l->g[j].n[k]; i++)
				l->slot[l->nslot++] = (struct wslot){ WS_UNIT, k, j, i };
	}
	const size_t part_n[WS_PARTS] = { 0, wk->new_plans.n, wk->due_next.n, wk->nentries };
	for (int p = WS_NEW; p < WS_PARTS; p++) {
		l->part_first[p] = l->nslot;
		for (size_t i = 0; i < part_n[p]; i++)
			l->slot[l->nslot++] = (struct wslot){ p, 0, 0, i };
	}
	l->start = xmalloc((l->nslot + 2) * sizeof(size_t));
	l->start[l->npages++] = 0;
	size_t used = 2 * l->ng;
	for (size_t x = 0; x < l->nslot; x++) {
		size_t w = slot_weight(l, &l->slot[x]);
		if (used && used + w > CHANGES_WEEK_PAGE) {
			l->start[l->npages++] = x;
			used = 0;
		}
		used += w;
	}
	l->start[l->npages] = l->nslot;
	l->dir = week_dir(s, wk);
	group_heads(l);
	return l;
}

void changes_week_layout_free(changes_wlayout_t *l)
{
	if (!l)
		return;
	for (size_t j = 0; l->head && j < l->ng; j++) {
		free(l->head[j].anchor);
		free(l->head[j].href);
	}
	free(l->head);
	facts_week_groups_free(l->g, l->ng);
	if (l->own_names)
		facts_unames_free(l->names);
	free(l->group_first);
	free(l->slot);
	free(l->start);
	free(l->dir);
	free(l);
}

size_t changes_week_pages(const changes_wlayout_t *l)
{
	return l->npages;
}

/* The page that holds slot x; past the last slot, the last page. */
static size_t page_of(const changes_wlayout_t *l, size_t x)
{
	size_t lo = 0, hi = l->npages;   /* start[lo] <= x < start[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Each group's head (struct wghead), once the pages are cut: a group's
 * rows start on the first page (the summary's) or another. */
static void group_heads(changes_wlayout_t *l)
{
	l->head = xcalloc(l->ng + 1, sizeof *l->head);
	buf_t b = BUF_INIT;
	for (size_t j = 0; j < l->ng; j++) {
		const facts_wgroup_t *g = &l->g[j];
		struct wghead *hd = &l->head[j];
		/* the names unit_json gave: the unit's reference, or a name */
		const unit_t *un = g->unit ? g->unit : facts_unit_named(l->s, NULL, g->text);
		hd->has_unit = g->unit || g->text;
		hd->resolved = un != NULL;
		hd->ref = (uref_t){ .text = g->unit ? NULL : g->text, .unit = (unit_t *)un };
		hd->lead = (ctx_wlead_t){ NULL, g->text };
		char *sl = text_slug(g->unit ? g->unit->name : g->text ? g->text : "khac");
		/* "u-<j + 1>-<slug>" and "<page url>#<anchor>" put, not printed:
		 * buf_printf was 13,077 calls, 12.2M instructions for the 43
		 * weeks (callgrind, cold 1k build) */
		char num[24], *d = num + sizeof num;
		for (size_t v = j + 1; v; v /= 10)
			*--d = (char)('0' + v % 10);
		buf_clear(&b);
		buf_puts(&b, "u-");
		buf_put(&b, d, (size_t)(num + sizeof num - d));
		buf_putc(&b, '-');
		buf_puts(&b, sl);
		hd->anchor = xstrdup(b.ptr);
		size_t at = page_of(l, l->group_first[j]);
		buf_clear(&b);
		if (at) {
			char *u = pager_url(l->s->base_path, l->dir, at);
			buf_puts(&b, u);
			free(u);
		}
		buf_putc(&b, '#');
		buf_puts(&b, hd->anchor);
		hd->href = xstrdup(b.ptr);
		free(sl);
	}
	buf_free(&b);
}

/* A group as the week template sees it, a typed record (tmpl.h): in the
 * summary by unit (rows NULL) its name, anchor, link and counts (of the
 * whole week); in the page's sections by unit also whether it started on
 * an earlier page and its rows on this one.  The names a group does not
 * have are missing, as they were from the jansson object it replaces: a
 * template finds them further out. */
typedef struct {
	const changes_wlayout_t *l;
	size_t j;
	bool continued;
	const tmpl_val_t *rows;   /* FACTS_WEEK_LISTS lists, or NULL */
} wgroup_t;

enum {
	G_UNIT, G_NO_UNIT, G_ANCHOR, G_HREF, G_COUNT, G_CONTINUED = G_COUNT + FACTS_WEEK_LISTS,
	G_LIST, G_HAS = G_LIST + FACTS_WEEK_LISTS, G_FIELDS = G_HAS + FACTS_WEEK_LISTS
};

static const tmpl_field_t group_fields[G_FIELDS] = {
	{ "unit", TMPL_F_OPAQUE, NULL, false },   /* a ctx_uref_type or ctx_wlead_type record */
	{ "no_unit", TMPL_F_SCALAR, NULL, false },
	{ "anchor", TMPL_F_SCALAR, NULL, false },
	{ "href", TMPL_F_SCALAR, NULL, false },
	{ "completed_count", TMPL_F_SCALAR, NULL, false },
	{ "became_overdue_count", TMPL_F_SCALAR, NULL, false },
	{ "added_count", TMPL_F_SCALAR, NULL, false },
	{ "due_changed_count", TMPL_F_SCALAR, NULL, false },
	{ "continued", TMPL_F_SCALAR, NULL, false },
	{ "completed", TMPL_F_OPAQUE, NULL, false },
	{ "became_overdue", TMPL_F_OPAQUE, NULL, false },
	{ "added", TMPL_F_OPAQUE, NULL, false },
	{ "due_changed", TMPL_F_OPAQUE, NULL, false },
	{ "has_completed", TMPL_F_SCALAR, NULL, false },
	{ "has_became_overdue", TMPL_F_SCALAR, NULL, false },
	{ "has_added", TMPL_F_SCALAR, NULL, false },
	{ "has_due_changed", TMPL_F_SCALAR, NULL, false },
};

static void group_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const wgroup_t *gr = rec;
	const struct wghead *hd = &gr->l->head[gr->j];
	(void)scratch;
	out->kind = TMPL_MISSING;
	if (i == G_UNIT) {
		if (hd->has_unit)
			*out = hd->resolved ? tmpl_rec(ctx_uref_type, &hd->ref) : tmpl_rec(ctx_wlead_type, &hd->lead);
	} else if (i == G_NO_UNIT) {
		if (!hd->has_unit)
			*out = tmpl_bool(true);
	} else if (i == G_ANCHOR) {
		*out = tmpl_str(hd->anchor);
	} else if (i == G_HREF) {
		*out = tmpl_str(hd->href);
	} else if (i < G_CONTINUED) {
		*out = tmpl_int((long long)gr->l->g[gr->j].n[i - G_COUNT]);
	} else if (!gr->rows) {
		return;   /* the summary by unit: no more */
	} else if (i == G_CONTINUED) {
		*out = tmpl_bool(gr->continued);
	} else if (i < G_HAS) {
		*out = gr->rows[i - G_LIST];
	} else {
		*out = tmpl_bool(gr->rows[i - G_HAS].u.list.n > 0);
	}
}

static tmpl_type_t group_type = { "week_group", group_fields, G_FIELDS, group_get, NULL, 0, NULL, 0 };

void changes_week_types_register(void)
{
	tmpl_type_register(&group_type);
}

/* Whether part p shows on page pg: it has rows there, or it has none and
 * the page is where it would start. */
static bool part_shown(const changes_wlayout_t *l, int p, size_t pg, size_t n)
{
	if (n)
		return page_of(l, l->part_first[p]) <= pg &&
		       page_of(l, l->part_first[p] + n - 1) >= pg;
	return page_of(l, l->part_first[p]) == pg;
}

tmpl_obj_t *changes_week(const changes_wlayout_t *l, size_t pg)
{
	const site_t *s = l->s;
	const history_t *h = l->h;
	const hweek_t *wk = l->wk;
	json_t *w = week_ref(s, wk);
	if (l->idx + 1 < h->nweeks)
		SET(w, "prev", week_ref(s, h->weeks[l->idx + 1]));
	if (l->idx > 0)
		SET(w, "next", week_ref(s, h->weeks[l->idx - 1]));
	SET(w, "stats", ctx_stats(&wk->stats));
	SET(w, "first_page", json_boolean(pg == 0));
	SET(w, "has_units", json_boolean(l->ng > 0));
	/* the page's new plans, typed (ctx_plan_val, as a change entry's
	 * plan) while each is still published: as jansson summaries they were
	 * 1,000 plan_summary_new at 1,000 plans, changes_week 49.0M
	 * instructions, 33.2M typed (callgrind, cold 1k build) */
	const plan_t **newp = xmalloc((wk->new_plans.n + 1) * sizeof *newp);
	const hitem_t **newi = xmalloc((wk->new_plans.n + 1) * sizeof *newi);
	size_t nnewp = 0;
	bool all_plans = true;
	size_t nch = 0, ch_first = 0;   /* the page's change entries: a run of the week's */
	tmpl_obj_t *week = tmpl_obj_new(w);
	size_t nindex = pg == 0 ? l->ng : 0;
	wgroup_t *index = xmalloc((nindex + 1) * sizeof *index);
	tmpl_obj_keep(week, index);
	for (size_t j = 0; j < nindex; j++)
		index[j] = (wgroup_t){ l, j, false, NULL };
	tmpl_obj_set(week, "unit_index", tmpl_list(&group_type, index, sizeof *index, nindex, false));
	/* the page's task rows, typed (ctx_week.h), in slot order: a group's
	 * list is a run of them, and due next the last run */
	size_t a = l->start[pg], b = l->start[pg + 1], nrow = 0, nunits = 0, nflat[FACTS_WEEK_LISTS] = { 0 };
	size_t cg = (size_t)-1;
	for (size_t x = a; x < b; x++) {
		const struct wslot *sl = &l->slot[x];
		if (sl->part == WS_UNIT) {
			nflat[sl->k]++;
			if (sl->g != cg)
				nunits++;
			cg = sl->g;
		}
		nrow += sl->part == WS_UNIT || sl->part == WS_NEXT;
	}
	ctx_wrow_t *rows = xmalloc((nrow + 1) * sizeof *rows);
	tmpl_obj_keep(week, rows);
	const ctx_wrow_t **flat[FACTS_WEEK_LISTS];
	for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
		flat[k] = xmalloc((nflat[k] + 1) * sizeof *flat[k]);
		tmpl_obj_keep(week, flat[k]);
		nflat[k] = 0;
	}
	wgroup_t *units = xmalloc((nunits + 1) * sizeof *units), *cur = NULL;
	tmpl_obj_keep(week, units);
	tmpl_val_t *lists = xmalloc((nunits * FACTS_WEEK_LISTS + 1) * sizeof *lists);
	tmpl_obj_keep(week, lists);
	size_t list_first[FACTS_WEEK_LISTS], next_first = nrow, r = 0;
	nunits = 0;
	cg = (size_t)-1;
	/* the lists of the group being filled go on cur when it ends */
#define GROUP_END() do { \
		for (int k = 0; k < FACTS_WEEK_LISTS; k++) { \
			size_t n = list_first[k] == (size_t)-1 ? 0 : r_end[k] - list_first[k]; \
			lists[(size_t)(cur - units) * FACTS_WEEK_LISTS + k] = \
				tmpl_list(ctx_wrow_type, rows + (n ? list_first[k] : 0), sizeof *rows, n, false); \
		} \
	} while (0)
	size_t r_end[FACTS_WEEK_LISTS];
	for (size_t x = a; x < b; x++) {
		const struct wslot *sl = &l->slot[x];
		if (sl->part == WS_UNIT) {
			if (sl->g != cg) {
				if (cur)
					GROUP_END();
				cg = sl->g;
				cur = &units[nunits];
				*cur = (wgroup_t){ l, cg, l->group_first[cg] < a, lists + nunits * FACTS_WEEK_LISTS };
				nunits++;
				for (int k = 0; k < FACTS_WEEK_LISTS; k++)
					list_first[k] = r_end[k] = (size_t)-1;
			}
			const hitems_t *li = facts_week_list(wk, sl->k);
			ctx_wrow_init_with(&rows[r], week, l->names, &li->v[l->g[cg].items[sl->k][sl->i]],
					   wk->as_of);
			if (list_first[sl->k] == (size_t)-1)
				list_first[sl->k] = r;
			r_end[sl->k] = r + 1;
			flat[sl->k][nflat[sl->k]++] = &rows[r++];
		} else if (sl->part == WS_NEW) {
			const hitem_t *it = &wk->new_plans.v[sl->i];
			newi[nnewp] = it;
			newp[nnewp++] = it->plan;
			all_plans = all_plans && it->plan;
		} else if (sl->part == WS_NEXT) {
			if (next_first == nrow)
				next_first = r;
			ctx_wrow_init_with(&rows[r++], week, l->names, &wk->due_next.v[sl->i], wk->as_of);
		} else {
			if (!nch++)
				ch_first = sl->i;
		}
	}
	if (cur)
		GROUP_END();
#undef GROUP_END
	tmpl_obj_set(week, "units", tmpl_list(&group_type, units, sizeof *units, nunits, false));
	for (int k = 0; k < FACTS_WEEK_LISTS; k++)
		tmpl_obj_set(week, kinds[k], tmpl_list(ctx_wrow_type, flat[k], sizeof *flat[k], nflat[k], true));
	if (all_plans) {
		tmpl_obj_keep(week, newp);
		tmpl_obj_set(week, "new_plans", ctx_plan_list(newp, nnewp));
	} else {
		/* one no longer published: the jansson briefs, as before */
		json_t *np = json_array();
		for (size_t i = 0; i < nnewp; i++)
			json_array_append_new(np, changes_plan_brief(newi[i]->plan, hitem_label(newi[i]),
								     newi[i]->ver->title));
		free(newp);
		SET(w, "new_plans", np);
	}
	free(newi);
	SET(w, "has_new_plans", json_boolean(nnewp > 0));
	tmpl_obj_set(week, "due_next", tmpl_list(ctx_wrow_type, rows + next_first, sizeof *rows, nrow - next_first, false));
	SET(w, "show_due_next", json_boolean(part_shown(l, WS_NEXT, pg, wk->due_next.n)));
	tmpl_obj_set(week, "changes", changes_erec_list(week, s, wk->entries + ch_first, nch));
	SET(w, "show_changes", json_boolean(part_shown(l, WS_CHG, pg, wk->nentries)));
	json_t *ctx = json_object();
	json_t *pager = pager_ctx(s->base_path, l->dir, pg, l->npages);
	if (pager)
		SET(ctx, "pager", pager);
	tmpl_obj_t *top = tmpl_obj_new(ctx);
	tmpl_obj_set_obj(top, "week", week);
	return top;
}
