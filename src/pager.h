/* pager.h: the one pager of every paginated list (deadlines, status lists,
 * unit pages, changes): which pages a page links to, their URLs and files,
 * and the template data. */
#ifndef PLANSITE_PAGER_H
#define PLANSITE_PAGER_H

#include <stddef.h>

#include <jansson.h>

/* Pages shown on each side of the current one. */
#define PAGER_SPAN 2
/* An ellipsis in pager_window's list. */
#define PAGER_GAP ((size_t)-1)
/* The longest list pager_window writes: first, gap, the current page and
 * PAGER_SPAN on each side, gap, last. */
#define PAGER_MAX_ITEMS (2 * PAGER_SPAN + 5)

/* Number of pages of nrows rows, per_page a page (at least one). */
size_t pager_count(size_t nrows, size_t per_page);

/* The items page cur (0-based) of pages shows, in order, into out: page
 * indices (0-based) and PAGER_GAP for an ellipsis.  The first page, the
 * last, and cur ± PAGER_SPAN; a gap of one page shows that page instead of
 * an ellipsis.  Returns how many (0 when pages < 2, else at most
 * PAGER_MAX_ITEMS), so a page links to a bounded number of pages however
 * many there are. */
size_t pager_window(size_t cur, size_t pages, size_t out[PAGER_MAX_ITEMS]);

/* URL of page i (0-based) of the list at dir (relative to base_path, ending
 * in "/"): base_path dir, then base_path dir "trang/<i+1>/".  malloc'd. */
char *pager_url(const char *base_path, const char *dir, size_t i);

/* The file of page i: dir "index.html", dir "trang/<i+1>/index.html".
 * malloc'd. */
char *pager_rel(const char *dir, size_t i);

/* The template data `pager` of page cur of pages (themes/README.md):
 * { page_number, page_count, prev_url, next_url, items: [{ number, url,
 * current } or { gap: true }] }.  NULL when pages < 2 (no pager).  New
 * reference, the caller's. */
json_t *pager_ctx(const char *base_path, const char *dir, size_t cur, size_t pages);

#endif
