/* test_ctx_week.c: a weekly report's typed task rows (ctx_week.h) and
 * the typed change entries of the week and /thay-doi/ pages (changes_int.h)
 * give a theme the same names and values as the jansson values they
 * replace (changes_week_row_json and changes_entry, kept as the
 * references): every name of one is in the other with the same value, and
 * templates render them alike. */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "changes.h"
#include "changes_int.h"
#include "ctx_week.h"
#include "jalloc.h"
#include "pager.h"
#include "model.h"
#include "progress.h"
#include "xref.h"

#include "site_fixture.h"

#include "ctx_same.h"


static const char *const files[][2] = {
	{ "units.yaml", "- { id: ubnd, name: UBND tỉnh }\n- { id: so-a, name: Sở Tài chính, parent: ubnd }\n"
			"- { id: so-b, name: Sở Nội vụ, parent: ubnd }\n- { id: p1, name: Phòng Một, parent: so-a }\n" },
	{ "plans/a.md", "---\nnumber: \"12/KH-UBND\"\ntitle: Kế hoạch <số hóa> & \"dữ liệu\"\nissuer: UBND tỉnh\n"
			"date: 2025-03-12\ntasks:\n"
			"  - { id: \"1\", title: x, lead: Sở Tài chính, due: 30/06/2025, status: done, completed: 2025-06-01 }\n"
			"  - { id: \"2\", title: y, lead: VP Sở Nội vụ, support: [Ban Mới], due: 01/09/2025, progress: 40 }\n"
			"---\n" },
};

static void load(fixture_t *f)
{
	fixture_load(f, files, sizeof files / sizeof files[0], 20250801);
	assert_int_equal(diag_errors(f->d), 0);
	assert_int_equal(f->s->nplans, 1);
}

static int setup(void **state)
{
	(void)state;
	ctx_types_init();
	changes_types_init();
	return 0;
}

/* Tasks as versions of a plan file wrote them, taking every branch of a
 * row: each status, progress or none, completed (late or not) or not, a
 * deadline written, given only as a date, ongoing, unparsed or none, lead
 * units resolved as written, written otherwise, unknown, several or none,
 * a deadline change (from, to, or both), no id. */
static const htask_t tasks[] = {
	{ .id = "1", .title = "Số hóa <hồ sơ> & \"dữ liệu\"", .lead = "Sở Tài chính", .due_written = true,
	  .due_shown = "30/06/2025", .due = { 20250630, false, true }, .status = STATUS_DONE, .progress = 100,
	  .completed = 20250705 },
	{ .id = "2", .title = "y", .lead = "VP Sở Nội vụ; Đơn vị lạ; Ban Mới", .due_shown = "2025-09-01",
	  .due = { 20250901, false, true }, .status = STATUS_IN_PROGRESS, .progress = 40 },
	{ .id = "3", .title = "z", .lead = "sở tài chính", .due_written = true, .due_shown = "Quý III/2025",
	  .due = { 20250930, true, true }, .status = STATUS_NOT_STARTED, .progress = -1 },
	{ .id = "4", .title = "w", .due_written = true, .due_shown = "sớm", .due = { 0, false, false },
	  .status = STATUS_CANCELLED, .progress = -1 },
	{ .id = NULL, .title = "v", .lead = "Phòng Một", .due_written = true, .due_shown = "01/07/2025",
	  .due = { 20250701, false, true }, .status = STATUS_NOT_STARTED, .progress = 0 },
	{ .id = "6", .title = "u", .lead = "UBND tỉnh", .status = STATUS_DONE, .progress = -1, .completed = 20250720 },
};
#define NTASKS (sizeof tasks / sizeof tasks[0])

static void items_of(const fixture_t *f, const hver_t *ver, hitem_t *v)
{
	static const char *const from[NTASKS] = { NULL, "01/08/2025", NULL, "x", NULL, NULL };
	static const char *const to[NTASKS] = { NULL, "01/09/2025", "Quý III/2025", NULL, NULL, NULL };
	for (size_t i = 0; i < NTASKS; i++)
		/* the last two: a plan no longer published */
		v[i] = (hitem_t){ .ver = ver, .task = &tasks[i], .from = from[i], .to = to[i],
				  .plan = i < NTASKS - 2 ? f->s->plans[0] : NULL };
}

