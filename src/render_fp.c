/* render_fp.c: what the list pages rendered before the history is read
 * show of the site, as the inputs of their fingerprints (state.h): the
 * digest of each task's cells and of each plan's summary, taken once a
 * build (a task's when a page first needs it), then the rows, figures
 * and pager of a status view's page, a deadlines page, the plans index
 * or the units index.  A page whose inputs are those of the previous site's page is
 * linked from there instead of rendered. */
#include "render_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "hash.h"
#include "pager.h"
#include "search.h"

enum { DG_NONE, DG_TAKING, DG_READY, DG_NEVER };
/* a task's and a plan's digest: hash_128 (the page's fingerprint over
 * them is SHA-1); a plan's was SHA-1 itself, 15 M instructions at 1,000
 * plans where hash_128 takes 3 M */
#define TASK_DG_LEN 16
#define PLAN_DG_LEN 16

struct fpcache {
	size_t *first;          /* the slot of the first task of the plan at each position */
	unsigned char (*plan_dg)[PLAN_DG_LEN];
	_Atomic unsigned char *plan_state;   /* DG_* (never DG_NEVER) */
	unsigned char (*task_dg)[TASK_DG_LEN];
	_Atomic unsigned char *task_state;   /* DG_* */
	ctx_unit_dgs_t *units;  /* the units' digests, which the tasks' take */
};

void render_fp_begin(struct run *r)
{
	const site_t *s = r->s;
	if (!r->ro->pages)
		return;
	struct fpcache *c = xcalloc(1, sizeof(*c));
	c->first = xmalloc((s->nplans + 1) * sizeof(*c->first));
	c->plan_dg = xmalloc((s->nplans + 1) * sizeof(*c->plan_dg));
	c->plan_state = xcalloc(s->nplans + 1, sizeof(*c->plan_state));
	size_t ntasks = 0;
	for (size_t i = 0; i < s->nplans; i++) {
		c->first[i] = ntasks;
		ntasks += s->plans[i]->ntasks;
	}
	c->task_dg = xmalloc((ntasks + 1) * sizeof(*c->task_dg));
	c->task_state = xcalloc(ntasks + 1, sizeof(*c->task_state));
	/* each unit's fields once (1.4 M instructions at 1,000 plans), not
	 * in each task's text: there 41,000 tasks name 124,000 units, and
	 * their digests took 290 M instructions with the units' texts, 232 M
	 * with these (callgrind) */
	c->units = ctx_unit_dgs_new(s);
	r->fp = c;
}

void render_fp_end(struct run *r)
{
	struct fpcache *c = r->fp;
	if (!c)
		return;
	free(c->first);
	free(c->plan_dg);
	free((void *)c->plan_state);
	free(c->task_dg);
	free((void *)c->task_state);
	ctx_unit_dgs_free(c->units);
	free(c);
	r->fp = NULL;
}

/* The text of the task being digested, one buffer a thread (freed by
 * render_fp_thread_done). */
static _Thread_local buf_t task_text;

void render_fp_thread_done(void)
{
	buf_free(&task_text);
}

/* The digest of the summary of the plan at position i (ctx_plan_digest):
 * taken by the first page that needs it; another thread meanwhile takes
 * its own copy into local. */
static const unsigned char *plan_dg(struct run *r, size_t i, unsigned char local[PLAN_DG_LEN])
{
	struct fpcache *c = r->fp;
	if (atomic_load_explicit(&c->plan_state[i], memory_order_acquire) == DG_READY)
		return c->plan_dg[i];
	buf_t b = BUF_INIT;
	ctx_plan_digest(r->s->plans[i], &b);
	hash_128(b.ptr ? b.ptr : "", b.len, local);
	buf_free(&b);
	unsigned char want = DG_NONE;
	if (atomic_compare_exchange_strong(&c->plan_state[i], &want, DG_TAKING)) {
		memcpy(c->plan_dg[i], local, PLAN_DG_LEN);
		atomic_store_explicit(&c->plan_state[i], DG_READY, memory_order_release);
	}
	return local;
}

