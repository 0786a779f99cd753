/* cmem.c: a cmark allocator over a scratch arena of the calling thread.
 *
 * A plan's body is parsed twice (docnum_scan, md_render), and each parse
 * made some 180 calloc, 130 realloc and 250 free calls of glibc's, whose
 * calloc takes the heap's lock every time (glibc 2.36 keeps no cache for
 * it) and whose realloc allocates past its cache: 360,000 callocs cost
 * 230 instructions each on a cold 1k build.  A tree lives only within the
 * call that parses it, so its blocks are cut from chunks of the thread's
 * own and all given back when the call ends. */
#include "cmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum {
	CHUNK = 128 << 10,      /* bytes a chunk; a plan's tree takes one or two */
	BIG = CHUNK / 4,        /* blocks over this are malloc'd one by one */
};

/* Before each block: its size, which realloc needs (cmark's strbufs grow by
 * realloc), and whether it was malloc'd on its own.  16 bytes: the blocks
 * stay 16-aligned, as malloc's are. */
typedef struct {
	size_t size;
	size_t big;
} head_t;

typedef struct chunk {
	struct chunk *next;
	size_t pad;             /* data[] 16-aligned */
	char data[];
} chunk_t;

static _Thread_local struct {
	chunk_t *chunks;        /* newest first */
	char *at, *end;         /* the newest chunk's free room */
	char *last;             /* the newest block: it grows, or is freed, in place */
	int depth;              /* open scopes */
} sc;

static void *take(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > BIG) {
		head_t *h = xmalloc(sizeof(*h) + n);
		*h = (head_t){ n, 1 };
		return h + 1;
	}
	if ((size_t)(sc.end - sc.at) < sizeof(head_t) + n) {
		chunk_t *c = xmalloc(CHUNK);
		c->next = sc.chunks;
		sc.chunks = c;
		sc.at = c->data;
		sc.end = (char *)c + CHUNK;
	}
	head_t *h = (head_t *)sc.at;
	*h = (head_t){ n, 0 };
	sc.at += sizeof(*h) + n;
	sc.last = (char *)(h + 1);
	return sc.last;
}

static void give(void *p)
{
	if (!p)
		return;
	head_t *h = (head_t *)p - 1;
	if (h->big) {
		free(h);
	} else if (p == sc.last) {
		sc.at = (char *)h;
		sc.last = NULL;
	}
}

static void *zeroed(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size / 2)
		return xcalloc(SIZE_MAX / 2, 2);   /* aborts as out of memory */
	void *p = take(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *grow(void *p, size_t n)
{
	if (!p)
		return take(n);
	head_t *h = (head_t *)p - 1;
	if (n <= h->size)
		return p;
	size_t r = (n + 15) & ~(size_t)15;
	if (h->big) {
		h = xrealloc(h, sizeof(*h) + r);
		h->size = r;
		return h + 1;
	}
	if (p == sc.last && r <= BIG && (size_t)(sc.end - (char *)p) >= r) {
		h->size = r;
		sc.at = (char *)p + r;
		return p;
	}
	void *q = take(n);
	memcpy(q, p, h->size);
	give(p);
	return q;
}

static cmark_mem mem = { zeroed, grow, give };

cmark_mem *cmem_begin(void)
{
	sc.depth++;
	return &mem;
}

void cmem_end(void)
{
	if (--sc.depth > 0)
		return;
	while (sc.chunks) {
		chunk_t *c = sc.chunks;
		sc.chunks = c->next;
		free(c);
	}
	sc.at = sc.end = sc.last = NULL;
}

cmark_node *cmem_parse(cmark_mem *m, const char *md, size_t len, int options)
{
	/* cmark_parse_document, with our allocator: one feed of the whole
	 * text, then finish (which takes a last line without its newline) */
	cmark_parser *p = cmark_parser_new_with_mem(options, m);
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}
