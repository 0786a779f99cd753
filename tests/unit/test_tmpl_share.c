/* test_tmpl_share.c: rows shared between pages (tmpl_share_t) give every
 * page the bytes it would get rendered alone; a rendering that read
 * anything outside its record is never reused, and a kept rendering is
 * dropped after its last use. */
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

/* ---- a row: an item of a list, shown with a variant (as a task row has
 * a role on unit pages) */

struct item {
	const char *name;
	int n;
	const char *note;       /* NULL: missing (looked up further out) */
	int variant;
};

static const tmpl_field_t item_fields[] = {
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "n", TMPL_F_SCALAR, NULL, true },
	{ "note", TMPL_F_SCALAR, NULL, false },
	{ "odd", TMPL_F_SCALAR, NULL, true },
};

static void item_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct item *it = rec;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_str(it->name); break;
	case 1: *out = tmpl_int(it->n + 100 * it->variant); break;
	case 2: *out = it->note ? tmpl_str(it->note) : (tmpl_val_t){ .kind = TMPL_MISSING }; break;
	default: *out = tmpl_bool(it->n % 2);
	}
}

static tmpl_type_t item_type = { "item", item_fields, 4, item_get, NULL, 0, NULL, 0 };

/* The items are the keys; uses: how many pages show each (test data). */
static unsigned uses_of = 2;

static bool item_ident(const void *rec, void *arg, const void **key, unsigned *variant, unsigned *uses)
{
	const struct item *it = rec;
	(void)arg;
	*key = it->name;   /* the same text for the same item on every page */
	*variant = (unsigned)it->variant;
	*uses = uses_of;
	return true;
}

static int setup(void **state)
{
	(void)state;
	tmpl_type_register(&item_type);
	return 0;
}

static void add_ok(tmpl_set_t *set, const char *name, const char *src)
{
	char *err = NULL;
	if (tmpl_set_add(set, name, name, src, strlen(src), &err) != 0)
		fail_msg("%s: %s", name, err ? err : "(no message)");
}

static struct item items[] = {
	{ "a<b", 1, NULL, 0 }, { "c", 2, "ghi chú", 0 }, { "d", 3, NULL, 0 },
};
#define NITEMS (sizeof items / sizeof items[0])

/* Page `name` over the items (with the share sh as the thread's), a root
 * of { title, items }. */
static char *page(const tmpl_set_t *set, const char *name, const char *title, tmpl_share_t *sh,
		  struct item *v, size_t n)
{
	tmpl_obj_t *o = tmpl_obj_new(NULL);
	tmpl_obj_set(o, "title", tmpl_str(title));
	tmpl_obj_set(o, "items", tmpl_list(&item_type, v, sizeof *v, n, false));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	buf_t out = BUF_INIT;
	tmpl_share_use(sh);
	assert_int_equal(tmpl_render_val(set, name, root, NULL, &out), 0);
	tmpl_share_use(NULL);
	tmpl_obj_free(o);
	return out.ptr ? buf_detach(&out) : strdup("");
}

/* Renders pages a and b (titles A and B) with and without a share; each
 * page must be what it is alone.  Returns the share's figures. */
static tmpl_share_stats_t both(const char *row, const char *a, const char *b)
{
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", row);
	add_ok(set, "a", a);
	add_ok(set, "b", b);
	tmpl_set_prepare(set);
	char *alone_a = page(set, "a", "A", NULL, items, NITEMS);
	char *alone_b = page(set, "b", "B", NULL, items, NITEMS);
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	char *got_a = page(set, "a", "A", sh, items, NITEMS);
	char *got_b = page(set, "b", "B", sh, items, NITEMS);
	assert_string_equal(got_a, alone_a);
	assert_string_equal(got_b, alone_b);
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	tmpl_share_free(sh);
	free(alone_a);
	free(alone_b);
	free(got_a);
	free(got_b);
	tmpl_set_free(set);
	return st;
}

/* A row through a partial, in two different pages: rendered on the first,
 * copied on the second, and dropped then (its two uses are done). */
