/* test_fm.c: unit tests of fm.c: positions, front matter splitting, and every
 * YAML error with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fm.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_positions(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	const char *src = "---\nnumber: \"185/KH\"\ntasks:\n  - id: \"1\"\n    lead: [Văn phòng, Sở A]\n---\n# Body\n";
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", src, strlen(src), &doc), 0);
	assert_int_equal(diag_errors(d), 0);
	const ynode_t *num = ynode_get(doc.meta, "number");
	assert_string_equal(num->str, "185/KH");
	assert_false(num->plain);
	assert_int_equal(num->loc.line, 2);
	assert_int_equal(num->loc.col, 9);
	const ynode_t *task = ynode_get(doc.meta, "tasks")->kids[0];
	const ynode_t *lead = ynode_get(task, "lead");
	assert_int_equal(lead->n, 2);
	/* columns count characters, not bytes: "Văn phòng, " is 11 */
	assert_int_equal(lead->kids[1]->loc.line, 5);
	assert_int_equal(lead->kids[1]->loc.col, 23);
	assert_string_equal(doc.body, "# Body\n");
	assert_int_equal(doc.body_line, 7);
	diag_free(d);
	arena_free(a);
}

static void test_nfc(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	/* "hòa" written decomposed: o + combining grave */
	const char *src = "---\ntitle: \"ho\xcc\x80" "a\"\n---\nho\xcc\x80" "a\n";
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", src, strlen(src), &doc), 0);
	assert_string_equal(ynode_get(doc.meta, "title")->str, "h\xc3\xb2" "a");
	assert_string_equal(doc.body, "h\xc3\xb2" "a\n");
	diag_free(d);
	arena_free(a);
}

static void test_no_front_matter(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", "# Just text\n", 12, &doc), 0);
	assert_null(doc.meta);
	assert_string_equal(doc.body, "# Just text\n");
	diag_free(d);
	arena_free(a);
}

typedef struct {
	const char *src;
	const char *want;   /* the formatted message (first line) */
} err_case_t;

