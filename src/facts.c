/* facts.c: the home and deadlines pages' facts (see facts.h). */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "progress.h"

const task_t **facts_all_tasks(const site_t *s, size_t *n)
{
	size_t total = 0;
	for (size_t i = 0; i < s->nplans; i++)
		total += s->plans[i]->ntasks;
	const task_t **v = xmalloc((total + 1) * sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < s->nplans; i++)
		for (size_t j = 0; j < s->plans[i]->ntasks; j++)
			v[(*n)++] = &s->plans[i]->tasks[j];
	return v;
}

static bool open_task(const task_t *t)
{
	return t->status != STATUS_DONE && t->status != STATUS_CANCELLED;
}

/* facts_sort_late's order, for tasks of a plan without a rank. */
static int late_cmp(const void *x, const void *y)
{
	const task_t *a = *(const task_t *const *)x, *b = *(const task_t *const *)y;
	if (a->due.date != b->due.date)
		return a->due.date < b->due.date ? -1 : 1;
	return progress_task_cmp(x, y);
}

typedef struct {
	uint64_t order;   /* progress_task_order */
	const task_t *t;
	date_t date;
} late_t;

static int late_key_cmp(const void *x, const void *y)
{
	const late_t *a = x, *b = y;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void facts_sort_late(const task_t **v, size_t n)
{
	late_t *k = xmalloc((n + 1) * sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		k[i] = (late_t){ progress_task_order(v[i]), v[i], v[i]->due.date };
		if (!k[i].order) {   /* a plan outside a site */
			free(k);
			qsort(v, n, sizeof(*v), late_cmp);
			return;
		}
	}
	qsort(k, n, sizeof(*k), late_key_cmp);
	for (size_t i = 0; i < n; i++)
		v[i] = k[i].t;
	free(k);
}

/* Newest first; ties by key. */
static int date_desc(const void *x, const void *y)
{
	const plan_t *a = *(const plan_t *const *)x, *b = *(const plan_t *const *)y;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(a->key, b->key);
}

const plan_t **facts_plans_newest(const site_t *s)
{
	const plan_t **v = xmalloc((s->nplans + 1) * sizeof(*v));
	if (s->nplans)
		memcpy(v, s->plans, s->nplans * sizeof(*v));
	qsort(v, s->nplans, sizeof(*v), date_desc);
	return v;
}

void facts_home(const site_t *s, facts_home_t *out)
{
	*out = (facts_home_t){ 0 };
	size_t n;
	const task_t **tasks = facts_all_tasks(s, &n);
	for (size_t i = 0; i < n; i++)
		stats_add(&out->totals, tasks[i]);
	stats_finish(&out->totals);

	out->overdue = xmalloc((n + 1) * sizeof(*out->overdue));
	for (size_t i = 0; i < n; i++)
		if (tasks[i]->overdue)
			out->overdue[out->noverdue++] = tasks[i];
	facts_sort_late(out->overdue, out->noverdue);

	date_t limit = date_add_days(s->as_of, FACTS_UPCOMING_DAYS);
	out->upcoming = xmalloc((n + 1) * sizeof(*out->upcoming));
	for (size_t i = 0; i < n; i++) {
		const task_t *t = tasks[i];
		if (t->due.date && t->due.date >= s->as_of && t->due.date <= limit && open_task(t))
			out->upcoming[out->nupcoming++] = t;
	}
	facts_sort_late(out->upcoming, out->nupcoming);
	free(tasks);

	/* an insertion sort: stable, so ties keep the site's unit order */
	const unit_t **us = xmalloc((s->nunits + 1) * sizeof(*us));
	size_t nu = 0;
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i]->lead_stats.overdue > 0)
			us[nu++] = s->units[i];
	for (size_t i = 1; i < nu; i++)
		for (size_t j = i; j > 0 && us[j - 1]->lead_stats.overdue < us[j]->lead_stats.overdue; j--) {
			const unit_t *t = us[j];
			us[j] = us[j - 1];
			us[j - 1] = t;
		}
	out->late_units = us;
	out->nlate_units = nu;

	out->newest = facts_plans_newest(s);
	out->nnewest = s->nplans;
}

void facts_home_free(facts_home_t *f)
{
	if (!f)
		return;
	free(f->overdue);
	free(f->upcoming);
	free(f->late_units);
	free(f->newest);
	*f = (facts_home_t){ 0 };
}

size_t facts_deadline_rows(const site_t *s, facts_row_t **out)
{
	size_t n;
	const task_t **tasks = facts_all_tasks(s, &n);
	const task_t **v = xmalloc((n + 1) * sizeof(*v));
	size_t nv = 0;
	for (size_t i = 0; i < n; i++)
		if (tasks[i]->due.date && open_task(tasks[i]))
			v[nv++] = tasks[i];
	facts_sort_late(v, nv);
	facts_row_t *rows = xmalloc((n + 1) * sizeof(*rows));
	size_t nrows = 0;
	for (size_t i = 0; i < nv; i++)
		if (v[i]->overdue)
			rows[nrows++] = (facts_row_t){ v[i], FACTS_OVERDUE };
	for (size_t i = 0; i < nv; i++)
		if (!v[i]->overdue && v[i]->due.date >= s->as_of)
			rows[nrows++] = (facts_row_t){ v[i], FACTS_UPCOMING };
	/* past but "then ongoing", or ongoing with no date at all */
	for (size_t i = 0; i < n; i++) {
		const task_t *t = tasks[i];
		if (!open_task(t) || t->overdue)
			continue;
		if (t->due.ongoing && (!t->due.date || t->due.date < s->as_of))
			rows[nrows++] = (facts_row_t){ t, FACTS_ONGOING };
	}
	free(v);
	free(tasks);
	*out = rows;
	return nrows;
}

facts_five_t facts_five(const plan_t *p)
{
	facts_five_t f = { .tasks = (int)p->ntasks };
	for (size_t j = 0; j < p->ntasks; j++) {
		const task_t *t = &p->tasks[j];
		if (t->complete5)
			continue;
		f.incomplete++;
		f.no_title += !t->title;
		f.no_lead += !t->lead.n;
		f.no_output += !t->output;
		f.no_due += !t->due.parsed;
	}
	f.complete = f.tasks - f.incomplete;
	f.percent = f.tasks ? f.complete * 100 / f.tasks : 100;
	f.all = f.incomplete == 0;
	return f;
}
