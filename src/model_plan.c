/* model_plan.c: one plan file built into a plan: its front matter's
 * fields, groups, tasks and indicators, every required field checked and
 * located. */
#include "model.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "model_fields.h"
#include "model_int.h"
#include "pcache.h"
#include "text.h"

/* Sets *clamped when the value was outside 0..100 (and reported). */
static int progress_of(model_ctx_t *c, const ynode_t *n, bool *clamped)
{
	*clamped = false;
	const char *s = model_scalar(c->d, n, "progress");
	if (!s)
		return -1;
	char *end;
	const char *t = s;
	long v = strtol(t, &end, 10);
	while (*end == ' ')
		end++;
	if (*end == '%')
		end++;
	if (end == t || *end) {
		diag_error_fix(c->d, &n->loc, "E027", _("viết một số từ 0 đến 100, không có dấu %"),
			       _("progress \"%s\" không phải là số"), s);
		return -1;
	}
	if (v < 0 || v > 100) {
		diag_warning_fix(c->d, &n->loc, "W011", _("viết một số từ 0 đến 100"),
				 _("progress %ld nằm ngoài khoảng 0..100"), v);
		v = v < 0 ? 0 : 100;
		*clamped = true;
	}
	return (int)v;
}

/* due_parse, remembered by each parse worker (with its texts,
 * model_int.h) by the address of the kept text: model_str keeps one copy
 * of each text, so one address is one text while the worker's arena lives.
 * 1,050 distinct deadlines among 40,978 tasks at 1k plans; due.c's memo
 * of 256 slots by a hash of the bytes missed 8,465 of them (4,300
 * instructions a parse). */
struct due_memo {
	due_t due;
	int rc;
};

static int parse_due(model_ctx_t *c, const char *text, due_t *out)
{
	mtexts_t *t = c->strs;
	if (!t)
		return due_parse(text, out);
	void **slot = addrmap_slot(&t->due, text);
	struct due_memo *m = *slot;
	if (!m) {
		m = *slot = xmalloc(sizeof(*m));
		m->rc = due_parse(text, &m->due);
	}
	*out = m->due;
	return m->rc;
}

/* A deadline as written, read into a date when it can be (due.c). */
static void read_deadline(model_ctx_t *c, task_t *t, const field_t *f, const ynode_t *dn)
{
	t->due_text = model_str(c, dn, f->key);
	if (dn)
		t->due_at = model_pos(&dn->loc);
	if (t->due_text && parse_due(c, t->due_text, &t->due) < 0)
		diag_warning_fix(c->d, &dn->loc, "W012",
				 _("viết ví dụ \"30/6/2026\", \"Quý III/2026\", \"Năm 2026\" hoặc \"Thường xuyên\""),
				 _("thời hạn \"%s\" không đọc được thành ngày; giữ nguyên chữ, không tính hạn"),
				 t->due_text);
}

/* due_date: the deadline's day when the text does not say it (after due). */
static void read_due_date(model_ctx_t *c, task_t *t, const field_t *f, const ynode_t *ddn)
{
	if (!ddn)
		return;
	date_t dd = model_date(c, ddn, f->key);
	if (dd) {
		t->due.date = dd;
		t->due.parsed = true;
		t->due.ongoing = false;
		if (!t->due_text)
			t->due_at = model_pos(&ddn->loc);
	}
}

/* A task's status: an id or its Vietnamese words; not_started when absent. */
static status_t read_status(model_ctx_t *c, const field_t *f, const ynode_t *sn)
{
	const char *st = model_str(c, sn, f->key);
	status_t v = STATUS_NOT_STARTED;
	if (st && status_parse(st, &v) < 0)
		diag_error_fix(c->d, &sn->loc, "E031",
			       _("viết not_started, in_progress, done, cancelled hoặc chưa thực hiện, đang thực hiện, hoàn thành, đã huỷ"),
			       _("trạng thái \"%s\" không hợp lệ"), st);
	return v;
}

