/* test_odbenv.c: unit tests of odbenv.c (GIT_ALTERNATE_OBJECT_DIRECTORIES
 * split as Git splits it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "odbenv.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A list as written in the environment and the folders it names. */
typedef struct {
	const char *list;
	const char *want[4];
} split_case_t;

static const split_case_t split_cases[] = {
	{ "", { NULL } },
	{ "/srv/git/a.git/objects", { "/srv/git/a.git/objects" } },
	{ "/a/objects:/b/objects", { "/a/objects", "/b/objects" } },
	/* empty entries are skipped */
	{ "::/a::/b:", { "/a", "/b" } },
	/* a relative folder is kept as written (taken from the current one) */
	{ "objects:../x", { "objects", "../x" } },
	/* a comment runs to the next separator */
	{ "#note:/a", { "/a" } },
	{ "/a:#/b:/c", { "/a", "/c" } },
	/* quoted: may hold the separator, C escapes */
	{ "\"/srv/a:b/objects\":/c", { "/srv/a:b/objects", "/c" } },
	{ "\"/q\\\"uote\\\\d\"", { "/q\"uote\\d" } },
	{ "\"/tab\\there\\n\"", { "/tab\there\n" } },
	{ "\"/d\\303\\252\"", { "/d\xc3\xaa" } },
	/* Git skips one character after the closing quote, whatever it is */
	{ "\"/a\"x/b", { "/a", "/b" } },
	{ "\"/a\"", { "/a" } },
	{ "\"\":/b", { "/b" } },
	/* broken quoting is read as it is written */
	{ "\"/open:/b", { "\"/open", "/b" } },
	{ "\"/bad\\q\":/b", { "\"/bad\\q\"", "/b" } },
	{ "\"/oct\\39x\"", { "\"/oct\\39x\"" } },
	/* a quote inside an entry is an ordinary character */
	{ "/a\"b:/c", { "/a\"b", "/c" } },
};

static void test_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(split_cases); i++) {
		const split_case_t *c = &split_cases[i];
		char **got = NULL;
		size_t n = odbenv_split(c->list, &got);
		size_t want = 0;
		while (want < N(c->want) && c->want[want])
			want++;
		if (n != want)
			fail_msg("%s: %zu folders, want %zu", c->list, n, want);
		for (size_t k = 0; k < n; k++)
			if (strcmp(got[k], c->want[k]))
				fail_msg("%s: folder %zu is \"%s\", want \"%s\"", c->list, k,
					 got[k], c->want[k]);
		if (!n)
			assert_null(got);
		odbenv_list_free(got, n);
	}
}

static void test_split_null(void **state)
{
	(void)state;
	char **got = (char **)1;
	assert_int_equal(odbenv_split(NULL, &got), 0);
	assert_null(got);
	odbenv_list_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
