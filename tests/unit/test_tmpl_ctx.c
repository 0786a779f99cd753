/* test_tmpl_ctx.c: typed contexts (records, generic objects) render as the
 * same data in jansson would, and memoized parts are reused only where
 * their output cannot depend on anything but their record. */
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

/* ---- two record types: a person and a tag */

struct tag {
	const char *label;
	int weight;
};

struct person {
	const char *name;       /* NULL: null */
	int age;
	bool admin;
	struct tag *tags;
	size_t ntags;
	const struct person *boss;      /* NULL: no key at all (looked up further out) */
	const char *motto;      /* not stable: varies with the page */
};

static tmpl_type_t tag_type, person_type;

static const tmpl_field_t tag_fields[] = {
	{ "label", TMPL_F_SCALAR, NULL, true },
	{ "weight", TMPL_F_SCALAR, NULL, true },
};

static void tag_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct tag *t = rec;
	(void)scratch;
	*out = i == 0 ? tmpl_str(t->label) : tmpl_int(t->weight);
}

static const tmpl_field_t person_fields[] = {
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "age", TMPL_F_SCALAR, NULL, true },
	{ "admin", TMPL_F_SCALAR, NULL, true },
	{ "tags", TMPL_F_LIST, &tag_type, true },
	{ "boss", TMPL_F_REC, &person_type, false },
	{ "motto", TMPL_F_SCALAR, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, true },   /* formatted into scratch */
};

static void person_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct person *p = rec;
	switch (i) {
	case 0: *out = tmpl_str(p->name); break;
	case 1: *out = tmpl_int(p->age); break;
	case 2: *out = tmpl_bool(p->admin); break;
	case 3: *out = tmpl_list(&tag_type, p->tags, sizeof *p->tags, p->ntags, false); break;
	case 4: *out = p->boss ? tmpl_rec(&person_type, p->boss) : (tmpl_val_t){ .kind = TMPL_MISSING }; break;
	case 5: *out = p->motto ? tmpl_str(p->motto) : (tmpl_val_t){ .kind = TMPL_MISSING }; break;
	default:
		snprintf(scratch, TMPL_SCRATCH, "%s (%d)", p->name ? p->name : "?", p->age);
		*out = tmpl_str(scratch);
	}
}

static const void *person_key(const void *rec)
{
	return rec;
}

/* ---- a record whose getter gives a new jansson object at each lookup
 * (as a task's evidence), which the renderer drops after use: the next
 * one is often made where it was.  Here it is always the same object
 * with new values (the old ones freed), which is what an object made
 * again at the same address looks like. */

struct bag {
	int n;
};

static const tmpl_field_t bag_fields[] = {
	{ "obj", TMPL_F_OPAQUE, NULL, false },
};

static json_t *bag_obj;

static void bag_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)i;
	(void)scratch;
	json_object_set_new(bag_obj, "v", json_integer(((const struct bag *)rec)->n));
	json_object_set_new(bag_obj, "w", json_string(((const struct bag *)rec)->n % 2 ? "x" : "y"));
	*out = tmpl_json(json_incref(bag_obj), true);
}

static tmpl_type_t bag_type = { "bag", bag_fields, 1, bag_get, NULL, 0, NULL, 0 };

static tmpl_type_t tag_type = { "tag", tag_fields, 2, tag_get, NULL, 0, NULL, 0 };

/* ---- a member and the clubs it belongs to, both memoizable: the clubs'
 * parts are the same bytes inside every member's (a task's units) */

struct club {
	const char *name;
};

struct member {
	const char *name;
	const struct club *const *clubs;
	size_t nclubs;
};

static const tmpl_field_t club_fields[] = {
	{ "name", TMPL_F_SCALAR, NULL, true },
};

static void club_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)i;
	(void)scratch;
	*out = tmpl_str(((const struct club *)rec)->name);
}

static tmpl_type_t club_type;

static const tmpl_field_t member_fields[] = {
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "clubs", TMPL_F_LIST, &club_type, true },
};

