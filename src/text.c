/* text.c: Vietnamese-aware text keys (NFC, name and number keys, slugs, search folding). */
#include "text.h"
#include "hash.h"
#include "util.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- UTF-8 ------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when the bytes
 * there are ill-formed.  Follows the Unicode table of well-formed byte
 * sequences, so overlong forms, surrogates and code points past U+10FFFF are
 * rejected (and NUL, which a C string could not carry anyway). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;

	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	/* the second byte's range is what excludes overlongs and surrogates */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/* w as read from little-endian memory. */
static uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(w);
#else
	return w;
#endif
}

/* Which of the 8 bytes at p are not ASCII or are NUL, as their high bits
 * (0: all ASCII, no NUL).  Most of a plan file's bytes are ASCII (keys,
 * indentation, numbers, dates), and a word at a time is what keeps the
 * scans below from costing a tenth of the parse. */
static uint64_t not_ascii8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	/* the high bit of each byte that is 0x80 or more, or NUL; a borrow can
	 * mark a byte past a NUL too, never one before the first marked (in
	 * memory order, on a little-endian machine) */
	w = le64(w);
	return (w | ((w - ones) & ~w)) & highs;
}

/* Whether the 8 bytes at p are all ASCII and none is NUL. */
static bool ascii8(const unsigned char *p)
{
	return !not_ascii8(p);
}

long text_utf8_invalid(const char *s, size_t len)
{
	return text_utf8_scan(s, len, NULL);
}

/* A code point that is NFC_QC=Yes and never combines with what precedes
 * it, from the blocks Vietnamese text is written in: ASCII, Latin-1 and
 * Latin Extended (below U+0300), Latin Extended Additional (the precomposed
 * Vietnamese letters), and common punctuation, arrows and math symbols
 * (none of them singletons).  Anything else takes the full path. */
static bool nfc_stable(int32_t c)
{
	return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x2027) ||
	       (c >= 0x2030 && c <= 0x205E) || (c >= 0x2190 && c <= 0x22FF);
}

/* The code point of the well-formed sequence of n bytes at p. */
static int32_t utf8_decode(const unsigned char *p, size_t n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return (int32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	case 3:
		return (int32_t)(p[0] & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	default:
		return (int32_t)(p[0] & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 |
		       (int32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
	}
}

long text_utf8_scan(const char *s, size_t len, bool *nfc)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	bool stable = true;

	while (i < len) {
		if (i + 8 <= len) {
			/* Vietnamese has a letter with a mark in most words:
			 * skip straight to the first byte that is not ASCII
			 * (or is NUL) of the word, the lowest one marked */
			uint64_t m = not_ascii8(p + i);
			if (!m) {
				i += 8;
				continue;
			}
			i += (size_t)__builtin_ctzll(m) >> 3;
		} else if (p[i] && p[i] < 0x80) {
			i++;
			continue;
		}
		/* the letters of Vietnamese, checked in place: two bytes
		 * (Latin-1, Latin Extended; from U+0300 on, combining marks and
		 * other scripts, which nfc_stable leaves to the full path) and
		 * Latin Extended Additional (U+1E00..U+1EFF, E1 B8..BB xx) */
		unsigned char c = p[i];
		if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
			if (c >= 0xCC)
				stable = false;
			i += 2;
			continue;
		}
		if (c == 0xE1 && i + 2 < len && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB &&
		    (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			return (long)i;
		if (n > 1 && stable && nfc && !nfc_stable(utf8_decode(p + i, n)))
			stable = false;
		i += n;
	}
	if (nfc)
		*nfc = stable;
	return -1;
}

/* Copies s[0..len) with each ill-formed byte replaced by U+FFFD, so that the
 * utf8proc calls below never fail on input that broke the "valid UTF-8"
 * precondition: a wrong key is better than a crash in the middle of a build. */
static char *utf8_sanitize(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_t b = BUF_INIT;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0 && p[i] == 0)
			n = 1;	/* NUL is valid for utf8proc; keep it */
		if (n == 0) {
			buf_put(&b, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			buf_put(&b, s + i, n);
			i += n;
		}
	}
	*outlen = b.len;
	return buf_detach(&b);
}

char *text_utf8_repair(const char *s)
{
	size_t n;
	char *r = utf8_sanitize(s, strlen(s), &n);
	return r ? r : xstrdup("");
}

/* utf8proc_map over s[0..len) into a malloc'd string. */
static char *map(const char *s, size_t len, utf8proc_option_t opt,
		 size_t *outlen)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			 &dst, opt);
	if (n < 0) {
		size_t clen;
		char *clean = utf8_sanitize(s, len, &clen);
		n = utf8proc_map((const utf8proc_uint8_t *)clean,
				 (utf8proc_ssize_t)clen, &dst, opt);
		free(clean);
		if (n < 0)	/* only out of memory is left */
			abort();
	}
	if (outlen)
		*outlen = (size_t)n;
	return (char *)dst;
}

