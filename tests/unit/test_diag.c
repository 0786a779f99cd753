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

#if defined(__SANITIZE_ADDRESS__)
/* the sanitizer's allocator's count (its public interface; the header is
 * not always installed) */
size_t __sanitizer_get_current_allocated_bytes(void);
/* the heap in use, as the allocator counts it */
static size_t heap_now(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
#include <malloc.h>
static size_t heap_now(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}
#endif

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

/* What a message keeps: a 10,000-plan portal has 300,000 warnings, held
 * through the build's peak; they took 56 bytes and more each (a record, a
 * pointer to it, the pointer array doubling).  100,000 warnings on 1,000
 * files, with the few texts and suggestions the checks repeat, must take
 * at most 20 bytes each, as the allocator counts them. */
static void test_compact(void **state)
{
	(void)state;
	enum { FILES = 1000, N = 100000 };
	static char path[FILES][48];
	for (int i = 0; i < FILES; i++)
		snprintf(path[i], sizeof path[i], "content/plans/don-vi-%03d/%d-kh-ubnd.md", i % 60, i);
	size_t before = heap_now();
	diag_t *d = diag_new();
	for (int i = 0; i < N; i++) {
		loc_t l = { path[i % FILES], 10 + i % 37, 3 + i % 5 };
		if (i % 3)
			diag_warning_fix(d, &l, "W016", "thêm \"completed: YYYY-MM-DD\"",
					 "nhiệm vụ %d đã hoàn thành nhưng chưa có ngày hoàn thành", i % 40);
		else
			diag_warning(d, &l, "W014", "nhiệm vụ %d có tiến độ %d%%", i % 40, i % 2 ? 0 : 100);
	}
	size_t held = heap_now() - before;
	assert_int_equal(diag_warnings(d), N);
	assert_true(held <= 20u * N);
	/* what it says it holds (PLANSITE_TIMING) is what it holds */
	assert_true(diag_heap(d) <= held && diag_heap(d) * 5 >= held * 4);
	diag_free(d);
}

/* Messages reported out of order from many files (as the parse workers,
 * the history and the pages report them) print as a plain sort would:
 * errors first, then by file in byte order, line, column, order of report;
 * duplicates once. */
struct ref {
	char path[16];
	int line, col, error, seq;
	char text[24];
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->error != y->error)
		return x->error ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq - y->seq;
}

static void test_order_many(void **state)
{
	(void)state;
	enum { N = 3000 };
	static struct ref r[N];
	unsigned seed = 12345;
	diag_t *d = diag_new();
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned x = seed >> 8;
		/* "" is a message without a file; "b.md" sorts before "b.md~" */
		static const char *const files[] = { "", "b.md", "a/z.md", "a.md", "b.md~", "A.md", "é.md" };
		snprintf(r[i].path, sizeof r[i].path, "%s", files[x % 7]);
		r[i].line = *r[i].path ? (int)(x / 7 % 6) : 0;
		r[i].col = r[i].line ? (int)(x / 42 % 3) + 1 : 0;
		r[i].error = x / 126 % 4 == 0;
		r[i].seq = i;
		snprintf(r[i].text, sizeof r[i].text, "t%u", x / 504 % 3);   /* duplicates too */
		loc_t l = { r[i].path, r[i].line, r[i].col };
		diag_report(d, &l, r[i].error, "W001", NULL, "%s", r[i].text);
	}
	qsort(r, N, sizeof *r, ref_cmp);
	char *want = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&want, &len);
	for (int i = 0; i < N; i++) {
		const struct ref *p = i ? &r[i - 1] : NULL;
		if (p && !strcmp(p->path, r[i].path) && p->line == r[i].line && p->col == r[i].col &&
		    p->error == r[i].error && !strcmp(p->text, r[i].text))
			continue;
		const char *kind = r[i].error ? "error" : "warning";
		if (!*r[i].path)
			fprintf(f, "plansite: %s: [W001] %s\n", kind, r[i].text);
		else if (r[i].line)
			fprintf(f, "%s:%d:%d: %s: [W001] %s\n", r[i].path, r[i].line, r[i].col, kind, r[i].text);
		else
			fprintf(f, "%s: %s: [W001] %s\n", r[i].path, kind, r[i].text);
	}
	fclose(f);
	char *got = diag_format(d);
	assert_string_equal(got, want);
	free(got);
	/* printed again (serve after every edit) and after one more message */
	got = diag_format(d);
	assert_string_equal(got, want);
	free(got);
	loc_t l = { "0.md", 1, 1 };
	diag_error(d, &l, "E001", "x");
	got = diag_format(d);
	/* after the errors without a file: "0.md" sorts before the others */
	size_t at = 0;
	while (!strncmp(want + at, "plansite: error", 15))
		at = (size_t)(strchr(want + at, '\n') + 1 - want);
	assert_true(at > 0 && at < len);
	assert_memory_equal(got, want, at);
	assert_memory_equal(got + at, "0.md:1:1: error: [E001] x\n", 26);
	assert_true(!strncmp(got + at + 26, want + at, len - at) && strlen(got) == len + 26);
	free(got);
	free(want);
	diag_free(d);
}

