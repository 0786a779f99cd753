/* routes.c: the table of sections and page kinds, and site.yaml's
 * `permalinks` that move a section to another folder. */
#include "routes.h"

#include <string.h>
#include <strings.h>

#include "jsonh.h"
#include "text.h"

static const route_section_info_t sections[ROUTE_COUNT] = {
	[ROUTE_HOME] = { NULL, "", "nav_home" },
	[ROUTE_PLANS] = { "plans", "ke-hoach/", "nav_plans" },
	[ROUTE_DOCUMENTS] = { "documents", "van-ban/", "nav_documents" },
	[ROUTE_UNITS] = { "units", "don-vi/", "nav_units" },
	[ROUTE_DEADLINES] = { "deadlines", "thoi-han/", "nav_deadlines" },
	[ROUTE_CHANGES] = { "changes", "thay-doi/", "nav_changes" },
	[ROUTE_WEEKS] = { "weeks", "bao-cao-tuan/", "nav_weeks" },
	[ROUTE_SEARCH] = { "search", "tim-kiem/", "nav_search" },
	[ROUTE_DATA] = { "data", "du-lieu/", "nav_data" },
};

/* Lists of many rows are cut into pages of per_page rows (pager.h): a
 * portal of a thousand plans has tens of thousands of open tasks. */
static const route_kind_info_t kinds[ROUTE_KIND_COUNT] = {
	[ROUTE_KIND_HOME] = { "home", "home", ROUTE_HOME, 0 },
	[ROUTE_KIND_PLANS] = { "plans", "plans", ROUTE_PLANS, 400 },
	[ROUTE_KIND_PLAN] = { "plan", "plan", ROUTE_PLANS, 0 },
	[ROUTE_KIND_UNITS] = { "units", "units", ROUTE_UNITS, 0 },
	[ROUTE_KIND_UNIT] = { "unit", "unit", ROUTE_UNITS, 400 },
	[ROUTE_KIND_DOCUMENTS] = { "documents", "documents", ROUTE_DOCUMENTS, 0 },
	[ROUTE_KIND_DOCUMENT] = { "document", "document", ROUTE_DOCUMENTS, 400 },
	[ROUTE_KIND_DEADLINES] = { "deadlines", "deadlines", ROUTE_DEADLINES, 400 },
	[ROUTE_KIND_STATUS] = { "status", "status_tasks", ROUTE_DEADLINES, 400 },
	[ROUTE_KIND_PAGE] = { "page", "page", ROUTE_NONE, 0 },
	[ROUTE_KIND_SEARCH] = { "search", "search", ROUTE_SEARCH, 0 },
	[ROUTE_KIND_DATA] = { "data", "data", ROUTE_DATA, 0 },
	[ROUTE_KIND_404] = { "404", "404", ROUTE_NONE, 0 },
	[ROUTE_KIND_CHANGES] = { "changes", "changes", ROUTE_CHANGES, 50 },
	[ROUTE_KIND_WEEKS] = { "weeks", "weeks", ROUTE_WEEKS, 0 },
	[ROUTE_KIND_WEEK] = { "week", "week", ROUTE_WEEKS, 0 },
};

static const char *const views[ROUTES_NVIEWS] = {
	"qua-han", "chua-thuc-hien", "dang-thuc-hien", "hoan-thanh", "hoan-thanh-muon",
	"dung-thuc-hien", "tat-ca",
};

/* Names of the site root that are not sections but still the portal's:
 * folders, and files a section's folder would have to replace. */
static const char *const kept[] = { "static/", "404/", "404.html/", "sitemap.xml/" };

const route_section_info_t *routes_section(route_section_t r)
{
	return r < ROUTE_COUNT ? &sections[r] : NULL;
}

const route_kind_info_t *routes_kind(route_kind_t k)
{
	return &kinds[k];
}

const char *routes_view(size_t k)
{
	return views[k < ROUTES_NVIEWS ? k : ROUTES_NVIEWS - 1];
}

void routes_default(routes_t *rt)
{
	rt->base = "/";
	for (int i = 0; i < ROUTE_COUNT; i++)
		rt->dir[i] = sections[i].dir;
}

/* Whether folder a (ending in "/") equals b or holds it, or b holds a;
 * folders are compared without case, as some web servers do. */
static bool nested(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	return !strncasecmp(a, b, na < nb ? na : nb);
}

