/* search.h: the static search index of /tim-kiem/: a term dictionary in
 * shards keyed by word prefix, and the records it points to, in chunks. */
#ifndef PLANSITE_SEARCH_H
#define PLANSITE_SEARCH_H

#include <stdatomic.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "output.h"

/* Records per file of tim-kiem/rec/: a result page loads few of them. */
#define SEARCH_CHUNK 64
/* A term shard (tim-kiem/idx/) past this many bytes is split by one more
 * letter of its words, so a query's download stays small. */
#define SEARCH_SHARD_MAX 16384
/* Shards of words with the same first letter travel together in files of
 * up to this many bytes (one shard bigger than it has a file of its own):
 * a tenth as many files, and a query still downloads less than 100 KB a
 * word. */
#define SEARCH_FILE_MAX 65536

/* Receives one file of the index: rel is relative to the site root.
 * Returns 0, or -1 to stop the build of the index. */
typedef int (*search_emit_fn)(void *arg, const char *rel, const char *data, size_t len);

/* Builds the index of s and hands each file to emit, in a fixed order
 * (records, shards, then tim-kiem/manifest.json), so the output is
 * byte-identical for the same site.  Returns 0, or -1 when emit failed. */
int search_build(const site_t *s, search_emit_fn emit, void *arg);
/* search_build that stops as soon as *cancel is set (serve: the editor
 * saved again), checked between records and files: returns
 * SEARCH_CANCELLED then, the files emitted so far being incomplete.
 * cancel NULL: search_build. */
#define SEARCH_CANCELLED (-2)
int search_build_cancel(const site_t *s, search_emit_fn emit, void *arg, const atomic_int *cancel);

/* Appends to b everything search_build reads of s (the fields of its
 * plans, tasks, documents and units it indexes or shows, and its folder):
 * two sites with the same inputs have the same index.  Keep it in step
 * with the index_* functions. */
void search_inputs(const site_t *s, buf_t *b);
/* The same in pieces: whenever b holds a megabyte or more, and at the end,
 * take(cls, b) is given it and must empty it (at 10,000 plans the whole
 * text is 70 MB, and its buffer's last doubling held 192 MB at once). */
void search_inputs_each(const site_t *s, buf_t *b, void (*take)(void *cls, buf_t *b), void *cls);

/* Builds the index into the staging folder; 0, -1 (reported to d) or,
 * once *cancel is set (cancel may be NULL), SEARCH_CANCELLED. */
int search_write(const site_t *s, out_t *o, diag_t *d, const atomic_int *cancel);

/* The words of text, as the index and the search script see them: each run
 * of letters, marks and digits is a word, folded with text_search_fold
 * ("Số hóa, hồ sơ" -> "so", "hoa", "ho", "so").  Returns the count; *out is
 * a malloc'd array of malloc'd strings (search_words_free). */
size_t search_words(const char *text, char ***out);

/* The words a document number is found by: the words of its folded docnum
 * key, then (when there are several) all of them joined:
 * "57-NQ/TW" -> "57", "nq", "tw", "57nqtw".  Same ownership as search_words. */
size_t search_number_words(const char *number, char ***out);

void search_words_free(char **words, size_t n);

/* The file name (without ".json") of the term shard keyed by the folded
 * prefix key: letters a-z and digits stay, any other code point becomes
 * "_<hex>_", so names are ASCII.  malloc'd. */
char *search_shard_name(const char *key);

#endif
