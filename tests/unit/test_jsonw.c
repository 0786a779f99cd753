/* test_jsonw.c: the streaming JSON writer (src/jsonw.c) against jansson:
 * hostile strings come back the same through jansson's parser, and valid
 * text is written byte for byte as jansson's compact dump writes it (so
 * the open data files did not change when they stopped using jansson). */
#include <setjmp.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonw.h"

static const char *const hostile[] = {
	"",
	"plain",
	"\"quoted\" and \\backslashed\\ and \\\"both\\\"",
	"</script><script>alert(1)</script>",
	"a/b//c",
	"line\nbreak\r\ntab\tform\fback\b",
	"\x01\x02\x03\x04\x05\x06\x07\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f",
	"U+2028 [\xE2\x80\xA8] U+2029 [\xE2\x80\xA9]",
	"Kế hoạch số 44/KH-UBND: chuyển đổi số, Ủy ban nhân dân xã Quang Sơn",
	"Đơn vị chủ trì: Văn phòng HĐND và UBND; ước tính ≥ 70%",
	"emoji \xF0\x9F\x93\x84 and CJK \xE4\xB8\xAD",
	"\xEF\xBB\xBF" "BOM first",
	"U+FFFF [\xEF\xBF\xBF] U+10FFFF [\xF4\x8F\xBF\xBF]",
};

/* Bytes that are not UTF-8, and what the writer makes of them (each bad
 * byte one U+FFFD). */
static const char *const broken[][2] = {
	{ "lone \x80 continuation", "lone \xEF\xBF\xBD continuation" },
	{ "overlong \xC0\x80 nul", "overlong \xEF\xBF\xBD\xEF\xBF\xBD nul" },
	{ "overlong \xE0\x80\xAF slash", "overlong \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD slash" },
	{ "surrogate \xED\xA0\x80", "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "too high \xF4\x90\x80\x80", "too high \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "\xF5\xFF", "\xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "cut \xE1\x80", "cut \xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "Vi\xE1\xBB", "Vi\xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "latin-1 caf\xE9 \"x\"", "latin-1 caf\xEF\xBF\xBD \"x\"" },
	/* bad bytes inside runs of whole sequences, and at either end */
	{ "Vi\xE1\xBB\x87t\x80N\xC4\x91\"\xE1\xBB\x91\"\xE1", "Vi\xE1\xBB\x87t\xEF\xBF\xBDN\xC4\x91\"\xE1\xBB\x91\"\xEF\xBF\xBD" },
	{ "\xBF\xE1\xBA\xA1\xE1\xBA\xA1\xFE", "\xEF\xBF\xBD\xE1\xBA\xA1\xE1\xBA\xA1\xEF\xBF\xBD" },
};

/* What a jsonw run wrote, NUL-terminated (the writer's own buffer). */
static char *written(jsonw_t *w)
{
	buf_putc(&w->b, '\0');
	return w->b.ptr;
}

static void test_strings_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		jsonw_t w;
		jsonw_init(&w, NULL, NULL);
		jsonw_arr(&w);
		jsonw_str(&w, hostile[i]);
		jsonw_arr_end(&w);
		assert_int_equal(jsonw_finish(&w), 0);
		const char *out = written(&w);
		json_error_t err;
		json_t *j = json_loads(out, 0, &err);
		if (!j)
			fail_msg("jansson rejects %s: %s", out, err.text);
		assert_string_equal(json_string_value(json_array_get(j, 0)), hostile[i]);
		/* and byte for byte what jansson writes */
		char *ref = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_string_equal(out, ref);
		free(ref);
		json_decref(j);
		/* no raw control character is ever written */
		for (const char *p = out; *p; p++)
			assert_true((unsigned char)*p >= 0x20);
		jsonw_free(&w);
	}
}