char *text_nfc(const char *s, size_t len, size_t *outlen)
{
	/* quick check: text made only of such code points is already NFC, and
	 * nearly all Vietnamese text is; normalising it anyway dominated the
	 * time spent reading content */
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < len) {
		if (i + 8 <= len && ascii8(p + i)) {
			i += 8;
			continue;
		}
		if (p[i] < 0x80 && p[i]) {
			i++;
			continue;
		}
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (n <= 0 || c == 0 || !nfc_stable(c))
			return map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, outlen);
		i += (size_t)n;
	}
	if (outlen)
		*outlen = len;
	return xstrndup(s, len);
}

/* A decoded string: an array of code points. */
typedef struct {
	int32_t *cp;
	size_t n, cap;
} cps_t;

static void cps_push(cps_t *c, int32_t v)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->cp = xrealloc(c->cp, c->cap * sizeof(*c->cp));
	}
	c->cp[c->n++] = v;
}

/* Decodes already-normalised (hence valid) UTF-8. */
static cps_t decode(const char *s, size_t len)
{
	cps_t c = { NULL, 0, 0 };
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t v;
		utf8proc_ssize_t k = utf8proc_iterate(p + i,
						      (utf8proc_ssize_t)(len - i), &v);
		if (k <= 0) {
			v = 0xFFFD;
			k = 1;
		}
		cps_push(&c, v);
		i += (size_t)k;
	}
	return c;
}

static void encode(buf_t *b, const int32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		utf8proc_uint8_t tmp[4];
		utf8proc_ssize_t k = utf8proc_encode_char(cp[i], tmp);
		buf_put(b, (const char *)tmp, (size_t)k);
	}
}

/* Encodes cp[0..n) and NFC-normalises the result; malloc'd. */
static char *encode_nfc(const int32_t *cp, size_t n)
{
	buf_t b = BUF_INIT;
	encode(&b, cp, n);
	char *out = text_nfc(b.ptr ? b.ptr : "", b.len, NULL);
	buf_free(&b);
	return out;
}

static bool is_space(int32_t c)
{
	if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
	    c == 0x85)
		return true;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		return false;
	}
}

/* The dashes people type (or word processors substitute) between the parts
 * of a name or number: hyphen-minus, hyphen, non-breaking hyphen, figure
 * dash, en dash, em dash, horizontal bar, minus sign, small and fullwidth
 * hyphen-minus. */
static bool is_dash(int32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	       c == 0xFE63 || c == 0xFF0D;
}

static bool is_mark(int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return true;
	default:
		return false;
	}
}

static bool is_letter(int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return true;
	default:
		return false;
	}
}

/* ---- Vietnamese tone placement ------------------------------------------ */

/* The five tone marks as NFD combining characters: grave (huyền), acute
 * (sắc), hook above (hỏi), tilde (ngã), dot below (nặng). */
static bool is_tone(int32_t c)
{
	return c == 0x0300 || c == 0x0301 || c == 0x0309 || c == 0x0303 ||
	       c == 0x0323;
}

/* The vowel-quality marks: circumflex (â ê ô), breve (ă), horn (ơ ư). */
enum { Q_NONE, Q_CIRC, Q_BREVE, Q_HORN };

/* One letter of a syllable: its base, quality mark and tone mark. */
typedef struct {
	int32_t base;
	int quality;
	int32_t tone;		/* 0 when none */
	bool vowel;
} vletter_t;

#define MAX_SYLLABLE 12

/* Splits cp[0..n) (one run of letters, decomposed and case-folded) into
 * Vietnamese letters.  Returns the count, or 0 when the run is not spelled
 * with the Vietnamese alphabet (foreign words are left alone). */
