/* diag.c: collection, sorting and printing of diagnostics. */
#include "diag.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "text.h"
#include "util.h"

/* A message is 16 bytes: its file and its kind (code, severity, text and
 * suggestion, kept once: a check on thousands of tasks says the same
 * words, 485 kinds for 300,000 warnings at 10,000 plans) as indexes, and
 * its position.  A portal of 400,000 tasks has 300,000 of them; they were
 * 56 bytes and more (a record in an arena, a pointer to it, an array of
 * pointers doubling) and held 18-20 MB through the build's peak. */
struct msg {
	uint32_t path;   /* index in d->str; 0: "" (no file) */
	uint32_t kind;   /* index in d->kind */
	int32_t line, col;
};

struct kind {
	uint32_t code, text, fix;   /* indexes in d->str; 0: "" (fix: none) */
	uint32_t error;
};

/* messages in blocks that never move: no doubling array with its old and
 * new copies at once */
#define BLOCK_BITS 12
#define BLOCK (1u << BLOCK_BITS)

struct diag {
	pthread_mutex_t lock;
	struct msg **block;
	size_t nblock;
	size_t n;
	size_t errors, warnings;
	/* every string (paths, codes, texts, suggestions, diag_str's results)
	 * kept once in a, numbered; 0 is "" */
	arena_t *a;
	size_t abytes;      /* what the strings take in a */
	struct {
		const char *s;
		uint32_t len;
		uint32_t h;     /* hash_words of its bytes, folded */
	} *str;
	size_t nstr, capstr;
	/* the strings by their bytes, open addressing: index in str, 0
	 * empty.  A table of its own, hashed a word at a time: strmap's hash
	 * of a message's text byte by byte was 470 instructions a message */
	uint32_t *ids;
	size_t capids;
	/* the strings interned lately by address: a check reports the same
	 * file, code and suggestion again and again, and comparing the text
	 * with the copy is cheaper than hashing it */
	struct {
		const char *from;
		uint32_t id;
	} recent[64];
	struct kind *kind;
	size_t nkind, capkind;
	uint32_t *khash;    /* open addressing: kind index + 1, 0 empty */
	size_t capkhash;
	/* print order, made when printed: indexes of messages */
	uint32_t *order;
	size_t norder;      /* messages it covers; d->n when up to date */
};

