/* tmpl.h: a Mustache template engine (the spec's core modules and
 * ~inheritance) rendering jansson values, typed C records and generic
 * objects.  A set is compiled once, then rendered from any number of
 * threads at once (rendering never mutates it). */
#ifndef PLANSITE_TMPL_H
#define PLANSITE_TMPL_H

#include <stdbool.h>
#include <string.h>
#include <jansson.h>
#include "util.h"

typedef struct tmpl_set tmpl_set_t;

/* How deep sections, blocks, partials and parents may nest, in one source
 * and while rendering (where a recursive partial nests without end). */
#define TMPL_MAX_DEPTH 100

tmpl_set_t *tmpl_set_new(void);
void tmpl_set_free(tmpl_set_t *set);                 /* accepts NULL */

/* Compiles src under name (replacing an earlier template of that name: a
 * site's templates override the theme's).  `file` names the source in error
 * messages.  Returns 0, or -1 with *err set to a malloc'd message of the form
 * "file:line:col: error: text" (caller frees). */
int tmpl_set_add(tmpl_set_t *set, const char *name, const char *file,
                 const char *src, size_t len, char **err);

bool tmpl_set_has(const tmpl_set_t *set, const char *name);

/* Finds templates that include themselves whatever the data: a partial
 * ({{>x}}) or parent ({{<x}}) reached again through partials and parents
 * outside any section ({{#..}} or {{^..}}), which would nest without end.
 * (Inclusion inside a section is how trees recurse, and stops with the
 * data.)  Returns how many cycles were found, each in (*errs)[i] as
 * "file:line:col: error: text" at the tag that closes it, naming the whole
 * cycle; *errs and its strings are malloc'd (the caller frees). */
size_t tmpl_set_cycles(const tmpl_set_t *set, char ***errs);

/* A partial or parent some template of the set names but the set lacks
 * (borrowed, NULL when there is none), and in *user the template that
 * names it; the first such template in name order. */
const char *tmpl_set_missing(const tmpl_set_t *set, const char **user);

/* Renders template `name` with ctx as the root context, appending to out.
 * Partials ({{>x}}) and parents ({{<x}}) are looked up in the same set; an
 * unknown partial renders as nothing, as the spec says.  {{x}} is
 * HTML-escaped, {{{x}}} and {{&x}} are not.  Returns 0, or -1 when name is
 * not in the set, or TMPL_TOO_DEEP when rendering nested deeper than
 * TMPL_MAX_DEPTH (a partial or block including itself without end); out
 * then holds what was rendered up to that point. */
#define TMPL_TOO_DEEP (-2)
int tmpl_render(const tmpl_set_t *set, const char *name, json_t *ctx, buf_t *out);

/* Constant folding: every {{root.key}} in the set's templates becomes the
 * text of values.key, escaped as the tag asks, when that is a string with
 * no newline (or nothing, when values has no such key).  For a name whose
 * value at render time is `values` in every context that can see it (the
 * interface strings, `t`): rendering then looks nothing up for them. */
void tmpl_set_fold(tmpl_set_t *set, const char *root, const json_t *values);

/* ---------------------------------------------------- typed contexts
 *
 * A context need not be a jansson tree: a C record of a registered type
 * answers a lookup through its field table.  Names are interned when a
 * template is compiled (each part of a dotted name gets a symbol) and a
 * type maps symbols to its fields when it is registered, so a lookup in a
 * record is an array index and a call, never a string comparison.  The
 * Mustache rules are the same whatever the context: a name not found in a
 * context (a record's getter says TMPL_MISSING) is looked up in the next
 * one out; null and false are falsey, empty lists too, "" and 0 are not. */

typedef struct tmpl_type tmpl_type_t;
typedef struct tmpl_obj tmpl_obj_t;

typedef enum {
	TMPL_MISSING,   /* not in this context: look further out */
	TMPL_NULL, TMPL_BOOL, TMPL_INT, TMPL_STR,
	TMPL_JSON,      /* a jansson value (any type) */
	TMPL_REC,       /* a record of a registered type */
	TMPL_LIST,      /* records of one type, or objects (type TMPL_OBJ_LIST) */
	TMPL_OBJ,       /* a generic object (tmpl_obj_new) */
} tmpl_kind_t;

typedef struct {
	tmpl_kind_t kind;
	bool owned;     /* TMPL_JSON: a reference the renderer drops after use */
	union {
		bool b;
		long long i;
		struct { const char *s; } str;   /* NUL-terminated (tmpl_str_len) */
		json_t *json;
		struct { const tmpl_type_t *type; const void *p; } rec;
		/* element i is at base + i * stride, or is the pointer stored
		 * there (indirect) */
		struct { const tmpl_type_t *type; const void *base; size_t stride, n; bool indirect; } list;
		const tmpl_obj_t *obj;
	} u;
} tmpl_val_t;