static void test_invalid_utf8_repaired(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		jsonw_t w;
		jsonw_init(&w, NULL, NULL);
		jsonw_obj(&w);
		jsonw_key(&w, broken[i][0]);   /* keys are escaped the same way */
		jsonw_str(&w, broken[i][0]);
		jsonw_obj_end(&w);
		assert_int_equal(jsonw_finish(&w), 0);
		const char *out = written(&w);
		json_error_t err;
		/* jansson refuses invalid UTF-8: that it loads, shows there is none */
		json_t *j = json_loads(out, 0, &err);
		if (!j)
			fail_msg("invalid output for case %zu: %s", i, err.text);
		assert_string_equal(json_string_value(json_object_get(j, broken[i][1])), broken[i][1]);
		json_decref(j);
		jsonw_free(&w);
	}
}

/* The reference the writer is held to, decoded by code point (not by the
 * writer's byte table): the length of the valid UTF-8 sequence at s, or 0. */
static size_t ref_seq(const unsigned char *s)
{
	unsigned c = s[0], cp;
	size_t n;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
	else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
	else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	static const unsigned least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < least[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n;
}

/* s with each byte that starts no valid sequence replaced by U+FFFD. */
static void ref_repair(const char *in, buf_t *out)
{
	const unsigned char *s = (const unsigned char *)in;
	while (*s) {
		size_t n = ref_seq(s);
		if (n) {
			buf_put(out, (const char *)s, n);
			s += n;
		} else {
			buf_puts(out, "\xEF\xBF\xBD");
			s++;
		}
	}
	if (!out->ptr)
		buf_puts(out, "");
}

static int checked;

/* s written as a string: jansson loads the result (so it is valid JSON
 * and valid UTF-8, which jansson checks), finds the reference's repair of
 * s, and, s being valid, the text is what jansson's dump writes. */
static void check_one(const char *s)
{
	buf_t b = BUF_INIT, want = BUF_INIT;
	buf_putc(&b, '[');
	jsonw_put_string(&b, s);
	buf_putc(&b, ']');
	ref_repair(s, &want);
	json_error_t err;
	json_t *j = json_loads(b.ptr, 0, &err);
	if (!j)
		fail_msg("jansson rejects the writing of a %zu-byte string (first byte 0x%02X): %s", strlen(s),
			 (unsigned char)s[0], err.text);
	const char *got = json_string_value(json_array_get(j, 0));
	assert_non_null(got);
	if (strcmp(got, want.ptr))
		fail_msg("string starting 0x%02X 0x%02X written as %s", (unsigned char)s[0],
			 (unsigned char)s[0] ? (unsigned char)s[1] : 0, b.ptr);
	if (!strcmp(want.ptr, s)) {
		char *ref = json_dumps(j, JSON_COMPACT);
		assert_string_equal(b.ptr, ref);
		free(ref);
	}
	for (const char *p = b.ptr; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
	json_decref(j);
	buf_free(&b);
	buf_free(&want);
	checked++;
}

/* Every byte value alone, inside ASCII and after a whole sequence; every
 * pair of a byte 0x80-0xFF and any byte; every lead of 3 and 4 bytes with
 * every second byte and the third and fourth bytes that matter (cut,
 * ASCII, the ends of the continuation range, a lead): the table-driven
 * writer agrees with a decoder of code points on all of them. */
static void test_every_byte(void **state)
{
	(void)state;
	static const unsigned char tails[] = { 0x00, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90,
					       0x9F, 0xA0, 0xBF, 0xC0, 0xC3, 0xE1, 0xFF };
	size_t nt = sizeof tails / sizeof tails[0];
	checked = 0;
	for (unsigned c = 1; c < 256; c++) {
		char s[16];
		snprintf(s, sizeof s, "%c", c);
		check_one(s);
		snprintf(s, sizeof s, "ab%cde", c);
		check_one(s);
		snprintf(s, sizeof s, "\xE1\xBB\x87%c\xC4\x91", c);
		check_one(s);
	}
	for (unsigned c = 0x80; c < 256; c++)
		for (unsigned d = 1; d < 256; d++) {
			char s[] = { 'x', (char)c, (char)d, 'y', 0 };
			check_one(s);
			char e[] = { (char)c, (char)d, 0 };
			check_one(e);
		}
	for (unsigned c = 0xE0; c < 0xF8; c++)
		for (unsigned d = 1; d < 256; d++)
			for (size_t t = 0; t < nt; t++)
				for (size_t u = 0; u < nt; u++) {
					char s[] = { 'x', (char)c, (char)d, (char)tails[t], (char)tails[u], 'y', 0 };
					check_one(s);
				}
	assert_true(checked > 100000);
}

/* Strings long and short, escaped and not, appended to a buffer already
 * holding text: the room made for them is enough whatever they hold. */
static void test_appends(void **state)
{
	(void)state;
	buf_t b = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 3000; i++) {
		buf_t s = BUF_INIT;
		for (int k = 0; k < i % 97; k++)
			buf_puts(&s, k % 7 ? (k % 3 ? "\xE1\xBB\x87" : "a") : "\"\n\x80");
		jsonw_put_string(&b, s.ptr ? s.ptr : "");
		json_t *j = json_string(s.ptr ? s.ptr : "");
		if (!j) {   /* not UTF-8: compare with the repair instead */
			buf_t r = BUF_INIT;
			ref_repair(s.ptr, &r);
			j = json_string(r.ptr);
			buf_free(&r);
		}
		char *d = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_puts(&want, d);
		free(d);
		json_decref(j);
		buf_free(&s);
	}
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.ptr, want.ptr, b.len);
	buf_free(&b);
	buf_free(&want);
}