static void member_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct member *m = rec;
	(void)scratch;
	*out = i == 0 ? tmpl_str(m->name) : tmpl_list(&club_type, m->clubs, sizeof *m->clubs, m->nclubs, true);
}

static const void *self_key(const void *rec)
{
	return rec;
}

static tmpl_type_t club_type = { "club", club_fields, 1, club_get, self_key, 0, NULL, 0 };
static tmpl_type_t member_type = { "member", member_fields, 2, member_get, self_key, 0, NULL, 0 };
static tmpl_type_t person_type = { "person", person_fields, 7, person_get, person_key, 0, NULL, 0 };

static int setup(void **state)
{
	(void)state;
	static bool done;
	if (!done) {
		tmpl_type_register(&tag_type);
		tmpl_type_register(&person_type);
		tmpl_type_register(&bag_type);
		tmpl_type_register(&club_type);
		tmpl_type_register(&member_type);
		done = true;
	}
	return 0;
}

static void add_ok(tmpl_set_t *set, const char *name, const char *src)
{
	char *err = NULL;
	if (tmpl_set_add(set, name, name, src, strlen(src), &err) != 0)
		fail_msg("%s: %s", name, err ? err : "(no message)");
}

static struct tag tags_a[] = { { "x<y", 1 }, { "", 0 } };
static const struct person boss = { "Bà Lan", 60, true, NULL, 0, NULL, NULL };
static const struct person ann = { "Ann & Co", 0, false, tags_a, 2, &boss, NULL };
static const struct person nul = { NULL, 7, false, NULL, 0, NULL, NULL };

/* The same data as jansson: what the records must render like. */
static const char *ann_json =
	"{\"name\": \"Ann & Co\", \"age\": 0, \"admin\": false, \"label\": \"Ann & Co (0)\","
	" \"tags\": [{\"label\": \"x<y\", \"weight\": 1}, {\"label\": \"\", \"weight\": 0}],"
	" \"boss\": {\"name\": \"Bà Lan\", \"age\": 60, \"admin\": true, \"tags\": [], \"label\": \"Bà Lan (60)\"}}";
static const char *nul_json =
	"{\"name\": null, \"age\": 7, \"admin\": false, \"tags\": [], \"label\": \"? (7)\"}";

/* Lookups and truthiness the spec defines, through every kind of value:
 * names a record lacks go on to the context outside it (here: "site"). */
static const char *probe =
	"[{{name}}|{{{name}}}|{{age}}|{{admin}}|{{label}}]"
	"{{#name}}N{{/name}}{{^name}}no-name{{/name}}{{#age}}A{{age}}{{/age}}"
	"{{#tags}}<{{label}}:{{weight}}:{{name}}:{{site}}>{{/tags}}{{^tags}}no-tags{{/tags}}"
	"{{#boss}}B({{name}},{{boss.name}},{{tags}},{{#admin}}adm{{/admin}}){{/boss}}{{^boss}}no-boss{{/boss}}"
	"{{boss.name}}|{{boss.nothing}}|{{name.x}}|{{tags.label}}|{{site}}|{{.}}|{{#.}}dot{{/.}}"
	"{{#motto}}M{{/motto}}{{missing}}";

static char *render_val(const tmpl_set_t *set, const char *name, tmpl_val_t root, tmpl_memo_t *m)
{
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, name, root, m, &out), 0);
	return out.ptr ? buf_detach(&out) : strdup("");
}

/* Renders probe with p under an outer context {"site": "S"}: as a record
 * (in a list of one, under an object whose base is the outer JSON) and as
 * jansson; both must give want. */
