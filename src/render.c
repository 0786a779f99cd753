/* render.c: page jobs (one per output file), run on a small thread pool.
 * Jobs are independent: each builds its own template data and writes its
 * own file, so output does not depend on scheduling. */
#include "render.h"

#include <assert.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "collate.h"
#include "changes.h"
#include "ctx.h"
#include "data.h"
#include "facts.h"
#include "jalloc.h"
#include "jsonh.h"
#include "markdown.h"
#include "pager.h"
#include "pool.h"
#include "progress.h"
#include "search.h"

typedef enum {
	JOB_CHANGES, JOB_ATOM, JOB_WEEKS, JOB_WEEK,   /* history outputs (changes.c) */
	JOB_HOME, JOB_PLANS, JOB_PLAN, JOB_UNITS, JOB_UNIT, JOB_DOCS, JOB_DOC,
	JOB_DEADLINES, JOB_PAGE, JOB_SEARCH, JOB_DATA, JOB_404, JOB_OPEN_DATA,
	JOB_SEARCH_INDEX, JOB_STATUS, JOB_KINDS
} job_kind_t;

static const char *const job_names[JOB_KINDS] = {
	"changes", "atom", "weeks", "week", "home", "plans", "plan", "units", "unit", "docs",
	"doc", "deadlines", "page", "search", "data", "404", "open data", "search index",
	"status view",
};

/* The templates emit() is called with. */
static const char *const page_templates[] = {
	"home", "plans", "plan", "units", "unit", "documents", "document", "deadlines", "page",
	"search", "data", "404", "changes", "weeks", "week",
};

const char *render_missing_template(const tmpl_set_t *set)
{
	for (size_t i = 0; i < sizeof page_templates / sizeof page_templates[0]; i++)
		if (!tmpl_set_has(set, page_templates[i]))
			return page_templates[i];
	return NULL;
}

typedef struct {
	job_kind_t kind;
	const void *item;   /* history pages: the page or week number, as uintptr_t */
} job_t;

#define DEADLINES_PER_PAGE 400

struct run {
	const site_t *s;
	const theme_t *th;
	out_t *o;
	diag_t *d;
	const render_opts_t *ro;
	job_t *jobs;
	size_t njobs;
	atomic_size_t next;
	atomic_int failed;
	json_t *base;   /* site, t, root: shared read-only; copied per thread */
	ctx_cache_t *cache;   /* shared plan summaries and unit references */
	const history_t *hist;   /* the second batch's history, or NULL (render_finish) */
	facts_row_t *dl_rows;   /* the deadlines pages' rows, one job per page */
	size_t dl_nrows, dl_pages;
	_Atomic long long busy_ns[JOB_KINDS];   /* PLANSITE_TIMING: time per job kind */
};