diag_t *diag_new(void)
{
	diag_t *d = xcalloc(1, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

void diag_free(diag_t *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblock; i++)
		free(d->block[i]);
	free(d->block);
	arena_free(d->a);
	free(d->str);
	free(d->ids);
	free(d->kind);
	free(d->khash);
	free(d->order);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void diag_reset(diag_t *d)
{
	pthread_mutex_lock(&d->lock);
	/* the blocks of messages stay, to be filled again (add_text makes a
	 * block only past the last one) */
	d->n = d->errors = d->warnings = 0;
	if (d->a)
		arena_reset(d->a);
	d->abytes = 0;
	/* string 0 ("") stays; intern_len makes d->str on first use */
	if (d->nstr)
		d->nstr = 1;
	if (d->capids)
		memset(d->ids, 0, d->capids * sizeof(*d->ids));
	memset(d->recent, 0, sizeof d->recent);
	d->nkind = 0;
	if (d->capkhash)
		memset(d->khash, 0, d->capkhash * sizeof(*d->khash));
	free(d->order);
	d->order = NULL;
	d->norder = 0;
	pthread_mutex_unlock(&d->lock);
}

size_t diag_heap(const diag_t *d)
{
	return sizeof(*d) + d->nblock * (sizeof(*d->block) + BLOCK * sizeof(struct msg)) +
	       d->abytes + d->capstr * sizeof(*d->str) +
	       d->capids * sizeof(*d->ids) +
	       d->capkind * sizeof(*d->kind) + d->capkhash * sizeof(*d->khash) +
	       d->norder * sizeof(*d->order);
}

static struct msg *at(const diag_t *d, size_t i)
{
	return &d->block[i >> BLOCK_BITS][i & (BLOCK - 1)];
}

static const struct kind *kind_of(const diag_t *d, const struct msg *m)
{
	return &d->kind[m->kind];
}

static const char *S(const diag_t *d, uint32_t id)
{
	return id ? d->str[id].s : "";
}

static size_t L(const diag_t *d, uint32_t id)
{
	return id ? d->str[id].len : 0;
}

/* The index of the one copy of s (under d->lock). */
static uint32_t intern_len(diag_t *d, const char *s, size_t len)
{
	if (!*s)
		return 0;
	size_t r = ((uintptr_t)s >> 3) % (sizeof d->recent / sizeof *d->recent);
	if (d->recent[r].from == s && !strcmp(d->str[d->recent[r].id].s, s))
		return d->recent[r].id;
	uint64_t h64 = hash_words(HASH_INIT, s, len);
	uint32_t h = (uint32_t)(h64 ^ h64 >> 32);
	if (!d->nstr) {   /* index 0 is "" */
		d->capstr = 64;
		d->str = xcalloc(d->capstr, sizeof(*d->str));
		d->str[0].s = "";
		d->nstr = 1;
	}
	if (2 * d->nstr > d->capids) {   /* ids holds nstr - 1 */
		size_t cap = d->capids ? 2 * d->capids : 256;
		uint32_t *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 1; i < d->nstr; i++) {
			size_t j = d->str[i].h & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = (uint32_t)i;
		}
		free(d->ids);
		d->ids = v;
		d->capids = cap;
	}
	size_t j = h & (d->capids - 1);
	uint32_t id;
	for (; (id = d->ids[j]); j = (j + 1) & (d->capids - 1))
		if (d->str[id].h == h && d->str[id].len == len && !memcmp(d->str[id].s, s, len))
			break;
	if (!id) {
		if (!d->a)
			d->a = arena_new();
		if (d->nstr == d->capstr) {
			d->capstr *= 2;
			d->str = xrealloc(d->str, d->capstr * sizeof(*d->str));
		}
		char *c = arena_strndup(d->a, s, len);
		d->abytes += len + 1;
		id = (uint32_t)d->nstr++;
		d->str[id].s = c;
		d->str[id].len = (uint32_t)len;
		d->str[id].h = h;
		d->ids[j] = id;
	}
	d->recent[r].from = s;
	d->recent[r].id = id;
	return id;
}

static uint32_t intern(diag_t *d, const char *s)
{
	return intern_len(d, s, strlen(s));
}

static size_t khash_of(const struct kind *k)
{
	uint64_t h = k->code * 0x9E3779B97F4A7C15ull;
	h = (h ^ k->text) * 0x9E3779B97F4A7C15ull;
	h = (h ^ k->fix) * 0x9E3779B97F4A7C15ull;
	h = (h ^ k->error) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32);
}

/* The index of kind k, added if new (under d->lock). */
static uint32_t kind_id(diag_t *d, const struct kind *k)
{
	if ((d->nkind + 1) * 2 > d->capkhash) {
		size_t cap = d->capkhash ? 2 * d->capkhash : 64;
		uint32_t *h = xcalloc(cap, sizeof(*h));
		for (size_t i = 0; i < d->nkind; i++) {
			size_t j = khash_of(&d->kind[i]) & (cap - 1);
			while (h[j])
				j = (j + 1) & (cap - 1);
			h[j] = (uint32_t)i + 1;
		}
		free(d->khash);
		d->khash = h;
		d->capkhash = cap;
	}
	size_t j = khash_of(k) & (d->capkhash - 1);
	for (; d->khash[j]; j = (j + 1) & (d->capkhash - 1)) {
		const struct kind *o = &d->kind[d->khash[j] - 1];
		if (o->code == k->code && o->text == k->text && o->fix == k->fix && o->error == k->error)
			return d->khash[j] - 1;
	}
	if (d->nkind == d->capkind) {
		d->capkind = d->capkind ? 2 * d->capkind : 32;
		d->kind = xrealloc(d->kind, d->capkind * sizeof(*d->kind));
	}
	d->kind[d->nkind] = *k;
	d->khash[j] = (uint32_t)d->nkind + 1;
	return (uint32_t)d->nkind++;
}

