/* test_util.c: growable buffers: HTML escaping and formatted appends give
 * the same bytes whatever the buffer held and however often it grows; the
 * address map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

/* The escaping as the HTML spec's text and attribute values need it, one
 * byte at a time: what buf_put_html must equal. */
static char *escape_slow(const char *s, size_t n)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '"': buf_puts(&b, "&quot;"); break;
		case '\'': buf_puts(&b, "&#39;"); break;
		default: buf_putc(&b, s[i]);
		}
	}
	return buf_detach(&b);
}

static void test_html_cases(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } cases[] = {
		{ "", "" },
		{ "Kế hoạch", "Kế hoạch" },
		{ "&", "&amp;" },
		{ "<>\"'&", "&lt;&gt;&quot;&#39;&amp;" },
		{ "a<b", "a&lt;b" },
		{ "Sở \"Tư pháp\" & UBND", "Sở &quot;Tư pháp&quot; &amp; UBND" },
		{ "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
		{ "&amp;", "&amp;amp;" },
		{ "end>", "end&gt;" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t b = BUF_INIT;
		buf_put_html(&b, cases[i].in, strlen(cases[i].in));
		assert_non_null(b.ptr);
		assert_string_equal(b.ptr, cases[i].want);
		assert_int_equal(b.len, strlen(cases[i].want));
		/* appended after what the buffer holds */
		buf_clear(&b);
		buf_puts(&b, "x");
		buf_put_html(&b, cases[i].in, strlen(cases[i].in));
		assert_int_equal(b.ptr[0], 'x');
		assert_string_equal(b.ptr + 1, cases[i].want);
		buf_free(&b);
	}
}

/* Texts of every length up to a few kB, each byte one of a few plain
 * ones, a multibyte letter's or a special one, appended to buffers that
 * start empty or almost full: the same as byte by byte, NUL-terminated. */
static void test_html_random(void **state)
{
	(void)state;
	static const char pool[] = "ab &<>\"'\xe1\xba\xbf\n";
	srand(7);
	for (int round = 0; round < 400; round++) {
		size_t n = (size_t)(rand() % 3000);
		char *s = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			s[i] = pool[rand() % (int)(sizeof pool - 1)];
		s[n] = '\0';
		char *want = escape_slow(s, n);
		buf_t b = BUF_INIT;
		size_t pre = (size_t)(rand() % 130);   /* around the first block's 64 bytes */
		for (size_t i = 0; i < pre; i++)
			buf_putc(&b, '.');
		buf_put_html(&b, s, n);
		assert_int_equal(b.len, pre + strlen(want));
		assert_int_equal(b.ptr[b.len], '\0');
		assert_memory_equal(b.ptr + pre, want, strlen(want));
		buf_free(&b);
		free(want);
		free(s);
	}
}

/* Long plain runs with a rare special byte, every other byte value
 * (those next to the special ones too) around it: what the 16-bytes-at-a-
 * time scan skips and where it stops, at every offset. */
static void test_html_sparse(void **state)
{
	(void)state;
	srand(11);
	for (int round = 0; round < 600; round++) {
		size_t n = (size_t)(rand() % 700);
		char *s = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			s[i] = rand() % 60 ? (char)(1 + rand() % 255) : "&<>\"'"[rand() % 5];
		s[n] = '\0';
		char *want = escape_slow(s, n);
		buf_t b = BUF_INIT;
		buf_put_html(&b, s, n);
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.ptr ? b.ptr : "", want, strlen(want));
		buf_free(&b);
		free(want);
		free(s);
	}
}

/* buf_put_html_str finds the string's end as it escapes, reading whole
 * 16-byte blocks: the same bytes as buf_put_html for strings that start
 * at every offset of a block and end at every offset of another, with
 * special bytes and NULs around them that must not count. */