static json_t *nav(const site_t *s, const json_t *t, const char *current)
{
	static const char *const items[][2] = {
		{ "", "nav_home" }, { "ke-hoach/", "nav_plans" }, { "van-ban/", "nav_documents" },
		{ "don-vi/", "nav_units" }, { "thoi-han/", "nav_deadlines" },
		{ "thay-doi/", "nav_changes" }, { "bao-cao-tuan/", "nav_weeks" },
		{ "tim-kiem/", "nav_search" }, { "du-lieu/", "nav_data" },
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		json_t *o = json_object();
		buf_t b = BUF_INIT;
		buf_printf(&b, "%s%s", s->base_path, items[i][0]);
		SET(o, "url", json_string(b.ptr));
		buf_free(&b);
		const char *label = json_string_value(json_object_get(t, items[i][1]));
		SET(o, "label", json_string(label ? label : items[i][1]));
		SET(o, "current", json_boolean(current && !strcmp(current, items[i][0])));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *site_json(const site_t *s)
{
	json_t *o = json_object();
	SET(o, "title", json_string(s->title));
	SET(o, "description", s->description ? json_string(s->description) : json_null());
	SET(o, "language", json_string(s->language));
	SET(o, "base_url", s->base_url ? json_string(s->base_url) : json_null());
	SET(o, "base_path", json_string(s->base_path));
	SET(o, "repo_url", s->repo_url ? json_string(s->repo_url) : json_null());
	SET(o, "owner", s->owner ? json_string(s->owner) : json_null());
	/* the legal details of a state portal, for its footer */
	const char *const legal[][2] = {
		{ "agency", s->agency }, { "editor", s->editor }, { "address", s->address },
		{ "phone", s->phone }, { "email", s->email }, { "license", s->license },
		{ "data_license", s->data_license }, { "data_license_url", s->data_license_url },
	};
	bool any = false;
	for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++) {
		SET(o, legal[i][0], legal[i][1] ? json_string(legal[i][1]) : json_null());
		any |= i < 6 && legal[i][1];
	}
	SET(o, "has_legal", json_boolean(any));
	if (s->phone) {
		/* tel: takes digits and a leading + only */
		buf_t t = BUF_INIT;
		for (const char *p = s->phone; *p; p++)
			if ((*p >= '0' && *p <= '9') || (*p == '+' && !t.len))
				buf_putc(&t, *p);
		SET(o, "phone_tel", json_string(t.ptr ? t.ptr : ""));
		buf_free(&t);
	}
	SET(o, "as_of", ctx_date_iso(s->as_of));
	SET(o, "as_of_vi", ctx_date_vi(s->as_of));
	SET(o, "commit", s->commit[0] ? json_string(s->commit) : json_null());
	if (s->commit[0]) {
		char sh[8];
		memcpy(sh, s->commit, 7);
		sh[7] = '\0';
		SET(o, "commit_short", json_string(sh));
	}
	json_t *pages = json_array();
	for (size_t i = 0; i < s->npages; i++) {
		json_t *p = json_object();
		SET(p, "title", json_string(s->pages[i].title));
		SET(p, "url", json_string(s->pages[i].url));
		json_array_append_new(pages, p);
	}
	SET(o, "pages", pages);
	/* history: filled in when the history has been read (render_finish) */
	if (s->params)
		SET(o, "params", ctx_params(s->params));
	return o;
}

/* What tells one page from another when its link is shared: its address
 * (canonical, absolute from base_url) and a description of its own.  rel
 * "a/b/index.html" is the page /a/b/; "404.html" has no address. */
static void page_identity(struct run *r, json_t *page, const char *rel, const char *title)
{
	const site_t *s = r->s;
	size_t n = strlen(rel);
	if (n >= 10 && !strcmp(rel + n - 10, "index.html") && (n == 10 || rel[n - 11] == '/')) {
		buf_t u = BUF_INIT;
		buf_printf(&u, "%s%.*s", s->base_path, (int)(n - 10), rel);
		if (!json_object_get(page, "url"))
			SET(page, "url", json_string(u.ptr));
		if (s->base_url)
			SET(page, "canonical", data_absolute(s, u.ptr));
		buf_free(&u);
	}
	if (!json_string_value(json_object_get(page, "description"))) {
		/* the home says what the portal is; any other page its own name
		 * first, so no two pages share a description */
		buf_t d = BUF_INIT;
		if (!strcmp(rel, "index.html") && s->description)
			buf_puts(&d, s->description);
		else
			buf_printf(&d, "%s – %s", title && *title ? title : s->title, s->title);
		SET(page, "description", json_string(d.ptr));
		buf_free(&d);
	}
}

/* Each render thread builds its pages in one buffer, kept between pages:
 * no page pays for growing a buffer from nothing again.  One that a huge
 * page (a weekly report of several MB) grew past this goes with the page. */
static _Thread_local buf_t page_buf;
#define PAGE_BUF_KEEP ((size_t)1 << 20)

/* Every page may run only the portal's own script files: no inline script,
 * event handler, inline style, plugin or foreign <base>, whatever a theme
 * or a content/templates override writes.  Images may come from https
 * addresses (a plan's body may show one). */
#define CSP_META "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; " \
	"script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; " \
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">"

/* Puts CSP_META first in the page's <head> (after the doctype when a
 * template has no <head>; browsers ignore it anywhere else). */
static void add_csp(buf_t *out)
{
	const char *html = out->ptr ? out->ptr : "";
	size_t at = 0;
	const char *h = html;
	while ((h = strstr(h, "<head")) && h[5] != '>' && h[5] != ' ' && h[5] != '\t' && h[5] != '\n')
		h += 5;
	if (h) {
		const char *gt = strchr(h, '>');
		at = gt ? (size_t)(gt + 1 - html) : 0;
	} else if (!strncasecmp(html, "<!doctype", 9)) {
		const char *gt = strchr(html, '>');
		at = gt ? (size_t)(gt + 1 - html) : 0;
	}
	buf_t b = BUF_INIT;
	buf_put(&b, html, at);
	buf_puts(&b, CSP_META);
	buf_put(&b, html + at, out->len - at);
	out->len = 0;
	buf_put(out, b.ptr, b.len);
	buf_free(&b);
}

/* Renders template `name` with ctx (consumed) to file rel. */
static void emit(struct run *r, json_t *base, const char *name, json_t *ctx,
		 const char *rel, const char *title, const char *kind, const char *navkey)
{
	json_t *site = json_deep_copy(json_object_get(base, "site"));
	SET(site, "nav", nav(r->s, json_object_get(base, "t"), navkey));
	SET(ctx, "site", site);
	SET(ctx, "t", json_incref(json_object_get(base, "t")));
	SET(ctx, "root", json_string(r->s->base_path));
	json_t *page = json_object_get(ctx, "page");
	if (!page) {
		page = json_object();
		SET(ctx, "page", page);
	}
	SET(page, "title", json_string(title ? title : ""));
	SET(page, "kind", json_string(kind));
	page_identity(r, page, rel, title);
	buf_t out = page_buf;
	out.len = 0;
	if (out.ptr)
		out.ptr[0] = '\0';
	int trc = tmpl_render(r->th->tmpl, name, ctx, &out);
	if (trc < 0) {
		loc_t loc = { 0 };
		if (trc == TMPL_TOO_DEEP)
			diag_error_fix(r->d, &loc, "E095",
				       _("sửa mẫu để mẫu con không gọi lại chính nó trong một mục {{#...}} không bao giờ dừng"),
				       _("trang %s: mẫu \"%s\" lồng nhau quá %d tầng"), rel, name, TMPL_MAX_DEPTH);
		else
			diag_error_fix(r->d, &loc, "E092", _("dùng giao diện mặc định (bỏ --theme) hoặc thêm mẫu này vào giao diện"),
				       _("giao diện thiếu mẫu \"%s\""), name);
		atomic_store(&r->failed, 1);
	} else {
		add_csp(&out);
		if (r->ro->inject) {
			char *body = out.ptr ? strstr(out.ptr, "</body>") : NULL;
			if (body) {
				buf_t b2 = BUF_INIT;
				buf_put(&b2, out.ptr, (size_t)(body - out.ptr));
				buf_puts(&b2, r->ro->inject);
				buf_puts(&b2, body);
				out.len = 0;
				buf_put(&out, b2.ptr, b2.len);
				buf_free(&b2);
			}
		}
		char *err = NULL;
		if (out_write(r->o, rel, out.ptr ? out.ptr : "", out.len, &err) < 0) {
			loc_t loc = { 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			atomic_store(&r->failed, 1);
		}
	}
	if (out.cap > PAGE_BUF_KEEP)
		buf_free(&out);
	page_buf = out;
	json_decref(ctx);
}

static const char *t_str(struct run *r, const char *key, const char *dflt)
{
	const char *v = json_string_value(json_object_get(r->th->strings, key));
	return v ? v : dflt;
}

static char *rel_of(const site_t *s, const char *url)
{
	/* url = base_path + rel/ ; the file is rel/index.html */
	const char *rel = url + strlen(s->base_path);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%sindex.html", rel);
	return buf_detach(&b);
}

/* Status chips over a list: one per status the list has, then "all".  Each
 * links to an anchor (id) that the style sheet turns into a filter with
 * :target, so the chips narrow the list without JavaScript; filter.js
 * makes them toggle in place.  view: the pre-rendered page of that status
 * (status_views), or NULL. */
static const struct {
	const char *key, *anchor, *label_key, *label, *view;
} status_kinds[] = {
	{ "overdue", "loc-qua-han", "overdue", "Quá hạn", "qua-han" },
	{ "not_started", "loc-chua-thuc-hien", "status_not_started", "Chưa thực hiện", "chua-thuc-hien" },
	{ "in_progress", "loc-dang-thuc-hien", "status_in_progress", "Đang thực hiện", "dang-thuc-hien" },
	{ "done", "loc-hoan-thanh", "status_done", "Hoàn thành", "hoan-thanh" },
	{ "done_late", "loc-hoan-thanh-muon", "done_late", "Hoàn thành muộn", "hoan-thanh-muon" },
	{ "cancelled", "loc-dung-thuc-hien", "status_cancelled", "Dừng thực hiện", "dung-thuc-hien" },
};
#define NSTATUS_KINDS (sizeof status_kinds / sizeof status_kinds[0])

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

static json_t *status_filter(struct run *r, const stats_t *st, bool views)
{
	json_t *o = json_object(), *a = json_array();
	for (size_t k = 0; k < NSTATUS_KINDS; k++) {
		int n = stats_count(st, k);
		if (!n)
			continue;
		json_t *c = json_object();
		SET(c, "key", json_string(status_kinds[k].key));
		SET(c, "anchor", json_string(status_kinds[k].anchor));
		SET(c, "label", json_string(t_str(r, status_kinds[k].label_key, status_kinds[k].label)));
		SET(c, "count", json_integer(n));
		if (views) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%sthoi-han/%s/", r->s->base_path, status_kinds[k].view);
			SET(c, "view", json_string(b.ptr));
			buf_free(&b);
		}
		json_array_append_new(a, c);
	}
	SET(o, "chips", a);
	SET(o, "total", json_integer(st->total));
	return o;
}

static char *view_url(const site_t *s, size_t k);

/* Links to the pre-rendered list of each status; k the current one
 * (NSTATUS_KINDS: all tasks; more: none). */
static json_t *views_nav(struct run *r, const stats_t *tot, size_t k)
{
	json_t *f = status_filter(r, tot, true);
	json_t *chips = json_object_get(f, "chips");
	for (size_t i = 0; i < json_array_size(chips); i++) {
		json_t *c = json_array_get(chips, i);
		json_object_set_new(c, "current", json_boolean(k < NSTATUS_KINDS &&
			!strcmp(json_string_value(json_object_get(c, "key")), status_kinds[k].key)));
	}
	char *au = view_url(r->s, NSTATUS_KINDS);
	SET(f, "all_url", json_string(au));
	free(au);
	SET(f, "all_current", json_boolean(k == NSTATUS_KINDS));
	return f;
}

/* The page of each status (/thoi-han/qua-han/ ...) and of every task
 * (/thoi-han/tat-ca/), so that every count links to the list it counts. */
static char *view_url(const site_t *s, size_t k)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%sthoi-han/%s/", s->base_path, k < NSTATUS_KINDS ? status_kinds[k].view : "tat-ca");
	return buf_detach(&b);
}