/* What reading a record's fields learnt that its own checks need. */
struct reading {
	bool progress_clamped;   /* a progress outside 0..100 was reported */
};

/* The most rows a record's table has (model_fields.c). */
enum { ROWS = 64 };

/* The rows of the task fields parse_task looks at again. */
static struct {
	size_t group, lead, source, status, completed, progress;
} trow;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static size_t task_row(const char *key)
{
	size_t n;
	const field_t *fs = model_fields_of(FIELD_TASK, &n);
	for (size_t i = 0; i < n; i++)
		if (fs[i].key && !strcmp(fs[i].key, key))
			return i;
	abort();   /* model_fields.c lost a row this file reads */
}

static void find_rows(void)
{
	for (int o = 0; o < FIELD_OWNERS; o++) {
		size_t n;
		model_fields_of((field_owner_t)o, &n);
		if (n > ROWS)
			abort();   /* a table of model_fields.c outgrew ROWS */
	}
	trow.group = task_row("group");
	trow.lead = task_row("lead");
	trow.source = task_row("source");
	trow.status = task_row("status");
	trow.completed = task_row("completed");
	trow.progress = task_row("progress");
}

/* vals[i] set to the value of the key of fs[i] in map m (NULL when m has
 * none); returns how many of m's keys no row names (model_params' keys).
 * One pass over m's keys, each looked for from the row after the one found
 * last: the rows are in the order files write the keys, so a key is found
 * at the first or second look, and a field a record leaves out costs
 * nothing (a ynode_get per field read every key of the record for it). */
static size_t match_rows(const field_t *fs, size_t n, const ynode_t *m, const ynode_t **vals)
{
	memset(vals, 0, n * sizeof(*vals));
	if (!m || m->kind != YNODE_MAP)
		return 0;
	size_t unknown = 0, next = 0;
	for (size_t i = 0; i < m->n; i++) {
		const ynode_t *k = ynode_key(m, i);
		size_t j = next, looked = 0;
		if (k->kind == YNODE_SCALAR)
			for (; looked < n; looked++, j = j + 1 < n ? j + 1 : 0)
				if (fs[j].key && fs[j].key[0] == k->str[0] && !strcmp(fs[j].key, k->str))
					break;
		if (k->kind != YNODE_SCALAR || looked == n) {
			unknown++;
			continue;
		}
		if (!vals[j])   /* the first, as ynode_get (a parsed map repeats none) */
			vals[j] = ynode_val(m, i);
		next = j + 1 < n ? j + 1 : 0;
	}
	return unknown;
}

/* The fields of a record that are read by their kind (the rows of
 * model_fields.c not marked own): texts, dates, unit names, lists, and the
 * kinds with rules of their own (deadline, status, progress), each through
 * its one function; each required field reported when missing (at the
 * record, m).  `id` names the record in those messages.  *extra gets the
 * record's extra[] texts.  vals (ROWS) gets each row's value (match_rows);
 * returns how many keys of m no row names. */
