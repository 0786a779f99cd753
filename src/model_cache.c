/* model_cache.c: plans parsed by an earlier build of the same process
 * (serve), kept per file and reused when the file's bytes are the same. */
#include "model_cache.h"

#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "pool.h"

/* The arena of the plans one build parsed, and their messages (each
 * file's a range, in the order its parse reported them: a diag a file
 * would take a block of memory each); freed when none of them is kept any
 * more. */
struct batch {
	arena_t *a;
	diag_t *msgs;
	size_t live;
};

/* One plan file as parsed: its bytes (to compare), the plan (NULL when it
 * had no usable front matter) and the messages its parse reported. */
struct entry {
	const char *path, *rel, *data;   /* in the batch's arena */
	size_t len;
	plan_t *plan;
	const char *name;   /* plan->name as parsed: model_load may extend it */
	int worker;         /* while it parses: its messages are w0..w1 of that worker's */
	size_t w0, w1;
	size_t m0, m1;      /* then they are these of b->msgs */
	struct batch *b;
};

struct model_cache {
	strmap_t by_rel;   /* rel -> entry, the files of the last build */
	struct entry **v;
	size_t n;
	bool strict;
	size_t reused, parsed;
};

model_cache_t *model_cache_new(void)
{
	return xcalloc(1, sizeof(model_cache_t));
}

static void batch_free(struct batch *b)
{
	diag_free(b->msgs);
	arena_free(b->a);
	free(b);
}

static void entry_free(struct entry *e)
{
	if (--e->b->live == 0)
		batch_free(e->b);
	free(e);
}

static size_t count(const diag_t *d)
{
	return diag_errors(d) + diag_warnings(d);
}

static void drop_all(model_cache_t *mc)
{
	for (size_t i = 0; i < mc->n; i++)
		entry_free(mc->v[i]);
	free(mc->v);
	mc->v = NULL;
	mc->n = 0;
	strmap_free(&mc->by_rel);
	mc->by_rel = (strmap_t)STRMAP_INIT;
}

void model_cache_free(model_cache_t *mc)
{
	if (!mc)
		return;
	drop_all(mc);
	free(mc);
}

void model_cache_counts(const model_cache_t *mc, size_t *reused, size_t *parsed)
{
	*reused = mc->reused;
	*parsed = mc->parsed;
}

/* What the later stages set in a plan (xref, progress, model_load's names)
 * back to what the parse left: a kept plan must enter xref exactly as a
 * freshly parsed one, and point into no freed build. */
static void plan_reset(struct entry *e)
{
	plan_t *p = e->plan;
	if (!p)
		return;
	p->name = e->name;
	p->slug = p->url = NULL;
	p->doc = NULL;
	p->impl_docs = NULL;
	p->issuer.unit = NULL;
	p->unames = NULL;   /* in the last build's arena */
	p->nunames = 0;
	p->rank = 0;
	memset(&p->stats, 0, sizeof(p->stats));
	p->incomplete5 = 0;
	for (size_t g = 0; g < p->ngroups; g++)
		memset(&p->groups[g].stats, 0, sizeof(p->groups[g].stats));
	for (size_t j = 0; j < p->ntasks; j++) {
		task_t *t = &p->tasks[j];
		for (size_t k = 0; k < t->lead.n; k++)
			t->lead.v[k].unit = NULL;
		for (size_t k = 0; k < t->support.n; k++)
			t->support.v[k].unit = NULL;
		t->overdue = t->done_late = t->complete5 = false;
	}
	for (size_t j = 0; j < p->nindicators; j++)
		p->indicators[j].owner.unit = NULL;
}

struct job {
	struct entry **fresh;   /* the entries to parse */
	const model_opts_t *o;
	arena_t *a[MODEL_PARSE_WORKERS];
	mtexts_t strs[MODEL_PARSE_WORKERS];
	diag_t *d[MODEL_PARSE_WORKERS];   /* each worker's messages, file after file */
};

