/* tmpl_parse.c: Mustache sources compiled into node trees (lex, match,
 * standalone lines, build); see tmpl_int.h. */
#include "tmpl_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ lex */

enum tok_kind {
	T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE,
	T_PARTIAL, T_PARENT, T_BLOCK, T_COMMENT, T_DELIM,
};

struct tok {
	enum tok_kind kind;
	size_t start, end;          /* the text, or the whole tag with its delimiters */
	size_t name, name_len;      /* the tag's trimmed content */
	size_t match;               /* an open tag's close tag, and back */
	size_t indent, indent_len;  /* expansion indentation, a span of the source */
	size_t intr, intr_len;      /* a block's intrinsic indentation, likewise */
	bool arg;                   /* a block directly inside a parent */
	bool intrinsic;
	bool bol;
};

struct parser {
	const char *src;
	size_t len;
	const char *file;
	char **err;
	struct tok *toks;
	size_t ntoks, cap;
	arena_t *arena;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void line_col(const char *s, size_t at, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;       /* columns count characters, not UTF-8 bytes */
		}
	}
}

static int perr(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, size_t at, const char *fmt, ...)
{
	size_t line, col;
	line_col(p->src, at, &line, &col);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s:%zu:%zu: error: ", p->file, line, col);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (p->err)
		*p->err = buf_detach(&b);
	buf_free(&b);
	return -1;
}

static size_t find(const char *s, size_t len, size_t from, const char *pat, size_t plen)
{
	for (size_t i = from; i + plen <= len; i++) {
		const char *q = memchr(s + i, pat[0], len - plen + 1 - i);
		if (!q)
			return NPOS;
		i = (size_t)(q - s);
		if (memcmp(q, pat, plen) == 0)
			return i;
	}
	return NPOS;
}

/* The position of `mark` right before a close delimiter at or after from:
 * the '}' of {{{x}}} or the '=' of {{=a b=}}. */
static size_t find_marked(const char *s, size_t len, size_t from, char mark,
			  const char *ct, size_t ctl)
{
	for (size_t at = from; (at = find(s, len, at, ct, ctl)) != NPOS; at++)
		if (at > from && s[at - 1] == mark)
			return at - 1;
	return NPOS;
}

static void push_tok(struct parser *p, const struct tok *t)
{
	if (p->ntoks == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->toks = xrealloc(p->toks, p->cap * sizeof *p->toks);
	}
	p->toks[p->ntoks++] = *t;
}

/* Parses the content of {{=a b=}}; the delimiters point into the source. */
static bool set_delims(const char *s, size_t a, size_t b, const char **ot, size_t *otl,
		       const char **ct, size_t *ctl)
{
	size_t o0, o1, c0, c1;
	while (a < b && is_space(s[a]))
		a++;
	for (o0 = a; a < b && !is_space(s[a]); a++)
		;
	o1 = a;
	while (a < b && is_space(s[a]))
		a++;
	for (c0 = a; a < b && !is_space(s[a]); a++)
		;
	c1 = a;
	while (a < b && is_space(s[a]))
		a++;
	if (a != b || o0 == o1 || c0 == c1 || memchr(s + o0, '=', o1 - o0) ||
	    memchr(s + c0, '=', c1 - c0))
		return false;
	*ot = s + o0;
	*otl = o1 - o0;
	*ct = s + c0;
	*ctl = c1 - c0;
	return true;
}

