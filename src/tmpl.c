/* tmpl.c: sets of compiled Mustache templates, rendered with jansson data,
 * typed records and generic objects (tmpl_parse.c compiles them). */
#include "tmpl_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* ------------------------------------------------------------------ set */

tmpl_set_t *tmpl_set_new(void)
{
	tmpl_set_t *set = xcalloc(1, sizeof *set);
	set->cap = 64;
	set->slot = xcalloc(set->cap, sizeof *set->slot);
	return set;
}

void tmpl_set_free(tmpl_set_t *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			arena_free(set->slot[i]->arena);
	free(set->slot);
	free(set->col);
	free(set);
}

/* The slot holding name, or the empty slot where it would go. */
static size_t set_slot(const tmpl_set_t *set, const char *name, uint32_t h)
{
	size_t mask = set->cap - 1, i = h & mask;
	while (set->slot[i] && (set->slot[i]->hash != h || strcmp(set->slot[i]->name, name) != 0))
		i = (i + 1) & mask;
	return i;
}

static const struct tmpl *set_find(const tmpl_set_t *set, const char *name, uint32_t h)
{
	return set->slot[set_slot(set, name, h)];
}

int tmpl_set_add(tmpl_set_t *set, const char *name, const char *file,
		 const char *src, size_t len, char **err)
{
	if (err)
		*err = NULL;
	struct tmpl *t = tmpl_compile(name, file, src, len, err);
	if (!t)
		return -1;
	if (2 * (set->count + 1) > set->cap) {
		struct tmpl **old = set->slot;
		size_t oldcap = set->cap;
		set->cap *= 2;
		set->slot = xcalloc(set->cap, sizeof *set->slot);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				set->slot[set_slot(set, old[i]->name, old[i]->hash)] = old[i];
		free(old);
	}
	size_t i = set_slot(set, t->name, t->hash);
	if (set->slot[i])
		arena_free(set->slot[i]->arena);    /* a site's template overrides the theme's */
	else
		set->count++;
	set->prepared = false;
	set->slot[i] = t;
	return 0;
}

bool tmpl_set_has(const tmpl_set_t *set, const char *name)
{
	return set_find(set, name, tmpl_hash(name)) != NULL;
}

/* -------------------------------------------------------------- cycles */

/* An unconditional inclusion: the tag and the template it names. */
struct edge {
	const struct node *tag;
	const struct tmpl *to;
};

/* The partials and parents of a list that render whatever the data: not
 * inside a section, but inside blocks and a parent's argument blocks. */
static void edges_of(const tmpl_set_t *set, const struct node *kids, size_t n,
		     struct edge **v, size_t *nv, size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &kids[i];
		if (k->kind == N_PARTIAL || k->kind == N_PARENT) {
			const struct tmpl *to = set_find(set, k->str, k->hash);
			if (to) {
				if (*nv == *cap) {
					*cap = *cap ? 2 * *cap : 8;
					*v = xrealloc(*v, *cap * sizeof(**v));
				}
				(*v)[(*nv)++] = (struct edge){ k, to };
			}
		}
		if (k->kind == N_PARENT || k->kind == N_BLOCK)
			edges_of(set, k->kids, k->nkids, v, nv, cap);
	}
}

static int tmpl_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct tmpl *const *)a)->name, (*(const struct tmpl *const *)b)->name);
}

struct cyc {
	const tmpl_set_t *set;
	const struct tmpl **all;
	size_t n;
	unsigned char *colour;          /* by index in all: 0 new, 1 on the path, 2 done */
	const struct tmpl **path;
	size_t depth;
	char **errs;
	size_t nerrs;
};

static size_t index_of(const struct cyc *c, const struct tmpl *t)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(c->all[mid]->name, t->name);
		if (!r)
			return mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Depth first over unconditional inclusions (as deep as there are
 * templates, which a site counts in dozens). */
static void cycles_from(struct cyc *c, const struct tmpl *t)
{
	size_t ti = index_of(c, t);
	c->colour[ti] = 1;
	c->path[c->depth++] = t;
	struct edge *v = NULL;
	size_t nv = 0, cap = 0;
	edges_of(c->set, t->kids, t->nkids, &v, &nv, &cap);
	for (size_t i = 0; i < nv; i++) {
		size_t ui = index_of(c, v[i].to);
		if (c->colour[ui] == 0) {
			cycles_from(c, v[i].to);
		} else if (c->colour[ui] == 1) {
			buf_t b = BUF_INIT;
			size_t from = c->depth - 1;
			while (c->path[from] != v[i].to)
				from--;
			buf_printf(&b, "%s:%d:%d: error: mẫu \"%s\" gọi lại chính nó không điều kiện (",
				   t->file, v[i].tag->line, v[i].tag->col, v[i].to->name);
			for (size_t j = from; j < c->depth; j++)
				buf_printf(&b, "%s (%s) -> ", c->path[j]->name, c->path[j]->file);
			buf_printf(&b, "%s): trang sẽ lặp vô hạn. Hãy bỏ {{%c%s}} ở đây, hoặc đặt nó "
				   "trong một mục {{#...}} chỉ có khi còn dữ liệu",
				   v[i].to->name, v[i].tag->kind == N_PARENT ? '<' : '>', v[i].to->name);
			c->errs = xrealloc(c->errs, (c->nerrs + 1) * sizeof(*c->errs));
			c->errs[c->nerrs++] = buf_detach(&b);
		}
	}
	free(v);
	c->depth--;
	c->colour[ti] = 2;
}

size_t tmpl_set_cycles(const tmpl_set_t *set, char ***errs)
{
	struct cyc c = { .set = set };
	c.all = xmalloc((set->count + 1) * sizeof(*c.all));
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			c.all[c.n++] = set->slot[i];
	qsort(c.all, c.n, sizeof(*c.all), tmpl_name_cmp);
	c.colour = xcalloc(c.n + 1, 1);
	c.path = xmalloc((c.n + 1) * sizeof(*c.path));
	for (size_t i = 0; i < c.n; i++)
		if (!c.colour[i])
			cycles_from(&c, c.all[i]);
	free(c.path);
	free(c.colour);
	free(c.all);
	*errs = c.errs;
	return c.nerrs;
}

static const char *missing_in(const tmpl_set_t *set, const struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &kids[i];
		if ((k->kind == N_PARTIAL || k->kind == N_PARENT) && !set_find(set, k->str, k->hash))
			return k->str;
		const char *m = k->nkids ? missing_in(set, k->kids, k->nkids) : NULL;
		if (m)
			return m;
	}
	return NULL;
}

const char *tmpl_set_missing(const tmpl_set_t *set, const char **user)
{
	/* the first in name order, so the message is the same on every run */
	const char *best = NULL, *by = NULL;
	for (size_t i = 0; i < set->cap; i++) {
		const struct tmpl *t = set->slot[i];
		const char *m = t ? missing_in(set, t->kids, t->nkids) : NULL;
		if (m && (!by || strcmp(t->name, by) < 0)) {
			best = m;
			by = t->name;
		}
	}
	*user = by;
	return best;
}

/* ------------------------------------------------------------- folding */

static void fold_list(arena_t *a, struct node *kids, size_t n, const char *root,
		      const json_t *values)
{
	for (size_t i = 0; i < n; i++) {
		struct node *k = &kids[i];
		if (k->kind == N_VAR && k->nparts == 2 && !strcmp(k->parts[0], root)) {
			const json_t *v = json_object_get(values, k->parts[1]);
			if (v && !json_is_string(v))
				continue;
			const char *s = v ? json_string_value(v) : "";
			size_t len = v ? json_string_length(v) : 0;
			if (memchr(s, '\n', len))
				continue;   /* a value's lines are not indented; text's are */
			buf_t b = BUF_INIT;
			if (k->escape)
				buf_put_html(&b, s, len);
			else
				buf_put(&b, s, len);
			k->kind = N_TEXT;
			k->str = tmpl_text_dup(a, b.ptr, b.len);
			k->len = b.len;
			buf_free(&b);
		} else if (k->nkids) {
			fold_list(a, k->kids, k->nkids, root, values);
		}
	}
}

void tmpl_set_fold(tmpl_set_t *set, const char *root, const json_t *values)
{
	set->prepared = false;
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slot[i];
		if (t)
			fold_list(t->arena, t->kids, t->nkids, root, values);
	}
}

/* ------------------------------------------------------------- symbols */

/* Every name any template uses, interned: a process-wide table that only
 * grows (a theme reloaded by serve adds its new names). */
