/* tmpl_share.c: rows shared between the pages of one family of jobs
 * (tmpl.h): the renderings a later page of the family still shows, each
 * dropped after its last use.  The renderer (tmpl.c) decides what may be
 * kept; this file keeps it. */
#include "tmpl_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* One rendering: a part (a partial's template or a section) with a record
 * of the given key and variant innermost, started at the start of a line
 * or not (bol), and how many pages still show it. */
struct sentry {
	struct sentry *next;
	const void *key;
	const void *part;
	unsigned variant;
	unsigned refs;
	bool bol, end_bol;
	bool ghost;             /* not kept for want of room: its uses counted, no bytes */
	size_t len;
	char bytes[];
};

/* The entries are spread over stripes, each with its own lock and table:
 * the pages of a family are rendered on two threads at once, and one lock
 * for the share was taken twice a row (the take, then the put of a row
 * not kept yet) by both, its cache line going from core to core.  A
 * stripe's fields fill cache lines of their own. */
enum { STRIPES = 16, LINE = 64 };

struct stripe {
	_Alignas(LINE) pthread_mutex_t lock;
	struct sentry **bucket;
	size_t cap, n;
	size_t rendered, reused, tainted, ghosts;
};

struct tmpl_share {
	struct stripe stripe[STRIPES];   /* first: the block is aligned to LINE */
	const tmpl_type_t *type;
	tmpl_share_ident_fn ident;
	void *arg;
	uint32_t *inv;          /* the invariant names' symbols */
	size_t ninv;
	size_t max_bytes;
	/* the renderings kept, over all stripes (the room left is decided
	 * on them) */
	_Atomic size_t kept_now, kept_peak, bytes_now, bytes_peak;
};

/* What the renderings kept at once may take unless the share says (a
 * theme whose pages of one family show a row through different parts
 * leaves each kept until the end). */
#define SHARE_MAX_BYTES ((size_t)32 << 20)

tmpl_share_t *tmpl_share_new(const tmpl_type_t *type, tmpl_share_ident_fn ident, void *arg)
{
	tmpl_share_t *sh = xcalloc_aligned(LINE, sizeof(tmpl_share_t));
	for (int i = 0; i < STRIPES; i++) {
		struct stripe *st = &sh->stripe[i];
		pthread_mutex_init(&st->lock, NULL);
		st->cap = 8;
		st->bucket = xcalloc(st->cap, sizeof *st->bucket);
	}
	sh->type = type;
	sh->ident = ident;
	sh->arg = arg;
	sh->max_bytes = SHARE_MAX_BYTES;
	return sh;
}

void tmpl_share_free(tmpl_share_t *sh)
{
	if (!sh)
		return;
	for (int i = 0; i < STRIPES; i++) {
		struct stripe *st = &sh->stripe[i];
		for (size_t b = 0; b < st->cap; b++)
			for (struct sentry *e = st->bucket[b], *next; e; e = next) {
				next = e->next;
				free(e);
			}
		free(st->bucket);
		pthread_mutex_destroy(&st->lock);
	}
	free(sh->inv);
	free(sh);
}

void tmpl_share_invariant(tmpl_share_t *sh, const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	sh->inv = xrealloc(sh->inv, (sh->ninv + n + 1) * sizeof *sh->inv);
	for (size_t i = 0; i < n; i++)
		sh->inv[sh->ninv++] = tmpl_sym(names[i], strlen(names[i]));
}

bool tmpl_share_invariant_sym(const tmpl_share_t *sh, uint32_t sym)
{
	for (size_t i = 0; i < sh->ninv; i++)
		if (sh->inv[i] == sym)
			return true;
	return false;
}

void tmpl_share_limit(tmpl_share_t *sh, size_t max)
{
	sh->max_bytes = max;
}

void tmpl_share_stats(const tmpl_share_t *sh, tmpl_share_stats_t *st)
{
	tmpl_share_t *w = (tmpl_share_t *)sh;
	*st = (tmpl_share_stats_t){ 0 };
	for (int i = 0; i < STRIPES; i++) {
		struct stripe *s = &w->stripe[i];
		pthread_mutex_lock(&s->lock);
		st->rendered += s->rendered;
		st->reused += s->reused;
		st->tainted += s->tainted;
		st->ghosts += s->ghosts;
		pthread_mutex_unlock(&s->lock);
	}
	st->kept_now = atomic_load(&w->kept_now);
	st->kept_peak = atomic_load(&w->kept_peak);
	st->bytes_now = atomic_load(&w->bytes_now);
	st->bytes_peak = atomic_load(&w->bytes_peak);
}

bool tmpl_share_ident(const tmpl_share_t *sh, const tmpl_type_t *type, const void *rec,
		      const void **key, unsigned *variant, unsigned *uses)
{
	return type == sh->type && sh->ident(rec, sh->arg, key, variant, uses) && *key && *uses > 1;
}

static uint64_t hash_of(const void *key, const void *part, unsigned variant)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)(uintptr_t)part * 0xc4ceb9fe1a85ec53ULL + variant;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return h;
}

/* The stripe of a hash: its top bits (the bucket takes the low ones). */
static struct stripe *stripe_of(tmpl_share_t *sh, uint64_t h)
{
	return &sh->stripe[h >> 60];
}