static int lex(struct parser *p)
{
	const char *s = p->src;
	size_t len = p->len, pos = 0;
	const char *ot = "{{", *ct = "}}";
	size_t otl = 2, ctl = 2;

	while (pos < len) {
		size_t at = find(s, len, pos, ot, otl);
		if (at == NPOS)
			at = len;
		if (at > pos)
			push_tok(p, &(struct tok){ .kind = T_TEXT, .start = pos, .end = at });
		if (at == len)
			break;

		struct tok t = { .kind = T_VAR, .start = at, .match = NPOS };
		size_t q = at + otl, a, b, m;
		if (q < len && (s[q] == '{' || s[q] == '=')) {
			char mark = s[q] == '{' ? '}' : '=';
			m = find_marked(s, len, q + 1, mark, ct, ctl);
			if (m == NPOS)
				return perr(p, at, "unclosed tag: no \"%c%.*s\" after \"%.*s%c\"",
					    mark, (int)ctl, ct, (int)otl, ot, s[q]);
			t.kind = mark == '}' ? T_RAW : T_DELIM;
			a = q + 1;
			b = m;
			t.end = m + 1 + ctl;
			if (t.kind == T_DELIM && !set_delims(s, a, b, &ot, &otl, &ct, &ctl))
				return perr(p, at, "bad delimiters \"%.*s\": want two, separated by "
					    "white space, without white space or '='", (int)(b - a), s + a);
		} else {
			m = find(s, len, q, ct, ctl);
			if (m == NPOS)
				return perr(p, at, "unclosed tag: no \"%.*s\" after \"%.*s\"",
					    (int)ctl, ct, (int)otl, ot);
			a = q;
			b = m;
			t.end = m + ctl;
			switch (a < b ? s[a] : 0) {
			case '!': t.kind = T_COMMENT; break;
			case '#': t.kind = T_SECTION; break;
			case '^': t.kind = T_INVERTED; break;
			case '/': t.kind = T_CLOSE; break;
			case '>': t.kind = T_PARTIAL; break;
			case '<': t.kind = T_PARENT; break;
			case '$': t.kind = T_BLOCK; break;
			case '&': t.kind = T_RAW; break;
			default: a--; break;    /* no sigil to skip */
			}
			a++;
		}
		if (t.kind != T_COMMENT && t.kind != T_DELIM) {
			while (a < b && is_space(s[a]))
				a++;
			while (b > a && is_space(s[b - 1]))
				b--;
			if (a == b)
				return perr(p, at, "empty tag name");
			for (size_t i = a; i < b; i++)
				if (is_space(s[i]))
					return perr(p, at, "tag name \"%.*s\" contains white space",
						    (int)(b - a), s + a);
			t.name = a;
			t.name_len = b - a;
		}
		push_tok(p, &t);
		pos = t.end;
	}
	return 0;
}

/* ---------------------------------------------------------------- match */

static const char *kind_word(enum tok_kind k)
{
	switch (k) {
	case T_INVERTED: return "inverted section";
	case T_PARENT: return "parent";
	case T_BLOCK: return "block";
	default: return "section";
	}
}

static int match(struct parser *p)
{
	size_t stack[TMPL_MAX_DEPTH], depth = 0;
	const char *s = p->src;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *t = &p->toks[i];
		switch (t->kind) {
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (depth == TMPL_MAX_DEPTH)
				return perr(p, t->start, "sections nested more than %d deep",
					    TMPL_MAX_DEPTH);
			t->arg = t->kind == T_BLOCK && depth > 0 &&
				 p->toks[stack[depth - 1]].kind == T_PARENT;
			stack[depth++] = i;
			break;
		case T_CLOSE: {
			if (depth == 0)
				return perr(p, t->start, "closing tag \"%.*s\" without an open section",
					    (int)t->name_len, s + t->name);
			struct tok *o = &p->toks[stack[--depth]];
			if (o->name_len != t->name_len ||
			    memcmp(s + o->name, s + t->name, t->name_len) != 0) {
				size_t line, col;
				line_col(s, o->start, &line, &col);
				return perr(p, t->start, "closing tag \"%.*s\" does not match "
					    "%s \"%.*s\" opened at %zu:%zu",
					    (int)t->name_len, s + t->name, kind_word(o->kind),
					    (int)o->name_len, s + o->name, line, col);
			}
			o->match = i;
			t->match = stack[depth];
			break;
		}
		default:
			break;
		}
	}
	if (depth > 0) {
		const struct tok *o = &p->toks[stack[depth - 1]];
		return perr(p, o->start, "unclosed %s \"%.*s\"", kind_word(o->kind),
			    (int)o->name_len, s + o->name);
	}
	return 0;
}

