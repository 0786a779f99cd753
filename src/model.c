/* model.c: the site loaded from the snapshot's files: each file sent to
 * its parser (plans: model_plan.c; site.yaml and free pages: model_site.c),
 * static files and references to them checked, plans ordered and made
 * unique; and the value readers the parsers share. */
#include "model.h"

#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docnum.h"
#include "hash.h"
#include "model_cache.h"
#include "model_int.h"
#include "pool.h"
#include "text.h"

/* A portal of 10,000 plans has 400,000 tasks: each byte of a task is 0.4 MB
 * at the peak (issue #13: 400 MB in all).  Positions without their path
 * (mpos_t) and the fields ordered by size made it 192 bytes (was 240);
 * tests/e2e/test_memory.sh bounds the whole model per task. */
_Static_assert(sizeof(void *) != 8 || sizeof(task_t) <= 192, "task_t grew past 192 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(uref_t) <= 24, "uref_t grew past 24 bytes");

const char *model_scalar(diag_t *d, const ynode_t *n, const char *what)
{
	if (!n)
		return NULL;
	if (n->kind != YNODE_SCALAR) {
		diag_error_fix(d, &n->loc, "E020",
			       _("viết một giá trị trên cùng dòng, sau dấu hai chấm"),
			       n->kind == YNODE_MAP ? _("\"%s\" phải là một giá trị, không phải một nhóm khoá")
						    : _("\"%s\" phải là một giá trị, không phải một danh sách"),
			       what);
		return NULL;
	}
	if (ynode_is_null(n))
		return NULL;
	return n->str;
}

struct mtext {
	const char *s;   /* NULL: empty slot */
	uint32_t len;
	uint32_t h;
};

void mtexts_free(mtexts_t *t)
{
	free(t->v);
	free(t->exact);
	for (size_t i = 0; i < t->due.cap; i++)
		free(t->due.vals[i]);
	addrmap_free(&t->due);
	*t = (mtexts_t){ 0 };
}

/* The kept copy of s[0..len) (hash h), made when there is none. */
static const char *mtexts_get(mtexts_t *t, arena_t *a, const char *s, size_t len, uint32_t h)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct mtext *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].s) {
				size_t k = t->v[i].h & (cap - 1);
				while (v[k].s)
					k = (k + 1) & (cap - 1);
				v[k] = t->v[i];
			}
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	size_t k = h & (t->cap - 1);
	for (; t->v[k].s; k = (k + 1) & (t->cap - 1))
		if (t->v[k].h == h && t->v[k].len == len && !memcmp(t->v[k].s, s, len))
			return t->v[k].s;
	char *copy = arena_strndup(a, s, len);
	t->v[k] = (struct mtext){ copy, (uint32_t)len, h };
	t->n++;
	return copy;
}

/* A trimmed, non-empty string value or NULL. */
const char *model_str(model_ctx_t *c, const ynode_t *n, const char *what)
{
	/* a value is nearly always a scalar that cannot be null (only plain
	 * ones of 0, 1 or 4 bytes may be): taken as it is, without the two
	 * calls; 425,000 values at 1k plans */
	const char *s;
	if (n && n->kind == YNODE_SCALAR && (!n->plain || (n->len != 0 && n->len != 1 && n->len != 4)))
		s = n->str;
	else if (!(s = model_scalar(c->d, n, what)))
		return NULL;
	while (*s == ' ')
		s++;
	/* a plain scalar has no NUL (no escapes): its length is strlen's */
	size_t len = n->plain ? n->len - (size_t)(s - n->str) : strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	if (!len)
		return NULL;
	if (!c->strs || len >= 256)   /* longer texts are copied each time */
		return arena_strndup(c->a, s, len);
	uint64_t h = hash_words(HASH_INIT, s, len);
	return mtexts_get(c->strs, c->a, s, len, (uint32_t)(h ^ (h >> 32)));
}

date_t model_date(model_ctx_t *c, const ynode_t *n, const char *what)
{
	const char *s = model_scalar(c->d, n, what);
	if (!s)
		return 0;
	date_t dt;
	if (date_parse_iso(s, &dt) < 0) {
		diag_error_fix(c->d, &n->loc, "E021", _("viết năm-tháng-ngày, ví dụ 2025-06-30"),
			       _("%s \"%s\" không phải là ngày"), what, s);
		return 0;
	}
	return dt;
}

