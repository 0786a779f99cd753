/* test_ctx.c: the typed template records of ctx_plan.c and ctx_unit.c give
 * a theme the same names and values as the jansson data they replace
 * (ctx_plan_summary, ctx_stats, ctx_unit_totals, a unit page's children,
 * ctx_unit_tree): every name of one is in the other, with the same value,
 * and templates render them alike, in task rows and on their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "model.h"
#include "render_int.h"
#include "theme.h"
#include "progress.h"
#include "xref.h"

#include "site_fixture.h"

#include "ctx_same.h"


/* Plans that take every branch of a summary: a number or an id only, a
 * short title, an issuer written as its name, written otherwise, or none,
 * a date or none, in force or superseded, all tasks "5 rõ" or not, a
 * field of the table a theme reads as a text (place). */
static const char *const files[][2] = {
	{ "units.yaml", "- { id: ubnd, name: UBND tỉnh }\n- { id: so-a, name: Sở Tài chính, parent: ubnd }\n"
			"- { id: so-b, name: Sở Nội vụ, parent: ubnd }\n- { id: p1, name: Phòng Một, parent: so-a }\n"
			"- { id: kho, name: Kho bạc }\n" },
	{ "plans/a.md", "---\nnumber: \"12/KH-UBND\"\nshort_title: Số hóa\ntitle: Kế hoạch số hóa <hồ sơ> & \"dữ liệu\"\n"
			"issuer: so tai chinh\ndate: 2025-03-12\nplace: Thái Nguyên\nstatus: superseded\ntasks:\n"
			"  - { id: \"1\", title: x, lead: Sở Tài chính, output: o, due: 30/06/2025, status: done, completed: 2025-06-01 }\n"
			"  - { id: \"2\", title: y, lead: Sở Nội vụ, output: o, due: 01/09/2025, progress: 40 }\n"
			"  - { id: \"3\", title: z, status: cancelled }\n---\nThân.\n" },
	{ "plans/b.md", "---\nid: khong-so\ntitle: U\ntasks:\n  - { id: \"1\", title: x, lead: Sở Nội vụ, support: [Phòng Một, Ban Mới] }\n"
			"  - { id: \"2\", title: y, lead: Ban Mới, due: 01/07/2025 }\n---\n" },
	{ "plans/c.md", "---\nnumber: \"7/KH-STC\"\ntitle: V\nissuer: Sở Tài chính\ndate: 2025-01-02\nstatus: in_force\n"
			"tasks:\n  - { id: \"1\", title: a, lead: Sở Tài chính, output: o, due: 31/12/2025 }\n---\n" },
	{ "plans/d.md", "---\nnumber: \"8/KH-SNV\"\ntitle: W\nissuer: Sở Nội vụ\n---\n" },
};

static void load_files(fixture_t *f, const char *const (*fv)[2], size_t n)
{
	fixture_load(f, fv, n, 20250801);
	assert_int_equal(diag_errors(f->d), 0);
}

static void load(fixture_t *f)
{
	load_files(f, files, sizeof files / sizeof files[0]);
	assert_int_equal(f->s->nplans, 4);
}

static int setup(void **state)
{
	(void)state;
	ctx_types_init();
	return 0;
}

/* The memo's task numbers (ctx_task_nums): every task of every plan
 * once, 0 to n - 1, plan after plan in the site's order; a task that is
 * not in its plan's array, none; a second table (a later build in one
 * process: serve) numbers afresh, whatever the thread looked up last. */
