/* util.c: allocation wrappers, growable byte buffers and a bump arena. */
#include "util.h"

#include "hash.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static void oom(void)
{
	fputs("plansite: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc_aligned(size_t align, size_t size)
{
	size = (size ? size : 1) + align - 1;
	size -= size % align;   /* aligned_alloc asks for a multiple */
	void *p = aligned_alloc(align, size);
	if (!p)
		oom();
	return memset(p, 0, size);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void buf_grow_slow(buf_t *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void buf_puts(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	/* formatted once into the room there is; a second time only when
	 * it did not fit (most texts are short: a number, a field) */
	buf_grow(b, 64);
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(buf_t *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_clear(buf_t *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void buf_free(buf_t *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

/* The entity of each byte that needs one, by its index + 1 in ents. */
static const unsigned char html_ent[256] = { ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5 };
static const struct { char s[7]; unsigned char n; } ents[] = {
	{ "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 },
};

#if defined(__SSE2__)
/* Of the 16 bytes in x, a bit for each that needs an entity (bit i for
 * byte i): & and ' are the two bytes that give 0x27 with their low bit
 * set, < and > the two that give 0x3E with their second bit set, and "
 * is alone (three compares a block instead of five). */
static inline unsigned html_special16(__m128i x)
{
	__m128i m = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(1)), _mm_set1_epi8('\''));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(2)), _mm_set1_epi8('>')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
	return (unsigned)_mm_movemask_epi8(m);
}

/* Appends an entity for the special byte c: the entity, its NUL and its
 * length are one 8-byte move. */
static inline void put_entity(buf_t *b, unsigned char c)
{
	int e = html_ent[c] - 1;
	buf_grow(b, 8);
	_Static_assert(sizeof ents[0] == 8, "an entity is one 8-byte move");
	memcpy(b->ptr + b->len, &ents[e], 8);
	b->len += ents[e].n;
}

/* Appends the n bytes at s, all of them readable, with no call to memcpy
 * (most runs are a few dozen bytes: a title, a unit's name): whole 16-byte
 * moves and one more that ends where the run does, or two overlapping
 * moves of 8, 4 or 2 bytes.  Nothing outside the run is read, so neither
 * AddressSanitizer nor valgrind sees a read past a string. */
static inline void copy_run(buf_t *b, const unsigned char *s, size_t n)
{
	buf_grow(b, n);
	char *d = b->ptr + b->len;
	if (n >= 16) {
		size_t i = 0;
		for (; i + 16 <= n; i += 16)
			_mm_storeu_si128((__m128i *)(void *)(d + i), _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
		if (i < n)
			_mm_storeu_si128((__m128i *)(void *)(d + n - 16),
					 _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
	} else if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
		memcpy(d, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n >= 2) {
		uint16_t x, y;
		memcpy(&x, s, 2);
		memcpy(&y, s + n - 2, 2);
		memcpy(d, &x, 2);
		memcpy(d + n - 2, &y, 2);
	} else if (n) {
		d[0] = (char)s[0];
	}
	b->len += n;
}

/* Where the first byte of p..end that needs an entity is (end: none),
 * start being where the text begins: the last bytes, fewer than 16, are
 * looked at in the block that ends with the text when the text has 16
 * bytes (never past its end). */
static inline const unsigned char *html_next(const unsigned char *start, const unsigned char *p,
					     const unsigned char *end)
{
	for (; end - p >= 16; p += 16) {
		unsigned m = html_special16(_mm_loadu_si128((const __m128i *)(const void *)p));
		if (m)
			return p + __builtin_ctz(m);
	}
	size_t left = (size_t)(end - p);
	if (left && end - start >= 16) {
		unsigned m = html_special16(_mm_loadu_si128((const __m128i *)(const void *)(end - 16))) >> (16 - left);
		return m ? p + __builtin_ctz(m) : end;
	}
	while (p < end && !html_ent[*p])
		p++;
	return p;
}

/* The same up to the NUL of p, which is not looked for first: the loads
 * are 16-aligned, so none reaches into a page (or, for valgrind, a
 * granule of the allocation) the string does not (the bytes before p and
 * after the NUL in their block are read, never used: AddressSanitizer
 * would report them, hence the attribute; glibc's strlen reads the same
 * way, uninstrumented). */
__attribute__((no_sanitize_address))
static inline const unsigned char *html_next_str(const unsigned char *p)
{
	uintptr_t off = (uintptr_t)p & 15;
	const unsigned char *a = p - off;
	__m128i x = _mm_load_si128((const __m128i *)(const void *)a);
	unsigned m = (html_special16(x) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()))) >> off << off;
	while (!m) {
		a += 16;
		x = _mm_load_si128((const __m128i *)(const void *)a);
		m = html_special16(x) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()));
	}
	return a + __builtin_ctz(m);
}

void buf_put_html(buf_t *b, const char *s, size_t n)
{
	/* runs of plain bytes are found 16 bytes at a time and copied whole
	 * (copy_run); the room for all of them is taken once */
	const unsigned char *start = (const unsigned char *)s, *p = start, *end = p + n;
	buf_grow(b, n);
	while (p < end) {
		const unsigned char *q = html_next(start, p, end);
		copy_run(b, p, (size_t)(q - p));
		if (q == end)
			break;
		put_entity(b, *q);
		p = q + 1;
	}
	b->ptr[b->len] = '\0';
}

/* The rest of buf_put_html_str from q, the first special byte of p. */
static __attribute__((noinline)) void put_html_str_from(buf_t *b, const unsigned char *p,
							 const unsigned char *q)
{
	for (;;) {
		copy_run(b, p, (size_t)(q - p));
		if (!*q)
			break;
		put_entity(b, *q);
		p = q + 1;
		q = html_next_str(p);
	}
	buf_grow(b, 0);
	b->ptr[b->len] = '\0';
}

/* A template's value is most often a C string of the model (a task's
 * title, a unit's name): its end is found in the same pass as the special
 * bytes, not by a strlen first.  Nearly all have no special byte (2.1
 * million calls at 1,000 plans): those are one scan and one copy, without
 * the loop's frame (put_html_str_from takes the others). */
void buf_put_html_str(buf_t *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *q = html_next_str(p);
	if (__builtin_expect(*q != 0, 0)) {
		put_html_str_from(b, p, q);
		return;
	}
	copy_run(b, p, (size_t)(q - p));
	b->ptr[b->len] = '\0';
}
#else
static inline const unsigned char *html_next(const unsigned char *p, const unsigned char *end)
{
	while (p < end && !html_ent[*p])
		p++;
	return p;
}

void buf_put_html(buf_t *b, const char *s, size_t n)
{
	/* runs of plain bytes are copied whole; the room for them is taken
	 * once, an entity's when one comes */
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	buf_grow(b, n);
	while (p < end) {
		const unsigned char *q = html_next(p, end);
		size_t run = (size_t)(q - p);
		memcpy(b->ptr + b->len, p, run);
		b->len += run;
		if (q == end)
			break;
		int e = html_ent[*q] - 1;
		buf_grow(b, ents[e].n + (size_t)(end - q - 1));
		memcpy(b->ptr + b->len, ents[e].s, ents[e].n);
		b->len += ents[e].n;
		p = q + 1;
	}
	b->ptr[b->len] = '\0';
}

void buf_put_html_str(buf_t *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}
#endif

/* Arena: a chain of blocks; big requests get a block of their own. */
struct block {
	struct block *next;
	size_t used, size;
	bool big;   /* a MEM_BLOCK of mem_block's */
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	bool big;       /* arena_new_big */
	size_t bytes;   /* its blocks' sizes */
};

/* A block and its header make 64 kB: tcmalloc (mem.c) rounds a request up
 * to its next size class, and 64 kB and 32 bytes took 72 kB (a 12% loss on
 * most of the model and the history's versions: 438 MB at 10,000 plans
 * against 420 MB this way, both without mem.c's scavenger). */
#define ARENA_BLOCK (64 * 1024 - sizeof(struct block))

/* An arena_new_big's block and its header make MEM_BLOCK; it takes them
 * once it holds ARENA_BIG_AFTER in blocks of the heap.  A small site's
 * model stays in the heap, which has big pages up to 192 MB already
 * (mem.c), and does not end in blocks of 2 MB barely begun: from the
 * first block, a portal of 1,000 plans peaked 4-7 MB higher, and one of
 * 600 plans took 459 bytes a task instead of 383 (tests/e2e/
 * test_memory.sh).  At 10,000 plans the first 32 MB of the build's arena
 * and of the parse's second thread take the memory the plans' texts
 * leave as they are parsed (mem_hold), in big pages too, and the rest of
 * their 60-80 MB each is in big blocks: the same time as big blocks from
 * the first (2 alternating cold builds, 2026-12-03). */
#define ARENA_BIG_BLOCK (MEM_BLOCK - sizeof(struct block))
#define ARENA_BIG_AFTER ((size_t)32 << 20)

arena_t *arena_new(void)
{
	return xcalloc(1, sizeof(arena_t));
}

arena_t *arena_new_big(void)
{
	arena_t *a = arena_new();
	a->big = true;
	return a;
}

static void block_free(struct block *b)
{
	if (b->big)
		mem_block_free(b, MEM_BLOCK);
	else
		free(b);
}

/* n bytes aligned to align (a power of two up to 16), not cleared.  Texts
 * take align 1: a portal's hundreds of thousands of short texts (names,
 * messages) would otherwise each end in up to 15 bytes of padding. */
static void *arena_raw(arena_t *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || at > b->size || b->size - at < n) {
		bool big = a->big && a->bytes >= ARENA_BIG_AFTER;
		size_t block = big ? ARENA_BIG_BLOCK : ARENA_BLOCK;
		bool own = n > block / 4;
		size_t size = own ? (n + 15) & ~(size_t)15 : block;
		b = big && !own ? mem_block(MEM_BLOCK) : xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->big = big && !own;
		a->bytes += size;
		if (own && a->head) {
			/* keep the current block open for small requests */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		at = 0;
	}
	void *p = b->data + at;
	b->used = at + n;
	return p;
}

void *arena_alloc(arena_t *a, size_t n)
{
	void *p = arena_raw(a, n, 16);
	memset(p, 0, n);
	return p;
}

void *arena_alloc8(arena_t *a, size_t n)
{
	void *p = arena_raw(a, n, 8);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_raw(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_t b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	buf_free(&b);
	return p;
}

void arena_adopt(arena_t *a, arena_t *from)
{
	a->bytes += from->bytes;
	struct block *b = from->head;
	while (b) {
		struct block *n = b->next;
		/* behind a's current block, which stays open for small requests */
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
		}
		b = n;
	}
	free(from);
}

void arena_reset(arena_t *a)
{
	struct block *keep = NULL, *b = a->head;
	while (b) {
		struct block *n = b->next;
		if (!keep && !b->big && b->size == ARENA_BLOCK)
			keep = b;
		else
			block_free(b);
		b = n;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->bytes = keep ? keep->size : 0;
}

void arena_free(arena_t *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		block_free(b);
		b = n;
	}
	free(a);
}

int util_read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* a regular file straight into a buffer of its size: serve reads
	 * every file of the work tree on each edit (16 MB at 1,000 plans),
	 * and reading through stdio and a growing buffer copied it twice
	 * more; 2 bytes over, so that the read that finds the end needs no
	 * bigger buffer */
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 2 : 4096;
	char *p = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			p = xrealloc(p, cap);
		}
		ssize_t k = read(fd, p + n, cap - 1 - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			free(p);
			errno = e;
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	p[n] = '\0';
	*len = n;
	*out = p;
	return 0;
}

void *strmap_get(const strmap_t *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)hash_str(key) & mask;; i = (i + 1) & mask) {
		if (!m->keys[i])
			return NULL;
		if (!strcmp(m->keys[i], key))
			return m->vals[i];
	}
}

void *strmap_put(strmap_t *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		strmap_t g = { NULL, NULL, 0, m->cap ? m->cap * 2 : 16 };
		g.keys = xcalloc(g.cap, sizeof(*g.keys));
		g.vals = xcalloc(g.cap, sizeof(*g.vals));
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				strmap_put(&g, m->keys[i], m->vals[i]);
		strmap_free(m);
		*m = g;
	}
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)hash_str(key) & mask;; i = (i + 1) & mask) {
		if (!m->keys[i]) {
			m->keys[i] = key;
			m->vals[i] = val;
			m->n++;
			return NULL;
		}
		if (!strcmp(m->keys[i], key)) {
			void *old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
	}
}

