/* pcache.c: plan files' front matter as fm_parse made it, kept in a file
 * between builds under the file's blob id (pcache.h).
 *
 * The file: a head line "plansite-parse-cache FORMAT PROGRAM\n", then
 * entries, each a header (magic, payload length, blob id, the file's
 * length, a 128-bit digest of the payload) and its payload.  Entries are
 * only ever appended (under flock, each append whole) or the file written
 * whole (a temporary file renamed over it), so a reader takes the entries
 * up to the first one cut short or not an entry, and checks an entry's
 * digest before it restores it.
 *
 * A payload: flags, the body's line, the body (where it starts in the
 * file's bytes when it is their tail, else its text), then the tree in
 * pre-order: a node is a tag (kind, plain), its line and column, then a
 * scalar's text or a collection's children; a node an alias shares is a
 * reference to its number. */
#include "pcache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "version.h"

#define HEAD "plansite-parse-cache "
#define MAGIC 0x31454350u   /* "PCE1" */
#define OIDLEN 20
/* magic, payload length, blob id, file length, payload digest */
#define EHEAD (4 + 4 + OIDLEN + 8 + 16)
/* what a thread's writes gather before they go to the file */
#define FLUSH_AT ((size_t)256 << 10)
/* the largest payload taken: ten times the largest plan file is plenty */
#define PAYLOAD_MAX ((size_t)64 << 20)

enum { F_META = 1, F_BODY_TEXT = 2 };
enum { T_REF = 0, T_SCALAR = 1, T_SEQ = 2, T_MAP = 3, T_PLAIN = 0x10 };

struct slot {
	const unsigned char *oid;   /* in the map; NULL: empty */
	size_t off;                 /* the entry's header */
};

struct pcache {
	git_repository *git;        /* a file not read (pcache_known) is read from it if need be */
	char *file;
	const unsigned char *map;   /* the file read, or NULL */
	size_t maplen;
	size_t head_len;            /* the head line's, in map */
	struct slot *slots;
	size_t cap, nentries;
	bool whole;                 /* write the file whole (else append) */
	/* what this build writes: entries gathered, then the file */
	pthread_mutex_t mu;
	buf_t pend;
	int fd;                     /* the temporary file (whole) or the file (append); -1 */
	char *tmp;                  /* the temporary file's name */
	bool failed;                /* a write failed: nothing is renamed */
	size_t restored, parsed, written;
	size_t saved;               /* entries written, once the file is */
	char program[64];
};

/* ---- the program a file is for ---- */

static void program_id(char out[64])
{
	buf_t b = BUF_INIT;
	version_put(&b);
	buf_printf(&b, "format %d ynode %zu\n", PCACHE_FORMAT, sizeof(ynode_t));
	const char *exe = version_exe_id();
	if (*exe)
		buf_printf(&b, "%s\n", exe);
	else
		buf_printf(&b, "pid %ld\n", (long)getpid());   /* never equal to another run's */
	git_oid id;
	if (git_odb_hash(&id, b.ptr ? b.ptr : "", b.len, GIT_OBJECT_BLOB) < 0)
		memset(&id, 0, sizeof id);
	git_oid_tostr(out, 64, &id);
	buf_free(&b);
}

/* ---- the index of the entries read ---- */

static size_t oid_slot(const unsigned char *oid, size_t cap)
{
	uint64_t h;
	memcpy(&h, oid, sizeof h);   /* a SHA-1: its bytes are well mixed */
	return (size_t)h & (cap - 1);
}

static void index_put(pcache_t *pc, const unsigned char *oid, size_t off)
{
	size_t h = oid_slot(oid, pc->cap);
	while (pc->slots[h].oid && memcmp(pc->slots[h].oid, oid, OIDLEN))
		h = (h + 1) & (pc->cap - 1);
	if (!pc->slots[h].oid)
		pc->nentries++;
	pc->slots[h] = (struct slot){ oid, off };   /* the last entry of an id wins */
}

