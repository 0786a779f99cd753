/* test_history.c: unit tests of the history's pure parts: versions parsed
 * from a neighbouring version (hver.c), which must equal the same text
 * parsed whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "hver.h"
#include "model_fields.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const head =
	"---\n"
	"number: \"1/KH-A\"\n"
	"title: \"Kế hoạch A\"\n"
	"implements: [71/NQ-CP]\n"
	"groups:\n"
	"  - { id: I, title: \"Nhóm I\" }\n"
	"tasks:\n";
static const char *const t1 =
	"  - id: \"1\"\n"
	"    group: I\n"
	"    title: \"Việc một\"\n"
	"    lead: Sở A\n"
	"    output: Báo cáo\n"
	"    due: \"Quý IV/2025\"\n"
	"    status: in_progress\n"
	"    progress: 50\n";
static const char *const t2 =
	"  - id: \"2\"\n"
	"    title: \"Việc hai\"\n"
	"    lead: [Sở A, Sở B]\n"
	"    support: Sở C\n"
	"    due: \"Năm 2026\"\n"
	"    status: Hủy\n";
static const char *const t3 =
	"  - id: \"3\"\n"
	"    title: \"Việc ba\"\n"
	"    note: |\n"
	"      - not an item: a block scalar\n"
	"    due_date: 2026-01-15\n";
static const char *const tail = "---\nNội dung.\n";

/* The same blob parsed in two tables: whole, and from the version before. */
struct pair {
	hver_ctx_t whole, near;
	arena_t *a;
	int n;
};

static git_oid oid_of(int n)
{
	char hex[41];
	snprintf(hex, sizeof hex, "%040x", n);
	git_oid o;
	git_oid_fromstr(&o, hex);
	return o;
}

static const hver_t *whole(struct pair *p, const char *text)
{
	git_oid o = oid_of(++p->n);
	return hver_of(&p->whole, &o, "content/plans/a.md", text, strlen(text), NULL);
}

static const hver_t *near(struct pair *p, const char *ref_text, const char *text)
{
	git_oid r = oid_of(++p->n), o = oid_of(++p->n);
	const hver_t *ref = hver_of(&p->near, &r, "content/plans/a.md", ref_text, strlen(ref_text), NULL);
	return hver_of(&p->near, &o, "content/plans/a.md", text, strlen(text), ref);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_texts(const char **a, const char **b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!same_str(a[i], b[i]))
			return false;
	return true;
}

/* Two versions from two tables read the same (strings compared as text). */
static void assert_same(const hver_t *a, const hver_t *b, const char *what)
{
	if (a->broken != b->broken)
		fail_msg("%s: broken %d vs %d", what, a->broken, b->broken);
	if (a->broken)
		return;
	if (!same_str(a->key, b->key) || !same_str(a->title, b->title) || a->ntasks != b->ntasks ||
	    a->done != b->done || a->base != b->base ||
	    !same_texts(a->text, b->text, model_fields_hist_texts(FIELD_PLAN)) || !same_str(a->implements_key, b->implements_key))
		fail_msg("%s: plans differ (%zu vs %zu tasks)", what, a->ntasks, b->ntasks);
	for (size_t i = 0; i < a->ntasks; i++) {
		const htask_t *x = a->tasks[i], *y = b->tasks[i];
		if (!same_str(x->id, y->id) || !same_str(x->title, y->title) || !same_str(x->lead, y->lead) ||
		    !same_str(x->lead_key, y->lead_key) || !same_str(x->support, y->support) ||
		    !same_texts(x->text, y->text, model_fields_hist_texts(FIELD_TASK)) ||
		    !same_str(x->due_shown, y->due_shown) ||
		    x->due.date != y->due.date || x->status != y->status || x->progress != y->progress)
			fail_msg("%s: task %zu differs", what, i);
	}
}

static char *cat(const char *const *parts, size_t n)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, parts[i]);
	return buf_detach(&b);
}

