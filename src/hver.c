/* hver.c: versions of a plan file, one per blob, parsed whole or from a
 * neighbouring version of the same file (only the tasks written differently),
 * with private diagnostics, into records of interned strings. */
#include "hver.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "model_fields.h"
#include "text.h"

/* The slot of s (hash h) in t: where it is, or the empty one to put it. */
static size_t strs_slot(const hver_strs_t *t, const char *s, size_t len, uint64_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = (size_t)(h >> 7) & mask;; i = (i + 1) & mask)
		if (!t->k[i] || (t->h[i] == h && !memcmp(t->k[i], s, len + 1)))
			return i;
}

/* The interned text equal to s, or s itself put in the table as that text
 * (c: a copy of s made here, when s does not outlive the table). */
static const char *strs_intern(hver_ctx_t *w, const char *s, bool copy)
{
	hver_strs_t *t = &w->strs;
	size_t len = strlen(s);
	uint64_t h = hash_words(HASH_INIT, s, len);
	w->nhashed++;
	if (2 * (t->n + 1) > t->cap) {
		hver_strs_t g = { NULL, NULL, 0, t->cap ? 2 * t->cap : 1024 };
		g.k = xcalloc(g.cap, sizeof(*g.k));
		g.h = xmalloc(g.cap * sizeof(*g.h));
		for (size_t i = 0; i < t->cap; i++)
			if (t->k[i]) {
				size_t j = (size_t)(t->h[i] >> 7) & (g.cap - 1);
				while (g.k[j])
					j = (j + 1) & (g.cap - 1);
				g.k[j] = t->k[i];
				g.h[j] = t->h[i];
			}
		g.n = t->n;
		free(t->k);
		free(t->h);
		*t = g;
	}
	size_t i = strs_slot(t, s, len, h);
	if (!t->k[i]) {
		t->k[i] = copy ? arena_strndup(w->a, s, len) : s;
		t->h[i] = h;
		t->n++;
	}
	return t->k[i];
}

/* Equal text, equal pointer: versions share their strings and compare
 * them by address. */
const char *hver_intern(hver_ctx_t *w, const char *s)
{
	return s ? strs_intern(w, s, true) : NULL;
}

struct hver_memo {
	const char *from, *to;
};

struct hver_lmemo {
	size_t n;                       /* 0: empty */
	const char *u[HVER_LIST_MAX];   /* the interned names */
	const char *text, *key;
};

/* The slot of hash hx in m, whose slots are size bytes. */
static void *memo_at(hver_memo_t *m, uint64_t hx, size_t size)
{
	if (!m->v || (m->miss > 4 * m->cap && m->cap < HVER_MEMO)) {
		size_t cap = m->v ? 4 * m->cap : 256;
		free(m->v);
		m->cap = cap < HVER_MEMO ? cap : HVER_MEMO;
		m->v = xcalloc(m->cap, size);
		m->miss = 0;
	}
	return (char *)m->v + (size_t)(hx >> 40 & (m->cap - 1)) * size;
}

static uint64_t addr_hash(uint64_t hx, const void *p)
{
	return (hx ^ (uint64_t)(uintptr_t)p) * UINT64_C(0x9E3779B97F4A7C15);
}

/* hver_intern of a string of the built site's model (or a literal): that
 * string itself when w->borrow says the model outlives the tables, and
 * found by its address when it came before (an address of the model is
 * never reused for another text while the tables borrow from it). */
static const char *intern_model(hver_ctx_t *w, const char *s, bool model)
{
	if (!s || !model || !w->borrow)
		return hver_intern(w, s);
	struct hver_memo *m = memo_at(&w->memo, addr_hash(0, s), sizeof(*m));
	if (m->from != s) {
		w->memo.miss++;
		*m = (struct hver_memo){ s, strs_intern(w, s, false) };
	}
	return m->to;
}

/* The name key of a unit name (interned: its address stands for its text
 * as long as the tables live), computed once per distinct name. */
static const char *name_key(hver_ctx_t *w, const char *name)
{
	struct hver_memo *m = memo_at(&w->name_memo, addr_hash(0, name), sizeof(*m));
	if (m->from == name)
		return m->to;
	w->name_memo.miss++;
	const char *k = strmap_get(&w->names, name);
	if (!k) {
		char *t = text_name_key(name);
		k = hver_intern(w, t);
		free(t);
		strmap_put(&w->names, name, (void *)k);
	}
	*m = (struct hver_memo){ name, k };
	return k;
}

static void units_of(hver_ctx_t *w, const urefs_t *l, const char **text, const char **key,
		     const char **first, bool model)
{
	if (first)
		*first = l->n ? intern_model(w, l->v[0].text, model) : NULL;
	if (!l->n) {
		*text = *key = NULL;
		return;
	}
	if (l->n == 1) {
		*text = intern_model(w, l->v[0].text, model);
		*key = name_key(w, *text);
		return;
	}
	/* a short list of interned names, found by their addresses */
	const char *u[HVER_LIST_MAX];
	struct hver_lmemo *m = NULL;
	if (l->n <= HVER_LIST_MAX) {
		uint64_t hx = l->n;
		for (size_t i = 0; i < l->n; i++) {
			u[i] = intern_model(w, l->v[i].text, model);
			hx = addr_hash(hx, u[i]);
		}
		m = memo_at(&w->list_memo, hx, sizeof(*m));
		if (m->n == l->n && !memcmp(m->u, u, l->n * sizeof(*u))) {
			*text = m->text;
			*key = m->key;
			return;
		}
		w->list_memo.miss++;
	}
	buf_t t = BUF_INIT, k = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		const char *x = m ? u[i] : intern_model(w, l->v[i].text, model);
		if (i) {
			buf_puts(&t, "; ");
			buf_putc(&k, '\x1f');
		}
		buf_puts(&t, x);
		buf_puts(&k, name_key(w, x));
	}
	*text = hver_intern(w, t.ptr);
	*key = hver_intern(w, k.ptr);
	buf_free(&t);
	buf_free(&k);
	if (m) {
		m->n = l->n;
		memcpy(m->u, u, l->n * sizeof(*u));
		m->text = *text;
		m->key = *key;
	}
}

const char *hver_iso(hver_ctx_t *w, date_t d)
{
	if (!d)
		return NULL;
	char b[16];
	date_format_iso(d, b);
	return hver_intern(w, b);
}

