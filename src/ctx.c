/* ctx.c: model records turned into template data. */
#include "ctx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "hash.h"
#include "jsonh.h"
#include "markdown.h"
#include "model_fields.h"
#include "progress.h"

json_t *ctx_date_iso(date_t d)
{
	if (!d)
		return json_null();
	char b[16];
	date_format_iso(d, b);
	return json_string_nocheck(b);
}

json_t *ctx_date_vi(date_t d)
{
	if (!d)
		return json_null();
	char b[16];
	date_format_vi(d, b);
	return json_string_nocheck(b);
}

json_t *ctx_stats(const stats_t *st)
{
	json_t *o = json_object();
	SET(o, "total", json_integer(st->total));
	SET(o, "done", json_integer(st->done));
	SET(o, "in_progress", json_integer(st->in_progress));
	SET(o, "not_started", json_integer(st->not_started));
	SET(o, "cancelled", json_integer(st->cancelled));
	SET(o, "overdue", json_integer(st->overdue));
	SET(o, "done_late", json_integer(st->done_late));
	SET(o, "percent_done", json_integer(st->percent_done));
	SET(o, "has_tasks", json_boolean(st->total > 0));
	SET(o, "has_overdue", json_boolean(st->overdue > 0));
	return o;
}

/* The texts of a record that its file gives (FIELD_TEXT rows with a YAML
 * key), each under its key: a text field added to the table reaches the
 * templates with no other change here. */
static void set_texts(json_t *o, field_owner_t owner, const void *rec)
{
	size_t n;
	const field_t *fs = model_fields_of(owner, &n);
	for (size_t i = 0; i < n; i++)
		if (fs[i].kind == FIELD_TEXT && fs[i].key)
			SET(o, fs[i].key, jstr_nocheck(model_fields_text(rec, owner, &fs[i])));
}

static json_t *unit_ref_new(const unit_t *u, const char *written)
{
	json_t *o = json_object();
	SET(o, "id", jstr_nocheck(u->id));
	SET(o, "name", jstr_nocheck(u->name));
	SET(o, "url", jstr_nocheck(u->url));
	SET(o, "registered", json_boolean(u->registered));
	if (written && strcmp(written, u->name))
		SET(o, "written", json_string(written));
	return o;
}

static json_t *plan_summary_new(const plan_t *p)
{
	json_t *o = json_object();
	set_texts(o, FIELD_PLAN, p);   /* number, id, short_title, title, type, place ... */
	SET(o, "no_number", json_boolean(!p->number));
	SET(o, "name", jstr_nocheck(p->name));
	SET(o, "slug", jstr_nocheck(p->slug));
	SET(o, "url", jstr_nocheck(p->url));
	if (p->has_issuer)
		SET(o, "issuer", ctx_unit_ref(p->issuer.unit, p->issuer.text));
	SET(o, "date", ctx_date_iso(p->date));
	SET(o, "date_vi", ctx_date_vi(p->date));
	SET(o, "status", jstr_nocheck(p->status_text ? p->status_text : "in_force"));
	SET(o, "is_superseded", json_boolean(p->status_text && !strcmp(p->status_text, "superseded")));
	SET(o, "stats", ctx_stats(&p->stats));
	facts_five_t five = facts_five(p);
	json_t *c = json_object();
	SET(c, "incomplete", json_integer(five.incomplete));
	SET(c, "complete", json_integer(five.complete));
	SET(c, "percent", json_integer(five.percent));
	SET(c, "all", json_boolean(five.all));
	SET(o, "completeness", c);
	return o;
}

/* References to units appear on many pages (every task row names its
 * units): they are built once per build, into
 * the renderer's cache (not onto the records: the model is read-only once
 * progress has run), and shared, read-only, by every page.  jansson counts
 * references atomically (JSON_HAVE_ATOMIC_BUILTINS), so sharing them across
 * threads is safe; nothing may modify a shared value, which is why the
 * *_full builders start from fresh copies. */

/* One shared value: a plan's summary (written NULL), a unit's reference by
 * its name (written NULL) or as some plan writes it. */
struct centry {
	const void *rec;
	const char *written;
	json_t *v;
};

