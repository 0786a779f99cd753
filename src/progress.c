/* progress.c: derived task facts and roll-ups; no I/O. */
#include "progress.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static void own_tasks(const doc_t *dc, stats_t *st)
{
	if (dc->plan)
		for (size_t k = 0; k < dc->plan->ntasks; k++)
			stats_add(st, &dc->plan->tasks[k]);
}

/* Rolls tasks up to a document: every plan below it, reached by any path,
 * counted once (a plan reached twice has the same tasks).  An explicit
 * stack, so depth has no limit; `stack` holds room for every document. */
static void rollup_walk(doc_t *top, unsigned stamp, stats_t *st, doc_t **stack)
{
	size_t n = 0;
	top->visit = stamp;
	stack[n++] = top;
	while (n) {
		doc_t *dc = stack[--n];
		own_tasks(dc, st);
		for (size_t i = 0; i < dc->ndown; i++)
			if (dc->down[i]->visit != stamp) {
				dc->down[i]->visit = stamp;
				stack[n++] = dc->down[i];
			}
	}
}

static int by_topo_desc(const void *a, const void *b)
{
	const doc_t *x = *(doc_t *const *)a, *y = *(doc_t *const *)b;
	return x->topo < y->topo ? 1 : x->topo > y->topo ? -1 : 0;
}

/* Every document's roll-up, each computed once, bottom up.  A document's
 * figures are the sum of its children's when their sets of plans cannot
 * overlap: one child, or children that are each implemented only by this
 * document and have a tree below them (`tree`: every node under it has one
 * parent).  Chains and trees thus cost one pass; only where the graph
 * really shares plans (diamonds) is the part below walked again. */
static void rollup_all(site_t *s)
{
	size_t n = s->ndocs;
	doc_t **v = xmalloc((n + 1) * sizeof(*v));
	doc_t **stack = xmalloc((n + 1) * sizeof(*stack));
	bool *tree = xcalloc(n + 1, sizeof(bool));
	if (n)
		memcpy(v, s->docs, n * sizeof(*v));
	qsort(v, n, sizeof(*v), by_topo_desc);
	for (size_t i = 0; i < n; i++)
		v[i]->visit = 0;
	for (size_t i = 0; i < n; i++) {
		doc_t *dc = v[i];
		bool disjoint = true, below_tree = true;
		for (size_t j = 0; j < dc->ndown; j++) {
			const doc_t *c = dc->down[j];
			bool ok = c->nup == 1 && tree[c->topo];
			below_tree = below_tree && ok;
			disjoint = disjoint && ok;
		}
		tree[dc->topo] = below_tree;
		memset(&dc->stats, 0, sizeof(dc->stats));
		if (dc->ndown <= 1 || disjoint) {
			own_tasks(dc, &dc->stats);
			for (size_t j = 0; j < dc->ndown; j++) {
				const stats_t *c = &dc->down[j]->stats;
				dc->stats.total += c->total;
				dc->stats.done += c->done;
				dc->stats.in_progress += c->in_progress;
				dc->stats.cancelled += c->cancelled;
				dc->stats.not_started += c->not_started;
				dc->stats.overdue += c->overdue;
				dc->stats.done_late += c->done_late;
			}
		} else {
			rollup_walk(dc, (unsigned)i + 1, &dc->stats, stack);
		}
		stats_finish(&dc->stats);
	}
	for (size_t i = 0; i < n; i++)
		v[i]->visit = 0;
	free(tree);
	free(stack);
	free(v);
}

