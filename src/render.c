/* render.c: page jobs (one per output file), run on the worker pool.
 * Jobs are independent: each builds its own template data and writes its
 * own file, so output does not depend on scheduling.  The pages themselves:
 * render_frame.c, render_tasks.c, render_pages.c. */
#include "render_int.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "changes.h"
#include "data.h"
#include "jalloc.h"
#include "jsonh.h"
#include "mem.h"
#include "pager.h"
#include "pool.h"
#include "search.h"

static const char *const job_names[JOB_KINDS] = {
	"changes", "atom", "weeks", "week", "home", "plans", "plan", "units", "unit", "docs",
	"doc", "deadlines", "page", "search", "data", "404", "open data", "search index",
	"status view",
};

static void run_job(struct run *r, json_t *base, const job_t *j)
{
	switch (j->kind) {
	case JOB_HOME: render_job_home(r, base); break;
	case JOB_PLANS: render_job_plans(r, base); break;
	case JOB_PLAN: render_job_plan(r, base, j->item); break;
	case JOB_UNITS: render_job_units(r, base); break;
	case JOB_UNIT: render_job_unit(r, base, j->item); break;
	case JOB_DOCS: render_job_docs(r, base); break;
	case JOB_DOC: render_job_doc(r, base, j->item); break;
	case JOB_DEADLINES: render_job_deadlines(r, base, (size_t)(uintptr_t)j->item); break;
	case JOB_PAGE: render_job_page(r, base, j->item); break;
	case JOB_STATUS: render_job_status_view(r, base, STATUS_JOB_VIEW(j->item), STATUS_JOB_PAGE(j->item)); break;
	case JOB_SEARCH: render_job_simple(r, base, ROUTE_KIND_SEARCH, "search_title"); break;
	case JOB_DATA: render_job_simple(r, base, ROUTE_KIND_DATA, "data_title"); break;
	case JOB_404: render_job_simple(r, base, ROUTE_KIND_404, "not_found_title"); break;
	case JOB_CHANGES: case JOB_ATOM: case JOB_WEEKS: case JOB_WEEK:
		render_job_history(r, base, j);
		break;
	case JOB_OPEN_DATA: case JOB_SEARCH_INDEX: {
		/* the longest jobs: a cancel (serve: the editor saved again)
		 * stops them where they are rather than after them */
		const atomic_int *cancel = r->cancellable ? r->ro->cancel : NULL;
		int rc = j->kind == JOB_OPEN_DATA ? data_write(r->s, r->hist, r->o, r->d, (int)(uintptr_t)j->item, cancel)
						  : search_write(r->s, r->o, r->d, cancel);
		if (rc == DATA_CANCELLED || rc == SEARCH_CANCELLED)
			atomic_store(&r->cancelled, 1);
		else if (rc < 0)
			atomic_store(&r->failed, 1);
		break;
	}
	case JOB_KINDS:
		break;
	}
}

/* The jobs whose files the previous site may lend (render.h): a plan's
 * page, a unit's pages, a week's report, a status view's or deadlines
 * page, the plans, units and search indexes; their key and the
 * fingerprint of their inputs (state.h).  Every other job renders. */
static bool job_inputs(struct run *r, const job_t *j, char **key, char fp[STATE_FP_LEN])
{
	*key = NULL;
	if (!r->ro->pages)
		return false;
	switch (j->kind) {
	case JOB_STATUS:
		return render_fp_status(r, STATUS_JOB_VIEW(j->item), STATUS_JOB_PAGE(j->item), key, fp);
	case JOB_DEADLINES:
		return render_fp_deadlines(r, (size_t)(uintptr_t)j->item, key, fp);
	case JOB_PLANS:
		return render_fp_plans(r, key, fp);
	case JOB_SEARCH_INDEX:
		return render_fp_search(r, key, fp);
	case JOB_UNITS:
		return render_fp_units(r, key, fp);
	default:
		break;
	}
	buf_t b = BUF_INIT;
	if (j->kind == JOB_PLAN) {
		const plan_t *p = j->item;
		buf_printf(&b, "plan %s", p->url);
		state_pages_plan_fp(r->ro->pages, p, r->hist, fp);
	} else if (j->kind == JOB_UNIT) {
		const unit_t *u = j->item;
		buf_printf(&b, "unit %s", u->url);
		state_pages_unit_fp(r->ro->pages, r->s, u, fp);
	} else if (j->kind == JOB_WEEK && r->hist) {
		size_t i = (size_t)(uintptr_t)j->item;
		buf_printf(&b, "week %s", r->hist->weeks[i]->id);
		state_pages_week_fp(r->ro->pages, r->hist, i, fp);
	} else {
		return false;
	}
	*key = buf_detach(&b);
	return true;
}