/* ----------------------------------------------------------- standalone */

/* A tag "clears left" when only blanks precede it on its line; *ls is
 * where the line starts. */
static bool clears_left(const struct parser *p, size_t at, size_t *ls)
{
	while (at > 0 && (p->src[at - 1] == ' ' || p->src[at - 1] == '\t'))
		at--;
	*ls = at;
	return at == 0 || p->src[at - 1] == '\n';
}

/* ... and "clears right" when only blanks follow it up to the end of its
 * line; *after is where the next line starts. */
static bool clears_right(const struct parser *p, size_t at, size_t *after)
{
	while (at < p->len && (p->src[at] == ' ' || p->src[at] == '\t'))
		at++;
	if (at == p->len) {
		*after = at;
		return true;
	}
	if (p->src[at] == '\n' || (p->src[at] == '\r' && at + 1 < p->len && p->src[at + 1] == '\n')) {
		*after = at + (p->src[at] == '\r' ? 2 : 1);
		return true;
	}
	*after = at;
	return false;
}

static size_t blanks(const struct parser *p, size_t at)
{
	size_t n = 0;
	while (at + n < p->len && (p->src[at + n] == ' ' || p->src[at + n] == '\t'))
		n++;
	return n;
}

/* The whitespace a standalone tag takes from its line lies in the text
 * tokens on either side: a tag alone on its line has no other tag there. */
static void trim_before(struct parser *p, size_t i, size_t ls)
{
	struct tok *t = i > 0 ? &p->toks[i - 1] : NULL;
	if (t && t->kind == T_TEXT && t->end > ls)
		t->end = ls > t->start ? ls : t->start;
}

static void trim_after(struct parser *p, size_t i, size_t after)
{
	struct tok *t = i + 1 < p->ntoks ? &p->toks[i + 1] : NULL;
	if (t && t->kind == T_TEXT && t->start < after)
		t->start = after < t->end ? after : t->end;
}

/* The ordinary rule: a tag alone on its line takes the whole line. */
static void plain(struct parser *p, size_t i)
{
	struct tok *t = &p->toks[i];
	size_t ls, after;
	if (!clears_left(p, t->start, &ls) || !clears_right(p, t->end, &after))
		return;
	trim_before(p, i, ls);
	trim_after(p, i, after);
	t->indent = ls;
	t->indent_len = t->start - ls;
	t->bol = true;
}

/* A parent is standalone when its open tag clears left and its close tag
 * clears right: what lies between is ignored text anyway.  Its indentation
 * then prefixes every line of the parent, like a partial's. */
static void parent_pair(struct parser *p, size_t i)
{
	struct tok *t = &p->toks[i];
	size_t ls, after;
	if (!clears_left(p, t->start, &ls) || !clears_right(p, p->toks[t->match].end, &after))
		return;
	trim_before(p, i, ls);
	trim_after(p, t->match, after);
	t->indent = ls;
	t->indent_len = t->start - ls;
	t->bol = true;
}

/* An argument block is an inline template: a newline right after its open
 * tag belongs to the tag, and the blanks that start the next line are its
 * intrinsic indentation, removed from every line of the body (the block is
 * re-indented where the parent expands it).  The blanks before its close
 * tag end the body's last line, which holds nothing else.  What lies
 * outside it is the parent's ignored text. */
static void arg_block(struct parser *p, size_t i)
{
	struct tok *t = &p->toks[i];
	size_t ls, after;
	if (clears_right(p, t->end, &after)) {
		trim_after(p, i, after);
		t->intrinsic = true;
		t->intr = after;
		t->intr_len = blanks(p, after);
	}
	if (clears_left(p, p->toks[t->match].start, &ls))
		trim_before(p, t->match, ls);
}

/* A parameter block (one not directly inside a parent) is standalone when
 * its open tag clears left and its close tag clears right.  The output of
 * a standalone block is indented: by its intrinsic indentation when the
 * open tag ends its line, else by the blanks before the open tag.  The
 * close tag takes its line only when alone on it, so "  {{$b}}{{/b}}\n"
 * keeps its newline after the block's (unterminated) last line.  A block
 * that is not standalone follows the ordinary rule, tag by tag. */