bool routes_clash(const routes_t *rt, const char *slug)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s/", slug);
	bool clash = false;
	for (int i = ROUTE_HOME + 1; i < ROUTE_COUNT && !clash; i++)
		clash = !strncasecmp(b.ptr, rt->dir[i], strlen(rt->dir[i]));
	for (size_t i = 0; i < sizeof kept / sizeof kept[0] && !clash; i++)
		clash = !strncasecmp(b.ptr, kept[i], strlen(kept[i]));
	buf_free(&b);
	return clash;
}

char *routes_url(const routes_t *rt, route_section_t r, const char *sub)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s", rt->base, rt->dir[r]);
	if (sub)
		buf_printf(&b, "%s/", sub);
	return buf_detach(&b);
}

const char *routes_url_in(arena_t *a, const routes_t *rt, route_section_t r, const char *sub)
{
	return sub ? arena_printf(a, "%s%s%s/", rt->base, rt->dir[r], sub)
		   : arena_printf(a, "%s%s", rt->base, rt->dir[r]);
}

char *routes_file(const routes_t *rt, route_section_t r, const char *name)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s", rt->dir[r], name);
	return buf_detach(&b);
}

const char *routes_dir(const routes_t *rt, route_section_t r)
{
	return rt->dir[r];
}

json_t *routes_json(const routes_t *rt)
{
	json_t *o = json_object();
	for (int i = 0; i < ROUTE_COUNT; i++) {
		char *u = routes_url(rt, i, NULL);
		SET(o, i == ROUTE_HOME ? "home" : sections[i].key, json_string(u));
		free(u);
	}
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%satom.xml", rt->base, rt->dir[ROUTE_CHANGES]);
	SET(o, "feed", json_string(b.ptr));
	buf_clear(&b);
	buf_printf(&b, "%ssitemap.xml", rt->base);
	SET(o, "sitemap", json_string(b.ptr));
	buf_free(&b);
	return o;
}

/* ---- permalinks ---- */

static const char *key_list(diag_t *d)
{
	buf_t b = BUF_INIT;
	for (int i = ROUTE_HOME + 1; i < ROUTE_COUNT; i++)
		buf_printf(&b, "%s%s", b.len ? ", " : "", sections[i].key);
	const char *s = diag_str(d, "%s", b.ptr);
	buf_free(&b);
	return s;
}

static route_section_t section_of(const char *key)
{
	for (int i = ROUTE_HOME + 1; i < ROUTE_COUNT; i++)
		if (!strcmp(sections[i].key, key))
			return i;
	return ROUTE_NONE;
}

/* The closest section key, for "có phải". */
static const char *closest_key(const char *key)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (int i = ROUTE_HOME + 1; i < ROUTE_COUNT; i++) {
		size_t dist = text_distance(key, sections[i].key);
		if (dist < bestd) {
			bestd = dist;
			best = sections[i].key;
		}
	}
	return best;
}

/* A path to suggest instead of v: its words slugged, between slashes. */
static const char *suggest(diag_t *d, const char *v, const char *dflt)
{
	char *sl = text_slug(v);
	const char *s = *sl ? diag_str(d, _("viết \"/%s/\""), sl)
			    : diag_str(d, _("viết một đường dẫn như \"/%s\""), dflt);
	free(sl);
	return s;
}

