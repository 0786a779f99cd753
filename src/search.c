/* search.c: the static search index: records in chunks, a term dictionary in prefix shards. */
#include "search_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "text.h"

/*
 * Layout (all in the search section's folder, tim-kiem/ unless permalinks
 * move it; read by themes/default/static/search.js):
 *
 *   manifest.json   { chunk, count, format, kinds: {plan: [from, to], ...},
 *                     shards: [key, ...], v }
 *   rec/<n>.json    records n*chunk .. n*chunk+chunk-1: [[title, url, context], ...]
 *   idx/<key>.json  { key: { word: [[spelling, N, T, C], ...], ... }, ... }
 *
 * Record ids run plans, documents, units, tasks, each in site order, so the
 * id is also the tie-break of the ranking.  A word is folded (text_search_fold);
 * each spelling of it (lower-cased, accents kept) carries the records that
 * use it, split by where: N a document number, T a title or name, C the
 * context (issuer, lead units, output).  A record is listed once per spelling,
 * in its best class.  A list is a string: 'd' then varint gaps, or 'b' then
 * the first id and a bitmap, whichever is shorter; digits are base64, five
 * bits and a continuation bit (varint) or six ids (bitmap) per character.
 *
 * A shard holds the words whose first two code points are its key; one
 * larger than SEARCH_SHARD_MAX is split by one more code point, the word
 * equal to the key (if any) staying in the key's own file.  The script
 * knows a key was split when a longer key starts with it.
 *
 * Shards are packed, in key order, into files of at most SEARCH_FILE_MAX
 * bytes whose keys share their first code point (so that a changed word
 * moves the packing of its own letter only); a file is named after its
 * first key, and the manifest's `files` lists the index in `shards` of
 * each file's first key.
 */

enum { CL_NUM, CL_TITLE, CL_CTX, CL_COUNT };
enum { K_PLAN, K_DOC, K_UNIT, K_TASK, K_COUNT };

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char *const KIND_NAMES[K_COUNT] = { "plan", "document", "unit", "task" };

/* ---- a byte-string hash table ------------------------------------------ */

typedef struct {
	const char *key;   /* in the index's arena; NULL: empty slot */
	size_t len;
	uint64_t h;
	uint32_t val;
} slot_t;

typedef struct {
	slot_t *v;
	size_t cap, n;
} table_t;

/* The slot of key: found (its val set) or empty (key NULL), for the caller to
 * fill.  Grows the table first, so the returned slot stays valid until the
 * next call. */
static slot_t *table_find(table_t *t, const char *key, size_t len, uint64_t h)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		slot_t *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->v[i].key)
				continue;
			size_t j = (size_t)t->v[i].h & (cap - 1);
			while (v[j].key)
				j = (j + 1) & (cap - 1);
			v[j] = t->v[i];
		}
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	size_t j = (size_t)h & (t->cap - 1);
	while (t->v[j].key && !(t->v[j].h == h && t->v[j].len == len && !memcmp(t->v[j].key, key, len)))
		j = (j + 1) & (t->cap - 1);
	return &t->v[j];
}

/* ---- the index being built ------------------------------------------------ */

/* A term's record ids (sorted, distinct) as they come: each one's gap
 * from the id before (the first as itself) in groups of 7 bits, a byte
 * or two an id where a uint32_t array took four and its doubling's slack
 * (at 10,000 plans 58 MB of lists, held while the history is read). */
typedef struct {
	unsigned char *v;
	uint32_t len, cap;   /* bytes */
	uint32_t n;          /* ids */
	uint32_t first, end;   /* end: the last id + 1, 0 while empty */
	uint32_t dlen;       /* characters of its 'd' form (put_ids) */
} ids_t;

/* Characters of v in put_varint's base 64, five bits a character. */
static size_t varint_len(uint32_t v)
{
	size_t n = 1;
	while (v >>= 5)
		n++;
	return n;
}

/* The next gap of a list at *p, which it advances past. */
static uint32_t ids_gap(const unsigned char **p)
{
	uint32_t g = 0;
	for (int sh = 0;; sh += 7) {
		unsigned char c = *(*p)++;
		g |= (uint32_t)(c & 127) << sh;
		if (!(c & 128))
			return g;
	}
}

/* One spelling of a word, with its records by class. */
typedef struct {
	const char *lower, *fold;
	ids_t ids[CL_COUNT];
	uint32_t stamp;   /* 1 + the last record that used it (end_record) */
	uint32_t best;    /* its best class in that record */
} term_t;

struct ix {
	const site_t *s;
	arena_t *a;
	search_emit_fn emit;
	void *arg;
	const atomic_int *cancel;   /* NULL: never */
	int rc;
	uint64_t version;       /* hash of every file written before the manifest */
	table_t raw;            /* word as written -> term */
	table_t spell;          /* lower-cased spelling -> term */
	table_t phrases;        /* recurring text -> its words in pool */
	struct phrase_at *phrase_at;   /* add_phrase's texts by address */
	uint32_t *pool;         /* per phrase: count, then term ids */
	size_t npool;
	struct recent *recent;  /* titles seen lately (add_recent) */
	term_t *terms;
	size_t nterms, capterms;
	uint32_t *scratch;      /* (term << 2 | class) of the current record */
	size_t nscratch, capscratch;
	uint32_t nrec;
	buf_t chunk;            /* records of the current chunk */
	const plan_t *tplan;    /* the plan of tplan_url and tplan_name */
	buf_t tplan_url;        /* its address and '#', JSON-escaped */
	buf_t tplan_name;       /* its name (plan_name), JSON-escaped */
	uint32_t from[K_COUNT], to[K_COUNT];
	char **keys;            /* shard keys, in file order */
	size_t nkeys;
	buf_t pack;             /* the shards of the file being filled: "key":{...},... */
	size_t pack_first;      /* the index in keys of its first shard */
	size_t *files;          /* the index in keys of each file's first shard */
	size_t nfiles;
};

