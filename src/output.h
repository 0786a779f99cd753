/* output.h: the build's staging folder and its atomic swap over --out.
 * Nothing is written outside the staging folder, and the published folder
 * changes only when a build succeeded. */
#ifndef PLANSITE_OUTPUT_H
#define PLANSITE_OUTPUT_H

#include <stddef.h>

typedef struct out out_t;

/* Prepares a fresh staging folder beside dir.  Refuses a dir that is "/",
 * the repository's work tree or one of its ancestors, or a Git work tree.
 * Returns 0, or -1 with *err (malloc'd). */
int out_begin(out_t **o, const char *dir, const char *workdir, char **err);

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

/* Publishes: swaps the staging folder with dir and removes the old site.
 * Returns 0, or -1 with *err; either way o is freed. */
int out_commit(out_t *o, char **err);

/* Removes the staging folder and frees o (a failed build); accepts NULL. */
void out_abort(out_t *o);

/* Removes a folder tree without following symbolic links. */
int out_rmtree(const char *dir);

#endif
