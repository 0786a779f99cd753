/* theme.h: a theme (templates, interface strings, static assets) merged
 * with the site's own template overrides. */
#ifndef PLANSITE_THEME_H
#define PLANSITE_THEME_H

#include <jansson.h>

#include "diag.h"
#include "model.h"
#include "tmpl.h"

typedef struct {
	const char *rel;    /* path under the theme's static/ folder */
	char *data;
	size_t len;
} asset_t;

typedef struct {
	tmpl_set_t *tmpl;
	json_t *strings;    /* the strings file of the site's language */
	asset_t *assets;
	size_t nassets;
} theme_t;

/* The theme folder to use: dir when given (--theme), else $PLANSITE_THEME,
 * else themes/default beside the executable or one or two folders above it
 * (the source tree), else share/plansite/themes/default beside the
 * executable's bin/ folder (an installed tree moved as a whole), else the
 * data folder compiled in (PLANSITE_DATADIR, from make's PREFIX).  The
 * site's own content/templates override the theme's templates whichever
 * is used.  Returns a malloc'd path. */
char *theme_locate(const char *dir);

/* Loads the theme at dir for site s (its language and its templates).
 * Template errors go to d.  Returns 0, or -1 with *err for an unusable
 * theme folder. */
int theme_load(theme_t *t, const char *dir, const site_t *s, arena_t *a, diag_t *d, char **err);
void theme_free(theme_t *t);

#endif