static void test_task_nums(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	size_t n, total = 0;
	ctx_task_nums_t *m = ctx_task_nums_new(f.s, &n);
	for (size_t i = 0; i < f.s->nplans; i++)
		total += f.s->plans[i]->ntasks;
	assert_int_equal(n, total);
	assert_true(n > 2);
	bool *seen = calloc(n, sizeof *seen);
	size_t next = 0;
	for (int round = 0; round < 2; round++)   /* the second: from the thread's last plan */
		for (size_t i = 0; i < f.s->nplans; i++)
			for (size_t j = 0; j < f.s->plans[i]->ntasks; j++) {
				size_t k = ctx_task_num(m, &f.s->plans[i]->tasks[j]);
				assert_true(k < n);
				if (!round) {
					assert_int_equal(k, next++);   /* in order */
					assert_false(seen[k]);
					seen[k] = true;
				}
			}
	const plan_t *p = f.s->plans[0]->ntasks ? f.s->plans[0] : f.s->plans[1];
	task_t copy = p->tasks[0];
	assert_int_equal(ctx_task_num(m, &copy), SIZE_MAX);
	/* a table of only the last plan: its first task is number 0 there */
	const plan_t *last = f.s->plans[f.s->nplans - 1];
	for (size_t i = f.s->nplans; i-- > 0 && !last->ntasks;)
		last = f.s->plans[i];
	assert_true(last->ntasks > 0);
	assert_true(ctx_task_num(m, &last->tasks[0]) > 0);
	site_t one = *f.s;
	const plan_t *only[] = { last };
	one.plans = (plan_t **)only;
	one.nplans = 1;
	size_t n1;
	ctx_task_nums_t *m1 = ctx_task_nums_new(&one, &n1);
	assert_int_equal(n1, last->ntasks);
	assert_int_equal(ctx_task_num(m1, &last->tasks[0]), 0);
	if (p != last)   /* a plan the table does not hold */
		assert_int_equal(ctx_task_num(m1, &p->tasks[0]), SIZE_MAX);
	ctx_task_nums_free(m1);
	ctx_task_nums_free(m);
	free(seen);
	unload(&f);
}

/* Every plan's typed summary is its jansson summary, name by name. */
static void test_plan_summary_names(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	for (size_t i = 0; i < f.s->nplans; i++) {
		const plan_t *p = f.s->plans[i];
		json_t *j = ctx_plan_summary(p);
		tmpl_val_t v = ctx_plan_val(p);
		same(p->slug, &v, j);
		json_decref(j);
	}
	/* the branches the fixture is for */
	const plan_t *a = f.s->plans[0];
	for (size_t i = 0; i < f.s->nplans; i++)
		if (!strcmp(f.s->plans[i]->slug, "12-kh-ubnd"))
			a = f.s->plans[i];
	json_t *j = ctx_plan_summary(a);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "issuer"), "written")),
			    "so tai chinh");
	assert_true(json_is_true(json_object_get(j, "is_superseded")));
	assert_false(json_is_true(json_object_get(json_object_get(j, "completeness"), "all")));
	json_decref(j);
	unload(&f);
}

/* The renderer's cache (ctx_cache_new) shares the references to units
 * and holds no plan summary: the pages that show the history name plans by
 * their typed summaries, and a jansson summary of every plan, held to the
 * end of the build for the few pages that still ask for one, was 36 MB at
 * 10,000 plans (issue #13).  Under the cache a summary is built when asked
 * for, each time, and is the one built without it. */
static void test_cache_holds_no_plan_summary(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	ctx_cache_t *c = ctx_cache_new(f.s);
	ctx_cache_use(c);
	for (size_t i = 0; i < f.s->nplans; i++) {
		const plan_t *p = f.s->plans[i];
		json_t *a = ctx_plan_summary(p), *b = ctx_plan_summary(p);
		assert_ptr_not_equal(a, b);
		assert_int_equal(a->refcount, 1);
		ctx_cache_use(NULL);
		json_t *fresh = ctx_plan_summary(p);
		ctx_cache_use(c);
		assert_true(json_equal(a, fresh));
		json_decref(a);
		json_decref(b);
		json_decref(fresh);
	}
	/* ... while a unit's reference is the cache's, shared */
	const unit_t *u = f.s->units[0];
	json_t *r1 = ctx_unit_ref(u, NULL), *r2 = ctx_unit_ref(u, NULL);
	assert_ptr_equal(r1, r2);
	json_decref(r1);
	json_decref(r2);
	ctx_cache_use(NULL);
	ctx_cache_free(c);
	unload(&f);
}

