/* history.c: one walk of the first-parent history: tree diffs of the plans
 * folder, each changed blob parsed once, plans followed by identity, and the
 * changes, weekly reports and progress series that follow from them. */
#include "history.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hcache.h"
#include "hdue.h"
#include "hlog.h"
#include "mem.h"
#include "model_fields.h"
#include "pool.h"
#include "progress.h"
#include "text.h"

/* A file path under plans/ and the version it holds.  `good` is the last
 * version that parsed (a broken file keeps counting as its plan's file). */
struct slot {
	const char *path;
	const hver_t *ver, *good;
	struct hplan *hp;
};

/* A plan followed through the walk by its identity. */
struct hplan {
	const char *key, *id;
	struct slot **slots;
	size_t nslots, capslots;
	const hver_t *cur;          /* its version after the last commit walked */
	const char *cur_path;
	const hver_t *gone;         /* its last version when its file was removed ... */
	const char *gone_path;      /* ... and that file (sources: moved to another) */
	bool dup;                   /* more than one file claims it */
	const char *broken;         /* the current commit broke its file: the error */
	size_t stamp;               /* touched in commit stamp - 1 */
	size_t wstamp;              /* touched in week wstamp - 1 ... */
	const hver_t *wstart;       /* ... where it started as this version */
	hentry_t **entries;         /* oldest first */
	size_t nentries, capentries;
	hpoint_t *pts;
	size_t npts, cappts;
	const plan_t *head;
	hplan_hist_t pub;
	size_t ord;                 /* its place in struct walk's plans */
};

/* The lists of a week's report, in struct walk's scratch. */
enum { L_COMPLETED, L_OVERDUE, L_ADDED, L_NEW_PLANS, L_DUE_CHANGED, L_DUE_NEXT, WEEK_LISTS };

static hitems_t *week_list(hweek_t *wk, int k)
{
	hitems_t *lists[WEEK_LISTS] = { &wk->completed, &wk->overdue, &wk->added, &wk->new_plans,
					&wk->due_changed, &wk->due_next };
	return lists[k];
}

struct walk {
	history_t *h;
	arena_t *a;
	site_t *s;
	git_repository *git;
	hver_ctx_t *vc;             /* the history cache's: it outlives the walk */
	hlog_t log;
	strmap_t impl;              /* implements key (numbers) -> the site's (documents) */
	strmap_t paths;             /* path -> struct slot */
	strmap_t by_id;             /* plan id -> struct hplan */
	/* the commit being walked */
	const hcommit_t *commit;
	size_t seq;
	date_t date;
	bool baseline;              /* the state is recorded, nothing reported */
	bool meta;                  /* author and subject read */
	const char *author, *subject;
	struct hplan **touched;
	size_t ntouched, captouched;
	/* every plan ever seen, in order of first sight */
	struct hplan **plans;
	size_t nplans, capplans;
	hentry_t **entries;
	size_t nentries, capentries;
	/* weeks */
	hweek_t **weeks;
	size_t nweeks, capweeks;
	hweek_t *week;              /* the week being walked, or NULL */
	int week_id;                /* year * 100 + week of the commit being walked */
	size_t wserial;
	struct hplan **wtouched;
	size_t nwtouched, capwtouched;
	hdue_t *due;                /* the plans' current versions by deadline */
	/* the lists of the week being closed while they grow (malloc'd,
	 * reused from week to week): week_close copies them at their size
	 * into a, so no doubling leaves an old copy in the arena (at 10,000
	 * plans 53 MB, half of it copies, held until the walk ended) */
	hitems_t scratch[WEEK_LISTS];
	/* the changes of the entry being made (chg_t), reused from entry to
	 * entry: entry_new copies them at their size.  Grown in the arena
	 * from 8, most entries' one or two changes took 320 bytes (6.3 MB
	 * at 10,000 plans, at the history stage's peak) */
	hchange_t *chg_v;
	size_t chg_cap;
	const char *pfx;            /* the commit's source folder ("sources/ID/"), or NULL */
	const char *src;            /* ... and that source's id */
};


static const char *intern(struct walk *w, const char *s)
{
	return hver_intern(w->vc, s);
}

/* ---- the commit being walked ---- */

/* A commit's author or subject as shown: invalid UTF-8 (Git stores bytes;
 * an old tool may have written Latin-1) becomes U+FFFD, so the page, the
 * feed (XML) and changes.json still carry it, and the build says so. */
static const char *meta_text(struct walk *w, const char *s, const char *what)
{
	if (text_utf8_invalid(s, strlen(s)) < 0)
		return s;
	char *fixed = text_utf8_repair(s);
	const char *r = arena_strdup(w->a, fixed);
	free(fixed);
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, &w->commit->id);
	history_t *h = w->h;
	if (h->nwarnings == h->capwarnings) {
		h->capwarnings = h->capwarnings ? 2 * h->capwarnings : 4;
		struct hwarn *v = arena_alloc(w->a, h->capwarnings * sizeof(*v));
		if (h->nwarnings)
			memcpy(v, h->warnings, h->nwarnings * sizeof(*v));
		h->warnings = v;
	}
	h->warnings[h->nwarnings++] = (struct hwarn){
		arena_printf(w->a, "commit %.7s", hex), what, r
	};
	return r;
}

static void commit_meta(struct walk *w)
{
	if (w->meta)
		return;
	w->meta = true;
	const hcommit_t *cm = w->commit;
	w->author = intern(w, meta_text(w, cm->author ? cm->author : "", N_("tên người cập nhật (author)")));
	w->subject = arena_strdup(w->a, meta_text(w, cm->subject ? cm->subject : "", N_("ghi chú (message)")));
}

static void touch(struct walk *w, struct hplan *hp)
{
	if (hp->stamp == w->seq + 1)
		return;
	hp->stamp = w->seq + 1;
	ARENA_PUSH(w->a, w->touched, w->ntouched, w->captouched, hp);
	if (w->week && hp->wstamp != w->wserial) {
		hp->wstamp = w->wserial;
		hp->wstart = hp->cur;
		ARENA_PUSH(w->a, w->wtouched, w->nwtouched, w->capwtouched, hp);
	}
}

