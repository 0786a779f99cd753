/* xref.c: cross-references, the units half: the unit registry, scoped
 * name resolution and slugs, and xref_resolve, which runs every step in
 * order (the documents half is xref_docs.c). */
#include "xref.h"
#include "xref_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "docnum.h"
#include "hash.h"
#include "text.h"

/* Several registered units may share a name ("Văn phòng"). */
struct cand {
	unit_t *unit;
	struct cand *next;
};


static char *key_in(arena_t *a, const char *s)
{
	char *k = text_name_key(s);
	char *r = arena_strdup(a, k);
	free(k);
	return r;
}

char *xref_numkey(arena_t *a, const char *s)
{
	char *k = text_docnum_key(s);
	char *r = arena_strdup(a, k);
	free(k);
	return r;
}

/* The name key of s, computed once per distinct spelling: a portal names
 * the same few hundred units tens of thousands of times. */
static const char *cached_key(struct xref *x, const char *s)
{
	const char *k = strmap_get(&x->keys, s);
	if (!k) {
		k = key_in(x->a, s);
		strmap_put(&x->keys, arena_strdup(x->a, s), (void *)k);
	}
	return k;
}

/* cached_key of a text that stays where it is while xref runs (a model's
 * value, not a buffer reused): looked up by its address first.  Names in
 * the model are one copy per distinct text per parse worker, so 81,000
 * unit references at 1k plans are a few hundred addresses; hashing each
 * one's bytes in x->keys was 26M instructions of xref's 240M. */
static const char *kept_key(struct xref *x, const char *s)
{
	void **k = addrmap_slot(&x->tkeys, s);
	if (!*k)
		*k = (void *)cached_key(x, s);
	return *k;
}

/* The name key with its diacritics folded ("so tai chinh"), once per key. */
static const char *folded_key(struct xref *x, const char *key)
{
	const char *f = strmap_get(&x->folds, key);
	if (!f) {
		char *t = text_search_fold(key);
		f = arena_strdup(x->a, t);
		free(t);
		strmap_put(&x->folds, arena_strdup(x->a, key), (void *)f);
	}
	return f;
}

static void add_cand(arena_t *a, strmap_t *map, const char *key, unit_t *u)
{
	struct cand *c = strmap_get(map, key);
	for (struct cand *p = c; p; p = p->next)
		if (p->unit == u)
			return;
	struct cand *n = arena_alloc(a, sizeof(*n));
	n->unit = u;
	n->next = NULL;
	if (!c) {
		strmap_put(map, key, n);
		return;
	}
	while (c->next)
		c = c->next;
	c->next = n;
}

static void push_unit(struct xref *x, site_t *s, unit_t *u)
{
	ARENA_PUSH(x->a, s->units, s->nunits, s->capunits, u);
}


const rfile_t *xref_find_file(const snap_t *snap, const char *rel)
{
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->files[i].rel, rel))
			return &snap->files[i];
	return NULL;
}

const ynode_t *xref_load_list(arena_t *a, diag_t *d, const rfile_t *f)
{
	ynode_t *root = NULL;
	if (!f || fm_check_utf8(d, f->path, f->data, f->len) < 0 ||
	    yml_parse(a, d, f->path, f->data, f->len, 0, &root) < 0 || !root)
		return NULL;
	if (root->kind != YNODE_SEQ) {
		diag_error_fix(d, &root->loc, "E052", _("mỗi mục một dòng bắt đầu bằng \"- \""),
			       _("%s phải là một danh sách"), f->rel);
		return NULL;
	}
	return root;
}

const char *xref_sval(arena_t *a, diag_t *d, const ynode_t *m, const char *k)
{
	const char *s = model_scalar(d, ynode_get(m, k), k);
	return s && *s ? arena_strdup(a, s) : NULL;
}

const char **xref_list_of(arena_t *a, diag_t *d, const ynode_t *n, size_t *cnt)
{
	*cnt = 0;
	if (!n || ynode_is_null(n))
		return NULL;
	size_t max = n->kind == YNODE_SEQ ? n->n : 1;
	const char **v = arena_alloc(a, (max + 1) * sizeof(*v));
	for (size_t i = 0; i < max; i++) {
		const char *s = model_scalar(d, n->kind == YNODE_SEQ ? n->kids[i] : n, "value");
		if (s && *s)
			v[(*cnt)++] = s;
	}
	return v;
}