/* The list type whose elements are tmpl_obj_t pointers (indirect). */
extern const tmpl_type_t *const TMPL_OBJ_LIST;

/* What a field holds, for the analysis of memoized parts (below). */
typedef enum { TMPL_F_SCALAR, TMPL_F_REC, TMPL_F_LIST, TMPL_F_OPAQUE } tmpl_shape_t;

typedef struct {
	const char *name;
	tmpl_shape_t shape;
	const tmpl_type_t *type;   /* TMPL_F_REC, TMPL_F_LIST: of the record(s) */
	/* always there (never TMPL_MISSING), and a function of the record's
	 * memo key alone for the whole build */
	bool stable;
} tmpl_field_t;

/* Scratch space a getter may put a value's text in (a formatted date). */
#define TMPL_SCRATCH 64

struct tmpl_type {
	const char *name;
	const tmpl_field_t *fields;
	size_t nfields;
	/* Field i of rec into *out (TMPL_MISSING when the record lacks it);
	 * a string may point into scratch, an owned TMPL_JSON is dropped by
	 * the renderer. */
	void (*get)(const void *rec, size_t i, tmpl_val_t *out, char *scratch);
	/* Parts rendered with a record of this type innermost may be rendered
	 * once and reused (tmpl_memo_t), keyed by memo_key(rec); NULL: never. */
	const void *(*memo_key)(const void *rec);
	/* set by tmpl_type_register */
	int id;
	unsigned *slot;         /* symbol -> field index + 1, 0: none */
	size_t nslot;
};

/* Registers t (once, before any set that renders it is prepared;
 * not thread-safe with other registrations).  At most 16 types have
 * memo_key. */
void tmpl_type_register(tmpl_type_t *t);

/* A string's length is not taken here: most values a getter gives are
 * printed, and printing finds the end as it escapes (buf_put_html_str). */
static inline tmpl_val_t tmpl_str(const char *s)
{
	tmpl_val_t v = { .kind = s ? TMPL_STR : TMPL_NULL };
	v.u.str.s = s;
	return v;
}

static inline size_t tmpl_str_len(const tmpl_val_t *v)
{
	return strlen(v->u.str.s);
}

static inline tmpl_val_t tmpl_bool(bool b)
{
	tmpl_val_t v = { .kind = TMPL_BOOL };
	v.u.b = b;
	return v;
}

static inline tmpl_val_t tmpl_int(long long i)
{
	tmpl_val_t v = { .kind = TMPL_INT };
	v.u.i = i;
	return v;
}

/* A borrowed jansson value (owned: the value takes the reference). */
static inline tmpl_val_t tmpl_json(json_t *j, bool owned)
{
	tmpl_val_t v = { .kind = j ? TMPL_JSON : TMPL_MISSING, .owned = owned && j };
	v.u.json = j;
	return v;
}

static inline tmpl_val_t tmpl_rec(const tmpl_type_t *t, const void *p)
{
	tmpl_val_t v = { .kind = TMPL_REC };
	v.u.rec.type = t;
	v.u.rec.p = p;
	return v;
}

static inline tmpl_val_t tmpl_list(const tmpl_type_t *t, const void *base, size_t stride,
				   size_t n, bool indirect)
{
	tmpl_val_t v = { .kind = TMPL_LIST };
	v.u.list.type = t;
	v.u.list.base = base;
	v.u.list.stride = stride;
	v.u.list.n = n;
	v.u.list.indirect = indirect;
	return v;
}

/* A generic object: keys set here, then the keys of base (a jansson
 * object, may be NULL; the object takes the reference).  Lookups compare
 * symbols, not strings.  Freed with tmpl_obj_free (accepts NULL), which
 * frees what it owns: objects and owned jansson values set in it, and the
 * memory given to tmpl_obj_keep. */
tmpl_obj_t *tmpl_obj_new(json_t *base);
/* The jansson object under o (borrowed; NULL when it has none). */
json_t *tmpl_obj_base(const tmpl_obj_t *o);
void tmpl_obj_set(tmpl_obj_t *o, const char *key, tmpl_val_t v);
static inline void tmpl_obj_set_obj(tmpl_obj_t *o, const char *key, tmpl_obj_t *sub)
{
	tmpl_val_t v = { .kind = TMPL_OBJ };
	v.u.obj = sub;
	tmpl_obj_set(o, key, v);
}
/* mem (malloc'd) is freed with o: the arrays its lists point into. */
void tmpl_obj_keep(tmpl_obj_t *o, void *mem);
void tmpl_obj_free(tmpl_obj_t *o);

/* Parts of pages rendered once per build and reused: a partial, or a
 * section, whose every name resolves (at prepare time) to stable fields of
 * the record innermost where it is rendered and of the records below it,
 * is rendered once for each record (by memo key) and its bytes copied on
 * every later page.  Safe to share between threads; the caller frees it
 * (accepts NULL) after the last render that uses it. */
