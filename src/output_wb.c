/* output_wb.c: write-behind for the staging folder (output_wb.h). */
#include "output_wb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* The thread is woken when this much more can be handed to the disk: a
 * wake-up for every small page would cost more than it saves. */
#define OUTWB_BATCH ((size_t)8 << 20)

typedef struct {
	char *rel;      /* NULL once dropped */
	size_t bytes;
} wbfile_t;

struct outwb {
	int dfd;
	size_t start, keep;         /* bytes (output_wb.h) */
	pthread_mutex_t mu;         /* everything below */
	pthread_cond_t wake;
	pthread_t thread;
	int stop, idle;
	wbfile_t *v;                /* the files in the order they were written */
	size_t n, cap;
	size_t next_start;          /* the first not yet handed to the disk */
	size_t next_drop;           /* the first not yet dropped */
	size_t added, started, dropped;   /* bytes */
};

/* The next file to work on (under mu), with *drop saying what to do;
 * NULL when there is nothing to do now. */
static wbfile_t *next_job(outwb_t *w, int *drop)
{
	if (w->next_drop < w->next_start && w->started - w->dropped > w->keep) {
		*drop = 1;
		w->dropped += w->v[w->next_drop].bytes;
		return &w->v[w->next_drop++];
	}
	if (w->next_start < w->n && w->added - w->started > w->start) {
		*drop = 0;
		w->started += w->v[w->next_start].bytes;
		return &w->v[w->next_start++];
	}
	return NULL;
}

static void *run(void *arg)
{
	outwb_t *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		int drop = 0;
		wbfile_t *f = NULL;
		while (!w->stop && !(f = next_job(w, &drop))) {
			w->idle = 1;
			pthread_cond_wait(&w->wake, &w->mu);
			w->idle = 0;
		}
		if (w->stop)
			break;
		/* v may move while the lock is let go; the name does not */
		char *rel = f->rel;
		if (drop)
			f->rel = NULL;
		pthread_mutex_unlock(&w->mu);
		int fd = openat(w->dfd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			/* this thread waits for the disk, not the build: the
			 * write began `keep` bytes ago, and dirty pages or pages
			 * being written are not dropped */
			if (drop) {
				(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
								  SYNC_FILE_RANGE_WAIT_AFTER);
				(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			} else
				(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
			close(fd);
		}
		if (drop)
			free(rel);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* PLANSITE_WRITEBEHIND: "0" off; "START" or "START,KEEP" in megabytes. */
static int settings(size_t *start, size_t *keep)
{
	size_t s = OUTWB_START_MB, k = OUTWB_KEEP_MB;
	const char *e = getenv("PLANSITE_WRITEBEHIND");
	if (e && *e) {
		if (!strcmp(e, "0"))
			return 0;
		char *end;
		errno = 0;
		unsigned long a = strtoul(e, &end, 10), b = k;
		int ok = end != e && !errno;
		if (ok && *end == ',') {
			const char *p = end + 1;
			b = strtoul(p, &end, 10);
			ok = end != p && !errno;
		}
		if (ok && !*end && a < 1ul << 20 && b < 1ul << 20) {   /* else the defaults */
			s = a;
			k = b;
		}
	}
	*start = s << 20;
	*keep = k << 20;
	return 1;
}

outwb_t *outwb_new(int dfd)
{
	size_t start, keep;
	if (dfd < 0 || !settings(&start, &keep))
		return NULL;
	outwb_t *w = xcalloc(1, sizeof(*w));
	w->dfd = dfd;
	w->start = start;
	w->keep = keep;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void outwb_add(outwb_t *w, const char *rel, size_t bytes)
{
	if (!w || !bytes)
		return;
	char *name = xstrdup(rel);
	pthread_mutex_lock(&w->mu);
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = (wbfile_t){ name, bytes };
	w->added += bytes;
	if (w->idle && w->added - w->started >= w->start + OUTWB_BATCH)
		pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
}

void outwb_free(outwb_t *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	for (size_t i = w->next_drop; i < w->n; i++)
		free(w->v[i].rel);
	free(w->v);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
