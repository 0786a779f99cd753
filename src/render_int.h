/* render_int.h: what the files of the renderer share: the jobs, the run
 * they belong to, the frame of every page (render_frame.c), the task lists
 * (render_tasks.c) and the pages of the model (render_pages.c).  Internal
 * to render*.c. */
#ifndef PLANSITE_RENDER_INT_H
#define PLANSITE_RENDER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctx.h"
#include "facts.h"
#include "progress.h"
#include "render.h"
#include "routes.h"

typedef enum {
	JOB_CHANGES, JOB_ATOM, JOB_WEEKS, JOB_WEEK,   /* history outputs (changes.c) */
	JOB_HOME, JOB_PLANS, JOB_PLAN, JOB_UNITS, JOB_UNIT, JOB_DOCS, JOB_DOC,
	JOB_DEADLINES, JOB_PAGE, JOB_SEARCH, JOB_DATA, JOB_404, JOB_OPEN_DATA,
	JOB_SEARCH_INDEX, JOB_STATUS, JOB_KINDS
} job_kind_t;

typedef struct {
	job_kind_t kind;
	const void *item;   /* history pages: the page or week number, as uintptr_t */
} job_t;

#define DEADLINES_PER_PAGE (routes_kind(ROUTE_KIND_DEADLINES)->per_page)

/* The rows of a status view (render_tasks.c): its tasks in order. */
struct sview {
	const task_t **v;
	size_t n;
};

/* A status view's page as a job's item: view k's page pg. */
#define STATUS_JOB(k, pg) ((const void *)(uintptr_t)((pg) * ROUTES_NVIEWS + (k)))
#define STATUS_JOB_VIEW(item) ((size_t)(uintptr_t)(item) % ROUTES_NVIEWS)
#define STATUS_JOB_PAGE(item) ((size_t)(uintptr_t)(item) / ROUTES_NVIEWS)

struct fpcache;

struct run {
	const site_t *s;
	const theme_t *th;
	out_t *o;
	diag_t *d;
	const render_opts_t *ro;
	job_t *jobs;
	size_t njobs;
	atomic_size_t next;
	atomic_int failed;
	json_t *base;   /* site, t, root: shared read-only; copied per thread */
	ctx_cache_t *cache;   /* shared plan summaries and unit references */
	tmpl_memo_t *memo;    /* the cells of tasks, rendered once (tmpl.h) */
	ctx_task_nums_t *task_nums;   /* the tasks' places in the memo's array */
	/* the menu of a page of each section (render_frame_begin): entry i
	 * of nav[c] is section i's, current on a page of section c (c
	 * ROUTE_NONE: none); the strings are nav_url's and nav_label's */
	ctx_nav_t nav[ROUTE_COUNT + 1][ROUTE_COUNT];
	char *nav_url[ROUTE_COUNT], *nav_label[ROUTE_COUNT];
	/* the kinds of chips of the status filters of plan and unit pages,
	 * in render_status_filter's order, their labels the theme's
	 * (render_filter_kinds) */
	ctx_chip_kind_t filter_kinds[CTX_FILTER_MAX];
	const history_t *hist;   /* the second batch's history, or NULL (render_finish) */
	facts_row_t *dl_rows;   /* the deadlines pages' rows, one job per page */
	size_t dl_nrows, dl_pages;
	stats_t dl_total;       /* every task's: each deadlines page shows it */
	struct sview views[ROUTES_NVIEWS];   /* the status views' rows */
	stats_t views_total;    /* every task's: each status view shows it */
	/* the rows the list pages share (render_tasks.c): the list of all
	 * tasks with the list of each status but the overdue one; the
	 * overdue list with the deadlines pages */
	tmpl_share_t *share_views, *share_late;
	struct ushare *ushare;  /* every unit by address, with its group's share (render_pages.c) */
	size_t nushare;
	pthread_mutex_t ushare_mu;
	tmpl_share_stats_t ushare_st;   /* of the groups' shares freed */
	size_t ushare_groups;
	struct fpcache *fp;     /* the digests of tasks and plans (render_fp.c), with ro->pages */
	const plan_t **plans_order;   /* render_plans_order's, once made */
	_Atomic long long busy_ns[JOB_KINDS];   /* PLANSITE_TIMING: time per job kind */
	_Atomic long long cpu_ns[JOB_KINDS];    /* ... and the CPU time of its threads */
	/* with ro->ready: the jobs that run after it, the files made before
	 * it (first: still recording them), and whether ro->cancel dropped
	 * jobs */
	job_t *late;
	size_t nlate, late_cap;
	bool first, cancellable;
	pthread_mutex_t ready_mu;
	out_files_t ready_files;
	/* ... the jobs whose inputs are the previous site's, linked only
	 * after ready (render.c, defer_keep), and the files they will link,
	 * the same as the previous site's */
	struct keep {
		job_t job;
		char *key;
		char fp[STATE_FP_LEN];
	} *keeps;
	size_t nkeeps, keeps_cap;
	atomic_size_t next_keep;
	out_files_t same_files;
	/* PLANSITE_TIMING: the jobs run before ready, by kind, and linked */
	atomic_size_t first_made[JOB_KINDS], first_kept;
	atomic_int cancelled;
	_Atomic long long kept_ns;              /* ... and of the jobs linked from the previous site */
};

