/* model.c: plans, free pages, static files and site settings built from the
 * parsed files, with every required field checked and located. */
#include "model.h"

#include <ctype.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pool.h"
#include "text.h"
#include "url.h"

struct ctx {
	arena_t *a;
	diag_t *d;
	const model_opts_t *o;
};

static plan_t *parse_plan(struct ctx *c, const rfile_t *f);
static ynode_t *ynode_copy(arena_t *a, const ynode_t *n);

const char *model_scalar(diag_t *d, const ynode_t *n, const char *what)
{
	if (!n)
		return NULL;
	if (n->kind != YNODE_SCALAR) {
		diag_error_fix(d, &n->loc, "E020",
			       _("viết một giá trị trên cùng dòng, sau dấu hai chấm"),
			       n->kind == YNODE_MAP ? _("\"%s\" phải là một giá trị, không phải một nhóm khoá")
						    : _("\"%s\" phải là một giá trị, không phải một danh sách"),
			       what);
		return NULL;
	}
	if (ynode_is_null(n))
		return NULL;
	return n->str;
}

/* A trimmed, non-empty string value or NULL. */
static const char *str_of(struct ctx *c, const ynode_t *n, const char *what)
{
	const char *s = model_scalar(c->d, n, what);
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	if (!len)
		return NULL;
	return arena_strndup(c->a, s, len);
}

static date_t date_of(struct ctx *c, const ynode_t *n, const char *what)
{
	const char *s = model_scalar(c->d, n, what);
	if (!s)
		return 0;
	date_t dt;
	if (date_parse_iso(s, &dt) < 0) {
		diag_error_fix(c->d, &n->loc, "E021", _("viết năm-tháng-ngày, ví dụ 2025-06-30"),
			       _("%s \"%s\" không phải là ngày"), what, s);
		return 0;
	}
	return dt;
}

/* A list of strings, also accepting a single string. */
static str_t *strs_of(struct ctx *c, const ynode_t *n, const char *what, size_t *count)
{
	*count = 0;
	if (!n || ynode_is_null(n))
		return NULL;
	if (n->kind == YNODE_MAP) {
		diag_error_fix(c->d, &n->loc, "E022", _("viết một giá trị, hoặc mỗi giá trị một dòng bắt đầu bằng \"- \""),
			       _("\"%s\" phải là một giá trị hoặc một danh sách giá trị"), what);
		return NULL;
	}
	size_t max = n->kind == YNODE_SEQ ? n->n : 1;
	str_t *v = arena_alloc(c->a, (max + 1) * sizeof(*v));
	for (size_t i = 0; i < max; i++) {
		const ynode_t *item = n->kind == YNODE_SEQ ? n->kids[i] : n;
		const char *s = str_of(c, item, what);
		if (s)
			v[(*count)++] = (str_t){ s, item->loc };
	}
	return v;
}

static void urefs_of(struct ctx *c, const ynode_t *n, const char *what, urefs_t *out)
{
	size_t cnt;
	str_t *s = strs_of(c, n, what, &cnt);
	out->n = cnt;
	out->v = arena_alloc(c->a, (cnt + 1) * sizeof(uref_t));
	for (size_t i = 0; i < cnt; i++)
		out->v[i] = (uref_t){ s[i].text, s[i].loc, NULL };
}

static bool is_known(const ynode_t *k, const char *const *known)
{
	for (const char *const *kk = known; *kk; kk++)
		if (k->kind == YNODE_SCALAR && !strcmp(k->str, *kk))
			return true;
	return false;
}

/* Collects the keys of map that are not in known[] into a new map (params);
 * with --strict, each one is a warning. */
static const ynode_t *params_of(struct ctx *c, const ynode_t *map, const char *const *known)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	size_t n = 0, unknown = 0;
	for (size_t i = 0; i < map->n; i++)
		unknown += !is_known(ynode_key(map, i), known);
	if (!unknown)
		return NULL;   /* nearly always: nothing to keep */
	ynode_t *p = arena_alloc(c->a, sizeof(*p));
	p->kind = YNODE_MAP;
	p->loc = map->loc;
	p->kids = arena_alloc(c->a, (2 * unknown + 1) * sizeof(ynode_t *));
	for (size_t i = 0; i < map->n; i++) {
		const ynode_t *k = ynode_key(map, i);
		if (is_known(k, known))
			continue;
		if (c->o->strict)
			diag_warning_fix(c->d, &k->loc, "W010",
					 _("kiểm tra chính tả tên khoá (xem plansite(5))"),
					 _("khoá lạ \"%s\" (giữ lại làm tham số cho mẫu giao diện)"),
					 k->kind == YNODE_SCALAR ? k->str : "?");
		p->kids[2 * n] = (ynode_t *)k;
		p->kids[2 * n + 1] = (ynode_t *)ynode_val(map, i);
		n++;
	}
	p->n = n;
	return n ? p : NULL;
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