/* implements, as written and as number keys: the walk compares them
 * through the built site's aliases (history.c), so that the version stays
 * the same whatever site it serves. */
static void implements_of(hver_ctx_t *w, const plan_t *p, hver_t *v)
{
	if (!p->nimplements)
		return;
	buf_t t = BUF_INIT, k = BUF_INIT;
	for (size_t i = 0; i < p->nimplements; i++) {
		const char *x = p->implements[i].text;
		if (i) {
			buf_puts(&t, "; ");
			buf_putc(&k, '\xff');
		}
		buf_puts(&t, x);
		char *nk = text_docnum_key(x);
		buf_puts(&k, nk);
		free(nk);
	}
	v->implements = hver_intern(w, t.ptr);
	v->implements_key = hver_intern(w, k.ptr);
	buf_free(&t);
	buf_free(&k);
}

/* done and base (all less cancelled) of a version's tasks. */
static void count_tasks(hver_t *v)
{
	v->done = v->base = 0;
	for (size_t i = 0; i < v->ntasks; i++) {
		v->done += v->tasks[i]->status == STATUS_DONE;
		v->base += v->tasks[i]->status != STATUS_CANCELLED;
	}
}

struct hver_tmemo {
	const char **v;   /* NULL: empty */
	uint64_t hx;
};

/* The texts of a record the history tracks (model_fields.h), interned.  A
 * task's are shared with every task whose texts are the same (found by
 * their interned addresses, texts_memo): they are never written once
 * made, and the tasks of a portal write a few titles and outputs over and
 * over (105 pairs among the 400,000 tasks of 10,000 plans). */
static const char **texts_of(hver_ctx_t *w, field_owner_t o, const void *rec, bool model)
{
	size_t nh;
	const field_t *const *hf = model_fields_hist(o, &nh);
	/* no end mark (readers go by the field table): a task's two texts
	 * take 16 bytes, not 32 (the arena's blocks are 16-aligned) */
	size_t nt = model_fields_hist_texts(o);
	bool share = o == FIELD_TASK && nt <= HVER_TEXTS_MAX;
	const char *u[HVER_TEXTS_MAX] = { NULL };
	const char **v = share ? NULL : arena_alloc(w->a, (nt ? nt : 1) * sizeof(*v));
	for (size_t i = 0; i < nh; i++) {
		int slot = model_fields_hist_slot(o, hf[i]);
		if (slot >= 0)
			(share ? u : v)[slot] = intern_model(w, model_fields_text(rec, o, hf[i]), model);
	}
	if (!share)
		return v;
	uint64_t hx = nt;
	for (size_t i = 0; i < nt; i++)
		hx = addr_hash(hx, u[i]);
	struct hver_tmemo *m = memo_at(&w->texts_memo, hx, sizeof(*m));
	if (m->v && m->hx == hx && !memcmp(m->v, u, nt * sizeof(*u)))
		return m->v;
	w->texts_memo.miss++;
	v = arena_alloc(w->a, (nt ? nt : 1) * sizeof(*v));
	memcpy(v, u, nt * sizeof(*u));
	*m = (struct hver_tmemo){ v, hx };
	return v;
}

/* The version p is (model: p is the built site's, whose strings may be
 * borrowed; else a past version's, parsed into an arena freed soon). */
static void version_from_plan(hver_ctx_t *w, const plan_t *p, hver_t *v, bool model)
{
	v->key = intern_model(w, p->key, model);
	v->number = intern_model(w, p->number, model);
	v->id = intern_model(w, p->id, model);
	v->draft = p->draft;
	v->title = intern_model(w, p->title, model);
	v->text = texts_of(w, FIELD_PLAN, p, model);
	if (p->has_issuer) {
		v->issuer = intern_model(w, p->issuer.text, model);
		v->issuer_key = name_key(w, v->issuer);
	}
	v->date = hver_iso(w, p->date);
	v->signer = intern_model(w, p->signer_name, model);
	v->status = hver_intern(w, p->status_text ? p->status_text : "in_force");
	implements_of(w, p, v);
	htask_t *xs = arena_alloc(w->a, (p->ntasks + 1) * sizeof(htask_t));
	v->tasks = arena_alloc(w->a, (p->ntasks + 1) * sizeof(*v->tasks));
	v->ntasks = p->ntasks;
	for (size_t i = 0; i < p->ntasks; i++) {
		const task_t *t = &p->tasks[i];
		htask_t *x = &xs[i];
		v->tasks[i] = x;
		x->id = intern_model(w, t->id, model);
		x->title = intern_model(w, t->title, model);
		x->text = texts_of(w, FIELD_TASK, t, model);
		units_of(w, &t->lead, &x->lead, &x->lead_key, &x->lead_first, model);
		units_of(w, &t->support, &x->support, &x->support_key, NULL, model);
		const char *due_text = intern_model(w, t->due_text, model);
		x->due = t->due;
		x->due_written = due_text != NULL;
		x->due_shown = due_text ? due_text : hver_iso(w, t->due.date);
		x->status = t->status;
		x->progress = (int16_t)t->progress;   /* -1..100 (model_plan.c) */
		x->completed = t->completed;
	}
	count_tasks(v);
}

/* ---- one version of a plan file ---- */

/* Two runs of bytes (span_t) with the same fingerprint are taken to be the
 * same bytes.  The history compares a version with the next one through
 * these, so no file text is kept once it is parsed. */
typedef struct {
	const char *s;
	size_t *off;    /* off[i]: where line i starts; off[n]: the length */
	int n;
} lines_t;

/* The fingerprint of lines [from, to) of L. */
static span_t span_of(const lines_t *L, int from, int to)
{
	size_t n = L->off[to] - L->off[from];
	return (span_t){ hash_words(HASH_INIT, L->s + L->off[from], n), n };
}

static bool same_span(span_t a, span_t b)
{
	return a.len == b.len && a.hash == b.hash;
}

static void lines_split(lines_t *L, const char *s, size_t len)
{
	size_t cap = 256;
	L->s = s;
	L->off = xmalloc(cap * sizeof(size_t));
	L->n = 0;
	for (size_t p = 0; p < len;) {
		if ((size_t)L->n + 2 > cap) {
			cap *= 2;
			L->off = xrealloc(L->off, cap * sizeof(size_t));
		}
		L->off[L->n++] = p;
		const char *nl = memchr(s + p, '\n', len - p);
		p = nl ? (size_t)(nl - s) + 1 : len;
	}
	L->off[L->n] = len;
}