/* A list of strings, also accepting a single string. */
str_t *model_strs(model_ctx_t *c, const ynode_t *n, const char *what, size_t *count)
{
	*count = 0;
	if (!n || ynode_is_null(n))
		return NULL;
	if (n->kind == YNODE_MAP) {
		diag_error_fix(c->d, &n->loc, "E022", _("viết một giá trị, hoặc mỗi giá trị một dòng bắt đầu bằng \"- \""),
			       _("\"%s\" phải là một giá trị hoặc một danh sách giá trị"), what);
		return NULL;
	}
	size_t max = n->kind == YNODE_SEQ ? n->n : 1;
	str_t *v = arena_alloc(c->a, (max + 1) * sizeof(*v));
	for (size_t i = 0; i < max; i++) {
		const ynode_t *item = n->kind == YNODE_SEQ ? n->kids[i] : n;
		const char *s = model_str(c, item, what);
		if (s)
			v[(*count)++] = (str_t){ s, item->loc };
	}
	return v;
}

void model_urefs(model_ctx_t *c, const ynode_t *n, const char *what, urefs_t *out)
{
	/* straight into the refs: a list of strings first would be garbage
	 * the size of every task's unit lists (a third of the model at 1k) */
	out->n = 0;
	out->v = NULL;
	if (!n || ynode_is_null(n))
		return;
	if (n->kind == YNODE_MAP) {
		model_strs(c, n, what, &out->n);   /* its message */
		return;
	}
	size_t max = n->kind == YNODE_SEQ ? n->n : 1;
	/* no end mark: readers go by n; 8-aligned: a unit is 24 bytes, and
	 * a list of one or three took 32 or 80 at 16.  At 10,000 plans
	 * (400,000 tasks, cold, heaptrack of a glibc build) the model's
	 * arenas went from 151.3 MB to 135.7-136.3 MB at the peak */
	out->v = arena_alloc8(c->a, max * sizeof(uref_t));
	for (size_t i = 0; i < max; i++) {
		const ynode_t *item = n->kind == YNODE_SEQ ? n->kids[i] : n;
		const char *s = model_str(c, item, what);
		if (s)
			out->v[out->n++] = (uref_t){ s, NULL, model_pos(&item->loc) };
	}
}

static bool is_known(const ynode_t *k, const char *const *known)
{
	for (const char *const *kk = known; *kk; kk++)
		if (k->kind == YNODE_SCALAR && k->str[0] == (*kk)[0] && !strcmp(k->str, *kk))
			return true;
	return false;
}

/* Collects the keys of map that are not in known[] into a new map (params);
 * with --strict, each one is a warning. */
const ynode_t *model_params(model_ctx_t *c, const ynode_t *map, const char *const *known)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	size_t n = 0, unknown = 0;
	for (size_t i = 0; i < map->n; i++)
		unknown += !is_known(ynode_key(map, i), known);
	if (!unknown)
		return NULL;   /* nearly always: nothing to keep */
	ynode_t *p = arena_alloc(c->a, sizeof(*p));
	p->kind = YNODE_MAP;
	p->loc = map->loc;
	p->kids = arena_alloc(c->a, (2 * unknown + 1) * sizeof(ynode_t *));
	for (size_t i = 0; i < map->n; i++) {
		const ynode_t *k = ynode_key(map, i);
		if (is_known(k, known))
			continue;
		if (c->o->strict)
			diag_warning_fix(c->d, &k->loc, "W010",
					 _("kiểm tra chính tả tên khoá (xem plansite(5))"),
					 _("khoá lạ \"%s\" (giữ lại làm tham số cho mẫu giao diện)"),
					 k->kind == YNODE_SCALAR ? k->str : "?");
		p->kids[2 * n] = (ynode_t *)k;
		p->kids[2 * n + 1] = (ynode_t *)ynode_val(map, i);
		n++;
	}
	p->n = n;
	return n ? p : NULL;
}

