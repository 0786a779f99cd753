/* test_tmpl.c: the Mustache spec files run as they are, plus our own tmpl tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

/* The spec's test template gets a name no partial of the spec uses. */
#define MAIN "(template)"

static const char *const spec_files[] = {
	"comments.json", "delimiters.json", "interpolation.json", "inverted.json",
	"partials.json", "sections.json", "~inheritance.json",
};

/* Runs one spec case; returns whether it passed, printing it if not. */
static bool run_case(const char *file, json_t *tc)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	const char *tpl = json_string_value(json_object_get(tc, "template"));
	const char *want = json_string_value(json_object_get(tc, "expected"));
	json_t *partials = json_object_get(tc, "partials");
	tmpl_set_t *set = tmpl_set_new();
	buf_t out = BUF_INIT;
	char *err = NULL;
	bool ok = false;
	const char *key;
	json_t *val;

	if (!name || !tpl || !want) {
		fprintf(stderr, "%s: malformed test case\n", file);
		goto out;
	}
	json_object_foreach(partials, key, val) {
		if (tmpl_set_add(set, key, key, json_string_value(val),
				 json_string_length(val), &err) < 0)
			goto out;
	}
	if (tmpl_set_add(set, MAIN, MAIN, tpl, strlen(tpl), &err) < 0)
		goto out;
	if (tmpl_render(set, MAIN, json_object_get(tc, "data"), &out) < 0)
		goto out;
	ok = strcmp(out.ptr ? out.ptr : "", want) == 0;
	if (ok) {
		/* prepared (partials resolved, memo marks) renders the same */
		tmpl_set_prepare(set);
		out.len = 0;
		if (tmpl_render(set, MAIN, json_object_get(tc, "data"), &out) < 0)
			goto out;
		ok = strcmp(out.ptr ? out.ptr : "", want) == 0;
	}
out:
	if (!ok) {
		fprintf(stderr, "FAIL %s: %s\n  template: ", file, name ? name : "?");
		json_dumpf(json_object_get(tc, "template"), stderr, JSON_ENCODE_ANY);
		fprintf(stderr, "\n  expected: ");
		json_dumpf(json_object_get(tc, "expected"), stderr, JSON_ENCODE_ANY);
		if (err) {
			fprintf(stderr, "\n  error:    %s\n", err);
		} else {
			json_t *got = json_stringn(out.ptr ? out.ptr : "", out.len);
			fprintf(stderr, "\n  got:      ");
			json_dumpf(got, stderr, JSON_ENCODE_ANY);
			fprintf(stderr, "\n");
			json_decref(got);
		}
	}
	free(err);
	buf_free(&out);
	tmpl_set_free(set);
	return ok;
}

static void test_spec(void **state)
{
	(void)state;
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	size_t total = 0, passed = 0;

	if (!dir || !*dir)
		dir = "tests/mustache-spec";
	for (size_t f = 0; f < sizeof spec_files / sizeof *spec_files; f++) {
		char path[4096];
		json_error_t jerr;
		snprintf(path, sizeof path, "%s/%s", dir, spec_files[f]);
		json_t *spec = json_load_file(path, 0, &jerr);
		if (!spec)
			fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
		json_t *tests = json_object_get(spec, "tests");
		size_t n = json_array_size(tests), ok = 0;
		for (size_t i = 0; i < n; i++)
			ok += run_case(spec_files[f], json_array_get(tests, i));
		printf("  %-20s %zu/%zu passed\n", spec_files[f], ok, n);
		total += n;
		passed += ok;
		json_decref(spec);
	}
	printf("mustache spec: %zu/%zu passed\n", passed, total);
	assert_true(total > 0);
	assert_int_equal(passed, total);
}

/* --- helpers for our own tests */

static char *render_str(tmpl_set_t *set, const char *name, const char *json, int *rc)
{
	json_error_t jerr;
	json_t *data = json_loads(json, 0, &jerr);
	assert_non_null(data);
	buf_t out = BUF_INIT;
	int r = tmpl_render(set, name, data, &out);
	if (rc)
		*rc = r;
	else
		assert_int_equal(r, 0);
	json_decref(data);
	return buf_detach(&out);
}