static void test_html_str(void **state)
{
	(void)state;
	srand(13);
	char *area = malloc(4096 + 64);
	for (int round = 0; round < 3000; round++) {
		size_t off = (size_t)(rand() % 48), n = (size_t)(rand() % (round < 1500 ? 40 : 900));
		/* what lies before and after the string: special bytes */
		for (size_t i = 0; i < 4096 + 64; i++)
			area[i] = "&<>\"'"[rand() % 5];
		char *s = area + off;
		for (size_t i = 0; i < n; i++)
			s[i] = rand() % 9 ? (char)(1 + rand() % 255) : "&<>\"'"[rand() % 5];
		s[n] = '\0';
		buf_t want = BUF_INIT, got = BUF_INIT;
		size_t pre = (size_t)(rand() % 70);
		for (size_t i = 0; i < pre; i++) {
			buf_putc(&want, '.');
			buf_putc(&got, '.');
		}
		buf_put_html(&want, s, n);
		buf_put_html_str(&got, s);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "", want.len);
		if (got.ptr)
			assert_int_equal(got.ptr[got.len], '\0');
		buf_free(&want);
		buf_free(&got);
	}
	free(area);
	/* the cases, and a string alone in its allocation */
	buf_t b = BUF_INIT;
	char *alone = strdup("Sở \"Tư pháp\" & <UBND>");
	buf_put_html_str(&b, alone);
	assert_string_equal(b.ptr, "Sở &quot;Tư pháp&quot; &amp; &lt;UBND&gt;");
	buf_clear(&b);
	buf_put_html_str(&b, "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
	free(alone);
}

/* Both escapers read 16 bytes at a time: texts that end at the last byte
 * of a page followed by one that may not be read (a read past the text
 * faults and fails the test; buf_put_html_str's aligned blocks never
 * reach it), at every length up to 70 and with special bytes at every
 * place, NUL-terminated or given by length, appended after a few bytes. */
static void test_html_page_end(void **state)
{
	(void)state;
	long pg = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
	srand(17);
	for (size_t n = 0; n <= 70; n++) {
		for (int round = 0; round < 40; round++) {
			/* by length: the text's last byte is the page's */
			char *s = map + pg - n;
			for (size_t i = 0; i < n; i++)
				s[i] = rand() % 4 ? "ab\xe1\xba\xbf"[rand() % 5] : "&<>\"'"[rand() % 5];
			char *want = escape_slow(s, n);
			buf_t b = BUF_INIT;
			size_t pre = (size_t)(rand() % 70);
			for (size_t i = 0; i < pre; i++)
				buf_putc(&b, '.');
			buf_put_html(&b, s, n);
			assert_int_equal(b.len, pre + strlen(want));
			assert_memory_equal(b.ptr + pre, want, strlen(want));
			assert_int_equal(b.ptr[b.len], '\0');
			/* NUL-terminated: the NUL is the page's last byte */
			if (n > 0) {
				s = map + pg - n;
				s[n - 1] = '\0';
				free(want);
				want = escape_slow(s, n - 1);
				buf_clear(&b);
				for (size_t i = 0; i < pre; i++)
					buf_putc(&b, '.');
				buf_put_html_str(&b, s);
				assert_int_equal(b.len, pre + strlen(want));
				assert_memory_equal(b.ptr + pre, want, strlen(want));
				assert_int_equal(b.ptr[b.len], '\0');
			}
			buf_free(&b);
			free(want);
		}
	}
	munmap(map, (size_t)pg * 2);
}

static void test_printf(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_printf(&b, "%d:%s", 12, "ab");
	assert_string_equal(b.ptr, "12:ab");
	/* longer than the room there is: formatted again after growing */
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 5 + 2 + sizeof big - 1);
	assert_memory_equal(b.ptr, "12:ab[x", 7);
	assert_int_equal(b.ptr[b.len - 1], ']');
	assert_int_equal(b.ptr[b.len], '\0');
	/* exactly filling the room, then one byte past it */
	buf_t c = BUF_INIT;
	buf_put(&c, "", 0);
	size_t room = c.cap - c.len - 1;
	char fit[256];
	assert_true(room + 2 < sizeof fit);
	memset(fit, 'y', room);
	fit[room] = '\0';
	buf_printf(&c, "%s", fit);
	assert_int_equal(c.len, room);
	assert_string_equal(c.ptr, fit);
	buf_printf(&c, "%s", "z");
	assert_int_equal(c.len, room + 1);
	assert_int_equal(c.ptr[room], 'z');
	assert_int_equal(c.ptr[room + 1], '\0');
	/* many small appends, as the fingerprints make */
	buf_t d = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&d, "%d\n", i);
	size_t len = 0;
	for (int i = 0; i < 10000; i++) {
		char one[16];
		int k = snprintf(one, sizeof one, "%d\n", i);
		assert_memory_equal(d.ptr + len, one, (size_t)k);
		len += (size_t)k;
	}
	assert_int_equal(d.len, len);
	buf_free(&b);
	buf_free(&c);
	buf_free(&d);
}

