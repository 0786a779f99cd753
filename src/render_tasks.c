/* render_tasks.c: the lists of tasks: the deadlines pages, the list of
 * each status, and the status chips and links over them. */
#include "render_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jalloc.h"
#include "jsonh.h"
#include "pager.h"

/* Status chips over a list: one per status the list has, then "all".  Each
 * links to an anchor (id) that the style sheet turns into a filter with
 * :target, so the chips narrow the list without JavaScript; filter.js
 * makes them toggle in place.  view: the pre-rendered page of that status
 * (status_views), or NULL. */
static const struct {
	const char *key, *anchor, *label_key, *label;
} status_kinds[] = {
	{ "overdue", "loc-qua-han", "overdue", "Quá hạn" },
	{ "not_started", "loc-chua-thuc-hien", "status_not_started", "Chưa thực hiện" },
	{ "in_progress", "loc-dang-thuc-hien", "status_in_progress", "Đang thực hiện" },
	{ "done", "loc-hoan-thanh", "status_done", "Hoàn thành" },
	{ "done_late", "loc-hoan-thanh-muon", "done_late", "Hoàn thành muộn" },
	{ "cancelled", "loc-dung-thuc-hien", "status_cancelled", "Dừng thực hiện" },
};
#define NSTATUS_KINDS (sizeof status_kinds / sizeof status_kinds[0])
_Static_assert(NSTATUS_KINDS <= CTX_FILTER_MAX, "a chip of each status fits a filter record");
/* a pre-rendered list (routes_view) for each status, then one of all */
_Static_assert(NSTATUS_KINDS + 1 == ROUTES_NVIEWS, "one list a status, and all tasks");

static int stats_count(const stats_t *st, size_t k)
{
	switch (k) {
	case 0: return st->overdue;
	case 1: return st->not_started;
	case 2: return st->in_progress;
	case 3: return st->done;
	case 4: return st->done_late;
	default: return st->cancelled;
	}
}

static bool task_is(const task_t *t, size_t k)
{
	switch (k) {
	case 0: return t->overdue;
	case 1: return t->status == STATUS_NOT_STARTED;
	case 2: return t->status == STATUS_IN_PROGRESS;
	case 3: return t->status == STATUS_DONE;
	case 4: return t->done_late;
	default: return t->status == STATUS_CANCELLED;
	}
}

json_t *render_status_filter(struct run *r, const stats_t *st, bool views)
{
	json_t *o = json_object(), *a = json_array();
	for (size_t k = 0; k < NSTATUS_KINDS; k++) {
		int n = stats_count(st, k);
		if (!n)
			continue;
		json_t *c = json_object();
		SET(c, "key", json_string(status_kinds[k].key));
		SET(c, "anchor", json_string(status_kinds[k].anchor));
		SET(c, "label", json_string(render_str(r, status_kinds[k].label_key, status_kinds[k].label)));
		SET(c, "count", json_integer(n));
		if (views) {
			char *u = render_view_url(r->s, k);
			SET(c, "view", json_string(u));
			free(u);
		}
		json_array_append_new(a, c);
	}
	SET(o, "chips", a);
	SET(o, "total", json_integer(st->total));
	return o;
}

void render_filter_kinds(struct run *r)
{
	for (size_t k = 0; k < NSTATUS_KINDS; k++)
		r->filter_kinds[k] = (ctx_chip_kind_t){ status_kinds[k].key, status_kinds[k].anchor,
							render_str(r, status_kinds[k].label_key, status_kinds[k].label) };
}

void render_filter_set(struct run *r, tmpl_obj_t *o, const stats_t *st)
{
	ctx_filter_t *f = xmalloc(sizeof *f);
	f->nchips = 0;
	f->total = st->total;
	for (size_t k = 0; k < NSTATUS_KINDS; k++) {
		int n = stats_count(st, k);
		if (n)
			f->chips[f->nchips++] = (ctx_chip_t){ &r->filter_kinds[k], n };
	}
	tmpl_obj_keep(o, f);
	tmpl_obj_set(o, "filter", tmpl_rec(ctx_filter_type, f));
}

/* Links to the pre-rendered list of each status; k the current one
 * (NSTATUS_KINDS: all tasks; more: none). */
static json_t *views_nav(struct run *r, const stats_t *tot, size_t k)
{
	json_t *f = render_status_filter(r, tot, true);
	json_t *chips = json_object_get(f, "chips");
	for (size_t i = 0; i < json_array_size(chips); i++) {
		json_t *c = json_array_get(chips, i);
		json_object_set_new(c, "current", json_boolean(k < NSTATUS_KINDS &&
			!strcmp(json_string_value(json_object_get(c, "key")), status_kinds[k].key)));
	}
	char *au = render_view_url(r->s, NSTATUS_KINDS);
	SET(f, "all_url", json_string(au));
	free(au);
	SET(f, "all_current", json_boolean(k == NSTATUS_KINDS));
	return f;
}