/* ---- render_frame.c: the frame of every page ---- */

/* Builds the menus of r from the strings t (shared by every page of a
 * section), and drops them. */
void render_frame_begin(struct run *r, const json_t *t);
void render_frame_end(struct run *r);
/* Sets "filter" of a plan's or unit's page data: the status filter over
 * st (render_status_filter, without views), on o as a typed record (its
 * memory kept by o), or on o's base j when the filter's data is not what
 * the record knows. */
/* The kinds of chips of the status filter into r->filter_kinds (at
 * render_frame_begin). */
void render_filter_kinds(struct run *r);
/* A plan's or unit's status filter on o, as render_status_filter's data
 * without views but a typed record kept by o. */
void render_filter_set(struct run *r, tmpl_obj_t *o, const stats_t *st);
/* The bytes of the page buffers kept for the next batch's workers. */
size_t render_frame_spare_bytes(void);
/* The template data `site` (without nav and history).  New reference. */
json_t *render_site_json(const site_t *s);
/* Renders a page of kind k with ctx (consumed) to file rel, through the
 * kind's template (routes.h), with the menu, the strings, the page's
 * identity and the Content-Security-Policy; a failure is reported to r->d
 * and marks r failed. */
void render_emit(struct run *r, json_t *base, route_kind_t k, json_t *ctx,
		 const char *rel, const char *title);
/* The same with typed data: top (consumed) over its jansson base, which
 * gets what render_emit gives ctx. */
void render_emit_obj(struct run *r, json_t *base, route_kind_t k, tmpl_obj_t *top,
		     const char *rel, const char *title);
/* Frees the calling thread's page buffer (at the end of a worker). */
void render_frame_done(void);
/* The theme's string key, or dflt.  Borrowed. */
const char *render_str(struct run *r, const char *key, const char *dflt);
/* Page pg of a list of `pages` pages under dir: puts its pager on ctx (a
 * list of one page has none), adds " – Trang N" to title after the first
 * page, and returns the page's file (pager_rel, malloc'd). */
char *render_list_page(struct run *r, json_t *ctx, const char *dir, size_t pg, size_t pages, buf_t *title);
/* The file of the page at url (base_path rel/): rel/index.html.  malloc'd. */
char *render_rel_of(const site_t *s, const char *url);

/* ---- render_tasks.c: task lists, deadlines and status views ---- */

/* The status filter's data over a list of figures st; views: each chip
 * also names its pre-rendered list.  New reference. */
json_t *render_status_filter(struct run *r, const stats_t *st, bool views);
/* The address of status list k (routes_view).  malloc'd. */
char *render_view_url(const site_t *s, size_t k);
/* { overdue, not_started, ..., total }: the address of the list each
 * count counts.  New reference. */
json_t *render_stats_links(const site_t *s);
/* A plan's counts as links to the anchors of its status filter.  New
 * reference. */
json_t *render_plan_links(const stats_t *st);
/* Sorts the rows of every deadlines page into r (r->dl_rows, dl_pages). */
void render_deadline_rows(struct run *r);
/* The rows of every status view into r (r->views, views_total); freed by
 * render_status_rows_free. */
