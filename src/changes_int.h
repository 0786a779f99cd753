/* changes_int.h: what the weekly reports (weeks.c) share with the rest of
 * the history output (changes.c).  Not for other modules. */
#ifndef PLANSITE_CHANGES_INT_H
#define PLANSITE_CHANGES_INT_H

#include <jansson.h>

#include "history.h"
#include "model.h"

/* What lists of changes and tasks show of a plan: its shared summary
 * (ctx_plan_summary), or for a plan no longer published (p NULL), its
 * number and title as last seen.  A new reference. */
/* A weekly report's task row as a jansson object (the typed ctx_week.h
 * rows' reference).  New reference. */
json_t *changes_week_row_json(const site_t *s, const hweek_t *wk, const hitem_t *it);
json_t *changes_plan_brief(const plan_t *p, const char *label, const char *title);

#endif
