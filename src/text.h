/* text.h: Vietnamese-aware text keys: UTF-8 checks, NFC, name and number
 * matching keys, slugs, search folding, edit distance.  Pure functions. */
#ifndef PLANSITE_TEXT_H
#define PLANSITE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Returns the byte offset of the first invalid UTF-8 byte in s[0..len), or -1
 * when the whole buffer is valid.  NUL bytes count as invalid. */
long text_utf8_invalid(const char *s, size_t len);

/* The same check, and in one pass with it, when nfc is not NULL and the
 * buffer is valid: *nfc set when s is already NFC by the quick check
 * text_nfc makes (so text_nfc would return a plain copy of it). */
long text_utf8_scan(const char *s, size_t len, bool *nfc);

/* s with each ill-formed UTF-8 byte replaced by U+FFFD, visibly; malloc'd. */
char *text_utf8_repair(const char *s);

/* NFC-normalises s[0..len) (valid UTF-8).  Returns a malloc'd, NUL-terminated
 * string the caller frees; *outlen (if not NULL) receives its length. */
char *text_nfc(const char *s, size_t len, size_t *outlen);

/* The key under which two unit names (or status words) are "the same name":
 * NFC, case folding, runs of white space collapsed to one space and trimmed,
 * every dash (- – — ‐ ‑ ‒ −) alike, white space around '&' removed, and the old
 * and new Vietnamese tone placement alike (uỷ = ủy, hoà = hòa, oá = óa ...),
 * by a rule over the oa/oe/uy vowel clusters, not a word list.  malloc'd. */
char *text_name_key(const char *s);

/* The key under which two document numbers are the same number: upper-cased
 * (Đ included), all white space removed, every dash alike ('-').  malloc'd. */
char *text_docnum_key(const char *s);

/* A URL slug: folded to ASCII (đ -> d, diacritics dropped), lower-cased, each
 * run of other characters turned into one '-', no leading or trailing '-'.
 * "185/KH-SDT&TG" -> "185-kh-sdt-tg".  Empty input gives "".  A slug longer
 * than TEXT_SLUG_MAX bytes is cut at a word before it and ends in "-" and 8
 * hex digits of a hash of the whole input (unique, reproducible, far below
 * NAME_MAX).  malloc'd. */
enum { TEXT_SLUG_MAX = 80 };
char *text_slug(const char *s);

/* Search folding, the one definition shared with the theme's JavaScript:
 * NFC, lower-case, diacritics dropped, đ -> d.  Keeps every other character
 * (spaces and punctuation included) so offsets of words stay meaningful.
 * malloc'd. */
char *text_search_fold(const char *s);

/* A unit name as it reads with no diacritics: the name key (above) with
 * every mark dropped and đ -> d, so "So Tai chinh" and "Sở Tài chính" fold
 * alike.  malloc'd. */
char *text_name_fold(const char *s);

/* How near two document numbers are, when their keys differ, from the
 * closest to the farthest kind of slip (a number is a plain slip of another
 * only at these distances):
 *   TEXT_NEAR_SEPARATORS  the same letters and digits once separators and
 *                         diacritics are disregarded ("57/NQ-TW", "57 NQ TW",
 *                         "1131/QD-TTg" for "57-NQ/TW", "1131/QĐ-TTg");
 *   TEXT_NEAR_REORDERED   the same parts, the digits of some numbers in
 *                         another order ("75-NQ/TW" for "57-NQ/TW");
 *   TEXT_NEAR_LETTER      one letter added, dropped or changed, or two
 *                         neighbours swapped, the digits left as they are
 *                         ("57-NQ/T", "57-QN/TW");
 *   TEXT_NEAR_DIGIT       the same with a digit ("157-NQ/TW", "53-NQ/TW"),
 *                         which may as well be another document of a series;
 *   TEXT_NEAR_NO          anything else (also two equal keys).
 * The two one-edit kinds need four letters and digits on both sides: short
 * numbers are never guessed.  a and b are number keys (text_docnum_key). */
enum { TEXT_NEAR_NO, TEXT_NEAR_SEPARATORS, TEXT_NEAR_REORDERED, TEXT_NEAR_LETTER,
       TEXT_NEAR_DIGIT };
int text_docnum_near(const char *a, const char *b);

/* Levenshtein distance between two UTF-8 strings, in code points. */
size_t text_distance(const char *a, const char *b);

#endif