static void test_shared_partial(void **state)
{
	(void)state;
	uses_of = 2;
	tmpl_share_stats_t st = both("<li>{{name}}:{{n}}{{#odd}} odd{{/odd}}</li>\n",
				     "<h1>{{title}}</h1>\n<ul>\n{{#items}}\n{{>row}}\n{{/items}}\n</ul>\n",
				     "{{title}}|{{#items}}{{>row}}{{/items}}|{{title}}");
	assert_int_equal(st.rendered, NITEMS);
	assert_int_equal(st.reused, NITEMS);
	assert_int_equal(st.tainted, 0);
	assert_int_equal(st.kept_peak, NITEMS);
	assert_int_equal(st.kept_now, 0);
	assert_int_equal(st.bytes_now, 0);
}

/* A section's body of several parts is shared as that section (one list
 * on two pages of the same template). */
static void test_shared_section(void **state)
{
	(void)state;
	uses_of = 2;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "p", "{{title}}:{{#items}}<b>{{name}}</b>{{n}};{{/items}}");
	tmpl_set_prepare(set);
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	char *x = page(set, "p", "X", sh, items, NITEMS);
	char *y = page(set, "p", "Y", sh, items, NITEMS);
	assert_string_equal(x, "X:<b>a&lt;b</b>1;<b>c</b>2;<b>d</b>3;");
	assert_string_equal(y, "Y:<b>a&lt;b</b>1;<b>c</b>2;<b>d</b>3;");
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.reused, NITEMS);
	assert_int_equal(st.kept_now, 0);
	tmpl_share_free(sh);
	free(x);
	free(y);
	tmpl_set_free(set);
}

/* A row that reads a name of its page ({{title}}), or a name its record
 * lacks (note, missing on two items: found on the page, or nowhere), or
 * holds a block, is rendered on each page: the pages differ there. */
static void test_tainted(void **state)
{
	(void)state;
	uses_of = 2;
	const char *a = "{{#items}}{{>row}}{{/items}}", *b = "[{{#items}}{{>row}}{{/items}}]";
	tmpl_share_stats_t st = both("<li>{{name}} {{title}}</li>", a, b);
	assert_int_equal(st.reused, 0);
	assert_int_equal(st.tainted, 2 * NITEMS);
	assert_int_equal(st.kept_peak, 0);

	/* only the item with a note of its own is shared */
	st = both("<li>{{name}} {{note}}</li>", a, b);
	assert_int_equal(st.reused, 1);
	assert_int_equal(st.tainted, 2 * (NITEMS - 1));
	st = both("<li>{{name}}{{#note}}!{{/note}}{{^nothing}}-{{/nothing}}</li>", a, b);
	assert_int_equal(st.reused, 0);

	/* a block inside a row is the page's */
	st = both("<li>{{name}}{{$extra}}{{/extra}}</li>", a, b);
	assert_int_equal(st.reused, 0);

	/* the pages differ where the row reads the page */
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", "{{name}}@{{title}};");
	add_ok(set, "a", a);
	tmpl_set_prepare(set);
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	char *x = page(set, "a", "X", sh, items, NITEMS);
	char *y = page(set, "a", "Y", sh, items, NITEMS);
	assert_string_equal(x, "a&lt;b@X;c@X;d@X;");
	assert_string_equal(y, "a&lt;b@Y;c@Y;d@Y;");
	tmpl_share_free(sh);
	free(x);
	free(y);
	tmpl_set_free(set);
}

/* An indented partial takes its page's indentation: it is not shared as
 * the partial (page b's rows), only as the body of page a's list. */