/* A deep copy of a YAML subtree into a (params outlive the parse). */
ynode_t *model_ynode_copy(arena_t *a, const ynode_t *n)
{
	ynode_t *c = arena_alloc(a, sizeof(*c));
	*c = *n;
	if (n->kind == YNODE_SCALAR) {
		c->str = arena_strndup(a, n->str, n->len);
		return c;
	}
	size_t nk = n->kind == YNODE_MAP ? 2 * n->n : n->n;
	c->kids = arena_alloc(a, (nk + 1) * sizeof(ynode_t *));
	for (size_t i = 0; i < nk; i++)
		c->kids[i] = model_ynode_copy(a, n->kids[i]);
	return c;
}

enum { STATIC_NAME_MAX = 200 };   /* bytes of one path component, < NAME_MAX */

static int plan_cmp(const void *x, const void *y)
{
	const plan_t *a = *(plan_t *const *)x, *b = *(plan_t *const *)y;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->path, b->path);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

struct parse_job {
	const snap_t *snap;
	const size_t *idx;      /* indices of plan files in snap */
	plan_t **out;           /* out[i] for idx[i] */
	diag_t *d;
	const model_opts_t *o;
	arena_t *a[MODEL_PARSE_WORKERS];   /* worker k's arena; [0] the build's */
	mtexts_t strs[MODEL_PARSE_WORKERS];   /* worker k's texts (model_ctx_t) */
};

struct numbers {
	arena_t *a;
	buf_t runs;   /* numref_t */
	int task;
};

static void on_number(void *arg, const char *num, size_t n, int line, int col)
{
	struct numbers *ns = arg;
	numref_t r = { arena_strndup(ns->a, num, n), line, col, ns->task };
	buf_put(&ns->runs, (const char *)&r, sizeof r);
}

void model_plan_numbers(arena_t *a, plan_t *p)
{
	struct numbers ns = { a, BUF_INIT, -1 };
	if (p->body_md && *p->body_md)
		docnum_scan(p->body_md, strlen(p->body_md), on_number, &ns);
	for (size_t j = 0; j < p->ntasks; j++)
		if (p->tasks[j].source) {
			ns.task = (int)j;
			docnum_scan(p->tasks[j].source, strlen(p->tasks[j].source), on_number, &ns);
		}
	p->nnumbers = ns.runs.len / sizeof(numref_t);
	if (p->nnumbers) {
		p->numbers = arena_alloc(a, ns.runs.len);
		memcpy(p->numbers, ns.runs.ptr, ns.runs.len);
	}
	buf_free(&ns.runs);
}

static void parse_one(void *arg, int worker, size_t i)
{
	struct parse_job *job = arg;
	model_ctx_t c = { job->a[worker], job->d, job->o, &job->strs[worker] };
	plan_t *p = model_plan_parse(&c, &job->snap->files[job->idx[i]]);
	if (p)
		model_plan_numbers(c.a, p);
	if (p && job->o->on_plan)
		job->o->on_plan(job->o->on_plan_cls, job->idx[i], p);
	job->out[i] = p;
}

static void parse_plans(arena_t *a, diag_t *d, const snap_t *snap, const model_opts_t *o,
			const size_t *idx, size_t n, plan_t **out)
{
	struct parse_job job = { .snap = snap, .idx = idx, .out = out, .d = d, .o = o };
	int nw = n < 64 ? 1 : pool_size(o->threads, MODEL_PARSE_WORKERS);
	job.a[0] = a;
	for (int i = 1; i < nw; i++)
		job.a[i] = arena_new_big();
	pool_for(nw, n, parse_one, &job);
	for (int i = 1; i < nw; i++)
		arena_adopt(a, job.a[i]);
	for (int i = 0; i < nw; i++)
		mtexts_free(&job.strs[i]);
}

/* A file under static/ is published as it is, from the portal's own
 * address: a page or an image that can carry script (.html, .svg, .xml)
 * would run it with the portal's origin, so it is reported (an error with
 * --strict).  A name longer than a folder entry can be is an error here, at
 * the file, rather than a failure to write it later. */