static void parse_groups(struct ctx *c, plan_t *p, const ynode_t *n)
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
		gr->id = str_of(c, ynode_get(g, "id"), "id");
		gr->title = str_of(c, ynode_get(g, "title"), "title");
		params_of(c, g, known);
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

/* Sets *clamped when the value was outside 0..100 (and reported). */
static int progress_of(struct ctx *c, const ynode_t *n, bool *clamped)
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

static void parse_task(struct ctx *c, plan_t *p, task_t *t, const ynode_t *n)
{
	static const char *const known[] = {
		"id", "group", "title", "lead", "support", "output", "due", "due_date",
		"source", "status", "progress", "completed", "evidence", "note", NULL
	};
	t->plan = p;
	t->loc = n->loc;
	t->progress = -1;
	const ynode_t *idn = ynode_get(n, "id");
	t->id = str_of(c, idn, "id");
	if (!t->id)
		diag_error_fix(c->d, &n->loc, "E028", _("thêm \"id: ...\" (số thứ tự TT của nhiệm vụ)"),
			       _("nhiệm vụ không có id (bắt buộc)"));
	t->title = str_of(c, ynode_get(n, "title"), "title");
	if (!t->title)
		diag_error_fix(c->d, &n->loc, "E029", _("thêm \"title: ...\" (nội dung nhiệm vụ)"),
			       _("nhiệm vụ %s không có title (bắt buộc)"), t->id ? t->id : "");
	const ynode_t *gn = ynode_get(n, "group");
	t->group = str_of(c, gn, "group");
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
	urefs_of(c, ynode_get(n, "lead"), "lead", &t->lead);
	if (!t->lead.n) {
		/* a task nobody leads is the first thing citizens ask about */
		const char *fix = _("thêm \"lead: <tên đơn vị>\" (một đơn vị trong units.yaml)");
		const ynode_t *ln = ynode_get(n, "lead");
		const loc_t *at = ln ? &ln->loc : &n->loc;
		if (c->o->strict)
			diag_error_fix(c->d, at, "E068", fix, _("nhiệm vụ %s chưa có đơn vị chủ trì"),
				       t->id ? t->id : "?");
		else
			diag_warning_fix(c->d, at, "W015", fix, _("nhiệm vụ %s chưa có đơn vị chủ trì"),
					 t->id ? t->id : "?");
	}
	urefs_of(c, ynode_get(n, "support"), "support", &t->support);
	t->output = str_of(c, ynode_get(n, "output"), "output");
	const ynode_t *dn = ynode_get(n, "due");
	t->due_text = str_of(c, dn, "due");
	if (dn)
		t->due_loc = dn->loc;
	if (t->due_text && due_parse(t->due_text, &t->due) < 0)
		diag_warning_fix(c->d, &dn->loc, "W012",
				 _("viết ví dụ \"30/6/2026\", \"Quý III/2026\", \"Năm 2026\" hoặc \"Thường xuyên\""),
				 _("thời hạn \"%s\" không đọc được thành ngày; giữ nguyên chữ, không tính hạn"),
				 t->due_text);
	const ynode_t *ddn = ynode_get(n, "due_date");
	if (ddn) {
		date_t dd = date_of(c, ddn, "due_date");
		if (dd) {
			t->due.date = dd;
			t->due.parsed = true;
			t->due.ongoing = false;
			if (!t->due_text)
				t->due_loc = ddn->loc;
		}
	}
	t->due_exact = due_text_exact(t->due_text, t->due.date);
	const ynode_t *srcn = ynode_get(n, "source");
	t->source = str_of(c, srcn, "source");
	if (srcn)
		t->source_loc = srcn->loc;
	const ynode_t *sn = ynode_get(n, "status");
	const char *st = str_of(c, sn, "status");
	t->status = STATUS_NOT_STARTED;
	if (st && status_parse(st, &t->status) < 0)
		diag_error_fix(c->d, &sn->loc, "E031",
			       _("viết not_started, in_progress, done, cancelled hoặc chưa thực hiện, đang thực hiện, hoàn thành, đã huỷ"),
			       _("trạng thái \"%s\" không hợp lệ"), st);
	bool clamped;
	t->progress = progress_of(c, ynode_get(n, "progress"), &clamped);
	const ynode_t *cn = ynode_get(n, "completed");
	t->completed = date_of(c, cn, "completed");
	if (cn)
		t->completed_loc = cn->loc;
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
	const ynode_t *pn = ynode_get(n, "progress");
	/* not after W011: the editor did not write 100 */
	if (t->progress == 100 && !clamped && t->status != STATUS_DONE)
		diag_warning_fix(c->d, &pn->loc, "W019",
				 _("nếu đã xong, ghi \"status: done\" và \"completed: YYYY-MM-DD\"; nếu chưa, sửa lại tiến độ"),
				 _("nhiệm vụ %s có tiến độ 100%% nhưng trạng thái chưa phải hoàn thành"),
				 t->id ? t->id : "?");
	if (t->completed && t->status != STATUS_DONE)
		diag_warning_fix(c->d, &cn->loc, "W013", _("viết \"status: done\" hoặc bỏ \"completed\""),
				 _("nhiệm vụ %s có ngày hoàn thành nhưng chưa ở trạng thái hoàn thành"),
				 t->id ? t->id : "");
	if (t->status == STATUS_DONE && t->progress >= 0 && t->progress < 100)
		diag_warning_fix(c->d, &ynode_get(n, "progress")->loc, "W014",
				 _("viết \"progress: 100\" hoặc sửa trạng thái"),
				 _("nhiệm vụ %s đã hoàn thành nhưng tiến độ là %d%%"),
				 t->id ? t->id : "", t->progress);
	t->evidence = strs_of(c, ynode_get(n, "evidence"), "evidence", &t->nevidence);
	t->note = str_of(c, ynode_get(n, "note"), "note");
	t->params = params_of(c, n, known);
	if (t->params)
		t->params = ynode_copy(c->a, t->params);
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

static void parse_indicators(struct ctx *c, plan_t *p, const ynode_t *n)
{
	if (!n || ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		diag_error_fix(c->d, &n->loc, "E032", _("mỗi chỉ tiêu một dòng \"- name: ...\""),
			       _("\"indicators\" phải là một danh sách"));
		return;
	}
	static const char *const known[] = { "id", "group", "name", "unit", "target", "by",
					     "owner", "actual", NULL };
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
		ind->id = str_of(c, ynode_get(m, "id"), "id");
		ind->group = str_of(c, ynode_get(m, "group"), "group");
		ind->name = str_of(c, ynode_get(m, "name"), "name");
		if (!ind->name)
			diag_error_fix(c->d, &m->loc, "E034", _("thêm \"name: ...\""),
				       _("chỉ tiêu không có name (bắt buộc)"));
		ind->unit = str_of(c, ynode_get(m, "unit"), "unit");
		ind->target = str_of(c, ynode_get(m, "target"), "target");
		ind->by = str_of(c, ynode_get(m, "by"), "by");
		ind->actual = str_of(c, ynode_get(m, "actual"), "actual");
		const ynode_t *on = ynode_get(m, "owner");
		const char *owner = str_of(c, on, "owner");
		if (owner) {
			ind->owner = (uref_t){ owner, on->loc, NULL };
			ind->has_owner = true;
		}
		ind->met = indicator_met(ind->target, ind->actual);
		params_of(c, m, known);
	}
}