static json_t *stats_links(const site_t *s)
{
	json_t *o = json_object();
	for (size_t k = 0; k <= NSTATUS_KINDS; k++) {
		char *u = view_url(s, k);
		SET(o, k < NSTATUS_KINDS ? status_kinds[k].key : "total", json_string(u));
		free(u);
	}
	return o;
}

static json_t *plans_list(const site_t *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->nplans; i++)
		json_array_append_new(a, ctx_plan_summary(s->plans[i]));
	return a;
}

#define HOME_PLANS 20
#define HOME_UPCOMING 30
#define HOME_OVERDUE 20
#define HOME_LATE_UNITS 10

static void job_home(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	json_t *ctx = json_object();
	facts_home_t f;
	facts_home(s, &f);
	SET(ctx, "totals", ctx_stats(&f.totals));
	/* every count links to the list it counts */
	SET(ctx, "links", stats_links(s));
	char *ov = view_url(s, 0);
	SET(ctx, "overdue_url", json_string(ov));
	free(ov);
	json_t *oa = json_array();
	for (size_t i = 0; i < f.noverdue && i < HOME_OVERDUE; i++)
		json_array_append_new(oa, ctx_task(s, f.overdue[i], 1));
	SET(ctx, "overdue_tasks", oa);
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
	json_t *ua = json_array();
	for (size_t i = 0; i < f.nupcoming && i < HOME_UPCOMING; i++)
		json_array_append_new(ua, ctx_task(s, f.upcoming[i], 1));
	SET(ctx, "upcoming_more", json_boolean(f.nupcoming > HOME_UPCOMING));
	SET(ctx, "upcoming", ua);
	SET(ctx, "recent_changes", changes_recent(s, r->hist, 10));
	/* the newest plans; all of them are on /ke-hoach/ */
	json_t *pl = json_array();
	for (size_t i = 0; i < f.nnewest && i < HOME_PLANS; i++)
		json_array_append_new(pl, ctx_plan_summary(f.newest[i]));
	SET(ctx, "plans", pl);
	SET(ctx, "plans_more", json_boolean(s->nplans > HOME_PLANS));
	facts_home_free(&f);
	emit(r, base, "home", ctx, "index.html", t_str(r, "home_title", s->title), "home", "");
}