static void load_units(arena_t *a, diag_t *d, site_t *s, struct xref *x, const snap_t *snap)
{
	const ynode_t *root = xref_load_list(a, d, xref_find_file(snap, "units.yaml"));
	if (!root)
		return;
	static const char *const kinds[] = { "agency", "department", "collective", NULL };
	for (size_t i = 0; i < root->n; i++) {
		const ynode_t *m = root->kids[i];
		if (m->kind != YNODE_MAP) {
			diag_error_fix(d, &m->loc, "E053",
				       _("viết \"- id: ...\" và \"name: ...\" thụt vào thẳng cột với id"),
				       _("mỗi đơn vị phải là một nhóm khoá (id, name, aliases, parent, kind)"));
			continue;
		}
		unit_t *u = arena_alloc(a, sizeof(*u));
		u->loc = m->loc;
		u->registered = true;
		u->id = xref_sval(a, d, m, "id");
		u->name = xref_sval(a, d, m, "name");
		u->kind = xref_sval(a, d, m, "kind");
		u->parent_id = xref_sval(a, d, m, "parent");
		if (u->parent_id)
			u->parent_loc = ynode_get(m, "parent")->loc;
		u->aliases = xref_list_of(a, d, ynode_get(m, "aliases"), &u->naliases);
		if (!u->id || !u->name) {
			diag_error_fix(d, &m->loc, "E054", _("thêm \"id: ...\" và \"name: ...\""),
				       _("đơn vị cần có id và name"));
			continue;
		}
		char *sl = text_slug(u->id);
		if (strcmp(sl, u->id))
			diag_error_fix(d, &ynode_get(m, "id")->loc, "E055",
				       diag_str(d, _("viết \"id: %s\""), sl),
				       _("id đơn vị \"%s\" chỉ được gồm chữ thường không dấu, chữ số và dấu '-'"),
				       u->id);
		free(sl);
		if (u->kind) {
			const char *const *k;
			for (k = kinds; *k && strcmp(*k, u->kind); k++)
				;
			if (!*k)
				diag_error_fix(d, &ynode_get(m, "kind")->loc, "E056",
					       _("viết agency, department hoặc collective"),
					       _("loại đơn vị \"%s\" không hợp lệ"), u->kind);
		}
		unit_t *prev = strmap_get(&x->units_by_id, u->id);
		if (prev) {
			diag_error_fix(d, &ynode_get(m, "id")->loc, "E057", _("đặt cho mỗi đơn vị một id riêng"),
				       _("id đơn vị \"%s\" bị trùng (đã có ở dòng %d)"), u->id,
				       prev->loc.line);
			continue;
		}
		strmap_put(&x->units_by_id, u->id, u);
		u->key = key_in(a, u->name);
		add_cand(a, &x->units_by_key, u->key, u);
		add_cand(a, &x->units_by_fold, folded_key(x, u->key), u);
		for (size_t j = 0; j < u->naliases; j++) {
			const char *k = key_in(a, u->aliases[j]);
			add_cand(a, &x->units_by_key, k, u);
			add_cand(a, &x->units_by_fold, folded_key(x, k), u);
		}
		push_unit(x, s, u);
	}
	/* parents, then cycles among them */
	for (size_t i = 0; i < s->nunits; i++) {
		unit_t *u = s->units[i];
		if (!u->parent_id)
			continue;
		u->parent = strmap_get(&x->units_by_id, u->parent_id);
		if (!u->parent)
			diag_error_fix(d, &u->parent_loc, "E058", _("viết id của một đơn vị có trong units.yaml"),
				       _("đơn vị \"%s\": đơn vị cấp trên \"%s\" không có trong units.yaml"),
				       u->id, u->parent_id);
	}
	for (size_t i = 0; i < s->nunits; i++) {
		unit_t *u = s->units[i];
		size_t steps = 0;
		for (unit_t *p = u->parent; p; p = p->parent) {
			if (p == u || ++steps > s->nunits) {
				diag_error_fix(d, &u->loc, "E059", _("sửa \"parent\" để các đơn vị không vòng lại nhau"),
					       _("đơn vị \"%s\" là cấp trên của chính nó (vòng parent)"), u->id);
				u->parent = NULL;
				break;
			}
		}
	}
	for (size_t i = 0; i < s->nunits; i++) {
		unit_t *u = s->units[i];
		if (u->parent)
			ARENA_PUSH(x->a, u->parent->children, u->parent->nchildren, u->parent->capchildren, u);
	}
}

