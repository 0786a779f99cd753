/* ctx_week.h: the task rows of a weekly report (themes/README.md, week
 * (full)) as typed template records, read from the task as the week's end
 * wrote it when a template asks, instead of a jansson object a row. */
#ifndef PLANSITE_CTX_WEEK_H
#define PLANSITE_CTX_WEEK_H

#include "ctx.h"
#include "facts.h"
#include "history.h"

/* A lead unit as the task wrote it: resolved (unit) or not (unit NULL). */
typedef struct {
	const unit_t *unit;
	const char *text;
} ctx_wlead_t;

/* A row: item it of a week counted as of as_of, with its lead units:
 * nlead ctx_wlead_t, or when every one names a unit (lead_units) nlead
 * uref_t, records of ctx_uref_type as the other pages' rows give them, so
 * that the theme's unit_ref over them is rendered once a unit (tmpl_memo_t)
 * and copied, not rendered again for each of the reports' rows. */
typedef struct {
	const hitem_t *it;
	date_t as_of;
	const void *lead;
	size_t nlead;
	bool lead_units;
} ctx_wrow_t;

extern const tmpl_type_t *const ctx_wrow_type;
/* A lead unit (ctx_wlead_t) as a record: the unit's reference (ctx.h,
 * ctx_uref_type's names) when it names one, else { name, url: null,
 * registered: false }. */
extern const tmpl_type_t *const ctx_wlead_type;

/* Fills *row for it; the lead units (split at "; " and resolved as
 * facts_unit_named does) live in memory keeper frees. */
void ctx_wrow_init(ctx_wrow_t *row, tmpl_obj_t *keeper, const site_t *s, const hitem_t *it,
		   date_t as_of);
/* The same, the lead units named through names (facts_unames_get). */
void ctx_wrow_init_with(ctx_wrow_t *row, tmpl_obj_t *keeper, facts_unames_t *names,
			const hitem_t *it, date_t as_of);

/* Registers the row's types (ctx_types_init does). */
void ctx_week_types_register(void);

#endif