/* Writes file name of the search section's folder ("rec/0.json"). */
/* Whether the build must stop: it failed, or was cancelled (then x->rc
 * says so). */
static bool stopped(struct ix *x)
{
	if (!x->rc && x->cancel && atomic_load(x->cancel))
		x->rc = SEARCH_CANCELLED;
	return x->rc != 0;
}

static void emit(struct ix *x, const char *name, const char *data, size_t len, bool hashed)
{
	if (stopped(x))
		return;
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "%s%s", routes_dir(&x->s->routes, ROUTE_SEARCH), name);
	if (hashed)
		x->version = hash_words(hash_words(x->version, rel.ptr, rel.len), data, len);
	if (x->emit(x->arg, rel.ptr, data, len) < 0)
		x->rc = -1;
	buf_free(&rel);
}

static uint32_t term_of(struct ix *x, const char *w, size_t len)
{
	uint64_t h = hash_words(HASH_INIT, w, len);
	slot_t *sl = table_find(&x->raw, w, len, h);
	if (sl->key)
		return sl->val;
	char *raw = xstrndup(w, len);
	char *lo = search_lower(w, len);
	char *f = text_search_fold(raw);
	size_t ll = strlen(lo);
	uint64_t lh = hash_words(HASH_INIT, lo, ll);
	slot_t *ls = table_find(&x->spell, lo, ll, lh);
	uint32_t id;
	if (ls->key) {
		id = ls->val;
	} else {
		if (x->nterms == x->capterms) {
			x->capterms = x->capterms ? x->capterms * 2 : 1024;
			x->terms = xrealloc(x->terms, x->capterms * sizeof(*x->terms));
		}
		id = (uint32_t)x->nterms++;
		term_t *t = &x->terms[id];
		memset(t, 0, sizeof(*t));
		t->lower = arena_strdup(x->a, lo);
		t->fold = arena_strdup(x->a, f);
		*ls = (slot_t){ t->lower, ll, lh, id };
		x->spell.n++;
	}
	/* a word whose folding is empty (a stray mark) is no word */
	if (!*f)
		id = UINT32_MAX;
	*sl = (slot_t){ arena_strndup(x->a, w, len), len, h, id };
	x->raw.n++;
	free(raw);
	free(lo);
	free(f);
	return id;
}

/* Room for n more entries in the scratch list. */
static void scratch_grow_slow(struct ix *x, size_t n)
{
	while (x->nscratch + n > x->capscratch)
		x->capscratch = x->capscratch ? x->capscratch * 2 : 64;
	x->scratch = xrealloc(x->scratch, x->capscratch * sizeof(*x->scratch));
}

static inline void scratch_grow(struct ix *x, size_t n)
{
	if (x->nscratch + n > x->capscratch)
		scratch_grow_slow(x, n);
}

/* inline with its growth apart: a call a word was 13M instructions at
 * 1,000 plans (625,766 calls) */
static inline void scratch_add(struct ix *x, uint32_t term, int cl)
{
	if (term == UINT32_MAX)
		return;
	scratch_grow(x, 1);
	x->scratch[x->nscratch++] = term << 2 | (uint32_t)cl;
}

/* The terms t[0..n) of a text seen before, in class cl. */
static void scratch_add_all(struct ix *x, const uint32_t *t, size_t n, int cl)
{
	scratch_grow(x, n);
	uint32_t *s = x->scratch + x->nscratch;
	for (size_t i = 0; i < n; i++)
		s[i] = t[i] << 2 | (uint32_t)cl;
	x->nscratch += n;
}

static void add_text(struct ix *x, const char *s, int cl)
{
	if (!s)
		return;
	size_t n = strlen(s), pos = 0, st, len;
	while (search_next_word(s, n, &pos, &st, &len))
		scratch_add(x, term_of(x, s + st, len), cl);
}

/* Text that recurs from record to record (a unit's name, an output): its
 * words are looked up once. */
static bool json_plain(const char *s, size_t n);

/* The phrases last seen at an address, by address: a lead unit's name is
 * the unit's own text, the same pointer task after task, and is then found
 * without its length, hash and table lookup (10M instructions for the
 * 40,978 tasks of 1,000 plans).  The model does not change during the
 * build, so a text at an address stays the same. */
#define PHRASE_AT_SLOTS 256

struct phrase_at {
	const char *s;     /* NULL: empty */
	uint32_t at;       /* its entry in pool */
	uint32_t len;
};

/* Returns whether s has nothing to escape in JSON (1) or has (0), *len
 * its length; -1 for NULL. */