static size_t line_len(const lines_t *L, int i)
{
	return L->off[i + 1] - L->off[i];
}

static const char *line_at(const lines_t *L, int i)
{
	return L->s + L->off[i];
}

/* "---" alone on the line p[0..n) (its newline included or not), as fm.c
 * reads a fence. */
static bool fence_bytes(const char *p, size_t n)
{
	if (n && p[n - 1] == '\n')
		n--;
	if (n < 3 || memcmp(p, "---", 3))
		return false;
	for (size_t k = 3; k < n; k++)
		if (p[k] != ' ' && p[k] != '\r')
			return false;
	return true;
}

static bool is_fence(const lines_t *L, int i)
{
	return fence_bytes(line_at(L, i), line_len(L, i));
}

/* A line that can belong to the tasks list: indented, blank, a comment or
 * an item; not a top-level key. */
static bool task_bytes(const char *p, size_t n)
{
	char c = n ? p[0] : '\n';
	/* only a line that starts with '-' can be a fence (every line of
	 * every version's tasks comes here) */
	if (c == '-')
		return !fence_bytes(p, n);
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#';
}

static bool task_line(const lines_t *L, int i)
{
	return task_bytes(line_at(L, i), line_len(L, i));
}

/* Line i starts a list item whose map begins at column col (0-based):
 * spaces, one "-", blanks.  Returns the column of the "-", or -1. */
static int item_start(const lines_t *L, int i, int col)
{
	if (i < 0 || i >= L->n || col < 2 || (size_t)col > line_len(L, i))
		return -1;
	const char *p = line_at(L, i);
	int k = 0;
	while (k < col && p[k] == ' ')
		k++;
	int dash = k;
	if (k + 1 >= col || p[k] != '-' || (p[k + 1] != ' ' && p[k + 1] != '\t'))
		return -1;
	for (k++; k < col; k++)
		if (p[k] != ' ' && p[k] != '\t')
			return -1;
	return dash;
}

/* What the line p[0..n) of the tasks list is, for items at column indent:
 * 1 an item's first line, 0 a line inside an item (deeper, blank or a
 * comment), -1 anything else (the list cannot be cut into items by lines). */
static inline int item_bytes(const char *p, size_t n, int indent)
{
	size_t k = 0;
	while (k < n && p[k] == ' ')
		k++;
	if (k == n || p[k] == '\n' || p[k] == '\r' || p[k] == '#')
		return 0;
	if ((int)k > indent)
		return 0;
	if ((int)k == indent && p[k] == '-' && k + 1 < n && (p[k + 1] == ' ' || p[k + 1] == '\t'))
		return 1;
	return -1;
}

static inline int item_line(const lines_t *L, int i, int indent)
{
	return item_bytes(line_at(L, i), line_len(L, i), indent);
}

/* Whether the '&' or '*' at k of s[from..to) starts an anchor or an
 * alias: at the start of its line or after a space, "-[{,:", and followed
 * by a name on the same line. */
static bool anchor_at(const char *s, size_t from, size_t to, size_t k)
{
	return (k == from || s[k - 1] == '\n' || strchr(" \t-[{,:", s[k - 1])) && k + 1 < to &&
	       !strchr(" \t\r\n", s[k + 1]);
}

/* YAML anchors and aliases (&a, *a) tie tasks to each other: a file that
 * may use them is always parsed whole.  Both characters are found with
 * memchr (every version's text goes through here, and they are rare). */
static bool anchors_in(const char *s, size_t b, size_t e)
{
	for (const char *c = "&*"; *c; c++)
		for (const char *q = s + b; (q = memchr(q, *c, e - (size_t)(q - s))); q++)
			if (anchor_at(s, b, e, (size_t)(q - s)))
				return true;
	return false;
}

static bool has_anchors(const lines_t *L, int from, int to)
{
	if (to > L->n)
		to = L->n;
	if (from >= to)
		return false;
	return anchors_in(L->s, L->off[from], L->off[to]);
}

/* ---- a task changed in its status, progress or deadline only ----
 *
 * Going back through history, a version differs from the next one in a
 * line or two of one or two tasks, and nearly always in a status, a
 * progress or a deadline (1,000 plans, 2,000 commits: 6,520 of the 7,428
 * lines changed are a status or a progress, 908 a deadline).  Such a task
 * is the next version's task with those values read again, without a YAML
 * parse of it.  An item's skeleton is its fingerprint with the lines that
 * set those three keys left out (their place, key and indentation kept):
 * two items with the same skeleton differ at most in those values. */

enum { SK_STATUS = 1, SK_PROGRESS, SK_DUE };

/* Which of the three keys the line p[0..n) sets, its spaces skipped
 * ("key:" and a blank), or 0. */
static int skel_key(const char *p, size_t n)
{
	switch (n ? p[0] : 0) {
	case 's':
		return n > 7 && !memcmp(p, "status:", 7) && (p[7] == ' ' || p[7] == '\n') ? SK_STATUS : 0;
	case 'p':
		return n > 9 && !memcmp(p, "progress:", 9) && (p[9] == ' ' || p[9] == '\n') ? SK_PROGRESS : 0;
	case 'd':
		return n > 4 && !memcmp(p, "due:", 4) && (p[4] == ' ' || p[4] == '\n') ? SK_DUE : 0;
	default:
		return 0;
	}
}

/* The skeleton so far (h, with s[*run..a) not folded in yet) after the
 * line s[a..e) of an item at column indent: a line that sets one of the
 * three keys after more spaces than indent is left out, its place, key
 * and spaces folded in instead. */
static uint64_t skel_line(uint64_t h, const char *s, size_t *run, size_t a, size_t e, int indent)
{
	size_t k = a;
	while (k < e && s[k] == ' ')
		k++;
	int key = (int)(k - a) > indent ? skel_key(s + k, e - k) : 0;
	if (!key)
		return h;
	h = hash_words(h, s + *run, a - *run);
	h = (h ^ ((uint64_t)key | (uint64_t)(k - a) << 8 | (uint64_t)(a - *run) << 24)) * UINT64_C(0x9E3779B97F4A7C15);
	*run = e;
	return h;
}

