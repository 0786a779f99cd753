/* test_model.c: unit tests of model.c, xref.c and progress.c on in-memory
 * snapshots: required fields, params, scoped units, the graph, roll-ups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "due.h"
#include "facts.h"
#include "model.h"
#include "progress.h"
#include "xref.h"

#include "site_fixture.h"



static const plan_t *plan(const fixture_t *f, const char *number)
{
	for (size_t i = 0; i < f->s->nplans; i++)
		if (f->s->plans[i]->number && !strcmp(f->s->plans[i]->number, number))
			return f->s->plans[i];
	fail_msg("no plan %s", number);
	return NULL;
}

static void test_fields_and_params(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "plans/a.md", "---\nnumber: \"12/KH-UBND\"\ntitle: T\nplace: Thái Nguyên\n"
				"signer: { name: A, title: Chủ tịch, for: TM. UBND }\nextra: { k: 1 }\n"
				"indicators:\n  - { id: \"1\", name: N, target: \"≥ 70\", actual: \"72\" }\n"
				"  - { id: \"2\", name: M, target: \"100%\", actual: \"80%\" }\n"
				"  - { id: \"3\", name: K, target: \"Có\" }\n---\n" },
		{ "plans/b.md", "---\nid: khong-so\ntitle: U\nstatus: draft\n---\n" },
		{ "plans/c.md", "---\nid: co-id\ntitle: V\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 3, 20251215);
	assert_int_equal(diag_errors(f.d), 0);
	assert_int_equal(f.s->nplans, 2);   /* the draft is not published */
	const plan_t *p = plan(&f, "12/KH-UBND");
	assert_string_equal(p->type, "Kế hoạch");   /* from the type code KH */
	assert_string_equal(p->signer_for, "TM. UBND");
	assert_non_null(p->params);
	assert_string_equal(ynode_key(p->params, 0)->str, "extra");
	assert_int_equal(p->indicators[0].met, 1);
	assert_int_equal(p->indicators[1].met, 0);
	assert_int_equal(p->indicators[2].met, -1);
	assert_string_equal(p->slug, "12-kh-ubnd");
	assert_string_equal(f.s->plans[0]->slug, "12-kh-ubnd");
	assert_string_equal(f.s->plans[1]->url, "/ke-hoach/co-id/");
	unload(&f);
}

/* A record's keys in any order, and keys no field has, in tasks, indicators
 * and the plan: each field read, each message at its key or value, the
 * unknown keys kept (the plan's, the task's) and named with --strict. */