static size_t split_letters(const int32_t *cp, size_t n, vletter_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int32_t c = cp[i];
		if (is_mark(c)) {
			if (k == 0)
				return 0;
			vletter_t *l = &out[k - 1];
			if (is_tone(c)) {
				if (l->tone || !l->vowel)
					return 0;
				l->tone = c;
				continue;
			}
			int q = c == 0x0302 ? Q_CIRC : c == 0x0306 ? Q_BREVE :
				c == 0x031B ? Q_HORN : -1;
			if (q < 0 || l->quality != Q_NONE)
				return 0;
			/* only â ă ê ô ơ ư exist */
			bool ok = (l->base == 'a' && (q == Q_CIRC || q == Q_BREVE)) ||
				  (l->base == 'e' && q == Q_CIRC) ||
				  (l->base == 'o' && (q == Q_CIRC || q == Q_HORN)) ||
				  (l->base == 'u' && q == Q_HORN);
			if (!ok)
				return 0;
			l->quality = q;
			continue;
		}
		bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' ||
			     c == 'u' || c == 'y';
		bool cons = (c >= 'a' && c <= 'z' && !vowel) || c == 0x0111;
		if ((!vowel && !cons) || k == MAX_SYLLABLE)
			return 0;
		out[k].base = c;
		out[k].quality = Q_NONE;
		out[k].tone = 0;
		out[k].vowel = vowel;
		k++;
	}
	return k;
}

static bool plain(const vletter_t *l, int32_t base)
{
	return l->base == base && l->quality == Q_NONE;
}

/* Where the tone of a nucleus l[0..n) belongs when the whole syllable is
 * written in one consistent style: on the vowel with a quality mark (the
 * last one in ươ, uyê, iê ...), else on the last vowel when a final
 * consonant follows (hoàn, thuyền), else on the main vowel of an open
 * syllable, which is the first of two (hòa, của, mùa) and the middle of
 * three (ngoài, khuỷu). */
static size_t tone_target(const vletter_t *l, size_t n, bool coda)
{
	for (size_t i = n; i-- > 0;)
		if (l[i].quality != Q_NONE)
			return i;
	if (coda)
		return n - 1;
	return n == 3 ? 1 : 0;
}

/* Rewrites the tone placement of one syllable to the canonical one.  Only
 * two cases move a mark, because only there do correct spellings disagree:
 *
 * - the open syllables whose nucleus is oa, oe or uy.  The old style marks
 *   the second vowel (hoà, khoẻ, thuỷ, uỷ), the new one the first (hòa,
 *   khỏe, thủy, ủy); with a final consonant (hoàn, khoảng, huỳnh) both
 *   write it on the second, so those are left alone.  The key uses the
 *   first vowel.
 * - a mark written on the glide of the onsets "qu" and "gi" (qúy, gìa):
 *   that u or i is part of the consonant and never carries the tone, so
 *   the mark can only be a misplaced tone of the vowel after it (quý, già).
 *
 * Every other placement is left as written: the rule must never make two
 * different words equal.  Returns true when cp[0..n) was rewritten. */
static bool fix_syllable(int32_t *cp, size_t n)
{
	vletter_t l[MAX_SYLLABLE];
	size_t k = split_letters(cp, n, l);
	size_t v0, v1, tones = 0, at = 0, nuc, target;

	if (k == 0)
		return false;
	for (v0 = 0; v0 < k && !l[v0].vowel; v0++)
		;
	if (v0 == k)
		return false;
	for (v1 = v0; v1 + 1 < k && l[v1 + 1].vowel; v1++)
		;
	for (size_t i = v1 + 1; i < k; i++)
		if (l[i].vowel)
			return false;	/* two vowel groups: not one syllable */
	for (size_t i = v0; i <= v1; i++)
		if (l[i].tone) {
			tones++;
			at = i;
		}
	if (tones != 1)
		return false;

	nuc = v0;
	if (v1 > v0 && v0 == 1 &&
	    ((l[0].base == 'q' && plain(&l[1], 'u')) ||
	     (l[0].base == 'g' && plain(&l[1], 'i'))))
		nuc = v0 + 1;
	bool coda = v1 + 1 < k;

	if (at < nuc) {
		target = nuc + tone_target(&l[nuc], v1 - nuc + 1, coda);
	} else if (v1 == nuc + 1 && !coda && at == v1 &&
		   ((plain(&l[nuc], 'o') && (plain(&l[v1], 'a') ||
					     plain(&l[v1], 'e'))) ||
		    (plain(&l[nuc], 'u') && plain(&l[v1], 'y')))) {
		target = nuc;
	} else {
		return false;
	}

	/* Rebuild base + quality (+ tone) per letter; the caller recomposes
	 * with NFC, which restores the canonical mark order. */
	size_t j = 0;
	int32_t tone = l[at].tone;
	for (size_t i = 0; i < k; i++) {
		cp[j++] = l[i].base;
		if (l[i].quality == Q_CIRC)
			cp[j++] = 0x0302;
		else if (l[i].quality == Q_BREVE)
			cp[j++] = 0x0306;
		else if (l[i].quality == Q_HORN)
			cp[j++] = 0x031B;
		if (i == target)
			cp[j++] = tone;
	}
	return j == n;
}

