/* render_pages.c: the pages of the model: home, plans, units, documents,
 * free pages, the search and open data pages, 404, and the history's. */
#include "render_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "collate.h"
#include "data.h"
#include "date.h"
#include "facts.h"
#include "jalloc.h"
#include "jsonh.h"
#include "markdown.h"
#include "pager.h"

#define HOME_PLANS 20
#define HOME_UPCOMING 30
#define HOME_OVERDUE 20
#define HOME_LATE_UNITS 10

void render_job_home(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	json_t *ctx = json_object();
	facts_home_t f;
	facts_home(s, &f);
	SET(ctx, "totals", ctx_stats(&f.totals));
	/* every count links to the list it counts */
	SET(ctx, "links", render_stats_links(s));
	char *ov = render_view_url(s, 0);
	SET(ctx, "overdue_url", json_string(ov));
	free(ov);
	tmpl_obj_t *top = tmpl_obj_new(ctx);
	tmpl_obj_set(top, "overdue_tasks", ctx_rows(top, (const task_t *const *)f.overdue,
						    f.noverdue < HOME_OVERDUE ? f.noverdue : HOME_OVERDUE,
						    true, NULL, s));
	SET(ctx, "overdue_more", json_boolean(f.noverdue > HOME_OVERDUE));
	SET(ctx, "overdue_count", json_integer((json_int_t)f.noverdue));
	SET(ctx, "plan_count", json_integer((json_int_t)s->nplans));
	/* units leading the most overdue tasks */
	json_t *ou = json_array();
	for (size_t i = 0; i < f.nlate_units && i < HOME_LATE_UNITS; i++) {
		json_t *e = json_object();
		SET(e, "unit", ctx_unit_ref(f.late_units[i], NULL));
		SET(e, "stats", ctx_stats(&f.late_units[i]->lead_stats));
		json_array_append_new(ou, e);
	}
	SET(ctx, "overdue_units", ou);
	SET(ctx, "upcoming_more", json_boolean(f.nupcoming > HOME_UPCOMING));
	tmpl_obj_set(top, "upcoming", ctx_rows(top, (const task_t *const *)f.upcoming,
					       f.nupcoming < HOME_UPCOMING ? f.nupcoming : HOME_UPCOMING,
					       true, NULL, s));
	SET(ctx, "recent_changes", changes_recent(s, r->hist, 10));
	/* the newest plans; all of them are on the plans page */
	json_t *pl = json_array();
	for (size_t i = 0; i < f.nnewest && i < HOME_PLANS; i++)
		json_array_append_new(pl, ctx_plan_summary(f.newest[i]));
	SET(ctx, "plans", pl);
	SET(ctx, "plans_more", json_boolean(s->nplans > HOME_PLANS));
	facts_home_free(&f);
	render_emit_obj(r, base, ROUTE_KIND_HOME, top, "index.html", render_str(r, "home_title", s->title));
}

static const char *plan_issuer_name(const void *p)
{
	const plan_t *pl = *(plan_t *const *)p;
	return pl->has_issuer ? pl->issuer.unit->name : "";
}

#define PLANS_PER_PAGE (routes_kind(ROUTE_KIND_PLANS)->per_page)

/* The plans index: plans grouped by issuing agency, agencies in Vietnamese
 * order, plans newest first within each; PLANS_PER_PAGE rows a page, a
 * group that goes on from the page before marked `continued`. */
const plan_t **render_plans_order(struct run *r)
{
	if (!r->plans_order) {
		const plan_t **v = facts_plans_newest(r->s);
		coll_sort(v, r->s->nplans, sizeof(*v), plan_issuer_name);
		r->plans_order = v;
	}
	return r->plans_order;
}