static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char **name;            /* by symbol */
	uint32_t *slot;         /* open addressing: symbol + 1, 0 empty */
	size_t n, cap;
} syms;

static uint32_t sym_find_locked(const char *name, size_t n, uint32_t h, size_t *at)
{
	size_t mask = syms.cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t e = syms.slot[i];
		if (!e || (strlen(syms.name[e - 1]) == n && !memcmp(syms.name[e - 1], name, n))) {
			*at = i;
			return e;
		}
	}
}

uint32_t tmpl_sym(const char *name, size_t n)
{
	uint32_t h = (uint32_t)hash_bytes(name, n);
	pthread_mutex_lock(&sym_lock);
	if (2 * (syms.n + 1) > syms.cap) {
		uint32_t *old = syms.slot;
		size_t oldcap = syms.cap;
		syms.cap = syms.cap ? 2 * syms.cap : 256;
		syms.slot = xcalloc(syms.cap, sizeof *syms.slot);
		syms.name = xrealloc(syms.name, syms.cap * sizeof *syms.name);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i]) {
				const char *s = syms.name[old[i] - 1];
				size_t at;
				sym_find_locked(s, strlen(s), (uint32_t)hash_bytes(s, strlen(s)), &at);
				syms.slot[at] = old[i];
			}
		free(old);
	}
	size_t at;
	uint32_t e = sym_find_locked(name, n, h, &at);
	if (!e) {
		char *c = xmalloc(n + 1);
		memcpy(c, name, n);
		c[n] = '\0';
		syms.name[syms.n++] = c;
		e = (uint32_t)syms.n;
		syms.slot[at] = e;
	}
	pthread_mutex_unlock(&sym_lock);
	return e - 1;
}

/* --------------------------------------------------------------- types */

#define MAX_MEMO_TYPES TMPL_MEMO_TYPES
static const tmpl_type_t *memo_types[MAX_MEMO_TYPES];
static int nmemo_types;

void tmpl_type_register(tmpl_type_t *t)
{
	uint32_t *fs = xmalloc((t->nfields + 1) * sizeof *fs);
	uint32_t top = 0;
	for (size_t i = 0; i < t->nfields; i++) {
		fs[i] = tmpl_sym(t->fields[i].name, strlen(t->fields[i].name));
		if (fs[i] + 1 > top)
			top = fs[i] + 1;
	}
	/* names interned later are no field of t: the table ends here */
	t->slot = xcalloc(top + 1, sizeof *t->slot);
	t->nslot = top;
	for (size_t i = 0; i < t->nfields; i++)
		t->slot[fs[i]] = (unsigned)i + 1;
	free(fs);
	t->id = -1;
	if (t->memo_key) {
		assert(nmemo_types < MAX_MEMO_TYPES);
		t->id = nmemo_types;
		memo_types[nmemo_types++] = t;
	}
}

/* t's field named by sym, or -1. */
static inline long field_of(const tmpl_type_t *t, uint32_t sym)
{
	return t && sym < t->nslot ? (long)t->slot[sym] - 1 : -1;
}

static const tmpl_type_t obj_list_type = { .name = "(objects)" };
const tmpl_type_t *const TMPL_OBJ_LIST = &obj_list_type;

/* ------------------------------------------------------------- objects */

struct oentry {
	uint32_t sym;
	tmpl_val_t v;
};

struct tmpl_obj {
	json_t *base;
	struct oentry *e;
	size_t n, cap;
	void **keep;
	size_t nkeep;
};

tmpl_obj_t *tmpl_obj_new(json_t *base)
{
	tmpl_obj_t *o = xcalloc(1, sizeof *o);
	o->base = base;
	return o;
}

json_t *tmpl_obj_base(const tmpl_obj_t *o)
{
	return o->base;
}

/* The symbols of the keys objects were given lately, on this thread: the
 * keys are a few dozen literals, set on every page and row (126,000 times
 * at 1,000 plans), and tmpl_sym hashes and takes a lock.  Found by the
 * key's address, and kept only while the text there is the name's (a key
 * that is not a literal may be freed, and its address reused). */
#define OSYM_CACHE 64
static _Thread_local struct osym {
	const char *key;
	const char *name;       /* the interned name (never freed) */
	uint32_t sym;
} osyms[OSYM_CACHE];

static uint32_t obj_sym(const char *key)
{
	struct osym *e = &osyms[((uintptr_t)key >> 3) & (OSYM_CACHE - 1)];
	if (e->key == key && !strcmp(key, e->name))
		return e->sym;
	size_t n = strlen(key);
	uint32_t sym = tmpl_sym(key, n);
	pthread_mutex_lock(&sym_lock);
	const char *name = syms.name[sym];
	pthread_mutex_unlock(&sym_lock);
	*e = (struct osym){ key, name, sym };
	return sym;
}

void tmpl_obj_set(tmpl_obj_t *o, const char *key, tmpl_val_t v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->e = xrealloc(o->e, o->cap * sizeof *o->e);
	}
	o->e[o->n++] = (struct oentry){ obj_sym(key), v };
}

/* The list grows by doubling, its room implied by nkeep (4, then each
 * power of two): a cold 1k build keeps some 61,000 blocks in its history
 * pages alone, and a realloc each was 14.8M instructions (callgrind). */
void tmpl_obj_keep(tmpl_obj_t *o, void *mem)
{
	size_t n = o->nkeep;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
		o->keep = xrealloc(o->keep, (n ? 2 * n : 4) * sizeof *o->keep);
	o->keep[o->nkeep++] = mem;
}

void tmpl_obj_free(tmpl_obj_t *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++) {
		tmpl_val_t *v = &o->e[i].v;
		if (v->kind == TMPL_OBJ)
			tmpl_obj_free((tmpl_obj_t *)v->u.obj);
		else if (v->kind == TMPL_JSON && v->owned)
			json_decref(v->u.json);
		else if (v->kind == TMPL_LIST && v->u.list.type == TMPL_OBJ_LIST)
			for (size_t j = 0; j < v->u.list.n; j++)
				tmpl_obj_free(((tmpl_obj_t **)v->u.list.base)[j]);
	}
	for (size_t i = 0; i < o->nkeep; i++)
		free(o->keep[i]);
	free(o->keep);
	free(o->e);
	json_decref(o->base);
	free(o);
}

/* ---------------------------------------------------------------- memo */

/* One memoized part of one record: its bytes (shared by the cells of the
 * same text: mtext_intern, 16-aligned and zeroed up to the next multiple
 * of 16 after them, the length in the 4 bytes 16 before them), and in the two low bits the output's state where the part starts
 * (CELL_BOL) and where it ends (CELL_END_BOL); 0 until set, set once,
 * read without the lock (published by the release store).  One word: a
 * portal of 10,000 plans has 400,000 task rows of six cells (16 bytes a
 * cell was 20 MB more). */
struct mcell {
	_Atomic uintptr_t v;
};

#define CELL_BOL ((uintptr_t)1)
#define CELL_END_BOL ((uintptr_t)2)
#define CELL_TEXT(v) ((const char *)((v) & ~(uintptr_t)15))

static uint32_t cell_len(const char *text)
{
	uint32_t len;
	memcpy(&len, text - 16, sizeof len);
	return len;
}

/* The parts of one record: one cell for each part memoizable with its
 * type (the set's col and ncol: a unit's link is no cell of a task's).
 * The cells of a task row are rendered one after the other, so a render
 * finds the block once a row (struct render's last block). */
struct mblock {
	const void *key;
	const tmpl_type_t *type;
	struct mcell cell[];
};

/* Many cells are the same bytes (the same units, deadline or status on
 * many tasks): each text is kept once. */
struct mtext {
	const char *bytes;
	uint32_t len;
	uint64_t hash;
};

/* The key beside the block: a probe reads no block.  A slot is written
 * once, under the lock: the block, then the key (release), so a reader
 * that sees the key sees the block. */
struct mslot {
	const void *_Atomic key;
	struct mblock *_Atomic block;
};

/* Open addressing by (key, type).  Found without the lock: a full table
 * is copied into one twice its size, and the old one stays (in the arena)
 * for readers still probing it; one that misses there asks under the
 * lock, in the current table. */
struct mtable {
	size_t cap;
	struct mslot slot[];
};

