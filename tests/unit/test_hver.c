/* test_hver.c: the version of a built commit's plan (hver_from_plan): the
 * same texts whether it borrows the model's strings or copies them, equal
 * texts as one pointer, and the texts the parse keeps once (a unit, an
 * output, a deadline written in every task) hashed once each, not once a
 * task; the tasks' arrays of tracked texts shared by the tasks whose texts
 * are the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hver.h"
#include "model.h"
#include "model_fields.h"

enum { NTASKS = 40 };

static char *plan_text(void)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nnumber: \"7/KH-X\"\ntitle: \"Kế hoạch X\"\nissuer: \"Sở Tài chính\"\ntasks:\n");
	for (int i = 1; i <= NTASKS; i++)
		buf_printf(&b,
			   "  - id: \"%d\"\n    title: \"Việc %d\"\n    lead: \"Sở Tài chính\"\n"
			   "    support: [\"Sở Nội vụ\", \"Sở Y tế\"]\n    output: \"Báo cáo\"\n"
			   "    due: \"Thường xuyên\"\n    status: in_progress\n",
			   i, i);
	buf_puts(&b, "---\nNội dung.\n");
	return buf_detach(&b);
}

static const char *shared(const char *s, const char **seen, size_t *n)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(seen[i], s))
			return seen[i];
	seen[(*n)++] = s;
	return s;
}

/* A plan file's text parsed as the build does, with its tasks counted. */
static plan_t *parse_len(arena_t *a, diag_t *d, const char *text, size_t len, size_t ntasks)
{
	model_opts_t o = { 0 };
	rfile_t f = { .path = "content/plans/x.md", .rel = "plans/x.md", .data = text, .len = len };
	plan_t *p = model_parse_plan(a, d, &f, &o);
	assert_non_null(p);
	assert_int_equal(p->ntasks, ntasks);
	return p;
}

/* The plan as the build parses it: one copy of each short text (model.c's
 * texts table, one per parse worker). */
static plan_t *parse(arena_t *a, diag_t *d, const char *text)
{
	plan_t *p = parse_len(a, d, text, strlen(text), NTASKS);
	const char *seen[8 * NTASKS];
	size_t n = 0;
	p->issuer.text = shared(p->issuer.text, seen, &n);
	for (size_t i = 0; i < p->ntasks; i++) {
		task_t *t = &p->tasks[i];
		t->output = shared(t->output, seen, &n);
		t->due_text = shared(t->due_text, seen, &n);
		for (size_t j = 0; j < t->lead.n; j++)
			t->lead.v[j].text = shared(t->lead.v[j].text, seen, &n);
		for (size_t j = 0; j < t->support.n; j++)
			t->support.v[j].text = shared(t->support.v[j].text, seen, &n);
	}
	return p;
}

static void same_text(const char *x, const char *y)
{
	if (!x || !y)
		assert_ptr_equal(x, y);
	else
		assert_string_equal(x, y);
}