static const struct slot *index_get(const pcache_t *pc, const unsigned char *oid)
{
	if (!pc->slots)
		return NULL;
	for (size_t h = oid_slot(oid, pc->cap); pc->slots[h].oid; h = (h + 1) & (pc->cap - 1))
		if (!memcmp(pc->slots[h].oid, oid, OIDLEN))
			return &pc->slots[h];
	return NULL;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Maps the file and indexes its entries; false when it is not this
 * program's file (then it is written whole). */
static bool load(pcache_t *pc)
{
	int fd = open(pc->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)strlen(HEAD))
		goto out;
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		goto out;
	pc->map = m;
	pc->maplen = (size_t)st.st_size;
	char want[128];
	int wn = snprintf(want, sizeof want, "%s%d %s\n", HEAD, PCACHE_FORMAT, pc->program);
	if ((size_t)wn > pc->maplen || memcmp(pc->map, want, (size_t)wn))
		goto out;
	pc->head_len = (size_t)wn;
	/* entries up to the first that is not one (an append cut short) */
	size_t n = 0;
	for (size_t off = pc->head_len; off + EHEAD <= pc->maplen;) {
		uint32_t len = rd32(pc->map + off + 4);
		if (rd32(pc->map + off) != MAGIC || len > PAYLOAD_MAX || len > pc->maplen - off - EHEAD)
			break;
		n++;
		off += EHEAD + len;
	}
	pc->cap = 16;
	while (pc->cap < 2 * n + 2)
		pc->cap *= 2;
	pc->slots = xcalloc(pc->cap, sizeof(*pc->slots));
	for (size_t off = pc->head_len, i = 0; i < n; i++) {
		index_put(pc, pc->map + off + 8, off);
		off += EHEAD + rd32(pc->map + off + 4);
	}
	ok = true;
out:
	close(fd);
	return ok;
}

/* The file's path: hcache.c's folder, under its own name. */
static char *file_of(const char *commondir)
{
	const char *env = getenv("PLANSITE_HISTORY_CACHE");
	if (env && (!strcmp(env, "off") || !strcmp(env, "0")))
		return NULL;
	buf_t f = BUF_INIT;
	if (env && *env) {
		char *real = realpath(commondir, NULL);
		const char *k = real ? real : commondir;
		buf_printf(&f, "%s/parse-%016llx.cache", env, (unsigned long long)hash_bytes(k, strlen(k)));
		free(real);
	} else {
		size_t cl = strlen(commondir);
		buf_printf(&f, "%s%splansite/parse.cache", commondir, cl && commondir[cl - 1] == '/' ? "" : "/");
	}
	return buf_detach(&f);
}

/* Opens where this build's entries go: the temporary file (whole) or the
 * file (append); false when it cannot be written. */
static bool open_out(pcache_t *pc)
{
	if (!pc->whole) {
		pc->fd = open(pc->file, O_WRONLY | O_APPEND | O_CLOEXEC);
		return pc->fd >= 0;
	}
	char *dir = xstrdup(pc->file);
	*strrchr(dir, '/') = '\0';
	mode_t um = umask(0);
	umask(um);
	/* the folder as the history cache makes it (hcache.c) */
	if (mkdir(dir, 0777 & ~um) < 0 && errno != EEXIST) {
		free(dir);
		return false;
	}
	free(dir);
	buf_t t = BUF_INIT;
	buf_printf(&t, "%s.tmp-XXXXXX", pc->file);
	pc->tmp = buf_detach(&t);
	pc->fd = mkstemp(pc->tmp);
	if (pc->fd < 0) {
		free(pc->tmp);
		pc->tmp = NULL;
		return false;
	}
	fchmod(pc->fd, 0666 & ~um);
	char head[128];
	int hn = snprintf(head, sizeof head, "%s%d %s\n", HEAD, PCACHE_FORMAT, pc->program);
	buf_put(&pc->pend, head, (size_t)hn);
	return true;
}

