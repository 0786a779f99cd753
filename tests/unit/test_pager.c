/* test_pager.c: the windowed pager, from tables of cases and over every
 * page of lists up to 60 pages long. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pager.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The window as a reader sees it: "1 … 4 5 [6] 7 8 … 20". */
static char *show(size_t cur, size_t pages)
{
	size_t w[PAGER_MAX_ITEMS];
	size_t n = pager_window(cur, pages, w);
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ' ');
		if (w[i] == PAGER_GAP)
			buf_puts(&b, "…");
		else if (w[i] == cur)
			buf_printf(&b, "[%zu]", w[i] + 1);
		else
			buf_printf(&b, "%zu", w[i] + 1);
	}
	return buf_detach(&b);
}

static void test_window(void **state)
{
	(void)state;
	static const struct { size_t cur, pages; const char *want; } cases[] = {
		{ 0, 1, "" },
		{ 0, 2, "[1] 2" },
		{ 1, 2, "1 [2]" },
		{ 0, 3, "[1] 2 3" },
		{ 1, 3, "1 [2] 3" },
		{ 0, 5, "[1] 2 3 4 5" },
		{ 2, 5, "1 2 [3] 4 5" },
		{ 4, 5, "1 2 3 4 [5]" },
		{ 0, 7, "[1] 2 3 … 7" },
		/* a gap of one page shows the page */
		{ 3, 6, "1 2 3 [4] 5 6" },
		{ 0, 6, "[1] 2 3 … 6" },
		{ 2, 6, "1 2 [3] 4 5 6" },
		{ 3, 7, "1 2 3 [4] 5 6 7" },
		{ 4, 8, "1 2 3 4 [5] 6 7 8" },
		{ 4, 10, "1 2 3 4 [5] 6 7 … 10" },
		{ 5, 10, "1 … 4 5 [6] 7 8 9 10" },
		{ 5, 12, "1 … 4 5 [6] 7 8 … 12" },
		{ 0, 12, "[1] 2 3 … 12" },
		{ 1, 12, "1 [2] 3 4 … 12" },
		{ 2, 12, "1 2 [3] 4 5 … 12" },
		{ 11, 12, "1 … 10 11 [12]" },
		{ 10, 12, "1 … 9 10 [11] 12" },
		{ 9, 12, "1 … 8 9 [10] 11 12" },
		{ 499, 1000, "1 … 498 499 [500] 501 502 … 1000" },
		{ 999, 1000, "1 … 998 999 [1000]" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *got = show(cases[i].cur, cases[i].pages);
		if (strcmp(got, cases[i].want))
			fail_msg("page %zu of %zu: \"%s\", want \"%s\"", cases[i].cur + 1,
				 cases[i].pages, got, cases[i].want);
		free(got);
	}
}

/* Every page of every list up to 60 pages: at most PAGER_MAX_ITEMS items,
 * in order, the first, the last and cur ± PAGER_SPAN among them, an
 * ellipsis only where two or more pages are left out, and every page
 * reachable from the first by following links. */
static void test_every_page(void **state)
{
	(void)state;
	for (size_t pages = 1; pages <= 60; pages++) {
		unsigned char seen[60] = { 0 };
		size_t queue[60], nq = 0;
		seen[0] = 1;
		queue[nq++] = 0;
		for (size_t cur = 0; cur < pages; cur++) {
			size_t w[PAGER_MAX_ITEMS];
			size_t n = pager_window(cur, pages, w);
			if (pages == 1) {
				assert_int_equal(n, 0);
				continue;
			}
			assert_true(n <= PAGER_MAX_ITEMS);
			assert_int_equal(w[0], 0);
			assert_int_equal(w[n - 1], pages - 1);
			size_t prev = 0, has_cur = 0;
			for (size_t k = 0; k < n; k++) {
				if (w[k] == PAGER_GAP) {
					assert_true(k > 0 && k + 1 < n && w[k + 1] != PAGER_GAP);
					assert_true(w[k + 1] - w[k - 1] > 2);
					continue;
				}
				if (k && w[k - 1] != PAGER_GAP)
					assert_int_equal(w[k], prev + 1);
				if (k)
					assert_true(w[k] > prev);
				prev = w[k];
				has_cur += w[k] == cur;
			}
			assert_int_equal(has_cur, 1);
			for (size_t d = 1; d <= PAGER_SPAN; d++) {
				int lo = cur < d, hi = cur + d >= pages;
				for (size_t k = 0; k < n; k++) {
					lo |= w[k] == cur - d;
					hi |= w[k] == cur + d;
				}
				assert_true(lo && hi);
			}
		}
		/* reachable: a walk over the links */
		for (size_t q = 0; q < nq && pages > 1; q++) {
			size_t w[PAGER_MAX_ITEMS];
			size_t n = pager_window(queue[q], pages, w);
			for (size_t k = 0; k < n; k++)
				if (w[k] != PAGER_GAP && !seen[w[k]]) {
					seen[w[k]] = 1;
					queue[nq++] = w[k];
				}
		}
		assert_int_equal(nq, pages);
	}
}

static void test_count(void **state)
{
	(void)state;
	static const size_t cases[][3] = {
		{ 0, 400, 1 }, { 1, 400, 1 }, { 400, 400, 1 }, { 401, 400, 2 },
		{ 800, 400, 2 }, { 4801, 400, 13 }, { 60, 50, 2 },
	};
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(pager_count(cases[i][0], cases[i][1]), cases[i][2]);
}

static void test_urls(void **state)
{
	(void)state;
	static const struct { const char *base, *dir; size_t i; const char *url, *rel; } cases[] = {
		{ "/", "thoi-han/", 0, "/thoi-han/", "thoi-han/index.html" },
		{ "/", "thoi-han/", 1, "/thoi-han/trang/2/", "thoi-han/trang/2/index.html" },
		{ "/sub/", "thay-doi/", 11, "/sub/thay-doi/trang/12/", "thay-doi/trang/12/index.html" },
		{ "/", "don-vi/so-z/", 0, "/don-vi/so-z/", "don-vi/so-z/index.html" },
		{ "/", "thoi-han/qua-han/", 2, "/thoi-han/qua-han/trang/3/",
		  "thoi-han/qua-han/trang/3/index.html" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *u = pager_url(cases[i].base, cases[i].dir, cases[i].i);
		char *r = pager_rel(cases[i].dir, cases[i].i);
		assert_string_equal(u, cases[i].url);
		assert_string_equal(r, cases[i].rel);
		free(u);
		free(r);
	}
}

static void test_ctx(void **state)
{
	(void)state;
	assert_null(pager_ctx("/", "thoi-han/", 0, 1));
	json_t *o = pager_ctx("/", "thoi-han/", 5, 12);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "page_number")), 6);
	assert_int_equal(json_integer_value(json_object_get(o, "page_count")), 12);
	assert_string_equal(json_string_value(json_object_get(o, "prev_url")), "/thoi-han/trang/5/");
	assert_string_equal(json_string_value(json_object_get(o, "next_url")), "/thoi-han/trang/7/");
	json_t *items = json_object_get(o, "items");
	assert_int_equal(json_array_size(items), 9);
	json_t *first = json_array_get(items, 0), *gap = json_array_get(items, 1),
	       *cur = json_array_get(items, 4);
	assert_string_equal(json_string_value(json_object_get(first, "url")), "/thoi-han/");
	assert_true(json_is_false(json_object_get(first, "current")));
	assert_true(json_is_true(json_object_get(gap, "gap")));
	assert_null(json_object_get(gap, "url"));
	assert_int_equal(json_integer_value(json_object_get(cur, "number")), 6);
	assert_true(json_is_true(json_object_get(cur, "current")));
	json_decref(o);
	/* the first page has no previous, the last no next */
	o = pager_ctx("/", "thoi-han/", 0, 2);
	assert_null(json_object_get(o, "prev_url"));
	assert_string_equal(json_string_value(json_object_get(o, "next_url")), "/thoi-han/trang/2/");
	json_decref(o);
	o = pager_ctx("/", "thoi-han/", 1, 2);
	assert_string_equal(json_string_value(json_object_get(o, "prev_url")), "/thoi-han/");
	assert_null(json_object_get(o, "next_url"));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_every_page),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_ctx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