void render_job_plans(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	const plan_t *const *v = render_plans_order(r);
	size_t pages = pager_count(s->nplans, PLANS_PER_PAGE);
	const char *dir = routes_dir(&s->routes, ROUTE_PLANS);
	for (size_t pg = 0; pg < pages; pg++) {
		if (pg)
			jalloc_end(), jalloc_begin();   /* one page's data at a time */
		json_t *ctx = json_object();
		json_t *groups = json_array(), *list = json_array();
		json_t *cur = NULL;
		const unit_t *cu = (const unit_t *)-1;
		size_t a = pg * PLANS_PER_PAGE, b = a + PLANS_PER_PAGE < s->nplans ? a + PLANS_PER_PAGE : s->nplans;
		for (size_t i = a; i < b; i++) {
			const unit_t *u = v[i]->has_issuer ? v[i]->issuer.unit : NULL;
			if (u != cu) {
				cu = u;
				json_t *g = json_object();
				if (u)
					SET(g, "issuer", ctx_unit_ref(u, NULL));
				const unit_t *pu = i && v[i - 1]->has_issuer ? v[i - 1]->issuer.unit : NULL;
				SET(g, "continued", json_boolean(i == a && i > 0 && pu == u));
				cur = json_array();
				SET(g, "plans", cur);
				json_array_append_new(groups, g);
			}
			/* one summary in both lists (read-only): built twice, they
			 * were half of this job's 64 M instructions at 1,000 plans */
			json_t *sum = ctx_plan_summary(v[i]);
			json_array_append(cur, sum);
			json_array_append_new(list, sum);
		}
		SET(ctx, "issuers", groups);
		SET(ctx, "plans", list);
		buf_t title = BUF_INIT;
		buf_puts(&title, render_str(r, "plans_title", "Kế hoạch"));
		char *rel = render_list_page(r, ctx, dir, pg, pages, &title);
		render_emit(r, base, ROUTE_KIND_PLANS, ctx, rel, title.ptr);
		buf_free(&title);
		free(rel);
	}
}

void render_job_plan(struct run *r, json_t *base, const plan_t *p)
{
	json_t *ctx = json_object();
	json_t *pl = ctx_plan_full(r->s, p);
	tmpl_obj_t *plan = tmpl_obj_new(pl);
	/* typed: 1,000 jansson objects of 30 values at 1,000 plans */
	render_filter_set(r, plan, &p->stats);
	changes_plan_add(plan, r->s, r->hist, p);
	ctx_plan_groups(plan, r->s, p);
	tmpl_obj_t *top = tmpl_obj_new(ctx);
	tmpl_obj_set_obj(top, "plan", plan);
	/* the plan's counts link to its list narrowed to what they count */
	SET(ctx, "links", render_plan_links(&p->stats));
	char *rel = render_rel_of(r->s, p->url);
	char *title = NULL;
	buf_t b = BUF_INIT;
	if (p->number)
		buf_printf(&b, "%s %s", p->type, p->number);
	else
		buf_puts(&b, p->name);
	title = buf_detach(&b);
	json_t *pg = json_object();
	buf_t d = BUF_INIT;
	char as_of[DATE_BUF];
	date_format_vi(r->s->as_of, as_of);
	buf_printf(&d, "%s: %s. %d %s, %s %d%%, %s %d (%s %s).", title, p->title,
		   p->stats.total, render_str(r, "tasks_lc", "nhiệm vụ"), render_str(r, "status_done", "Hoàn thành"),
		   p->stats.percent_done, render_str(r, "overdue", "Quá hạn"), p->stats.overdue,
		   render_str(r, "as_of", "Số liệu tính đến ngày"), as_of);
	SET(pg, "description", json_string(d.ptr));
	buf_free(&d);
	SET(ctx, "page", pg);
	render_emit_obj(r, base, ROUTE_KIND_PLAN, top, rel, title);
	free(title);
	free(rel);
}

void render_job_units(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	/* the tree of units is typed records (ctx_unit.c) */
	tmpl_obj_t *top = tmpl_obj_new(json_object());
	size_t n;
	const unit_t **roots = ctx_unit_roots(s, &n);
	tmpl_obj_keep(top, roots);
	tmpl_obj_set(top, "tree", ctx_unit_tree_list(roots, n));
	char *rel = routes_file(&s->routes, ROUTE_UNITS, "index.html");
	render_emit_obj(r, base, ROUTE_KIND_UNITS, top, rel, render_str(r, "units_title", "Đơn vị"));
	free(rel);
}

