/* pool.c: the one worker pool (pthreads), and a parallel loop on top. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "mem.h"
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

static void *pool_main(void *arg)
{
	struct pool_thread *t = arg;
	mem_thread_begin();
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