/* Records a message whose text is text[0..len); loc's path, the code,
 * the text and fix are copied (interned). */
static void add_text(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		     const char *text, size_t len)
{
	pthread_mutex_lock(&d->lock);
	if (!(d->n & (BLOCK - 1)) && d->n >> BLOCK_BITS == d->nblock) {
		d->block = xrealloc(d->block, (d->nblock + 1) * sizeof(*d->block));
		d->block[d->nblock++] = xmalloc(BLOCK * sizeof(struct msg));
	}
	struct msg *m = at(d, d->n++);
	m->path = intern(d, loc && loc->path ? loc->path : "");
	m->line = loc ? loc->line : 0;
	m->col = loc ? loc->col : 0;
	/* text[len] is its NUL (a buffer's or a kept message's) */
	struct kind k = { intern(d, code ? code : ""), intern_len(d, text, len),
			  fix && *fix ? intern(d, fix) : 0, error ? 1u : 0u };
	m->kind = kind_id(d, &k);
	if (error)
		d->errors++;
	else
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

/* fmt into t[0..cap) as vsnprintf would when its only conversions are
 * %s, %d and %%: the length, or -1 (fmt has another conversion, or the
 * text does not fit) with ap untouched.  Every warning of a build is one
 * of these ("nhiệm vụ %s ..."): vsnprintf was 870 instructions of the
 * 2,030 a message cost (32,032 warnings at 1k plans). */
static int format_simple(char *t, size_t cap, const char *fmt, va_list ap)
{
	for (const char *p = fmt; (p = strchr(p, '%')); p += 2)
		if (p[1] != 's' && p[1] != 'd' && p[1] != '%')
			return -1;
	va_list aq;
	va_copy(aq, ap);
	size_t n = 0;
	int rc = 0;
	for (const char *p = fmt; *p && rc == 0;) {
		const char *piece = p;
		size_t len;
		char num[16];
		if (*p != '%') {   /* the words up to the next conversion, at once */
			const char *e = strchr(p, '%');
			len = e ? (size_t)(e - p) : strlen(p);
			p += len;
		} else if (p[1] == 's') {
			piece = va_arg(aq, const char *);
			if (!piece)
				piece = "(null)";
			len = strlen(piece);
			p += 2;
		} else if (p[1] == 'd') {
			int v = va_arg(aq, int);
			unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
			size_t k = sizeof num;
			do
				num[--k] = (char)('0' + u % 10);
			while ((u /= 10));
			if (v < 0)
				num[--k] = '-';
			piece = num + k;
			len = sizeof num - k;
			p += 2;
		} else {   /* "%%" */
			len = 1;
			p += 2;
		}
		if (n + len >= cap)
			rc = -1;
		else {
			memcpy(t + n, piece, len);
			n += len;
		}
	}
	va_end(aq);
	if (rc)
		return -1;
	t[n] = '\0';
	return (int)n;
}

static void add(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		const char *fmt, va_list ap)
{
	/* most texts have no argument or a short one: formatted on the stack */
	char t[512];
	int len = format_simple(t, sizeof t, fmt, ap);
	if (len >= 0) {
		add_text(d, loc, error, code, fix, t, (size_t)len);
		return;
	}
	va_list aq;
	va_copy(aq, ap);
	len = vsnprintf(t, sizeof t, fmt, aq);
	va_end(aq);
	if (len >= 0 && (size_t)len < sizeof t) {
		add_text(d, loc, error, code, fix, t, (size_t)len);
		return;
	}
	buf_t b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	add_text(d, loc, error, code, fix, b.ptr ? b.ptr : "", b.len);
	buf_free(&b);
}

void diag_report(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, loc, error, code, fix, fmt, ap);
	va_end(ap);
}

