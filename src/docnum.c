/* docnum.c: the runs of Markdown text that may be document numbers. */
#include "docnum.h"

#include <cmark.h>
#include <ctype.h>
#include <string.h>

#include "cmem.h"

/* A byte that may be part of a document number: ASCII letters and digits,
 * '&', '/', '-', and Đ/đ (C4 90 / C4 91). Returns its length or 0. */
static size_t num_char(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (isalnum(c) || c == '&' || c == '/' || c == '-')
		return 1;
	if (c == 0xC4 && ((unsigned char)s[1] == 0x90 || (unsigned char)s[1] == 0x91))
		return 2;
	if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))  /* – — */
		return 3;
	return 0;
}

int docnum_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos;
	while (i < len) {
		/* a number starts with a digit: every other byte is passed at
		 * the cost of one comparison (a plan's text is mostly letters) */
		unsigned char c = (unsigned char)text[i];
		if (c < '0' || c > '9' || (i > 0 && num_char(text + i - 1))) {
			i++;
			continue;
		}
		size_t w, j = i;
		while (j < len && (w = num_char(text + j)))
			j += w;
		size_t e = j;
		while (e > i && (text[e - 1] == '-' || text[e - 1] == '/'))
			e--;
		if (memchr(text + i, '/', e - i) || memchr(text + i, '-', e - i)) {
			*start = i;
			*end = e;
			*pos = j;
			return 1;
		}
		i = j;
	}
	*pos = len;
	return 0;
}

void docnum_scan(const char *md, size_t len, docnum_fn fn, void *arg)
{
	cmark_node *doc = cmem_parse(cmem_begin(), md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int in_link = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			in_link += ev == CMARK_EVENT_ENTER ? 1 : -1;
			continue;
		}
		if (type != CMARK_NODE_TEXT || ev != CMARK_EVENT_ENTER || in_link)
			continue;
		/* a text node holds its source bytes as they are (escapes and
		 * entities are nodes of their own), on one line */
		const char *text = cmark_node_get_literal(n);
		size_t tlen = text ? strlen(text) : 0, pos = 0, i, end;
		while (docnum_next(text, tlen, &pos, &i, &end))
			fn(arg, text + i, end - i, cmark_node_get_start_line(n),
			   cmark_node_get_start_column(n) + (int)i);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmem_end();
}
