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

/* Sort keys kept by the address of their text, for the sorts of one pass
 * over texts that stay where they are (and unchanged) until
 * coll_keys_free: xref sorts every unit among all units and again among
 * its parent's children.  Not thread-safe. */
typedef struct coll_keys coll_keys_t;
coll_keys_t *coll_keys_new(void);
void coll_keys_free(coll_keys_t *k);

/* coll_sort, the keys taken from k (made there when new); k NULL: as
 * coll_sort. */
void coll_sort_keys(coll_keys_t *k, void *v, size_t n, size_t size, const char *(*key)(const void *));

#endif