static uint64_t skel_end(uint64_t h, const char *s, size_t run, size_t n)
{
	h = hash_words(h, s + run, n - run);
	return h ? h : 1;   /* 0: unknown */
}

/* The skeleton of the item s[0..n) (items at column indent). */
static uint64_t item_skel(const char *s, size_t n, int indent)
{
	uint64_t h = HASH_INIT;
	size_t run = 0;
	for (size_t a = 0; a < n;) {
		const char *nl = memchr(s + a, '\n', n - a);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		h = skel_line(h, s, &run, a, e, indent);
		a = e;
	}
	return skel_end(h, s, run, n);
}

/* Whether the YAML value v[0..n) (what follows "key: " to the end of its
 * line) is written whole on its line: a quoted text or a flow list closed
 * there, or a plain text; not a block text, a comment, or anything that
 * may go on to the next line. */
static bool value_closed(const char *v, size_t n)
{
	if (!n)
		return false;
	size_t k;
	char c = v[0];
	if (c == '"' || c == '\'' || c == '[' || c == '{') {
		int depth = 0;
		char q = 0;
		for (k = 0; k < n; k++) {
			char x = v[k];
			if (q) {
				if (q == '"' && x == '\\')
					k++;
				else if (x == q && q == '\'' && k + 1 < n && v[k + 1] == '\'')
					k++;
				else if (x == q)
					q = 0;
			} else if (x == '"' || x == '\'') {
				q = x;
			} else if (x == '[' || x == '{') {
				depth++;
			} else if (x == ']' || x == '}') {
				depth--;
			} else if (x == '#') {
				return false;
			}
			if (!q && depth <= 0)
				break;
		}
		if (k >= n || depth)
			return false;
		for (k++; k < n && v[k] == ' '; k++)
			;
		return k == n;
	}
	if (strchr("-?:,[]{}#&*!|>%@`", c))
		return false;
	for (k = 0; k < n; k++)
		if (v[k] == '\t' || v[k] == '\r' || (v[k] == ':' && (k + 1 == n || v[k + 1] == ' ')) ||
		    (v[k] == '#' && v[k - 1] == ' '))
			return false;
	return true;
}

/* x's status, progress or deadline (which) read from its value v[0..n) as
 * model_plan.c reads it, when the value is a plain or double-quoted text
 * of printable characters, already NFC, that reads with no error; else
 * -1 (the task is parsed). */
static int patch_value(hver_ctx_t *w, htask_t *x, int which, const char *v, size_t n)
{
	char b[128];
	bool plain = v[0] != '"';
	if (v[0] == '\'' || v[0] == '[' || v[0] == '{')
		return -1;
	if (!plain) {
		const char *q = memchr(v + 1, '"', n - 1);   /* closed: value_closed */
		n = (size_t)(q - v) - 1;
		v++;
	} else {
		while (n && v[n - 1] == ' ')
			n--;
	}
	if (n >= sizeof b)
		return -1;
	/* nothing libyaml refuses or the parse normalises: no control
	 * character, no escape, no C1 control (U+0080..U+009F) nor any of
	 * U+F000..U+FFFF (U+FEFF, U+FFFE), valid UTF-8 already in NFC */
	for (size_t k = 0; k < n; k++) {
		unsigned char u = (unsigned char)v[k];
		if (u < 0x20 || u == 0x7f || u == '\\' || u == '"' || u == 0xc2 || u == 0xef)
			return -1;
	}
	bool nfc = false;
	if (text_utf8_scan(v, n, &nfc) >= 0 || !nfc)
		return -1;
	memcpy(b, v, n);
	b[n] = '\0';
	bool null = plain && (!n || !strcmp(b, "~") || !strcmp(b, "null") || !strcmp(b, "Null") ||
			      !strcmp(b, "NULL"));
	/* model_str: the text without its leading and trailing blanks */
	const char *t = b;
	while (*t == ' ')
		t++;
	size_t tl = strlen(t);
	while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\n'))
		tl--;
	b[(size_t)(t - b) + tl] = '\0';
	const char *text = null || !tl ? NULL : t;
	switch (which) {
	case SK_STATUS: {
		status_t st = STATUS_NOT_STARTED;
		if (text && status_parse(text, &st) < 0)
			return -1;   /* error E031 */
		x->status = st;
		return 0;
	}
	case SK_PROGRESS:
		/* progress_of: digits only here (a sign, a '%' or blanks
		 * are parsed) */
		if (null) {
			x->progress = -1;
			return 0;
		}
		if (!n || n > 3 || strspn(b, "0123456789") != n)
			return -1;
		x->progress = (int16_t)(atoi(b) > 100 ? 100 : atoi(b));
		return 0;
	default: {
		due_t d = { 0 };
		if (text)
			due_parse(text, &d);
		x->due = d;
		x->due_written = text != NULL;
		x->due_shown = text ? hver_intern(w, text) : hver_iso(w, d.date);
		return 0;
	}
	}
}

/* The task of item s[0..n) (at column indent) when it has the skeleton of
 * ref's task t: t with the status, progress and deadline written on its
 * lines; NULL when the item is not plain "key: value" lines, one a key,
 * each value whole on its line, or a value is not read here. */
static const htask_t *patch_task(hver_ctx_t *w, const htask_t *t, const char *s, size_t n, int indent)
{
	htask_t x = *t;
	x.wnum = 0;
	size_t fi = 0;
	int seen[4] = { 0 };
	bool due_date = false;
	for (size_t a = 0; a < n;) {
		const char *nl = memchr(s + a, '\n', n - a);
		size_t e = nl ? (size_t)(nl - s) : n;
		const char *p = s + a;
		size_t len = e - a, k = 0;
		while (k < len && p[k] == ' ')
			k++;
		if (!a) {
			if ((int)k != indent || k + 1 >= len || p[k] != '-' || p[k + 1] != ' ')
				return NULL;
			for (k++; k < len && p[k] == ' '; k++)
				;
			fi = k;
		} else if (k != fi) {
			return NULL;
		}
		size_t kb = k;
		while (k < len && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '_'))
			k++;
		if (k == kb || k + 1 >= len || p[k] != ':' || p[k + 1] != ' ')
			return NULL;
		const char *key = p + kb;
		size_t kl = k - kb;
		for (k += 2; k < len && p[k] == ' '; k++)
			;
		if (!value_closed(p + k, len - k))
			return NULL;
		int which = kl == 6 && !memcmp(key, "status", 6)	 ? SK_STATUS
			    : kl == 8 && !memcmp(key, "progress", 8) ? SK_PROGRESS
			    : kl == 3 && !memcmp(key, "due", 3)	 ? SK_DUE
								 : 0;
		due_date |= kl == 8 && !memcmp(key, "due_date", 8);
		if (which && seen[which]++)
			return NULL;   /* a key written twice */
		/* the first line is the skeleton's: the same as t's */
		if (which && a && patch_value(w, &x, which, p + k, len - k) < 0)
			return NULL;
		a = nl ? e + 1 : n;
	}
	if (due_date && seen[SK_DUE])
		return NULL;   /* the deadline's day is due_date's */
	htask_t *c = arena_alloc(w->a, sizeof(*c));
	*c = x;
	return c;
}