/* The page of each status (/thoi-han/qua-han/ ...) and of every task
 * (/thoi-han/tat-ca/), so that every count links to the list it counts. */
char *render_view_url(const site_t *s, size_t k)
{
	return routes_url(&s->routes, ROUTE_DEADLINES, routes_view(k));
}

json_t *render_stats_links(const site_t *s)
{
	json_t *o = json_object();
	for (size_t k = 0; k <= NSTATUS_KINDS; k++) {
		char *u = render_view_url(s, k);
		SET(o, k < NSTATUS_KINDS ? status_kinds[k].key : "total", json_string(u));
		free(u);
	}
	return o;
}

/* A plan's counts link to its list narrowed to what they count: the
 * anchors of its status filter. */
json_t *render_plan_links(const stats_t *st)
{
	json_t *links = json_object();
	SET(links, "total", json_string("#loc-tat-ca"));
	for (size_t k = 0; k < NSTATUS_KINDS; k++)
		if (stats_count(st, k)) {
			buf_t a = BUF_INIT;
			buf_printf(&a, "#%s", status_kinds[k].anchor);
			SET(links, status_kinds[k].key, json_string(a.ptr));
			buf_free(&a);
		}
	return links;
}

void render_status_rows(struct run *r)
{
	size_t n;
	const task_t **tasks = facts_all_tasks(r->s, &n);
	r->views_total = (stats_t){ 0 };
	/* each list at its size (counted first), and the list of all tasks
	 * is the site's: a pointer for every task in every list was 22 MB at
	 * 10,000 plans, held while the first pages render */
	size_t cnt[NSTATUS_KINDS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		stats_add(&r->views_total, tasks[i]);
		for (size_t k = 0; k < NSTATUS_KINDS; k++)
			cnt[k] += task_is(tasks[i], k);
	}
	stats_finish(&r->views_total);
	for (size_t k = 0; k < NSTATUS_KINDS; k++) {
		r->views[k].v = xmalloc((cnt[k] + 1) * sizeof(*r->views[k].v));
		r->views[k].n = 0;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < NSTATUS_KINDS; k++)
			if (task_is(tasks[i], k))
				r->views[k].v[r->views[k].n++] = tasks[i];
	r->views[NSTATUS_KINDS].v = tasks;
	r->views[NSTATUS_KINDS].n = n;
	facts_sort_late(r->views[0].v, r->views[0].n);
}

void render_status_rows_free(struct run *r)
{
	for (size_t k = 0; k < ROUTES_NVIEWS; k++) {
		free(r->views[k].v);
		r->views[k].v = NULL;
	}
}

/* Page pg of the pre-rendered list of one status (k < NSTATUS_KINDS) or
 * of every task, paginated like the deadlines pages. */
void render_job_status_view(struct run *r, json_t *base, size_t k, size_t pg)
{
	const site_t *s = r->s;
	const task_t **v = r->views[k].v;
	size_t nv = r->views[k].n;
	const char *label = k < NSTATUS_KINDS ? render_str(r, status_kinds[k].label_key, status_kinds[k].label)
					      : render_str(r, "all_tasks", "Tất cả nhiệm vụ");
	char *url = render_view_url(s, k);
	const char *dir = url + strlen(s->base_path);
	size_t per = routes_kind(ROUTE_KIND_STATUS)->per_page;
	size_t pages = pager_count(nv, per);
	json_t *ctx = json_object();
	tmpl_obj_t *top = tmpl_obj_new(ctx);
	size_t end = (pg + 1) * per < nv ? (pg + 1) * per : nv;
	/* the overdue list's rows are the deadlines pages'; the others',
	 * those of the list of all tasks (render_list_jobs) */
	tmpl_share_use(k == 0 ? r->share_late : r->share_views);
	tmpl_obj_set(top, "tasks", ctx_rows(top, v + pg * per, end - pg * per, true, NULL, s));
	SET(ctx, "count", json_integer((json_int_t)nv));
	SET(ctx, "label", json_string(label));
	SET(ctx, "status", json_string(k < NSTATUS_KINDS ? status_kinds[k].key : "all"));
	SET(ctx, "is_overdue", json_boolean(k == 0));
	json_t *f = views_nav(r, &r->views_total, k);
	SET(ctx, "views", f);
	buf_t title = BUF_INIT;
	buf_printf(&title, "%s: %s", render_str(r, "tasks", "Nhiệm vụ"), label);
	char *rel = render_list_page(r, ctx, dir, pg, pages, &title);
	render_emit_obj(r, base, ROUTE_KIND_STATUS, top, rel, title.ptr);
	tmpl_share_use(NULL);
	free(rel);
	buf_free(&title);
	free(url);
}

