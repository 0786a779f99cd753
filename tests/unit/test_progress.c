/* test_progress.c: unit tests of progress.c's sort of tasks by address
 * (the radix sort the roll-ups use), against qsort, and of a unit's tasks
 * in plan order (the merge of its units' lists), against qsort. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "facts.h"
#include "progress.h"

static int cmp_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(task_t *const *)x, b = (uintptr_t)*(task_t *const *)y;
	return a < b ? -1 : a > b;
}

/* Shuffled pointers with repeats, into one array (as a plan's tasks) and
 * into blocks far apart (as arenas): every length around the switch from
 * insertion sort to radix sort, and big ones that take several digits. */
static void test_unique_by_address(void **state)
{
	(void)state;
	enum { NT = 5000 };
	task_t *near = calloc(NT, sizeof(task_t));
	task_t *far[4];
	for (int b = 0; b < 4; b++)
		far[b] = malloc(((size_t)1 << (20 + 2 * b)));   /* up to 64 MB apart */
	static const size_t lens[] = { 0, 1, 2, 3, 47, 48, 49, 100, 1000, 20000, 70000 };
	unsigned seed = 12345;
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
		for (int spread = 0; spread < 2; spread++) {
			size_t n = lens[li];
			task_t **v = malloc((n + 1) * sizeof(*v)), **w = malloc((n + 1) * sizeof(*w));
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				size_t k = (seed >> 8) % (n / 3 + 1);   /* about three of each */
				v[i] = spread ? (task_t *)((char *)far[k % 4] + (k / 4) % 1024 * sizeof(task_t))
					      : &near[k % NT];
			}
			memcpy(w, v, n * sizeof(*v));
			qsort(w, n, sizeof(*w), cmp_addr);
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (!m || w[i] != w[m - 1])
					w[m++] = w[i];
			size_t got = progress_unique_by_address(v, n);
			if (got != m || (m && memcmp(v, w, m * sizeof(*v))))
				fail_msg("%zu tasks (%s): %zu kept, want %zu", n, spread ? "spread" : "near", got, m);
			free(v);
			free(w);
		}
	for (int b = 0; b < 4; b++)
		free(far[b]);
	free(near);
}

