/* repo.h: the content of one commit (or of the working tree), read with
 * libgit2 straight from Git objects: no checkout, no git binary. */
#ifndef PLANSITE_REPO_H
#define PLANSITE_REPO_H

#include <stdbool.h>
#include <stdint.h>
#include <git2.h>

#include "diag.h"
#include "util.h"

typedef struct {
	const char *path;   /* relative to the repository root: content/plans/a.md */
	const char *rel;    /* relative to the content root: plans/a.md */
	const char *data;   /* NUL-terminated, malloc'd (snap_release_data) */
	size_t len;
	git_oid oid;        /* blob id (zero in worktree mode) */
} rfile_t;

typedef struct {
	rfile_t *files;     /* sorted by path */
	size_t n;
	char commit[GIT_OID_HEXSZ + 1];  /* "" in worktree mode without HEAD */
	int64_t time;       /* committer time (seconds since the epoch) */
	int tz;             /* committer time zone offset, minutes */
	bool worktree;
} snap_t;

typedef struct repo repo_t;

/* Opens the repository at path, or discovers the one around the current
 * directory when path is NULL.  Returns 0, or -1 with *err (malloc'd). */
int repo_open(repo_t **out, const char *path, char **err);
void repo_free(repo_t *r);   /* accepts NULL */
git_repository *repo_git(repo_t *r);
/* Gives back what libgit2 keeps of the objects read so far: its cache of
 * objects and its packs (their mapped windows and the delta bases they
 * cache, 10 MB and more after the history of 5,000 commits).  Objects
 * read later are read again, through the same folders (odbenv.h).  Only
 * while no other thread reads r's objects. */
void repo_forget_objects(repo_t *r);
/* The work tree's root ("" for a bare repository); borrowed. */
const char *repo_workdir(repo_t *r);

/* "content/", "./content" and "content" name the same folder: advances
 * *content past leading "./" and returns the length without trailing "/". */
size_t repo_content_trim(const char **content);

/* Reads every file under `content` at `ref` (HEAD when NULL), or from the
 * working tree when worktree is set.  Symbolic links and submodules are
 * skipped with a warning.  Returns 0, or -1 with *err for environment
 * errors (unknown ref, no such content folder). */
int repo_snapshot(repo_t *r, arena_t *a, diag_t *d, const char *ref,
		  const char *content, bool worktree, snap_t *out, char **err);

/* Blobs a build need not read (their content is kept elsewhere: the parse
 * cache, pcache.h): for each file of a commit's content, known(cls, rel,
 * oid, &len) returning true leaves the file's data NULL and sets its len;
 * rel is content-relative.  A work tree's files are always read.  NULL:
 * every file is read.  Applies to the next repo_snapshot calls. */
typedef bool (*repo_known_fn)(void *cls, const char *rel, const git_oid *oid, size_t *len);
void repo_set_known(repo_t *r, repo_known_fn known, void *cls);

/* Reads the content of the files of s left unread (repo_set_known): for
 * a build that cannot use what knew them after all.  Returns 0, or -1
 * with *err (malloc'd). */
int repo_fill(repo_t *r, snap_t *s, char **err);

/* Frees the files' contents once nothing reads them any more (the history
 * is the last to); their data pointers become NULL.  Safe to repeat. */
void snap_release_data(snap_t *s);

/* Resolves ref to a commit id; 0 or -1 (with *err). */
int repo_resolve(repo_t *r, const char *ref, git_oid *out, char **err);

#endif