/* Applies fix_syllable to every run of letters (with their marks). */
static void fix_tones(int32_t *cp, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		size_t e = i + 1;
		while (e < n && (is_letter(cp[e]) || is_mark(cp[e])))
			e++;
		fix_syllable(cp + i, e - i);
		i = e;
	}
}

/* ---- keys --------------------------------------------------------------- */

char *text_name_key(const char *s)
{
	size_t len;
	/* IGNORE drops soft hyphens and zero-width characters pasted in from
	 * word processors: invisible, so they must not make names differ. */
	char *d = map(s, strlen(s), UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
		      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, &len);
	cps_t in = decode(d, len);
	free(d);

	/* One pass: dashes alike, white space collapsed and trimmed, none
	 * kept next to '&' ("KH & CN" is how some write "KH&CN") or a dash
	 * ("Văn hóa - Xã hội" and "Văn hóa-Xã hội" are one name). */
	size_t j = 0;
	bool pending_space = false;
	for (size_t i = 0; i < in.n; i++) {
		int32_t c = in.cp[i];
		if (is_space(c)) {
			pending_space = true;
			continue;
		}
		if (is_dash(c))
			c = '-';
		if (pending_space && j > 0 && c != '&' && c != '-' && in.cp[j - 1] != '&' &&
		    in.cp[j - 1] != '-')
			in.cp[j++] = ' ';
		pending_space = false;
		in.cp[j++] = c;
	}
	in.n = j;

	fix_tones(in.cp, in.n);
	char *out = encode_nfc(in.cp, in.n);
	free(in.cp);
	return out;
}

char *text_docnum_key(const char *s)
{
	/* nearly every number is printable ASCII ("57-NQ/TW"): there the
	 * steps below are only dropping spaces and upper-casing */
	size_t n = 0;
	while (s[n] >= 0x20 && s[n] < 0x7F)
		n++;
	if (!s[n]) {
		char *out = xmalloc(n + 1), *o = out;
		for (const char *p = s; *p; p++)
			if (*p != ' ')
				*o++ = *p >= 'a' && *p <= 'z' ? (char)(*p - ('a' - 'A')) : *p;
		*o = '\0';
		return out;
	}
	size_t len;
	char *d = map(s, strlen(s), UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		      UTF8PROC_IGNORE, &len);
	cps_t in = decode(d, len);
	free(d);

	size_t j = 0;
	for (size_t i = 0; i < in.n; i++) {
		int32_t c = in.cp[i];
		if (is_space(c))
			continue;
		in.cp[j++] = is_dash(c) ? '-' : utf8proc_toupper(c);
	}
	char *out = encode_nfc(in.cp, j);
	free(in.cp);
	return out;
}

static char *search_fold_slow(const char *s)
{
	size_t len;
	char *d = map(s, strlen(s), UTF8PROC_STABLE | UTF8PROC_DECOMPOSE, &len);
	cps_t in = decode(d, len);
	free(d);

	/* The same steps in the same order as plansiteFold() in fold.js:
	 * marks go before lower-casing, so no context-dependent or multi-code-
	 * point lower-case mapping can differ between the two.  Only letters
	 * and marks newer than utf8proc's Unicode (13.0) can fold differently
	 * in a newer browser; none of them is Vietnamese. */
	size_t j = 0;
	for (size_t i = 0; i < in.n; i++) {
		int32_t c = in.cp[i];
		if (is_mark(c))
			continue;
		if (c == 0x0110 || c == 0x0111)
			c = 'd';
		in.cp[j++] = utf8proc_tolower(c);
	}
	char *out = encode_nfc(in.cp, j);
	free(in.cp);
	return out;
}

