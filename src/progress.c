/* progress.c: derived task facts and roll-ups; no I/O. */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void stats_add(stats_t *st, const task_t *t)
{
	st->total++;
	switch (t->status) {
	case STATUS_DONE: st->done++; break;
	case STATUS_IN_PROGRESS: st->in_progress++; break;
	case STATUS_CANCELLED: st->cancelled++; break;
	default: st->not_started++; break;
	}
	st->overdue += t->overdue;
	st->done_late += t->done_late;
}

void stats_finish(stats_t *st)
{
	int base = st->total - st->cancelled;
	st->percent_done = base > 0 ? st->done * 100 / base : 0;
}

date_t progress_as_of(int64_t time, int tz_minutes)
{
	time_t t = (time_t)(time + (int64_t)tz_minutes * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Rolls tasks up to a document: every plan below it, reached by any path,
 * counted once (a plan reached twice has the same tasks). */
static void rollup(doc_t *dc, unsigned stamp, stats_t *st)
{
	if (dc->visit == stamp)
		return;
	dc->visit = stamp;
	if (dc->plan)
		for (size_t k = 0; k < dc->plan->ntasks; k++)
			stats_add(st, &dc->plan->tasks[k]);
	for (size_t i = 0; i < dc->ndown; i++)
		rollup(dc->down[i], stamp, st);
}

int progress_task_cmp(const void *x, const void *y)
{
	const task_t *a = *(task_t *const *)x, *b = *(task_t *const *)y;
	if (a->plan != b->plan) {
		int c = strcmp(a->plan->key, b->plan->key);
		return c ? c : strcmp(a->plan->path, b->plan->path);
	}
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Appends the tasks of u and of its sub-units; depth guards a cycle that
 * xref has already reported and broken. */
static void subtree(const unit_t *u, bool lead, task_t ***v, size_t *n, size_t *cap, int depth)
{
	task_t **src = lead ? u->led : u->supported;
	size_t ns = lead ? u->nled : u->nsupported;
	if (*n + ns >= *cap) {
		*cap = (*n + ns) * 2 + 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	if (ns)
		memcpy(*v + *n, src, ns * sizeof(*src));
	*n += ns;
	if (depth < 64)
		for (size_t i = 0; i < u->nchildren; i++)
			subtree(u->children[i], lead, v, n, cap, depth + 1);
}

/* Sorts v[0..n) and drops repeats; returns the new length. */
static size_t sort_unique(task_t **v, size_t n)
{
	if (n < 2)
		return n;
	qsort(v, n, sizeof(*v), progress_task_cmp);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

void progress_unit_tasks(const unit_t *u, utasks_t *out)
{
	task_t **led = NULL, **sup = NULL;
	size_t nl = 0, cl = 0, ns = 0, cs = 0;
	subtree(u, true, &led, &nl, &cl, 0);
	subtree(u, false, &sup, &ns, &cs, 0);
	nl = sort_unique(led, nl);
	ns = sort_unique(sup, ns);
	task_t **v = xmalloc((nl + ns + 1) * sizeof(*v));
	if (nl)
		memcpy(v, led, nl * sizeof(*v));
	size_t n = nl;
	/* both lists are sorted: a merge drops the supported tasks also led */
	size_t i = 0;
	for (size_t j = 0; j < ns; j++) {
		while (i < nl && progress_task_cmp(&led[i], &sup[j]) < 0)
			i++;
		if (i < nl && led[i] == sup[j])
			continue;
		v[n++] = sup[j];
	}
	free(led);
	free(sup);
	*out = (utasks_t){ v, n, nl };
}

void utasks_free(utasks_t *t)
{
	if (!t)
		return;
	free(t->v);
	*t = (utasks_t){ 0 };
}

void progress_compute(site_t *s, date_t as_of)
{
	s->as_of = as_of;
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		memset(&p->stats, 0, sizeof(p->stats));
		p->incomplete5 = 0;
		for (size_t g = 0; g < p->ngroups; g++)
			memset(&p->groups[g].stats, 0, sizeof(p->groups[g].stats));
		for (size_t j = 0; j < p->ntasks; j++) {
			task_t *t = &p->tasks[j];
			t->overdue = due_overdue(&t->due, t->status, as_of);
			t->done_late = t->completed && due_done_late(&t->due, t->status, t->completed);
			t->complete5 = t->title && t->lead.n && t->output && (t->due.parsed);
			if (!t->complete5)
				p->incomplete5++;
			stats_add(&p->stats, t);
			for (size_t g = 0; g < p->ngroups; g++)
				if (t->group && !strcmp(t->group, p->groups[g].id))
					stats_add(&p->groups[g].stats, t);
		}
		stats_finish(&p->stats);
		for (size_t g = 0; g < p->ngroups; g++)
			stats_finish(&p->groups[g].stats);
	}
	for (size_t i = 0; i < s->nunits; i++) {
		unit_t *u = s->units[i];
		memset(&u->lead_stats, 0, sizeof(u->lead_stats));
		memset(&u->support_stats, 0, sizeof(u->support_stats));
		for (size_t j = 0; j < u->nled; j++)
			stats_add(&u->lead_stats, u->led[j]);
		for (size_t j = 0; j < u->nsupported; j++)
			stats_add(&u->support_stats, u->supported[j]);
		stats_finish(&u->lead_stats);
		stats_finish(&u->support_stats);
		stats_t z = { 0 };
		u->roll_lead = u->roll_support = u->roll_all = u->issued_stats = z;
		utasks_t ut;
		progress_unit_tasks(u, &ut);
		for (size_t j = 0; j < ut.n; j++) {
			stats_add(j < ut.nled ? &u->roll_lead : &u->roll_support, ut.v[j]);
			stats_add(&u->roll_all, ut.v[j]);
		}
		utasks_free(&ut);
		stats_finish(&u->roll_lead);
		stats_finish(&u->roll_support);
		stats_finish(&u->roll_all);
		for (size_t j = 0; j < u->nissued; j++)
			for (size_t k = 0; k < u->issued[j]->ntasks; k++)
				stats_add(&u->issued_stats, &u->issued[j]->tasks[k]);
		stats_finish(&u->issued_stats);
	}
	for (size_t i = 0; i < s->ndocs; i++)
		s->docs[i]->visit = 0;
	for (size_t i = 0; i < s->ndocs; i++) {
		doc_t *dc = s->docs[i];
		memset(&dc->stats, 0, sizeof(dc->stats));
		rollup(dc, (unsigned)i + 1, &dc->stats);
		stats_finish(&dc->stats);
	}
}