/* Appends the digests of what a row of t with its plan shows; false when
 * they cannot be taken. */
static bool put_task(struct run *r, buf_t *b, const task_t *t)
{
	struct fpcache *c = r->fp;
	long i = site_plan_index(r->s, t->plan);
	if (i < 0 || t < t->plan->tasks || t >= t->plan->tasks + t->plan->ntasks)
		return false;
	size_t slot = c->first[i] + (size_t)(t - t->plan->tasks);
	unsigned char st = atomic_load_explicit(&c->task_state[slot], memory_order_acquire);
	unsigned char local[TASK_DG_LEN];
	const unsigned char *dg = c->task_dg[slot];
	if (st == DG_NEVER)
		return false;
	if (st != DG_READY) {
		/* the first page that shows t takes its digest; another thread
		 * meanwhile takes its own copy */
		buf_t v = task_text;   /* the thread's, kept for its next task */
		buf_clear(&v);
		bool ok = ctx_task_digest(t, r->s, c->units, &v);
		hash_128(v.ptr ? v.ptr : "", v.len, local);
		if (v.cap > ((size_t)1 << 20))
			buf_free(&v);
		task_text = v;
		unsigned char want = DG_NONE;
		if (atomic_compare_exchange_strong(&c->task_state[slot], &want, DG_TAKING)) {
			memcpy(c->task_dg[slot], local, sizeof local);
			atomic_store_explicit(&c->task_state[slot], ok ? DG_READY : DG_NEVER, memory_order_release);
		}
		if (!ok)
			return false;
		dg = local;
	}
	buf_put(b, (const char *)dg, TASK_DG_LEN);
	unsigned char pl[PLAN_DG_LEN];
	buf_put(b, (const char *)plan_dg(r, (size_t)i, pl), PLAN_DG_LEN);
	return true;
}

static void put_stats(buf_t *b, const stats_t *st)
{
	buf_printf(b, "st %d %d %d %d %d %d %d %d\n", st->total, st->done, st->in_progress, st->not_started,
		   st->cancelled, st->overdue, st->done_late, st->percent_done);
}

/* The job's key, "list <file>" (its first file), and its fingerprint. */
static bool finish(struct run *r, route_kind_t k, const char *rel, buf_t *in, char **key,
		   char fp[STATE_FP_LEN])
{
	buf_t kb = BUF_INIT;
	buf_printf(&kb, "list %s", rel);
	*key = buf_detach(&kb);
	state_pages_list_fp(r->ro->pages, k, in, fp);
	buf_free(in);
	return true;
}

bool render_fp_status(struct run *r, size_t k, size_t pg, char **key, char fp[STATE_FP_LEN])
{
	if (!r->fp)
		return false;
	const struct sview *v = &r->views[k];
	size_t per = routes_kind(ROUTE_KIND_STATUS)->per_page;
	size_t pages = pager_count(v->n, per);
	size_t end = (pg + 1) * per < v->n ? (pg + 1) * per : v->n;
	buf_t in = BUF_INIT;
	buf_printf(&in, "status %zu %zu %zu %zu\n", k, pg, pages, v->n);
	put_stats(&in, &r->views_total);
	for (size_t i = pg * per; i < end; i++)
		if (!put_task(r, &in, v->v[i])) {
			buf_free(&in);
			return false;
		}
	char *url = render_view_url(r->s, k);
	char *rel = pager_rel(url + strlen(r->s->base_path), pg);
	free(url);
	bool ok = finish(r, ROUTE_KIND_STATUS, rel, &in, key, fp);
	free(rel);
	return ok;
}

