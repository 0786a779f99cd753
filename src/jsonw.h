/* jsonw.h: JSON written as it is produced (open data), without building a
 * tree first: compact, keys in the order written, strings escaped as
 * RFC 8259 requires and as jansson's JSON_COMPACT dump does (so the files
 * stay byte-identical to what a jansson dump gave). */
#ifndef PLANSITE_JSONW_H
#define PLANSITE_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define JSONW_DEPTH 32

/* The text goes to b; when flush is set, b is handed to it (and cleared)
 * each time it passes JSONW_PIECE bytes, and at jsonw_finish.  flush
 * returns 0, or -1 to stop (jsonw_finish then returns -1).
 *
 * 128 kB, not a megabyte: a buffer of a megabyte grew past malloc's mmap
 * threshold (src/mem.c, glibc) into a mapping of its own, whose every page was a
 * fresh page fault, for each file (the five JSON files and tasks.csv of a
 * cold 1k build: 1,230 of its 23,000 page faults, perf record -e
 * page-faults).  A buffer of 128 kB comes from the heap and takes pages
 * that earlier stages freed; the price, more write(2) calls (4,089 in a
 * cold 1k build instead of 3,774), is a few microseconds each. */
#define JSONW_PIECE ((size_t)128 << 10)
typedef struct {
	buf_t b;
	int (*flush)(void *arg, const char *data, size_t len);
	void *arg;
	int failed;
	int depth;
	bool after_key;
	bool comma[JSONW_DEPTH];
} jsonw_t;

void jsonw_init(jsonw_t *w, int (*flush)(void *arg, const char *data, size_t len), void *arg);
/* Flushes what is left; returns 0 or -1.  Frees nothing: see jsonw_free. */
int jsonw_finish(jsonw_t *w);
void jsonw_free(jsonw_t *w);

void jsonw_obj(jsonw_t *w);
void jsonw_obj_end(jsonw_t *w);
void jsonw_arr(jsonw_t *w);
void jsonw_arr_end(jsonw_t *w);
/* The key of the next value in the current object. */
void jsonw_key(jsonw_t *w, const char *k);
/* The same with the key already written out: q (n bytes) is the key
 * escaped, quoted and followed by ':' ("\"id\":"), as jsonw_key writes
 * it.  For the keys written a million times (the fields of plans.json). */
void jsonw_key_quoted(jsonw_t *w, const char *q, size_t n);
/* jsonw_key of a string literal that needs no escape, quoted at compile
 * time. */
#define JSONW_KEY(w, lit) jsonw_key_quoted((w), "\"" lit "\":", sizeof("\"" lit "\":") - 1)
/* A string, or null for NULL.  Bytes that are not UTF-8 are written as
 * U+FFFD, so the output is always valid UTF-8. */
void jsonw_str(jsonw_t *w, const char *s);
void jsonw_int(jsonw_t *w, long long v);
void jsonw_bool(jsonw_t *w, bool v);
void jsonw_null(jsonw_t *w);
/* A value written out already (compact JSON, n bytes): what the calls
 * that wrote it would have added here, for a value written many times
 * (a unit in plans.json). */
void jsonw_raw(jsonw_t *w, const char *json, size_t n);

/* The escaped form of s, quotes included, appended to b. */
void jsonw_put_string(buf_t *b, const char *s);

#endif