struct tmpl_memo {
	pthread_mutex_t lock;
	arena_t *arena;
	const tmpl_set_t *set;  /* the set whose part ids the blocks use */
	struct mtable *_Atomic tab;
	size_t n;
	struct mtext *tv;
	size_t ntv, tvcap;
	uint32_t *tslot;
	size_t tcap;
	_Atomic size_t rendered, reused;
	size_t bytes;
	/* tmpl_memo_dense: the records of dtype that dindex numbers below
	 * dn have their cells in one array, dn blocks of set->ncol cells
	 * without a header and outside the table (made with the set, under
	 * the lock, before the first render that can read it) */
	const tmpl_type_t *dtype;
	size_t (*dindex)(const void *cls, const void *key);
	const void *dcls;
	size_t dn;
	struct mcell *dcells;   /* mem_sparse: a record's cells are taken when written */
	size_t dbytes;
};

tmpl_memo_t *tmpl_memo_new(void)
{
	tmpl_memo_t *m = xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	m->arena = arena_new();
	return m;
}

void tmpl_memo_reserve(tmpl_memo_t *m, size_t n)
{
	pthread_mutex_lock(&m->lock);
	struct mtable *t = atomic_load_explicit(&m->tab, memory_order_relaxed);
	if (!t) {
		size_t cap = 1024;
		while (cap < 2 * (n + 1))
			cap *= 2;
		t = arena_alloc(m->arena, sizeof *t + cap * sizeof(struct mslot));
		t->cap = cap;
		atomic_store_explicit(&m->tab, t, memory_order_release);
	}
	pthread_mutex_unlock(&m->lock);
}

void tmpl_memo_dense(tmpl_memo_t *m, const tmpl_type_t *type, size_t n,
		     size_t (*index)(const void *cls, const void *key), const void *cls)
{
	pthread_mutex_lock(&m->lock);
	assert(!m->set && !m->dtype);
	m->dtype = type;
	m->dn = n;
	m->dindex = index;
	m->dcls = cls;
	pthread_mutex_unlock(&m->lock);
}

void tmpl_memo_free(tmpl_memo_t *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	mem_sparse_free(m->dcells, m->dbytes);
	arena_free(m->arena);
	free(m->tv);
	free(m->tslot);
	free(m);
}

void tmpl_memo_stats(const tmpl_memo_t *m, size_t *rendered, size_t *reused)
{
	*rendered = m->rendered;
	*reused = m->reused;
}

size_t tmpl_memo_blocks(const tmpl_memo_t *m)
{
	return m->n;
}

size_t tmpl_set_cells(const tmpl_set_t *set, const tmpl_type_t *type)
{
	return set->prepared && type->id >= 0 ? set->ncol[type->id] : 0;
}

size_t tmpl_memo_bytes(const tmpl_memo_t *m, size_t *texts)
{
	*texts = m->ntv;
	return m->bytes;
}

/* The block of (key, type) in t, or NULL with *at the empty slot where
 * it would go. */
static inline size_t mslot_of(const struct mtable *t, const void *key, const tmpl_type_t *type)
{
	/* by address, a type's keys from an offset of their own: the keys
	 * are records that lie one after the other (a plan's tasks), and a
	 * list shows them in that order, so its rows probe slots a few
	 * bytes apart instead of one cache line of a large table each (at
	 * 10,000 plans the table is 64 MB); keys in one 64-byte line start
	 * at one slot and probe on (a task is 192 bytes) */
	uint64_t h = ((uint64_t)(uintptr_t)key >> 6) + (((uint64_t)(uintptr_t)type * 0x9e3779b97f4a7c15ULL) >> 40);
	return (size_t)h & (t->cap - 1);
}

static struct mblock *mblock_find(const struct mtable *t, const void *key, const tmpl_type_t *type,
				  size_t *at)
{
	size_t mask = t->cap - 1;
	for (size_t i = mslot_of(t, key, type);; i = (i + 1) & mask) {
		const struct mslot *e = &t->slot[i];
		const void *k = atomic_load_explicit(&e->key, memory_order_acquire);
		if (!k) {
			*at = i;
			return NULL;
		}
		if (k == key) {
			struct mblock *b = atomic_load_explicit(&e->block, memory_order_relaxed);
			if (b->type == type)
				return b;
		}
	}
}

/* The cells of (key, type) in the dense array, or NULL when it holds
 * no such record. */
static inline struct mcell *dense_cells(const tmpl_memo_t *m, const void *key, const tmpl_type_t *type)
{
	if (type != m->dtype || !m->dcells)
		return NULL;
	size_t i = m->dindex(m->dcls, key);
	return i < m->dn ? m->dcells + i * m->set->ncol[type->id] : NULL;
}

/* The block of (key, type), made when new; takes the lock only then. */
static struct mblock *mblock_get(tmpl_memo_t *m, const void *key, const tmpl_type_t *type)
{
	size_t at;
	struct mtable *t = atomic_load_explicit(&m->tab, memory_order_acquire);
	struct mblock *b = t ? mblock_find(t, key, type, &at) : NULL;
	if (b)
		return b;
	pthread_mutex_lock(&m->lock);
	t = atomic_load_explicit(&m->tab, memory_order_relaxed);
	if (!t || 2 * (m->n + 1) > t->cap) {
		size_t cap = t ? 2 * t->cap : 1024;
		struct mtable *g = arena_alloc(m->arena, sizeof *g + cap * sizeof(struct mslot));
		g->cap = cap;
		for (size_t i = 0; t && i < t->cap; i++) {
			const void *k = atomic_load_explicit(&t->slot[i].key, memory_order_relaxed);
			if (!k)
				continue;
			struct mblock *ob = atomic_load_explicit(&t->slot[i].block, memory_order_relaxed);
			mblock_find(g, k, ob->type, &at);
			atomic_store_explicit(&g->slot[at].block, ob, memory_order_relaxed);
			atomic_store_explicit(&g->slot[at].key, k, memory_order_relaxed);
		}
		atomic_store_explicit(&m->tab, g, memory_order_release);
		t = g;
	}
	b = mblock_find(t, key, type, &at);
	if (!b) {
		b = arena_alloc(m->arena, sizeof *b + m->set->ncol[type->id] * sizeof(struct mcell));
		b->key = key;
		b->type = type;
		atomic_store_explicit(&t->slot[at].block, b, memory_order_relaxed);
		atomic_store_explicit(&t->slot[at].key, key, memory_order_release);
		m->n++;
	}
	pthread_mutex_unlock(&m->lock);
	return b;
}

/* The cells of (key, type), made when new. */
static struct mcell *memo_cells(tmpl_memo_t *m, const void *key, const tmpl_type_t *type)
{
	struct mcell *d = dense_cells(m, key, type);
	return d ? d : mblock_get(m, key, type)->cell;
}

/* The cells of a record found ahead of the row that reads them: with
 * their key and type, as a render remembers its last ones. */
struct mref {
	const void *key;
	const tmpl_type_t *type;
	struct mcell *cells;    /* NULL: none */
};

/* The record a key is (a task, 192 bytes): a row reads its status and
 * dates outside the memoized cells; a prefetch never faults, whatever lies
 * there. */
static inline void memo_prefetch_rec(const void *key)
{
	__builtin_prefetch(key);
	__builtin_prefetch((const void *)((uintptr_t)key + 64));
	__builtin_prefetch((const void *)((uintptr_t)key + 128));
}

/* Asks the processor for what rendering rec (of a memoized type) will
 * read of the memo, ahead of the row that reads it: the slot of its key
 * (block false), or its cells (block true; the slot should be in the
 * cache by then), which are returned (cells NULL: none yet) so that the
 * row does not look for them again.  The rows of a long list are records
 * spread over the model, and the memo's table and blocks are larger than
 * the cache: without this each row waits for two loads from memory. */
static struct mref memo_prefetch(const tmpl_memo_t *m, const tmpl_type_t *type, const void *rec,
				 bool block)
{
	const struct mtable *t = atomic_load_explicit(&((tmpl_memo_t *)m)->tab, memory_order_acquire);
	const void *key = type->memo_key(rec);
	struct mref ref = { key, type, NULL };
	if (!key)
		return ref;
	if (type == m->dtype && m->dcells) {
		/* numbered: nothing to find two rows ahead but the record */
		if (!block) {
			memo_prefetch_rec(key);
			return ref;
		}
		struct mcell *d = dense_cells(m, key, type);
		if (d) {
			__builtin_prefetch(d);
			ref.cells = d;
			return ref;
		}
	}
	if (!t)
		return ref;
	if (!block) {
		__builtin_prefetch(&t->slot[mslot_of(t, key, type)]);
		memo_prefetch_rec(key);
		return ref;
	}
	size_t at;
	struct mblock *b = mblock_find(t, key, type, &at);
	if (b) {
		__builtin_prefetch(b);
		__builtin_prefetch((const char *)b + 64);
		ref.cells = b->cell;
	}
	return ref;
}

