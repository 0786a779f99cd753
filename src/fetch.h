/* fetch.h: reading many blobs fast.  libgit2 rebuilds a delta from the
 * nearest base in its cache, so blobs read in pack order cost a fraction of
 * blobs read in any other order; threads with repository handles of their
 * own read in that order, ahead of the caller. */
#ifndef PLANSITE_FETCH_H
#define PLANSITE_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

typedef struct fetch fetch_t;

/* A fetcher for repository git (which must outlive it).  Its readers
 * start at the first fetch_get when 64 blobs or more were asked for; fewer
 * are read on the caller's thread, through git, as fetch_get asks. */
fetch_t *fetch_start(git_repository *git);

/* Every blob read is checked against its id with a SHA-1 of our own
 * (libcrypto's) and read straight from the object database's backends,
 * not through libgit2's lookup (its check of every object is SHA-1 with
 * collision detection, several times slower); a blob that fails the check
 * or is not found there is read by libgit2 after all, with its check and
 * its message.  For the blobs of the built commit, which libgit2 reads
 * with GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION on (repo.c).  Before the
 * first fetch_get. */
void fetch_verify(fetch_t *f);

/* At most n reader threads (0: every blob is read on the caller's thread,
 * as fetch_get asks).  Before the first fetch_get. */
void fetch_readers(fetch_t *f, int n);

/* The reader threads that started (0 before the first fetch_get, or when
 * every blob is read on the caller's thread). */
int fetch_nreaders(const fetch_t *f);

/* Asks for a blob; returns its number.  Every blob is asked for before the
 * first fetch_get. */
size_t fetch_push(fetch_t *f, const git_oid *oid);

/* Where blob number i lies (pack and offset; smaller for a loose one):
 * reading in this order, or its reverse, is cheap.  Every blob is asked for
 * first. */
uint64_t fetch_where(fetch_t *f, size_t i);

/* Reads in `order` (every blob number once) instead of by fetch_where, at
 * most `ahead` places in it past the blob the caller waits for (the blobs
 * read and not taken yet are held).  Before the first fetch_get. */
void fetch_order(fetch_t *f, const size_t *order, size_t ahead);

/* The content of blob number i, text[0..*len) (NULL when it cannot be
 * read), waiting for it.  Each number is taken once.  With fetch_verify,
 * malloc'd and NUL-terminated: the caller frees it.  Without, it may be
 * the object database backend's own buffer, which libgit2 does not say
 * ends in a NUL: read only its len bytes, and give it back with
 * fetch_put. */
char *fetch_get(fetch_t *f, size_t i, git_repository *git, size_t *len);

/* Gives back blob i's text from fetch_get (without fetch_verify; NULL
 * accepted): every one before fetch_finish. */
void fetch_put(fetch_t *f, size_t i, char *text);

/* Stops the readers and frees f; accepts NULL. */
void fetch_stop(fetch_t *f);
/* fetch_stop, returning the CPU time the readers used (seconds). */
double fetch_finish(fetch_t *f);

#endif