static int is_under(const unit_t *u, const unit_t *scope)
{
	for (const unit_t *p = u->parent; p; p = p->parent)
		if (p == scope)
			return 1;
	return 0;
}

/* Scoped resolution: the nearest enclosing scope of the issuer that has a
 * sub-unit of this name wins; then a unit of that name site-wide. */
/* A child of sc whose name is the bare name followed by a qualifier:
 * "Văn phòng" in an agency's plan is its "Văn phòng Sở ...".  Only a unique
 * match counts. */
static unit_t *prefix_child(const unit_t *sc, const char *key)
{
	size_t n = strlen(key);
	unit_t *found = NULL;
	for (size_t i = 0; i < sc->nchildren; i++) {
		unit_t *ch = sc->children[i];
		if (!strncmp(ch->key, key, n) && ch->key[n] == ' ') {
			if (found)
				return NULL;
			found = ch;
		}
	}
	return found;
}

/* Scoped resolution: the nearest enclosing scope of the issuer (the issuer,
 * then its parents) that has a unit of this name, or a child named by it
 * with a qualifier, wins; then a unit of that name site-wide. */
static unit_t *lookup(struct xref *x, const char *key, const unit_t *scope, int *ambiguous)
{
	*ambiguous = 0;
	struct cand *c = strmap_get(&x->units_by_key, key);
	for (const unit_t *sc = scope; sc; sc = sc->parent) {
		for (struct cand *p = c; p; p = p->next)
			if (p->unit == sc || is_under(p->unit, sc))
				return p->unit;
		unit_t *q = prefix_child(sc, key);
		if (q)
			return q;
	}
	if (!c)
		return NULL;
	if (!c->next)
		return c->unit;
	/* site-wide: a top-level unit of that name, else the first one */
	for (struct cand *p = c; p; p = p->next)
		if (!p->unit->parent)
			return p->unit;
	*ambiguous = 1;
	return c->unit;
}

static size_t memo_slot(const struct xref *x, const char *key, const unit_t *scope)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15u ^
		     (uint64_t)(uintptr_t)scope * 0xC2B2AE3D27D4EB4Fu;
	size_t i = (size_t)(h >> 32 ^ h) & (x->capmemo - 1);
	while (x->memo[i].key && (x->memo[i].key != key || x->memo[i].scope != scope))
		i = (i + 1) & (x->capmemo - 1);
	return i;
}

/* lookup, remembered: its answer depends only on the registry, which
 * does not change while the plans are resolved.  key is a cached_key
 * (one pointer per spelling). */
static unit_t *lookup_memo(struct xref *x, const char *key, const unit_t *scope, int *ambiguous)
{
	if (2 * (x->nmemo + 1) > x->capmemo) {
		struct xref_memo *old = x->memo;
		size_t oldcap = x->capmemo;
		x->capmemo = oldcap ? 2 * oldcap : 1024;
		x->memo = xcalloc(x->capmemo, sizeof(*x->memo));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].key)
				x->memo[memo_slot(x, old[i].key, old[i].scope)] = old[i];
		free(old);
	}
	size_t i = memo_slot(x, key, scope);
	if (!x->memo[i].key) {
		unit_t *u = lookup(x, key, scope, ambiguous);
		x->memo[i] = (struct xref_memo){ scope, key, u, *ambiguous };
		x->nmemo++;
	}
	*ambiguous = x->memo[i].ambiguous;
	return x->memo[i].unit;
}

/* The registered name closest to key, for "did you mean"; the keys of
 * all registered names are computed once per build. */