static void add_ok(tmpl_set_t *set, const char *name, const char *src)
{
	char *err = NULL;
	int rc = tmpl_set_add(set, name, name, src, strlen(src), &err);
	if (rc != 0)
		fail_msg("%s: %s", name, err ? err : "(no message)");
	assert_null(err);
}

/* Renders src alone and compares. */
static void check(const char *src, const char *json, const char *want)
{
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "t", src);
	char *got = render_str(set, "t", json, NULL);
	assert_string_equal(got, want);
	free(got);
	tmpl_set_free(set);
}

/* --- our own tests */

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src, *want;
	} cases[] = {
		{ "a\n  {{#s}}x", "page.html:2:3: error: unclosed section \"s\"" },
		{ "{{#a}}\n{{^b}}{{/b}}\n {{/c}}",
		  "page.html:3:2: error: closing tag \"c\" does not match section \"a\" opened at 1:1" },
		{ "ok\n{{/a}}", "page.html:2:1: error: closing tag \"a\" without an open section" },
		{ "x {{foo\n", "page.html:1:3: error: unclosed tag: no \"}}\" after \"{{\"" },
		{ "\n\n  {{{foo}}", "page.html:3:3: error: unclosed tag: no \"}}}\" after \"{{{\"" },
		{ "é {{=<% =}}", "page.html:1:3: error: bad delimiters \"<% \"" },
		{ "{{=<% %>=}}\n<%x", "page.html:2:1: error: unclosed tag: no \"%>\" after \"<%\"" },
		{ "{{<p}}{{$b}}{{/p}}", "page.html:1:13: error: closing tag \"p\" does not match block \"b\"" },
		{ "{{ }}", "page.html:1:1: error: empty tag name" },
		{ "{{a b}}", "page.html:1:1: error: tag name \"a b\" contains white space" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tmpl_set_t *set = tmpl_set_new();
		char *err = NULL;
		int rc = tmpl_set_add(set, "page", "page.html", cases[i].src,
				      strlen(cases[i].src), &err);
		assert_int_equal(rc, -1);
		assert_non_null(err);
		if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s...\"", i, err, cases[i].want);
		assert_false(tmpl_set_has(set, "page"));
		free(err);
		tmpl_set_free(set);
	}
}