const char *diag_str(diag_t *d, const char *fmt, ...)
{
	buf_t b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&d->lock);
	/* kept once like the messages' strings: the same suggestion is made
	 * for thousands of tasks */
	const char *s = S(d, intern_len(d, b.ptr ? b.ptr : "", b.len));
	pthread_mutex_unlock(&d->lock);
	buf_free(&b);
	return s;
}

size_t diag_errors(const diag_t *d)
{
	return d->errors;
}

size_t diag_warnings(const diag_t *d)
{
	return d->warnings;
}

static int by_str(const void *a, const void *b, void *arg)
{
	const diag_t *d = arg;
	return strcmp(d->str[*(const uint32_t *)a].s, d->str[*(const uint32_t *)b].s);
}

/* Within one file and severity: by position, then order of report. */
static int by_pos(const void *a, const void *b, void *arg)
{
	const diag_t *d = arg;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct msg *x = at(d, i), *y = at(d, j);
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Duplicates (same place, severity, code and text) are printed once. */
static int same(const diag_t *d, const struct msg *a, const struct msg *b)
{
	if (!a)
		return 0;
	const struct kind *ka = kind_of(d, a), *kb = kind_of(d, b);
	return a->path == b->path && a->line == b->line && a->col == b->col && ka->error == kb->error &&
	       ka->code == kb->code && ka->text == kb->text;
}

/* Makes d->order, the print order: errors first (they are what stops a
 * build), then by file (bytes), position and order of report.  The
 * messages stay in report order.  Bucketed by severity and file (a
 * counting sort), then each file's few messages sorted: a comparison sort
 * of them all cost more than writing them. */
static void sort(diag_t *d)
{
	pthread_mutex_lock(&d->lock);
	if (d->norder != d->n || !d->order) {
		free(d->order);
		size_t n = d->n, ns = d->nstr ? d->nstr : 1;
		d->order = xmalloc((n ? n : 1) * sizeof(*d->order));
		d->norder = n;
		/* the files' ranks in byte order (index in d->str -> rank) */
		uint32_t *rank = xcalloc(ns, sizeof(*rank));
		for (size_t i = 0; i < n; i++)
			rank[at(d, i)->path] = 1;
		uint32_t *ids = xmalloc(ns * sizeof(*ids));
		size_t np = 0;
		for (size_t i = 0; i < d->nstr; i++)
			if (rank[i] || !i)
				ids[np++] = (uint32_t)i;
		qsort_r(ids, np, sizeof(*ids), by_str, d);
		for (size_t i = 0; i < np; i++)
			rank[ids[i]] = (uint32_t)i;
		free(ids);
		/* bucket: errors' files, then warnings' files */
		size_t nb = 2 * np;
		size_t *start = xcalloc(nb + 1, sizeof(*start));
		for (size_t i = 0; i < n; i++) {
			const struct msg *m = at(d, i);
			start[(d->kind[m->kind].error ? 0 : np) + rank[m->path] + 1]++;
		}
		for (size_t b = 0; b < nb; b++)
			start[b + 1] += start[b];
		size_t *fill = xmalloc((nb ? nb : 1) * sizeof(*fill));
		memcpy(fill, start, nb * sizeof(*fill));
		for (size_t i = 0; i < n; i++) {
			const struct msg *m = at(d, i);
			d->order[fill[(d->kind[m->kind].error ? 0 : np) + rank[m->path]]++] = (uint32_t)i;
		}
		free(fill);
		free(rank);
		for (size_t b = 0; b < nb; b++) {
			uint32_t *v = d->order + start[b];
			size_t k = start[b + 1] - start[b], j = 1;
			while (j < k && by_pos(&v[j - 1], &v[j], d) < 0)
				j++;
			if (j < k)   /* not already in order */
				qsort_r(v, k, sizeof(*v), by_pos, d);
		}
		free(start);
	}
	pthread_mutex_unlock(&d->lock);
}

static void put_int(buf_t *out, int v)
{
	char t[16];
	size_t n = sizeof t;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		t[--n] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		t[--n] = '-';
	buf_put(out, t + n, sizeof t - n);
}

static void put_str(buf_t *out, const diag_t *d, uint32_t id)
{
	if (id)
		buf_put(out, d->str[id].s, d->str[id].len);
}

/* Tens of thousands of messages a build at 1,000 plans, formatted again
 * after every edit in serve: pieces appended, not printf'd; into f (when
 * not NULL) a block at a time, without holding the whole text. */
static void format_all(diag_t *d, buf_t *out, FILE *f)
{
	sort(d);
	/* TRANSLATORS: introduces the suggestion after a message */
	const char *fixfmt = _(" — gợi ý: %s");
	const char *pct = strstr(fixfmt, "%s");
	int plain = pct && !strstr(pct + 2, "%");   /* one %s and no other conversion */
	size_t prelen = plain ? (size_t)(pct - fixfmt) : 0, postlen = plain ? strlen(pct + 2) : 0;
	const struct msg *prev = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct msg *m = at(d, d->order[i]);
		if (same(d, prev, m))
			continue;
		prev = m;
		const struct kind *k = kind_of(d, m);
		/* the severity word stays English: editors' and CI tools find
		 * the line by it; the code after it leads to plansite(5) */
		const char *kind = k->error ? "error: " : "warning: ";
		size_t kindlen = k->error ? 7 : 9;
		if (!m->path)
			buf_puts(out, "plansite: ");
		else {
			put_str(out, d, m->path);
			if (m->line > 0) {
				buf_putc(out, ':');
				put_int(out, m->line);
				buf_putc(out, ':');
				put_int(out, m->col > 0 ? m->col : 1);
			}
			buf_put(out, ": ", 2);
		}
		buf_put(out, kind, kindlen);
		if (k->code) {
			buf_putc(out, '[');
			put_str(out, d, k->code);
			buf_put(out, "] ", 2);
		}
		put_str(out, d, k->text);
		if (k->fix && plain) {
			buf_put(out, fixfmt, prelen);
			put_str(out, d, k->fix);
			buf_put(out, pct + 2, postlen);
		} else if (k->fix) {
			buf_printf(out, fixfmt, S(d, k->fix));
		}
		buf_putc(out, '\n');
		if (f && out->len >= 64 * 1024) {
			fwrite(out->ptr, 1, out->len, f);
			out->len = 0;
		}
	}
}