/* Every row's typed record is its jansson row, name by name, as of two
 * dates (before and after the deadlines). */
static void test_row_names(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	/* the label of a plan no longer published is its version's number */
	hver_t ver = { .title = "Kế hoạch cũ", .number = "9/KH-CU" };
	hitem_t items[NTASKS];
	items_of(&f, &ver, items);
	static const date_t as_of[] = { 20250801, 20250615 };
	size_t overdue = 0, late = 0, written = 0, unknown = 0, gone = 0;
	/* the second pass of each date names the lead units through kept
	 * answers (as a weekly report does), the first directly */
	facts_unames_t *names = facts_unames_new(f.s);
	for (size_t d = 0; d < 4; d++) {
		hweek_t wk = { .as_of = as_of[d / 2] };
		for (size_t i = 0; i < NTASKS; i++) {
			tmpl_obj_t *keeper = tmpl_obj_new(NULL);
			ctx_wrow_t row;
			if (d % 2)
				ctx_wrow_init_with(&row, keeper, names, &items[i], wk.as_of);
			else
				ctx_wrow_init(&row, keeper, f.s, &items[i], wk.as_of);
			json_t *j = changes_week_row_json(f.s, &wk, &items[i]);
			tmpl_val_t v = tmpl_rec(ctx_wrow_type, &row);
			char path[48];
			snprintf(path, sizeof path, "row %zu as of %d%s", i, as_of[d / 2], d % 2 ? " (kept)" : "");
			same(path, &v, j);
			/* the branches the fixture is for */
			overdue += json_is_true(json_object_get(j, "overdue"));
			late += json_is_true(json_object_get(j, "done_late"));
			json_t *l = json_object_get(j, "lead");
			for (size_t k = 0; k < json_array_size(l); k++) {
				written += json_object_get(json_array_get(l, k), "written") != NULL;
				unknown += json_is_null(json_object_get(json_array_get(l, k), "url"));
			}
			gone += json_is_null(json_object_get(json_object_get(j, "plan"), "url"));
			json_decref(j);
			tmpl_obj_free(keeper);
		}
	}
	facts_unames_free(names);
	assert_true(overdue > 0);
	assert_true(late > 0);
	assert_true(written > 0);
	assert_true(unknown > 0);
	assert_int_equal(gone, 8);
	unload(&f);
}

/* A list of rows renders as the jansson list did: every name of every
 * row, the lead units through a partial, the is_<status> flags (set on a
 * row of that status only, looked up further out otherwise), a name no
 * row has. */
