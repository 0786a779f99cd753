/* test_pool.c: the worker pool: every item runs once, on a worker in range,
 * for a table of thread and item counts; started threads each get their
 * own number and are all joined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pool.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct count {
	atomic_int *runs;       /* runs[i]: how often item i ran */
	atomic_int bad_worker;  /* a worker number out of range was seen */
	int threads;
	atomic_int per_worker[16];
};

static void count_item(void *arg, int worker, size_t i)
{
	struct count *c = arg;
	if (worker < 0 || worker >= (c->threads > 1 ? c->threads : 1))
		atomic_store(&c->bad_worker, 1);
	else
		atomic_fetch_add(&c->per_worker[worker], 1);
	atomic_fetch_add(&c->runs[i], 1);
}

static void test_for(void **state)
{
	(void)state;
	static const struct { int threads; size_t n; } cases[] = {
		{ 1, 0 }, { 1, 1 }, { 1, 100 }, { 0, 5 }, { -3, 5 },
		{ 2, 0 }, { 2, 1 }, { 2, 2 }, { 2, 1000 },
		{ 8, 3 }, { 8, 7 }, { 8, 8 }, { 8, 9 }, { 8, 5000 }, { 16, 20000 },
	};
	for (size_t k = 0; k < N(cases); k++) {
		struct count c = { .threads = cases[k].threads };
		c.runs = calloc(cases[k].n + 1, sizeof(*c.runs));
		pool_for(cases[k].threads, cases[k].n, count_item, &c);
		for (size_t i = 0; i < cases[k].n; i++)
			assert_int_equal(atomic_load(&c.runs[i]), 1);
		assert_int_equal(atomic_load(&c.bad_worker), 0);
		int total = 0;
		for (int w = 0; w < 16; w++)
			total += atomic_load(&c.per_worker[w]);
		assert_int_equal(total, (int)cases[k].n);
		free(c.runs);
	}
}

/* one thread's record: which number it was given, and that it ran */
struct seen {
	atomic_int by_number[9];
	atomic_int calls;
	void *arg_seen;
};

static void note(void *arg, int worker)
{
	struct seen *s = arg;
	if (worker >= 0 && worker < 9)
		atomic_fetch_add(&s->by_number[worker], 1);
	atomic_fetch_add(&s->calls, 1);
}

static void test_start_join(void **state)
{
	(void)state;
	static const int counts[] = { 0, -1, 1, 2, 8 };
	for (size_t k = 0; k < N(counts); k++) {
		struct seen s = { 0 };
		pool_t *p = pool_start(counts[k], note, &s);
		int started = pool_threads(p);
		pool_join(p);
		int want = counts[k] > 0 ? counts[k] : 0;
		/* a test machine does not refuse 8 threads */
		assert_int_equal(started, want);
		assert_int_equal(atomic_load(&s.calls), want);
		assert_int_equal(atomic_load(&s.by_number[0]), 0);
		for (int w = 1; w <= want; w++)
			assert_int_equal(atomic_load(&s.by_number[w]), 1);
	}
	pool_join(NULL);
	assert_int_equal(pool_threads(NULL), 0);
}

static void test_size(void **state)
{
	(void)state;
	static const struct { int want, max, expect; } cases[] = {
		{ 1, 16, 1 }, { 3, 16, 3 }, { 16, 16, 16 }, { 40, 16, 16 }, { 5, 1, 1 },
	};
	for (size_t k = 0; k < N(cases); k++)
		assert_int_equal(pool_size(cases[k].want, cases[k].max), cases[k].expect);
	/* one per core, within bounds */
	int c = pool_size(0, 64);
	assert_true(c >= 1 && c <= 64);
	assert_int_equal(pool_size(-2, 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_for),
		cmocka_unit_test(test_start_join),
		cmocka_unit_test(test_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
