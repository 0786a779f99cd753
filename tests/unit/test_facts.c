/* test_facts.c: the home and deadlines pages' facts (facts.c), from tables
 * of sites built in memory: totals, the overdue ranking, the upcoming
 * window (its first and last day, the year end, leap days), the units
 * leading most overdue tasks, the newest plans, the deadlines rows and the
 * "5 rõ" summary of a plan, and a weekly report's lists by lead unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "hash.h"
#include "text.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXT 12

/* A task as a case writes it: its id (plan letter and number), deadline,
 * whether the work goes on after it, status, and whether progress found
 * it overdue. */
struct tcase {
	const char *id;
	date_t due;
	bool ongoing;
	status_t st;
	bool overdue;
};

struct scase {
	const char *name;
	date_t as_of;
	struct tcase tasks[MAXT];
	const char *overdue, *upcoming, *rows;   /* ids in order; rows as section:id */
};

static plan_t plans[3];
static task_t tasks[3][MAXT];
static plan_t *plan_ptrs[3];

/* Plans "a", "b", "c" (keys in that order), each task in the plan its id
 * starts with. */
static void make_site(site_t *s, const struct scase *c)
{
	static const char *const keys[] = { "a", "b", "c" };
	memset(plans, 0, sizeof plans);
	memset(tasks, 0, sizeof tasks);
	*s = (site_t){ .as_of = c->as_of, .plans = plan_ptrs, .nplans = 3 };
	for (int p = 0; p < 3; p++) {
		plans[p] = (plan_t){ .key = keys[p], .path = keys[p], .tasks = tasks[p],
				     .date = 20250101 + p };
		plan_ptrs[p] = &plans[p];
	}
	for (size_t i = 0; i < MAXT && c->tasks[i].id; i++) {
		const struct tcase *t = &c->tasks[i];
		plan_t *p = &plans[t->id[0] - 'a'];
		task_t *x = &p->tasks[p->ntasks];
		*x = (task_t){ .plan = p, .index = p->ntasks, .id = t->id, .status = t->st,
			       .overdue = t->overdue, .due = { t->due, t->ongoing, true } };
		p->ntasks++;
	}
}

static char *ids(const task_t *const *v, size_t n)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", v[i]->id);
	return b.ptr ? buf_detach(&b) : strdup("");
}

#define NS STATUS_NOT_STARTED
#define IP STATUS_IN_PROGRESS
#define DONE STATUS_DONE
#define CANC STATUS_CANCELLED

static const struct scase cases[] = {
	{ "empty", 20251215, { { 0 } }, "", "", "" },
	{ "overdue: oldest deadline first, then plan order", 20251215,
	  { { "b1", 20251101, false, NS, true }, { "a1", 20251201, false, IP, true },
	    { "a2", 20251101, false, NS, true }, { "c1", 20250301, false, NS, true } },
	  "c1 a2 b1 a1", "", "0:c1 0:a2 0:b1 0:a1" },
	{ "upcoming: from as_of to 30 days on, by date, open only", 20251215,
	  { { "a1", 20251215, false, NS, false },    /* the as-of day itself */
	    { "a2", 20260114, false, IP, false },    /* the 30th day: across the year end */
	    { "a3", 20260115, false, NS, false },    /* the 31st: not upcoming, still a row */
	    { "b1", 20251220, false, DONE, false },  /* done: not open */
	    { "b2", 20251220, false, CANC, false },
	    { "b3", 20251216, false, NS, false },
	    { "c1", 0, true, IP, false } },          /* ongoing, no date */
	  "", "a1 b3 a2", "1:a1 1:b3 1:a2 1:a3 2:c1" },
	{ "leap February", 20240215,
	  { { "a1", 20240229, false, NS, false }, { "a2", 20240316, false, NS, false },
	    { "a3", 20240317, false, NS, false } },
	  "", "a1 a2", "1:a1 1:a2 1:a3" },
	{ "ties on a date: plan key, then order in the plan", 20251201,
	  { { "c1", 20251210, false, NS, false }, { "b2", 20251210, false, NS, false },
	    { "b1", 20251210, false, NS, false }, { "a1", 20251211, false, NS, false } },
	  "", "b2 b1 c1 a1", "1:b2 1:b1 1:c1 1:a1" },
	{ "then ongoing: past its date and not overdue is an ongoing row", 20251215,
	  { { "a1", 20251130, true, IP, false }, { "a2", 20251130, true, NS, true },
	    { "a3", 20260101, true, NS, false } },
	  "a2", "a3", "0:a2 1:a3 2:a1" },
};

