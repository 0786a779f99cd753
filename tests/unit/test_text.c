/* test_text.c: unit tests of text.c (UTF-8, NFC, name and number keys, slugs, folding, distance). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_utf8_invalid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		long want;
	} cases[] = {
		{ "", 0, -1 },
		{ "abc", 3, -1 },
		{ "Số hóa", sizeof("Số hóa") - 1, -1 },
		{ "\xF0\x9F\x98\x80", 4, -1 },		/* U+1F600 */
		{ "\xEF\xBF\xBF", 3, -1 },		/* U+FFFF */
		{ "\xF4\x8F\xBF\xBF", 4, -1 },		/* U+10FFFF */
		{ "ab\0c", 4, 2 },			/* NUL */
		{ "a\x80", 2, 1 },			/* stray continuation */
		{ "ab\xC3", 3, 2 },			/* truncated at the end */
		{ "a\xC3(", 3, 1 },			/* bad continuation */
		{ "\xC0\xAF", 2, 0 },			/* overlong '/' */
		{ "\xC1\xBF", 2, 0 },			/* overlong */
		{ "x\xE0\x80\xAF", 4, 1 },		/* overlong, 3 bytes */
		{ "\xF0\x80\x80\xAF", 4, 0 },		/* overlong, 4 bytes */
		{ "ok\xED\xA0\x80", 5, 2 },		/* surrogate U+D800 */
		{ "\xF4\x90\x80\x80", 4, 0 },		/* past U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, 0 },
		{ "\xFF", 1, 0 },
		{ "Số\xE1\xBB", 6, 4 },			/* cut in the middle of ố */
		{ "abc", 2, -1 },			/* only len bytes count */
	};
	for (size_t i = 0; i < N(cases); i++) {
		long got = text_utf8_invalid(cases[i].s, cases[i].len);
		if (got != cases[i].want)
			fail_msg("case %zu: got %ld, want %ld", i, got,
				 cases[i].want);
	}
}

/* text_utf8_scan: the same answer as a byte at a time wherever the bad
 * byte falls in or across the 8-byte words it reads, and *nfc exactly when
 * text_nfc would return the text as it is. */
