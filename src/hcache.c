/* hcache.c: the history kept between builds, in memory and in a file of
 * the repository, read whole or not at all, appended to after a push. */
#include "hcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "model_fields.h"
#include "version.h"

/* The file: a header (magic, format, plansite version, content prefix),
 * then one part per write (the first, and each appended since), each
 * with tables of strings, tasks, versions and commits that refer to each
 * other by number within the part, all integers little-endian, and a
 * checksum of everything before it.  String number 0 is NULL. */
static const char magic[16] = "plansite-hcache\n";

/* Past this a file is not read (a cache of 10,000 plans and 5,000 commits
 * is tens of MB). */
#define HCACHE_MAX ((size_t)1 << 30)

struct hcache {
	arena_t *a;
	hver_ctx_t vc;
	strmap_t known;
	char *commondir, *prefix;   /* what it is bound to */
	char *file;                 /* the cache file, or NULL */
	bool read;                  /* the file was tried */
	bool stale;                 /* the file lacks something known (or is not there) */
	size_t nknown_saved;        /* commits known when the file was read or written */
	size_t nversions_saved;     /* versions parsed by then */
	int state;
	char *why;
	/* the file as this cache last read or wrote it, to append to: what
	 * it holds, how long it is and how its checksum goes on */
	struct fileat {
		bool ok;                /* known (read whole, or written) */
		dev_t dev;
		ino_t ino;
		off_t size;
		uint64_t h;             /* the checksum's state after the whole words ... */
		unsigned char tail[8];  /* ... and the bytes after them */
		size_t ntail;
		size_t nparts;          /* the parts it holds (one per write) */
		size_t ncommits;        /* the commit records it holds */
	} at;
	/* what the file holds: commits (the `known` records) and versions */
	struct pset {
		const void **k;
		size_t n, cap;
	} saved, saved_vers;
};

hcache_t *hcache_new(void)
{
	hcache_t *hc = xcalloc(1, sizeof(*hc));
	hc->a = arena_new();
	hc->vc.a = hc->a;
	return hc;
}

static void pset_free(struct pset *m)
{
	free(m->k);
	memset(m, 0, sizeof(*m));
}