/* The rows of all deadlines pages, in order (see facts_row_t). */
void render_deadline_rows(struct run *r)
{
	r->dl_nrows = facts_deadline_rows(r->s, &r->dl_rows);
	/* a portal of a thousand plans has tens of thousands of open tasks:
	 * pages of DEADLINES_PER_PAGE rows keep each page readable */
	r->dl_pages = pager_count(r->dl_nrows, DEADLINES_PER_PAGE);
	/* once, not on each of a thousand pages at 10k (pages x tasks) */
	size_t n;
	const task_t **tasks = facts_all_tasks(r->s, &n);
	r->dl_total = (stats_t){ 0 };
	for (size_t i = 0; i < n; i++)
		stats_add(&r->dl_total, tasks[i]);
	free(tasks);
}

/* Deadlines page pg (0-based). */
void render_job_deadlines(struct run *r, json_t *base, size_t pg)
{
	const site_t *s = r->s;
	const facts_row_t *rows = r->dl_rows;
	size_t nrows = r->dl_nrows, pages = r->dl_pages;
	size_t from = pg * DEADLINES_PER_PAGE;
	size_t end = from + DEADLINES_PER_PAGE < nrows ? from + DEADLINES_PER_PAGE : nrows;
	/* the rows are typed records (ctx_trow_t); the months objects over
	 * { label, id } */
	json_t *ctx = json_object();
	tmpl_obj_t *top = tmpl_obj_new(ctx);
	const task_t **ov = xmalloc((end - from + 1) * sizeof *ov);
	const task_t **on = xmalloc((end - from + 1) * sizeof *on);
	const task_t **mv = xmalloc((end - from + 1) * sizeof *mv);
	tmpl_obj_t **months = xmalloc((end - from + 1) * sizeof *months);
	size_t nov = 0, non = 0, nmonths = 0;
	for (size_t i = from; i < end;) {
		const task_t *t = rows[i].task;
		if (rows[i].section == FACTS_OVERDUE) {
			ov[nov++] = t;
			i++;
		} else if (rows[i].section == FACTS_ONGOING) {
			on[non++] = t;
			i++;
		} else {
			int m = t->due.date / 100;
			size_t n = 0;
			for (; i < end && rows[i].section != FACTS_OVERDUE && rows[i].section != FACTS_ONGOING &&
			       rows[i].task->due.date / 100 == m; i++)
				mv[n++] = rows[i].task;
			json_t *g = json_object();
			char label[16], id[16];
			snprintf(label, sizeof label, "%02d/%04d", m % 100, m / 100);
			snprintf(id, sizeof id, "%04d-%02d", m / 100, m % 100);
			SET(g, "label", json_string(label));
			SET(g, "id", json_string(id));
			tmpl_obj_t *mo = tmpl_obj_new(g);
			tmpl_obj_set(mo, "tasks", ctx_rows(mo, mv, n, true, NULL, s));
			months[nmonths++] = mo;
		}
	}
	tmpl_obj_set(top, "overdue", ctx_rows(top, ov, nov, true, NULL, s));
	tmpl_obj_set(top, "ongoing", ctx_rows(top, on, non, true, NULL, s));
	tmpl_obj_keep(top, months);
	tmpl_obj_set(top, "months", tmpl_list(TMPL_OBJ_LIST, months, sizeof *months, nmonths, true));
	free(ov);
	free(on);
	free(mv);
	{
		/* the chips narrow this page; each also names the page of all
		 * the tasks of its status */
		stats_t st = { 0 };
		for (size_t i = pg * DEADLINES_PER_PAGE; i < end; i++)
			stats_add(&st, rows[i].task);
		stats_finish(&st);
		SET(ctx, "filter", render_status_filter(r, &st, false));
		SET(ctx, "views", views_nav(r, &r->dl_total, NSTATUS_KINDS + 1));
	}
	SET(ctx, "has_overdue", json_boolean(nov > 0));
	const char *dir = routes_dir(&s->routes, ROUTE_DEADLINES);
	buf_t title = BUF_INIT;
	buf_puts(&title, render_str(r, "deadlines_title", "Thời hạn"));
	char *rel = render_list_page(r, ctx, dir, pg, pages, &title);
	tmpl_share_use(r->share_late);
	render_emit_obj(r, base, ROUTE_KIND_DEADLINES, top, rel, title.ptr);
	tmpl_share_use(NULL);
	free(rel);
	buf_free(&title);
}

/* ---- the rows the list pages share (tmpl.h: tmpl_share_t)
 *
 * A task's row on a list (task_brief_row over a row with its plan's
 * summary and no role) reads nothing but the task: the list of all tasks
 * and the list of its status show the same bytes, and so do the overdue
 * list and the deadlines pages.  The renderer checks that a row read
 * nothing else before it keeps it, whatever the theme. */