/* Runs job j whose fingerprint (when inputs) is fp under key (taken):
 * links the previous site's files when its inputs are the same, else
 * renders it; records what it made for the page state and, before ready,
 * for the pages served first. */
static void run_one(struct run *r, json_t *base, const job_t *j, char *key, const char *fp, bool inputs,
		    bool cpu_timed)
{
	struct timespec t0, t1, c0 = { 0 }, c1 = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cpu_timed)
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	/* a page's template data lives for the page only; the open data
	 * and the search index keep theirs longer and write JSON text */
	job_kind_t k = j->kind;
	bool scoped = k != JOB_OPEN_DATA && k != JOB_SEARCH_INDEX;
	out_files_t files = { 0 };
	if (key || r->first)
		out_track(&files);
	/* a job whose inputs are those of the previous site's page
	 * links that page's files instead of rendering */
	bool kept = inputs && state_pages_keep(r->ro->pages, r->o, r->ro->outdir, r->d, key, fp);
	if (!kept) {
		if (scoped)
			jalloc_begin();
		run_job(r, base, j);
		if (scoped)
			jalloc_end();
	}
	out_track(NULL);
	if (r->first) {
		pthread_mutex_lock(&r->ready_mu);
		for (size_t f = 0; f < files.n; f++)
			out_files_add(&r->ready_files, files.rel[f], files.size[f]);
		pthread_mutex_unlock(&r->ready_mu);
	}
	if (key && !kept)
		state_pages_done(r->ro->pages, key, fp, &files);   /* takes the files */
	out_files_free(&files);
	free(key);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	if (r->first)
		atomic_fetch_add(kept ? &r->first_kept : &r->first_made[k], 1);
	if (kept) {
		if (k == JOB_UNIT)
			render_unit_kept(r, j->item);
		atomic_fetch_add(&r->kept_ns, ns);
		return;   /* its inputs are those of the previous site's page */
	}
	if (cpu_timed)
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	atomic_fetch_add(&r->busy_ns[k], ns);
	atomic_fetch_add(&r->cpu_ns[k], (long long)(c1.tv_sec - c0.tv_sec) * 1000000000LL + (c1.tv_nsec - c0.tv_nsec));
}

/* Before ready: a job whose inputs are those of the previous site's page
 * is linked after ready, not now (its files are the same as the served
 * site's; linking the thousands of them, a folder and a link each, was a
 * quarter of what an edit took before its page was shown).  Takes key. */
static void defer_keep(struct run *r, const job_t *j, char *key, const char *fp, const out_files_t *same)
{
	pthread_mutex_lock(&r->ready_mu);
	if (r->nkeeps == r->keeps_cap) {
		r->keeps_cap = r->keeps_cap ? 2 * r->keeps_cap : 256;
		r->keeps = xrealloc(r->keeps, r->keeps_cap * sizeof(*r->keeps));
	}
	struct keep *k = &r->keeps[r->nkeeps++];
	k->job = *j;
	k->key = key;
	memcpy(k->fp, fp, STATE_FP_LEN);
	for (size_t f = 0; f < same->n; f++)
		out_files_add(&r->same_files, same->rel[f], same->size[f]);
	pthread_mutex_unlock(&r->ready_mu);
}