static void test_rows_render_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	/* the label of a plan no longer published is its version's number */
	hver_t ver = { .title = "Kế hoạch cũ", .number = "9/KH-CU" };
	hitem_t items[NTASKS];
	items_of(&f, &ver, items);
	hweek_t wk = { .as_of = 20250801 };
	json_t *rows = json_array();
	for (size_t i = 0; i < NTASKS; i++)
		json_array_append_new(rows, changes_week_row_json(f.s, &wk, &items[i]));
	buf_t src = BUF_INIT;
	buf_puts(&src, "{{#rows}}<");
	/* every name any row has, read in every row */
	json_t *all = json_object();
	for (size_t i = 0; i < NTASKS; i++)
		json_object_update(all, json_array_get(rows, i));
	json_object_set_new(all, "is_not_started", json_true());
	json_object_set_new(all, "is_in_progress", json_true());
	json_object_set_new(all, "is_done", json_true());
	json_object_set_new(all, "is_cancelled", json_true());
	const char *key;
	json_t *jv;
	json_object_foreach(all, key, jv) {
		buf_printf(&src, "%s=[{{%s}}]{{#%s}}T{{/%s}}{{^%s}}F{{/%s}};", key, key, key, key, key, key);
		if (json_is_object(jv))
			probe_of(&src, key, jv, false);
	}
	buf_puts(&src, "{{#lead}}({{>ref}}){{/lead}}{{^lead}}none{{/lead}}{{#due}}{{text}}{{date}}{{/due}}"
		       "nothing=[{{nothing}}]outer=[{{outer}}]>\n{{/rows}}");
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", src.ptr);
	add_ok(set, "ref", "{{#url}}<a href=\"{{url}}\">{{name}}</a>{{/url}}{{^url}}{{name}}{{/url}}"
			   "{{#registered}}R{{/registered}}{{written}}{{id}}");
	tmpl_set_prepare(set);

	tmpl_obj_t *o = tmpl_obj_new(json_pack("{s:s, s:b, s:b, s:b, s:b}", "outer", "O", "is_not_started", 0,
					       "is_in_progress", 0, "is_done", 0, "is_cancelled", 0));
	ctx_wrow_t *rv = malloc(NTASKS * sizeof *rv);
	tmpl_obj_keep(o, rv);
	for (size_t i = 0; i < NTASKS; i++)
		ctx_wrow_init(&rv[i], o, f.s, &items[i], wk.as_of);
	tmpl_obj_set(o, "rows", tmpl_list(ctx_wrow_type, rv, sizeof *rv, NTASKS, false));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	buf_t typed = BUF_INIT, want = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &typed), 0);
	json_t *data = json_pack("{s:s, s:b, s:b, s:b, s:b, s:O}", "outer", "O", "is_not_started", 0,
				 "is_in_progress", 0, "is_done", 0, "is_cancelled", 0, "rows", rows);
	assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
	assert_string_equal(typed.ptr, want.ptr);
	/* and the probe saw values, not rows of blanks */
	assert_non_null(strstr(typed.ptr, "title=[Số hóa &lt;hồ sơ&gt; &amp; &quot;dữ liệu&quot;]T"));
	assert_non_null(strstr(typed.ptr, "is_done=[true]T"));
	assert_non_null(strstr(typed.ptr, "is_done=[false]F"));
	assert_non_null(strstr(typed.ptr, "due_from=[01/08/2025]T"));
	assert_non_null(strstr(typed.ptr, "plan.name=[9/KH-CU|9/KH-CU]T"));
	assert_non_null(strstr(typed.ptr, "(Đơn vị lạ2)")); /* its id: the row's, further out */
	assert_non_null(strstr(typed.ptr, "Sở Tài chính</a>Rso-a)"));   /* a registered unit, as its name */
	assert_non_null(strstr(typed.ptr, "outer=[O]"));

	buf_free(&typed);
	buf_free(&want);
	buf_free(&src);
	json_decref(data);
	json_decref(rows);
	json_decref(all);
	tmpl_obj_free(o);
	tmpl_set_free(set);
	unload(&f);
}

/* ---- change entries */

/* Changes that take every branch of an item: each kind, a status change
 * (from none, to a status, from a word no status has), progress with its
 * sign, progress dropped as the task is done (left out), a plan field, a
 * field no table names (its `is` a jansson object), a field label, paths
 * a move or a duplicate names that are not UTF-8 (left out: Git's bytes,
 * the only values of a change not from a parse). */
static const hchange_t chg[] = {
	{ "1", "status", "in_progress", "done", "Số hóa <hồ sơ>" },
	{ "1", "progress", "50", NULL, "Số hóa <hồ sơ>" },
	{ "2", "progress", "30", "60", "y" },
	{ "2", "status", NULL, "lạ", "y" },
	{ "2", "due", "01/08/2025", "01/09/2025", NULL },
	{ NULL, "title", "Cũ", "Mới & <khác>", NULL },
	{ NULL, "issuer", NULL, "UBND tỉnh", NULL },
	{ "3", "added", NULL, "z", NULL },
	{ "4", "removed", "w", NULL, NULL },
	{ NULL, "moved", "a\xff.md", "b.md", NULL },
	{ NULL, "duplicate", NULL, "a.md, c\xc3.md", NULL },
	{ "5", "zzz_khac", "x", "y", NULL },
	{ NULL, "zzz_khac", "x", "y", NULL },
};
#define NCHG (sizeof chg / sizeof chg[0])

