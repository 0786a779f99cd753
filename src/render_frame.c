/* render_frame.c: the frame of every page: the site's template data, the
 * menu, the page's address and description, the Content-Security-Policy,
 * and the template run that writes the file. */
#include "render_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data.h"
#include "jsonh.h"
#include "pager.h"

/* The page buffers of render threads that ended (render_frame_done), for
 * the threads of the next batch of pages: a buffer of a MB is mapped on its
 * own, and a new thread would map and write a new one.  Freed at the
 * render's end. */
static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static buf_t spare_bufs[16];
static size_t nspare_bufs;

const char *render_missing_template(const tmpl_set_t *set)
{
	for (int k = 0; k < ROUTE_KIND_COUNT; k++)
		if (!tmpl_set_has(set, routes_kind(k)->tmpl))
			return routes_kind(k)->tmpl;
	return NULL;
}

/* The menus: one entry a section, the same strings on every page (typed
 * records, ctx_frame.c: as jansson objects, 8 menus of 7 entries, their
 * 3 names were looked up on every page, 59,000 lookups at 1,000 plans). */
void render_frame_begin(struct run *r, const json_t *t)
{
	for (int i = 0; i < ROUTE_COUNT; i++) {
		r->nav_url[i] = routes_url(&r->s->routes, i, NULL);
		const char *key = routes_section(i)->nav;
		const char *label = json_string_value(json_object_get(t, key));
		r->nav_label[i] = xstrdup(label ? label : key);
	}
	for (int c = 0; c <= ROUTE_COUNT; c++)
		for (int i = 0; i < ROUTE_COUNT; i++)
			r->nav[c][i] = (ctx_nav_t){ r->nav_url[i], r->nav_label[i], c == i };
	render_filter_kinds(r);
}

void render_frame_end(struct run *r)
{
	for (int i = 0; i < ROUTE_COUNT; i++) {
		free(r->nav_url[i]);
		free(r->nav_label[i]);
		r->nav_url[i] = r->nav_label[i] = NULL;
	}
	/* no worker runs any more */
	pthread_mutex_lock(&spare_mu);
	while (nspare_bufs)
		buf_free(&spare_bufs[--nspare_bufs]);
	pthread_mutex_unlock(&spare_mu);
}

json_t *render_site_json(const site_t *s)
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
	SET(o, "urls", routes_json(&s->routes));
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

/* The thread's record of `site` (ctx_site_t), made from the thread's copy
 * of the shared data (base) at its first page: some 20 names a page looked
 * up by name in jansson objects before (1,000 plans: 2,832 pages).  A site
 * with a key the record lacks gives templates the jansson object (typed
 * false). */
static _Thread_local struct {
	const struct run *r;
	const json_t *base;
	bool typed;
	ctx_site_t site;
} frame;

/* Every page may run only the portal's own script files: no inline script,
 * event handler, inline style, plugin or foreign <base>, whatever a theme
 * or a content/templates override writes.  Images may come from https
 * addresses (a plan's body may show one). */
#define CSP_META "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; " \
	"script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; " \
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">"

/* Puts CSP_META first in the page's <head> (after the doctype when a
 * template has no <head>; browsers ignore it anywhere else).  The page
 * was rendered after a gap of the meta's size at the start of out: what
 * goes before the meta (the doctype and <head ...>, some bytes) moves
 * into the gap, and the page is not moved (a weekly report of several
 * MB, and half a GB of pages at 1,000 plans). */
static void add_csp(buf_t *out, size_t gap)
{
	const char *html = out->ptr + gap;
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
	memmove(out->ptr, html, at);
	memcpy(out->ptr + at, CSP_META, gap);
}

/* Renders a page of kind k with top (consumed; NULL: ctx alone) over
 * ctx to file rel, through the kind's template (routes.h). */
