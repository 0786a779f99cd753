/* output.h: the build's staging folder and its atomic swap over --out.
 * Nothing is written outside the staging folder, the published folder
 * changes only when a build succeeded, and only a folder plansite wrote (it
 * holds OUT_MARKER), an empty one or a missing one is ever replaced. */
#ifndef PLANSITE_OUTPUT_H
#define PLANSITE_OUTPUT_H

#include <stddef.h>

typedef struct out out_t;

/* The file every site plansite writes holds at its root: the proof that a
 * folder may be replaced.  Its content is fixed (builds stay reproducible). */
#define OUT_MARKER ".plansite-site"

/* What --out must never be, contain or lie inside (paths that do not exist
 * or are NULL are skipped). */
typedef struct {
	const char *workdir;     /* the content repository's work tree (NULL: bare) */
	const char *gitdir;      /* its Git folder */
	const char *commondir;   /* the Git folder it shares objects with */
	const char *content;     /* the content folder (relative to workdir) */
	int reuse;               /* start from the spare: the site before the
				  * previous one (see out_begin) */
} out_guard_t;

/* Checks that dir may be replaced (see plansite(1), "The output folder"),
 * removes what interrupted builds left beside it and prepares a fresh,
 * locked staging folder.  A symbolic link dir stays a link: the new site is
 * staged beside its target.  A folder dir is published by swapping, and
 * the site it held is kept beside it as DIR.plansite-previous (the spare;
 * only the newest, and only a site plansite wrote): with g->reuse, the
 * spare, when there is one, becomes the staging folder, every file of the
 * current site linked into it (a few changed since; most are the same
 * file already), so that a build rewrites, links and removes only what
 * changed instead of making every folder and link anew; what the build
 * did not make is removed before the swap.  Returns 0, or -1 with *err (malloc'd,
 * Vietnamese, with a hint); on -1 nothing was changed. */
int out_begin(out_t **o, const char *dir, const out_guard_t *g, char **err);

/* True when rel is a safe relative path: no leading '/', no "." or ".."
 * segments, no empty segments, no backslashes or control characters. */
int out_path_ok(const char *rel);

/* Writes rel (relative to the site root) in the staging folder, creating
 * parent folders.  Thread-safe.  Returns 0, or -1 with *err. */
int out_write(out_t *o, const char *rel, const char *data, size_t len, char **err);

/* The same, in pieces: a file of tens of megabytes need not be held whole.
 * out_open returns a descriptor (or -1 with *err set); out_put and
 * out_close return 0 or -1 with *err set, and out_close always closes. */
int out_open(out_t *o, const char *rel, char **err);
int out_put(int fd, const char *rel, const char *data, size_t len, char **err);
int out_close(int fd, const char *rel, char **err);

/* Files equal to the previous site's are shared, not written: out_write
 * and out_close link the previous copy into the staging folder when its
 * bytes, owner, group and mode are those a write would give (a link of
 * the very file compared; files are only ever created, O_EXCL, so a
 * shared file is never written into).  out_begin shares from the folder
 * it replaces; out_share(o, dir) shares from another folder plansite
 * wrote (serve's previous build), out_share(o, NULL) from none (--force).
 * Returns 0, or -1 when dir is not a site plansite wrote (nothing shared). */
int out_share(out_t *o, const char *dir);

/* The files a thread made: while out_track(t) is set on a thread, every
 * file out_write, out_close or out_keep makes there (written or shared)
 * is added to t with its size; out_track(NULL) stops.  out_files_free
 * frees what t holds (not t). */
typedef struct {
	char **rel;
	long long *size;
	size_t n, cap;
} out_files_t;
void out_track(out_files_t *t);
void out_files_add(out_files_t *t, const char *rel, long long size);
void out_files_free(out_files_t *t);

/* Links the n files rels of the previous site (out_share) into the staging
 * folder without reading them: the files of a page whose inputs did not
 * change.  Each must be there as a regular file of sizes[i] bytes that a
 * write now would make with the same owner, group and mode; else nothing
 * is linked, *bad is the first that is not, and -1 is returned (write them
 * instead).  A link that fails for another reason also returns -1, with
 * *bad = n and nothing linked. */
int out_keep(out_t *o, const char *const *rels, const long long *sizes, size_t n, size_t *bad);

/* Reads rel from the previous site (at most max bytes): 0 with *data
 * (malloc'd, NUL-terminated) and *len, or -1 when there is no previous
 * site, no such regular file, or it is larger. */
int out_prev_read(out_t *o, const char *rel, size_t max, char **data, size_t *len);

/* How many files were shared and how many written so far. */
void out_counts(out_t *o, size_t *shared, size_t *written);

/* When a write failed for a reason that is not the content's (disk full,
 * out of inodes, read-only, no permission), returns 1 and sets *err
 * (malloc'd, with a hint); every later write fails at once.  Else 0. */
int out_failed(out_t *o, char **err);

/* Publishes: swaps the staging folder with dir (or switches dir's link to
 * it) and removes the old site.  Returns 0, or -1 with *err; on -1 the
 * previous site is as it was.  Either way o is freed. */
int out_commit(out_t *o, char **err);

/* Removes the staging folder and frees o (a failed build); accepts NULL. */
void out_abort(out_t *o);

/* Removes a folder tree without following symbolic links or entering
 * another file system; returns 0 or -1 (errno set). */
int out_rmtree(const char *dir);

/* Takes SIGINT, SIGTERM and SIGHUP on a thread of their own: the staging
 * folder of the build in progress is removed, then the signal ends the
 * process as it would have.  Call before starting any other thread. */
void out_guard_signals(void);

#endif
