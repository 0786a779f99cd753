/* test_routes.c: the routes table and site.yaml's permalinks, from tables
 * of cases: the folders each setting gives, the messages of bad ones, the
 * addresses and files built from them, and which free pages clash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "routes.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The folders as one line, "plans=ke-hoach/ documents=van-ban/ ...", the
 * sections permalinks did not move left out. */
static char *moved(const routes_t *rt)
{
	routes_t def;
	routes_default(&def);
	buf_t b = BUF_INIT;
	for (int i = 0; i < ROUTE_COUNT; i++)
		if (strcmp(rt->dir[i], def.dir[i]))
			buf_printf(&b, "%s%s=%s", b.len ? " " : "", routes_section(i)->key, rt->dir[i]);
	return buf_detach(&b);
}

static void test_permalinks(void **state)
{
	(void)state;
	static const struct {
		const char *yaml, *dirs, *msgs;   /* msgs: the start of the messages, "" none */
	} cases[] = {
		{ "permalinks:\n  plans: /plans/\n", "plans=plans/", "" },
		{ "permalinks: { units: /co-quan/don-vi/, data: /open-data/ }\n",
		  "units=co-quan/don-vi/ data=open-data/", "" },
		{ "permalinks:\n  plans: /van-ban/\n  documents: /ke-hoach/\n",   /* swapped: no clash */
		  "plans=van-ban/ documents=ke-hoach/", "" },
		{ "permalinks:\n  plans: /v1.0_x/\n", "plans=v1.0_x/", "" },
		{ "permalinks:\n", "", "" },
		{ "permalinks:\n  plan: /p/\n", "",
		  "s.yaml:2:3: error: [E080] permalinks: không có mục \"plan\" (các mục: plans, documents, units, "
		  "deadlines, changes, weeks, search, data) — gợi ý: có phải \"plans\"?\n" },
		{ "permalinks:\n  home: /h/\n", "", "s.yaml:2:3: error: [E080] " },
		{ "permalinks:\n  plans: plans/\n", "",
		  "s.yaml:2:10: error: [E081] permalinks: đường dẫn \"plans/\" của mục plans phải bắt đầu và "
		  "kết thúc bằng \"/\", không có \"//\" — gợi ý: viết \"/plans/\"\n" },
		{ "permalinks:\n  plans: /plans\n", "", "s.yaml:2:10: error: [E081] " },
		{ "permalinks:\n  plans: /a//b/\n", "", "s.yaml:2:10: error: [E081] " },
		{ "permalinks:\n  plans: ''\n", "", "s.yaml:2:10: error: [E081] " },
		{ "permalinks:\n  plans: { a: b }\n", "", "s.yaml:2:10: error: [E081] " },
		{ "permalinks: [plans]\n", "", "s.yaml:1:13: error: [E081] " },
		{ "permalinks:\n  plans: /\n", "", "s.yaml:2:10: error: [E082] permalinks: mục plans không thể ở \"/\"" },
		{ "permalinks:\n  search: /static/\n", "", "s.yaml:2:11: error: [E082] " },
		{ "permalinks:\n  search: /STATIC/x/\n", "", "s.yaml:2:11: error: [E082] " },
		{ "permalinks:\n  data: /sitemap.xml/\n", "", "s.yaml:2:9: error: [E082] " },
		{ "permalinks:\n  data: /404.html/\n", "", "s.yaml:2:9: error: [E082] " },
		{ "permalinks:\n  plans: /van-ban/\n", "plans=van-ban/",
		  "s.yaml:2:10: error: [E082] permalinks: mục plans (\"/van-ban/\") trùng hoặc lồng với mục "
		  "documents (\"/van-ban/\") — gợi ý: chọn cho mục plans một thư mục riêng, ví dụ \"/ke-hoach/\"\n" },
		{ "permalinks:\n  plans: /thoi-han/x/\n", "plans=thoi-han/x/", "s.yaml:2:10: error: [E082] " },
		{ "permalinks:\n  deadlines: /a/\n  plans: /a/b/\n", "plans=a/b/ deadlines=a/",
		  "s.yaml:3:10: error: [E082] permalinks: mục plans (\"/a/b/\") trùng hoặc lồng với mục deadlines" },
		{ "permalinks:\n  plans: /a/\n  data: /A/\n", "plans=a/ data=A/",
		  "s.yaml:3:9: error: [E082] permalinks: mục data (\"/A/\") trùng hoặc lồng với mục plans" },
		{ "permalinks:\n  plans: /kế-hoạch/\n", "",
		  "s.yaml:2:10: error: [E083] permalinks: đường dẫn \"/kế-hoạch/\" của mục plans có ký tự không "
		  "dùng được trong địa chỉ (chỉ dùng chữ không dấu, số, \"-\", \"_\" và \"/\") — gợi ý: viết \"/ke-hoach/\"\n" },
		{ "permalinks:\n  plans: \"/a b/\"\n", "", "s.yaml:2:10: error: [E083] " },
		{ "permalinks:\n  plans: \"/a\\\"><script>/\"\n", "", "s.yaml:2:10: error: [E083] " },
		{ "permalinks:\n  plans: /a%2e%2e/\n", "", "s.yaml:2:10: error: [E083] " },
		{ "permalinks:\n  plans: /../x/\n", "", "s.yaml:2:10: error: [E083] permalinks: đường dẫn \"/../x/\" của mục plans có \".\" hoặc \"..\"" },
		{ "permalinks:\n  plans: /a/./\n", "", "s.yaml:2:10: error: [E083] " },
		{ "permalinks:\n  plans: /a/..\n", "", "s.yaml:2:10: error: [E083] " },
		{ "permalinks:\n  plans: /a..b/\n", "plans=a..b/", "" },   /* dots inside a name */
		{ "permalinks:\n  plans: /Plans/\n", "plans=Plans/",
		  "s.yaml:2:10: warning: [W070] permalinks: đường dẫn \"/Plans/\" của mục plans có chữ hoa; "
		  "người dân gõ lại địa chỉ dễ sai, và có máy chủ web phân biệt chữ hoa chữ thường — gợi ý: viết \"/plans/\"\n" },
		{ "permalinks:\n  units: /don-vi/\n", "",
		  "s.yaml:2:10: warning: [W071] permalinks: mục units đã ở \"/don-vi/\" sẵn; dòng này không đổi gì — gợi ý: xoá dòng này\n" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		arena_t *a = arena_new();
		diag_t *d = diag_new();
		ynode_t *root = NULL;
		const char *src = cases[i].yaml;
		assert_int_equal(yml_parse(a, d, "s.yaml", src, strlen(src), 0, &root), 0);
		routes_t rt;
		routes_default(&rt);
		routes_parse(&rt, a, d, ynode_get(root, "permalinks"));
		char *dirs = moved(&rt), *msgs = diag_format(d);
		if (strcmp(dirs, cases[i].dirs) || strncmp(msgs, cases[i].msgs, strlen(cases[i].msgs)) ||
		    (!*cases[i].msgs && *msgs))
			fail_msg("case %zu (%s): want \"%s\" \"%s\", got \"%s\" \"%s\"", i, src, cases[i].dirs,
				 cases[i].msgs, dirs, msgs);
		free(dirs);
		free(msgs);
		diag_free(d);
		arena_free(a);
	}
}

static void test_addresses(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	routes_t rt;
	routes_default(&rt);
	rt.base = "/cong/";
	rt.dir[ROUTE_PLANS] = "plans/";
	char *u = routes_url(&rt, ROUTE_PLANS, "qd-1");
	assert_string_equal(u, "/cong/plans/qd-1/");
	free(u);
	u = routes_url(&rt, ROUTE_HOME, NULL);
	assert_string_equal(u, "/cong/");
	free(u);
	u = routes_url(&rt, ROUTE_DEADLINES, routes_view(0));
	assert_string_equal(u, "/cong/thoi-han/qua-han/");
	free(u);
	assert_string_equal(routes_url_in(a, &rt, ROUTE_UNITS, "so-p"), "/cong/don-vi/so-p/");
	assert_string_equal(routes_url_in(a, &rt, ROUTE_DATA, NULL), "/cong/du-lieu/");
	u = routes_file(&rt, ROUTE_CHANGES, "atom.xml");
	assert_string_equal(u, "thay-doi/atom.xml");
	free(u);
	assert_string_equal(routes_view(ROUTES_NVIEWS - 1), "tat-ca");
	json_t *j = routes_json(&rt);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"home\":\"/cong/\",\"plans\":\"/cong/plans/\",\"documents\":\"/cong/van-ban/\","
			       "\"units\":\"/cong/don-vi/\",\"deadlines\":\"/cong/thoi-han/\",\"changes\":\"/cong/thay-doi/\","
			       "\"weeks\":\"/cong/bao-cao-tuan/\",\"search\":\"/cong/tim-kiem/\",\"data\":\"/cong/du-lieu/\","
			       "\"feed\":\"/cong/thay-doi/atom.xml\",\"sitemap\":\"/cong/sitemap.xml\"}");
	free(s);
	json_decref(j);
	arena_free(a);
}