static void entries_of(const fixture_t *f, hentry_t *v)
{
	v[0] = (hentry_t){ .commit = "0123456789abcdef0123456789abcdef01234567", .time = 1754000000, .tz = 420,
			   .date = 20250801, .author = "Nguyễn Văn A", .subject = "Cập nhật <kế hoạch> & \"tiến độ\"",
			   .key = "k", .label = "12/KH-UBND", .path = "content/plans/a.md", .plan = f->s->plans[0],
			   .changes = (hchange_t *)chg, .nchanges = NCHG, .has_percent = true, .percent = 40 };
	/* a plan no longer published, broken, from a source, not UTF-8 */
	v[1] = (hentry_t){ .commit = "fedcba9876543210fedcba9876543210fedcba98", .time = 1753000000, .tz = -60,
			   .date = 20250720, .author = "B\xff", .subject = "s\xc3", .label = "9/KH-CU",
			   .path = "content/plans/\xffx.md", .source = "nguon", .broken = true,
			   .error = "a.md:1:1: lỗi", .changes = (hchange_t *)chg + 5, .nchanges = 1 };
	/* no changes shown */
	v[2] = (hentry_t){ .commit = "1111111111111111111111111111111111111111", .time = 1752000000,
			   .date = 0, .author = "C", .subject = "", .label = "12/KH-UBND", .path = "p",
			   .plan = f->s->plans[0] };
}
#define NENT 3

static json_t *labels_json(void)
{
	return json_pack("{s:s, s:s}", "chg_plan_title", "Trích yếu", "chg_plan_issuer", "Cơ quan <ban hành>");
}

static void test_entry_names(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	json_t *lab = labels_json();
	changes_labels(lab);
	static const char *const urls[] = { NULL, "https://git.example/so/ke-hoach//" };
	size_t items = 0, json_is = 0, label = 0, flags = 0, gone = 0, urls_seen = 0;
	for (size_t u = 0; u < 2; u++) {
		f.s->repo_url = urls[u];
		hentry_t ev[NENT];
		entries_of(&f, ev);
		for (size_t i = 0; i < NENT; i++) {
			tmpl_obj_t *keeper = tmpl_obj_new(NULL);
			changes_erec_t r;
			changes_erec_init(&r, keeper, f.s, &ev[i]);
			json_t *j = changes_entry(f.s, &ev[i]);
			tmpl_val_t v = tmpl_rec(changes_erec_type, &r);
			char path[32];
			snprintf(path, sizeof path, "entry %zu, url %zu", i, u);
			same(path, &v, j);
			json_t *c = json_object_get(j, "changes");
			items += json_array_size(c);
			for (size_t k = 0; k < json_array_size(c); k++) {
				json_t *it = json_array_get(c, k);
				json_t *is = json_object_get(it, "is");
				json_is += json_object_get(is, "zzz_khac") || json_object_get(is, "plan_zzz_khac");
				label += json_is_string(json_object_get(it, "field_label"));
				flags += json_object_get(it, "to_status") != NULL;
			}
			gone += json_is_null(json_object_get(json_object_get(j, "plan"), "url"));
			urls_seen += json_object_get(j, "commit_url") != NULL;
			json_decref(j);
			tmpl_obj_free(keeper);
		}
	}
	/* the branches the fixture is for: the dropped progress left out
	 * (NCHG - 1 items, then the plan's title, then none), twice */
	assert_int_equal(items, 2 * (NCHG - 1 + 1 + 0));
	assert_int_equal(json_is, 4);
	assert_true(label >= 2);
	assert_int_equal(flags, 4);
	assert_int_equal(gone, 2);
	assert_int_equal(urls_seen, 2);   /* not the source's entry */
	changes_labels(NULL);
	json_decref(lab);
	unload(&f);
}

/* A list of entries renders through the default theme's change templates
 * as the jansson list did. */
