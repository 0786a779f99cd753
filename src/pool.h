/* pool.h: the one worker pool: a few threads that run one function and are
 * joined at the end.  Render, the plans' parser and the blob readers use it;
 * nothing else in plansite starts a thread (the HTTP server's are
 * libmicrohttpd's). */
#ifndef PLANSITE_POOL_H
#define PLANSITE_POOL_H

#include <stddef.h>

/* What a pool's thread runs: arg as given to pool_start, and the worker's
 * number (1 .. n; 0 is reserved for the caller's own thread). */
typedef void pool_fn(void *arg, int worker);

typedef struct pool pool_t;

/* The number of threads to use when `want` are asked for: want itself when
 * above 0, otherwise one per online core; always between 1 and max. */
int pool_size(int want, int max);

/* Starts up to n threads (n <= 0: none), each calling fn(arg, k) with its
 * own k in 1..n.  Never fails: a system that refuses threads gives a pool
 * with fewer (pool_threads), possibly none, and the caller does the work
 * itself.  The caller owns the pool; pool_join frees it. */
pool_t *pool_start(int n, pool_fn *fn, void *arg);

/* How many of the pool's threads started (0 when none could). */
int pool_threads(const pool_t *p);

/* Waits until every thread of p has returned, then frees p.  Accepts NULL. */
void pool_join(pool_t *p);

/* What pool_for runs for item i on worker `worker` (0 is the caller). */
typedef void pool_item_fn(void *arg, int worker, size_t i);

/* Runs fn(arg, w, i) once for every i in 0..n-1, spread over the caller
 * (worker 0) and up to threads - 1 more threads, handing items out in
 * order, one at a time, and returns when all have run.  threads <= 1 (or a
 * system that refuses threads) runs everything on the caller, in order. */
void pool_for(int threads, size_t n, pool_item_fn *fn, void *arg);

#endif