static void check_person(const struct person *p, const char *json, const char *want)
{
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "probe", probe);
	add_ok(set, "outer", "{{#people}}{{>probe}}{{/people}}");
	tmpl_set_prepare(set);
	json_error_t jerr;

	/* records inside a generic object over a jansson base */
	tmpl_obj_t *o = tmpl_obj_new(json_loads("{\"site\": \"S\"}", 0, &jerr));
	const struct person *one[] = { p };
	tmpl_obj_set(o, "people", tmpl_list(&person_type, one, sizeof one[0], 1, true));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	char *typed = render_val(set, "outer", root, NULL);

	/* the same in jansson */
	json_t *pj = json_loads(json, 0, &jerr);
	assert_non_null(pj);
	json_t *data = json_pack("{s:s, s:[o]}", "site", "S", "people", pj);
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "outer", data, &out), 0);
	assert_string_equal(typed, out.ptr);
	assert_string_equal(typed, want);
	buf_free(&out);
	json_decref(data);
	free(typed);
	tmpl_obj_free(o);
	tmpl_set_free(set);
}

static void test_records_like_json(void **state)
{
	(void)state;
	check_person(&ann, ann_json,
		     "[Ann &amp; Co|Ann & Co|0|false|Ann &amp; Co (0)]NA0"
		     "<x&lt;y:1:Ann &amp; Co:S><:0:Ann &amp; Co:S>"
		     "B(Bà Lan,Bà Lan,,adm)Bà Lan||||S||dot");
	check_person(&nul, nul_json,
		     "[||7|false|? (7)]no-nameA7no-tagsno-boss||||S||dot");
}

/* A generic object: its own keys first, then its base; nested objects and
 * lists of objects are freed with it. */
static void test_objects(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "t", "{{a}}/{{b}}/{{c.d}}/{{#list}}[{{e}}{{a}}]{{/list}}/{{#c}}{{b}}{{/c}}");
	json_error_t jerr;
	tmpl_obj_t *o = tmpl_obj_new(json_loads("{\"a\": \"base-a\", \"b\": 2}", 0, &jerr));
	tmpl_obj_set(o, "a", tmpl_str("own-a"));     /* shadows the base's */
	tmpl_obj_t *c = tmpl_obj_new(NULL);
	tmpl_obj_set(c, "d", tmpl_json(json_string("dee"), true));
	tmpl_obj_set_obj(o, "c", c);
	tmpl_obj_t **items = malloc(2 * sizeof *items);
	items[0] = tmpl_obj_new(json_loads("{\"e\": 1}", 0, &jerr));
	items[1] = tmpl_obj_new(NULL);
	tmpl_obj_set(items[1], "e", tmpl_bool(true));
	tmpl_obj_set(o, "list", tmpl_list(TMPL_OBJ_LIST, items, sizeof *items, 2, true));
	tmpl_obj_keep(o, items);
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	char *got = render_val(set, "t", root, NULL);
	assert_string_equal(got, "own-a/2/dee/[1own-a][trueown-a]/2");
	assert_string_equal(json_string_value(json_object_get(tmpl_obj_base(o), "a")), "base-a");
	free(got);
	tmpl_obj_free(o);
	tmpl_set_free(set);
}

/* A partial or section that reads only stable fields of its record is
 * rendered once per record and its bytes reused; one that reads a name
 * from outside its record, or a field that is not stable, is rendered
 * every time, and the output is the same as without a memo. */
/* Names looked up in jansson objects are remembered for the rest of a
 * render: an owned value's objects, freed after use, must not answer for
 * the next value made at the same address (ASan would see the freed one
 * read; the numbers would repeat). */
static void test_owned_json(void **state)
{
	(void)state;
	struct bag bags[6] = { { 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 6 } };
	bag_obj = json_object();
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "page", "{{#bags}}[{{#obj}}{{v}}{{w}}{{/obj}}|{{obj.v}}|{{^obj.none}}-{{/obj.none}}]{{/bags}}");
	tmpl_set_prepare(set);
	tmpl_obj_t *top = tmpl_obj_new(NULL);
	tmpl_obj_set(top, "bags", tmpl_list(&bag_type, bags, sizeof *bags, 6, false));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = top;
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render_val(set, "page", root, NULL, &out), 0);
	assert_string_equal(out.ptr, "[1x|1|-][2y|2|-][3x|3|-][4y|4|-][5x|5|-][6y|6|-]");
	buf_free(&out);
	tmpl_obj_free(top);
	tmpl_set_free(set);
	json_decref(bag_obj);
}