plan_t *model_parse_plan(arena_t *a, diag_t *d, const rfile_t *f, const model_opts_t *o)
{
	struct ctx c = { a, d, o };
	return parse_plan(&c, f);
}

/* A deep copy of a YAML subtree into a (params outlive the parse). */
static ynode_t *ynode_copy(arena_t *a, const ynode_t *n)
{
	ynode_t *c = arena_alloc(a, sizeof(*c));
	*c = *n;
	if (n->kind == YNODE_SCALAR) {
		c->str = arena_strndup(a, n->str, n->len);
		return c;
	}
	size_t nk = n->kind == YNODE_MAP ? 2 * n->n : n->n;
	c->kids = arena_alloc(a, (nk + 1) * sizeof(ynode_t *));
	for (size_t i = 0; i < nk; i++)
		c->kids[i] = ynode_copy(a, n->kids[i]);
	return c;
}

static plan_t *build_plan(struct ctx *c, const rfile_t *f, const fm_doc_t *doc);

/* The YAML tree of a plan is ten to twenty times the size of its text and
 * is needed only while the plan is built: it lives in an arena of its own,
 * and what the plan keeps is copied out. */
static plan_t *parse_plan(struct ctx *c, const rfile_t *f)
{
	arena_t *tmp = arena_new();
	fm_doc_t doc;
	plan_t *p = NULL;
	if (fm_parse(tmp, c->d, f->path, f->data, f->len, &doc) == 0)
		p = build_plan(c, f, &doc);
	arena_free(tmp);
	return p;
}