static void test_home_and_rows(void **state)
{
	for (size_t k = 0; k < N(cases); k++) {
		site_t s;
		make_site(&s, &cases[k]);
		facts_home_t f;
		facts_home(&s, &f);
		char *od = ids(f.overdue, f.noverdue), *up = ids(f.upcoming, f.nupcoming);
		if (strcmp(od, cases[k].overdue) || strcmp(up, cases[k].upcoming))
			fail_msg("%s: overdue \"%s\" upcoming \"%s\", want \"%s\" and \"%s\"",
				 cases[k].name, od, up, cases[k].overdue, cases[k].upcoming);
		free(od);
		free(up);
		/* the totals count every task once */
		size_t n = 0;
		int nover = 0;
		for (size_t i = 0; i < MAXT && cases[k].tasks[i].id; i++, n++)
			nover += cases[k].tasks[i].overdue &&
				 cases[k].tasks[i].st != DONE && cases[k].tasks[i].st != CANC;
		assert_int_equal(f.totals.total, (int)n);
		assert_int_equal(f.totals.overdue, nover);
		facts_home_free(&f);

		facts_row_t *rows;
		size_t nr = facts_deadline_rows(&s, &rows);
		buf_t b = BUF_INIT;
		for (size_t i = 0; i < nr; i++)
			buf_printf(&b, "%s%d:%s", i ? " " : "", (int)rows[i].section, rows[i].task->id);
		const char *got = b.ptr ? b.ptr : "";
		if (strcmp(got, cases[k].rows))
			fail_msg("%s: rows \"%s\", want \"%s\"", cases[k].name, got, cases[k].rows);
		buf_free(&b);
		free(rows);
	}
}

static void test_late_units_and_newest(void **state)
{
	static const struct { const char *name; int overdue; } us[] = {
		{ "Sở A", 2 }, { "Sở B", 0 }, { "Sở C", 5 }, { "Sở D", 2 }, { "Sở E", 1 },
	};
	unit_t units[N(us)];
	unit_t *up[N(us)];
	for (size_t i = 0; i < N(us); i++) {
		units[i] = (unit_t){ .name = us[i].name };
		units[i].lead_stats.overdue = us[i].overdue;
		up[i] = &units[i];
	}
	plan_t p[4] = {
		{ .key = "b", .date = 20250301 }, { .key = "a", .date = 20250301 },
		{ .key = "c", .date = 20251231 }, { .key = "d", .date = 20240229 },
	};
	plan_t *pp[4] = { &p[0], &p[1], &p[2], &p[3] };
	site_t s = { .as_of = 20251215, .units = up, .nunits = N(us), .plans = pp, .nplans = 4 };
	facts_home_t f;
	facts_home(&s, &f);
	/* most overdue first; ties keep the site's order; none without */
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < f.nlate_units; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", f.late_units[i]->name);
	assert_string_equal(b.ptr, "Sở C, Sở A, Sở D, Sở E");
	buf_free(&b);
	/* newest first; the same day by key */
	assert_int_equal(f.nnewest, 4);
	assert_string_equal(f.newest[0]->key, "c");
	assert_string_equal(f.newest[1]->key, "a");
	assert_string_equal(f.newest[2]->key, "b");
	assert_string_equal(f.newest[3]->key, "d");
	facts_home_free(&f);
	facts_home_free(NULL);
}

