/* xref_docs.c: cross-references, the documents half: the document
 * registry, plans as documents, the implements graph with its cycles
 * broken, and the checks of numbers written in text. */
#include "xref_int.h"

#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "text.h"

static void push_doc(struct xref *x, site_t *s, doc_t *dc)
{
	ARENA_PUSH(x->a, s->docs, s->ndocs, s->capdocs, dc);
}

void xref_load_documents(arena_t *a, diag_t *d, site_t *s, struct xref *x, const snap_t *snap)
{
	const ynode_t *root = xref_load_list(a, d, xref_find_file(snap, "documents.yaml"));
	if (!root)
		return;
	for (size_t i = 0; i < root->n; i++) {
		const ynode_t *m = root->kids[i];
		if (m->kind != YNODE_MAP) {
			diag_error_fix(d, &m->loc, "E060",
				       _("viết \"- number: ...\" và title: ... thụt vào thẳng cột với number"),
				       _("mỗi văn bản phải là một nhóm khoá (number, title ...)"));
			continue;
		}
		doc_t *dc = arena_alloc(a, sizeof(*dc));
		dc->loc = m->loc;
		dc->number = xref_sval(a, d, m, "number");
		if (!dc->number) {
			diag_error_fix(d, &m->loc, "E061", _("thêm \"number: ...\" (số ký hiệu)"),
				       _("văn bản không có số ký hiệu"));
			continue;
		}
		dc->type = xref_sval(a, d, m, "type");
		dc->title = xref_sval(a, d, m, "title");
		dc->issuer = xref_sval(a, d, m, "issuer");
		dc->link = xref_sval(a, d, m, "url");
		const ynode_t *dn = ynode_get(m, "date");
		const char *ds = model_scalar(d, dn, "date");
		if (ds && date_parse_iso(ds, &dc->date) < 0)
			diag_error_fix(d, &dn->loc, "E021", _("viết năm-tháng-ngày, ví dụ 2025-06-30"),
				       _("%s \"%s\" không phải là ngày"), "date", ds);
		if (dc->link && strncmp(dc->link, "https://", 8) && strncmp(dc->link, "http://", 7)) {
			diag_error_fix(d, &ynode_get(m, "url")->loc, "E062",
				       _("viết địa chỉ đầy đủ bắt đầu bằng https://"),
				       _("url phải bắt đầu bằng http:// hoặc https://"));
			dc->link = NULL;
		}
		dc->aliases = xref_list_of(a, d, ynode_get(m, "aliases"), &dc->naliases);
		size_t ni;
		const ynode_t *in = ynode_get(m, "implements");
		const char **impl = xref_list_of(a, d, in, &ni);
		dc->implements = arena_alloc(a, (ni + 1) * sizeof(str_t));
		for (size_t j = 0; j < ni; j++) {
			loc_t l = in->kind == YNODE_SEQ ? in->kids[j]->loc : in->loc;
			dc->implements[j] = (str_t){ impl[j], l };
		}
		dc->nimplements = ni;
		dc->key = xref_numkey(a, dc->number);
		doc_t *prev = strmap_get(&x->docs_by_key, dc->key);
		if (prev) {
			diag_error_fix(d, &m->loc, "E063", _("xoá một trong hai mục"),
				       _("văn bản %s được khai báo hai lần (đã có ở dòng %d)"), dc->number,
				       prev->loc.line);
			continue;
		}
		strmap_put(&x->docs_by_key, dc->key, dc);
		push_doc(x, s, dc);
	}
	/* aliases after all numbers, so an alias never hides a real number */
	for (size_t i = 0; i < s->ndocs; i++) {
		doc_t *dc = s->docs[i];
		for (size_t j = 0; j < dc->naliases; j++) {
			const char *k = xref_numkey(a, dc->aliases[j]);
			doc_t *other = strmap_get(&x->docs_by_key, k);
			if (other && other != dc)
				diag_error_fix(d, &dc->loc, "E064", _("xoá tên gọi khác này"),
					       _("tên gọi khác \"%s\" của %s đã là %s"), dc->aliases[j],
					       dc->number, other->number);
			else
				strmap_put(&x->docs_by_key, k, dc);
		}
	}
}

