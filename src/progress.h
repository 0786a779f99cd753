/* progress.h: derived facts: overdue and done-late tasks, counts by status,
 * percent done, the "5 rõ" completeness check, and roll-ups along units and
 * the implements graph.  Functions of the model and the as-of date only. */
#ifndef PLANSITE_PROGRESS_H
#define PLANSITE_PROGRESS_H

#include <stdint.h>

#include "model.h"

/* Adds one task to st (percent_done is recomputed by stats_finish). */
void stats_add(stats_t *st, const task_t *t);
/* Percent done = done / (total - cancelled), rounded down, 0 when nothing
 * counts. */
void stats_finish(stats_t *st);

/* The tasks of a unit and its sub-units (transitively), each once: first
 * those led by any of them (v[0..nled)), then those only supported
 * (v[nled..n)), each part in plan order.  A task led by two sub-units is
 * there once.  Pure: safe on several threads.  Free with utasks_free. */
typedef struct {
	task_t **v;
	size_t n, nled;
} utasks_t;
void progress_unit_tasks(const unit_t *u, utasks_t *out);
void utasks_free(utasks_t *t);

/* Orders tasks by plan (key, then path), then by their order in it. */
int progress_task_cmp(const void *x, const void *y);

/* t's place in that order as one number: its plan's rank (plan_t.rank),
 * then its index; 0 when its plan has no rank (a plan outside a site),
 * whose tasks only progress_task_cmp orders.  A sort of many tasks by
 * these reads each task once, not each plan's key at each comparison. */
static inline uint64_t progress_task_order(const task_t *t)
{
	return t->plan->rank ? (uint64_t)t->plan->rank << 32 | t->index : 0;
}

/* Sorts v[0..n) by address and drops repeats; returns the new length
 * (the roll-ups are sums: any order of the same tasks gives them). */
size_t progress_unique_by_address(task_t **v, size_t n);

/* Fills every derived field of the site as of the given date. */
void progress_compute(site_t *s, date_t as_of);

#endif