static void test_memo(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "cell", "<td>{{name}} {{age}}{{#tags}}[{{label}}{{name}}]{{/tags}}{{^admin}}!{{/admin}}</td>");
	add_ok(set, "outside", "<td>{{name}} {{site}}</td>");
	add_ok(set, "unstable", "<td>{{#boss}}{{name}}{{/boss}}</td>");
	add_ok(set, "page", "{{#people}}\n{{>cell}}{{>outside}}{{>unstable}}|{{#tags}}{{label}}{{/tags}}\n{{/people}}\n");
	tmpl_set_prepare(set);
	const struct person *v[] = { &ann, &nul, &ann, &ann, &nul };
	char *want = NULL;
	for (int round = 0; round < 2; round++) {
		tmpl_memo_t *m = round ? tmpl_memo_new() : NULL;
		for (int page = 0; page < 2; page++) {
			json_error_t jerr;
			tmpl_obj_t *o = tmpl_obj_new(json_pack("{s:s}", "site", page ? "P2" : "P1"));
			tmpl_obj_set(o, "people", tmpl_list(&person_type, v, sizeof v[0], 5, true));
			tmpl_val_t root = { .kind = TMPL_OBJ };
			root.u.obj = o;
			(void)jerr;
			char *got = render_val(set, "page", root, m);
			if (round == 0 && page == 0) {
				assert_string_equal(got,
					"<td>Ann &amp; Co 0[x&lt;yAnn &amp; Co][Ann &amp; Co]!</td><td>Ann &amp; Co P1</td><td>Bà Lan</td>|x&lt;y\n"
					"<td> 7!</td><td> P1</td><td></td>|\n"
					"<td>Ann &amp; Co 0[x&lt;yAnn &amp; Co][Ann &amp; Co]!</td><td>Ann &amp; Co P1</td><td>Bà Lan</td>|x&lt;y\n"
					"<td>Ann &amp; Co 0[x&lt;yAnn &amp; Co][Ann &amp; Co]!</td><td>Ann &amp; Co P1</td><td>Bà Lan</td>|x&lt;y\n"
					"<td> 7!</td><td> P1</td><td></td>|\n");
			}
			if (page == 0 && round == 0)
				want = strdup(got);
			else if (page == 0)
				assert_string_equal(got, want);
			else
				assert_non_null(strstr(got, "<td>Ann &amp; Co P2</td>"));
			free(got);
			tmpl_obj_free(o);
		}
		if (m) {
			size_t rendered, reused;
			tmpl_memo_stats(m, &rendered, &reused);
			/* cell and the {{#tags}} section of the page (not the
			 * one inside cell, rendered only with cell): once for
			 * each of the two people, reused the other 2 x 5 - 2
			 * times each */
			assert_int_equal(rendered, 4);
			assert_int_equal(reused, 16);
			tmpl_memo_free(m);
		}
	}
	free(want);
	tmpl_set_free(set);
}

/* An indented partial is not memoized there (its lines take the indent). */
static void test_memo_indent(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "cell", "a {{name}}\nb\n");
	add_ok(set, "page", "{{#people}}\n  {{>cell}}\n{{>cell}}\n{{/people}}\n");
	tmpl_set_prepare(set);
	const struct person *v[] = { &ann, &ann };
	tmpl_memo_t *m = tmpl_memo_new();
	char *got = render_val(set, "page", tmpl_list(&person_type, v, sizeof v[0], 2, true), m);
	/* a list as the root: sections over "people" find nothing, as a list
	 * has no names; render from an object instead */
	assert_string_equal(got, "");
	free(got);
	tmpl_obj_t *o = tmpl_obj_new(NULL);
	tmpl_obj_set(o, "people", tmpl_list(&person_type, v, sizeof v[0], 2, true));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	got = render_val(set, "page", root, m);
	assert_string_equal(got, "  a Ann &amp; Co\n  b\na Ann &amp; Co\nb\n  a Ann &amp; Co\n  b\na Ann &amp; Co\nb\n");
	size_t rendered, reused;
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered, 1);
	assert_int_equal(reused, 1);
	free(got);
	tmpl_obj_free(o);
	tmpl_memo_free(m);
	tmpl_set_free(set);
}