/* The messages of b, reported in another order, with another duplicate
 * and another string table (what serve compares after an edit). */
static diag_t *same_set(int variant)
{
	diag_t *d = diag_new();
	loc_t a = { "a.md", 9, 3 }, b = { "b.md", 2, 0 }, none = { "units.yaml", 0, 0 };
	if (variant)
		diag_warning_fix(d, &none, "W031", diag_str(d, "sửa %s", "x"), "không vị trí");
	diag_error(d, &b, "E003", "e b2");
	diag_warning(d, &a, "W001", "w a9");
	if (!variant)
		diag_warning_fix(d, &none, "W031", diag_str(d, "sửa %s", "x"), "không vị trí");
	diag_error(d, &b, "E003", "e b2");
	return d;
}

/* diag_same is true exactly when diag_format's texts are equal, here:
 * any part of one line that differs makes it false. */
static void test_same(void **state)
{
	(void)state;
	diag_t *x = same_set(0), *y = same_set(1);
	assert_true(diag_same(x, y));
	char *sx = diag_format(x), *sy = diag_format(y);
	assert_string_equal(sx, sy);
	free(sx);
	free(sy);
	assert_true(diag_same(x, y));   /* after printing too */
	diag_t *e = diag_new(), *e2 = diag_new();
	assert_true(diag_same(e, e2));
	assert_false(diag_same(e, x));
	assert_false(diag_same(x, e));
	diag_free(e);
	diag_free(e2);
	loc_t a = { "a.md", 9, 3 }, a8 = { "a.md", 8, 3 }, c = { "c.md", 9, 3 }, none = { "units.yaml", 0, 0 };
	for (int k = 0; k < 7; k++) {
		diag_t *z = diag_new();
		loc_t b = { "b.md", 2, 0 };
		diag_error(z, &b, "E003", "e b2");
		switch (k) {
		case 0: diag_warning(z, &a8, "W001", "w a9"); break;       /* line */
		case 1: diag_warning(z, &c, "W001", "w a9"); break;        /* file */
		case 2: diag_warning(z, &a, "W002", "w a9"); break;        /* code */
		case 3: diag_warning(z, &a, "W001", "w a9!"); break;       /* text */
		case 4: diag_error(z, &a, "W001", "w a9"); break;          /* severity */
		case 5: diag_warning_fix(z, &a, "W001", "sửa", "w a9"); break;   /* a suggestion */
		default: diag_warning(z, &a, "W001", "w a9"); break;
		}
		diag_warning_fix(z, &none, "W031", k == 6 ? "sửa y" : "sửa x", "không vị trí");   /* 6: another one */
		assert_false(diag_same(x, z));
		assert_false(diag_same(z, x));
		sx = diag_format(x);
		char *sz = diag_format(z);
		assert_string_not_equal(sx, sz);
		free(sx);
		free(sz);
		diag_free(z);
	}
	diag_free(x);
	diag_free(y);
}

/* One file's messages, as a parse reports them (a different set for each
 * k: other files, codes, texts, an error or not). */
