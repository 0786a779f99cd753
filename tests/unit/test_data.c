/* test_data.c: unit tests of data.c: the open data files stop where they
 * are once a cancel is set (serve: the editor saved again), and are
 * written whole without one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
