/* tmpl.c: sets of compiled Mustache templates, rendered with jansson data
 * (tmpl_parse.c compiles them). */
#include "tmpl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			k->str = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
			k->len = b.len;
			buf_free(&b);
		} else if (k->nkids) {
			fold_list(a, k->kids, k->nkids, root, values);
		}
	}
}

void tmpl_set_fold(tmpl_set_t *set, const char *root, const json_t *values)
{
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slot[i];
		if (t)
			fold_list(t->arena, t->kids, t->nkids, root, values);
	}
}

/* --------------------------------------------------------------- render */

struct ctx {                    /* the context stack, innermost first */
	json_t *v;
	const struct ctx *up;
};

struct frame {                  /* the parents being expanded, innermost first */
	const struct node *parent;
	const struct frame *up;
};

struct render {
	const tmpl_set_t *set;
	buf_t *out;
	buf_t indent;           /* what starts each output line here */
	bool bol;               /* the output is at the start of a template line */
	int depth;
	int err;
};

/* Template text: the indentation goes before each line that has something
 * on it, so blank lines stay blank. */
static void emit_text(struct render *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (r->indent.len == 0) {
		buf_put(r->out, s, n);
		r->bol = s[n - 1] == '\n';
		return;
	}
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t seg = nl ? (size_t)(nl - s) + 1 : n;
		if (r->bol && !(nl && (seg == 1 || (seg == 2 && s[0] == '\r'))))
			buf_put(r->out, r->indent.ptr, r->indent.len);
		buf_put(r->out, s, seg);
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

static json_t *lookup(const struct ctx *c, const struct node *k)
{
	if (k->nparts == 0)
		return c->v;
	json_t *v = NULL;
	for (; c; c = c->up)
		if (json_is_object(c->v) && (v = json_object_get(c->v, k->parts[0])))
			break;
	/* later parts resolve in the first part's value only, never further up */
	for (size_t i = 1; v && i < k->nparts; i++)
		v = json_is_object(v) ? json_object_get(v, k->parts[i]) : NULL;
	return v;
}

/* The spec's falsey values; "" and 0 are truthy there, as in Ruby. */
static bool truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	return !json_is_array(v) || json_array_size(v) > 0;
}

static void put_value(struct render *r, const json_t *v, bool escape)
{
	char tmp[64];
	size_t n;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		emit_value(r, json_string_value(v), json_string_length(v), escape);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		emit_value(r, tmp, n, escape);
		break;
	case JSON_REAL:
		n = fmt_real(tmp, sizeof tmp, json_real_value(v));
		emit_value(r, tmp, n, escape);
		break;
	case JSON_TRUE:
		emit_value(r, "true", 4, escape);
		break;
	case JSON_FALSE:
		emit_value(r, "false", 5, escape);
		break;
	default:
		break;          /* null, missing, objects and arrays print nothing */
	}
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

static void render_node(struct render *r, const struct node *k,
			const struct ctx *c, const struct frame *f)
{
	json_t *v;
	const struct tmpl *t;

	switch (k->kind) {
	case N_TEXT:
		emit_text(r, k->str, k->len);
		break;
	case N_VAR:
		put_value(r, lookup(c, k), k->escape);
		break;
	case N_SECTION:
		v = lookup(c, k);
		if (json_is_array(v)) {
			for (size_t i = 0; i < json_array_size(v) && !r->err; i++) {
				struct ctx sub = { json_array_get(v, i), c };
				render_list(r, k->kids, k->nkids, &sub, f);
			}
		} else if (truthy(v)) {
			struct ctx sub = { v, c };
			render_list(r, k->kids, k->nkids, &sub, f);
		}
		break;
	case N_INVERTED:
		if (!truthy(lookup(c, k)))
			render_list(r, k->kids, k->nkids, c, f);
		break;
	case N_PARTIAL:
		/* an unknown partial renders as nothing, as the spec says */
		if ((t = set_find(r->set, k->str, k->hash)))
			render_indented(r, k->indent, k->indent_len, t->kids, t->nkids, c, f);
		break;
	case N_PARENT:
		if ((t = set_find(r->set, k->str, k->hash))) {
			struct frame fr = { k, f };
			render_indented(r, k->indent, k->indent_len, t->kids, t->nkids, c, &fr);
		}
		break;
	case N_BLOCK: {
		/* the outermost parent's argument wins: a page overrides its
		 * layout, which overrides the base layout */
		const struct node *body = k;
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
	for (size_t i = 0; i < n && !r->err; i++)
		render_node(r, &kids[i], c, f);
	r->depth--;
}

int tmpl_render(const tmpl_set_t *set, const char *name, json_t *ctx, buf_t *out)
{
	const struct tmpl *t = set_find(set, name, tmpl_hash(name));
	if (!t)
		return -1;
	/* the template's own list is depth 0, so one can nest TMPL_MAX_DEPTH deep */
	struct render r = { .set = set, .out = out, .indent = BUF_INIT, .bol = true, .depth = -1 };
	struct ctx root = { ctx, NULL };
	render_list(&r, t->kids, t->nkids, &root, NULL);
	buf_free(&r.indent);
	return r.err;
}
