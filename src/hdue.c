/* hdue.c: the walk's tasks by deadline (hdue.h).  Deadlines of the years
 * 2000-2100 fall in one slot per yyyy-mm-dd (31 a month, so the slots keep
 * the dates' order) with a Fenwick tree of the tasks that can be overdue;
 * any other date goes to a list read whole (none in real content).  A
 * version's tasks enter their slots when it becomes current and are not
 * removed when it goes: a serial number per plan tells the stale ones, which
 * are dropped when their slot is read or would grow. */
#include "hdue.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "util.h"

#define Y0 2000
#define Y1 2100
#define NSLOT ((Y1 - Y0 + 1) * 372)

struct ent {
	uint32_t ord, serial, task;
	date_t date;
};

struct bucket {
	struct ent *v;
	uint32_t n, cap;
};

struct hdue {
	struct bucket *slot;     /* NSLOT */
	struct bucket far;       /* the dates no slot holds */
	int *bit;                /* Fenwick tree over the slots: tasks that can be overdue */
	const hver_t **cur;      /* by plan ord */
	uint32_t *serial;
	size_t ncur;
	uint32_t next_serial;
	stats_t counts;          /* every current task; overdue left 0 */
	hdue_item_t *out;
	size_t nout, capout;
};

hdue_t *hdue_new(void)
{
	hdue_t *x = xcalloc(1, sizeof(*x));
	x->slot = xcalloc(NSLOT, sizeof(*x->slot));
	x->bit = xcalloc(NSLOT + 1, sizeof(*x->bit));
	return x;
}

void hdue_free(hdue_t *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < NSLOT; i++)
		free(x->slot[i].v);
	free(x->slot);
	free(x->far.v);
	free(x->bit);
	free(x->cur);
	free(x->serial);
	free(x->out);
	free(x);
}

/* The slot of d, or -1 when no slot holds it. */
static long slot_of(date_t d)
{
	int y = d / 10000, m = d / 100 % 100, day = d % 100;
	if (d <= 0 || y < Y0 || y > Y1 || m < 1 || m > 12 || day < 1 || day > 31)
		return -1;
	return (long)(y - Y0) * 372 + (m - 1) * 31 + (day - 1);
}

/* The first slot that may hold a date >= d (lo) or the last that may hold
 * one <= d (!lo), for any d: by its month when the month is a real one. */
static long slot_bound(date_t d, bool lo)
{
	long s = slot_of(d);
	if (s >= 0)
		return s;
	int y = d / 10000, m = d / 100 % 100;
	if (d <= 0 || y < Y0)
		return lo ? 0 : -1;
	if (y > Y1)
		return lo ? NSLOT : NSLOT - 1;
	if (m < 1 || m > 12)
		return (long)(y - Y0) * 372 + (lo ? 0 : 371);
	return (long)(y - Y0) * 372 + (m - 1) * 31 + (lo ? 0 : 30);
}

static void bit_add(hdue_t *x, long s, int v)
{
	for (long i = s + 1; i <= NSLOT; i += i & -i)
		x->bit[i] += v;
}

/* The tasks that can be overdue in slots [0, s). */
static long bit_sum(const hdue_t *x, long s)
{
	long n = 0;
	for (long i = s; i > 0; i -= i & -i)
		n += x->bit[i];
	return n;
}

static bool open_dated(const htask_t *t)
{
	return t->due.date && t->status != STATUS_DONE && t->status != STATUS_CANCELLED;
}

/* Whether t is overdue once its date is past (due_overdue at the end of time). */
static bool can_be_overdue(const htask_t *t)
{
	return due_overdue(&t->due, t->status, INT_MAX);
}

static void count(stats_t *st, const htask_t *t, int sign)
{
	st->total += sign;
	switch (t->status) {
	case STATUS_DONE: st->done += sign; break;
	case STATUS_IN_PROGRESS: st->in_progress += sign; break;
	case STATUS_CANCELLED: st->cancelled += sign; break;
	default: st->not_started += sign; break;
	}
	if (t->completed && due_done_late(&t->due, t->status, t->completed))
		st->done_late += sign;
}

static bool live(const hdue_t *x, const struct ent *e)
{
	return x->serial[e->ord] == e->serial;
}

/* Drops the stale entries of b. */
static void compact(hdue_t *x, struct bucket *b)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < b->n; i++)
		if (live(x, &b->v[i]))
			b->v[k++] = b->v[i];
	b->n = k;
}

static void push(hdue_t *x, struct bucket *b, struct ent e)
{
	if (b->n == b->cap)
		compact(x, b);
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n++] = e;
}