void strmap_free(strmap_t *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->n = m->cap = 0;
}

/* The slot of key in keys (cap slots), empty when key is not there. */
static size_t addr_at(const void *const *keys, size_t cap, const void *key)
{
	size_t i = hash_ptr(key, cap);
	while (keys[i] && keys[i] != key)
		i = (i + 1) & (cap - 1);
	return i;
}

void *addrmap_get(const addrmap_t *m, const void *key)
{
	if (!m->cap || !key)
		return NULL;
	size_t i = addr_at(m->keys, m->cap, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

void **addrmap_slot(addrmap_t *m, const void *key)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		const void **keys = xcalloc(cap, sizeof(*keys));
		void **vals = xcalloc(cap, sizeof(*vals));
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = addr_at(keys, cap, m->keys[i]);
				keys[j] = m->keys[i];
				vals[j] = m->vals[i];
			}
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	size_t i = addr_at(m->keys, m->cap, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->n++;
	}
	return &m->vals[i];
}

void addrmap_free(addrmap_t *m)
{
	free(m->keys);
	free(m->vals);
	*m = (addrmap_t)ADDRMAP_INIT;
}

size_t fmt_tenths(double v, char out[FMT_TENTHS_MAX])
{
#if LDBL_MANT_DIG >= 57
	if (!(v >= 0 && v < 1e15) || signbit(v))
#endif
		return (size_t)snprintf(out, FMT_TENTHS_MAX, "%.1f", v);
	/* v times ten is exact in a long double (a 53-bit significand times
	 * four bits fits its 64), and so is its fraction */
	long double x = (long double)v * 10.0L;
	unsigned long long k = (unsigned long long)x;
	long double frac = x - (long double)k;
	if (frac > 0.5L || (frac == 0.5L && (k & 1)))
		k++;
	char d[32];
	size_t n = sizeof d;
	d[--n] = (char)('0' + k % 10);
	d[--n] = '.';
	k /= 10;
	do {
		d[--n] = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	memcpy(out, d + n, sizeof d - n);
	out[sizeof d - n] = '\0';
	return sizeof d - n;
}