static void test_unknown_template(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	buf_t out = BUF_INIT;
	assert_false(tmpl_set_has(set, "nope"));
	assert_int_equal(tmpl_render(set, "nope", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	add_ok(set, "page", "[{{>nope}}]");     /* unknown partials are empty */
	char *got = render_str(set, "page", "{}", NULL);
	assert_string_equal(got, "[]");
	free(got);
	tmpl_set_free(set);
}

static void test_override(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	char *err = NULL, *got;

	add_ok(set, "page", "theme {{x}}");
	add_ok(set, "other", "<{{>page}}>");
	got = render_str(set, "other", "{\"x\": 1}", NULL);
	assert_string_equal(got, "<theme 1>");
	free(got);

	add_ok(set, "page", "site {{x}}");      /* the site's own template wins */
	got = render_str(set, "other", "{\"x\": 1}", NULL);
	assert_string_equal(got, "<site 1>");
	free(got);

	/* a template that does not compile leaves the earlier one in place */
	assert_int_equal(tmpl_set_add(set, "page", "p", "{{#x}}", 6, &err), -1);
	free(err);
	got = render_str(set, "page", "{\"x\": 1}", NULL);
	assert_string_equal(got, "site 1");
	free(got);

	/* enough templates to make the table grow, all still found */
	for (int i = 0; i < 300; i++) {
		char name[32], src[64];
		snprintf(name, sizeof name, "t%d", i);
		snprintf(src, sizeof src, "%d", i);
		add_ok(set, name, src);
	}
	for (int i = 0; i < 300; i++) {
		char name[32], want[32];
		snprintf(name, sizeof name, "t%d", i);
		snprintf(want, sizeof want, "%d", i);
		got = render_str(set, name, "{}", NULL);
		assert_string_equal(got, want);
		free(got);
	}
	assert_true(tmpl_set_has(set, "page"));
	tmpl_set_free(set);
}

static void test_escaping(void **state)
{
	(void)state;
	const char *data = "{\"x\": \"a&b<c>d\\\"e'f\"}";
	check("{{x}}", data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	check("{{{x}}}", data, "a&b<c>d\"e'f");
	check("{{& x }}", data, "a&b<c>d\"e'f");
	check("{{=<% %>=}}<%{x}%>", data, "a&b<c>d\"e'f");
}

static void test_values(void **state)
{
	(void)state;
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
	      "{\"a\": 1.21, \"b\": 85, \"c\": 0.1, \"d\": -2.5e-300, \"e\": 3.0,"
	      " \"f\": 9007199254740993, \"g\": true, \"h\": null}",
	      "1.21 85 0.1 -2.5e-300 3 9007199254740993 true ");
	check("{{x}}", "{\"x\": 0.30000000000000004}", "0.30000000000000004");
	/* integers are formatted by hand (no snprintf): signs, zero, the ends */
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	      "{\"a\": 0, \"b\": -7, \"c\": 10, \"d\": -1000000,"
	      " \"e\": 9223372036854775807, \"f\": -9223372036854775808}",
	      "0 -7 10 -1000000 9223372036854775807 -9223372036854775808");
	/* the spec's falsey values, and what is not one */
	check("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}{{#f}}F{{/f}}",
	      "{\"a\": false, \"b\": null, \"c\": [], \"d\": \"\", \"e\": 0, \"f\": {}}", "DEF");
	check("{{#l}}{{.}},{{/l}}|{{#l}}{{#.}}<{{.}}>{{/.}}{{/l}}", "{\"l\": [1, \"x\", [2]]}",
	      "1,x,,|<1><x><2>");
	check("{{a.b.c}}|{{#a}}{{b.c}}{{/a}}|{{a.x.c}}",
	      "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"x\": {\"c\": \"no\"}}", "deep|deep|");
}

/* Partials indent every line they output, also nested and inside blocks. */
static void test_indentation(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "outer", "<ul>\n  {{>item}}\n</ul>\n");
	add_ok(set, "item", "{{#l}}\n<li>\n  {{>leaf}}\n</li>\n{{/l}}\n");
	add_ok(set, "leaf", "{{.}}\n\n{{.}}\n");
	char *got = render_str(set, "outer", "{\"l\": [\"a\", \"b\\nc\"]}", NULL);
	assert_string_equal(got, "<ul>\n  <li>\n    a\n\n    a\n  </li>\n"
			    "  <li>\n    b\nc\n\n    b\nc\n  </li>\n</ul>\n");
	free(got);

	add_ok(set, "base", "<body>\n  {{$main}}\n  default\n  {{/main}}\n</body>\n");
	add_ok(set, "page", "{{<base}}\n{{$main}}\n<p>\n  {{#l}}\n  {{>leaf}}\n  {{/l}}\n</p>\n{{/main}}\n{{/base}}\n");
	got = render_str(set, "page", "{\"l\": [\"x\"]}", NULL);
	assert_string_equal(got, "<body>\n  <p>\n    x\n\n    x\n  </p>\n</body>\n");
	free(got);
	tmpl_set_free(set);
}

/* Text is copied in whole 16-byte moves from padded strings: texts of
 * every length around the moves' sizes (and past the length copied by
 * memcpy), between values, joined with a folded string in a prepared
 * set, and indented by a partial line by line, give their own bytes and
 * nothing after them. */