static void test_clash(void **state)
{
	(void)state;
	routes_t rt;
	routes_default(&rt);
	rt.dir[ROUTE_PLANS] = "plans/";
	rt.dir[ROUTE_UNITS] = "co-quan/don-vi/";
	static const struct { const char *slug; bool clash; } cases[] = {
		{ "plans", true }, { "plans/a", true }, { "Plans", true }, { "plansx", false },
		{ "ke-hoach", false },   /* moved away: free */
		{ "van-ban", true }, { "thoi-han/x", true }, { "static", true }, { "404", true },
		{ "co-quan", false }, { "co-quan/gioi-thieu", false }, { "co-quan/don-vi", true },
		{ "gioi-thieu", false },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (routes_clash(&rt, cases[i].slug) != cases[i].clash)
			fail_msg("%s: want %s", cases[i].slug, cases[i].clash ? "a clash" : "free");
}

static void test_tables(void **state)
{
	(void)state;
	/* every kind has a template and a section that exists; every section
	 * but the home can be moved, and its default folder is a slug */
	for (int k = 0; k < ROUTE_KIND_COUNT; k++) {
		assert_non_null(routes_kind(k)->tmpl);
		assert_true(routes_kind(k)->section <= ROUTE_NONE);
	}
	for (int i = 1; i < ROUTE_COUNT; i++) {
		const route_section_info_t *r = routes_section(i);
		assert_non_null(r->key);
		size_t n = strlen(r->dir);
		assert_true(n > 1 && r->dir[n - 1] == '/');
		assert_null(strpbrk(r->dir, ". "));
		assert_ptr_equal(strchr(r->dir, '/'), r->dir + n - 1);
	}
	assert_null(routes_section(ROUTE_HOME)->key);
	assert_string_equal(routes_section(ROUTE_HOME)->dir, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permalinks),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_clash),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