struct ctx_cache {
	struct centry *v;   /* open addressing; rec NULL: empty */
	size_t cap, n;
};

/* The render thread's cache (ctx_cache_use). */
static _Thread_local const ctx_cache_t *cur;

static uint64_t centry_hash(const void *rec, const char *written)
{
	uint64_t h = hash_bytes(&rec, sizeof rec);
	return written ? hash_more(h, written, strlen(written)) : h;
}

static struct centry *centry_find(const ctx_cache_t *c, const void *rec, const char *written)
{
	size_t mask = c->cap - 1;
	for (size_t i = (size_t)centry_hash(rec, written) & mask;; i = (i + 1) & mask) {
		struct centry *e = &c->v[i];
		if (!e->rec || (e->rec == rec && (e->written == written ||
						  (e->written && written && !strcmp(e->written, written)))))
			return e;
	}
}

static const json_t *cache_get(const void *rec, const char *written)
{
	if (!cur || !cur->cap)
		return NULL;
	const struct centry *e = centry_find(cur, rec, written);
	return e->rec ? e->v : NULL;
}

static void cache_put(ctx_cache_t *c, const void *rec, const char *written, json_t *v)
{
	if ((c->n + 1) * 2 > c->cap) {
		ctx_cache_t g = { xcalloc(c->cap ? 2 * c->cap : 256, sizeof(struct centry)),
				  c->cap ? 2 * c->cap : 256, 0 };
		for (size_t i = 0; i < c->cap; i++)
			if (c->v[i].rec) {
				*centry_find(&g, c->v[i].rec, c->v[i].written) = c->v[i];
				g.n++;
			}
		free(c->v);
		*c = g;
	}
	struct centry *e = centry_find(c, rec, written);
	if (e->rec) {
		json_decref(v);   /* there already */
		return;
	}
	*e = (struct centry){ rec, written, v };
	c->n++;
}

json_t *ctx_unit_ref(const unit_t *u, const char *written)
{
	/* "Văn phòng" in a plan of the Sở is "Văn phòng Sở ...": most
	 * references are written shorter than the name they resolve to */
	const char *key = written && strcmp(written, u->name) ? written : NULL;
	const json_t *v = cache_get(u, key);
	return v ? json_incref((json_t *)v) : unit_ref_new(u, written);
}

json_t *ctx_plan_summary(const plan_t *p)
{
	const json_t *v = cache_get(p, NULL);
	return v ? json_incref((json_t *)v) : plan_summary_new(p);
}

/* The shared reference to u as written `text` (not its name).  Most
 * spellings recur on thousands of tasks: one is built only when new. */
static void written_add(ctx_cache_t *c, const unit_t *u, const char *text)
{
	if (!u || !text || !strcmp(text, u->name))
		return;
	if (c->cap && centry_find(c, u, text)->rec)
		return;
	cache_put(c, u, text, unit_ref_new(u, text));
}

static void written_add_all(ctx_cache_t *c, const urefs_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		written_add(c, l->v[i].unit, l->v[i].text);
}

ctx_cache_t *ctx_cache_new(const site_t *s)
{
	ctx_cache_t *c = xcalloc(1, sizeof(*c));
	for (size_t i = 0; i < s->nunits; i++)
		cache_put(c, s->units[i], NULL, unit_ref_new(s->units[i], NULL));
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		if (p->has_issuer)
			written_add(c, p->issuer.unit, p->issuer.text);
		for (size_t j = 0; j < p->ntasks; j++) {
			written_add_all(c, &p->tasks[j].lead);
			written_add_all(c, &p->tasks[j].support);
		}
		for (size_t j = 0; j < p->nindicators; j++)
			if (p->indicators[j].has_owner)
				written_add(c, p->indicators[j].owner.unit, p->indicators[j].owner.text);
	}
	/* no plan summaries: the pages that show the history name plans by
	 * typed summaries (ctx_plan.c); those built here for every plan were
	 * 36 MB at 10,000 plans, held to the end of the build for the few
	 * that still ask for jansson (the home page's, a week's new plans) */
	return c;
}