/* ctx_stats and the stats record, on a plan's figures and on zeros. */
static void test_stats_names(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	stats_t zero = { 0 };
	const stats_t *v[] = { &f.s->plans[0]->stats, &f.s->plans[1]->stats, &zero };
	for (size_t i = 0; i < 3; i++) {
		json_t *j = ctx_stats(v[i]);
		tmpl_val_t r = tmpl_rec(ctx_stats_type, v[i]);
		same("stats", &r, j);
		json_decref(j);
	}
	unload(&f);
}

/* Task rows with their plan render every name of the summary as the
 * jansson rows they replace did. */
static void test_rows_render_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	for (size_t i = 0; i < f.s->nplans; i++) {
		const plan_t *p = f.s->plans[i];
		if (!p->ntasks)
			continue;
		json_t *sum = ctx_plan_summary(p);
		buf_t src = BUF_INIT;
		buf_puts(&src, "{{#rows}}");
		probe_of(&src, "plan", sum, true);
		buf_puts(&src, "{{#plan}}{{name}}/{{#issuer}}{{name}}{{written}}{{/issuer}}{{#stats}}{{total}}{{/stats}}{{/plan}}"
			       "{{/rows}}");
		tmpl_set_t *set = tmpl_set_new();
		add_ok(set, "probe", src.ptr);
		tmpl_set_prepare(set);

		json_error_t jerr;
		tmpl_obj_t *o = tmpl_obj_new(json_loads("{\"outer\": \"O\"}", 0, &jerr));
		const task_t *tv[] = { &p->tasks[0] };
		tmpl_obj_set(o, "rows", ctx_rows(o, tv, 1, true, NULL, f.s));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = o;
		buf_t typed = BUF_INIT;
		assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &typed), 0);

		json_t *row = json_object();
		json_object_set(row, "plan", sum);
		json_t *data = json_pack("{s:s, s:[o]}", "outer", "O", "rows", row);
		buf_t want = BUF_INIT;
		assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
		assert_string_equal(typed.ptr, want.ptr);
		/* and the probe saw values, not a row of blanks */
		assert_non_null(strstr(typed.ptr, "plan.url=[/ke-hoach/"));
		assert_non_null(strstr(typed.ptr, "plan.stats.total=["));
		assert_non_null(strstr(typed.ptr, "outer=[O]"));

		buf_free(&want);
		buf_free(&typed);
		json_decref(data);
		json_decref(sum);
		tmpl_obj_free(o);
		tmpl_set_free(set);
		buf_free(&src);
	}
	unload(&f);
}

/* A list of summaries (a unit's issued plans) renders as the jansson
 * array did. */
static void test_plan_list_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	const char *src = "{{#plans}}<{{name}}|{{title}}|{{#issuer}}{{>ref}}{{/issuer}}|{{stats.percent_done}}"
			  "|{{completeness.percent}}|{{no_number}}|{{date_vi}}>{{/plans}}{{^plans}}none{{/plans}}";
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "list", src);
	add_ok(set, "ref", "{{#url}}<a href=\"{{url}}\">{{name}}</a>{{/url}}{{written}}");
	tmpl_set_prepare(set);
	for (size_t n = 0; n <= f.s->nplans; n += f.s->nplans) {
		tmpl_obj_t *o = tmpl_obj_new(NULL);
		tmpl_obj_set(o, "plans", ctx_plan_list((const plan_t *const *)f.s->plans, n));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = o;
		buf_t typed = BUF_INIT;
		assert_int_equal(tmpl_render_val(set, "list", root, NULL, &typed), 0);
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, ctx_plan_summary(f.s->plans[i]));
		json_t *data = json_pack("{s:o}", "plans", a);
		buf_t want = BUF_INIT;
		assert_int_equal(tmpl_render(set, "list", data, &want), 0);
		assert_string_equal(typed.ptr ? typed.ptr : "", want.ptr ? want.ptr : "");
		if (n)
			assert_non_null(strstr(typed.ptr, "12/KH-UBND|"));
		else
			assert_string_equal(typed.ptr, "none");
		buf_free(&typed);
		buf_free(&want);
		json_decref(data);
		tmpl_obj_free(o);
	}
	tmpl_set_free(set);
	unload(&f);
}