static doc_t *find_or_stub(arena_t *a, site_t *s, struct xref *x, const str_t *ref)
{
	const char *k = xref_numkey(a, ref->text);
	doc_t *dc = strmap_get(&x->docs_by_key, k);
	if (dc)
		return dc;
	dc = arena_alloc(a, sizeof(*dc));
	dc->number = ref->text;
	dc->key = k;
	dc->stub = true;
	dc->loc = ref->loc;
	strmap_put(&x->docs_by_key, k, dc);
	push_doc(x, s, dc);
	return dc;
}

static int near_cmp(const void *p, const void *q)
{
	const struct near *u = p, *v = q;
	return strcmp(u->doc->number, v->doc->number);
}

/* The registered documents and plans whose number (or alias) the unknown
 * number key is a slip of, as `"57-NQ/TW"` or `"52-NQ/TW" hay "57-NQ/TW"`:
 * only those of the nearest kind (text_docnum_near) up to `most`, at most
 * three, in order of number.  NULL when there is none; once per key. */
static const char *near_docs(struct xref *x, const site_t *s, const char *key, int most)
{
	buf_t ck = BUF_INIT;
	buf_printf(&ck, "%d%s", most, key);
	const char *got = strmap_get(&x->near_of, ck.ptr);
	if (got) {
		buf_free(&ck);
		return *got ? got : NULL;
	}
	if (!x->near) {
		/* at this point every document is a registered one or a plan */
		size_t n = 0;
		for (size_t i = 0; i < s->ndocs; i++)
			n += 1 + s->docs[i]->naliases;
		x->near = arena_alloc(x->a, (n + 1) * sizeof(*x->near));
		for (size_t i = 0; i < s->ndocs; i++) {
			const doc_t *dc = s->docs[i];
			if (dc->stub)
				continue;
			x->near[x->nnear++] = (struct near){ dc->key, dc };
			for (size_t j = 0; j < dc->naliases; j++)
				x->near[x->nnear++] = (struct near){ xref_numkey(x->a, dc->aliases[j]), dc };
		}
	}
	/* the nearest kind first, then every document of that kind */
	int tier = TEXT_NEAR_NO;
	int *kind = xmalloc((x->nnear + 1) * sizeof(*kind));
	for (size_t i = 0; i < x->nnear; i++) {
		kind[i] = text_docnum_near(key, x->near[i].key);
		if (kind[i] != TEXT_NEAR_NO && kind[i] <= most &&
		    (tier == TEXT_NEAR_NO || kind[i] < tier))
			tier = kind[i];
	}
	struct near *best = xmalloc((x->nnear + 1) * sizeof(*best));
	size_t nbest = 0;
	for (size_t i = 0; i < x->nnear && tier != TEXT_NEAR_NO; i++) {
		if (kind[i] != tier)
			continue;
		size_t k;
		for (k = 0; k < nbest && best[k].doc != x->near[i].doc; k++)
			;
		if (k == nbest)
			best[nbest++] = x->near[i];
	}
	free(kind);
	/* the three first in order of number, so the choice never depends on
	 * the order files were read in */
	qsort(best, nbest, sizeof(*best), near_cmp);
	if (nbest > 3)
		nbest = 3;
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < nbest; i++)
		buf_printf(&b, "%s\"%s\"", i == 0 ? "" : i + 1 == nbest ? _(" hay ") : ", ",
			   best[i].doc->number);
	const char *r = arena_strdup(x->a, b.ptr ? b.ptr : "");
	buf_free(&b);
	free(best);
	strmap_put(&x->near_of, arena_strdup(x->a, ck.ptr), (void *)r);
	buf_free(&ck);
	return *r ? r : NULL;
}

/* Numbers in body text that would be links if they were not slips.  Prose
 * cites many documents that are not registered, of series whose numbers
 * differ by a digit (42-TB/TGV, 43-TB/TGV): there a changed digit is taken
 * as another document, only its letters, separators or order are asked
 * about.  A wrong number in implements publishes a wrong picture, so there
 * a digit counts too. */
struct body_scan {
	struct xref *x;
	const site_t *s;
	diag_t *d;
	const char *path, *md;
	int line0;              /* file line of the body's first line */
	const loc_t *at;        /* a one-line value: report at it, or NULL */
	const char *where;      /* "trong nội dung" ... */
};

