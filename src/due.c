/* due.c: deadlines as written (§4) parsed into dates, status words (§5). */
#include "due.h"
#include "hash.h"
#include "text.h"
#include "util.h"

#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- deadline tokens ----------------------------------------------------- */

/* The deadline is read as a sequence of tokens of its search-folded text
 * ("Quý I /2026" -> quy, i, '/', 2026), so case, tone marks and their
 * placement, đ/d and spacing never matter, and the grammar below stays a
 * handful of small functions. */
enum { T_WORD, T_NUM, T_PUNCT };

typedef struct {
	int kind;
	char word[16];	/* T_WORD; longer words become "~" (never keywords) */
	int num;	/* T_NUM */
	int ndig;
	char punct;	/* T_PUNCT: '-' for every dash, '?' for anything odd */
} tok_t;

#define MAX_TOKENS 64

typedef struct {
	tok_t t[MAX_TOKENS];
	size_t n, pos;
} lex_t;

static bool dash(int32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	       c == 0xFE63 || c == 0xFF0D;
}

/* Text pasted from extracted documents keeps simple HTML tags ("<p>Ngày
 * 01/01/2026</p>", "<i>...</i>"); returns the offset past such a tag at
 * s[i] == '<', or i when it is not one. */
static size_t skip_tag(const char *s, size_t i)
{
	size_t e = i + 1;

	if (s[e] == '/')
		e++;
	if (s[e] < 'a' || s[e] > 'z')
		return i;
	while ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= '0' && s[e] <= '9'))
		e++;
	while (s[e] == ' ')
		e++;
	if (s[e] == '/')
		e++;
	return s[e] == '>' ? e + 1 : i;
}

/* Splits folded text into tokens; false when there are too many of them
 * to be a deadline. */
static bool lex(const char *s, lex_t *x)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), i = 0;

	x->n = x->pos = 0;
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0) {
			c = '?';
			k = 1;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    utf8proc_category(c) == UTF8PROC_CATEGORY_ZS) {
			i += (size_t)k;
			continue;
		}
		if (c == '<') {
			size_t e = skip_tag(s, i);
			if (e > i) {
				i = e;
				continue;
			}
		}
		if (x->n == MAX_TOKENS)
			return false;
		tok_t *t = &x->t[x->n++];
		memset(t, 0, sizeof(*t));
		if (c >= 'a' && c <= 'z') {
			size_t e = i, w = 0;
			while (e < len && s[e] >= 'a' && s[e] <= 'z') {
				if (w < sizeof(t->word) - 1)
					t->word[w++] = s[e];
				e++;
			}
			t->kind = T_WORD;
			if (e - i >= sizeof(t->word))
				strcpy(t->word, "~");
			i = e;
		} else if (c >= '0' && c <= '9') {
			t->kind = T_NUM;
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				if (t->ndig < 9)
					t->num = t->num * 10 + (s[i] - '0');
				t->ndig++;
				i++;
			}
		} else {
			t->kind = T_PUNCT;
			t->punct = dash(c) ? '-' : c < 0x80 ? (char)c : '?';
			i += (size_t)k;
		}
	}
	/* "Năm 2025." and "Quý I/2026;" end in punctuation of the sentence */
	while (x->n > 0 && x->t[x->n - 1].kind == T_PUNCT &&
	       strchr(".,;:", x->t[x->n - 1].punct))
		x->n--;
	return true;
}

static bool at_end(const lex_t *x)
{
	return x->pos == x->n;
}

/* Accepts a phrase of one or more space-separated words, all or nothing. */
static bool word(lex_t *x, const char *phrase)
{
	size_t pos = x->pos;
	const char *p = phrase;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (pos == x->n || x->t[pos].kind != T_WORD ||
		    strlen(x->t[pos].word) != n ||
		    memcmp(x->t[pos].word, p, n) != 0)
			return false;
		pos++;
		p += n;
		while (*p == ' ')
			p++;
	}
	x->pos = pos;
	return true;
}

static bool any_word(lex_t *x, const char *const *phrases)
{
	for (size_t i = 0; phrases[i]; i++)
		if (word(x, phrases[i]))
			return true;
	return false;
}

static bool punct(lex_t *x, const char *set)
{
	if (at_end(x) || x->t[x->pos].kind != T_PUNCT ||
	    !strchr(set, x->t[x->pos].punct))
		return false;
	x->pos++;
	return true;
}