static size_t pset_slot(const struct pset *m, const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
	size_t i = (size_t)(h >> 20) & (m->cap - 1);
	while (m->k[i] && m->k[i] != p)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static bool pset_has(const struct pset *m, const void *p)
{
	return m->cap && m->k[pset_slot(m, p)] == p;
}

static void pset_add(struct pset *m, const void *p)
{
	if (2 * (m->n + 1) > m->cap) {
		struct pset g = { xcalloc(m->cap ? 2 * m->cap : 1024, sizeof(void *)), 0,
				  m->cap ? 2 * m->cap : 1024 };
		for (size_t i = 0; i < m->cap; i++)
			if (m->k[i])
				g.k[pset_slot(&g, m->k[i])] = m->k[i];
		g.n = m->n;
		free(m->k);
		*m = g;
	}
	size_t i = pset_slot(m, p);
	if (!m->k[i]) {
		m->k[i] = p;
		m->n++;
	}
}

/* The file is no longer known: the next save writes it whole. */
static void unknown_file(hcache_t *hc)
{
	memset(&hc->at, 0, sizeof(hc->at));
	pset_free(&hc->saved);
	pset_free(&hc->saved_vers);
}

static void forget(hcache_t *hc)
{
	unknown_file(hc);
	hver_ctx_free(&hc->vc);
	strmap_free(&hc->known);
	arena_free(hc->a);
	free(hc->commondir);
	free(hc->prefix);
	free(hc->file);
	free(hc->why);
	git_repository *git = hc->vc.git;
	memset(hc, 0, sizeof(*hc));
	hc->a = arena_new();
	hc->vc.a = hc->a;
	hc->vc.git = git;
}

void hcache_free(hcache_t *hc)
{
	if (!hc)
		return;
	forget(hc);
	arena_free(hc->a);
	free(hc);
}

hver_ctx_t *hcache_vc(hcache_t *hc)
{
	return &hc->vc;
}

strmap_t *hcache_known(hcache_t *hc)
{
	return &hc->known;
}

int hcache_state(const hcache_t *hc, const char **file, const char **why)
{
	if (file)
		*file = hc->file;
	if (why)
		*why = hc->why;
	return hc->state;
}

/* ---- the checksum ---- */

/* Of every byte: accidental damage (a file cut short, bytes changed) is
 * caught; it is no defence against a forged file, which the reader's
 * bounds checks are. */
static uint64_t checksum(const void *p, size_t n)
{
	return hash_words(HASH_INIT, p, n);
}

uint64_t hcache_checksum(const void *p, size_t n)
{
	return checksum(p, n);
}

/* ---- writing ---- */

/* Pointers to numbers: strings and tasks are written once each. */
typedef struct {
	const void **k;
	uint32_t *v;
	size_t n, cap;
} pmap_t;

static inline size_t pslot(const pmap_t *m, const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
	size_t i = (size_t)(h >> 20) & (m->cap - 1);
	while (m->k[i] && m->k[i] != p)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The table twice as big, every entry moved. */
static void pmap_grow(pmap_t *m)
{
	pmap_t g = { xcalloc(m->cap ? 2 * m->cap : 1024, sizeof(void *)), NULL, m->n, m->cap ? 2 * m->cap : 1024 };
	g.v = xcalloc(g.cap, sizeof(uint32_t));
	for (size_t i = 0; i < m->cap; i++)
		if (m->k[i]) {
			size_t j = pslot(&g, m->k[i]);
			g.k[j] = m->k[i];
			g.v[j] = m->v[i];
		}
	free(m->k);
	free(m->v);
	*m = g;
}

/* The number of p, adding it (as number m->n + first) when new; *added
 * says whether it was.  Called for every string field of every record in
 * both passes (1.1 million times on a cold 1k build), nearly always for a
 * pointer it holds: inline, and the table grown only when one is added
 * (52 instructions a call before, most of them the call and the check). */
static inline uint32_t pmap_num(pmap_t *m, const void *p, uint32_t first, bool *added)
{
	size_t i = m->cap ? pslot(m, p) : 0;
	*added = !m->cap || !m->k[i];
	if (!*added)
		return m->v[i];
	if (2 * (m->n + 1) > m->cap) {
		pmap_grow(m);
		i = pslot(m, p);
	}
	m->k[i] = p;
	m->v[i] = (uint32_t)m->n++ + first;
	return m->v[i];
}

static void pmap_free(pmap_t *m)
{
	free(m->k);
	free(m->v);
}

/* Where the file's bytes go: a buffer of at most OUT_CHUNK bytes, written
 * at fd's offset off and summed each time it fills, so that a cache of
 * tens of MB is never held whole (at 10,000 plans, 46 MB over the heap at
 * the end of the history stage).  fd < 0: nothing is kept (the first pass,
 * which numbers the strings, tasks and versions). */
#define OUT_CHUNK ((size_t)1 << 20)

struct out {
	int fd;
	off_t off;
	unsigned char *b;           /* OUT_CHUNK bytes (fd >= 0) ... */
	size_t len;                 /* ... of which these are filled */
	uint64_t h;                 /* the checksum's state after the whole words ... */
	unsigned char tail[8];      /* ... and the bytes after them */
	size_t ntail;
	bool ok;                    /* every write done */
};

static void sum_more(uint64_t *h, unsigned char tail[8], size_t *ntail, const void *data, size_t n);

/* Writes n bytes at fd's offset *off (advanced); false when it cannot. */
static bool write_at(int fd, const void *p, size_t n, off_t *off)
{
	const char *c = p;
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(fd, c + done, n - done, *off + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	*off += (off_t)done;
	return done == n;
}

/* Sums and writes n bytes (after what the buffer holds). */
static void out_write(struct out *o, const void *p, size_t n)
{
	sum_more(&o->h, o->tail, &o->ntail, p, n);
	if (o->ok && !write_at(o->fd, p, n, &o->off))
		o->ok = false;
}

static void out_flush(struct out *o)
{
	if (o->fd >= 0 && o->len)
		out_write(o, o->b, o->len);
	o->len = 0;
}

/* The put_ functions are called for every field of every record, in
 * both passes (the first writes nothing): inline, into a buffer that
 * never grows. */
static inline void put_bytes(struct out *o, const void *p, size_t n)
{
	if (o->fd < 0)
		return;
	if (o->len + n > OUT_CHUNK) {
		out_flush(o);
		if (n > OUT_CHUNK) {
			out_write(o, p, n);   /* a string of over a MB: as it is */
			return;
		}
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static inline void put_u32(struct out *o, uint32_t x)
{
	unsigned char c[4] = { x & 0xff, x >> 8 & 0xff, x >> 16 & 0xff, x >> 24 & 0xff };
	put_bytes(o, c, 4);
}

static inline void put_u64(struct out *o, uint64_t x)
{
	put_u32(o, (uint32_t)x);
	put_u32(o, (uint32_t)(x >> 32));
}

static inline void put_u8(struct out *o, unsigned x)
{
	unsigned char c = (unsigned char)(x & 0xff);
	put_bytes(o, &c, 1);
}

static void put_str(struct out *o, const char *s)
{
	size_t n = strlen(s);
	put_u32(o, (uint32_t)n);
	put_bytes(o, s, n);
}

static void put_oid(struct out *o, const git_oid *id)
{
	put_bytes(o, id->id, GIT_OID_RAWSZ);
}

/* What is written: the tables, gathered from the commits. */
struct wr {
	pmap_t strs, vers;
	const char **sv;            /* strings by number - 1 */
	const htask_t **tv;
	const hver_t **vv;
	git_oid *voids;             /* each version's blob */
	size_t ns, nt, nv, caps, capt, capv;
	bool frozen;                /* numbered: the second pass adds nothing */
	bool bad;                   /* it would have */
};

static inline uint32_t str_num(struct wr *w, const char *s)
{
	if (!s)
		return 0;
	bool added;
	uint32_t n = pmap_num(&w->strs, s, 1, &added);
	if (added) {
		w->bad |= w->frozen;
		if (w->ns == w->caps) {
			w->caps = w->caps ? 2 * w->caps : 1024;
			w->sv = xrealloc(w->sv, w->caps * sizeof(*w->sv));
		}
		w->sv[w->ns++] = s;
	}
	return n;
}

_Static_assert(sizeof(void *) != 8 || sizeof(htask_t) <= 96,
	       "htask_t grew past 96 bytes (wnum, progress and due_written share the last word)");

/* A task's number is kept in the task (wnum): it is this write's when the
 * table holds the task there; any other value is an earlier write's. */
static uint32_t task_num(struct wr *w, const htask_t *t)
{
	if (t->wnum < w->nt && w->tv[t->wnum] == t)
		return t->wnum;
	w->bad |= w->frozen;
	if (w->nt == w->capt) {
		w->capt = w->capt ? 2 * w->capt : 1024;
		w->tv = xrealloc(w->tv, w->capt * sizeof(*w->tv));
	}
	((htask_t *)t)->wnum = (uint32_t)w->nt;
	w->tv[w->nt++] = t;
	return (uint32_t)w->nt - 1;
}

static void add_version(struct wr *w, const hver_t *v, const git_oid *oid)
{
	if (!v || v->unreadable)
		return;
	bool added;
	pmap_num(&w->vers, v, 0, &added);
	if (!added)
		return;
	w->bad |= w->frozen;
	if (w->nv == w->capv) {
		w->capv = w->capv ? 2 * w->capv : 1024;
		w->vv = xrealloc(w->vv, w->capv * sizeof(*w->vv));
		w->voids = xrealloc(w->voids, w->capv * sizeof(*w->voids));
	}
	w->vv[w->nv] = v;
	w->voids[w->nv++] = *oid;
}

/* The tracked texts' YAML keys, tasks' then plans' ("output|type,place"):
 * a cache written for another field table is another version's. */
static char *fields_sig(void)
{
	buf_t b = BUF_INIT;
	const field_owner_t owners[] = { FIELD_TASK, FIELD_PLAN };
	for (size_t k = 0; k < 2; k++) {
		size_t n;
		const field_t *const *hf = model_fields_hist(owners[k], &n);
		if (k)
			buf_putc(&b, '|');
		bool first = true;
		for (size_t i = 0; i < n; i++)
			if (model_fields_hist_slot(owners[k], hf[i]) >= 0) {
				buf_printf(&b, "%s%s", first ? "" : ",", hf[i]->key);
				first = false;
			}
	}
	return buf_detach(&b);
}

/* The tracked texts of a record (model_fields.h), as many as the field
 * table has for its owner: the header's field list says which they are. */
static void write_texts(struct wr *w, struct out *b, field_owner_t o, const char *const *text)
{
	for (size_t i = 0, n = model_fields_hist_texts(o); i < n; i++)
		put_u32(b, str_num(w, text ? text[i] : NULL));
}

static void write_task(struct wr *w, struct out *b, const htask_t *t)
{
	const char *s[] = { t->id, t->title, t->lead, t->support, t->lead_first,
			    t->lead_key, t->support_key, htask_due_text(t), t->due_shown };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		put_u32(b, str_num(w, s[i]));
	write_texts(w, b, FIELD_TASK, t->text);
	put_u32(b, (uint32_t)t->due.date);
	put_u8(b, t->due.ongoing);
	put_u8(b, t->due.parsed);
	put_u8(b, (unsigned)t->status);
	put_u32(b, (uint32_t)t->progress);
	put_u32(b, (uint32_t)t->completed);
}

static void write_version(struct wr *w, struct out *b, const hver_t *v, const git_oid *oid)
{
	put_oid(b, oid);
	const struct hlayout *lo = v->broken ? NULL : v->layout;
	put_u8(b, (unsigned)v->broken | (unsigned)v->draft << 1 | (unsigned)(lo != NULL) << 2);
	const char *s[] = { v->key, v->number, v->id, v->title, v->issuer, v->issuer_key,
			    v->date, v->signer, v->status, v->implements, v->implements_key,
			    v->error, v->path };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		put_u32(b, str_num(w, s[i]));
	write_texts(w, b, FIELD_PLAN, v->text);
	put_u32(b, (uint32_t)v->ntasks);
	for (size_t i = 0; i < v->ntasks; i++)
		put_u32(b, task_num(w, v->tasks[i]));
	put_u32(b, (uint32_t)v->done);
	put_u32(b, (uint32_t)v->base);
	if (!lo)
		return;
	put_u32(b, (uint32_t)lo->n);
	put_u32(b, (uint32_t)lo->indent);
	put_u32(b, (uint32_t)lo->head_lines);
	put_u64(b, lo->head.hash);
	put_u64(b, lo->head.len);
	put_u64(b, lo->tail.hash);
	put_u64(b, lo->tail.len);
	for (int i = 0; i < lo->n; i++) {
		put_u64(b, lo->items[i].hash);
		put_u64(b, lo->items[i].len);
	}
	put_u32(b, str_num(w, lo->head_fm));
}

/* The commits of log that are known and that the file lacks (append: the
 * file holds the others), their records to o, and the versions their
 * changes name added to w; cv (when not NULL) gets the known records,
 * *ncommits their number. */
static void write_commits(hcache_t *hc, const hlog_t *log, bool append, struct wr *w, struct out *o,
			  const hcommit_t **cv, uint32_t *ncommits)
{
	*ncommits = 0;
	for (size_t k = 0; k < log->n; k++) {
		const hcommit_t *cm = &log->commits[k];
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, &cm->id);
		const hcommit_t *kc = strmap_get(&hc->known, hex);
		if (append && kc && pset_has(&hc->saved, kc))
			continue;   /* in the file, with its versions */
		for (size_t i = 0; i < cm->nd; i++) {
			const hdelta_t *d = &cm->d[i];
			const hver_t *v;
			if (d->had && (v = hver_known(&hc->vc, &d->old_id, d->path)) &&
			    !(append && pset_has(&hc->saved_vers, v)))
				add_version(w, v, &d->old_id);
			if (d->has && (v = hver_known(&hc->vc, &d->new_id, d->path)) &&
			    !(append && pset_has(&hc->saved_vers, v)))
				add_version(w, v, &d->new_id);
		}
		if (!kc)
			continue;   /* a shallow clone's oldest */
		if (cv)
			cv[*ncommits] = kc;
		++*ncommits;
		put_oid(o, &cm->id);
		put_u8(o, cm->has_parent);
		put_oid(o, &cm->parent);
		put_u64(o, (uint64_t)cm->time);
		put_u32(o, (uint32_t)cm->tz);
		put_u32(o, str_num(w, cm->author));
		put_u32(o, str_num(w, cm->subject));
		put_u32(o, (uint32_t)cm->nd);
		for (size_t i = 0; i < cm->nd; i++) {
			const hdelta_t *d = &cm->d[i];
			put_u32(o, str_num(w, d->path));
			put_oid(o, &d->old_id);
			put_oid(o, &d->new_id);
			put_u8(o, (unsigned)d->had | (unsigned)d->has << 1);
		}
	}
}

/* The first pass: numbers the strings, tasks and versions of what is
 * written (commits first, then the versions they name, then those
 * versions' tasks: the strings' order in the file), writing nothing; cv
 * gets the commits written.  append: only what the file lacks. */
static void number(hcache_t *hc, const hlog_t *log, bool append, struct wr *w, const hcommit_t ***cv,
		   size_t *ncv)
{
	struct out none = { .fd = -1 };
	*cv = xmalloc((log->n + 1) * sizeof(**cv));
	uint32_t n;
	write_commits(hc, log, append, w, &none, *cv, &n);
	for (size_t i = 0; i < w->nv; i++)
		write_version(w, &none, w->vv[i], &w->voids[i]);
	for (size_t i = 0; i < w->nt; i++)
		write_task(w, &none, w->tv[i]);
	w->frozen = true;
	*ncv = n;
}

/* The file's parts, in order: the header (magic, format, version, field
 * list, content prefix), then one part per write: its strings, tasks,
 * versions and commits, the file's first write and each write appended
 * after it (a build after a push appends its new commits); the checksum of
 * all before it ends the file.  The second pass writes them to o (append:
 * no header), a MB at a time, then the checksum; false when a write
 * failed. */
static bool emit(hcache_t *hc, const hlog_t *log, bool append, struct wr *w, uint32_t ncommits, struct out *o)
{
	o->b = xmalloc(OUT_CHUNK);
	o->len = 0;
	if (!append) {
		put_bytes(o, magic, sizeof magic);
		put_u32(o, HCACHE_FORMAT);
		put_str(o, PLANSITE_VERSION);
		char *fields = fields_sig();
		put_str(o, fields);
		free(fields);
		put_str(o, hc->prefix);
	}
	put_u32(o, (uint32_t)w->ns);
	for (size_t i = 0; i < w->ns; i++)
		put_str(o, w->sv[i]);
	/* each count ends the part before its table */
	put_u32(o, (uint32_t)w->nt);
	for (size_t i = 0; i < w->nt; i++)
		write_task(w, o, w->tv[i]);
	put_u32(o, (uint32_t)w->nv);
	for (size_t i = 0; i < w->nv; i++)
		write_version(w, o, w->vv[i], &w->voids[i]);
	put_u32(o, ncommits);
	uint32_t n;
	write_commits(hc, log, append, w, o, NULL, &n);
	w->bad |= n != ncommits;
	out_flush(o);
	unsigned char sum[8];
	uint64_t h = hash_more(o->h, o->tail, o->ntail);
	for (int i = 0; i < 8; i++)
		sum[i] = (unsigned char)(h >> 8 * i);
	if (o->ok && !write_at(o->fd, sum, 8, &o->off))
		o->ok = false;
	free(o->b);
	o->b = NULL;
	return o->ok && !w->bad;
}

static void wr_free(struct wr *w)
{
	pmap_free(&w->strs);
	pmap_free(&w->vers);
	free(w->sv);
	free(w->tv);
	free(w->vv);
	free(w->voids);
}

/* Goes on with the checksum's state (h after the whole words, the bytes
 * after them in tail) over n more bytes. */
static void sum_more(uint64_t *h, unsigned char tail[8], size_t *ntail, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!n)
		return;
	/* hash_words goes by 8-byte words: a piece's last bytes wait for the
	 * next piece's */
	while (*ntail && *ntail < 8 && n) {
		tail[(*ntail)++] = *p++;
		n--;
	}
	if (*ntail == 8) {
		*h = hash_words(*h, tail, 8);
		*ntail = 0;
	}
	if (*ntail)
		return;   /* the piece ended before a word did */
	size_t whole = n & ~(size_t)7;
	*h = hash_words(*h, p, whole);
	memcpy(tail, p + whole, n - whole);
	*ntail = n - whole;
}

/* The checksum's state after o's bytes, in nat. */
static void sum_to(struct fileat *nat, const struct out *o)
{
	nat->h = o->h;
	memcpy(nat->tail, o->tail, sizeof nat->tail);
	nat->ntail = o->ntail;
}

/* Appends to the file when it is the one this cache read or wrote last
 * (nobody replaced or changed it since: builds at once take turns by
 * flock, and a reader takes its turn too): the new parts where the
 * checksum was, then the new checksum.  false when it is not that file or
 * cannot be written (the caller then writes the file whole). */
static bool append_parts(hcache_t *hc, const hlog_t *log, struct wr *w, uint32_t ncommits, struct fileat *nat)
{
	int fd = open(hc->file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = false;
	struct stat st;
	if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0 || st.st_dev != hc->at.dev || st.st_ino != hc->at.ino ||
	    st.st_size != hc->at.size || st.st_size < 8)
		goto out;
	*nat = hc->at;
	struct out o = { .fd = fd, .off = st.st_size - 8, .h = nat->h, .ntail = nat->ntail, .ok = true };
	memcpy(o.tail, nat->tail, sizeof o.tail);
	ok = emit(hc, log, true, w, ncommits, &o);
	if (!ok) {
		/* what was written over the checksum is damage: the next
		 * reader ignores the file and writes it whole */
		goto out;
	}
	sum_to(nat, &o);
	nat->size = o.off;
	nat->nparts++;
out:
	close(fd);   /* and the lock with it */
	return ok;
}

/* Past this many parts, or past this many commit records for each commit
 * of the log (other branches', rewound ones), the file is written whole
 * again, holding the log's commits only. */
#define HCACHE_PARTS 64
#define HCACHE_SPARE 2

/* Writes the file whole (temporary file and rename: a reader never sees
 * half of it); nat says what it is then. */
static bool write_whole(hcache_t *hc, const hlog_t *log, struct wr *w, uint32_t ncommits, struct fileat *nat)
{
	memset(nat, 0, sizeof(*nat));
	char *dir = xstrdup(hc->file);
	*strrchr(dir, '/') = '\0';
	buf_t tmp = BUF_INIT;
	buf_printf(&tmp, "%s.tmp-XXXXXX", hc->file);
	bool ok = false;
	mode_t um = umask(0);
	umask(um);
	/* the folder as Git makes its own: readable by whoever reads the
	 * repository (a shared repository's group too) */
	if (mkdir(dir, 0777 & ~um) < 0 && errno != EEXIST)
		goto out;
	int fd = mkstemp(tmp.ptr);
	if (fd < 0)
		goto out;
	fchmod(fd, 0666 & ~um);
	struct out o = { .fd = fd, .h = HASH_INIT, .ok = true };
	ok = emit(hc, log, false, w, ncommits, &o);
	struct stat st;
	if (ok && fstat(fd, &st) == 0) {
		sum_to(nat, &o);
		nat->dev = st.st_dev;
		nat->ino = st.st_ino;
		nat->size = o.off;
		nat->nparts = 1;
	}
	if (close(fd) < 0)
		ok = false;
	if (ok && rename(tmp.ptr, hc->file) < 0)
		ok = false;
	if (!ok)
		unlink(tmp.ptr);
out:
	buf_free(&tmp);
	free(dir);
	return ok;
}

bool hcache_save(hcache_t *hc, const hlog_t *log)
{
	if (!hc->file || !log->n)
		return false;
	size_t nknown = hc->known.n, nparsed = hc->vc.nversions;
	if (!hc->stale && nknown == hc->nknown_saved && nparsed == hc->nversions_saved)
		return false;
	/* tried once for what is known now, written or not: a folder that
	 * cannot be written is not tried again at every build of serve */
	hc->stale = false;
	hc->nknown_saved = nknown;
	hc->nversions_saved = nparsed;
	/* what the file lacks appended to it, when this cache knows what it
	 * holds and it holds not too much else; otherwise (or when it cannot
	 * be appended to) written whole */
	bool append = hc->at.ok && hc->at.nparts < HCACHE_PARTS && hc->at.ncommits <= HCACHE_SPARE * log->n;
	bool ok = false;
	for (;; append = false) {
		struct wr w = { 0 };
		const hcommit_t **cv = NULL;
		size_t ncv = 0;
		/* two passes: the strings come first in the file but are
		 * numbered as the rest is written */
		number(hc, log, append, &w, &cv, &ncv);
		struct fileat nat;
		bool none = append && !ncv && !w.nv;   /* nothing the file lacks */
		ok = !none && (append ? append_parts(hc, log, &w, (uint32_t)ncv, &nat)
				      : write_whole(hc, log, &w, (uint32_t)ncv, &nat));
		if (ok) {
			if (!append) {
				pset_free(&hc->saved);
				pset_free(&hc->saved_vers);
				nat.ncommits = 0;
			}
			for (size_t i = 0; i < ncv; i++)
				pset_add(&hc->saved, cv[i]);
			for (size_t i = 0; i < w.nv; i++)
				pset_add(&hc->saved_vers, w.vv[i]);
			nat.ncommits += ncv;
			nat.ok = true;
			hc->at = nat;
		}
		wr_free(&w);
		free(cv);
		if (ok || none || !append)
			break;
	}
	return ok;
}

/* ---- reading ---- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
	hcache_t *hc;
	const char **strs;          /* by number; [0] NULL */
	uint32_t nstrs;
	htask_t **tasks;
	uint32_t ntasks;
	buf_t tmp;
	size_t ncommits;            /* commit records read */
};

static bool need(struct rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static uint32_t get_u32(struct rd *r)
{
	if (!need(r, 4))
		return 0;
	uint32_t x = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
		     (uint32_t)r->p[3] << 24;
	r->p += 4;
	return x;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static unsigned get_u8(struct rd *r)
{
	if (!need(r, 1))
		return 0;
	return *r->p++;
}

/* A count of records of at least `min` bytes each: no more than the bytes
 * left could hold. */
static uint32_t get_count(struct rd *r, size_t min)
{
	uint32_t n = get_u32(r);
	if (!r->bad && (size_t)n > (size_t)(r->end - r->p) / min)
		r->bad = true;
	return r->bad ? 0 : n;
}

/* A string of the header, into r->tmp. */
static const char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	buf_clear(&r->tmp);
	if (!need(r, n) || memchr(r->p, '\0', n)) {
		r->bad = true;
		return "";
	}
	buf_put(&r->tmp, (const char *)r->p, n);
	buf_putc(&r->tmp, 0);
	r->tmp.len--;
	r->p += n;
	return r->tmp.ptr;
}

static const char *str_ref(struct rd *r)
{
	uint32_t i = get_u32(r);
	if (i >= r->nstrs) {
		r->bad = true;
		return NULL;
	}
	return r->strs[i];
}

static void get_oid(struct rd *r, git_oid *id)
{
	if (!need(r, GIT_OID_RAWSZ)) {
		memset(id, 0, sizeof(*id));
		return;
	}
	git_oid_fromraw(id, r->p);
	r->p += GIT_OID_RAWSZ;
}

static bool date_ok(date_t d)
{
	return !d || date_valid(d / 10000, d / 100 % 100, d % 100);
}

static const char **read_texts(struct rd *r, field_owner_t o)
{
	size_t n = model_fields_hist_texts(o);
	const char **v = arena_alloc(r->hc->a, (n ? n : 1) * sizeof(*v));   /* no end mark (texts_of) */
	for (size_t i = 0; i < n; i++)
		v[i] = str_ref(r);
	return v;
}

static void read_tasks(struct rd *r)
{
	r->ntasks = get_count(r, (9 + model_fields_hist_texts(FIELD_TASK)) * 4 + 4 + 3 + 8);
	r->tasks = xcalloc(r->ntasks + 1, sizeof(*r->tasks));
	htask_t *v = arena_alloc(r->hc->a, (r->ntasks + 1) * sizeof(*v));
	for (uint32_t i = 0; i < r->ntasks && !r->bad; i++) {
		htask_t *t = &v[i];
		r->tasks[i] = t;
		t->id = str_ref(r);
		t->title = str_ref(r);
		t->lead = str_ref(r);
		t->support = str_ref(r);
		t->lead_first = str_ref(r);
		t->lead_key = str_ref(r);
		t->support_key = str_ref(r);
		/* the deadline as written, then as shown: the same string
		 * (by number) when written */
		const char *due_text = str_ref(r);
		t->due_shown = str_ref(r);
		t->due_written = due_text != NULL;
		if (due_text && (!t->due_shown || strcmp(due_text, t->due_shown)))
			r->bad = true;
		t->text = read_texts(r, FIELD_TASK);
		t->due.date = (date_t)get_u32(r);
		t->due.ongoing = get_u8(r);
		t->due.parsed = get_u8(r);
		unsigned st = get_u8(r);
		t->status = (status_t)st;
		int progress = (int)get_u32(r);
		t->progress = (int16_t)progress;
		t->completed = (date_t)get_u32(r);
		if (!t->id || st >= STATUS_COUNT || !date_ok(t->due.date) || !date_ok(t->completed) ||
		    progress < -1 || progress > 100)
			r->bad = true;
	}
}

static void read_versions(struct rd *r)
{
	uint32_t n = get_count(r, GIT_OID_RAWSZ + 1 + (13 + model_fields_hist_texts(FIELD_PLAN)) * 4 + 12);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		git_oid oid;
		get_oid(r, &oid);
		unsigned fl = get_u8(r);
		hver_t *v = arena_alloc(r->hc->a, sizeof(*v));
		v->broken = fl & 1;
		v->draft = fl >> 1 & 1;
		v->key = str_ref(r);
		v->number = str_ref(r);
		v->id = str_ref(r);
		v->title = str_ref(r);
		v->issuer = str_ref(r);
		v->issuer_key = str_ref(r);
		v->date = str_ref(r);
		v->signer = str_ref(r);
		v->status = str_ref(r);
		v->implements = str_ref(r);
		v->implements_key = str_ref(r);
		v->error = str_ref(r);
		v->path = str_ref(r);
		v->text = read_texts(r, FIELD_PLAN);
		uint32_t nt = get_count(r, 4);
		const htask_t **tv = arena_alloc(r->hc->a, (nt + 1) * sizeof(*tv));
		for (uint32_t j = 0; j < nt && !r->bad; j++) {
			uint32_t k = get_u32(r);
			if (k >= r->ntasks)
				r->bad = true;
			else
				tv[j] = r->tasks[k];
		}
		v->tasks = tv;
		v->ntasks = nt;
		v->done = (int)get_u32(r);
		v->base = (int)get_u32(r);
		if (v->broken ? !v->error || !v->path || nt : !v->key)
			r->bad = true;
		if (fl & 4) {
			struct hlayout *lo = arena_alloc(r->hc->a, sizeof(*lo));
			lo->n = (int)get_u32(r);
			lo->indent = (int)get_u32(r);
			lo->head_lines = (int)get_u32(r);
			lo->head.hash = get_u64(r);
			lo->head.len = (size_t)get_u64(r);
			lo->tail.hash = get_u64(r);
			lo->tail.len = (size_t)get_u64(r);
			if (lo->n < 0 || (uint32_t)lo->n != nt || lo->indent < 0 || lo->head_lines < 0 ||
			    !need(r, (size_t)lo->n * 16))
				r->bad = true;
			if (r->bad)
				break;
			lo->items = arena_alloc(r->hc->a, ((size_t)lo->n + 1) * sizeof(span_t));
			for (int j = 0; j < lo->n; j++) {
				lo->items[j].hash = get_u64(r);
				lo->items[j].len = (size_t)get_u64(r);
			}
			lo->head_fm = str_ref(r);
			if (!lo->head_fm || v->broken)
				r->bad = true;
			v->layout = lo;
		}
		if (r->bad)
			break;
		/* a version written again by a later part (a file appended
		 * to by builds at once) is the same version */
		hver_t *have = hver_known(&r->hc->vc, &oid, v->path);
		if (!have)
			hver_put(&r->hc->vc, &oid, v);
		pset_add(&r->hc->saved_vers, have ? have : v);
	}
}

static void read_commits(struct rd *r)
{
	uint32_t n = get_count(r, 2 * GIT_OID_RAWSZ + 1 + 8 + 4 * 4);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		hcommit_t *c = arena_alloc(r->hc->a, sizeof(*c));
		get_oid(r, &c->id);
		unsigned hp = get_u8(r);
		c->has_parent = hp == 1;
		get_oid(r, &c->parent);
		if (hp > 1)
			r->bad = true;
		c->time = (int64_t)get_u64(r);
		c->tz = (int)get_u32(r);
		c->author = str_ref(r);
		c->subject = str_ref(r);
		uint32_t nd = get_count(r, 4 + 2 * GIT_OID_RAWSZ + 1);
		c->nd = nd;
		c->d = arena_alloc(r->hc->a, (nd + 1) * sizeof(hdelta_t));
		for (uint32_t j = 0; j < nd && !r->bad; j++) {
			hdelta_t *d = &c->d[j];
			d->path = str_ref(r);
			get_oid(r, &d->old_id);
			get_oid(r, &d->new_id);
			unsigned fl = get_u8(r);
			d->had = fl & 1;
			d->has = fl >> 1 & 1;
			if (!d->path || !(fl & 3) || fl > 3 || strncmp(d->path, r->hc->prefix, strlen(r->hc->prefix)))
				r->bad = true;
		}
		if (!c->author || !c->subject || c->tz < -24 * 60 || c->tz > 24 * 60)
			r->bad = true;
		if (r->bad)
			break;
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, &c->id);
		if (!strmap_get(&r->hc->known, hex))
			strmap_put(&r->hc->known, arena_strdup(r->hc->a, hex), c);
		else
			strmap_put(&r->hc->known, hex, c);   /* the key kept: its copy lives */
		pset_add(&r->hc->saved, c);
		r->ncommits++;
	}
}