static size_t parse_fields(model_ctx_t *c, field_owner_t o, void *rec, const char ***extra,
			   const ynode_t *m, const char *const *id, struct reading *r,
			   const ynode_t **vals)
{
	size_t n, ne = model_fields_extra_count(o);
	const field_t *fs = model_fields_of(o, &n);
	*extra = ne ? arena_alloc(c->a, ne * sizeof(**extra)) : NULL;
	pthread_once(&rows_once, find_rows);
	size_t unknown = match_rows(fs, n, m, vals);
	for (size_t i = 0; i < n; i++) {
		const field_t *f = &fs[i];
		if (!f->key || f->own)
			continue;
		const ynode_t *v = vals[i];
		char *at = (char *)rec + f->off;
		switch (f->kind) {
		case FIELD_TEXT: {
			const char *t = model_str(c, v, f->key);
			*model_fields_text_ref(rec, o, f) = t;
			if (!t && f->req)
				diag_report(c->d, &m->loc, 1, f->req->code, _(f->req->fix),
					    _(f->req->msg), id && *id ? *id : "");
			break;
		}
		case FIELD_DATE:
			*(date_t *)at = model_date(c, v, f->key);
			break;
		case FIELD_UNITS:
			model_urefs(c, v, f->key, (urefs_t *)at);
			break;
		case FIELD_UNIT: {
			const char *name = model_str(c, v, f->key);
			if (name) {
				*(uref_t *)at = (uref_t){ name, NULL, model_pos(&v->loc) };
				*(bool *)((char *)rec + f->off2) = true;
			}
			break;
		}
		case FIELD_DEADLINE:
			read_deadline(c, rec, f, v);
			break;
		case FIELD_DUE_DATE:
			read_due_date(c, rec, f, v);
			break;
		case FIELD_STATUS:
			*(status_t *)at = read_status(c, f, v);
			break;
		case FIELD_PROGRESS:
			*(int *)at = progress_of(c, v, &r->progress_clamped);
			break;
		case FIELD_LIST:
		case FIELD_IMPLEMENTS:
			*(str_t **)at = model_strs(c, v, f->key, (size_t *)((char *)rec + f->off2));
			break;
		default:
			/* the record's own code reads it (model_plan.c) */
			break;
		}
	}
	return unknown;
}

static const char *type_from_number(const char *number)
{
	static const struct { const char *code, *name; } codes[] = {
		{ "KH", "Kế hoạch" }, { "NQ", "Nghị quyết" }, { "QĐ", "Quyết định" },
		{ "QD", "Quyết định" }, { "TB", "Thông báo" }, { "CT", "Chỉ thị" },
		{ "CTR", "Chương trình" }, { "HD", "Hướng dẫn" }, { "BC", "Báo cáo" },
		{ "KL", "Kết luận" }, { "TTR", "Tờ trình" }, { "CV", "Công văn" },
		{ "ĐA", "Đề án" }, { "DA", "Đề án" }, { "QC", "Quy chế" },
	};
	if (!number)
		return NULL;
	char *key = text_docnum_key(number);
	const char *found = NULL;
	/* the type code is one of the segments between '-' and '/' */
	char *save = NULL;
	for (char *tok = strtok_r(key, "-/", &save); tok && !found; tok = strtok_r(NULL, "-/", &save))
		for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
			if (!strcmp(tok, codes[i].code))
				found = codes[i].name;
	free(key);
	return found;
}

static void parse_groups(model_ctx_t *c, plan_t *p, const ynode_t *n)
{
	if (!n || ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		diag_error_fix(c->d, &n->loc, "E023", _("mỗi nhóm một dòng \"- id: ...\" kèm \"title: ...\""),
			       _("\"groups\" phải là một danh sách"));
		return;
	}
	p->groups = arena_alloc(c->a, (n->n + 1) * sizeof(group_t));
	static const char *const known[] = { "id", "title", NULL };
	for (size_t i = 0; i < n->n; i++) {
		const ynode_t *g = n->kids[i];
		if (g->kind != YNODE_MAP) {
			diag_error_fix(c->d, &g->loc, "E024", _("viết \"- id: I\" và dưới đó \"title: ...\""),
				       _("mỗi nhóm phải có id và title"));
			continue;
		}
		group_t *gr = &p->groups[p->ngroups];
		gr->loc = g->loc;
		gr->id = model_str(c, ynode_get(g, "id"), "id");
		gr->title = model_str(c, ynode_get(g, "title"), "title");
		model_params(c, g, known);
		if (!gr->id) {
			diag_error_fix(c->d, &g->loc, "E025", _("thêm \"id: ...\" (ví dụ I, II)"),
				       _("nhóm không có id"));
			continue;
		}
		for (size_t j = 0; j < p->ngroups; j++)
			if (!strcmp(p->groups[j].id, gr->id))
				diag_error_fix(c->d, &g->loc, "E026", _("đặt cho mỗi nhóm một id riêng"),
					       _("id nhóm \"%s\" bị trùng (đã có ở dòng %d)"),
					       gr->id, p->groups[j].loc.line);
		p->ngroups++;
	}
}

