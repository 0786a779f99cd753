/* pool.c: the one worker pool (pthreads), and a parallel loop on top. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

struct pool_thread {
	pthread_t tid;
	pool_fn *fn;
	void *arg;
	int worker;
};

struct pool {
	struct pool_thread *t;
	int started;
};

int pool_size(int want, int max)
{
	if (want <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		want = c > 0 ? (int)(c < max ? c : max) : 1;
	}
	if (want > max)
		want = max;
	return want < 1 ? 1 : want;
}

/* A thread's malloc arena (glibc gives each new thread one of its own)
 * grows a page or a few at a time, each step an mprotect(2) of its heap:
 * over 6,000 calls in a cold build of 1,000 plans, each one taking the
 * address space's lock that the other threads' page faults wait on.
 * Pieces taken and given back once at the start make the heap writable
 * that far in a few steps: glibc keeps it writable after they are freed
 * (it gives the pages back with madvise, and no page was written but the
 * pieces' headers), so the thread's growth up to there needs no call.
 * Each piece is under the threshold above which blocks are mapped on their
 * own (main.c: 1 MB), and they are freed oldest first, so that they merge
 * and the heap is trimmed once.  Nothing under AddressSanitizer, whose
 * allocator is not glibc's. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
enum { GROW_PIECE = 960 << 10, GROW_PIECES = 16 };

static void grow_arena(void)
{
	void *p[GROW_PIECES];
	for (int i = 0; i < GROW_PIECES; i++)
		p[i] = malloc(GROW_PIECE);
	for (int i = 0; i < GROW_PIECES; i++)
		free(p[i]);
}
#else
static void grow_arena(void)
{
}
#endif

static void *pool_main(void *arg)
{
	struct pool_thread *t = arg;
	grow_arena();
	t->fn(t->arg, t->worker);
	return NULL;
}

pool_t *pool_start(int n, pool_fn *fn, void *arg)
{
	pool_t *p = xcalloc(1, sizeof(*p));
	if (n <= 0)
		return p;
	p->t = xcalloc((size_t)n, sizeof(*p->t));
	for (int i = 0; i < n; i++) {
		struct pool_thread *t = &p->t[p->started];
		*t = (struct pool_thread){ .fn = fn, .arg = arg, .worker = p->started + 1 };
		if (pthread_create(&t->tid, NULL, pool_main, t) != 0)
			break;   /* out of threads: run with those that started */
		p->started++;
	}
	return p;
}

int pool_threads(const pool_t *p)
{
	return p ? p->started : 0;
}

void pool_join(pool_t *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->started; i++)
		pthread_join(p->t[i].tid, NULL);
	free(p->t);
	free(p);
}

struct pool_loop {
	pool_item_fn *fn;
	void *arg;
	size_t n;
	atomic_size_t next;
};

static void pool_loop_run(void *arg, int worker)
{
	struct pool_loop *l = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&l->next, 1);
		if (i >= l->n)
			break;
		l->fn(l->arg, worker, i);
	}
}

void pool_for(int threads, size_t n, pool_item_fn *fn, void *arg)
{
	struct pool_loop l = { .fn = fn, .arg = arg, .n = n };
	atomic_init(&l.next, 0);
	/* no more threads than items: the caller takes one */
	int helpers = threads > 1 && n > 1 ? threads - 1 : 0;
	if (helpers > 0 && (size_t)helpers > n - 1)
		helpers = (int)(n - 1);
	pool_t *p = pool_start(helpers, pool_loop_run, &l);
	pool_loop_run(&l, 0);
	pool_join(p);
}
