/* tmpl.h: a Mustache template engine (the spec's core modules and
 * ~inheritance) rendering jansson values.  A set is compiled once, then
 * rendered from any number of threads at once (rendering never mutates it). */
#ifndef PLANSITE_TMPL_H
#define PLANSITE_TMPL_H

#include <stdbool.h>
#include <jansson.h>
#include "util.h"

typedef struct tmpl_set tmpl_set_t;

/* How deep sections, blocks, partials and parents may nest, in one source
 * and while rendering (where a recursive partial nests without end). */
#define TMPL_MAX_DEPTH 100

tmpl_set_t *tmpl_set_new(void);
void tmpl_set_free(tmpl_set_t *set);                 /* accepts NULL */

/* Compiles src under name (replacing an earlier template of that name: a
 * site's templates override the theme's).  `file` names the source in error
 * messages.  Returns 0, or -1 with *err set to a malloc'd message of the form
 * "file:line:col: error: text" (caller frees). */
int tmpl_set_add(tmpl_set_t *set, const char *name, const char *file,
                 const char *src, size_t len, char **err);

bool tmpl_set_has(const tmpl_set_t *set, const char *name);

/* Finds templates that include themselves whatever the data: a partial
 * ({{>x}}) or parent ({{<x}}) reached again through partials and parents
 * outside any section ({{#..}} or {{^..}}), which would nest without end.
 * (Inclusion inside a section is how trees recurse, and stops with the
 * data.)  Returns how many cycles were found, each in (*errs)[i] as
 * "file:line:col: error: text" at the tag that closes it, naming the whole
 * cycle; *errs and its strings are malloc'd (the caller frees). */
size_t tmpl_set_cycles(const tmpl_set_t *set, char ***errs);

/* A partial or parent some template of the set names but the set lacks
 * (borrowed, NULL when there is none), and in *user the template that
 * names it; the first such template in name order. */
const char *tmpl_set_missing(const tmpl_set_t *set, const char **user);

/* Renders template `name` with ctx as the root context, appending to out.
 * Partials ({{>x}}) and parents ({{<x}}) are looked up in the same set; an
 * unknown partial renders as nothing, as the spec says.  {{x}} is
 * HTML-escaped, {{{x}}} and {{&x}} are not.  Returns 0, or -1 when name is
 * not in the set, or TMPL_TOO_DEEP when rendering nested deeper than
 * TMPL_MAX_DEPTH (a partial or block including itself without end); out
 * then holds what was rendered up to that point. */
#define TMPL_TOO_DEEP (-2)
int tmpl_render(const tmpl_set_t *set, const char *name, json_t *ctx, buf_t *out);

/* Constant folding: every {{root.key}} in the set's templates becomes the
 * text of values.key, escaped as the tag asks, when that is a string with
 * no newline (or nothing, when values has no such key).  For a name whose
 * value at render time is `values` in every context that can see it (the
 * interface strings, `t`): rendering then looks nothing up for them. */
void tmpl_set_fold(tmpl_set_t *set, const char *root, const json_t *values);

#endif
