/* pcache.h: the front matter of plan files as parsed (fm_parse's tree and
 * body), kept between builds in a file of the repository
 * ($GIT_DIR/plansite/parse.cache) under the blob id of the file's bytes,
 * so that a build after a push parses with libyaml only the plan files the
 * push changed.  What the plans are built from the trees, and every
 * message, is made anew each build (model_plan.c). */
#ifndef PLANSITE_PCACHE_H
#define PLANSITE_PCACHE_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "fm.h"
#include "repo.h"
#include "util.h"

/* The version of the file's format: bump it whenever what an entry holds,
 * or what fm_parse makes of a file (fm.c, text_nfc), changes.  The file
 * also names the program (its version, libraries and bytes), so another
 * build of plansite never takes a file for its own. */
#define PCACHE_FORMAT 2

typedef struct pcache pcache_t;

/* The cache of repository git's plan files (its common folder's
 * plansite/parse.cache, or PLANSITE_HISTORY_CACHE's folder; NULL when that
 * says "off"), read.  A file that is missing, damaged, another version's
 * or not readable is no cache: it is written whole (when it can be).
 * Never fails.  git must outlive it.  Free with pcache_free. */
pcache_t *pcache_open(git_repository *git);

/* Whether the plan file rel (content-relative) of blob id oid need not be
 * read: the cache holds its entry, whole, and so restores it without its
 * bytes (*len set to their length).  A repo_known_fn (repo.h) for cls a
 * pcache_t. */
bool pcache_known(void *cls, const char *rel, const git_oid *oid, size_t *len);

/* Before the plans parse: nfiles is the number of files the build reads;
 * a file holding many more entries (other branches, old versions) is
 * written whole again, with this build's files only.  pc NULL: nothing. */
void pcache_begin(pcache_t *pc, size_t nfiles);

/* fm_parse(a, d, f->path, f->data, f->len, out) (fm.h), the same tree,
 * body and messages: restored from the cache when it holds f's blob id
 * (f->oid; a work tree's file, without one, is always parsed), else
 * parsed and, when the parse reported nothing, kept for the next build.
 * f->data may be NULL for a file pcache_known said need not be read (it
 * is read from Git if its entry cannot be restored after all).  pc NULL:
 * fm_parse.  Thread-safe (the plans parse on every core). */
int pcache_fm_parse(pcache_t *pc, arena_t *a, diag_t *d, const rfile_t *f, fm_doc_t *out);

/* Writes what this build added to the file (appended to it, or the file
 * whole: a temporary file renamed over it) and unmaps it: after the last
 * pcache_fm_parse.  A file that cannot be written is no error.  Returns
 * true when the file was written. */
bool pcache_save(pcache_t *pc);

/* How many plan files were restored, how many parsed, and how many
 * entries were written to the file (appended, or the file written whole:
 * every entry it holds); returns the file's path. */
const char *pcache_counts(const pcache_t *pc, size_t *restored, size_t *parsed, size_t *written);

void pcache_free(pcache_t *pc);   /* accepts NULL */

#endif