void hdue_set(hdue_t *x, size_t ord, const hver_t *v)
{
	if (ord >= x->ncur) {
		size_t n = x->ncur ? x->ncur : 64;
		while (n <= ord)
			n *= 2;
		x->cur = xrealloc(x->cur, n * sizeof(*x->cur));
		x->serial = xrealloc(x->serial, n * sizeof(*x->serial));
		memset(x->cur + x->ncur, 0, (n - x->ncur) * sizeof(*x->cur));
		memset(x->serial + x->ncur, 0, (n - x->ncur) * sizeof(*x->serial));
		x->ncur = n;
	}
	const hver_t *old = x->cur[ord];
	if (old == v)
		return;
	/* a task at the same place in both versions, the same record (a
	 * version parsed from its neighbour shares the tasks written alike),
	 * counts the same in both: its counts are left as they are */
	size_t nold = old ? old->ntasks : 0, nnew = v ? v->ntasks : 0;
	for (size_t j = 0; j < nold; j++) {
		const htask_t *t = old->tasks[j];
		if (j < nnew && v->tasks[j] == t)
			continue;
		count(&x->counts, t, -1);
		long s = slot_of(t->due.date);
		if (s >= 0 && open_dated(t) && can_be_overdue(t))
			bit_add(x, s, -1);
	}
	x->cur[ord] = v;
	x->serial[ord] = ++x->next_serial;
	for (size_t j = 0; j < nnew; j++) {
		const htask_t *t = v->tasks[j];
		bool kept = j < nold && old->tasks[j] == t;
		if (!kept)
			count(&x->counts, t, 1);
		if (!open_dated(t))
			continue;
		struct ent e = { (uint32_t)ord, x->serial[ord], (uint32_t)j, t->due.date };
		long s = slot_of(t->due.date);
		if (s < 0) {
			push(x, &x->far, e);
			continue;
		}
		push(x, &x->slot[s], e);
		if (!kept && can_be_overdue(t))
			bit_add(x, s, 1);
	}
}

const hver_t *hdue_get(const hdue_t *x, size_t ord)
{
	return ord < x->ncur ? x->cur[ord] : NULL;
}

static const htask_t *task_of(const hdue_t *x, const struct ent *e)
{
	return x->cur[e->ord]->tasks[e->task];
}

void hdue_stats(hdue_t *x, date_t after, stats_t *st)
{
	*st = x->counts;
	long overdue = 0;
	long s = slot_of(after);
	if (s >= 0) {
		overdue = bit_sum(x, s);
	} else {
		/* a date no slot holds: the slots' tasks one by one */
		for (long i = 0; i < NSLOT; i++) {
			struct bucket *b = &x->slot[i];
			compact(x, b);
			for (uint32_t k = 0; k < b->n; k++)
				overdue += due_overdue(&task_of(x, &b->v[k])->due, task_of(x, &b->v[k])->status, after);
		}
	}
	compact(x, &x->far);
	for (uint32_t k = 0; k < x->far.n; k++) {
		const htask_t *t = task_of(x, &x->far.v[k]);
		overdue += due_overdue(&t->due, t->status, after);
	}
	st->overdue = (int)overdue;
}

static int item_cmp(const void *a, const void *b)
{
	const hdue_item_t *p = a, *q = b;
	if (p->ord != q->ord)
		return p->ord < q->ord ? -1 : 1;
	return p->task < q->task ? -1 : p->task > q->task;
}

static void take(hdue_t *x, struct bucket *b, date_t from, date_t to)
{
	compact(x, b);
	for (uint32_t k = 0; k < b->n; k++) {
		const struct ent *e = &b->v[k];
		if (e->date < from || e->date > to)
			continue;
		if (x->nout == x->capout) {
			x->capout = x->capout ? 2 * x->capout : 256;
			x->out = xrealloc(x->out, x->capout * sizeof(*x->out));
		}
		x->out[x->nout++] = (hdue_item_t){ e->ord, e->task };
	}
}

size_t hdue_range(hdue_t *x, date_t from, date_t to, const hdue_item_t **out)
{
	x->nout = 0;
	if (from <= to) {
		long lo = slot_bound(from, true), hi = slot_bound(to, false);
		for (long i = lo; i <= hi && i < NSLOT; i++)
			take(x, &x->slot[i], from, to);
		take(x, &x->far, from, to);
	}
	if (x->nout > 1)
		qsort(x->out, x->nout, sizeof(*x->out), item_cmp);
	*out = x->out;
	return x->nout;
}
