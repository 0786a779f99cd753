/* fm.h: YAML (site.yaml, registries, front matter) parsed with libyaml into a
 * tree that remembers the line and column of every key and value. */
#ifndef PLANSITE_FM_H
#define PLANSITE_FM_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

typedef enum { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind_t;

typedef struct ynode ynode_t;
struct ynode {
	ynode_kind_t kind;
	loc_t loc;
	bool plain;        /* scalar written without quotes or block style */
	const char *str;   /* scalar: NFC text; NULL for collections */
	size_t len;
	ynode_t **kids;    /* seq: items; map: key, value, key, value ... */
	size_t n;          /* seq: items; map: pairs */
};

/* Borrowed getters; NULL when absent or not a map. */
const ynode_t *ynode_get(const ynode_t *map, const char *key);
static inline const ynode_t *ynode_key(const ynode_t *m, size_t i) { return m->kids[2 * i]; }
static inline const ynode_t *ynode_val(const ynode_t *m, size_t i) { return m->kids[2 * i + 1]; }
/* True for a plain scalar that YAML reads as null (~, null, empty). */
bool ynode_is_null(const ynode_t *n);

/* The most nodes a file may expand to through aliases ("billion laughs"). */
#define YML_MAX_NODES 200000

/* Parses one YAML document from text[0..len) of file `path`; line numbers
 * are shifted by line_offset (front matter starts on line 2).  Nodes live
 * in `a`.  Returns 0 with *out (NULL for an empty document), or -1 after
 * reporting the error to d. */
int yml_parse(arena_t *a, diag_t *d, const char *path, const char *text,
	      size_t len, int line_offset, ynode_t **out);

typedef struct {
	ynode_t *meta;      /* the front matter (a map), or NULL */
	const char *body;   /* Markdown after the closing "---" (NUL-terminated) */
	size_t body_len;
	int body_line;      /* line of the body's first line in the file */
	bool shared;        /* a node of meta is reached twice (an alias): the
			     * tree is a graph, not only a tree */
} fm_doc_t;

/* Splits "---\n<yaml>\n---\n<body>" and parses the YAML.  Checks UTF-8 (error
 * at the first bad byte) and tabs in indentation.  The body is NFC text in
 * `a`.  Returns 0, or -1 after reporting errors. */
int fm_parse(arena_t *a, diag_t *d, const char *path, const char *text,
	     size_t len, fm_doc_t *out);

/* Reports invalid UTF-8 in text as an error at its first bad byte; returns
 * 0 when valid, -1 otherwise. */
int fm_check_utf8(diag_t *d, const char *path, const char *text, size_t len);

#endif
