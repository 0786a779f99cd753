/* test_diag.c: unit tests of diag.c: errors before warnings, each sorted by
 * file and position, duplicates once, codes and suggestions in the text and
 * in the JSON lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "diag.h"

static void test_order(void **state)
{
	(void)state;
	diag_t *d = diag_new();
	loc_t b = { "b.md", 2, 1 }, a9 = { "a.md", 9, 3 }, a10 = { "a.md", 10, 1 }, a1 = { "a.md", 1, 1 };
	diag_warning(d, &b, "W002", "w b2");
	diag_warning(d, &a1, "W001", "w a1");
	diag_error(d, &b, "E003", "e b2");
	diag_error(d, &a10, "E002", "e10");
	diag_error(d, &a9, "E001", "e9");
	diag_error(d, &a9, "E001", "e9");   /* the same message twice is printed once */
	diag_error(d, NULL, "E099", "no place");
	char *s = diag_format(d);
	/* errors first (the ones without a file before the files), then warnings */
	assert_string_equal(s, "plansite: error: [E099] no place\n"
			       "a.md:9:3: error: [E001] e9\n"
			       "a.md:10:1: error: [E002] e10\n"
			       "b.md:2:1: error: [E003] e b2\n"
			       "a.md:1:1: warning: [W001] w a1\n"
			       "b.md:2:1: warning: [W002] w b2\n");
	assert_int_equal(diag_errors(d), 5);
	assert_int_equal(diag_warnings(d), 2);
	free(s);
	diag_free(d);
}

static void test_suggestion(void **state)
{
	(void)state;
	diag_t *d = diag_new();
	loc_t l = { "p.md", 3, 7 }, nl = { "units.yaml", 0, 0 };
	const char *fix = diag_str(d, "có phải \"%s\"?", "57-NQ/TW");
	diag_warning_fix(d, &l, "W031", fix, "văn bản \"%s\" chưa có", "75-NQ/TW");
	diag_error_fix(d, &nl, "E052", NULL, "không vị trí");
	char *s = diag_format(d);
	assert_string_equal(s, "units.yaml: error: [E052] không vị trí\n"
			       "p.md:3:7: warning: [W031] văn bản \"75-NQ/TW\" chưa có — gợi ý: có phải \"57-NQ/TW\"?\n");
	free(s);
	diag_free(d);
}

/* Reads the JSON lines printed for d: one object per line, all fields. */
static void test_json(void **state)
{
	(void)state;
	diag_t *d = diag_new();
	loc_t l = { "content/plans/a.md", 4, 2 };
	diag_warning_fix(d, &l, "W050", "chạy --verbose", "3/5 \"5 rõ\"");
	diag_error(d, &l, "E004", "khoá \"x\"\tbị lặp");
	diag_error(d, NULL, "E099", "môi trường");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diag_print_json(d, f);
	fclose(f);
	static const char *const keys[] = { "file", "line", "column", "severity", "code", "message",
					    "suggestion" };
	json_t *o[3];
	char *line = buf;
	for (int i = 0; i < 3; i++) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		json_error_t e;
		o[i] = json_loads(line, 0, &e);
		if (!o[i])
			fail_msg("line %d is not JSON: %s (%s)", i + 1, line, e.text);
		assert_int_equal(json_object_size(o[i]), 7);
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
			assert_non_null(json_object_get(o[i], keys[k]));
		line = nl + 1;
	}
	assert_string_equal(line, "");
	/* errors first: the one without a file, then the file's */
	assert_true(json_is_null(json_object_get(o[0], "file")));
	assert_true(json_is_null(json_object_get(o[0], "line")));
	assert_string_equal(json_string_value(json_object_get(o[0], "code")), "E099");
	assert_string_equal(json_string_value(json_object_get(o[1], "file")), "content/plans/a.md");
	assert_int_equal(json_integer_value(json_object_get(o[1], "line")), 4);
	assert_int_equal(json_integer_value(json_object_get(o[1], "column")), 2);
	assert_string_equal(json_string_value(json_object_get(o[1], "severity")), "error");
	assert_string_equal(json_string_value(json_object_get(o[1], "message")), "khoá \"x\"\tbị lặp");
	assert_true(json_is_null(json_object_get(o[1], "suggestion")));
	assert_string_equal(json_string_value(json_object_get(o[2], "severity")), "warning");
	assert_string_equal(json_string_value(json_object_get(o[2], "code")), "W050");
	assert_string_equal(json_string_value(json_object_get(o[2], "suggestion")), "chạy --verbose");
	for (int i = 0; i < 3; i++)
		json_decref(o[i]);
	free(buf);
	diag_free(d);
}

/* A file name that is not UTF-8 still gives a JSON line. */
static void test_json_bad_utf8(void **state)
{
	(void)state;
	diag_t *d = diag_new();
	loc_t l = { "content/static/t\xe9p.pdf", 0, 0 };
	diag_warning(d, &l, "W001", "bỏ qua");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diag_print_json(d, f);
	fclose(f);
	json_error_t e;
	json_t *o = json_loads(buf, 0, &e);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "file")), "content/static/t?p.pdf");
	json_decref(o);
	free(buf);
	diag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_suggestion),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_bad_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
