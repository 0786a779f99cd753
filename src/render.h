/* render.h: every page of the site rendered through the theme's templates
 * into the staging folder, on several threads. */
#ifndef PLANSITE_RENDER_H
#define PLANSITE_RENDER_H

#include "diag.h"
#include "model.h"
#include "output.h"
#include "theme.h"

typedef struct {
	int threads;          /* 0: one per core */
	const char *inject;   /* HTML added before </body> (preview server), or NULL */
} render_opts_t;

/* Renders all pages, open data, the sitemap, and copies static files.
 * The site is only read, except for the template data cached on its
 * records while rendering.  Returns 0, or -1 after reporting to d. */
int render_site(site_t *s, const theme_t *th, out_t *o, diag_t *d,
		const render_opts_t *ro);

#endif