static plan_t *build_plan(struct ctx *c, const rfile_t *f, const fm_doc_t *docp)
{
	fm_doc_t doc = *docp;
	loc_t floc = { f->path, 1, 1 };
	if (!doc.meta) {
		diag_error_fix(c->d, &floc, "E035",
			       _("mở đầu tệp bằng dòng \"---\", các dòng number: và title:, rồi một dòng \"---\""),
			       _("kế hoạch không có phần khai báo (front matter)"));
		return NULL;
	}
	static const char *const known[] = {
		"number", "id", "type", "title", "issuer", "place", "date", "signer",
		"implements", "status", "attachments", "groups", "tasks", "indicators",
		"short_title", NULL
	};
	const ynode_t *m = doc.meta;
	plan_t *p = arena_alloc(c->a, sizeof(*p));
	p->path = f->path;
	p->loc = floc;
	p->number = str_of(c, ynode_get(m, "number"), "number");
	p->id = str_of(c, ynode_get(m, "id"), "id");
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
	p->title = str_of(c, ynode_get(m, "title"), "title");
	if (!p->title)
		diag_error_fix(c->d, &m->loc, "E038", _("thêm \"title: ...\" (trích yếu)"),
			       _("kế hoạch không có title (bắt buộc)"));
	p->type = str_of(c, ynode_get(m, "type"), "type");
	if (!p->type)
		p->type = type_from_number(p->number);
	if (!p->type)
		p->type = "Kế hoạch";
	const ynode_t *in = ynode_get(m, "issuer");
	const char *issuer = str_of(c, in, "issuer");
	if (issuer) {
		p->issuer = (uref_t){ issuer, in->loc, NULL };
		p->has_issuer = true;
	}
	p->place = str_of(c, ynode_get(m, "place"), "place");
	p->date = date_of(c, ynode_get(m, "date"), "date");
	p->short_title = str_of(c, ynode_get(m, "short_title"), "short_title");
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
		p->signer_name = str_of(c, ynode_get(sg, "name"), "name");
		p->signer_title = str_of(c, ynode_get(sg, "title"), "title");
		p->signer_for = str_of(c, ynode_get(sg, "for"), "for");
	} else if (sg) {
		p->signer_name = str_of(c, sg, "signer");
	}
	p->implements = strs_of(c, ynode_get(m, "implements"), "implements", &p->nimplements);
	const ynode_t *stn = ynode_get(m, "status");
	p->status_text = str_of(c, stn, "status");
	if (p->status_text) {
		if (!strcmp(p->status_text, "draft"))
			p->draft = true;
		else if (strcmp(p->status_text, "in_force") && strcmp(p->status_text, "superseded"))
			diag_error_fix(c->d, &stn->loc, "E039", _("viết in_force, superseded hoặc draft"),
				       _("trạng thái kế hoạch \"%s\" không hợp lệ"), p->status_text);
	}
	p->attachments = strs_of(c, ynode_get(m, "attachments"), "attachments", &p->nattachments);
	parse_groups(c, p, ynode_get(m, "groups"));
	const ynode_t *tn = ynode_get(m, "tasks");
	if (tn && !ynode_is_null(tn)) {
		if (tn->kind != YNODE_SEQ) {
			diag_error_fix(c->d, &tn->loc, "E040", _("mỗi nhiệm vụ bắt đầu bằng một dòng \"- id: ...\""),
				       _("\"tasks\" phải là một danh sách"));
		} else {
			p->tasks = arena_alloc(c->a, (tn->n + 1) * sizeof(task_t));
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
				for (size_t j = 0; t->id && j < p->ntasks; j++)
					if (p->tasks[j].id && !strcmp(p->tasks[j].id, t->id))
						diag_error_fix(c->d, &t->loc, "E042",
							       _("đặt cho mỗi nhiệm vụ một id riêng"),
							       _("id nhiệm vụ \"%s\" bị trùng (đã có ở dòng %d)"),
							       t->id, p->tasks[j].loc.line);
				p->ntasks++;
			}
		}
	}
	parse_indicators(c, p, ynode_get(m, "indicators"));
	p->params = params_of(c, m, known);
	if (p->params)
		p->params = ynode_copy(c->a, p->params);
	p->body_md = arena_strndup(c->a, doc.body, doc.body_len);
	p->body_line = doc.body_line;
	return p;
}