/* A record shaped like plans.json's, written both ways. */
static void test_structure_like_jansson(void **state)
{
	(void)state;
	jsonw_t w;
	jsonw_init(&w, NULL, NULL);
	json_t *ref = json_array();
	jsonw_arr(&w);
	for (int i = 0; i < 3; i++) {
		json_t *o = json_object();
		jsonw_obj(&w);
		jsonw_key(&w, "number");
		jsonw_str(&w, i ? hostile[i + 1] : NULL);
		json_object_set_new(o, "number", i ? json_string(hostile[i + 1]) : json_null());
		jsonw_key(&w, "n");
		jsonw_int(&w, -1234567890123LL * i);
		json_object_set_new(o, "n", json_integer(-1234567890123LL * i));
		/* integers are written by hand: the ends of the range */
		static const long long ends[] = { LLONG_MIN, 0, LLONG_MAX };
		jsonw_key(&w, "end");
		jsonw_int(&w, ends[i]);
		json_object_set_new(o, "end", json_integer(ends[i]));
		jsonw_key(&w, "ok");
		jsonw_bool(&w, i & 1);
		json_object_set_new(o, "ok", json_boolean(i & 1));
		jsonw_key(&w, "empty");
		jsonw_arr(&w);
		jsonw_arr_end(&w);
		json_object_set_new(o, "empty", json_array());
		jsonw_key(&w, "nested");
		jsonw_arr(&w);
		json_t *a = json_array();
		for (int k = 0; k < i; k++) {
			jsonw_obj(&w);
			jsonw_obj_end(&w);
			json_array_append_new(a, json_object());
			jsonw_null(&w);
			json_array_append_new(a, json_null());
		}
		jsonw_arr_end(&w);
		json_object_set_new(o, "nested", a);
		jsonw_obj_end(&w);
		json_array_append_new(ref, o);
	}
	jsonw_arr_end(&w);
	jsonw_arr(&w);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	/* two top-level values: compare the first with jansson's dump */
	const char *out = written(&w);
	char *want = json_dumps(ref, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n = strlen(want);
	assert_memory_equal(out, want, n);
	assert_string_equal(out + n, "[]");
	free(want);
	json_decref(ref);
	jsonw_free(&w);
}

struct collect {
	buf_t all;
	int calls, fail_at;
};

static int collect(void *arg, const char *data, size_t len)
{
	struct collect *c = arg;
	if (++c->calls == c->fail_at)
		return -1;
	buf_put(&c->all, data, len);
	return 0;
}

/* Flushed a piece at a time, the pieces make the same text; a failed
 * flush is reported by jsonw_finish. */
static void test_flush(void **state)
{
	(void)state;
	for (int fail = 0; fail < 2; fail++) {
		struct collect c = { BUF_INIT, 0, fail ? 2 : 0 };
		jsonw_t w, whole;
		jsonw_init(&w, collect, &c);
		jsonw_init(&whole, NULL, NULL);
		jsonw_t *ws[] = { &w, &whole };
		for (int k = 0; k < 2; k++) {
			jsonw_arr(ws[k]);
			for (int i = 0; i < 40000; i++) {
				jsonw_obj(ws[k]);
				jsonw_key(ws[k], "title");
				jsonw_str(ws[k], hostile[i % (sizeof hostile / sizeof hostile[0])]);
				jsonw_obj_end(ws[k]);
			}
			jsonw_arr_end(ws[k]);
		}
		int rc = jsonw_finish(&w);
		assert_int_equal(jsonw_finish(&whole), 0);
		assert_true(c.calls > 1);
		if (fail) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(c.all.len, whole.b.len);
			assert_memory_equal(c.all.ptr, whole.b.ptr, whole.b.len);
		}
		buf_free(&c.all);
		jsonw_free(&w);
		jsonw_free(&whole);
	}
}