static void test_keys_any_order(void **state)
{
	(void)state;
	const char *text =
		"---\n"
		"note_plan: z\n"                                   /* 2 */
		"title: T\n"
		"number: \"5/KH-X\"\n"
		"groups:\n"
		"  - { id: I, title: G }\n"                        /* 6 */
		"tasks:\n"
		"  - progress: 100\n"                              /* 8 */
		"    status: in_progress\n"
		"    lead: Sở A\n"
		"    title: Việc một\n"
		"    id: \"1\"\n"
		"    group: I\n"
		"    mau: đỏ\n"                                    /* 14 */
		"  - { completed: 2025-01-02, status: done, progress: 50, group: II, id: \"2\", title: x }\n"
		"  - { id: \"3\", title: y, lead: Sở B, status: done, completed: 2025-01-03, source: \"a 1/QĐ\" }\n"
		"indicators:\n"
		"  - { khac: 1, owner: Sở A, name: N }\n"          /* 18 */
		"---\n";
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	model_opts_t o = { .strict = true };
	rfile_t f = { .path = "content/plans/x.md", .rel = "plans/x.md", .data = text, .len = strlen(text) };
	plan_t *p = model_parse_plan(a, d, &f, &o);
	assert_non_null(p);
	assert_string_equal(p->number, "5/KH-X");
	assert_string_equal(p->title, "T");
	assert_non_null(p->params);
	assert_int_equal(p->params->n, 1);
	assert_string_equal(ynode_key(p->params, 0)->str, "note_plan");
	assert_int_equal(p->ntasks, 3);
	const task_t *t = &p->tasks[0];
	assert_string_equal(t->id, "1");
	assert_string_equal(t->title, "Việc một");
	assert_string_equal(t->group, "I");
	assert_int_equal(t->lead.n, 1);
	assert_string_equal(t->lead.v[0].text, "Sở A");
	assert_int_equal(t->status, STATUS_IN_PROGRESS);
	assert_int_equal(t->progress, 100);
	assert_non_null(t->params);
	assert_int_equal(t->params->n, 1);
	assert_string_equal(ynode_key(t->params, 0)->str, "mau");
	assert_null(p->tasks[1].params);
	assert_int_equal(p->tasks[1].status, STATUS_DONE);
	assert_int_equal(p->tasks[1].completed, 20250102);
	assert_int_equal(p->tasks[2].source_at.line, 16);
	assert_int_equal(p->tasks[2].completed_at.line, 16);
	assert_int_equal(p->nindicators, 1);
	assert_string_equal(p->indicators[0].name, "N");
	assert_string_equal(p->indicators[0].owner.text, "Sở A");
	char *all = diag_format(d);
	static const char *const want[] = {
		"x.md:2:1: warning: [W010]",    /* note_plan */
		"x.md:8:15: warning: [W019]",   /* progress 100, not done */
		"x.md:14:5: warning: [W010]",   /* mau */
		"x.md:15:5: error: [E068]",     /* no lead (strict): at the task */
		"x.md:15:65: error: [E030]",    /* group II */
		"x.md:15:54: warning: [W014]",  /* done at 50% */
		"x.md:18:7: warning: [W010]",   /* khac */
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!strstr(all, want[i])) {
			fputs(all, stderr);
			fail_msg("no \"%s\" in the messages above", want[i]);
		}
	assert_int_equal(diag_errors(d), 2);
	assert_int_equal(diag_warnings(d), 5);
	free(all);
	diag_free(d);
	arena_free(a);
}

/* A task id given again: one message for each earlier task with it. */
static void test_repeated_ids(void **state)
{
	(void)state;
	const char *text =
		"---\n"
		"number: \"6/KH-X\"\n"
		"title: T\n"
		"tasks:\n"
		"  - { id: \"1\", title: a, lead: A }\n"    /* 5 */
		"  - { id: \"12\", title: b, lead: A }\n"
		"  - { id: \"1\", title: c, lead: A }\n"    /* 7 */
		"  - { id: \"2\", title: d, lead: A }\n"
		"  - { id: \"1\", title: e, lead: A }\n"    /* 9 */
		"  - { title: f, lead: A }\n"
		"  - { title: g, lead: A }\n"
		"---\n";
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	model_opts_t o = { 0 };
	rfile_t f = { .path = "p.md", .rel = "p.md", .data = text, .len = strlen(text) };
	plan_t *p = model_parse_plan(a, d, &f, &o);
	assert_non_null(p);
	assert_int_equal(p->ntasks, 7);
	char *all = diag_format(d);
	static const char *const want[] = {
		"p.md:7:5: error: [E042] id nhiệm vụ \"1\" bị trùng (đã có ở dòng 5)",
		"p.md:9:5: error: [E042] id nhiệm vụ \"1\" bị trùng (đã có ở dòng 5)",
		"p.md:9:5: error: [E042] id nhiệm vụ \"1\" bị trùng (đã có ở dòng 7)",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!strstr(all, want[i])) {
			fputs(all, stderr);
			fail_msg("no \"%s\" in the messages above", want[i]);
		}
	/* and the two tasks without an id: E028 each, no E042 */
	assert_int_equal(diag_errors(d), 5);
	free(all);
	diag_free(d);
	arena_free(a);
}

/* Two Sở, each with a Văn phòng; a Phòng under the first one's. */
#define SCOPED_UNITS "- { id: a, name: Sở A }\n- { id: b, name: Sở B }\n" \
		     "- { id: vp-a, name: Văn phòng, parent: a }\n" \
		     "- { id: vp-b, name: Văn phòng, parent: b }\n" \
		     "- { id: p-a, name: Phòng Một, parent: vp-a }\n"

