/* test_digest.c: the texts the list pages' fingerprints hash
 * (ctx_digest_val, ctx_task_digest, ctx_plan_digest) tell every two
 * different values apart, however their bytes fall: a page is kept from
 * the previous site only when its inputs' text is the same, so two values
 * that wrote one text would keep a page that shows the other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "model.h"
#include "util.h"

#include "site_fixture.h"

/* A record of up to four values, a test type over it. */
struct rec {
	tmpl_val_t v[4];
	size_t n;
};

static const tmpl_field_t rec_fields[] = {
	{ "a", TMPL_F_SCALAR, NULL, false }, { "b", TMPL_F_SCALAR, NULL, false },
	{ "c", TMPL_F_SCALAR, NULL, false }, { "d", TMPL_F_SCALAR, NULL, false },
};

static void rec_get(const void *p, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)scratch;
	const struct rec *r = p;
	*out = i < r->n ? r->v[i] : (tmpl_val_t){ .kind = TMPL_MISSING };
}

static const tmpl_type_t rec_type = { "rec", rec_fields, 4, rec_get, NULL, 0, NULL, 0 };

/* The digest text of r, malloc'd, its length in *len. */
static char *text_of(const struct rec *r, size_t *len)
{
	buf_t b = BUF_INIT;
	tmpl_val_t v = tmpl_rec(&rec_type, r);
	assert_true(ctx_digest_val(&v, &b));
	assert_non_null(b.ptr);
	assert_int_equal(b.ptr[b.len], '\0');
	*len = b.len;
	return buf_detach(&b);
}

static bool same(const struct rec *x, const struct rec *y)
{
	size_t nx, ny;
	char *a = text_of(x, &nx), *b = text_of(y, &ny);
	bool eq = nx == ny && !memcmp(a, b, nx);
	free(a);
	free(b);
	return eq;
}

static struct rec strs(const char *a, const char *b, const char *c, const char *d)
{
	struct rec r = { .n = 4 };
	r.v[0] = tmpl_str(a);
	r.v[1] = tmpl_str(b);
	r.v[2] = tmpl_str(c);
	r.v[3] = tmpl_str(d);
	return r;
}

/* Strings whose bytes run from one field into the next: every cut of the
 * same bytes is a text of its own. */
static void test_string_cuts(void **state)
{
	(void)state;
	struct rec r1 = strs("a", "bc", "", "d"), r2 = strs("ab", "c", "", "d"), r3 = strs("a", "b", "c", "d"),
		   r4 = strs("abc", "", "", "d"), r5 = strs("a", "bc", "", "d");
	assert_false(same(&r1, &r2));
	assert_false(same(&r1, &r3));
	assert_false(same(&r1, &r4));
	assert_false(same(&r2, &r4));
	assert_true(same(&r1, &r5));
	/* a string that holds what another field's tag and length would be */
	char fake[8] = { 's', 1, 'x', 0 };
	struct rec f1 = strs(fake, "", "", ""), f2 = strs("s", "x", "", "");
	assert_false(same(&f1, &f2));
	/* a string that holds a tag: "asb","" would read as "a","bs" without
	 * the lengths */
	struct rec g1 = strs("asb", "", "", ""), g2 = strs("a", "bs", "", "");
	assert_false(same(&g1, &g2));
	/* NUL, NULL (absent) and a missing field */
	struct rec n1 = strs("", "", "", ""), n2 = strs(NULL, "", "", ""), n3 = strs("", "", "", "");
	n3.n = 3;
	assert_false(same(&n1, &n2));
	assert_false(same(&n1, &n3));
	assert_false(same(&n2, &n3));
}

/* Lengths and numbers past one byte of base 128 (127, 128, 16383, 16384,
 * and a 64-bit one) and negative numbers. */