static int add_phrase(struct ix *x, const char *s, int cl, size_t *len)
{
	if (!s)
		return -1;
	if (!x->phrase_at)
		x->phrase_at = xcalloc(PHRASE_AT_SLOTS, sizeof(*x->phrase_at));
	struct phrase_at *pa = &x->phrase_at[((uintptr_t)s >> 3) & (PHRASE_AT_SLOTS - 1)];
	if (pa->s == s) {
		const uint32_t *t = x->pool + pa->at;
		scratch_add_all(x, t + 1, t[0] >> 1, cl);
		*len = pa->len;
		return (int)(t[0] & 1);
	}
	size_t n = strlen(s);
	*len = n;
	/* hash_words, not FNV-1a byte by byte: 18M instructions for the
	 * 81,956 phrases of 1,000 plans */
	uint64_t h = hash_words(HASH_INIT, s, n);
	slot_t *sl = table_find(&x->phrases, s, n, h);
	if (!sl->key) {
		size_t from = x->nscratch;
		add_text(x, s, cl);
		uint32_t at = (uint32_t)x->npool, count = (uint32_t)(x->nscratch - from);
		bool plain = json_plain(s, n);
		x->pool = xrealloc(x->pool, (x->npool + count + 1) * sizeof(*x->pool));
		x->pool[x->npool++] = count << 1 | plain;
		for (size_t i = from; i < x->nscratch; i++)
			x->pool[x->npool++] = x->scratch[i] >> 2;
		*sl = (slot_t){ arena_strndup(x->a, s, n), n, h, at };
		x->phrases.n++;
		*pa = (struct phrase_at){ s, at, (uint32_t)n };
		return plain;
	}
	const uint32_t *t = x->pool + sl->val;
	scratch_add_all(x, t + 1, t[0] >> 1, cl);
	*pa = (struct phrase_at){ s, sl->val, (uint32_t)n };
	return (int)(t[0] & 1);
}

/* Titles seen lately, by hash: a task title often recurs (the same duty in
 * plan after plan), and its words are then looked up once.  A fixed number
 * of slots, each holding the title (the model's own text, not a copy) and
 * its terms, so that a portal of titles all different costs a hash a title
 * and no memory that grows. */
#define RECENT_SLOTS 4096

struct recent {
	const char *s;     /* NULL: empty */
	size_t len;
	uint64_t h;
	uint32_t *terms;
	uint32_t n, cap;
	bool plain;        /* nothing to escape in JSON (json_plain) */
};

/* Returns the title's slot, valid until the next call; NULL for NULL. */
static const struct recent *add_recent(struct ix *x, const char *s, int cl)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	uint64_t h = hash_words(HASH_INIT, s, n);
	if (!x->recent)
		x->recent = xcalloc(RECENT_SLOTS, sizeof(*x->recent));
	struct recent *r = &x->recent[h & (RECENT_SLOTS - 1)];
	if (r->s && r->h == h && r->len == n && (r->s == s || !memcmp(r->s, s, n))) {
		scratch_add_all(x, r->terms, r->n, cl);
		return r;
	}
	size_t from = x->nscratch;
	add_text(x, s, cl);
	size_t count = x->nscratch - from;
	if (count > r->cap) {
		r->cap = (uint32_t)count;
		r->terms = xrealloc(r->terms, count * sizeof(*r->terms));
	}
	for (size_t i = 0; i < count; i++)
		r->terms[i] = x->scratch[from + i] >> 2;
	r->s = s;
	r->len = n;
	r->h = h;
	r->n = (uint32_t)count;
	r->plain = json_plain(s, n);
	return r;
}

/* A document number: the words of its docnum key, and all of them joined. */
static void add_number(struct ix *x, const char *num)
{
	if (!num)
		return;
	char *key = text_docnum_key(num);
	size_t n = strlen(key), pos = 0, st, len, parts = 0;
	buf_t joined = BUF_INIT;
	while (search_next_word(key, n, &pos, &st, &len)) {
		scratch_add(x, term_of(x, key + st, len), CL_NUM);
		buf_put(&joined, key + st, len);
		parts++;
	}
	if (parts > 1)
		scratch_add(x, term_of(x, joined.ptr, joined.len), CL_NUM);
	buf_free(&joined);
	free(key);
}

static void ids_grow(ids_t *l)
{
	l->cap = l->cap ? l->cap * 2 : 8;
	l->v = xrealloc(l->v, l->cap);
}

/* Appends id, greater than every id of l (record_terms gives a term each
 * record once, and records come in order). */
static inline void ids_push(ids_t *l, uint32_t id)
{
	uint32_t g = id - l->end;   /* the first id as itself: no test */
	if (l->cap - l->len < 5)
		ids_grow(l);
	if (!l->n)
		l->first = id;
	l->end = id + 1;
	l->n++;
	l->dlen += g < 32 ? 1 : (uint32_t)varint_len(g);
	while (g >= 128) {
		l->v[l->len++] = (unsigned char)(g | 128);
		g >>= 7;
	}
	l->v[l->len++] = (unsigned char)g;
}

/* Whether any of the eight bytes of v is a control character, '"' or '\\':
 * one that put_json_str escapes. */
static bool needs_escape8(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
	uint64_t ctl = (v - ones * 0x20) & ~v;
	return ((ctl | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & high) != 0;
}

/* s[0..n) JSON-escaped, without quotes: escaping works byte by byte, so
 * the escaped pieces of a text put end to end are the escaped text. */
static void put_json_body(buf_t *b, const char *s, size_t n)
{
	/* a record's title, address and context: mostly nothing to
	 * escape, found eight bytes at a time */
	size_t i = 0, run = 0;
	buf_grow(b, n + 1);
	for (;;) {
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if (needs_escape8(v))
				break;
			i += 8;
		}
		while (i < n) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x20 || c == '"' || c == '\\')
				break;
			i++;
		}
		if (i >= n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, s + run, i - run);
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n') {
			buf_puts(b, "\\n");
		} else if (c == '\t') {
			buf_puts(b, "\\t");
		} else {
			buf_printf(b, "\\u%04x", c);
		}
		run = ++i;
	}
	buf_put(b, s + run, n - run);
}