static void test_near_equals_whole(void **state)
{
	(void)state;
	char *t2done = xstrdup(t2);
	memcpy(strstr(t2done, "Hủy"), "done", 4);
	memmove(strstr(t2done, "done") + 4, strstr(t2done, "done") + 5, strlen(strstr(t2done, "done") + 5) + 1);
	static const char *const new_item = "  - id: \"9\"\n    title: \"Mới\"\n    lead: Sở D\n";
	static const char *const anchor_item = "  - id: \"9\"\n    title: &t \"Mới\"\n    output: *t\n";
	static const char *const dup_item = "  - id: \"2\"\n    title: \"Trùng\"\n";
	static const char *const bad_group = "  - id: \"9\"\n    group: IX\n    title: \"Nhóm lạ\"\n";
	static const char *const bad_yaml = "  - id: \"9\"\n    title: [\"chưa đóng\"\n";
	/* versions are compared by fingerprints of their lines: a change that
	 * keeps every length must still be seen */
	char *t2same = xstrdup(t2);
	memcpy(strstr(t2same, "hai"), "hay", 3);
	char *headsame = xstrdup(head);
	memcpy(strstr(headsame, "Kế"), "Kỳ", strlen("Kế"));
	static const char *const tail_fm = "status: draft\n---\nNội dung.\n";
	static const char *const tail_fm2 = "status: drift\n---\nNội dung.\n";
	const char *base[] = { head, t1, t2, t3, tail };
	struct {
		const char *what;
		const char *parts[8];
		size_t n;
		bool incremental;   /* parsed from its neighbour */
	} cases[] = {
		{ "a status", { head, t1, t2done, t3, tail }, 5, true },
		{ "a title, same length", { head, t1, t2same, t3, tail }, 5, true },
		{ "the head, same length", { headsame, t1, t2, t3, tail }, 5, false },
		{ "a task removed", { head, t2, t3, tail }, 4, true },
		{ "the last task removed", { head, t1, t2, tail }, 4, true },
		{ "a task added between", { head, t1, new_item, t2, t3, tail }, 6, true },
		{ "a task added at the end", { head, t1, t2, t3, new_item, tail }, 6, true },
		{ "tasks reordered", { head, t3, t1, t2, tail }, 5, true },
		{ "a comment between tasks", { head, t1, "  # ghi chú\n", t2, t3, tail }, 6, true },
		{ "the body only", { head, t1, t2, t3, "---\nKhác.\n" }, 5, true },
		{ "the head changed", { "---\nnumber: \"1/KH-A\"\ntitle: \"Khác\"\ngroups:\n  - { id: I }\ntasks:\n", t1, t2, t3, tail }, 5, false },
		{ "an anchor", { head, t1, anchor_item, t2, t3, tail }, 6, false },
		{ "a duplicate task id", { head, t1, t2, dup_item, t3, tail }, 6, false },
		{ "an unknown group", { head, t1, bad_group, t2, t3, tail }, 6, false },
		{ "broken YAML", { head, t1, bad_yaml, t2, t3, tail }, 6, false },
		{ "a top-level key among the tasks", { head, t1, "status: draft\n", t2, tail }, 5, false },
		{ "a line added at the end of a task", { head, t1, "    note: thêm\n", t2, t3, tail }, 6, true },
		{ "a deeper comment after the last task", { head, t1, t2, t3, "        # ghi chú sâu\n", tail }, 6, true },
		{ "a task written twice", { head, t1, t1, t2, t3, tail }, 6, false },
		{ "no closing line", { head, t1, t2, t3 }, 4, false },
		{ "no tasks", { head, tail }, 2, false },
	};
	char *a = cat(base, N(base));
	assert_int_equal(strlen(t2same), strlen(t2));
	assert_int_equal(strlen(headsame), strlen(head));
	for (size_t i = 0; i < N(cases); i++) {
		struct pair p = { .a = arena_new() };
		p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
		p.near = p.whole;
		char *b = cat(cases[i].parts, cases[i].n);
		const hver_t *w = whole(&p, b), *n = near(&p, a, b);
		assert_same(w, n, cases[i].what);
		if ((p.near.nincremental == 1) != cases[i].incremental)
			fail_msg("%s: parsed from its neighbour: %zu", cases[i].what, p.near.nincremental);
		free(b);
		hver_ctx_free(&p.whole);
		hver_ctx_free(&p.near);
		arena_free(p.a);
	}
	free(a);
	free(t2done);
	free(t2same);
	free(headsame);

	/* the front matter after the tasks, changed without a change of length */
	const char *x[] = { head, t1, t2, t3, tail_fm }, *y[] = { head, t1, t2, t3, tail_fm2 };
	char *xa = cat(x, N(x)), *yb = cat(y, N(y));
	struct pair p = { .a = arena_new() };
	p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
	p.near = p.whole;
	const hver_t *w = whole(&p, yb), *n = near(&p, xa, yb);
	assert_same(w, n, "the front matter after the tasks, same length");
	assert_int_equal(p.near.nincremental, 0);
	hver_ctx_free(&p.whole);
	hver_ctx_free(&p.near);
	arena_free(p.a);
	free(xa);
	free(yb);
}