/* A memo serves the set it was first used with (its part numbers are that
 * set's); a part that looks nothing up is not kept (it is the same text
 * everywhere); a set changed after it was prepared memoizes nothing. */
static void test_memo_sets(void **state)
{
	(void)state;
	tmpl_set_t *a = tmpl_set_new(), *b = tmpl_set_new();
	add_ok(a, "cell", "A{{name}}");
	add_ok(a, "fixed", "<hr>");
	add_ok(a, "page", "{{#people}}{{>cell}}{{>fixed}}{{/people}}");
	add_ok(b, "cell", "B{{age}}");
	add_ok(b, "page", "{{#people}}{{>cell}}{{/people}}");
	tmpl_set_prepare(a);
	tmpl_set_prepare(b);
	const struct person *v[] = { &ann, &ann };
	tmpl_obj_t *o = tmpl_obj_new(NULL);
	tmpl_obj_set(o, "people", tmpl_list(&person_type, v, sizeof v[0], 2, true));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	tmpl_memo_t *m = tmpl_memo_new();
	char *got = render_val(a, "page", root, m);
	assert_string_equal(got, "AAnn &amp; Co<hr>AAnn &amp; Co<hr>");
	free(got);
	got = render_val(b, "page", root, m);
	assert_string_equal(got, "B0B0");
	free(got);
	size_t rendered, reused;
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered, 1);  /* a's cell, once (wherever a line starts) */
	assert_int_equal(reused, 1);
	/* a changed after it was prepared: rendered as it is now, not kept */
	add_ok(a, "cell", "C{{name}}");
	got = render_val(a, "page", root, m);
	assert_string_equal(got, "CAnn &amp; Co<hr>CAnn &amp; Co<hr>");
	free(got);
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered + reused, 2);
	tmpl_memo_free(m);

	/* a part that indents depends on whether a line starts where it does */
	tmpl_set_t *c = tmpl_set_new();
	add_ok(c, "inner", "i{{name}}\n");
	add_ok(c, "cell", "  {{>inner}}\n");
	add_ok(c, "page", "{{#people}}{{>cell}}|{{/people}}");
	tmpl_set_prepare(c);
	m = tmpl_memo_new();
	for (int i = 0; i < 2; i++) {
		got = render_val(c, "page", root, m);
		assert_string_equal(got, "  iAnn &amp; Co\n|iAnn &amp; Co\n|");
		free(got);
	}
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered, 1);
	assert_int_equal(reused, 1);    /* the first row of the second page */
	tmpl_memo_free(m);
	tmpl_set_free(c);
	tmpl_obj_free(o);
	tmpl_set_free(a);
	tmpl_set_free(b);
}

struct mjob {
	const tmpl_set_t *set;
	tmpl_memo_t *m;
	const char *want;
	int bad;
};

static void *memo_job(void *arg)
{
	struct mjob *j = arg;
	const struct person *v[] = { &ann, &nul, &boss };
	for (int i = 0; i < 200; i++) {
		tmpl_obj_t *o = tmpl_obj_new(NULL);
		tmpl_obj_set(o, "people", tmpl_list(&person_type, v, sizeof v[0], 3, true));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = o;
		buf_t out = BUF_INIT;
		if (tmpl_render_val(j->set, "page", root, j->m, &out) != 0 || strcmp(out.ptr, j->want))
			j->bad++;
		buf_free(&out);
		tmpl_obj_free(o);
	}
	return NULL;
}

/* One memo shared by threads rendering at once. */
static void test_memo_threads(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "cell", "<{{label}}>");
	add_ok(set, "page", "{{#people}}{{>cell}}{{/people}}");
	tmpl_set_prepare(set);
	tmpl_memo_t *m = tmpl_memo_new();
	struct mjob jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct mjob){ set, m, "<Ann &amp; Co (0)><? (7)><Bà Lan (60)>", 0 };
		assert_int_equal(pthread_create(&th[i], NULL, memo_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].bad, 0);
	}
	size_t rendered, reused;
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered, 3);
	assert_true(reused >= 4 * 200 * 3 - 4 * 3);
	tmpl_memo_free(m);
	tmpl_set_free(set);
}