/* The kept copy of s (len bytes); with the lock held. */
static const char *mtext_intern(tmpl_memo_t *m, const char *s, uint32_t len)
{
	uint64_t h = hash_words(HASH_INIT, s, len);
	if (2 * (m->ntv + 1) > m->tcap) {
		free(m->tslot);
		m->tcap = m->tcap ? 2 * m->tcap : 1024;
		m->tslot = xcalloc(m->tcap, sizeof *m->tslot);
		for (size_t i = 0; i < m->ntv; i++) {
			size_t j = (size_t)m->tv[i].hash & (m->tcap - 1);
			while (m->tslot[j])
				j = (j + 1) & (m->tcap - 1);
			m->tslot[j] = (uint32_t)i + 1;
		}
	}
	size_t j = (size_t)h & (m->tcap - 1);
	for (; m->tslot[j]; j = (j + 1) & (m->tcap - 1)) {
		const struct mtext *t = &m->tv[m->tslot[j] - 1];
		if (t->hash == h && t->len == len && !memcmp(t->bytes, s, len))
			return t->bytes;
	}
	if (m->ntv == m->tvcap) {
		m->tvcap = m->tvcap ? 2 * m->tvcap : 1024;
		m->tv = xrealloc(m->tv, m->tvcap * sizeof *m->tv);
	}
	/* the length before the text, which stays 16-aligned: its low bits
	 * carry a cell's flags (struct mcell) */
	/* and up to the next multiple of 16 after it, which put_cell
	 * reads (no more than the text and its NUL took before) */
	char *c = arena_alloc(m->arena, 16 + (((size_t)len + 15) & ~(size_t)15));
	memcpy(c, &len, sizeof len);
	c += 16;
	memcpy(c, s, len);
	m->bytes += len;
	m->tv[m->ntv++] = (struct mtext){ c, len, h };
	m->tslot[j] = (uint32_t)m->ntv;
	return c;
}

/* ------------------------------------------------------ memo analysis */

/* What the analysis knows of a context: a record type, a scalar (where no
 * name is found), or anything else (unknown: a name could be there). */
struct actx {
	const tmpl_type_t *type;
	bool scalar;
};

#define ANALYSIS_DEPTH 16

static bool local_list(const tmpl_set_t *set, const struct node *kids, size_t n,
		       struct actx *st, int nst, int depth);

/* Resolves k's name in the stack (innermost last) as rendering would, and
 * the context a section over it pushes in *push; false when the value can
 * depend on anything but the records of the stack. */
static bool local_name(const struct node *k, const struct actx *st, int nst, struct actx *push)
{
	if (k->nparts == 0) {
		*push = st[nst - 1];
		return true;
	}
	const tmpl_field_t *f = NULL;
	for (int i = nst - 1; i >= 0 && !f; i--) {
		if (st[i].scalar)
			continue;
		if (!st[i].type)
			return false;
		long fi = field_of(st[i].type, k->syms[0]);
		if (fi >= 0)
			f = &st[i].type->fields[fi];
	}
	if (!f || !f->stable)
		return false;   /* found further out, or not always there */
	for (size_t p = 1; p < k->nparts; p++) {
		if (f->shape == TMPL_F_OPAQUE)
			return false;
		if (f->shape != TMPL_F_REC) {
			*push = (struct actx){ NULL, true };   /* nothing: a missing value */
			return true;
		}
		long fi = field_of(f->type, k->syms[p]);
		if (fi < 0) {
			*push = (struct actx){ NULL, true };
			return true;
		}
		f = &f->type->fields[fi];
		if (!f->stable)
			return false;
	}
	switch (f->shape) {
	case TMPL_F_REC:
	case TMPL_F_LIST:
		*push = (struct actx){ f->type, false };
		break;
	case TMPL_F_SCALAR:
		*push = (struct actx){ NULL, true };
		break;
	default:
		*push = (struct actx){ NULL, false };
	}
	return true;
}

static bool local_list(const tmpl_set_t *set, const struct node *kids, size_t n,
		       struct actx *st, int nst, int depth)
{
	if (depth > ANALYSIS_DEPTH)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &kids[i];
		struct actx push;
		const struct tmpl *t;
		switch (k->kind) {
		case N_TEXT:
			break;
		case N_VAR:
			if (!local_name(k, st, nst, &push))
				return false;
			break;
		case N_SECTION:
			if (!local_name(k, st, nst, &push) || nst >= ANALYSIS_DEPTH)
				return false;
			st[nst] = push;
			if (!local_list(set, k->kids, k->nkids, st, nst + 1, depth + 1))
				return false;
			break;
		case N_INVERTED:
			if (!local_name(k, st, nst, &push) ||
			    !local_list(set, k->kids, k->nkids, st, nst, depth + 1))
				return false;
			break;
		case N_PARTIAL:
			t = set_find(set, k->str, k->hash);
			if (t && !local_list(set, t->kids, t->nkids, st, nst, depth + 1))
				return false;
			break;
		default:
			return false;   /* parents and blocks: not worth following */
		}
	}
	return true;
}

/* Marks the sections of kids that are memoizable under type ty: over a
 * list or record (a cell of units); a section over a scalar is too small
 * to be worth an entry. */
static void mark_sections(const tmpl_set_t *set, struct node *kids, size_t n, const tmpl_type_t *ty)
{
	for (size_t i = 0; i < n; i++) {
		struct node *k = &kids[i];
		if (k->kind == N_SECTION && k->nparts) {
			struct actx st[ANALYSIS_DEPTH + 1] = { { ty, false } };
			struct actx push;
			if (local_name(k, st, 1, &push) && push.type) {
				st[1] = push;
				if (local_list(set, k->kids, k->nkids, st, 2, 1))
					k->memo |= (uint16_t)(1u << ty->id);
			}
		}
		if (k->nkids)
			mark_sections(set, k->kids, k->nkids, ty);
	}
}

/* Whether rendering kids can indent (a partial, parent or block with an
 * indentation): only then does where a line starts change their bytes. */
static bool indents(const tmpl_set_t *set, const struct node *kids, size_t n, int depth)
{
	if (depth > ANALYSIS_DEPTH)
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &kids[i];
		if ((k->kind == N_PARTIAL || k->kind == N_PARENT || k->kind == N_BLOCK) && k->indent_len)
			return true;
		const struct tmpl *t = k->kind == N_PARTIAL || k->kind == N_PARENT
			? set_find(set, k->str, k->hash) : NULL;
		if ((t && indents(set, t->kids, t->nkids, depth + 1)) ||
		    (k->nkids && indents(set, k->kids, k->nkids, depth + 1)))
			return true;
	}
	return false;
}

/* Clears the memo marks of kids and resolves their partials and parents
 * (rendering a prepared set looks no template up by name). */
static void clear_sections(const tmpl_set_t *set, struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		kids[i].memo = 0;
		if (kids[i].kind == N_PARTIAL || kids[i].kind == N_PARENT)
			kids[i].target = set_find(set, kids[i].str, kids[i].hash);
		if (kids[i].nkids)
			clear_sections(set, kids[i].kids, kids[i].nkids);
	}
}

/* Numbers the memoizable sections of kids (part ids, the cells of a block);
 * of every section, whether its bytes depend on where a line starts (the
 * memo's and the shares' key, tmpl_share_t). */
static void number_sections(tmpl_set_t *set, struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct node *k = &kids[i];
		if (k->kind == N_SECTION)
			k->memo_bol = indents(set, k->kids, k->nkids, 0);
		if (k->memo && set->nmemo < UINT16_MAX)
			k->memo_id = (uint16_t)set->nmemo++;
		else
			k->memo = 0;
		if (k->nkids)
			number_sections(set, k->kids, k->nkids);
	}
}

/* Whether kids look anything up (a part that does not is the same text
 * everywhere: nothing to keep). */
static bool uses_names(const struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (kids[i].kind == N_VAR || kids[i].kind == N_SECTION || kids[i].kind == N_INVERTED ||
		    kids[i].kind == N_PARTIAL || (kids[i].nkids && uses_names(kids[i].kids, kids[i].nkids)))
			return true;
	return false;
}

/* Part id's cell in the records of each type it is memoizable with. */
static void number_cells(tmpl_set_t *set, uint16_t mask, uint16_t id)
{
	for (int j = 0; j < nmemo_types; j++)
		if (mask & (1u << j))
			set->col[(size_t)j * set->nmemo + id] = set->ncol[j]++;
}