static void detach(struct walk *w, struct slot *sl)
{
	struct hplan *hp = sl->hp;
	if (!hp)
		return;
	for (size_t i = 0; i < hp->nslots; i++)
		if (hp->slots[i] == sl) {
			memmove(&hp->slots[i], &hp->slots[i + 1], (hp->nslots - i - 1) * sizeof(sl));
			hp->nslots--;
			break;
		}
	sl->hp = NULL;
	touch(w, hp);
}

static void attach(struct walk *w, struct slot *sl, struct hplan *hp)
{
	sl->hp = hp;
	ARENA_PUSH(w->a, hp->slots, hp->nslots, hp->capslots, sl);
	touch(w, hp);
}

/* The record of a plan: by its key, else by its id (a plan that received
 * its number keeps its history), else a new one. */
static struct hplan *plan_of(struct walk *w, const hver_t *v)
{
	history_t *h = w->h;
	struct hplan *hp = strmap_get(&h->by_key, v->key);
	if (!hp && v->id) {
		hp = strmap_get(&w->by_id, v->id);
		if (hp && hp->key != v->key && hp->nslots <= 1) {
			strmap_put(&h->by_key, hp->key, NULL);
			hp->key = v->key;
			strmap_put(&h->by_key, hp->key, hp);
		} else {
			hp = NULL;
		}
	}
	if (!hp) {
		hp = arena_alloc(w->a, sizeof(*hp));
		hp->key = v->key;
		hp->ord = w->nplans;
		strmap_put(&h->by_key, hp->key, hp);
		ARENA_PUSH(w->a, w->plans, w->nplans, w->capplans, hp);
	}
	if (v->id && !hp->id) {
		hp->id = v->id;
		strmap_put(&w->by_id, hp->id, hp);
	}
	return hp;
}

/* ---- weeks ---- */

_Static_assert(sizeof(hpoint_t) == 32, "hpoint_t grew past 32 bytes");
_Static_assert(sizeof(hitem_t) == 40, "hitem_t grew past 40 bytes (its label is derived, its plan shares the walk's place)");

static void scratch_put(struct walk *w, int k, hitem_t it)
{
	hitems_t *l = &w->scratch[k];
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = it;
}

static void item_push(struct walk *w, int k, struct hplan *hp, const htask_t *t,
		      const char *from, const char *to)
{
	scratch_put(w, k, (hitem_t){ .ver = hp->cur, .task = t, .from = from, .to = to, .hp = hp });
}

/* The place of task id in version v (hint first), or SIZE_MAX. */
/* Two texts of versions are the same: interned texts of one repository's
 * versions are equal when their pointers are, but a plan moved between
 * sources compares versions of two repositories' caches (hcache.h). */
static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static size_t task_at(const hver_t *v, const char *id, size_t hint)
{
	if (!v)
		return SIZE_MAX;
	if (hint < v->ntasks && same(v->tasks[hint]->id, id))
		return hint;
	for (size_t i = 0; i < v->ntasks; i++)
		if (same(v->tasks[i]->id, id))
			return i;
	return SIZE_MAX;
}

static const htask_t *task_in(const hver_t *v, const char *id, size_t hint)
{
	size_t i = task_at(v, id, hint);
	return i == SIZE_MAX ? NULL : v->tasks[i];
}

/* The week's report from the state at its end: what the touched plans did,
 * and what fell due across every plan. */
static void week_close(struct walk *w)
{
	hweek_t *wk = w->week;
	w->week = NULL;
	if (!wk || !wk->nentries) {
		w->nwtouched = 0;
		return;
	}
	/* a week resumed keeps what it listed, but its deadlines are
	 * counted again */
	wk->overdue.n = wk->due_next.n = 0;
	for (int k = 0; k < WEEK_LISTS; k++) {
		const hitems_t *l = week_list(wk, k);
		w->scratch[k].n = 0;
		for (size_t j = 0; j < l->n; j++)
			scratch_put(w, k, l->v[j]);
	}
	for (size_t i = 0; i < w->nwtouched; i++) {
		struct hplan *hp = w->wtouched[i];
		const hver_t *st = hp->wstart, *en = hp->cur;
		if (!en)
			continue;
		if (!st) {
			item_push(w, L_NEW_PLANS, hp, NULL, NULL, NULL);
			continue;
		}
		for (size_t j = 0; j < en->ntasks; j++) {
			const htask_t *t = en->tasks[j];
			const htask_t *o = task_in(st, t->id, j);
			if (!o)
				item_push(w, L_ADDED, hp, t, NULL, NULL);
			if (t->status == STATUS_DONE && (!o || o->status != STATUS_DONE))
				item_push(w, L_COMPLETED, hp, t, NULL, NULL);
			if (o && (!same(o->due_shown, t->due_shown) || o->due.date != t->due.date))
				item_push(w, L_DUE_CHANGED, hp, t, o->due_shown, t->due_shown);
		}
	}
	date_t after = date_add_days(wk->end, 1), next_end = date_add_days(wk->end, 7);
	/* the home page counts as of the site's date: a week that has not
	 * ended by then (the built commit's, or any after an earlier
	 * --as-of) is counted as of that date too, or the two disagree */
	if (w->s->as_of && w->s->as_of < after)
		after = w->s->as_of;
	wk->as_of = after;
	/* every plan's tasks are counted, and those due around the week
	 * listed, from the index the walk keeps (hdue.h): a scan of every
	 * task here would cost weeks x tasks */
	stats_t st;
	hdue_stats(w->due, after, &st);
	const hdue_item_t *due;
	size_t ndue = hdue_range(w->due, wk->start, next_end, &due);
	for (size_t i = 0; i < ndue; i++) {
		struct hplan *hp = w->plans[due[i].ord];
		const htask_t *t = hp->cur->tasks[due[i].task];
		if (due_overdue(&t->due, t->status, after) && t->due.date >= wk->start && t->due.date <= wk->end)
			item_push(w, L_OVERDUE, hp, t, NULL, NULL);
		else if (t->due.date > wk->end && t->due.date <= next_end)
			item_push(w, L_DUE_NEXT, hp, t, NULL, NULL);
	}
	stats_finish(&st);
	wk->stats = st;
	w->nwtouched = 0;
	for (int k = 0; k < WEEK_LISTS; k++) {
		hitems_t *l = week_list(wk, k);
		const hitems_t *g = &w->scratch[k];
		l->v = g->n ? arena_alloc(w->a, g->n * sizeof(*l->v)) : NULL;
		if (g->n)
			memcpy(l->v, g->v, g->n * sizeof(*l->v));
		l->n = l->cap = g->n;
	}
}

