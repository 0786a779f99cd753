/* search_words.c: the words of the search index: Vietnamese-aware word
 * boundaries, lower-casing, document numbers, shard file names. */
#include "search_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"


/* ---- words -------------------------------------------------------------- */

static bool word_cp_slow(int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* Word characters below U+2000 (Latin, Vietnamese, combining marks), as a
 * bitmap: the category lookup per character was most of the build time. */
#define WORD_TABLE 0x2000
static unsigned char word_table[WORD_TABLE / 8];
static pthread_once_t word_once = PTHREAD_ONCE_INIT;
static atomic_bool word_ready;

static void word_table_init(void)
{
	for (int32_t c = 0; c < WORD_TABLE; c++)
		if (word_cp_slow(c))
			word_table[c >> 3] |= (unsigned char)(1 << (c & 7));
	atomic_store_explicit(&word_ready, true, memory_order_release);
}

/* The table, made once: pthread_once a call was 4M instructions of a
 * cold 1,000-plan build, a load is one. */
static inline void word_table_ready(void)
{
	if (!atomic_load_explicit(&word_ready, memory_order_acquire))
		pthread_once(&word_once, word_table_init);
}

static bool word_cp(int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	if (c < WORD_TABLE)
		return word_table[c >> 3] >> (c & 7) & 1;
	return word_cp_slow(c);
}

static bool cont(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/* The code point at p (n bytes left) and its length; an ill-formed byte
 * reads as one non-word code point.  The text was validated on read. */
size_t search_cp_at(const char *p, size_t n, int32_t *c)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] < 0x80) {
		*c = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0 && n >= 2 && cont(u[1])) {
		*c = (u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		return 2;
	}
	if ((u[0] & 0xF0) == 0xE0 && n >= 3 && cont(u[1]) && cont(u[2])) {
		*c = (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return 3;
	}
	if ((u[0] & 0xF8) == 0xF0 && n >= 4 && cont(u[1]) && cont(u[2]) && cont(u[3])) {
		*c = (u[0] & 0x07) << 18 | (u[1] & 0x3F) << 12 | (u[2] & 0x3F) << 6 | (u[3] & 0x3F);
		return 4;
	}
	*c = 0xFFFD;
	return 1;
}

static inline bool ascii_word(unsigned char b)
{
	return (unsigned)((b | 0x20) - 'a') < 26 || (unsigned)(b - '0') < 10;
}

/* Whether the code point at s[i] (of n bytes, not ASCII) is a word
 * character; *k gets its length.  Two- and three-byte sequences (all of
 * Vietnamese) decoded here, the rest by search_cp_at. */
static inline bool word_at_mb(const char *s, size_t n, size_t i, size_t *k)
{
	const unsigned char *u = (const unsigned char *)s + i;
	int32_t c;
	if ((u[0] & 0xE0) == 0xC0 && n - i >= 2 && cont(u[1])) {
		c = (u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		*k = 2;
	} else if ((u[0] & 0xF0) == 0xE0 && n - i >= 3 && cont(u[1]) && cont(u[2])) {
		c = (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		*k = 3;
	} else {
		*k = search_cp_at(s + i, n - i, &c);
	}
	return word_cp(c);
}

/* The next word of s[*pos..n): its start and length; false at the end.  The
 * same split as the script's /[\p{L}\p{M}\p{N}]+/gu.  ASCII bytes tested
 * in the loop itself: a call a character (word_at) made this 21M
 * instructions of a cold 1,000-plan build. */
bool search_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = *pos, k;
	word_table_ready();
	for (;;) {
		if (i >= n) {
			*pos = n;
			return false;
		}
		if (u[i] < 0x80) {
			if (ascii_word(u[i]))
				break;
			i++;
		} else {
			if (word_at_mb(s, n, i, &k))
				break;
			i += k;
		}
	}
	size_t b = i;
	while (i < n) {
		if (u[i] < 0x80) {
			if (!ascii_word(u[i]))
				break;
			i++;
		} else {
			if (!word_at_mb(s, n, i, &k))
				break;
			i += k;
		}
	}
	*start = b;
	*len = i - b;
	*pos = i;
	return true;
}

/* s[0..n) lower-cased one code point at a time, accents kept (the script
 * does toLowerCase()); malloc'd. */
char *search_lower(const char *s, size_t n)
{
	buf_t b = BUF_INIT;
	size_t i = 0;
	buf_grow(&b, n + 1);
	while (i < n) {
		int32_t c;
		size_t k = search_cp_at(s + i, n - i, &c);
		if (c < 0x80) {
			buf_putc(&b, c >= 'A' && c <= 'Z' ? c + 32 : c);
		} else {
			utf8proc_uint8_t tmp[4];
			utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c), tmp);
			buf_put(&b, (const char *)tmp, (size_t)m);
		}
		i += k;
	}
	return buf_detach(&b);
}

static size_t push_word(char ***out, size_t n, char *w)
{
	/* capacity doubles at powers of two: linear in the words of a long text */
	if ((n & (n - 1)) == 0)
		*out = xrealloc(*out, (n ? 2 * n : 1) * sizeof(**out));
	(*out)[n] = w;
	return n + 1;
}

size_t search_words(const char *text, char ***out)
{
	size_t n = 0, pos = 0, st, len, tl = strlen(text);
	*out = NULL;
	while (search_next_word(text, tl, &pos, &st, &len)) {
		char *raw = xstrndup(text + st, len);
		char *f = text_search_fold(raw);
		free(raw);
		if (*f)
			n = push_word(out, n, f);
		else
			free(f);
	}
	return n;
}

size_t search_number_words(const char *number, char ***out)
{
	char *key = text_docnum_key(number);
	char *f = text_search_fold(key);
	free(key);
	size_t n = search_words(f, out);
	free(f);
	if (n > 1) {
		buf_t b = BUF_INIT;
		for (size_t i = 0; i < n; i++)
			buf_puts(&b, (*out)[i]);
		n = push_word(out, n, buf_detach(&b));
	}
	return n;
}

void search_words_free(char **words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

char *search_shard_name(const char *key)
{
	buf_t b = BUF_INIT;
	size_t n = strlen(key), i = 0;
	while (i < n) {
		int32_t c;
		i += search_cp_at(key + i, n - i, &c);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_putc(&b, (char)c);
		else
			buf_printf(&b, "_%x_", (unsigned)c);
	}
	return buf_detach(&b);
}