#define UNIT_ROWS_PER_PAGE (routes_kind(ROUTE_KIND_UNIT)->per_page)

/* ---- the rows a unit's pages share with its group's (tmpl.h: tmpl_share_t)
 *
 * A task's row on a unit page (with its plan, and its role there) is the
 * same on every unit that shows it in that role: the unit leading it and
 * the units above, the units supporting it and theirs.  A group is a unit
 * over at most UNIT_GROUP_ROWS task rows and the units under it (under
 * the highest such unit): its pages render each such row once, and what
 * they keep at once stays under UNIT_SHARE_BYTES.  A unit over more rows
 * is the top of a group with those of its sub-units that are alone (no
 * more rows, no unit under them): every unit has ten times the rows at
 * 10,000 plans as at 1,000 (the same units), so there a Sở is over
 * UNIT_GROUP_ROWS and its Phòng were each a group of one, sharing
 * nothing; such a group keeps what it can under UNIT_SHARE_BYTES (a row
 * past it is rendered again, and kept once there is room:
 * tmpl_share_limit).  A unit over more rows without such sub-units
 * renders its own.  At 3,000 rows the provinces' top units at 1,000 plans
 * (3,000 to 6,000 rows) rendered their own, and the unit pages rendered
 * some 118,000 of their 177,605 rows for 72,883 different ones; at 6,000,
 * every tree is a group there, 77,000 are rendered and a group keeps at
 * most 4.7 MB (callgrind: the unit pages 834M instructions, not 929M);
 * the groups at 10,000 plans are the same (545,357 rows rendered, 3.2 MB
 * kept).  The rows of a unit's tables read show_lead, which every plan
 * of every unit page sets. */
#define UNIT_GROUP_ROWS 6000
#define UNIT_SHARE_BYTES ((size_t)8 << 20)
#define UNIT_DEPTH 64   /* as progress_unit_tasks: a cycle xref broke */

struct ushare {
	const unit_t *u;
	const unit_t *group;    /* the top of its group, or NULL */
	tmpl_share_t *sh;       /* the group's share (on the group's top: its own) */
	size_t left;            /* on the top: the group's units whose jobs have not ended */
};

static bool unit_small(const unit_t *u)
{
	return (size_t)u->roll_all.total <= UNIT_GROUP_ROWS;
}

/* A sub-unit of a unit over UNIT_GROUP_ROWS rows that would be a group
 * of its own with nothing to share: its parent's group takes it. */
static bool unit_alone(const unit_t *u)
{
	return unit_small(u) && !u->nchildren && u->parent && !unit_small(u->parent);
}

static const unit_t *group_of(const unit_t *u)
{
	if (!unit_small(u)) {
		for (size_t i = 0; i < u->nchildren; i++)
			if (unit_alone(u->children[i]))
				return u;
		return NULL;
	}
	if (unit_alone(u))
		return u->parent;
	for (int d = 0; u->parent && unit_small(u->parent) && d < UNIT_DEPTH; d++)
		u = u->parent;
	return u;
}

/* Whether x, a unit at or under g (a group's top), is of g's group: every
 * unit under a top of no more than UNIT_GROUP_ROWS rows is, only the
 * sub-units alone (unit_alone) under one over more. */
static bool in_group(const unit_t *x, const unit_t *g)
{
	return unit_small(g) || x == g || (x->parent == g && unit_alone(x));
}

/* Adds to v (n of them) u and the units above it up to g, when g is one
 * of them: the units of g's group that show a task of u's. */
static size_t chain_add(const unit_t **v, size_t n, size_t max, const unit_t *u, const unit_t *g)
{
	const unit_t *x = u;
	int d = 0;
	for (; x && x != g && d < UNIT_DEPTH; d++)
		x = x->parent;
	if (x != g)
		return n;
	for (; u && n < max; u = u->parent) {
		size_t i = 0;
		while (i < n && v[i] != u)
			i++;
		if (i == n)
			v[n++] = u;
		if (u == g)
			break;
	}
	return n;
}