/* Many records, so the memo's table grows while other threads look
 * blocks up in it: each thread walks them in another order, every page is
 * the same as without a memo, and each record's cell is rendered once
 * (one block per record, never two made by threads at once). */
#define MANY 5000

struct gjob {
	const tmpl_set_t *set;
	tmpl_memo_t *m;
	const struct person *const *v;
	size_t stride, start;
	const char *want;
	int bad;
};

static void *grow_job(void *arg)
{
	struct gjob *j = arg;
	const struct person **order = malloc(MANY * sizeof *order);
	for (size_t i = 0; i < MANY; i++)
		order[i] = j->v[(j->start + i * j->stride) % MANY];
	for (int round = 0; round < 2; round++) {
		tmpl_obj_t *o = tmpl_obj_new(NULL);
		tmpl_obj_set(o, "people", tmpl_list(&person_type, order, sizeof order[0], MANY, true));
		tmpl_val_t root = { .kind = TMPL_OBJ };
		root.u.obj = o;
		buf_t out = BUF_INIT, plain = BUF_INIT;
		if (tmpl_render_val(j->set, "page", root, j->m, &out) != 0 ||
		    tmpl_render_val(j->set, "page", root, NULL, &plain) != 0 || strcmp(out.ptr, plain.ptr))
			j->bad++;
		buf_free(&out);
		buf_free(&plain);
		tmpl_obj_free(o);
	}
	free(order);
	return NULL;
}

/* tmpl_memo_dense's numbering for test_memo_grows: the first half of
 * the people (the others are not numbered: the table keeps theirs) */
static size_t half_num(const void *cls, const void *key)
{
	const struct person *people = cls, *p = key;
	return p >= people && p < people + MANY / 2 ? (size_t)(p - people) : SIZE_MAX;
}

static void memo_grows(bool dense)
{
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "cell", "<{{label}}>");
	add_ok(set, "page", "{{#people}}{{>cell}}{{/people}}");
	tmpl_set_prepare(set);
	struct person *people = calloc(MANY, sizeof *people);
	const struct person **v = malloc(MANY * sizeof *v);
	for (size_t i = 0; i < MANY; i++) {
		people[i] = (struct person){ .name = i % 2 ? "An" : "Bình", .age = (int)i };
		v[i] = &people[i];
	}
	tmpl_memo_t *m = tmpl_memo_new();
	if (dense)
		tmpl_memo_dense(m, &person_type, MANY / 2, half_num, people);
	/* strides prime to MANY: every record, in four orders */
	static const size_t strides[] = { 1, 7, 4999, 13 };
	struct gjob jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct gjob){ set, m, v, strides[i], (size_t)i * 1250, NULL, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, grow_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].bad, 0);
	}
	size_t rendered, reused;
	tmpl_memo_stats(m, &rendered, &reused);
	assert_int_equal(rendered, MANY);
	assert_true(reused >= 4 * MANY);   /* every second round comes from the memo */
	/* numbered records have no block in the table */
	assert_int_equal(tmpl_memo_blocks(m), dense ? MANY - MANY / 2 : MANY);
	tmpl_memo_free(m);
	free(v);
	free(people);
	tmpl_set_free(set);
}

static void test_memo_grows(void **state)
{
	(void)state;
	memo_grows(false);
}

/* The same with half the records numbered (their cells in the memo's
 * array, as a site's tasks), the others in the table. */
static void test_memo_dense(void **state)
{
	(void)state;
	memo_grows(true);
}

/* A part of one memoizable type inside a part of another is kept too:
 * each club's part is rendered once, in the first member's row that
 * shows it, and copied into the rows of the other members (as a unit's
 * link in the cells of many tasks); a part of the type being rendered for
 * the memo is not kept again inside it.  The pages are those rendered
 * without a memo. */