static const char *plan_issuer_name(const void *p)
{
	const plan_t *pl = *(plan_t *const *)p;
	return pl->has_issuer ? pl->issuer.unit->name : "";
}

static void job_plans(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	json_t *ctx = json_object();
	/* grouped by issuing agency, agencies in Vietnamese order, plans newest
	 * first within each */
	const plan_t **v = facts_plans_newest(s);
	coll_sort(v, s->nplans, sizeof(*v), plan_issuer_name);
	json_t *groups = json_array();
	json_t *cur = NULL;
	const unit_t *cu = (const unit_t *)-1;
	for (size_t i = 0; i < s->nplans; i++) {
		const unit_t *u = v[i]->has_issuer ? v[i]->issuer.unit : NULL;
		if (u != cu) {
			cu = u;
			json_t *g = json_object();
			if (u)
				SET(g, "issuer", ctx_unit_ref(u, NULL));
			cur = json_array();
			SET(g, "plans", cur);
			json_array_append_new(groups, g);
		}
		json_array_append_new(cur, ctx_plan_summary(v[i]));
	}
	free(v);
	SET(ctx, "issuers", groups);
	SET(ctx, "plans", plans_list(s));
	emit(r, base, "plans", ctx, "ke-hoach/index.html", t_str(r, "plans_title", "Kế hoạch"), "plans",
	     "ke-hoach/");
}

static void job_plan(struct run *r, json_t *base, const plan_t *p)
{
	json_t *ctx = json_object();
	json_t *pl = ctx_plan_full(r->s, p);
	changes_plan_add(pl, r->s, r->hist, p);
	SET(pl, "filter", status_filter(r, &p->stats, false));
	SET(ctx, "plan", pl);
	/* the plan's counts link to its list narrowed to what they count */
	json_t *links = json_object();
	SET(links, "total", json_string("#loc-tat-ca"));
	for (size_t k = 0; k < NSTATUS_KINDS; k++)
		if (stats_count(&p->stats, k)) {
			buf_t a = BUF_INIT;
			buf_printf(&a, "#%s", status_kinds[k].anchor);
			SET(links, status_kinds[k].key, json_string(a.ptr));
			buf_free(&a);
		}
	SET(ctx, "links", links);
	char *rel = rel_of(r->s, p->url);
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
		   p->stats.total, t_str(r, "tasks_lc", "nhiệm vụ"), t_str(r, "status_done", "Hoàn thành"),
		   p->stats.percent_done, t_str(r, "overdue", "Quá hạn"), p->stats.overdue,
		   t_str(r, "as_of", "Số liệu tính đến ngày"), as_of);
	SET(pg, "description", json_string(d.ptr));
	buf_free(&d);
	SET(ctx, "page", pg);
	emit(r, base, "plan", ctx, rel, title, "plan", "ke-hoach/");
	free(title);
	free(rel);
}

static void job_units(struct run *r, json_t *base)
{
	const site_t *s = r->s;
	json_t *ctx = json_object();
	json_t *tree = json_array();
	for (size_t i = 0; i < s->nunits; i++)
		if (!s->units[i]->parent)
			json_array_append_new(tree, ctx_unit_tree(s->units[i], 0));
	SET(ctx, "tree", tree);
	emit(r, base, "units", ctx, "don-vi/index.html", t_str(r, "units_title", "Đơn vị"), "units",
	     "don-vi/");
}

#define UNIT_ROWS_PER_PAGE DEADLINES_PER_PAGE

/* A unit's pages: its figures, the plans it issued and its sub-units on the
 * first; then its overdue tasks (most late first) and its tasks by plan,
 * UNIT_ROWS_PER_PAGE rows a page, with the pager of every list (pager.h). */
static void job_unit(struct run *r, json_t *base, const unit_t *u)
{
	const site_t *s = r->s;
	utasks_t ut;
	progress_unit_tasks(u, &ut);
	/* rows: overdue first, then every task by plan */
	size_t nrows = 0;
	struct urow { task_t *t; bool overdue_part, support; } *rows =
		xmalloc((2 * ut.n + 1) * sizeof(*rows));
	task_t **od = xmalloc((ut.n + 1) * sizeof(*od)), **all = xmalloc((ut.n + 1) * sizeof(*all));
	size_t nod = 0;
	for (size_t i = 0; i < ut.n; i++) {
		all[i] = ut.v[i];
		if (ut.v[i]->overdue)
			od[nod++] = ut.v[i];
	}
	qsort(od, nod, sizeof(*od), facts_late_cmp);
	qsort(all, ut.n, sizeof(*all), progress_task_cmp);
	/* whether t is only supported: it is in the second part of ut */
#define IS_SUPPORT(t) (bsearch(&(t), ut.v + ut.nled, ut.n - ut.nled, sizeof(task_t *), \
			       progress_task_cmp) != NULL)
	for (size_t i = 0; i < nod; i++)
		rows[nrows++] = (struct urow){ od[i], true, IS_SUPPORT(od[i]) };
	for (size_t i = 0; i < ut.n; i++)
		rows[nrows++] = (struct urow){ all[i], false, IS_SUPPORT(all[i]) };