static void test_utf8_scan(void **state)
{
	(void)state;
	/* each case placed after 0..17 ASCII bytes, so that the interesting
	 * byte lands at every place of a word and on a word's edge */
	static const struct {
		const char *s;
		size_t len;
		long bad;   /* offset in s, or -1 */
		bool nfc;   /* when valid */
	} cases[] = {
		{ "", 0, -1, true },
		{ "plain ascii text, longer than one word", 38, -1, true },
		{ "Số hóa hồ sơ, tài liệu", sizeof("Số hóa hồ sơ, tài liệu") - 1, -1, true },
		{ "\xC2\xA0nbsp and \xC3\xA9", 13, -1, true },      /* Latin-1 */
		{ "Vi\x65\xCC\xA3\xCC\x82t", 8, -1, false },      /* combining marks */
		{ "\xEF\xBB\xBF", 3, -1, false },                  /* U+FEFF: not in the quick set */
		{ "a \xE2\x80\x93 b \xE2\x86\x92", 11, -1, true }, /* en dash, arrow */
		{ "\xE4\xB8\xAD", 3, -1, false },                  /* CJK: full path */
		{ "\xF0\x9F\x98\x80", 4, -1, false },
		{ "abcdefg\0hij", 12, 7, false },                    /* NUL inside a word */
		{ "abcdefgh\0", 9, 8, false },                       /* NUL after one */
		{ "\0bcdefgh", 8, 0, false },
		{ "ab\0\xC3\xA9xyzw", 9, 2, false },                 /* NUL, then a letter */
		{ "\xC3\xA9\0xyzwvu", 9, 2, false },                 /* a letter, then NUL */
		{ "\x01\0\x01\xC3\xA9\x01\x01\x01", 8, 1, false },  /* borrows past the NUL */
		{ "abcdefg\x80", 8, 7, false },                      /* stray continuation */
		{ "abcdefg\xC3", 8, 7, false },                      /* cut at the end */
		{ "abcdef\xC3\xA9gh\xED\xA0\x80", 13, 10, false }, /* surrogate */
		{ "\x7F\x7F\x7F\x7F\x7F\x7F\x7F\x7F", 8, -1, true }, /* DEL is ASCII */
		{ "\x01\x01\x01\x01\x01\x01\x01\x01", 8, -1, true },
		/* the edges of the letters checked in place */
		{ "\xCB\xBF", 2, -1, true },                       /* U+02FF */
		{ "\xCC\x80", 2, -1, false },                      /* U+0300: a mark */
		{ "\xDF\xBF", 2, -1, false },                      /* U+07FF */
		{ "\xE1\xB8\x80 \xE1\xBB\xBF", 7, -1, true },    /* U+1E00, U+1EFF */
		{ "\xE1\xB7\xBF", 3, -1, false },                  /* U+1DFF: marks */
		{ "\xE1\xBC\x80", 3, -1, false },                  /* U+1F00: Greek */
		{ "\xE1\xB8", 2, 0, false },                       /* cut */
		{ "\xE1\xB8\x41", 3, 0, false },                   /* not a continuation */
		{ "\xC3\x41", 2, 0, false },
		{ "\xC1\xBF", 2, 0, false },                       /* overlong */
		{ "\xC3", 1, 0, false },
	};
	char buf[128];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		for (size_t pad = 0; pad < 18; pad++) {
			memset(buf, 'x', pad);
			memcpy(buf + pad, cases[i].s, cases[i].len);
			size_t len = pad + cases[i].len;
			bool nfc = !cases[i].nfc;
			long got = text_utf8_scan(buf, len, &nfc);
			long want = cases[i].bad < 0 ? -1 : cases[i].bad + (long)pad;
			if (got != want)
				fail_msg("case %zu after %zu bytes: got %ld, want %ld", i, pad, got, want);
			if (got != text_utf8_invalid(buf, len))
				fail_msg("case %zu after %zu bytes: text_utf8_invalid differs", i, pad);
			if (want >= 0)
				continue;
			if (nfc != cases[i].nfc)
				fail_msg("case %zu after %zu bytes: nfc %d, want %d", i, pad, nfc, cases[i].nfc);
			/* the promise: nfc means text_nfc changes nothing */
			size_t nlen;
			char *n = text_nfc(buf, len, &nlen);
			if (nfc && (nlen != len || memcmp(n, buf, len)))
				fail_msg("case %zu: said NFC but text_nfc changed it", i);
			free(n);
			assert_int_equal(text_utf8_scan(buf, len, NULL), -1);
		}
}

