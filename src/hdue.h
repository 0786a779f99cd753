/* hdue.h: the tasks of the plans' current versions during the history walk,
 * counted and indexed by deadline as versions come and go, so that a week's
 * report takes its counts and the tasks due around it without reading every
 * task of every plan (the walk stays linear in the changes, not in weeks x
 * tasks). */
#ifndef PLANSITE_HDUE_H
#define PLANSITE_HDUE_H

#include <stddef.h>
#include <stdint.h>

#include "hrec.h"

typedef struct hdue hdue_t;

/* An open task with a deadline: task `task` of plan `ord`'s current version. */
typedef struct {
	uint32_t ord, task;
} hdue_item_t;

/* An empty index; free with hdue_free (NULL is fine). */
hdue_t *hdue_new(void);
void hdue_free(hdue_t *x);

/* Plan ord (0, 1, 2 ... in any order) now holds version v (NULL: none);
 * its previous version is forgotten.  Invalidates what hdue_range returned. */
void hdue_set(hdue_t *x, size_t ord, const hver_t *v);
/* The version plan ord holds, or NULL. */
const hver_t *hdue_get(const hdue_t *x, size_t ord);

/* The counts of every task of the current versions (stats_add's), overdue
 * as of `after` (due_overdue); percent_done is left to stats_finish. */
void hdue_stats(hdue_t *x, date_t after, stats_t *st);

/* The open (neither done nor cancelled) tasks of the current versions whose
 * deadline's date is within [from, to], by plan ord and then task order.
 * The array is the index's: valid until the next hdue_set or hdue_range. */
size_t hdue_range(hdue_t *x, date_t from, date_t to, const hdue_item_t **out);

#endif