/* "5 rõ": what, who, what output, by when */
static void test_five(void **state)
{
	static const struct {
		bool title, lead, output, due;
	} rows[] = {
		{ true, true, true, true },
		{ false, true, true, true },
		{ true, false, false, true },
		{ true, true, true, false },
		{ false, false, false, false },
	};
	static const struct {
		size_t n;               /* the first n rows are the plan's tasks */
		int complete, incomplete, percent;
		bool all;
		int no_title, no_lead, no_output, no_due;
	} fives[] = {
		{ 0, 0, 0, 100, true, 0, 0, 0, 0 },     /* no task: nothing missing */
		{ 1, 1, 0, 100, true, 0, 0, 0, 0 },
		{ 2, 1, 1, 50, false, 1, 0, 0, 0 },
		{ 3, 1, 2, 33, false, 1, 1, 1, 0 },     /* rounded down */
		{ 5, 1, 4, 20, false, 2, 2, 2, 2 },
	};
	uref_t who = { .text = "Sở A" };
	for (size_t k = 0; k < N(fives); k++) {
		task_t t[N(rows)];
		plan_t p = { .tasks = t, .ntasks = fives[k].n };
		for (size_t i = 0; i < fives[k].n; i++) {
			t[i] = (task_t){ .plan = &p, .index = i };
			t[i].title = rows[i].title ? "Việc" : NULL;
			t[i].lead = rows[i].lead ? (urefs_t){ &who, 1 } : (urefs_t){ NULL, 0 };
			t[i].output = rows[i].output ? "Báo cáo" : NULL;
			t[i].due.parsed = rows[i].due;
			t[i].complete5 = rows[i].title && rows[i].lead && rows[i].output && rows[i].due;
		}
		facts_five_t f = facts_five(&p);
		assert_int_equal(f.tasks, (int)fives[k].n);
		assert_int_equal(f.complete, fives[k].complete);
		assert_int_equal(f.incomplete, fives[k].incomplete);
		assert_int_equal(f.percent, fives[k].percent);
		assert_int_equal(f.all, fives[k].all);
		assert_int_equal(f.no_title, fives[k].no_title);
		assert_int_equal(f.no_lead, fives[k].no_lead);
		assert_int_equal(f.no_output, fives[k].no_output);
		assert_int_equal(f.no_due, fives[k].no_due);
	}
}

/* A weekly report's lists by lead unit: resolved as the plan at the built
 * commit resolves the text, else by name in any spelling, else as written;
 * groups in Vietnamese order, the tasks with no lead last. */