static void test_scoped_units(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "units.yaml", SCOPED_UNITS },
		{ "plans/a.md", "---\nnumber: \"1/KH-A\"\ntitle: T\nissuer: Sở A\ntasks:\n"
				"  - { id: \"1\", title: x, lead: Văn phòng, support: [Phòng Một] }\n---\n" },
		{ "plans/b.md", "---\nnumber: \"1/KH-B\"\ntitle: T\nissuer: sở b\ntasks:\n"
				"  - { id: \"1\", title: x, lead: VĂN PHÒNG }\n---\n" },
		{ "plans/c.md", "---\nnumber: \"1/KH-C\"\ntitle: T\ntasks:\n"
				"  - { id: \"1\", title: x, lead: Văn phòng }\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 4, 20251215);
	assert_string_equal(plan(&f, "1/KH-A")->tasks[0].lead.v[0].unit->id, "vp-a");
	assert_string_equal(plan(&f, "1/KH-A")->tasks[0].support.v[0].unit->id, "p-a");
	assert_string_equal(plan(&f, "1/KH-B")->tasks[0].lead.v[0].unit->id, "vp-b");
	/* no issuer: the name is ambiguous site-wide, which check says */
	char *msgs = diag_format(f.d);
	assert_non_null(strstr(msgs, "c.md:5:32: warning: [W030] \"Văn phòng\" trùng tên với nhiều đơn vị"));
	free(msgs);
	unload(&f);
}

/* Each plan's unit names (plan_t.unames), once each in the order first
 * written, with the unit the plan's scope gave them; a past version's
 * names resolve through them as the plan does (facts_unit_named); and the
 * plans' ranks are their places in the site. */
static void test_plan_unames(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "units.yaml", SCOPED_UNITS },
		{ "plans/b.md", "---\nnumber: \"1/KH-B\"\ntitle: T\nissuer: Sở B\ntasks:\n"
				"  - { id: \"1\", title: x, lead: Văn phòng, support: [Sở A] }\n---\n" },
		{ "plans/a.md", "---\nnumber: \"1/KH-A\"\ntitle: T\nissuer: Sở A\ntasks:\n"
				"  - { id: \"1\", title: x, lead: Văn phòng, support: [Phòng Một, Sở B] }\n"
				"  - { id: \"2\", title: y, lead: [Phòng Một, Văn phòng] }\n"
				"  - { id: \"3\", title: z, lead: Sở B, support: [Văn phòng] }\n---\n" },
		{ "plans/c.md", "---\nnumber: \"1/KH-C\"\ntitle: T\nissuer: Sở A\ntasks:\n"
				"  - { id: \"1\", title: x, lead: Sở B }\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 4, 20251215);
	for (size_t i = 0; i < f.s->nplans; i++)
		assert_int_equal(f.s->plans[i]->rank, i + 1);
	const plan_t *pa = plan(&f, "1/KH-A"), *pb = plan(&f, "1/KH-B");
	assert_true(pa->rank < pb->rank);   /* by key: 1/KH-A, then 1/KH-B */
	assert_int_equal(pa->nunames, 3);
	assert_string_equal(pa->unames[0].text, "Văn phòng");
	assert_string_equal(pa->unames[0].unit->id, "vp-a");
	assert_string_equal(pa->unames[1].text, "Phòng Một");
	assert_string_equal(pa->unames[1].unit->id, "p-a");
	assert_string_equal(pa->unames[2].text, "Sở B");
	assert_string_equal(pa->unames[2].unit->id, "b");
	assert_int_equal(pb->nunames, 2);
	assert_string_equal(pb->unames[0].unit->id, "vp-b");
	/* the same text, each plan's own unit */
	assert_string_equal(facts_unit_named(f.s, pa, "Văn phòng")->id, "vp-a");
	assert_string_equal(facts_unit_named(f.s, pb, "Văn phòng")->id, "vp-b");
	/* written only as a supporting unit */
	assert_string_equal(facts_unit_named(f.s, pb, "Sở A")->id, "a");
	/* not among the plan's names: the registry's, by name in any spelling */
	assert_string_equal(facts_unit_named(f.s, pb, "PHÒNG MỘT")->id, "p-a");
	assert_null(facts_unit_named(f.s, pa, "Phòng Hai"));
	/* a name two units share: the first of the site's units with it */
	const unit_t *first_vp = NULL;
	for (size_t i = 0; i < f.s->nunits && !first_vp; i++)
		if (!strcmp(f.s->units[i]->name, "Văn phòng"))
			first_vp = f.s->units[i];
	assert_non_null(first_vp);
	assert_ptr_equal(facts_unit_named(f.s, NULL, "VĂN PHÒNG"), first_vp);
	/* each unit's plans, by rank, each once, led or supported */
	const unit_t *vpa = pa->unames[0].unit, *sob = pa->unames[2].unit, *soa = pb->unames[1].unit;
	assert_int_equal(vpa->nplan_ranks, 1);
	assert_int_equal(vpa->plan_ranks[0], pa->rank);
	assert_int_equal(sob->nplan_ranks, 2);   /* in A supports task 1, leads task 3 */
	assert_int_equal(sob->plan_ranks[0], pa->rank);
	assert_int_equal(sob->plan_ranks[1], plan(&f, "1/KH-C")->rank);
	assert_true(pb->rank < plan(&f, "1/KH-C")->rank);
	assert_string_equal(soa->id, "a");
	assert_int_equal(soa->nplan_ranks, 1);
	assert_int_equal(soa->plan_ranks[0], pb->rank);
	unload(&f);
}

