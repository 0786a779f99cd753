/* render.h: every page of the site rendered through the theme's templates
 * into the staging folder, on several threads. */
#ifndef PLANSITE_RENDER_H
#define PLANSITE_RENDER_H

#include <stdatomic.h>
#include <stdbool.h>

#include "diag.h"
#include "history.h"
#include "model.h"
#include "output.h"
#include "state.h"
#include "theme.h"

typedef struct {
	int threads;          /* 0: one per core */
	const char *inject;   /* HTML added before </body> (preview server), or NULL */
	/* the pages of the previous site and their inputs: a plan's, a
	 * unit's or a week's page job whose inputs did not change links its files from
	 * there instead of rendering (NULL: render every page) */
	state_pages_t *pages;
	const char *outdir;   /* --out, for the messages about the state */
	/* serve: the pages an edit shows first (the plans' pages and the
	 * other pages of the model) whose inputs changed, and the static
	 * files, render before everything else; then ready is called with
	 * every file made so far (all complete), and the rest renders: the
	 * pages before it whose inputs did not change (linked), the units'
	 * pages, the lists, the home page, the documents' pages, open data,
	 * search index, changes, weekly reports.  NULL: no such order, no
	 * call.  same: the files those unchanged pages will link, the
	 * previous site's as they are. */
	void (*ready)(void *cls, const out_files_t *files, const out_files_t *same);
	void *ready_cls;
	/* serve: once set, the jobs after ready that have not started are
	 * dropped and render_finish returns RENDER_CANCELLED; NULL: never */
	atomic_int *cancel;
} render_opts_t;

enum { RENDER_CANCELLED = -2 };

/* Renders all pages, open data, the sitemap, and copies static files, in
 * two steps so the history can be read meanwhile: begin renders, on
 * background threads, every page that does not show history; finish waits
 * for them, then (with_history) renders the pages that do from h (NULL:
 * the repository has none to show), and frees r.  The site and the history
 * are only read (the template data shared between pages is the renderer's
 * own cache).  Both return 0, or -1 after reporting to d (render_finish:
 * RENDER_CANCELLED when ro->cancel dropped jobs). */
typedef struct render render_t;
int render_begin(render_t **r, const site_t *s, const theme_t *th, out_t *o, diag_t *d,
		 const render_opts_t *ro);
int render_finish(render_t *r, bool with_history, const history_t *h);

/* The first page template the renderer needs that set lacks (a borrowed
 * name), or NULL when it has them all. */
const char *render_missing_template(const tmpl_set_t *set);

#endif