static void test_entries_render_like_json(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	json_t *lab = labels_json();
	changes_labels(lab);
	f.s->repo_url = "https://git.example/so/ke-hoach";
	hentry_t ev[NENT];
	entries_of(&f, ev);
	tmpl_set_t *set = tmpl_set_new();
	static const char *const parts[] = { "change_entry", "change_item", "change_field", "status_word" };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "themes/default/templates/%s.mustache", parts[i]);
		FILE *fp = fopen(path, "rb");
		assert_non_null(fp);
		buf_t b = BUF_INIT;
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_put(&b, chunk, n);
		fclose(fp);
		add_ok(set, parts[i], b.ptr ? b.ptr : "");
		buf_free(&b);
	}
	/* and every name of an entry and of its items, printed and tested */
	add_ok(set, "probe", "{{#changes}}<{{>change_entry}}|commit={{commit}}|time={{time}}|author={{author}}"
			     "|subject={{subject}}|url={{commit_url}}|short={{commit_short}}|label={{label}}|path={{path}}"
			     "|error={{error}}|pct={{percent_done}}{{#percent_done}}P{{/percent_done}}|broken={{broken}}"
			     "|plan={{plan.name}}/{{plan.url}}/{{plan.title}}|date={{date}}/{{date_vi}}"
			     "{{#changes}}[{{task}}|{{task_title}}|{{field}}|{{field_label}}|{{from}}|{{to}}|{{added}}"
			     "{{removed}}{{moved}}{{duplicate}}{{other}}|{{#is}}{{status}}{{progress}}{{plan_title}}"
			     "{{zzz_khac}}{{plan_zzz_khac}}{{/is}}|{{#from_status}}{{done}}{{in_progress}}{{/from_status}}"
			     "{{#to_status}}{{done}}{{cancelled}}{{/to_status}}]{{/changes}}{{^changes}}none{{/changes}}"
			     "{{#has_changes}}H{{/has_changes}}>\n{{/changes}}");
	tmpl_set_prepare(set);
	json_t *t = json_pack("{s:s, s:s, s:s}", "none", "Không có", "change_by", "bởi", "task", "Nhiệm vụ");
	tmpl_obj_t *o = tmpl_obj_new(json_pack("{s:O, s:s, s:s, s:s}", "t", t, "author", "OUT", "commit_url", "OUT",
					       "zzz_khac", "OUT"));
	const hentry_t *ep[NENT] = { &ev[0], &ev[1], &ev[2] };
	tmpl_obj_set(o, "changes", changes_erec_list(o, f.s, ep, NENT));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	buf_t typed = BUF_INIT, want = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &typed), 0);
	json_t *a = json_array();
	for (size_t i = 0; i < NENT; i++)
		json_array_append_new(a, changes_entry(f.s, &ev[i]));
	json_t *data = json_pack("{s:O, s:s, s:s, s:s, s:o}", "t", t, "author", "OUT", "commit_url", "OUT",
				 "zzz_khac", "OUT", "changes", a);
	assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
	assert_string_equal(typed.ptr, want.ptr);
	/* and the probe saw values, not blanks */
	assert_non_null(strstr(typed.ptr, "author=OUT"));   /* not UTF-8: further out */
	assert_non_null(strstr(typed.ptr, "url=https://git.example/so/ke-hoach/commit/0123456789abcdef"));
	assert_non_null(strstr(typed.ptr, "|60%|"));
	assert_non_null(strstr(typed.ptr, "Cơ quan &lt;ban hành&gt;"));
	assert_non_null(strstr(typed.ptr, "pct=40P"));
	buf_free(&typed);
	buf_free(&want);
	json_decref(data);
	json_decref(t);
	tmpl_obj_free(o);
	tmpl_set_free(set);
	changes_labels(NULL);
	json_decref(lab);
	unload(&f);
}


/* ---- a report's groups by lead unit (weeks.c) */

/* A report long enough for three pages, its rows under five leads (units
 * named as registered, written otherwise, unknown, none): on every page
 * each group shows its head (unit, anchor, link to where its rows start,
 * counts of the whole week) as the summary by unit on the first page
 * shows it, "continued" on the pages after its first, and its rows of
 * that page; the summary's entries have no rows and no "continued" (a
 * template finds those names further out, as it did in the jansson
 * objects the groups were). */
/* A report's new plans: typed plan records while every one is still
 * published, the jansson briefs (changes_plan_brief) when one is gone;
 * both render as the briefs did. */
