/* test_data.c: unit tests of data.c: the open data files stop where they
 * are once a cancel is set (serve: the editor saved again), and are
 * written whole without one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data.h"
#include "diag.h"
#include "output.h"
#include "routes.h"
#include "util.h"

/* A site of n plans of one task each, and nothing else. */
static site_t *mk_site(arena_t *a, size_t n)
{
	site_t *s = arena_alloc(a, sizeof(*s));
	s->base_path = "/";
	s->base_url = "https://example.gov.vn/";
	routes_default(&s->routes);
	s->nplans = n;
	s->plans = arena_alloc(a, (n + 1) * sizeof(*s->plans));
	for (size_t i = 0; i < n; i++) {
		plan_t *p = arena_alloc(a, sizeof(*p));
		p->path = arena_printf(a, "content/plans/%zu.md", i);
		p->number = arena_printf(a, "%zu/KH-UBND", i + 1);
		p->title = "Kế hoạch chuyển đổi số, một dòng khá dài để tệp lớn lên nhanh hơn";
		p->slug = arena_printf(a, "%zu-kh-ubnd", i + 1);
		p->url = arena_printf(a, "/ke-hoach/%s/", p->slug);
		p->name = p->number;
		p->ntasks = 1;
		p->tasks = arena_alloc(a, 2 * sizeof(task_t));
		task_t *t = &p->tasks[0];
		t->plan = p;
		t->id = "1";
		t->title = p->title;
		t->progress = -1;
		s->plans[i] = p;
	}
	return s;
}

static void test_cancel(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/plansite-data-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char site[256];
	snprintf(site, sizeof site, "%s/public", tmpl);
	arena_t *a = arena_new();
	/* past a megabyte of plans.json and of tasks.csv: a cancel is looked
	 * at each megabyte */
	site_t *s = mk_site(a, 12000);
	diag_t *d = diag_new();
	out_t *o;
	char *err = NULL;
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	atomic_int cancel = 0;
	for (int part = 0; part < DATA_PARTS; part++) {
		assert_int_equal(data_write(s, NULL, o, d, part, &cancel), 0);
	}
	out_abort(o);
	/* another staging folder: files are only ever created */
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	atomic_store(&cancel, 1);
	for (int part = 0; part < DATA_PARTS; part++)
		assert_int_equal(data_write(s, NULL, o, d, part, &cancel), DATA_CANCELLED);
	/* a cancel is not an error: nothing reported */
	assert_int_equal(diag_errors(d), 0);
	out_abort(o);
	diag_free(d);
	arena_free(a);
	rmdir(tmpl);
}

/* A CSV cell as RFC 4180 reads it back: the cell's text, the quote a
 * formula guard added included.  Returns a malloc'd string, or NULL when
 * the cell is not well formed. */
static char *csv_read_cell(const char *c)
{
	size_t n = strlen(c);
	if (!n || c[0] != '"')
		return strpbrk(c, ",\"\r\n") ? NULL : strdup(c);
	if (n < 2 || c[n - 1] != '"')
		return NULL;
	char *out = malloc(n), *o = out;
	for (size_t i = 1; i < n - 1; i++) {
		if (c[i] == '"') {
			if (c[i + 1] != '"' || i + 1 >= n - 1) {
				free(out);
				return NULL;
			}
			i++;
		}
		*o++ = c[i];
	}
	*o = '\0';
	return out;
}

/* Every cell reads back as its text (with a leading ' when a spreadsheet
 * would take it for a formula), quoted only when it must be, and after
 * what the buffer held already. */
static void test_csv_field(void **state)
{
	(void)state;
	static const char *const cells[] = {
		"", "plain", "Kế hoạch số 44/KH-UBND", "cán bộ, công chức", "\"", "\"\"", "a\"b", "\"start",
		"end\"", "x,\"y\",z", "line\nbreak", "cr\rhere", "=HYPERLINK(\"http://x\")", "+1", "-1", "@a",
		"\tTab", "\rCR", "=", "=\"\"", "a\"\"\"\"b,", ",", "Đơn vị \"A\", \"B\" và \"C\"",
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		buf_t b = BUF_INIT;
		buf_puts(&b, "before;");
		data_csv_field(&b, cells[i]);
		assert_memory_equal(b.ptr, "before;", 7);
		assert_int_equal(strlen(b.ptr), b.len);
		char *back = csv_read_cell(b.ptr + 7);
		if (!back)
			fail_msg("cell %zu written as [%s]: not RFC 4180", i, b.ptr + 7);
		const char *want = cells[i];
		char guarded[64];
		if (*want && strchr("=+-@\t\r", *want)) {
			snprintf(guarded, sizeof guarded, "'%s", want);
			want = guarded;
		}
		assert_string_equal(back, want);
		/* quoted only when it must be */
		bool must = strpbrk(cells[i], ",\"\r\n") || (*cells[i] && strchr("=+-@\t\r", *cells[i]));
		assert_int_equal(b.ptr[7] == '"', must);
		free(back);
		buf_free(&b);
	}
	buf_t b = BUF_INIT;
	data_csv_field(&b, NULL);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_csv_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
