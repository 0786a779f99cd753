/* fm.c: libyaml events turned into a positioned tree, and front matter
 * splitting.  Every problem is reported with its file, line and column. */
#include "fm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "text.h"
#include "yerr.h"

const ynode_t *ynode_get(const ynode_t *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	/* asked for each field of each task: the first byte rules most keys
	 * out before a comparison */
	for (size_t i = 0; i < map->n; i++) {
		const ynode_t *k = ynode_key(map, i);
		if (k->kind == YNODE_SCALAR && k->str[0] == key[0] && !strcmp(k->str, key))
			return ynode_val(map, i);
	}
	return NULL;
}

bool ynode_is_null(const ynode_t *n)
{
	if (!n)
		return true;
	if (n->kind != YNODE_SCALAR || !n->plain)
		return false;
	/* a plain scalar has no NUL (no escapes): its length is strlen's */
	switch (n->len) {
	case 0:
		return true;
	case 1:
		return n->str[0] == '~';
	case 4:
		return !memcmp(n->str, "null", 4) || !memcmp(n->str, "Null", 4) || !memcmp(n->str, "NULL", 4);
	default:
		return false;
	}
}

/* Line and column (1-based, in characters) of byte offset off. */
static void offset_pos(const char *text, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* E001 at byte bad of text. */
static void report_utf8(diag_t *d, const char *path, const char *text, long bad)
{
	loc_t loc = { path, 0, 0 };
	offset_pos(text, (size_t)bad, &loc.line, &loc.col);
	diag_error_fix(d, &loc, "E001", _("lưu tệp với mã UTF-8 (trong trình soạn thảo: Save with Encoding, UTF-8)"),
		       _("tệp không phải mã UTF-8 (byte 0x%02X)"), (unsigned char)text[bad]);
}

int fm_check_utf8(diag_t *d, const char *path, const char *text, size_t len)
{
	long bad = text_utf8_invalid(text, len);
	if (bad < 0)
		return 0;
	report_utf8(d, path, text, bad);
	return -1;
}

/* Tree building state: a stack of open collections and the anchors seen. */
struct anchor {
	const char *name;
	ynode_t *node;
	size_t weight;
};

struct frame {
	ynode_t *node;
	size_t weight;          /* nodes this collection expands to so far */
	const char *anchor;
	size_t kids;            /* where its children start in builder's kids */
};

struct builder {
	arena_t *a;
	diag_t *d;
	const char *path;
	int line_offset;
	struct frame *stack;
	size_t depth, cap;
	/* the children of every open collection, innermost last: one array
	 * for the whole parse, not one allocation per map and list */
	ynode_t **kids;
	size_t nkids, capkids;
	struct anchor *anchors;
	size_t nanchors;
	ynode_t *root;
	size_t root_weight;
	int failed;
	/* a key repeated: reported, the parse goes on, the result is
	 * refused.  Said here, not read from the count of d's errors, which
	 * the other files parsed at the same time add to */
	bool repeated;
	bool aliased;           /* an alias was resolved: a node has two parents */
	/* nodes, their children's arrays and scalars' texts are cut from
	 * chunks of the arena: a plan's front matter is some 900 nodes and
	 * as many texts, and an arena call each was 98M of the 238M
	 * instructions parse_nfc spent around libyaml on 1,000 plans
	 * (callgrind) */
	char *chunk;
	size_t left;
};

/* Not more: glibc's memset zeroes larger blocks with rep stosb, which
 * callgrind counts a byte at a time (16 KB chunks cost 16,700 each). */
#define CHUNK 2048

#define MAX_DEPTH 64

/* n bytes aligned to align (a power of two), zeroed, from b's chunk. */
static inline void *take(struct builder *b, size_t n, size_t align)
{
	size_t pad = (size_t)(-(uintptr_t)b->chunk) & (align - 1);
	if (pad + n > b->left) {
		if (n > CHUNK / 4)
			return arena_alloc(b->a, n);
		b->chunk = arena_alloc(b->a, CHUNK);
		b->left = CHUNK;
		pad = 0;
	}
	void *p = b->chunk + pad;
	b->chunk += pad + n;
	b->left -= pad + n;
	return p;
}

/* A copy of s[0..n) with its NUL, in b's chunk. */
static inline char *take_str(struct builder *b, const char *s, size_t n)
{
	char *p = take(b, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static loc_t mark_loc(const struct builder *b, yaml_mark_t m)
{
	loc_t l = { b->path, (int)m.line + 1 + b->line_offset, (int)m.column + 1 };
	return l;
}

static void remember_anchor(struct builder *b, const char *name, ynode_t *n, size_t w)
{
	if (!name)
		return;
	b->anchors = xrealloc(b->anchors, (b->nanchors + 1) * sizeof(*b->anchors));
	b->anchors[b->nanchors++] = (struct anchor){ name, n, w };
}

static void too_many(struct builder *b, const loc_t *loc)
{
	if (b->failed)
		return;
	diag_error_fix(b->d, loc, "E003", _("viết các giá trị ra, không dùng bí danh lồng nhau"),
		       _("các bí danh (alias) nở ra hơn %d giá trị"), YML_MAX_NODES);
	b->failed = 1;
}

static inline void add_child(struct builder *b, ynode_t *n, size_t weight, const loc_t *loc)
{
	if (b->depth == 0) {
		b->root = n;
		b->root_weight = weight;
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (b->nkids == b->capkids) {
		b->capkids = b->capkids ? b->capkids * 2 : 64;
		b->kids = xrealloc(b->kids, b->capkids * sizeof(*b->kids));
	}
	b->kids[b->nkids++] = n;
	f->weight += weight;
	if (f->weight > YML_MAX_NODES)
		too_many(b, loc);
}

static int keycmp(const void *x, const void *y)
{
	const ynode_t *a = *(ynode_t *const *)x, *c = *(ynode_t *const *)y;
	int r = strcmp(a->str, c->str);
	if (r)
		return r;
	if (a->loc.line != c->loc.line)
		return a->loc.line < c->loc.line ? -1 : 1;
	return a->loc.col < c->loc.col ? -1 : a->loc.col > c->loc.col;
}

/* Whether two scalar keys of map are the same text: a task's map has a
 * dozen keys, which pairs compare faster than a sort; larger maps say yes
 * (the sort decides).  The pairs compare a key's first two bytes first,
 * in one number (0: not a scalar): texts strcmp finds equal share them. */
static bool may_repeat(const ynode_t *map)
{
	if (map->n > 16)
		return true;
	unsigned sig[16];
	/* the signatures seen, one bit each of 256: a key whose bit is not
	 * set yet has no earlier key of its signature, and is not compared
	 * (the pairs were 66 comparisons a task's map, 8M at 1k plans) */
	uint64_t seen[4] = { 0 };
	for (size_t i = 0; i < map->n; i++) {
		const ynode_t *k = map->kids[2 * i];
		const unsigned char *t = (const unsigned char *)k->str;
		sig[i] = k->kind == YNODE_SCALAR ? (t[0] | (t[0] ? t[1] : 0u) << 8) + 1 : 0;
		if (!sig[i])
			continue;
		unsigned bit = (sig[i] * 0x9E3779B1u) >> 24;
		if (!(seen[bit >> 6] >> (bit & 63) & 1)) {
			seen[bit >> 6] |= (uint64_t)1 << (bit & 63);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (sig[j] == sig[i] && !strcmp(map->kids[2 * j]->str, k->str))
				return true;
	}
	return false;
}

static void check_duplicates(struct builder *b, ynode_t *map)
{
	if (!may_repeat(map))
		return;
	size_t n = 0;
	ynode_t **keys = xmalloc((map->n + 1) * sizeof(*keys));
	for (size_t i = 0; i < map->n; i++)
		if (map->kids[2 * i]->kind == YNODE_SCALAR)
			keys[n++] = map->kids[2 * i];
	qsort(keys, n, sizeof(*keys), keycmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(keys[i]->str, keys[i - 1]->str)) {
			b->repeated = true;
			diag_error_fix(b->d, &keys[i]->loc, "E004",
				       _("giữ một dòng, xoá dòng kia; nếu đây là một mục mới của danh sách, bắt đầu mục đó bằng \"- \""),
				       _("khoá \"%s\" bị lặp (đã có ở dòng %d)"), keys[i]->str,
				       keys[i - 1]->loc.line);
		}
	free(keys);
}

static inline ynode_t *new_node(struct builder *b, ynode_kind_t kind, yaml_mark_t m)
{
	ynode_t *n = take(b, sizeof(*n), _Alignof(ynode_t));
	n->kind = kind;
	n->loc = mark_loc(b, m);
	return n;
}

static void handle(struct builder *b, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		ynode_t *n = new_node(b, YNODE_SCALAR, ev->start_mark);
		/* the whole text was NFC-normalised before parsing */
		n->str = take_str(b, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (ev->data.scalar.anchor)
			remember_anchor(b, arena_strdup(b->a, (const char *)ev->data.scalar.anchor), n, 1);
		add_child(b, n, 1, &n->loc);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		ynode_kind_t kind = ev->type == YAML_MAPPING_START_EVENT ? YNODE_MAP : YNODE_SEQ;
		ynode_t *n = new_node(b, kind, ev->start_mark);
		if (b->depth >= MAX_DEPTH) {
			diag_error_fix(b->d, &n->loc, "E005", _("bớt các mức thụt lề lồng nhau"),
				       _("lồng nhau sâu quá %d mức"), MAX_DEPTH);
			b->failed = 1;
			break;
		}
		if (b->depth == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 8;
			b->stack = xrealloc(b->stack, b->cap * sizeof(*b->stack));
		}
		const char *anchor = kind == YNODE_MAP ? (const char *)ev->data.mapping_start.anchor
						       : (const char *)ev->data.sequence_start.anchor;
		b->stack[b->depth++] = (struct frame){ n, 1, anchor ? arena_strdup(b->a, anchor) : NULL,
						       b->nkids };
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct frame f = b->stack[--b->depth];
		ynode_t *n = f.node;
		size_t nk = b->nkids - f.kids;
		n->kids = take(b, (nk + 1) * sizeof(ynode_t *), _Alignof(ynode_t *));
		if (nk)
			memcpy(n->kids, b->kids + f.kids, nk * sizeof(ynode_t *));
		n->kids[nk] = NULL;
		n->n = n->kind == YNODE_MAP ? nk / 2 : nk;
		b->nkids = f.kids;
		if (n->kind == YNODE_MAP)
			check_duplicates(b, n);
		remember_anchor(b, f.anchor, n, f.weight);
		add_child(b, n, f.weight, &n->loc);
		break;
	}
	case YAML_ALIAS_EVENT: {
		loc_t loc = mark_loc(b, ev->start_mark);
		const char *name = (const char *)ev->data.alias.anchor;
		for (size_t i = b->nanchors; i-- > 0;) {
			if (!strcmp(b->anchors[i].name, name)) {
				b->aliased = true;
				add_child(b, b->anchors[i].node, b->anchors[i].weight, &loc);
				return;
			}
		}
		diag_error_fix(b->d, &loc, "E006", _("đặt giá trị bắt đầu bằng * trong ngoặc kép, ví dụ \"*chú thích\""),
			       _("bí danh \"*%s\" chưa được khai báo"), name);
		b->failed = 1;
		break;
	}
	default:
		break;
	}
}

/* Parses NFC text (see yml_parse); *shared (when not NULL) says whether
 * an alias made a node the child of two. */
static int parse_nfc(arena_t *a, diag_t *d, const char *path, const char *text,
		     size_t len, int line_offset, ynode_t **out, bool *shared)
{
	*out = NULL;
	/* YAML forbids tabs in indentation; libyaml's own message for it is
	 * cryptic, so say it plainly, at the tab. */
	int bad = 0;
	int line = 1;
	/* a file has no tab at all, nearly always: one memchr says so */
	bool tabs = memchr(text, '\t', len) != NULL;
	for (size_t i = 0; tabs && i < len;) {
		size_t j = i;
		while (j < len && (text[j] == ' ' || text[j] == '\t')) {
			if (text[j] == '\t') {
				loc_t loc = { path, line + line_offset, (int)(j - i) + 1 };
				diag_error_fix(d, &loc, "E002", _("thay ký tự tab bằng dấu cách"),
					       _("thụt lề bằng ký tự tab (YAML chỉ thụt lề bằng dấu cách)"));
				bad = 1;
				break;
			}
			j++;
		}
		const char *nl = j < len ? memchr(text + j, '\n', len - j) : NULL;
		j = nl ? (size_t)(nl - text) : len;
		i = j + 1;
		line++;
	}
	if (bad)
		return -1;

	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b = { .a = a, .d = d, .path = path, .line_offset = line_offset };
	int rc = 0, docs = 0;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yerr_report(d, path, text, len, line_offset, &parser);
			rc = -1;
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			loc_t loc = mark_loc(&b, ev.start_mark);
			diag_error_fix(d, &loc, "E007",
				       _("xoá dòng \"---\" thừa; phần khai báo chỉ có một dòng \"---\" mở và một dòng đóng"),
				       _("có nhiều hơn một khối YAML"));
			yaml_event_delete(&ev);
			rc = -1;
			break;
		}
		int done = ev.type == YAML_STREAM_END_EVENT;
		if (!b.failed)
			handle(&b, &ev);
		yaml_event_delete(&ev);
		if (done || b.failed)
			break;
	}
	yaml_parser_delete(&parser);
	free(b.kids);
	free(b.stack);
	free(b.anchors);
	if (b.failed || b.repeated)
		rc = -1;   /* duplicate keys are reported without stopping the parse */
	if (shared)
		*shared = b.aliased;
	if (rc == 0)
		*out = b.root;
	return rc;
}

int yml_parse(arena_t *a, diag_t *d, const char *path, const char *text,
	      size_t len, int line_offset, ynode_t **out)
{
	/* one normalisation of the whole text costs far less than one per
	 * value, and YAML's own syntax is ASCII, which NFC leaves alone */
	size_t nlen;
	char *nfc = text_nfc(text, len, &nlen);
	int rc = parse_nfc(a, d, path, nfc, nlen, line_offset, out, NULL);
	free(nfc);
	return rc;
}

/* Length of the line starting at s (without its newline), and whether it
 * is a front matter fence: "---" followed only by spaces. */
static int is_fence(const char *s, size_t n)
{
	if (n < 3 || memcmp(s, "---", 3) != 0)
		return 0;
	for (size_t i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\r')
			return 0;
	return 1;
}

int fm_parse(arena_t *a, diag_t *d, const char *path, const char *text,
	     size_t len, fm_doc_t *out)
{
	memset(out, 0, sizeof(*out));
	/* one pass checks the UTF-8 and whether the text is already NFC (a
	 * byte order mark is valid, and left out of the second answer) */
	size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	bool is_nfc;
	long bad = text_utf8_scan(text + bom, len - bom, &is_nfc);
	if (bad >= 0) {
		report_utf8(d, path, text, bad + (long)bom);
		return -1;
	}
	text += bom;
	len -= bom;
	/* the YAML is read where it is (libyaml copies what it keeps); only
	 * the body is copied into the arena, where it outlives the text */
	char *nfc = NULL;
	if (!is_nfc) {
		size_t nlen;
		nfc = text_nfc(text, len, &nlen);
		text = nfc;
		len = nlen;
	}
	const char *nl = memchr(text, '\n', len);
	size_t eol = nl ? (size_t)(nl - text) : len;
	const char *body = text;
	size_t body_len = len;
	int body_line = 1;
	int rc = 0;
	if (is_fence(text, eol)) {
		size_t start = eol < len ? eol + 1 : len;
		size_t p = start;
		int line = 2;
		int closed = 0;
		while (p < len) {
			const char *pe = memchr(text + p, '\n', len - p);
			size_t e = pe ? (size_t)(pe - text) : len;
			if (is_fence(text + p, e - p)) {
				closed = 1;
				rc = parse_nfc(a, d, path, text + start, p - start, 1, &out->meta, &out->shared);
				body = text + (e < len ? e + 1 : len);
				body_len = (size_t)(text + len - body);
				body_line = line + 1;
				break;
			}
			p = e + 1;
			line++;
		}
		if (!closed) {
			loc_t loc = { path, 1, 1 };
			diag_error_fix(d, &loc, "E008", _("thêm một dòng \"---\" sau dòng khai báo cuối cùng"),
				       _("phần khai báo (front matter) chưa được đóng: không có dòng \"---\" sau dòng mở đầu"));
			free(nfc);
			return -1;
		}
		if (rc == 0 && out->meta && out->meta->kind != YNODE_MAP) {
			diag_error_fix(d, &out->meta->loc, "E009", _("mỗi dòng viết \"khoá: giá trị\", ví dụ \"title: ...\""),
				       _("phần khai báo phải là các dòng \"khoá: giá trị\""));
			rc = -1;
		}
	}
	out->body = arena_strndup(a, body, body_len);   /* NUL-terminated */
	out->body_len = body_len;
	out->body_line = body_line;
	free(nfc);
	return rc;
}