static void param_block(struct parser *p, size_t i)
{
	struct tok *t = &p->toks[i];
	size_t c = t->match, ls, after, cls, cafter;
	bool l = clears_left(p, t->start, &ls), r = clears_right(p, t->end, &after);
	bool cl = clears_left(p, p->toks[c].start, &cls);
	bool cr = clears_right(p, p->toks[c].end, &cafter);

	if (l && cr) {
		trim_before(p, i, ls);
		t->bol = true;
		if (r) {
			trim_after(p, i, after);
			t->intrinsic = true;
			t->intr = after;
			t->intr_len = blanks(p, after);
			t->indent = t->intr;
			t->indent_len = t->intr_len;
		} else {
			t->indent = ls;
			t->indent_len = t->start - ls;
		}
	} else if (l && r) {
		trim_before(p, i, ls);
		trim_after(p, i, after);
	}
	if (cl && cr) {
		trim_before(p, c, cls);
		trim_after(p, c, cafter);
	}
}

static void standalone(struct parser *p)
{
	for (size_t i = 0; i < p->ntoks; i++) {
		switch (p->toks[i].kind) {
		case T_COMMENT:
		case T_DELIM:
		case T_SECTION:
		case T_INVERTED:
		case T_PARTIAL:
			plain(p, i);
			break;
		case T_CLOSE:
			/* parents and blocks are done with their open tags */
			if (p->toks[p->toks[i].match].kind == T_SECTION ||
			    p->toks[p->toks[i].match].kind == T_INVERTED)
				plain(p, i);
			break;
		case T_PARENT:
			parent_pair(p, i);
			break;
		case T_BLOCK:
			if (p->toks[i].arg)
				arg_block(p, i);
			else
				param_block(p, i);
			break;
		default:
			break;
		}
	}
}

/* ---------------------------------------------------------------- build */

/* Removes pre from the start of every line of the nodes: from text at line
 * starts and from the indentation of standalone partials, parents and
 * blocks.  Blocks with an intrinsic indentation of their own were dedented
 * relative to it already (the tree is built bottom-up): only their
 * indentation is in our coordinates. */
static void dedent(struct node *kids, size_t n, const char *pre, size_t plen)
{
	for (size_t i = 0; i < n; i++) {
		struct node *k = &kids[i];
		if (k->kind == N_TEXT) {
			char *s = k->str;
			size_t r = 0, w = 0;
			bool bol = k->bol;
			while (r < k->len) {
				if (bol && k->len - r >= plen && memcmp(s + r, pre, plen) == 0)
					r += plen;
				bol = false;
				while (r < k->len) {
					char ch = s[r++];
					s[w++] = ch;
					if (ch == '\n') {
						bol = true;
						break;
					}
				}
			}
			s[w] = '\0';
			k->len = w;
			continue;
		}
		if (k->bol && k->indent_len >= plen && memcmp(k->indent, pre, plen) == 0) {
			k->indent += plen;
			k->indent_len -= plen;
		}
		if (!(k->kind == N_BLOCK && k->intrinsic))
			dedent(k->kids, k->nkids, pre, plen);
	}
}

static size_t next_tok(const struct parser *p, size_t i)
{
	switch (p->toks[i].kind) {
	case T_SECTION:
	case T_INVERTED:
	case T_PARENT:
	case T_BLOCK:
		return p->toks[i].match + 1;
	default:
		return i + 1;
	}
}

/* Which tokens become nodes: inside a parent only blocks count, the rest
 * is ignored as the spec asks. */
static bool makes_node(const struct parser *p, size_t i, bool in_parent)
{
	const struct tok *t = &p->toks[i];
	if (in_parent)
		return t->kind == T_BLOCK;
	switch (t->kind) {
	case T_TEXT:
		return t->start < t->end;
	case T_COMMENT:
	case T_DELIM:
	case T_CLOSE:
		return false;
	default:
		return true;
	}
}