static bool num(lex_t *x, int mind, int maxd, int *v)
{
	if (at_end(x) || x->t[x->pos].kind != T_NUM ||
	    x->t[x->pos].ndig < mind || x->t[x->pos].ndig > maxd)
		return false;
	*v = x->t[x->pos++].num;
	return true;
}

/* ---- deadline grammar ---------------------------------------------------- */

/* Words that may precede a deadline without changing it: "Hoàn thành trong
 * năm 2025", "Trước ngày 20/12/2025", "Đến hết quý I/2026", "Thời hạn: ...". */
static const char *const fillers[] = {
	"hoan thanh", "thoi han", "thoi gian", "trong", "truoc", "den",
	"toi", "het", "cham nhat", "vao", "ngay", "cuoi", NULL
};

/* Openings that make the whole deadline recurring or conditional, whatever
 * follows ("Khi có các khóa đào tạo", "Theo kế hoạch của tỉnh"). */
static const char *const ongoing_heads[] = {
	"thuong xuyen", "nhiem vu thuong xuyen", "hang nam", "hang quy",
	"hang thang", "hang tuan", "hang ngay", "moi nam", "dinh ky",
	"lien tuc", "khi", "sau khi", "theo", NULL
};

/* What may follow a date to say the work goes on afterwards ("Năm 2025 và
 * thường xuyên", "Năm 2025 và những năm tiếp theo"). */
static const char *const ongoing_tails[] = {
	"thuong xuyen", "nhung nam", "cac nam", "tiep theo", "hang nam",
	"hang quy", "hang thang", "moi nam", "lien tuc", "duy tri",
	"dinh ky", NULL
};

/* A period with no year of its own but one relative to each year ("Quý IV
 * của năm trước" for next year's plan): recurring, no deadline. */
static const char *const relative_years[] = {
	"nam truoc", "nam sau", "hang nam", "moi nam", "cac nam", NULL
};

static bool relative_year(lex_t *x)
{
	size_t save = x->pos;
	word(x, "cua");
	if (any_word(x, relative_years))
		return true;
	x->pos = save;
	return false;
}

/* The glue between a month or quarter and its year: "/2026", " /2026",
 * " năm 2025", "/năm 2025", "-2025", or nothing ("Quý IV 2025"). */
static bool year_after(lex_t *x, int *y)
{
	size_t save = x->pos;
	punct(x, "/-.");
	word(x, "nam");
	if (num(x, 4, 4, y))
		return true;
	x->pos = save;
	return false;
}

static bool quarter(lex_t *x, int *q)
{
	static const char *const roman[] = { "i", "ii", "iii", "iv", NULL };

	for (int i = 0; roman[i]; i++)
		if (word(x, roman[i])) {
			*q = i + 1;
			return true;
		}
	size_t save = x->pos;
	if (num(x, 1, 2, q) && *q >= 1 && *q <= 4)
		return true;
	x->pos = save;
	return false;
}