/* The fold of most text one code point at a time: below FOLD_FAST_END,
 * but for the Hangul jamo, the fold of a string is the folds of its code
 * points one after the other.  Composition is the only step that joins
 * code points, and the second of a composing pair is a mark (dropped
 * here) or a jamo; canonical reordering moves only marks.  Each code
 * point's fold is computed by the slow path the first time it is needed
 * and kept: up to 7 bytes packed with their length + 1 in the low byte
 * (0: not yet known, FOLD_LONG: longer, the slow path folds the string).
 * A page folds the same few hundred letters of Vietnamese again and again:
 * utf8proc's tables are read once per letter instead of once per use. */
#define FOLD_FAST_END 0x2100
#define FOLD_LONG 0xFFu
static _Atomic uint64_t fold_memo[FOLD_FAST_END];

static uint64_t fold_of_cp(int32_t cp)
{
	uint64_t v = atomic_load_explicit(&fold_memo[cp], memory_order_relaxed);
	if (v)
		return v;
	utf8proc_uint8_t one[8];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, one);
	one[n] = 0;
	char *f = search_fold_slow((const char *)one);
	size_t len = strlen(f);
	v = FOLD_LONG;
	if (len <= 7) {
		v = len + 1;
		for (size_t i = 0; i < len; i++)
			v |= (uint64_t)(unsigned char)f[i] << (8 * (i + 1));
	}
	free(f);
	/* another thread may store the same value: no harm */
	atomic_store_explicit(&fold_memo[cp], v, memory_order_relaxed);
	return v;
}

/* The fold of s one code point at a time into b; false (b then holds
 * part of it) when s has a code point the memo does not serve, or is not
 * UTF-8. */
static bool search_fold_fast(const char *s, buf_t *b)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	buf_grow(b, left);
	while (left) {
		if (*p < 0x80) {
			buf_putc(b, *p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
			p++;
			left--;
			continue;
		}
		size_t k = utf8_seq_len(p, left);
		if (!k)
			return false;
		int32_t cp;
		if (k == 2)
			cp = (int32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		else if (k == 3)
			cp = (int32_t)(p[0] & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		else
			return false;   /* past U+FFFF: past FOLD_FAST_END */
		if (cp >= FOLD_FAST_END || (cp >= 0x1100 && cp < 0x1200))
			return false;
		uint64_t v = fold_of_cp(cp);
		if ((v & 0xFF) == FOLD_LONG)
			return false;
		for (size_t i = 0; i + 1 < (v & 0xFF); i++)
			buf_putc(b, (int)((v >> (8 * (i + 1))) & 0xFF));
		p += k;
		left -= k;
	}
	if (b->ptr)
		b->ptr[b->len] = '\0';   /* buf_putc leaves it open */
	return true;
}

char *text_search_fold(const char *s)
{
	buf_t b = BUF_INIT;
	if (search_fold_fast(s, &b))
		return b.ptr ? buf_detach(&b) : xstrdup("");
	buf_free(&b);
	return search_fold_slow(s);
}

char *text_slug(const char *s)
{
	char *f = text_search_fold(s);
	buf_t b = BUF_INIT;
	bool sep = false;

	for (const char *p = f; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (sep && b.len > 0)
				buf_putc(&b, '-');
			sep = false;
			buf_putc(&b, c);
		} else {
			sep = true;
		}
	}
	free(f);
	/* a folder name must stay well under NAME_MAX (255 bytes): a long one
	 * keeps its first words and gains a hash of the whole name, so two long
	 * names sharing a beginning still get two slugs, the same every build */
	if (b.len > TEXT_SLUG_MAX) {
		size_t cut = TEXT_SLUG_MAX - 9;
		while (cut > TEXT_SLUG_MAX / 2 && b.ptr[cut] != '-')
			cut--;
		if (b.ptr[cut] != '-')
			cut = TEXT_SLUG_MAX - 9;
		while (cut > 0 && b.ptr[cut - 1] == '-')
			cut--;
		b.len = cut;
		b.ptr[cut] = 0;
		buf_printf(&b, "-%08x", (unsigned)(hash_bytes(s, strlen(s)) & 0xffffffffu));
	}
	return buf_detach(&b);
}

char *text_name_fold(const char *s)
{
	char *k = text_name_key(s);
	char *f = text_search_fold(k);
	free(k);
	return f;
}

/* ---- near document numbers ------------------------------------------------ */

/* A number reduced to its parts: letters upper-cased with their diacritics
 * dropped (Đ -> D), digits, each run of one kind a part; everything else
 * (dashes, slashes, dots, '&', spaces) only separates parts.  `joined` is
 * the parts end to end, `parts` the same with one space between parts. */
typedef struct {
	buf_t joined, parts;
} numskel_t;

static void numskel(const char *key, numskel_t *k)
{
	char *f = text_search_fold(key);
	int prev = 0;   /* 0 separator, 1 digit, 2 letter */
	k->joined = (buf_t)BUF_INIT;
	k->parts = (buf_t)BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)f; *p; p++) {
		int cls = *p >= '0' && *p <= '9' ? 1 :
			  (*p >= 'a' && *p <= 'z') || *p >= 0x80 ? 2 : 0;
		if (!cls) {
			prev = 0;
			continue;
		}
		if (k->parts.len && cls != prev)
			buf_putc(&k->parts, ' ');
		char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : (char)*p;
		buf_putc(&k->joined, c);
		buf_putc(&k->parts, c);
		prev = cls;
	}
	free(f);
	if (!k->joined.ptr) {
		buf_puts(&k->joined, "");
		buf_puts(&k->parts, "");
	}
}

