/* changes.h: the history as pages and files: change entries as template
 * data, the /thay-doi/ pages, the Atom feed, the weekly reports, progress
 * charts and changes.json.  Read-only over the history: safe on the render
 * threads.  Every json_t returned is a new reference. */
#ifndef PLANSITE_CHANGES_H
#define PLANSITE_CHANGES_H

#include <jansson.h>

#include "history.h"
#include "jsonw.h"
#include "model.h"
#include "theme.h"
#include "tmpl.h"

#define CHANGES_FEED_MAX 100  /* entries in the Atom feed */

/* The interface strings (the theme's, a JSON object) that name changed
 * fields ("field_label" of a change); call before rendering, on one thread. */
void changes_labels(const json_t *strings);
/* One change entry (the change_entry template's data). */
json_t *changes_entry(const site_t *s, const hentry_t *e);
/* The n newest change entries of the site. */
json_t *changes_recent(const site_t *s, const history_t *h, size_t n);
/* The chart partial's data for a progress series, or JSON null when the
 * series is NULL or empty.  Points of one day are one point (the last).
 * The reference of changes_chart_val, which the pages use. */
json_t *changes_chart(const hseries_t *ser);
/* Adds a plan's history to its page's data: history (its change entries,
 * newest first, as typed records: the names of changes_entry), has_history
 * and last_change (the newest entry, or null) and chart
 * (changes_chart_val) on plan.  Here and not in ctx.c, so that ctx (template
 * data of the model) never depends on the history pages built on top of
 * it. */
void changes_plan_add(tmpl_obj_t *plan, const site_t *s, const history_t *h, const plan_t *p);
/* A progress chart as a typed template record (changes_chart_type: the
 * names of changes_chart), or null when the series is NULL or empty; its
 * memory lives in keeper's. */
extern const tmpl_type_t *const changes_chart_type;
tmpl_val_t changes_chart_val(tmpl_obj_t *keeper, const hseries_t *ser);
/* A document's rolled-up progress chart, as changes_chart_val. */
tmpl_val_t changes_doc_chart(tmpl_obj_t *keeper, const history_t *h, const doc_t *dc);
/* { shallow, start, start_vi, commits }: where the history starts. */
json_t *changes_site_info(const site_t *s, const history_t *h);

/* Number of pages of the changes section (at least one; routes.h says
 * how many entries a page). */
size_t changes_page_count(const site_t *s, const history_t *h);
/* The file of page i (0-based), in the changes section's folder:
 * "thay-doi/index.html", "thay-doi/trang/2/index.html" ...  malloc'd. */
char *changes_page_rel(const site_t *s, size_t i);
/* Registers the types of the typed change entries (once; before a
 * template set is prepared). */
void changes_types_init(void);
/* The changes template's data for page i: changes, pager (the caller frees
 * it with tmpl_obj_free, or gives it to render_emit_obj). */
tmpl_obj_t *changes_page(const site_t *s, const history_t *h, size_t i);

/* The Atom 1.0 feed of the newest CHANGES_FEED_MAX entries, their summary
 * rendered with the theme's change_item template.  malloc'd; *len set. */
char *changes_atom(const site_t *s, const history_t *h, const theme_t *th, size_t *len);

/* changes.json: every entry, newest first, written to w. */
void changes_json(jsonw_t *w, const site_t *s, const history_t *h);

/* Number of weekly reports (0 without history). */
size_t changes_week_count(const site_t *s, const history_t *h);
/* The weeks template's data (the index). */
json_t *changes_weeks(const site_t *s, const history_t *h);
/* A weekly report cut into pages (changes_week_layout): its rows (the
 * lists by lead unit, the new plans, the tasks due next week, the change
 * entries), in that order, weighed (CHANGES_WEEK_ROW a task row) and cut
 * so that no page holds more than CHANGES_WEEK_PAGE, a row or an entry
 * never cut in two.  The first page also holds the summary by unit. */
#define CHANGES_WEEK_ROW 8
#define CHANGES_WEEK_PAGE (400 * CHANGES_WEEK_ROW)
typedef struct changes_wlayout changes_wlayout_t;
/* The pages of report i (0 is the newest).  Free with
 * changes_week_layout_free (accepts NULL). */
changes_wlayout_t *changes_week_layout(const site_t *s, const history_t *h, size_t i);
/* The same, the lead units named through names (facts.h), kept by the
 * caller from report to report (one a thread); NULL: the report's own. */
struct facts_unames;
changes_wlayout_t *changes_week_layout_with(const site_t *s, const history_t *h, size_t i,
					    struct facts_unames *names);
void changes_week_layout_free(changes_wlayout_t *l);
/* How many pages (at least one). */
size_t changes_week_pages(const changes_wlayout_t *l);
/* The week template's data for page pg (the caller frees it with
 * tmpl_obj_free, or gives it to render_emit_obj). */
tmpl_obj_t *changes_week(const changes_wlayout_t *l, size_t pg);
/* The file of page pg of report i, in the weeks section's folder:
 * "bao-cao-tuan/2025-W51/index.html", ".../trang/2/index.html".
 * malloc'd. */
char *changes_week_rel(const site_t *s, const history_t *h, size_t i, size_t pg);

#endif
