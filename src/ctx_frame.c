/* ctx_frame.c: the frame of every page as typed template records (tmpl.h):
 * `site` (the portal's data, the same on every page) and its menu
 * `site.nav`, read from records made once per render thread instead of
 * looked up by name in jansson objects on every page (a cold build of
 * 1,000 plans renders 2,832 pages, each looking up some 20 names of
 * `site` and the 21 of its menu). */
#include "ctx.h"

#include <string.h>

static const tmpl_val_t missing = { .kind = TMPL_MISSING };

/* ---- a menu entry: { url, label, current } */

static const tmpl_field_t nav_fields[] = {
	{ "url", TMPL_F_SCALAR, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, false },
	{ "current", TMPL_F_SCALAR, NULL, false },
};

static void nav_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_nav_t *e = rec;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_str(e->url); break;
	case 1: *out = tmpl_str(e->label); break;
	default: *out = tmpl_bool(e->current);
	}
}

static tmpl_type_t nav_type = { "nav", nav_fields, 3, nav_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_nav_type = &nav_type;

/* ---- site: every key render_site_json may give, then the menu */

static const char *const site_keys[CTX_SITE_NKEYS] = {
	"title", "description", "language", "base_url", "base_path", "repo_url", "owner",
	"agency", "editor", "address", "phone", "email", "license", "data_license",
	"data_license_url", "has_legal", "phone_tel", "as_of", "as_of_vi", "commit",
	"commit_short", "pages", "urls", "params", "history",
};

static tmpl_field_t site_fields[CTX_SITE_NKEYS + 1];

static void site_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_site_t *f = rec;
	(void)scratch;
	if (i < CTX_SITE_NKEYS)
		/* borrowed: the thread's copy of the site data outlives it */
		*out = f->v[i] ? tmpl_json(f->v[i], false) : missing;
	else
		*out = tmpl_list(&nav_type, f->nav, sizeof *f->nav, f->nnav, false);
}

static tmpl_type_t site_type = { "site", site_fields, CTX_SITE_NKEYS + 1, site_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_site_type = &site_type;

/* ---- a status filter: { chips: [{ key, anchor, label, count }], total }
 * (render_status_filter's data without the views' links) */

static const tmpl_field_t chip_fields[] = {
	{ "key", TMPL_F_SCALAR, NULL, false },
	{ "anchor", TMPL_F_SCALAR, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, false },
	{ "count", TMPL_F_SCALAR, NULL, false },
};

static void chip_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_chip_t *c = rec;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_str(c->kind->key); break;
	case 1: *out = tmpl_str(c->kind->anchor); break;
	case 2: *out = tmpl_str(c->kind->label); break;
	default: *out = tmpl_int(c->count);
	}
}

static tmpl_type_t chip_type = { "chip", chip_fields, 4, chip_get, NULL, 0, NULL, 0 };

static const tmpl_field_t filter_fields[] = {
	{ "chips", TMPL_F_LIST, &chip_type, false },
	{ "total", TMPL_F_SCALAR, NULL, false },
};

static void filter_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_filter_t *f = rec;
	(void)scratch;
	if (i == 0)
		*out = tmpl_list(&chip_type, f->chips, sizeof *f->chips, f->nchips, false);
	else
		*out = tmpl_int(f->total);
}

static tmpl_type_t filter_type = { "status_filter", filter_fields, 2, filter_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const ctx_filter_type = &filter_type;

void ctx_frame_types_register(void)
{
	tmpl_type_register(&chip_type);
	tmpl_type_register(&filter_type);
	for (size_t i = 0; i < CTX_SITE_NKEYS; i++)
		site_fields[i] = (tmpl_field_t){ site_keys[i], TMPL_F_OPAQUE, NULL, false };
	site_fields[CTX_SITE_NKEYS] = (tmpl_field_t){ "nav", TMPL_F_LIST, &nav_type, false };
	tmpl_type_register(&nav_type);
	tmpl_type_register(&site_type);
}

bool ctx_site_frame(ctx_site_t *f, json_t *site)
{
	memset(f, 0, sizeof *f);
	if (!json_is_object(site))
		return false;
	const char *key;
	json_t *v;
	json_object_foreach(site, key, v) {
		size_t i = 0;
		while (i < CTX_SITE_NKEYS && strcmp(key, site_keys[i]))
			i++;
		if (i == CTX_SITE_NKEYS)
			return false;   /* a key the record does not know (or "nav") */
		f->v[i] = v;
	}
	return true;
}