static void emit(struct run *r, json_t *base, route_kind_t k, json_t *ctx, tmpl_obj_t *top,
		 const char *rel, const char *title)
{
	const char *name = routes_kind(k)->tmpl, *kind = routes_kind(k)->name;
	/* site: the thread's record of the shared data with this page's menu,
	 * not a copy */
	if (!top)
		top = tmpl_obj_new(ctx);
	const ctx_nav_t *nav = r->nav[routes_kind(k)->section];
	if (frame.r != r || frame.base != base) {
		frame.r = r;
		frame.base = base;
		frame.typed = ctx_site_frame(&frame.site, json_object_get(base, "site"));
	}
	if (frame.typed) {
		frame.site.nav = nav;
		frame.site.nnav = ROUTE_COUNT;
		tmpl_obj_set(top, "site", tmpl_rec(ctx_site_type, &frame.site));
	} else {
		tmpl_obj_t *site = tmpl_obj_new(json_incref(json_object_get(base, "site")));
		tmpl_obj_set(site, "nav", tmpl_list(ctx_nav_type, nav, sizeof *nav, ROUTE_COUNT, false));
		tmpl_obj_set_obj(top, "site", site);
	}
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
	if (!page_buf.ptr) {
		pthread_mutex_lock(&spare_mu);
		if (nspare_bufs)
			page_buf = spare_bufs[--nspare_bufs];
		pthread_mutex_unlock(&spare_mu);
	}
	buf_t out = page_buf;
	/* the room of the CSP meta first (add_csp) */
	size_t gap = sizeof CSP_META - 1;
	out.len = 0;
	buf_grow(&out, gap);
	memset(out.ptr, ' ', gap);
	out.len = gap;
	out.ptr[gap] = '\0';
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = top;
	int trc = tmpl_render_val(r->th->tmpl, name, root, r->memo, &out);
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
		add_csp(&out, gap);
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
	tmpl_obj_free(top);   /* and ctx with it */
}

void render_emit(struct run *r, json_t *base, route_kind_t k, json_t *ctx,
		 const char *rel, const char *title)
{
	emit(r, base, k, ctx, NULL, rel, title);
}

void render_emit_obj(struct run *r, json_t *base, route_kind_t k, tmpl_obj_t *top,
		     const char *rel, const char *title)
{
	emit(r, base, k, tmpl_obj_base(top), top, rel, title);
}

/* The calling thread's page buffer goes to the threads after it (a
 * worker's end). */
void render_frame_done(void)
{
	pthread_mutex_lock(&spare_mu);
	if (page_buf.ptr && nspare_bufs < sizeof spare_bufs / sizeof *spare_bufs) {
		spare_bufs[nspare_bufs++] = page_buf;
		page_buf = (buf_t)BUF_INIT;
	}
	pthread_mutex_unlock(&spare_mu);
	buf_free(&page_buf);
	frame.r = NULL;
	frame.base = NULL;
}

/* The bytes of the page buffers waiting for the threads after theirs (the
 * memory notes of PLANSITE_TIMING tell them apart from what pages keep). */
size_t render_frame_spare_bytes(void)
{
	size_t n = 0;
	pthread_mutex_lock(&spare_mu);
	for (size_t i = 0; i < nspare_bufs; i++)
		n += spare_bufs[i].cap;
	pthread_mutex_unlock(&spare_mu);
	return n;
}

const char *render_str(struct run *r, const char *key, const char *dflt)
{
	const char *v = json_string_value(json_object_get(r->th->strings, key));
	return v ? v : dflt;
}

char *render_list_page(struct run *r, json_t *ctx, const char *dir, size_t pg, size_t pages, buf_t *title)
{
	json_t *pj = pager_ctx(r->s->base_path, dir, pg, pages);
	if (pj)
		SET(ctx, "pager", pj);
	if (pg)
		buf_printf(title, " – %s %zu", render_str(r, "page", "Trang"), pg + 1);
	return pager_rel(dir, pg);
}

char *render_rel_of(const site_t *s, const char *url)
{
	/* url = base_path + rel/ ; the file is rel/index.html */
	const char *rel = url + strlen(s->base_path);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%sindex.html", rel);
	return buf_detach(&b);
}