static void body_number(void *arg, const char *num, size_t n, int line, int col)
{
	struct body_scan *b = arg;
	char *raw = xstrndup(num, n);
	char *k = text_docnum_key(raw);
	const doc_t *dc = strmap_get(&b->x->docs_by_key, k);
	const char *near = !dc || dc->stub ? near_docs(b->x, b->s, k, TEXT_NEAR_LETTER) : NULL;
	if (near) {
		/* cmark counts bytes; messages count characters like libyaml */
		const char *p = b->md;
		for (int l = 1; l < line && (p = strchr(p, '\n')); l++)
			p++;
		int chars = 1;
		for (int i = 0; p && i < col - 1 && p[i]; i++)
			chars += ((unsigned char)p[i] & 0xC0) != 0x80;
		loc_t loc = { b->path, b->line0 + line - 1, chars };
		diag_warning_fix(b->d, b->at ? b->at : &loc, "W038", diag_str(b->d, _("có phải %s?"), near),
				 _("số văn bản \"%s\" %s không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml)"),
				 raw, b->where);
	}
	free(k);
	free(raw);
}

static void scan_body(struct xref *x, const site_t *s, diag_t *d, const char *path,
		      const char *md, int line0)
{
	if (!md || !*md)
		return;
	struct body_scan b = { x, s, d, path, md, line0, NULL, _("trong nội dung") };
	docnum_scan(md, strlen(md), body_number, &b);
}

static void link(struct xref *x, doc_t *from, doc_t *to, arena_t *a, size_t *cap)
{
	for (size_t i = 0; i < from->nup; i++)
		if (from->up[i] == to)
			return;
	if (from->nup == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		doc_t **v = arena_alloc(a, *cap * sizeof(*v));
		if (from->nup)
			memcpy(v, from->up, from->nup * sizeof(*v));
		from->up = v;
	}
	from->up[from->nup++] = to;
	ARENA_PUSH(x->a, to->down, to->ndown, to->capdown, from);
}

struct frame {
	doc_t *dc;
	size_t i;     /* next edge to follow */
};

static const char *doc_where(const doc_t *dc)
{
	return dc->plan ? dc->plan->path : dc->loc.path;
}

static void cycle_error(diag_t *d, doc_t *dc, doc_t *up, struct frame *st, size_t depth)
{
	buf_t b = BUF_INIT;
	size_t start = depth;
	while (st[start].dc != up)
		start--;
	for (size_t j = start; j <= depth; j++)
		buf_printf(&b, "%s (%s) -> ", st[j].dc->number, doc_where(st[j].dc));
	buf_printf(&b, "%s", up->number);
	loc_t loc = dc->plan ? dc->plan->loc : dc->loc;
	diag_error_fix(d, &loc, "E065", _("bỏ một liên kết \"implements\" để không vòng lại"),
		       _("vòng \"implements\": %s"), b.ptr);
	buf_free(&b);
}

/* Depth-first search upwards with colours (in dc->visit: 0 white, 1 grey,
 * 2 black), on an explicit stack so a chain of any length is walked without
 * recursion.  A grey node reached again closes a cycle, whose edge is broken
 * so later stages see a DAG.  Nodes are numbered (dc->topo) as they finish:
 * everything a document implements finishes before it, so the numbering puts
 * roots first; heights (longest path up) follow in the same pass. */
void xref_order_graph(diag_t *d, site_t *s)
{
	struct frame *st = xmalloc((s->ndocs + 1) * sizeof(*st));
	size_t next = 0;
	for (size_t i = 0; i < s->ndocs; i++)
		s->docs[i]->visit = 0;
	for (size_t r = 0; r < s->ndocs; r++) {
		if (s->docs[r]->visit)
			continue;
		size_t depth = 0;
		st[0] = (struct frame){ s->docs[r], 0 };
		s->docs[r]->visit = 1;
		for (;;) {
			struct frame *f = &st[depth];
			doc_t *dc = f->dc;
			if (f->i < dc->nup) {
				doc_t *up = dc->up[f->i];
				if (up->visit == 1) {
					cycle_error(d, dc, up, st, depth);
					dc->up[f->i] = dc->up[--dc->nup];
					for (size_t j = 0; j < up->ndown; j++)
						if (up->down[j] == dc) {
							up->down[j] = up->down[--up->ndown];
							break;
						}
				} else if (up->visit == 0) {
					f->i++;
					up->visit = 1;
					st[++depth] = (struct frame){ up, 0 };
				} else {
					f->i++;
				}
				continue;
			}
			dc->visit = 2;
			dc->topo = next++;
			dc->height = 0;
			for (size_t j = 0; j < dc->nup; j++)
				if (dc->up[j]->height + 1 > dc->height)
					dc->height = dc->up[j]->height + 1;
			if (!depth)
				break;
			depth--;
		}
	}
	for (size_t i = 0; i < s->ndocs; i++)
		s->docs[i]->visit = 0;
	free(st);
}