pcache_t *pcache_open(git_repository *git)
{
	const char *common = git_repository_commondir(git);
	if (!common)
		common = git_repository_path(git);
	char *file = common ? file_of(common) : NULL;
	if (!file)
		return NULL;
	pcache_t *pc = xcalloc(1, sizeof(*pc));
	pthread_mutex_init(&pc->mu, NULL);
	pc->git = git;
	pc->file = file;
	pc->fd = -1;
	program_id(pc->program);
	pc->whole = !load(pc);
	return pc;
}

void pcache_begin(pcache_t *pc, size_t nfiles)
{
	if (!pc)
		return;
	/* another program's, damaged at its head, or holding too many
	 * entries this build has no use for: written whole */
	if (pc->nentries > 2 * nfiles + 64)
		pc->whole = true;
	if (!open_out(pc))
		pc->failed = true;
}

/* ---- writing an entry ---- */

static void put_uv(buf_t *b, uint64_t v)
{
	unsigned char d[10];
	size_t n = 0;
	do {
		d[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			d[n] |= 0x80;
		n++;
	} while (v);
	buf_put(b, (const char *)d, n);
}

/* The number of n when it was written already (aliases share nodes),
 * else numbers it in the order written, from 0, and returns -1.  seen
 * holds each node written so far, by address, with its number + 1. */
static long seen_get_put(addrmap_t *seen, const ynode_t *n)
{
	void **v = addrmap_slot(seen, n);
	if (*v)
		return (long)((uintptr_t)*v - 1);
	*v = (void *)(uintptr_t)seen->n;
	return -1;
}

static void put_node(buf_t *b, addrmap_t *s, const ynode_t *n)
{
	long ref = seen_get_put(s, n);
	if (ref >= 0) {
		buf_putc(b, T_REF);
		put_uv(b, (uint64_t)ref);
		return;
	}
	int tag = n->kind == YNODE_SCALAR ? T_SCALAR : n->kind == YNODE_SEQ ? T_SEQ : T_MAP;
	buf_putc(b, (char)(tag | (n->plain ? T_PLAIN : 0)));
	put_uv(b, (uint32_t)n->loc.line);
	put_uv(b, (uint32_t)n->loc.col);
	if (n->kind == YNODE_SCALAR) {
		put_uv(b, n->len);
		buf_put(b, n->str, n->len);
		return;
	}
	size_t nk = n->kind == YNODE_MAP ? 2 * n->n : n->n;
	put_uv(b, nk);
	for (size_t i = 0; i < nk; i++)
		put_node(b, s, n->kids[i]);
}

/* v as put_uv writes it, at p (room for 10 bytes); past it. */
static inline char *uv_at(char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	*p++ = (char)v;
	return p;
}

/* A node's tag, line, column and length or count: at most this many bytes. */
#define NODE_HEAD (1 + 3 * 10)

/* put_node for a tree no alias shares a node of (fm_doc_t's shared): each
 * node is met once, so none is a reference and no node needs a number;
 * the bytes are put_node's.  Written in place: a plan's front matter is
 * tens of thousands of nodes, and a call a varint was a tenth of a parse. */
static inline void put_scalar(buf_t *b, const ynode_t *n)
{
	buf_grow(b, NODE_HEAD + n->len);
	char *p = b->ptr + b->len;
	*p++ = (char)(T_SCALAR | (n->plain ? T_PLAIN : 0));
	p = uv_at(p, (uint32_t)n->loc.line);
	p = uv_at(p, (uint32_t)n->loc.col);
	p = uv_at(p, n->len);
	memcpy(p, n->str, n->len);
	b->len = (size_t)(p - b->ptr) + n->len;
}

/* A collection's scalars (nine nodes in ten) are written in its loop, not
 * by a call each. */
static void put_tree(buf_t *b, const ynode_t *n)
{
	if (n->kind == YNODE_SCALAR) {
		put_scalar(b, n);
		return;
	}
	buf_grow(b, NODE_HEAD);
	char *p = b->ptr + b->len;
	*p++ = (char)((n->kind == YNODE_SEQ ? T_SEQ : T_MAP) | (n->plain ? T_PLAIN : 0));
	p = uv_at(p, (uint32_t)n->loc.line);
	p = uv_at(p, (uint32_t)n->loc.col);
	size_t nk = n->kind == YNODE_MAP ? 2 * n->n : n->n;
	p = uv_at(p, nk);
	b->len = (size_t)(p - b->ptr);
	for (size_t i = 0; i < nk; i++) {
		const ynode_t *k = n->kids[i];
		if (k->kind == YNODE_SCALAR)
			put_scalar(b, k);
		else
			put_tree(b, k);
	}
}

/* Appends f's entry for doc to b: its header, then the payload written
 * straight after it (the header's length and digest filled in last). */
static void put_entry(buf_t *b, const rfile_t *f, const fm_doc_t *doc)
{
	buf_grow(b, EHEAD);
	size_t at = b->len;
	b->len += EHEAD;
	/* the body as it is (normalised): a file restored is not read */
	put_uv(b, (doc->meta ? F_META : 0) | F_BODY_TEXT);
	put_uv(b, (uint32_t)doc->body_line);
	put_uv(b, doc->body_len);
	buf_put(b, doc->body, doc->body_len);
	if (doc->meta && !doc->shared) {
		put_tree(b, doc->meta);
	} else if (doc->meta) {
		addrmap_t s = ADDRMAP_INIT;
		put_node(b, &s, doc->meta);
		addrmap_free(&s);
	}
	b->ptr[b->len] = '\0';
	unsigned char *h = (unsigned char *)b->ptr + at;
	uint32_t magic = MAGIC, plen = (uint32_t)(b->len - at - EHEAD);
	uint64_t flen = f->len;
	memcpy(h, &magic, 4);
	memcpy(h + 4, &plen, 4);
	memcpy(h + 8, f->oid.id, OIDLEN);
	memcpy(h + 8 + OIDLEN, &flen, 8);
	hash_128(h + EHEAD, plen, h + 8 + OIDLEN + 8);
}

/* Writes what is pending to the file (pc->mu held). */
static void flush_locked(pcache_t *pc)
{
	if (pc->fd < 0 || !pc->pend.len)
		return;
	bool locked = !pc->whole && flock(pc->fd, LOCK_EX) == 0;
	size_t off = 0;
	while (off < pc->pend.len) {
		ssize_t w = write(pc->fd, pc->pend.ptr + off, pc->pend.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pc->failed = true;
			break;
		}
		off += (size_t)w;
	}
	if (locked)
		flock(pc->fd, LOCK_UN);
	buf_clear(&pc->pend);
}

/* Adds an entry's bytes to what this build writes. */
static void add_bytes(pcache_t *pc, const void *p, size_t n)
{
	pthread_mutex_lock(&pc->mu);
	if (!pc->failed && pc->fd >= 0) {
		buf_put(&pc->pend, p, n);
		pc->written++;
		if (pc->pend.len >= FLUSH_AT)
			flush_locked(pc);
	}
	pthread_mutex_unlock(&pc->mu);
}

/* ---- restoring an entry ---- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t get_uv(struct rd *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = true;
			return 0;
		}
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

struct nodes {
	ynode_t **v;
	size_t n, cap;
	bool refs;   /* a node was met again (fm_doc_t's shared) */
};