static void test_week_groups(void **state)
{
	unit_t ua = { .name = "Sở Tài chính" }, ub = { .name = "Sở Xây dựng" },
	       uc = { .name = "Văn phòng UBND" };
	ua.key = text_name_key(ua.name);
	ub.key = text_name_key(ub.name);
	uc.key = text_name_key(uc.name);
	unit_t *up[] = { &ua, &ub, &uc };
	uref_t vp = { .text = "Văn phòng", .unit = &uc };
	task_t pt = { .lead = { &vp, 1 } };
	/* as xref leaves them: the plan's names, the site's units by key */
	plan_uname_t pn = { hash_str(vp.text), vp.text, &uc };
	plan_t p = { .key = "p", .tasks = &pt, .ntasks = 1, .unames = &pn, .nunames = 1 };
	pt.plan = &p;
	site_t s = { .units = up, .nunits = 3 };
	for (int i = 0; i < 3; i++)
		strmap_put(&s.units_by_key, up[i]->key, up[i]);
	/* lead_first of each item, list by list; "" ends a list */
	static const char *const lists[FACTS_WEEK_LISTS][5] = {
		{ "Sở Xây dựng", "Phòng X", NULL, "Văn phòng", "" },    /* completed */
		{ "sở tài chính", "Phòng X", "" },                     /* overdue */
		{ "SỞ XÂY DỰNG", "" },                                 /* added */
		{ NULL, "Văn phòng UBND", "" },                        /* due changed */
	};
	static htask_t ht[FACTS_WEEK_LISTS][5];
	static hitem_t it[FACTS_WEEK_LISTS][5];
	hweek_t wk = { 0 };
	for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
		hitems_t *l = (hitems_t *)facts_week_list(&wk, k);
		l->v = it[k];
		for (size_t i = 0; !lists[k][i] || *lists[k][i]; i++) {
			ht[k][i] = (htask_t){ .lead_first = lists[k][i] };
			/* "Văn phòng" only resolves through the plan that writes it */
			it[k][i] = (hitem_t){ .task = &ht[k][i], .plan = &p };
			l->n++;
		}
	}
	/* the same groups whether the units are named directly or through
	 * the kept answers (facts_unames_t), which a second pass reads back */
	facts_unames_t *names = facts_unames_new(&s);
	for (int pass = 0; pass < 3; pass++) {
		facts_wgroup_t *g;
		size_t ng = pass ? facts_week_groups_with(&s, &wk, names, &g) : facts_week_groups(&s, &wk, &g);
		buf_t b = BUF_INIT;
		for (size_t j = 0; j < ng; j++) {
			buf_printf(&b, "%s%s", j ? " | " : "",
				   g[j].unit ? g[j].unit->name : g[j].text ? g[j].text : "(none)");
			for (int k = 0; k < FACTS_WEEK_LISTS; k++) {
				buf_putc(&b, k ? ';' : ':');
				for (size_t i = 0; i < g[j].n[k]; i++)
					buf_printf(&b, "%s%zu", i ? "," : "", g[j].items[k][i]);
			}
		}
		assert_string_equal(b.ptr, "Phòng X:1;1;; | Sở Tài chính:;0;; | Sở Xây dựng:0;;0; | "
					   "Văn phòng UBND:3;;;1 | (none):2;;;0");
		buf_free(&b);
		facts_week_groups_free(g, ng);
	}
	/* kept by plan and text: "Văn phòng" resolves through p, not without it */
	for (int pass = 0; pass < 2; pass++) {
		assert_ptr_equal(facts_unames_get(names, &p, "Văn phòng"), &uc);
		assert_ptr_equal(facts_unames_get(names, NULL, "Văn phòng"), NULL);
		assert_ptr_equal(facts_unames_get(names, NULL, "văn phòng ubnd"), &uc);
		assert_ptr_equal(facts_unames_get(names, &p, "Phòng X"), NULL);
		assert_ptr_equal(facts_unames_get(names, &p, NULL), NULL);
	}
	/* many texts: the table grows and keeps every answer */
	char name[32];
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof name, "Phòng %d", i);
		assert_ptr_equal(facts_unames_get(names, &p, name), NULL);
	}
	assert_ptr_equal(facts_unames_get(names, &p, "SỞ XÂY DỰNG"), &ub);
	/* kept from report to report (a render thread's): past
	 * FACTS_UNAMES_MAX answers it starts afresh, and answers alike */
	for (int i = 0; i < FACTS_UNAMES_MAX + 100; i++) {
		snprintf(name, sizeof name, "Ban %d", i);
		assert_ptr_equal(facts_unames_get(names, i % 2 ? &p : NULL, name), NULL);
	}
	assert_ptr_equal(facts_unames_get(names, &p, "Văn phòng"), &uc);
	assert_ptr_equal(facts_unames_get(names, NULL, "Văn phòng"), NULL);
	assert_ptr_equal(facts_unames_get(names, NULL, "văn phòng ubnd"), &uc);
	assert_ptr_equal(facts_unames_get(names, &p, "SỞ XÂY DỰNG"), &ub);
	assert_ptr_equal(facts_unames_get(names, &p, "Văn phòng"), &uc);
	facts_unames_free(names);
	/* a plan no longer published: only the name resolves */
	assert_ptr_equal(facts_unit_named(&s, NULL, "Văn phòng"), NULL);
	assert_ptr_equal(facts_unit_named(&s, NULL, "văn phòng ubnd"), &uc);
	assert_ptr_equal(facts_unit_named(&s, &p, "Văn phòng"), &uc);
	assert_ptr_equal(facts_unit_named(&s, &p, NULL), NULL);
	strmap_free(&s.units_by_key);
	free((char *)ua.key);
	free((char *)ub.key);
	free((char *)uc.key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home_and_rows),
		cmocka_unit_test(test_late_units_and_newest),
		cmocka_unit_test(test_five),
		cmocka_unit_test(test_week_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
