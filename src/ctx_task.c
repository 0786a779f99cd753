/* ctx_task.c: task rows as typed template records (tmpl.h): the task
 * data of themes/README.md (once a jansson object a row), read from the
 * task itself when a template asks, and the lists of rows on plan, unit,
 * deadlines, status and home pages. */
#include "ctx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx_week.h"
#include "hash.h"
#include "jsonh.h"
#include "model_fields.h"
#include "progress.h"

static const tmpl_val_t missing = { .kind = TMPL_MISSING };

/* The last date this thread formatted, each way (ISO, Vietnamese): a
 * task's due date is asked for three times in its cell (task_due: twice
 * printed and once as a section), and the rows of a list often share
 * dates; a copy of the 11 bytes costs a tenth of formatting them. */
static _Thread_local struct {
	date_t d;               /* 0: none yet */
	char text[16];
} last_date[2];

tmpl_val_t ctx_date_val(date_t d, bool vi, char *scratch)
{
	if (!d)
		return (tmpl_val_t){ .kind = TMPL_NULL };
	_Static_assert(TMPL_SCRATCH >= sizeof last_date[0].text, "a date fits the scratch");
	if (last_date[vi].d != d) {
		if (vi)
			date_format_vi(d, last_date[vi].text);
		else
			date_format_iso(d, last_date[vi].text);
		last_date[vi].d = d;
	}
	/* copied: the value may be read after this thread formats another */
	memcpy(scratch, last_date[vi].text, sizeof last_date[vi].text);
	return tmpl_str(scratch);
}

/* ---- a unit as a task names it: { id, name, url, registered, written } */

static const tmpl_field_t uref_fields[] = {
	{ "id", TMPL_F_SCALAR, NULL, true },
	{ "name", TMPL_F_SCALAR, NULL, true },
	{ "url", TMPL_F_SCALAR, NULL, true },
	{ "registered", TMPL_F_SCALAR, NULL, true },
	{ "written", TMPL_F_SCALAR, NULL, false },   /* only when it differs from the name */
};

static void uref_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const uref_t *r = rec;
	const unit_t *u = r->unit;
	(void)scratch;
	switch (i) {
	case 0: *out = tmpl_str(u->id); break;
	case 1: *out = tmpl_str(u->name); break;
	case 2: *out = tmpl_str(u->url); break;
	case 3: *out = tmpl_bool(u->registered); break;
	default:
		*out = r->text && strcmp(r->text, u->name) ? tmpl_str(r->text) : missing;
	}
}

/* A unit's link is the same wherever a task names it: the parts that read
 * only its stable fields (the theme's unit_ref) are rendered once a unit,
 * not once for each of the hundreds of thousands of tasks' units. */
static const void *uref_key(const void *rec)
{
	return ((const uref_t *)rec)->unit;
}

static tmpl_type_t uref_type = { "unit_ref", uref_fields, 5, uref_get, uref_key, 0, NULL, 0 };
const tmpl_type_t *const ctx_uref_type = &uref_type;

/* ---- a task's deadline: { text, date, date_vi, ongoing, parsed, exact } */

static const tmpl_field_t due_fields[] = {
	{ "text", TMPL_F_SCALAR, NULL, true },
	{ "date", TMPL_F_SCALAR, NULL, true },
	{ "date_vi", TMPL_F_SCALAR, NULL, true },
	{ "ongoing", TMPL_F_SCALAR, NULL, true },
	{ "parsed", TMPL_F_SCALAR, NULL, true },
	{ "exact", TMPL_F_SCALAR, NULL, true },
};

static void due_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const task_t *t = rec;
	switch (i) {
	case 0: *out = tmpl_str(t->due_text); break;
	case 1: *out = ctx_date_val(t->due.date, false, scratch); break;
	case 2: *out = ctx_date_val(t->due.date, true, scratch); break;
	case 3: *out = tmpl_bool(t->due.ongoing); break;
	case 4: *out = tmpl_bool(t->due.parsed); break;
	default: *out = tmpl_bool(t->due_exact);
	}
}

static tmpl_type_t due_type = { "due", due_fields, 6, due_get, NULL, 0, NULL, 0 };

