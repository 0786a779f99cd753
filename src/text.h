/* text.h: Vietnamese-aware text keys: UTF-8 checks, NFC, name and number
 * matching keys, slugs, search folding, edit distance.  Pure functions. */
#ifndef PLANSITE_TEXT_H
#define PLANSITE_TEXT_H

#include <stddef.h>

/* Returns the byte offset of the first invalid UTF-8 byte in s[0..len), or -1
 * when the whole buffer is valid.  NUL bytes count as invalid. */
long text_utf8_invalid(const char *s, size_t len);

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

/* Levenshtein distance between two UTF-8 strings, in code points. */
size_t text_distance(const char *a, const char *b);

#endif