static void report_file(diag_t *d, int k)
{
	char path[48];
	snprintf(path, sizeof path, "content/plans/%d-kh.md", k);
	for (int i = 0; i < 30 + k * 7; i++) {
		loc_t l = { path, 40 - i % 13, 1 + i % 4 };
		if (i % 5 == 0)
			diag_warning_fix(d, &l, "W016", diag_str(d, "thêm \"completed: %d\"", i % 3),
					 "nhiệm vụ %d (%d) đã hoàn thành", i, k);
		else if (i % 7 == 3 && k % 2)
			diag_error(d, &l, "E012", "lỗi %d ở tệp %d", i, k);
		else
			diag_warning(d, &l, "W014", "tiến độ %d%%", i % 11);
	}
	loc_t none = { NULL, 0, 0 };
	diag_warning(d, &none, "W001", "không thuộc tệp nào %d", k);
}

/* A diag reused after diag_reset says what a new one says (the history
 * parses each past version with one), and holds no more memory for it. */
static void test_reset(void **state)
{
	(void)state;
	diag_t *reused = diag_new();
	for (int k = 0; k < 6; k++) {
		diag_t *fresh = diag_new();
		report_file(fresh, k);
		report_file(reused, k);
		assert_int_equal(diag_errors(reused), diag_errors(fresh));
		assert_int_equal(diag_warnings(reused), diag_warnings(fresh));
		char *a = diag_format(fresh), *b = diag_format(reused);
		assert_string_equal(b, a);
		free(a);
		free(b);
		assert_int_equal(diag_errors_under(reused, "content/", NULL),
				 diag_errors_under(fresh, "content/", NULL));
		diag_free(fresh);
		size_t full = heap_now();
		diag_reset(reused);
		assert_int_equal(diag_errors(reused), 0);
		assert_int_equal(diag_warnings(reused), 0);
		char *empty = diag_format(reused);
		assert_string_equal(empty ? empty : "", "");
		free(empty);
		/* fewer messages than it held fill the memory it kept */
		if (k >= 1) {
			report_file(reused, 1);
			assert_true(heap_now() <= full);
			diag_reset(reused);
		}
	}
	diag_free(reused);
}

/* A text is what printf makes of the format and its arguments, whether
 * diag.c formats it itself (only %s, %d and %%) or through vsnprintf
 * (any other conversion; 512 bytes and more). */
static void test_text_format(void **state)
{
	(void)state;
	diag_t *d = diag_new();
	loc_t l = { "p.md", 1, 1 };
	char want[8192], t[1024];
	size_t n = 0;
	const char *s = "nhiệm vụ";
	int ints[] = { 0, 7, -7, 100, 2147483647, -2147483647 - 1 };
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		diag_warning(d, &l, "W001", "%s %d %d%% %%d %%%s", s, ints[i], ints[i] / 2, "x");
		snprintf(t, sizeof t, "%s %d %d%% %%d %%%s", s, ints[i], ints[i] / 2, "x");
		n += (size_t)snprintf(want + n, sizeof want - n, "p.md:1:1: warning: [W001] %s\n", t);
	}
	diag_warning(d, &l, "W001", "không đối số");
	n += (size_t)snprintf(want + n, sizeof want - n, "p.md:1:1: warning: [W001] không đối số\n");
	diag_warning(d, &l, "W001", "%s", "");
	n += (size_t)snprintf(want + n, sizeof want - n, "p.md:1:1: warning: [W001] \n");
	diag_warning(d, &l, "W001", "%ld %zu %02d %5s", -3L, (size_t)4, 5, "ab");
	n += (size_t)snprintf(want + n, sizeof want - n, "p.md:1:1: warning: [W001] %ld %zu %02d %5s\n", -3L,
			      (size_t)4, 5, "ab");
	/* 511 bytes fit the stack's buffer with their NUL; 512 do not */
	for (int len = 509; len <= 513; len++) {
		memset(t, 'a', (size_t)len);
		t[len] = '\0';
		t[0] = 'b';
		diag_warning(d, &l, "W001", "%s%d", t + 1, len % 10);
		n += (size_t)snprintf(want + n, sizeof want - n, "p.md:1:1: warning: [W001] %s%d\n", t + 1, len % 10);
	}
	assert_true(n < sizeof want);
	char *got = diag_format(d);
	assert_string_equal(got, want);
	free(got);
	diag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_suggestion),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_bad_utf8),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_order_many),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_text_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