static ynode_t *get_node(struct rd *r, arena_t *a, const char *path, struct nodes *ns, int depth)
{
	if (r->bad || r->p >= r->end || depth > 128) {
		r->bad = true;
		return NULL;
	}
	int tag = *r->p++;
	if (tag == T_REF) {
		uint64_t k = get_uv(r);
		if (r->bad || k >= ns->n || !ns->v[k]) {
			r->bad = true;
			return NULL;
		}
		ns->refs = true;
		return ns->v[k];
	}
	int kind = tag & ~T_PLAIN;
	if (kind != T_SCALAR && kind != T_SEQ && kind != T_MAP) {
		r->bad = true;
		return NULL;
	}
	ynode_t *n = arena_alloc(a, sizeof(*n));
	n->kind = kind == T_SCALAR ? YNODE_SCALAR : kind == T_SEQ ? YNODE_SEQ : YNODE_MAP;
	n->plain = (tag & T_PLAIN) != 0;
	n->loc.path = path;
	n->loc.line = (int)(uint32_t)get_uv(r);
	n->loc.col = (int)(uint32_t)get_uv(r);
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 256;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	size_t me = ns->n++;
	ns->v[me] = NULL;   /* not complete: no reference to it yet */
	if (n->kind == YNODE_SCALAR) {
		uint64_t len = get_uv(r);
		if (r->bad || len > (uint64_t)(r->end - r->p)) {
			r->bad = true;
			return NULL;
		}
		n->str = arena_strndup(a, (const char *)r->p, (size_t)len);
		n->len = (size_t)len;
		r->p += len;
	} else {
		uint64_t nk = get_uv(r);
		if (r->bad || nk > (uint64_t)(r->end - r->p) || (n->kind == YNODE_MAP && nk % 2)) {
			r->bad = true;
			return NULL;
		}
		n->kids = arena_alloc(a, ((size_t)nk + 1) * sizeof(ynode_t *));
		for (size_t i = 0; i < nk && !r->bad; i++)
			n->kids[i] = get_node(r, a, path, ns, depth + 1);
		n->n = n->kind == YNODE_MAP ? (size_t)nk / 2 : (size_t)nk;
	}
	if (r->bad)
		return NULL;
	ns->v[me] = n;
	return n;
}