static const unit_t *unit_id(const fixture_t *f, const char *id)
{
	for (size_t i = 0; i < f->s->nunits; i++)
		if (!strcmp(f->s->units[i]->id, id))
			return f->s->units[i];
	fail_msg("no unit %s", id);
	return NULL;
}

/* Every unit's totals, its page's sub-units and its node of the units
 * index, name by name. */
static void test_unit_names(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	assert_true(f.s->nunits >= 6);   /* the registry's five and "Ban Mới", unregistered */
	for (size_t i = 0; i < f.s->nunits; i++) {
		const unit_t *u = f.s->units[i];
		json_t *j = ctx_unit_totals(u);
		tmpl_val_t v = ctx_unit_totals_val(u);
		same(u->id, &v, j);
		json_decref(j);
		/* a unit page's children: { unit ref, totals, has_children } */
		json_t *ch = json_array();
		for (size_t k = 0; k < u->nchildren; k++) {
			json_t *c = ctx_unit_ref(u->children[k], NULL);
			json_object_set_new(c, "totals", ctx_unit_totals(u->children[k]));
			json_object_set_new(c, "has_children", json_boolean(u->children[k]->nchildren > 0));
			json_array_append_new(ch, c);
		}
		v = ctx_unit_children(u);
		same(u->id, &v, ch);
		json_decref(ch);
	}
	size_t n;
	const unit_t **roots = ctx_unit_roots(f.s, &n);
	json_t *tree = json_array();
	for (size_t i = 0; i < f.s->nunits; i++)
		if (!f.s->units[i]->parent)
			json_array_append_new(tree, ctx_unit_tree(f.s->units[i], 0));
	tmpl_val_t v = ctx_unit_tree_list(roots, n);
	same("tree", &v, tree);
	/* the figures the fixture is for: the province counts its departments' */
	const unit_t *top = unit_id(&f, "ubnd");
	assert_int_equal(top->roll_all.total, 4);
	assert_int_equal(unit_id(&f, "so-a")->nissued, 2);
	json_decref(tree);
	free(roots);
	unload(&f);
}

/* The units index's tree stops 32 levels below its roots, as the jansson
 * tree did, with has_children still saying there is more. */
static void test_unit_tree_depth(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "- { id: u0, name: Đơn vị 0 }\n");
	for (int i = 1; i < 36; i++)
		buf_printf(&b, "- { id: u%d, name: Đơn vị %d, parent: u%d }\n", i, i, i - 1);
	const char *const chain[][2] = { { "units.yaml", b.ptr } };
	fixture_t f;
	load_files(&f, chain, 1);
	size_t n;
	const unit_t **roots = ctx_unit_roots(f.s, &n);
	assert_int_equal(n, 1);
	json_t *tree = json_array();
	json_array_append_new(tree, ctx_unit_tree(roots[0], 0));
	tmpl_val_t v = ctx_unit_tree_list(roots, n);
	same("tree", &v, tree);
	/* and it did stop: 33 nodes, the last with has_children */
	json_t *node = json_array_get(tree, 0);
	int levels = 1;
	while (json_array_size(json_object_get(node, "children"))) {
		node = json_array_get(json_object_get(node, "children"), 0);
		levels++;
	}
	assert_int_equal(levels, 33);
	assert_true(json_is_true(json_object_get(node, "has_children")));
	json_decref(tree);
	free(roots);
	unload(&f);
	buf_free(&b);
}

