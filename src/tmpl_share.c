/* tmpl_share.c: rows shared between the pages of one family of jobs
 * (tmpl.h): the renderings a later page of the family still shows, each
 * dropped after its last use.  The renderer (tmpl.c) decides what may be
 * kept; this file keeps it. */
#include "tmpl_int.h"

#include <pthread.h>
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

struct tmpl_share {
	pthread_mutex_t lock;
	const tmpl_type_t *type;
	tmpl_share_ident_fn ident;
	void *arg;
	struct sentry **bucket;
	size_t cap, n;
	uint32_t *inv;          /* the invariant names' symbols */
	size_t ninv;
	size_t max_bytes;
	tmpl_share_stats_t st;
};

/* What the renderings kept at once may take unless the share says (a
 * theme whose pages of one family show a row through different parts
 * leaves each kept until the end). */
#define SHARE_MAX_BYTES ((size_t)32 << 20)

tmpl_share_t *tmpl_share_new(const tmpl_type_t *type, tmpl_share_ident_fn ident, void *arg)
{
	tmpl_share_t *sh = xcalloc(1, sizeof *sh);
	pthread_mutex_init(&sh->lock, NULL);
	sh->type = type;
	sh->ident = ident;
	sh->arg = arg;
	sh->max_bytes = SHARE_MAX_BYTES;
	sh->cap = 64;
	sh->bucket = xcalloc(sh->cap, sizeof *sh->bucket);
	return sh;
}

void tmpl_share_free(tmpl_share_t *sh)
{
	if (!sh)
		return;
	for (size_t i = 0; i < sh->cap; i++)
		for (struct sentry *e = sh->bucket[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(sh->bucket);
	free(sh->inv);
	pthread_mutex_destroy(&sh->lock);
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
	pthread_mutex_lock((pthread_mutex_t *)&sh->lock);
	*st = sh->st;
	pthread_mutex_unlock((pthread_mutex_t *)&sh->lock);
}

bool tmpl_share_ident(const tmpl_share_t *sh, const tmpl_type_t *type, const void *rec,
		      const void **key, unsigned *variant, unsigned *uses)
{
	return type == sh->type && sh->ident(rec, sh->arg, key, variant, uses) && *key && *uses > 1;
}

static size_t slot_of(const tmpl_share_t *sh, const void *key, const void *part, unsigned variant)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)(uintptr_t)part * 0xc4ceb9fe1a85ec53ULL + variant;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return (size_t)h & (sh->cap - 1);
}

/* The entry of (key, part, variant, bol), with *link the pointer to it. */
static struct sentry *find(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
			   bool bol, struct sentry ***link)
{
	struct sentry **l = &sh->bucket[slot_of(sh, key, part, variant)];
	for (; *l; l = &(*l)->next) {
		struct sentry *e = *l;
		if (e->key == key && e->part == part && e->variant == variant && e->bol == bol)
			break;
	}
	*link = l;
	return *l;
}

/* One use of e done: the last drops it. */
static void use_one(tmpl_share_t *sh, struct sentry *e, struct sentry **link)
{
	if (--e->refs)
		return;
	*link = e->next;
	sh->n--;
	if (!e->ghost) {
		sh->st.kept_now--;
		sh->st.bytes_now -= e->len;
	}
	free(e);
}

bool tmpl_share_take(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		     bool bol, buf_t *out, bool *end_bol)
{
	pthread_mutex_lock(&sh->lock);
	struct sentry **link, *e = find(sh, key, part, variant, bol, &link);
	/* a ghost's use is counted by the put after this rendering */
	bool hit = e && !e->ghost;
	if (hit) {
		buf_put(out, e->bytes, e->len);
		*end_bol = e->end_bol;
		sh->st.reused++;
		use_one(sh, e, link);
	}
	pthread_mutex_unlock(&sh->lock);
	return hit;
}

static void grow(tmpl_share_t *sh)
{
	struct sentry **old = sh->bucket;
	size_t oldcap = sh->cap;
	sh->cap *= 2;
	sh->bucket = xcalloc(sh->cap, sizeof *sh->bucket);
	for (size_t i = 0; i < oldcap; i++)
		for (struct sentry *e = old[i], *next; e; e = next) {
			next = e->next;
			struct sentry **l = &sh->bucket[slot_of(sh, e->key, e->part, e->variant)];
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
		sh->st.kept_now++;
		sh->st.bytes_now += len;
		if (sh->st.kept_now > sh->st.kept_peak)
			sh->st.kept_peak = sh->st.kept_now;
		if (sh->st.bytes_now > sh->st.bytes_peak)
			sh->st.bytes_peak = sh->st.bytes_now;
	}
	return e;
}

void tmpl_share_put(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		    bool bol, bool end_bol, const char *bytes, size_t len, unsigned uses)
{
	pthread_mutex_lock(&sh->lock);
	sh->st.rendered++;
	struct sentry **link, *e = find(sh, key, part, variant, bol, &link);
	bool room = sh->st.bytes_now + len <= sh->max_bytes;
	if (e && e->ghost && e->refs > 1 && room) {
		/* not kept when it was first rendered, for want of room: kept
		 * now for the uses still to come, which the ghost counted */
		*link = add(sh, e->next, key, part, variant, bol, end_bol, false, bytes, len, e->refs - 1);
		free(e);
	} else if (e) {
		/* a ghost's use, or another thread rendered it at the same time */
		use_one(sh, e, link);
	} else if (uses > 1) {
		/* past max_bytes a ghost counts the uses, so that a rendering
		 * kept once there is room again is dropped after its last */
		*link = add(sh, NULL, key, part, variant, bol, end_bol, !room, bytes, len, uses - 1);
		sh->n++;
		if (!room)
			sh->st.ghosts++;
		if (sh->n > sh->cap)
			grow(sh);
	}
	pthread_mutex_unlock(&sh->lock);
}

void tmpl_share_tainted(tmpl_share_t *sh)
{
	pthread_mutex_lock(&sh->lock);
	sh->st.tainted++;
	pthread_mutex_unlock(&sh->lock);
}