/* One-line flow items are items like any other; a flow list of tasks
 * cannot be cut by lines and is parsed whole. */
static void test_flow_tasks(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		size_t incremental;
	} cases[] = {
		{ "---\nnumber: \"2/KH-B\"\ntitle: B\ntasks:\n  - { id: \"1\", title: X, status: done }\n  - { id: \"2\", title: Y }\n---\n",
		  "---\nnumber: \"2/KH-B\"\ntitle: B\ntasks:\n  - { id: \"1\", title: X, status: in_progress }\n  - { id: \"2\", title: Y }\n---\n", 1 },
		{ "---\nnumber: \"2/KH-B\"\ntitle: B\ntasks: [{ id: \"1\", title: X, status: done },\n  { id: \"2\", title: Y }]\n---\n",
		  "---\nnumber: \"2/KH-B\"\ntitle: B\ntasks: [{ id: \"1\", title: X, status: in_progress },\n  { id: \"2\", title: Y }]\n---\n", 0 },
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct pair p = { .a = arena_new() };
		p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
		p.near = p.whole;
		const hver_t *w = whole(&p, cases[i].b), *n = near(&p, cases[i].a, cases[i].b);
		size_t inc = p.near.nincremental;
		int st = n->ntasks ? (int)n->tasks[0]->status : -1;
		assert_same(w, n, "flow style");
		hver_ctx_free(&p.whole);
		hver_ctx_free(&p.near);
		arena_free(p.a);
		assert_int_equal(inc, cases[i].incremental);
		assert_int_equal(st, STATUS_IN_PROGRESS);
	}
}

/* Items parsed near a version are read under a front matter without the
 * plan's groups (hver.c, parse_items): a task whose group is among the
 * plan's must parse as it does whole, one whose group is not must give
 * the whole file's error, whatever the ids are written with. */
static void test_near_groups(void **state)
{
	(void)state;
	static const char *const ghead =
		"---\n"
		"number: \"3/KH-C\"\n"
		"title: C\n"
		"groups:\n"
		"  - { id: I, title: \"Một\" }\n"
		"  - { id: \"A\\\"B\", title: \"Ngoặc\" }\n"
		"  - { id: \"C\\\\D\", title: \"Gạch\" }\n"
		"  - { id: \"IV\", title: \"Bốn\" }\n"
		"tasks:\n";
	static const char *const nohead = "---\nnumber: \"3/KH-C\"\ntitle: C\ntasks:\n";
	static const char *const a1 = "  - id: \"1\"\n    group: I\n    title: X\n    status: done\n";
	static const char *const b1 = "  - id: \"1\"\n    group: I\n    title: X\n    status: in_progress\n";
	static const char *const q2 = "  - id: \"2\"\n    group: \"A\\\"B\"\n    title: Y\n";
	static const char *const q2b = "  - id: \"2\"\n    group: \"A\\\"B\"\n    title: Yy\n";
	static const char *const s2b = "  - id: \"2\"\n    group: \"C\\\\D\"\n    title: Yy\n";
	static const char *const i2b = "  - id: \"2\"\n    group: IV\n    title: Yy\n";
	static const char *const u2b = "  - id: \"2\"\n    group: \"A\"\n    title: Yy\n";
	static const char *const p2b = "  - id: \"2\"\n    group: I V\n    title: Yy\n";
	static const char *const end = "---\n";
	static const struct {
		const char *what;
		const char *a[4], *b[4];
		bool incremental, broken;
	} cases[] = {
		{ "a listed group", { ghead, a1, q2, end }, { ghead, b1, q2, end }, true, false },
		{ "a group with a quote", { ghead, a1, q2, end }, { ghead, a1, q2b, end }, true, false },
		{ "a group with a backslash", { ghead, a1, q2, end }, { ghead, a1, s2b, end }, true, false },
		{ "the last group", { ghead, a1, q2, end }, { ghead, a1, i2b, end }, true, false },
		{ "a group cut short", { ghead, a1, q2, end }, { ghead, a1, u2b, end }, false, true },
		{ "a group not listed", { ghead, a1, q2, end }, { ghead, a1, p2b, end }, false, true },
		{ "a group and no groups", { nohead, a1, end, "" }, { nohead, b1, end, "" }, false, true },
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct pair p = { .a = arena_new() };
		p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
		p.near = p.whole;
		char *a = cat(cases[i].a, 4), *b = cat(cases[i].b, 4);
		const hver_t *w = whole(&p, b), *n = near(&p, a, b);
		assert_same(w, n, cases[i].what);
		if ((p.near.nincremental == 1) != cases[i].incremental || n->broken != cases[i].broken)
			fail_msg("%s: parsed from its neighbour: %zu, broken %d", cases[i].what, p.near.nincremental,
				 n->broken);
		free(a);
		free(b);
		hver_ctx_free(&p.whole);
		hver_ctx_free(&p.near);
		arena_free(p.a);
	}
}

