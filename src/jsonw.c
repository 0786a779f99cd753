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

/* The length of the UTF-8 sequence at s (1-4), or 0 when it is not one:
 * overlong forms, surrogates and code points past U+10FFFF are not. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
	else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
	else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return n;
}

void jsonw_put_string(buf_t *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_putc(b, '"');
	while (*s) {
		const unsigned char *run = s;
		/* the bytes that go as they are, in one piece: plain ASCII and
		 * whole UTF-8 sequences (Vietnamese has one every few bytes) */
		for (;;) {
			if (*s >= 0x20 && *s != '"' && *s != '\\' && *s < 0x80) {
				s++;
			} else if (*s >= 0x80) {
				size_t n = utf8_len(s);
				if (!n)
					break;
				s += n;
			} else {
				break;
			}
		}
		if (s > run)
			buf_put(b, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s >= 0x80) {
			buf_puts(b, "\xEF\xBF\xBD");   /* U+FFFD: not UTF-8 */
			s++;
			continue;
		}
		/* the escapes jansson writes: the short ones, else \u00XX */
		switch (*s) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: buf_printf(b, "\\u%04X", *s); break;
		}
		s++;
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
