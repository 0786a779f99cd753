/* test_progress.c: unit tests of progress.c's sort of tasks by address
 * (the radix sort the roll-ups use), against qsort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"

static int cmp_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(task_t *const *)x, b = (uintptr_t)*(task_t *const *)y;
	return a < b ? -1 : a > b;
}

/* Shuffled pointers with repeats, into one array (as a plan's tasks) and
 * into blocks far apart (as arenas): every length around the switch from
 * insertion sort to radix sort, and big ones that take several digits. */
static void test_unique_by_address(void **state)
{
	(void)state;
	enum { NT = 5000 };
	task_t *near = calloc(NT, sizeof(task_t));
	task_t *far[4];
	for (int b = 0; b < 4; b++)
		far[b] = malloc(((size_t)1 << (20 + 2 * b)));   /* up to 64 MB apart */
	static const size_t lens[] = { 0, 1, 2, 3, 47, 48, 49, 100, 1000, 20000, 70000 };
	unsigned seed = 12345;
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
		for (int spread = 0; spread < 2; spread++) {
			size_t n = lens[li];
			task_t **v = malloc((n + 1) * sizeof(*v)), **w = malloc((n + 1) * sizeof(*w));
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				size_t k = (seed >> 8) % (n / 3 + 1);   /* about three of each */
				v[i] = spread ? (task_t *)((char *)far[k % 4] + (k / 4) % 1024 * sizeof(task_t))
					      : &near[k % NT];
			}
			memcpy(w, v, n * sizeof(*v));
			qsort(w, n, sizeof(*w), cmp_addr);
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (!m || w[i] != w[m - 1])
					w[m++] = w[i];
			size_t got = progress_unique_by_address(v, n);
			if (got != m || (m && memcmp(v, w, m * sizeof(*v))))
				fail_msg("%zu tasks (%s): %zu kept, want %zu", n, spread ? "spread" : "near", got, m);
			free(v);
			free(w);
		}
	for (int b = 0; b < 4; b++)
		free(far[b]);
	free(near);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unique_by_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