void ctx_cache_use(const ctx_cache_t *c)
{
	cur = c;
}

void ctx_cache_free(ctx_cache_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->v[i].rec)
			json_decref(c->v[i].v);
	free(c->v);
	free(c);
}

/* Evidence: a URL, or a file under static/ of the content. */
json_t *ctx_href_list(const site_t *s, const str_t *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		const char *t = v[i].text;
		const char *label = strrchr(t, '/');
		label = label && label[1] ? label + 1 : t;
		if (strstr(t, "://")) {
			if (strncmp(t, "http://", 7) && strncmp(t, "https://", 8)) {
				json_decref(o);
				continue;   /* only web links; never javascript: and friends */
			}
			SET(o, "href", json_string(t));
			SET(o, "label", json_string(t));
		} else {
			char *h = NULL;
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s%s", s->base_path, t);
			h = buf_detach(&b);
			SET(o, "href", json_string(h));
			SET(o, "label", json_string(label));
			SET(o, "name", json_string(label));
			free(h);
		}
		json_array_append_new(a, o);
	}
	return a;
}

json_t *ctx_due(const char *text, const due_t *due, bool exact)
{
	json_t *o = json_object();
	SET(o, "text", jstr_nocheck(text));
	SET(o, "date", ctx_date_iso(due->date));
	SET(o, "date_vi", ctx_date_vi(due->date));
	SET(o, "ongoing", json_boolean(due->ongoing));
	SET(o, "parsed", json_boolean(due->parsed));
	SET(o, "exact", json_boolean(exact));
	return o;
}

json_t *ctx_doc_link(const doc_t *dc)
{
	json_t *o = json_object();
	/* a plan still without a number is known by its id, which is no number */
	SET(o, "number", jstr_nocheck(dc->plan && !dc->plan->number ? NULL : dc->number));
	SET(o, "name", jstr_nocheck(dc->plan ? dc->plan->name : dc->number));
	SET(o, "url", jstr_nocheck(dc->url));
	SET(o, "title", jstr_nocheck(dc->title));
	SET(o, "type", jstr_nocheck(dc->type));
	SET(o, "is_plan", json_boolean(dc->plan != NULL));
	SET(o, "stub", json_boolean(dc->stub));
	return o;
}

/* How much of the implements graph one page shows: the chain above at most
 * CHAIN_MAX documents, a tree below at most TREE_DEPTH levels and TREE_NODES
 * nodes, each document once (later occurrences are references).  Without
 * these a chain of 20,000 documents or a DAG of diamonds (2^layers paths)
 * would write unbounded pages. */
enum { CHAIN_MAX = 32, TREE_DEPTH = 32, TREE_NODES = 500 };

/* The chain above a plan, top first: documents reachable upwards (depth
 * first, each once, the first CHAIN_MAX), ordered by the longest path from
 * the top (xref's heights).  An explicit stack: no recursion. */
static json_t *chain(const site_t *s, const doc_t *dc)
{
	struct up {
		const doc_t *dc;
		size_t i;
	};
	size_t n = 0, depth = 0;
	const doc_t *v[CHAIN_MAX];
	struct up *st = xmalloc((s->ndocs + 2) * sizeof(*st));
	strmap_t seen = STRMAP_INIT;
	st[0] = (struct up){ dc, 0 };
	for (;;) {
		struct up *f = &st[depth];
		if (f->i >= f->dc->nup || n >= CHAIN_MAX) {
			if (!depth)
				break;
			depth--;
			continue;
		}
		const doc_t *u = f->dc->up[f->i++];
		if (strmap_get(&seen, u->key) || u == dc)
			continue;
		strmap_put(&seen, u->key, (void *)u);
		v[n++] = u;
		st[++depth] = (struct up){ u, 0 };
	}
	strmap_free(&seen);
	free(st);
	/* insertion sort by height from the top (roots first); stable */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1]->height > v[j]->height; j--) {
			const doc_t *tv = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tv;
		}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, ctx_doc_link(v[i]));
	return a;
}

