/* test_url.c: base_url parsing and normalisation, from a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "url.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_good(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "https://example.gov.vn/", "https://example.gov.vn/" },
		{ "https://example.gov.vn", "https://example.gov.vn/" },
		{ "HTTPS://Example.GOV.vn/kh", "https://example.gov.vn/kh/" },
		{ "http://127.0.0.1:1313/", "http://127.0.0.1:1313/" },
		{ "https://example.gov.vn//attacker.example/", "https://example.gov.vn/attacker.example/" },
		{ "https://example.gov.vn///a//b/./c/", "https://example.gov.vn/a/b/c/" },
		{ "https://example.gov.vn/cong%20ttdt/", "https://example.gov.vn/cong%20ttdt/" },
		{ "https://a.b:443//", "https://a.b:443/" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *out;
		const char *why;
		assert_int_equal(url_base_normalise(cases[i][0], &out, &why), 0);
		assert_string_equal(out, cases[i][1]);
		assert_null(strstr(out + 8, "//"));
		free(out);
	}
}

static void test_bad(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"ftp://example.gov.vn/", "//example.gov.vn/", "javascript:alert(1)", "https://",
		"https:///path", "https://user@attacker.example/", "https://example.gov.vn\\@x/",
		"https://example.gov.vn/a\\b/", "https://example.gov.vn/\"onload=x/",
		"https://example.gov.vn/a'b/", "https://example.gov.vn/a b/", "https://example.gov.vn/?q=1",
		"https://example.gov.vn/#x", "https://example.gov.vn/../x/", "https://example.gov.vn:0/",
		"https://example.gov.vn:99999/", "https://example.gov.vn:/", "https://-x.vn/",
		"https://a..b/", "https://example.gov.vn/<script>/", "https://example.gov.vn/kế-hoạch/",
		"https://example.gov.vn/%zz/",
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *out = (char *)1;
		const char *why = NULL;
		if (url_base_normalise(cases[i], &out, &why) == 0)
			fail_msg("accepted: %s -> %s", cases[i], out);
		assert_null(out);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