static int digits_cmp(const void *x, const void *y)
{
	return *(const char *)x - *(const char *)y;
}

/* Two lists of parts that differ only by the order of the digits inside
 * some numbers. */
static bool reordered(const char *a, const char *b)
{
	if (strlen(a) != strlen(b))
		return false;
	while (*a || *b) {
		size_t na = strcspn(a, " "), nb = strcspn(b, " ");
		if (na != nb)
			return false;
		if (memcmp(a, b, na)) {
			if (!(*a >= '0' && *a <= '9') || !(*b >= '0' && *b <= '9'))
				return false;
			char x[64], y[64];
			if (na >= sizeof x)
				return false;
			memcpy(x, a, na);
			memcpy(y, b, na);
			qsort(x, na, 1, digits_cmp);
			qsort(y, na, 1, digits_cmp);
			if (memcmp(x, y, na))
				return false;
		}
		a += na + (a[na] == ' ');
		b += nb + (b[nb] == ' ');
	}
	return true;
}

/* Whether a and b are one edit apart: an insertion, a deletion, a
 * substitution, or a swap of two neighbours (in linear time). */
static bool one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	if (na < nb)
		return one_edit(b, nb, a, na);
	if (na - nb > 1)
		return false;
	size_t i = 0;
	while (i < nb && a[i] == b[i])
		i++;
	if (na == nb) {
		if (i == na)
			return false;   /* equal */
		if (!strcmp(a + i + 1, b + i + 1))
			return true;    /* substitution */
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       !strcmp(a + i + 2, b + i + 2);
	}
	return !strcmp(a + i + 1, b + i);   /* a has one more */
}

/* Whether a and b have the same digits in the same order. */
static bool same_digits(const char *a, const char *b)
{
	for (;;) {
		a += strcspn(a, "0123456789");
		b += strcspn(b, "0123456789");
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

int text_docnum_near(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return TEXT_NEAR_NO;
	numskel_t x, y;
	numskel(a, &x);
	numskel(b, &y);
	int r = TEXT_NEAR_NO;
	if (!x.joined.len || !y.joined.len)
		r = TEXT_NEAR_NO;
	else if (!strcmp(x.joined.ptr, y.joined.ptr))
		r = TEXT_NEAR_SEPARATORS;
	else if (reordered(x.parts.ptr, y.parts.ptr))
		r = TEXT_NEAR_REORDERED;
	else if (x.joined.len >= 4 && y.joined.len >= 4 &&
		 one_edit(x.joined.ptr, x.joined.len, y.joined.ptr, y.joined.len))
		r = same_digits(x.joined.ptr, y.joined.ptr) ? TEXT_NEAR_LETTER : TEXT_NEAR_DIGIT;
	buf_free(&x.joined);
	buf_free(&x.parts);
	buf_free(&y.joined);
	buf_free(&y.parts);
	return r;
}

size_t text_distance(const char *a, const char *b)
{
	cps_t x = decode(a, strlen(a));
	cps_t y = decode(b, strlen(b));
	size_t *row = xmalloc((y.n + 1) * sizeof(*row));

	/* One row of the classic table: row[j] is the distance between the
	 * prefix of x read so far and the first j code points of y. */
	for (size_t j = 0; j <= y.n; j++)
		row[j] = j;
	for (size_t i = 1; i <= x.n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= y.n; j++) {
			size_t up = row[j];
			size_t best = diag + (x.cp[i - 1] != y.cp[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[y.n];
	free(row);
	free(x.cp);
	free(y.cp);
	return d;
}