static void test_borrowed(void **state)
{
	(void)state;
	char *text = plan_text();
	arena_t *ma = arena_new();
	diag_t *d = diag_new();
	plan_t *p = parse(ma, d, text);

	hver_ctx_t own = { .a = arena_new() }, lent = { .a = arena_new(), .borrow = true };
	const hver_t *c = hver_from_plan(&own, p, NULL, 0, NULL);
	const hver_t *v = hver_from_plan(&lent, p, NULL, 0, NULL);
	size_t hashed = lent.nhashed;
	size_t nt = model_fields_hist_texts(FIELD_TASK);
	assert_int_equal(v->ntasks, NTASKS);
	same_text(v->key, c->key);
	same_text(v->title, c->title);
	same_text(v->issuer, c->issuer);
	same_text(v->issuer_key, c->issuer_key);
	for (size_t i = 0; i < NTASKS; i++) {
		const htask_t *x = v->tasks[i], *y = c->tasks[i];
		same_text(x->id, y->id);
		same_text(x->title, y->title);
		same_text(x->lead, y->lead);
		same_text(x->lead_key, y->lead_key);
		same_text(x->lead_first, y->lead_first);
		same_text(x->support, y->support);
		same_text(x->support_key, y->support_key);
		same_text(x->due_shown, y->due_shown);
		for (size_t k = 0; k < nt; k++)
			same_text(x->text[k], y->text[k]);
		/* equal texts, one pointer: the tasks', and what interning
		 * them again gives */
		assert_ptr_equal(x->lead, v->tasks[0]->lead);
		assert_ptr_equal(x->lead_key, v->tasks[0]->lead_key);
		assert_ptr_equal(x->support_key, v->tasks[0]->support_key);
		assert_ptr_equal(x->due_shown, v->tasks[0]->due_shown);
		assert_ptr_equal(hver_intern(&lent, y->title), x->title);
		assert_ptr_equal(hver_intern(&lent, y->lead), x->lead);
		assert_ptr_equal(hver_intern(&lent, y->lead_key), x->lead_key);
	}
	/* the lead is the issuer: one text, one name key */
	assert_ptr_equal(v->tasks[0]->lead, v->issuer);
	assert_ptr_equal(v->tasks[0]->lead_key, v->issuer_key);
	/* each task's id and title, and the few texts all tasks share:
	 * without the memo every text of every task was hashed (7 a task) */
	print_message("hashed: %zu borrowed, %zu copied\n", hashed, own.nhashed);
	assert_true(hashed < 2 * NTASKS + 20);
	assert_true(own.nhashed > 5 * NTASKS);
	/* a small plan, small memos (a portal has tables for each source) */
	assert_true(lent.memo.cap <= 256 && lent.list_memo.cap <= 256);

	hver_ctx_free(&own);
	hver_ctx_free(&lent);
	arena_free(own.a);
	arena_free(lent.a);
	diag_free(d);
	arena_free(ma);
	free(text);
}

/* Lists of units found by their names' addresses: the same names in
 * another order or another number are another list, and a list longer than
 * the memo keeps is joined each time; the same texts borrowed or not. */
static void test_lists(void **state)
{
	(void)state;
	static const char *const lists[] = {
		"[\"Sở A\", \"Sở B\"]", "[\"Sở B\", \"Sở A\"]", "[\"Sở A\", \"Sở B\", \"Sở C\"]",
		"[\"Sở A\", \"Sở B\", \"Sở C\", \"Sở D\", \"Sở E\"]", "[\"Sở A\"]", "[\"Sở  a\", \"Sở B\"]",
	};
	enum { NL = sizeof lists / sizeof lists[0] };
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nnumber: \"8/KH-Y\"\ntitle: \"Kế hoạch Y\"\ntasks:\n");
	for (int i = 0; i < 3 * NL; i++)
		buf_printf(&b, "  - id: \"%d\"\n    title: \"Việc\"\n    lead: %s\n    support: %s\n", i + 1,
			   lists[i % NL], lists[(i + 1) % NL]);
	buf_puts(&b, "---\n");
	arena_t *ma = arena_new();
	diag_t *d = diag_new();
	plan_t *p = parse_len(ma, d, b.ptr, b.len, 3 * NL);
	const char *seen[64];
	size_t n = 0;
	for (size_t i = 0; i < p->ntasks; i++)
		for (size_t j = 0; j < p->tasks[i].lead.n; j++)
			p->tasks[i].lead.v[j].text = shared(p->tasks[i].lead.v[j].text, seen, &n);
	hver_ctx_t own = { .a = arena_new() }, lent = { .a = arena_new(), .borrow = true };
	const hver_t *c = hver_from_plan(&own, p, NULL, 0, NULL);
	const hver_t *v = hver_from_plan(&lent, p, NULL, 0, NULL);
	static const char *const joined[NL] = {
		"Sở A; Sở B", "Sở B; Sở A", "Sở A; Sở B; Sở C", "Sở A; Sở B; Sở C; Sở D; Sở E", "Sở A", "Sở  a; Sở B",
	};
	for (size_t i = 0; i < p->ntasks; i++) {
		for (const hver_t *x = v; x; x = x == v ? c : NULL) {
			assert_string_equal(x->tasks[i]->lead, joined[i % NL]);
			assert_string_equal(x->tasks[i]->support, joined[(i + 1) % NL]);
		}
		same_text(v->tasks[i]->lead_key, c->tasks[i]->lead_key);
		same_text(v->tasks[i]->support_key, c->tasks[i]->support_key);
		/* a list, one pointer: its text and its keys */
		assert_ptr_equal(v->tasks[i]->lead, v->tasks[i % NL]->lead);
		assert_ptr_equal(v->tasks[i]->lead_key, v->tasks[i % NL]->lead_key);
		assert_ptr_equal(c->tasks[i]->lead, c->tasks[i % NL]->lead);
		assert_ptr_equal(v->tasks[i]->lead, v->tasks[(i + NL - 1) % (3 * NL)]->support);
	}
	/* the name keys: "Sở  a; Sở B" is "Sở A; Sở B" spelt otherwise */
	assert_ptr_equal(v->tasks[5]->lead_key, v->tasks[0]->lead_key);
	assert_ptr_equal(c->tasks[5]->lead_key, c->tasks[0]->lead_key);
	assert_ptr_not_equal(v->tasks[1]->lead_key, v->tasks[0]->lead_key);
	hver_ctx_free(&own);
	hver_ctx_free(&lent);
	arena_free(own.a);
	arena_free(lent.a);
	diag_free(d);
	arena_free(ma);
	buf_free(&b);
}