/* The units index's partial renders the typed tree as the jansson tree. */
static void test_unit_tree_renders_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	json_t *tree = json_array();
	for (size_t i = 0; i < f.s->nunits; i++)
		if (!f.s->units[i]->parent)
			json_array_append_new(tree, ctx_unit_tree(f.s->units[i], 0));
	/* every name of a node, printed, tested and inverted, then its
	 * children through the same partial */
	tmpl_set_t *set = tmpl_set_new();
	buf_t direct = BUF_INIT;
	const char *key;
	json_t *jv;
	json_object_foreach(json_array_get(tree, 0), key, jv) {
		if (!strcmp(key, "children"))
			continue;
		buf_printf(&direct, "%s=[{{%s}}]{{#%s}}T{{/%s}}{{^%s}}F{{/%s}};", key, key, key, key, key, key);
		if (json_is_object(jv))
			probe_of(&direct, key, jv, true);
	}
	buf_puts(&direct, "<{{#children}}{{>n}}{{/children}}>\n");
	add_ok(set, "n", direct.ptr);
	add_ok(set, "index", "{{#tree}}{{>n}}{{/tree}}{{^tree}}none{{/tree}}");
	tmpl_set_prepare(set);
	tmpl_obj_t *o = tmpl_obj_new(json_loads("{\"outer\": \"O\"}", 0, NULL));
	size_t n;
	const unit_t **roots = ctx_unit_roots(f.s, &n);
	tmpl_obj_keep(o, roots);
	tmpl_obj_set(o, "tree", ctx_unit_tree_list(roots, n));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	buf_t typed = BUF_INIT, want = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, "index", root, NULL, &typed), 0);
	json_t *data = json_pack("{s:s, s:O}", "outer", "O", "tree", tree);
	assert_int_equal(tmpl_render(set, "index", data, &want), 0);
	assert_string_equal(typed.ptr, want.ptr);
	assert_non_null(strstr(typed.ptr, "name=[Phòng Một]T;"));
	assert_non_null(strstr(typed.ptr, "id=[ubnd]T;"));
	assert_non_null(strstr(typed.ptr, "totals.stats.total=[4|4]T;"));
	assert_non_null(strstr(typed.ptr, "<id=[p1]T;"));   /* a grandchild */
	buf_free(&typed);
	buf_free(&want);
	buf_free(&direct);
	json_decref(data);
	json_decref(tree);
	tmpl_obj_free(o);
	tmpl_set_free(set);
	unload(&f);
}

/* The frame's `site` (ctx_frame.c): every key the site's data has, with
 * its value, and the menu, render as the jansson object with a jansson
 * menu did; a key the record does not know makes ctx_site_frame refuse
 * (the frame then gives templates the jansson object: a record would hide
 * the key). */
static void test_site_frame_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	site_t *s = f.s;
	s->description = "Cổng <kế hoạch>";
	s->base_url = "https://kh.example.vn";
	s->repo_url = "https://git.example.vn/kh";
	s->owner = "UBND tỉnh";
	s->agency = "Sở & Ban";
	s->editor = "B";
	s->address = "C";
	s->phone = "+84 (208) 123";
	s->email = "a@b.vn";
	s->license = "CC";
	s->data_license = "ODbL";
	s->data_license_url = "https://odbl";
	memcpy(s->commit, "0123456789abcdef0123456789abcdef01234567", 41);
	json_t *site = render_site_json(s);
	json_object_set_new(site, "history", json_pack("{s:i}", "weeks", 3));   /* as render_finish */
	ctx_site_t fr;
	assert_true(ctx_site_frame(&fr, site));
	const ctx_nav_t nav[] = { { "/", "Trang chủ", false }, { "/ke-hoach/", "Kế <hoạch>", true } };
	fr.nav = nav;
	fr.nnav = 2;

	json_t *want_site = json_deep_copy(site);
	json_object_set_new(want_site, "nav", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]", "url", "/", "label",
							"Trang chủ", "current", 0, "url", "/ke-hoach/", "label",
							"Kế <hoạch>", "current", 1));
	buf_t src = BUF_INIT;
	probe_of(&src, "site", want_site, true);
	buf_puts(&src, "{{#site.nav}}<{{url}}|{{label}}|{{#current}}C{{/current}}{{^current}}-{{/current}}|{{outer}}>"
		       "{{/site.nav}}{{#site.pages}}{{title}}{{/site.pages}}{{#site}}{{title}}{{outer}}{{/site}}");
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", src.ptr);
	tmpl_set_prepare(set);

	json_error_t jerr;
	tmpl_obj_t *o = tmpl_obj_new(json_loads("{\"outer\": \"O\"}", 0, &jerr));
	tmpl_obj_set(o, "site", tmpl_rec(ctx_site_type, &fr));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	buf_t typed = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &typed), 0);
	json_t *data = json_pack("{s:s, s:O}", "outer", "O", "site", want_site);
	buf_t want = BUF_INIT;
	assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
	assert_string_equal(typed.ptr, want.ptr);
	assert_non_null(strstr(typed.ptr, "site.phone_tel=[+84208123|"));
	assert_non_null(strstr(typed.ptr, "site.commit_short=[0123456|"));
	assert_non_null(strstr(typed.ptr, "site.history.weeks=[3|"));
	assert_non_null(strstr(typed.ptr, "</ke-hoach/|Kế &lt;hoạch&gt;|C|O>"));

	/* a key it does not know, or a menu in the data */
	json_t *more = json_deep_copy(site);
	json_object_set_new(more, "theme_color", json_string("red"));
	assert_false(ctx_site_frame(&fr, more));
	assert_false(ctx_site_frame(&fr, want_site));
	json_decref(more);

	buf_free(&want);
	buf_free(&typed);
	json_decref(data);
	json_decref(want_site);
	json_decref(site);
	tmpl_obj_free(o);
	tmpl_set_free(set);
	buf_free(&src);
	unload(&f);
}