#undef IS_SUPPORT
	size_t pages = pager_count(nrows, UNIT_ROWS_PER_PAGE);
	const char *dir = u->url + strlen(s->base_path);
	for (size_t pg = 0; pg < pages; pg++) {
		if (pg)
			jalloc_end(), jalloc_begin();   /* one page's data at a time */
		json_t *ctx = json_object();
		json_t *unit = ctx_unit_full(s, u);
		SET(unit, "first_page", json_boolean(pg == 0));
		json_t *ova = json_array(), *plans = json_array(), *cur = NULL;
		const plan_t *cp = NULL;
		size_t end = (pg + 1) * UNIT_ROWS_PER_PAGE < nrows ? (pg + 1) * UNIT_ROWS_PER_PAGE : nrows;
		for (size_t i = pg * UNIT_ROWS_PER_PAGE; i < end; i++) {
			json_t *tj = ctx_task(s, rows[i].t, 1);
			SET(tj, "role_support", json_boolean(rows[i].support));
			if (rows[i].overdue_part) {
				json_array_append_new(ova, tj);
				continue;
			}
			if (rows[i].t->plan != cp) {
				cp = rows[i].t->plan;
				json_t *e = json_object();
				SET(e, "plan", ctx_plan_summary(cp));
				SET(e, "show_lead", json_true());
				cur = json_array();
				SET(e, "tasks", cur);
				json_array_append_new(plans, e);
			}
			json_array_append_new(cur, tj);
		}
		SET(unit, "has_overdue_tasks", json_boolean(json_array_size(ova) > 0));
		SET(unit, "overdue_tasks", ova);
		SET(unit, "has_plans", json_boolean(json_array_size(plans) > 0));
		SET(unit, "plans", plans);
		SET(unit, "filter", status_filter(r, &u->roll_all, false));
		SET(ctx, "unit", unit);
		json_t *pj_pager = pager_ctx(s->base_path, dir, pg, pages);
		if (pj_pager)
			SET(ctx, "pager", pj_pager);
		json_t *pj = json_object();
		buf_t d = BUF_INIT;
		buf_printf(&d, "%s: %s %d, %s %d, %s %d, %s %d", u->name, t_str(r, "unit_led", "Chủ trì"),
			   u->roll_lead.total, t_str(r, "unit_supported", "Phối hợp"), u->roll_support.total,
			   t_str(r, "overdue", "Quá hạn"), u->roll_all.overdue,
			   t_str(r, "status_done", "Hoàn thành"), u->roll_all.done);
		if (u->nissued)
			buf_printf(&d, "; %s %zu", t_str(r, "unit_issued_plans", "Kế hoạch đã ban hành"),
				   u->nissued);
		if (pg)
			buf_printf(&d, " (%s %zu)", t_str(r, "page", "Trang"), pg + 1);
		SET(pj, "description", json_string(d.ptr));
		buf_free(&d);
		SET(ctx, "page", pj);
		char *rel = pager_rel(dir, pg);
		buf_t title = BUF_INIT;
		if (pg)
			buf_printf(&title, "%s – %s %zu", u->name, t_str(r, "page", "Trang"), pg + 1);
		else
			buf_puts(&title, u->name);
		emit(r, base, "unit", ctx, rel, title.ptr, "unit", "don-vi/");
		free(rel);
		buf_free(&title);
	}
	free(rows);
	free(od);
	free(all);
	utasks_free(&ut);
}

/* The pre-rendered list of one status (k < NSTATUS_KINDS) or of every
 * task, paginated like the deadlines pages. */
static void job_status_view(struct run *r, json_t *base, size_t k)
{
	const site_t *s = r->s;
	size_t n;
	const task_t **tasks = facts_all_tasks(s, &n);
	const task_t **v = xmalloc((n + 1) * sizeof(*v));
	size_t nv = 0;
	stats_t tot = { 0 };
	for (size_t i = 0; i < n; i++) {
		stats_add(&tot, tasks[i]);
		if (k >= NSTATUS_KINDS || task_is(tasks[i], k))
			v[nv++] = tasks[i];
	}
	stats_finish(&tot);
	if (k == 0)
		qsort(v, nv, sizeof(*v), facts_late_cmp);
	const char *label = k < NSTATUS_KINDS ? t_str(r, status_kinds[k].label_key, status_kinds[k].label)
					      : t_str(r, "all_tasks", "Tất cả nhiệm vụ");
	char *url = view_url(s, k);
	const char *dir = url + strlen(s->base_path);
	size_t pages = pager_count(nv, DEADLINES_PER_PAGE);
	for (size_t pg = 0; pg < pages; pg++) {
		if (pg)
			jalloc_end(), jalloc_begin();
		json_t *ctx = json_object();
		json_t *a = json_array();
		size_t end = (pg + 1) * DEADLINES_PER_PAGE < nv ? (pg + 1) * DEADLINES_PER_PAGE : nv;
		for (size_t i = pg * DEADLINES_PER_PAGE; i < end; i++)
			json_array_append_new(a, ctx_task(s, v[i], 1));
		SET(ctx, "tasks", a);
		SET(ctx, "count", json_integer((json_int_t)nv));
		SET(ctx, "label", json_string(label));
		SET(ctx, "status", json_string(k < NSTATUS_KINDS ? status_kinds[k].key : "all"));
		SET(ctx, "is_overdue", json_boolean(k == 0));
		json_t *f = views_nav(r, &tot, k);
		SET(ctx, "views", f);
		json_t *pj_pager = pager_ctx(s->base_path, dir, pg, pages);
		if (pj_pager)
			SET(ctx, "pager", pj_pager);
		char *rel = pager_rel(dir, pg);
		buf_t title = BUF_INIT;
		buf_printf(&title, "%s: %s", t_str(r, "tasks", "Nhiệm vụ"), label);
		if (pg)
			buf_printf(&title, " – %s %zu", t_str(r, "page", "Trang"), pg + 1);
		emit(r, base, "status_tasks", ctx, rel, title.ptr, "status", "thoi-han/");
		free(rel);
		buf_free(&title);
	}
	free(url);
	free(v);
	free(tasks);
}