/* fmt_tenths writes what printf's "%.1f" writes: ties of v's exact value
 * (0.25, 0.75, 2.5e-1 * odd), the doubles either side of every tie and of
 * every tenth up to 1,000, the chart's coordinates (percent steps over
 * its height), random values of every size, and what it leaves to printf
 * (negative, -0, huge, inf, nan). */
static void check_tenths(double v)
{
	char want[FMT_TENTHS_MAX + 8], got[FMT_TENTHS_MAX];
	snprintf(want, sizeof want, "%.1f", v);
	size_t n = fmt_tenths(v, got);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
}

/* The double next to v (v > 0) downwards (-1) or upwards (+1), without libm. */
static double next_to(double v, int dir)
{
	uint64_t b;
	memcpy(&b, &v, sizeof b);
	b = dir < 0 ? b - 1 : b + 1;
	memcpy(&v, &b, sizeof v);
	return v;
}

/* xcalloc_aligned: aligned, zeroed, whatever the size (aligned_alloc
 * itself asks for a multiple of the alignment) */
static void test_xcalloc_aligned(void **state)
{
	(void)state;
	const size_t sizes[] = { 0, 1, 63, 64, 65, 1000, 4097 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = xcalloc_aligned(64, sizes[i]);
		assert_int_equal((uintptr_t)p % 64, 0);
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xa5, sizes[i]);   /* all of it is ours (ASan checks) */
		free(p);
	}
}

static void test_tenths(void **state)
{
	(void)state;
	for (long k = 0; k <= 20000; k++) {
		double t = (double)k / 20.0;   /* every tenth and every tie between */
		check_tenths(t);
		if (k)
			check_tenths(next_to(t, -1));
		check_tenths(next_to(t, 1));
	}
	const double ph = 400 - 14 - 50, pw = 720 - 60 - 20;
	for (int p = 0; p <= 100; p++)
		for (long span = 1; span <= 400; span += 7)
			for (long d = 0; d <= span; d += 3) {
				check_tenths(14 + ph - ph * p / 100.0);
				check_tenths(60 + pw * (double)d / (double)span);
			}
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double m = (double)(x >> 11) / 9007199254740992.0;   /* [0, 1) */
		double v = m;
		for (int e = (int)(i % 70) - 20; e > 0; e--)
			v *= 2;
		for (int e = (int)(i % 70) - 20; e < 0; e++)
			v /= 2;
		check_tenths(v);
	}
	const double odd[] = { 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 1e15 - 0.05, 999999999999999.9, 1e15, 1e16, 1e300,
			       -0.0, -0.04, -0.05, -1.25, -1e20, 4.9e-324 };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		check_tenths(odd[i]);
	check_tenths(INFINITY);
	check_tenths(NAN);
	check_tenths(-INFINITY);
}

/* util_read_file: a regular file read whole into a buffer of its size
 * (empty, one byte, larger than any stdio buffer), NUL-terminated; a file
 * whose size the system does not tell (/proc); a missing one. */
static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/plansite-test-util-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/f", dir);
	static const size_t sizes[] = { 0, 1, 4095, 4096, 65536, 65537, 300001 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		char *want = malloc(sizes[k] + 1);
		for (size_t i = 0; i < sizes[k]; i++)
			want[i] = (char)('a' + (i * 7 + k) % 26);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(want, 1, sizes[k], f), sizes[k]);
		fclose(f);
		char *data = NULL;
		size_t len = 99;
		assert_int_equal(util_read_file(path, &data, &len), 0);
		assert_non_null(data);
		assert_int_equal(len, sizes[k]);
		assert_memory_equal(data, want, sizes[k]);
		assert_int_equal(data[len], '\0');
		free(data);
		free(want);
	}
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file("/proc/self/status", &data, &len), 0);
	assert_true(len > 0 && strlen(data) == len && !strncmp(data, "Name:", 5));
	free(data);
	remove(path);
	assert_int_equal(util_read_file(path, &data, &len), -1);
	remove(dir);
}

/* addrmap: every key keeps its value across the map's growth, keys are
 * told apart by address only (equal bytes at two addresses are two keys),
 * and a missing key has no value. */
