/* test_markdown.c: unit tests of markdown.c: safe mode, heading ids and the
 * document-number links (and where they must not appear). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "markdown.h"
#include "xref.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *md;
	const char *must;      /* substring that must appear, or NULL */
	const char *mustnot;   /* substring that must not appear, or NULL */
} md_case_t;

static void test_cases(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	diag_t *d = diag_new();
	static const char *const files[][2] = {
		{ "documents.yaml", "- { number: 57-NQ/TW, title: NQ }\n- { number: 71/NQ-CP, aliases: [71-NQ/CP] }\n- { number: 12/QĐ-UBND }\n" },
	};
	snap_t snap = { 0 };
	snap.files = arena_alloc(a, sizeof(rfile_t));
	snap.n = 1;
	snap.files[0].path = "content/documents.yaml";
	snap.files[0].rel = "documents.yaml";
	snap.files[0].data = files[0][1];
	snap.files[0].len = strlen(files[0][1]);
	model_opts_t o = { 0 };
	site_t *s = model_load(a, d, &snap, &o);
	xref_resolve(a, d, s, &snap);
	static const md_case_t cases[] = {
		{ "<script>alert(1)</script>", NULL, "<script" },
		{ "x <b onclick=y>z</b>", NULL, "onclick" },
		{ "[a](javascript:alert(1))", "<a href=\"\">a</a>", "javascript" },
		{ "[a]( JaVaScRiPt:alert(1))", NULL, "avascript" },
		{ "[a](data:text/html;base64,AAAA)", NULL, "data:" },
		{ "![i](data:image/png;base64,AAAA)", NULL, "data:" },
		{ "[a](https://x.vn/)", "<a href=\"https://x.vn/\">a</a>", NULL },
		{ "# Mục đích\n\n## Mục đích\n\n### `code` here", "<h1 id=\"muc-dich\">", NULL },
		{ "# Mục đích\n\n## Mục đích", "<h2 id=\"muc-dich-2\">", NULL },
		{ "### `code` here", "<h3 id=\"code-here\">", NULL },
		{ "Nghị quyết số 57-NQ/TW ngày", "số <a href=\"/van-ban/57-nq-tw/\" title=\"NQ\">57-NQ/TW</a> ngày", NULL },
		{ "theo 71-NQ/CP.", "<a href=\"/van-ban/71-nq-cp/\">71-NQ/CP</a>.", NULL },
		{ "Quyết định 12/qđ-ubnd", "<a href=\"/van-ban/12-qd-ubnd/\">12/qđ-ubnd</a>", NULL },
		{ "157-NQ/TW", NULL, "<a" },
		{ "57-NQ/TW-BCS", NULL, "<a" },
		{ "`57-NQ/TW`", "<code>57-NQ/TW</code>", "<a" },
		{ "    57-NQ/TW\n", NULL, "<a" },
		{ "[xem 57-NQ/TW](https://x.vn/)", "<a href=\"https://x.vn/\">xem 57-NQ/TW</a>", "van-ban" },
		{ "a 57-NQ/TW b 71/NQ-CP c", "b <a href=\"/van-ban/71-nq-cp/\">71/NQ-CP</a> c", NULL },
		{ "<h2>raw</h2>", NULL, "<h2" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *html = md_render(cases[i].md, strlen(cases[i].md), s, NULL);
		int good = (!cases[i].must || strstr(html, cases[i].must)) &&
			   (!cases[i].mustnot || !strstr(html, cases[i].mustnot));
		if (!good) {
			char msg[2048];
			snprintf(msg, sizeof msg, "case %zu \"%s\" gave \"%s\"", i, cases[i].md, html);
			free(html);
			fail_msg("%s", msg);
		}
		free(html);
	}
	model_site_free(s);
	diag_free(d);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