static void job_docs(struct run *r, json_t *base)
{
	json_t *ctx = json_object();
	SET(ctx, "cascade", ctx_cascade(r->s));
	emit(r, base, "documents", ctx, "van-ban/index.html", t_str(r, "documents_title", "Văn bản"),
	     "documents", "van-ban/");
}

static void job_doc(struct run *r, json_t *base, const doc_t *dc)
{
	json_t *ctx = json_object();
	json_t *doc = ctx_doc_full(r->s, dc);
	changes_doc_add(doc, r->s, r->hist, dc);
	SET(ctx, "document", doc);
	char *rel = rel_of(r->s, dc->url);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s%s", dc->type ? dc->type : "", dc->type ? " " : "", dc->number);
	if (dc->title) {
		json_t *pg = json_object();
		buf_t d = BUF_INIT;
		buf_printf(&d, "%s: %s", b.ptr, dc->title);
		SET(pg, "description", json_string(d.ptr));
		buf_free(&d);
		SET(ctx, "page", pg);
	}
	emit(r, base, "document", ctx, rel, b.ptr, "document", "van-ban/");
	buf_free(&b);
	free(rel);
}


/* The rows of all deadlines pages, in order (see facts_row_t). */
static void deadline_rows(struct run *r)
{
	r->dl_nrows = facts_deadline_rows(r->s, &r->dl_rows);
	/* a portal of a thousand plans has tens of thousands of open tasks:
	 * pages of DEADLINES_PER_PAGE rows keep each page readable */
	r->dl_pages = pager_count(r->dl_nrows, DEADLINES_PER_PAGE);
}

/* Deadlines page pg (0-based). */
static void job_deadlines(struct run *r, json_t *base, size_t pg)
{
	const site_t *s = r->s;
	const facts_row_t *rows = r->dl_rows;
	size_t nrows = r->dl_nrows, pages = r->dl_pages;
	json_t *overdue = json_array(), *months = json_array(), *ongoing = json_array();
	json_t *cur = NULL;
	int curm = 0;
	size_t end = (pg + 1) * DEADLINES_PER_PAGE < nrows ? (pg + 1) * DEADLINES_PER_PAGE : nrows;
	for (size_t i = pg * DEADLINES_PER_PAGE; i < end; i++) {
		const task_t *t = rows[i].task;
		if (rows[i].section == FACTS_OVERDUE) {
			json_array_append_new(overdue, ctx_task(s, t, 1));
		} else if (rows[i].section == FACTS_ONGOING) {
			json_array_append_new(ongoing, ctx_task(s, t, 1));
		} else {
			int m = t->due.date / 100;
			if (m != curm) {
				curm = m;
				json_t *g = json_object();
				char label[16], id[16];
				snprintf(label, sizeof label, "%02d/%04d", m % 100, m / 100);
				snprintf(id, sizeof id, "%04d-%02d", m / 100, m % 100);
				SET(g, "label", json_string(label));
				SET(g, "id", json_string(id));
				cur = json_array();
				SET(g, "tasks", cur);
				json_array_append_new(months, g);
			}
			json_array_append_new(cur, ctx_task(s, t, 1));
		}
	}
	json_t *ctx = json_object();
	{
		/* the chips narrow this page; each also names the page of all
		 * the tasks of its status */
		stats_t st = { 0 };
		for (size_t i = pg * DEADLINES_PER_PAGE; i < end; i++)
			stats_add(&st, rows[i].task);
		stats_finish(&st);
		SET(ctx, "filter", status_filter(r, &st, false));
		stats_t tot = { 0 };
		size_t n;
		const task_t **tasks = facts_all_tasks(s, &n);
		for (size_t i = 0; i < n; i++)
			stats_add(&tot, tasks[i]);
		free(tasks);
		SET(ctx, "views", views_nav(r, &tot, NSTATUS_KINDS + 1));
	}
	SET(ctx, "has_overdue", json_boolean(json_array_size(overdue) > 0));
	SET(ctx, "overdue", overdue);
	SET(ctx, "months", months);
	SET(ctx, "ongoing", ongoing);
	json_t *pj = pager_ctx(s->base_path, "thoi-han/", pg, pages);
	if (pj)
		SET(ctx, "pager", pj);
	char *rel = pager_rel("thoi-han/", pg);
	buf_t title = BUF_INIT;
	buf_puts(&title, t_str(r, "deadlines_title", "Thời hạn"));
	if (pg)
		buf_printf(&title, " – %s %zu", t_str(r, "page", "Trang"), pg + 1);
	emit(r, base, "deadlines", ctx, rel, title.ptr, "deadlines", "thoi-han/");
	free(rel);
	buf_free(&title);
}

static void job_page(struct run *r, json_t *base, const page_t *pg)
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
	char *rel = rel_of(r->s, pg->url);
	emit(r, base, "page", ctx, rel, pg->title, "page", NULL);
	free(rel);
}

static void job_simple(struct run *r, json_t *base, const char *tmpl, const char *rel,
		       const char *key, const char *kind, const char *navkey)
{
	json_t *ctx = json_object();
	if (!strcmp(kind, "data"))
		SET(ctx, "files", data_describe(r->s));
	emit(r, base, tmpl, ctx, rel, t_str(r, key, kind), kind, navkey);
}

