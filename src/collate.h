/* collate.h: Vietnamese alphabetical order (a ă â b c d đ e ê ..., tones
 * after letters) through ICU's "vi" collator. */
#ifndef PLANSITE_COLLATE_H
#define PLANSITE_COLLATE_H

#include <stddef.h>

/* Compares two UTF-8 strings in Vietnamese order; ties are broken by byte
 * order so sorting is total and reproducible.  NULL sorts first.
 * Thread-safe after the first call. */
int coll_cmp(const char *a, const char *b);

/* Sorts v[0..n) with key(v[i]) as the text to compare, in Vietnamese
 * order (stable for equal keys: ties fall back to the original index). */
void coll_sort(void *v, size_t n, size_t size, const char *(*key)(const void *));

#endif
