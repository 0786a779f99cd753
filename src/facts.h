/* facts.h: what the home and deadlines pages show, derived from the model
 * after progress: the site's totals, the overdue ranking, the upcoming
 * deadlines, the units leading most overdue tasks, the newest plans, the
 * rows of the deadlines pages, each plan's "5 rõ" summary, and a weekly
 * report's lists by lead unit.  Pure stages: functions of the site
 * (read-only) into result structs of their own, so they are tested from
 * tables of cases (tests/unit/test_facts.c) and the renderer only lays
 * them out. */
#ifndef PLANSITE_FACTS_H
#define PLANSITE_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "history.h"
#include "model.h"

/* How far ahead the home page's "upcoming" list looks, in days. */
#define FACTS_UPCOMING_DAYS 30

/* The home page's facts.  The arrays are the caller's (facts_home_free);
 * the records they point to are the site's. */
typedef struct {
	stats_t totals;              /* every task of the site */
	const task_t **overdue;      /* overdue tasks: oldest deadline first, then plan order */
	size_t noverdue;
	const task_t **upcoming;     /* open tasks due from as_of to as_of + 30 days, by date */
	size_t nupcoming;
	const unit_t **late_units;   /* units leading overdue tasks: most first, ties in
				      * the site's unit order */
	size_t nlate_units;
	const plan_t **newest;       /* every plan, newest first (ties by key) */
	size_t nnewest;
} facts_home_t;

/* Fills *out from s (progress_compute has run). */
void facts_home(const site_t *s, facts_home_t *out);
/* Frees the arrays of f (not f); accepts NULL. */
void facts_home_free(facts_home_t *f);

/* Every task of the site, in plan order; the array is the caller's. */
const task_t **facts_all_tasks(const site_t *s, size_t *n);
/* Every plan, newest first (ties by key); the array is the caller's. */
const plan_t **facts_plans_newest(const site_t *s);
/* Sorts tasks v[0..n) by deadline, the earliest first (the most late of
 * overdue tasks, the soonest of upcoming ones), then in plan order
 * (progress_task_cmp): by each task's deadline and progress_task_order,
 * taken once (a qsort whose comparisons read the tasks and their plans
 * missed the cache at each one: 250,000 tasks at 10,000 plans, scattered
 * over 80 MB). */
void facts_sort_late(const task_t **v, size_t n);

/* A plan's "5 rõ" summary: how many of its tasks say what, who, what
 * output and by when (task_t.complete5), and which of those are missing. */
typedef struct {
	int tasks, complete, incomplete;
	int percent;            /* complete / tasks, rounded down; 100 with no task */
	bool all;               /* no task incomplete */
	int no_title, no_lead, no_output, no_due;   /* among the incomplete */
} facts_five_t;

/* The summary of p (progress_compute has run). */
facts_five_t facts_five(const plan_t *p);

/* Sections of the deadlines pages. */
typedef enum { FACTS_OVERDUE, FACTS_UPCOMING, FACTS_ONGOING } facts_section_t;

/* One row of the deadlines pages. */
typedef struct {
	const task_t *task;
	facts_section_t section;
} facts_row_t;

/* The rows of every deadlines page, in order: overdue tasks (oldest
 * deadline first), open tasks due on or after as_of (by date), then open
 * tasks that are ongoing with no date or past their date (plan order).
 * Returns the number of rows; *out is the caller's (free). */
size_t facts_deadline_rows(const site_t *s, facts_row_t **out);

/* ---- the weekly reports (facts_week.c) ---- */

/* A unit named in a past version of plan p: as p at the built commit
 * resolves the same text (plan_t.unames), else the first unit of that
 * name in any spelling (site_t.units_by_key), else NULL.  p may be NULL
 * (a plan no longer published).  After xref_resolve. */
const unit_t *facts_unit_named(const site_t *s, const plan_t *p, const char *text);

/* facts_unit_named's answers, kept by plan and text: a weekly report asks
 * for the same plan's same lead once for its group and again for each of
 * its rows, the next report again, and each answer scans the plan's tasks
 * (at 10,000 plans, tasks all over the heap: the scans were a sixth of
 * the reports' CPU while each report had its own answers).  Not shared
 * between threads. */
typedef struct facts_unames facts_unames_t;
facts_unames_t *facts_unames_new(const site_t *s);
/* At most this many answers kept: the next one starts afresh (bounds the
 * memory of answers kept from report to report: 512 kB of table and the
 * texts, a render thread). */
#define FACTS_UNAMES_MAX 8192
/* facts_unit_named(s, p, text), once per p and text (until the answers
 * kept reach FACTS_UNAMES_MAX). */
const unit_t *facts_unames_get(facts_unames_t *c, const plan_t *p, const char *text);
void facts_unames_free(facts_unames_t *c);

/* The lists of a week that are grouped by lead unit, in this order. */
enum {
	FACTS_WEEK_COMPLETED, FACTS_WEEK_OVERDUE, FACTS_WEEK_ADDED, FACTS_WEEK_DUE_CHANGED,
	FACTS_WEEK_LISTS
};
/* The list of wk of that kind. */
const hitems_t *facts_week_list(const hweek_t *wk, int kind);

/* The tasks of one lead unit in a week: for each list, the places of its
 * items in that list (facts_week_list), in list order. */
typedef struct {
	const unit_t *unit;      /* the first lead, resolved; or NULL */
	const char *text;        /* not resolved: the first lead as written;
				  * NULL with unit NULL: tasks with no lead */
	size_t *items[FACTS_WEEK_LISTS];
	size_t n[FACTS_WEEK_LISTS];
} facts_wgroup_t;

/* Groups the items of wk's lists by their task's first lead unit, groups in
 * Vietnamese order of name, the group with no lead last.  Returns the
 * number of groups; free *out with facts_week_groups_free. */
size_t facts_week_groups(const site_t *s, const hweek_t *wk, facts_wgroup_t **out);
/* The same, the units named through names (or facts_unit_named when NULL). */
size_t facts_week_groups_with(const site_t *s, const hweek_t *wk, facts_unames_t *names,
			      facts_wgroup_t **out);
void facts_week_groups_free(facts_wgroup_t *g, size_t n);

#endif