/* due_text_exact, remembered by each parse worker (with its texts,
 * model_int.h): a plan's tasks share a few deadlines ("31/12/2026"), and
 * the three spellings of the date it writes and looks for were 835
 * instructions a task (34M at 1k plans); a text and a date looked up again
 * cost a hash and a comparison.  Not thread-local: a thread's static
 * storage is zeroed for every thread the build starts. */
enum { EXACT_SLOTS = 256, EXACT_TEXT = 48 };
struct exact_slot {
	char text[EXACT_TEXT];   /* "" for an empty slot */
	date_t date;
	bool exact;
};

static bool text_exact(model_ctx_t *c, const char *text, date_t date)
{
	size_t n = text ? strlen(text) : 0;
	if (!c->strs || !n || n >= EXACT_TEXT || !date)
		return due_text_exact(text, date);
	if (!c->strs->exact)
		c->strs->exact = xcalloc(EXACT_SLOTS, sizeof(struct exact_slot));
	uint64_t h = hash_bytes(text, n) ^ (uint64_t)date * 0x9E3779B97F4A7C15u;
	struct exact_slot *m = &c->strs->exact[(h ^ h >> 32) % EXACT_SLOTS];
	if (m->date != date || strcmp(m->text, text)) {
		m->exact = due_text_exact(text, date);
		m->date = date;
		memcpy(m->text, text, n + 1);
	}
	return m->exact;
}

static void parse_task(model_ctx_t *c, plan_t *p, task_t *t, const ynode_t *n)
{
	t->plan = p;
	t->at = model_pos(&n->loc);
	t->progress = -1;
	struct reading r = { false };
	const ynode_t *vals[ROWS];
	size_t unknown = parse_fields(c, FIELD_TASK, t, &t->extra, n, &t->id, &r, vals);
	const ynode_t *gn = vals[trow.group];
	if (t->group) {
		size_t j;
		for (j = 0; j < p->ngroups; j++)
			if (!strcmp(p->groups[j].id, t->group))
				break;
		if (j == p->ngroups)
			diag_error_fix(c->d, &gn->loc, "E030",
				       _("dùng một id trong \"groups\" của kế hoạch, hoặc thêm nhóm đó vào"),
				       _("nhóm \"%s\" không có trong \"groups\" của kế hoạch này"), t->group);
	}
	if (!t->lead.n) {
		/* a task nobody leads is the first thing citizens ask about */
		const char *fix = _("thêm \"lead: <tên đơn vị>\" (một đơn vị trong units.yaml)");
		const ynode_t *ln = vals[trow.lead];
		const loc_t *at = ln ? &ln->loc : &n->loc;
		if (c->o->strict)
			diag_error_fix(c->d, at, "E068", fix, _("nhiệm vụ %s chưa có đơn vị chủ trì"),
				       t->id ? t->id : "?");
		else
			diag_warning_fix(c->d, at, "W015", fix, _("nhiệm vụ %s chưa có đơn vị chủ trì"),
					 t->id ? t->id : "?");
	}
	t->due_exact = text_exact(c, t->due_text, t->due.date);
	const ynode_t *srcn = vals[trow.source];
	if (srcn)
		t->source_at = model_pos(&srcn->loc);
	const ynode_t *sn = vals[trow.status];
	const ynode_t *cn = vals[trow.completed];
	if (cn)
		t->completed_at = model_pos(&cn->loc);
	if (t->status == STATUS_DONE && !t->completed && (!cn || ynode_is_null(cn)))
		diag_warning_fix(c->d, &sn->loc, "W016",
				 _("thêm \"completed: YYYY-MM-DD\" (ngày hoàn thành thực tế)"),
				 _("nhiệm vụ %s đã hoàn thành nhưng chưa có ngày hoàn thành"),
				 t->id ? t->id : "?");
	if (t->completed && p->date && t->completed < p->date) {
		char done[16], issued[16];
		date_format_iso(t->completed, done);
		date_format_iso(p->date, issued);
		diag_warning_fix(c->d, &cn->loc, "W018",
				 _("kiểm tra lại năm, tháng, ngày (YYYY-MM-DD)"),
				 _("ngày hoàn thành %s của nhiệm vụ %s trước ngày ban hành kế hoạch (%s)"),
				 done, t->id ? t->id : "?", issued);
	}
	const ynode_t *pn = vals[trow.progress];
	/* not after W011: the editor did not write 100 */
	if (t->progress == 100 && !r.progress_clamped && t->status != STATUS_DONE)
		diag_warning_fix(c->d, &pn->loc, "W019",
				 _("nếu đã xong, ghi \"status: done\" và \"completed: YYYY-MM-DD\"; nếu chưa, sửa lại tiến độ"),
				 _("nhiệm vụ %s có tiến độ 100%% nhưng trạng thái chưa phải hoàn thành"),
				 t->id ? t->id : "?");
	if (t->completed && t->status != STATUS_DONE)
		diag_warning_fix(c->d, &cn->loc, "W013", _("viết \"status: done\" hoặc bỏ \"completed\""),
				 _("nhiệm vụ %s có ngày hoàn thành nhưng chưa ở trạng thái hoàn thành"),
				 t->id ? t->id : "");
	if (t->status == STATUS_DONE && t->progress >= 0 && t->progress < 100)
		diag_warning_fix(c->d, &pn->loc, "W014",
				 _("viết \"progress: 100\" hoặc sửa trạng thái"),
				 _("nhiệm vụ %s đã hoàn thành nhưng tiến độ là %d%%"),
				 t->id ? t->id : "", t->progress);
	/* every key a row's: nothing to keep (model_params would say so) */
	t->params = unknown ? model_params(c, n, model_fields_known(FIELD_TASK)) : NULL;
	if (t->params)
		t->params = model_ynode_copy(c->a, t->params);
}