/* The status filter of plan and unit pages as a typed record
 * (render_filter_set): each page's chips and total, the labels in the
 * theme's words, render as render_status_filter's jansson data. */
static void test_filter_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	theme_t th = { 0 };
	th.strings = json_pack("{s:s, s:s}", "overdue", "Trễ <hạn>", "nav_plans", "KH");
	struct run r = { 0 };
	r.s = f.s;
	r.th = &th;
	render_frame_begin(&r, th.strings);
	assert_string_equal(r.nav[ROUTE_PLANS][ROUTE_PLANS].label, "KH");
	assert_true(r.nav[ROUTE_PLANS][ROUTE_PLANS].current);
	assert_false(r.nav[ROUTE_NONE][ROUTE_PLANS].current);

	const char *src = "{{#filter}}{{#chips}}<{{key}}|{{anchor}}|{{label}}|{{count}}|{{view}}{{current}}{{outer}}>"
			  "{{/chips}}[{{total}}]{{/filter}}{{filter.total}}{{#filter.chips}}.{{/filter.chips}}"
			  "{{^filter.chips}}none{{/filter.chips}}";
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", src);
	tmpl_set_prepare(set);
	stats_t zero = { 0 }, all = { .total = 40, .overdue = 3, .not_started = 9, .in_progress = 7, .done = 20,
				      .done_late = 2, .cancelled = 1 };
	const stats_t *v[] = { &f.s->plans[0]->stats, &f.s->plans[1]->stats, &zero, &all };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		json_t *j = json_pack("{s:s}", "outer", "O");
		tmpl_obj_t *o = tmpl_obj_new(json_incref(j));
		render_filter_set(&r, o, v[i]);
		assert_null(json_object_get(j, "filter"));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = o;
		buf_t got = BUF_INIT, want = BUF_INIT;
		assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &got), 0);
		json_t *data = json_pack("{s:s, s:o}", "outer", "O", "filter", render_status_filter(&r, v[i], false));
		assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
		assert_string_equal(got.ptr, want.ptr);
		if (v[i] == &all && !strstr(got.ptr, "<overdue|loc-qua-han|Trễ &lt;hạn&gt;|3|O>"))
			fail_msg("%s", got.ptr);
		if (v[i] == &zero && !strstr(got.ptr, "[0]0none"))
			fail_msg("%s", got.ptr);
		buf_free(&got);
		buf_free(&want);
		json_decref(data);
		json_decref(j);
		tmpl_obj_free(o);
	}
	render_frame_end(&r);
	tmpl_set_free(set);
	json_decref(th.strings);
	unload(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_summary_names),
		cmocka_unit_test(test_cache_holds_no_plan_summary),
		cmocka_unit_test(test_stats_names),
		cmocka_unit_test(test_rows_render_like_json),
		cmocka_unit_test(test_plan_list_like_json),
		cmocka_unit_test(test_unit_names),
		cmocka_unit_test(test_unit_tree_depth),
		cmocka_unit_test(test_unit_tree_renders_like_json),
		cmocka_unit_test(test_task_nums),
		cmocka_unit_test(test_site_frame_like_json),
		cmocka_unit_test(test_filter_like_json),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