/* the idents read every field of a task row (ctx.h): a new one may be
 * part of what a row shows */
_Static_assert(sizeof(ctx_trow_t) == 3 * sizeof(void *) &&
	       offsetof(ctx_trow_t, role) == 2 * sizeof(void *) + 1,
	       "a field of ctx_trow_t the shares' idents do not read");

static bool list_row(const ctx_trow_t *row)
{
	return row->with_plan && !row->role;
}

/* The list of all tasks, and of each status but the overdue one. */
static bool views_ident(const void *rec, void *arg, const void **key, unsigned *variant,
			unsigned *uses)
{
	const ctx_trow_t *row = rec;
	(void)arg;
	if (!list_row(row))
		return false;
	unsigned n = 1;   /* the list of all tasks */
	for (size_t k = 1; k < NSTATUS_KINDS; k++)
		n += task_is(row->t, k);
	*key = row->t;
	*variant = 0;
	*uses = n;
	return true;
}

/* The overdue list, and the deadlines pages (facts_deadline_rows: the
 * open tasks with a date). */
static bool late_ident(const void *rec, void *arg, const void **key, unsigned *variant,
		       unsigned *uses)
{
	const ctx_trow_t *row = rec;
	const task_t *t = row->t;
	(void)arg;
	if (!list_row(row) || !t->overdue)
		return false;
	*key = t;
	*variant = 0;
	*uses = 1 + (t->due.date && t->status != STATUS_DONE && t->status != STATUS_CANCELLED);
	return true;
}

void render_shares_begin(struct run *r)
{
	if (getenv("PLANSITE_NO_SHARE"))
		return;
	r->share_views = tmpl_share_new(ctx_task_type, views_ident, NULL);
	r->share_late = tmpl_share_new(ctx_task_type, late_ident, NULL);
}

void render_list_jobs(struct run *r, void (*add)(struct run *r, job_kind_t kind, const void *item))
{
	size_t per = routes_kind(ROUTE_KIND_STATUS)->per_page;
	/* the deadlines pages and the overdue list's in the order of their
	 * last overdue rows (both lists are by date), a deadlines page
	 * first; the deadlines pages past the overdue rows last */
	size_t nlate = r->views[0].n, dl_late = 0;
	while (dl_late < r->dl_nrows && r->dl_rows[dl_late].section == FACTS_OVERDUE)
		dl_late++;
	size_t late_pages = pager_count(nlate, per);
	for (size_t i = 0, j = 0; i < r->dl_pages || j < late_pages;) {
		size_t di = (i + 1) * DEADLINES_PER_PAGE, dj = (j + 1) * per;
		di = di < dl_late ? di : dl_late;
		dj = dj < nlate ? dj : nlate;
		if (i < r->dl_pages && (j == late_pages || di <= dj))
			add(r, JOB_DEADLINES, (const void *)(uintptr_t)i++);
		else
			add(r, JOB_STATUS, STATUS_JOB(0, j++));
	}
	/* every other list is the list of all tasks narrowed: a page goes
	 * when the list of all tasks reaches its last row */
	const struct sview *all = &r->views[NSTATUS_KINDS];
	size_t cnt[ROUTES_NVIEWS] = { 0 };
	for (size_t i = 0; i < all->n; i++)
		for (size_t k = 1; k <= NSTATUS_KINDS; k++) {
			if (k < NSTATUS_KINDS && !task_is(all->v[i], k))
				continue;
			cnt[k]++;
			if (cnt[k] % per == 0 || cnt[k] == r->views[k].n)
				add(r, JOB_STATUS, STATUS_JOB(k, (cnt[k] - 1) / per));
		}
	for (size_t k = 1; k <= NSTATUS_KINDS; k++)
		if (!r->views[k].n)
			add(r, JOB_STATUS, STATUS_JOB(k, 0));   /* a list of no row: one page */
}

static void share_end(tmpl_share_t **sh, const char *what)
{
	if (*sh && getenv("PLANSITE_TIMING")) {
		tmpl_share_stats_t st;
		tmpl_share_stats(*sh, &st);
		fprintf(stderr, "plansite:   shared rows  %s: %zu rendered, %zu reused, %zu read outside their task, "
			"at most %zu kept (%zu kB), %zu left\n", what, st.rendered, st.reused, st.tainted,
			st.kept_peak, st.bytes_peak >> 10, st.kept_now);
	}
	tmpl_share_free(*sh);
	*sh = NULL;
}

void render_shares_end(struct run *r)
{
	share_end(&r->share_late, "overdue, deadlines");
	share_end(&r->share_views, "status lists");
}
