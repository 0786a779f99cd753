/* build.h: the whole pipeline: repository -> model -> cross-references ->
 * progress -> pages -> staging folder -> published site. */
#ifndef PLANSITE_BUILD_H
#define PLANSITE_BUILD_H

#include <stdatomic.h>
#include <stdbool.h>

#include "diag.h"
#include "due.h"
#include "output.h"
#include "sources.h"

typedef struct {
	const char *repo;      /* NULL: discover around the current folder */
	const char *ref;       /* NULL: HEAD */
	const char *content;   /* "content" */
	const char *theme;     /* NULL: located (theme_locate) */
	const char *out;       /* "public" */
	const char *base_url;  /* overrides site.yaml */
	bool worktree, strict;
	bool verbose;          /* check: each task that is not "5 rõ", not one line a plan;
				* build: what the history walk read, and from where */
	date_t as_of;          /* 0: the commit's date (today with worktree) */
	const char *inject;    /* preview server's reload script, or NULL */
	int threads;           /* 0: one per core */
	bool force;            /* build even when the published site is current, writing every file */
	const char *share;     /* a folder plansite wrote whose equal files are shared (serve), or NULL */
	bool timing;           /* print each stage's time and the files shared/written */
	bool strict_sources;   /* a held or left-out source is an error */
	const source_pin_t *pins;  /* --source-ref ID=REF */
	size_t npins;
	const char *only_source;   /* --only-source ID */
	struct hcache *hcache; /* the history kept between builds (serve), or NULL:
				* the repository's cache file only (hcache.h) */
	struct model_cache *mcache; /* the plans kept between builds (serve), or NULL:
				     * every plan parsed (model_cache.h) */
	/* serve: called (on the building thread) once the pages an edit
	 * shows first are complete in the staging folder root, with the
	 * files made so far and those it will link unchanged from the
	 * share folder, the same there (render.h); the build goes on with
	 * the rest */
	void (*ready)(void *cls, const char *root, const out_files_t *files, const out_files_t *same);
	void *ready_cls;
	atomic_int *cancel;    /* serve: once set, the build after ready stops (BUILD_CANCELLED) */
	const char *trash;     /* serve: a cancelled build's folder is renamed here, for the caller
				* to remove (out_abort_to); NULL: removed at once */
} build_opts_t;

enum { BUILD_OK = 0, BUILD_CONTENT = 1, BUILD_ENV = 2, BUILD_CANCELLED = 3 };

/* Builds the site; with publish false it only checks (nothing is written).
 * A build of a commit into a site built from the same commit, options,
 * program and theme (state.h) is skipped: the site stays as it is, and a
 * line says so.
 * Content problems go to d; an environment problem sets *err (malloc'd).
 * Returns BUILD_OK, BUILD_CONTENT or BUILD_ENV, or BUILD_CANCELLED (o->cancel:
 * nothing published). */
int build_run(const build_opts_t *o, diag_t *d, bool publish, char **err);

#endif