/* How many pages of g's group show row's task in its role (as
 * progress_unit_tasks puts it: led in a unit's subtree, or supported there
 * and not led). */
static bool unit_ident(const void *rec, void *arg, const void **key, unsigned *variant,
		       unsigned *uses)
{
	const ctx_trow_t *row = rec;
	const unit_t *g = arg;
	const task_t *t = row->t;
	if (!row->with_plan || !row->role)
		return false;
	const unit_t *led[UNIT_DEPTH], *sup[UNIT_DEPTH];
	size_t nl = 0, ns = 0;
	for (size_t j = 0; j < t->lead.n; j++)
		nl = chain_add(led, nl, UNIT_DEPTH, t->lead.v[j].unit, g);
	unsigned n = 0;
	if (row->role == 2) {
		for (size_t j = 0; j < t->support.n; j++)
			ns = chain_add(sup, ns, UNIT_DEPTH, t->support.v[j].unit, g);
		for (size_t i = 0; i < ns; i++) {
			size_t k = 0;
			while (k < nl && led[k] != sup[i])
				k++;
			n += k == nl && in_group(sup[i], g);
		}
	} else {
		for (size_t i = 0; i < nl; i++)
			n += in_group(led[i], g);
	}
	*key = t;
	*variant = row->role;
	*uses = n;
	return true;
}

static int ushare_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct ushare *)a)->u, y = (uintptr_t)((const struct ushare *)b)->u;
	return x < y ? -1 : x > y;
}

static struct ushare *ushare_of(struct run *r, const unit_t *u)
{
	struct ushare key = { .u = u };
	return r->ushare ? bsearch(&key, r->ushare, r->nushare, sizeof key, ushare_cmp) : NULL;
}

void render_unit_shares_begin(struct run *r)
{
	const site_t *s = r->s;
	if (getenv("PLANSITE_NO_SHARE") || !s->nunits)
		return;
	static const char *const invariant[] = { "show_lead", NULL };
	pthread_mutex_init(&r->ushare_mu, NULL);
	r->nushare = s->nunits;
	r->ushare = xcalloc(s->nunits, sizeof *r->ushare);
	for (size_t i = 0; i < s->nunits; i++) {
		struct ushare *e = &r->ushare[i];
		e->u = s->units[i];
		e->group = group_of(e->u);
		/* a group of one unit shows each row once */
		if (e->group == e->u && e->u->nchildren) {
			e->sh = tmpl_share_new(ctx_task_type, unit_ident, (void *)e->u);
			tmpl_share_invariant(e->sh, invariant);
			tmpl_share_limit(e->sh, UNIT_SHARE_BYTES);
		}
	}
	qsort(r->ushare, r->nushare, sizeof *r->ushare, ushare_cmp);
	for (size_t i = 0; i < r->nushare; i++) {
		struct ushare *e = &r->ushare[i], *top = e->group ? ushare_of(r, e->group) : NULL;
		if (top && top->sh) {
			e->sh = top->sh;
			top->left++;
		}
	}
}

void render_unit_jobs(struct run *r, void (*add)(struct run *r, job_kind_t kind, const void *item))
{
	const site_t *s = r->s;
	const unit_t **g = xmalloc((s->nunits + 1) * sizeof *g);
	for (size_t i = 0; i < s->nunits; i++)
		g[i] = group_of(s->units[i]);
	/* the units over many rows first: the longest jobs; then the groups
	 * whose top is one, then the others */
	for (size_t i = 0; i < s->nunits; i++)
		if (!g[i])
			add(r, JOB_UNIT, s->units[i]);
	for (int big = 1; big >= 0; big--)
		for (size_t i = 0; i < s->nunits; i++)
			if (g[i] == s->units[i] && unit_small(g[i]) != big)
				for (size_t j = 0; j < s->nunits; j++)
					if (g[j] == g[i])
						add(r, JOB_UNIT, s->units[j]);
	free(g);
}