static void parse_page(struct ctx *c, site_t *s, const rfile_t *f)
{
	fm_doc_t doc;
	if (fm_parse(c->a, c->d, f->path, f->data, f->len, &doc) < 0)
		return;
	loc_t floc = { f->path, 1, 1 };
	page_t *pg = &s->pages[s->npages];
	pg->path = f->path;
	static const char *const known[] = { "title", "slug", NULL };
	pg->title = doc.meta ? str_of(c, ynode_get(doc.meta, "title"), "title") : NULL;
	if (!pg->title) {
		diag_error_fix(c->d, &floc, "E043",
			       _("mở đầu tệp bằng \"---\", một dòng \"title: ...\", rồi \"---\""),
			       _("trang không có title"));
		return;
	}
	const char *slug = doc.meta ? str_of(c, ynode_get(doc.meta, "slug"), "slug") : NULL;
	/* pages/a/b.md -> a/b: each segment slugged, so the URL can only name a
	 * folder inside the output */
	const char *rel = f->rel + strlen("pages/");
	buf_t b = BUF_INIT;
	if (slug) {
		char *sl = text_slug(slug);
		buf_puts(&b, sl);
		free(sl);
	} else {
		const char *p = rel;
		while (*p) {
			const char *e = strchr(p, '/');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (!e && n > 3 && !strcmp(p + n - 3, ".md"))
				n -= 3;
			char *seg = xstrndup(p, n);
			char *sl = text_slug(seg);
			if (*sl) {
				if (b.len)
					buf_putc(&b, '/');
				buf_puts(&b, sl);
			}
			free(seg);
			free(sl);
			if (!e)
				break;
			p = e + 1;
		}
	}
	static const char *const reserved[] = { "ke-hoach", "van-ban", "don-vi", "thoi-han",
						"thay-doi", "tim-kiem", "du-lieu", "bao-cao-tuan",
						"static", "404", NULL };
	for (const char *const *r = reserved; *r; r++) {
		size_t n = strlen(*r);
		if (b.ptr && !strncmp(b.ptr, *r, n) && (b.ptr[n] == '\0' || b.ptr[n] == '/')) {
			diag_error_fix(c->d, &floc, "E044", _("đổi tên tệp hoặc đặt \"slug: ...\" khác"),
				       _("địa chỉ trang /%s/ dành riêng cho các trang của cổng"), b.ptr);
			buf_free(&b);
			return;
		}
	}
	if (!b.len) {
		diag_error_fix(c->d, &floc, "E045", _("đặt tên tệp có chữ hoặc số, hoặc thêm \"slug: ...\""),
			       _("tên tệp trang cho ra địa chỉ rỗng"));
		buf_free(&b);
		return;
	}
	pg->slug = arena_strdup(c->a, b.ptr);
	buf_free(&b);
	for (size_t i = 0; i < s->npages; i++)
		if (!strcmp(s->pages[i].slug, pg->slug)) {
			diag_error_fix(c->d, &floc, "E046", _("đổi tên một trong hai tệp hoặc đặt \"slug: ...\" khác"),
				       _("địa chỉ trang /%s/ trùng với địa chỉ của %s"), pg->slug,
				       s->pages[i].path);
			return;
		}
	pg->body_md = doc.body;
	pg->body_line = doc.body_line;
	pg->params = doc.meta ? params_of(c, doc.meta, known) : NULL;
	s->npages++;
}