static void test_memo_nested(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "club", "[{{name}}]");
	add_ok(set, "row", "<{{name}}:{{#clubs}}{{>club}}{{/clubs}}>");
	add_ok(set, "page", "{{#members}}{{>row}}{{/members}}|{{#members}}{{#clubs}}{{>club}}{{/clubs}}{{/members}}");
	tmpl_set_prepare(set);
	/* a record holds the cells of the parts of its type only: a club
	 * its part; a member its row, the club part (its name), and the
	 * two lists of clubs */
	assert_int_equal(tmpl_set_cells(set, &club_type), 1);
	assert_int_equal(tmpl_set_cells(set, &member_type), 4);
	static const struct club a = { "A&B" }, b = { "C" }, c = { "D" };
	static const struct club *const ab[] = { &a, &b }, *const ba[] = { &b, &a }, *const bc[] = { &b, &c };
	static const struct member m1 = { "m1", ab, 2 }, m2 = { "m2", ba, 2 }, m3 = { "m3", bc, 2 };
	const struct member *v[] = { &m1, &m2, &m3 };
	tmpl_obj_t *o = tmpl_obj_new(NULL);
	tmpl_obj_set(o, "members", tmpl_list(&member_type, v, sizeof v[0], 3, true));
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = o;
	const char *want = "<m1:[A&amp;B][C]><m2:[C][A&amp;B]><m3:[C][D]>|[A&amp;B][C][C][A&amp;B][C][D]";
	char *plain = render_val(set, "page", root, NULL);
	assert_string_equal(plain, want);
	tmpl_memo_t *m = tmpl_memo_new();
	for (int page = 0; page < 2; page++) {
		char *got = render_val(set, "page", root, m);
		assert_string_equal(got, want);
		free(got);
	}
	size_t rendered, reused;
	tmpl_memo_stats(m, &rendered, &reused);
	/* rendered: the 3 rows, the 3 clubs inside them, and after the bar
	 * each member's list of clubs (a section over its member's list);
	 * reused: 3 clubs in the rows, the 6 clubs of those lists, then
	 * the second page's 3 rows and 3 lists */
	assert_int_equal(rendered, 3 + 3 + 3);
	assert_int_equal(reused, 3 + 6 + 3 + 3);
	tmpl_memo_free(m);
	free(plain);
	tmpl_obj_free(o);
	tmpl_set_free(set);
}

/* An object's keys are found by their text, wherever it lies: a key
 * whose buffer is written over with another name (the address of a key
 * freed and given again) names the new one. */
static void test_object_keys(void **state)
{
	(void)state;
	tmpl_set_t *set = tmpl_set_new();
	add_ok(set, "page", "{{ab}}|{{cd}}|{{#o}}{{ab}}{{cd}}{{/o}}");
	tmpl_set_prepare(set);
	char key[8];
	tmpl_obj_t *top = tmpl_obj_new(NULL), *in = tmpl_obj_new(NULL);
	strcpy(key, "ab");
	tmpl_obj_set(top, key, tmpl_str("1"));
	strcpy(key, "cd");
	tmpl_obj_set(top, key, tmpl_str("2"));
	tmpl_obj_set(in, key, tmpl_str("3"));
	strcpy(key, "ab");
	tmpl_obj_set(in, key, tmpl_str("4"));
	tmpl_obj_set_obj(top, "o", in);
	tmpl_val_t root = { .kind = TMPL_OBJ };
	root.u.obj = top;
	char *got = render_val(set, "page", root, NULL);
	assert_string_equal(got, "1|2|43");
	free(got);
	tmpl_obj_free(top);
	tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_like_json),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_owned_json),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_memo_indent),
		cmocka_unit_test(test_memo_sets),
		cmocka_unit_test(test_memo_threads),
		cmocka_unit_test(test_memo_grows),
		cmocka_unit_test(test_memo_dense),
		cmocka_unit_test(test_memo_nested),
		cmocka_unit_test(test_object_keys),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