/* Restores the entry at off for f into out (in a); false when it is not
 * one for f's bytes (digest, length) or is damaged: then f is parsed. */
/* Whether the entry at off is whole (its digest). */
static bool entry_ok(const pcache_t *pc, size_t off)
{
	const unsigned char *h = pc->map + off;
	unsigned char dg[16];
	hash_128(h + EHEAD, rd32(h + 4), dg);
	return !memcmp(dg, h + 8 + OIDLEN + 8, 16);
}

static bool restore(const pcache_t *pc, size_t off, arena_t *a, const rfile_t *f, fm_doc_t *out)
{
	const unsigned char *h = pc->map + off;
	uint32_t plen = rd32(h + 4);
	if (rd64(h + 8 + OIDLEN) != (uint64_t)f->len || (f->data && !entry_ok(pc, off)))
		return false;
	const unsigned char *p = h + EHEAD;
	struct rd r = { p, p + plen, false };
	uint64_t flags = get_uv(&r);
	int body_line = (int)(uint32_t)get_uv(&r);
	memset(out, 0, sizeof(*out));
	uint64_t bl = get_uv(&r);
	if (!(flags & F_BODY_TEXT) || r.bad || bl > (uint64_t)(r.end - r.p))
		return false;
	out->body = arena_strndup(a, (const char *)r.p, (size_t)bl);
	out->body_len = (size_t)bl;
	r.p += bl;
	out->body_line = body_line;
	if (flags & F_META) {
		struct nodes ns = { 0 };
		out->meta = get_node(&r, a, f->path, &ns, 0);
		out->shared = ns.refs;
		free(ns.v);
		if (r.bad || !out->meta || out->meta->kind != YNODE_MAP)
			return false;
	}
	if (r.bad || r.p != r.end)
		return false;
	return true;
}

