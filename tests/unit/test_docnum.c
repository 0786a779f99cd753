/* test_docnum.c: unit tests of docnum.c: which runs of text may be document
 * numbers, and where docnum_scan finds them in Markdown. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "docnum.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* docnum_next: maximal runs with a '/' or '-', starting with a digit at a
 * boundary, without trailing separators */
static void test_next(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "" },
		{ "2025 và 57", "" },
		{ "số 57-NQ/TW.", "57-NQ/TW;" },
		{ "157-NQ/TW- và 12/QĐ-UBND/", "157-NQ/TW;12/QĐ-UBND;" },
		{ "KH57-NQ/TW x1/2", "" },
		{ "1131/QĐ\xe2\x80\x93TTg", "1131/QĐ\xe2\x80\x93TTg;" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char got[256] = "";
		size_t len = strlen(cases[i].text), pos = 0, start, end;
		while (docnum_next(cases[i].text, len, &pos, &start, &end)) {
			size_t l = strlen(got);
			snprintf(got + l, sizeof got - l, "%.*s;", (int)(end - start), cases[i].text + start);
		}
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
	}
}

/* docnum_next as it was before it skipped to digits (two num_char calls
 * a byte): the reference the faster scan must equal. */
static size_t ref_num_char(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (isalnum(c) || c == '&' || c == '/' || c == '-')
		return 1;
	if (c == 0xC4 && ((unsigned char)s[1] == 0x90 || (unsigned char)s[1] == 0x91))
		return 2;
	if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
		return 3;
	return 0;
}

static int ref_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos;
	while (i < len) {
		size_t w = ref_num_char(text + i);
		int boundary = i == 0 || !ref_num_char(text + i - 1);
		if (!w || !isdigit((unsigned char)text[i]) || !boundary) {
			i += w ? w : 1;
			continue;
		}
		size_t j = i;
		while (j < len && (w = ref_num_char(text + j)))
			j += w;
		size_t e = j;
		while (e > i && (text[e - 1] == '-' || text[e - 1] == '/'))
			e--;
		if (memchr(text + i, '/', e - i) || memchr(text + i, '-', e - i)) {
			*start = i;
			*end = e;
			*pos = j;
			return 1;
		}
		i = j;
	}
	*pos = len;
	return 0;
}

/* Random texts of digits, letters, separators, Đ, dashes and other
 * Vietnamese letters: the same runs as the reference, in the same order. */
static void test_next_random(void **state)
{
	(void)state;
	static const char *const parts[] = {
		"0", "1", "7", "a", "K", "H", "/", "-", "&", " ", ".", ",", "\xc4\x90", "\xc4\x91",
		"\xe2\x80\x93", "\xe2\x80\x94", "\xe1\xbb\x8b", "\xc3\xa0", "(",
	};
	srand(5);
	for (int round = 0; round < 3000; round++) {
		char text[200] = "";
		int n = rand() % 40;
		for (int k = 0; k < n; k++)
			strcat(text, parts[rand() % (int)N(parts)]);
		size_t len = strlen(text), pa = 0, pb = 0, sa, sb, ea, eb;
		for (;;) {
			int a = docnum_next(text, len, &pa, &sa, &ea);
			int b = ref_next(text, len, &pb, &sb, &eb);
			assert_int_equal(a, b);
			assert_int_equal(pa, pb);
			if (!a)
				break;
			assert_int_equal(sa, sb);
			assert_int_equal(ea, eb);
		}
	}
}

struct seen {
	char buf[512];
};

static void collect(void *arg, const char *num, size_t n, int line, int col)
{
	struct seen *sn = arg;
	size_t len = strlen(sn->buf);
	snprintf(sn->buf + len, sizeof sn->buf - len, "%.*s@%d:%d;", (int)n, num, line, col);
}

/* docnum_scan finds what md_render would link, with source positions (byte
 * columns: "ị", "à" and "ụ" are several bytes). */
static void test_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *md, *want;
	} cases[] = {
		{ "", "" },
		{ "Nghị quyết 57-NQ/TW.", "57-NQ/TW@1:16;" },
		{ "a\n\n  b 75-NQ/TW và 12/QĐ-UBND", "75-NQ/TW@3:5;12/QĐ-UBND@3:18;" },
		{ "**57-NQ/TW** và 157-NQ/TW-", "57-NQ/TW@1:3;157-NQ/TW@1:18;" },
		/* never in code, code blocks or links; no bare numbers */
		{ "`75-NQ/TW` [75-NQ/TW](x) 2025 và\n\n    75-NQ/TW\n", "" },
		{ "- mục 1\n- mục 75-NQ/TW\n", "75-NQ/TW@2:9;" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct seen sn = { "" };
		docnum_scan(cases[i].md, strlen(cases[i].md), collect, &sn);
		if (strcmp(sn.buf, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, sn.buf, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_random),
		cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