bool render_fp_deadlines(struct run *r, size_t pg, char **key, char fp[STATE_FP_LEN])
{
	if (!r->fp)
		return false;
	size_t from = pg * DEADLINES_PER_PAGE;
	size_t end = from + DEADLINES_PER_PAGE < r->dl_nrows ? from + DEADLINES_PER_PAGE : r->dl_nrows;
	buf_t in = BUF_INIT;
	buf_printf(&in, "deadlines %zu %zu %zu\n", pg, r->dl_pages, r->dl_nrows);
	put_stats(&in, &r->dl_total);
	for (size_t i = from; i < end; i++) {
		/* the row's section (facts_section_t: three), a byte */
		buf_putc(&in, (char)r->dl_rows[i].section);
		if (!put_task(r, &in, r->dl_rows[i].task)) {
			buf_free(&in);
			return false;
		}
	}
	char *rel = pager_rel(routes_dir(&r->s->routes, ROUTE_DEADLINES), pg);
	bool ok = finish(r, ROUTE_KIND_DEADLINES, rel, &in, key, fp);
	free(rel);
	return ok;
}

bool render_fp_plans(struct run *r, char **key, char fp[STATE_FP_LEN])
{
	if (!r->fp)
		return false;
	const site_t *s = r->s;
	/* the summaries in the order the index lists them */
	const plan_t *const *v = render_plans_order(r);
	buf_t in = BUF_INIT;
	buf_printf(&in, "plans %zu\n", s->nplans);
	for (size_t i = 0; i < s->nplans; i++) {
		long at = site_plan_index(s, v[i]);
		if (at < 0) {
			buf_free(&in);
			return false;
		}
		unsigned char pl[PLAN_DG_LEN];
		buf_put(&in, (const char *)plan_dg(r, (size_t)at, pl), PLAN_DG_LEN);
	}
	char *rel = pager_rel(routes_dir(&s->routes, ROUTE_PLANS), 0);
	bool ok = finish(r, ROUTE_KIND_PLANS, rel, &in, key, fp);
	free(rel);
	return ok;
}

/* A digest taken piece by piece: each piece's, chained. */
struct digest {
	unsigned char dg[16];
	size_t len;
};

static void fold(void *cls, buf_t *b)
{
	struct digest *g = cls;
	unsigned char two[32];
	memcpy(two, g->dg, 16);
	hash_128(b->ptr ? b->ptr : "", b->len, two + 16);
	hash_128(two, sizeof two, g->dg);
	g->len += b->len;
	buf_clear(b);
}

bool render_fp_search(struct run *r, char **key, char fp[STATE_FP_LEN])
{
	if (!r->fp)
		return false;
	/* megabytes of text (70 MB at 10,000 plans): a 128-bit digest of
	 * it, taken a megabyte at a time, goes into the fingerprint */
	buf_t all = BUF_INIT, in = BUF_INIT;
	struct digest g = { { 0 }, 0 };
	search_inputs_each(r->s, &all, fold, &g);
	buf_printf(&in, "search %zu\n", g.len);
	buf_put(&in, (const char *)g.dg, sizeof g.dg);
	buf_free(&all);
	/* the index is many files: its key names its folder */
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "%s", routes_dir(&r->s->routes, ROUTE_SEARCH));
	buf_puts(&rel, "manifest.json");
	bool ok = finish(r, ROUTE_KIND_COUNT, rel.ptr, &in, key, fp);
	buf_free(&rel);
	return ok;
}

bool render_fp_units(struct run *r, char **key, char fp[STATE_FP_LEN])
{
	if (!r->fp)
		return false;
	const site_t *s = r->s;
	/* the tree render_job_units shows, as its text: every unit's names,
	 * place and figures */
	size_t n;
	const unit_t **roots = ctx_unit_roots(s, &n);
	tmpl_val_t tree = ctx_unit_tree_list(roots, n);
	buf_t all = BUF_INIT, in = BUF_INIT;
	bool rc = ctx_digest_val(&tree, &all);
	free(roots);
	if (!rc) {
		buf_free(&all);
		return false;
	}
	unsigned char dg[16];
	hash_128(all.ptr ? all.ptr : "", all.len, dg);
	buf_printf(&in, "units %zu\n", all.len);
	buf_put(&in, (const char *)dg, sizeof dg);
	buf_free(&all);
	char *rel = routes_file(&s->routes, ROUTE_UNITS, "index.html");
	bool ok = finish(r, ROUTE_KIND_UNITS, rel, &in, key, fp);
	free(rel);
	return ok;
}