int pcache_fm_parse(pcache_t *pc, arena_t *a, diag_t *d, const rfile_t *f, fm_doc_t *out)
{
	if (!pc || git_oid_is_zero(&f->oid))
		return fm_parse(a, d, f->path, f->data, f->len, out);
	const struct slot *sl = index_get(pc, f->oid.id);
	if (sl && restore(pc, sl->off, a, f, out)) {
		pthread_mutex_lock(&pc->mu);
		pc->restored++;
		pthread_mutex_unlock(&pc->mu);
		/* a file written whole again keeps the entries it uses */
		if (pc->whole)
			add_bytes(pc, pc->map + sl->off, EHEAD + rd32(pc->map + sl->off + 4));
		return 0;
	}
	rfile_t read = *f;
	if (!read.data) {
		/* not read (pcache_known) and yet not restored: read now */
		pthread_mutex_lock(&pc->mu);
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, pc->git, &f->oid) == 0) {
			read.len = (size_t)git_blob_rawsize(blob);
			read.data = arena_strndup(a, git_blob_rawcontent(blob), read.len);
		}
		git_blob_free(blob);
		pthread_mutex_unlock(&pc->mu);
		if (!read.data) {
			loc_t loc = { f->path, 0, 0 };
			diag_error(d, &loc, "E093", _("không đọc được tệp: %s"), _("lỗi không rõ"));
			return -1;
		}
		f = &read;
	}
	/* its own messages first: a parse that reported anything is not kept
	 * (its messages are the parse's to make, every build) */
	diag_t *mine = diag_new();
	int rc = fm_parse(a, mine, f->path, f->data, f->len, out);
	bool keep = rc == 0 && !diag_errors(mine) && !diag_warnings(mine);
	diag_copy(d, mine);
	diag_free(mine);
	pthread_mutex_lock(&pc->mu);
	pc->parsed++;
	pthread_mutex_unlock(&pc->mu);
	if (keep) {
		buf_t b = BUF_INIT;
		put_entry(&b, f, out);
		add_bytes(pc, b.ptr, b.len);
		buf_free(&b);
	}
	return rc;
}

bool pcache_known(void *cls, const char *rel, const git_oid *oid, size_t *len)
{
	pcache_t *pc = cls;
	/* plan files only (model.c): another file of the same bytes is read */
	size_t n = strlen(rel);
	if (strncmp(rel, "plans/", 6) || n < 3 || strcmp(rel + n - 3, ".md"))
		return false;
	const struct slot *sl = index_get(pc, oid->id);
	if (!sl || !entry_ok(pc, sl->off))
		return false;
	*len = (size_t)rd64(pc->map + sl->off + 8 + OIDLEN);
	return true;
}

bool pcache_save(pcache_t *pc)
{
	if (!pc)
		return false;
	bool wrote = false;
	pthread_mutex_lock(&pc->mu);
	/* an append with nothing new writes nothing */
	if (pc->fd >= 0 && (pc->whole || pc->pend.len))
		flush_locked(pc);
	if (pc->fd >= 0) {
		if (close(pc->fd) < 0)
			pc->failed = true;
		pc->fd = -1;
		if (pc->whole && pc->tmp) {
			if (!pc->failed && rename(pc->tmp, pc->file) == 0)
				wrote = true;
			else
				unlink(pc->tmp);
		} else if (!pc->whole) {
			wrote = pc->written > 0 && !pc->failed;
		}
		if (wrote)
			pc->saved = pc->written;
	}
	/* nothing of it is held while the pages render */
	buf_free(&pc->pend);
	pthread_mutex_unlock(&pc->mu);
	if (pc->map) {
		munmap((void *)pc->map, pc->maplen);
		pc->map = NULL;
	}
	free(pc->slots);
	pc->slots = NULL;
	return wrote;
}

const char *pcache_counts(const pcache_t *pc, size_t *restored, size_t *parsed, size_t *written)
{
	*restored = pc->restored;
	*parsed = pc->parsed;
	*written = pc->saved;
	return pc->file;
}

void pcache_free(pcache_t *pc)
{
	if (!pc)
		return;
	if (pc->fd >= 0) {
		close(pc->fd);
		if (pc->whole && pc->tmp)
			unlink(pc->tmp);
	}
	if (pc->map)
		munmap((void *)pc->map, pc->maplen);
	free(pc->slots);
	free(pc->tmp);
	free(pc->file);
	buf_free(&pc->pend);
	pthread_mutex_destroy(&pc->mu);
	free(pc);
}