/* t1 of test_near_equals_whole with its line `line` (a prefix of it)
 * written `with` instead. */
static char *t1_with(const char *base, const char *line, const char *with)
{
	const char *at = strstr(base, line);
	assert_non_null(at);
	const char *end = strchr(at, '\n') + 1;
	buf_t b = BUF_INIT;
	buf_put(&b, base, (size_t)(at - base));
	buf_puts(&b, with);
	buf_puts(&b, end);
	return buf_detach(&b);
}

static void same_task_fields(const hver_t *a, const hver_t *b, const char *what)
{
	for (size_t i = 0; !a->broken && i < a->ntasks; i++) {
		const htask_t *x = a->tasks[i], *y = b->tasks[i];
		if (x->due.ongoing != y->due.ongoing || x->due.parsed != y->due.parsed ||
		    x->due_written != y->due_written || x->completed != y->completed ||
		    !same_str(x->lead_first, y->lead_first) || !same_str(x->support_key, y->support_key))
			fail_msg("%s: task %zu differs", what, i);
	}
}

/* A task that differs from the next version's only in its status,
 * progress or deadline is that task with those values read again, with
 * no YAML parse (hver.c, patch_task); anything else in the values, or
 * anything around them, is parsed, and every version equals the same text
 * parsed whole. */
