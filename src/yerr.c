/* yerr.c: libyaml's syntax errors in an editor's terms.  libyaml says what
 * its grammar expected ("did not find expected key while parsing a block
 * mapping"); an editor needs the line, the mistake (indentation, a quote, a
 * colon inside a value) and the line to write instead. */
#include "yerr.h"

#include <string.h>

#include "util.h"

/* One line of the text, 1-based; the indentation counts spaces. */
struct line {
	const char *s;
	size_t len;
	int indent;
};

static struct line line_at(const char *text, size_t len, size_t no)
{
	struct line l = { "", 0, 0 };
	size_t i = 0;
	for (size_t n = 1; n < no && i < len; i++)
		if (text[i] == '\n')
			n++;
	if (i > len)
		return l;
	l.s = text + i;
	while (i + l.len < len && text[i + l.len] != '\n' && text[i + l.len] != '\r')
		l.len++;
	while ((size_t)l.indent < l.len && l.s[l.indent] == ' ')
		l.indent++;
	return l;
}

/* Byte offset in l of character column col (1-based). */
static size_t col_off(struct line l, int col)
{
	size_t i = 0;
	for (int c = 1; c < col && i < l.len; c++) {
		i++;
		while (i < l.len && ((unsigned char)l.s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* Where the value of a "key: value" or "- value" line starts (byte
 * offset), and the key part before it; -1 when the line has neither. */
static long value_start(struct line l)
{
	size_t i = (size_t)l.indent;
	if (i + 1 < l.len && l.s[i] == '-' && l.s[i + 1] == ' ') {
		i += 2;
		while (i < l.len && l.s[i] == ' ')
			i++;
	}
	if (i < l.len && l.s[i] != '"' && l.s[i] != '\'') {
		for (size_t j = i; j + 1 < l.len; j++)
			if (l.s[j] == ':' && l.s[j + 1] == ' ') {
				i = j + 2;
				while (i < l.len && l.s[i] == ' ')
					i++;
				break;
			}
	}
	return i < l.len ? (long)i : -1;
}

/* The line rewritten with its value in quotes: single quotes when asked
 * or when the value holds a double quote, double quotes otherwise; a value
 * already quoted at both ends is unwrapped first. */
static const char *quoted(diag_t *d, struct line l, long vs, int single)
{
	const char *v = l.s + vs;
	size_t n = l.len - (size_t)vs;
	while (n && v[n - 1] == ' ')
		n--;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	int dq = single || memchr(v, '"', n) != NULL;
	buf_t b = BUF_INIT;
	buf_put(&b, l.s + l.indent, (size_t)vs - (size_t)l.indent);
	buf_putc(&b, dq ? '\'' : '"');
	for (size_t i = 0; i < n; i++) {
		if (dq && v[i] == '\'')
			buf_putc(&b, '\'');           /* '' is a quote inside '...' */
		else if (!dq && v[i] == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, v[i]);
	}
	buf_putc(&b, dq ? '\'' : '"');
	const char *s = diag_str(d, "%s", b.ptr);
	buf_free(&b);
	return s;
}

/* The last line before no that is not blank or a comment, or 0. */
static size_t prev_line(const char *text, size_t len, size_t no)
{
	while (no-- > 1) {
		struct line l = line_at(text, len, no);
		if ((size_t)l.indent < l.len && l.s[l.indent] != '#')
			return no;
	}
	return 0;
}

/* Reports line no when it is "key:value" without the space: the colon is
 * before any quote and is followed by something.  Returns 1 if so. */
static int no_space_after_colon(diag_t *d, const char *path, const char *text, size_t len,
				size_t no, int line_offset)
{
	struct line l = line_at(text, len, no);
	size_t i = (size_t)l.indent;
	if (i + 1 < l.len && l.s[i] == '-' && l.s[i + 1] == ' ')
		i += 2;
	for (size_t k = i; k + 1 < l.len && l.s[k] != '"' && l.s[k] != '\'' && l.s[k] != ' '; k++) {
		if (l.s[k] != ':' || l.s[k + 1] == ' ' || k == i)
			continue;
		loc_t loc = { path, (int)no + line_offset, (int)k + 2 };
		diag_error_fix(d, &loc, "E016",
			       diag_str(d, _("viết: %.*s: %.*s"), (int)(k - (size_t)l.indent), l.s + l.indent,
					(int)(l.len - k - 1), l.s + k + 1),
			       _("dòng %d thiếu dấu cách sau dấu hai chấm"), (int)no + line_offset);
		return 1;
	}
	return 0;
}

static int is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

void yerr_report(diag_t *d, const char *path, const char *text, size_t len, int line_offset,
		 const yaml_parser_t *p)
{
	yaml_mark_t pm = p->problem_mark, cm = p->context_mark;
	const char *problem = p->problem ? p->problem : "";
	const char *context = p->context;
	if (p->error == YAML_READER_ERROR) {
		/* the reader reports a byte offset, not a mark */
		size_t off = p->problem_offset < len ? p->problem_offset : len;
		pm.line = 0;
		pm.column = 0;
		for (size_t i = 0; i < off; i++) {
			if (text[i] == '\n') {
				pm.line++;
				pm.column = 0;
			} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
				pm.column++;
			}
		}
	}
	size_t pno = pm.line + 1, cno = cm.line + 1;
	int pcol = (int)pm.column + 1, ccol = (int)cm.column + 1;
	struct line pl = line_at(text, len, pno), cl = line_at(text, len, cno);
	loc_t loc = { path, (int)pno + line_offset, pcol };
	loc_t cloc = { path, (int)cno + line_offset, ccol };
	int shown = (int)pno + line_offset;   /* the line number the editor sees */
	long vs = value_start(pl);
	size_t po = col_off(pl, pcol);
	char at = po < pl.len ? pl.s[po] : '\0';

	if (p->error == YAML_READER_ERROR) {
		diag_error_fix(d, &loc, "E019",
			       _("xoá ký tự này (thường lẫn vào khi chép từ Word hoặc PDF)"),
			       _("ký tự điều khiển không in được (mã 0x%02X)"), (unsigned)p->problem_value);
		return;
	}
	if (is(context, "while scanning a quoted scalar")) {
		char q = cl.len > col_off(cl, ccol) ? cl.s[col_off(cl, ccol)] : '"';
		diag_error_fix(d, &cloc, "E013",
			       diag_str(d, _("thêm dấu %c ở cuối giá trị, trên cùng dòng %d"), q,
					(int)cno + line_offset),
			       _("dấu ngoặc %c mở giá trị ở đây nhưng không được đóng"), q);
		return;
	}
	if (is(problem, "found unknown escape character")) {
		diag_error_fix(d, &loc, "E014",
			       vs >= 0 ? diag_str(d, _("viết trong ngoặc đơn: %s"), quoted(d, pl, vs, 1))
				       : _("dùng ngoặc đơn '...' thay cho ngoặc kép"),
			       _("trong ngoặc kép, dấu \\ bắt đầu một ký tự đặc biệt, và \"\\%c\" không phải ký tự nào"),
			       po + 1 < pl.len ? pl.s[po + 1] : '?');
		return;
	}
	/* a value that starts with a character YAML reserves */
	char first = vs >= 0 ? pl.s[vs] : '\0';
	if (is(problem, "found character that cannot start any token") ||
	    is(context, "while scanning an anchor") || is(context, "while scanning an alias") ||
	    is(context, "while scanning a tag") || is(context, "while scanning a block scalar") ||
	    (is(problem, "did not find expected key") && (first == '*' || first == '&'))) {
		char c = first && strchr("*&!|>@`%", first) ? first : at;
		diag_error_fix(d, &loc, "E015",
			       vs >= 0 ? diag_str(d, _("đặt giá trị trong ngoặc kép: %s"), quoted(d, pl, vs, 0))
				       : _("đặt giá trị trong ngoặc kép"),
			       _("giá trị không được bắt đầu bằng ký tự %c (YAML dành ký tự này cho việc khác)"),
			       c ? c : '?');
		return;
	}
	/* text after a closing quote or bracket on the same line */
	if (is(problem, "did not find expected key") && pcol > 1) {
		size_t i = po;
		while (i > 0 && pl.s[i - 1] == ' ')
			i--;
		char before = i > 0 ? pl.s[i - 1] : '\0';
		if (before && strchr("\"']}", before) && vs >= 0 && (size_t)vs < po) {
			diag_error_fix(d, &loc, "E012",
				       diag_str(d, _("đặt cả giá trị trong ngoặc: %s"), quoted(d, pl, vs, 0)),
				       _("còn chữ sau dấu %c đóng giá trị"), before);
			return;
		}
	}
	/* "title:abc" (a colon without the space after it) makes one plain
	 * word of the line, and libyaml stops on the line after it */
	size_t nsno = is(problem, "could not find expected ':'") ? cno
		      : is(problem, "mapping values are not allowed in this context") ? prev_line(text, len, pno)
		      : 0;
	if (nsno && no_space_after_colon(d, path, text, len, nsno, line_offset))
		return;
	if (is(problem, "mapping values are not allowed in this context")) {
		/* a second ": " on a line whose key already has one is inside the
		 * value; else the line is indented under a key that has a value */
		if (vs >= 0 && (size_t)vs <= po) {
			diag_error_fix(d, &loc, "E011",
				       diag_str(d, _("đặt giá trị trong ngoặc kép: %s"), quoted(d, pl, vs, 0)),
				       _("giá trị có dấu hai chấm và dấu cách \": \", YAML hiểu thành một khoá mới"));
			return;
		}
		size_t prev = prev_line(text, len, pno);
		struct line ql = line_at(text, len, prev);
		loc.col = pl.indent + 1;
		diag_error_fix(d, &loc, "E010",
			       diag_str(d, _("thụt dòng %d vào %d dấu cách, thẳng cột với dòng %d"), shown,
					ql.indent, (int)prev + line_offset),
			       _("dòng %d thụt vào sâu hơn dòng %d, mà khoá ở dòng đó đã có giá trị"), shown,
			       (int)prev + line_offset);
		return;
	}
	if (is(problem, "could not find expected ':'")) {
		size_t prev = prev_line(text, len, cno);
		struct line ql = line_at(text, len, prev);
		int in_list = prev && ql.indent + 1 < (int)ql.len && ql.s[ql.indent] == '-' &&
			      ql.s[ql.indent + 1] == ' ' && ql.indent == cl.indent;
		int shown_c = (int)cno + line_offset;
		diag_error_fix(d, &cloc, "E016",
			       in_list ? diag_str(d, _("viết \"- %.*s\" nếu đây là một mục nữa của danh sách"),
						  (int)(cl.len - (size_t)cl.indent), cl.s + cl.indent)
				       : _("viết \"khoá: giá trị\"; nếu đây là phần tiếp của giá trị dòng trên, viết cả giá trị trên một dòng"),
			       _("dòng %d không có dấu hai chấm \":\" sau tên khoá"), shown_c);
		return;
	}
	if (is(problem, "block sequence entries are not allowed in this context")) {
		diag_error_fix(d, &loc, "E017",
			       _("xuống dòng sau dấu hai chấm rồi viết \"- ...\" thụt vào hai dấu cách, hoặc đặt giá trị trong ngoặc kép"),
			       _("\"- \" đứng sau dấu hai chấm trên cùng dòng không tạo được danh sách"));
		return;
	}
	if (is(context, "while parsing a flow sequence") || is(context, "while parsing a flow mapping")) {
		int sq = is(context, "while parsing a flow sequence");
		diag_error_fix(d, &cloc, "E018",
			       sq ? _("đóng bằng \"]\" trên cùng dòng, tách các mục bằng dấu phẩy; nếu ngoặc là một phần của chữ, đặt cả giá trị trong ngoặc kép")
				  : _("đóng bằng \"}\" trên cùng dòng; nếu ngoặc là một phần của chữ, đặt cả giá trị trong ngoặc kép"),
			       _("dấu %c mở ở đây chưa được đóng đúng cách"), sq ? '[' : '{');
		return;
	}
	if (is(problem, "did not find expected '-' indicator")) {
		/* the keys of the list's items line up after "- " */
		size_t k = col_off(cl, ccol) + 1;
		while (k < cl.len && cl.s[k] == ' ')
			k++;
		int keycol = (int)k;
		loc.col = pl.indent + 1;
		diag_error_fix(d, &loc, "E010",
			       diag_str(d, _("thụt dòng %d vào %d dấu cách (thẳng cột với khoá sau \"- \" ở dòng %d), hoặc viết \"- \" ở cột %d nếu là mục mới"),
					shown, keycol, (int)cno + line_offset, ccol),
			       _("dòng %d thụt lề không khớp với danh sách bắt đầu ở dòng %d"), shown,
			       (int)cno + line_offset);
		return;
	}
	if (is(problem, "did not find expected key") && pl.indent != (int)cm.column) {
		loc.col = pl.indent + 1;
		diag_error_fix(d, &loc, "E010",
			       diag_str(d, _("thụt dòng %d vào %d dấu cách, thẳng cột với dòng %d"), shown,
					(int)cm.column, (int)cno + line_offset),
			       _("dòng %d thụt %d dấu cách, không thẳng cột với các khoá của khối bắt đầu ở dòng %d"),
			       shown, pl.indent, (int)cno + line_offset);
		return;
	}
	if (is(problem, "did not find expected key") && at == '-') {
		diag_error_fix(d, &loc, "E010",
			       _("nếu đây là mục của một danh sách, để trống sau dấu hai chấm của khoá phía trên và thụt \"- \" vào hai dấu cách"),
			       _("dòng %d bắt đầu bằng \"- \" nhưng không nằm dưới một khoá mở danh sách"), shown);
		return;
	}
	diag_error_fix(d, &loc, "E019", _("kiểm tra thụt lề và dấu ngoặc của dòng này và dòng trên"),
		       _("dòng %d không đúng cú pháp YAML (%s%s%s)"), shown, problem,
		       context ? " " : "", context ? context : "");
}
