/* diag.c: collection, sorting and printing of diagnostics. */
#include "diag.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* 48 bytes: a portal of 400,000 tasks has 300,000 of them */
struct msg {
	const char *path;   /* interned (struct diag's strings) */
	const char *code;   /* a string literal */
	const char *text;   /* interned in d->a (d->texts) */
	const char *fix;    /* interned; NULL: no suggestion */
	int line, col;
	uint32_t seq;
	bool error;
};

struct diag {
	pthread_mutex_t lock;
	/* each message and its text in the arena, the list by pointer: a
	 * corpus of 400,000 tasks has 300,000 warnings, and an array of
	 * messages doubling (old and new copies at once) and a malloc'd
	 * text each were a third more than the messages themselves */
	arena_t *a;
	struct msg **v;
	size_t n, cap;
	size_t errors, warnings;
	char **strs;        /* diag_str's results */
	size_t nstrs;
	/* the messages' paths and suggestions, each kept once: a corpus of
	 * 40,000 tasks gets tens of thousands of warnings naming a thousand
	 * files with a dozen suggestions */
	strmap_t interned;
	char **own;
	size_t nown, capown;
	/* the copies of the pointers interned lately: a check reports the
	 * same file and the same suggestion again and again, and comparing
	 * the text with the copy is cheaper than hashing it */
	struct {
		const char *from, *copy;
	} recent[64];
	/* the texts, each kept once in a: the same check on thousands of
	 * tasks says the same words (463 texts for 32,000 warnings at 1,000
	 * plans), and a copy each was a third of the messages' memory */
	strmap_t texts;
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
	arena_free(d->a);
	free(d->v);
	for (size_t i = 0; i < d->nown; i++)
		free(d->own[i]);
	free(d->own);
	strmap_free(&d->interned);
	strmap_free(&d->texts);
	for (size_t i = 0; i < d->nstrs; i++)
		free(d->strs[i]);
	free(d->strs);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* The one copy of s (under d->lock). */
static const char *intern(diag_t *d, const char *s)
{
	size_t r = ((uintptr_t)s >> 3) % (sizeof d->recent / sizeof *d->recent);
	if (d->recent[r].from == s && !strcmp(d->recent[r].copy, s))
		return d->recent[r].copy;
	const char *have = strmap_get(&d->interned, s);
	d->recent[r].from = s;
	if (have) {
		d->recent[r].copy = have;
		return have;
	}
	char *c = xstrdup(s);
	if (d->nown == d->capown) {
		d->capown = d->capown ? 2 * d->capown : 64;
		d->own = xrealloc(d->own, d->capown * sizeof(*d->own));
	}
	d->own[d->nown++] = c;
	strmap_put(&d->interned, c, c);
	d->recent[r].copy = c;
	return c;
}

/* Records a message whose text is text[0..len); loc's path and fix are
 * copied (interned). */
static void add_text(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		     const char *text, size_t len)
{
	pthread_mutex_lock(&d->lock);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	if (!d->a)
		d->a = arena_new();
	struct msg *m = arena_alloc(d->a, sizeof(*m));
	d->v[d->n] = m;
	m->path = intern(d, loc && loc->path ? loc->path : "");
	m->line = loc ? loc->line : 0;
	m->col = loc ? loc->col : 0;
	m->error = error;
	m->seq = (uint32_t)d->n++;
	m->code = code ? code : "";
	/* text[len] is its NUL (a buffer's or a kept message's) */
	m->text = strmap_get(&d->texts, text);
	if (!m->text) {
		char *copy = arena_strndup(d->a, text, len);
		strmap_put(&d->texts, copy, copy);
		m->text = copy;
	}
	m->fix = fix && *fix ? intern(d, fix) : NULL;
	if (error)
		d->errors++;
	else
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

static void add(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		const char *fmt, va_list ap)
{
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
	char *s = buf_detach(&b);
	pthread_mutex_lock(&d->lock);
	d->strs = xrealloc(d->strs, (d->nstrs + 1) * sizeof(*d->strs));
	d->strs[d->nstrs++] = s;
	pthread_mutex_unlock(&d->lock);
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

/* Errors first: they are what stops a build; then by position. */
static int cmp(const void *a, const void *b)
{
	const struct msg *x = *(struct msg *const *)a, *y = *(struct msg *const *)b;
	if (x->error != y->error)
		return x->error ? -1 : 1;
	/* a diag keeps one copy of each path: one file's compare at once */
	int c = x->path == y->path ? 0 : strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int same(const struct msg *a, const struct msg *b)
{
	return a && (a->path == b->path || !strcmp(a->path, b->path)) && a->line == b->line && a->col == b->col &&
	       a->error == b->error && !strcmp(a->code, b->code) && !strcmp(a->text, b->text);
}

static void sort(diag_t *d)
{
	pthread_mutex_lock(&d->lock);
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), cmp);
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

/* Tens of thousands of messages a build at 1,000 plans, formatted again
 * after every edit in serve: pieces appended, not printf'd. */
static void format_all(diag_t *d, buf_t *out)
{
	sort(d);
	/* TRANSLATORS: introduces the suggestion after a message */
	const char *fixfmt = _(" — gợi ý: %s");
	const char *pct = strstr(fixfmt, "%s");
	int plain = pct && !strstr(pct + 2, "%");   /* one %s and no other conversion */
	const struct msg *prev = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct msg *m = d->v[i];
		if (same(prev, m))
			continue;
		prev = m;
		/* the severity word stays English: editors' and CI tools find
		 * the line by it; the code after it leads to plansite(5) */
		const char *kind = m->error ? "error" : "warning";
		if (!*m->path)
			buf_printf(out, "plansite: %s: ", kind);
		else if (m->line > 0) {
			buf_puts(out, m->path);
			buf_putc(out, ':');
			put_int(out, m->line);
			buf_putc(out, ':');
			put_int(out, m->col > 0 ? m->col : 1);
			buf_puts(out, ": ");
			buf_puts(out, kind);
			buf_puts(out, ": ");
		} else
			buf_printf(out, "%s: %s: ", m->path, kind);
		if (*m->code) {
			buf_putc(out, '[');
			buf_puts(out, m->code);
			buf_puts(out, "] ");
		}
		buf_puts(out, m->text);
		if (m->fix && plain) {
			buf_put(out, fixfmt, (size_t)(pct - fixfmt));
			buf_puts(out, m->fix);
			buf_puts(out, pct + 2);
		} else if (m->fix) {
			buf_printf(out, fixfmt, m->fix);
		}
		buf_putc(out, '\n');
	}
}

void diag_print(diag_t *d, FILE *f)
{
	buf_t b = BUF_INIT;
	format_all(d, &b);
	if (b.len)
		fwrite(b.ptr, 1, b.len, f);
	buf_free(&b);
}

char *diag_format(diag_t *d)
{
	buf_t b = BUF_INIT;
	format_all(d, &b);
	return buf_detach(&b);
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
		const struct msg *m = d->v[i];
		if (same(prev, m))
			continue;
		prev = m;
		json_t *o = json_object();
		json_object_set_new(o, "file", *m->path ? jstr(m->path) : json_null());
		json_object_set_new(o, "line", m->line > 0 ? json_integer(m->line) : json_null());
		json_object_set_new(o, "column",
				    m->line > 0 ? json_integer(m->col > 0 ? m->col : 1) : json_null());
		json_object_set_new(o, "severity", json_string(m->error ? "error" : "warning"));
		json_object_set_new(o, "code", *m->code ? json_string(m->code) : json_null());
		json_object_set_new(o, "message", jstr(m->text));
		json_object_set_new(o, "suggestion", m->fix ? jstr(m->fix) : json_null());
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
static bool under(const struct msg *m, const char *prefix, const char *skip)
{
	return m->error && !strncmp(m->path, prefix, strlen(prefix)) &&
	       (!skip || strcmp(m->code, skip) || strstr(m->text, prefix));
}

size_t diag_errors_under(const diag_t *d, const char *prefix, const char *skip)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += under(d->v[i], prefix, skip);
	return n;
}

char *diag_first_under(diag_t *d, const char *prefix, const char *skip)
{
	sort(d);
	for (size_t i = 0; i < d->n; i++)
		if (under(d->v[i], prefix, skip)) {
			const struct msg *m = d->v[i];
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s:%d:%d: [%s] %s", m->path, m->line, m->col, m->code, m->text);
			return buf_detach(&b);
		}
	return NULL;
}

void diag_copy(diag_t *to, const diag_t *from)
{
	/* the path and the suggestion are interned by add_text: copied once
	 * (serve reports a kept plan's messages again after every edit) */
	for (size_t i = 0; i < from->n; i++) {
		const struct msg *m = from->v[i];
		loc_t loc = { m->path, m->line, m->col };
		add_text(to, &loc, m->error, m->code, m->fix, m->text, strlen(m->text));
	}
}

void diag_copy_range(diag_t *to, const diag_t *from, size_t first, size_t end)
{
	for (size_t i = first; i < end && i < from->n; i++) {
		const struct msg *m = from->v[i];
		loc_t loc = { m->path, m->line, m->col };
		add_text(to, &loc, m->error, m->code, m->fix, m->text, strlen(m->text));
	}
}

void diag_copy_under(diag_t *to, const diag_t *from, const char *prefix, const char *skip, int as_error)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct msg *m = from->v[i];
		if (!under(m, prefix, skip))
			continue;
		loc_t loc = { diag_str(to, "%s", m->path), m->line, m->col };
		diag_report(to, &loc, as_error, m->code, m->fix ? diag_str(to, "%s", m->fix) : NULL, "%s", m->text);
	}
}