json_t *ctx_plan_full(const site_t *s, const plan_t *p)
{
	/* the groups of task rows are typed records: ctx_plan_groups */
	json_t *o = plan_summary_new(p);
	json_t *sg = json_object();
	SET(sg, "name", jstr_nocheck(p->signer_name));
	SET(sg, "title", jstr_nocheck(p->signer_title));
	SET(sg, "for", jstr_nocheck(p->signer_for));
	SET(o, "signer", p->signer_name ? sg : (json_decref(sg), json_null()));
	json_t *impl = json_array();
	for (size_t i = 0; i < p->nimplements; i++)
		if (p->impl_docs && p->impl_docs[i])
			json_array_append_new(impl, ctx_doc_link(p->impl_docs[i]));
	SET(o, "implements", impl);
	SET(o, "chain", p->doc ? chain(s, p->doc) : json_array());
	SET(o, "attachments", ctx_href_list(s, p->attachments, p->nattachments));
	char *html = md_render(p->body_md ? p->body_md : "", p->body_md ? strlen(p->body_md) : 0, s,
			       p->doc);
	/* cmark's HTML of a text checked as UTF-8 when it was read: no
	 * second check of a plan's whole body */
	SET(o, "body_html", json_string_nocheck(html));
	free(html);
	SET(o, "has_tasks", json_boolean(p->ntasks > 0));
	json_t *inc = json_array();
	for (size_t j = 0; j < p->ntasks; j++)
		if (!p->tasks[j].complete5) {
			json_t *x = json_object();
			SET(x, "id", jstr_nocheck(p->tasks[j].id));
			SET(x, "anchor", json_string(p->tasks[j].id ? p->tasks[j].id : ""));
			SET(x, "last", json_false());
			json_array_append_new(inc, x);
		}
	if (json_array_size(inc))
		json_object_set(json_array_get(inc, json_array_size(inc) - 1), "last", json_true());
	SET(o, "incomplete", inc);
	json_t *inds = json_array();
	for (size_t i = 0; i < p->nindicators; i++) {
		const indicator_t *in = &p->indicators[i];
		json_t *x = json_object();
		set_texts(x, FIELD_INDICATOR, in);
		if (in->has_owner)
			SET(x, "owner", ctx_unit_ref(in->owner.unit, in->owner.text));
		SET(x, "met", in->met < 0 ? json_null() : json_boolean(in->met));
		SET(x, "met_known", json_boolean(in->met >= 0));
		SET(x, "is_met", json_boolean(in->met == 1));
		SET(x, "not_met", json_boolean(in->met == 0));
		json_array_append_new(inds, x);
	}
	SET(o, "indicators", inds);
	SET(o, "has_indicators", json_boolean(p->nindicators > 0));
	if (p->params)
		SET(o, "params", ctx_params(p->params));
	return o;
}

/* The direct figures of one role (template data kept from before the
 * roll-up: unit.lead.stats, unit.support.stats). */
static json_t *role(const stats_t *st, bool show_lead)
{
	json_t *o = json_object();
	SET(o, "show_lead", json_boolean(show_lead));
	SET(o, "stats", ctx_stats(st));
	SET(o, "has_tasks", json_boolean(st->total > 0));
	return o;
}

json_t *ctx_unit_totals(const unit_t *u)
{
	json_t *o = json_object();
	SET(o, "led", json_integer(u->roll_lead.total));
	SET(o, "supported", json_integer(u->roll_support.total));
	SET(o, "tasks", json_integer(u->roll_all.total));
	SET(o, "overdue", json_integer(u->roll_all.overdue));
	SET(o, "done", json_integer(u->roll_all.done));
	SET(o, "percent_done", json_integer(u->roll_all.percent_done));
	SET(o, "issued_plans", json_integer((json_int_t)u->nissued));
	SET(o, "issued_tasks", json_integer(u->issued_stats.total));
	SET(o, "has_tasks", json_boolean(u->roll_all.total > 0));
	SET(o, "has_overdue", json_boolean(u->roll_all.overdue > 0));
	SET(o, "has_issued", json_boolean(u->nissued > 0));
	SET(o, "stats", ctx_stats(&u->roll_all));
	SET(o, "lead_stats", ctx_stats(&u->roll_lead));
	SET(o, "support_stats", ctx_stats(&u->roll_support));
	SET(o, "issued_stats", ctx_stats(&u->issued_stats));
	return o;
}

