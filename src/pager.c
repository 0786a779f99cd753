/* pager.c: the one pager of every paginated list (see pager.h). */
#include "pager.h"

#include <assert.h>
#include <stdlib.h>

#include "jsonh.h"
#include "util.h"

size_t pager_count(size_t nrows, size_t per_page)
{
	return nrows ? (nrows + per_page - 1) / per_page : 1;
}

size_t pager_window(size_t cur, size_t pages, size_t out[PAGER_MAX_ITEMS])
{
	if (pages < 2)
		return 0;
	assert(cur < pages);
	size_t lo = cur > PAGER_SPAN ? cur - PAGER_SPAN : 0;
	size_t hi = cur + PAGER_SPAN < pages - 1 ? cur + PAGER_SPAN : pages - 1;
	size_t n = 0;
	if (lo > 0) {
		out[n++] = 0;
		/* an ellipsis standing for one page would be no shorter */
		if (lo == 2)
			out[n++] = 1;
		else if (lo > 2)
			out[n++] = PAGER_GAP;
	}
	for (size_t i = lo; i <= hi; i++)
		out[n++] = i;
	if (hi < pages - 1) {
		if (hi + 3 == pages)
			out[n++] = pages - 2;
		else if (hi + 3 < pages)
			out[n++] = PAGER_GAP;
		out[n++] = pages - 1;
	}
	return n;
}

char *pager_url(const char *base_path, const char *dir, size_t i)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s", base_path, dir);
	if (i)
		buf_printf(&b, "trang/%zu/", i + 1);
	return buf_detach(&b);
}

char *pager_rel(const char *dir, size_t i)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, dir);
	if (i)
		buf_printf(&b, "trang/%zu/", i + 1);
	buf_puts(&b, "index.html");
	return buf_detach(&b);
}

static json_t *url_json(const char *base_path, const char *dir, size_t i)
{
	char *u = pager_url(base_path, dir, i);
	json_t *j = json_string(u);
	free(u);
	return j;
}

json_t *pager_ctx(const char *base_path, const char *dir, size_t cur, size_t pages)
{
	size_t win[PAGER_MAX_ITEMS];
	size_t n = pager_window(cur, pages, win);
	if (!n)
		return NULL;
	json_t *o = json_object();
	SET(o, "page_number", json_integer((json_int_t)cur + 1));
	SET(o, "page_count", json_integer((json_int_t)pages));
	if (cur)
		SET(o, "prev_url", url_json(base_path, dir, cur - 1));
	if (cur + 1 < pages)
		SET(o, "next_url", url_json(base_path, dir, cur + 1));
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++) {
		json_t *it = json_object();
		if (win[k] == PAGER_GAP) {
			SET(it, "gap", json_true());
		} else {
			SET(it, "number", json_integer((json_int_t)win[k] + 1));
			SET(it, "url", url_json(base_path, dir, win[k]));
			SET(it, "current", json_boolean(win[k] == cur));
		}
		json_array_append_new(items, it);
	}
	SET(o, "items", items);
	return o;
}