void render_status_rows(struct run *r);
void render_status_rows_free(struct run *r);
void render_job_deadlines(struct run *r, json_t *base, size_t pg);
/* Page pg of the status view k. */
void render_job_status_view(struct run *r, json_t *base, size_t k, size_t pg);
/* The shares of the list pages' rows (none with PLANSITE_NO_SHARE set in
 * the environment: the pages are then rendered each on its own, for the
 * tests that compare), after render_status_rows; and the order of the
 * list jobs that keeps what they share short-lived: each deadlines page
 * beside the page of the overdue list of the same rows, then the pages of
 * every other status list in the order their last rows come in the list
 * of all tasks; add(r, kind, item) appends a job. */
void render_shares_begin(struct run *r);
void render_list_jobs(struct run *r, void (*add)(struct run *r, job_kind_t kind, const void *item));
/* Prints the shares' figures (PLANSITE_TIMING) and frees them. */
void render_shares_end(struct run *r);

/* ---- render_fp.c: the inputs of the list pages (state.h) ---- */

/* Takes the digests of the plans' summaries (after r->cache is made);
 * nothing without r->ro->pages.  render_fp_end frees them. */
void render_fp_begin(struct run *r);
void render_fp_end(struct run *r);
/* Frees the calling thread's buffer (at the end of a worker). */
void render_fp_thread_done(void);
/* The key and fingerprint of a job: page pg of status view k, deadlines
 * page pg, the plans index (all its pages), the search index, the units
 * index.  False
 * when the job must render (no previous state to compare with, or a
 * value that cannot be digested); else *key is malloc'd. */
bool render_fp_status(struct run *r, size_t k, size_t pg, char **key, char fp[STATE_FP_LEN]);
bool render_fp_deadlines(struct run *r, size_t pg, char **key, char fp[STATE_FP_LEN]);
bool render_fp_plans(struct run *r, char **key, char fp[STATE_FP_LEN]);
bool render_fp_search(struct run *r, char **key, char fp[STATE_FP_LEN]);
bool render_fp_units(struct run *r, char **key, char fp[STATE_FP_LEN]);

/* ---- render_pages.c: the pages of the model ---- */

void render_job_home(struct run *r, json_t *base);
void render_job_plans(struct run *r, json_t *base);
/* The plans in the order of the plans index (s->nplans; borrowed, freed
 * by render_finish): sorted once, for the index's fingerprint and its
 * pages alike (12 M instructions at 1,000 plans, the issuers' names
 * collated).  Only the plans index's job calls it: its fingerprint, then
 * its pages, on one thread. */
const plan_t **render_plans_order(struct run *r);
void render_job_plan(struct run *r, json_t *base, const plan_t *p);
void render_job_units(struct run *r, json_t *base);
void render_job_unit(struct run *r, json_t *base, const unit_t *u);
/* The shares of the units' rows (a unit's pages share a task's row with
 * the pages of the units of its group: the highest unit over it with few
 * enough rows; none with PLANSITE_NO_SHARE), and the order of the units'
 * jobs: the units of no group, then each group's together; add(r, kind,
 * item) appends a job.  render_unit_kept: unit u's job linked the previous
 * site's pages (its group's share is freed after its last unit). */
void render_unit_shares_begin(struct run *r);
void render_unit_jobs(struct run *r, void (*add)(struct run *r, job_kind_t kind, const void *item));
void render_unit_kept(struct run *r, const unit_t *u);
/* Prints the figures of the units' shares (PLANSITE_TIMING), frees them. */
void render_unit_shares_end(struct run *r);
void render_job_docs(struct run *r, json_t *base);
void render_job_doc(struct run *r, json_t *base, const doc_t *dc);
void render_job_page(struct run *r, json_t *base, const page_t *pg);
/* The search page, the open data page or 404.html; key: its title's string. */
void render_job_simple(struct run *r, json_t *base, route_kind_t k, const char *key);
/* History outputs: the changes pages, the Atom feed, weekly reports. */
void render_job_history(struct run *r, json_t *base, const job_t *j);
/* Frees what the calling thread kept from weekly report to weekly report
 * (the lead units they name; at the end of a worker). */
void render_weeks_thread_done(void);

#endif