static void test_indented(void **state)
{
	(void)state;
	uses_of = 2;
	tmpl_share_stats_t st = both("<li>{{name}}</li>\n", "{{#items}}\n  {{>row}}\n{{/items}}\n",
				     "{{#items}}\n{{>row}}\n{{/items}}\n");
	assert_int_equal(st.rendered, 2 * NITEMS);
	assert_int_equal(st.reused, 0);

	/* a row that indents a partial of its own depends on whether it
	 * starts a line: shared only where it starts the same way (page b's
	 * first row does not, its others do) */
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "cell", "{{name}}\n{{n}}\n");
	add_ok(set, "row", "<li>\n  {{>cell}}\n</li>\n");
	add_ok(set, "a", "{{#items}}\n{{>row}}\n{{/items}}\n");
	add_ok(set, "b", "[{{#items}}{{>row}}{{/items}}]");
	tmpl_set_prepare(set);
	char *alone_a = page(set, "a", "", NULL, items, NITEMS);
	char *alone_b = page(set, "b", "", NULL, items, NITEMS);
	assert_string_equal(alone_b, "[<li>\n  a&lt;b\n  1\n</li>\n<li>\n  c\n  2\n</li>\n<li>\n  d\n  3\n</li>\n]");
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	char *got_a = page(set, "a", "", sh, items, NITEMS);
	char *got_b = page(set, "b", "", sh, items, NITEMS);
	assert_string_equal(got_a, alone_a);
	assert_string_equal(got_b, alone_b);
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.reused, NITEMS - 1);
	tmpl_share_free(sh);
	free(alone_a);
	free(alone_b);
	free(got_a);
	free(got_b);
	tmpl_set_free(set);
}

/* The variant is part of what is shared: the same item with another
 * variant renders anew; a rendering kept for a use that never comes stays
 * until the share is freed; one of a single use is not kept. */
static void test_variants_and_uses(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", "({{name}} {{n}})");
	add_ok(set, "p", "{{#items}}{{>row}}{{/items}}");
	tmpl_set_prepare(set);
	struct item other[NITEMS];
	memcpy(other, items, sizeof items);
	for (size_t i = 0; i < NITEMS; i++)
		other[i].variant = 1;

	uses_of = 3;
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	char *x = page(set, "p", "", sh, items, NITEMS);
	char *y = page(set, "p", "", sh, other, NITEMS);
	char *z = page(set, "p", "", sh, items, NITEMS);
	assert_string_equal(x, "(a&lt;b 1)(c 2)(d 3)");
	assert_string_equal(y, "(a&lt;b 101)(c 102)(d 103)");
	assert_string_equal(z, x);
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.rendered, 2 * NITEMS);
	assert_int_equal(st.reused, NITEMS);
	assert_int_equal(st.kept_now, 2 * NITEMS);   /* a third use each, never come */
	assert_true(st.bytes_now > 0);
	tmpl_share_free(sh);   /* frees them (LeakSanitizer) */
	free(x);
	free(y);
	free(z);

	uses_of = 1;
	sh = tmpl_share_new(&item_type, item_ident, NULL);
	x = page(set, "p", "", sh, items, NITEMS);
	y = page(set, "p", "", sh, items, NITEMS);
	assert_string_equal(x, y);
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.rendered, 0);   /* not offered: one use */
	assert_int_equal(st.reused, 0);
	tmpl_share_free(sh);
	free(x);
	free(y);
	tmpl_set_free(set);
}

/* A name the family declares invariant (the same wherever a row sees it)
 * does not stop a row being shared; any other name of the page does. */
