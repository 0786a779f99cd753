/* jsonw.c: JSON written as it is produced (see jsonw.h). */
#include "jsonw.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void jsonw_init(jsonw_t *w, int (*flush)(void *arg, const char *data, size_t len), void *arg)
{
	memset(w, 0, sizeof(*w));
	w->flush = flush;
	w->arg = arg;
	/* a piece and the value that passes it, without the copies of a
	 * buffer doubling from 64 bytes */
	if (flush)
		buf_grow(&w->b, 2 * JSONW_PIECE);
}

static void maybe_flush(jsonw_t *w, size_t at_least)
{
	if (!w->flush || w->b.len < at_least)
		return;
	if (!w->failed && w->flush(w->arg, w->b.ptr, w->b.len) < 0)
		w->failed = 1;
	buf_clear(&w->b);
}

int jsonw_finish(jsonw_t *w)
{
	assert(w->depth == 0);
	maybe_flush(w, 1);
	return w->failed ? -1 : 0;
}

void jsonw_free(jsonw_t *w)
{
	buf_free(&w->b);
}

/* Before a value: the comma after the previous element of its array (an
 * object's comma comes before the key). */
static void value(jsonw_t *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth && w->comma[w->depth - 1])
		buf_putc(&w->b, ',');
	if (w->depth)
		w->comma[w->depth - 1] = true;
}

static void open_(jsonw_t *w, int c)
{
	value(w);
	assert(w->depth < JSONW_DEPTH);
	buf_putc(&w->b, c);
	w->comma[w->depth++] = false;
}

static void close_(jsonw_t *w, int c)
{
	assert(w->depth > 0 && !w->after_key);
	w->depth--;
	buf_putc(&w->b, c);
	if (!w->depth)
		maybe_flush(w, 1);
	else
		maybe_flush(w, JSONW_PIECE);
}

void jsonw_raw(jsonw_t *w, const char *json, size_t n)
{
	value(w);
	buf_put(&w->b, json, n);
	/* as the close of the value it holds would */
	maybe_flush(w, w->depth ? JSONW_PIECE : 1);
}

void jsonw_obj(jsonw_t *w) { open_(w, '{'); }
void jsonw_obj_end(jsonw_t *w) { close_(w, '}'); }
void jsonw_arr(jsonw_t *w) { open_(w, '['); }
void jsonw_arr_end(jsonw_t *w) { close_(w, ']'); }

void jsonw_key(jsonw_t *w, const char *k)
{
	assert(w->depth > 0 && !w->after_key);
	if (w->comma[w->depth - 1])
		buf_putc(&w->b, ',');
	w->comma[w->depth - 1] = true;
	jsonw_put_string(&w->b, k);
	buf_putc(&w->b, ':');
	w->after_key = true;
}

void jsonw_key_quoted(jsonw_t *w, const char *q, size_t n)
{
	assert(w->depth > 0 && !w->after_key);
	buf_grow(&w->b, n + 1);
	if (w->comma[w->depth - 1])
		w->b.ptr[w->b.len++] = ',';
	w->comma[w->depth - 1] = true;
	memcpy(w->b.ptr + w->b.len, q, n);
	w->b.len += n;
	w->b.ptr[w->b.len] = '\0';
	w->after_key = true;
}

/* What each byte starts, for jsonw_put_string: a byte written as it is,
 * one escaped (the controls, '"', '\\', and the terminating NUL), the
 * lead byte of a 2-, 3- or 4-byte UTF-8 sequence (whose other bytes are
 * checked where it is used), or a byte no UTF-8 sequence starts with
 * (continuation bytes, C0, C1, F5-FF). */
enum { J_AS_IS, J_ESC, J_U2, J_U3, J_U4, J_BAD };
static const unsigned char jclass[256] = {
	/* 00 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 10 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 20 */ 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 30 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 40 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 50 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	/* 60 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 70 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 80 */ 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	/* 90 */ 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	/* A0 */ 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	/* B0 */ 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	/* C0 */ 5, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* D0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* E0 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* F0 */ 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

static inline bool cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Whether the 3-byte sequence led by s[0] is whole and valid: not
 * overlong (E0 needs A0-BF next), not a surrogate (ED needs 80-9F).  s is
 * NUL-terminated, so a cut sequence fails at the NUL. */
static inline bool u3_ok(const unsigned char *s)
{
	return cont(s[1]) && cont(s[2]) && (s[0] != 0xE0 || s[1] >= 0xA0) &&
	       (s[0] != 0xED || s[1] < 0xA0);
}

/* The same for 4 bytes: F0 needs 90-BF next (not overlong), F4 80-8F (not
 * past U+10FFFF). */
static inline bool u4_ok(const unsigned char *s)
{
	return cont(s[1]) && cont(s[2]) && cont(s[3]) && (s[0] != 0xF0 || s[1] >= 0x90) &&
	       (s[0] != 0xF4 || s[1] < 0x90);
}

void jsonw_put_string(buf_t *b, const char *str)
{
	/* one call per key and value of the open data (a million at 10k
	 * plans): the bytes that go as they are, plain ASCII and whole UTF-8
	 * sequences (Vietnamese has one every few bytes), are found by a
	 * table and copied in runs, into room made once for the usual case
	 * of nothing escaped */
	const unsigned char *s = (const unsigned char *)str;
	buf_grow(b, strlen(str) + 2);
	b->ptr[b->len++] = '"';
	const unsigned char *run = s;
	for (;;) {
		unsigned k = jclass[*s];
		if (k == J_AS_IS) {
			s++;
			continue;
		}
		if (k == J_U2 && cont(s[1])) {
			s += 2;
			continue;
		}
		if ((k == J_U3 && u3_ok(s)) || (k == J_U4 && u4_ok(s))) {
			s += k == J_U3 ? 3 : 4;
			continue;
		}
		if (s > run)
			buf_put(b, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (k != J_ESC) {
			buf_puts(b, "\xEF\xBF\xBD");   /* U+FFFD: not UTF-8 */
		} else {
			/* the escapes jansson writes: the short ones, else \u00XX */
			switch (*s) {
			case '"': buf_put(b, "\\\"", 2); break;
			case '\\': buf_put(b, "\\\\", 2); break;
			case '\b': buf_put(b, "\\b", 2); break;
			case '\f': buf_put(b, "\\f", 2); break;
			case '\n': buf_put(b, "\\n", 2); break;
			case '\r': buf_put(b, "\\r", 2); break;
			case '\t': buf_put(b, "\\t", 2); break;
			default: buf_printf(b, "\\u%04X", *s); break;
			}
		}
		run = ++s;
	}
	buf_putc(b, '"');
}

void jsonw_str(jsonw_t *w, const char *s)
{
	value(w);
	if (s)
		jsonw_put_string(&w->b, s);
	else
		buf_puts(&w->b, "null");
}

void jsonw_int(jsonw_t *w, long long v)
{
	value(w);
	/* by hand: the open data write a hundred thousand of them */
	char d[24], *p = d + sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_put(&w->b, p, (size_t)(d + sizeof d - p));
}

void jsonw_bool(jsonw_t *w, bool v)
{
	value(w);
	buf_puts(&w->b, v ? "true" : "false");
}

void jsonw_null(jsonw_t *w)
{
	value(w);
	buf_puts(&w->b, "null");
}