static void cells_of(tmpl_set_t *set, const struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (kids[i].memo)
			number_cells(set, kids[i].memo, kids[i].memo_id);
		if (kids[i].nkids)
			cells_of(set, kids[i].kids, kids[i].nkids);
	}
}

/* Joins the runs of text nodes in kids (and in their kids) into one node
 * each: a folded string ({{t.x}}, tmpl_set_fold) leaves its text between
 * two others, and every node costs a turn of render_list and a buf_put on
 * every row of every page.  Text is emitted line by line whatever the
 * nodes (emit_text), so the bytes are the same. */
static void join_text(arena_t *a, struct node *kids, size_t *n)
{
	size_t w = 0;
	for (size_t i = 0; i < *n; i++) {
		struct node *k = &kids[i];
		if (k->nkids)
			join_text(a, k->kids, &k->nkids);
		if (k->kind == N_TEXT && w && kids[w - 1].kind == N_TEXT) {
			struct node *to = &kids[w - 1];
			char *s = arena_alloc(a, to->len + k->len + TMPL_TEXT_PAD);   /* padded */
			memcpy(s, to->str, to->len);
			memcpy(s + to->len, k->str, k->len);
			to->str = s;
			to->len += k->len;
			continue;
		}
		if (w != i)
			kids[w] = *k;
		w++;
	}
	*n = w;
}

static size_t count_nodes(const struct node *kids, size_t n)
{
	size_t c = n;
	for (size_t i = 0; i < n; i++)
		c += count_nodes(kids[i].kids, kids[i].nkids);
	return c;
}

size_t tmpl_set_nodes(const tmpl_set_t *set, const char *name)
{
	const struct tmpl *t = set_find(set, name, tmpl_hash(name));
	return t ? count_nodes(t->kids, t->nkids) : 0;
}

void tmpl_set_prepare(tmpl_set_t *set)
{
	set->nmemo = 0;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			join_text(set->slot[i]->arena, set->slot[i]->kids, &set->slot[i]->nkids);
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slot[i];
		if (!t)
			continue;
		t->memo = 0;
		for (int j = 0; j < nmemo_types && uses_names(t->kids, t->nkids); j++) {
			struct actx st[ANALYSIS_DEPTH + 1] = { { memo_types[j], false } };
			if (local_list(set, t->kids, t->nkids, st, 1, 0))
				t->memo |= (uint16_t)(1u << j);
		}
		if (t->memo)
			t->memo_id = (uint16_t)set->nmemo++;
		t->memo_bol = indents(set, t->kids, t->nkids, 0);
	}
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slot[i];
		if (t) {
			clear_sections(set, t->kids, t->nkids);
			for (int j = 0; j < nmemo_types; j++)
				mark_sections(set, t->kids, t->nkids, memo_types[j]);
			number_sections(set, t->kids, t->nkids);
		}
	}
	free(set->col);
	set->col = xcalloc((size_t)MAX_MEMO_TYPES * set->nmemo + 1, sizeof *set->col);
	memset(set->ncol, 0, sizeof set->ncol);
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slot[i];
		if (t) {
			if (t->memo)
				number_cells(set, t->memo, t->memo_id);
			cells_of(set, t->kids, t->nkids);
		}
	}
	set->prepared = true;
}

/* --------------------------------------------------------------- render */

struct ctx {                    /* the context stack, innermost first */
	tmpl_val_t v;
	const struct ctx *up;
};

struct frame {                  /* the parents being expanded, innermost first */
	const struct node *parent;
	const struct frame *up;
};

/* A name looked up in a jansson object (a context, or an object's base):
 * the object, the name's symbol and the answer (NULL: not there). */
struct jentry {
	const json_t *obj;
	uint32_t sym;
	json_t *val;
};
#define JCACHE 64

struct render {
	const tmpl_set_t *set;
	tmpl_memo_t *memo;
	buf_t *out;
	buf_t indent;           /* what starts each output line here */
	bool bol;               /* the output is at the start of a template line */
	int depth;
	int err;
	/* rendering a part for the memo: the types (bit id) of the records
	 * whose parts are being rendered; nothing inside is kept for those
	 * (the outer part keeps it), a part of another type is (a unit's link
	 * inside a task's cell: the same bytes in the cells of many tasks) */
	uint16_t in_memo;
	struct mref last;       /* the cells of the last memoized part */
	struct mref ahead;      /* the cells of the next row of a list (memo_prefetch) */
	tmpl_share_t *share;    /* the thread's (tmpl_share_use), or NULL */
	const struct ctx *row;  /* rendering a part for the share: its record's context */
	bool taint;             /* ... which read something outside that record */
	struct jentry jc[JCACHE];   /* names looked up in jansson objects (jget) */
	size_t reused;          /* memo cells copied, added to the memo's count at the end */
};

static _Thread_local tmpl_share_t *cur_share;

void tmpl_share_use(tmpl_share_t *sh)
{
	cur_share = sh;
}

/* Template text: the indentation goes before each line that has something
 * on it, so blank lines stay blank. */
static void emit_text_indented(struct render *r, const char *s, size_t n);

/* Appends n bytes of a padded text (TMPL_TEXT_PAD: a text node's) in
 * whole 32-byte moves: most are a few dozen bytes between two tags, six
 * million of them at 1,000 plans, and a call to memcpy cost more than the
 * copy.  The moves may write up to 31 bytes past the end, within the room
 * taken, and the text is not NUL-terminated: nothing reads the output as
 * a string while it renders (the memo and the share take lengths), so
 * tmpl_render_val ends it once. */
static inline void put_text(buf_t *b, const char *s, size_t n)
{
	if (n > 512) {
		buf_put(b, s, n);
		return;
	}
	buf_grow(b, n + 32);
	char *d = b->ptr + b->len;
	for (size_t i = 0; i < n; i += 32) {
		uint64_t w[2], x[2];
		memcpy(w, s + i, 16);
		memcpy(x, s + i + 16, 16);
		memcpy(d + i, w, 16);
		memcpy(d + i + 16, x, 16);
	}
	b->len += n;
}

/* The same for a memoized cell's bytes, readable up to the next multiple
 * of 16 after them (mtext_intern; 32 would take 16 bytes more of each of
 * 17,000 texts at 10,000 plans, kept to the end): 32 bytes a move while
 * that stays within them, then one of 16.  The moves may write up to 15
 * bytes past the end, within the room taken. */
static inline void put_cell(buf_t *b, const char *s, size_t n)
{
	if (n > 512) {
		buf_put(b, s, n);
		return;
	}
	buf_grow(b, n + 16);
	char *d = b->ptr + b->len;
	size_t i = 0;
	/* i + 16 < n: the next multiple of 16 after n is i + 32 or more */
	for (; i + 16 < n; i += 32) {
		uint64_t w[2], x[2];
		memcpy(w, s + i, 16);
		memcpy(x, s + i + 16, 16);
		memcpy(d + i, w, 16);
		memcpy(d + i + 16, x, 16);
	}
	if (i < n) {
		uint64_t w[2];
		memcpy(w, s + i, 16);
		memcpy(d + i, w, 16);
	}
	b->len += n;
}

static inline __attribute__((always_inline)) void emit_text(struct render *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (r->indent.len == 0) {
		put_text(r->out, s, n);
		r->bol = s[n - 1] == '\n';
		return;
	}
	emit_text_indented(r, s, n);
}

static void emit_text_indented(struct render *r, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t seg = nl ? (size_t)(nl - s) + 1 : n;
		if (r->bol && !(nl && (seg == 1 || (seg == 2 && s[0] == '\r'))))
			buf_put(r->out, r->indent.ptr, r->indent.len);
		put_text(r->out, s, seg);
		r->bol = nl != NULL;
		s += seg;
		n -= seg;
	}
}

/* Data is not template text: newlines inside a value are not indented. */
static void emit_value(struct render *r, const char *s, size_t n, bool escape)
{
	if (n == 0)
		return;
	if (r->bol && r->indent.len)
		buf_put(r->out, r->indent.ptr, r->indent.len);
	if (escape)
		buf_put_html(r->out, s, n);
	else
		buf_put(r->out, s, n);
	r->bol = false;
}

/* emit_value of a C string, whose end is found as it is escaped. */
static void emit_str(struct render *r, const char *s, bool escape)
{
	if (!*s)
		return;
	if (r->bol && r->indent.len)
		buf_put(r->out, r->indent.ptr, r->indent.len);
	if (escape)
		buf_put_html_str(r->out, s);
	else
		buf_put(r->out, s, strlen(s));
	r->bol = false;
}

