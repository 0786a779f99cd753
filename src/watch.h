/* watch.h: what the preview server watches for changes: folders of the
 * work tree (the content folder, the theme) and every folder below them,
 * through inotify.  A Git ref moving is not seen here: serve.c polls it. */
#ifndef PLANSITE_WATCH_H
#define PLANSITE_WATCH_H

#include <stddef.h>

/* Set fd to -1 and fill roots before the first watch_reset.  The roots are
 * borrowed and must outlive the watch; the owner closes fd when it is not
 * -1. */
typedef struct {
	int fd;              /* inotify, or -1 */
	const char *roots[2];
	size_t nroots;
	int incomplete;      /* a root was missing: try again later */
} watch_t;

/* (Re)creates the watches of every root and the folders below it (not
 * following symbolic links, skipping .git), closing the old descriptor.
 * Sets incomplete when a root cannot be watched (call again later); warns
 * on stderr and leaves fd at -1 when inotify is unavailable. */
void watch_reset(watch_t *w);

/* Reads the pending events without blocking.  Returns 0 when nothing
 * changed, WATCH_SETTLED when the last change ended a write (a file closed
 * after writing, renamed in or removed), else 1; sets *reset when folders came or went (or events were lost) and
 * the watches must be rebuilt with watch_reset. */
enum { WATCH_SETTLED = 2 };
int watch_drain(watch_t *w, int *reset);

#endif