static void test_invariant(void **state)
{
	(void)state;
	uses_of = 2;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", "<li>{{name}}{{#title}} ({{title}}){{/title}}</li>");
	add_ok(set, "p", "{{#items}}{{>row}}{{/items}}");
	tmpl_set_prepare(set);
	static const char *const inv[] = { "title", NULL };
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	tmpl_share_invariant(sh, inv);
	char *x = page(set, "p", "T", sh, items, NITEMS);
	char *y = page(set, "p", "T", sh, items, NITEMS);
	assert_string_equal(x, "<li>a&lt;b (T)</li><li>c (T)</li><li>d (T)</li>");
	assert_string_equal(y, x);
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.reused, NITEMS);
	assert_int_equal(st.tainted, 0);
	tmpl_share_free(sh);
	free(x);
	free(y);
	tmpl_set_free(set);
}

/* Past its limit a share keeps no new rendering, but counts its uses (a
 * ghost): rendered again once there is room, it is kept for the uses
 * still to come, and dropped after its last.  (A share that kept nothing
 * once full left 45,000 rows to be rendered again on the unit pages at
 * 1,000 plans.) */
static void test_limit(void **state)
{
	(void)state;
	uses_of = 4;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", "<li>{{name}}</li>");   /* 15, 10 and 10 bytes */
	add_ok(set, "p", "{{#items}}{{>row}}{{/items}}");
	tmpl_set_prepare(set);
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	tmpl_share_limit(sh, 25);
	char *v[7];
	v[0] = page(set, "p", "", sh, items, 1);           /* a<b: kept */
	v[1] = page(set, "p", "", sh, items + 1, 2);       /* c kept; d not (a ghost): full */
	v[2] = page(set, "p", "", sh, items, NITEMS);      /* a<b, c copied; d rendered, still no room */
	v[3] = page(set, "p", "", sh, items, 2);           /* a<b, c copied */
	v[4] = page(set, "p", "", sh, items, 2);           /* their last uses: dropped */
	v[5] = page(set, "p", "", sh, items + 2, 1);       /* d rendered, kept now for its last use */
	v[6] = page(set, "p", "", sh, items + 2, 1);       /* d copied, dropped */
	assert_string_equal(v[0], "<li>a&lt;b</li>");
	assert_string_equal(v[1], "<li>c</li><li>d</li>");
	assert_string_equal(v[2], "<li>a&lt;b</li><li>c</li><li>d</li>");
	assert_string_equal(v[3], "<li>a&lt;b</li><li>c</li>");
	assert_string_equal(v[4], v[3]);
	assert_string_equal(v[5], "<li>d</li>");
	assert_string_equal(v[6], v[5]);
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.reused, 7);
	assert_int_equal(st.ghosts, 1);
	assert_int_equal(st.kept_peak, 2);
	assert_int_equal(st.kept_now, 0);
	assert_int_equal(st.bytes_now, 0);
	tmpl_share_free(sh);
	for (size_t i = 0; i < 7; i++)
		free(v[i]);
	tmpl_set_free(set);
}

/* Pages rendered by threads at once, each page twice over: every page is
 * what it is alone, and nothing is left once every use is done. */
#define NPAGES 8
#define MANY 300

struct pjob {
	const tmpl_set_t *set;
	tmpl_share_t *sh;
	struct item *v;
	const char *want;
	int bad;
};

static void *page_job(void *arg)
{
	struct pjob *j = arg;
	for (int i = 0; i < NPAGES / 2; i++) {
		char *got = page(j->set, "p", "", j->sh, j->v, MANY);
		j->bad += strcmp(got, j->want) != 0;
		free(got);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "row", "<tr><td>{{name}}</td><td>{{n}}</td></tr>\n");
	add_ok(set, "p", "{{#items}}{{>row}}{{/items}}");
	tmpl_set_prepare(set);
	struct item *v = calloc(MANY, sizeof *v);
	char (*names)[16] = calloc(MANY, sizeof *names);
	for (size_t i = 0; i < MANY; i++) {
		snprintf(names[i], sizeof names[i], "việc %zu", i);
		v[i] = (struct item){ names[i], (int)i, NULL, 0 };
	}
	char *want = page(set, "p", "", NULL, v, MANY);
	uses_of = NPAGES;
	tmpl_share_t *sh = tmpl_share_new(&item_type, item_ident, NULL);
	pthread_t th[2];
	struct pjob jobs[2];
	for (int i = 0; i < 2; i++) {
		jobs[i] = (struct pjob){ set, sh, v, want, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, page_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].bad, 0);
	}
	tmpl_share_stats_t st;
	tmpl_share_stats(sh, &st);
	assert_int_equal(st.rendered + st.reused, (size_t)NPAGES * MANY);
	assert_true(st.rendered >= MANY);
	assert_int_equal(st.kept_now, 0);
	assert_int_equal(st.bytes_now, 0);
	tmpl_share_free(sh);
	free(want);
	free(v);
	free(names);
	tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_partial),
		cmocka_unit_test(test_shared_section),
		cmocka_unit_test(test_tainted),
		cmocka_unit_test(test_indented),
		cmocka_unit_test(test_variants_and_uses),
		cmocka_unit_test(test_invariant),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