static void test_week_new_plans(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	const plan_t *p = f.s->plans[0];
	hver_t ver = { .title = "Kế hoạch cũ <đã bỏ>", .number = "9/KH" };
	htask_t none = { .id = "1", .title = "t", .progress = -1 };
	hitem_t iv[3] = {
		{ .ver = &ver, .task = &none, .plan = p },
		{ .ver = &ver, .task = &none, .plan = NULL },
		{ .ver = &ver, .task = &none, .plan = p },
	};
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", "{{#week.new_plans}}[{{number}}|{{name}}|{{url}}|{{title}}|{{date_vi}}|"
			     "{{issuer.name}}|{{stats.total}}]{{/week.new_plans}}{{#week.has_new_plans}}H"
			     "{{/week.has_new_plans}}\n");
	tmpl_set_prepare(set);
	/* all published (typed), one gone among them, none */
	static const size_t from[] = { 0, 0, 0 }, count[] = { 1, 3, 0 };
	for (size_t c = 0; c < 3; c++) {
		hweek_t wk = { .id = "2025-W31", .year = 2025, .week = 31, .start = 20250728, .end = 20250803,
			       .as_of = 20250804 };
		hitem_t two[2] = { iv[0], iv[2] };
		wk.new_plans = c == 0 ? (hitems_t){ two, 2, 2 } : (hitems_t){ iv + from[c], count[c], count[c] };
		hweek_t *weeks[] = { &wk };
		history_t h;
		memset(&h, 0, sizeof h);
		h.weeks = weeks;
		h.nweeks = 1;
		jalloc_init();
		jalloc_begin();
		changes_wlayout_t *l = changes_week_layout(f.s, &h, 0);
		assert_int_equal(changes_week_pages(l), 1);
		tmpl_obj_t *top = changes_week(l, 0);
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = top;
		buf_t typed = BUF_INIT, want = BUF_INIT;
		assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &typed), 0);
		json_t *np = json_array();
		for (size_t i = 0; i < wk.new_plans.n; i++) {
			const hitem_t *it = &wk.new_plans.v[i];
			json_array_append_new(np, changes_plan_brief(it->plan, hitem_label(it), it->ver->title));
		}
		json_t *data = json_pack("{s:{s:o, s:b}}", "week", "new_plans", np, "has_new_plans",
					 wk.new_plans.n > 0);
		assert_int_equal(tmpl_render(set, "probe", data, &want), 0);
		assert_string_equal(typed.ptr, want.ptr);
		/* and the probe saw values, not blanks */
		if (c < 2)
			assert_non_null(strstr(typed.ptr, "[12/KH-UBND|"));
		if (c == 1)
			assert_non_null(strstr(typed.ptr, "Kế hoạch cũ &lt;đã bỏ&gt;"));
		if (c == 2)
			assert_string_equal(typed.ptr, "\n");
		buf_free(&typed);
		buf_free(&want);
		json_decref(data);
		tmpl_obj_free(top);
		changes_week_layout_free(l);
		jalloc_end();
		jalloc_release();
	}
	tmpl_set_free(set);
	unload(&f);
}

/* The chart as a typed record is the jansson chart, name by name: points
 * over months (two of one day, shown once), one point alone (its tick in
 * the middle), and no series (null). */
static void test_chart_names(void **state)
{
	(void)state;
	changes_types_init();
	hpoint_t many[] = {
		{ .date = 20250105, .done = 0, .base = 4, .percent = 0 },
		{ .date = 20250220, .done = 1, .base = 4, .percent = 25 },
		{ .date = 20250220, .done = 2, .base = 4, .percent = 50 },
		{ .date = 20250731, .done = 3, .base = 3, .percent = 100 },
	};
	hpoint_t one[] = { { .date = 20250301, .done = 1, .base = 3, .percent = 33 } };
	const hseries_t sers[] = { { many, 4 }, { one, 1 }, { NULL, 0 } };
	for (size_t i = 0; i < 3; i++) {
		tmpl_obj_t *keeper = tmpl_obj_new(NULL);
		tmpl_val_t v = changes_chart_val(keeper, &sers[i]);
		json_t *j = changes_chart(&sers[i]);
		char path[32];
		snprintf(path, sizeof path, "chart %zu", i);
		same(path, &v, j);
		if (i == 0)
			assert_int_equal(json_array_size(json_object_get(j, "points")), 3);
		json_decref(j);
		tmpl_obj_free(keeper);
	}
}