/* The whole file at path, read while no build appends to it (flock:
 * hcache_save's append), into *data (malloc'd, NUL-terminated) and *len;
 * *st is the file read.  -1 when it cannot be read. */
static int read_locked(const char *path, char **data, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = -1;
	buf_t b = BUF_INIT;
	/* a file system without locks is read as it is: a torn read
	 * fails the checksum */
	flock(fd, LOCK_SH);
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || (size_t)st->st_size > HCACHE_MAX)
		goto out;
	buf_grow(&b, (size_t)st->st_size + 1);
	for (;;) {
		buf_grow(&b, 65536);
		ssize_t n = read(fd, b.ptr + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > HCACHE_MAX)
			goto out;
	}
	b.ptr[b.len] = '\0';
	*len = b.len;
	*data = buf_detach(&b);
	rc = 0;
out:
	buf_free(&b);
	close(fd);
	return rc;
}

/* Reads the file; sets state (and why).  What it held is taken only when
 * all of it reads. */
static void load(hcache_t *hc)
{
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	if (stat(hc->file, &st) < 0 || !S_ISREG(st.st_mode))
		return;   /* none yet (or not a file: it is not written either) */
	if ((size_t)st.st_size > HCACHE_MAX || read_locked(hc->file, &data, &len, &st) < 0) {
		/* unreadable (another user's file in a shared repository): no
		 * cache, and none written over it */
		if ((size_t)st.st_size <= HCACHE_MAX) {
			free(hc->file);
			hc->file = NULL;
			return;
		}
		hc->state = HCACHE_DAMAGED;
		hc->why = xstrdup(N_("tệp quá lớn"));
		return;
	}
	struct rd r = { (const unsigned char *)data, (const unsigned char *)data + len, false, hc,
			NULL, 0, NULL, 0, BUF_INIT, 0 };
	const char *why = NULL;
	if (len < sizeof magic || memcmp(data, magic, sizeof magic)) {
		why = N_("không phải tệp bộ nhớ đệm của plansite");
		goto out;
	}
	r.p += sizeof magic;
	uint32_t format = get_u32(&r);
	char *version = xstrdup(get_str(&r));
	char *fields = xstrdup(get_str(&r));
	const char *prefix = get_str(&r);
	if (r.bad) {
		free(version);
		free(fields);
		why = N_("tệp bị cắt cụt");
		goto out;
	}
	char *ours = fields_sig();
	if (format != HCACHE_FORMAT || strcmp(version, PLANSITE_VERSION) || strcmp(fields, ours)) {
		hc->state = HCACHE_OTHER;
		buf_t b = BUF_INIT;
		buf_printf(&b, "plansite %s, %u", version, format);
		if (strcmp(fields, ours))
			buf_printf(&b, ", %s", fields);
		hc->why = buf_detach(&b);
		free(version);
		free(fields);
		free(ours);
		goto out;
	}
	free(version);
	free(fields);
	free(ours);
	if (strcmp(prefix, hc->prefix))
		goto out;   /* another content folder's (a file name shared by chance) */
	if (len < 8 || (size_t)(r.p - (const unsigned char *)data) > len - 8) {
		why = N_("tệp bị cắt cụt");
		goto out;
	}
	uint64_t want = 0;
	for (int i = 7; i >= 0; i--)
		want = want << 8 | (unsigned char)data[len - 8 + (size_t)i];
	if (checksum((const unsigned char *)data, len - 8) != want) {
		why = N_("tổng kiểm tra không khớp (tệp bị cắt cụt hoặc bị sửa)");
		goto out;
	}
	r.end -= 8;
	size_t nparts = 0;
	/* the parts, one per write, each with its own tables */
	do {
		free(r.strs);
		free(r.tasks);
		r.tasks = NULL;
		r.nstrs = get_count(&r, 4) + 1;
		r.strs = xcalloc(r.nstrs + 1, sizeof(*r.strs));
		for (uint32_t i = 1; i < r.nstrs && !r.bad; i++)
			r.strs[i] = hver_intern(&hc->vc, get_str(&r));
		read_tasks(&r);
		read_versions(&r);
		read_commits(&r);
		nparts++;
	} while (!r.bad && r.p < r.end);
	if (!r.bad && r.p != r.end)
		r.bad = true;
	if (r.bad) {
		why = N_("nội dung tệp không hợp lệ");
		goto out;
	}
	hc->state = HCACHE_READ;
	/* what an append goes on from */
	size_t whole = (len - 8) & ~(size_t)7;
	hc->at.ok = true;
	hc->at.dev = st.st_dev;
	hc->at.ino = st.st_ino;
	hc->at.size = (off_t)len;
	hc->at.h = hash_words(HASH_INIT, data, whole);
	hc->at.ntail = len - 8 - whole;
	memcpy(hc->at.tail, data + whole, hc->at.ntail);
	hc->at.nparts = nparts;
	hc->at.ncommits = r.ncommits;
out:
	if (why) {
		hc->state = HCACHE_DAMAGED;
		hc->why = xstrdup(why);
	}
	if (hc->state != HCACHE_READ) {
		/* nothing of it is used: what a part of it put in the tables
		 * is dropped */
		strmap_free(&hc->known);
		strmap_free(&hc->vc.blobs);
		unknown_file(hc);
	}
	free(r.strs);
	free(r.tasks);
	buf_free(&r.tmp);
	free(data);
}