static void test_numbers(void **state)
{
	(void)state;
	const long long v[] = { 0, 1, -1, 127, 128, -128, 255, 256, 16383, 16384, 1LL << 40, -(1LL << 40),
				INT64_MAX, INT64_MIN + 1 };
	size_t n = sizeof v / sizeof v[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			struct rec a = { .n = 2 }, b = { .n = 2 };
			a.v[0] = tmpl_int(v[i]);
			a.v[1] = tmpl_int(7);
			b.v[0] = tmpl_int(v[j]);
			b.v[1] = tmpl_int(7);
			assert_int_equal(same(&a, &b), i == j);
		}
	/* an int is not a string of its digits, nor a bool */
	struct rec i1 = { .n = 1 }, s1 = strs("1", "", "", ""), b1 = { .n = 1 };
	i1.v[0] = tmpl_int(1);
	s1.n = 1;
	b1.v[0] = tmpl_bool(true);
	assert_false(same(&i1, &s1));
	assert_false(same(&i1, &b1));
	/* long strings: a length of one, two and three bytes */
	const size_t lens[] = { 127, 128, 200, 16383, 16384, 20000 };
	char *big = malloc(20001);
	memset(big, 'x', 20000);
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		big[lens[i]] = '\0';
		struct rec a = strs(big, "y", "", "");
		char *c = xstrdup(big);
		c[lens[i] - 1] = 'y';
		struct rec b = strs(c, "", "", "");   /* the same bytes cut one earlier */
		assert_false(same(&a, &b));
		struct rec d = strs(big, "y", "", "");
		assert_true(same(&a, &d));
		free(c);
		big[lens[i]] = 'x';
	}
	free(big);
}

/* A list of records, and records nested: where one ends and the next
 * begins is part of the text. */
static void test_lists(void **state)
{
	(void)state;
	struct rec e[3] = { strs("a", "b", "c", "d"), strs("e", "f", "g", "h"), strs("i", "", "", "") };
	tmpl_val_t l2 = tmpl_list(&rec_type, e, sizeof e[0], 2, false);
	tmpl_val_t l3 = tmpl_list(&rec_type, e, sizeof e[0], 3, false);
	tmpl_val_t l1 = tmpl_list(&rec_type, e + 1, sizeof e[0], 1, false);
	struct rec a = { .n = 2 }, b = { .n = 2 }, c = { .n = 2 };
	a.v[0] = l2;
	a.v[1] = tmpl_rec(&rec_type, &e[2]);
	b.v[0] = l3;
	b.v[1] = tmpl_str(NULL);
	c.v[0] = l1;
	c.v[1] = tmpl_rec(&rec_type, &e[2]);
	assert_false(same(&a, &b));
	assert_false(same(&a, &c));
	assert_false(same(&b, &c));
	/* a generic object cannot be written */
	buf_t t = BUF_INIT;
	tmpl_val_t o = tmpl_list(TMPL_OBJ_LIST, e, sizeof e[0], 1, false);
	assert_false(ctx_digest_val(&o, &t));
	buf_free(&t);
}

static const char *const files[][2] = {
	{ "units.yaml", "- { id: so-a, name: Sở Tài chính }\n- { id: so-b, name: Sở Nội vụ }\n" },
	{ "plans/a.md", "---\nnumber: \"12/KH-UBND\"\ntitle: Kế hoạch\nissuer: Sở Tài chính\ndate: 2025-03-12\ntasks:\n"
			"  - { id: \"1\", title: ab, lead: Sở Tài chính, output: o, due: 30/06/2025 }\n"
			"  - { id: \"2\", title: a, lead: Sở Tài chính, output: bo, due: 30/06/2025 }\n"
			"  - { id: \"3\", title: ab, lead: Sở Tài chính, output: o, due: 30/06/2025 }\n"
			"  - { id: \"4\", title: ab, lead: Sở Nội vụ, output: o, due: 30/06/2025, progress: 40 }\n---\n" },
};

/* Real rows: tasks that differ in a cell or where its bytes fall give
 * texts of their own, the same task twice the same text. */
static void test_tasks(void **state)
{
	(void)state;
	fixture_t f;
	fixture_load(&f, files, sizeof files / sizeof files[0], 20250801);
	assert_int_equal(diag_errors(f.d), 0);
	assert_int_equal(f.s->nplans, 1);
	const plan_t *p = f.s->plans[0];
	assert_int_equal(p->ntasks, 4);
	buf_t t[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT }, again = BUF_INIT;
	for (size_t i = 0; i < 4; i++)
		assert_true(ctx_task_digest(&p->tasks[i], f.s, NULL, &t[i]));
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			assert_false(t[i].len == t[j].len && !memcmp(t[i].ptr, t[j].ptr, t[i].len));
	assert_true(ctx_task_digest(&p->tasks[1], f.s, NULL, &again));
	assert_int_equal(again.len, t[1].len);
	assert_memory_equal(again.ptr, t[1].ptr, again.len);
	/* with the units' digests: each unit is 16 bytes and the text
	 * written, not its id, name and address; the rows still differ (task
	 * 4 from task 1 by its unit, among others), the same task gives the
	 * same text */
	ctx_unit_dgs_t *ud = ctx_unit_dgs_new(f.s);
	buf_t u[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT }, uagain = BUF_INIT;
	for (size_t i = 0; i < 4; i++) {
		assert_true(ctx_task_digest(&p->tasks[i], f.s, ud, &u[i]));
		assert_true(u[i].len < t[i].len);
		assert_null(memmem(u[i].ptr, u[i].len, "Sở", strlen("Sở")));
	}
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			assert_false(u[i].len == u[j].len && !memcmp(u[i].ptr, u[j].ptr, u[i].len));
	assert_true(ctx_task_digest(&p->tasks[3], f.s, ud, &uagain));
	assert_int_equal(uagain.len, u[3].len);
	assert_memory_equal(uagain.ptr, u[3].ptr, uagain.len);
	for (size_t i = 0; i < 4; i++)
		buf_free(&u[i]);
	buf_free(&uagain);
	ctx_unit_dgs_free(ud);
	buf_t pa = BUF_INIT, pb = BUF_INIT;
	ctx_plan_digest(p, &pa);
	ctx_plan_digest(p, &pb);
	assert_true(pa.len > 0);
	assert_int_equal(pa.len, pb.len);
	assert_memory_equal(pa.ptr, pb.ptr, pa.len);
	for (size_t i = 0; i < 4; i++)
		buf_free(&t[i]);
	buf_free(&again);
	buf_free(&pa);
	buf_free(&pb);
	unload(&f);
}