static void parse_site(struct ctx *c, site_t *s, const rfile_t *f)
{
	ynode_t *root = NULL;
	if (fm_check_utf8(c->d, f->path, f->data, f->len) < 0 ||
	    yml_parse(c->a, c->d, f->path, f->data, f->len, 0, &root) < 0 || !root)
		return;
	if (root->kind != YNODE_MAP) {
		diag_error_fix(c->d, &root->loc, "E047", _("mỗi thiết lập một dòng \"khoá: giá trị\", ví dụ \"title: ...\""),
			       _("site.yaml phải là các dòng thiết lập \"khoá: giá trị\""));
		return;
	}
	static const char *const known[] = { "title", "description", "language", "base_url",
					     "repo_url", "owner", "agency", "editor", "address",
					     "phone", "email", "license", "data_license",
					     "data_license_url", NULL };
	s->title = str_of(c, ynode_get(root, "title"), "title");
	s->description = str_of(c, ynode_get(root, "description"), "description");
	s->language = str_of(c, ynode_get(root, "language"), "language");
	s->base_url = str_of(c, ynode_get(root, "base_url"), "base_url");
	s->repo_url = str_of(c, ynode_get(root, "repo_url"), "repo_url");
	s->owner = str_of(c, ynode_get(root, "owner"), "owner");
	s->agency = str_of(c, ynode_get(root, "agency"), "agency");
	s->editor = str_of(c, ynode_get(root, "editor"), "editor");
	s->address = str_of(c, ynode_get(root, "address"), "address");
	s->phone = str_of(c, ynode_get(root, "phone"), "phone");
	s->email = str_of(c, ynode_get(root, "email"), "email");
	s->license = str_of(c, ynode_get(root, "license"), "license");
	s->data_license = str_of(c, ynode_get(root, "data_license"), "data_license");
	s->data_license_url = str_of(c, ynode_get(root, "data_license_url"), "data_license_url");
	if (s->email && (!strchr(s->email, '@') || strpbrk(s->email, " <>\"?:/"))) {
		diag_error_fix(c->d, &ynode_get(root, "email")->loc, "E069",
			       _("viết một địa chỉ thư điện tử, ví dụ email: ten@co-quan.gov.vn"),
			       _("email \"%s\" không phải là địa chỉ thư điện tử"), s->email);
		s->email = NULL;
	}
	s->params = params_of(c, root, known);
	/* addresses end up in href attributes: only web addresses, never a
	 * javascript: or data: URL */
	if (s->base_url) {
		char *norm;
		const char *why;
		if (url_base_normalise(s->base_url, &norm, &why) < 0) {
			diag_error(c->d, &ynode_get(root, "base_url")->loc, "E070",
				   _("base_url \"%s\" không dùng được: %s"), s->base_url, _(why));
			s->base_url = NULL;
		} else {
			s->base_url = arena_strdup(c->a, norm);
			free(norm);
		}
	}
	static const char *const urls[] = { "base_url", "repo_url", "data_license_url" };
	const char **fields[] = { &s->base_url, &s->repo_url, &s->data_license_url };
	for (size_t i = 0; i < 3; i++) {
		const char *u = *fields[i];
		if (u && strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) {
			diag_error_fix(c->d, &ynode_get(root, urls[i])->loc, "E048",
				       _("viết địa chỉ đầy đủ, ví dụ https://example.gov.vn/"),
				       _("%s phải là địa chỉ web (http:// hoặc https://), không phải \"%s\""),
				       urls[i], u);
			*fields[i] = NULL;
		}
	}
	if (s->language) {
		for (const char *p = s->language; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-') {
				diag_error_fix(c->d, &ynode_get(root, "language")->loc, "E049",
					       _("viết mã ngôn ngữ, ví dụ vi hoặc en"),
					       _("language \"%s\" không phải là mã ngôn ngữ"), s->language);
				s->language = NULL;
				break;
			}
	}
}

enum { STATIC_NAME_MAX = 200 };   /* bytes of one path component, < NAME_MAX */

static int plan_cmp(const void *x, const void *y)
{
	const plan_t *a = *(plan_t *const *)x, *b = *(plan_t *const *)y;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->path, b->path);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* The path part of base_url ("https://x.gov.vn/kh/" -> "/kh/"). */
static const char *base_path_of(arena_t *a, const char *url)
{
	if (!url)
		return "/";
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
	if (!p)
		return "/";
	size_t n = strlen(p);
	return n && p[n - 1] == '/' ? arena_strdup(a, p) : arena_printf(a, "%s/", p);
}

/* Plans are parsed on every core: each worker has an arena of its own
 * (arenas are not thread-safe), handed over to the build's arena after. */
#define PARSE_WORKERS 8

struct parse_job {
	const snap_t *snap;
	const size_t *idx;      /* indices of plan files in snap */
	plan_t **out;           /* out[i] for idx[i] */
	diag_t *d;
	const model_opts_t *o;
	arena_t *a[PARSE_WORKERS];   /* worker k's arena; [0] the build's */
};

static void parse_one(void *arg, int worker, size_t i)
{
	struct parse_job *job = arg;
	struct ctx c = { job->a[worker], job->d, job->o };
	job->out[i] = parse_plan(&c, &job->snap->files[job->idx[i]]);
}

