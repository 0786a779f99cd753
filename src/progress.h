/* progress.h: derived facts: overdue and done-late tasks, counts by status,
 * percent done, the "5 rõ" completeness check, and roll-ups along units and
 * the implements graph.  Functions of the model and the as-of date only. */
#ifndef PLANSITE_PROGRESS_H
#define PLANSITE_PROGRESS_H

#include "model.h"

/* Adds one task to st (percent_done is recomputed by stats_finish). */
void stats_add(stats_t *st, const task_t *t);
/* Percent done = done / (total - cancelled), rounded down, 0 when nothing
 * counts. */
void stats_finish(stats_t *st);

/* Fills every derived field of the site as of the given date. */
void progress_compute(site_t *s, date_t as_of);

/* The as-of date of a commit: its committer time in its own time zone. */
date_t progress_as_of(int64_t time, int tz_minutes);

#endif