static void add_stats(tmpl_share_stats_t *to, const tmpl_share_t *sh)
{
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	to->rendered += st.rendered;
	to->reused += st.reused;
	to->tainted += st.tainted;
	to->kept_now += st.kept_now;
	if (st.kept_peak > to->kept_peak)
		to->kept_peak = st.kept_peak;
	if (st.bytes_peak > to->bytes_peak)
		to->bytes_peak = st.bytes_peak;
}

/* Unit u's job ended (rendered or linked): after its group's last, the
 * group's share goes. */
static void unit_done(struct run *r, const unit_t *u)
{
	struct ushare *e = ushare_of(r, u);
	if (!e || !e->sh)
		return;
	struct ushare *top = ushare_of(r, e->group);
	pthread_mutex_lock(&r->ushare_mu);
	if (!--top->left) {
		add_stats(&r->ushare_st, top->sh);
		r->ushare_groups++;
		tmpl_share_free(top->sh);
		top->sh = NULL;   /* no job of the group is left to read e->sh */
	}
	pthread_mutex_unlock(&r->ushare_mu);
}

void render_unit_kept(struct run *r, const unit_t *u)
{
	unit_done(r, u);
}

void render_unit_shares_end(struct run *r)
{
	if (!r->ushare)
		return;
	for (size_t i = 0; i < r->nushare; i++)
		if (r->ushare[i].sh && r->ushare[i].group == r->ushare[i].u) {
			add_stats(&r->ushare_st, r->ushare[i].sh);
			tmpl_share_free(r->ushare[i].sh);
		}
	if (getenv("PLANSITE_TIMING")) {
		const tmpl_share_stats_t *st = &r->ushare_st;
		fprintf(stderr, "plansite:   shared rows  units: %zu rendered, %zu reused, %zu read outside their task, "
			"at most %zu kept (%zu kB) by a group, %zu left\n", st->rendered, st->reused, st->tainted,
			st->kept_peak, st->bytes_peak >> 10, st->kept_now);
	}
	free(r->ushare);
	r->ushare = NULL;
	pthread_mutex_destroy(&r->ushare_mu);
}

/* A unit's pages: its figures and its sub-units on the first; then the
 * plans it issued, its overdue tasks (most late first) and its tasks by
 * plan, UNIT_ROWS_PER_PAGE rows a page, with the pager of every list
 * (pager.h). */
void render_job_unit(struct run *r, json_t *base, const unit_t *u)
{
	const site_t *s = r->s;
	utasks_t ut;
	progress_unit_tasks(u, &ut);
	/* rows: the plans it issued, then its overdue tasks, then every task
	 * by plan */
	size_t nrows = u->nissued;
	struct urow { task_t *t; bool overdue_part, support; } *rows =
		xcalloc(u->nissued + 2 * ut.n + 1, sizeof(*rows));   /* issued rows: no task */
	task_t **od = xmalloc((ut.n + 1) * sizeof(*od));
	size_t nod = 0;
	for (size_t i = 0; i < ut.n; i++)
		if (ut.v[i]->overdue)
			od[nod++] = ut.v[i];
	facts_sort_late((const task_t **)od, nod);
	/* whether t is only supported: it is in the second part of ut */
#define IS_SUPPORT(t) (bsearch(&(t), ut.v + ut.nled, ut.n - ut.nled, sizeof(task_t *), \
			       progress_task_cmp) != NULL)
	for (size_t i = 0; i < nod; i++)
		rows[nrows++] = (struct urow){ od[i], true, IS_SUPPORT(od[i]) };