static void parse_plans(arena_t *a, diag_t *d, const snap_t *snap, const model_opts_t *o,
			const size_t *idx, size_t n, plan_t **out)
{
	struct parse_job job = { .snap = snap, .idx = idx, .out = out, .d = d, .o = o };
	int nw = n < 64 ? 1 : pool_size(0, PARSE_WORKERS);
	job.a[0] = a;
	for (int i = 1; i < nw; i++)
		job.a[i] = arena_new();
	pool_for(nw, n, parse_one, &job);
	for (int i = 1; i < nw; i++)
		arena_adopt(a, job.a[i]);
}

/* A file under static/ is published as it is, from the portal's own
 * address: a page or an image that can carry script (.html, .svg, .xml)
 * would run it with the portal's origin, so it is reported (an error with
 * --strict).  A name longer than a folder entry can be is an error here, at
 * the file, rather than a failure to write it later. */
static void check_static(struct ctx *c, const rfile_t *f)
{
	static const char *const active[] = { ".html", ".htm", ".xhtml", ".svg", ".xml", NULL };
	loc_t loc = { f->path, 0, 0 };
	const char *base = strrchr(f->rel, '/');
	base = base ? base + 1 : f->rel;
	for (const char *p = f->rel, *q; *p; p = q + (*q == '/')) {
		q = strchr(p, '/');
		if (!q)
			q = p + strlen(p);
		if (q - p > STATIC_NAME_MAX) {
			diag_error_fix(c->d, &loc, "E071", _("đặt tên ngắn hơn"),
				       _("tên tệp hoặc thư mục dài %d byte, quá giới hạn %d byte"),
				       (int)(q - p), STATIC_NAME_MAX);
			return;
		}
	}
	const char *dot = strrchr(base, '.');
	for (size_t i = 0; dot && active[i]; i++)
		if (!strcasecmp(dot, active[i])) {
			const char *fix = _("đăng dưới dạng PDF hoặc ảnh PNG/JPEG, hoặc nén thành .zip");
			if (c->o->strict)
				diag_error_fix(c->d, &loc, "E072", fix,
					       _("tệp %s có thể chứa mã chạy trên trang của cổng"), f->rel);
			else
				diag_warning_fix(c->d, &loc, "W003", fix,
						 _("tệp %s có thể chứa mã chạy trên trang của cổng"), f->rel);
			return;
		}
}

/* Evidence is published as a link: a web address, or a file of static/
 * that must exist, or the link is a 404 on the portal. */
static void check_evidence(diag_t *d, const site_t *s, const strmap_t *statics, const task_t *t,
			   const str_t *ev)
{
	const char *e = ev->text;
	if (strstr(e, "://") || strmap_get(statics, e))
		return;
	/* the closest file, for "có phải": the same name in another folder,
	 * else a path a slip or two away */
	const char *base = strrchr(e, '/');
	base = base ? base + 1 : e;
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t k = 0; k < s->nstatics; k++) {
		const char *rel = s->statics[k]->rel;
		const char *rb = strrchr(rel, '/');
		size_t dist = !strcmp(rb ? rb + 1 : rel, base) ? 0 : text_distance(e, rel);
		if (dist < bestd) {
			bestd = dist;
			best = rel;
		}
	}
	const char *fix = best ? diag_str(d, _("có phải \"%s\"?"), best)
			      : _("thêm tệp vào static/ và ghi \"static/<tên tệp>\", hoặc ghi địa chỉ web (https://...)");
	diag_error_fix(d, &ev->loc, "E067", fix,
		       _("minh chứng \"%s\" của nhiệm vụ %s không phải là tệp nào trong thư mục static/ của nội dung"),
		       e, t->id ? t->id : "?");
}

void model_check_as_of(const site_t *s, diag_t *d)
{
	char asof[16], done[16];
	date_format_iso(s->as_of, asof);
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			if (!t->completed || t->completed <= s->as_of)
				continue;
			date_format_iso(t->completed, done);
			diag_warning_fix(d, &t->completed_loc, "W017",
					 _("ghi ngày đã hoàn thành thực tế (YYYY-MM-DD), không ghi ngày dự kiến"),
					 _("ngày hoàn thành %s của nhiệm vụ %s sau ngày tính số liệu (%s)"),
					 done, t->id ? t->id : "?", asof);
		}
	}
}

