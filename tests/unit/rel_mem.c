/* rel_mem.c: the release build's allocator (src/mem.c with tcmalloc): its
 * scavenger gives a big heap's free memory back to the kernel, and holds it
 * while mem_hold(true) says so.  Built and linked as the release program is
 * (build/rel/mem.o, tcmalloc), not with the sanitizers, whose allocator is
 * their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
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
	assert_true(held - full >= MB(PIECES / 2) * 9 / 10);   /* the holes are still there */

	/* let go: the scavenger gives the holes back */
	mem_hold(false);
	long after = anon_under(held - MB(PIECES / 2) * 9 / 10, 10000);
	assert_true(after < held - MB(PIECES / 2) * 9 / 10);
	assert_true(after - base >= MB(PIECES) * 9 / 10);   /* what is in use stays */

	for (int i = 0; i < PIECES; i += 2)
		free(p[i]);
	for (int i = 0; i < PIECES / 4; i++)
		free(q[i]);
	free(p);
	free(q);
}

/* A block is aligned to MEM_BLOCK (where a big page can hold it), and is
 * given back whole when freed.  Blocks count in what the program has in
 * use: 120 MB of them and a heap of 100 MB make the process big enough
 * for the scavenger (192 MB), and half the heap freed in holes that the
 * next pieces cannot use is given back, the heap in use being at its
 * high-water mark. */
static void test_block(void **state)
{
	(void)state;
	mem_setup(2);
	long base = anon_kb();
	enum { N = 60, H = 100 };   /* 120 MB of blocks; 100 MB of heap */
	char *b[N], *h[H], *h2[H / 4];
	for (int i = 0; i < N; i++) {
		b[i] = mem_block(MEM_BLOCK);
		assert_int_equal((uintptr_t)b[i] % MEM_BLOCK, 0);
		memset(b[i], i + 1, MEM_BLOCK);
	}
	char *two = mem_block(2 * MEM_BLOCK);
	assert_int_equal((uintptr_t)two % MEM_BLOCK, 0);
	memset(two, 7, 2 * MEM_BLOCK);
	for (int i = 0; i < N; i++)
		assert_int_equal(b[i][MEM_BLOCK - 1], i + 1);
	assert_true(anon_kb() - base >= MB(2 * (N + 2)) * 9 / 10);
	mem_block_free(two, 2 * MEM_BLOCK);

	for (int i = 0; i < H; i++) {
		h[i] = malloc(PIECE);
		memset(h[i], i, PIECE);
	}
	pause_ms(200);   /* the scavenger notes the high-water mark */
	for (int i = 1; i < H; i += 2)
		free(h[i]);
	for (int i = 0; i < H / 4; i++) {
		h2[i] = malloc(2 * PIECE);
		memset(h2[i], i, 2 * PIECE);
	}
	/* in use: 120 + 100 MB; resident besides, until the scavenger acts:
	 * 50 MB of holes */
	long after = anon_under(base + MB(2 * N + H + 32), 10000);
	assert_true(after - base < MB(2 * N + H + 32));
	for (int i = 0; i < H; i += 2)
		free(h[i]);
	for (int i = 0; i < H / 4; i++)
		free(h2[i]);
	long before = anon_kb();
	for (int i = 0; i < N; i++)
		mem_block_free(b[i], MEM_BLOCK);
	mem_block_free(NULL, MEM_BLOCK);
	assert_true(before - anon_kb() >= MB(2 * N) * 9 / 10);
}

/* Each test in a process of its own (this program again, given the test's
 * name): what one leaves in the allocator (its high-water mark, its free
 * memory) would change what the next one sees. */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_hold),
	};
	size_t n = sizeof tests / sizeof *tests;
	if (argc > 1) {
		cmocka_set_test_filter(argv[1]);
		return cmocka_run_group_tests(tests, NULL, NULL);
	}
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", argv[0], tests[i].name, (char *)NULL);
			_exit(127);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	return failed ? 1 : 0;
}