/* Checks one path; returns 0 when it can be used. */
static int check_path(diag_t *d, const loc_t *loc, const char *key, const char *v, route_section_t r)
{
	/* only letters, digits, '-', '_' and '.' between the slashes: the path
	 * becomes a folder of the output and is written into href attributes
	 * unescaped */
	bool bad = false, upper = false;
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			   c == '.' || c == '/'))
			bad = true;
	}
	const char *dots = NULL;
	for (const char *p = v; *p; p++)
		if (*p == '.' && (p == v || p[-1] == '/') &&
		    (p[1] == '/' || !p[1] || (p[1] == '.' && (p[2] == '/' || !p[2]))))
			dots = p;
	if (bad || dots) {
		diag_error_fix(d, loc, "E083", suggest(d, v, sections[r].dir),
			       dots ? _("permalinks: đường dẫn \"%s\" của mục %s có \".\" hoặc \"..\"; "
					"mỗi mục phải nằm trong thư mục của cổng")
				    : _("permalinks: đường dẫn \"%s\" của mục %s có ký tự không dùng được trong địa chỉ "
					"(chỉ dùng chữ không dấu, số, \"-\", \"_\" và \"/\")"),
			       v, key);
		return -1;
	}
	size_t n = strlen(v);
	if (n < 2 || v[0] != '/' || v[n - 1] != '/' || strstr(v, "//")) {
		if (!strcmp(v, "/")) {
			diag_error_fix(d, loc, "E082", suggest(d, key, sections[r].dir),
				       _("permalinks: mục %s không thể ở \"/\", địa chỉ của trang chủ"), key);
			return -1;
		}
		diag_error_fix(d, loc, "E081", suggest(d, v, sections[r].dir),
			       _("permalinks: đường dẫn \"%s\" của mục %s phải bắt đầu và kết thúc bằng \"/\", "
				 "không có \"//\""),
			       v, key);
		return -1;
	}
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (nested(v + 1, kept[i])) {
			diag_error_fix(d, loc, "E082", suggest(d, key, sections[r].dir),
				       _("permalinks: đường dẫn \"%s\" của mục %s trùng với thư mục /%s của cổng"),
				       v, key, kept[i]);
			return -1;
		}
	if (upper) {
		char *low = xstrdup(v);
		for (char *p = low; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		diag_warning_fix(d, loc, "W070", diag_str(d, _("viết \"%s\""), low),
				 _("permalinks: đường dẫn \"%s\" của mục %s có chữ hoa; người dân gõ lại địa chỉ "
				   "dễ sai, và có máy chủ web phân biệt chữ hoa chữ thường"),
				 v, key);
		free(low);
	}
	return 0;
}

void routes_parse(routes_t *rt, arena_t *a, diag_t *d, const ynode_t *m)
{
	if (!m || ynode_is_null(m))
		return;
	if (m->kind != YNODE_MAP) {
		diag_error_fix(d, &m->loc, "E081", _("viết ví dụ \"permalinks: { plans: /plans/ }\""),
			       _("permalinks phải là các dòng \"mục: /đường-dẫn/\" (các mục: %s)"), key_list(d));
		return;
	}
	const loc_t *where[ROUTE_COUNT] = { 0 };
	for (size_t i = 0; i < m->n; i++) {
		const ynode_t *k = ynode_key(m, i), *v = ynode_val(m, i);
		const char *key = k->str ? k->str : "";
		route_section_t r = section_of(key);
		if (r == ROUTE_NONE) {
			const char *near = closest_key(key);
			diag_error_fix(d, &k->loc, "E080",
				       near ? diag_str(d, _("có phải \"%s\"?"), near)
					    : diag_str(d, _("dùng một trong các mục: %s"), key_list(d)),
				       _("permalinks: không có mục \"%s\" (các mục: %s)"), key, key_list(d));
			continue;
		}
		if (v->kind != YNODE_SCALAR || !v->str) {
			diag_error_fix(d, &v->loc, "E081", suggest(d, key, sections[r].dir),
				       _("permalinks: mục %s phải là một đường dẫn như \"/%s\""), key,
				       sections[r].dir);
			continue;
		}
		if (check_path(d, &v->loc, key, v->str, r) < 0)
			continue;
		if (!strcmp(v->str + 1, sections[r].dir))
			diag_warning_fix(d, &v->loc, "W071", _("xoá dòng này"),
					 _("permalinks: mục %s đã ở \"%s\" sẵn; dòng này không đổi gì"), key, v->str);
		rt->dir[r] = arena_strdup(a, v->str + 1);
		where[r] = &v->loc;
	}
	/* two sections in one folder, or one inside the other, would write
	 * their pages over each other's */
	for (int i = ROUTE_HOME + 1; i < ROUTE_COUNT; i++) {
		if (!where[i])
			continue;
		for (int j = ROUTE_HOME + 1; j < ROUTE_COUNT; j++) {
			if (j == i || !nested(rt->dir[i], rt->dir[j]))
				continue;
			/* a pair both moved is reported once, at the later line */
			if (where[j] && (where[j]->line > where[i]->line ||
					 (where[j]->line == where[i]->line && where[j]->col > where[i]->col)))
				continue;
			diag_error_fix(d, where[i], "E082",
				       diag_str(d, _("chọn cho mục %s một thư mục riêng, ví dụ \"/%s\""),
						sections[i].key, sections[i].dir),
				       _("permalinks: mục %s (\"/%s\") trùng hoặc lồng với mục %s (\"/%s\")"),
				       sections[i].key, rt->dir[i], sections[j].key, rt->dir[j]);
		}
	}
}
