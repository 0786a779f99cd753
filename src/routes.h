/* routes.h: the one table of the portal's addresses: its sections (plans,
 * units, ...) with their folders and menu entries, its page kinds with
 * their templates and pagers, and the `permalinks` of site.yaml that move
 * a section.  Every link, file name, sitemap entry and search record takes
 * its address from here. */
#ifndef PLANSITE_ROUTES_H
#define PLANSITE_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "fm.h"
#include "util.h"

/* The sections, in menu and sitemap order. */
typedef enum {
	ROUTE_HOME, ROUTE_PLANS, ROUTE_DOCUMENTS, ROUTE_UNITS, ROUTE_DEADLINES,
	ROUTE_CHANGES, ROUTE_WEEKS, ROUTE_SEARCH, ROUTE_DATA,
	ROUTE_COUNT,
	ROUTE_NONE = ROUTE_COUNT   /* a page in no section (free pages, 404) */
} route_section_t;

/* The kinds of page, each rendered by one template. */
typedef enum {
	ROUTE_KIND_HOME, ROUTE_KIND_PLANS, ROUTE_KIND_PLAN, ROUTE_KIND_UNITS, ROUTE_KIND_UNIT,
	ROUTE_KIND_DOCUMENTS, ROUTE_KIND_DOCUMENT, ROUTE_KIND_DEADLINES, ROUTE_KIND_STATUS,
	ROUTE_KIND_PAGE, ROUTE_KIND_SEARCH, ROUTE_KIND_DATA, ROUTE_KIND_404,
	ROUTE_KIND_CHANGES, ROUTE_KIND_WEEKS, ROUTE_KIND_WEEK,
	ROUTE_KIND_COUNT
} route_kind_t;

typedef struct {
	const char *key;        /* its key under permalinks: "plans"; NULL: cannot move */
	const char *dir;        /* default folder under the site root: "ke-hoach/" */
	const char *nav;        /* string key of its menu entry: "nav_plans" */
} route_section_info_t;

typedef struct {
	const char *name;       /* page.kind and the body's class: "plan" */
	const char *tmpl;       /* the template that renders it */
	route_section_t section;   /* the menu entry marked current */
	size_t per_page;        /* rows of one page of its pager; 0: not paginated */
} route_kind_info_t;

/* Borrowed rows of the tables. */
const route_section_info_t *routes_section(route_section_t r);
const route_kind_info_t *routes_kind(route_kind_t k);

/* The pre-rendered task lists under the deadlines section: one per status
 * (overdue, not started, in progress, done, done late, cancelled) then
 * all tasks; routes_view(k) is the folder name ("qua-han"). */
#define ROUTES_NVIEWS 7
const char *routes_view(size_t k);

/* The addresses of one site: base path and each section's folder. */
typedef struct {
	const char *base;                 /* base_path: "/" or "/sub/" */
	const char *dir[ROUTE_COUNT];     /* "" for home, "ke-hoach/", or as permalinks say */
} routes_t;

/* The default folders, base "/". */
void routes_default(routes_t *rt);

/* Reads site.yaml's `permalinks` map (section key: "/path/") into rt,
 * reporting each unknown key, malformed or unsafe path and clash to d
 * (E080-E083, W070-W071); a rejected entry leaves its default.  Strings
 * live in a. */
void routes_parse(routes_t *rt, arena_t *a, diag_t *d, const ynode_t *permalinks);

/* Whether the free page of slug ("gioi-thieu", "a/b") would land in a
 * section's folder (slug equals or is under it) or in a folder the portal
 * keeps for itself ("static", "404"). */
bool routes_clash(const routes_t *rt, const char *slug);

/* The address of section r, or of sub ("qd-12-2025", "trang/2") inside it:
 * base dir sub "/".  malloc'd. */
char *routes_url(const routes_t *rt, route_section_t r, const char *sub);

/* Same, in a. */
const char *routes_url_in(arena_t *a, const routes_t *rt, route_section_t r, const char *sub);

/* A file of section r, relative to the output folder: dir name
 * ("thay-doi/atom.xml", "ke-hoach/index.html").  malloc'd. */
char *routes_file(const routes_t *rt, route_section_t r, const char *name);

/* The folder of section r under the site root ("ke-hoach/"; "" for home),
 * as pager.h takes it.  Borrowed from rt. */
const char *routes_dir(const routes_t *rt, route_section_t r);

/* The template data site.urls: { home, plans, documents, units, deadlines,
 * changes, weeks, search, data, feed, sitemap }, base path included.  New
 * reference. */
json_t *routes_json(const routes_t *rt);

#endif
