/* test_i18n.c: unit tests of i18n.c: which variable chooses the language
 * of the messages, and --lang over all of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i18n.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *language, *lc_all, *lc_messages, *lang;   /* NULL: unset */
	const char *opt;                                       /* --lang */
	const char *want;
} case_t;

static void set(const char *name, const char *v)
{
	if (v)
		setenv(name, v, 1);
	else
		unsetenv(name);
}

static void test_choice(void **state)
{
	(void)state;
	static const case_t cases[] = {
		{ NULL, NULL, NULL, NULL, NULL, "vi" },                      /* a bare machine */
		{ NULL, NULL, NULL, "C.UTF-8", NULL, "vi" },
		{ NULL, NULL, NULL, "POSIX", NULL, "vi" },
		{ NULL, NULL, NULL, "en_US.UTF-8", NULL, "en" },
		{ NULL, NULL, NULL, "vi_VN.UTF-8", NULL, "vi" },
		{ NULL, NULL, NULL, "fr_FR.UTF-8", NULL, "vi" },             /* no catalogue: ours */
		{ NULL, NULL, "en_GB.UTF-8", "vi_VN.UTF-8", NULL, "en" },    /* LC_MESSAGES over LANG */
		{ NULL, "vi_VN.UTF-8", "en_GB.UTF-8", NULL, NULL, "vi" },    /* LC_ALL over LC_MESSAGES */
		{ NULL, "C", NULL, "en_US.UTF-8", NULL, "en" },              /* "C" names nothing */
		{ "en", "vi_VN.UTF-8", NULL, NULL, NULL, "en" },             /* LANGUAGE first */
		{ "en", NULL, NULL, NULL, NULL, "en" },                      /* even without a locale */
		{ "vi:en", NULL, NULL, "en_US.UTF-8", NULL, "vi" },          /* its first entry */
		{ "", NULL, NULL, "en_US.UTF-8", NULL, "en" },               /* empty is unset */
		{ NULL, NULL, NULL, "en_US.UTF-8", "vi", "vi" },             /* --lang over all */
		{ "vi", NULL, NULL, NULL, "en", "en" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		set("LANGUAGE", cases[i].language);
		set("LC_ALL", cases[i].lc_all);
		set("LC_MESSAGES", cases[i].lc_messages);
		set("LANG", cases[i].lang);
		assert_int_equal(i18n_init(cases[i].opt), 0);
		if (strcmp(i18n_lang(), cases[i].want))
			fail_msg("case %zu: want %s, got %s", i, cases[i].want, i18n_lang());
	}
	assert_int_equal(i18n_init("fr"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
