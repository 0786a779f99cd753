/* test_cmem.c: cmark's trees in a thread's scratch (src/cmem.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cmark.h>

#include "cmem.h"

/* HTML of md as cmark renders it with its own allocator. */
static char *plain_html(const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return html;
}

/* The same through cmem, copied out of the scope. */
static char *cmem_html(const char *md, size_t len)
{
	cmark_mem *mem = cmem_begin();
	cmark_node *doc = cmem_parse(mem, md, len, CMARK_OPT_DEFAULT);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	char *copy = strdup(html);
	cmark_node_free(doc);
	mem->free(html);
	cmem_end();
	return copy;
}

static void same(const char *md, size_t len)
{
	char *a = plain_html(md, len), *b = cmem_html(md, len);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_same_html(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"",
		"# Mục đích\n\nKế hoạch số 12/KH-UBND *ngày* 3/2/2024.\n",
		"no newline at the end",
		"- một\n- hai\n\n  tiếp\n\n```\ncode\n```",
		"a\r\nb\rc\n\n> trích\n> dẫn\r\n",
		"[liên kết](http://example.com \"tên\") và ![ảnh](a.png)\n\n[x]: /y\n\n[x]",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		same(cases[i], strlen(cases[i]));
	/* a NUL inside the text, on the last line */
	same("a\0b", 3);
}

/* Texts over a chunk: many blocks, a code block and paragraph grown by
 * realloc past the size malloc'd one by one, headings between them. */
static void test_big(void **state)
{
	(void)state;
	size_t cap = 600000, n = 0;
	char *md = malloc(cap);
	for (int i = 0; n + 400 < cap / 2; i++)
		n += (size_t)snprintf(md + n, cap - n, "## Mục %d\n\n- nhiệm vụ *%d*, [số %d/KH](/k/%d)\n\n", i, i, i, i);
	memcpy(md + n, "```\n", 4);
	n += 4;
	while (n + 100 < cap - 8)
		n += (size_t)snprintf(md + n, cap - n, "dòng mã %zu <&>\n", n);
	memcpy(md + n, "```\nx\n", 6);
	n += 6;
	same(md, n);
	free(md);
}

/* Blocks keep their bytes as they grow, in place or moved; calloc's are
 * zeroed though the chunk held other blocks before; scopes nest. */
static void test_blocks(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		cmark_mem *mem = cmem_begin();
		unsigned char *z = mem->calloc(1000, 3);
		for (int i = 0; i < 3000; i++)
			assert_int_equal(z[i], 0);
		memset(z, 0xAB, 3000);
		char *a = mem->realloc(NULL, 10);
		memcpy(a, "0123456789", 10);
		a = mem->realloc(a, 100);             /* the newest block: in place */
		assert_memory_equal(a, "0123456789", 10);
		char *b = mem->calloc(1, 16);
		a = mem->realloc(a, 5000);            /* not the newest: moved */
		assert_memory_equal(a, "0123456789", 10);
		assert_int_equal(b[0], 0);
		cmark_mem *inner = cmem_begin();
		assert_ptr_equal(inner, mem);
		a = inner->realloc(a, 200000);        /* malloc'd on its own */
		assert_memory_equal(a, "0123456789", 10);
		a = inner->realloc(a, 400000);
		assert_memory_equal(a, "0123456789", 10);
		cmem_end();                           /* not the outermost */
		assert_memory_equal(a, "0123456789", 10);
		mem->free(a);
		mem->free(b);
		mem->free(z);
		mem->free(NULL);
		cmem_end();
	}
}

/* A node made by the caller and put in a parsed tree is freed with it:
 * cmark frees a tree with its root's allocator (markdown.c's links). */
static void test_new_nodes(void **state)
{
	(void)state;
	cmark_mem *mem = cmem_begin();
	cmark_node *doc = cmem_parse(mem, "văn bản\n", strlen("văn bản\n"), CMARK_OPT_DEFAULT);
	cmark_node *para = cmark_node_first_child(doc);
	cmark_node *ln = cmark_node_new_with_mem(CMARK_NODE_LINK, mem);
	cmark_node_set_url(ln, "/van-ban/");
	cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
	cmark_node_set_literal(t, "số 1/KH");
	cmark_node_append_child(ln, t);
	cmark_node_append_child(para, ln);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	assert_string_equal(html, "<p>văn bản<a href=\"/van-ban/\">số 1/KH</a></p>\n");
	mem->free(html);
	cmark_node_free(doc);
	cmem_end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_html),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_new_nodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