static void worker(void *arg, int worker_no)
{
	struct run *r = arg;
	/* each thread its own copy of the shared data: jansson values are not
	 * safe to share across threads while reference counts change */
	json_t *base = json_deep_copy(r->base);
	ctx_cache_use(r->cache);
	/* a thread's CPU clock is a system call (the wall clock is not):
	 * two a page, only when the times are printed */
	bool cpu_timed = getenv("PLANSITE_TIMING") != NULL;
	/* after ready: first the links put off before it (defer_keep) */
	while (!r->first && r->nkeeps) {
		size_t i = atomic_fetch_add(&r->next_keep, 1);
		if (i >= r->nkeeps)
			break;
		if (r->cancellable && atomic_load(r->ro->cancel)) {
			atomic_store(&r->cancelled, 1);
			break;
		}
		struct keep *k = &r->keeps[i];
		run_one(r, base, &k->job, k->key, k->fp, true, cpu_timed);
		k->key = NULL;
	}
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->njobs)
			break;
		if (r->cancellable && atomic_load(r->ro->cancel)) {
			atomic_store(&r->cancelled, 1);
			break;
		}
		char *key = NULL, fp[STATE_FP_LEN];
		bool inputs = job_inputs(r, &r->jobs[i], &key, fp);
		const out_files_t *same = inputs && r->first ? state_pages_same(r->ro->pages, key, fp) : NULL;
		if (same) {
			defer_keep(r, &r->jobs[i], key, fp, same);
			continue;
		}
		run_one(r, base, &r->jobs[i], key, fp, inputs, cpu_timed);
	}
	ctx_cache_use(NULL);
	json_decref(base);
	render_frame_done();
	render_fp_thread_done();
	render_weeks_thread_done();
	jalloc_thread_done();
}