static void parse_one(void *arg, int worker, size_t i)
{
	struct job *job = arg;
	struct entry *e = job->fresh[i];
	model_ctx_t c = { job->a[worker], job->d[worker], job->o, &job->strs[worker] };
	rfile_t f = { .path = e->path, .rel = e->rel, .data = e->data, .len = e->len };
	e->worker = worker;
	e->w0 = count(c.d);
	e->plan = model_plan_parse(&c, &f);
	if (e->plan)
		model_plan_numbers(c.a, e->plan);
	e->name = e->plan ? e->plan->name : NULL;
	e->w1 = count(c.d);
}

void model_cache_plans(model_cache_t *mc, diag_t *d, const snap_t *snap, const model_opts_t *o,
		       const size_t *idx, size_t n, plan_t **out)
{
	if (mc->strict != o->strict) {
		drop_all(mc);
		mc->strict = o->strict;
	}
	struct entry **now = xcalloc(n + 1, sizeof(*now));
	struct entry **fresh = xcalloc(n + 1, sizeof(*fresh));
	size_t nfresh = 0;
	struct batch *b = xcalloc(1, sizeof(*b));
	b->a = arena_new();
	b->msgs = diag_new();
	mc->reused = mc->parsed = 0;
	for (size_t i = 0; i < n; i++) {
		const rfile_t *f = &snap->files[idx[i]];
		struct entry *e = strmap_get(&mc->by_rel, f->rel);
		/* verified by content: the same bytes at the same path parse to
		 * the same plan with the same messages */
		if (e && e->len == f->len && !strcmp(e->path, f->path) && !memcmp(e->data, f->data, f->len)) {
			plan_reset(e);
			now[i] = e;
			mc->reused++;
			continue;
		}
		e = xcalloc(1, sizeof(*e));
		e->path = arena_strdup(b->a, f->path);
		e->rel = arena_strdup(b->a, f->rel);
		e->data = arena_strndup(b->a, f->data, f->len);
		e->len = f->len;
		e->b = b;
		b->live++;
		now[i] = fresh[nfresh++] = e;
	}
	mc->parsed = nfresh;
	struct job job = { .fresh = fresh, .o = o };
	int nw = nfresh < 64 ? 1 : pool_size(o->threads, MODEL_PARSE_WORKERS);
	job.a[0] = b->a;
	for (int w = 1; w < nw; w++)
		job.a[w] = arena_new();
	for (int w = 0; w < nw; w++)
		job.d[w] = diag_new();
	pool_for(nw, nfresh, parse_one, &job);
	for (int w = 1; w < nw; w++)
		arena_adopt(b->a, job.a[w]);
	for (int w = 0; w < nw; w++)
		mtexts_free(&job.strs[w]);
	for (size_t i = 0; i < nfresh; i++) {
		struct entry *e = fresh[i];
		e->m0 = count(b->msgs);
		diag_copy_range(b->msgs, job.d[e->worker], e->w0, e->w1);
		e->m1 = count(b->msgs);
	}
	for (int w = 0; w < nw; w++)
		diag_free(job.d[w]);
	if (!b->live)
		batch_free(b);
	/* the entries of files gone or changed go; this build's are kept */
	strmap_t by_rel = STRMAP_INIT;
	for (size_t i = 0; i < n; i++) {
		strmap_put(&by_rel, now[i]->rel, now[i]);
		diag_copy_range(d, now[i]->b->msgs, now[i]->m0, now[i]->m1);
		out[i] = now[i]->plan;
	}
	for (size_t i = 0; i < mc->n; i++)
		if (strmap_get(&by_rel, mc->v[i]->rel) != mc->v[i])
			entry_free(mc->v[i]);
	strmap_free(&mc->by_rel);
	mc->by_rel = by_rel;
	free(mc->v);
	mc->v = now;
	mc->n = n;
	free(fresh);
}