/* Tasks' tracked texts (title, output) in one array per distinct tuple:
 * the same texts, the same array; another title or output, another array
 * that reads right; the same borrowed or not. */
static void test_texts_shared(void **state)
{
	(void)state;
	static const char *const titles[] = { "Việc A", "Việc B", "Việc A" };
	static const char *const outputs[] = { "\"Báo cáo\"", "\"Báo cáo\"", "~" };
	enum { NK = 3, NT = 4 * NK };
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nnumber: \"9/KH-Z\"\ntitle: \"Việc A\"\ntasks:\n");
	for (int i = 0; i < NT; i++)
		buf_printf(&b, "  - id: \"%d\"\n    title: \"%s\"\n    output: %s\n", i + 1, titles[i % NK],
			   outputs[i % NK]);
	buf_puts(&b, "---\n");
	arena_t *ma = arena_new();
	diag_t *d = diag_new();
	plan_t *p = parse_len(ma, d, b.ptr, b.len, NT);
	size_t nh, nt = model_fields_hist_texts(FIELD_TASK);
	const field_t *const *hf = model_fields_hist(FIELD_TASK, &nh);
	hver_ctx_t own = { .a = arena_new() }, lent = { .a = arena_new(), .borrow = true };
	const hver_t *c = hver_from_plan(&own, p, NULL, 0, NULL);
	const hver_t *v = hver_from_plan(&lent, p, NULL, 0, NULL);
	for (const hver_t *x = v; x; x = x == v ? c : NULL) {
		for (size_t i = 0; i < NT; i++) {
			const htask_t *t = x->tasks[i];
			for (size_t j = 0; j < nh; j++) {
				int slot = model_fields_hist_slot(FIELD_TASK, hf[j]);
				if (slot >= 0)
					same_text(t->text[slot], model_fields_text(&p->tasks[i], FIELD_TASK, hf[j]));
			}
			/* one array for each (title, output) */
			assert_ptr_equal(t->text, x->tasks[i % NK]->text);
			for (size_t k = 0; k < NK; k++)
				if (k != i % NK)
					assert_ptr_not_equal(t->text, x->tasks[k]->text);
		}
		/* the plan's texts are its own, though its title is a task's */
		assert_ptr_not_equal(x->text, x->tasks[0]->text);
	}
	for (size_t k = 0; k < nt; k++)
		same_text(v->tasks[2]->text[k], c->tasks[2]->text[k]);
	hver_ctx_free(&own);
	hver_ctx_free(&lent);
	arena_free(own.a);
	arena_free(lent.a);
	diag_free(d);
	arena_free(ma);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_borrowed),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_texts_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