#undef IS_SUPPORT
	/* every task in plan order: the led ones and the only supported
	 * ones are each in that order already (progress_unit_tasks), and
	 * no task is in both, so merging them is sorting them */
	for (size_t i = 0, j = ut.nled; i < ut.nled || j < ut.n;) {
		bool sup = i == ut.nled || (j < ut.n && progress_task_cmp(&ut.v[j], &ut.v[i]) < 0);
		rows[nrows++] = (struct urow){ sup ? ut.v[j++] : ut.v[i++], false, sup };
	}
	size_t pages = pager_count(nrows, UNIT_ROWS_PER_PAGE);
	const char *dir = u->url + strlen(s->base_path);
	const struct ushare *us = ushare_of(r, u);
	for (size_t pg = 0; pg < pages; pg++) {
		if (pg)
			jalloc_end(), jalloc_begin();   /* one page's data at a time */
		json_t *ctx = json_object();
		json_t *unit = ctx_unit_full(s, u);
		SET(unit, "first_page", json_boolean(pg == 0));
		/* the task rows are typed records (ctx_trow_t), in lists of
		 * objects; the plans it issued come first, as plan summaries */
		tmpl_obj_t *uo = tmpl_obj_new(unit);
		tmpl_obj_set(uo, "children", ctx_unit_children(u));
		tmpl_obj_set(uo, "totals", ctx_unit_totals_val(u));
		size_t from = pg * UNIT_ROWS_PER_PAGE;
		size_t end = from + UNIT_ROWS_PER_PAGE < nrows ? from + UNIT_ROWS_PER_PAGE : nrows;
		size_t i = from;
		for (; i < end && i < u->nissued; i++)
			;
		tmpl_obj_set(uo, "issued", ctx_plan_list(i > from ? (const plan_t *const *)u->issued + from : NULL,
							 i - from));
		SET(unit, "has_issued_rows", json_boolean(i > from));
		const task_t **tv = xmalloc((end - from + 1) * sizeof *tv);
		unsigned char *roles = xmalloc(end - from + 1);
		tmpl_obj_t **pv = xmalloc((end - from + 1) * sizeof *pv);
		size_t nov = 0, npl = 0;
		for (; i < end && rows[i].overdue_part; i++, nov++) {
			tv[nov] = rows[i].t;
			roles[nov] = rows[i].support ? 2 : 1;
		}
		tmpl_obj_set(uo, "overdue_tasks", ctx_rows(uo, tv, nov, true, roles, s));
		while (i < end) {
			const plan_t *cp = rows[i].t->plan;
			size_t n = 0;
			for (; i < end && rows[i].t->plan == cp; i++, n++) {
				tv[n] = rows[i].t;
				roles[n] = rows[i].support ? 2 : 1;
			}
			/* typed: every row looks up show_lead here */
			pv[npl] = tmpl_obj_new(NULL);
			tmpl_obj_set(pv[npl], "plan", ctx_plan_val(cp));
			tmpl_obj_set(pv[npl], "show_lead", tmpl_bool(true));
			tmpl_obj_set(pv[npl], "tasks", ctx_rows(pv[npl], tv, n, true, roles, s));
			npl++;
		}
		free(tv);
		free(roles);
		tmpl_obj_keep(uo, pv);
		tmpl_obj_set(uo, "plans", tmpl_list(TMPL_OBJ_LIST, pv, sizeof *pv, npl, true));
		SET(unit, "has_overdue_tasks", json_boolean(nov > 0));
		SET(unit, "has_plans", json_boolean(npl > 0));
		render_filter_set(r, uo, &u->roll_all);
		tmpl_obj_t *top = tmpl_obj_new(ctx);
		tmpl_obj_set_obj(top, "unit", uo);
		json_t *pj = json_object();
		buf_t d = BUF_INIT;
		buf_printf(&d, "%s: %s %d, %s %d, %s %d, %s %d", u->name, render_str(r, "unit_led", "Chủ trì"),
			   u->roll_lead.total, render_str(r, "unit_supported", "Phối hợp"), u->roll_support.total,
			   render_str(r, "overdue", "Quá hạn"), u->roll_all.overdue,
			   render_str(r, "status_done", "Hoàn thành"), u->roll_all.done);
		if (u->nissued)
			buf_printf(&d, "; %s %zu", render_str(r, "unit_issued_plans", "Kế hoạch đã ban hành"),
				   u->nissued);
		if (pg)
			buf_printf(&d, " (%s %zu)", render_str(r, "page", "Trang"), pg + 1);
		SET(pj, "description", json_string(d.ptr));
		buf_free(&d);
		SET(ctx, "page", pj);
		buf_t title = BUF_INIT;
		buf_puts(&title, u->name);
		char *rel = render_list_page(r, ctx, dir, pg, pages, &title);
		tmpl_share_use(us ? us->sh : NULL);
		render_emit_obj(r, base, ROUTE_KIND_UNIT, top, rel, title.ptr);
		tmpl_share_use(NULL);
		free(rel);
		buf_free(&title);
	}
	unit_done(r, u);
	free(rows);
	free(od);
	utasks_free(&ut);
}