void diag_print(diag_t *d, FILE *f)
{
	buf_t b = BUF_INIT;
	format_all(d, &b, f);
	if (b.len)
		fwrite(b.ptr, 1, b.len, f);
	buf_free(&b);
}

char *diag_format(diag_t *d)
{
	buf_t b = BUF_INIT;
	format_all(d, &b, NULL);
	return buf_detach(&b);
}

static bool same_str(const diag_t *a, uint32_t x, const diag_t *b, uint32_t y)
{
	return L(a, x) == L(b, y) && !memcmp(S(a, x), S(b, y), L(a, x));
}

/* The next message diag_print prints after position *i of d->order (its
 * duplicates skipped), or NULL at the end. */
static const struct msg *next_printed(const diag_t *d, size_t *i, const struct msg *prev)
{
	while (*i < d->n) {
		const struct msg *m = at(d, d->order[(*i)++]);
		if (!same(d, prev, m))
			return m;
	}
	return NULL;
}

bool diag_same(diag_t *a, diag_t *b)
{
	if (a->errors != b->errors || a->warnings != b->warnings)
		return false;
	sort(a);
	sort(b);
	size_t i = 0, j = 0;
	const struct msg *x = NULL, *y = NULL;
	for (;;) {
		x = next_printed(a, &i, x);
		y = next_printed(b, &j, y);
		if (!x || !y)
			return !x && !y;
		const struct kind *kx = kind_of(a, x), *ky = kind_of(b, y);
		/* every part of the line diag_print writes (the position as
		 * stored: stricter than printed, never looser) */
		if (x->line != y->line || x->col != y->col || kx->error != ky->error ||
		    !same_str(a, x->path, b, y->path) || !same_str(a, kx->code, b, ky->code) ||
		    !same_str(a, kx->text, b, ky->text) || !same_str(a, kx->fix, b, ky->fix))
			return false;
	}
}