/* Starts (or, when the clock went back, resumes) the report of date's week. */
static void week_enter(struct walk *w, date_t date)
{
	int y, n;
	date_t mon;
	date_iso_week(date, &y, &n, &mon);
	int id = y * 100 + n;
	if (w->week && w->week_id == id)
		return;
	week_close(w);
	w->week_id = id;
	w->wserial++;
	for (size_t i = 0; i < w->nweeks; i++)
		if (w->weeks[i]->year == y && w->weeks[i]->week == n) {
			w->week = w->weeks[i];
			return;
		}
	hweek_t *wk = arena_alloc(w->a, sizeof(*wk));
	wk->year = y;
	wk->week = n;
	snprintf(wk->id, sizeof wk->id, "%04d-W%02d", y, n);
	wk->start = mon;
	wk->end = date_add_days(mon, 6);
	w->week = wk;
	ARENA_PUSH(w->a, w->weeks, w->nweeks, w->capweeks, wk);
}

/* ---- changes ---- */

typedef struct {
	hchange_t *v;
	size_t n, cap;
} chg_t;

static void chg(struct walk *w, chg_t *c, const char *task, const char *field, const char *from,
		const char *to)
{
	if (c->n == c->cap) {
		/* one chg_t at a time: it takes the walk's scratch */
		if (w->chg_cap <= c->n) {
			w->chg_cap = w->chg_cap ? 2 * w->chg_cap : 16;
			w->chg_v = xrealloc(w->chg_v, w->chg_cap * sizeof(*w->chg_v));
		}
		c->v = w->chg_v;
		c->cap = w->chg_cap;
	}
	c->v[c->n++] = (hchange_t){ task, field, from, to, NULL };
}

static const char *progress_text(struct walk *w, int p)
{
	if (p < 0)
		return NULL;
	char b[16];
	snprintf(b, sizeof b, "%d", p);
	return intern(w, b);
}

/* Names the task of the changes from index `from` on: a reader knows a
 * task by its title, not its number. */
static void chg_title(chg_t *c, size_t from, const char *title)
{
	for (size_t i = from; i < c->n; i++)
		c->v[i].task_title = title;
}

/* What changed in a task, field by field in the order of the table of
 * fields (model_fields.h): texts by their interned pointers, the other
 * kinds by their own rules. */
static void diff_task(struct walk *w, chg_t *c, const htask_t *o, const htask_t *t)
{
	const char *id = t->id;
	size_t first = c->n, nh;
	const field_t *const *hf = model_fields_hist(FIELD_TASK, &nh);
	for (size_t i = 0; i < nh; i++) {
		const field_t *f = hf[i];
		switch (f->kind) {
		case FIELD_TEXT: {
			int k = model_fields_hist_slot(FIELD_TASK, f);
			if (!same(o->text[k], t->text[k]))
				chg(w, c, id, f->key, o->text[k], t->text[k]);
			break;
		}
		case FIELD_STATUS:
			if (o->status != t->status)
				chg(w, c, id, f->key, status_id(o->status), status_id(t->status));
			break;
		case FIELD_DEADLINE:
			/* the text as written; else, the same text read another
			 * way (due_date added), the date */
			if (!same(o->due_shown, t->due_shown))
				chg(w, c, id, f->key, o->due_shown, t->due_shown);
			else if (o->due.date != t->due.date)
				chg(w, c, id, "due_date", hver_iso(w->vc, o->due.date),
				    hver_iso(w->vc, t->due.date));
			break;
		case FIELD_PROGRESS:
			if (o->progress != t->progress)
				chg(w, c, id, f->key, progress_text(w, o->progress),
				    progress_text(w, t->progress));
			break;
		case FIELD_UNITS: {
			/* compared by name keys: the same units spelt otherwise are no change */
			bool lead = !strcmp(f->key, "lead");
			if (!same(lead ? o->lead_key : o->support_key, lead ? t->lead_key : t->support_key))
				chg(w, c, id, f->key, lead ? o->lead : o->support, lead ? t->lead : t->support);
			break;
		}
		default:
			assert(!"a tracked task field of a kind the history cannot compare");
		}
	}
	chg_title(c, first, t->title);
}

/* The documents a version implements, as keys of the built site: a number
 * it knows under any alias is that document (memoised per walk). */
static const char *impl_key(struct walk *w, const hver_t *v)
{
	if (!v->implements_key)
		return NULL;
	const char *k = strmap_get(&w->impl, v->implements_key);
	if (k)
		return k;
	buf_t b = BUF_INIT;
	for (const char *p = v->implements_key;;) {
		const char *e = strchr(p, '\xff');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *part = xstrndup(p, n);
		const doc_t *dc = strmap_get(&w->s->docs_by_key, part);
		if (p != v->implements_key)
			buf_putc(&b, '\xff');
		buf_puts(&b, dc ? dc->key : part);
		free(part);
		if (!e)
			break;
		p = e + 1;
	}
	k = intern(w, b.ptr ? b.ptr : "");
	buf_free(&b);
	strmap_put(&w->impl, v->implements_key, (void *)k);
	return k;
}

/* What changed from version o to version v, in words a reader needs:
 * spellings that mean the same compare equal (status ids, unit name keys,
 * document numbers through the built site's aliases). */