void xref_plans_join(arena_t *a, diag_t *d, site_t *s, struct xref *x)
{
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		doc_t *dc = arena_alloc(a, sizeof(*dc));
		dc->plan = p;
		dc->number = p->number ? p->number : p->id;
		dc->key = xref_numkey(a, dc->number);
		dc->title = p->title;
		dc->type = p->type;
		dc->date = p->date;
		dc->loc = p->loc;
		p->doc = dc;
		doc_t *reg = strmap_get(&x->docs_by_key, dc->key);
		if (reg && !reg->plan) {
			/* the registry described a document that is now published as a
			 * plan: the plan wins, the registry entry's edges move to it */
			diag_warning_fix(d, &reg->loc, "W035", _("xoá mục này khỏi documents.yaml"),
					 _("%s đã được đăng như một kế hoạch (%s); mục này bị bỏ qua"),
					 reg->number, p->path);
			for (size_t j = 0; j < s->ndocs; j++)
				if (s->docs[j] == reg)
					s->docs[j] = dc;
			dc->implements = reg->implements;
			dc->nimplements = reg->nimplements;
			for (size_t j = 0; j < reg->naliases; j++)
				strmap_put(&x->docs_by_key, xref_numkey(a, reg->aliases[j]), dc);
			strmap_put(&x->docs_by_key, dc->key, dc);
			continue;
		}
		if (reg && reg->plan)
			continue;   /* duplicate plan number: already an error */
		strmap_put(&x->docs_by_key, dc->key, dc);
		push_doc(x, s, dc);
	}
}

void xref_link_implements(arena_t *a, diag_t *d, site_t *s, struct xref *x)
{
	size_t ndocs = s->ndocs;
	size_t *caps = xcalloc(ndocs + 1, sizeof(size_t));
	for (size_t i = 0; i < ndocs; i++) {
		doc_t *dc = s->docs[i];
		str_t *impl = dc->plan ? dc->plan->implements : dc->implements;
		size_t n = dc->plan ? dc->plan->nimplements : dc->nimplements;
		if (dc->plan) {
			dc->plan->impl_docs = arena_alloc(a, (n + 1) * sizeof(doc_t *));
			dc->plan->nimplements = n;
		}
		for (size_t j = 0; j < n; j++) {
			doc_t *to = find_or_stub(a, s, x, &impl[j]);
			const char *near = to->stub ? near_docs(x, s, to->key, TEXT_NEAR_DIGIT) : NULL;
			if (near)
				diag_warning_fix(d, &impl[j].loc, "W039", diag_str(d, _("có phải %s?"), near),
						 _("\"%s\" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml)"),
						 impl[j].text);
			if (dc->plan)
				dc->plan->impl_docs[j] = to;
			if (to == dc) {
				diag_error_fix(d, &impl[j].loc, "E066", _("xoá số của chính văn bản khỏi \"implements\""),
					       _("%s thực hiện chính nó"), dc->number);
				continue;
			}
			link(x, dc, to, a, &caps[i]);
		}
	}
	free(caps);
}

void xref_scan_numbers(diag_t *d, site_t *s, struct xref *x)
{
	/* the plans' runs were found when they were parsed (plan_t numbers) */
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		struct body_scan b = { x, s, d, p->path, p->body_md, p->body_line, NULL, _("trong nội dung") };
		for (size_t k = 0; k < p->nnumbers && p->numbers[k].task < 0; k++)
			body_number(&b, p->numbers[k].text, strlen(p->numbers[k].text), p->numbers[k].line,
				    p->numbers[k].col);
	}
	for (size_t i = 0; i < s->npages; i++)
		scan_body(x, s, d, s->pages[i].path, s->pages[i].body_md, s->pages[i].body_line);
	/* a task's source names the document that assigned it */
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		for (size_t k = 0; k < p->nnumbers; k++) {
			const numref_t *r = &p->numbers[k];
			if (r->task < 0)
				continue;
			const task_t *t = &p->tasks[r->task];
			loc_t at = model_task_loc(t, t->source_at);
			struct body_scan b = { x, s, d, p->path, t->source, 1, &at,
					       _("trong source (văn bản giao nhiệm vụ)") };
			body_number(&b, r->text, strlen(r->text), r->line, r->col);
		}
	}
}