/* A JSON string; a byte that is not UTF-8 (a file name in another
 * encoding) becomes "?" rather than losing the message. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *c = xstrdup(s);
	size_t len = strlen(c);
	long bad;
	while ((bad = text_utf8_invalid(c, len)) >= 0)
		c[bad] = '?';
	j = json_string(c);
	free(c);
	return j;
}

void diag_print_json(diag_t *d, FILE *f)
{
	sort(d);
	const struct msg *prev = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct msg *m = at(d, d->order[i]);
		if (same(d, prev, m))
			continue;
		prev = m;
		const struct kind *k = kind_of(d, m);
		json_t *o = json_object();
		json_object_set_new(o, "file", m->path ? jstr(S(d, m->path)) : json_null());
		json_object_set_new(o, "line", m->line > 0 ? json_integer(m->line) : json_null());
		json_object_set_new(o, "column",
				    m->line > 0 ? json_integer(m->col > 0 ? m->col : 1) : json_null());
		json_object_set_new(o, "severity", json_string(k->error ? "error" : "warning"));
		json_object_set_new(o, "code", k->code ? json_string(S(d, k->code)) : json_null());
		json_object_set_new(o, "message", jstr(S(d, k->text)));
		json_object_set_new(o, "suggestion", k->fix ? jstr(S(d, k->fix)) : json_null());
		char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
		json_decref(o);
		if (s) {
			fputs(s, f);
			fputc('\n', f);
			free(s);
		}
	}
}

/* Errors whose file starts with prefix, except those of code skip that do
 * not name prefix again in their text (another file of the same source). */
static bool under(const diag_t *d, const struct msg *m, const char *prefix, const char *skip)
{
	const struct kind *k = kind_of(d, m);
	return k->error && !strncmp(S(d, m->path), prefix, strlen(prefix)) &&
	       (!skip || strcmp(S(d, k->code), skip) || strstr(S(d, k->text), prefix));
}

size_t diag_errors_under(const diag_t *d, const char *prefix, const char *skip)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += under(d, at(d, i), prefix, skip);
	return n;
}

char *diag_first_under(diag_t *d, const char *prefix, const char *skip)
{
	sort(d);
	for (size_t i = 0; i < d->n; i++)
		if (under(d, at(d, d->order[i]), prefix, skip)) {
			const struct msg *m = at(d, d->order[i]);
			const struct kind *k = kind_of(d, m);
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s:%d:%d: [%s] %s", S(d, m->path), m->line, m->col, S(d, k->code),
				   S(d, k->text));
			return buf_detach(&b);
		}
	return NULL;
}

/* Message i of from reported to to (the strings interned there once). */
static void copy_one(diag_t *to, const diag_t *from, size_t i)
{
	const struct msg *m = at(from, i);
	const struct kind *k = kind_of(from, m);
	loc_t loc = { S(from, m->path), m->line, m->col };
	add_text(to, &loc, (int)k->error, S(from, k->code), k->fix ? S(from, k->fix) : NULL, S(from, k->text),
		 L(from, k->text));
}

void diag_copy(diag_t *to, const diag_t *from)
{
	/* the path and the suggestion are interned by add_text: copied once
	 * (serve reports a kept plan's messages again after every edit) */
	for (size_t i = 0; i < from->n; i++)
		copy_one(to, from, i);
}

void diag_copy_range(diag_t *to, const diag_t *from, size_t first, size_t end)
{
	for (size_t i = first; i < end && i < from->n; i++)
		copy_one(to, from, i);
}

void diag_copy_under(diag_t *to, const diag_t *from, const char *prefix, const char *skip, int as_error)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct msg *m = at(from, i);
		if (!under(from, m, prefix, skip))
			continue;
		const struct kind *k = kind_of(from, m);
		loc_t loc = { S(from, m->path), m->line, m->col };
		add_text(to, &loc, as_error, S(from, k->code), k->fix ? S(from, k->fix) : NULL, S(from, k->text),
			 L(from, k->text));
	}
}