/* History outputs: /thay-doi/ pages, the Atom feed, weekly reports. */
static void job_history(struct run *r, json_t *base, const job_t *j)
{
	const site_t *s = r->s;
	size_t index = (size_t)(uintptr_t)j->item;
	char *rel = NULL;
	if (j->kind == JOB_CHANGES) {
		rel = changes_page_rel(index);
		buf_t tb = BUF_INIT;
		buf_puts(&tb, t_str(r, "changes_title", "Thay đổi"));
		if (index)
			buf_printf(&tb, " – %s %zu", t_str(r, "page", "Trang"), index + 1);
		emit(r, base, "changes", changes_page(s, r->hist, index), rel, tb.ptr, "changes", "thay-doi/");
		buf_free(&tb);
	} else if (j->kind == JOB_WEEKS) {
		emit(r, base, "weeks", changes_weeks(s, r->hist), "bao-cao-tuan/index.html",
		     t_str(r, "weeks_title", "Báo cáo tuần"), "weeks", "bao-cao-tuan/");
	} else if (j->kind == JOB_WEEK) {
		const hweek_t *wk = r->hist->weeks[index];
		rel = changes_week_rel(s, r->hist, index);
		buf_t b = BUF_INIT;
		buf_printf(&b, "%s %d/%d", t_str(r, "week", "Tuần"), wk->week, wk->year);
		emit(r, base, "week", changes_week(s, r->hist, index), rel, b.ptr, "week", "bao-cao-tuan/");
		buf_free(&b);
	} else {
		size_t len;
		char *xml = changes_atom(s, r->hist, r->th, &len), *err = NULL;
		if (out_write(r->o, "thay-doi/atom.xml", xml, len, &err) < 0) {
			loc_t loc = { 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			atomic_store(&r->failed, 1);
		}
		free(xml);
	}
	free(rel);
}

static void run_job(struct run *r, json_t *base, const job_t *j)
{
	switch (j->kind) {
	case JOB_HOME: job_home(r, base); break;
	case JOB_PLANS: job_plans(r, base); break;
	case JOB_PLAN: job_plan(r, base, j->item); break;
	case JOB_UNITS: job_units(r, base); break;
	case JOB_UNIT: job_unit(r, base, j->item); break;
	case JOB_DOCS: job_docs(r, base); break;
	case JOB_DOC: job_doc(r, base, j->item); break;
	case JOB_DEADLINES: job_deadlines(r, base, (size_t)(uintptr_t)j->item); break;
	case JOB_PAGE: job_page(r, base, j->item); break;
	case JOB_STATUS: job_status_view(r, base, (size_t)(uintptr_t)j->item); break;
	case JOB_SEARCH:
		job_simple(r, base, "search", "tim-kiem/index.html", "search_title", "search", "tim-kiem/");
		break;
	case JOB_DATA:
		job_simple(r, base, "data", "du-lieu/index.html", "data_title", "data", "du-lieu/");
		break;
	case JOB_404: job_simple(r, base, "404", "404.html", "not_found_title", "404", NULL); break;
	case JOB_CHANGES: case JOB_ATOM: case JOB_WEEKS: case JOB_WEEK:
		job_history(r, base, j);
		break;
	case JOB_OPEN_DATA:
		if (data_write(r->s, r->hist, r->o, r->d, (int)(uintptr_t)j->item) < 0)
			atomic_store(&r->failed, 1);
		break;
	case JOB_SEARCH_INDEX:
		if (search_write(r->s, r->o, r->d) < 0)
			atomic_store(&r->failed, 1);
		break;
	case JOB_KINDS:
		break;
	}
}

static void worker(void *arg, int worker_no)
{
	struct run *r = arg;
	/* each thread its own copy of the shared data: jansson values are not
	 * safe to share across threads while reference counts change */
	json_t *base = json_deep_copy(r->base);
	ctx_cache_use(r->cache);
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->njobs)
			break;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* a page's template data lives for the page only; the open data
		 * and the search index keep theirs longer and write JSON text */
		job_kind_t k = r->jobs[i].kind;
		bool scoped = k != JOB_OPEN_DATA && k != JOB_SEARCH_INDEX;
		if (scoped)
			jalloc_begin();
		run_job(r, base, &r->jobs[i]);
		if (scoped)
			jalloc_end();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		atomic_fetch_add(&r->busy_ns[r->jobs[i].kind],
				 (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	}
	ctx_cache_use(NULL);
	json_decref(base);
	buf_free(&page_buf);
	jalloc_thread_done();
}

static void copy_static(struct run *r)
{
	const site_t *s = r->s;
	/* the site's static files win over the theme's of the same name */
	for (size_t i = 0; i < r->th->nassets; i++) {
		const asset_t *as = &r->th->assets[i];
		int shadowed = 0;
		for (size_t j = 0; j < s->nstatics && !shadowed; j++)
			shadowed = !strcmp(s->statics[j]->rel + strlen("static/"), as->rel);
		if (shadowed)
			continue;
		buf_t b = BUF_INIT;
		buf_printf(&b, "static/%s", as->rel);
		char *err = NULL;
		if (out_write(r->o, b.ptr, as->data, as->len, &err) < 0) {
			loc_t loc = { 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			r->failed = 1;
		}
		buf_free(&b);
	}
	for (size_t j = 0; j < s->nstatics; j++) {
		const rfile_t *f = s->statics[j];
		char *err = NULL;
		if (out_write(r->o, f->rel, f->data, f->len, &err) < 0) {
			loc_t loc = { f->path, 0, 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			r->failed = 1;
		}
	}
}

/* Pages that show history (plans, documents, home, changes, weeks) and
 * changes.json wait for it; everything else renders while it is read. */
static bool needs_history(job_kind_t k, const void *item)
{
	switch (k) {
	case JOB_CHANGES: case JOB_ATOM: case JOB_WEEKS: case JOB_WEEK:
	case JOB_HOME: case JOB_PLAN: case JOB_DOC:
		return true;
	case JOB_OPEN_DATA:
		return (uintptr_t)item == 1;
	default:
		return false;
	}
}

struct render {
	struct run r;
	pool_t *pool;
	int nthreads;
};

static void start_workers(struct render *rr)
{
	rr->pool = pool_start(rr->nthreads, worker, &rr->r);
	if (!pool_threads(rr->pool))
		worker(&rr->r, 0);   /* no thread could start: do the work here */
}

static void join_workers(struct render *rr)
{
	pool_join(rr->pool);
	rr->pool = NULL;
}

int render_begin(render_t **out, const site_t *s, const theme_t *th, out_t *o, diag_t *d,
		 const render_opts_t *ro)
{
	struct render *rr = xcalloc(1, sizeof(*rr));
	struct run *r = &rr->r;
	*r = (struct run){ .s = s, .th = th, .o = o, .d = d, .ro = ro };
	deadline_rows(r);
	size_t cap = 32 + NSTATUS_KINDS + s->nplans + s->nunits + s->ndocs + s->npages + r->dl_pages;
	r->jobs = xmalloc(cap * sizeof(job_t));
	/* the biggest jobs first, so the threads finish together */
	r->jobs[r->njobs++] = (job_t){ JOB_OPEN_DATA, (const void *)(uintptr_t)0 };
	r->jobs[r->njobs++] = (job_t){ JOB_OPEN_DATA, (const void *)(uintptr_t)2 };
	r->jobs[r->njobs++] = (job_t){ JOB_OPEN_DATA, (const void *)(uintptr_t)3 };
	r->jobs[r->njobs++] = (job_t){ JOB_SEARCH_INDEX, NULL };
	r->jobs[r->njobs++] = (job_t){ JOB_PLANS, NULL };
	for (size_t i = 0; i < r->dl_pages; i++)
		r->jobs[r->njobs++] = (job_t){ JOB_DEADLINES, (const void *)(uintptr_t)i };
	for (size_t k = 0; k <= NSTATUS_KINDS; k++)
		r->jobs[r->njobs++] = (job_t){ JOB_STATUS, (const void *)(uintptr_t)k };
	r->jobs[r->njobs++] = (job_t){ JOB_UNITS, NULL };
	r->jobs[r->njobs++] = (job_t){ JOB_DOCS, NULL };
	for (size_t i = 0; i < s->nunits; i++)
		r->jobs[r->njobs++] = (job_t){ JOB_UNIT, s->units[i] };
	for (size_t i = 0; i < s->npages; i++)
		r->jobs[r->njobs++] = (job_t){ JOB_PAGE, &s->pages[i] };
	r->jobs[r->njobs++] = (job_t){ JOB_SEARCH, NULL };
	r->jobs[r->njobs++] = (job_t){ JOB_DATA, NULL };
	r->jobs[r->njobs++] = (job_t){ JOB_404, NULL };
	for (size_t i = 0; i < r->njobs; i++)
		assert(!needs_history(r->jobs[i].kind, r->jobs[i].item));

	jalloc_init();
	r->cache = ctx_cache_new(s);
	r->base = json_object();
	SET(r->base, "site", site_json(s));
	SET(r->base, "t", json_deep_copy(th->strings));
	copy_static(r);

	rr->nthreads = pool_size(ro->threads, 16);
	start_workers(rr);
	*out = rr;
	return 0;
}

int render_finish(render_t *rr, bool with_history, const history_t *h)
{
	struct run *r = &rr->r;
	const site_t *s = r->s;
	join_workers(rr);
	r->hist = h;   /* after the first batch: none of its jobs reads it */
	/* the history's reading and the first pages leave freed memory in
	 * every thread's malloc arena; give it back before the second batch
	 * takes more */
	malloc_trim(0);
	if (with_history) {
		/* the second batch: what shows the history, now read */
		size_t cap = 16 + s->nplans + s->ndocs + changes_page_count(s, r->hist) + changes_week_count(s, r->hist);
		free(r->jobs);
		r->jobs = xmalloc(cap * sizeof(job_t));
		r->njobs = 0;
		atomic_store(&r->next, 0);
		r->jobs[r->njobs++] = (job_t){ JOB_OPEN_DATA, (const void *)(uintptr_t)1 };
		r->jobs[r->njobs++] = (job_t){ JOB_HOME, NULL };
		for (size_t i = 0; i < s->ndocs; i++)
			if (!s->docs[i]->plan)
				r->jobs[r->njobs++] = (job_t){ JOB_DOC, s->docs[i] };
		for (size_t i = 0; i < s->nplans; i++)
			r->jobs[r->njobs++] = (job_t){ JOB_PLAN, s->plans[i] };
		r->jobs[r->njobs++] = (job_t){ JOB_ATOM, NULL };
		r->jobs[r->njobs++] = (job_t){ JOB_WEEKS, NULL };
		for (size_t i = 0; i < changes_page_count(s, r->hist); i++)
			r->jobs[r->njobs++] = (job_t){ JOB_CHANGES, (const void *)(uintptr_t)i };
		for (size_t i = 0; i < changes_week_count(s, r->hist); i++)
			r->jobs[r->njobs++] = (job_t){ JOB_WEEK, (const void *)(uintptr_t)i };
		json_object_set_new(json_object_get(r->base, "site"), "history", changes_site_info(s, r->hist));
		start_workers(rr);
		join_workers(rr);
	}
	if (getenv("PLANSITE_TIMING"))
		for (int k = 0; k < JOB_KINDS; k++)
			if (r->busy_ns[k] > 1000000)
				fprintf(stderr, "plansite:   %-12s %6.3f s (thread time)\n", job_names[k],
					(double)r->busy_ns[k] / 1e9);
	json_decref(r->base);
	ctx_cache_free(r->cache);
	free(r->dl_rows);
	free(r->jobs);
	int rc = r->failed ? -1 : 0;
	free(rr);
	return rc;
}