/* Parses a number with optional comparator and unit: "≥ 70", "100%", "1,5". */
static int parse_measure(const char *s, double *v, int *cmp)
{
	*cmp = 0; /* 0: >=, 1: <=, 2: =, 3: >, 4: < */
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	if (!strncmp(s, "≥", 3)) { s += 3; *cmp = 0; }
	else if (!strncmp(s, ">=", 2)) { s += 2; *cmp = 0; }
	else if (!strncmp(s, "≤", 3)) { s += 3; *cmp = 1; }
	else if (!strncmp(s, "<=", 2)) { s += 2; *cmp = 1; }
	else if (*s == '>') { s++; *cmp = 3; }
	else if (*s == '<') { s++; *cmp = 4; }
	else if (*s == '=') { s++; *cmp = 2; }
	while (*s == ' ')
		s++;
	char tmp[64];
	size_t n = 0;
	while (*s && n < sizeof tmp - 1 && (isdigit((unsigned char)*s) || *s == '.' || *s == ',')) {
		tmp[n++] = *s == ',' ? '.' : *s;
		s++;
	}
	tmp[n] = '\0';
	while (*s == ' ')
		s++;
	if (*s == '%')
		s++;
	while (*s == ' ')
		s++;
	if (!n || *s)
		return -1;
	char *end;
	*v = strtod(tmp, &end);
	return *end ? -1 : 0;
}

static int indicator_met(const char *target, const char *actual)
{
	double t, a;
	int cmp, acmp;
	if (!actual || parse_measure(target, &t, &cmp) < 0 || parse_measure(actual, &a, &acmp) < 0)
		return -1;
	switch (cmp) {
	case 0: return a >= t;
	case 1: return a <= t;
	case 2: return a == t;
	case 3: return a > t;
	default: return a < t;
	}
}