static const char *closest_name(struct xref *x, const site_t *s, const char *key)
{
	if (!x->names) {
		size_t n = 0;
		for (size_t i = 0; i < s->nunits; i++)
			n += 1 + s->units[i]->naliases;
		x->names = arena_alloc(x->a, (n + 1) * sizeof(*x->names));
		x->namekeys = arena_alloc(x->a, (n + 1) * sizeof(*x->namekeys));
		for (size_t i = 0; i < s->nunits; i++) {
			const unit_t *u = s->units[i];
			if (!u->registered)
				continue;
			for (size_t j = 0; j <= u->naliases; j++) {
				const char *nm = j == 0 ? u->name : u->aliases[j - 1];
				x->names[x->nnames] = nm;
				x->namekeys[x->nnames] = folded_key(x, key_in(x->a, nm));
				x->nnames++;
			}
		}
	}
	/* distances without diacritics: a name with a missing mark and one
	 * wrong letter is one letter away from the registered name */
	const char *fkey = folded_key(x, key);
	size_t best = (size_t)-1;
	const char *found = NULL;
	for (size_t i = 0; i < x->nnames; i++) {
		size_t dist = text_distance(fkey, x->namekeys[i]);
		if (dist < best) {
			best = dist;
			found = x->names[i];
		}
	}
	/* only suggest what is plausibly a misspelling */
	return found && best <= strlen(fkey) / 3 + 1 ? found : NULL;
}

static unit_t *unregistered(arena_t *a, site_t *s, struct xref *x, const char *name, const char *key,
			    const loc_t *loc)
{
	unit_t *u = strmap_get(&x->unreg, key);
	if (u)
		return u;
	u = arena_alloc(a, sizeof(*u));
	u->name = name;
	u->loc = *loc;          /* its first use: where messages about it point */
	u->key = key;
	u->registered = false;
	strmap_put(&x->unreg, key, u);
	push_unit(x, s, u);
	return u;
}

/* The registered unit a name means once diacritics are disregarded: the
 * one unit of that folded name in the nearest scope of the issuer that has
 * any, else the only one site-wide.  NULL when none or several match; *cands
 * is then the list of those that match (NULL when none). */
static unit_t *lookup_fold(struct xref *x, const char *key, const unit_t *scope,
			   const struct cand **cands)
{
	const struct cand *c = strmap_get(&x->units_by_fold, folded_key(x, key));
	*cands = c;
	for (const unit_t *sc = scope; sc && c; sc = sc->parent) {
		unit_t *found = NULL;
		int n = 0;
		for (const struct cand *p = c; p; p = p->next)
			if (p->unit == sc || is_under(p->unit, sc)) {
				found = p->unit;
				n++;
			}
		if (n == 1)
			return found;
		if (n > 1)
			return NULL;
	}
	return c && !c->next ? c->unit : NULL;
}

/* r is written in the file at path. */
static void resolve_one(arena_t *a, diag_t *d, site_t *s, struct xref *x, uref_t *r,
			const char *path, const unit_t *scope)
{
	loc_t loc = model_loc(path, r->at);
	const char *key = kept_key(x, r->text);
	int amb;
	r->unit = lookup_memo(x, key, scope, &amb);
	if (r->unit) {
		if (amb)
			diag_warning_fix(d, &loc, "W030", _("viết đúng tên đầy đủ của đơn vị"),
					 _("\"%s\" trùng tên với nhiều đơn vị; dùng %s (%s)"), r->text,
					 r->unit->name, r->unit->id);
		return;
	}
	if (x->units_by_id.n) {
		/* "So Tai chinh" for "Sở Tài chính": counted for that unit, so
		 * the unit keeps its task and no second unit page appears */
		const struct cand *c;
		unit_t *u = lookup_fold(x, key, scope, &c);
		if (u) {
			r->unit = u;
			diag_warning_fix(d, &loc, "W036", diag_str(d, _("viết đúng \"%s\""), u->name),
					 _("đơn vị \"%s\" không có trong units.yaml; bỏ dấu thì trùng với \"%s\" (%s) nên được tính cho đơn vị này"),
					 r->text, u->name, u->id);
			return;
		}
		if (c) {
			buf_t b = BUF_INIT;
			for (const struct cand *p = c; p; p = p->next)
				buf_printf(&b, "%s\"%s\" (%s)", p == c ? "" : ", ", p->unit->name,
					   p->unit->id);
			diag_warning_fix(d, &loc, "W037",
					 _("viết đúng tên có dấu của đơn vị chủ trì hoặc phối hợp"),
					 _("đơn vị \"%s\" không có trong units.yaml; bỏ dấu thì trùng với nhiều đơn vị: %s, nên chưa được tính cho đơn vị nào"),
					 r->text, b.ptr);
			buf_free(&b);
			r->unit = unregistered(a, s, x, r->text, key, &loc);
			return;
		}
	}
	r->unit = unregistered(a, s, x, r->text, key, &loc);
	if (!x->units_by_id.n)
		return;   /* no registry: nothing to warn about */
	/* the suggestion is computed once per distinct name */
	if (!r->unit->suggested) {
		r->unit->suggestion = closest_name(x, s, key);
		r->unit->suggested = true;
	}
	const char *near = r->unit->suggestion;
	if (near)
		diag_warning_fix(d, &loc, "W031", diag_str(d, _("có phải \"%s\"?"), near),
				 _("đơn vị \"%s\" không có trong units.yaml"), r->text);
	else
		diag_warning_fix(d, &loc, "W032", _("thêm đơn vị vào units.yaml hoặc viết tên đã đăng ký"),
				 _("đơn vị \"%s\" không có trong units.yaml"), r->text);
}

