/* hcache.h: the history kept between builds: what the first-parent walk
 * learned of each commit (the plan files it changed) and every version of
 * those files parsed, in memory for the builds of one process (serve) and
 * in a file of the repository ($GIT_DIR/plansite/) for the next process. */
#ifndef PLANSITE_HCACHE_H
#define PLANSITE_HCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hlog.h"

/* The version of the file's format: bump it whenever what a version or a
 * commit record holds, or how a plan file is read into one (hver.c,
 * hlog.c), changes, so an older file is not taken for a newer one. */
#define HCACHE_FORMAT 3

typedef struct hcache hcache_t;

/* What became of the cache file when it was read. */
enum {
	HCACHE_NONE,        /* no file (or none to be had: disabled, not readable) */
	HCACHE_READ,        /* read */
	HCACHE_DAMAGED,     /* not a cache file, cut short, or its checksum fails (W065) */
	HCACHE_OTHER,       /* written by another format or plansite version (W066) */
};

/* An empty cache; hcache_free frees it. */
hcache_t *hcache_new(void);

/* Makes hc the cache of repository git (its common folder) and content
 * prefix ("content/plans/", the content-relative path starting at
 * rel_off); a cache bound to another one forgets what it held.  The
 * first time (for that repository and prefix) it reads the cache file,
 * unless PLANSITE_HISTORY_CACHE is "off"; a file that cannot be read is
 * no cache, a damaged one is ignored (hcache_state says which).  Never
 * fails. */
void hcache_bind(hcache_t *hc, git_repository *git, const char *prefix, size_t rel_off);

/* The version tables (the walk parses into them) and the commits known
 * (hex id -> hcommit_t), for hlog_read.  Borrowed; live as long as hc. */
hver_ctx_t *hcache_vc(hcache_t *hc);
strmap_t *hcache_known(hcache_t *hc);

/* Writes what is known of the commits of log and their versions to the
 * cache file, when the walk learned something the file lacks: appended to
 * the file this cache read or wrote last (under flock, which readers take
 * too: a reader never sees half of it), else the whole file (temporary
 * file and rename) when there is none, it was replaced, or it holds too
 * many parts or commits the log lacks.  A file that cannot be written is
 * no error: the next build walks again.  Returns true when the file was
 * written. */
bool hcache_save(hcache_t *hc, const hlog_t *log);

/* The state of the last read (HCACHE_*), the file (NULL when none) and,
 * damaged or other, what was wrong (untranslated, N_); file and why may
 * be NULL. */
int hcache_state(const hcache_t *hc, const char **file, const char **why);

/* Whether repository git has a cache file for content prefix (as
 * hcache_bind would read), without reading it: a build without one
 * parses every version, the built commit's included. */
bool hcache_exists(git_repository *git, const char *prefix);

void hcache_free(hcache_t *hc);   /* accepts NULL */

/* The checksum a cache file ends with (little-endian), of the bytes before
 * it: for tests that forge files. */
uint64_t hcache_checksum(const void *p, size_t n);

#endif
