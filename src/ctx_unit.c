/* ctx_unit.c: units' figures as typed template records (tmpl.h): the
 * **unit totals** of themes/README.md, a unit page's sub-units and the
 * units index's tree, read from unit_t when a template asks (they were
 * jansson trees of some sixty values a unit, built and freed per page). */
#include "ctx.h"


static const tmpl_val_t missing = { .kind = TMPL_MISSING };

/* ---- unit totals (ctx_unit_totals) */

static tmpl_field_t totals_fields[] = {
	{ "led", TMPL_F_SCALAR, NULL, true },
	{ "supported", TMPL_F_SCALAR, NULL, true },
	{ "tasks", TMPL_F_SCALAR, NULL, true },
	{ "overdue", TMPL_F_SCALAR, NULL, true },
	{ "done", TMPL_F_SCALAR, NULL, true },
	{ "percent_done", TMPL_F_SCALAR, NULL, true },
	{ "issued_plans", TMPL_F_SCALAR, NULL, true },
	{ "issued_tasks", TMPL_F_SCALAR, NULL, true },
	{ "has_tasks", TMPL_F_SCALAR, NULL, true },
	{ "has_overdue", TMPL_F_SCALAR, NULL, true },
	{ "has_issued", TMPL_F_SCALAR, NULL, true },
	{ "stats", TMPL_F_REC, NULL, true },
	{ "lead_stats", TMPL_F_REC, NULL, true },
	{ "support_stats", TMPL_F_REC, NULL, true },
	{ "issued_stats", TMPL_F_REC, NULL, true },
};

static void totals_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const unit_t *u = rec;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_int(u->roll_lead.total); break;
	case 1: *out = tmpl_int(u->roll_support.total); break;
	case 2: *out = tmpl_int(u->roll_all.total); break;
	case 3: *out = tmpl_int(u->roll_all.overdue); break;
	case 4: *out = tmpl_int(u->roll_all.done); break;
	case 5: *out = tmpl_int(u->roll_all.percent_done); break;
	case 6: *out = tmpl_int((long long)u->nissued); break;
	case 7: *out = tmpl_int(u->issued_stats.total); break;
	case 8: *out = tmpl_bool(u->roll_all.total > 0); break;
	case 9: *out = tmpl_bool(u->roll_all.overdue > 0); break;
	case 10: *out = tmpl_bool(u->nissued > 0); break;
	case 11: *out = tmpl_rec(ctx_stats_type, &u->roll_all); break;
	case 12: *out = tmpl_rec(ctx_stats_type, &u->roll_lead); break;
	case 13: *out = tmpl_rec(ctx_stats_type, &u->roll_support); break;
	default: *out = tmpl_rec(ctx_stats_type, &u->issued_stats);
	}
}

static tmpl_type_t totals_type = { "unit_totals", totals_fields, 15, totals_get, NULL, 0, NULL, 0 };

/* ---- { stats }: a tree node's lead and support (a stats_t) */

static tmpl_field_t box_fields[] = {
	{ "stats", TMPL_F_REC, NULL, true },
};

static void box_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)i;
	(void)scratch;
	*out = tmpl_rec(ctx_stats_type, rec);
}

static tmpl_type_t box_type = { "stats_box", box_fields, 1, box_get, NULL, 0, NULL, 0 };

/* The names of a unit itself: { id, name, url, registered } (a unit ref
 * without "written"). */
static bool unit_own(const unit_t *u, size_t i, tmpl_val_t *out)
{
	switch (i) {
	case 0: *out = tmpl_str(u->id); return true;
	case 1: *out = tmpl_str(u->name); return true;
	case 2: *out = tmpl_str(u->url); return true;
	case 3: *out = tmpl_bool(u->registered); return true;
	default: return false;
	}
}

/* ---- a unit page's sub-unit: a unit ref + totals + has_children */