/* `[Các sở, ban, ngành]` is three items in YAML; when consecutive items
 * joined with ", " make a registered name, the editor meant that name. */
static void resolve_list(arena_t *a, diag_t *d, site_t *s, struct xref *x, urefs_t *l,
			 const char *path, const unit_t *scope)
{
	size_t out = 0;
	for (size_t i = 0; i < l->n;) {
		if (i + 1 == l->n) {
			/* the last (or only) name: nothing after it to join */
			uref_t r = l->v[i];
			resolve_one(a, d, s, x, &r, path, scope);
			l->v[out++] = r;
			break;
		}
		size_t best = 0;
		unit_t *bu = NULL;
		buf_t b = BUF_INIT;
		buf_puts(&b, l->v[i].text);
		for (size_t j = i + 1; j < l->n && j < i + 8; j++) {
			buf_puts(&b, ", ");
			buf_puts(&b, l->v[j].text);
			const char *k = cached_key(x, b.ptr);
			int amb;
			unit_t *u = lookup_memo(x, k, scope, &amb);
			if (u) {
				best = j;
				bu = u;
			}
		}
		if (bu) {
			buf_clear(&b);
			for (size_t j = i; j <= best; j++) {
				if (j > i)
					buf_puts(&b, ", ");
				buf_puts(&b, l->v[j].text);
			}
			loc_t loc = model_loc(path, l->v[i].at);
			diag_warning_fix(d, &loc, "W033",
					 diag_str(d, _("đặt tên trong ngoặc kép: \"%s\""), b.ptr),
					 _("các mục này ghép lại thành tên đơn vị \"%s\" (dấu phẩy tách danh sách)"),
					 bu->name);
			uref_t r = { arena_strdup(a, b.ptr), bu, l->v[i].at };
			l->v[out++] = r;
			i = best + 1;
		} else {
			uref_t r = l->v[i];
			resolve_one(a, d, s, x, &r, path, scope);
			l->v[out++] = r;
			i++;
		}
		buf_free(&b);
	}
	l->n = out;
}

/* The sort key of a unit pointer: its name (Vietnamese order). */
static const char *unit_name(const void *p)
{
	return (*(unit_t *const *)p)->name;
}

static const char *doc_number(const void *p)
{
	return (*(doc_t *const *)p)->number;
}

/* Gives each item a slug in `ns`; the second and later users of one slug get
 * -2, -3 ... in the (deterministic) order items come. */
static const char *unique_slug(arena_t *a, diag_t *d, strmap_t *ns, const char *want,
			       const char *what, const loc_t *loc)
{
	const char *base = *want ? want : "x";
	const char *slug = arena_strdup(a, base);
	const char *first = strmap_get(ns, slug);
	/* the next number to try for this base is kept under "#base" (no slug
	 * has a '#'), so a thousand names with one slug cost a thousand tries,
	 * not half a million */
	const char *nk = first ? arena_printf(a, "#%s", base) : NULL;
	intptr_t n = nk ? (intptr_t)strmap_get(ns, nk) : 0;
	if (first) {
		for (n = n ? n : 2; strmap_get(ns, slug = arena_printf(a, "%s-%d", base, (int)n)); n++)
			;
		strmap_put(ns, nk, (void *)(n + 1));
	}
	if (first)
		diag_warning_fix(d, loc, "W034", _("đổi tên hoặc id để mỗi trang có địa chỉ riêng"),
				 _("%s trùng địa chỉ \"%s\" với %s; dùng \"%s\""), what, base, first,
				 slug);
	strmap_put(ns, slug, (void *)arena_strdup(a, what));
	return slug;
}