typedef struct tmpl_memo tmpl_memo_t;
tmpl_memo_t *tmpl_memo_new(void);
/* Sizes the table of records for about n of them before the first render
 * (the table grows by doubling, and the smaller tables stay until the memo
 * is freed: readers may still be in them). */
void tmpl_memo_reserve(tmpl_memo_t *m, size_t n);
/* The records of type that index(cls, key) numbers below n (key as the
 * type's memo_key gives it; n or more: not numbered) keep their cells in
 * one array of n rows, without the table's slot and block header (at
 * 10,000 plans: 400,000 tasks, 41 MB in the table and its blocks, 19 MB
 * so); the others go to the table.  Before the first render; index is
 * called from every rendering thread. */
void tmpl_memo_dense(tmpl_memo_t *m, const tmpl_type_t *type, size_t n,
		     size_t (*index)(const void *cls, const void *key), const void *cls);
void tmpl_memo_free(tmpl_memo_t *m);
/* How many parts were rendered, and how many reused (for tests). */
void tmpl_memo_stats(const tmpl_memo_t *m, size_t *rendered, size_t *reused);
/* The bytes kept, and in *texts how many different texts they are (the
 * same text is kept once, whatever the parts that rendered it). */
size_t tmpl_memo_bytes(const tmpl_memo_t *m, size_t *texts);
/* How many records have their cells in the table (not numbered). */
size_t tmpl_memo_blocks(const tmpl_memo_t *m);
/* How many cells a record of type has in a memo of the prepared set: one
 * for each part memoizable with it (for tests). */
size_t tmpl_set_cells(const tmpl_set_t *set, const tmpl_type_t *type);

/* Rows shared between the pages of one family of jobs (the status views,
 * the deadlines and the overdue list): a part rendered with a record of
 * the share's type innermost (a partial over it, or a section's body for
 * each element of a list of them), with no indentation, is kept after its
 * rendering when nothing it looked up lay outside the record (a name found
 * further out or nowhere, a block or a parent: checked as it renders), and
 * a later page of the family copies its bytes instead of rendering it.
 * ident says of a record: its key (NULL: never shared), its variant (what
 * its fields read besides what the key decides) and how many times the
 * family's pages render it; a rendering is dropped after its last use, so
 * what is kept at once is what the pages in progress still need when the
 * jobs run in the order of their rows.  Safe to use from several threads;
 * freed (accepts NULL) after the last render that uses it. */
typedef struct tmpl_share tmpl_share_t;
typedef bool (*tmpl_share_ident_fn)(const void *rec, void *arg, const void **key,
				    unsigned *variant, unsigned *uses);
tmpl_share_t *tmpl_share_new(const tmpl_type_t *type, tmpl_share_ident_fn ident, void *arg);
/* Names found outside a row that do not stop it being shared: the pages of
 * the family give each the same value wherever a row can see it (NULL
 * ends the list; kept borrowed).  Before the first render. */
void tmpl_share_invariant(tmpl_share_t *sh, const char *const *names);
/* At most max bytes of renderings kept at once (32 MB unless set): a
 * rendering that would go beyond is not kept, but its uses are still
 * counted (a ghost of a few dozen bytes), so that a later rendering of it
 * is kept when there is room again, for the uses still to come.  Before
 * the first render. */
void tmpl_share_limit(tmpl_share_t *sh, size_t max);
void tmpl_share_free(tmpl_share_t *sh);
/* The share the calling thread's renders use from now on (NULL: none). */
void tmpl_share_use(tmpl_share_t *sh);
typedef struct {
	size_t rendered;        /* renderings offered to the share */
	size_t reused;          /* copied instead of rendered */
	size_t tainted;         /* rendered, but read something outside their record */
	size_t kept_now, kept_peak, bytes_now, bytes_peak;
	size_t ghosts;          /* renderings not kept for want of room (tmpl_share_limit) */
} tmpl_share_stats_t;
void tmpl_share_stats(const tmpl_share_t *sh, tmpl_share_stats_t *st);

/* Finds the parts of the set's templates that can be memoized for the
 * registered types, and joins each run of text into one node (a folded
 * string between two texts); after every tmpl_set_add and tmpl_set_fold,
 * before rendering. */
void tmpl_set_prepare(tmpl_set_t *set);
/* The nodes of template name at every depth (0 when the set has no such
 * template), for the tests. */
size_t tmpl_set_nodes(const tmpl_set_t *set, const char *name);

/* tmpl_render with any value as the root context, and memo (NULL: none). */
int tmpl_render_val(const tmpl_set_t *set, const char *name, tmpl_val_t root,
		    tmpl_memo_t *memo, buf_t *out);

#endif