static const tmpl_field_t child_fields[] = {
	{ "id", TMPL_F_SCALAR, NULL, true },
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "url", TMPL_F_SCALAR, NULL, true },
	{ "registered", TMPL_F_SCALAR, NULL, true },
	{ "totals", TMPL_F_REC, &totals_type, true },
	{ "has_children", TMPL_F_SCALAR, NULL, true },
};

static void child_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const unit_t *u = rec;
	(void)scratch;
	if (unit_own(u, i, out))
		return;
	*out = i == 4 ? tmpl_rec(&totals_type, u) : tmpl_bool(u->nchildren > 0);
}

static tmpl_type_t child_type = { "unit_child", child_fields, 6, child_get, NULL, 0, NULL, 0 };

/* ---- a node of the units index (ctx_unit_tree) */

/* How far below a root u is: its ancestors, counted to TREE_DEPTH + 1 at
 * most (the tree shows children down to TREE_DEPTH). */
enum { TREE_DEPTH = 32 };
static int depth_of(const unit_t *u)
{
	int d = 0;
	for (const unit_t *p = u->parent; p && d <= TREE_DEPTH; p = p->parent)
		d++;
	return d;
}

static tmpl_type_t tree_type;

static const tmpl_field_t tree_fields[] = {
	{ "id", TMPL_F_SCALAR, NULL, true },
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "url", TMPL_F_SCALAR, NULL, true },
	{ "registered", TMPL_F_SCALAR, NULL, true },
	{ "kind", TMPL_F_SCALAR, NULL, true },
	{ "lead", TMPL_F_REC, &box_type, true },
	{ "support", TMPL_F_REC, &box_type, true },
	{ "totals", TMPL_F_REC, &totals_type, true },
	{ "children", TMPL_F_LIST, &tree_type, true },
	{ "has_children", TMPL_F_SCALAR, NULL, true },
};

static void tree_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const unit_t *u = rec;
	(void)scratch;
	if (unit_own(u, i, out))
		return;
	switch (i) {
	case 4: *out = tmpl_str(u->kind); break;
	case 5: *out = tmpl_rec(&box_type, &u->lead_stats); break;
	case 6: *out = tmpl_rec(&box_type, &u->support_stats); break;
	case 7: *out = tmpl_rec(&totals_type, u); break;
	case 8:
		/* 32 levels below a root at most, as ctx_unit_tree */
		*out = u->nchildren && depth_of(u) < TREE_DEPTH
			? tmpl_list(&tree_type, u->children, sizeof *u->children, u->nchildren, true)
			: tmpl_list(&tree_type, NULL, 0, 0, true);
		break;
	case 9: *out = tmpl_bool(u->nchildren > 0); break;
	default: *out = missing;
	}
}

static tmpl_type_t tree_type = { "unit_tree", tree_fields, 10, tree_get, NULL, 0, NULL, 0 };

void ctx_unit_types_register(void)
{
	for (size_t i = 11; i < 15; i++)
		totals_fields[i].type = ctx_stats_type;
	box_fields[0].type = ctx_stats_type;
	tmpl_type_register(&totals_type);
	tmpl_type_register(&box_type);
	tmpl_type_register(&child_type);
	tmpl_type_register(&tree_type);
}

tmpl_val_t ctx_unit_totals_val(const unit_t *u)
{
	return tmpl_rec(&totals_type, u);
}

tmpl_val_t ctx_unit_children(const unit_t *u)
{
	return tmpl_list(&child_type, u->nchildren ? u->children : NULL, sizeof *u->children, u->nchildren,
			 true);
}

const unit_t **ctx_unit_roots(const site_t *s, size_t *n)
{
	const unit_t **v = xmalloc((s->nunits + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < s->nunits; i++)
		if (!s->units[i]->parent)
			v[(*n)++] = s->units[i];
	return v;
}

tmpl_val_t ctx_unit_tree_list(const unit_t *const *v, size_t n)
{
	return tmpl_list(&tree_type, n ? v : NULL, sizeof *v, n, true);
}