/* Where the skeletons of the layouts made now go (hver_skel_drop). */
static arena_t *skel_arena(hver_ctx_t *w)
{
	if (!w->skel_a)
		w->skel_a = arena_new();
	return w->skel_a;
}

/* The skeletons of lo, when they are still there. */
static const uint64_t *skel_of(const hver_ctx_t *w, const struct hlayout *lo)
{
	return lo->skel && lo->skel_gen == w->skel_gen ? lo->skel : NULL;
}

/* The layout of a plan parsed from the text L.  NULL when its tasks are
 * not plain block items at one indentation.  skel: where its tasks'
 * skeletons go (generation gen), for a plan known to have parsed with no
 * error; NULL: none. */
static struct hlayout *layout_of(arena_t *a, const lines_t *L, const plan_t *p, arena_t *skel,
				 unsigned gen)
{
	if (!p->ntasks)
		return NULL;
	struct hlayout *lo = arena_alloc(a, sizeof(*lo));
	lo->n = (int)p->ntasks;
	int *start = xmalloc((p->ntasks + 1) * sizeof(int));
	for (int i = 0; i < lo->n; i++) {
		int line = p->tasks[i].at.line - 1;
		int dash = item_start(L, line, p->tasks[i].at.col - 1);
		if (dash < 0 || (i && (line <= start[i - 1] || dash != lo->indent))) {
			free(start);
			return NULL;
		}
		lo->indent = dash;
		start[i] = line;
	}
	int e = start[0] + 1, k = 1;
	for (; e < L->n && task_line(L, e); e++) {
		int t = item_line(L, e, lo->indent);
		if (t < 0 || (t == 1 && (k >= lo->n || start[k++] != e))) {
			free(start);
			return NULL;
		}
	}
	int c = e;
	while (c < L->n && !is_fence(L, c))
		c++;
	if (k != lo->n || c >= L->n || has_anchors(L, 1, c)) {
		free(start);
		return NULL;
	}
	start[lo->n] = e;
	lo->head_lines = start[0];
	lo->head = span_of(L, 0, start[0]);
	lo->tail = span_of(L, e, c + 1);
	lo->items = arena_alloc(a, (size_t)lo->n * sizeof(span_t));
	lo->skel = skel ? arena_alloc(skel, (size_t)lo->n * sizeof(*lo->skel)) : NULL;
	lo->skel_gen = gen;
	for (int i = 0; i < lo->n; i++) {
		lo->items[i] = span_of(L, start[i], start[i + 1]);
		if (!skel)
			continue;
		/* item_skel, over the lines L has found */
		uint64_t sh = HASH_INIT;
		size_t run = L->off[start[i]];
		for (int j = start[i]; j < start[i + 1]; j++)
			sh = skel_line(sh, L->s, &run, L->off[j], L->off[j + 1], lo->indent);
		lo->skel[i] = skel_end(sh, L->s, run, L->off[start[i + 1]]);
	}
	free(start);
	/* only the plan's groups matter to its tasks (error E030): their
	 * ids, kept as the front matter the tasks were once parsed under
	 * (the history cache keeps it so), which group_listed reads */
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nid: h\ntitle: h\ngroups:\n");
	for (size_t i = 0; i < p->ngroups; i++) {
		buf_puts(&b, "  - id: \"");
		for (const char *q = p->groups[i].id; *q; q++) {
			if (*q == '"' || *q == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *q);
		}
		buf_puts(&b, "\"\n");
	}
	buf_puts(&b, "tasks:\n");
	lo->head_fm = arena_strdup(a, b.ptr);
	buf_free(&b);
	return lo;
}

/* lo copied into a, its skeletons into w's (hver_skel_drop); or all into
 * one malloc'd block when a is NULL. */
static struct hlayout *layout_copy(hver_ctx_t *w, arena_t *a, const struct hlayout *lo)
{
	size_t items = (size_t)lo->n * sizeof(span_t), fl = strlen(lo->head_fm) + 1;
	size_t skel = lo->skel && !a ? (size_t)lo->n * sizeof(*lo->skel) : 0;
	size_t size = sizeof(*lo) + items + skel + fl;
	_Static_assert(sizeof(struct hlayout) % _Alignof(span_t) == 0, "items follow the layout");
	_Static_assert(sizeof(span_t) % _Alignof(uint64_t) == 0, "skeletons follow the items");
	char *m = a ? arena_alloc(a, size) : xmalloc(size);
	struct hlayout *c = (struct hlayout *)m;
	*c = *lo;
	c->items = (span_t *)(m + sizeof(*lo));
	memcpy(c->items, lo->items, items);
	c->skel = skel ? memcpy(m + sizeof(*lo) + items, lo->skel, skel) : NULL;
	c->head_fm = memcpy(m + sizeof(*lo) + items + skel, lo->head_fm, fl);
	if (a && lo->skel) {
		c->skel = arena_alloc(skel_arena(w), (size_t)lo->n * sizeof(*lo->skel));
		memcpy(c->skel, lo->skel, (size_t)lo->n * sizeof(*lo->skel));
		c->skel_gen = w->skel_gen;
	}
	return c;
}

