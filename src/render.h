/* render.h: every page of the site rendered through the theme's templates
 * into the staging folder, on several threads. */
#ifndef PLANSITE_RENDER_H
#define PLANSITE_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"
#include "output.h"
#include "theme.h"

typedef struct {
	int threads;          /* 0: one per core */
	const char *inject;   /* HTML added before </body> (preview server), or NULL */
} render_opts_t;

/* Renders all pages, open data, the sitemap, and copies static files, in
 * two steps so the history can be read meanwhile: begin renders, on
 * background threads, every page that does not show history; finish waits
 * for them, then (with_history) renders the pages that do, and frees r.
 * The site is only read, except for the template data cached on its
 * records while rendering.  Both return 0, or -1 after reporting to d. */
typedef struct render render_t;
int render_begin(render_t **r, site_t *s, const theme_t *th, out_t *o, diag_t *d,
		 const render_opts_t *ro);
int render_finish(render_t *r, bool with_history);

/* The first page template the renderer needs that set lacks (a borrowed
 * name), or NULL when it has them all. */
const char *render_missing_template(const tmpl_set_t *set);

#endif