static void check_static(model_ctx_t *c, const rfile_t *f)
{
	static const char *const active[] = { ".html", ".htm", ".xhtml", ".svg", ".xml", NULL };
	loc_t loc = { f->path, 0, 0 };
	const char *base = strrchr(f->rel, '/');
	base = base ? base + 1 : f->rel;
	for (const char *p = f->rel, *q; *p; p = q + (*q == '/')) {
		q = strchr(p, '/');
		if (!q)
			q = p + strlen(p);
		if (q - p > STATIC_NAME_MAX) {
			diag_error_fix(c->d, &loc, "E071", _("đặt tên ngắn hơn"),
				       _("tên tệp hoặc thư mục dài %d byte, quá giới hạn %d byte"),
				       (int)(q - p), STATIC_NAME_MAX);
			return;
		}
	}
	const char *dot = strrchr(base, '.');
	for (size_t i = 0; dot && active[i]; i++)
		if (!strcasecmp(dot, active[i])) {
			const char *fix = _("đăng dưới dạng PDF hoặc ảnh PNG/JPEG, hoặc nén thành .zip");
			if (c->o->strict)
				diag_error_fix(c->d, &loc, "E072", fix,
					       _("tệp %s có thể chứa mã chạy trên trang của cổng"), f->rel);
			else
				diag_warning_fix(c->d, &loc, "W003", fix,
						 _("tệp %s có thể chứa mã chạy trên trang của cổng"), f->rel);
			return;
		}
}

/* Evidence is published as a link: a web address, or a file of static/
 * that must exist, or the link is a 404 on the portal. */
static void check_evidence(diag_t *d, const site_t *s, const strmap_t *statics, const task_t *t,
			   const str_t *ev)
{
	const char *e = ev->text;
	if (strstr(e, "://") || strmap_get(statics, e))
		return;
	/* the closest file, for "có phải": the same name in another folder,
	 * else a path a slip or two away */
	const char *base = strrchr(e, '/');
	base = base ? base + 1 : e;
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t k = 0; k < s->nstatics; k++) {
		const char *rel = s->statics[k]->rel;
		const char *rb = strrchr(rel, '/');
		size_t dist = !strcmp(rb ? rb + 1 : rel, base) ? 0 : text_distance(e, rel);
		if (dist < bestd) {
			bestd = dist;
			best = rel;
		}
	}
	const char *fix = best ? diag_str(d, _("có phải \"%s\"?"), best)
			      : _("thêm tệp vào static/ và ghi \"static/<tên tệp>\", hoặc ghi địa chỉ web (https://...)");
	diag_error_fix(d, &ev->loc, "E067", fix,
		       _("minh chứng \"%s\" của nhiệm vụ %s không phải là tệp nào trong thư mục static/ của nội dung"),
		       e, t->id ? t->id : "?");
}

void model_check_as_of(const site_t *s, diag_t *d)
{
	char asof[16], done[16];
	date_format_iso(s->as_of, asof);
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			if (!t->completed || t->completed <= s->as_of)
				continue;
			date_format_iso(t->completed, done);
			loc_t at = model_task_loc(t, t->completed_at);
			diag_warning_fix(d, &at, "W017",
					 _("ghi ngày đã hoàn thành thực tế (YYYY-MM-DD), không ghi ngày dự kiến"),
					 _("ngày hoàn thành %s của nhiệm vụ %s sau ngày tính số liệu (%s)"),
					 done, t->id ? t->id : "?", asof);
		}
	}
}