static void diff_versions(struct walk *w, chg_t *c, const hver_t *o, const hver_t *v)
{
	if (o == v)
		return;
	size_t nh;
	const field_t *const *hf = model_fields_hist(FIELD_PLAN, &nh);
	for (size_t i = 0; i < nh; i++) {
		const field_t *f = hf[i];
		/* each kind compared by its own rule: units by name key,
		 * documents by canonical number, the rest as written */
		const char *a = NULL, *b = NULL, *ka, *kb;
		switch (f->kind) {
		case FIELD_TEXT: {
			int k = model_fields_hist_slot(FIELD_PLAN, f);
			a = o->text[k], b = v->text[k];
			ka = a, kb = b;
			break;
		}
		case FIELD_UNIT:
			a = o->issuer, b = v->issuer, ka = o->issuer_key, kb = v->issuer_key;
			break;
		case FIELD_DATE:
			a = ka = o->date, b = kb = v->date;
			break;
		case FIELD_SIGNER:
			a = ka = o->signer, b = kb = v->signer;
			break;
		case FIELD_IMPLEMENTS:
			a = o->implements, b = v->implements;
			ka = impl_key(w, o), kb = impl_key(w, v);
			break;
		case FIELD_PLAN_STATUS:
			a = ka = o->status, b = kb = v->status;
			break;
		default:
			assert(!"a tracked plan field of a kind the history cannot compare");
			ka = kb = NULL;
		}
		if (!same(ka, kb))
			chg(w, c, NULL, f->key, a, b);
	}
	bool *seen = xcalloc(o->ntasks + 1, sizeof(bool));
	for (size_t j = 0; j < v->ntasks; j++) {
		const htask_t *t = v->tasks[j];
		size_t k = task_at(o, t->id, j);
		if (k == SIZE_MAX) {
			chg(w, c, t->id, "added", NULL, t->title);
			chg_title(c, c->n - 1, t->title);
			continue;
		}
		seen[k] = true;
		if (o->tasks[k] != t)   /* the same record: written the same */
			diff_task(w, c, o->tasks[k], t);
	}
	for (size_t j = 0; j < o->ntasks; j++)
		if (!seen[j]) {
			chg(w, c, o->tasks[j]->id, "removed", o->tasks[j]->title, NULL);
			chg_title(c, c->n - 1, o->tasks[j]->title);
		}
	free(seen);
}

static hentry_t *entry_new(struct walk *w, struct hplan *hp, const char *path, chg_t *c)
{
	commit_meta(w);
	hentry_t *e = arena_alloc(w->a, sizeof(*e));
	e->seq = w->seq;
	git_oid_tostr(e->commit, sizeof e->commit, &w->commit->id);
	e->time = w->commit->time;
	e->tz = w->commit->tz;
	e->date = w->date;
	e->author = w->author;
	e->subject = w->subject;
	e->path = path;
	e->source = w->src;
	e->hp = hp;
	e->key = hp ? hp->key : NULL;
	e->label = hp && hp->cur ? (hp->cur->number ? hp->cur->number : hp->cur->id) : path;
	if (c->n) {
		e->changes = arena_alloc(w->a, c->n * sizeof(*e->changes));
		memcpy(e->changes, c->v, c->n * sizeof(*e->changes));
	}
	e->nchanges = c->n;
	if (hp && hp->cur) {
		e->has_percent = true;
		e->done = hp->cur->done;
		e->base = hp->cur->base;
		e->percent = e->base > 0 ? e->done * 100 / e->base : 0;
	}
	ARENA_PUSH(w->a, w->entries, w->nentries, w->capentries, e);
	if (hp)
		ARENA_PUSH(w->a, hp->entries, hp->nentries, hp->capentries, e);
	if (w->week)
		ARENA_PUSH(w->a, w->week->entries, w->week->nentries, w->week->capentries, e);
	return e;
}

static void point_add(struct walk *w, struct hplan *hp, const hentry_t *e)
{
	hpoint_t p = { .time = e->time, .seq = (uint32_t)e->seq, .tz = e->tz, .date = e->date,
		       .done = e->done, .base = e->base, .percent = e->percent };
	/* most plans have a point or two: room for 1, 2, 4 ... (ARENA_PUSH's
	 * first 8 were 8 MB at 10,000 plans, most of it never used) */
	if (hp->npts == hp->cappts) {
		size_t cap = hp->cappts ? 2 * hp->cappts : 1;
		hpoint_t *g = arena_alloc(w->a, cap * sizeof(*g));
		if (hp->npts)
			memcpy(g, hp->pts, hp->npts * sizeof(*g));
		hp->pts = g;
		hp->cappts = cap;
	}
	hp->pts[hp->npts++] = p;
}

/* Whether two paths are in one repository: the site's, or one source's
 * ("sources/ID/..."). */
static bool same_source(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	if (!strncmp(a, "sources/", 8))
		la = 8 + strcspn(a + 8, "/");
	if (!strncmp(b, "sources/", 8))
		lb = 8 + strcspn(b + 8, "/");
	return la == lb && !strncmp(a, b, la);
}

/* Settles a touched plan after all the commit's files were read. */
static void settle(struct walk *w, struct hplan *hp)
{
	chg_t c = { 0 };
	const char *broken = hp->broken;
	hp->broken = NULL;
	if (hp->nslots == 0) {
		hp->dup = false;
		if (!hp->cur)
			return;
		const hver_t *old = hp->cur;
		const char *path = hp->cur_path;
		hp->cur = NULL;
		hdue_set(w->due, hp->ord, NULL);
		hp->cur_path = NULL;
		hp->gone = old;
		hp->gone_path = path;
		if (!w->baseline) {
			chg(w, &c, NULL, "removed", old->title, NULL);
			entry_new(w, hp, path, &c)->label = old->number ? old->number : old->id;
		}
		return;
	}
	if (hp->nslots > 1) {
		if (hp->dup || w->baseline) {
			hp->dup = true;
			return;
		}
		hp->dup = true;
		buf_t b = BUF_INIT;
		for (size_t i = 0; i < hp->nslots; i++) {
			if (i)
				buf_puts(&b, "; ");
			buf_puts(&b, hp->slots[i]->path);
		}
		chg(w, &c, NULL, "duplicate", NULL, arena_strdup(w->a, b.ptr));
		buf_free(&b);
		entry_new(w, hp, hp->cur_path ? hp->cur_path : hp->slots[0]->path, &c);
		return;
	}
	hp->dup = false;
	const struct slot *sl = hp->slots[0];
	const hver_t *old = hp->cur, *v = sl->good;
	const char *old_path = hp->cur_path;
	/* a plan removed from one source and added to another (an agency
	 * reorganised) moved: its changes are told against its last version */
	if (!old && hp->gone && !same_source(hp->gone_path, sl->path)) {
		old = hp->gone;
		old_path = hp->gone_path;
	}
	hp->gone = NULL;
	hp->gone_path = NULL;
	hp->cur = v;
	hdue_set(w->due, hp->ord, v);
	hp->cur_path = sl->path;
	if (w->baseline)
		return;
	if (!old) {
		chg(w, &c, NULL, "added", NULL, v->title);
	} else {
		if (old_path && strcmp(old_path, sl->path))
			chg(w, &c, NULL, "moved", old_path, sl->path);
		diff_versions(w, &c, old, v);
	}
	if (!c.n && !broken)
		return;
	hentry_t *e = entry_new(w, hp, sl->path, &c);
	if (broken) {
		e->broken = true;
		e->error = broken;
	}
	point_add(w, hp, e);
}