/* A diamond: plans P and Q both implement D; Q also implements P.  D's
 * roll-up counts each task once. */
static void test_rollup_once(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "documents.yaml", "- { number: 57-NQ/TW }\n- { number: 71/NQ-CP, aliases: [71-NQ/CP], implements: [57-NQ/TW] }\n" },
		{ "plans/p.md", "---\nnumber: \"1/KH-P\"\ntitle: P\nimplements: [71-nq/cp]\ntasks:\n"
				"  - { id: \"1\", title: x, status: done }\n"
				"  - { id: \"2\", title: y, status: cancelled }\n"
				"  - { id: \"3\", title: z, due: 01/12/2025 }\n---\n" },
		{ "plans/q.md", "---\nnumber: \"2/KH-Q\"\ntitle: Q\nimplements: [71/NQ-CP, 1/KH-P, 57 - NQ/TW]\ntasks:\n"
				"  - { id: \"1\", title: x, status: in_progress, due: 15/12/2025 }\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 3, 20251215);
	assert_int_equal(diag_errors(f.d), 0);
	const plan_t *p = plan(&f, "1/KH-P");
	assert_int_equal(p->stats.total, 3);
	assert_int_equal(p->stats.percent_done, 50);   /* 1 / (3 - 1) */
	assert_int_equal(p->stats.overdue, 1);
	assert_false(plan(&f, "2/KH-Q")->tasks[0].overdue);   /* the deadline day is on time */
	doc_t *top = xref_find_doc(f.s, "57-nq/tw");
	assert_non_null(top);
	assert_int_equal(top->stats.total, 4);
	assert_int_equal(top->stats.done, 1);
	doc_t *mid = xref_find_doc(f.s, "71-NQ/CP");
	assert_string_equal(mid->number, "71/NQ-CP");
	assert_int_equal(mid->stats.total, 4);
	unload(&f);
}

static const unit_t *unit(const fixture_t *f, const char *id)
{
	for (size_t i = 0; i < f->s->nunits; i++)
		if (f->s->units[i]->id && !strcmp(f->s->units[i]->id, id))
			return f->s->units[i];
	fail_msg("no unit %s", id);
	return NULL;
}

/* A unit's roll-ups count each task of it and its sub-units once, a task
 * both led and supported there as led, and agree with the task list its
 * page shows (progress_unit_tasks). */