static void test_near_patched(void **state)
{
	(void)state;
	static const char *const t3due =
		"  - id: \"3\"\n"
		"    title: \"Việc ba\"\n"
		"    due: \"Năm 2026\"\n"
		"    due_date: 2026-01-15\n";
	static const struct {
		const char *what, *task, *line, *with;
		bool patched, broken;
	} cases[] = {
		{ "a status", "t1", "    status:", "    status: done\n", true, false },
		{ "a status in words", "t1", "    status:", "    status: \"Hoàn thành\"\n", true, false },
		{ "a status with blanks", "t1", "    status:", "    status: \" done  \"   \n", true, false },
		{ "a status left empty", "t1", "    status:", "    status: null\n", true, false },
		{ "a status unknown", "t1", "    status:", "    status: xong\n", false, true },
		{ "a status and a comment", "t1", "    status:", "    status: done # xong\n", false, false },
		{ "a status quoted once", "t1", "    status:", "    status: 'done'\n", false, false },
		{ "a status with an escape", "t1", "    status:", "    status: \"\\x64one\"\n", false, false },
		{ "a status over two lines", "t1", "    status:", "    status: \"done\n      \"\n", false, false },
		{ "a status as a list", "t1", "    status:", "    status: [done]\n", false, true },
		{ "a progress", "t1", "    progress:", "    progress: 80\n", true, false },
		{ "a progress quoted", "t1", "    progress:", "    progress: \"80\"\n", true, false },
		{ "a progress over 100", "t1", "    progress:", "    progress: 150\n", true, false },
		{ "a progress left empty", "t1", "    progress:", "    progress: ~\n", true, false },
		{ "a progress with %", "t1", "    progress:", "    progress: 80%\n", false, false },
		{ "a progress not a number", "t1", "    progress:", "    progress: nhiều\n", false, true },
		{ "a deadline", "t1", "    due:", "    due: \"Năm 2027\"\n", true, false },
		{ "a deadline unquoted", "t1", "    due:", "    due: Thường xuyên\n", true, false },
		{ "a deadline as a date", "t1", "    due:", "    due: 2026-05-31\n", true, false },
		{ "a deadline unread", "t1", "    due:", "    due: \"khi nào xong\"\n", true, false },
		{ "a deadline not NFC", "t1", "    due:", "    due: \"Na\xcc\x86m 2027\"\n", false, false },
		{ "a deadline beside due_date", "t3", "    due:", "    due: \"Năm 2027\"\n", false, false },
		{ "a deadline indented deeper", "t1", "    due:", "      due: \"Năm 2027\"\n", false, true },
		{ "a status and a title", "t1", "    title:", "    title: \"Việc một.\"\n", false, false },
	};
	for (size_t i = 0; i < N(cases); i++) {
		const char *task = !strcmp(cases[i].task, "t1") ? t1 : t3due;
		char *changed = t1_with(task, cases[i].line, cases[i].with);
		if (!strcmp(cases[i].what, "a status and a title")) {
			char *both = t1_with(changed, "    status:", "    status: done\n");
			free(changed);
			changed = both;
		}
		bool first = task == t1;
		const char *pa[] = { head, t1, t2, first ? t3 : task, tail };
		const char *pb[] = { head, first ? changed : t1, t2, first ? t3 : changed, tail };
		char *a = cat(pa, N(pa)), *b = cat(pb, N(pb));
		struct pair p = { .a = arena_new() };
		p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
		p.near = p.whole;
		const hver_t *w = whole(&p, b);
		git_oid r = oid_of(++p.n), o = oid_of(++p.n);
		const hver_t *ref = hver_of(&p.near, &r, "content/plans/a.md", a, strlen(a), NULL);
		size_t before = p.near.nbytes;
		const hver_t *n = hver_of(&p.near, &o, "content/plans/a.md", b, strlen(b), ref);
		assert_same(w, n, cases[i].what);
		same_task_fields(w, n, cases[i].what);
		bool patched = p.near.nbytes == before;
		if (patched != cases[i].patched || n->broken != cases[i].broken)
			fail_msg("%s: patched %d, broken %d", cases[i].what, patched, n->broken);
		/* a patched task's version is a neighbour like any other:
		 * the version before it is patched from it in turn */
		if (patched && first) {
			char *again = t1_with(changed, "    status:", "    status: cancelled\n");
			const char *pc[] = { head, again, t2, t3, tail };
			char *c = cat(pc, N(pc));
			git_oid oc = oid_of(++p.n);
			const hver_t *wc = whole(&p, c);
			before = p.near.nbytes;
			const hver_t *nc = hver_of(&p.near, &oc, "content/plans/a.md", c, strlen(c), n);
			assert_same(wc, nc, cases[i].what);
			same_task_fields(wc, nc, cases[i].what);
			assert_int_equal(p.near.nbytes, before);
			assert_int_equal(nc->tasks[0]->status, STATUS_CANCELLED);
			free(again);
			free(c);
		}
		free(changed);
		free(a);
		free(b);
		hver_ctx_free(&p.whole);
		hver_ctx_free(&p.near);
		arena_free(p.a);
	}
}

/* The built commit's versions (hver_from_plan) come from a model whose
 * errors are not the history's: none of their tasks is patched, every
 * changed one is parsed. */