/* One period, as its end date; *rel set (and *d 0) for a relative one. */
static bool period(lex_t *x, date_t *d, bool *rel)
{
	size_t save = x->pos;
	int a, b, c;

	*d = 0;
	*rel = false;

	/* 15/12/2025, 1/7/2025, 15-12-2025, 15.12.2025 (one separator) */
	if (num(x, 1, 2, &a) && punct(x, "/-.")) {
		char sep = x->t[x->pos - 1].punct;
		char set[2] = { sep, '\0' };
		if (num(x, 1, 2, &b) && punct(x, set) && num(x, 4, 4, &c)) {
			if (!date_valid(c, b, a))
				return false;
			*d = date_make(c, b, a);
			return true;
		}
	}
	x->pos = save;

	/* 2025-12-15 */
	if (num(x, 4, 4, &a) && punct(x, "-") && num(x, 1, 2, &b) &&
	    punct(x, "-") && num(x, 1, 2, &c)) {
		if (!date_valid(a, b, c))
			return false;
		*d = date_make(a, b, c);
		return true;
	}
	x->pos = save;

	/* 15 tháng 12 năm 2025 */
	if (num(x, 1, 2, &a) && word(x, "thang") && num(x, 1, 2, &b) &&
	    year_after(x, &c)) {
		if (!date_valid(c, b, a))
			return false;
		*d = date_make(c, b, a);
		return true;
	}
	x->pos = save;

	/* Tháng 11/2025, tháng 11 năm 2025; "tháng 12 hằng năm" */
	if (word(x, "thang") && num(x, 1, 2, &a) && a >= 1 && a <= 12) {
		if (year_after(x, &b)) {
			*d = date_month_end(b, a);
			return true;
		}
		if (relative_year(x)) {
			*rel = true;
			return true;
		}
	}
	x->pos = save;

	/* Quý III/2025, Quý 3/2025, Quý I /2026, Quý IV năm 2025;
	 * Quý IV của năm trước */
	if (word(x, "quy") && quarter(x, &a)) {
		if (year_after(x, &b)) {
			*d = date_month_end(b, a * 3);
			return true;
		}
		if (relative_year(x)) {
			*rel = true;
			return true;
		}
	}
	x->pos = save;

	/* 6 tháng đầu năm 2025 (end of June), 6 tháng cuối năm 2025 (end of
	 * the year); likewise 9 tháng đầu năm */
	if (num(x, 1, 2, &a) && a >= 1 && a <= 12 && word(x, "thang")) {
		bool first = word(x, "dau");
		if ((first || word(x, "cuoi")) && year_after(x, &b)) {
			*d = first ? date_month_end(b, a) : date_month_end(b, 12);
			return true;
		}
	}
	x->pos = save;

	/* Năm 2025, 2025, Giai đoạn 2026-2030, 2025 - 2026, năm 2025 và 2026,
	 * từ 2025 đến 2030: the end of the last year */
	/* "Từ năm 2025" alone is a start, not a deadline: "từ" needs an end */
	bool from = word(x, "tu");
	word(x, "giai doan");
	word(x, "nam");
	if (num(x, 4, 4, &a)) {
		size_t mid = x->pos;
		bool range = punct(x, "-") || word(x, "den") || word(x, "toi") ||
			     word(x, "va");
		word(x, "nam");
		if (range && num(x, 4, 4, &b)) {
			if (b < a)
				return false;
			a = b;
		} else if (from) {
			return false;
		} else {
			x->pos = mid;	/* "Năm 2025 và thường xuyên" */
		}
		*d = date_month_end(a, 12);
		return true;
	}
	x->pos = save;

	/* 11/2025, 12-2025: month and year without the word "tháng" */
	if (num(x, 1, 2, &a) && a >= 1 && a <= 12 && punct(x, "/-.") &&
	    num(x, 4, 4, &b)) {
		*d = date_month_end(b, a);
		return true;
	}
	x->pos = save;
	return false;
}

static int due_parse_text(const char *text, due_t *out);

/* A plan writes the same few deadlines over and over ("Năm 2025",
 * "Thường xuyên"): each thread remembers the short ones it parsed last,
 * by a hash of the text, in slots of its own. */
enum { DUE_SLOTS = 256, DUE_TEXT = 48 };
static _Thread_local struct due_slot {
	char text[DUE_TEXT];    /* "" for an empty slot */
	due_t due;
	int rc;
} due_memo[DUE_SLOTS];

int due_parse(const char *text, due_t *out)
{
	size_t n = text ? strlen(text) : 0;
	if (!n || n >= DUE_TEXT)
		return due_parse_text(text, out);
	struct due_slot *m = &due_memo[hash_bytes(text, n) % DUE_SLOTS];
	if (strcmp(m->text, text)) {
		m->rc = due_parse_text(text, &m->due);
		memcpy(m->text, text, n + 1);
	}
	*out = m->due;
	return m->rc;
}

static int due_parse_text(const char *text, due_t *out)
{
	lex_t *x = xmalloc(sizeof(*x));
	char *fold = NULL;
	date_t d;
	bool rel;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!text)
		goto out;
	fold = text_search_fold(text);
	if (!lex(fold, x) || x->n == 0)
		goto out;

	while (any_word(x, fillers) || punct(x, ":"))
		;
	if (any_word(x, ongoing_heads)) {
		out->ongoing = true;
		out->parsed = true;
		rc = 0;
		goto out;
	}
	if (!period(x, &d, &rel))
		goto out;
	if (!at_end(x)) {
		/* only "then ongoing" may follow a date */
		punct(x, ",;-(");
		word(x, "va");
		if (!any_word(x, ongoing_tails))
			goto out;
		out->ongoing = true;
	}
	out->date = d;
	out->ongoing = out->ongoing || rel;
	out->parsed = true;
	rc = 0;
out:
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	free(fold);
	free(x);
	return rc;
}