/* The file of content prefix `prefix` in gitdir's plansite/ folder, or in
 * PLANSITE_HISTORY_CACHE's folder (which may serve several
 * repositories); NULL when disabled. */
static char *file_of(const char *commondir, const char *prefix)
{
	const char *env = getenv("PLANSITE_HISTORY_CACHE");
	if (env && (!strcmp(env, "off") || !strcmp(env, "0")))
		return NULL;
	buf_t key = BUF_INIT, f = BUF_INIT;
	if (env && *env) {
		char *real = realpath(commondir, NULL);
		buf_puts(&key, real ? real : commondir);
		free(real);
		buf_putc(&key, '\n');
	}
	buf_puts(&key, prefix);
	uint64_t h = hash_bytes(key.ptr, key.len);
	size_t cl = strlen(commondir);
	if (env && *env)
		buf_printf(&f, "%s/history-%016llx.cache", env, (unsigned long long)h);
	else
		buf_printf(&f, "%s%splansite/history-%016llx.cache", commondir,
			   cl && commondir[cl - 1] == '/' ? "" : "/", (unsigned long long)h);
	buf_free(&key);
	return buf_detach(&f);
}

bool hcache_exists(git_repository *git, const char *prefix)
{
	const char *common = git_repository_commondir(git);
	if (!common)
		common = git_repository_path(git);
	char *file = file_of(common, prefix);
	bool there = file && access(file, F_OK) == 0;
	free(file);
	return there;
}

void hcache_bind(hcache_t *hc, git_repository *git, const char *prefix, size_t rel_off)
{
	const char *common = git_repository_commondir(git);
	if (!common)
		common = git_repository_path(git);
	hc->vc.git = git;
	if (hc->commondir && (strcmp(hc->commondir, common) || strcmp(hc->prefix, prefix)))
		forget(hc);
	hc->vc.git = git;
	hc->vc.rel_off = rel_off;
	if (hc->read)
		return;
	hc->read = true;
	hc->commondir = xstrdup(common);
	hc->prefix = xstrdup(prefix);
	hc->file = file_of(common, prefix);
	hc->stale = true;
	if (hc->file)
		load(hc);
	if (hc->state == HCACHE_READ)
		hc->stale = false;
	hc->nknown_saved = hc->known.n;
	hc->nversions_saved = hc->vc.nversions;
}