static void parse_indicators(model_ctx_t *c, plan_t *p, const ynode_t *n)
{
	if (!n || ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		diag_error_fix(c->d, &n->loc, "E032", _("mỗi chỉ tiêu một dòng \"- name: ...\""),
			       _("\"indicators\" phải là một danh sách"));
		return;
	}
	p->indicators = arena_alloc(c->a, (n->n + 1) * sizeof(indicator_t));
	for (size_t i = 0; i < n->n; i++) {
		const ynode_t *m = n->kids[i];
		if (m->kind != YNODE_MAP) {
			diag_error_fix(c->d, &m->loc, "E033", _("viết \"- name: ...\" và các khoá target, by ... thụt vào dưới"),
				       _("mỗi chỉ tiêu phải là một nhóm khoá (name, target ...)"));
			continue;
		}
		indicator_t *ind = &p->indicators[p->nindicators++];
		ind->loc = m->loc;
		const ynode_t *vals[ROWS];
		size_t unknown = parse_fields(c, FIELD_INDICATOR, ind, &ind->extra, m, NULL,
					      &(struct reading){ false }, vals);
		ind->met = indicator_met(ind->target, ind->actual);
		if (unknown)
			model_params(c, m, model_fields_known(FIELD_INDICATOR));
	}
}

static plan_t *build_plan(model_ctx_t *c, const rfile_t *f, const fm_doc_t *doc);

/* The YAML tree of a plan is ten to twenty times the size of its text and
 * is needed only while the plan is built: it lives in an arena of its own,
 * and what the plan keeps is copied out. */
plan_t *model_plan_parse(model_ctx_t *c, const rfile_t *f)
{
	arena_t *tmp = arena_new();
	fm_doc_t doc;
	plan_t *p = NULL;
	if (pcache_fm_parse(c->o ? c->o->pcache : NULL, tmp, c->d, f, &doc) == 0)
		p = build_plan(c, f, &doc);
	arena_free(tmp);
	return p;
}