/* The shortest of %.15g and %.17g that reads back as d: 1.21 stays 1.21. */
static size_t fmt_real(char *buf, size_t size, double d)
{
	int n = snprintf(buf, size, "%.15g", d);
	if (strtod(buf, NULL) != d)
		n = snprintf(buf, size, "%.17g", d);
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = '.';       /* in case a locale set a decimal comma */
	return n > 0 ? (size_t)n : 0;
}

/* i in decimal at the end of buf (of 24 bytes): returns where it starts.
 * Pages print hundreds of thousands of counts and percentages; snprintf
 * costs more than the rest of the tag. */
static char *fmt_int(char buf[24], long long i)
{
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
	char *p = buf + 24;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		*--p = '-';
	return p;
}

/* Drops v's reference when it owns one: its objects may go, and what
 * jget remembers of them with them. */
static void val_drop_owned(struct render *r, tmpl_val_t *v)
{
	json_decref(v->u.json);
	memset(r->jc, 0, sizeof r->jc);
}

/* Inline: three million calls at 1,000 plans, nearly all of a value that
 * owns nothing. */
static inline void val_drop(struct render *r, tmpl_val_t *v)
{
	if (__builtin_expect(v->kind == TMPL_JSON && v->owned, 0))
		val_drop_owned(r, v);
	v->kind = TMPL_MISSING;
}

/* json_object_get(o, name), name of symbol sym, remembered for the rest of
 * the render: a page's objects do not change while it renders, and only
 * an owned value's are freed meanwhile (val_drop forgets them then).  The
 * rows of a list look the same names up in the same objects further out
 * (a plan page's rows its plan's address). */
static json_t *jget(struct render *r, const json_t *o, uint32_t sym, const char *name)
{
	struct jentry *e = &r->jc[(((uintptr_t)o >> 4) ^ (sym * 0x9E3779B1u)) & (JCACHE - 1)];
	if (e->obj == o && e->sym == sym)
		return e->val;
	json_t *v = json_object_get(o, name);
	*e = (struct jentry){ o, sym, v };
	return v;
}

/* Name sym (text name) in the context value c, into *out: false when c
 * does not have it (the lookup goes on further out). */
static bool get_in(struct render *r, const tmpl_val_t *c, uint32_t sym, const char *name,
		   tmpl_val_t *out, char *scratch)
{
	json_t *j;
	switch (c->kind) {
	case TMPL_JSON:
		if (!json_is_object(c->u.json) || !(j = jget(r, c->u.json, sym, name)))
			return false;
		*out = tmpl_json(j, false);
		return true;
	case TMPL_REC: {
		long f = field_of(c->u.rec.type, sym);
		if (f < 0)
			return false;
		out->owned = false;
		c->u.rec.type->get(c->u.rec.p, (size_t)f, out, scratch);
		return out->kind != TMPL_MISSING;
	}
	case TMPL_OBJ: {
		const tmpl_obj_t *o = c->u.obj;
		for (size_t i = 0; i < o->n; i++)
			if (o->e[i].sym == sym) {
				*out = o->e[i].v;
				out->owned = false;     /* the object keeps it */
				return true;
			}
		if (!o->base || !(j = jget(r, o->base, sym, name)))
			return false;
		*out = tmpl_json(j, false);
		return true;
	}
	default:
		return false;
	}
}

/* k's value in the context stack into *out (TMPL_MISSING when nowhere);
 * an owned value is the caller's to val_drop.  While a part renders for the share,
 * a name found outside its record's context (further out, or nowhere)
 * taints it: its bytes may differ on another page.  Inlined in its three
 * callers: six million lookups at 1,000 plans, most of them one field of
 * the innermost record, paid a call's entry and exit each (callgrind:
 * render workers 1.9% fewer instructions). */
static inline __attribute__((always_inline)) void lookup(struct render *r, const struct ctx *c, const struct node *k, char *scratch,
		   tmpl_val_t *out)
{
	/* the value is made in *out (a getter writes it there): it is
	 * copied nowhere */
	tmpl_val_t *v = out;
	v->kind = TMPL_MISSING;   /* the rest is set with the kind */
	v->owned = false;
	if (k->nparts == 0) {
		*v = c->v;
		v->owned = false;
		return;
	}
	const struct ctx *from = c;
	for (; c; c = c->up) {
		/* records first, without a call: most contexts a name passes
		 * through on its way out are rows and their cells */
		if (c->v.kind == TMPL_REC) {
			long f = field_of(c->v.u.rec.type, k->syms[0]);
			if (f >= 0) {
				v->owned = false;
				c->v.u.rec.type->get(c->v.u.rec.p, (size_t)f, v, scratch);
				if (v->kind != TMPL_MISSING)
					break;
			}
		} else if ((c->v.kind == TMPL_JSON || c->v.kind == TMPL_OBJ) &&
			   get_in(r, &c->v, k->syms[0], k->parts[0], v, scratch)) {
			break;
		}
	}
	if (r->row) {
		/* found outside the row's context (or nowhere): the contexts
		 * passed on the way are looked at again here, not on every
		 * step of every lookup (most render no shared row) */
		bool outside = !c;
		for (const struct ctx *x = from; !outside && x != c; x = x->up)
			outside = x == r->row;
		if (outside && !tmpl_share_invariant_sym(r->share, k->syms[0]))
			r->taint = true;
	}
	/* later parts resolve in the first part's value only, never further up */
	if (k->nparts == 1)
		return;
	for (size_t i = 1; v->kind != TMPL_MISSING && i < k->nparts; i++) {
		if (v->kind == TMPL_REC) {
			/* a record's field without get_in's call (a row's
			 * plan.url, due.date: a million at 1,000 plans),
			 * made in *v as the first part's is (a record owns
			 * nothing): a value zeroed and copied over it was
			 * 6M instructions of a cold 1k build (callgrind) */
			const tmpl_type_t *ty = v->u.rec.type;
			const void *p = v->u.rec.p;
			long f = field_of(ty, k->syms[i]);
			v->kind = TMPL_MISSING;
			v->owned = false;
			if (f >= 0)
				ty->get(p, (size_t)f, v, scratch);
			continue;
		}
		tmpl_val_t sub = { .kind = TMPL_MISSING };
		if (!get_in(r, v, k->syms[i], k->parts[i], &sub, scratch))
			sub.kind = TMPL_MISSING;
		if (v->owned) {
			if (sub.kind == TMPL_JSON && !sub.owned) {
				json_incref(sub.u.json);
				sub.owned = true;
			}
			val_drop(r, v);
		}
		*v = sub;
	}
}

/* The spec's falsey values; "" and 0 are truthy there, as in Ruby. */
static inline bool truthy(const tmpl_val_t *v)
{
	switch (v->kind) {
	case TMPL_MISSING:
	case TMPL_NULL:
		return false;
	case TMPL_BOOL:
		return v->u.b;
	case TMPL_JSON:
		if (json_is_null(v->u.json) || json_is_false(v->u.json))
			return false;
		return !json_is_array(v->u.json) || json_array_size(v->u.json) > 0;
	case TMPL_LIST:
		return v->u.list.n > 0;
	default:
		return true;
	}
}

static void put_value(struct render *r, const tmpl_val_t *v, bool escape)
{
	char tmp[64];
	size_t n;
	if (v->kind == TMPL_STR) {
		emit_str(r, v->u.str.s, escape);
	} else if (v->kind == TMPL_INT) {
		const char *d = fmt_int(tmp, v->u.i);
		emit_value(r, d, (size_t)(tmp + 24 - d), escape);
	} else if (v->kind == TMPL_BOOL) {
		emit_value(r, v->u.b ? "true" : "false", v->u.b ? 4 : 5, escape);
	} else if (v->kind == TMPL_JSON) {
		const json_t *j = v->u.json;
		switch (json_typeof(j)) {
		case JSON_STRING:
			emit_value(r, json_string_value(j), json_string_length(j), escape);
			break;
		case JSON_INTEGER: {
			const char *d = fmt_int(tmp, json_integer_value(j));
			emit_value(r, d, (size_t)(tmp + 24 - d), escape);
			break;
		}
		case JSON_REAL:
			n = fmt_real(tmp, sizeof tmp, json_real_value(j));
			emit_value(r, tmp, n, escape);
			break;
		case JSON_TRUE:
			emit_value(r, "true", 4, escape);
			break;
		case JSON_FALSE:
			emit_value(r, "false", 5, escape);
			break;
		default:
			break;
		}
	}
	/* null, missing, records, objects and lists print nothing */
}