int progress_task_cmp(const void *x, const void *y)
{
	const task_t *a = *(task_t *const *)x, *b = *(task_t *const *)y;
	if (a->plan != b->plan) {
		uint32_t ra = a->plan->rank, rb = b->plan->rank;
		if (ra && rb)
			return ra < rb ? -1 : 1;
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

/* A task with its progress_task_order, read once for a sort. */
typedef struct {
	uint64_t k;
	task_t *t;
} keyed_t;

/* Whether a comes before b: by their keys, or through progress_task_cmp
 * when a plan has no rank. */
static inline bool keyed_before(const keyed_t *a, const keyed_t *b)
{
	if (a->k && b->k)
		return a->k < b->k;
	return progress_task_cmp(&a->t, &b->t) < 0;
}

/* Merges the sorted runs a[0..na) and b[0..nb) into out. */
static void merge_runs(const keyed_t *a, size_t na, const keyed_t *b, size_t nb, keyed_t *out)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na && j < nb)
		out[k++] = keyed_before(&b[j], &a[i]) ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

/* Sorts v[0..n) and drops repeats; returns the new length.  v is the
 * units' lists one after the other, each in plan order already (xref
 * fills them plan by plan): merging those runs compares n log(units)
 * times, where a sort compared n log(n) times, with a call through a
 * pointer each, for a unit high in the tree of a large portal.  Each task
 * is read once, for its key: comparisons that read two tasks and their
 * plans were cache misses over the 80 MB of tasks of 10,000 plans.  Any
 * order in, the same order out. */
static size_t sort_unique(task_t **v, size_t n)
{
	if (n < 2)
		return n;
	keyed_t *kv = xmalloc(n * sizeof(*kv));
	for (size_t i = 0; i < n; i++)
		kv[i] = (keyed_t){ progress_task_order(v[i]), v[i] };
	/* where each run ends: the first i with v[i] before v[i - 1] */
	size_t *end = xmalloc((n + 1) * sizeof(*end)), nruns = 0;
	for (size_t i = 1; i < n; i++)
		if (keyed_before(&kv[i], &kv[i - 1]))
			end[nruns++] = i;
	end[nruns++] = n;
	/* bottom up, pairs of neighbouring runs, between kv and tmp */
	keyed_t *tmp = nruns > 1 ? xmalloc(n * sizeof(*tmp)) : NULL, *from = kv, *to = tmp;
	while (nruns > 1) {
		size_t k = 0, start = 0;
		for (size_t r = 0; r < nruns; r += 2) {
			size_t mid = end[r], stop = r + 1 < nruns ? end[r + 1] : mid;
			merge_runs(from + start, mid - start, from + mid, stop - mid, to + start);
			end[k++] = stop;
			start = stop;
		}
		nruns = k;
		keyed_t *t = from;
		from = to;
		to = t;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!m || from[i].t != v[m - 1])
			v[m++] = from[i].t;
	free(tmp);
	free(kv);
	free(end);
	return m;
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

/* Sorts v[0..n) by address: a radix sort over the bits in which the
 * addresses differ (the whole model lies in a few hundred MB), as a unit
 * high in the tree rolls up hundreds of thousands of tasks at 10,000 plans,
 * where qsort's calls through a pointer were a third of the roll-ups. */
static void sort_by_address(task_t **v, size_t n)
{
	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			task_t *t = v[i];
			size_t j = i;
			for (; j > 0 && (uintptr_t)v[j - 1] > (uintptr_t)t; j--)
				v[j] = v[j - 1];
			v[j] = t;
		}
		return;
	}
	uintptr_t lo = (uintptr_t)v[0], hi = lo;
	for (size_t i = 1; i < n; i++) {
		uintptr_t a = (uintptr_t)v[i];
		lo = a < lo ? a : lo;
		hi = a > hi ? a : hi;
	}
	int bits = 0;
	for (uintptr_t d = hi - lo; d; d >>= 1)
		bits++;
	enum { DIGIT = 11, RADIX = 1 << DIGIT };
	task_t **tmp = xmalloc(n * sizeof(*tmp)), **from = v, **to = tmp;
	size_t *count = xmalloc(RADIX * sizeof(*count));
	for (int shift = 0; shift < bits; shift += DIGIT) {
		memset(count, 0, RADIX * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(((uintptr_t)from[i] - lo) >> shift) & (RADIX - 1)]++;
		size_t sum = 0;
		for (size_t k = 0; k < RADIX; k++) {
			size_t c = count[k];
			count[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(((uintptr_t)from[i] - lo) >> shift) & (RADIX - 1)]++] = from[i];
		task_t **t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(count);
	free(tmp);
}

size_t progress_unique_by_address(task_t **v, size_t n)
{
	if (n < 2)
		return n;
	sort_by_address(v, n);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

/* u's roll-ups over the tasks of progress_unit_tasks: sums, so in any
 * order; by address, which compares without reading the plans' keys
 * (serve computes every unit's after each edit) */
static void rollup_unit(unit_t *u)
{
	task_t **led = NULL, **sup = NULL;
	size_t nl = 0, cl = 0, ns = 0, cs = 0;
	subtree(u, true, &led, &nl, &cl, 0);
	subtree(u, false, &sup, &ns, &cs, 0);
	nl = progress_unique_by_address(led, nl);
	ns = progress_unique_by_address(sup, ns);
	for (size_t j = 0; j < nl; j++) {
		stats_add(&u->roll_lead, led[j]);
		stats_add(&u->roll_all, led[j]);
	}
	/* a supported task also led is counted as led only */
	size_t i = 0;
	for (size_t j = 0; j < ns; j++) {
		while (i < nl && (uintptr_t)led[i] < (uintptr_t)sup[j])
			i++;
		if (i < nl && led[i] == sup[j])
			continue;
		stats_add(&u->roll_support, sup[j]);
		stats_add(&u->roll_all, sup[j]);
	}
	free(led);
	free(sup);
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
		rollup_unit(u);
		stats_finish(&u->roll_lead);
		stats_finish(&u->roll_support);
		stats_finish(&u->roll_all);
		for (size_t j = 0; j < u->nissued; j++)
			for (size_t k = 0; k < u->issued[j]->ntasks; k++)
				stats_add(&u->issued_stats, &u->issued[j]->tasks[k]);
		stats_finish(&u->issued_stats);
	}
	rollup_all(s);
}