/* The order by its definition: plan key, path, then place in the plan. */
static int ref_cmp(const void *x, const void *y)
{
	const task_t *a = *(task_t *const *)x, *b = *(task_t *const *)y;
	int c = strcmp(a->plan->key, b->plan->key);
	if (!c)
		c = strcmp(a->plan->path, b->plan->path);
	return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

/* Most late first: the deadline, then ref_cmp. */
static int ref_late_cmp(const void *x, const void *y)
{
	const task_t *a = *(task_t *const *)x, *b = *(task_t *const *)y;
	if (a->due.date != b->due.date)
		return a->due.date < b->due.date ? -1 : 1;
	return ref_cmp(x, y);
}

/* The reference of progress_unit_tasks: every list of the subtree into
 * one array, qsort, repeats dropped. */
static size_t ref_sorted(task_t **v, size_t n)
{
	qsort(v, n, sizeof(*v), ref_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!m || v[i] != v[m - 1])
			v[m++] = v[i];
	return m;
}

static void collect(const unit_t *u, bool lead, task_t **v, size_t *n)
{
	task_t **src = lead ? u->led : u->supported;
	size_t ns = lead ? u->nled : u->nsupported;
	memcpy(v + *n, src, ns * sizeof(*src));
	*n += ns;
	for (size_t i = 0; i < u->nchildren; i++)
		collect(u->children[i], lead, v, n);
}

/* Units of a tree whose lists are in plan order (as xref fills them) or
 * shuffled, with tasks led or supported by several units of it, against
 * the reference: led ones first, then the supported ones not led, each
 * in plan order (the plans' keys are not in the order of their tasks in
 * memory). */
static void test_unit_tasks_order(void **state)
{
	(void)state;
	enum { NP = 37, PER = 9, NU = 15, MAXL = 400 };
	static plan_t plans[NP];
	static task_t tasks[NP][PER];
	static char keys[NP][16];
	for (int p = 0; p < NP; p++) {
		snprintf(keys[p], sizeof keys[p], "k%03d", (p * 17) % NP);
		plans[p].key = keys[p];
		plans[p].path = keys[p];
		for (int i = 0; i < PER; i++) {
			tasks[p][i].plan = &plans[p];
			tasks[p][i].index = i;
		}
	}
	unsigned seed = 777;
	/* without ranks (compared by key) and with them (plan_t.rank, as
	 * model_load numbers the plans in key order: by progress_task_order) */
	for (int pass = 0; pass < 4; pass++) {
		int shuffled = pass % 2, ranked = pass / 2;
		for (int p = 0; p < NP; p++)
			plans[p].rank = ranked ? (uint32_t)((p * 17) % NP + 1) : 0;
		static unit_t units[NU];
		static unit_t *kids[NU][NU];
		static task_t *led[NU][MAXL], *sup[NU][MAXL];
		memset(units, 0, sizeof units);
		/* unit i's parent is (i - 1) / 2: a binary tree */
		for (int i = 1; i < NU; i++) {
			unit_t *pa = &units[(i - 1) / 2];
			kids[(i - 1) / 2][pa->nchildren++] = &units[i];
			pa->children = kids[(i - 1) / 2];
		}
		for (int u = 0; u < NU; u++) {
			units[u].led = led[u];
			units[u].supported = sup[u];
			/* each task with some chance, in plan order (by key) */
			for (int kk = 0; kk < NP; kk++)
				for (int p = 0; p < NP; p++) {
					if ((p * 17) % NP != kk)
						continue;
					for (int i = 0; i < PER; i++) {
						seed = seed * 1103515245u + 12345u;
						unsigned r = (seed >> 8) % 16;
						if (r == 0 && units[u].nled < MAXL)
							led[u][units[u].nled++] = &tasks[p][i];
						else if (r == 1 && units[u].nsupported < MAXL)
							sup[u][units[u].nsupported++] = &tasks[p][i];
					}
				}
			for (size_t i = 0; shuffled && i + 1 < units[u].nled; i++) {
				seed = seed * 1103515245u + 12345u;
				size_t j = i + (seed >> 8) % (units[u].nled - i);
				task_t *t = led[u][i];
				led[u][i] = led[u][j];
				led[u][j] = t;
			}
		}
		for (int u = 0; u < NU; u++) {
			task_t **l = malloc(NU * MAXL * sizeof(*l)), **s = malloc(NU * MAXL * sizeof(*s));
			size_t nl = 0, ns = 0;
			collect(&units[u], true, l, &nl);
			collect(&units[u], false, s, &ns);
			nl = ref_sorted(l, nl);
			ns = ref_sorted(s, ns);
			task_t **want = malloc((nl + ns + 1) * sizeof(*want));
			memcpy(want, l, nl * sizeof(*l));
			size_t nw = nl;
			for (size_t j = 0; j < ns; j++) {
				bool in = false;
				for (size_t i = 0; i < nl && !in; i++)
					in = l[i] == s[j];
				if (!in)
					want[nw++] = s[j];
			}
			utasks_t got;
			progress_unit_tasks(&units[u], &got);
			if (got.nled != nl || got.n != nw || memcmp(got.v, want, nw * sizeof(*want)))
				fail_msg("unit %d (%s, %s): %zu led of %zu, want %zu of %zu", u,
					 shuffled ? "shuffled" : "in plan order", ranked ? "ranked" : "by key",
					 got.nled, got.n, nl, nw);
			utasks_free(&got);
			free(want);
			free(l);
			free(s);
		}
	}
}

/* facts_sort_late, by rank and without ranks, against qsort by the
 * definition: deadlines shared by many tasks, plans not in key order in
 * memory. */
static void test_sort_late(void **state)
{
	(void)state;
	enum { NP = 23, PER = 11, N = NP * PER };
	static plan_t plans[NP];
	static task_t tasks[NP][PER];
	static char keys[NP][16];
	const task_t *v[N], *want[N];
	unsigned seed = 99;
	for (int p = 0; p < NP; p++) {
		snprintf(keys[p], sizeof keys[p], "k%03d", (p * 7) % NP);
		plans[p].key = plans[p].path = keys[p];
		for (int i = 0; i < PER; i++) {
			seed = seed * 1103515245u + 12345u;
			tasks[p][i].plan = &plans[p];
			tasks[p][i].index = (uint32_t)i;
			tasks[p][i].due.date = 20250101 + (int)((seed >> 8) % 5);
		}
	}
	for (int ranked = 0; ranked < 2; ranked++) {
		for (int p = 0; p < NP; p++)
			plans[p].rank = ranked ? (uint32_t)((p * 7) % NP + 1) : 0;
		size_t n = 0;
		for (int i = PER - 1; i >= 0; i--)
			for (int p = 0; p < NP; p++)
				v[n] = want[n] = &tasks[p][i], n++;
		qsort(want, n, sizeof(*want), ref_late_cmp);
		facts_sort_late(v, n);
		for (size_t i = 0; i < n; i++)
			if (v[i] != want[i])
				fail_msg("%s: row %zu is task %u of %s, want task %u of %s", ranked ? "ranked" : "by key", i,
					 v[i]->index, v[i]->plan->key, want[i]->index, want[i]->plan->key);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unique_by_address),
		cmocka_unit_test(test_unit_tasks_order),
		cmocka_unit_test(test_sort_late),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