/* Puts a commit's changed plan file into the path table (forward). */
static void apply_delta(struct walk *w, const hdelta_t *d)
{
	/* a source's files are kept under its folder, as in the site */
	const char *path = w->pfx ? intern(w, arena_printf(w->a, "%s%s", w->pfx, d->path)) : d->path;
	struct slot *sl = strmap_get(&w->paths, path);
	if (!d->has) {
		if (sl) {
			detach(w, sl);
			sl->ver = sl->good = NULL;
		}
		return;
	}
	const hver_t *v = hver_of(w->vc, &d->new_id, d->path, NULL, 0, NULL);
	if (!sl) {
		sl = arena_alloc(w->a, sizeof(*sl));
		sl->path = path;
		strmap_put(&w->paths, path, sl);
	}
	sl->ver = v;
	if (v->broken) {
		if (sl->hp) {
			touch(w, sl->hp);
			if (!sl->hp->broken)
				sl->hp->broken = v->error;
		} else if (!w->baseline) {
			/* a new file that never parsed: reported under its path */
			chg_t c = { 0 };
			hentry_t *e = entry_new(w, NULL, path, &c);
			e->broken = true;
			e->error = v->error;
		}
		return;
	}
	if (v->draft) {
		detach(w, sl);
		sl->good = NULL;
		return;
	}
	struct hplan *hp = plan_of(w, v);
	if (sl->hp != hp) {
		detach(w, sl);
		attach(w, sl, hp);
	} else {
		touch(w, hp);
	}
	sl->good = v;
}

static int entry_cmp(const void *x, const void *y)
{
	const hentry_t *a = *(const hentry_t *const *)x, *b = *(const hentry_t *const *)y;
	if (a->seq != b->seq)
		return a->seq > b->seq ? -1 : 1;
	int c = strcmp(a->label ? a->label : "", b->label ? b->label : "");
	if (c)
		return c;
	return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static int week_cmp(const void *x, const void *y)
{
	const hweek_t *a = *(const hweek_t *const *)x, *b = *(const hweek_t *const *)y;
	return a->start > b->start ? -1 : a->start < b->start;
}

/* ---- documents ---- */

struct roll {
	size_t seq;
	size_t plan;
	const hpoint_t *pt;
};

static int roll_cmp(const void *x, const void *y)
{
	const struct roll *a = x, *b = y;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return a->plan < b->plan ? -1 : a->plan > b->plan;
}

/* The plans at or below a document, each once, on an explicit stack (no
 * depth limit). */
static void collect_plans(const doc_t *top, strmap_t *seen, const plan_t ***v, size_t *n, size_t *cap)
{
	size_t ns = 0, caps = 16;
	const doc_t **stack = xmalloc(caps * sizeof(*stack));
	strmap_put(seen, top->key, (void *)top);
	stack[ns++] = top;
	while (ns) {
		const doc_t *dc = stack[--ns];
		if (dc->plan) {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 16;
				*v = xrealloc(*v, *cap * sizeof(**v));
			}
			(*v)[(*n)++] = dc->plan;
		}
		for (size_t i = 0; i < dc->ndown; i++) {
			const doc_t *c = dc->down[i];
			if (strmap_get(seen, c->key))
				continue;
			strmap_put(seen, c->key, (void *)c);
			if (ns == caps) {
				caps *= 2;
				stack = xrealloc(stack, caps * sizeof(*stack));
			}
			stack[ns++] = c;
		}
	}
	free(stack);
}

/* The document's percent done at each commit that changed one of the plans
 * below it: every plan's latest counts summed, each task once. */
static void doc_series(struct walk *w, const doc_t *dc)
{
	strmap_t seen = STRMAP_INIT;
	const plan_t **pl = NULL;
	size_t np = 0, cap = 0;
	collect_plans(dc, &seen, &pl, &np, &cap);
	strmap_free(&seen);
	size_t total = 0;
	const hplan_hist_t **hh = xmalloc((np + 1) * sizeof(*hh));
	for (size_t i = 0; i < np; i++) {
		hh[i] = history_plan(w->h, pl[i]);
		total += hh[i]->series.n;
	}
	if (!total)
		goto out;
	struct roll *r = xmalloc(total * sizeof(*r));
	size_t nr = 0;
	for (size_t i = 0; i < np; i++)
		for (size_t j = 0; j < hh[i]->series.n; j++)
			r[nr++] = (struct roll){ hh[i]->series.v[j].seq, i, &hh[i]->series.v[j] };
	qsort(r, nr, sizeof(*r), roll_cmp);
	int *done = xcalloc(np + 1, sizeof(int)), *base = xcalloc(np + 1, sizeof(int));
	long sd = 0, sb = 0;
	hseries_t *ser = arena_alloc(w->a, sizeof(*ser));
	ser->v = arena_alloc(w->a, nr * sizeof(hpoint_t));
	for (size_t i = 0; i < nr; i++) {
		const hpoint_t *p = r[i].pt;
		sd += p->done - done[r[i].plan];
		sb += p->base - base[r[i].plan];
		done[r[i].plan] = p->done;
		base[r[i].plan] = p->base;
		if (i + 1 < nr && r[i + 1].seq == r[i].seq)
			continue;
		hpoint_t q = *p;
		q.done = (int)sd;
		q.base = (int)sb;
		q.percent = sb > 0 ? (int)(sd * 100 / sb) : 0;
		ser->v[ser->n++] = q;
	}
	strmap_put(&w->h->by_doc, dc->key, ser);
	free(done);
	free(base);
	free(r);
out:
	free(hh);
	free(pl);
}

/* ---- the walk ---- */

static int doc_topo_desc(const void *a, const void *b)
{
	const doc_t *x = *(const doc_t *const *)a, *y = *(const doc_t *const *)b;
	return x->topo < y->topo ? 1 : x->topo > y->topo ? -1 : 0;
}