/* Whether l's unit k is one of its units before k: a task is in a unit's
 * list once however often it names the unit. */
static bool named_before(const urefs_t *l, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (l->v[i].unit == l->v[k].unit)
			return true;
	return false;
}

/* Counts a task of plan p in the units of l (led or supported), each
 * once, and p in their plans. */
static void count_units(const plan_t *p, const urefs_t *l, bool lead)
{
	for (size_t k = 0; k < l->n; k++) {
		unit_t *u = l->v[k].unit;
		if (u->plan_last != p->rank) {
			u->plan_last = p->rank;
			u->nplan_ranks++;
		}
		if (!named_before(l, k)) {
			if (lead)
				u->nled++;
			else
				u->nsupported++;
		}
	}
}

/* Adds plan p to the plans of the units of l, each once. */
static void add_plan_ranks(const plan_t *p, const urefs_t *l)
{
	for (size_t k = 0; k < l->n; k++) {
		unit_t *u = l->v[k].unit;
		if (u->plan_last != p->rank) {
			u->plan_last = p->rank;
			u->plan_ranks[u->nplan_ranks++] = p->rank;
		}
	}
}

/* Adds r's name to a plan's names (plan_uname_t) unless it is there. */
static void add_uname(buf_t *names, const uref_t *r)
{
	uint64_t h = hash_str(r->text);
	const plan_uname_t *v = (const plan_uname_t *)(void *)names->ptr;
	for (size_t i = 0, n = names->len / sizeof(*v); i < n; i++)
		if (v[i].hash == h && !strcmp(v[i].text, r->text))
			return;
	plan_uname_t one = { h, r->text, r->unit };
	buf_put(names, (const char *)&one, sizeof one);
}

/* Units of every plan, scoped by the plan's issuer; each unit learns the
 * plans it issued and the tasks it leads and supports. */
static void resolve_plan_units(arena_t *a, diag_t *d, site_t *s, struct xref *x)
{
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		const unit_t *scope = NULL;
		if (p->has_issuer) {
			resolve_one(a, d, s, x, &p->issuer, p->path, NULL);
			scope = p->issuer.unit;
			unit_t *iu = p->issuer.unit;
			ARENA_PUSH(x->a, iu->issued, iu->nissued, iu->capissued, p);
		}
		for (size_t j = 0; j < p->ntasks; j++) {
			task_t *t = &p->tasks[j];
			resolve_list(a, d, s, x, &t->lead, p->path, scope);
			resolve_list(a, d, s, x, &t->support, p->path, scope);
			count_units(p, &t->lead, true);
			count_units(p, &t->support, false);
		}
		for (size_t j = 0; j < p->nindicators; j++)
			if (p->indicators[j].has_owner)
				resolve_one(a, d, s, x, &p->indicators[j].owner, p->path, scope);
	}
	/* each unit's lists at their size: doubling arrays in the arena kept
	 * every smaller copy (a million task pointers at 10,000 plans, twice) */
	for (size_t i = 0; i < s->nunits; i++) {
		unit_t *u = s->units[i];
		u->led = u->nled ? arena_alloc(x->a, u->nled * sizeof(*u->led)) : NULL;
		u->supported = u->nsupported ? arena_alloc(x->a, u->nsupported * sizeof(*u->supported)) : NULL;
		u->capled = u->nled;
		u->capsup = u->nsupported;
		u->nled = u->nsupported = 0;
		u->plan_ranks = u->nplan_ranks ? arena_alloc(x->a, u->nplan_ranks * sizeof(*u->plan_ranks)) : NULL;
		u->nplan_ranks = 0;
		u->plan_last = 0;
	}
	buf_t names = BUF_INIT;
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		buf_clear(&names);
		for (size_t j = 0; j < p->ntasks; j++) {
			task_t *t = &p->tasks[j];
			for (size_t k = 0; k < t->lead.n; k++) {
				unit_t *u = t->lead.v[k].unit;
				if (!named_before(&t->lead, k))
					u->led[u->nled++] = t;
				add_uname(&names, &t->lead.v[k]);
			}
			for (size_t k = 0; k < t->support.n; k++) {
				unit_t *u = t->support.v[k].unit;
				if (!named_before(&t->support, k))
					u->supported[u->nsupported++] = t;
				add_uname(&names, &t->support.v[k]);
			}
			add_plan_ranks(p, &t->lead);
			add_plan_ranks(p, &t->support);
		}
		p->nunames = names.len / sizeof(plan_uname_t);
		p->unames = p->nunames ? arena_alloc(x->a, names.len) : NULL;
		if (p->nunames)
			memcpy(p->unames, names.ptr, names.len);
	}
	buf_free(&names);
}