static void render_list(struct render *r, const struct node *kids, size_t n,
			const struct ctx *c, const struct frame *f);

/* Renders kids with indent appended to the current indentation. */
static void render_indented(struct render *r, const char *indent, size_t len,
			    const struct node *kids, size_t n,
			    const struct ctx *c, const struct frame *f)
{
	size_t saved = r->indent.len;
	if (len)
		buf_put(&r->indent, indent, len);
	render_list(r, kids, n, c, f);
	r->indent.len = saved;
}

/* Whether part (a partial's template, or a section node, with mask its
 * memo bits) is rendered from the memo here: with a memoizable record
 * innermost and no indentation.  Then *key is the record's memo key. */
static inline bool memo_here(const struct render *r, uint16_t mask, const struct ctx *c, const void **key)
{
	if (!mask || !r->memo || r->indent.len || c->v.kind != TMPL_REC ||
	    !r->set->prepared || r->memo->set != r->set)
		return false;
	const tmpl_type_t *ty = c->v.u.rec.type;
	if (ty->id < 0 || !(mask & (1u << ty->id)) || (r->in_memo & (1u << ty->id)))
		return false;
	*key = ty->memo_key(c->v.u.rec.p);
	return *key != NULL;   /* a NULL key marks an empty slot of the memo */
}

static void render_node(struct render *r, const struct node *k,
			const struct ctx *c, const struct frame *f);

/* Renders part (of memo id id) through the memo: the bytes of an earlier
 * rendering with the same record (by_bol: and the same start of line),
 * or a new rendering that is kept. */
static void render_memo(struct render *r, uint16_t id, bool by_bol, const void *key,
			const struct node *k, const struct tmpl *t,
			const struct ctx *c, const struct frame *f)
{
	tmpl_memo_t *m = r->memo;
	const tmpl_type_t *ty = c->v.u.rec.type;
	if (!r->last.cells || r->last.key != key || r->last.type != ty) {
		if (r->ahead.cells && r->ahead.key == key && r->ahead.type == ty)
			r->last = r->ahead;
		else
			r->last = (struct mref){ key, ty, memo_cells(m, key, ty) };
	}
	struct mcell *cell = &r->last.cells[r->set->col[(size_t)ty->id * r->set->nmemo + id]];
	uintptr_t v = atomic_load_explicit(&cell->v, memory_order_acquire);
	if (v && (!by_bol || ((v & CELL_BOL) != 0) == r->bol)) {
		const char *bytes = CELL_TEXT(v);
		put_cell(r->out, bytes, cell_len(bytes));
		r->bol = (v & CELL_END_BOL) != 0;
		r->reused++;
		return;
	}
	bool bol = r->bol;
	size_t from = r->out->len;
	uint16_t outer = r->in_memo;
	r->in_memo |= (uint16_t)(1u << ty->id);
	if (t)
		render_list(r, t->kids, t->nkids, c, f);
	else
		render_node(r, k, c, f);
	r->in_memo = outer;
	if (r->err || v || r->out->len - from >= UINT32_MAX)
		return;   /* kept for the other start of line, or too big */
	pthread_mutex_lock(&m->lock);
	if (!atomic_load_explicit(&cell->v, memory_order_relaxed)) {
		/* another thread may have been first: the same bytes */
		uint32_t len = (uint32_t)(r->out->len - from);
		const char *text = mtext_intern(m, r->out->ptr + from, len);
		atomic_store_explicit(&cell->v, (uintptr_t)text | (bol ? CELL_BOL : 0) | (r->bol ? CELL_END_BOL : 0),
				      memory_order_release);
		m->rendered++;
	}
	pthread_mutex_unlock(&m->lock);
}

/* A record as the share knows it (tmpl_share_ident). */
struct shared_rec {
	const void *key;
	unsigned variant, uses;
};

/* Whether a part with c innermost is rendered through the share (then *sr
 * says what of): a record of its type that it shares, no indentation, not
 * inside another shared part or a memoized one. */
static inline bool share_here(const struct render *r, const struct ctx *c, struct shared_rec *sr)
{
	return r->share && !r->row && !r->in_memo && !r->indent.len && r->set->prepared &&
	       c->v.kind == TMPL_REC &&
	       tmpl_share_ident(r->share, c->v.u.rec.type, c->v.u.rec.p, &sr->key, &sr->variant, &sr->uses);
}

/* Renders a part through the share: a section's body k over the element
 * c, or the partial t (not indented) with c innermost.  The bytes of an
 * earlier page, or a rendering that is kept for the pages after. */
static void render_shared(struct render *r, const struct shared_rec *sr, const struct node *k,
			  const struct tmpl *t, const struct ctx *c, const struct frame *f)
{
	tmpl_share_t *sh = r->share;
	const void *key = sr->key, *part = t ? (const void *)t : (const void *)k;
	unsigned variant = sr->variant, uses = sr->uses;
	/* where a line starts matters only to a part that indents; and
	 * where the part ends, only when it wrote something */
	bool bol = (t ? t->memo_bol : k->memo_bol) && r->bol, end_bol;
	size_t from = r->out->len;
	if (tmpl_share_take(sh, key, part, variant, bol, r->out, &end_bol)) {
		if (r->out->len > from)
			r->bol = end_bol;
		return;
	}
	r->row = c;
	r->taint = false;
	if (t) {
		const void *mkey;
		if (memo_here(r, t->memo, c, &mkey))
			render_memo(r, t->memo_id, t->memo_bol, mkey, NULL, t, c, f);
		else
			render_list(r, t->kids, t->nkids, c, f);
	} else {
		render_list(r, k->kids, k->nkids, c, f);
	}
	r->row = NULL;
	if (r->err)
		return;
	if (r->taint)
		tmpl_share_tainted(sh);
	else
		tmpl_share_put(sh, key, part, variant, bol, r->bol, r->out->ptr + from,
			       r->out->len - from, uses);
}

/* Element i of the list v: a record, or an object (TMPL_OBJ_LIST). */
static inline const void *list_at(const tmpl_val_t *v, size_t i)
{
	const char *at = (const char *)v->u.list.base + i * v->u.list.stride;
	return v->u.list.indirect || v->u.list.type == TMPL_OBJ_LIST ? *(const void *const *)at : at;
}

/* Whether a section over v repeats its body (a list, a jansson array)
 * rather than rendering it once or not at all. */
static inline bool val_is_list(const tmpl_val_t *v)
{
	return v->kind == TMPL_LIST || (v->kind == TMPL_JSON && json_is_array(v->u.json));
}

static void render_section_val(struct render *r, const struct node *k, tmpl_val_t v,
			       const struct ctx *c, const struct frame *f);

static void render_section(struct render *r, const struct node *k,
			   const struct ctx *c, const struct frame *f)
{
	char scratch[TMPL_SCRATCH];
	tmpl_val_t v;
	lookup(r, c, k, scratch, &v);
	render_section_val(r, k, v, c, f);
}

/* Section k over its value v (consumed; a string in it may be the
 * caller's scratch). */
static void render_section_val(struct render *r, const struct node *k, tmpl_val_t v,
			       const struct ctx *c, const struct frame *f)
{
	if (v.kind == TMPL_JSON && json_is_array(v.u.json)) {
		for (size_t i = 0; i < json_array_size(v.u.json) && !r->err; i++) {
			struct ctx sub = { tmpl_json(json_array_get(v.u.json, i), false), c };
			render_list(r, k->kids, k->nkids, &sub, f);
		}
	} else if (v.kind == TMPL_LIST) {
		const tmpl_type_t *lt = v.u.list.type;
		/* rows whose cells come from the memo: their slots and blocks
		 * are fetched two and one rows ahead (a list of a few, such as
		 * a task's units, is not worth it); the rows of the list
		 * around this one keep theirs */
		bool ahead = r->memo && !r->in_memo && r->set->prepared && r->memo->set == r->set &&
			     lt && lt != TMPL_OBJ_LIST && lt->id >= 0 && v.u.list.n > 4;
		struct mref around = r->ahead;
		for (size_t i = 0; i < v.u.list.n && !r->err; i++) {
			const void *p = list_at(&v, i);
			if (ahead) {
				if (i + 2 < v.u.list.n)
					memo_prefetch(r->memo, lt, list_at(&v, i + 2), false);
				r->ahead = i + 1 < v.u.list.n ? memo_prefetch(r->memo, lt, list_at(&v, i + 1), true)
							      : (struct mref){ NULL, NULL, NULL };
			}
			struct ctx sub = { tmpl_rec(v.u.list.type, p), c };
			if (v.u.list.type == TMPL_OBJ_LIST) {
				sub.v.kind = TMPL_OBJ;
				sub.v.u.obj = p;
			}
			/* a body that is one partial is shared as that partial,
			 * whatever list shows it */
			bool one_partial = k->nkids == 1 && k->kids[0].kind == N_PARTIAL &&
					   !k->kids[0].indent_len;
			struct shared_rec sr;
			if (!one_partial && share_here(r, &sub, &sr))
				render_shared(r, &sr, k, NULL, &sub, f);
			else
				render_list(r, k->kids, k->nkids, &sub, f);
		}
		if (ahead)
			r->ahead = around;
	} else if (truthy(&v)) {
		struct ctx sub = { v, c };
		sub.v.owned = false;
		render_list(r, k->kids, k->nkids, &sub, f);
	}
	val_drop(r, &v);
}

