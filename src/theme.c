/* theme.c: loading templates, strings and assets of a theme. */
#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm.h"

#ifndef PLANSITE_DATADIR
#define PLANSITE_DATADIR "/usr/local/share/plansite"
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *theme_locate(const char *dir)
{
	if (dir)
		return xstrdup(dir);
	const char *env = getenv("PLANSITE_THEME");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		buf_t b = BUF_INIT;
		/* ./plansite and build/<mode>/plansite both live in the project */
		char up[PATH_MAX];
		memcpy(up, exe, strlen(exe) + 1);
		for (int i = 0; i < 3 && slash; i++) {
			buf_clear(&b);
			buf_printf(&b, "%s/themes/default", up);
			if (is_dir(b.ptr))
				return buf_detach(&b);
			if ((slash = strrchr(up, '/')))
				*slash = '\0';
		}
		/* an installed copy moved as a whole: PREFIX/bin/plansite beside
		 * PREFIX/share/plansite */
		buf_clear(&b);
		buf_printf(&b, "%s/../share/plansite/themes/default", exe);
		char *real = is_dir(b.ptr) ? realpath(b.ptr, NULL) : NULL;
		buf_free(&b);
		if (real)
			return real;
	}
	return xstrdup(PLANSITE_DATADIR "/themes/default");
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in a folder, so loading order never depends on readdir. */
static char **list_dir(const char *dir, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (*n)
		qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void load_assets(theme_t *t, const char *dir, const char *rel)
{
	size_t n;
	char **names = list_dir(dir, &n);
	for (size_t i = 0; i < n; i++) {
		buf_t full = BUF_INIT, r = BUF_INIT;
		buf_printf(&full, "%s/%s", dir, names[i]);
		buf_printf(&r, "%s%s", rel, names[i]);
		struct stat st;
		if (lstat(full.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				buf_putc(&r, '/');
				load_assets(t, full.ptr, r.ptr);
			} else if (S_ISREG(st.st_mode)) {
				asset_t as = { 0 };
				if (util_read_file(full.ptr, &as.data, &as.len) == 0) {
					as.rel = buf_detach(&r);
					t->assets = xrealloc(t->assets, (t->nassets + 1) * sizeof(asset_t));
					t->assets[t->nassets++] = as;
				}
			}
		}
		buf_free(&full);
		buf_free(&r);
	}
	free_list(names, n);
}

/* A flat YAML map of strings becomes a JSON object. */
static json_t *strings_json(const ynode_t *m)
{
	json_t *o = json_object();
	if (!m || m->kind != YNODE_MAP)
		return o;
	for (size_t i = 0; i < m->n; i++) {
		const ynode_t *k = ynode_key(m, i), *v = ynode_val(m, i);
		if (k->kind == YNODE_SCALAR && v->kind == YNODE_SCALAR)
			json_object_set_new(o, k->str, json_string(v->str));
	}
	return o;
}

/* Template errors arrive as "file:line:col: error: text"; report them at
 * their position like every other message. */
static void report_tmpl_error(arena_t *a, diag_t *d, const char *e)
{
	const char *sep = e ? strstr(e, ": error: ") : NULL;
	loc_t loc = { 0 };
	if (!sep) {
		diag_error(d, &loc, "E091", "%s", e ? e : _("lỗi trong mẫu giao diện"));
		return;
	}
	char *head = xstrndup(e, (size_t)(sep - e));
	char *c2 = strrchr(head, ':');
	char *c1 = NULL;
	if (c2) {
		*c2 = '\0';
		c1 = strrchr(head, ':');
	}
	if (c1) {
		*c1 = '\0';
		loc.path = arena_strdup(a, head);
		loc.line = atoi(c1 + 1);
		loc.col = atoi(c2 + 1);
	}
	diag_error(d, &loc, "E091", "%s", sep + strlen(": error: "));
	free(head);
}

static int load_strings(theme_t *t, const char *dir, const char *lang, arena_t *a, diag_t *d)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/strings/%s.yaml", dir, lang);
	char *data;
	size_t len;
	if (util_read_file(p.ptr, &data, &len) < 0) {
		buf_clear(&p);
		buf_printf(&p, "%s/strings/vi.yaml", dir);
		if (util_read_file(p.ptr, &data, &len) < 0) {
			buf_free(&p);
			t->strings = json_object();
			return -1;
		}
	}
	ynode_t *root = NULL;
	const char *path = arena_strdup(a, p.ptr);
	if (fm_check_utf8(d, path, data, len) == 0)
		yml_parse(a, d, path, data, len, 0, &root);
	t->strings = strings_json(root);
	free(data);
	buf_free(&p);
	return 0;
}

int theme_load(theme_t *t, const char *dir, const site_t *s, arena_t *a, diag_t *d, char **err)
{
	memset(t, 0, sizeof(*t));
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/templates", dir);
	if (!is_dir(p.ptr)) {
		buf_clear(&p);
		buf_printf(&p, _("thư mục giao diện %s không có thư mục templates/"), dir);
		*err = buf_detach(&p);
		return -1;
	}
	t->tmpl = tmpl_set_new();
	size_t n;
	char **names = list_dir(p.ptr, &n);
	for (size_t i = 0; i < n; i++) {
		if (!has_suffix(names[i], ".mustache"))
			continue;
		buf_t f = BUF_INIT;
		buf_printf(&f, "%s/%s", p.ptr, names[i]);
		char *src;
		size_t len;
		if (util_read_file(f.ptr, &src, &len) == 0) {
			char *name = xstrndup(names[i], strlen(names[i]) - strlen(".mustache"));
			char *e = NULL;
			if (tmpl_set_add(t->tmpl, name, f.ptr, src, len, &e) < 0)
				report_tmpl_error(a, d, e);
			free(e);
			free(name);
			free(src);
		}
		buf_free(&f);
	}
	free_list(names, n);
	/* the site's own templates override the theme's, by name */
	for (size_t i = 0; i < s->ntemplates; i++) {
		const rfile_t *f = s->templates[i];
		const char *base = strrchr(f->rel, '/') + 1;
		char *name = xstrndup(base, strlen(base) - strlen(".mustache"));
		char *e = NULL;
		if (tmpl_set_add(t->tmpl, name, f->path, f->data, f->len, &e) < 0)
			report_tmpl_error(a, d, e);
		free(e);
		free(name);
	}
	char **cyc;
	size_t ncyc = tmpl_set_cycles(t->tmpl, &cyc);
	for (size_t i = 0; i < ncyc; i++) {
		report_tmpl_error(a, d, cyc[i]);
		free(cyc[i]);
	}
	free(cyc);
	load_strings(t, dir, s->language, a, d);
	/* the interface strings are the same on every page: written into the
	 * templates once, not looked up on every row of every table */
	tmpl_set_fold(t->tmpl, "t", t->strings);
	/* after folding: the strings no longer count as names from outside */
	tmpl_set_prepare(t->tmpl);
	buf_clear(&p);
	buf_printf(&p, "%s/static", dir);
	load_assets(t, p.ptr, "");
	buf_free(&p);
	return 0;
}

void theme_free(theme_t *t)
{
	tmpl_set_free(t->tmpl);
	json_decref(t->strings);
	for (size_t i = 0; i < t->nassets; i++) {
		free((char *)t->assets[i].rel);
		free(t->assets[i].data);
	}
	free(t->assets);
	memset(t, 0, sizeof(*t));
}