static void test_errors(void **state)
{
	(void)state;
	static const err_case_t cases[] = {
		{ "---\na: 1\na: 2\n---\n", "p.md:3:1: error: [E004] khoá \"a\" bị lặp (đã có ở dòng 2)" },
		{ "---\na: 1\n", "p.md:1:1: error: [E008] phần khai báo (front matter) chưa được đóng" },
		{ "---\na:\n\t- x\n---\n", "p.md:3:1: error: [E002] thụt lề bằng ký tự tab" },
		{ "---\na: \"x\xc3\x28\"\n---\n", "p.md:2:6: error: [E001] tệp không phải mã UTF-8 (byte 0xC3)" },
		{ "---\n- a\n- b\n---\n", "p.md:2:1: error: [E009] phần khai báo phải là" },
		{ "---\na: *nope\n---\n", "p.md:2:4: error: [E006] bí danh \"*nope\" chưa được khai báo" },
		/* libyaml's errors, restated: the line, the mistake, what to write */
		{ "---\na: [1, 2\n---\n", "p.md:2:4: error: [E018] dấu [ mở ở đây chưa được đóng đúng cách — gợi ý: đóng bằng \"]\"" },
		{ "---\ntitle: a\n  lead: b\n---\n",
		  "p.md:3:3: error: [E010] dòng 3 thụt vào sâu hơn dòng 2, mà khoá ở dòng đó đã có giá trị — gợi ý: thụt dòng 3 vào 0 dấu cách, thẳng cột với dòng 2\n" },
		{ "---\ntitle: Kế hoạch: năm 2025\n---\n",
		  "p.md:2:16: error: [E011] giá trị có dấu hai chấm và dấu cách \": \", YAML hiểu thành một khoá mới — gợi ý: đặt giá trị trong ngoặc kép: title: \"Kế hoạch: năm 2025\"\n" },
		{ "---\ntitle: \"Kế hoạch \"ABC\" năm\"\n---\n",
		  "p.md:2:19: error: [E012] còn chữ sau dấu \" đóng giá trị — gợi ý: đặt cả giá trị trong ngoặc: title: 'Kế hoạch \"ABC\" năm'\n" },
		{ "---\ntitle: [Dự thảo] Kế hoạch\n---\n",
		  "p.md:2:18: error: [E012] còn chữ sau dấu ] đóng giá trị — gợi ý: đặt cả giá trị trong ngoặc: title: \"[Dự thảo] Kế hoạch\"\n" },
		{ "---\ntitle: \"abc\nlead: x\n---\n", "p.md:2:8: error: [E013] dấu ngoặc \" mở giá trị ở đây nhưng không được đóng" },
		{ "---\ntitle: \"C:\\data\"\n---\n",
		  "p.md:2:11: error: [E014] trong ngoặc kép, dấu \\ bắt đầu một ký tự đặc biệt, và \"\\d\" không phải ký tự nào — gợi ý: viết trong ngoặc đơn: title: 'C:\\data'\n" },
		{ "---\nnote: *quan trọng*\n---\n", "p.md:2:" },
		{ "---\nnote: `x`\n---\n", "p.md:2:7: error: [E015] giá trị không được bắt đầu bằng ký tự ` (YAML dành ký tự này cho việc khác) — gợi ý: đặt giá trị trong ngoặc kép: note: \"`x`\"\n" },
		{ "---\nlead:\n  - A\n  B\n---\n", "p.md:4:3: error: [E016] dòng 4 không có dấu hai chấm \":\" sau tên khoá — gợi ý: viết \"- B\" nếu đây là một mục nữa của danh sách\n" },
		{ "---\nlead: - A\n---\n", "p.md:2:7: error: [E017] " },
		{ "---\ntitle:\"abc\"\nx: 1\n---\n", "p.md:2:7: error: [E016] dòng 2 thiếu dấu cách sau dấu hai chấm — gợi ý: viết: title: \"abc\"\n" },
		{ "---\ntasks:\n  - id: 1\n    title: a\n   lead: b\n---\n",
		  "p.md:5:4: error: [E010] dòng 5 thụt lề không khớp với danh sách bắt đầu ở dòng 3 — gợi ý: thụt dòng 5 vào 4 dấu cách (thẳng cột với khoá sau \"- \" ở dòng 3), hoặc viết \"- \" ở cột 3 nếu là mục mới\n" },
		{ "---\na:\n  b: 1\n c: 2\n---\n",
		  "p.md:4:2: error: [E010] dòng 4 thụt 1 dấu cách, không thẳng cột với các khoá của khối bắt đầu ở dòng 2 — gợi ý: thụt dòng 4 vào 0 dấu cách, thẳng cột với dòng 2\n" },
		{ "---\ntitle: a\x01" "b\n---\n", "p.md:2:9: error: [E019] ký tự điều khiển không in được (mã 0x01)" },
		{ "---\na: 1\n---\nb: 2\n---\n", NULL },   /* a second --- in the body is text */
		/* keys alike in their first bytes, empty keys, a key with a NUL
		 * (strcmp's text: "a") */
		{ "---\nstatus: 1\nstat: 2\nsta: 3\nstatus: 4\n---\n",
		  "p.md:5:1: error: [E004] khoá \"status\" bị lặp (đã có ở dòng 2)" },
		{ "---\nst: 1\nstatus: 2\n---\n", NULL },
		{ "---\n\"\": 1\nx: 2\n\"\": 3\n---\n", "p.md:4:1: error: [E004] khoá \"\" bị lặp (đã có ở dòng 2)" },
		{ "---\n\"a\\0b\": 1\na: 2\n---\n", "p.md:3:1: error: [E004] khoá \"a\" bị lặp (đã có ở dòng 2)" },
		/* a tab inside a value is no indentation; one after spaces is */
		{ "---\na: \"x\ty\"\nb: [1,\t2]\n---\n", NULL },
		{ "---\na:\n  \t- x\n---\n", "p.md:3:3: error: [E002] thụt lề bằng ký tự tab" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		arena_t *a = arena_new();
		diag_t *d = diag_new();
		fm_doc_t doc;
		int rc = fm_parse(a, d, "p.md", cases[i].src, strlen(cases[i].src), &doc);
		char *msgs = diag_format(d);
		if (cases[i].want) {
			if (rc != -1 || strncmp(msgs, cases[i].want, strlen(cases[i].want)))
				fail_msg("case %zu: want \"%s\", got rc %d \"%s\"", i, cases[i].want, rc, msgs);
		} else if (rc != 0 || *msgs) {
			fail_msg("case %zu: want success, got \"%s\"", i, msgs);
		}
		free(msgs);
		diag_free(d);
		arena_free(a);
	}
}

/* The tree built from one stack of children (fm.c's builder): maps and
 * lists in lists in maps keep their own children, in order, however deep
 * and however many come back out; E004 holds for maps of a few keys
 * (compared in pairs) and of many (sorted), with a byte order mark. */
static void test_tree_shapes(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	const char *src = "\xEF\xBB\xBF---\n"
			  "a: [1, [2, 3, []], {k: v, l: [4]}, 5]\n"
			  "b: {}\n"
			  "c:\n  - x: 1\n    y: [6, 7]\n  - []\n  - z\n"
			  "d: 8\n---\nbody\n";
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", src, strlen(src), &doc), 0);
	assert_int_equal(diag_errors(d), 0);
	assert_int_equal(doc.meta->n, 4);
	const ynode_t *av = ynode_get(doc.meta, "a");
	assert_int_equal(av->kind, YNODE_SEQ);
	assert_int_equal(av->n, 4);
	assert_string_equal(av->kids[0]->str, "1");
	assert_int_equal(av->kids[1]->n, 3);
	assert_string_equal(av->kids[1]->kids[1]->str, "3");
	assert_int_equal(av->kids[1]->kids[2]->kind, YNODE_SEQ);
	assert_int_equal(av->kids[1]->kids[2]->n, 0);
	assert_null(av->kids[1]->kids[3]);   /* the end mark */
	assert_string_equal(ynode_get(av->kids[2], "k")->str, "v");
	assert_string_equal(ynode_get(av->kids[2], "l")->kids[0]->str, "4");
	assert_string_equal(av->kids[3]->str, "5");
	assert_int_equal(ynode_get(doc.meta, "b")->n, 0);
	const ynode_t *cv = ynode_get(doc.meta, "c");
	assert_int_equal(cv->n, 3);
	assert_string_equal(ynode_get(cv->kids[0], "y")->kids[1]->str, "7");
	assert_int_equal(cv->kids[1]->n, 0);
	assert_string_equal(cv->kids[2]->str, "z");
	assert_string_equal(ynode_get(doc.meta, "d")->str, "8");
	/* the byte order mark is not a column */
	assert_int_equal(ynode_get(doc.meta, "a")->loc.line, 2);
	assert_string_equal(doc.body, "body\n");
	diag_free(d);
	arena_free(a);

	/* duplicates among few keys and among many: the same messages */
	for (int many = 0; many < 2; many++) {
		buf_t b = BUF_INIT;
		buf_puts(&b, "---\ntask:\n");
		int keys = many ? 30 : 6;
		for (int k = 0; k < keys; k++)
			buf_printf(&b, "  k%d: %d\n", k, k);
		buf_puts(&b, "  k2: again\n  k2: thrice\n  \"k\\0a\": 1\n  \"k\\0b\": 2\n---\n");
		a = arena_new();
		d = diag_new();
		assert_int_equal(fm_parse(a, d, "p.md", b.ptr, b.len, &doc), -1);
		char *msgs = diag_format(d);
		char want[512];
		snprintf(want, sizeof want,
			 "p.md:%d:3: error: [E004] khoá \"k2\" bị lặp (đã có ở dòng 5)",
			 keys + 3);
		if (!strstr(msgs, want))
			fail_msg("%d keys: no \"%s\" in \"%s\"", keys, want, msgs);
		snprintf(want, sizeof want, "p.md:%d:3: error: [E004] khoá \"k2\" bị lặp (đã có ở dòng %d)",
			 keys + 4, keys + 3);
		if (!strstr(msgs, want))
			fail_msg("%d keys: no \"%s\" in \"%s\"", keys, want, msgs);
		/* keys compared as C strings: "k\0a" and "k\0b" are both "k" */
		snprintf(want, sizeof want, "p.md:%d:3: error: [E004] khoá \"k\" bị lặp (đã có ở dòng %d)",
			 keys + 6, keys + 5);
		if (!strstr(msgs, want))
			fail_msg("%d keys: no \"%s\" in \"%s\"", keys, want, msgs);
		assert_int_equal(diag_errors(d), 3);
		free(msgs);
		buf_free(&b);
		diag_free(d);
		arena_free(a);
	}
	/* the only pair: keys that differ after a NUL */
	const char *nul = "---\nx: 1\n\"k\\0a\": 1\n\"k\\0b\": 2\n---\n";
	a = arena_new();
	d = diag_new();
	assert_int_equal(fm_parse(a, d, "p.md", nul, strlen(nul), &doc), -1);
	char *msgs = diag_format(d);
	if (!strstr(msgs, "p.md:4:1: error: [E004] khoá \"k\" bị lặp (đã có ở dòng 3)"))
		fail_msg("NUL in keys: got \"%s\"", msgs);
	free(msgs);
	diag_free(d);
	arena_free(a);
}

static void test_billion_laughs(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 12; i++) {
		buf_printf(&b, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
		buf_puts(&b, "]\n");
	}
	buf_puts(&b, "---\n");
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", b.ptr, b.len, &doc), -1);
	char *msgs = diag_format(d);
	assert_non_null(strstr(msgs, "[E003] các bí danh (alias) nở ra hơn"));
	free(msgs);
	/* a few aliases are fine */
	diag_free(d);
	d = diag_new();
	const char *ok = "---\nx: &x {a: 1}\ny: *x\n---\n";
	assert_int_equal(fm_parse(a, d, "q.md", ok, strlen(ok), &doc), 0);
	assert_string_equal(ynode_get(ynode_get(doc.meta, "y"), "a")->str, "1");
	diag_free(d);
	arena_free(a);
	buf_free(&b);
}

/* ynode_get finds a key wherever it is; ynode_is_null says null for the
 * plain ~, null, Null, NULL and nothing, and only for them; fm_doc_t's
 * shared says whether an alias made a node the child of two. */
static void test_get_null_shared(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	const char *src = "---\nid: \"1\"\ntitle: T\nlead: L\nstatus: done\nprogress: 5\n"
			  "n1: ~\nn2: null\nn3: Null\nn4: NULL\nn5:\nn6: ''\n"
			  "v1: \"null\"\nv2: nULL\nv3: ~~\nv4: nul\nv5: nulls\nv6: '~'\nv7: 0\n---\n";
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", src, strlen(src), &doc), 0);
	assert_false(doc.shared);
	const char *keys[] = { "id", "title", "lead", "status", "progress" };
	for (size_t k = 0; k < N(keys); k++)
		assert_ptr_equal(ynode_get(doc.meta, keys[k]), ynode_val(doc.meta, k));
	assert_null(ynode_get(doc.meta, "due"));
	assert_null(ynode_get(doc.meta, "i"));
	assert_null(ynode_get(doc.meta, ""));
	assert_null(ynode_get(NULL, "id"));
	assert_null(ynode_get(ynode_get(doc.meta, "id"), "id"));
	for (int i = 1; i <= 5; i++) {
		char key[4] = { 'n', (char)('0' + i), 0 };
		if (!ynode_is_null(ynode_get(doc.meta, key)))
			fail_msg("%s is null", key);
	}
	assert_false(ynode_is_null(ynode_get(doc.meta, "n6")));   /* quoted, empty */
	for (int i = 1; i <= 7; i++) {
		char key[4] = { 'v', (char)('0' + i), 0 };
		if (ynode_is_null(ynode_get(doc.meta, key)))
			fail_msg("%s is not null", key);
	}
	assert_true(ynode_is_null(NULL));
	assert_false(ynode_is_null(doc.meta));
	const char *alias = "---\nx: &a { k: v }\ny: *a\n---\n";
	assert_int_equal(fm_parse(a, d, "q.md", alias, strlen(alias), &doc), 0);
	assert_true(doc.shared);
	assert_ptr_equal(ynode_get(doc.meta, "x"), ynode_get(doc.meta, "y"));
	diag_free(d);
	arena_free(a);
}

static void test_nesting_bound(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\na: ");
	for (int i = 0; i < 1000; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 1000; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "\n---\n");
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	fm_doc_t doc;
	assert_int_equal(fm_parse(a, d, "p.md", b.ptr, b.len, &doc), -1);
	diag_free(d);
	arena_free(a);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_no_front_matter),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tree_shapes),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_nesting_bound),
		cmocka_unit_test(test_get_null_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