static void split_name(struct parser *p, const struct tok *t, struct node *k)
{
	const char *s = p->src + t->name;
	size_t n = t->name_len;
	if (n == 1 && s[0] == '.')
		return;                 /* the implicit iterator: no parts */
	k->nparts = 1;
	for (size_t i = 0; i < n; i++)
		k->nparts += s[i] == '.';
	k->parts = arena_alloc(p->arena, k->nparts * sizeof *k->parts);
	k->syms = arena_alloc(p->arena, k->nparts * sizeof *k->syms);
	size_t j = 0, from = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			k->syms[j] = tmpl_sym(s + from, i - from);
			k->parts[j++] = arena_strndup(p->arena, s + from, i - from);
			from = i + 1;
		}
	}
}

static void build(struct parser *p, size_t from, size_t to, bool in_parent,
		  struct node **kids, size_t *nkids)
{
	size_t n = 0;
	for (size_t i = from; i < to; i = next_tok(p, i))
		n += makes_node(p, i, in_parent);
	*nkids = n;
	*kids = n ? arena_alloc(p->arena, n * sizeof **kids) : NULL;

	struct node *k = *kids;
	for (size_t i = from; i < to; i = next_tok(p, i)) {
		if (!makes_node(p, i, in_parent))
			continue;
		const struct tok *t = &p->toks[i];
		switch (t->kind) {
		case T_TEXT:
			k->kind = N_TEXT;
			k->str = tmpl_text_dup(p->arena, p->src + t->start, t->end - t->start);
			k->len = t->end - t->start;
			k->bol = t->start == 0 || p->src[t->start - 1] == '\n';
			break;
		case T_VAR:
		case T_RAW:
			k->kind = N_VAR;
			k->escape = t->kind == T_VAR;
			split_name(p, t, k);
			break;
		case T_SECTION:
		case T_INVERTED:
			k->kind = t->kind == T_SECTION ? N_SECTION : N_INVERTED;
			split_name(p, t, k);
			build(p, i + 1, t->match, false, &k->kids, &k->nkids);
			break;
		case T_PARTIAL:
		case T_PARENT:
		case T_BLOCK:
			k->kind = t->kind == T_PARTIAL ? N_PARTIAL :
				  t->kind == T_PARENT ? N_PARENT : N_BLOCK;
			k->str = arena_strndup(p->arena, p->src + t->name, t->name_len);
			k->len = t->name_len;
			k->hash = tmpl_hash(k->str);
			k->bol = t->bol;
			k->indent = arena_strndup(p->arena, p->src + t->indent, t->indent_len);
			k->indent_len = t->indent_len;
			k->intrinsic = t->intrinsic;
			if (t->kind != T_BLOCK) {
				size_t line, col;
				line_col(p->src, t->start, &line, &col);
				k->line = (int)line;
				k->col = (int)col;
			}
			if (t->kind != T_PARTIAL)
				build(p, i + 1, t->match, t->kind == T_PARENT, &k->kids, &k->nkids);
			if (t->intrinsic && t->intr_len > 0)
				dedent(k->kids, k->nkids, p->src + t->intr, t->intr_len);
			break;
		default:
			break;
		}
		k++;
	}
}

struct tmpl *tmpl_compile(const char *name, const char *file, const char *src,
			  size_t len, char **err)
{
	struct parser p = {
		.src = src ? src : "", .len = src ? len : 0,
		.file = file ? file : name, .err = err,
	};
	struct tmpl *t = NULL;

	if (lex(&p) < 0 || match(&p) < 0)
		goto out;
	standalone(&p);
	p.arena = arena_new();
	t = arena_alloc(p.arena, sizeof *t);
	t->arena = p.arena;
	t->name = arena_strdup(p.arena, name);
	t->file = arena_strdup(p.arena, p.file);
	t->hash = tmpl_hash(name);
	build(&p, 0, p.ntoks, false, &t->kids, &t->nkids);
out:
	free(p.toks);
	return t;
}