void render_job_docs(struct run *r, json_t *base)
{
	json_t *ctx = json_object();
	SET(ctx, "cascade", ctx_cascade(r->s));
	char *rel = routes_file(&r->s->routes, ROUTE_DOCUMENTS, "index.html");
	render_emit(r, base, ROUTE_KIND_DOCUMENTS, ctx, rel, render_str(r, "documents_title", "Văn bản"));
	free(rel);
}

#define DOC_PLANS_PER_PAGE (routes_kind(ROUTE_KIND_DOCUMENT)->per_page)

/* A document's pages: its figures, chart and tree on the first, and the
 * plans implementing it DOC_PLANS_PER_PAGE a page, with the pager. */
void render_job_doc(struct run *r, json_t *base, const doc_t *dc)
{
	const site_t *s = r->s;
	json_t *doc = ctx_doc_full(s, dc);
	/* the chart's memory, for all the document's pages */
	tmpl_obj_t *kept = tmpl_obj_new(NULL);
	tmpl_val_t chart = changes_doc_chart(kept, r->hist, dc);
	/* the plans as typed summaries: as jansson objects they were built
	 * once a build for every plan and held to its end (36 MB at 10,000
	 * plans) */
	size_t n;
	const plan_t **all = ctx_doc_plans(s, dc, &n);
	size_t pages = pager_count(n, DOC_PLANS_PER_PAGE);
	const char *dir = dc->url + strlen(s->base_path);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s%s", dc->type ? dc->type : "", dc->type ? " " : "", dc->number);
	/* one document's data for all its pages: only the plans change */
	for (size_t pg = 0; pg < pages; pg++) {
		json_t *ctx = json_object();
		size_t from = pg * DOC_PLANS_PER_PAGE < n ? pg * DOC_PLANS_PER_PAGE : n;
		size_t to = from + DOC_PLANS_PER_PAGE < n ? from + DOC_PLANS_PER_PAGE : n;
		SET(doc, "plan_count", json_integer((json_int_t)n));
		SET(doc, "first_page", json_boolean(pg == 0));
		tmpl_obj_t *top = tmpl_obj_new(ctx);
		tmpl_obj_t *dobj = tmpl_obj_new(json_incref(doc));
		tmpl_obj_set(dobj, "plans", ctx_plan_list(all + from, to - from));
		tmpl_obj_set(dobj, "chart", chart);
		tmpl_obj_set_obj(top, "document", dobj);
		buf_t t = BUF_INIT;
		buf_puts(&t, b.ptr);
		char *rel = render_list_page(r, ctx, dir, pg, pages, &t);
		if (dc->title) {
			json_t *pgj = json_object();
			buf_t d = BUF_INIT;
			buf_printf(&d, "%s: %s", b.ptr, dc->title);
			if (pg)
				buf_printf(&d, " (%s %zu)", render_str(r, "page", "Trang"), pg + 1);
			SET(pgj, "description", json_string(d.ptr));
			buf_free(&d);
			SET(ctx, "page", pgj);
		}
		render_emit_obj(r, base, ROUTE_KIND_DOCUMENT, top, rel, t.ptr);
		free(rel);
		buf_free(&t);
	}
	buf_free(&b);
	free(all);
	json_decref(doc);
	tmpl_obj_free(kept);
}

