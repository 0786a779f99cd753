/* sources.h: a portal gathered from several agencies' repositories
 * (site.yaml sources): each source gives its plans/ and static/ files at
 * one commit, checked against the portal's registries and its owner's
 * units; a source whose commit has content errors is held at its last
 * commit that built cleanly (plansite(5) SOURCES). */
#ifndef PLANSITE_SOURCES_H
#define PLANSITE_SOURCES_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "history.h"
#include "model.h"
#include "repo.h"

typedef struct {
	const char *id;
	const char *ref;        /* --source-ref ID=REF, or NULL */
	const char *repo;       /* --source-repo ID=PATH, or NULL */
} source_pin_t;

typedef struct {
	const char *out;        /* the output folder: the state may live beside it */
	bool strict;            /* --strict-sources: held or left out is an error */
	const source_pin_t *pins;
	size_t npins;
	const char *only;       /* --only-source ID: that source alone, strictly */
} sources_opts_t;

typedef struct sources sources_t;

/* Reads site.yaml's sources from snap (the portal's files).  Without any,
 * *out is NULL and snap is unchanged.  Otherwise opens each source, picks
 * the commit to build (its ref, else its last good commit, else none) by
 * checking it with the portal's files, and adds the chosen files to snap
 * (paths "sources/ID/...", static files as static/ID/...).  Returns 0, or
 * -1 with *err for environment errors (a --source-ref naming no source). */
int sources_gather(sources_t **out, repo_t *portal, arena_t *a, diag_t *d, snap_t *snap,
		   const sources_opts_t *o, const model_opts_t *mo, char **err);

/* The site gather's last check built from snap's final files (model_load
 * and xref_resolve, with the build's model options), its messages reported
 * to d: the build takes it instead of parsing the same files again.  NULL
 * without sources or when gather ended without such a check; the caller
 * owns the site (model_site_free; its memory is in gather's arena). */
site_t *sources_site(sources_t *ss, diag_t *d);

/* After xref_resolve: checks owners and issuers, and sets s->sources. */
void sources_check(sources_t *ss, site_t *s, diag_t *d);

/* After a publish: remembers each built source's commit as good. */
int sources_save(const sources_t *ss, char **err);

/* The commits built, one line a source. */
void sources_print(const sources_t *ss, FILE *f);

/* The sources built (held ones at their held commit), for the history:
 * *out in a; returns their number. */
size_t sources_history(const sources_t *ss, arena_t *a, history_src_t **out);

void sources_free(sources_t *ss);   /* accepts NULL */

/* Whether snap's site.yaml lists sources (without checking the list). */
bool sources_listed(const snap_t *snap);

#endif