static void test_near_model_parsed(void **state)
{
	(void)state;
	char *changed = t1_with(t1, "    status:", "    status: done\n");
	const char *pa[] = { head, t1, t2, t3, tail }, *pb[] = { head, changed, t2, t3, tail };
	char *a = cat(pa, N(pa)), *b = cat(pb, N(pb));
	arena_t *pa_arena = arena_new();
	diag_t *d = diag_new();
	rfile_t f = { .path = "content/plans/a.md", .rel = "plans/a.md", .data = a, .len = strlen(a) };
	model_opts_t mo = { 0 };
	plan_t *pl = model_parse_plan(pa_arena, d, &f, &mo);
	assert_non_null(pl);
	struct pair p = { .a = arena_new() };
	p.near = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
	hver_t *ref = hver_from_plan(&p.near, pl, a, strlen(a), NULL);
	git_oid o = oid_of(++p.n);
	size_t before = p.near.nbytes;
	const hver_t *n = hver_of(&p.near, &o, "content/plans/a.md", b, strlen(b), ref);
	assert_false(n->broken);
	assert_int_equal(n->tasks[0]->status, STATUS_DONE);
	assert_true(p.near.nbytes > before);
	hver_ctx_free(&p.near);
	arena_free(p.a);
	arena_free(pa_arena);
	diag_free(d);
	free(a);
	free(b);
	free(changed);
}

/* A version that differs from its neighbour in one task has that task
 * parsed, under a front matter of three lines: not the plan's groups nor
 * any other task. */
static void test_near_reads_little(void **state)
{
	(void)state;
	static const char *const ghead =
		"---\nnumber: \"4/KH-D\"\ntitle: D\ngroups:\n"
		"  - { id: I, title: \"Nhóm một\" }\n  - { id: II, title: \"Nhóm hai\" }\n"
		"  - { id: III, title: \"Nhóm ba\" }\n  - { id: IV, title: \"Nhóm bốn\" }\n"
		"tasks:\n";
	buf_t a = BUF_INIT, b = BUF_INIT;
	buf_puts(&a, ghead);
	buf_puts(&b, ghead);
	static const char *const roman[] = { "I", "II", "III", "IV" };
	size_t changed = 0;
	for (int i = 1; i <= 40; i++) {
		buf_t t = BUF_INIT;
		buf_printf(&t, "  - id: \"%d\"\n    group: %s\n    title: \"Việc số %d\"\n    lead: Sở A\n"
			   "    due: \"2026-03-31\"\n    status: %s\n    progress: 50\n",
			   i, roman[i % 4], i, "in_progress");
		buf_puts(&a, t.ptr);
		if (i == 17) {
			/* a title (a status alone is not parsed at all:
			 * test_near_patched) */
			memcpy(strstr(t.ptr, "Việc số"), "Việc sổ", strlen("Việc sổ"));
			changed = t.len;
		}
		buf_puts(&b, t.ptr);
		buf_free(&t);
	}
	buf_puts(&a, "---\nNội dung.\n");
	buf_puts(&b, "---\nNội dung.\n");
	struct pair p = { .a = arena_new() };
	p.whole = (hver_ctx_t){ .a = p.a, .rel_off = strlen("content/") };
	p.near = p.whole;
	const hver_t *w = whole(&p, b.ptr);
	size_t before = p.near.nbytes;
	git_oid r = oid_of(++p.n), o = oid_of(++p.n);
	const hver_t *ref = hver_of(&p.near, &r, "content/plans/a.md", a.ptr, a.len, NULL);
	size_t whole_bytes = p.near.nbytes - before;
	before = p.near.nbytes;
	const hver_t *n = hver_of(&p.near, &o, "content/plans/a.md", b.ptr, b.len, ref);
	assert_same(w, n, "one task of forty");
	assert_int_equal(p.near.nincremental, 1);
	assert_string_equal(n->tasks[16]->title, "Việc sổ 17");
	assert_ptr_equal(n->tasks[15], ref->tasks[15]);
	assert_ptr_equal(n->tasks[17], ref->tasks[17]);
	/* "---", id, title, "tasks:", the task, "---" */
	assert_int_equal(p.near.nbytes - before, strlen("---\nid: h\ntitle: h\ntasks:\n") + changed + 4);
	assert_true(whole_bytes > 20 * changed);
	hver_ctx_free(&p.whole);
	hver_ctx_free(&p.near);
	arena_free(p.a);
	buf_free(&a);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_near_equals_whole),
		cmocka_unit_test(test_flow_tasks),
		cmocka_unit_test(test_near_groups),
		cmocka_unit_test(test_near_reads_little),
		cmocka_unit_test(test_near_patched),
		cmocka_unit_test(test_near_model_parsed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