static void test_texts(void **state)
{
	(void)state;
	for (size_t n = 0; n <= 600; n += n < 70 ? 1 : 37) {
		char *txt = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			txt[i] = (char)('a' + i % 26);
		txt[n] = '\0';
		buf_t src = BUF_INIT, want = BUF_INIT;
		buf_printf(&src, "%s{{x}}%s{{t.k}}%s|", txt, txt, txt);
		buf_printf(&want, "%s&lt;b&gt;%sK%s|", txt, txt, txt);
		tmpl_set_t *set = tmpl_set_new();
		add_ok(set, "t", src.ptr);
		/* line by line: each line of the partial's text indented */
		buf_clear(&src);
		buf_printf(&src, "%s\n%s\n", txt, txt);
		add_ok(set, "p", src.ptr);
		add_ok(set, "o", "  {{>p}}\n");
		json_t *strings = json_pack("{s:s}", "k", "K");
		tmpl_set_fold(set, "t", strings);
		json_decref(strings);
		tmpl_set_prepare(set);
		char *got = render_str(set, "t", "{\"x\": \"<b>\"}", NULL);
		assert_string_equal(got, want.ptr);
		free(got);
		buf_clear(&want);
		if (n)
			buf_printf(&want, "  %s\n  %s\n", txt, txt);
		else
			buf_puts(&want, "\n\n");
		got = render_str(set, "o", "{}", NULL);
		assert_string_equal(got, want.ptr);
		free(got);
		tmpl_set_free(set);
		buf_free(&src);
		buf_free(&want);
		free(txt);
	}
}

/* put_text and put_cell do not NUL-terminate (the render does, once, at
 * its end): a text of a whole number of 32-byte moves, or a row's memo
 * cell of 16, writes nothing after itself, so whatever the buffer held
 * there must not show, appended to bytes already in it. */
static void test_text_end(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 100; n++) {
		char *txt = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			txt[i] = (char)('a' + i % 26);
		txt[n] = '\0';
		tmpl_set_t *set = tmpl_set_new();
		add_ok(set, "t", txt);
		for (int prepared = 0; prepared < 2; prepared++) {
			if (prepared)
				tmpl_set_prepare(set);
			buf_t out = BUF_INIT;
			buf_puts(&out, "pre");
			buf_grow(&out, 400);
			memset(out.ptr + out.len, 'x', out.cap - out.len);
			assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
			assert_int_equal(out.len, 3 + n);
			assert_memory_equal(out.ptr + 3, txt, n);
			assert_int_equal(out.ptr[out.len], '\0');
			buf_free(&out);
		}
		tmpl_set_free(set);
		free(txt);
	}
}

/* Folding {{t.key}} into text renders what looking it up rendered, in
 * sections, partials and parents alike; values with a newline, other
 * types and other names stay lookups. */
