/* markdown.c: cmark rendering with our safety rules and cross-links. */
#include "markdown.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmem.h"
#include "docnum.h"
#include "text.h"
#include "xref.h"

/* cmark's safe mode already drops raw HTML and javascript:, vbscript: and
 * file: URLs, but lets data:image through; we allow no data: at all. */
static int dangerous_url(const char *url)
{
	if (!url)
		return 0;
	while (*url && isspace((unsigned char)*url))
		url++;
	static const char *const bad[] = { "javascript:", "vbscript:", "data:", "file:", NULL };
	for (const char *const *b = bad; *b; b++)
		if (!strncasecmp(url, *b, strlen(*b)))
			return 1;
	return 0;
}

/* New nodes take the tree's allocator: cmark_node_free frees a whole
 * tree with its root's. */
static cmark_node *text_node(cmark_mem *mem, const char *s, size_t n)
{
	cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
	char *tmp = xstrndup(s, n);
	cmark_node_set_literal(t, tmp);
	free(tmp);
	return t;
}

/* Splits a text node around every known number in it. */
static void link_numbers(cmark_mem *mem, cmark_node *node, const site_t *s, const doc_t *self)
{
	const char *lit = cmark_node_get_literal(node);
	if (!lit)
		return;
	char *text = xstrdup(lit);
	size_t len = strlen(text), done = 0, pos = 0, i, end;
	int changed = 0;
	while (docnum_next(text, len, &pos, &i, &end)) {
		char *cand = xstrndup(text + i, end - i);
		doc_t *dc = xref_find_doc(s, cand);
		free(cand);
		if (dc && dc != self && dc->url) {
			if (i > done)
				cmark_node_insert_before(node, text_node(mem, text + done, i - done));
			cmark_node *ln = cmark_node_new_with_mem(CMARK_NODE_LINK, mem);
			cmark_node_set_url(ln, dc->url);
			if (dc->title)
				cmark_node_set_title(ln, dc->title);
			cmark_node_append_child(ln, text_node(mem, text + i, end - i));
			cmark_node_insert_before(node, ln);
			done = end;
			changed = 1;
		}
	}
	if (changed) {
		if (done < len)
			cmark_node_insert_before(node, text_node(mem, text + done, len - done));
		cmark_node_free(node);
	}
	free(text);
}

/* Walks the tree: cleans URLs, links numbers outside code and links, and
 * collects heading ids in document order. */
static void walk(cmark_mem *mem, cmark_node *root, const site_t *s, const doc_t *self, buf_t *ids)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int in_link = 0;
	cmark_node **texts = NULL;
	size_t ntexts = 0, cap = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			if (ev == CMARK_EVENT_ENTER) {
				in_link++;
				if (dangerous_url(cmark_node_get_url(n)))
					cmark_node_set_url(n, "");
			} else {
				in_link--;
			}
		} else if (type == CMARK_NODE_TEXT && ev == CMARK_EVENT_ENTER && !in_link && s) {
			if (ntexts == cap) {
				cap = cap ? cap * 2 : 32;
				texts = xrealloc(texts, cap * sizeof(*texts));
			}
			texts[ntexts++] = n;
		} else if (type == CMARK_NODE_HEADING && ev == CMARK_EVENT_EXIT) {
			/* the heading's plain text, for its id */
			buf_t t = BUF_INIT;
			cmark_iter *hi = cmark_iter_new(n);
			cmark_event_type hev;
			while ((hev = cmark_iter_next(hi)) != CMARK_EVENT_DONE) {
				cmark_node *h = cmark_iter_get_node(hi);
				if (hev == CMARK_EVENT_ENTER &&
				    (cmark_node_get_type(h) == CMARK_NODE_TEXT ||
				     cmark_node_get_type(h) == CMARK_NODE_CODE))
					buf_puts(&t, cmark_node_get_literal(h));
			}
			cmark_iter_free(hi);
			char *slug = text_slug(t.ptr ? t.ptr : "");
			buf_puts(ids, *slug ? slug : "muc");
			buf_putc(ids, '\n');
			free(slug);
			buf_free(&t);
		}
	}
	cmark_iter_free(it);
	/* text nodes are split after the walk: the iterator must not see the
	 * tree change under it */
	for (size_t i = 0; i < ntexts; i++)
		link_numbers(mem, texts[i], s, self);
	free(texts);
}

/* Adds id="..." to the n-th <hK> opening tag, in order.  Raw HTML is never
 * rendered, so every "<h1>".."<h6>" in cmark's output is a heading of ours. */
static char *add_heading_ids(const char *html, const char *ids)
{
	buf_t out = BUF_INIT;
	strmap_t seen = STRMAP_INIT;
	char **owned = NULL;
	size_t nowned = 0;
	const char *p = html;
	const char *id = ids;
	while (*p) {
		const char *h = strstr(p, "<h");
		if (!h || !id || !*id) {
			buf_puts(&out, p);
			break;
		}
		if (h[2] >= '1' && h[2] <= '6' && h[3] == '>') {
			const char *nl = strchr(id, '\n');
			char *base = xstrndup(id, (size_t)(nl - id));
			id = nl + 1;
			char *uniq = xstrdup(base);
			for (int k = 2; strmap_get(&seen, uniq); k++) {
				free(uniq);
				buf_t b = BUF_INIT;
				buf_printf(&b, "%s-%d", base, k);
				uniq = buf_detach(&b);
			}
			free(base);
			owned = xrealloc(owned, (nowned + 1) * sizeof(*owned));
			owned[nowned++] = uniq;
			strmap_put(&seen, uniq, (void *)1);
			buf_put(&out, p, (size_t)(h - p));
			buf_printf(&out, "<h%c id=\"%s\">", h[2], uniq);
			p = h + 4;
		} else {
			buf_put(&out, p, (size_t)(h - p) + 2);
			p = h + 2;
		}
	}
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	strmap_free(&seen);
	return buf_detach(&out);
}

char *md_render(const char *md, size_t len, const site_t *s, const doc_t *self)
{
	/* the tree and cmark's HTML live in this thread's scratch (cmem.c) */
	cmark_mem *mem = cmem_begin();
	cmark_node *doc = cmem_parse(mem, md, len, CMARK_OPT_DEFAULT);
	buf_t ids = BUF_INIT;
	walk(mem, doc, s, self, &ids);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	char *out = add_heading_ids(html, ids.ptr ? ids.ptr : "");
	mem->free(html);
	cmem_end();
	buf_free(&ids);
	return out;
}