site_t *model_load(arena_t *a, diag_t *d, const snap_t *snap, const model_opts_t *o)
{
	struct ctx c = { a, d, o };
	site_t *s = arena_alloc(a, sizeof(*s));
	s->plans = arena_alloc(a, (snap->n + 1) * sizeof(plan_t *));
	s->pages = arena_alloc(a, (snap->n + 1) * sizeof(page_t));
	s->statics = arena_alloc(a, (snap->n + 1) * sizeof(rfile_t *));
	s->templates = arena_alloc(a, (snap->n + 1) * sizeof(rfile_t *));
	memcpy(s->commit, snap->commit, sizeof(s->commit));
	size_t *plan_idx = xmalloc((snap->n + 1) * sizeof(size_t));
	size_t nplanfiles = 0;
	for (size_t i = 0; i < snap->n; i++) {
		const rfile_t *f = &snap->files[i];
		if (!strcmp(f->rel, "site.yaml")) {
			parse_site(&c, s, f);
		} else if (!strncmp(f->rel, "plans/", 6) && has_suffix(f->rel, ".md")) {
			plan_idx[nplanfiles++] = i;
		} else if (!strncmp(f->rel, "pages/", 6) && has_suffix(f->rel, ".md")) {
			parse_page(&c, s, f);
		} else if (!strncmp(f->rel, "static/", 7)) {
			s->statics[s->nstatics++] = f;
		} else if (!strncmp(f->rel, "templates/", 10) && has_suffix(f->rel, ".mustache")) {
			s->templates[s->ntemplates++] = f;
		}
	}
	for (size_t i = 0; i < s->nstatics; i++)
		check_static(&c, s->statics[i]);
	plan_t **parsed = xcalloc(nplanfiles + 1, sizeof(plan_t *));
	parse_plans(a, d, snap, o, plan_idx, nplanfiles, parsed);
	for (size_t i = 0; i < nplanfiles; i++) {
		plan_t *p = parsed[i];
		/* a plan without number or id was reported and has no identity */
		if (p && p->key && !p->draft)
			s->plans[s->nplans++] = p;
	}
	free(parsed);
	free(plan_idx);
	if (!s->title)
		s->title = "Cổng thông tin kế hoạch";
	if (!s->language)
		s->language = "vi";
	if (o->base_url)
		s->base_url = arena_strdup(a, o->base_url);
	s->base_path = base_path_of(a, s->base_url);
	for (size_t i = 0; i < s->npages; i++)
		s->pages[i].url = arena_printf(a, "%s%s/", s->base_path, s->pages[i].slug);
	qsort(s->plans, s->nplans, sizeof(plan_t *), plan_cmp);
	/* one number, one plan: the later files (by path) are reported and
	 * left out, so later stages see unique keys */
	size_t kept = 0;
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		if (kept && !strcmp(p->key, s->plans[kept - 1]->key)) {
			diag_error_fix(d, &p->loc, "E050", _("mỗi kế hoạch chỉ để trong một tệp; xoá hoặc sửa số của tệp kia"),
				       _("kế hoạch %s đã có trong %s"),
				       p->number ? p->number : p->id, s->plans[kept - 1]->path);
			continue;
		}
		s->plans[kept++] = p;
	}
	s->nplans = kept;
	/* two plans without a number must not share a name (the browser tab
	 * would not tell them apart): the second and later get their id */
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		if (p->number)
			continue;
		for (size_t j = 0; j < s->nplans; j++)
			if (j != i && !strcmp(s->plans[j]->name, p->name)) {
				p->name = arena_printf(a, "%s (%s)", p->name, p->id ? p->id : p->path);
				break;
			}
	}
	/* an attachment or evidence naming static/x must exist */
	strmap_t statics = STRMAP_INIT;
	for (size_t k = 0; k < s->nstatics; k++)
		strmap_put(&statics, s->statics[k]->rel, (void *)s->statics[k]);
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->nattachments; j++) {
			const char *at = p->attachments[j].text;
			if (strstr(at, "://"))
				continue;
			if (!strmap_get(&statics, at))
				diag_error_fix(d, &p->attachments[j].loc, "E051",
					       _("đặt tệp vào thư mục static/ của nội dung và viết đường dẫn bắt đầu bằng static/"),
					       _("tệp đính kèm \"%s\" không có trong thư mục static/"), at);
		}
		for (size_t j = 0; j < p->ntasks; j++)
			for (size_t k = 0; k < p->tasks[j].nevidence; k++)
				check_evidence(d, s, &statics, &p->tasks[j], &p->tasks[j].evidence[k]);
	}
	strmap_free(&statics);
	return s;
}

void model_site_free(site_t *s)
{
	if (s)
		strmap_free(&s->docs_by_key);
}