static void test_unit_rollups(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "units.yaml", "- { id: a, name: Sở A }\n- { id: b, name: Phòng B, parent: a }\n- { id: c, name: Sở C }\n" },
		{ "plans/p.md", "---\nnumber: \"1/KH-P\"\ntitle: P\ntasks:\n"
				"  - { id: \"1\", title: t, lead: Sở A, support: Phòng B, status: done }\n"
				"  - { id: \"2\", title: t, lead: Phòng B, support: Sở A }\n"
				"  - { id: \"3\", title: t, lead: [Sở A, Phòng B] }\n"
				"  - { id: \"4\", title: t, lead: Sở C, support: [Sở A, Phòng B] }\n---\n" },
		{ "plans/q.md", "---\nnumber: \"2/KH-Q\"\ntitle: Q\ntasks:\n"
				"  - { id: \"1\", title: t, lead: [Phòng B, Phòng B], status: done }\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 3, 20251215);
	const unit_t *a = unit(&f, "a"), *b = unit(&f, "b");
	assert_int_equal(a->roll_lead.total, 4);     /* p1, p2, p3, q1 */
	assert_int_equal(a->roll_lead.done, 2);
	assert_int_equal(a->roll_support.total, 1);  /* p4: the others are led here */
	assert_int_equal(a->roll_all.total, 5);
	assert_int_equal(b->roll_lead.total, 3);     /* p2, p3, q1 */
	assert_int_equal(b->roll_support.total, 2);  /* p1, p4 */
	assert_int_equal(b->roll_all.total, 5);
	for (size_t i = 0; i < f.s->nunits; i++) {
		const unit_t *u = f.s->units[i];
		utasks_t ut;
		progress_unit_tasks(u, &ut);
		assert_int_equal(ut.nled, u->roll_lead.total);
		assert_int_equal(ut.n, u->roll_all.total);
		utasks_free(&ut);
	}
	unload(&f);
}

static void test_stats_rules(void **state)
{
	(void)state;
	stats_t st = { 0 };
	stats_finish(&st);
	assert_int_equal(st.percent_done, 0);   /* nothing to count */
	task_t t = { 0 };
	t.status = STATUS_CANCELLED;
	stats_add(&st, &t);
	stats_finish(&st);
	assert_int_equal(st.percent_done, 0);   /* all cancelled: no division by zero */
	t.status = STATUS_DONE;
	stats_add(&st, &t);
	t.status = STATUS_IN_PROGRESS;
	stats_add(&st, &t);
	stats_add(&st, &t);
	stats_finish(&st);
	assert_int_equal(st.percent_done, 33);   /* rounded down */
}

static void test_required(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "plans/a.md", "---\ntitle: T\ntasks:\n  - { title: x }\n  - { id: \"2\" }\n---\n" },
		{ "pages/gioi-thieu.md", "---\nslug: x\n---\n" },
		{ "pages/ke-hoach.md", "---\ntitle: Reserved\n---\n" },
	};
	fixture_t f;
	fixture_load(&f, files, 3, 20251215);
	char *msgs = diag_format(f.d);
	assert_non_null(strstr(msgs, "content/pages/gioi-thieu.md:1:1: error: [E043] trang không có title"));
	assert_non_null(strstr(msgs, "content/pages/ke-hoach.md:1:1: error: [E044] địa chỉ trang /ke-hoach/ dành riêng"));
	assert_non_null(strstr(msgs, "content/plans/a.md:2:1: error: [E036] kế hoạch cần số ký hiệu hoặc id"));
	assert_non_null(strstr(msgs, "content/plans/a.md:4:5: error: [E028] nhiệm vụ không có id"));
	assert_non_null(strstr(msgs, "content/plans/a.md:5:5: error: [E029] nhiệm vụ 2 không có title"));
	free(msgs);
	unload(&f);
}

/* due_exact of tasks sharing a deadline's text (model_plan.c remembers
 * it by text and date while plans parse): a due_date moves the date, and
 * with it the answer, for that task only, in the plan and in the next
 * one; a text longer than the memo's slots too. */
#define DUE_TASKS \
	"tasks:\n" \
	"  - { id: \"1\", title: a, lead: A, due: \"30/6/2026\" }\n" \
	"  - { id: \"2\", title: b, lead: A, due: \"30/6/2026\", due_date: 2026-07-01 }\n" \
	"  - { id: \"3\", title: c, lead: A, due: \"30/6/2026\" }\n" \
	"  - { id: \"4\", title: d, lead: A, due: \"Trước ngày 30/6/2026, báo cáo kết quả thực hiện về Sở\", due_date: 2026-06-30 }\n" \
	"  - { id: \"5\", title: e, lead: A, due: \"Trước ngày 30/6/2026, báo cáo kết quả thực hiện về Sở\", due_date: 2026-07-01 }\n" \
	"  - { id: \"6\", title: f, lead: A, due: \"Quý II/2026\", due_date: 2026-06-30 }\n" \
	"---\n"

