/* search_int.h: the word helpers search_words.c shares with the index
 * builder (search.c).  Not for other modules. */
#ifndef PLANSITE_SEARCH_INT_H
#define PLANSITE_SEARCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search.h"

/* The code point at p (n bytes left) and its length; an ill-formed byte
 * reads as one non-word code point. */
size_t search_cp_at(const char *p, size_t n, int32_t *c);

/* The next word of s[*pos..n): its start and length; false at the end.
 * The same split as the script's /[\p{L}\p{M}\p{N}]+/gu. */
bool search_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len);

/* s[0..n) lower-cased, accents kept; malloc'd. */
char *search_lower(const char *s, size_t n);

#endif