/* The first error of a private diagnostics list, as printed. */
static const char *first_error(hver_ctx_t *w, diag_t *d)
{
	i18n_source_only(true);
	char *all = diag_format(d);
	i18n_source_only(false);
	const char *found = NULL;
	for (char *line = all; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(line, ": error: ")) {
			found = arena_strdup(w->a, line);
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(all);
	return found ? found : "error";
}

/* A plan file parsed on its own, with diagnostics that stay private: the
 * history's errors are not this build's. */
struct parsed {
	arena_t *a;
	diag_t *d;
	plan_t *p;
};

/* The plan in text[0..len), with whatever errors it has (ps->d), or NULL. */
static plan_t *parse_raw(hver_ctx_t *w, struct parsed *ps, const char *path, const char *text,
			 size_t len)
{
	if (!w->scratch)
		w->scratch = arena_new();
	if (!w->diag)
		w->diag = diag_new();
	ps->a = w->scratch;
	ps->d = w->diag;
	rfile_t f = { .path = path, .rel = path + w->rel_off, .data = text, .len = len };
	model_opts_t mo = { .strict = false, .base_url = NULL };
	/* its first error is shown in the site: in the site's words */
	i18n_source_only(true);
	ps->p = model_parse_plan(ps->a, ps->d, &f, &mo);
	i18n_source_only(false);
	w->nbytes += len;
	return ps->p;
}

static plan_t *parse_text(hver_ctx_t *w, struct parsed *ps, const char *path, const char *text,
			  size_t len)
{
	parse_raw(w, ps, path, text, len);
	return ps->p && !diag_errors(ps->d) && ps->p->key ? ps->p : NULL;
}

static void parsed_free(struct parsed *ps)
{
	diag_reset(ps->d);
	arena_reset(ps->a);
}

static hver_t *broken_version(hver_ctx_t *w, const char *path, const char *error)
{
	hver_t *v = arena_alloc(w->a, sizeof(*v));
	v->broken = true;
	v->error = error;
	v->path = hver_intern(w, path);
	return v;
}

/* The whole file parsed (its Markdown body left out: the history has no
 * use for it). */
static hver_t *parse_full(hver_ctx_t *w, const char *path, const lines_t *L)
{
	size_t len = L->off[L->n];
	for (int i = 1; i < L->n; i++)
		if (is_fence(L, i)) {
			len = L->off[i + 1];
			break;
		}
	struct parsed ps;
	hver_t *v;
	if (parse_text(w, &ps, path, L->s, len)) {
		v = arena_alloc(w->a, sizeof(*v));
		version_from_plan(w, ps.p, v, false);
		v->layout = layout_of(w->a, L, ps.p, skel_arena(w), w->skel_gen);
	} else {
		v = broken_version(w, path, diag_errors(ps.d) ? first_error(w, ps.d)
			: arena_printf(w->a, "%s: plan without a number or id", path));
	}
	parsed_free(&ps);
	return v;
}

/* Whether the group id is one of head_fm's (layout_of writes them as
 * lines '  - id: "ID"', with '"' and '\' escaped). */
static bool group_listed(const char *head_fm, const char *id)
{
	const char *q = strstr(head_fm, "\ngroups:\n");
	if (!q)
		return false;
	for (q += strlen("\ngroups:\n"); !strncmp(q, "  - id: \"", 9);) {
		const char *x = id;
		bool same = true;
		for (q += 9; *q && *q != '"'; q++) {
			if (*q == '\\' && q[1])
				q++;
			if (same && *x == *q)
				x++;
			else
				same = false;
		}
		if (!*q)
			return false;
		if (same && !*x)
			return true;
		q += q[1] == '\n' ? 2 : 1;
	}
	return false;
}

/* The tasks a version parsed near another (parse_near) are read under a
 * front matter with no groups: what the groups decide of a task is only
 * whether error E030 (a group not in the plan's groups) is reported, once
 * a task, and a task whose group is among the plan's (its layout's
 * head_fm) is not reported when the groups are there.  So the tasks parse
 * as they would under the plan's groups when their errors are exactly one
 * per task whose group is among those; otherwise NULL (the file is parsed
 * whole, with its real errors).  At 1,000 plans (2 to 4 groups a plan,
 * one or two tasks parsed a version) the parses of 3,710 past versions
 * took 670M instructions instead of 735M. */
static const char near_fm[] = "---\nid: h\ntitle: h\ntasks:\n";

static plan_t *parse_items(hver_ctx_t *w, struct parsed *ps, const char *path, const buf_t *m,
			   const char *head_fm, size_t want)
{
	plan_t *p = parse_raw(w, ps, path, m->ptr, m->len);
	if (!p || !p->key || p->ntasks != want)
		return NULL;
	size_t listed = 0;
	for (size_t i = 0; i < p->ntasks; i++)
		listed += p->tasks[i].group && group_listed(head_fm, p->tasks[i].group);
	return diag_errors(ps->d) == listed ? p : NULL;
}

/* The end of the line at p of s[0..len) (after its newline). */
static size_t line_end(const char *s, size_t len, size_t p)
{
	const char *nl = memchr(s + p, '\n', len - p);
	return nl ? (size_t)(nl - s) + 1 : len;
}

/* Version B (s[0..len)) parsed from version `ref` next to it in history:
 * when the front matter around the tasks is as in ref, B's tasks are cut
 * into items by lines; an item written as one of ref's is ref's task, and
 * only the other items are parsed.  NULL when that is not possible: the
 * caller parses B whole.
 *
 * B is not split into lines: from where an item starts, the bytes of ref's
 * next item are taken at once when they have its fingerprint (the same
 * bytes, so the same lines), and only an item written otherwise is read
 * line by line (at 1,000 plans, most versions differ from the next in one
 * line of one or two of their 40 items). */
static hver_t *parse_near(hver_ctx_t *w, const hver_t *ref, const char *s, size_t len, const char *path)
{
	const struct hlayout *lo = ref->layout;
	if (!lo || ref->broken)
		return NULL;
	const uint64_t *rsk = skel_of(w, lo);
	size_t h = lo->head.len;
	if (len <= h || !h || s[h - 1] != '\n' || !same_span(lo->head, (span_t){ hash_words(HASH_INIT, s, h), h }))
		return NULL;
	hver_t *v = NULL;
	size_t cap = (size_t)lo->n + 8, nb = 0;
	size_t *bs = xmalloc((cap + 1) * sizeof(*bs));
	int *from = xmalloc(cap * sizeof(*from));
	span_t *sp = xmalloc(cap * sizeof(*sp));
	uint64_t *sk = xmalloc(cap * sizeof(*sk));
	const htask_t **pt = xmalloc(cap * sizeof(*pt));
	buf_t m = BUF_INIT;
	struct parsed ps = { 0 };
	size_t p = h;
	int r = 0;              /* ref's item expected next */
	int nparse = 0;
	const char **ids = NULL;
	buf_puts(&m, near_fm);
	while (p < len) {
		size_t e = line_end(s, len, p);
		if (!task_bytes(s + p, e - p))
			break;
		/* an item starts here (the first line after the head too) */
		if (item_bytes(s + p, e - p, lo->indent) != 1)
			goto out;
		if (nb == cap) {
			cap *= 2;
			bs = xrealloc(bs, (cap + 1) * sizeof(*bs));
			from = xrealloc(from, cap * sizeof(*from));
			sp = xrealloc(sp, cap * sizeof(*sp));
			sk = xrealloc(sk, cap * sizeof(*sk));
			pt = xrealloc(pt, cap * sizeof(*pt));
		}
		size_t q = 0;
		from[nb] = -1;
		if (r < lo->n && lo->items[r].len <= len - p &&
		    hash_words(HASH_INIT, s + p, lo->items[r].len) == lo->items[r].hash) {
			q = p + lo->items[r].len;
			size_t qe = q < len ? line_end(s, len, q) : q;
			/* ref's item, unless B's goes on past it */
			if (q < len && task_bytes(s + q, qe - q) && item_bytes(s + q, qe - q, lo->indent) == 0)
				q = 0;
			else {
				from[nb] = r;
				sp[nb] = lo->items[r];
				sk[nb] = rsk ? rsk[r] : 0;
			}
		}
		if (from[nb] < 0) {
			for (q = e; q < len;) {
				size_t qe = line_end(s, len, q);
				if (!task_bytes(s + q, qe - q))
					break;
				int t = item_bytes(s + q, qe - q, lo->indent);
				if (t < 0)
					goto out;
				if (t == 1)
					break;
				q = qe;
			}
			sp[nb] = (span_t){ hash_words(HASH_INIT, s + p, q - p), q - p };
			sk[nb] = item_skel(s + p, q - p, lo->indent);
			for (int k = 0; k < lo->n; k++) {
				int kk = (r + k) % lo->n;   /* where it would be first */
				if (same_span(lo->items[kk], sp[nb])) {
					from[nb] = kk;
					sk[nb] = rsk ? rsk[kk] : 0;
					break;
				}
			}
			/* ref's next task with another status, progress or
			 * deadline (its skeleton known: the task has no error) */
			if (from[nb] < 0 && rsk && r < lo->n && rsk[r] && sk[nb] == rsk[r] &&
			    !anchors_in(s, p, q) &&
			    (pt[nb] = patch_task(w, ref->tasks[r], s + p, q - p, lo->indent)))
				from[nb] = -2 - r;
		}
		if (from[nb] >= 0) {
			r = from[nb] + 1;
		} else if (from[nb] < -1) {
			r = -from[nb] - 1;
		} else {
			if (anchors_in(s, p, q))
				goto out;
			buf_put(&m, s + p, q - p);
			nparse++;
		}
		bs[nb++] = p;
		p = q;
	}
	/* the rest of the front matter, as in ref */
	size_t c = p;
	bool fenced = false;
	while (c < len && !fenced) {
		size_t ce = line_end(s, len, c);
		fenced = fence_bytes(s + c, ce - c);
		c = ce;
	}
	if (!nb || !fenced || !same_span(lo->tail, (span_t){ hash_words(HASH_INIT, s + p, c - p), c - p }))
		goto out;
	buf_puts(&m, "---\n");
	hver_t *x = NULL;
	if (nparse) {
		plan_t *pl = parse_items(w, &ps, path, &m, lo->head_fm, (size_t)nparse);
		if (!pl)
			goto out;
		x = arena_alloc(w->a, sizeof(*x));
		version_from_plan(w, pl, x, false);
	}
	/* the rest of the front matter is ref's, byte for byte */
	v = arena_alloc(w->a, sizeof(*v));
	*v = *ref;
	v->ntasks = nb;
	v->tasks = arena_alloc(w->a, (nb + 1) * sizeof(*v->tasks));
	for (size_t j = 0, q = 0; j < nb; j++)
		v->tasks[j] = from[j] >= 0 ? ref->tasks[from[j]] : from[j] < -1 ? pt[j] : x->tasks[q++];
	/* a task id used twice: the whole file reports it properly.  Ids
	 * are interned, so equal ids are one pointer: found in a table of
	 * them (every pair compared was 40 x 39 / 2 a version at 1,000
	 * plans) */
	size_t tcap = 16;
	while (tcap < 2 * nb)
		tcap *= 2;
	ids = xcalloc(tcap, sizeof(*ids));
	bool no_id = false;
	for (size_t j = 0; j < nb; j++) {
		const char *id = v->tasks[j]->id;
		if (!id) {
			/* two without an id compared as the same before */
			if (no_id) {
				v = NULL;
				goto out;
			}
			no_id = true;
			continue;
		}
		size_t k = ((uintptr_t)id >> 4) * 0x9E3779B97F4A7C15u >> 32 & (tcap - 1);
		for (; ids[k] && ids[k] != id; k = (k + 1) & (tcap - 1))
			;
		if (ids[k]) {
			v = NULL;
			goto out;
		}
		ids[k] = id;
	}
	count_tasks(v);
	struct hlayout *nl = arena_alloc(w->a, sizeof(*nl));
	*nl = *lo;
	nl->n = (int)nb;
	nl->items = arena_alloc(w->a, nb * sizeof(span_t));
	memcpy(nl->items, sp, nb * sizeof(span_t));
	nl->skel = arena_alloc(skel_arena(w), nb * sizeof(*nl->skel));
	memcpy(nl->skel, sk, nb * sizeof(*nl->skel));
	nl->skel_gen = w->skel_gen;
	v->layout = nl;
out:
	if (ps.a)
		parsed_free(&ps);
	buf_free(&m);
	free(bs);
	free(from);
	free(sp);
	free(sk);
	free(pt);
	free(ids);
	return v;
}

/* Reads a blob into a malloc'd, NUL-terminated copy; NULL when it cannot
 * be read (a partial clone). */
char *hver_blob_text(hver_ctx_t *w, const git_oid *oid, size_t *len)
{
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, w->git, oid) < 0)
		return NULL;
	*len = (size_t)git_blob_rawsize(blob);
	char *t = xmalloc(*len + 1);
	memcpy(t, git_blob_rawcontent(blob), *len);
	t[*len] = '\0';
	git_blob_free(blob);
	return t;
}