/* The entry of (key, part, variant, bol) in st, with *link the pointer to
 * it. */
static struct sentry *find(struct stripe *st, uint64_t h, const void *key, const void *part,
			   unsigned variant, bool bol, struct sentry ***link)
{
	struct sentry **l = &st->bucket[h & (st->cap - 1)];
	for (; *l; l = &(*l)->next) {
		struct sentry *e = *l;
		if (e->key == key && e->part == part && e->variant == variant && e->bol == bol)
			break;
	}
	*link = l;
	return *l;
}

static void kept_less(tmpl_share_t *sh, size_t len)
{
	atomic_fetch_sub(&sh->kept_now, 1);
	atomic_fetch_sub(&sh->bytes_now, len);
}

static void raise_to(_Atomic size_t *peak, size_t now)
{
	size_t was = atomic_load(peak);
	while (now > was && !atomic_compare_exchange_weak(peak, &was, now))
		;
}

static void kept_more(tmpl_share_t *sh, size_t len)
{
	raise_to(&sh->kept_peak, atomic_fetch_add(&sh->kept_now, 1) + 1);
	raise_to(&sh->bytes_peak, atomic_fetch_add(&sh->bytes_now, len) + len);
}

/* One use of e done: the last drops it.  Under st->lock. */
static void use_one(tmpl_share_t *sh, struct stripe *st, struct sentry *e, struct sentry **link)
{
	if (--e->refs)
		return;
	*link = e->next;
	st->n--;
	if (!e->ghost)
		kept_less(sh, e->len);
	free(e);
}

bool tmpl_share_take(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		     bool bol, buf_t *out, bool *end_bol)
{
	uint64_t h = hash_of(key, part, variant);
	struct stripe *st = stripe_of(sh, h);
	pthread_mutex_lock(&st->lock);
	struct sentry **link, *e = find(st, h, key, part, variant, bol, &link);
	/* a ghost's use is counted by the put after this rendering */
	bool hit = e && !e->ghost;
	if (hit) {
		buf_put(out, e->bytes, e->len);
		*end_bol = e->end_bol;
		st->reused++;
		use_one(sh, st, e, link);
	}
	pthread_mutex_unlock(&st->lock);
	return hit;
}

static void grow(struct stripe *st)
{
	struct sentry **old = st->bucket;
	size_t oldcap = st->cap;
	st->cap *= 2;
	st->bucket = xcalloc(st->cap, sizeof *st->bucket);
	for (size_t i = 0; i < oldcap; i++)
		for (struct sentry *e = old[i], *next; e; e = next) {
			next = e->next;
			struct sentry **l = &st->bucket[hash_of(e->key, e->part, e->variant) & (st->cap - 1)];
			e->next = *l;
			*l = e;
		}
	free(old);
}

/* A new entry of (key, part, variant, bol), for refs uses to come: with
 * the bytes, or a ghost. */
static struct sentry *add(tmpl_share_t *sh, struct sentry *next, const void *key, const void *part,
			  unsigned variant, bool bol, bool end_bol, bool ghost, const char *bytes,
			  size_t len, unsigned refs)
{
	if (ghost)
		len = 0;
	struct sentry *e = xmalloc(sizeof *e + len);
	*e = (struct sentry){ next, key, part, variant, refs, bol, end_bol, ghost, len };
	if (!ghost) {
		memcpy(e->bytes, bytes, len);
		kept_more(sh, len);
	}
	return e;
}

void tmpl_share_put(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		    bool bol, bool end_bol, const char *bytes, size_t len, unsigned uses)
{
	uint64_t h = hash_of(key, part, variant);
	struct stripe *st = stripe_of(sh, h);
	pthread_mutex_lock(&st->lock);
	st->rendered++;
	struct sentry **link, *e = find(st, h, key, part, variant, bol, &link);
	/* the bytes kept over all stripes: another stripe's change may land
	 * at the same time, which moves the limit by one rendering at most a
	 * thread; the pages are the same either way */
	bool room = atomic_load(&sh->bytes_now) + len <= sh->max_bytes;
	if (e && e->ghost && e->refs > 1 && room) {
		/* not kept when it was first rendered, for want of room: kept
		 * now for the uses still to come, which the ghost counted */
		*link = add(sh, e->next, key, part, variant, bol, end_bol, false, bytes, len, e->refs - 1);
		free(e);
	} else if (e) {
		/* a ghost's use, or another thread rendered it at the same time */
		use_one(sh, st, e, link);
	} else if (uses > 1) {
		/* past max_bytes a ghost counts the uses, so that a rendering
		 * kept once there is room again is dropped after its last */
		*link = add(sh, NULL, key, part, variant, bol, end_bol, !room, bytes, len, uses - 1);
		st->n++;
		if (!room)
			st->ghosts++;
		if (st->n > st->cap)
			grow(st);
	}
	pthread_mutex_unlock(&st->lock);
}

void tmpl_share_tainted(tmpl_share_t *sh)
{
	/* counted in the first stripe: no entry is read */
	struct stripe *st = &sh->stripe[0];
	pthread_mutex_lock(&st->lock);
	st->tainted++;
	pthread_mutex_unlock(&st->lock);
}