json_t *ctx_unit_full(const site_t *s, const unit_t *u)
{
	json_t *o = unit_ref_new(u, NULL);
	SET(o, "kind", jstr_nocheck(u->kind));
	json_t *al = json_array();
	for (size_t i = 0; i < u->naliases; i++)
		json_array_append_new(al, json_string(u->aliases[i]));
	SET(o, "aliases", al);
	SET(o, "has_aliases", json_boolean(u->naliases > 0));
	SET(o, "parent", u->parent ? ctx_unit_ref(u->parent, NULL) : json_null());
	/* "children" and "totals" are typed records (ctx_unit.c), "issued"
	 * the page's plans (ctx_plan.c): render_pages.c sets them */
	SET(o, "has_children", json_boolean(u->nchildren > 0));
	SET(o, "has_issued", json_boolean(u->nissued > 0));
	SET(o, "lead", role(&u->lead_stats, false));
	SET(o, "support", role(&u->support_stats, true));
	(void)s;
	return o;
}

struct tree_walk {
	strmap_t seen;      /* documents already shown on this page */
	size_t nodes, limit;
};

/* One node of a documents tree, its children below it while depth and the
 * page's node budget allow; a document already shown on the page is a
 * reference ("seen", no children), and children left out set "more". */
static json_t *tree_node(const doc_t *dc, int depth, struct tree_walk *w)
{
	json_t *o = ctx_doc_link(dc);
	SET(o, "stats", ctx_stats(&dc->stats));
	json_t *ch = json_array();
	bool seen = strmap_get(&w->seen, dc->key) != NULL, more = false;
	w->nodes++;
	if (!seen) {
		strmap_put(&w->seen, dc->key, (void *)dc);
		for (size_t i = 0; i < dc->ndown; i++) {
			if (depth >= TREE_DEPTH || w->nodes >= w->limit) {
				more = true;
				break;
			}
			json_array_append_new(ch, tree_node(dc->down[i], depth + 1, w));
		}
	}
	SET(o, "children", ch);
	SET(o, "has_children", json_boolean(json_array_size(ch) > 0));
	SET(o, "seen", json_boolean(seen && dc->ndown > 0));
	SET(o, "more", json_boolean(more));
	return o;
}

json_t *ctx_doc_tree(const doc_t *dc, int depth)
{
	struct tree_walk w = { STRMAP_INIT, 0, TREE_NODES };
	json_t *o = tree_node(dc, depth, &w);
	strmap_free(&w.seen);
	return o;
}

/* Every plan implementing a document, directly or through other documents,
 * each once, in the site's plan order: the plans its figures are rolled up
 * from. */
const plan_t **ctx_doc_plans(const site_t *s, const doc_t *dc, size_t *count)
{
	strmap_t seen = STRMAP_INIT;
	size_t n = 0, cap = 16;
	const doc_t **stack = xmalloc(cap * sizeof *stack);
	strmap_put(&seen, dc->key, (void *)dc);
	stack[n++] = dc;
	while (n) {
		const doc_t *d = stack[--n];
		for (size_t i = 0; i < d->ndown; i++) {
			const doc_t *c = d->down[i];
			if (strmap_get(&seen, c->key))
				continue;
			strmap_put(&seen, c->key, (void *)c);
			if (n == cap) {
				cap *= 2;
				stack = xrealloc(stack, cap * sizeof *stack);
			}
			stack[n++] = c;
		}
	}
	free(stack);
	const plan_t **v = xmalloc((s->nplans + 1) * sizeof *v);
	*count = 0;
	for (size_t i = 0; i < s->nplans; i++) {
		const doc_t *pd = s->plans[i]->doc;
		if (pd && pd != dc && strmap_get(&seen, pd->key) == pd)
			v[(*count)++] = s->plans[i];
	}
	strmap_free(&seen);
	return v;
}

