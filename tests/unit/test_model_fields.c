/* test_model_fields.c: the table of fields (src/model_fields.c) is
 * consistent: what its consumers assume of every row holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "model_fields.h"

static void test_rows(void **state)
{
	(void)state;
	for (int o = 0; o < FIELD_OWNERS; o++) {
		size_t n;
		const field_t *fs = model_fields_of((field_owner_t)o, &n);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			const field_t *f = &fs[i];
			/* a tracked field is named in the history by a string */
			if (f->hist)
				assert_non_null(f->label);
			/* a required field is a text its reader checks */
			if (f->req) {
				assert_int_equal(f->kind, FIELD_TEXT);
				assert_false(f->own);
				assert_true(strlen(f->req->code) == 4);
			}
			/* a text kept outside the record's members is read generically */
			if (f->off == FIELD_EXTRA) {
				assert_int_equal(f->kind, FIELD_TEXT);
				assert_non_null(f->key);
			}
			/* a field with no YAML key is derived: nothing to parse */
			if (!f->key)
				assert_true(f->own);
			if (f->csv)
				assert_int_equal(o, FIELD_TASK);
			for (size_t j = 0; j < i; j++) {
				if (f->key && fs[j].key)
					assert_string_not_equal(f->key, fs[j].key);
				if (f->json && fs[j].json)
					assert_string_not_equal(f->json, fs[j].json);
				if (f->hist)
					assert_int_not_equal(f->hist, fs[j].hist);
			}
		}
	}
}

static void test_known_keys(void **state)
{
	(void)state;
	const char *const *k = model_fields_known(FIELD_TASK);
	size_t n = 0;
	for (; k[n]; n++)
		assert_non_null(model_fields_find(FIELD_TASK, k[n]));
	assert_int_equal(n, 14);
	assert_null(model_fields_find(FIELD_TASK, "budget"));
	assert_non_null(model_fields_find(FIELD_PLAN, "short_title"));
	assert_non_null(model_fields_find(FIELD_INDICATOR, "actual"));
}

/* tasks.csv: columns in csvpos order, each once; new ones only at the end. */
static void test_csv(void **state)
{
	(void)state;
	size_t n;
	const field_t *const *c = model_fields_csv(&n);
	static const char *const first[] = { "plan", "task_id", "title", "lead", "support", "output",
					     "due_text", "due_date", "status", "overdue", "progress",
					     "as_of", "plan_title", "status_label" };
	assert_true(n >= sizeof first / sizeof first[0]);
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++) {
		assert_string_equal(c[i]->csv, first[i]);
		assert_int_equal(c[i]->csvpos, (int)i + 1);
	}
}

/* The history's order and the slots of its texts. */
static void test_hist(void **state)
{
	(void)state;
	size_t n;
	const field_t *const *h = model_fields_hist(FIELD_TASK, &n);
	static const char *const order[] = { "title", "status", "due", "progress", "lead", "support",
					     "output" };
	assert_int_equal(n, sizeof order / sizeof order[0]);
	int slots = 0;
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(h[i]->key, order[i]);
		int s = model_fields_hist_slot(FIELD_TASK, h[i]);
		if (h[i]->kind == FIELD_TEXT)
			assert_int_equal(s, slots++);
		else
			assert_int_equal(s, -1);
	}
	assert_int_equal((size_t)slots, model_fields_hist_texts(FIELD_TASK));
}

/* A text reads where its row says, member or extra[]. */
static void test_text_access(void **state)
{
	(void)state;
	task_t t = { 0 };
	t.output = "Báo cáo";
	const field_t *f = model_fields_find(FIELD_TASK, "output");
	assert_string_equal(model_fields_text(&t, FIELD_TASK, f), "Báo cáo");
	*model_fields_text_ref(&t, FIELD_TASK, f) = "Kết quả";
	assert_string_equal(t.output, "Kết quả");
	assert_int_equal(model_fields_task_columns(), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_known_keys),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_text_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
