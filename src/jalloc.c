/* jalloc.c: jansson's memory during a page (see jalloc.h). */
#include "jalloc.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

enum {
	CHUNK = 1 << 20,        /* bytes per chunk */
	KEEP = 4,               /* chunks a thread keeps between scopes, and
				 * uses at most in one: a huge page's data
				 * goes on in malloc'd memory, which is reused
				 * as it is freed */
	BIG = CHUNK / 8,        /* requests above this go to malloc */
};

typedef struct chunk {
	struct chunk *next;
	char *end;              /* one past the last usable byte */
	char data[];
} chunk_t;

/* One per thread: the chunks in use (newest first) and the free ones. */
struct scratch {
	chunk_t *used, *spare;
	char *at;               /* next free byte of used */
	size_t nspare, nused;
	int depth;              /* open scopes */
};

static _Thread_local struct scratch sc;

/* The chunks of threads that ended (jalloc_thread_done), one a thread, for
 * the next threads: the render's second batch of pages runs on new threads,
 * which take these (their pages written already) instead of mapping new
 * ones.  One: most pages fit in it, and chunks nobody takes stay resident
 * to the render's end. */
enum { PARK = 16 };
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static chunk_t *parked;
static size_t nparked;

static chunk_t *unpark(void)
{
	pthread_mutex_lock(&park_mu);
	chunk_t *c = parked;
	if (c) {
		parked = c->next;
		nparked--;
	}
	pthread_mutex_unlock(&park_mu);
	return c;
}

static int owned(const void *p)
{
	for (const chunk_t *c = sc.used; c; c = c->next)
		if ((const char *)p >= c->data && (const char *)p < c->end)
			return 1;
	for (const chunk_t *c = sc.spare; c; c = c->next)
		if ((const char *)p >= c->data && (const char *)p < c->end)
			return 1;
	return 0;
}

static void *j_malloc(size_t n)
{
	if (!sc.depth || n > BIG)
		return malloc(n);
	n = (n + 15) & ~(size_t)15;
	if (!sc.used || (size_t)(sc.used->end - sc.at) < n) {
		if (sc.nused == KEEP)
			return malloc(n);
		chunk_t *c = sc.spare;
		if (c) {
			sc.spare = c->next;
			sc.nspare--;
		} else if ((c = unpark())) {
			;
		} else {
			/* mapped, not malloc'd: given back whole, never left to
			 * fragment the heap */
			c = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (c == MAP_FAILED)
				return malloc(n);
			c->end = (char *)c + CHUNK;
		}
		c->next = sc.used;
		sc.used = c;
		sc.nused++;
		/* data[] is 16-aligned: the header is two pointers */
		sc.at = c->data;
	}
	void *p = sc.at;
	sc.at += n;
	return p;
}

static void j_free(void *p)
{
	/* memory of a scope goes back all at once, when the scope ends */
	if (p && !owned(p))
		free(p);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void install(void)
{
	json_set_alloc_funcs(j_malloc, j_free);
}

void jalloc_init(void)
{
	pthread_once(&once, install);
}

void jalloc_begin(void)
{
	sc.depth++;
}

void jalloc_end(void)
{
	if (--sc.depth > 0)
		return;
	while (sc.used) {
		chunk_t *c = sc.used;
		sc.used = c->next;
		if (sc.nspare < KEEP) {
			c->next = sc.spare;
			sc.spare = c;
			sc.nspare++;
		} else {
			munmap(c, CHUNK);
		}
	}
	sc.at = NULL;
	sc.nused = 0;
}

void jalloc_thread_done(void)
{
	pthread_mutex_lock(&park_mu);
	while (sc.spare) {
		chunk_t *c = sc.spare;
		sc.spare = c->next;
		sc.nspare--;
		if (nparked < PARK && !sc.nspare) {
			c->next = parked;
			parked = c;
			nparked++;
		} else {
			munmap(c, CHUNK);
		}
	}
	pthread_mutex_unlock(&park_mu);
	sc.nspare = 0;
}

void jalloc_release(void)
{
	chunk_t *c;
	while ((c = unpark()))
		munmap(c, CHUNK);
}
