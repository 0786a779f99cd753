/* test_mem.c: the allocator's figures and sparse tables (src/mem.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"

/* The resident anonymous memory now (kB). */
static long anon_kb(void)
{
	return mem_probe().anon_kb;
}

/* A sparse table reads as zeros, keeps what is written, and takes only the
 * pages written: 64 MB mapped, three pages written, well under 1 MB more
 * resident (a calloc that cleared it, as tcmalloc's does, would take all of
 * it). */
static void test_sparse(void **state)
{
	(void)state;
	enum { N = 64 << 20 };
	long before = anon_kb();
	unsigned char *p = mem_sparse(N);
	assert_non_null(p);
	for (size_t i = 0; i < N; i += N / 64)
		assert_int_equal(p[i], 0);
	p[0] = 1;
	p[N / 2] = 2;
	p[N - 1] = 3;
	long after = anon_kb();
	assert_int_equal(p[0], 1);
	assert_int_equal(p[N / 2], 2);
	assert_int_equal(p[N - 1], 3);
	assert_int_equal(p[1], 0);
	assert_true(after - before < 1024);
	mem_sparse_free(p, N);
	mem_sparse_free(NULL, 0);
	/* an empty table is still a table */
	unsigned char *e = mem_sparse(0);
	assert_non_null(e);
	mem_sparse_free(e, 0);
}

/* The process's figures come from /proc: a peak at least what is resident
 * now, and an anonymous part that grows with memory written. */
static void test_probe(void **state)
{
	(void)state;
	mem_probe_t m = mem_probe();
	assert_true(m.now_kb > 0);
	assert_true(m.peak_kb >= m.now_kb);
	assert_true(m.anon_kb > 0 && m.anon_kb <= m.now_kb);
	enum { N = 16 << 20 };
	unsigned char *p = mem_sparse(N);
	memset(p, 7, N);
	mem_probe_t m2 = mem_probe();
	assert_true(m2.anon_kb - m.anon_kb >= (N >> 10) / 2);
	assert_true(m2.peak_kb >= m2.now_kb);
	mem_sparse_free(p, N);
}

/* The setup can be asked twice, and the calls a thread and a stage make
 * beside it work on whichever allocator runs. */
static void test_setup(void **state)
{
	(void)state;
	mem_setup(2);
	mem_setup(2);
	mem_thread_begin();
	mem_trim();
	void *p = malloc(1000);
	assert_non_null(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
