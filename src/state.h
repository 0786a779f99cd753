/* state.h: what a published site was built from, so that a build with
 * nothing changed can leave it as it is. */
#ifndef PLANSITE_STATE_H
#define PLANSITE_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "history.h"
#include "model.h"
#include "output.h"
#include "repo.h"

/* The file, at the root of every site a commit was built into, holding
 * the key of what it was built from (state_key). */
#define STATE_FILE ".plansite-state"

/* The key of a build: a SHA-1 (hex) over the given parts (commit id,
 * content folder, options), this program (its version, its libraries'
 * versions and its own executable's bytes) and every file of the theme
 * folder (names and bytes).  Returns a malloc'd string, or NULL when
 * something could not be read (then the build is never skipped). */
char *state_key(const char *const *parts, size_t nparts, const char *theme_dir);

/* The text of STATE_FILE for key (malloc'd). */
char *state_text(const char *key);

/* True when the site at out (a folder plansite wrote) holds key. */
int state_same(const char *out, const char *key);

/* ---- state_pages.c: the pages of the published site and their inputs ---- */

/* The file, at the root of a site, naming each page job (a plan's page, a
 * unit's pages, a week's report, a list page: render_fp.c), the
 * fingerprint of its inputs and the files it made with their sizes.  Its content is a function of the site's inputs (builds
 * stay reproducible). */
#define PAGES_FILE ".plansite-pages"
#define STATE_FP_LEN 41

typedef struct state_pages state_pages_t;

/* The page state of a build of site s from snap, whose other inputs
 * (options, program, theme, but not the commit) key names.  Every
 * fingerprint includes: key, the as-of date, every content file other
 * than the plans (site.yaml, registries, pages, templates, static files),
 * what any page may show of every unit (names, addresses), and the commit
 * when a template may show it.  s must outlive it.  Free with
 * state_pages_free. */
state_pages_t *state_pages_new(const char *key, const site_t *s, const snap_t *snap, const char *theme_dir);
/* Adds what the pages that show history may show of it as a whole (h may
 * be NULL); before the plans' fingerprints are taken. */
void state_pages_history(state_pages_t *sp, const history_t *h);
/* A plan's page: its file's bytes, its name and address, the documents
 * above it or named in its text, and its entries of history. */
void state_pages_plan_fp(const state_pages_t *sp, const plan_t *p, const history_t *h, char fp[STATE_FP_LEN]);
/* The report of week h->weeks[idx]: the week's last commit (which fixes
 * every version it shows), its neighbours' figures (its links to them),
 * and today's name, address and file of every plan it shows. */
void state_pages_week_fp(const state_pages_t *sp, const history_t *h, size_t idx, char fp[STATE_FP_LEN]);
/* A unit's pages: the files, names and addresses of the plans whose tasks
 * they list (the unit's and its sub-units', led or supported) or that they
 * issued. */
void state_pages_unit_fp(const state_pages_t *sp, const site_t *s, const unit_t *u, char fp[STATE_FP_LEN]);

/* A list page rendered before the history is read (route kind k: a
 * status view's page, a deadlines page, the plans or units index; ROUTE_KIND_COUNT:
 * the search index, made without a template): everything every page depends on, the commit when k's
 * templates may show it, and inputs, what the renderer says the page
 * shows of the site (its rows, their tasks' cells, its pager). */
void state_pages_list_fp(const state_pages_t *sp, route_kind_t k, const buf_t *inputs, char fp[STATE_FP_LEN]);

/* Reads the previous site's PAGES_FILE through o (out_share's site; none
 * with --force).  A damaged file (W044) or one of another format (W045) is
 * ignored with a warning to d: every page is rendered. */
void state_pages_load(state_pages_t *sp, out_t *o, const char *outdir, diag_t *d);
/* When the previous site has job key with fingerprint fp, links its files
 * into o (out_keep), records them for this build and returns true: the
 * job need not run.  A file the state names that is missing or of another
 * size is reported (W046) and false returned.  Thread-safe; sp NULL: false. */
bool state_pages_keep(state_pages_t *sp, out_t *o, const char *outdir, diag_t *d, const char *key,
		      const char *fp);
/* When the previous site has job key with fingerprint fp: its files there
 * (what state_pages_keep would link), else NULL.  Links nothing; the files
 * live as long as sp.  Thread-safe; sp NULL: NULL. */
const out_files_t *state_pages_same(const state_pages_t *sp, const char *key, const char *fp);
/* Records the files job key made (taken from files, which is left empty).
 * Thread-safe; sp NULL: nothing. */
void state_pages_done(state_pages_t *sp, const char *key, const char *fp, out_files_t *files);
/* Writes PAGES_FILE into o.  Returns 0 or -1 with *err. */
int state_pages_write(state_pages_t *sp, out_t *o, char **err);
/* How many jobs were kept and how many rendered (with fingerprints). */
void state_pages_counts(const state_pages_t *sp, size_t *kept, size_t *rendered);
void state_pages_free(state_pages_t *sp);   /* accepts NULL */

#endif