/* Appends v to *p as printf's "%d" (width 2: "%02d") would. */
static void put_int(char **p, int v, int width)
{
	char d[16];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do {
		d[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*(*p)++ = '-';
	for (int k = n; k < width; k++)
		*(*p)++ = '0';
	while (n)
		*(*p)++ = d[--n];
}

bool due_text_exact(const char *text, date_t date)
{
	if (!date || !text)
		return false;
	int y, m, d;
	date_split(date, &y, &m, &d);
	/* "%d/%d/%d", "%02d/%02d/%d" and "%d-%02d-%02d", by hand: every task
	 * of every version of every plan in the history asks */
	char f[3][48], *p;
	p = f[0];
	put_int(&p, d, 0), *p++ = '/', put_int(&p, m, 0), *p++ = '/', put_int(&p, y, 0), *p = 0;
	p = f[1];
	put_int(&p, d, 2), *p++ = '/', put_int(&p, m, 2), *p++ = '/', put_int(&p, y, 0), *p = 0;
	p = f[2];
	put_int(&p, y, 0), *p++ = '-', put_int(&p, m, 2), *p++ = '-', put_int(&p, d, 2), *p = 0;
	for (int i = 0; i < 3; i++)
		if (strstr(text, f[i]))
			return true;
	return false;
}

/* ---- status -------------------------------------------------------------- */

static const char *const status_ids[STATUS_COUNT] = {
	"not_started", "in_progress", "done", "cancelled"
};

static const char *const status_labels[STATUS_COUNT] = {
	"Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Đã hủy"
};

/* The words editors write, beyond the ids and the labels above. */
static const struct {
	const char *word;
	status_t status;
} status_words[] = {
	{ "Chưa triển khai", STATUS_NOT_STARTED },
	{ "Đang triển khai", STATUS_IN_PROGRESS },
	{ "Đã hoàn thành", STATUS_DONE },
	{ "Hủy", STATUS_CANCELLED },
	{ "Dừng thực hiện", STATUS_CANCELLED },
	{ "Đã dừng thực hiện", STATUS_CANCELLED },
	{ "canceled", STATUS_CANCELLED },
};

#define NWORDS (sizeof(status_words) / sizeof(status_words[0]))

/* The name keys of the ids, the labels and the words, made once: every
 * task of every version of every plan has a status to read. */
static struct {
	char *key;
	status_t status;
} status_keys[2 * STATUS_COUNT + NWORDS];
static pthread_once_t status_once = PTHREAD_ONCE_INIT;

static void status_keys_make(void)
{
	size_t n = 0;
	for (int i = 0; i < STATUS_COUNT; i++) {
		status_keys[n].key = text_name_key(status_ids[i]);
		status_keys[n++].status = (status_t)i;
		status_keys[n].key = text_name_key(status_labels[i]);
		status_keys[n++].status = (status_t)i;
	}
	for (size_t i = 0; i < NWORDS; i++) {
		status_keys[n].key = text_name_key(status_words[i].word);
		status_keys[n++].status = status_words[i].status;
	}
}

int status_parse(const char *s, status_t *out)
{
	if (!s)
		return -1;
	/* most are written as an id or a label, exactly */
	for (int i = 0; i < STATUS_COUNT; i++)
		if (!strcmp(s, status_ids[i]) || !strcmp(s, status_labels[i])) {
			*out = (status_t)i;
			return 0;
		}
	pthread_once(&status_once, status_keys_make);
	char *key = text_name_key(s);
	int rc = -1;
	for (size_t i = 0; i < sizeof(status_keys) / sizeof(status_keys[0]) && rc; i++)
		if (!strcmp(key, status_keys[i].key)) {
			*out = status_keys[i].status;
			rc = 0;
		}
	free(key);
	return rc;
}

const char *status_id(status_t s)
{
	return (unsigned)s < STATUS_COUNT ? status_ids[s] : "";
}

const char *status_label_vi(status_t s)
{
	return (unsigned)s < STATUS_COUNT ? status_labels[s] : "";
}

/* ---- derived flags ------------------------------------------------------- */

bool due_overdue(const due_t *due, status_t st, date_t as_of)
{
	if (!due || !due->date || st == STATUS_DONE || st == STATUS_CANCELLED)
		return false;
	/* "Năm 2025 và thường xuyên": once started, the work is the ongoing
	 * part, which has no end to miss. */
	if (due->ongoing && st != STATUS_NOT_STARTED)
		return false;
	return due->date < as_of;
}

bool due_done_late(const due_t *due, status_t st, date_t completed)
{
	return due && due->date && st == STATUS_DONE && completed &&
	       completed > due->date;
}
