/* test_hash.c: the one hash: FNV-1a against the published test vectors,
 * its string and continued forms against the plain one, and the
 * word-at-a-time form against the search index's former code, whose values
 * the published index version depends on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hash.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_fnv_vectors(void **state)
{
	/* FNV-1a 64 test vectors (Fowler, Noll, Vo) */
	static const struct { const char *s; uint64_t h; } cases[] = {
		{ "", 0xcbf29ce484222325ULL },
		{ "a", 0xaf63dc4c8601ec8cULL },
		{ "b", 0xaf63df4c8601f1a5ULL },
		{ "foobar", 0x85944171f73967e8ULL },
	};
	for (size_t i = 0; i < N(cases); i++) {
		assert_true(hash_bytes(cases[i].s, strlen(cases[i].s)) == cases[i].h);
		assert_true(hash_str(cases[i].s) == cases[i].h);
	}
	assert_true(hash_bytes("x", 0) == HASH_INIT);
}

static void test_forms_agree(void **state)
{
	static const char *const texts[] = {
		"", "a", "Kế hoạch số 12/KH-UBND", "ke-hoach-trien-khai-nghi-quyet-so-57-nq-tw",
		"Sở Tài chính; Sở Kế hoạch và Đầu tư", "0123456789abcdefghijklmnopqrstuvwxyz",
	};
	for (size_t i = 0; i < N(texts); i++) {
		size_t n = strlen(texts[i]);
		assert_true(hash_str(texts[i]) == hash_bytes(texts[i], n));
		for (size_t cut = 0; cut <= n; cut++)
			assert_true(hash_more(hash_bytes(texts[i], cut), texts[i] + cut, n - cut) ==
				    hash_bytes(texts[i], n));
	}
	/* a changed byte changes the hash */
	assert_true(hash_str("Sở A") != hash_str("Sở B"));
	assert_true(hash_words(HASH_INIT, "abcdefghij", 10) != hash_words(HASH_INIT, "abcdefghiJ", 10));
	assert_true(hash_words(HASH_INIT, "abcdefgh", 8) != hash_words(HASH_INIT, "abcdefgH", 8));
}

/* search.c's version hash before the hash module, as it was written */
static uint64_t old_hash_more(uint64_t h, const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void test_words_unchanged(void **state)
{
	char text[300];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = (char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof text; n++) {
		assert_true(hash_words(HASH_INIT, text, n) == old_hash_more(HASH_INIT, text, n));
		assert_true(hash_words(12345, text, n) == old_hash_more(12345, text, n));
	}
}

/* hash_128 (the fingerprints of list pages): every text of up to 40
 * bytes, and each of them with any one byte changed or a NUL added, has
 * its own digest; the same text always the same one */
static int dg_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void test_128_distinct(void **state)
{
	enum { MAXN = 40, VARIANTS = 4 };
	size_t cap = (MAXN + 1) * (1 + MAXN * VARIANTS + 1);
	unsigned char(*all)[16] = malloc(cap * 16);
	size_t n = 0;
	char text[MAXN + 2];
	for (size_t len = 0; len <= MAXN; len++) {
		for (size_t i = 0; i < len; i++)
			text[i] = (char)('a' + (i * 7) % 26);
		unsigned char again[16];
		hash_128(text, len, all[n]);
		hash_128(text, len, again);
		assert_memory_equal(all[n], again, 16);
		n++;
		for (size_t i = 0; i < len; i++)
			for (int v = 1; v <= VARIANTS; v++) {
				char was = text[i];
				text[i] = (char)(was ^ (v == 4 ? 0x80 : v));
				hash_128(text, len, all[n++]);
				text[i] = was;
			}
		text[len] = 0;   /* the same bytes and a NUL: another length */
		hash_128(text, len + 1, all[n++]);
	}
	qsort(all, n, 16, dg_cmp);
	for (size_t i = 1; i < n; i++)
		assert_true(memcmp(all[i - 1], all[i], 16) != 0);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_vectors),
		cmocka_unit_test(test_forms_agree),
		cmocka_unit_test(test_words_unchanged),
		cmocka_unit_test(test_128_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