site_t *model_load(arena_t *a, diag_t *d, const snap_t *snap, const model_opts_t *o)
{
	model_ctx_t c = { a, d, o, NULL };
	site_t *s = arena_alloc(a, sizeof(*s));
	s->plans = arena_alloc(a, (snap->n + 1) * sizeof(plan_t *));
	s->pages = arena_alloc(a, (snap->n + 1) * sizeof(page_t));
	s->statics = arena_alloc(a, (snap->n + 1) * sizeof(rfile_t *));
	s->templates = arena_alloc(a, (snap->n + 1) * sizeof(rfile_t *));
	memcpy(s->commit, snap->commit, sizeof(s->commit));
	size_t *plan_idx = xmalloc((snap->n + 1) * sizeof(size_t));
	size_t nplanfiles = 0;
	routes_default(&s->routes);
	/* site.yaml first: its permalinks decide which page names are taken */
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->files[i].rel, "site.yaml"))
			model_site_parse(&c, s, &snap->files[i]);
	for (size_t i = 0; i < snap->n; i++) {
		const rfile_t *f = &snap->files[i];
		if (!strcmp(f->rel, "site.yaml")) {
			continue;
		} else if (!strncmp(f->rel, "plans/", 6) && has_suffix(f->rel, ".md")) {
			plan_idx[nplanfiles++] = i;
		} else if (!strncmp(f->rel, "pages/", 6) && has_suffix(f->rel, ".md")) {
			model_page_parse(&c, s, f);
		} else if (!strncmp(f->rel, "static/", 7)) {
			s->statics[s->nstatics++] = f;
		} else if (!strncmp(f->rel, "templates/", 10) && has_suffix(f->rel, ".mustache")) {
			s->templates[s->ntemplates++] = f;
		}
	}
	for (size_t i = 0; i < s->nstatics; i++)
		check_static(&c, s->statics[i]);
	plan_t **parsed = xcalloc(nplanfiles + 1, sizeof(plan_t *));
	if (o->cache)
		model_cache_plans(o->cache, d, snap, o, plan_idx, nplanfiles, parsed);
	else
		parse_plans(a, d, snap, o, plan_idx, nplanfiles, parsed);
	for (size_t i = 0; i < nplanfiles; i++) {
		plan_t *p = parsed[i];
		/* a plan without number or id was reported and has no identity */
		if (p && p->key && !p->draft)
			s->plans[s->nplans++] = p;
	}
	free(parsed);
	free(plan_idx);
	if (!s->title)
		s->title = "Cổng thông tin kế hoạch";
	if (!s->language)
		s->language = "vi";
	if (o->base_url)
		s->base_url = arena_strdup(a, o->base_url);
	s->base_path = model_base_path(a, s->base_url);
	s->routes.base = s->base_path;
	for (size_t i = 0; i < s->npages; i++)
		s->pages[i].url = arena_printf(a, "%s%s/", s->base_path, s->pages[i].slug);
	qsort(s->plans, s->nplans, sizeof(plan_t *), plan_cmp);
	/* one number, one plan: the later files (by path) are reported and
	 * left out, so later stages see unique keys */
	size_t kept = 0;
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		if (kept && !strcmp(p->key, s->plans[kept - 1]->key)) {
			diag_error_fix(d, &p->loc, "E050", _("mỗi kế hoạch chỉ để trong một tệp; xoá hoặc sửa số của tệp kia"),
				       _("kế hoạch %s đã có trong %s"),
				       p->number ? p->number : p->id, s->plans[kept - 1]->path);
			continue;
		}
		s->plans[kept++] = p;
	}
	s->nplans = kept;
	for (size_t i = 0; i < s->nplans; i++)
		s->plans[i]->rank = (uint32_t)(i + 1);
	/* two plans without a number must not share a name (the browser tab
	 * would not tell them apart): the second and later get their id */
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		if (p->number)
			continue;
		for (size_t j = 0; j < s->nplans; j++)
			if (j != i && !strcmp(s->plans[j]->name, p->name)) {
				p->name = arena_printf(a, "%s (%s)", p->name, p->id ? p->id : p->path);
				break;
			}
	}
	/* an attachment or evidence naming static/x must exist */
	strmap_t statics = STRMAP_INIT;
	for (size_t k = 0; k < s->nstatics; k++)
		strmap_put(&statics, s->statics[k]->rel, (void *)s->statics[k]);
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->nattachments; j++) {
			const char *at = p->attachments[j].text;
			if (strstr(at, "://"))
				continue;
			if (!strmap_get(&statics, at))
				diag_error_fix(d, &p->attachments[j].loc, "E051",
					       _("đặt tệp vào thư mục static/ của nội dung và viết đường dẫn bắt đầu bằng static/"),
					       _("tệp đính kèm \"%s\" không có trong thư mục static/"), at);
		}
		for (size_t j = 0; j < p->ntasks; j++)
			for (size_t k = 0; k < p->tasks[j].nevidence; k++)
				check_evidence(d, s, &statics, &p->tasks[j], &p->tasks[j].evidence[k]);
	}
	strmap_free(&statics);
	return s;
}

void model_site_free(site_t *s)
{
	if (s) {
		strmap_free(&s->docs_by_key);
		strmap_free(&s->units_by_key);
	}
}