static void copy_static(struct run *r)
{
	const site_t *s = r->s;
	/* the site's static files win over the theme's of the same name */
	for (size_t i = 0; i < r->th->nassets; i++) {
		const asset_t *as = &r->th->assets[i];
		int shadowed = 0;
		for (size_t j = 0; j < s->nstatics && !shadowed; j++)
			shadowed = !strcmp(s->statics[j]->rel + strlen("static/"), as->rel);
		if (shadowed)
			continue;
		buf_t b = BUF_INIT;
		buf_printf(&b, "static/%s", as->rel);
		char *err = NULL;
		if (out_write(r->o, b.ptr, as->data, as->len, &err) < 0) {
			loc_t loc = { 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			r->failed = 1;
		}
		buf_free(&b);
	}
	for (size_t j = 0; j < s->nstatics; j++) {
		const rfile_t *f = s->statics[j];
		char *err = NULL;
		if (out_write(r->o, f->rel, f->data, f->len, &err) < 0) {
			loc_t loc = { f->path, 0, 0 };
			diag_error(r->d, &loc, "E090", "%s", err);
			free(err);
			r->failed = 1;
		}
	}
}

/* Pages that show history (plans, documents, home, changes, weeks) and
 * changes.json wait for it; everything else renders while it is read. */
static bool needs_history(job_kind_t k, const void *item)
{
	switch (k) {
	case JOB_CHANGES: case JOB_ATOM: case JOB_WEEKS: case JOB_WEEK:
	case JOB_HOME: case JOB_PLAN: case JOB_DOC:
		return true;
	case JOB_OPEN_DATA:
		return (uintptr_t)item == 1;
	default:
		return false;
	}
}

/* Appends a job to the batch about to run or, when it is late and
 * ro->ready is set, to the jobs that run after ready. */
static void add_job(struct run *r, bool late, job_kind_t kind, const void *item)
{
	if (!late || !r->ro->ready) {
		r->jobs[r->njobs++] = (job_t){ kind, item };
		return;
	}
	if (r->nlate == r->late_cap) {
		r->late_cap = r->late_cap ? 2 * r->late_cap : 64;
		r->late = xrealloc(r->late, r->late_cap * sizeof(job_t));
	}
	r->late[r->nlate++] = (job_t){ kind, item };
}

/* The lists' and the units' pages: late with ro->ready (an edit of a
 * plan shows its plan's page first; the unit pages it changes, 18 for a
 * title edit at 1,000 plans, and their fingerprints were a fifth of what
 * the edit took before that page was shown). */
static void add_late_job(struct run *r, job_kind_t kind, const void *item)
{
	add_job(r, true, kind, item);
}

struct render {
	struct run r;
	pool_t *pool;
	int nthreads;
};

static void start_workers(struct render *rr)
{
	rr->pool = pool_start(rr->nthreads, worker, &rr->r);
	if (!pool_threads(rr->pool))
		worker(&rr->r, 0);   /* no thread could start: do the work here */
}

static void join_workers(struct render *rr)
{
	pool_join(rr->pool);
	rr->pool = NULL;
}

int render_begin(render_t **out, const site_t *s, const theme_t *th, out_t *o, diag_t *d,
		 const render_opts_t *ro)
{
	struct render *rr = xcalloc(1, sizeof(*rr));
	struct run *r = &rr->r;
	*r = (struct run){ .s = s, .th = th, .o = o, .d = d, .ro = ro };
	/* with ro->ready the lists are late jobs: their rows are made after
	 * ready (render_finish), not before an edit's page is shown */
	if (!ro->ready) {
		render_deadline_rows(r);
		render_status_rows(r);
	}
	size_t per = routes_kind(ROUTE_KIND_STATUS)->per_page, nstatus = 0;
	for (size_t k = 0; k < ROUTES_NVIEWS; k++)
		nstatus += pager_count(r->views[k].n, per);
	size_t cap = 32 + nstatus + s->nplans + s->nunits + s->ndocs + s->npages + r->dl_pages;
	r->jobs = xmalloc(cap * sizeof(job_t));
	if (ro->ready) {
		pthread_mutex_init(&r->ready_mu, NULL);
		r->first = true;
	}
	/* the biggest jobs first, so the threads finish together; with
	 * ro->ready, the lists wait until the pages an edit shows first are
	 * done (add_job) */
	add_job(r, true, JOB_OPEN_DATA, (const void *)(uintptr_t)0);
	add_job(r, true, JOB_OPEN_DATA, (const void *)(uintptr_t)2);
	add_job(r, true, JOB_OPEN_DATA, (const void *)(uintptr_t)3);
	/* the search index is the second batch's (render_finish): its
	 * postings (25 MB at 10,000 plans while it builds) were held beside
	 * the end of the history's walk, the build's peak */
	add_job(r, true, JOB_PLANS, NULL);
	if (!ro->ready) {
		render_shares_begin(r);
		render_list_jobs(r, add_late_job);
	}
	add_job(r, true, JOB_UNITS, NULL);
	add_job(r, true, JOB_DOCS, NULL);
	render_unit_shares_begin(r);
	render_unit_jobs(r, add_late_job);
	for (size_t i = 0; i < s->npages; i++)
		add_job(r, false, JOB_PAGE, &s->pages[i]);
	add_job(r, false, JOB_SEARCH, NULL);
	add_job(r, false, JOB_DATA, NULL);
	add_job(r, false, JOB_404, NULL);
	for (size_t i = 0; i < r->njobs; i++)
		assert(!needs_history(r->jobs[i].kind, r->jobs[i].item));

	jalloc_init();
	/* no shared summaries for the first batch: its pages show plans and
	 * units as typed records, and the few jansson values it needs are
	 * built where used; the cache is built in render_finish, beside them */
	r->cache = NULL;
	r->memo = tmpl_memo_new();
	/* its records are the tasks, numbered: their cells in one array;
	 * the table is for any other (none today) */
	size_t ntasks;
	r->task_nums = ctx_task_nums_new(s, &ntasks);
	tmpl_memo_dense(r->memo, ctx_task_type, ntasks, ctx_task_num, r->task_nums);
	tmpl_memo_reserve(r->memo, s->nplans + s->nunits);
	render_fp_begin(r);
	r->base = json_object();
	SET(r->base, "site", render_site_json(s));
	SET(r->base, "t", json_deep_copy(th->strings));
	render_frame_begin(r, json_object_get(r->base, "t"));
	changes_labels(th->strings);
	if (r->first)
		out_track(&r->ready_files);   /* no worker runs yet */
	copy_static(r);
	out_track(NULL);

	rr->nthreads = pool_size(ro->threads, 16);
	start_workers(rr);
	*out = rr;
	return 0;
}

/* With PLANSITE_TIMING: the resident memory's peak so far and now, and
 * the heap in use, at a point of the rendering (the stage's peak alone
 * does not say which batch of pages set it). */
static void mem_note(const char *when)
{
	if (!getenv("PLANSITE_TIMING"))
		return;
	mem_probe_t m = mem_probe();
	fprintf(stderr, "plansite:   memory %s: peak %ld MB, now %ld MB, heap in use %zu MB (%zu kB), "
		"%zu kB of it page buffers for the next workers\n",
		when, m.peak_kb >> 10, m.now_kb >> 10, m.heap >> 20, m.heap >> 10, render_frame_spare_bytes() >> 10);
}

int render_finish(render_t *rr, bool with_history, const history_t *h)
{
	struct run *r = &rr->r;
	const site_t *s = r->s;
	/* the shared unit references of the pages that
	 * show the history (changes, weekly reports, plan pages), built
	 * while the first batch renders rather than before it starts; its
	 * workers do not see it (they took r->cache, NULL, when they began) */
	ctx_cache_t *cache = ctx_cache_new(s);
	struct timespec w0, w1;
	clock_gettime(CLOCK_MONOTONIC, &w0);
	join_workers(rr);
	r->cache = cache;
	clock_gettime(CLOCK_MONOTONIC, &w1);
	if (getenv("PLANSITE_TIMING"))
		fprintf(stderr, "plansite:   waited %.3f s for the pages without history\n",
			(double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9);
	mem_note("after the pages without history");
	r->hist = h;   /* after the first batch: none of its jobs reads it */
	if (!r->first) {
		/* the status and deadline lists (a pointer or two a task) are
		 * read by the first batch's jobs only; with ro->ready their
		 * pages are late jobs and they stay until the end */
		render_status_rows_free(r);
		free(r->dl_rows);
		r->dl_rows = NULL;
		render_shares_end(r);
		render_unit_shares_end(r);
	}
	/* the history's reading and the first pages leave freed memory in
	 * every thread's malloc arena; give it back before the second batch
	 * takes more */
	mem_trim();
	/* the second batch: what shows the history, now read, and the
	 * search index, its biggest job (first); with ro->ready (r->first)
	 * the search index is a late job, below */
	bool batch = with_history || !r->first;
	if (batch) {
		size_t cap = 16 + s->nplans + s->ndocs;
		if (with_history)
			cap += changes_page_count(s, r->hist) + changes_week_count(s, r->hist);
		free(r->jobs);
		r->jobs = xmalloc(cap * sizeof(job_t));
		r->njobs = 0;
		atomic_store(&r->next, 0);
	}
	add_job(r, true, JOB_SEARCH_INDEX, NULL);
	if (with_history) {
		add_job(r, true, JOB_OPEN_DATA, (const void *)(uintptr_t)1);
		/* with ro->ready, the home page and the documents' pages are
		 * late: an edit shows its plan's page first, and those pages,
		 * rendered on every edit (no fingerprint), were a sixth of what
		 * an edit took before it was shown */
		add_job(r, true, JOB_HOME, NULL);
		for (size_t i = 0; i < s->ndocs; i++)
			if (!s->docs[i]->plan)
				add_job(r, true, JOB_DOC, s->docs[i]);
		for (size_t i = 0; i < s->nplans; i++)
			add_job(r, false, JOB_PLAN, s->plans[i]);
		add_job(r, true, JOB_ATOM, NULL);
		add_job(r, true, JOB_WEEKS, NULL);
		for (size_t i = 0; i < changes_page_count(s, r->hist); i++)
			add_job(r, true, JOB_CHANGES, (const void *)(uintptr_t)i);
		for (size_t i = 0; i < changes_week_count(s, r->hist); i++)
			add_job(r, true, JOB_WEEK, (const void *)(uintptr_t)i);
		json_object_set_new(json_object_get(r->base, "site"), "history", changes_site_info(s, r->hist));
		start_workers(rr);
		join_workers(rr);
		mem_note("after the pages with history");
	} else if (batch) {
		start_workers(rr);
		join_workers(rr);
	}
	if (r->first) {
		/* every file made so far is complete: the pages an edit shows
		 * first can be served while the rest renders */
		r->first = false;
		if (getenv("PLANSITE_TIMING")) {
			/* what the edit's first pages waited for (tests/e2e/test_serve_ready.sh) */
			buf_t b = BUF_INIT;
			size_t made = 0;
			for (int k = 0; k < JOB_KINDS; k++)
				if (r->first_made[k]) {
					buf_printf(&b, "%s%s %zu", made ? ", " : "", job_names[k], (size_t)r->first_made[k]);
					made += r->first_made[k];
				}
			fprintf(stderr, "plansite:   before ready %zu jobs rendered (%s), %zu linked, %zu put off "
				"(inputs unchanged)\n", made, b.ptr ? b.ptr : "", (size_t)r->first_kept, r->nkeeps);
			buf_free(&b);
		}
		if (with_history && !r->failed && !diag_errors(r->d))
			r->ro->ready(r->ro->ready_cls, &r->ready_files, &r->same_files);
		out_files_free(&r->ready_files);
		/* the lists' rows and jobs (render_begin) */
		render_deadline_rows(r);
		render_status_rows(r);
		render_shares_begin(r);
		render_list_jobs(r, add_late_job);
		/* the files that take longest to write last: a cancel (the
		 * editor saved again) waits only for the jobs running, and
		 * those are short until then */
		free(r->jobs);
		r->jobs = xmalloc((r->nlate ? r->nlate : 1) * sizeof(job_t));
		r->njobs = 0;
		for (int big = 0; big < 2; big++)
			for (size_t i = 0; i < r->nlate; i++)
				if ((r->late[i].kind == JOB_OPEN_DATA || r->late[i].kind == JOB_SEARCH_INDEX) == big)
					r->jobs[r->njobs++] = r->late[i];
		free(r->late);
		r->late = NULL;
		atomic_store(&r->next, 0);
		r->cancellable = r->ro->cancel != NULL;
		start_workers(rr);
		join_workers(rr);
		pthread_mutex_destroy(&r->ready_mu);
		/* the links a cancel left undone */
		for (size_t i = 0; i < r->nkeeps; i++)
			free(r->keeps[i].key);
		free(r->keeps);
		r->keeps = NULL;
		out_files_free(&r->same_files);
	}
	if (getenv("PLANSITE_TIMING") && r->kept_ns)
		fprintf(stderr, "plansite:   %-12s %6.3f s (thread time: fingerprints and links)\n", "kept",
			(double)r->kept_ns / 1e9);
	if (getenv("PLANSITE_TIMING"))
		for (int k = 0; k < JOB_KINDS; k++)
			if (r->busy_ns[k] > 1000000)
				fprintf(stderr, "plansite:   %-12s %6.3f s (thread time), cpu %.3f s\n", job_names[k],
					(double)r->busy_ns[k] / 1e9, (double)r->cpu_ns[k] / 1e9);
	render_frame_end(r);
	jalloc_release();
	json_decref(r->base);
	ctx_cache_free(r->cache);
	if (getenv("PLANSITE_TIMING") && r->memo) {
		size_t rendered, reused, texts, bytes = tmpl_memo_bytes(r->memo, &texts);
		tmpl_memo_stats(r->memo, &rendered, &reused);
		/* the memo's parts: the cells of tasks and, inside them, the
		 * links of their units (one a unit) */
		fprintf(stderr, "plansite:   task cells   %zu rendered once (%zu texts, %zu kB), %zu reused\n",
			rendered, texts, bytes >> 10, reused);
	}
	tmpl_memo_free(r->memo);
	ctx_task_nums_free(r->task_nums);
	render_fp_end(r);
	free(r->plans_order);
	render_shares_end(r);
	render_unit_shares_end(r);
	render_status_rows_free(r);
	free(r->dl_rows);
	free(r->jobs);
	int rc = r->failed ? -1 : atomic_load(&r->cancelled) ? RENDER_CANCELLED : 0;
	free(rr);
	return rc;
}