static void test_week_groups(void **state)
{
	(void)state;
	fixture_t f;
	load(&f);
	static const char *const leads[] = { "Sở Tài chính", "Phòng Một", NULL, "Đơn vị lạ", "Sở Nội vụ" };
	enum { NLEADS = 5, NITEMS = 1100, NDONE = 100 };
	htask_t *tv = calloc(NITEMS, sizeof *tv);
	hitem_t *iv = calloc(NITEMS, sizeof *iv);
	char (*ids)[8] = calloc(NITEMS, sizeof *ids);
	hver_t ver = { .title = "K", .number = "1/KH" };
	size_t per[NLEADS][2] = { { 0 } };
	for (size_t i = 0; i < NITEMS; i++) {
		snprintf(ids[i], sizeof ids[i], "%zu", i + 1);
		const char *lead = leads[i % NLEADS];
		tv[i] = (htask_t){ .id = ids[i], .title = "t", .lead = lead, .lead_first = lead, .due_shown = "x",
				   .status = i < NDONE ? STATUS_DONE : STATUS_NOT_STARTED, .progress = -1 };
		iv[i] = (hitem_t){ .ver = &ver, .task = &tv[i], .plan = f.s->plans[0] };
		per[i % NLEADS][i >= NDONE]++;
	}
	hweek_t wk = { .id = "2025-W31", .year = 2025, .week = 31, .start = 20250728, .end = 20250803,
		       .as_of = 20250804 };
	wk.completed = (hitems_t){ iv, NDONE, NDONE };
	wk.overdue = (hitems_t){ iv + NDONE, NITEMS - NDONE, NITEMS - NDONE };
	hweek_t *weeks[] = { &wk };
	history_t h;
	memset(&h, 0, sizeof h);
	h.weeks = weeks;
	h.nweeks = 1;
	/* as render_pages.c makes the pages: the layout in the first page's
	 * jalloc scope, a scope a page; what the layout keeps for every page
	 * must not be made in the first (its memory is the next page's) */
	jalloc_init();
	jalloc_begin();
	changes_wlayout_t *l = changes_week_layout(f.s, &h, 0);
	size_t npages = changes_week_pages(l);
	assert_int_equal(npages, 3);

	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", "{{#week.unit_index}}I|{{anchor}}|{{href}}|{{#unit}}{{name}}{{/unit}}"
			     "{{#no_unit}}none{{/no_unit}}|{{completed_count}}|{{became_overdue_count}}|"
			     "{{continued}}|{{has_completed}}|{{#completed}}row{{/completed}}\n{{/week.unit_index}}"
			     "{{#week.units}}U|{{anchor}}|{{href}}|{{#unit}}{{name}}{{/unit}}{{#no_unit}}none{{/no_unit}}|"
			     "{{completed_count}}|{{became_overdue_count}}|{{continued}}|{{has_completed}}|"
			     "{{has_became_overdue}}|{{#completed}}c{{id}},{{/completed}}"
			     "{{#became_overdue}}o{{id}},{{/became_overdue}}\n{{/week.units}}");
	tmpl_set_prepare(set);
	char *index = NULL;
	size_t seen[NLEADS][2] = { { 0 } }, sections = 0, continued = 0, nindex_seen = 0;
	char *first_href[NLEADS + 1] = { 0 };
	for (size_t pg = 0; pg < npages; pg++) {
		if (pg)
			jalloc_end(), jalloc_begin();
		tmpl_obj_t *top = changes_week(l, pg);
		/* found further out: what the summary's entries do not have */
		tmpl_obj_set(top, "continued", tmpl_str("OUT"));
		tmpl_obj_set(top, "has_completed", tmpl_str("OUT"));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = top;
		buf_t out = BUF_INIT;
		assert_int_equal(tmpl_render_val(set, "probe", root, NULL, &out), 0);
		tmpl_obj_free(top);
		char *save = NULL;
		for (char *line = strtok_r(out.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			/* kind|anchor|href|unit|completed|overdue|continued|has_completed|... */
			char *fld[10] = { 0 }, *fsave = NULL, *cp = strdup(line);
			size_t nf = 0;
			for (char *x = strtok_r(cp, "|", &fsave); x && nf < 10; x = strtok_r(NULL, "|", &fsave))
				fld[nf++] = x;
			assert_true(nf >= 8);
			char kind = fld[0][0], *anchor = fld[1], *href = fld[2], *cont = fld[6], *has = fld[7];
			size_t g = 0;
			while (g < NLEADS && strcmp(fld[3], leads[g] ? leads[g] : "none"))
				g++;
			assert_true(g < NLEADS);
			assert_int_equal(strtoul(fld[4], NULL, 10), per[g][0]);
			assert_int_equal(strtoul(fld[5], NULL, 10), per[g][1]);
			if (kind == 'I') {
				assert_int_equal(pg, 0);
				assert_string_equal(cont, "OUT");
				assert_string_equal(has, "OUT");
				assert_null(strstr(line, "row"));
				/* "u-<its place, from 1>-<slug of its name>" */
				char want_anchor[64];
				snprintf(want_anchor, sizeof want_anchor, "u-%zu-", nindex_seen + 1);
				assert_memory_equal(anchor, want_anchor, strlen(want_anchor));
				assert_true(strlen(anchor) > strlen(want_anchor));
				nindex_seen++;
				buf_t b = BUF_INIT;
				buf_printf(&b, "%s%s %s\n", index ? index : "", anchor, href);
				free(index);
				index = buf_detach(&b);
				free(cp);
				continue;
			}
			sections++;
			/* the same head as in the summary */
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s %s\n", anchor, href);
			assert_non_null(index);
			assert_non_null(strstr(index, b.ptr));
			buf_free(&b);
			if (!first_href[g]) {
				/* its link: where its first rows are */
				assert_string_equal(cont, "false");
				char *want = pg ? pager_url(f.s->base_path, "bao-cao-tuan/2025-W31/", pg) : strdup("");
				b = (buf_t)BUF_INIT;
				buf_printf(&b, "%s#%s", want, anchor);
				assert_string_equal(href, b.ptr);
				free(want);
				first_href[g] = buf_detach(&b);
			} else {
				assert_string_equal(cont, "true");
				assert_string_equal(href, first_href[g]);
				continued++;
			}
			/* its rows here: "c<id>," completed, "o<id>," overdue */
			for (const char *p = strchr(line, ','); p; p = strchr(p + 1, ',')) {
				const char *q = p;
				while (q[-1] >= '0' && q[-1] <= '9')
					q--;
				seen[g][q[-1] == 'o']++;
			}
			free(cp);
		}
		buf_free(&out);
	}
	/* every group on the first page's summary, each with its rows */
	size_t ngroups = 0;
	for (const char *p = index; p && (p = strchr(p, '\n')); p++)
		ngroups++;
	assert_int_equal(ngroups, NLEADS);
	assert_int_equal(nindex_seen, NLEADS);
	/* the groups by name: the tasks with no lead ("khac") last */
	assert_non_null(strstr(index, "u-5-khac "));
	assert_true(continued > 0);
	assert_true(sections >= NLEADS + continued);
	for (size_t g = 0; g < NLEADS; g++) {
		assert_int_equal(seen[g][0], per[g][0]);
		assert_int_equal(seen[g][1], per[g][1]);
	}
	for (size_t g = 0; g <= NLEADS; g++)
		free(first_href[g]);
	free(index);
	tmpl_set_free(set);
	changes_week_layout_free(l);
	jalloc_end();
	jalloc_release();
	free(ids);
	free(iv);
	free(tv);
	unload(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_names),
		cmocka_unit_test(test_rows_render_like_json),
		cmocka_unit_test(test_entry_names),
		cmocka_unit_test(test_entries_render_like_json),
		cmocka_unit_test(test_week_groups),
		cmocka_unit_test(test_week_new_plans),
		cmocka_unit_test(test_chart_names),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
