/* tmpl_int.h: what the template compiler (tmpl_parse.c) hands the renderer
 * (tmpl.c): the node tree of a compiled template.  Not for other modules. */
#ifndef PLANSITE_TMPL_INT_H
#define PLANSITE_TMPL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "tmpl.h"

/*
 * tmpl_set_add compiles a source in passes over a flat token list:
 *
 *   lex         text and tags, following set-delimiter tags as it goes;
 *   match       pairs open and close tags (the only pass with a stack), so
 *               the next pass can look at both ends of a section;
 *   standalone  decides which whitespace around a tag belongs to the tag
 *               rather than to the output, and the indentation of partials,
 *               parents and blocks;
 *   build       the node tree, in the template's own arena; a block whose
 *               body has an intrinsic indentation is dedented here.
 *
 * Rendering walks the tree with all its state on the C stack and in the
 * caller's buffer, so one set can be rendered by many threads at once.
 */

#define NPOS ((size_t)-1)

/* At most this many record types have a memo key (tmpl_type_register). */
#define TMPL_MEMO_TYPES 16

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK };

struct node {
	enum node_kind kind;
	bool escape;            /* N_VAR: {{x}}, not {{{x}}} or {{&x}} */
	bool bol;               /* compile time: starts a line of the source */
	bool intrinsic;         /* N_BLOCK: body already dedented by its own indentation */
	char *str;              /* N_TEXT: the text; partial, parent, block: the name */
	size_t len;
	char **parts;           /* var, section, inverted: the dotted name; none for "." */
	uint32_t *syms;         /* the symbol of each part (tmpl_sym) */
	size_t nparts;
	uint16_t memo;          /* section: memoizable with a record of type id i innermost (bit i) */
	uint16_t memo_id;       /* its cell in a memo block */
	bool memo_bol;          /* section: its bytes depend on whether a line starts there */
	const char *indent;     /* partial, parent, block: prefix of each output line */
	size_t indent_len;
	struct node *kids;      /* section body, block default, a parent's argument blocks */
	size_t nkids;
	uint32_t hash;          /* partial, parent, block: of the name */
	const struct tmpl *target;   /* partial, parent: the template (tmpl_set_prepare) */
	int line, col;          /* partial, parent: where the tag is in the source */
};

struct tmpl {
	char *name;
	char *file;             /* the source, for messages */
	uint32_t hash;
	arena_t *arena;         /* holds this struct, the nodes and their strings */
	struct node *kids;
	size_t nkids;
	uint16_t memo;          /* as a partial: memoizable with type id i innermost (bit i) */
	uint16_t memo_id;
	bool memo_bol;          /* its bytes depend on whether a line starts there */
};

/* Open addressing with linear probing; rendering only reads it. */
struct tmpl_set {
	struct tmpl **slot;
	size_t cap, count;
	size_t nmemo;           /* memoizable parts (tmpl_set_prepare) */
	/* a record's cells hold the parts memoizable with its type only:
	 * part i's cell with a record of type id j is col[j * nmemo + i], and
	 * such a record has ncol[j] cells (a task's six, a unit's link one) */
	uint16_t *col;
	uint16_t ncol[TMPL_MEMO_TYPES];
	bool prepared;          /* since the last tmpl_set_add or fold */
};

/* Every text node's string has this many readable bytes after its end
 * (and a memoized cell's bytes, 16-aligned, up to the next multiple of 16),
 * so the renderer copies it in whole 32-byte (and 16-byte) moves (tmpl.c's
 * put_text, put_cell) with no call to memcpy. */
#define TMPL_TEXT_PAD 32

/* A copy of s (n bytes) in a, NUL-terminated and padded (TMPL_TEXT_PAD). */
static inline char *tmpl_text_dup(arena_t *a, const char *s, size_t n)
{
	char *c = arena_alloc(a, n + TMPL_TEXT_PAD);   /* zeroed */
	if (n)
		memcpy(c, s, n);
	return c;
}

static inline uint32_t tmpl_hash(const char *s)
{
	return (uint32_t)hash_str(s);
}


/* The symbol of name (its first n bytes), the same for equal names in
 * every set for the life of the process (thread-safe). */
uint32_t tmpl_sym(const char *name, size_t n);

/* tmpl_share.c, for the renderer: whether rec (of type) is shared there,
 * with its key, variant and uses; the kept bytes of a rendering, appended
 * to out (true; one use done), or false; a new rendering kept for its
 * uses - 1 other renderings (or one use of the same rendering kept by
 * another thread meanwhile); a rendering that read outside its record,
 * counted. */
bool tmpl_share_ident(const tmpl_share_t *sh, const tmpl_type_t *type, const void *rec,
		      const void **key, unsigned *variant, unsigned *uses);
bool tmpl_share_take(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		     bool bol, buf_t *out, bool *end_bol);
void tmpl_share_put(tmpl_share_t *sh, const void *key, const void *part, unsigned variant,
		    bool bol, bool end_bol, const char *bytes, size_t len, unsigned uses);
void tmpl_share_tainted(tmpl_share_t *sh);
/* Whether sym is one of the share's invariant names. */
bool tmpl_share_invariant_sym(const tmpl_share_t *sh, uint32_t sym);

/* Compiles src; returns the template (its arena owns it), or NULL with
 * *err set ("file:line:col: error: text", malloc'd). */
struct tmpl *tmpl_compile(const char *name, const char *file, const char *src,
			  size_t len, char **err);

#endif