static void finish(struct walk *w)
{
	history_t *h = w->h;
	const site_t *s = w->s;
	for (size_t i = 0; i < s->nplans; i++) {
		struct hplan *hp = strmap_get(&h->by_key, s->plans[i]->key);
		if (hp)
			hp->head = s->plans[i];
	}
	for (size_t i = 0; i < w->nplans; i++) {
		struct hplan *hp = w->plans[i];
		const char *label = hp->head ? (hp->head->number ? hp->head->number : hp->head->id) : NULL;
		hp->pub.nentries = hp->nentries;
		hp->pub.entries = arena_alloc(w->a, (hp->nentries + 1) * sizeof(hentry_t *));
		for (size_t j = 0; j < hp->nentries; j++) {
			hentry_t *e = hp->entries[j];
			e->plan = hp->head;
			if (label)
				e->label = label;
			hp->pub.entries[hp->nentries - 1 - j] = e;
		}
		hp->pub.series.v = hp->pts;
		hp->pub.series.n = hp->npts;
	}
	if (w->nentries)
		qsort(w->entries, w->nentries, sizeof(*w->entries), entry_cmp);
	h->entries = (const hentry_t **)w->entries;
	h->nentries = w->nentries;
	/* a week whose commits changed nothing that matters has no report */
	size_t nw = 0;
	for (size_t i = 0; i < w->nweeks; i++)
		if (w->weeks[i]->nentries)
			w->weeks[nw++] = w->weeks[i];
	w->nweeks = nw;
	for (size_t i = 0; i < w->nweeks; i++) {
		hweek_t *wk = w->weeks[i];
		qsort(wk->entries, wk->nentries, sizeof(*wk->entries), entry_cmp);
		for (int k = 0; k < WEEK_LISTS; k++) {
			hitems_t *l = week_list(wk, k);
			for (size_t j = 0; j < l->n; j++) {
				hitem_t *it = &l->v[j];
				it->plan = it->hp->head;   /* its label with it (hitem_label) */
			}
		}
	}
	if (w->nweeks)
		qsort(w->weeks, w->nweeks, sizeof(*w->weeks), week_cmp);
	h->weeks = w->weeks;
	h->nweeks = w->nweeks;
	/* bottom up, so a document implemented by a single other document
	 * (not a plan) shares that one's series: a long chain costs one pass */
	const doc_t **v = xmalloc((s->ndocs + 1) * sizeof(*v));
	if (s->ndocs)
		memcpy(v, s->docs, s->ndocs * sizeof(*v));
	qsort(v, s->ndocs, sizeof(*v), doc_topo_desc);
	for (size_t i = 0; i < s->ndocs; i++) {
		const doc_t *dc = v[i];
		if (dc->plan)
			continue;
		if (dc->ndown == 1 && !dc->down[0]->plan) {
			hseries_t *ser = strmap_get(&h->by_doc, dc->down[0]->key);
			if (ser)
				strmap_put(&h->by_doc, dc->key, ser);
			continue;
		}
		doc_series(w, dc);
	}
	free(v);
}

static void walk_commit(struct walk *w, const hcommit_t *cm)
{
	w->commit = cm;
	w->meta = false;
	w->ntouched = 0;
	w->date = date_of_time(cm->time, cm->tz);
	if (!w->baseline)
		week_enter(w, w->date);
	for (size_t i = 0; i < cm->nd; i++)
		apply_delta(w, &cm->d[i]);
	for (size_t i = 0; i < w->ntouched; i++)
		settle(w, w->touched[i]);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The calling thread's CPU time (PLANSITE_TIMING: on two cores shared
 * with the rendering, wall times say little of the history's own cost). */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One repository's first-parent log, read through that repository's
 * history cache (hcache.h: only the commits and blobs it lacks come from
 * Git). */
struct hsrc {
	hlog_t log;
	git_repository *git;
	hcache_t *hc;               /* this repository's cache */
	bool own;                   /* hc made for this walk (freed with the history) */
	hver_ctx_t *vc;             /* hc's version tables */
	const char *pfx, *id;
	const char *prefix;         /* its plans folder ("content/plans/") */
	size_t next;
	size_t parsed0, near0;      /* hc's counts before the walk */
	size_t rel_off;             /* read ahead: the content-relative path's offset */
};

/* Binds a log's repository to its cache: its version tables are ready. */
static void bind_log(struct walk *w, struct hsrc *l, const char *content)
{
	size_t cl = repo_content_trim(&content);
	l->prefix = arena_printf(w->a, "%.*s/plans/", (int)cl, content);
	hcache_bind(l->hc, l->git, l->prefix, cl + 1);
	l->vc = hcache_vc(l->hc);
	/* a cache of this walk's own goes with the history, before the
	 * model (history_free) */
	l->vc->borrow = l->own;
	l->parsed0 = l->vc->nversions;
	l->near0 = l->vc->nincremental;
}

static int read_log(struct hsrc *l, const site_t *s, snap_t *snap, char **err)
{
	return hlog_read(&l->log, l->vc, s, snap, l->prefix, hcache_known(l->hc), err);
}

/* The log whose next commit is the oldest (a log's own order is kept;
 * ties go to the earlier log), or NULL when all are walked. */
static struct hsrc *next_log(struct hsrc *v, size_t n)
{
	struct hsrc *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].next >= v[i].log.n)
			continue;
		if (!best || v[i].log.commits[v[i].next].time < best->log.commits[best->next].time)
			best = &v[i];
	}
	return best;
}

/* The cache files' state for the build's report: the first damaged or
 * foreign one (the site's repository first), else the site's. */
static void cache_report(history_t *h, arena_t *a, struct hsrc *logs, size_t n)
{
	size_t pick = 0;
	for (size_t i = 0; i < n; i++) {
		int st = hcache_state(logs[i].hc, NULL, NULL);
		if (st == HCACHE_DAMAGED || st == HCACHE_OTHER) {
			pick = i;
			break;
		}
	}
	h->cache_state = hcache_state(logs[pick].hc, &h->cache_file, &h->cache_why);
	if (h->cache_file)
		h->cache_file = arena_strdup(a, h->cache_file);
	if (h->cache_why)
		h->cache_why = arena_strdup(a, h->cache_why);
}

/* ---- the site's log read ahead ---- */

struct history_read {
	struct hsrc l;              /* the site repository's log, once read */
	const site_t *s;
	snap_t *snap;
	pool_t *th;                 /* the reader, or NULL once joined */
	int rc;
	char *err;
	double seconds;             /* the reading's own time */
	double cpu_commits, cpu_versions;   /* the reader's CPU time: commits, then versions */
	pthread_mutex_t lock;
	pthread_cond_t cv;
	bool go;                    /* the model is cross-referenced: seed */
	bool cancel;                /* ... or the build stops: read no more */
	bool seeded;                /* snap's texts are read no more */
	hver_layouts_t *taken;      /* what the parse took of the plans' texts */
};