void render_job_page(struct run *r, json_t *base, const page_t *pg)
{
	json_t *ctx = json_object();
	json_t *p = json_object();
	SET(p, "title", json_string(pg->title));
	SET(p, "url", json_string(pg->url));
	char *html = md_render(pg->body_md, strlen(pg->body_md), r->s, NULL);
	SET(p, "body_html", json_string(html));
	free(html);
	if (pg->params)
		SET(p, "params", ctx_params(pg->params));
	SET(ctx, "page", p);
	char *rel = render_rel_of(r->s, pg->url);
	render_emit(r, base, ROUTE_KIND_PAGE, ctx, rel, pg->title);
	free(rel);
}

/* A page of its own: the search page, the open data page (in their
 * sections' folders) or 404.html; key: the string of its title. */
void render_job_simple(struct run *r, json_t *base, route_kind_t k, const char *key)
{
	json_t *ctx = json_object();
	if (k == ROUTE_KIND_DATA) {
		SET(ctx, "files", data_describe(r->s));
		if (r->s->nsources) {
			SET(ctx, "has_sources", json_true());
			SET(ctx, "sources", data_sources(r->s, true));
		}
	}
	route_section_t sec = routes_kind(k)->section;
	char *rel = sec == ROUTE_NONE ? xstrdup("404.html") : routes_file(&r->s->routes, sec, "index.html");
	render_emit(r, base, k, ctx, rel, render_str(r, key, routes_kind(k)->name));
	free(rel);
}

/* The lead units the weekly reports of this thread name, by plan and text
 * as written (facts_unames_t), kept from report to report: a task's lead
 * is named again by the next week's report (due next week, then overdue;
 * added, then done), and the answer scans its plan's tasks. */
static _Thread_local facts_unames_t *week_names;

void render_weeks_thread_done(void)
{
	facts_unames_free(week_names);
	week_names = NULL;
}

/* History outputs: the changes pages, the Atom feed, weekly reports. */
void render_job_history(struct run *r, json_t *base, const job_t *j)
{
	const site_t *s = r->s;
	size_t index = (size_t)(uintptr_t)j->item;
	char *rel = NULL;
	if (j->kind == JOB_CHANGES) {
		rel = changes_page_rel(s, index);
		buf_t tb = BUF_INIT;
		buf_puts(&tb, render_str(r, "changes_title", "Thay đổi"));
		if (index)
			buf_printf(&tb, " – %s %zu", render_str(r, "page", "Trang"), index + 1);
		render_emit_obj(r, base, ROUTE_KIND_CHANGES, changes_page(s, r->hist, index), rel, tb.ptr);
		buf_free(&tb);
	} else if (j->kind == JOB_WEEKS) {
		rel = routes_file(&s->routes, ROUTE_WEEKS, "index.html");
		render_emit(r, base, ROUTE_KIND_WEEKS, changes_weeks(s, r->hist), rel, render_str(r, "weeks_title", "Báo cáo tuần"));
	} else if (j->kind == JOB_WEEK) {
		/* a long report (a week when thousands of deadlines fell) is
		 * cut into pages, each with the pager of the report */
		const hweek_t *wk = r->hist->weeks[index];
		if (!week_names)
			week_names = facts_unames_new(s);
		changes_wlayout_t *l = changes_week_layout_with(s, r->hist, index, week_names);
		for (size_t pg = 0; pg < changes_week_pages(l); pg++) {
			if (pg)
				jalloc_end(), jalloc_begin();   /* one page's data at a time */
			char *prel = changes_week_rel(s, r->hist, index, pg);
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s %d/%d", render_str(r, "week", "Tuần"), wk->week, wk->year);
			if (pg)
				buf_printf(&b, " – %s %zu", render_str(r, "page", "Trang"), pg + 1);
			render_emit_obj(r, base, ROUTE_KIND_WEEK, changes_week(l, pg), prel, b.ptr);
			buf_free(&b);
			free(prel);
		}
		changes_week_layout_free(l);
	} else {
		size_t len;
		char *xml = changes_atom(s, r->hist, r->th, &len), *err = NULL;
		rel = routes_file(&s->routes, ROUTE_CHANGES, "atom.xml");
		if (out_write(r->o, rel, xml, len, &err) < 0) {
			loc_t loc = { 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			atomic_store(&r->failed, 1);
		}
		free(xml);
	}
	free(rel);
}