static void test_fold(void **state)
{
	(void)state;
	const char *strings = "{\"x\": \"<&>\", \"y\": \"<i>\", \"multi\": \"a\\nb\", \"n\": 5}";
	const char *srcs[][2] = {
		{ "page", "{{<base}}{{$main}}[{{t.x}}|{{{t.y}}}|{{&t.y}}|{{t.none}}]{{/main}}{{/base}}" },
		{ "base", "<{{$main}}{{/main}}>\n  {{>part}}" },
		{ "part", "{{#l}}{{t.x}}{{.}}{{/l}}{{^l}}{{t.y}}{{/l}}\n{{t.multi}}|{{t.n}}|{{u.x}}" },
	};
	char want[512];
	tmpl_set_t *plain = tmpl_set_new(), *folded = tmpl_set_new();
	for (size_t i = 0; i < 3; i++) {
		add_ok(plain, srcs[i][0], srcs[i][1]);
		add_ok(folded, srcs[i][0], srcs[i][1]);
	}
	json_t *t = json_loads(strings, 0, NULL);
	assert_non_null(t);
	tmpl_set_fold(folded, "t", t);
	json_decref(t);
	/* the unfolded set sees t in the data; the folded one must not need it */
	snprintf(want, sizeof want, "{\"t\": %s, \"l\": [1, 2], \"u\": {\"x\": \"u\"}}", strings);
	char *a = render_str(plain, "page", want, NULL);
	char *b = render_str(folded, "page", "{\"t\": {\"multi\": \"a\\nb\", \"n\": 5}, \"l\": [1, 2], \"u\": {\"x\": \"u\"}}", NULL);
	assert_string_equal(a, "<[&lt;&amp;&gt;|<i>|<i>|]>\n  &lt;&amp;&gt;1&lt;&amp;&gt;2\n  a\nb|5|u");
	assert_string_equal(b, a);
	free(a);
	free(b);
	/* prepared, a run of text is one node: page's block is nine (the
	 * folded strings between "[", "|" and "]"); part has no two texts
	 * side by side ({{t.multi}} and {{t.n}} stay names) */
	size_t page = tmpl_set_nodes(folded, "page"), part = tmpl_set_nodes(folded, "part");
	tmpl_set_prepare(folded);
	assert_int_equal(tmpl_set_nodes(folded, "page"), page - 8);
	assert_int_equal(tmpl_set_nodes(folded, "part"), part);
	b = render_str(folded, "page", "{\"t\": {\"multi\": \"a\\nb\", \"n\": 5}, \"l\": [1, 2], \"u\": {\"x\": \"u\"}}", NULL);
	assert_string_equal(b, "<[&lt;&amp;&gt;|<i>|<i>|]>\n  &lt;&amp;&gt;1&lt;&amp;&gt;2\n  a\nb|5|u");
	free(b);
	tmpl_set_free(plain);
	tmpl_set_free(folded);
}

/* Inclusion cycles that no data can stop are found before rendering, at
 * the tag that closes them; recursion inside a section is left alone. */
static void test_cycles(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	char **errs;

	add_ok(set, "tree", "<li>{{name}}<ul>{{#children}}{{>tree}}{{/children}}</ul></li>");
	add_ok(set, "page", "{{<base}}{{$main}}{{>tree}}{{/main}}{{/base}}");
	add_ok(set, "base", "<main>{{$main}}{{/main}}</main>");
	assert_int_equal(tmpl_set_cycles(set, &errs), 0);
	free(errs);

	add_ok(set, "self", "a\n  {{>self}}");
	size_t n = tmpl_set_cycles(set, &errs);
	assert_int_equal(n, 1);
	assert_non_null(strstr(errs[0], "self:2:3: error: "));
	assert_non_null(strstr(errs[0], "self (self) -> self"));
	free(errs[0]);
	free(errs);

	/* through another template, and through a parent's argument block */
	tmpl_set_t *two = tmpl_set_new();
	add_ok(two, "a", "{{^x}}{{>a}}{{/x}}{{>b}}");
	add_ok(two, "b", "{{<base}}{{$main}}{{>a}}{{/main}}{{/base}}");
	add_ok(two, "base", "{{$main}}{{/main}}");
	n = tmpl_set_cycles(two, &errs);
	assert_int_equal(n, 1);
	assert_non_null(strstr(errs[0], "b:1:19: error: "));
	assert_non_null(strstr(errs[0], "a (a) -> b (b) -> a"));
	free(errs[0]);
	free(errs);
	tmpl_set_free(two);
	tmpl_set_free(set);
}