static plan_t *build_plan(model_ctx_t *c, const rfile_t *f, const fm_doc_t *docp)
{
	fm_doc_t doc = *docp;
	loc_t floc = { f->path, 1, 1 };
	if (!doc.meta) {
		diag_error_fix(c->d, &floc, "E035",
			       _("mở đầu tệp bằng dòng \"---\", các dòng number: và title:, rồi một dòng \"---\""),
			       _("kế hoạch không có phần khai báo (front matter)"));
		return NULL;
	}
	const ynode_t *m = doc.meta;
	plan_t *p = arena_alloc(c->a, sizeof(*p));
	p->path = f->path;
	p->loc = floc;
	p->number = model_str(c, ynode_get(m, "number"), "number");
	p->id = model_str(c, ynode_get(m, "id"), "id");
	if (!p->number && !p->id)
		diag_error_fix(c->d, &m->loc, "E036",
			       _("thêm \"number: ...\" (số ký hiệu), hoặc \"id: ...\" khi chưa có số"),
			       _("kế hoạch cần số ký hiệu hoặc id"));
	if (p->id) {
		char *s = text_slug(p->id);
		if (strcmp(s, p->id))
			diag_error_fix(c->d, &ynode_get(m, "id")->loc, "E037",
				       diag_str(c->d, _("viết \"id: %s\""), s),
				       _("id \"%s\" chỉ được gồm chữ thường không dấu, chữ số và dấu '-'"),
				       p->id);
		free(s);
	}
	if (p->number) {
		char *k = text_docnum_key(p->number);
		p->key = arena_strdup(c->a, k);
		free(k);
	} else if (p->id) {
		p->key = p->id;
	}
	const ynode_t *vals[ROWS];
	size_t unknown = parse_fields(c, FIELD_PLAN, p, &p->extra, m, NULL, &(struct reading){ false },
				      vals);
	if (!p->type)
		p->type = type_from_number(p->number);
	if (!p->type)
		p->type = "Kế hoạch";
	if (p->number) {
		p->name = p->number;
	} else if (p->short_title) {
		p->name = p->short_title;
	} else {
		/* "Kế hoạch UBND xã Quang Sơn 12/3/2025": what people call it */
		buf_t nb = BUF_INIT;
		buf_puts(&nb, p->type);
		if (p->has_issuer)
			buf_printf(&nb, " %s", p->issuer.text);
		char day[DATE_BUF];
		date_format_short(p->date, day);
		if (*day)
			buf_printf(&nb, " %s", day);
		else if (p->id && !p->has_issuer)
			buf_printf(&nb, " %s", p->id);
		p->name = arena_strdup(c->a, nb.ptr);
		buf_free(&nb);
	}
	const ynode_t *sg = ynode_get(m, "signer");
	if (sg && sg->kind == YNODE_MAP) {
		p->signer_name = model_str(c, ynode_get(sg, "name"), "name");
		p->signer_title = model_str(c, ynode_get(sg, "title"), "title");
		p->signer_for = model_str(c, ynode_get(sg, "for"), "for");
	} else if (sg) {
		p->signer_name = model_str(c, sg, "signer");
	}
	const ynode_t *stn = ynode_get(m, "status");
	p->status_text = model_str(c, stn, "status");
	if (p->status_text) {
		if (!strcmp(p->status_text, "draft"))
			p->draft = true;
		else if (strcmp(p->status_text, "in_force") && strcmp(p->status_text, "superseded"))
			diag_error_fix(c->d, &stn->loc, "E039", _("viết in_force, superseded hoặc draft"),
				       _("trạng thái kế hoạch \"%s\" không hợp lệ"), p->status_text);
	}
	parse_groups(c, p, ynode_get(m, "groups"));
	const ynode_t *tn = ynode_get(m, "tasks");
	if (tn && !ynode_is_null(tn)) {
		if (tn->kind != YNODE_SEQ) {
			diag_error_fix(c->d, &tn->loc, "E040", _("mỗi nhiệm vụ bắt đầu bằng một dòng \"- id: ...\""),
				       _("\"tasks\" phải là một danh sách"));
		} else {
			p->tasks = arena_alloc(c->a, (tn->n + 1) * sizeof(task_t));
			/* each task's id against every earlier one's: their hashes
			 * first (a strcmp a pair was 780 calls a plan of 40) */
			uint64_t *idh = xmalloc((tn->n + 1) * sizeof(*idh));
			for (size_t i = 0; i < tn->n; i++) {
				const ynode_t *tm = tn->kids[i];
				if (tm->kind != YNODE_MAP) {
					diag_error_fix(c->d, &tm->loc, "E041",
						       _("viết \"- id: ...\" rồi title:, lead: ... thụt vào thẳng cột với id"),
						       _("mỗi nhiệm vụ phải là một nhóm khoá (id, title, lead ...)"));
					continue;
				}
				task_t *t = &p->tasks[p->ntasks];
				parse_task(c, p, t, tm);
				t->index = p->ntasks;
				idh[p->ntasks] = t->id ? hash_str(t->id) : 0;
				for (size_t j = 0; t->id && j < p->ntasks; j++)
					if (idh[j] == idh[p->ntasks] && p->tasks[j].id &&
					    !strcmp(p->tasks[j].id, t->id))
						diag_error_fix(c->d, &tm->loc, "E042",
							       _("đặt cho mỗi nhiệm vụ một id riêng"),
							       _("id nhiệm vụ \"%s\" bị trùng (đã có ở dòng %d)"),
							       t->id, p->tasks[j].at.line);
				p->ntasks++;
			}
			free(idh);
		}
	}
	parse_indicators(c, p, ynode_get(m, "indicators"));
	p->params = unknown ? model_params(c, m, model_fields_known(FIELD_PLAN)) : NULL;
	if (p->params)
		p->params = model_ynode_copy(c->a, p->params);
	p->body_md = arena_strndup(c->a, doc.body, doc.body_len);
	p->body_line = doc.body_line;
	return p;
}

plan_t *model_parse_plan(arena_t *a, diag_t *d, const rfile_t *f, const model_opts_t *o)
{
	model_ctx_t c = { a, d, o, NULL };
	return model_plan_parse(&c, f);
}