/* Whether s[0..n) has nothing put_json_body escapes. */
static bool json_plain(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (needs_escape8(v))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static void put_json_str(buf_t *b, const char *s)
{
	buf_putc(b, '"');
	if (s)
		put_json_body(b, s, strlen(s));
	buf_putc(b, '"');
}

static void flush_chunk(struct ix *x)
{
	if (!x->chunk.len)
		return;
	buf_putc(&x->chunk, ']');
	char rel[64];
	snprintf(rel, sizeof rel, "rec/%u.json", (unsigned)((x->nrec - 1) / SEARCH_CHUNK));
	emit(x, rel, x->chunk.ptr, x->chunk.len, true);
	buf_clear(&x->chunk);
}

/* The current record's words go to their terms' lists: each term once, in
 * its best class (the lowest).  A term keeps the last record that used it
 * (stamp) and its class there, so the record's distinct terms gather in
 * the front of the scratch list in one pass; a table of the record's terms
 * cleared and swept each record (43,170 of them at 1,000 plans) cost 95M
 * instructions, and a sort of them before it their square.  The order of
 * the ids_push calls does not matter, each goes to another term's list. */
static void record_terms(struct ix *x, uint32_t rid)
{
	uint32_t *sc = x->scratch, stamp = rid + 1;
	term_t *terms = x->terms;
	size_t nu = 0;
	for (size_t i = 0; i < x->nscratch; i++) {
		uint32_t e = sc[i], cl = e & 3;
		term_t *t = &terms[e >> 2];
		if (t->stamp != stamp) {
			t->stamp = stamp;
			t->best = cl;
			sc[nu++] = e >> 2;
		} else if (cl < t->best) {
			t->best = cl;
		}
	}
	for (size_t i = 0; i < nu; i++) {
		term_t *t = &terms[sc[i]];
		ids_push(&t->ids[t->best], rid);
	}
	x->nscratch = 0;
}

/* Opens a record in the current chunk: the separator and its '['. */
static void open_record(struct ix *x)
{
	buf_grow(&x->chunk, 2);
	x->chunk.ptr[x->chunk.len] = x->chunk.len ? ',' : '[';
	x->chunk.ptr[x->chunk.len + 1] = '[';
	x->chunk.len += 2;
	x->chunk.ptr[x->chunk.len] = '\0';
}

/* Closes the record opened last; the chunk goes out when full. */
static void close_record(struct ix *x)
{
	buf_putc(&x->chunk, ']');
	if (x->nrec % SEARCH_CHUNK == 0)
		flush_chunk(x);
}

/* Ends the current record: its words go to their terms' lists, and its
 * display fields to the current chunk. */
static void end_record(struct ix *x, const char *title, const char *url, const char *context)
{
	uint32_t rid = x->nrec++;
	record_terms(x, rid);
	open_record(x);
	put_json_str(&x->chunk, title ? title : "");
	buf_putc(&x->chunk, ',');
	put_json_str(&x->chunk, url ? url : "");
	buf_putc(&x->chunk, ',');
	put_json_str(&x->chunk, context ? context : "");
	close_record(x);
}

/* ---- the records ----------------------------------------------------------- */

/* Appends s after a " · " when b already has something. */
static void ctx_part(buf_t *b, const char *s)
{
	if (!s || !*s)
		return;
	if (b->len)
		buf_puts(b, " · ");
	buf_puts(b, s);
}

/* "Kế hoạch 185/KH-SDT&TG"; a plan without number is named by the start of
 * its title, cut at a space. */
static void plan_name(buf_t *b, const plan_t *p)
{
	if (p->type)
		buf_puts(b, p->type);
	if (p->number) {
		if (p->type)
			buf_putc(b, ' ');
		buf_puts(b, p->number);
		return;
	}
	const char *t = p->title ? p->title : p->id;
	size_t n = strlen(t), cut = n;
	if (n > 60) {
		cut = 60;
		while (cut > 30 && t[cut] != ' ')
			cut--;
		while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
			cut--;
	}
	if (p->type)
		buf_puts(b, ": ");
	buf_put(b, t, cut);
	if (cut < n)
		buf_puts(b, "…");
}

static void index_plan(struct ix *x, const plan_t *p)
{
	add_number(x, p->number);
	add_text(x, p->title, CL_TITLE);
	add_text(x, p->type, CL_CTX);
	if (!p->number)
		add_text(x, p->id, CL_CTX);
	buf_t c = BUF_INIT;
	plan_name(&c, p);
	if (p->has_issuer && p->issuer.unit) {
		add_text(x, p->issuer.unit->name, CL_CTX);
		ctx_part(&c, p->issuer.unit->name);
	}
	if (p->date) {
		char d[16];
		date_format_vi(p->date, d);
		ctx_part(&c, d);
	}
	end_record(x, p->title, p->url, c.ptr);
	buf_free(&c);
}

static void index_doc(struct ix *x, const doc_t *dc)
{
	add_number(x, dc->number);
	for (size_t i = 0; i < dc->naliases; i++)
		add_number(x, dc->aliases[i]);
	add_text(x, dc->title, CL_TITLE);
	add_text(x, dc->type, CL_CTX);
	add_text(x, dc->issuer, CL_CTX);
	buf_t name = BUF_INIT, c = BUF_INIT;
	if (dc->type)
		buf_printf(&name, "%s ", dc->type);
	buf_puts(&name, dc->number ? dc->number : "");
	if (dc->title) {
		ctx_part(&c, name.ptr);
		ctx_part(&c, dc->issuer);
		end_record(x, dc->title, dc->url, c.ptr);
	} else {
		ctx_part(&c, dc->issuer);
		end_record(x, name.ptr, dc->url, c.ptr);
	}
	buf_free(&name);
	buf_free(&c);
}

/* Byte length of the first code point of s (n bytes). */
static size_t first_cp_len(const char *s, size_t n)
{
	int32_t c;
	return search_cp_at(s, n, &c);
}

/* Keys people type for a name: its initials ("Sở Khoa học và Công nghệ":
 * "skhcn", "khcn", "kh"...: every run of two or more words, "và" left
 * out), its short words run together ("KH&CN": "khcn") and its words run
 * together from each word on ("sokhoahocvacongnghe", "khoahocvacongnghe"...),
 * which the script matches as prefixes of a word typed without spaces. */
static void add_name_keys(struct ix *x, const char *s, int cl)
{
	if (!s)
		return;
	enum { MAXW = 16 };
	char *w[MAXW];
	size_t nw = 0, n = strlen(s), pos = 0, st, len;
	while (nw < MAXW && search_next_word(s, n, &pos, &st, &len)) {
		char *raw = xstrndup(s + st, len);
		char *f = text_search_fold(raw);
		free(raw);
		if (*f)
			w[nw++] = f;
		else
			free(f);
	}
	buf_t k = BUF_INIT;
	for (size_t i = 0; i < nw; i++) {
		/* initials of the runs starting at word i */
		buf_clear(&k);
		size_t words = 0;
		for (size_t j = i; j < nw; j++) {
			if (!strcmp(w[j], "va"))
				continue;
			buf_put(&k, w[j], first_cp_len(w[j], strlen(w[j])));
			if (++words >= 2)
				scratch_add(x, term_of(x, k.ptr, k.len), cl);
		}
		/* short words (an abbreviation cut by "&" or "-") run together */
		buf_clear(&k);
		words = 0;
		for (size_t j = i; j < nw && strlen(w[j]) <= 3 && strcmp(w[j], "va") != 0; j++) {
			buf_puts(&k, w[j]);
			if (++words >= 2 && (j + 1 == nw || strlen(w[j + 1]) > 3))
				scratch_add(x, term_of(x, k.ptr, k.len), cl);
		}
		/* the words from i on, without spaces */
		if (nw - i >= 2) {
			buf_clear(&k);
			for (size_t j = i; j < nw; j++)
				buf_puts(&k, w[j]);
			scratch_add(x, term_of(x, k.ptr, k.len), cl);
		}
	}
	buf_free(&k);
	for (size_t i = 0; i < nw; i++)
		free(w[i]);
}

static void index_unit(struct ix *x, const unit_t *u)
{
	add_text(x, u->name, CL_TITLE);
	add_name_keys(x, u->name, CL_TITLE);
	buf_t al = BUF_INIT, c = BUF_INIT;
	for (size_t i = 0; i < u->naliases; i++) {
		add_text(x, u->aliases[i], CL_TITLE);
		add_name_keys(x, u->aliases[i], CL_TITLE);
		if (i)
			buf_puts(&al, ", ");
		buf_puts(&al, u->aliases[i]);
	}
	if (u->parent) {
		add_text(x, u->parent->name, CL_CTX);
		ctx_part(&c, u->parent->name);
	}
	ctx_part(&c, al.ptr);
	end_record(x, u->name, u->url, c.ptr);
	buf_free(&al);
	buf_free(&c);
}

/* Appends s to a URL, percent-encoding all but unreserved characters. */
static void put_url_part(buf_t *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* The JSON-escaped pieces of a task's record that its plan gives: its
 * address and '#', and its name (plan_name), made once a plan. */
static void task_plan(struct ix *x, const plan_t *p)
{
	if (x->tplan == p)
		return;
	x->tplan = p;
	buf_clear(&x->tplan_url);
	buf_clear(&x->tplan_name);
	if (p->url)
		put_json_body(&x->tplan_url, p->url, strlen(p->url));
	buf_putc(&x->tplan_url, '#');
	buf_t name = BUF_INIT;
	plan_name(&name, p);
	if (name.len)
		put_json_body(&x->tplan_name, name.ptr, name.len);
	buf_free(&name);
}

/* A task's record goes straight into the chunk: its address and context
 * made of the plan's pieces escaped once (task_plan) and the task's own;
 * built apart and escaped whole, they were 40M instructions at 1,000
 * plans.  The same bytes as end_record(title, url, context) with
 * url = plan url '#' put_url_part(id) and context = plan name, " · ",
 * the lead units joined by ", ". */
static void index_task(struct ix *x, const task_t *t)
{
	/* a title seen lately or a lead unit's name has been looked at for
	 * JSON escapes already: then it is copied, not scanned again */
	const struct recent *r = add_recent(x, t->title, CL_TITLE);
	size_t len;
	add_phrase(x, t->output, CL_CTX, &len);
	uint32_t plain = 0;   /* bit i: lead i's name has nothing to escape */
	for (size_t i = 0; i < t->lead.n; i++)
		if (add_phrase(x, t->lead.v[i].unit ? t->lead.v[i].unit->name : t->lead.v[i].text,
			       CL_CTX, &len) == 1 && i < 32)
			plain |= 1u << i;
	uint32_t rid = x->nrec++;
	record_terms(x, rid);

	task_plan(x, t->plan);
	buf_t *b = &x->chunk;
	open_record(x);
	buf_putc(b, '"');
	if (r && r->plain)
		buf_put(b, t->title, r->len);
	else if (r)
		put_json_body(b, t->title, r->len);
	buf_put(b, "\",\"", 3);
	buf_put(b, x->tplan_url.ptr, x->tplan_url.len);
	/* the plan page's task rows carry id="{{anchor}}", the task id
	 * (ctx.c); percent-encoded, it has nothing to escape */
	put_url_part(b, t->id ? t->id : "");
	buf_put(b, "\",\"", 3);
	buf_put(b, x->tplan_name.ptr, x->tplan_name.len);
	for (size_t i = 0; i < t->lead.n; i++) {
		const char *name = t->lead.v[i].unit ? t->lead.v[i].unit->name : t->lead.v[i].text;
		if (i)
			buf_put(b, ", ", 2);
		else
			buf_put(b, " \xC2\xB7 ", 4);   /* " · " */
		if (i < 32 && (plain >> i & 1))
			buf_puts(b, name);
		else
			put_json_body(b, name, strlen(name));
	}
	buf_putc(b, '"');
	close_record(x);
}

/* ---- the dictionary ------------------------------------------------------- */

static void put_varint(buf_t *b, uint32_t v)
{
	do {
		unsigned g = v & 31;
		v >>= 5;
		buf_putc(b, B64[g | (v ? 32 : 0)]);
	} while (v);
}

/* One list of record ids (sorted, distinct) as a JSON string. */
static void put_ids(buf_t *b, const ids_t *l)
{
	buf_putc(b, '"');
	if (l->n) {
		/* the first id, then the gaps: as stored; their length in
		 * characters counted as they came (ids_push), not by a pass
		 * decoding them all */
		size_t dlen = l->dlen;
		const unsigned char *p;
		size_t range = l->end - l->first;
		size_t blen = varint_len(l->first) + (range + 5) / 6;
		p = l->v;
		if (blen < dlen) {
			buf_putc(b, 'b');
			put_varint(b, l->first);
			size_t nc = (range + 5) / 6, at = b->len;
			buf_grow(b, nc + 2);
			memset(b->ptr + at, 0, nc);
			uint32_t id = 0;
			for (size_t i = 0; i < l->n; i++) {
				uint32_t g = ids_gap(&p);
				id = i ? id + g + 1 : g;
				size_t k = id - l->first;
				b->ptr[at + k / 6] |= (char)(1 << (k % 6));
			}
			for (size_t i = 0; i < nc; i++)
				b->ptr[at + i] = B64[(unsigned char)b->ptr[at + i]];
			b->len += nc;
			b->ptr[b->len] = '\0';
		} else {
			buf_grow(b, dlen + 1);
			char *o = b->ptr + b->len;
			*o++ = 'd';
			for (size_t i = 0; i < l->n; i++) {
				uint32_t v = ids_gap(&p);
				do {
					unsigned g = v & 31;
					v >>= 5;
					*o++ = B64[g | (v ? 32 : 0)];
				} while (v);
			}
			b->len = (size_t)(o - b->ptr);
			b->ptr[b->len] = '\0';
		}
	}
	buf_putc(b, '"');
}

static int term_cmp(const void *a, const void *b)
{
	const term_t *x = a, *y = b;
	int c = strcmp(x->fold, y->fold);
	return c ? c : strcmp(x->lower, y->lower);
}

/* A folded word and its entry in a shard ("word":[[...],...]). */
typedef struct {
	const char *fold;
	size_t off, len;
} word_t;

/* Byte length of the first k code points of s (all of s when shorter), and
 * whether s has more than k. */
static size_t prefix_len(const char *s, size_t k, bool *longer)
{
	size_t i = 0, n = strlen(s);
	while (k-- > 0 && i < n) {
		int32_t c;
		i += search_cp_at(s + i, n - i, &c);
	}
	*longer = i < n;
	return i;
}

/* Writes the file being filled, if any. */
static void flush_pack(struct ix *x)
{
	if (!x->pack.len)
		return;
	char *name = search_shard_name(x->keys[x->pack_first]);
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "idx/%s.json", name);
	buf_putc(&x->pack, '}');
	emit(x, rel.ptr, x->pack.ptr, x->pack.len, true);
	x->files = xrealloc(x->files, (x->nfiles + 1) * sizeof(*x->files));
	x->files[x->nfiles++] = x->pack_first;
	buf_clear(&x->pack);
	buf_free(&rel);
	free(name);
}

static void write_shard(struct ix *x, const char *key, size_t keylen, const word_t *w, size_t n,
			const buf_t *entries)
{
	if (!n)
		return;
	char *k = xstrndup(key, keylen);
	buf_t b = BUF_INIT;
	put_json_str(&b, k);
	buf_puts(&b, ":{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_put(&b, entries->ptr + w[i].off, w[i].len);
	}
	buf_putc(&b, '}');
	/* a new file for another first letter, or when this one is full */
	if (x->pack.len) {
		int32_t c0, c1;
		const char *first = x->keys[x->pack_first];
		size_t l0 = search_cp_at(first, strlen(first), &c0), l1 = search_cp_at(k, keylen, &c1);
		if (l0 != l1 || c0 != c1 || x->pack.len + 1 + b.len + 1 > SEARCH_FILE_MAX)
			flush_pack(x);
	}
	x->keys = xrealloc(x->keys, (x->nkeys + 1) * sizeof(*x->keys));
	x->keys[x->nkeys++] = k;
	if (!x->pack.len) {
		x->pack_first = x->nkeys - 1;
		buf_putc(&x->pack, '{');
	} else {
		buf_putc(&x->pack, ',');
	}
	buf_put(&x->pack, b.ptr, b.len);
	buf_free(&b);
}

/* Writes the words w[0..n), which all start with key (k code points), as one
 * shard, or splits them by their next code point when too big. */
static void shard(struct ix *x, const char *key, size_t keylen, size_t k, const word_t *w, size_t n,
		  const buf_t *entries)
{
	size_t size = 2;
	for (size_t i = 0; i < n; i++)
		size += w[i].len + 1;
	/* sorted, so the word equal to the key (if any) comes first */
	bool longer;
	prefix_len(w[0].fold, k, &longer);
	if (size <= SEARCH_SHARD_MAX || k >= 32 || (n == 1 && !longer)) {
		write_shard(x, key, keylen, w, n, entries);
		return;
	}
	size_t i = 0;
	if (!longer) {
		write_shard(x, key, keylen, w, 1, entries);
		i = 1;
	}
	while (i < n) {
		size_t pl = prefix_len(w[i].fold, k + 1, &longer), j = i + 1;
		while (j < n && !strncmp(w[j].fold, w[i].fold, pl))
			j++;
		shard(x, w[i].fold, pl, k + 1, w + i, j - i, entries);
		i = j;
	}
}

/* The words of one group (the same first two code points, as many as a
 * word has when shorter), w[0..n), their entries in entries, as shards. */
static void shard_group(struct ix *x, const word_t *w, size_t n, const buf_t *entries)
{
	bool longer;
	size_t pl = prefix_len(w[0].fold, 2, &longer);
	shard(x, w[0].fold, pl, 2, w, n, entries);
}

/* Whether word v goes in the group that starts with word g. */
static bool same_group(const char *g, const char *v)
{
	bool longer;
	size_t pl = prefix_len(g, 2, &longer);
	return !strncmp(v, g, pl) && prefix_len(v, 2, &longer) == pl;
}

/* The dictionary's shards, written a group of words at a time as their
 * entries are made: the entries of every word at once were 10 MB and more
 * at 10,000 plans, held while the pages render beside. */
static void write_dictionary(struct ix *x)
{
	if (x->nterms)
		qsort(x->terms, x->nterms, sizeof(*x->terms), term_cmp);
	word_t *w = NULL;
	size_t nw = 0, capw = 0;
	buf_t entries = BUF_INIT;
	for (size_t i = 0; i < x->nterms && !stopped(x);) {
		size_t j = i;
		size_t off = entries.len;
		put_json_str(&entries, x->terms[i].fold);
		buf_puts(&entries, ":[");
		bool any = false;
		for (; j < x->nterms && !strcmp(x->terms[j].fold, x->terms[i].fold); j++) {
			const term_t *t = &x->terms[j];
			if (!t->ids[CL_NUM].n && !t->ids[CL_TITLE].n && !t->ids[CL_CTX].n)
				continue;
			if (any)
				buf_putc(&entries, ',');
			any = true;
			buf_putc(&entries, '[');
			put_json_str(&entries, t->lower);
			for (int cl = 0; cl < CL_COUNT; cl++) {
				buf_putc(&entries, ',');
				put_ids(&entries, &t->ids[cl]);
			}
			buf_putc(&entries, ']');
		}
		buf_putc(&entries, ']');
		if (!any || !*x->terms[i].fold) {
			entries.len = off;
			i = j;
			continue;
		}
		word_t v = { x->terms[i].fold, off, entries.len - off };
		if (nw && !same_group(w[0].fold, v.fold)) {
			/* the group before it is complete: its shards, then the
			 * new word's entry alone at the start of the buffer */
			shard_group(x, w, nw, &entries);
			memmove(entries.ptr, entries.ptr + v.off, v.len);
			entries.len = v.len;
			v.off = 0;
			nw = 0;
		}
		if (nw == capw) {
			capw = capw ? 2 * capw : 256;
			w = xrealloc(w, capw * sizeof(*w));
		}
		w[nw++] = v;
		i = j;
	}
	if (nw && !stopped(x))
		shard_group(x, w, nw, &entries);
	flush_pack(x);
	buf_free(&entries);
	free(w);
}

static void write_manifest(struct ix *x)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "{\"chunk\":%d,\"count\":%u,\"files\":[", SEARCH_CHUNK, (unsigned)x->nrec);
	for (size_t i = 0; i < x->nfiles; i++)
		buf_printf(&b, "%s%zu", i ? "," : "", x->files[i]);
	buf_puts(&b, "],\"format\":2,\"kinds\":{");
	/* keys in byte order: document, plan, task, unit */
	static const int order[K_COUNT] = { K_DOC, K_PLAN, K_TASK, K_UNIT };
	for (int i = 0; i < K_COUNT; i++)
		buf_printf(&b, "%s\"%s\":[%u,%u]", i ? "," : "", KIND_NAMES[order[i]],
			   (unsigned)x->from[order[i]], (unsigned)x->to[order[i]]);
	buf_puts(&b, "},\"shards\":[");
	for (size_t i = 0; i < x->nkeys; i++) {
		if (i)
			buf_putc(&b, ',');
		put_json_str(&b, x->keys[i]);
	}
	buf_printf(&b, "],\"v\":\"%016llx\"}\n", (unsigned long long)x->version);
	emit(x, "manifest.json", b.ptr, b.len, false);
	buf_free(&b);
}