static void test_depth_guard(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	int rc;
	char *got;

	add_ok(set, "self", "x{{>self}}");
	got = render_str(set, "self", "{}", &rc);
	assert_int_equal(rc, -2);
	assert_int_equal(strlen(got), TMPL_MAX_DEPTH + 1);
	free(got);

	/* a flag's section of one text fails at the depth where the list of
	 * its text would (tmpl.c's render_cond writes such a text itself):
	 * the text at the deepest level is not written, a section or not */
	add_ok(set, "flag", "{{#f}}y{{/f}}{{^g}}z{{/g}}{{>flag}}");
	got = render_str(set, "flag", "{\"f\": true, \"g\": false}", &rc);
	assert_int_equal(rc, -2);
	assert_int_equal(strlen(got), 2 * TMPL_MAX_DEPTH);
	free(got);

	/* recursion that the data ends renders, however deep it is allowed */
	add_ok(set, "node", "({{#n}}{{>node}}{{/n}})");
	buf_t json = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_puts(&json, "{\"n\": ");
	buf_puts(&json, "false");
	for (int i = 0; i < 40; i++)
		buf_puts(&json, "}");
	got = render_str(set, "node", json.ptr, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(strlen(got), 2 * 40);
	free(got);
	buf_free(&json);

	/* a block whose argument expands itself again */
	add_ok(set, "layout", "{{$a}}{{/a}}");
	add_ok(set, "loop", "{{<layout}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/layout}}");
	got = render_str(set, "loop", "{}", &rc);
	assert_int_equal(rc, -2);
	free(got);

	/* parents including each other */
	add_ok(set, "p1", "{{<p2}}{{/p2}}");
	add_ok(set, "p2", "{{<p1}}{{/p1}}");
	got = render_str(set, "p1", "{}", &rc);
	assert_int_equal(rc, -2);
	free(got);

	/* sources nest sections up to the limit, not beyond */
	buf_t src = BUF_INIT;
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		buf_puts(&src, "{{#a}}");
	buf_puts(&src, "{{x}}");
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		buf_puts(&src, "{{/a}}");
	add_ok(set, "deep", src.ptr);
	got = render_str(set, "deep", "{\"a\": true, \"x\": \"!\"}", NULL);
	assert_string_equal(got, "!");
	free(got);
	buf_clear(&src);
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		buf_puts(&src, "{{#a}}");
	char *err = NULL;
	assert_int_equal(tmpl_set_add(set, "deeper", "d", src.ptr, src.len, &err), -1);
	assert_non_null(strstr(err, "nested more than"));
	free(err);
	buf_free(&src);
	tmpl_set_free(set);
}

/* --- two threads rendering one set at once */

struct job {
	const tmpl_set_t *set;
	json_t *data;
	const char *want;
	int mismatches;
};

static void *render_job(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 300; i++) {
		buf_t out = BUF_INIT;
		if (tmpl_render(j->set, "page", j->data, &out) != 0 ||
		    strcmp(out.ptr ? out.ptr : "", j->want) != 0)
			j->mismatches++;
		buf_free(&out);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "base", "<html>\n  <title>{{$title}}Site{{/title}}</title>\n"
	       "  {{$body}}\n  {{/body}}\n  {{>footer}}\n</html>\n");
	add_ok(set, "footer", "<footer>\n{{#links}}\n  <a href=\"{{url}}\">{{name}}</a>\n{{/links}}\n</footer>\n");
	add_ok(set, "page", "{{<base}}{{$title}}{{title}}{{/title}}{{$body}}\n"
	       "{{#items}}\n  <p>{{.}}</p>\n{{/items}}\n{{/body}}{{/base}}\n");
	json_error_t jerr;
	json_t *data = json_loads("{\"title\": \"T & T\", \"items\": [1, 2.5, \"<x>\"],"
				  " \"links\": [{\"url\": \"/a?b=1&c=2\", \"name\": \"A\"},"
				  " {\"url\": \"/b\", \"name\": \"B\"}]}", 0, &jerr);
	assert_non_null(data);

	buf_t ref = BUF_INIT;
	assert_int_equal(tmpl_render(set, "page", data, &ref), 0);
	assert_string_equal(ref.ptr,
			    "<html>\n  <title>T &amp; T</title>\n    <p>1</p>\n    <p>2.5</p>\n"
			    "    <p>&lt;x&gt;</p>\n  <footer>\n"
			    "    <a href=\"/a?b=1&amp;c=2\">A</a>\n    <a href=\"/b\">B</a>\n"
			    "  </footer>\n</html>\n");

	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){ set, data, ref.ptr, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, render_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].mismatches, 0);
	}
	buf_free(&ref);
	json_decref(data);
	tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_indentation),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_text_end),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_depth_guard),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