/* {{x}}, {{{x}}} or {{&x}}.  (Inlined in render_list it left put_value
 * a call of its own: 0.3% more instructions at 1,000 plans.) */
static void render_var(struct render *r, const struct node *k, const struct ctx *c)
{
	char scratch[TMPL_SCRATCH];
	tmpl_val_t v;
	lookup(r, c, k, scratch, &v);
	put_value(r, &v, k->escape);
	val_drop(r, &v);
}

static void render_node(struct render *r, const struct node *k,
			const struct ctx *c, const struct frame *f)
{
	const struct tmpl *t;
	const void *key;
	struct shared_rec sr;
	char scratch[TMPL_SCRATCH];
	tmpl_val_t v;

	switch (k->kind) {
	case N_TEXT:
		emit_text(r, k->str, k->len);
		break;
	case N_VAR:
		render_var(r, k, c);
		break;
	case N_SECTION:
		render_section(r, k, c, f);
		break;
	case N_INVERTED:
		lookup(r, c, k, scratch, &v);
		if (!truthy(&v))
			render_list(r, k->kids, k->nkids, c, f);
		val_drop(r, &v);
		break;
	case N_PARTIAL:
		/* an unknown partial renders as nothing, as the spec says */
		if ((t = r->set->prepared ? k->target : set_find(r->set, k->str, k->hash))) {
			if (!k->indent_len && share_here(r, c, &sr))
				render_shared(r, &sr, NULL, t, c, f);
			else if (!k->indent_len && memo_here(r, t->memo, c, &key))
				render_memo(r, t->memo_id, t->memo_bol, key, NULL, t, c, f);
			else
				render_indented(r, k->indent, k->indent_len, t->kids, t->nkids, c, f);
		}
		break;
	case N_PARENT:
		r->taint |= r->row != NULL;   /* its blocks are the page's */
		if ((t = r->set->prepared ? k->target : set_find(r->set, k->str, k->hash))) {
			struct frame fr = { k, f };
			render_indented(r, k->indent, k->indent_len, t->kids, t->nkids, c, &fr);
		}
		break;
	case N_BLOCK: {
		/* the outermost parent's argument wins: a page overrides its
		 * layout, which overrides the base layout */
		const struct node *body = k;
		r->taint |= r->row != NULL;
		for (const struct frame *g = f; g; g = g->up) {
			for (size_t i = 0; i < g->parent->nkids; i++) {
				const struct node *a = &g->parent->kids[i];
				if (a->hash == k->hash && strcmp(a->str, k->str) == 0) {
					body = a;
					break;
				}
			}
		}
		render_indented(r, k->indent, k->indent_len, body->kids, body->nkids, c, f);
		break;
	}
	}
}

/* A section or inverted section that is not memoized.  Not in render_node:
 * most are over a flag ({{#overdue}}, {{^title}}) with a body of one text,
 * 1.6 million at 1,000 plans, and each paid render_node's frame (that of
 * every kind of node) and a render_list of the one text. */
static void render_cond(struct render *r, const struct node *k,
			const struct ctx *c, const struct frame *f)
{
	char scratch[TMPL_SCRATCH];
	tmpl_val_t v;
	lookup(r, c, k, scratch, &v);
	if (k->kind == N_SECTION && val_is_list(&v)) {
		render_section_val(r, k, v, c, f);
		return;
	}
	if (truthy(&v) == (k->kind == N_SECTION)) {
		/* a body of one text is what render_list would write,
		 * short of the depth where it fails */
		if (k->nkids == 1 && k->kids[0].kind == N_TEXT && r->depth < TMPL_MAX_DEPTH) {
			emit_text(r, k->kids[0].str, k->kids[0].len);
		} else if (k->kind == N_SECTION) {
			struct ctx sub = { v, c };
			sub.v.owned = false;
			render_list(r, k->kids, k->nkids, &sub, f);
		} else {
			render_list(r, k->kids, k->nkids, c, f);
		}
	}
	val_drop(r, &v);
}

/* Every nested list counts towards TMPL_MAX_DEPTH: partials, parents and
 * blocks can recurse without end, and this keeps the C stack bounded. */
static void render_list(struct render *r, const struct node *kids, size_t n,
			const struct ctx *c, const struct frame *f)
{
	if (r->err)
		return;
	if (r->depth == TMPL_MAX_DEPTH) {
		r->err = TMPL_TOO_DEEP;
		return;
	}
	r->depth++;
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &kids[i];
		const void *key;
		/* text and names, most of the nodes, without render_node's
		 * frame (that of partials, parents and blocks); only what
		 * renders further lists can fail */
		if (k->kind == N_TEXT) {
			emit_text(r, k->str, k->len);
			continue;
		}
		if (k->kind == N_VAR) {
			render_var(r, k, c);
			continue;
		}
		if (k->kind == N_SECTION && memo_here(r, k->memo, c, &key)) {
			render_memo(r, k->memo_id, k->memo_bol, key, k, NULL, c, f);
		} else if (k->kind == N_SECTION || k->kind == N_INVERTED) {
			render_cond(r, k, c, f);
		} else if (k->kind == N_PARTIAL && k->target && r->set->prepared && !k->indent_len &&
			   (!r->share || r->row || r->in_memo) &&
			   memo_here(r, k->target->memo, c, &key)) {
			/* a memoized partial where no shared row can start (a
			 * row's cells: 580,000 at 1,000 plans), without
			 * render_node's frame; render_node takes the others in
			 * its order (the share first) */
			render_memo(r, k->target->memo_id, k->target->memo_bol, key, NULL, k->target, c, f);
		} else {
			render_node(r, k, c, f);
		}
		if (r->err)
			break;
	}
	r->depth--;
}

int tmpl_render_val(const tmpl_set_t *set, const char *name, tmpl_val_t root,
		    tmpl_memo_t *memo, buf_t *out)
{
	const struct tmpl *t = set_find(set, name, tmpl_hash(name));
	if (!t)
		return -1;
	/* the template's own list is depth 0, so one can nest TMPL_MAX_DEPTH deep */
	struct render r = { .set = set, .memo = memo, .out = out, .indent = BUF_INIT, .bol = true,
			    .depth = -1, .share = cur_share };
	if (memo && set->prepared) {
		/* the part ids are the set's: a memo serves one set */
		pthread_mutex_lock(&memo->lock);
		if (!memo->set) {
			memo->set = set;
			/* untouched until a record's cells are written */
			if (memo->dtype && memo->dn && set->ncol[memo->dtype->id]) {
				memo->dbytes = memo->dn * set->ncol[memo->dtype->id] * sizeof *memo->dcells;
				memo->dcells = mem_sparse(memo->dbytes);
			}
		}
		pthread_mutex_unlock(&memo->lock);
	}
	struct ctx top = { root, NULL };
	render_list(&r, t->kids, t->nkids, &top, NULL);
	/* put_text and put_cell leave the end unwritten; buf_grow kept room */
	if (out->ptr)
		out->ptr[out->len] = '\0';
	/* once a page, not once a cell copied (half a million at 1,000
	 * plans): the count is a line of memory every render thread
	 * writes */
	if (r.reused)
		atomic_fetch_add_explicit(&memo->reused, r.reused, memory_order_relaxed);
	buf_free(&r.indent);
	return r.err;
}

int tmpl_render(const tmpl_set_t *set, const char *name, json_t *ctx, buf_t *out)
{
	/* NULL data is the spec's empty context, not a missing name */
	tmpl_val_t root = tmpl_json(ctx, false);
	return tmpl_render_val(set, name, root, NULL, out);
}