int search_build(const site_t *s, search_emit_fn fn, void *arg)
{
	return search_build_cancel(s, fn, arg, NULL);
}

int search_build_cancel(const site_t *s, search_emit_fn fn, void *arg, const atomic_int *cancel)
{
	struct ix x = { .s = s, .a = arena_new(), .emit = fn, .arg = arg, .cancel = cancel,
			.version = HASH_INIT };

	/* a cancel is looked at every plan (forty tasks or so) */
	x.from[K_PLAN] = x.nrec;
	for (size_t i = 0; i < s->nplans && !stopped(&x); i++)
		index_plan(&x, s->plans[i]);
	x.to[K_PLAN] = x.from[K_DOC] = x.nrec;
	for (size_t i = 0; i < s->ndocs && !stopped(&x); i++)
		if (!s->docs[i]->plan)
			index_doc(&x, s->docs[i]);
	x.to[K_DOC] = x.from[K_UNIT] = x.nrec;
	for (size_t i = 0; i < s->nunits && !stopped(&x); i++)
		index_unit(&x, s->units[i]);
	x.to[K_UNIT] = x.from[K_TASK] = x.nrec;
	for (size_t i = 0; i < s->nplans && !stopped(&x); i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++)
			index_task(&x, &p->tasks[j]);
	}
	x.to[K_TASK] = x.nrec;
	if (!stopped(&x)) {
		flush_chunk(&x);
		write_dictionary(&x);
		write_manifest(&x);
	}

	for (size_t i = 0; i < x.nterms; i++)
		for (int cl = 0; cl < CL_COUNT; cl++)
			free(x.terms[i].ids[cl].v);
	free(x.terms);
	for (size_t i = 0; i < x.nkeys; i++)
		free(x.keys[i]);
	free(x.keys);
	free(x.files);
	buf_free(&x.pack);
	free(x.raw.v);
	free(x.spell.v);
	free(x.phrases.v);
	free(x.phrase_at);
	free(x.pool);
	for (size_t i = 0; x.recent && i < RECENT_SLOTS; i++)
		free(x.recent[i].terms);
	free(x.recent);
	free(x.scratch);
	buf_free(&x.chunk);
	buf_free(&x.tplan_url);
	buf_free(&x.tplan_name);
	arena_free(x.a);
	return x.rc;
}

