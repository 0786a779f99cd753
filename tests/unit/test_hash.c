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

/* hash_128 never changes (the pages' state and the parse cache keep its
 * digests; these were printed by the version before it was cut in
 * pieces), and given in pieces it is the same digest however they are
 * cut: a week's fingerprint is hashed as it is written, 64 kB at a time */
static const struct {
	const char *s;
	size_t n;
	unsigned char dg[16];
} vec128[] = {
{ "", 0, { 0x40, 0x37, 0x84, 0x6f, 0x5d, 0xde, 0x76, 0xb7, 0x08, 0xb9, 0x52, 0xa6, 0xa1, 0xfa, 0xcb, 0x1b } },
{ "\x61", 1, { 0xc0, 0x3a, 0x9d, 0xe8, 0x0e, 0xa2, 0x52, 0x72, 0x5a, 0x0a, 0xca, 0x07, 0x9c, 0x8a, 0xa0, 0x81 } },
{ "\x62", 1, { 0xcc, 0x4f, 0xa4, 0x81, 0x8c, 0xaa, 0x62, 0x0e, 0xc9, 0x71, 0x43, 0xbe, 0x11, 0x1d, 0xb9, 0x57 } },
{ "\x61\x00", 2, { 0xff, 0x1f, 0x6a, 0x40, 0x60, 0xf7, 0xc9, 0xc4, 0x93, 0x61, 0x70, 0xa3, 0x87, 0xbb, 0xba, 0x2d } },
{ "\x61\x62\x63\x64\x65\x66\x67\x68", 8, { 0x77, 0xe4, 0xad, 0x6f, 0xe4, 0x4c, 0x72, 0x68, 0x9b, 0xea, 0xe3, 0x73, 0xd9, 0x8a, 0x5e, 0x5e } },
{ "\x61\x62\x63\x64\x65\x66\x67\x68\x69", 9, { 0xc0, 0x3d, 0xd8, 0x9c, 0x8e, 0x59, 0x61, 0x0c, 0xa9, 0x84, 0x01, 0xc7, 0x8c, 0x9c, 0x16, 0xb1 } },
{ "\x4b\xe1\xba\xbf\x20\x68\x6f\xe1\xba\xa1\x63\x68\x20\x73\xe1\xbb\x91\x20\x31\x2f\x4b\x48\x2d\x55\x42\x4e\x44\x0a", 28, { 0xc5, 0xd8, 0x0a, 0x78, 0xc2, 0xcc, 0x2f, 0x86, 0xdd, 0x32, 0x7c, 0x95, 0xe6, 0x00, 0x16, 0x6c } },
};

static void test_128_pieces(void **state)
{
	for (size_t i = 0; i < sizeof vec128 / sizeof *vec128; i++) {
		unsigned char dg[16];
		hash_128(vec128[i].s, vec128[i].n, dg);
		assert_memory_equal(dg, vec128[i].dg, 16);
	}
	char text[300];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = (char)(i * 131 + 7);
	for (size_t n = 0; n <= sizeof text; n += 1 + n / 8) {
		unsigned char want[16], got[16];
		hash_128(text, n, want);
		/* two cuts anywhere, pieces of one byte, and none */
		for (size_t c1 = 0; c1 <= n; c1++)
			for (size_t c2 = c1; c2 <= n; c2 += 1 + (n - c2) / 5) {
				hash128_t h;
				size_t len = 0;
				hash_128_init(&h);
				hash_128_add(&h, text, c1);
				hash_128_add(&h, text + c1, c2 - c1);
				hash_128_add(&h, text + c2, n - c2);
				hash_128_end(&h, got, &len);
				assert_memory_equal(got, want, 16);
				assert_int_equal(len, n);
			}
		hash128_t h;
		hash_128_init(&h);
		for (size_t k = 0; k < n; k++)
			hash_128_add(&h, text + k, 1);
		hash_128_end(&h, got, NULL);
		assert_memory_equal(got, want, 16);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_vectors),
		cmocka_unit_test(test_forms_agree),
		cmocka_unit_test(test_words_unchanged),
		cmocka_unit_test(test_128_distinct),
		cmocka_unit_test(test_128_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