static void test_nfc(void **state)
{
	/* "Việt" decomposed: e + circumflex + dot below */
	const char *nfd = "Vi\x65\xCC\xA3\xCC\x82t";
	size_t len = 0;
	char *s = text_nfc(nfd, strlen(nfd), &len);
	assert_string_equal(s, "Việt");
	assert_int_equal(len, strlen("Việt"));
	free(s);

	/* marks in non-canonical order still compose to the same letter */
	const char *odd = "Vi\x65\xCC\x82\xCC\xA3t";
	s = text_nfc(odd, strlen(odd), NULL);
	assert_string_equal(s, "Việt");
	free(s);

	s = text_nfc("", 0, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	/* only len bytes are read */
	s = text_nfc("hoà bình", 4, &len);
	assert_string_equal(s, "hoà");
	free(s);

	/* a precondition broken: no crash, the bad byte becomes U+FFFD */
	s = text_nfc("a\xFF" "b", 3, NULL);
	assert_string_equal(s, "a\xEF\xBF\xBD" "b");
	free(s);

	/* the quick check: text that is already NFC comes back as it is, and
	 * anything outside the blocks it trusts still gets normalised */
	static const char *const cases[][2] = {
		{ "Sở Khoa học & Công nghệ – “5 rõ” ≥ 70%", "Sở Khoa học & Công nghệ – “5 rõ” ≥ 70%" },
		{ "\xE2\x84\xA6", "\xCE\xA9" },                 /* OHM SIGN -> OMEGA (a singleton) */
		{ "x\xE2\x80\x80y", "x\xE2\x80\x82y" },          /* EN QUAD -> EN SPACE */
		{ "Vie\xCC\xA3\xCC\x82t Nam", "Việt Nam" },       /* a mark after trusted letters */
		{ "\xE1\xBB\x87\xCC\x81", "\xE1\xBB\x87\xCC\x81" }, /* ệ + acute: no composite */
	};
	for (size_t i = 0; i < N(cases); i++) {
		s = text_nfc(cases[i][0], strlen(cases[i][0]), &len);
		if (strcmp(s, cases[i][1]) || len != strlen(cases[i][1]))
			fail_msg("nfc case %zu: got \"%s\"", i, s);
		free(s);
	}
}

static void expect_same_key(const char *a, const char *b, int same)
{
	char *ka = text_name_key(a), *kb = text_name_key(b);
	if ((strcmp(ka, kb) == 0) != same)
		fail_msg("\"%s\" (%s) and \"%s\" (%s) should %s", a, ka, b, kb,
			 same ? "match" : "differ");
	free(ka);
	free(kb);
}

static void test_name_key_same(void **state)
{
	static const char *const pairs[][2] = {
		/* tone placement in open oa / oe / uy */
		{ "uỷ", "ủy" },
		{ "Uỷ ban", "Ủy ban" },
		{ "UỶ BAN NHÂN DÂN", "Ủy ban nhân dân" },
		{ "hoà", "hòa" },
		{ "Hoà Bình", "Hòa Bình" },
		{ "thuỷ", "thủy" },
		{ "khoẻ", "khỏe" },
		{ "toá", "tóa" },
		{ "hoạ", "họa" },
		{ "hoã", "hõa" },
		{ "Thuý", "Thúy" },
		{ "loè", "lòe" },
		{ "Tỉnh uỷ", "Tỉnh ủy" },
		{ "Văn phòng Tỉnh uỷ", "Văn phòng Tỉnh ủy" },
		{ "Ban Thường vụ Tỉnh Uỷ", "ban thường vụ tỉnh ủy" },
		{ "Phòng Văn hoá - Xã hội", "Phòng Văn hóa - Xã hội" },
		{ "xoá bỏ", "xóa bỏ" },
		{ "Đảng uỷ xã", "Đảng ủy xã" },
		{ "cụ thể hoá", "cụ thể hóa" },
		/* the onset glides of qu and gi never carry the tone */
		{ "quý", "qúy" },
		{ "Quỳnh", "Qùynh" },
		{ "già", "gìa" },
		{ "quà", "qùa" },
		/* dashes, spaces, ampersands, case */
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa – Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa — Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa \xE2\x88\x92 Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa \xE2\x80\x90 Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "  Phòng   Văn hóa\t-\nXã hội  " },
		{ "Phòng Văn hóa - Xã hội", "Phòng\xC2\xA0Văn hóa - Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa-Xã hội" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa –Xã hội" },
		{ "Sở KH&CN", "Sở KH & CN" },
		{ "Sở KH&CN", "sở kh &cn" },
		{ "Văn phòng HĐND & UBND xã", "Văn phòng HĐND&UBND xã" },
		{ "ĐẢNG ỦY", "đảng ủy" },
		{ "Trung tâm Phục vụ HCC tỉnh", "trung tâm phục vụ hcc TỈNH" },
		/* decomposed input, invisible soft hyphen */
		{ "Vi\x65\xCC\xA3\xCC\x82t Nam", "Việt Nam" },
		{ "Công\xC2\xAD an tỉnh", "Công an tỉnh" },
	};
	for (size_t i = 0; i < N(pairs); i++)
		expect_same_key(pairs[i][0], pairs[i][1], 1);
}

static void test_name_key_differ(void **state)
{
	static const char *const pairs[][2] = {
		{ "hoàn", "hoan" },
		{ "hòa", "hóa" },		/* another tone */
		{ "hòa", "hoa" },
		{ "thủy", "thùy" },
		{ "uỷ", "uy" },
		{ "toà", "toá" },
		{ "Sở Nội vụ", "Sở Ngoại vụ" },
		{ "Sở Tư pháp", "Sở Tài chính" },
		/* with a final consonant both styles write the second vowel,
		 * so a mark on the first is another spelling, not a style */
		{ "hoàn", "hòan" },
		{ "khoảng", "khỏang" },
		{ "huỳnh", "hùynh" },
		/* only oa/oe/uy move: the main vowel of của, mùa, kìa, mười
		 * is where the mark must be */
		{ "của", "cuả" },
		{ "mùa", "muà" },
		{ "kìa", "kià" },
		{ "người", "ngừơi" },
		/* the vowel quality is part of the word */
		{ "Huế", "Huệ" },
		{ "tuỳ", "tùy ý" },
		{ "Phòng Văn hóa - Xã hội", "Phòng Văn hóa Xã hội" },
		{ "Sở KH&CN", "Sở KHCN" },
	};
	for (size_t i = 0; i < N(pairs); i++)
		expect_same_key(pairs[i][0], pairs[i][1], 0);
}

static void test_name_key_exact(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" },
		{ "   ", "" },
		{ "Uỷ ban", "ủy ban" },
		{ "  Sở   KH & CN  ", "sở kh&cn" },
		{ "Phòng Văn hoá – Xã hội", "phòng văn hóa-xã hội" },
		{ "KHOẺ", "khỏe" },
		{ "Thuỷ lợi", "thủy lợi" },
		{ "Qúy", "quý" },
		{ "Straße", "strasse" },
		{ "Hoàn thành", "hoàn thành" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *k = text_name_key(cases[i][0]);
		assert_string_equal(k, cases[i][1]);
		free(k);
	}
}

/* s keys as it does with a Đ after it (which keys to itself and sends
 * the whole string through utf8proc): the short path for printable ASCII
 * agrees with the full one */
static void ascii_as_full(const char *s)
{
	char *a = text_docnum_key(s);
	buf_t w = BUF_INIT, want = BUF_INIT;
	buf_puts(&w, s);
	buf_puts(&w, "\xC4\x90");
	buf_puts(&want, a);
	buf_puts(&want, "\xC4\x90");
	char *b = text_docnum_key(w.ptr);
	assert_string_equal(b, want.ptr);
	free(a);
	free(b);
	buf_free(&w);
	buf_free(&want);
}

static void test_docnum_key(void **state)
{
	static const char *const same[][2] = {
		{ "57-NQ/TW", "57-nq/tw" },
		{ "57-NQ/TW", "57 - NQ/TW" },
		{ "57-NQ/TW", "57–NQ/TW" },
		{ "57-NQ/TW", " 57\xE2\x80\x91NQ / TW " },
		{ "185/KH-SDT&TG", "185/kh-sdt&tg" },
		{ "261-KH/TU", "261-kh/tu" },
		{ "15/2025/QĐ-UBND", "15/2025/qđ-ubnd" },
		{ "115/TTr-SKH-CN", "115/TTR-SKH—CN" },
	};
	static const char *const differ[][2] = {
		{ "71/NQ-CP", "71-NQ/CP" },	/* aliases cover this one */
		{ "57-NQ/TW", "57-NQ/TU" },
		{ "15/QĐ-UBND", "15/QD-UBND" },	/* Đ is not D */
	};
	static const char *const exact[][2] = {
		{ "57 – nq/tw", "57-NQ/TW" },
		{ "số 15/2025/qđ-ubnd", "SỐ15/2025/QĐ-UBND" },
		{ "", "" },
	};
	for (size_t i = 0; i < N(same); i++) {
		char *a = text_docnum_key(same[i][0]);
		char *b = text_docnum_key(same[i][1]);
		if (strcmp(a, b) != 0)
			fail_msg("\"%s\" -> %s, \"%s\" -> %s", same[i][0], a,
				 same[i][1], b);
		free(a);
		free(b);
	}
	for (size_t i = 0; i < N(differ); i++) {
		char *a = text_docnum_key(differ[i][0]);
		char *b = text_docnum_key(differ[i][1]);
		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}
	for (size_t i = 0; i < N(exact); i++) {
		char *a = text_docnum_key(exact[i][0]);
		assert_string_equal(a, exact[i][1]);
		free(a);
	}
	/* the short path for printable ASCII agrees with utf8proc's on every
	 * printable character and on numbers as editors write them */
	static const char *const ascii[] = {
		"57-NQ/TW", " 57 - nq / tw ", "185/kh-sdt&tg", "a b\tc", "~!@#$%^*()_+={}[]|\\:;\"'<>,.?`",
	};
	char one[4] = "x?y";
	for (int c = 0x20; c <= 0x80; c++) {
		one[1] = (char)(c == 0x80 ? 0x7F : c);
		ascii_as_full(one);
	}
	for (size_t i = 0; i < N(ascii); i++)
		ascii_as_full(ascii[i]);
}

static void test_slug(void **state)
{
	static const char *const cases[][2] = {
		{ "185/KH-SDT&TG", "185-kh-sdt-tg" },
		{ "Sở Khoa học và Công nghệ", "so-khoa-hoc-va-cong-nghe" },
		{ "Đồng Hỷ", "dong-hy" },
		{ "57-NQ/TW", "57-nq-tw" },
		{ "71/NQ-CP", "71-nq-cp" },
		{ "Phòng Văn hóa – Xã hội", "phong-van-hoa-xa-hoi" },
		{ "  --Văn phòng Tỉnh uỷ!!  ", "van-phong-tinh-uy" },
		{ "ĐẢNG ỦY XÃ", "dang-uy-xa" },
		{ "Số: /KH-UBND", "so-kh-ubnd" },
		{ "Kế hoạch 44/KH-UBND ngày 15/11/2025",
		  "ke-hoach-44-kh-ubnd-ngay-15-11-2025" },
		{ "中文", "" },
		{ "a中b", "a-b" },
		{ "", "" },
		{ "---", "" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *s = text_slug(cases[i][0]);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

/* Long names: cut well under NAME_MAX with a hash of the whole name, so two
 * names that share their first 80 characters still get two slugs. */
static void test_slug_long(void **state)
{
	(void)state;
	char a[450], b[450];
	memset(a, '7', 400);
	strcpy(a + 400, "/KH-UBND");
	memcpy(b, a, sizeof a);
	b[399] = '8';
	char *sa = text_slug(a), *sb = text_slug(b), *sa2 = text_slug(a);
	assert_true(strlen(sa) <= TEXT_SLUG_MAX);
	assert_true(strlen(sb) <= TEXT_SLUG_MAX);
	assert_string_not_equal(sa, sb);
	assert_string_equal(sa, sa2);
	assert_int_equal(strncmp(sa, "7777777777", 10), 0);
	assert_int_not_equal(sa[strlen(sa) - 9], 0);
	assert_int_equal(sa[strlen(sa) - 9], '-');
	free(sa2);
	/* words: the cut falls between two of them */
	buf_t w = BUF_INIT;
	for (int i = 0; i < 60; i++)
		buf_puts(&w, "Phòng Văn hóa ");
	char *sw = text_slug(w.ptr);
	assert_true(strlen(sw) <= TEXT_SLUG_MAX);
	assert_int_equal(strncmp(sw, "phong-van-hoa-phong", 19), 0);
	assert_null(strstr(sw, "--"));
	/* the part before the hash ends on a whole word */
	size_t n = strlen(sw) - 9;
	assert_true(sw[n - 1] == 'g' || sw[n - 1] == 'n' || sw[n - 1] == 'a');
	buf_free(&w);
	free(sw);
	free(sa);
	free(sb);
	/* at the limit, nothing changes */
	char c[TEXT_SLUG_MAX + 1];
	memset(c, 'x', TEXT_SLUG_MAX);
	c[TEXT_SLUG_MAX] = 0;
	char *sc = text_slug(c);
	assert_string_equal(sc, c);
	free(sc);
}

/* The vectors live in a file shared with fold.js's test, so the two sides
 * are held to the same table. */
static char *read_vectors(void)
{
	const char *env = getenv("PLANSITE_FOLD_VECTORS");
	char *data = NULL;
	size_t len;

	if (env && util_read_file(env, &data, &len) == 0)
		return data;
	if (util_read_file("tests/unit/fold-vectors.txt", &data, &len) == 0)
		return data;
	/* from another directory: next to this source file */
	const char *slash = strrchr(__FILE__, '/');
	if (slash) {
		buf_t b = BUF_INIT;
		buf_put(&b, __FILE__, (size_t)(slash - __FILE__));
		buf_puts(&b, "/fold-vectors.txt");
		int rc = util_read_file(b.ptr, &data, &len);
		buf_free(&b);
		if (rc == 0)
			return data;
	}
	return NULL;
}

static void test_search_fold_vectors(void **state)
{
	char *data = read_vectors();
	size_t run = 0, lineno = 0;
	int failed = 0;

	if (!data)
		fail_msg("cannot read tests/unit/fold-vectors.txt (run from the "
			 "repository root or set PLANSITE_FOLD_VECTORS)");
	char *line = data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (*line && *line != '#') {
			char *tab = strchr(line, '\t');
			assert_non_null(tab);
			*tab = '\0';
			char *got = text_search_fold(line);
			if (strcmp(got, tab + 1) != 0) {
				print_error("fold-vectors.txt:%zu: fold(\"%s\") = "
					    "\"%s\", want \"%s\"\n", lineno, line,
					    got, tab + 1);
				failed++;
			}
			free(got);
			run++;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(data);
	assert_int_equal(failed, 0);
	assert_true(run >= 40);
}

static void test_search_fold_more(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" },
		{ "SỐ HÓA", "so hoa" },
		{ "số hoá", "so hoa" },
		/* the fold of an NFD string equals the fold of its NFC form */
		{ "so\xCC\x82\xCC\x81 ho\xCC\x81" "a", "so hoa" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *f = text_search_fold(cases[i][0]);
		assert_string_equal(f, cases[i][1]);
		free(f);
	}
}

/* UTF-8 of cp into b. */
static void put_cp(buf_t *b, uint32_t cp)
{
	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (int)(0xC0 | cp >> 6));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xE0 | cp >> 12));
		buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | cp >> 18));
		buf_putc(b, (int)(0x80 | (cp >> 12 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	}
}

/* text_search_fold folds most text one code point at a time (a memo per
 * code point); a string with a code point past that range (here U+4E2D,
 * which folds to itself and composes with nothing) takes the whole-string
 * path.  Both must agree: fold(s + X) == fold(s) + X, for every code
 * point alone and for many strings mixing letters, marks (also the ones
 * that compose as second of a pair), jamo and invalid bytes. */
static void check_fold_paths(const char *s)
{
	buf_t with = BUF_INIT;
	buf_puts(&with, s);
	buf_puts(&with, "\xE4\xB8\xAD");
	char *a = text_search_fold(s), *b = text_search_fold(with.ptr);
	buf_t want = BUF_INIT;
	buf_puts(&want, a);
	buf_puts(&want, "\xE4\xB8\xAD");
	if (strcmp(b, want.ptr))
		fail_msg("fold paths differ on \"%s\": \"%s\" then \"%s\"", s, a, b);
	free(a);
	free(b);
	buf_free(&want);
	buf_free(&with);
}

static void test_search_fold_paths(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	for (uint32_t cp = 1; cp < 0x2200; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		buf_clear(&b);
		buf_puts(&b, "x");
		put_cp(&b, cp);
		buf_puts(&b, "A");
		check_fold_paths(b.ptr);
	}
	/* what strings are made of: Vietnamese letters in both forms, marks,
	 * the second code points of compositions, jamo, CJK, bad bytes */
	static const uint32_t pool[] = {
		'a', 'A', 'd', 'D', 'o', 'u', 'y', ' ', '-', '1', 0xC0, 0xE2, 0xEA, 0xF4, 0x110, 0x111,
		0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x130, 0xDF, 0x1E9E, 0x300, 0x301, 0x302, 0x303, 0x306,
		0x309, 0x31B, 0x323, 0x345, 0x391, 0x3B1, 0x3D2, 0x401, 0x419, 0x439, 0x9C7, 0x9BE,
		0x9D7, 0xB47, 0xB3E, 0xB56, 0xB57, 0xBC6, 0xBBE, 0xBD7, 0xCC6, 0xCC2, 0xCD5, 0xD46,
		0xD3E, 0xD57, 0xDD9, 0xDCA, 0xDCF, 0xDDF, 0x1025, 0x102E, 0x1100, 0x1161, 0x11A8,
		0xAC00, 0x1EA0, 0x1EA1, 0x1EA5, 0x1EC7, 0x1ED1, 0x1EF9, 0x2013, 0x201C, 0x2126,
		0x212A, 0x212B, 0x20D0, 0x1F600,
	};
	uint32_t seed = 12345;
	for (int i = 0; i < 20000; i++) {
		buf_clear(&b);
		seed = seed * 1103515245u + 12345u;
		int n = 1 + (int)(seed >> 16) % 6;
		for (int j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = seed >> 8;
			if (r % 50 == 0)
				buf_putc(&b, 0x80 + (int)(r >> 8) % 0x40);   /* a stray byte */
			else
				put_cp(&b, pool[(r >> 8) % N(pool)]);
		}
		check_fold_paths(b.ptr);
	}
	buf_free(&b);
}

static void test_distance(void **state)
{
	static const struct {
		const char *a, *b;
		size_t want;
	} cases[] = {
		{ "", "", 0 },
		{ "", "abc", 3 },
		{ "abc", "", 3 },
		{ "kitten", "sitting", 3 },
		{ "flaw", "lawn", 2 },
		{ "Sở Nội vụ", "Sở Nội vụ", 0 },
		/* one code point each, however many bytes */
		{ "số", "so", 1 },
		{ "hòa", "hoà", 2 },
		{ "Sở Nội vụ", "Sở Ngoại vụ", 3 },
		{ "Sở Tư pháp", "Sở Tư phap", 1 },
		{ "Đồng Hỷ", "Đồng Hỷ xã", 3 },
		{ "ab", "ba", 2 },
	};
	for (size_t i = 0; i < N(cases); i++) {
		size_t got = text_distance(cases[i].a, cases[i].b);
		if (got != cases[i].want)
			fail_msg("distance(\"%s\", \"%s\") = %zu, want %zu",
				 cases[i].a, cases[i].b, got, cases[i].want);
		assert_int_equal(text_distance(cases[i].b, cases[i].a), got);
	}
}

static void test_name_fold(void **state)
{
	static const char *const cases[][2] = {
		{ "Sở Tài chính", "so tai chinh" },
		{ "So Tai chinh", "so tai chinh" },
		{ "SO TAI CHINH", "so tai chinh" },
		{ "  Sở   Tài chinh ", "so tai chinh" },
		{ "UBND xã Đồng Hỷ", "ubnd xa dong hy" },
		{ "Phòng Văn hoá – Xã hội", "phong van hoa-xa hoi" },
		{ "Phong Van hoa - Xa hoi", "phong van hoa-xa hoi" },
		{ "Sở KH & CN", "so kh&cn" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *f = text_name_fold(cases[i][0]);
		if (strcmp(f, cases[i][1]))
			fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", cases[i][0], f, cases[i][1]);
		free(f);
	}
}

static void test_docnum_near(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		/* other separators, spaces, Đ written D */
		{ "57/NQ-TW", "57-NQ/TW", TEXT_NEAR_SEPARATORS },
		{ "57-NQ-TW", "57-NQ/TW", TEXT_NEAR_SEPARATORS },
		{ "57NQ/TW", "57-NQ/TW", TEXT_NEAR_SEPARATORS },
		{ "71-NQ/CP", "71/NQ-CP", TEXT_NEAR_SEPARATORS },
		{ "1131/QD-TTG", "1131/QĐ-TTG", TEXT_NEAR_SEPARATORS },
		{ "185/KH-SDTTG", "185/KH-SDT&TG", TEXT_NEAR_SEPARATORS },
		/* the digits of a number reordered */
		{ "75-NQ/TW", "57-NQ/TW", TEXT_NEAR_REORDERED },
		{ "75/NQ-TW", "57-NQ/TW", TEXT_NEAR_REORDERED },
		{ "1311/QĐ-TTG", "1131/QĐ-TTG", TEXT_NEAR_REORDERED },
		{ "251/KH-UBND", "152/KH-UBND", TEXT_NEAR_REORDERED },
		{ "01/2052/NĐ-CP", "01/2025/NĐ-CP", TEXT_NEAR_REORDERED },
		/* one edit, in the letters or in the digits */
		{ "57-NQ/TU", "57-NQ/TW", TEXT_NEAR_LETTER },
		{ "57-5NQ/TW", "57-NQ/TW", TEXT_NEAR_DIGIT },
		{ "157-NQ/TW", "57-NQ/TW", TEXT_NEAR_DIGIT },
		{ "5-NQ/TW", "57-NQ/TW", TEXT_NEAR_DIGIT },
		{ "53-NQ/TW", "57-NQ/TW", TEXT_NEAR_DIGIT },
		{ "57-NQ/T", "57-NQ/TW", TEXT_NEAR_LETTER },
		{ "57-QN/TW", "57-NQ/TW", TEXT_NEAR_LETTER },
		{ "57-NQ/TWW", "57-NQ/TW", TEXT_NEAR_LETTER },
		{ "3/NQ-CP", "03/NQ-CP", TEXT_NEAR_DIGIT },
		/* not slips of one another */
		{ "57-NQ/TW", "57-NQ/TW", TEXT_NEAR_NO },
		{ "52-NQ/TW", "57-NQ/TW", TEXT_NEAR_DIGIT },   /* near; both registered never asks */
		{ "75-NQ/TW", "57-KL/TW", TEXT_NEAR_NO },
		{ "57-NQ/TW", "71/NQ-CP", TEXT_NEAR_NO },
		{ "155/KH-UBND", "185/KH-SDT&TG", TEXT_NEAR_NO },
		{ "1/KH", "2/KH", TEXT_NEAR_NO },             /* too short to guess */
		{ "12-NQ/TW", "57-NQ/TW", TEXT_NEAR_NO },
		{ "570-NQ/TW", "75-NQ/TW", TEXT_NEAR_NO },
		{ "57-NQ/TW", "", TEXT_NEAR_NO },
		{ "--", "/", TEXT_NEAR_NO },
	};
	for (size_t i = 0; i < N(cases); i++) {
		int got = text_docnum_near(cases[i].a, cases[i].b);
		if (got != cases[i].want)
			fail_msg("near(\"%s\", \"%s\") = %d, want %d", cases[i].a, cases[i].b, got,
				 cases[i].want);
		assert_int_equal(text_docnum_near(cases[i].b, cases[i].a), got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_scan),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_slug_long),
		cmocka_unit_test(test_name_key_same),
		cmocka_unit_test(test_name_key_differ),
		cmocka_unit_test(test_name_key_exact),
		cmocka_unit_test(test_docnum_key),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_search_fold_vectors),
		cmocka_unit_test(test_search_fold_more),
		cmocka_unit_test(test_search_fold_paths),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_name_fold),
		cmocka_unit_test(test_docnum_near),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