static void test_addrmap(void **state)
{
	(void)state;
	enum { N = 5000 };
	char *texts = calloc(N, 8);
	assert_non_null(texts);
	addrmap_t m = ADDRMAP_INIT;
	assert_null(addrmap_get(&m, texts));
	for (size_t i = 0; i < N; i++) {
		memcpy(texts + 8 * i, "same", 5);   /* equal bytes everywhere */
		void **v = addrmap_slot(&m, texts + 8 * i);
		assert_null(*v);
		*v = (void *)(uintptr_t)(i + 1);
		assert_true(m.n == i + 1 && 2 * m.n <= m.cap);
	}
	for (size_t i = 0; i < N; i++) {
		assert_int_equal((uintptr_t)addrmap_get(&m, texts + 8 * i), i + 1);
		/* a second slot call finds the same value, adds nothing */
		assert_int_equal((uintptr_t)*addrmap_slot(&m, texts + 8 * i), i + 1);
		assert_null(addrmap_get(&m, texts + 8 * i + 1));
	}
	assert_int_equal(m.n, N);
	assert_null(addrmap_get(&m, NULL));
	addrmap_free(&m);
	assert_true(m.n == 0 && m.cap == 0 && !m.keys);
	assert_null(addrmap_get(&m, texts));
	free(texts);
}

/* An arena's allocations: zeroed and 16-aligned (8 for arena_alloc8),
 * texts packed, big requests in blocks of their own, every byte its own. */
static void fill_arena(arena_t *a, unsigned char tag, char **keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++) {
		size_t n = i % 97 == 0 ? 300000 + i : 1 + i * 37 % 5000;   /* some past a block's quarter */
		unsigned char *p = arena_alloc(a, n);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(p[k], 0);
		memset(p, tag, n);
		unsigned char *q = arena_alloc8(a, 24);
		assert_int_equal((uintptr_t)q % 8, 0);
		assert_int_equal(q[0] | q[23], 0);
		keep[i] = arena_printf(a, "%c%zu", tag, i);
	}
}

static void check_arena(char **keep, size_t nkeep, unsigned char tag)
{
	char want[32];
	for (size_t i = 0; i < nkeep; i++) {
		snprintf(want, sizeof want, "%c%zu", tag, i);
		assert_string_equal(keep[i], want);
	}
}

/* A big arena (blocks of 2 MB, util.h) holds as a small one does, over
 * many blocks; either adopts the other's allocations; a reset keeps none
 * of a big arena's blocks and leaves it usable. */
static void test_arenas(void **state)
{
	(void)state;
	enum { N = 12000 };   /* about 65 MB of allocations: blocks of both kinds, past 32 MB */
	char **ks = malloc(N * sizeof *ks), **kb = malloc(N * sizeof *kb);
	arena_t *small = arena_new(), *big = arena_new_big();
	fill_arena(small, 's', ks, N);
	fill_arena(big, 'b', kb, N);
	check_arena(ks, N, 's');
	check_arena(kb, N, 'b');
	/* the parse's arenas are adopted by the build's */
	arena_t *w = arena_new_big();
	char *x = arena_strdup(w, "của luồng");
	arena_adopt(small, w);
	assert_string_equal(x, "của luồng");
	arena_t *w2 = arena_new();
	char *y = arena_strndup(w2, "đơn vịXYZ", strlen("đơn vị"));
	arena_adopt(big, w2);
	assert_string_equal(y, "đơn vị");
	assert_string_equal(arena_strndup(big, "abc", 0), "");
	assert_null(arena_strdup(big, NULL));
	check_arena(ks, N, 's');
	check_arena(kb, N, 'b');
	arena_reset(big);
	fill_arena(big, 'c', kb, N / 3);
	check_arena(kb, N / 3, 'c');
	arena_reset(small);
	fill_arena(small, 'd', ks, N / 3);
	check_arena(ks, N / 3, 'd');
	arena_free(small);
	arena_free(big);
	arena_free(NULL);
	free(ks);
	free(kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_cases),
		cmocka_unit_test(test_html_random),
		cmocka_unit_test(test_html_sparse),
		cmocka_unit_test(test_html_str),
		cmocka_unit_test(test_html_page_end),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_xcalloc_aligned),
		cmocka_unit_test(test_tenths),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_addrmap),
		cmocka_unit_test(test_arenas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
