/* facts_week.c: a weekly report's lists grouped by lead unit (facts.h). */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "hash.h"
#include "text.h"

const unit_t *facts_unit_named(const site_t *s, const plan_t *p, const char *text)
{
	if (!text)
		return NULL;
	if (p) {
		uint64_t h = hash_str(text);
		for (size_t i = 0; i < p->nunames; i++)
			if (p->unames[i].hash == h && !strcmp(p->unames[i].text, text))
				return p->unames[i].unit;
	}
	char *k = text_name_key(text);
	const unit_t *found = strmap_get(&s->units_by_key, k);
	free(k);
	return found;
}

typedef struct {
	const plan_t *p;
	const char *text;   /* NULL: empty slot */
	uint64_t h;
	const unit_t *u;
} uname_t;

struct facts_unames {
	const site_t *s;
	arena_t *a;         /* the texts */
	uname_t *v;
	size_t cap, n;
};

facts_unames_t *facts_unames_new(const site_t *s)
{
	facts_unames_t *c = xcalloc(1, sizeof(*c));
	c->s = s;
	c->a = arena_new();
	return c;
}

void facts_unames_free(facts_unames_t *c)
{
	if (!c)
		return;
	arena_free(c->a);
	free(c->v);
	free(c);
}

static uint64_t uname_hash(const plan_t *p, const char *text)
{
	return hash_more(hash_bytes(&p, sizeof p), text, strlen(text));
}

const unit_t *facts_unames_get(facts_unames_t *c, const plan_t *p, const char *text)
{
	if (!text)
		return NULL;
	if (c->n >= FACTS_UNAMES_MAX) {
		/* start afresh: the units answered are the site's, not kept here */
		memset(c->v, 0, c->cap * sizeof(*c->v));
		arena_free(c->a);
		c->a = arena_new();
		c->n = 0;
	}
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		uname_t *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->v[i].text)
				continue;
			size_t j = (size_t)c->v[i].h & (cap - 1);
			while (v[j].text)
				j = (j + 1) & (cap - 1);
			v[j] = c->v[i];
		}
		free(c->v);
		c->v = v;
		c->cap = cap;
	}
	uint64_t h = uname_hash(p, text);
	size_t j = (size_t)h & (c->cap - 1);
	while (c->v[j].text && !(c->v[j].h == h && c->v[j].p == p && !strcmp(c->v[j].text, text)))
		j = (j + 1) & (c->cap - 1);
	if (c->v[j].text)
		return c->v[j].u;
	const unit_t *u = facts_unit_named(c->s, p, text);
	c->v[j] = (uname_t){ p, arena_strdup(c->a, text), h, u };
	c->n++;
	return u;
}

const hitems_t *facts_week_list(const hweek_t *wk, int kind)
{
	switch (kind) {
	case FACTS_WEEK_COMPLETED: return &wk->completed;
	case FACTS_WEEK_OVERDUE: return &wk->overdue;
	case FACTS_WEEK_ADDED: return &wk->added;
	default: return &wk->due_changed;
	}
}

/* By name in Vietnamese order; the group of tasks with no lead last. */
static int group_cmp(const void *x, const void *y)
{
	const facts_wgroup_t *a = x, *b = y;
	const char *na = a->unit ? a->unit->name : a->text, *nb = b->unit ? b->unit->name : b->text;
	if (!na || !nb)
		return !na - !nb;
	return coll_cmp(na, nb);
}

/* The hash of a group's key: its unit, or its text when it has none. */
static uint64_t group_hash(const unit_t *u, const char *text)
{
	if (u)
		return hash_bytes(&u, sizeof u);
	return text ? hash_str(text) : 0;
}

static bool group_is(const facts_wgroup_t *g, const unit_t *u, const char *text)
{
	if (u)
		return g->unit == u;
	return !g->unit && (g->text == text || (text && g->text && !strcmp(g->text, text)));
}

size_t facts_week_groups(const site_t *s, const hweek_t *wk, facts_wgroup_t **out)
{
	return facts_week_groups_with(s, wk, NULL, out);
}

size_t facts_week_groups_with(const site_t *s, const hweek_t *wk, facts_unames_t *names,
			      facts_wgroup_t **out)
{
	/* first each item's group, then each group's lists at their own
	 * size: a list as long as the week's for every group was groups x
	 * items of memory (26 MB for the busiest week at 1k) */
	facts_wgroup_t *g = NULL;
	size_t ng = 0, capg = 0;
	size_t *of[FACTS_WEEK_LISTS];
	/* the groups by key (index + 1; 0 empty), open addressing: a busy
	 * week at 10,000 plans has tens of thousands of items and hundreds
	 * of groups, which a scan of the groups for each item multiplied */
	size_t *tab = NULL, cap = 0;
	for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
		const hitems_t *l = facts_week_list(wk, k);
		of[k] = xmalloc((l->n + 1) * sizeof(size_t));
		for (size_t i = 0; i < l->n; i++) {
			const hitem_t *it = &l->v[i];
			const char *first = it->task->lead_first;
			const unit_t *u = names ? facts_unames_get(names, it->plan, first)
						: facts_unit_named(s, it->plan, first);
			if ((ng + 1) * 2 > cap) {
				size_t ncap = cap ? 2 * cap : 64;
				size_t *nt = xcalloc(ncap, sizeof(*nt));
				for (size_t j = 0; j < ng; j++) {
					size_t at = (size_t)group_hash(g[j].unit, g[j].text) & (ncap - 1);
					while (nt[at])
						at = (at + 1) & (ncap - 1);
					nt[at] = j + 1;
				}
				free(tab);
				tab = nt;
				cap = ncap;
			}
			size_t at = (size_t)group_hash(u, first) & (cap - 1), j;
			while (tab[at] && !group_is(&g[tab[at] - 1], u, first))
				at = (at + 1) & (cap - 1);
			if (tab[at]) {
				j = tab[at] - 1;
			} else {
				if (ng == capg) {
					capg = capg ? 2 * capg : 16;
					g = xrealloc(g, capg * sizeof(*g));
				}
				j = ng;
				g[ng++] = (facts_wgroup_t){ .unit = u, .text = u ? NULL : first };
				tab[at] = ng;
			}
			g[j].n[k]++;
			of[k][i] = j;
		}
	}
	free(tab);
	for (size_t j = 0; j < ng; j++)
		for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
			g[j].items[k] = xmalloc((g[j].n[k] + 1) * sizeof(size_t));
			g[j].n[k] = 0;
		}
	for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
		const hitems_t *l = facts_week_list(wk, k);
		for (size_t i = 0; i < l->n; i++) {
			facts_wgroup_t *gj = &g[of[k][i]];
			gj->items[k][gj->n[k]++] = i;
		}
		free(of[k]);
	}
	if (ng)
		qsort(g, ng, sizeof(*g), group_cmp);
	*out = g;
	return ng;
}

void facts_week_groups_free(facts_wgroup_t *g, size_t n)
{
	for (size_t j = 0; g && j < n; j++)
		for (int k = 0; k < FACTS_WEEK_LISTS; k++)
			free(g[j].items[k]);
	free(g);
}