struct caps {
	const jsonw_t *w;
	size_t max_cap, bytes;
};

static int watch_cap(void *arg, const char *data, size_t len)
{
	(void)data;
	struct caps *c = arg;
	if (c->w->b.cap > c->max_cap)
		c->max_cap = c->w->b.cap;
	c->bytes += len;
	return 0;
}

/* A streamed file's buffer is taken once, and stays under the size above
 * which malloc maps a block of its own (src/mem.c, glibc: 1 MB), whose pages would
 * all be fresh page faults, file after file. */
static void test_piece_in_heap(void **state)
{
	(void)state;
	jsonw_t w;
	struct caps c = { &w, 0, 0 };
	jsonw_init(&w, watch_cap, &c);
	size_t first = w.b.cap;
	jsonw_arr(&w);
	for (int i = 0; i < 100000; i++) {
		jsonw_obj(&w);
		jsonw_key(&w, "title");
		jsonw_str(&w, "Nhiệm vụ chuyển đổi số của tỉnh");
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_true(c.bytes > 4 * ((size_t)1 << 20));
	assert_true(c.max_cap < (size_t)1 << 20);
	assert_int_equal(c.max_cap, first);
	jsonw_free(&w);
}

/* A value written out already goes where the calls that wrote it would
 * have put it: the same text, commas and flushes included. */
static void test_raw(void **state)
{
	(void)state;
	jsonw_t one;
	jsonw_init(&one, NULL, NULL);
	jsonw_obj(&one);
	JSONW_KEY(&one, "id");
	jsonw_str(&one, hostile[2]);
	jsonw_obj_end(&one);
	struct collect c = { BUF_INIT, 0, 0 }, d = { BUF_INIT, 0, 0 };
	jsonw_t w, raw;
	jsonw_init(&w, collect, &c);
	jsonw_init(&raw, collect, &d);
	for (int k = 0; k < 2; k++) {
		jsonw_t *x = k ? &raw : &w;
		jsonw_arr(x);
		for (int i = 0; i < 40000; i++) {
			if (k) {
				jsonw_raw(x, one.b.ptr, one.b.len);
			} else {
				jsonw_obj(x);
				JSONW_KEY(x, "id");
				jsonw_str(x, hostile[2]);
				jsonw_obj_end(x);
			}
			jsonw_int(x, i);
		}
		jsonw_arr_end(x);
		assert_int_equal(jsonw_finish(x), 0);
	}
	assert_int_equal(c.calls, d.calls);
	assert_int_equal(c.all.len, d.all.len);
	assert_memory_equal(c.all.ptr, d.all.ptr, c.all.len);
	/* alone, at the top */
	jsonw_t top;
	jsonw_init(&top, NULL, NULL);
	jsonw_raw(&top, one.b.ptr, one.b.len);
	assert_int_equal(jsonw_finish(&top), 0);
	assert_int_equal(top.b.len, one.b.len);
	assert_memory_equal(top.b.ptr, one.b.ptr, one.b.len);
	jsonw_free(&top);
	buf_free(&c.all);
	buf_free(&d.all);
	jsonw_free(&w);
	jsonw_free(&raw);
	jsonw_free(&one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_round_trip),
		cmocka_unit_test(test_invalid_utf8_repaired),
		cmocka_unit_test(test_structure_like_jansson),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_piece_in_heap),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
