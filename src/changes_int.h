/* changes_int.h: what the weekly reports (weeks.c) share with the rest of
 * the history output (changes.c).  Not for other modules. */
#ifndef PLANSITE_CHANGES_INT_H
#define PLANSITE_CHANGES_INT_H

#include <jansson.h>

#include "history.h"
#include "model.h"
#include "tmpl.h"

/* What lists of changes and tasks show of a plan: its shared summary
 * (ctx_plan_summary), or for a plan no longer published (p NULL), its
 * number and title as last seen.  A new reference. */
/* A weekly report's task row as a jansson object (the typed ctx_week.h
 * rows' reference).  New reference. */
json_t *changes_week_row_json(const site_t *s, const hweek_t *wk, const hitem_t *it);
/* A change entry as a typed template record (changes_erec_type): the
 * names of changes_entry, read from e when a template asks; the items
 * the pages show, and the commit's link, live in keeper's memory. */
typedef struct {
	const hentry_t *e;
	char *commit_url;
	const hchange_t **items;
	size_t nitems;
} changes_erec_t;
extern const tmpl_type_t *const changes_erec_type;
void changes_erec_init(changes_erec_t *r, tmpl_obj_t *keeper, const site_t *s, const hentry_t *e);
/* Entries v[0..n) as a list of records (their memory in keeper). */
tmpl_val_t changes_erec_list(tmpl_obj_t *keeper, const site_t *s, const hentry_t *const *v, size_t n);
json_t *changes_plan_brief(const plan_t *p, const char *label, const char *title);
/* Registers the type of a weekly report's groups (weeks.c); from
 * changes_types_init. */
void changes_week_types_register(void);
/* Registers the chart's types (changes_chart.c); from changes_types_init. */
void changes_chart_types_register(void);

#endif