/* ---- a task row (ctx_trow_t) */

enum task_field {
	F_ANCHOR, F_LEAD, F_SUPPORT, F_DUE, F_STATUS, F_NOT_STARTED, F_IN_PROGRESS, F_DONE,
	F_CANCELLED, F_OVERDUE, F_DAYS_LATE, F_DONE_LATE, F_HAS_PROGRESS, F_PROGRESS,
	F_COMPLETED, F_COMPLETED_VI, F_EVIDENCE, F_COMPLETE5, F_PLAN, F_PARAMS, F_ROLE_SUPPORT,
	F_FIXED
};

/* The fixed fields; the texts of the task's field table (model_fields.h)
 * come after them, and a text named like a fixed field is hidden by it
 * (as when rows were jansson objects: texts set first, these over them). */
static const tmpl_field_t fixed_fields[F_FIXED] = {
	{ "anchor", TMPL_F_SCALAR, NULL, true },
	{ "lead", TMPL_F_LIST, &uref_type, true },
	{ "support", TMPL_F_LIST, &uref_type, true },
	{ "due", TMPL_F_REC, &due_type, true },
	{ "status", TMPL_F_SCALAR, NULL, true },
	{ "is_not_started", TMPL_F_SCALAR, NULL, true },
	{ "is_in_progress", TMPL_F_SCALAR, NULL, true },
	{ "is_done", TMPL_F_SCALAR, NULL, true },
	{ "is_cancelled", TMPL_F_SCALAR, NULL, true },
	{ "overdue", TMPL_F_SCALAR, NULL, true },
	{ "days_late", TMPL_F_SCALAR, NULL, true },
	{ "done_late", TMPL_F_SCALAR, NULL, true },
	{ "has_progress", TMPL_F_SCALAR, NULL, true },
	{ "progress", TMPL_F_SCALAR, NULL, true },
	{ "completed", TMPL_F_SCALAR, NULL, true },
	{ "completed_vi", TMPL_F_SCALAR, NULL, true },
	{ "evidence", TMPL_F_OPAQUE, NULL, true },
	{ "complete5", TMPL_F_SCALAR, NULL, true },
	/* these depend on the page: with_plan, params only when given, role */
	{ "plan", TMPL_F_OPAQUE, NULL, false },
	{ "params", TMPL_F_OPAQUE, NULL, false },
	{ "role_support", TMPL_F_SCALAR, NULL, false },
};

static tmpl_field_t *task_fields;
static const field_t **task_texts;   /* by field index - F_FIXED */

static void task_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const ctx_trow_t *row = rec;
	const task_t *t = row->t;
	switch (i) {
	case F_ANCHOR: *out = tmpl_str(t->id ? t->id : ""); break;
	case F_LEAD: *out = tmpl_list(&uref_type, t->lead.v, sizeof(uref_t), t->lead.n, false); break;
	case F_SUPPORT: *out = tmpl_list(&uref_type, t->support.v, sizeof(uref_t), t->support.n, false); break;
	case F_DUE: *out = tmpl_rec(&due_type, t); break;
	case F_STATUS: *out = tmpl_str(status_id(t->status)); break;
	case F_NOT_STARTED: *out = tmpl_bool(t->status == STATUS_NOT_STARTED); break;
	case F_IN_PROGRESS: *out = tmpl_bool(t->status == STATUS_IN_PROGRESS); break;
	case F_DONE: *out = tmpl_bool(t->status == STATUS_DONE); break;
	case F_CANCELLED: *out = tmpl_bool(t->status == STATUS_CANCELLED); break;
	case F_OVERDUE: *out = tmpl_bool(t->overdue); break;
	case F_DAYS_LATE:
		/* how late, in days, as of the site's date ("quá hạn 5 ngày") */
		*out = t->overdue ? tmpl_int(date_diff_days(t->due.date, row->s->as_of))
				  : (tmpl_val_t){ .kind = TMPL_NULL };
		break;
	case F_DONE_LATE: *out = tmpl_bool(t->done_late); break;
	case F_HAS_PROGRESS: *out = tmpl_bool(t->progress >= 0); break;
	case F_PROGRESS:
		*out = t->progress >= 0 ? tmpl_int(t->progress) : (tmpl_val_t){ .kind = TMPL_NULL };
		break;
	case F_COMPLETED: *out = ctx_date_val(t->completed, false, scratch); break;
	case F_COMPLETED_VI: *out = ctx_date_val(t->completed, true, scratch); break;
	case F_EVIDENCE:
		/* rare: a jansson list then, an empty list otherwise */
		*out = t->nevidence ? tmpl_json(ctx_href_list(row->s, t->evidence, t->nevidence), true)
				    : tmpl_list(NULL, NULL, 0, 0, false);
		break;
	case F_COMPLETE5: *out = tmpl_bool(t->complete5); break;
	case F_PLAN: *out = row->with_plan ? ctx_plan_val(t->plan) : missing; break;
	case F_PARAMS: *out = t->params ? tmpl_json(ctx_params(t->params), true) : missing; break;
	case F_ROLE_SUPPORT: *out = row->role ? tmpl_bool(row->role == 2) : missing; break;
	default:
		*out = tmpl_str(model_fields_text(t, FIELD_TASK, task_texts[i - F_FIXED]));
	}
}

