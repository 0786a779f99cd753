/* util.h: allocation wrappers, growable byte buffers and a bump arena. */
#ifndef PLANSITE_UTIL_H
#define PLANSITE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Allocation failure aborts here, so no caller carries an out-of-memory path. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
/* size zeroed bytes at a multiple of align (a power of two); free() them. */
void *xcalloc_aligned(size_t align, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte string, always NUL-terminated once anything was put. */
typedef struct {
	char *ptr;
	size_t len, cap;
} buf_t;

#define BUF_INIT { NULL, 0, 0 }

/* Room for extra more bytes and the NUL: the check is inline (every
 * byte of every page goes through it), the growth is not. */
void buf_grow_slow(buf_t *b, size_t extra);
static inline void buf_grow(buf_t *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow_slow(b, extra);
}
static inline void buf_put(buf_t *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}
void buf_puts(buf_t *b, const char *s);
static inline void buf_putc(buf_t *b, int c)
{
	buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}
void buf_printf(buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Returns the contents ("" when empty) and leaves b empty; caller frees. */
char *buf_detach(buf_t *b);
void buf_clear(buf_t *b);
void buf_free(buf_t *b);
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_put_html(buf_t *b, const char *s, size_t n);
/* The same for the C string s: its length is found in the same pass. */
void buf_put_html_str(buf_t *b, const char *s);

/* v as printf's "%.1f" writes it, into out (NUL-terminated); its length.
 * Without printf for 0 <= v < 1e15 (the tenths of v's exact binary value,
 * a tie to the even one, as glibc rounds), with it otherwise. */
#define FMT_TENTHS_MAX 320   /* "%.1f" of -DBL_MAX and its NUL */
size_t fmt_tenths(double v, char out[FMT_TENTHS_MAX]);

/* A bump allocator: everything of one build lives in one arena and is freed
 * together, so pointers between records never dangle.  Not thread-safe. */
typedef struct arena arena_t;

arena_t *arena_new(void);
/* An arena whose blocks are of 2 MB in big pages (mem_block) once it holds
 * 32 MB, for what lives as long as the build and is read all over (the
 * model): a page fault and a TLB entry each 2 MB instead of each 4 kB. */
arena_t *arena_new_big(void);
void *arena_alloc(arena_t *a, size_t n);          /* zeroed, 16-aligned */
/* Zeroed, 8-aligned: records of 8-byte fields whose size is not a multiple
 * of 16 (a task's units, 24 bytes each) end in no padding. */
void *arena_alloc8(arena_t *a, size_t n);
/* Texts are packed, not aligned. */
char *arena_strdup(arena_t *a, const char *s);    /* NULL gives NULL */
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Everything allocated in a is gone; one block is kept for what comes next
 * (an arena used again and again does not give its memory back to malloc
 * and take it again each time). */
void arena_reset(arena_t *a);
void arena_free(arena_t *a);                      /* accepts NULL */
/* Moves every allocation of `from` into a (lifetime of a) and frees `from`:
 * threads parse into arenas of their own, then hand them over. */
void arena_adopt(arena_t *a, arena_t *from);

/* Appends item to an arena array that doubles when full; the old copies
 * stay in the arena until the build ends (at most twice the final size). */
#define ARENA_PUSH(a, arr, n, cap, item)                                        \
	do {                                                                    \
		if ((n) == (cap)) {                                             \
			(cap) = (cap) ? 2 * (cap) : 8;                          \
			void *grown_ = arena_alloc((a), (cap) * sizeof(*(arr))); \
			if (n)                                                  \
				memcpy(grown_, (arr), (n) * sizeof(*(arr)));    \
			(arr) = grown_;                                         \
		}                                                               \
		(arr)[(n)++] = (item);                                          \
	} while (0)

/* Reads a whole file; returns 0 and a malloc'd buffer (NUL-terminated). */
int util_read_file(const char *path, char **out, size_t *len);


/* A string-keyed hash map of borrowed keys to borrowed values.  Keys must
 * outlive the map (they live in the arena).  Insertion order is not kept. */
typedef struct {
	const char **keys;
	void **vals;
	size_t n, cap;
} strmap_t;

#define STRMAP_INIT { NULL, NULL, 0, 0 }

void *strmap_get(const strmap_t *m, const char *key);
/* Sets key to val; returns the previous value or NULL. */
void *strmap_put(strmap_t *m, const char *key, void *val);
void strmap_free(strmap_t *m);

/* A map from addresses to borrowed values, keys compared by address only:
 * for texts kept once each (model_str), whose address names them, and
 * for records.  Open addressing on hash_ptr (hash.h), grown to stay at
 * most half full.  Zeroed (ADDRMAP_INIT): empty. */
typedef struct {
	const void **keys;   /* NULL: an empty slot */
	void **vals;
	size_t n, cap;       /* cap: 0 or a power of two */
} addrmap_t;

#define ADDRMAP_INIT { NULL, NULL, 0, 0 }

void *addrmap_get(const addrmap_t *m, const void *key);
/* The value slot of key (not NULL), added with a NULL value when key was
 * not there: the caller fills it.  The slot moves when the map grows. */
void **addrmap_slot(addrmap_t *m, const void *key);   /* key: not NULL */
void addrmap_free(addrmap_t *m);

#endif