/* The commits first (the history cache, then Git), beside xref; then,
 * once the model is cross-referenced (xref rewrites unit lists that the
 * built commit's versions are made of), those versions and every earlier
 * one. */
static void read_ahead(void *arg, int worker)
{
	history_read_t *r = arg;
	(void)worker;
	struct hsrc *l = &r->l;
	double t0 = now_seconds(), c0 = cpu_seconds();
	hcache_bind(l->hc, l->git, l->prefix, l->rel_off);
	l->vc = hcache_vc(l->hc);
	/* a cache of this build's own goes before the model (build.c) */
	l->vc->borrow = l->own;
	l->parsed0 = l->vc->nversions;
	l->near0 = l->vc->nincremental;
	r->rc = hlog_read_commits(&l->log, l->vc, r->s, l->prefix, hcache_known(l->hc), &r->err);
	r->seconds = now_seconds() - t0;
	r->cpu_commits = cpu_seconds() - c0;
	pthread_mutex_lock(&r->lock);
	while (!r->go && !r->cancel)
		pthread_cond_wait(&r->cv, &r->lock);
	bool stop = r->cancel;
	pthread_mutex_unlock(&r->lock);
	t0 = now_seconds();
	c0 = cpu_seconds();
	if (!stop && r->rc == 0)
		hlog_seed_release(l->vc, r->s, r->snap, r->taken);
	pthread_mutex_lock(&r->lock);
	r->seeded = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->lock);
	/* the plans' texts are freed as they are seeded (nothing reads
	 * them after xref: the pages' state takes their blob ids); the
	 * other files' are the caller's to release (history_build_sources) */
	if (!stop && r->rc == 0)
		hlog_read_versions(&l->log, l->vc);
	r->seconds += now_seconds() - t0;
	r->cpu_versions = cpu_seconds() - c0;
}

void history_read_go(history_read_t *hr)
{
	if (!hr)
		return;
	pthread_mutex_lock(&hr->lock);
	hr->go = true;
	pthread_cond_broadcast(&hr->cv);
	pthread_mutex_unlock(&hr->lock);
}

history_read_t *history_read_start(repo_t *r, arena_t *a, const site_t *s, snap_t *snap,
				   const char *content, struct hcache *hc, hver_layouts_t *taken)
{
	history_read_t *hr = xcalloc(1, sizeof(*hr));
	hr->taken = taken;
	size_t cl = repo_content_trim(&content);
	hr->l.git = repo_git(r);
	hr->l.prefix = arena_printf(a, "%.*s/plans/", (int)cl, content);
	hr->l.rel_off = cl + 1;
	hr->l.hc = hc ? hc : hcache_new();
	hr->l.own = !hc;
	hr->s = s;
	hr->snap = snap;
	pthread_mutex_init(&hr->lock, NULL);
	pthread_cond_init(&hr->cv, NULL);
	hr->th = pool_start(1, read_ahead, hr);
	if (!pool_threads(hr->th)) {
		/* no thread: read when the history is built, as without */
		pool_join(hr->th);
		hr->th = NULL;
	}
	return hr;
}

/* Waits for the reader (reads here when no thread could start). */
static void read_join(history_read_t *hr)
{
	if (!hr->th && !hr->seeded && !hr->cancel) {
		hr->go = true;
		read_ahead(hr, 0);
	}
	pool_join(hr->th);
	hr->th = NULL;
}

void history_read_free(history_read_t *hr)
{
	if (!hr)
		return;
	/* a build that stops before its history reads no more of it (a
	 * reader past its wait finishes what it began) */
	pthread_mutex_lock(&hr->lock);
	hr->cancel = true;
	pthread_cond_broadcast(&hr->cv);
	pthread_mutex_unlock(&hr->lock);
	read_join(hr);
	hlog_free(&hr->l.log);
	if (hr->l.own)
		hcache_free(hr->l.hc);
	free(hr->err);
	pthread_cond_destroy(&hr->cv);
	pthread_mutex_destroy(&hr->lock);
	free(hr);
}

/* Releases snap's texts once the reader has seen them, as hlog_read does
 * when it reads on the caller's thread. */
static void read_release(history_read_t *hr, snap_t *snap)
{
	history_read_go(hr);
	if (!hr->th)
		read_join(hr);
	pthread_mutex_lock(&hr->lock);
	while (!hr->seeded)
		pthread_cond_wait(&hr->cv, &hr->lock);
	pthread_mutex_unlock(&hr->lock);
	if (snap && snap->n && hr->s->commit[0]) {
		snap_release_data(snap);
		mem_trim();
	}
}

static int walk_logs(struct walk *w, struct hsrc *logs, size_t n, const history_src_t *srcs,
		     snap_t *snap, const char *content, char **err, double *t_log, history_read_t *pre)
{
	history_t *h = w->h;
	if (pre) {
		if (pre->rc < 0) {
			*err = pre->err;
			pre->err = NULL;
			return -1;
		}
	} else {
		bind_log(w, &logs[0], content);
	}
	for (size_t i = 1; i < n; i++) {
		bind_log(w, &logs[i], srcs[i - 1].content ? srcs[i - 1].content : "content");
		/* the source's plans of the built commit were parsed with the
		 * site: before the site's log releases their texts */
		hlog_seed(logs[i].vc, w->s, snap, logs[i].pfx);
	}
	if (!pre && read_log(&logs[0], w->s, snap, err) < 0)
		return -1;
	for (size_t i = 1; i < n; i++) {
		/* the same site at the source's commit: hlog reads s->commit */
		site_t at = *w->s;
		snap_t none = { 0 };
		snprintf(at.commit, sizeof at.commit, "%s", srcs[i - 1].commit);
		if (read_log(&logs[i], &at, &none, err) < 0)
			return -1;
		/* the delta bases libgit2 keeps in the source's pack would
		 * stay until the build ends (sources.c, open_one) */
		repo_forget_objects(srcs[i - 1].r);
	}
	*t_log = now_seconds();
	h->shallow = logs[0].log.shallow;
	h->head_time = logs[0].log.head_time;
	h->head_tz = logs[0].log.head_tz;
	if (logs[0].log.n) {
		const hcommit_t *cm = &logs[0].log.commits[0];
		h->start = date_of_time(cm->time, cm->tz);
		git_oid_tostr(h->start_commit, sizeof h->start_commit, &cm->id);
	}
	size_t k = 0;
	for (struct hsrc *l; (l = next_log(logs, n)); k++) {
		const hcommit_t *cm = &l->log.commits[l->next];
		w->seq = k;
		/* the oldest commit of a cut history is where it starts: its
		 * files are the baseline, not additions */
		w->baseline = l->next == 0 && l->log.shallow;
		l->next++;
		w->pfx = l->pfx;
		w->src = l->id;
		w->git = l->git;
		w->vc = l->vc;
		if (cm->nd)
			walk_commit(w, cm);
	}
	h->ncommits = k;
	for (size_t i = 0; i < n; i++)
		h->ncached += logs[i].log.nknown;
	w->pfx = w->src = NULL;
	w->git = logs[0].git;
	w->vc = logs[0].vc;
	week_close(w);
	finish(w);
	return 0;
}

