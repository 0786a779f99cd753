/* test_hdue.c: unit tests of hdue.c (the walk's tasks by deadline): after
 * every change of a plan's version, its counts and the tasks it lists for a
 * window of dates equal a scan of every task of every current version, the
 * weekly reports' former way; with dates outside its slots (before 2000,
 * after 2100), deadlines that become ongoing, and versions that come back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hdue.h"
#include "progress.h"

#define NPLANS 40
#define NVERS 120
#define MAXTASKS 12

static htask_t tasks[NVERS][MAXTASKS];
static const htask_t *ptrs[NVERS][MAXTASKS];
static hver_t vers[NVERS];
static unsigned seed = 12345;

static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* Dates around 2025, and a few no slot holds. */
static date_t some_date(void)
{
	switch (rnd(20)) {
	case 0: return 0;
	case 1: return 19991231;
	case 2: return 21010115;
	case 3: return 20000101;
	case 4: return 21001231;
	default: return date_add_days(20250101, (int)rnd(400));
	}
}

static void make_versions(void)
{
	for (size_t v = 0; v < NVERS; v++) {
		size_t n = rnd(MAXTASKS + 1);
		for (size_t j = 0; j < n; j++) {
			htask_t *t = &tasks[v][j];
			memset(t, 0, sizeof(*t));
			t->due.date = some_date();
			t->due.ongoing = rnd(5) == 0;
			t->status = (status_t)rnd(4);
			t->completed = rnd(3) ? 0 : date_add_days(20250101, (int)rnd(400));
			/* a task the same as in the version before is that version's */
			ptrs[v][j] = v && j < vers[v - 1].ntasks && rnd(2) ? ptrs[v - 1][j] : t;
		}
		vers[v].tasks = ptrs[v];
		vers[v].ntasks = n;
	}
}

/* What week_close computed by reading every task. */
static void scan(const hver_t *const *cur, date_t after, date_t from, date_t to, stats_t *st,
		 hdue_item_t *items, size_t *nitems)
{
	memset(st, 0, sizeof(*st));
	*nitems = 0;
	for (size_t p = 0; p < NPLANS; p++) {
		const hver_t *v = cur[p];
		for (size_t j = 0; v && j < v->ntasks; j++) {
			const htask_t *t = v->tasks[j];
			st->total++;
			switch (t->status) {
			case STATUS_DONE: st->done++; break;
			case STATUS_IN_PROGRESS: st->in_progress++; break;
			case STATUS_CANCELLED: st->cancelled++; break;
			default: st->not_started++; break;
			}
			st->overdue += due_overdue(&t->due, t->status, after);
			st->done_late += t->completed && due_done_late(&t->due, t->status, t->completed);
			if (t->due.date && t->status != STATUS_DONE && t->status != STATUS_CANCELLED &&
			    t->due.date >= from && t->due.date <= to)
				items[(*nitems)++] = (hdue_item_t){ (uint32_t)p, (uint32_t)j };
		}
	}
}

static void check(hdue_t *x, const hver_t *const *cur, date_t after, date_t from, date_t to)
{
	static hdue_item_t want[NPLANS * MAXTASKS];
	size_t nwant;
	stats_t st_want, st_got;
	scan(cur, after, from, to, &st_want, want, &nwant);
	hdue_stats(x, after, &st_got);
	assert_int_equal(st_got.total, st_want.total);
	assert_int_equal(st_got.done, st_want.done);
	assert_int_equal(st_got.in_progress, st_want.in_progress);
	assert_int_equal(st_got.not_started, st_want.not_started);
	assert_int_equal(st_got.cancelled, st_want.cancelled);
	assert_int_equal(st_got.overdue, st_want.overdue);
	assert_int_equal(st_got.done_late, st_want.done_late);
	const hdue_item_t *got;
	size_t ngot = hdue_range(x, from, to, &got);
	assert_int_equal(ngot, nwant);
	for (size_t i = 0; i < ngot; i++) {
		assert_int_equal(got[i].ord, want[i].ord);
		assert_int_equal(got[i].task, want[i].task);
	}
}

static void test_hdue_equals_scan(void **state)
{
	(void)state;
	make_versions();
	hdue_t *x = hdue_new();
	const hver_t *cur[NPLANS] = { 0 };
	for (int step = 0; step < 3000; step++) {
		size_t p = rnd(NPLANS);
		/* a version, none (the file removed), or one it held before */
		const hver_t *v = rnd(6) == 0 ? NULL : &vers[rnd(NVERS)];
		cur[p] = v;
		hdue_set(x, p, v);
		assert_ptr_equal(hdue_get(x, p), v);
		date_t mon = date_add_days(20250106, 7 * (int)rnd(60));
		date_t after = rnd(4) ? date_add_days(mon, 7) : date_add_days(mon, (int)rnd(7));
		check(x, cur, after, mon, date_add_days(mon, 13));
		if (step % 100 == 0) {
			/* the dates no slot holds, and windows around them */
			check(x, cur, 19990101, 19991201, 20000110);
			check(x, cur, 21020101, 21001220, 21010131);
			check(x, cur, 0, 1, 99991231);
			check(x, cur, 20251332, 20251301, 20251399);   /* not a date: still a bound */
		}
	}
	hdue_free(x);
	hdue_free(NULL);
}

/* A plan set to the version it holds changes nothing, and a plan number
 * far past the others grows the index. */
static void test_hdue_same_and_far_plan(void **state)
{
	(void)state;
	make_versions();
	hdue_t *x = hdue_new();
	const hver_t *cur[NPLANS] = { 0 };
	cur[3] = &vers[5];
	hdue_set(x, 3, &vers[5]);
	hdue_set(x, 3, &vers[5]);
	check(x, cur, 20250601, 20250101, 20251231);
	hdue_set(x, 5000, &vers[7]);
	assert_ptr_equal(hdue_get(x, 5000), &vers[7]);
	assert_null(hdue_get(x, 4999));
	assert_null(hdue_get(x, 100000));
	hdue_set(x, 5000, NULL);
	check(x, cur, 20250601, 20250101, 20251231);
	hdue_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdue_equals_scan),
		cmocka_unit_test(test_hdue_same_and_far_plan),
	};
	return cmocka_run_group_tests(tests, 0, NULL);
}
