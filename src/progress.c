/* progress.c: derived task facts and roll-ups; no I/O. */
#include "progress.h"

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