int history_build_sources(history_t **out, repo_t *r, arena_t *a, site_t *s, snap_t *snap,
			  const char *content, hcache_t *hc, const history_src_t *srcs, size_t nsrcs,
			  history_read_t *pre, char **err)
{
	assert(!pre || !nsrcs);
	double t0 = now_seconds();
	history_t *h = arena_alloc(a, sizeof(*h));
	*out = h;
	struct walk w = { .h = h, .a = a, .s = s, .git = repo_git(r), .due = hdue_new() };
	size_t n = nsrcs + 1;
	struct hsrc *logs = xcalloc(n, sizeof(*logs));
	/* the site's repository uses hc (serve keeps it); each source has a
	 * cache of its own, in its repository */
	double t_pre = 0, c_commits = 0, c_versions = 0, c_readers = 0;
	int readers = 0;          /* the most blob reader threads one log used */
	if (pre) {
		/* the reader's log and cache are the walk's now */
		read_release(pre, snap);
		read_join(pre);
		t_pre = pre->seconds;
		c_commits = pre->cpu_commits;
		c_versions = pre->cpu_versions;
		logs[0] = pre->l;
		memset(&pre->l, 0, sizeof(pre->l));
	} else {
		logs[0].git = w.git;
		logs[0].hc = hc ? hc : hcache_new();
		logs[0].own = !hc;
	}
	for (size_t i = 1; i < n; i++) {
		logs[i].git = repo_git(srcs[i - 1].r);
		logs[i].pfx = srcs[i - 1].prefix;
		logs[i].id = srcs[i - 1].id;
		logs[i].hc = hcache_new();
		logs[i].own = true;
	}
	double t_log = t0, t_walk = 0, t_save = 0, c0 = cpu_seconds();
	int rc = walk_logs(&w, logs, n, srcs, snap, content, err, &t_log, pre);
	double c_walk = cpu_seconds() - c0;
	for (int k = 0; k < WEEK_LISTS; k++)
		free(w.scratch[k].v);
	free(w.chg_v);
	hdue_free(w.due);
	if (rc < 0)
		h->nweeks = 0;
	t_walk = now_seconds();
	if (rc == 0) {
		h->cache_saved = hcache_save(logs[0].hc, &logs[0].log);
		for (size_t i = 1; i < n; i++)
			hcache_save(logs[i].hc, &logs[i].log);
	}
	t_save = now_seconds();
	double c_save = cpu_seconds() - c0 - c_walk;
	cache_report(h, a, logs, n);
	strmap_free(&w.paths);
	strmap_free(&w.by_id);
	strmap_free(&w.impl);
	h->read_order = logs[0].log.order ? logs[0].log.order : "no";
	h->own_caches = arena_alloc(a, (n + 1) * sizeof(*h->own_caches));
	for (size_t i = 0; i < n; i++) {
		if (logs[i].vc) {
			h->nversions += logs[i].vc->nversions - logs[i].parsed0;
			h->nincremental += logs[i].vc->nincremental - logs[i].near0;
		}
		c_readers += logs[i].log.readers_cpu;
		if (logs[i].log.readers > readers)
			readers = logs[i].log.readers;
		hlog_free(&logs[i].log);
		/* their records are the history's: freed with it */
		if (logs[i].own)
			h->own_caches[h->nown_caches++] = logs[i].hc;
	}
	free(logs);
	h->seconds = now_seconds() - t0;
	if (getenv("PLANSITE_TIMING") && rc == 0)
		fprintf(stderr, "history: %.2f s, %zu commits, %zu blob versions (%zu parsed from a neighbour, in %s order); "
			"%zu commits from the cache; Git and cache read %.3f s%s, walk %.3f s, cache written %.3f s; "
			"cpu: commits %.3f s, versions %.3f s (blob readers %.3f s, %d thread%s), walk %.3f s, cache written %.3f s\n",
			h->seconds, h->ncommits, h->nversions, h->nincremental, h->read_order, h->ncached,
			pre ? t_pre : t_log - t0, pre ? " (read ahead, beside xref)" : "", t_walk - t_log,
			t_save - t_walk, c_commits, c_versions, c_readers, readers, readers == 1 ? "" : "s", c_walk,
			c_save);
	return rc;
}

int history_build(history_t **out, repo_t *r, arena_t *a, site_t *s, snap_t *snap,
		  const char *content, hcache_t *hc, char **err)
{
	return history_build_sources(out, r, a, s, snap, content, hc, NULL, 0, NULL, err);
}

const hplan_hist_t *history_plan(const history_t *h, const plan_t *p)
{
	static const hplan_hist_t none;
	if (!h || !p->key)
		return &none;
	const struct hplan *hp = strmap_get(&h->by_key, p->key);
	return hp ? &hp->pub : &none;
}

const hseries_t *history_doc_series(const history_t *h, const doc_t *dc)
{
	if (!h || !dc->key)
		return NULL;
	return strmap_get(&h->by_doc, dc->key);
}

void history_free(history_t *h)
{
	if (!h)
		return;
	strmap_free(&h->by_doc);
	strmap_free(&h->by_key);
	for (size_t i = 0; i < h->nown_caches; i++)
		hcache_free(h->own_caches[i]);
	h->nown_caches = 0;
}