hver_t *hver_cached(hver_ctx_t *w, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, oid);
	return strmap_get(&w->blobs, hex);
}

/* A broken version is kept under "<oid> <path>": the same bytes at another
 * path give the same error at that path, whichever was read first. */
static char *broken_key(buf_t *b, const git_oid *oid, const char *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, oid);
	buf_printf(b, "%s %s", hex, path);
	return b->ptr;
}

hver_t *hver_known(hver_ctx_t *w, const git_oid *oid, const char *path)
{
	hver_t *v = hver_cached(w, oid);
	/* none broken: no key of one to make (most lookups miss) */
	if (v || !path || !w->nbroken)
		return v;
	buf_t b = BUF_INIT;
	v = strmap_get(&w->blobs, broken_key(&b, oid, path));
	buf_free(&b);
	return v;
}

void hver_put(hver_ctx_t *w, const git_oid *oid, hver_t *v)
{
	char hex[GIT_OID_HEXSZ + 1];
	if (v->broken) {
		buf_t b = BUF_INIT;
		w->nbroken++;
		strmap_put(&w->blobs, arena_strdup(w->a, broken_key(&b, oid, v->path)), v);
		buf_free(&b);
		return;
	}
	git_oid_tostr(hex, sizeof hex, oid);
	strmap_put(&w->blobs, arena_strdup(w->a, hex), v);
}

