/* hlog.h: the history as Git holds it: the first-parent chain of the built
 * commit, the plan files each commit changed (trees compared by id, no file
 * content read), and every version of those files parsed into the hver.c
 * cache, newest first, each from the version after it. */
#ifndef PLANSITE_HLOG_H
#define PLANSITE_HLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "hver.h"

/* A plan file a commit changed (a rename is a removal and an addition). */
typedef struct {
	const char *path;       /* repository-relative, interned */
	git_oid old_id, new_id;
	bool had, has;          /* a plan file there before, after the commit */
} hdelta_t;

typedef struct {
	git_oid id;
	git_oid parent;         /* the first parent, when has_parent */
	bool has_parent;
	int64_t time;           /* committer time and its zone (minutes) */
	int tz;
	const char *author;     /* the author's name and the message's summary, */
	const char *subject;    /* as Git holds them (maybe not UTF-8), interned */
	hdelta_t *d;            /* the plan files it changed, in path order */
	size_t nd;
} hcommit_t;

typedef struct {
	hcommit_t *commits;     /* oldest first (malloc'd: hlog_free) */
	size_t n;
	size_t nknown;          /* of which taken from `known` (the history cache) */
	bool shallow;           /* the oldest has a parent this clone lacks */
	const char *order;      /* the order blobs were read and parsed in: "pack" or
				 * "reverse pack" (for PLANSITE_TIMING) */
	int64_t head_time;      /* the built commit's committer time and zone */
	int head_tz;
	double readers_cpu;     /* the blob readers' CPU time (seconds, for PLANSITE_TIMING) */
	int readers;            /* the blob reader threads that ran (for PLANSITE_TIMING) */
} hlog_t;

/* The built commit's plans of s, parsed already, put in vc's cache as the
 * versions of their blobs (snap's files, whose texts must not be released
 * yet): the walk does not read or parse them again.  under: only the plans
 * whose path starts with it (a source's "sources/ID/"); NULL: the site
 * repository's own, not a source's (s->sources: after sources_check).
 * hlog_read does this itself for the site's repository. */
void hlog_seed(hver_ctx_t *vc, const site_t *s, const snap_t *snap, const char *under);

/* hlog_seed of the site repository's own plans (under NULL), each plan's
 * text freed as soon as it is parsed (its data NULL; the other files'
 * texts are kept): at 10,000 plans, 158 MB of texts no longer held while
 * the versions are made.  Nothing may read the plans' texts then.  A plan
 * whose text was freed as it parsed is made with what taken (NULL: none)
 * took of it (hver_layouts_take), which is freed once used. */
void hlog_seed_release(hver_ctx_t *vc, const site_t *s, snap_t *snap, hver_layouts_t *taken);

/* Reads the first-parent history of s->commit (nothing without a commit):
 * every commit, the plan files under prefix ("content/plans/") each
 * changed, and every version of them into vc's cache; everything but the
 * commits array lives in vc->a.  The site's own plans (snap, parsed
 * already) are not parsed again, and snap's file texts are freed as soon
 * as they are seen.  known (may be NULL) maps a commit's hex id to what an
 * earlier walk learned of it under the same prefix (a hcommit_t in vc->a):
 * those commits are not read again, and the ones read are added to it
 * (all but a shallow clone's oldest, whose parent is missing).  Versions
 * in vc's cache already are not read again.  Returns 0, or -1 with *err
 * (malloc'd) when Git cannot be read. */
int hlog_read(hlog_t *out, hver_ctx_t *vc, const site_t *s, snap_t *snap, const char *prefix,
	      strmap_t *known, char **err);

/* hlog_read in two steps, for a caller that seeds the built commit's
 * versions (hlog_seed) between them, once the model is cross-referenced
 * (history.c reads the commits beside xref): the commits and the plan
 * files each changed (0, or -1 with *err), then every earlier version of
 * those files not in vc's cache yet. */
int hlog_read_commits(hlog_t *out, hver_ctx_t *vc, const site_t *s, const char *prefix, strmap_t *known,
		      char **err);
void hlog_read_versions(hlog_t *log, hver_ctx_t *vc);

/* Frees the commits array; accepts an hlog_t zeroed or read. */
void hlog_free(hlog_t *h);

#endif