static void test_due_exact_shared(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "plans/x.md", "---\nnumber: 6/KH-X\ntitle: T\n" DUE_TASKS },
		{ "plans/y.md", "---\nnumber: 7/KH-X\ntitle: U\n" DUE_TASKS },
	};
	fixture_t f;
	fixture_load(&f, files, 2, 20251215);
	static const bool want[] = { true, false, true, true, false, false };
	for (int k = 0; k < 2; k++) {
		const plan_t *p = plan(&f, k ? "7/KH-X" : "6/KH-X");
		assert_int_equal(p->ntasks, 6);
		for (size_t i = 0; i < 6; i++)
			if (p->tasks[i].due_exact != want[i])
				fail_msg("plan %d, task %zu: due_exact %d", k, i + 1, p->tasks[i].due_exact);
	}
	unload(&f);
}

/* Each task's deadline as due_parse reads its text, when model_plan.c
 * remembers the answers by the kept text's address: 300 distinct texts
 * (the memo grows past its first 256 slots twice), each written by two
 * tasks of each of two plans, unreadable ones among them. */
static void test_due_memo(void **state)
{
	(void)state;
	enum { NTEXT = 300 };
	char *due[NTEXT];
	for (int i = 0; i < NTEXT; i++) {
		char t[64];
		switch (i % 5) {
		case 0: snprintf(t, sizeof t, "%d/%d/%d", i % 28 + 1, i % 12 + 1, 2020 + i / 5); break;
		case 1: snprintf(t, sizeof t, "Tháng %d/%d", i % 12 + 1, 2020 + i / 5); break;
		case 2: snprintf(t, sizeof t, "Quý %s/%d", (const char *[]){ "I", "II", "III", "IV" }[i % 4], 2020 + i / 5); break;
		case 3: snprintf(t, sizeof t, "Năm %d và thường xuyên", 1900 + i); break;
		default: snprintf(t, sizeof t, "Khi có chỉ đạo số %d", i); break;
		}
		due[i] = strdup(t);
	}
	char *text[2];
	for (int k = 0; k < 2; k++) {
		size_t cap = 200 * NTEXT * 2 + 256, n = 0;
		text[k] = malloc(cap);
		n += (size_t)snprintf(text[k] + n, cap - n, "---\nnumber: %d/KH-X\ntitle: T\ntasks:\n", 6 + k);
		for (int j = 0; j < 2 * NTEXT; j++)
			n += (size_t)snprintf(text[k] + n, cap - n,
					      "  - { id: \"%d\", title: a, lead: A, due: \"%s\" }\n", j + 1,
					      due[(j * 7 + k) % NTEXT]);
		snprintf(text[k] + n, cap - n, "---\n");
	}
	const char *const files[][2] = { { "plans/x.md", text[0] }, { "plans/y.md", text[1] } };
	fixture_t f;
	fixture_load(&f, files, 2, 20251215);
	for (int k = 0; k < 2; k++) {
		const plan_t *p = plan(&f, k ? "7/KH-X" : "6/KH-X");
		assert_int_equal(p->ntasks, 2 * NTEXT);
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			const char *want_text = due[(j * 7 + (size_t)k) % NTEXT];
			assert_string_equal(t->due_text, want_text);
			due_t want;
			due_parse(want_text, &want);
			if (t->due.date != want.date || t->due.parsed != want.parsed ||
			    t->due.ongoing != want.ongoing)
				fail_msg("plan %d, task %zu (%s): date %d parsed %d ongoing %d", k, j + 1,
					 want_text, (int)t->due.date, t->due.parsed, t->due.ongoing);
		}
	}
	unload(&f);
	for (int k = 0; k < 2; k++)
		free(text[k]);
	for (int i = 0; i < NTEXT; i++)
		free(due[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_params),
		cmocka_unit_test(test_plan_unames),
		cmocka_unit_test(test_keys_any_order),
		cmocka_unit_test(test_repeated_ids),
		cmocka_unit_test(test_scoped_units),
		cmocka_unit_test(test_rollup_once),
		cmocka_unit_test(test_unit_rollups),
		cmocka_unit_test(test_stats_rules),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_due_exact_shared),
		cmocka_unit_test(test_due_memo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