json_t *ctx_doc_full(const site_t *s, const doc_t *dc)
{
	json_t *o = ctx_doc_link(dc);
	SET(o, "issuer", jstr_nocheck(dc->issuer));
	SET(o, "date", ctx_date_iso(dc->date));
	SET(o, "date_vi", ctx_date_vi(dc->date));
	SET(o, "link", jstr_nocheck(dc->link));
	json_t *up = json_array();
	for (size_t i = 0; i < dc->nup; i++)
		json_array_append_new(up, ctx_doc_link(dc->up[i]));
	SET(o, "implements", up);
	SET(o, "has_implements", json_boolean(dc->nup > 0));
	json_t *ch = json_array();
	struct tree_walk w = { STRMAP_INIT, 0, TREE_NODES };
	strmap_put(&w.seen, dc->key, (void *)dc);
	for (size_t i = 0; i < dc->ndown && w.nodes < TREE_NODES; i++)
		json_array_append_new(ch, tree_node(dc->down[i], 1, &w));
	strmap_free(&w.seen);
	SET(o, "implemented_by", ch);
	SET(o, "has_implemented_by", json_boolean(dc->ndown > 0));
	SET(o, "stats", ctx_stats(&dc->stats));
	SET(o, "chain", chain(s, dc));
	json_t *al = json_array();
	for (size_t i = 0; i < dc->naliases; i++)
		json_array_append_new(al, json_string(dc->aliases[i]));
	SET(o, "aliases", al);
	return o;
}

json_t *ctx_cascade(const site_t *s)
{
	/* one page: each document once across all the roots' trees, to the
	 * depth limit and the page's node budget (a root past it is shown
	 * with "more": its own page goes on; every plan is also on the plans
	 * pages) */
	json_t *a = json_array();
	struct tree_walk w = { STRMAP_INIT, 0, TREE_NODES };
	for (size_t i = 0; i < s->ndocs; i++)
		if (!s->docs[i]->nup && s->docs[i]->ndown)
			json_array_append_new(a, tree_node(s->docs[i], 0, &w));
	strmap_free(&w.seen);
	/* documents connected to nothing still appear, at the end */
	for (size_t i = 0; i < s->ndocs; i++)
		if (!s->docs[i]->nup && !s->docs[i]->ndown)
			json_array_append_new(a, ctx_doc_tree(s->docs[i], 0));
	return a;
}

json_t *ctx_unit_tree(const unit_t *u, int depth)
{
	json_t *o = unit_ref_new(u, NULL);
	SET(o, "kind", jstr_nocheck(u->kind));
	json_t *lead = json_object(), *support = json_object();
	SET(lead, "stats", ctx_stats(&u->lead_stats));
	SET(support, "stats", ctx_stats(&u->support_stats));
	SET(o, "lead", lead);
	SET(o, "support", support);
	SET(o, "totals", ctx_unit_totals(u));
	json_t *ch = json_array();
	if (depth < 32)
		for (size_t i = 0; i < u->nchildren; i++)
			json_array_append_new(ch, ctx_unit_tree(u->children[i], depth + 1));
	SET(o, "children", ch);
	SET(o, "has_children", json_boolean(u->nchildren > 0));
	return o;
}

json_t *ctx_params(const ynode_t *n)
{
	if (!n)
		return json_null();
	switch (n->kind) {
	case YNODE_SCALAR: {
		if (!n->plain)
			return json_string(n->str);
		if (ynode_is_null(n))
			return json_null();
		if (!strcmp(n->str, "true"))
			return json_true();
		if (!strcmp(n->str, "false"))
			return json_false();
		char *end;
		long long v = strtoll(n->str, &end, 10);
		if (*n->str && !*end)
			return json_integer(v);
		return json_string(n->str);
	}
	case YNODE_SEQ: {
		json_t *a = json_array();
		for (size_t i = 0; i < n->n; i++)
			json_array_append_new(a, ctx_params(n->kids[i]));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (size_t i = 0; i < n->n; i++) {
			const ynode_t *k = ynode_key(n, i);
			if (k->kind == YNODE_SCALAR)
				SET(o, k->str, ctx_params(ynode_val(n, i)));
		}
		return o;
	}
	}
}
