/* rel_mem.c: the release build's allocator (src/mem.c with tcmalloc): its
 * scavenger gives a big heap's free memory back to the kernel, and holds it
 * while mem_hold(true) says so.  Built and linked as the release program is
 * (build/rel/mem.o, tcmalloc), not with the sanitizers, whose allocator is
 * their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mem.h"

enum { PIECE = 1 << 20, PIECES = 320 };   /* past the scavenger's 192 MB of heap */
#define MB(n) ((long)(n) << 10)   /* in kB */

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

static long anon_kb(void)
{
	return mem_probe().anon_kb;
}

/* The anonymous memory, after waiting up to `ms` for it to fall under kb. */
static long anon_under(long kb, long ms)
{
	long now = anon_kb();
	for (long waited = 0; now >= kb && waited < ms; waited += 20) {
		pause_ms(20);
		now = anon_kb();
	}
	return now;
}

/* The heap in use reaches 320 MB; then half of it is freed in holes of 1 MB
 * and as much taken in pieces of 2 MB, which the holes cannot hold.  The
 * scavenger keeps free no more than the heap in use fell from its
 * high-water mark, plus a few MB: here nothing, so the 160 MB of holes are
 * given back, unless the memory is held (mem_hold), through mem_trim and
 * many of the scavenger's rounds. */
static void test_hold(void **state)
{
	(void)state;
	mem_setup(2);
	long base = anon_kb();
	char **p = malloc(PIECES * sizeof *p), **q = malloc(PIECES / 2 * sizeof *q);
	assert_non_null(p);
	assert_non_null(q);
	for (int i = 0; i < PIECES; i++) {
		p[i] = malloc(PIECE);
		assert_non_null(p[i]);
		memset(p[i], i, PIECE);
	}
	pause_ms(200);   /* the scavenger notes the high-water mark */
	long full = anon_kb();
	assert_true(full - base >= MB(PIECES) * 9 / 10);

	mem_hold(true);
	for (int i = 1; i < PIECES; i += 2)
		free(p[i]);
	for (int i = 0; i < PIECES / 4; i++) {
		q[i] = malloc(2 * PIECE);
		assert_non_null(q[i]);
		memset(q[i], i, 2 * PIECE);
	}
	mem_trim();
	pause_ms(400);   /* eight of the scavenger's rounds */
	long held = anon_kb();
	assert_true(held - base >= MB(PIECES * 3 / 2) * 9 / 10);

	/* let go: the scavenger gives the holes back */
	mem_hold(false);
	long after = anon_under(base + MB(PIECES + 32), 10000);
	assert_true(after - base < MB(PIECES + 32));
	assert_true(after - base >= MB(PIECES) * 9 / 10);   /* what is in use stays */

	for (int i = 0; i < PIECES; i += 2)
		free(p[i]);
	for (int i = 0; i < PIECES / 4; i++)
		free(q[i]);
	free(p);
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
