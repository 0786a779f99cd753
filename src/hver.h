/* hver.h: versions of a plan file for the history, one per blob: parsed
 * with private diagnostics (a past commit's errors are not this build's),
 * whole or from a neighbouring version of the same file, into records whose
 * strings are interned so that equal text compares as equal pointers. */
#ifndef PLANSITE_HVER_H
#define PLANSITE_HVER_H

#include <git2.h>

#include "hrec.h"

/* The tables of one history walk; zero-initialise, then set the first four
 * fields.  Records and strings live in `a`; hver_ctx_free frees the tables. */
typedef struct {
	arena_t *a;
	const site_t *s;          /* the built site: document numbers by any alias */
	git_repository *git;
	size_t rel_off;           /* path + rel_off is the content-relative path */
	strmap_t strs, names, blobs;
	size_t nversions;         /* blobs parsed */
	size_t nincremental;      /* ... of which from a neighbouring version */
} hver_ctx_t;

/* The interned copy of s (NULL gives NULL). */
const char *hver_intern(hver_ctx_t *c, const char *s);
/* "YYYY-MM-DD", interned; NULL for no date. */
const char *hver_iso(hver_ctx_t *c, date_t d);

/* The version of an already parsed plan (the built commit's) whose file
 * text is text[0..len) (not kept). */
hver_t *hver_from_plan(hver_ctx_t *c, const plan_t *p, const char *text, size_t len);

/* The cached version of a blob, or NULL; hver_put caches one. */
hver_t *hver_cached(hver_ctx_t *c, const git_oid *oid);
void hver_put(hver_ctx_t *c, const git_oid *oid, hver_t *v);

/* The version of blob oid at `path` (repository-relative), cached.  text is
 * the blob's content when the caller has it, else NULL (it is read); it is
 * not kept.  With ref (a version of the same file next to it in history),
 * only the tasks written differently from ref's are parsed when that is
 * possible.  A file that does not parse gives a version with broken set.
 * Never NULL. */
hver_t *hver_of(hver_ctx_t *c, const git_oid *oid, const char *path, const char *text,
		size_t len, const hver_t *ref);

/* A blob's content, malloc'd and NUL-terminated; NULL when it cannot be
 * read (a shallow or partial clone). */
char *hver_blob_text(hver_ctx_t *c, const git_oid *oid, size_t *len);

void hver_ctx_free(hver_ctx_t *c);

#endif