/* The digest of task t (with the units' digests ud), malloc'd. */
static char *task_text(const task_t *t, const site_t *s, const ctx_unit_dgs_t *ud, size_t *len)
{
	buf_t b = BUF_INIT;
	assert_true(ctx_task_digest(t, s, ud, &b));
	*len = b.len;
	return buf_detach(&b);
}

static bool task_same(const task_t *a, const task_t *b, const site_t *s, const ctx_unit_dgs_t *ud)
{
	size_t na, nb;
	char *x = task_text(a, s, ud, &na), *y = task_text(b, s, ud, &nb);
	bool eq = na == nb && !memcmp(x, y, na);
	free(x);
	free(y);
	return eq;
}

/* A task's digest writes its values, not the texts a row makes of them
 * (a date as its number, the status as its code): a change of any value a
 * cell shows still changes it, and so does the as-of day of an overdue
 * task (its days late), but not of a task that is not overdue. */
static void test_task_values(void **state)
{
	(void)state;
	fixture_t f;
	fixture_load(&f, files, sizeof files / sizeof files[0], 20250801);
	assert_int_equal(diag_errors(f.d), 0);
	const plan_t *p = f.s->plans[0];
	const task_t *base = &p->tasks[3];   /* with progress */
	ctx_unit_dgs_t *ud = ctx_unit_dgs_new(f.s);
	for (int k = 0; k < 2; k++) {
		const ctx_unit_dgs_t *u = k ? ud : NULL;
		task_t t = *base;
		assert_true(task_same(&t, base, f.s, u));
		t.due.date = base->due.date + 1;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.due.ongoing = !t.due.ongoing;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.due.parsed = !t.due.parsed;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.due_exact = !t.due_exact;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.due_text = "31/12/2025";
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.status = t.status == STATUS_DONE ? STATUS_IN_PROGRESS : STATUS_DONE;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.progress = base->progress + 1;
		assert_false(task_same(&t, base, f.s, u));
		t.progress = -1;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.completed = 20250715;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.done_late = !t.done_late;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.complete5 = !t.complete5;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.id = "4a";
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.title = "abc";
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.output = NULL;
		assert_false(task_same(&t, base, f.s, u));
		t = *base;
		t.lead = p->tasks[0].lead;   /* another unit */
		assert_false(task_same(&t, base, f.s, u));
		/* days late follow the as-of day, for an overdue task only */
		assert_true(base->overdue);   /* due 30/06, as of 01/08 */
		t = *base;
		t.overdue = false;
		assert_false(task_same(&t, base, f.s, u));
		size_t n1, n2, n3, n4;
		char *a1 = task_text(base, f.s, u, &n1);
		char *b1 = task_text(&t, f.s, u, &n3);
		date_t as_of = f.s->as_of;
		f.s->as_of = as_of + 1;
		char *a2 = task_text(base, f.s, u, &n2);
		char *b2 = task_text(&t, f.s, u, &n4);
		f.s->as_of = as_of;
		assert_false(n1 == n2 && !memcmp(a1, a2, n1));
		assert_true(n3 == n4 && !memcmp(b1, b2, n3));
		free(a1);
		free(a2);
		free(b1);
		free(b2);
	}
	ctx_unit_dgs_free(ud);
	unload(&f);
}

static int setup(void **state)
{
	(void)state;
	ctx_types_init();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_cuts),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_task_values),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