/* A number for search_inputs, then c (no printf: one a task). */
static void in_n(buf_t *b, size_t n, char c)
{
	char d[24];
	size_t k = sizeof d;
	d[--k] = c;
	do {
		d[--k] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_put(b, d + k, sizeof d - k);
}

/* A field for search_inputs: its length, then its bytes. */
static void in_s(buf_t *b, const char *s)
{
	if (!s) {
		buf_puts(b, "-\n");
		return;
	}
	in_n(b, strlen(s), ':');
	buf_puts(b, s);
	buf_putc(b, '\n');
}

void search_inputs(const site_t *s, buf_t *b)
{
	search_inputs_each(s, b, NULL, NULL);
}

void search_inputs_each(const site_t *s, buf_t *b, void (*take)(void *cls, buf_t *b), void *cls)
{
	/* what index_plan, index_doc, index_unit and index_task read, in
	 * their order; the records' addresses place the files */
	buf_printf(b, "search %d %d %d %d %zu %zu %zu\n", SEARCH_CHUNK, SEARCH_SHARD_MAX, SEARCH_FILE_MAX,
		   K_COUNT, s->nplans, s->ndocs, s->nunits);
	in_s(b, routes_dir(&s->routes, ROUTE_SEARCH));
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		buf_puts(b, "P\n");
		const char *f[] = { p->number, p->title, p->type, p->id, p->url,
				    p->has_issuer && p->issuer.unit ? p->issuer.unit->name : NULL };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			in_s(b, f[k]);
		buf_printf(b, "%d %ld\n", p->has_issuer, (long)p->date);
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			buf_puts(b, "T\n");
			in_s(b, t->title);
			in_s(b, t->output);
			in_s(b, t->id);
			in_n(b, t->lead.n, '\n');
			for (size_t k = 0; k < t->lead.n; k++)
				in_s(b, t->lead.v[k].unit ? t->lead.v[k].unit->name : t->lead.v[k].text);
		}
		if (take && b->len >= 1 << 20)
			take(cls, b);
	}
	for (size_t i = 0; i < s->ndocs; i++) {
		const doc_t *dc = s->docs[i];
		if (dc->plan)
			continue;
		buf_puts(b, "D\n");
		const char *f[] = { dc->number, dc->title, dc->type, dc->issuer, dc->url };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			in_s(b, f[k]);
		buf_printf(b, "%zu\n", dc->naliases);
		for (size_t k = 0; k < dc->naliases; k++)
			in_s(b, dc->aliases[k]);
	}
	for (size_t i = 0; i < s->nunits; i++) {
		const unit_t *u = s->units[i];
		buf_puts(b, "U\n");
		in_s(b, u->name);
		in_s(b, u->url);
		in_s(b, u->parent ? u->parent->name : NULL);
		buf_printf(b, "%zu\n", u->naliases);
		for (size_t k = 0; k < u->naliases; k++)
			in_s(b, u->aliases[k]);
	}
	if (take)
		take(cls, b);
}

struct out_arg {
	out_t *o;
	diag_t *d;
};

static int to_out(void *arg, const char *rel, const char *data, size_t len)
{
	struct out_arg *oa = arg;
	char *err = NULL;
	if (out_write(oa->o, rel, data, len, &err) < 0) {
		loc_t loc = { 0 };
		diag_error(oa->d, &loc, "E090", "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

int search_write(const site_t *s, out_t *o, diag_t *d, const atomic_int *cancel)
{
	struct out_arg oa = { o, d };
	return search_build_cancel(s, to_out, &oa, cancel);
}