/* The cells of a task are the same on every page that shows it. */
static const void *task_key(const void *rec)
{
	return ((const ctx_trow_t *)rec)->t;
}

static tmpl_type_t task_type = { "task", NULL, 0, task_get, task_key, 0, NULL, 0 };
const tmpl_type_t *const ctx_task_type = &task_type;

/* Each plan's first task's number, by the plan's address (open
 * addressing; a few hundred kB at 10,000 plans, where a table of every
 * task was 16 MB). */
struct ctx_task_nums {
	uint64_t id;            /* this table's, of all made by the process */
	size_t cap;
	struct { const plan_t *p; size_t first; } slot[];
};

static size_t plan_slot(const struct ctx_task_nums *m, const plan_t *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & (m->cap - 1);
}

ctx_task_nums_t *ctx_task_nums_new(const site_t *s, size_t *n)
{
	size_t cap = 16;
	while (cap < 2 * s->nplans)
		cap *= 2;
	ctx_task_nums_t *m = xcalloc(1, sizeof *m + cap * sizeof m->slot[0]);
	static _Atomic uint64_t made;
	m->id = atomic_fetch_add(&made, 1) + 1;
	m->cap = cap;
	size_t first = 0;
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		size_t j = plan_slot(m, p);
		while (m->slot[j].p)
			j = (j + 1) & (cap - 1);
		m->slot[j].p = p;
		m->slot[j].first = first;
		first += p->ntasks;
	}
	*n = first;
	return m;
}

/* The thread's last plan found: the rows of a list are mostly one
 * plan's tasks after another's (a plan page's all are).  By the table's
 * id, not its address: a later build's table and plans may be made where
 * an earlier one's were (serve). */
static _Thread_local struct {
	uint64_t id;
	const plan_t *p;
	size_t first;
} last_plan;

size_t ctx_task_num(const void *nums, const void *key)
{
	const ctx_task_nums_t *m = nums;
	const task_t *t = key;
	const plan_t *p = t->plan;
	/* a task of its plan's array (a copy elsewhere is not numbered) */
	if (t < p->tasks || t >= p->tasks + p->ntasks)
		return SIZE_MAX;
	if (last_plan.p == p && last_plan.id == m->id)
		return last_plan.first + (size_t)(t - p->tasks);
	for (size_t j = plan_slot(m, p); m->slot[j].p; j = (j + 1) & (m->cap - 1))
		if (m->slot[j].p == p) {
			last_plan.id = m->id;
			last_plan.p = p;
			last_plan.first = m->slot[j].first;
			return m->slot[j].first + (size_t)(t - p->tasks);
		}
	return SIZE_MAX;
}

void ctx_task_nums_free(ctx_task_nums_t *nums)
{
	free(nums);
}