/* Units and documents in display order, and every slug and URL. */
static void assign_slugs(arena_t *a, diag_t *d, site_t *s)
{
	/* the names and numbers stay where they are until the end */
	coll_keys_t *keys = coll_keys_new();
	coll_sort_keys(keys, s->units, s->nunits, sizeof(unit_t *), unit_name);
	for (size_t i = 0; i < s->nunits; i++)
		coll_sort_keys(keys, s->units[i]->children, s->units[i]->nchildren, sizeof(unit_t *),
			       unit_name);
	strmap_t ns = STRMAP_INIT;
	/* registered units keep their ids; others share what is left */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->nunits; i++) {
			unit_t *u = s->units[i];
			if (u->registered != (pass == 0))
				continue;
			char *want = text_slug(u->registered ? u->id : u->name);
			u->slug = unique_slug(a, d, &ns, want, u->name, &u->loc);
			free(want);
			u->url = routes_url_in(a, &s->routes, ROUTE_UNITS, u->slug);
			if (!u->id)
				u->id = u->slug;
		}
	strmap_free(&ns);
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		char *want = text_slug(p->number ? p->number : p->id);
		p->slug = unique_slug(a, d, &ns, want, p->path, &p->loc);
		free(want);
		p->url = routes_url_in(a, &s->routes, ROUTE_PLANS, p->slug);
	}
	strmap_free(&ns);
	coll_sort_keys(keys, s->docs, s->ndocs, sizeof(doc_t *), doc_number);
	for (size_t i = 0; i < s->ndocs; i++) {
		doc_t *dc = s->docs[i];
		if (dc->plan) {
			dc->slug = dc->plan->slug;
			dc->url = dc->plan->url;
			continue;
		}
		char *want = text_slug(dc->number);
		dc->slug = unique_slug(a, d, &ns, want, dc->number, &dc->loc);
		free(want);
		dc->url = routes_url_in(a, &s->routes, ROUTE_DOCUMENTS, dc->slug);
	}
	strmap_free(&ns);
	for (size_t i = 0; i < s->ndocs; i++)
		coll_sort_keys(keys, s->docs[i]->down, s->docs[i]->ndown, sizeof(doc_t *), doc_number);
	coll_keys_free(keys);
}

/* Frees the tables of the resolution; the documents table stays with the
 * site (body text links numbers to documents). */
static void tables_free(struct xref *x, site_t *s)
{
	strmap_free(&x->units_by_key);
	strmap_free(&x->units_by_fold);
	strmap_free(&x->folds);
	strmap_free(&x->near_of);
	strmap_free(&x->units_by_id);
	strmap_free(&x->unreg);
	strmap_free(&x->keys);
	addrmap_free(&x->tkeys);
	free(x->memo);
	s->docs_by_key = x->docs_by_key;
}

void xref_resolve(arena_t *a, diag_t *d, site_t *s, const snap_t *snap)
{
	struct xref *x = arena_alloc(a, sizeof(*x));
	x->a = a;
	load_units(a, d, s, x, snap);
	xref_load_documents(a, d, s, x, snap);
	xref_plans_join(a, d, s, x);
	resolve_plan_units(a, d, s, x);
	xref_link_implements(a, d, s, x);
	xref_scan_numbers(d, s, x);
	xref_order_graph(d, s);
	assign_slugs(a, d, s);
	tables_free(x, s);
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i]->key && !strmap_get(&s->units_by_key, s->units[i]->key))
			strmap_put(&s->units_by_key, s->units[i]->key, s->units[i]);
}

doc_t *xref_find_doc(const site_t *s, const char *number)
{
	char *k = text_docnum_key(number);
	doc_t *dc = strmap_get(&s->docs_by_key, k);
	free(k);
	return dc;
}
