/* collate.c: Vietnamese collation with ICU; sort keys are computed once per
 * element, so sorting n names costs n key computations, not n log n. */
#include "collate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/uiter.h>

#include "util.h"

static UCollator *coll;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_collator(void)
{
	UErrorCode err = U_ZERO_ERROR;
	coll = ucol_open("vi", &err);
	if (U_FAILURE(err))
		coll = NULL;   /* falls back to byte order below */
}

int coll_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a ? (b ? -1 : 0) : 1;
	pthread_once(&once, open_collator);
	if (coll) {
		UErrorCode err = U_ZERO_ERROR;
		UCollationResult r = ucol_strcollUTF8(coll, a, -1, b, -1, &err);
		if (U_SUCCESS(err) && r != UCOL_EQUAL)
			return r == UCOL_LESS ? -1 : 1;
	}
	return strcmp(a, b);
}

/* The sort key of a UTF-8 string: ICU wants UTF-16 or an iterator; the
 * iterator API gives keys straight from UTF-8. */
static unsigned char *sort_key(const char *s, size_t *len)
{
	UErrorCode err = U_ZERO_ERROR;
	UCharIterator it;
	uiter_setUTF8(&it, s, -1);
	buf_t b = BUF_INIT;
	uint32_t state[2] = { 0, 0 };
	unsigned char chunk[256];
	for (;;) {
		int32_t n = ucol_nextSortKeyPart(coll, &it, state, chunk, sizeof chunk, &err);
		if (U_FAILURE(err) || n <= 0)
			break;
		buf_put(&b, (const char *)chunk, (size_t)n);
		if ((size_t)n < sizeof chunk)
			break;
	}
	*len = b.len;
	return (unsigned char *)buf_detach(&b);
}

struct item {
	unsigned char *key;
	size_t klen;
	const char *text;
	size_t index;
};

static int item_cmp(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);
	if (!c && a->klen != b->klen)
		c = a->klen < b->klen ? -1 : 1;
	if (!c)
		c = strcmp(a->text, b->text);
	if (!c)
		c = a->index < b->index ? -1 : a->index > b->index;
	return c;
}

/* A text's sort key. */
struct coll_key {
	unsigned char *key;
	size_t klen;
};

/* The texts' sort keys (struct coll_key), by the address of the text. */
struct coll_keys {
	addrmap_t map;
};

coll_keys_t *coll_keys_new(void)
{
	return xcalloc(1, sizeof(coll_keys_t));
}

void coll_keys_free(coll_keys_t *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->map.cap; i++)
		if (k->map.keys[i]) {
			struct coll_key *c = k->map.vals[i];
			free(c->key);
			free(c);
		}
	addrmap_free(&k->map);
	free(k);
}

static unsigned char *make_key(const char *text, size_t *klen)
{
	if (coll)
		return sort_key(text, klen);
	*klen = strlen(text);
	return (unsigned char *)xstrdup(text);
}

void coll_sort_keys(coll_keys_t *k, void *v, size_t n, size_t size, const char *(*key)(const void *))
{
	if (n < 2)
		return;
	pthread_once(&once, open_collator);
	struct item *items = xmalloc(n * sizeof(*items));
	char *base = v;
	for (size_t i = 0; i < n; i++) {
		const char *t = key(base + i * size);
		items[i].text = t ? t : "";
		items[i].index = i;
		if (!k) {
			items[i].key = make_key(items[i].text, &items[i].klen);
			continue;
		}
		/* each unit's name is sorted among all units and again among
		 * its parent's children, each document's number among all and
		 * among the documents that cite it: 45M instructions for the
		 * keys at 1k plans, made twice or more */
		void **slot = addrmap_slot(&k->map, items[i].text);
		struct coll_key *c = *slot;
		if (!c) {
			c = *slot = xmalloc(sizeof(*c));
			c->key = make_key(items[i].text, &c->klen);
		}
		items[i].key = c->key;
		items[i].klen = c->klen;
	}
	qsort(items, n, sizeof(*items), item_cmp);
	char *tmp = xmalloc(n * size);
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + i * size, base + items[i].index * size, size);
	memcpy(base, tmp, n * size);
	if (!k)
		for (size_t i = 0; i < n; i++)
			free(items[i].key);
	free(items);
	free(tmp);
}

void coll_sort(void *v, size_t n, size_t size, const char *(*key)(const void *))
{
	coll_sort_keys(NULL, v, n, size, key);
}