static void types_init(void)
{
	size_t n;
	const field_t *fs = model_fields_of(FIELD_TASK, &n);
	task_fields = xmalloc((F_FIXED + n) * sizeof *task_fields);
	task_texts = xmalloc((n + 1) * sizeof *task_texts);
	memcpy(task_fields, fixed_fields, sizeof fixed_fields);
	size_t nf = F_FIXED;
	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind != FIELD_TEXT || !fs[i].key)
			continue;
		bool fixed = false;
		for (size_t j = 0; j < F_FIXED; j++)
			fixed |= !strcmp(fixed_fields[j].name, fs[i].key);
		if (fixed)
			continue;   /* the fixed one hides it */
		task_texts[nf - F_FIXED] = &fs[i];
		task_fields[nf++] = (tmpl_field_t){ fs[i].key, TMPL_F_SCALAR, NULL, true };
	}
	task_type.fields = task_fields;
	task_type.nfields = nf;
	tmpl_type_register(&uref_type);
	tmpl_type_register(&due_type);
	ctx_plan_types_register();
	ctx_unit_types_register();
	ctx_week_types_register();
	ctx_frame_types_register();
	tmpl_type_register(&task_type);
}

void ctx_types_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, types_init);
}

/* ---- lists of rows */

tmpl_val_t ctx_rows(tmpl_obj_t *keeper, const task_t *const *v, size_t n, bool with_plan,
		    const unsigned char *roles, const site_t *s)
{
	ctx_trow_t *rows = xmalloc((n + 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = (ctx_trow_t){ v[i], s, with_plan, roles ? roles[i] : 0 };
	tmpl_obj_keep(keeper, rows);
	return tmpl_list(&task_type, rows, sizeof *rows, n, false);
}

/* A group of a plan's tasks: { id, title, stats, columns, tasks }. */
static tmpl_obj_t *group_obj(const site_t *s, json_t *g, const plan_t *p, const char *gid,
			     bool loose)
{
	tmpl_obj_t *o = tmpl_obj_new(g);
	const task_t **v = xmalloc((p->ntasks + 1) * sizeof *v);
	size_t n = 0;
	for (size_t j = 0; j < p->ntasks; j++) {
		const task_t *t = &p->tasks[j];
		if (loose ? !t->group : t->group && !strcmp(t->group, gid))
			v[n++] = t;
	}
	tmpl_obj_set(o, "tasks", ctx_rows(o, v, n, false, NULL, s));
	free(v);
	return o;
}

void ctx_plan_groups(tmpl_obj_t *plan, const site_t *s, const plan_t *p)
{
	tmpl_obj_t **gv = xmalloc((p->ngroups + 2) * sizeof *gv);
	size_t ng = 0;
	/* tasks in their groups, in the groups' order; tasks without a group
	 * (or in none listed) come first under an untitled group */
	stats_t st = { 0 };
	size_t nloose = 0;
	for (size_t j = 0; j < p->ntasks; j++)
		if (!p->tasks[j].group) {
			stats_add(&st, &p->tasks[j]);
			nloose++;
		}
	if (nloose) {
		stats_finish(&st);
		json_t *g = json_object();
		SET(g, "id", json_null());
		SET(g, "title", json_null());
		SET(g, "stats", ctx_stats(&st));
		SET(g, "columns", json_integer((json_int_t)model_fields_task_columns()));
		gv[ng++] = group_obj(s, g, p, NULL, true);
	}
	for (size_t i = 0; i < p->ngroups; i++) {
		const group_t *gr = &p->groups[i];
		json_t *g = json_object();
		SET(g, "id", jstr_nocheck(gr->id));
		SET(g, "title", jstr_nocheck(gr->title));
		SET(g, "stats", ctx_stats(&gr->stats));
		SET(g, "columns", json_integer((json_int_t)model_fields_task_columns()));
		gv[ng++] = group_obj(s, g, p, gr->id, false);
	}
	tmpl_obj_keep(plan, gv);
	tmpl_obj_set(plan, "groups", tmpl_list(TMPL_OBJ_LIST, gv, sizeof *gv, ng, true));
}

/* ---- what a row shows, for the fingerprints of list pages */

static int json_to_buf(const char *s, size_t n, void *arg)
{
	buf_put(arg, s, n);
	return 0;
}

static bool put_val(buf_t *b, const tmpl_val_t *v, int depth, const ctx_unit_dgs_t *ud);

/* The digests are read by nothing but a hash (state.h: the fingerprints of
 * the next build's pages, whose state key is this program's bytes): a
 * value is written as briefly as it can be told from any other, a tag and
 * a number in base 128 (seven bits a byte, the last without its high bit)
 * before a string's bytes, no separators.  A build digests tens of
 * thousands of rows of some fifty values. */
static inline char *put_num_at(char *at, char tag, unsigned long long v)
{
	*at++ = tag;
	while (v >= 0x80) {
		*at++ = (char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	*at++ = (char)v;
	return at;
}

/* Room for a tag and a number (1 + 10 bytes) */
#define NUM_ROOM 11

static inline void put_num(buf_t *b, char tag, unsigned long long v)
{
	buf_grow(b, NUM_ROOM);
	b->len = (size_t)(put_num_at(b->ptr + b->len, tag, v) - b->ptr);
}

static inline void put_tag(buf_t *b, char tag)
{
	buf_grow(b, 1);
	b->ptr[b->len++] = tag;
}

/* Every field of rec, in the type's order, as its getter gives it. */
static bool put_rec(buf_t *b, const tmpl_type_t *t, const void *rec, int depth, const ctx_unit_dgs_t *ud)
{
	/* a tree of units nests a list and a record a level, 32 levels */
	if (!t || !t->get || depth > 80)
		return false;
	bool ok = true;
	put_tag(b, '{');
	/* the type's name (a record of one type never reads as another's) */
	buf_puts(b, t->name);
	put_tag(b, '\n');
	for (size_t i = 0; i < t->nfields && ok; i++) {
		char scratch[TMPL_SCRATCH];
		tmpl_val_t v = { .kind = TMPL_MISSING };
		t->get(rec, i, &v, scratch);
		ok = put_val(b, &v, depth + 1, ud);
		if (v.kind == TMPL_JSON && v.owned)
			json_decref(v.u.json);
	}
	put_tag(b, '}');
	b->ptr[b->len] = '\0';
	return ok;
}

/* ---- the digests of units as a row names them */

struct ctx_unit_dgs {
	size_t cap;             /* open addressing by the unit's address */
	const unit_t **keys;
	unsigned char (*dg)[16];
};

static size_t udg_slot(const ctx_unit_dgs_t *ud, const unit_t *u)
{
	uint64_t h = (uint64_t)(uintptr_t)u * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & (ud->cap - 1);
}

ctx_unit_dgs_t *ctx_unit_dgs_new(const site_t *s)
{
	ctx_unit_dgs_t *ud = xcalloc(1, sizeof *ud);
	ud->cap = 16;
	while (ud->cap < 2 * s->nunits)
		ud->cap *= 2;
	ud->keys = xcalloc(ud->cap, sizeof *ud->keys);
	ud->dg = xmalloc(ud->cap * sizeof *ud->dg);
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < s->nunits; i++) {
		const unit_t *u = s->units[i];
		size_t j = udg_slot(ud, u);
		while (ud->keys[j] && ud->keys[j] != u)
			j = (j + 1) & (ud->cap - 1);
		if (ud->keys[j])
			continue;
		/* no text written: the fields every row naming u shows alike */
		uref_t ref = { .text = NULL, .unit = (unit_t *)u };
		buf_clear(&b);
		put_rec(&b, &uref_type, &ref, 0, NULL);
		hash_128(b.ptr ? b.ptr : "", b.len, ud->dg[j]);
		ud->keys[j] = u;
	}
	buf_free(&b);
	return ud;
}

void ctx_unit_dgs_free(ctx_unit_dgs_t *ud)
{
	if (!ud)
		return;
	free(ud->keys);
	free(ud->dg);
	free(ud);
}

/* A unit as a row names it (rec, a uref_t), from its digest in ud: 'U',
 * the digest, then the text written as its field gives it; false when ud
 * has no digest of the unit (its fields are then written). */
static bool put_uref(buf_t *b, const void *rec, int depth, const ctx_unit_dgs_t *ud)
{
	const unit_t *u = ((const uref_t *)rec)->unit;
	if (!ud || !u)
		return false;
	size_t j = udg_slot(ud, u);
	while (ud->keys[j] && ud->keys[j] != u)
		j = (j + 1) & (ud->cap - 1);
	if (!ud->keys[j])
		return false;
	put_tag(b, 'U');
	buf_put(b, (const char *)ud->dg[j], sizeof ud->dg[j]);
	char scratch[TMPL_SCRATCH];
	tmpl_val_t w = { .kind = TMPL_MISSING };
	uref_get(rec, 4, &w, scratch);   /* written: only when it differs from the name */
	return put_val(b, &w, depth + 1, ud);
}

/* A value as bytes that no other value writes the same; false for what
 * cannot be written (a generic object).  The buffer's NUL is put by
 * put_rec and ctx_digest_val, not after every value. */
static bool put_val(buf_t *b, const tmpl_val_t *v, int depth, const ctx_unit_dgs_t *ud)
{
	switch (v->kind) {
	case TMPL_MISSING: put_tag(b, 'm'); return true;
	case TMPL_NULL: put_tag(b, 'n'); return true;
	case TMPL_BOOL: put_tag(b, v->u.b ? 't' : 'f'); return true;
	case TMPL_INT:
		put_num(b, v->u.i < 0 ? '-' : 'i', v->u.i < 0 ? 0ULL - (unsigned long long)v->u.i : (unsigned long long)v->u.i);
		return true;
	case TMPL_STR: {
		size_t n = tmpl_str_len(v);
		buf_grow(b, NUM_ROOM + n);
		char *at = put_num_at(b->ptr + b->len, 's', n);
		memcpy(at, v->u.str.s, n);
		b->len = (size_t)(at + n - b->ptr);
		return true;
	}
	case TMPL_JSON:
		/* compact, in the keys' order (the order they were set in, which
		 * is also the order the page sees them in); a compact dump has
		 * no newline of its own */
		put_tag(b, 'j');
		if (json_dump_callback(v->u.json, json_to_buf, b, JSON_COMPACT | JSON_ENCODE_ANY) < 0)
			return false;
		put_tag(b, '\n');
		return true;
	case TMPL_REC:
		return put_rec(b, v->u.rec.type, v->u.rec.p, depth, ud);
	case TMPL_LIST: {
		const tmpl_type_t *t = v->u.list.type;
		if (v->u.list.n && (!t || t == TMPL_OBJ_LIST))
			return false;
		put_num(b, '[', v->u.list.n);
		for (size_t i = 0; i < v->u.list.n; i++) {
			const char *at = (const char *)v->u.list.base + i * v->u.list.stride;
			const void *rec = v->u.list.indirect ? *(const void *const *)at : at;
			if (t == &uref_type && put_uref(b, rec, depth, ud))
				continue;
			if (!put_rec(b, t, rec, depth, ud))
				return false;
		}
		put_tag(b, ']');
		return true;
	}
	case TMPL_OBJ:
		return false;
	}
	return false;
}

/* A signed number: its tag by sign, then its magnitude. */
static inline void put_signed(buf_t *b, long long v)
{
	put_num(b, v < 0 ? '-' : 'i', v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
}

/* A string as put_val writes it ('s', its length, its bytes), or 'n' for
 * none. */
static inline void put_str(buf_t *b, const char *s)
{
	if (!s) {
		put_tag(b, 'n');
		return;
	}
	size_t n = strlen(s);
	buf_grow(b, NUM_ROOM + n);
	char *at = put_num_at(b->ptr + b->len, 's', n);
	memcpy(at, s, n);
	b->len = (size_t)(at + n - b->ptr);
}

/* Field i of the row through its getter, as put_val writes it. */
static bool put_field(buf_t *b, const ctx_trow_t *row, size_t i, const ctx_unit_dgs_t *ud)
{
	char scratch[TMPL_SCRATCH];
	tmpl_val_t v = { .kind = TMPL_MISSING };
	task_get(row, i, &v, scratch);
	bool ok = put_val(b, &v, 1, ud);
	if (v.kind == TMPL_JSON && v.owned)
		json_decref(v.u.json);
	return ok;
}

/* Every field of a task's row (no plan, no role), each as the values it
 * is made of rather than as its getter formats it: a date as its number,
 * not as the two texts of it that a row may show; the status, not its
 * name and four flags; the as-of day beside an overdue deadline, not the
 * days late that follow from the two.  Equal values give equal cells,
 * and the digest is read by nothing but a hash.  Through the getters
 * (put_rec) a task took 4,400 instructions, 182 M of a cold build at
 * 1,000 plans (callgrind); each case below names what its field shows, and
 * a new field of enum task_field fails to compile until it has one. */
static bool put_task_fields(buf_t *b, const ctx_trow_t *row, const ctx_unit_dgs_t *ud)
{
	const task_t *t = row->t;
	bool ok = true;
	put_tag(b, '{');
	buf_puts(b, "task\n");
	for (size_t i = 0; i < F_FIXED && ok; i++) {
		switch ((enum task_field)i) {
		case F_ANCHOR:
			put_str(b, t->id ? t->id : "");
			break;
		case F_LEAD: case F_SUPPORT:
			ok = put_field(b, row, i, ud);   /* the units' digests (put_uref) */
			break;
		case F_DUE:
			/* text, date, date_vi, ongoing, parsed, exact */
			put_str(b, t->due_text);
			put_signed(b, t->due.date);
			put_num(b, 'd', (unsigned)t->due.ongoing | (unsigned)t->due.parsed << 1 |
				(unsigned)t->due_exact << 2);
			break;
		case F_STATUS:
			put_num(b, 'S', (unsigned long long)t->status);
			break;
		case F_NOT_STARTED: case F_IN_PROGRESS: case F_DONE: case F_CANCELLED:
			break;   /* the status's */
		case F_OVERDUE:
			put_num(b, 'o', (unsigned)t->overdue | (unsigned)t->done_late << 1 | (unsigned)t->complete5 << 2);
			break;
		case F_DAYS_LATE:
			/* from the deadline (F_DUE) and the as-of day */
			if (t->overdue)
				put_signed(b, row->s->as_of);
			break;
		case F_DONE_LATE: case F_COMPLETE5:
			break;   /* with F_OVERDUE */
		case F_HAS_PROGRESS:
			put_signed(b, t->progress);
			break;
		case F_PROGRESS:
			break;   /* with F_HAS_PROGRESS */
		case F_COMPLETED:
			put_signed(b, t->completed);
			break;
		case F_COMPLETED_VI:
			break;   /* with F_COMPLETED */
		case F_EVIDENCE:
			/* rare: the links as the getter gives them */
			if (t->nevidence)
				ok = put_field(b, row, i, ud);
			else
				put_tag(b, 'e');
			break;
		case F_PARAMS:
			ok = put_field(b, row, i, ud);   /* missing, or rare JSON */
			break;
		case F_PLAN: case F_ROLE_SUPPORT:
			break;   /* never in the digest's row (put_task adds the plan's) */
		case F_FIXED:
			break;
		}
	}
	for (size_t i = F_FIXED; i < task_type.nfields; i++)
		put_str(b, model_fields_text(t, FIELD_TASK, task_texts[i - F_FIXED]));
	put_tag(b, '}');
	b->ptr[b->len] = '\0';
	return ok;
}

bool ctx_task_digest(const task_t *t, const site_t *s, const ctx_unit_dgs_t *ud, buf_t *b)
{
	ctx_trow_t row = { t, s, 0, 0 };
	return put_task_fields(b, &row, ud);
}

void ctx_plan_digest(const plan_t *p, buf_t *b)
{
	/* the typed summary: what templates read, without building and
	 * dumping a jansson object a plan */
	put_rec(b, ctx_plan_type, p, 0, NULL);
}

bool ctx_digest_val(const tmpl_val_t *v, buf_t *b)
{
	bool ok = put_val(b, v, 0, NULL);
	buf_grow(b, 0);
	b->ptr[b->len] = '\0';
	return ok;
}
