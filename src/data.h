/* data.h: open data (plans.json, tasks.csv, units.json, documents.json)
 * and sitemap.xml. */
#ifndef PLANSITE_DATA_H
#define PLANSITE_DATA_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "diag.h"
#include "history.h"
#include "model.h"
#include "output.h"

/* Writes part of the open data, so the parts can be written on different
 * threads: 0 plans.json; 1 changes.json (the only part that needs the
 * history, h: NULL when there is none); 2 tasks.csv and the sitemap; 3 units.json and documents.json.
 * Returns 0 or -1 (reported to d); once *cancel is set (serve: the editor
 * saved again; cancel may be NULL), DATA_CANCELLED, the files left
 * incomplete: it is looked at every megabyte written.  */
#define DATA_PARTS 4
#define DATA_CANCELLED (-2)
int data_write(const site_t *s, const history_t *h, out_t *o, diag_t *d, int part, const atomic_int *cancel);

/* The description of each file and its fields, for the /du-lieu/ page. */
json_t *data_describe(const site_t *s);

/* sources.json: one object a source of site.yaml (a new reference); for
 * the /du-lieu/ page (page) also is_held and is_left_out. */
json_t *data_sources(const site_t *s, bool page);

/* url (a path from the site's root) made absolute with base_url's host;
 * url itself when the site has no base_url.  A new reference. */
json_t *data_absolute(const site_t *s, const char *url);

/* One CSV field with RFC 4180 quoting; a field starting with =, +, -, @,
 * a tab or a CR gets a leading ' (and quotes) so spreadsheets show it as
 * text instead of running it as a formula. */
void data_csv_field(buf_t *b, const char *s);

#endif