/* The version of blob oid (its text at hand, or NULL to read it), parsed
 * near `ref` (text rtext) when one is given. */
hver_t *hver_of(hver_ctx_t *w, const git_oid *oid, const char *path, const char *text,
			  size_t len, const hver_t *ref)
{
	hver_t *v = hver_known(w, oid, path);
	if (v)
		return v;
	char *own = NULL;
	if (!text) {
		text = own = hver_blob_text(w, oid, &len);
		if (!text) {
			const git_error *e = git_error_last();
			v = broken_version(w, path, arena_printf(w->a, "%s: cannot read the file from Git: %s", path,
								e && e->message ? e->message : "unknown error"));
			v->unreadable = true;
			w->nversions++;
			hver_put(w, oid, v);
			return v;
		}
	}
	if (ref && ref->layout) {
		v = parse_near(w, ref, text, len, path);
		if (v)
			w->nincremental++;
	}
	if (!v) {
		lines_t B;
		lines_split(&B, text, len);
		v = parse_full(w, path, &B);
		free(B.off);
	}
	free(own);
	w->nversions++;
	hver_put(w, oid, v);
	return v;
}

/* A layout made here from the text has no skeletons: the model may have
 * parsed with errors and gone on (a source's plans; the preview server's
 * tables, kept from a build that stopped at its errors), and a task
 * patched from one of its tasks would hide the error that the task's
 * parse gives.  Those of a cold build (hver_layouts_take, given as lo)
 * have them: a build whose plans have errors stops before its history is
 * built, and its tables go with it (its own history cache, build.c). */
hver_t *hver_from_plan(hver_ctx_t *w, const plan_t *p, const char *text, size_t len,
		       const struct hlayout *lo)
{
	hver_t *v = arena_alloc(w->a, sizeof(*v));
	version_from_plan(w, p, v, true);
	if (!text) {
		v->layout = lo ? layout_copy(w, w->a, lo) : NULL;
		return v;
	}
	lines_t L;
	lines_split(&L, text, len);
	v->layout = layout_of(w->a, &L, p, NULL, 0);
	free(L.off);
	return v;
}

/* ---- the built commit's layouts, taken while its plans parse ---- */

struct hver_layouts {
	snap_t *snap;
	struct hlayout **lo;   /* by snapshot file */
	bool *taken;
};

hver_layouts_t *hver_layouts_new(snap_t *snap)
{
	hver_layouts_t *l = xcalloc(1, sizeof(*l));
	l->snap = snap;
	l->lo = xcalloc(snap->n + 1, sizeof(*l->lo));
	l->taken = xcalloc(snap->n + 1, sizeof(*l->taken));
	return l;
}

void hver_layouts_take(void *cls, size_t file, const plan_t *p)
{
	hver_layouts_t *l = cls;
	rfile_t *f = &l->snap->files[file];
	if (!f->data || git_oid_is_zero(&f->oid))
		return;
	lines_t L;
	lines_split(&L, f->data, f->len);
	arena_t *a = arena_new();
	struct hlayout *lo = layout_of(a, &L, p, a, 0);
	l->lo[file] = lo ? layout_copy(NULL, NULL, lo) : NULL;
	arena_free(a);
	free(L.off);
	l->taken[file] = true;
	free((char *)f->data);
	f->data = NULL;
}

const struct hlayout *hver_layouts_get(const hver_layouts_t *l, size_t file, bool *taken)
{
	*taken = l && l->taken[file];
	return *taken ? l->lo[file] : NULL;
}

void hver_layouts_drop(hver_layouts_t *l, size_t file)
{
	if (!l)
		return;
	free(l->lo[file]);
	l->lo[file] = NULL;
}

void hver_layouts_free(hver_layouts_t *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->snap->n; i++)
		free(l->lo[i]);
	free(l->lo);
	free(l->taken);
	free(l);
}

void hver_skel_drop(hver_ctx_t *w)
{
	arena_free(w->skel_a);
	w->skel_a = NULL;
	w->skel_gen++;
}

void hver_ctx_free(hver_ctx_t *w)
{
	hver_skel_drop(w);
	arena_free(w->scratch);
	w->scratch = NULL;
	diag_free(w->diag);
	w->diag = NULL;
	free(w->strs.k);
	free(w->strs.h);
	w->strs = (hver_strs_t){ 0 };
	strmap_free(&w->names);
	strmap_free(&w->blobs);
	free(w->memo.v);
	free(w->name_memo.v);
	free(w->list_memo.v);
	free(w->texts_memo.v);
	w->memo = w->name_memo = w->list_memo = w->texts_memo = (hver_memo_t){ 0 };
}
