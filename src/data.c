/* data.c: open data files and the sitemap.  The JSON files are written
 * as they are produced (jsonw.h), from the model and, for plans.json and
 * tasks.csv, from the table of fields (model_fields.h). */
#include "data.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "changes.h"
#include "jsonh.h"
#include "jsonw.h"
#include "model_fields.h"

static void w_unit_text(jsonw_t *w, const unit_t *u)
{
	jsonw_obj(w);
	JSONW_KEY(w, "id");
	jsonw_str(w, u->id);
	JSONW_KEY(w, "name");
	jsonw_str(w, u->name);
	jsonw_obj_end(w);
}

/* The units as plans.json writes them, each written once while it is
 * written (plans_json): 80,000 references to 1,188 units at 1,000 plans,
 * each escaping the same id and name again.  By the unit's address, for
 * that one file (a unit of another build may lie at the same address). */
struct ujson {
	const unit_t *u;
	size_t at, len;         /* in text */
};
struct ucache {
	struct ujson *slot;
	size_t cap, n;
	buf_t text;
};
static _Thread_local struct ucache *ucache;

static void w_unit(jsonw_t *w, const unit_t *u)
{
	struct ucache *c = ucache;
	if (!c) {
		w_unit_text(w, u);
		return;
	}
	if (2 * (c->n + 1) > c->cap) {
		struct ujson *old = c->slot;
		size_t oldcap = c->cap;
		c->cap = c->cap ? 2 * c->cap : 256;
		c->slot = xcalloc(c->cap, sizeof(*c->slot));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].u) {
				size_t j = ((uintptr_t)old[i].u >> 4) & (c->cap - 1);
				while (c->slot[j].u)
					j = (j + 1) & (c->cap - 1);
				c->slot[j] = old[i];
			}
		free(old);
	}
	size_t j = ((uintptr_t)u >> 4) & (c->cap - 1);
	while (c->slot[j].u && c->slot[j].u != u)
		j = (j + 1) & (c->cap - 1);
	if (!c->slot[j].u) {
		jsonw_t one;
		jsonw_init(&one, NULL, NULL);
		w_unit_text(&one, u);
		c->slot[j] = (struct ujson){ u, c->text.len, one.b.len };
		buf_put(&c->text, one.b.ptr, one.b.len);
		jsonw_free(&one);
		c->n++;
	}
	jsonw_raw(w, c->text.ptr + c->slot[j].at, c->slot[j].len);
}

static void w_stats(jsonw_t *w, const stats_t *st)
{
#define Q(k) { "\"" k "\":", sizeof("\"" k "\":") - 1 }
	static const struct { const char *q; size_t n; } k[] = {
		Q("total"), Q("done"), Q("in_progress"), Q("not_started"), Q("cancelled"),
		Q("overdue"), Q("done_late"), Q("percent_done")
	};
#undef Q
	const int v[] = { st->total, st->done, st->in_progress, st->not_started, st->cancelled,
			  st->overdue, st->done_late, st->percent_done };
	jsonw_obj(w);
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		jsonw_key_quoted(w, k[i].q, k[i].n);
		jsonw_int(w, v[i]);
	}
	jsonw_obj_end(w);
}

static void w_date(jsonw_t *w, date_t d)
{
	char b[DATE_BUF];
	if (!d) {
		jsonw_null(w);
		return;
	}
	date_format_iso(d, b);
	jsonw_str(w, b);
}

/* url made absolute with base_url's host (see data_absolute). */
static void absolute(buf_t *b, const site_t *s, const char *url)
{
	if (s->base_url) {
		const char *p = strstr(s->base_url, "://");
		p = p ? strchr(p + 3, '/') : NULL;
		buf_put(b, s->base_url, p ? (size_t)(p - s->base_url) : strlen(s->base_url));
	}
	buf_puts(b, url);
}

static void w_url(jsonw_t *w, const site_t *s, const char *url)
{
	buf_t b = BUF_INIT;
	absolute(&b, s, url);
	jsonw_str(w, b.ptr);
	buf_free(&b);
}

json_t *data_absolute(const site_t *s, const char *url)
{
	buf_t b = BUF_INIT;
	absolute(&b, s, url);
	json_t *j = json_string(b.ptr);
	buf_free(&b);
	return j;
}

static void w_record(jsonw_t *w, const site_t *s, field_owner_t o, const void *rec);

/* One field's value as plans.json writes it: by its kind. */
static void w_field(jsonw_t *w, const site_t *s, field_owner_t o, const void *rec, const field_t *f)
{
	const char *at = (const char *)rec + f->off;
	switch (f->kind) {
	case FIELD_TEXT:
		jsonw_str(w, model_fields_text(rec, o, f));
		break;
	case FIELD_DATE:
		w_date(w, *(const date_t *)at);
		break;
	case FIELD_BOOL:
		jsonw_bool(w, *(const bool *)at);
		break;
	case FIELD_INT:
		jsonw_int(w, *(const int *)at);
		break;
	case FIELD_UNITS: {
		const urefs_t *l = (const urefs_t *)at;
		jsonw_arr(w);
		for (size_t i = 0; i < l->n; i++)
			w_unit(w, l->v[i].unit);
		jsonw_arr_end(w);
		break;
	}
	case FIELD_UNIT:
		if (*(const bool *)((const char *)rec + f->off2))
			w_unit(w, ((const uref_t *)at)->unit);
		else
			jsonw_null(w);
		break;
	case FIELD_LIST: {
		const str_t *v = *(const str_t *const *)at;
		size_t n = *(const size_t *)((const char *)rec + f->off2);
		jsonw_arr(w);
		for (size_t i = 0; i < n; i++)
			jsonw_str(w, v[i].text);
		jsonw_arr_end(w);
		break;
	}
	case FIELD_STATUS:
		jsonw_str(w, status_id(*(const status_t *)at));
		break;
	case FIELD_STATUS_LABEL:
		jsonw_str(w, status_label_vi(*(const status_t *)at));
		break;
	case FIELD_PROGRESS: {
		int v = *(const int *)at;
		if (v >= 0)
			jsonw_int(w, v);
		else
			jsonw_null(w);
		break;
	}
	case FIELD_DEADLINE: {
		const due_t *due = (const due_t *)((const char *)rec + f->off2);
		jsonw_obj(w);
		JSONW_KEY(w, "text");
		jsonw_str(w, *(const char *const *)at);
		JSONW_KEY(w, "date");
		w_date(w, due->date);
		JSONW_KEY(w, "ongoing");
		jsonw_bool(w, due->ongoing);
		jsonw_obj_end(w);
		break;
	}
	case FIELD_DAYS_LATE: {
		const task_t *t = rec;
		if (t->overdue)
			jsonw_int(w, date_diff_days(t->due.date, s->as_of));
		else
			jsonw_null(w);
		break;
	}
	case FIELD_MET: {
		int met = *(const int *)at;
		if (met < 0)
			jsonw_null(w);
		else
			jsonw_bool(w, met);
		break;
	}
	case FIELD_STATS:
		w_stats(w, (const stats_t *)at);
		break;
	case FIELD_URL:
		w_url(w, s, *(const char *const *)at);
		break;
	case FIELD_PLAN_STATUS: {
		const char *st = *(const char *const *)at;
		jsonw_str(w, st ? st : "in_force");
		break;
	}
	case FIELD_IMPLEMENTS: {
		const plan_t *p = rec;
		jsonw_arr(w);
		for (size_t j = 0; j < p->nimplements; j++)
			jsonw_str(w, p->impl_docs && p->impl_docs[j] ? p->impl_docs[j]->number
								     : p->implements[j].text);
		jsonw_arr_end(w);
		break;
	}
	case FIELD_AS_OF:
		w_date(w, s->as_of);
		break;
	case FIELD_NESTED: {
		const plan_t *p = rec;
		jsonw_arr(w);
		if (!strcmp(f->key, "tasks"))
			for (size_t j = 0; j < p->ntasks; j++)
				w_record(w, s, FIELD_TASK, &p->tasks[j]);
		else if (!strcmp(f->key, "indicators"))
			for (size_t j = 0; j < p->nindicators; j++)
				w_record(w, s, FIELD_INDICATOR, &p->indicators[j]);
		jsonw_arr_end(w);
		break;
	}
	default:
		jsonw_null(w);   /* kinds that plans.json does not carry */
		break;
	}
}

/* Each field's key as jsonw_key writes it ("\"title\":"), per record kind
 * in table order (NULL: no JSON name): made once, for the million keys of
 * plans.json at 10,000 plans.  Kept for the program's life. */
static char **qkeys[FIELD_OWNERS];
static size_t *qlens[FIELD_OWNERS];
static pthread_once_t qkeys_once = PTHREAD_ONCE_INIT;

static void qkeys_init(void)
{
	for (int o = 0; o < FIELD_OWNERS; o++) {
		size_t n;
		const field_t *fs = model_fields_of((field_owner_t)o, &n);
		qkeys[o] = xcalloc(n + 1, sizeof(*qkeys[o]));
		qlens[o] = xcalloc(n + 1, sizeof(*qlens[o]));
		for (size_t i = 0; i < n; i++) {
			if (!fs[i].json)
				continue;
			buf_t b = BUF_INIT;
			jsonw_put_string(&b, fs[i].json);
			buf_putc(&b, ':');
			qlens[o][i] = b.len;
			qkeys[o][i] = buf_detach(&b);
		}
	}
}

/* A plan, task or indicator: each field with a JSON name, in table order. */
static void w_record(jsonw_t *w, const site_t *s, field_owner_t o, const void *rec)
{
	size_t n;
	const field_t *fs = model_fields_of(o, &n);
	pthread_once(&qkeys_once, qkeys_init);
	jsonw_obj(w);
	for (size_t i = 0; i < n; i++)
		if (fs[i].json) {
			jsonw_key_quoted(w, qkeys[o][i], qlens[o][i]);
			w_field(w, s, o, rec, &fs[i]);
		}
	jsonw_obj_end(w);
}

static void plans_json(jsonw_t *w, const site_t *s, const history_t *h)
{
	struct ucache c = { 0 };
	ucache = &c;
	jsonw_arr(w);
	/* stopped by a writer that failed or was cancelled (to_fd) */
	for (size_t i = 0; i < s->nplans && !w->failed; i++)
		w_record(w, s, FIELD_PLAN, s->plans[i]);
	jsonw_arr_end(w);
	ucache = NULL;
	free(c.slot);
	buf_free(&c.text);
}

void data_csv_field(buf_t *b, const char *s)
{
	if (!s)
		return;
	/* a cell a spreadsheet would read as a formula (=HYPERLINK(...), +, -,
	 * @, or a tab or CR before one) is made text with a leading quote, as
	 * OWASP recommends against CSV injection */
	bool formula = *s && strchr("=+-@\t\r", *s);
	size_t n = strlen(s);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_put(b, s, n);
		return;
	}
	/* quoted (a title with a comma is common): the text between quotes
	 * goes in runs, each '"' doubled */
	buf_grow(b, n + 3);
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *q; (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1) {
		buf_put(b, s, (size_t)(q + 1 - s));
		buf_putc(b, '"');
	}
	buf_put(b, s, n);
	buf_putc(b, '"');
}

static void csv_units(buf_t *b, const urefs_t *l)
{
	buf_t t = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_puts(&t, "; ");
		buf_puts(&t, l->v[i].unit->name);
	}
	data_csv_field(b, t.ptr ? t.ptr : "");
	buf_free(&t);
}

/* v in decimal, as "%d" writes it (no printf: a cell or two a task). */
static void csv_int(buf_t *b, int v)
{
	char d[16], *p = d + sizeof d;
	unsigned u = v < 0 ? 0U - (unsigned)v : (unsigned)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(d + sizeof d - p));
}

/* One task's cell of a column, by the column's kind. */
static void csv_cell(buf_t *b, const site_t *s, const task_t *t, const field_t *f)
{
	const char *at = (const char *)t + f->off;
	char date[DATE_BUF] = "";
	switch (f->kind) {
	case FIELD_PLAN_REF:
		data_csv_field(b, t->plan->number ? t->plan->number : t->plan->id);
		break;
	case FIELD_PLAN_TITLE:
		data_csv_field(b, t->plan->title);
		break;
	case FIELD_TEXT:
		data_csv_field(b, model_fields_text(t, FIELD_TASK, f));
		break;
	case FIELD_UNITS:
		csv_units(b, (const urefs_t *)at);
		break;
	case FIELD_LIST: {
		const str_t *v = *(const str_t *const *)at;
		size_t n = *(const size_t *)((const char *)t + f->off2);
		buf_t j = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_put(&j, "; ", 2);
			buf_puts(&j, v[i].text);
		}
		data_csv_field(b, j.ptr ? j.ptr : "");
		buf_free(&j);
		break;
	}
	case FIELD_DEADLINE:
		data_csv_field(b, *(const char *const *)at);
		break;
	case FIELD_DUE_DATE:
	case FIELD_DATE:
	case FIELD_AS_OF: {
		date_t d = f->kind == FIELD_AS_OF ? s->as_of
			 : f->kind == FIELD_DUE_DATE ? ((const due_t *)at)->date : *(const date_t *)at;
		if (d)
			date_format_iso(d, date);
		buf_puts(b, date);
		break;
	}
	case FIELD_STATUS:
		buf_puts(b, status_id(*(const status_t *)at));
		break;
	case FIELD_STATUS_LABEL:
		data_csv_field(b, status_label_vi(*(const status_t *)at));
		break;
	case FIELD_BOOL:
		buf_puts(b, *(const bool *)at ? "true" : "false");
		break;
	case FIELD_PROGRESS:
	case FIELD_INT:
		if (f->kind == FIELD_INT || *(const int *)at >= 0)
			csv_int(b, *(const int *)at);
		break;
	default:
		break;   /* no column of tasks.csv has this kind */
	}
}

#define CSV_CHUNK JSONW_PIECE

/* tasks.csv, written 128 kB at a time (jsonw.h says why not a megabyte):
 * at 10,000 plans it is 160 MB, which a buffer doubling to hold it whole
 * would make 256 MB of heap at the build's peak.  0, or -1 with *err. */
static int tasks_csv(const site_t *s, int fd, const char *rel, char **err, const atomic_int *cancel)
{
	buf_t b = BUF_INIT;
	size_t ncol;
	int rc = 0;
	const field_t *const *cols = model_fields_csv(&ncol);
	buf_grow(&b, 2 * CSV_CHUNK);   /* a chunk and the plan that passes it */
	/* a byte-order mark, so spreadsheet programs read UTF-8 */
	buf_puts(&b, "\xEF\xBB\xBF");
	/* new columns go at the end (csvpos): readers of the first ones keep working */
	for (size_t k = 0; k < ncol; k++)
		buf_printf(&b, "%s%s", k ? "," : "", cols[k]->csv);
	buf_puts(&b, "\r\n");
	for (size_t i = 0; i < s->nplans && rc == 0; i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++) {
			for (size_t k = 0; k < ncol; k++) {
				if (k)
					buf_putc(&b, ',');
				csv_cell(&b, s, &p->tasks[j], cols[k]);
			}
			buf_puts(&b, "\r\n");
		}
		if (b.len >= CSV_CHUNK) {
			rc = cancel && atomic_load(cancel) ? DATA_CANCELLED : out_put(fd, rel, b.ptr, b.len, err);
			b.len = 0;
		}
	}
	if (rc == 0 && b.len)
		rc = cancel && atomic_load(cancel) ? DATA_CANCELLED : out_put(fd, rel, b.ptr, b.len, err);
	buf_free(&b);
	return rc;
}

static void w_strings(jsonw_t *w, const char *const *v, size_t n)
{
	jsonw_arr(w);
	for (size_t i = 0; i < n; i++)
		jsonw_str(w, v[i]);
	jsonw_arr_end(w);
}

static void units_json(jsonw_t *w, const site_t *s, const history_t *h)
{
	jsonw_arr(w);
	for (size_t i = 0; i < s->nunits; i++) {
		const unit_t *u = s->units[i];
		jsonw_obj(w);
		JSONW_KEY(w, "id");
		jsonw_str(w, u->id);
		JSONW_KEY(w, "name");
		jsonw_str(w, u->name);
		JSONW_KEY(w, "slug");
		jsonw_str(w, u->slug);
		JSONW_KEY(w, "url");
		w_url(w, s, u->url);
		JSONW_KEY(w, "kind");
		jsonw_str(w, u->kind);
		JSONW_KEY(w, "parent");
		jsonw_str(w, u->parent ? u->parent->id : NULL);
		JSONW_KEY(w, "aliases");
		w_strings(w, u->aliases, u->naliases);
		JSONW_KEY(w, "registered");
		jsonw_bool(w, u->registered);
		JSONW_KEY(w, "lead_stats");
		w_stats(w, &u->lead_stats);
		JSONW_KEY(w, "support_stats");
		w_stats(w, &u->support_stats);
		/* the figures of its page: with its sub-units, each task once */
		JSONW_KEY(w, "children");
		jsonw_arr(w);
		for (size_t j = 0; j < u->nchildren; j++)
			jsonw_str(w, u->children[j]->id);
		jsonw_arr_end(w);
		JSONW_KEY(w, "totals");
		jsonw_obj(w);
		static const char *const tk[] = { "led", "supported", "overdue", "done", "issued_plans",
						  "issued_tasks" };
		const long long tv[] = { u->roll_lead.total, u->roll_support.total, u->roll_all.overdue,
					 u->roll_all.done, (long long)u->nissued, u->issued_stats.total };
		for (size_t k = 0; k < sizeof tk / sizeof tk[0]; k++) {
			jsonw_key(w, tk[k]);
			jsonw_int(w, tv[k]);
		}
		jsonw_obj_end(w);
		JSONW_KEY(w, "rollup_stats");
		w_stats(w, &u->roll_all);
		JSONW_KEY(w, "rollup_lead_stats");
		w_stats(w, &u->roll_lead);
		JSONW_KEY(w, "rollup_support_stats");
		w_stats(w, &u->roll_support);
		JSONW_KEY(w, "issued");
		jsonw_arr(w);
		for (size_t j = 0; j < u->nissued; j++)
			jsonw_str(w, u->issued[j]->number ? u->issued[j]->number : u->issued[j]->id);
		jsonw_arr_end(w);
		JSONW_KEY(w, "issued_stats");
		w_stats(w, &u->issued_stats);
		JSONW_KEY(w, "as_of");
		w_date(w, s->as_of);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void documents_json(jsonw_t *w, const site_t *s, const history_t *h)
{
	jsonw_arr(w);
	for (size_t i = 0; i < s->ndocs; i++) {
		const doc_t *dc = s->docs[i];
		jsonw_obj(w);
		JSONW_KEY(w, "number");
		jsonw_str(w, dc->number);
		JSONW_KEY(w, "slug");
		jsonw_str(w, dc->slug);
		JSONW_KEY(w, "url");
		w_url(w, s, dc->url);
		JSONW_KEY(w, "type");
		jsonw_str(w, dc->type);
		JSONW_KEY(w, "title");
		jsonw_str(w, dc->title);
		JSONW_KEY(w, "issuer");
		jsonw_str(w, dc->issuer);
		JSONW_KEY(w, "date");
		w_date(w, dc->date);
		JSONW_KEY(w, "is_plan");
		jsonw_bool(w, dc->plan != NULL);
		JSONW_KEY(w, "stub");
		jsonw_bool(w, dc->stub);
		JSONW_KEY(w, "implements");
		jsonw_arr(w);
		for (size_t j = 0; j < dc->nup; j++)
			jsonw_str(w, dc->up[j]->number);
		jsonw_arr_end(w);
		JSONW_KEY(w, "implemented_by");
		jsonw_arr(w);
		for (size_t j = 0; j < dc->ndown; j++)
			jsonw_str(w, dc->down[j]->number);
		jsonw_arr_end(w);
		JSONW_KEY(w, "stats");
		w_stats(w, &dc->stats);
		JSONW_KEY(w, "as_of");
		w_date(w, s->as_of);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void sitemap_url(buf_t *b, const site_t *s, const char *url)
{
	json_t *j = data_absolute(s, url);
	buf_puts(b, "<url><loc>");
	const char *v = json_string_value(j);
	buf_put_html(b, v, strlen(v));
	buf_puts(b, "</loc></url>\n");
	json_decref(j);
}

static char *sitemap(const site_t *s, size_t *len)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	/* every section, and after the deadlines their task lists */
	for (int r = 0; r < ROUTE_COUNT; r++) {
		char *u = routes_url(&s->routes, r, NULL);
		sitemap_url(&b, s, u);
		free(u);
		for (size_t k = 0; r == ROUTE_DEADLINES && k < ROUTES_NVIEWS; k++) {
			u = routes_url(&s->routes, r, routes_view(k));
			sitemap_url(&b, s, u);
			free(u);
		}
	}
	for (size_t i = 0; i < s->nplans; i++)
		sitemap_url(&b, s, s->plans[i]->url);
	for (size_t i = 0; i < s->ndocs; i++)
		if (!s->docs[i]->plan)
			sitemap_url(&b, s, s->docs[i]->url);
	for (size_t i = 0; i < s->nunits; i++)
		sitemap_url(&b, s, s->units[i]->url);
	for (size_t i = 0; i < s->npages; i++)
		sitemap_url(&b, s, s->pages[i].url);
	buf_puts(&b, "</urlset>\n");
	*len = b.len;
	return buf_detach(&b);
}

/* Writes file name of folder dir ("du-lieu/", or "" for the root). */
static int put(out_t *o, diag_t *d, const char *dir, const char *name, const char *data, size_t len)
{
	char *err = NULL;
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "%s%s", dir, name);
	int rc = 0;
	if (out_write(o, rel.ptr, data, len, &err) < 0) {
		loc_t loc = { 0 };
		diag_error(d, &loc, "E090", "%s", err);
		free(err);
		rc = -1;
	}
	buf_free(&rel);
	return rc;
}

struct sink {
	int fd;
	const char *rel;
	char **err;
	const atomic_int *cancel;   /* NULL: never */
	bool cancelled;
};

static int to_fd(void *arg, const char *data, size_t len)
{
	struct sink *k = arg;
	if (k->cancel && atomic_load(k->cancel)) {
		k->cancelled = true;
		return -1;
	}
	return out_put(k->fd, k->rel, data, len, k->err);
}

/* A jansson tree written as it is (objects in their keys' order). */
static void write_tree(jsonw_t *w, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		jsonw_obj(w);
		json_object_foreach((json_t *)j, k, v) {
			jsonw_key(w, k);
			write_tree(w, v);
		}
		jsonw_obj_end(w);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		jsonw_arr(w);
		json_array_foreach(j, i, v)
			write_tree(w, v);
		jsonw_arr_end(w);
		break;
	}
	case JSON_STRING: jsonw_str(w, json_string_value(j)); break;
	case JSON_INTEGER: jsonw_int(w, json_integer_value(j)); break;
	case JSON_TRUE: jsonw_bool(w, true); break;
	case JSON_FALSE: jsonw_bool(w, false); break;
	default: jsonw_null(w); break;
	}
}

/* sources.json: small (one object a source), so built as a tree. */
static void sources_json(jsonw_t *w, const site_t *s, const history_t *h)
{
	(void)h;
	json_t *a = data_sources(s, false);
	write_tree(w, a);
	json_decref(a);
}

/* The end of a streamed file: its write error, if any, reported (E090). */
static int put_done(diag_t *d, char *err)
{
	if (!err)
		return 0;
	loc_t loc = { 0 };
	diag_error(d, &loc, "E090", "%s", err);
	free(err);
	return -1;
}

/* tasks.csv in folder dir, streamed (tasks_csv). */
static int put_csv(out_t *o, diag_t *d, const site_t *s, const char *dir, const atomic_int *cancel)
{
	char *err = NULL;
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "%stasks.csv", dir);
	int fd = out_open(o, rel.ptr, &err), rc = 0;
	if (fd >= 0) {
		rc = tasks_csv(s, fd, rel.ptr, &err, cancel);
		if (rc < 0)
			close(fd);
		else
			out_close(fd, rel.ptr, &err);
	}
	buf_free(&rel);
	if (rc == DATA_CANCELLED && !err)
		return DATA_CANCELLED;
	return put_done(d, err);
}

/* A JSON file written a megabyte at a time as write() produces it: the
 * whole portal's text is never held at once. */
static int put_json(out_t *o, diag_t *d, const char *name, const site_t *s, const history_t *h,
		    void (*write)(jsonw_t *, const site_t *, const history_t *), const atomic_int *cancel)
{
	char *rel = routes_file(&s->routes, ROUTE_DATA, name);
	char *err = NULL;
	int fd = out_open(o, rel, &err);
	bool cancelled = false;
	if (fd >= 0) {
		struct sink k = { fd, rel, &err, cancel, false };
		jsonw_t w;
		jsonw_init(&w, to_fd, &k);
		write(&w, s, h);
		int rc = jsonw_finish(&w);
		jsonw_free(&w);
		cancelled = k.cancelled;
		if (rc < 0)
			close(fd);
		else
			out_close(fd, rel, &err);
	}
	free(rel);
	if (cancelled && !err)
		return DATA_CANCELLED;
	return put_done(d, err);
}

/* The result of parts a and b written one after the other. */
static int both(int a, int b)
{
	return a == -1 || b == -1 ? -1 : a == DATA_CANCELLED || b == DATA_CANCELLED ? DATA_CANCELLED : 0;
}

int data_write(const site_t *s, const history_t *h, out_t *o, diag_t *d, int part, const atomic_int *cancel)
{
	int rc = 0;
	const char *dir = routes_dir(&s->routes, ROUTE_DATA);
	if (part == 1)
		return put_json(o, d, "changes.json", s, h, changes_json, cancel);
	if (part == 3) {
		rc = put_json(o, d, "units.json", s, h, units_json, cancel);
		rc = both(rc, put_json(o, d, "documents.json", s, h, documents_json, cancel));
		if (s->nsources)
			rc = both(rc, put_json(o, d, "sources.json", s, h, sources_json, cancel));
		return rc;
	}
	if (part == 2) {
		size_t len;
		rc = put_csv(o, d, s, dir, cancel);
		if (rc == DATA_CANCELLED)
			return rc;
		char *sm = sitemap(s, &len);
		rc = both(rc, put(o, d, "", "sitemap.xml", sm, len));
		free(sm);
		return rc;
	}
	return put_json(o, d, "plans.json", s, h, plans_json, cancel);
}

static void field_desc(json_t *fields, const char *name, const char *desc)
{
	json_t *x = json_object();
	SET(x, "name", json_string(name));
	SET(x, "description", json_string(desc));
	json_array_append_new(fields, x);
}

static json_t *file_desc(const site_t *s, const char *name, const char *desc, json_t *f)
{
	json_t *o = json_object();
	SET(o, "name", json_string(name));
	SET(o, "href", json_string(name));
	buf_t b = BUF_INIT;
	buf_puts(&b, desc);
	/* each file says under which licence it may be reused */
	if (s && s->data_license)
		buf_printf(&b, " Giấy phép sử dụng: %s.", s->data_license);
	SET(o, "description", json_string(b.ptr));
	buf_free(&b);
	size_t nl = strlen(name);
	SET(o, "csv", json_boolean(nl > 4 && !strcmp(name + nl - 4, ".csv")));
	SET(o, "fields", f);
	return o;
}

static json_t *fixed_desc(const char *const (*fields)[2])
{
	json_t *f = json_array();
	for (size_t i = 0; fields[i][0]; i++)
		field_desc(f, fields[i][0], fields[i][1]);
	return f;
}

/* "Nhiệm vụ: id, group, title, lead, support [{id, name}], ...": a nested
 * record's keys in words, each with its note. */
static void nested_desc(buf_t *b, const char *what, field_owner_t o)
{
	size_t n;
	const field_t *fs = model_fields_of(o, &n);
	buf_printf(b, "%s:", what);
	const char *sep = " ";
	for (size_t i = 0; i < n; i++)
		if (fs[i].json) {
			buf_printf(b, "%s%s", sep, fs[i].json);
			if (fs[i].jnote)
				buf_printf(b, " %s", fs[i].jnote);
			sep = ", ";
		}
}

/* plans.json's keys from the table: a row without a description is named
 * with the next one ("slug, url"). */
static json_t *plans_desc(void)
{
	size_t n;
	const field_t *fs = model_fields_of(FIELD_PLAN, &n);
	json_t *f = json_array();
	buf_t names = BUF_INIT, desc = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!fs[i].json)
			continue;
		buf_printf(&names, "%s%s", names.len ? ", " : "", fs[i].json);
		if (!fs[i].jnote)
			continue;
		buf_clear(&desc);
		if (fs[i].kind == FIELD_NESTED && !strcmp(fs[i].key, "tasks"))
			nested_desc(&desc, fs[i].jnote, FIELD_TASK);
		else if (fs[i].kind == FIELD_NESTED && !strcmp(fs[i].key, "indicators"))
			nested_desc(&desc, fs[i].jnote, FIELD_INDICATOR);
		else
			buf_puts(&desc, fs[i].jnote);
		field_desc(f, names.ptr, desc.ptr);
		buf_clear(&names);
	}
	buf_free(&names);
	buf_free(&desc);
	return f;
}

static json_t *tasks_desc(void)
{
	size_t n;
	const field_t *const *cols = model_fields_csv(&n);
	json_t *f = json_array();
	for (size_t i = 0; i < n; i++)
		field_desc(f, cols[i]->csv, cols[i]->csvdesc ? cols[i]->csvdesc : "");
	return f;
}

/* Every key the files carry is named here (tests/e2e/test_data_fields.sh
 * compares them with what the files hold): plans.json's and tasks.csv's
 * from the table of fields; for the others a row names one key, or several
 * separated by ", ", and the keys of nested records are described in words. */
json_t *data_describe(const site_t *s)
{
	static const char *const units[][2] = {
		{ "id, name", "Mã và tên đơn vị" },
		{ "slug, url", "Địa chỉ trang của đơn vị trên cổng" },
		{ "kind, parent, aliases", "Loại (agency, department, collective), mã đơn vị cấp trên, các tên gọi khác" },
		{ "children", "Mã các đơn vị trực thuộc trực tiếp" },
		{ "registered", "false nếu đơn vị chưa có trong danh mục" },
		{ "lead_stats, support_stats", "Số nhiệm vụ đơn vị trực tiếp chủ trì và phối hợp (không tính đơn vị trực thuộc), theo trạng thái: " MODEL_FIELDS_STATS },
		{ "totals", "Số liệu của trang đơn vị, tính cả các đơn vị trực thuộc (mọi cấp), mỗi nhiệm vụ một lần: led (chủ trì), supported (chỉ phối hợp, không chủ trì), overdue và done (trong các nhiệm vụ đó), issued_plans và issued_tasks (số kế hoạch đơn vị ban hành và số nhiệm vụ của chúng, tính riêng)" },
		{ "rollup_stats, rollup_lead_stats, rollup_support_stats", "Như totals, theo trạng thái: mọi nhiệm vụ; nhiệm vụ chủ trì; nhiệm vụ chỉ phối hợp" },
		{ "issued", "Số ký hiệu (hoặc mã) các kế hoạch đơn vị ban hành" },
		{ "issued_stats", "Số nhiệm vụ của các kế hoạch đơn vị ban hành, theo trạng thái" },
		{ "as_of", "Ngày tính số liệu (YYYY-MM-DD)" },
		{ NULL, NULL }
	};
	static const char *const docs[][2] = {
		{ "number, type, title, issuer, date", "Thông tin văn bản" },
		{ "slug, url", "Địa chỉ trang của văn bản trên cổng" },
		{ "is_plan", "true nếu văn bản là một kế hoạch đăng trên cổng" },
		{ "implements, implemented_by", "Văn bản cấp trên và các văn bản, kế hoạch triển khai trực tiếp" },
		{ "stats", "Số liệu cộng dồn của mọi kế hoạch triển khai văn bản (trực tiếp và gián tiếp), mỗi nhiệm vụ tính một lần: " MODEL_FIELDS_STATS },
		{ "stub", "true nếu văn bản được nhắc đến nhưng chưa có thông tin" },
		{ "as_of", "Ngày tính số liệu (YYYY-MM-DD)" },
		{ NULL, NULL }
	};
	static const char *const changes[][2] = {
		{ "commit, date, time", "Lần cập nhật (commit) trong kho nội dung và thời điểm (múi giờ của lần cập nhật)" },
		{ "author, subject", "Người cập nhật và nội dung ghi chú của lần cập nhật" },
		{ "plan, path, url", "Số ký hiệu (hoặc mã) của kế hoạch, đường dẫn tệp, địa chỉ trang" },
		{ "broken, error", "true nếu tệp không đọc được ở lần cập nhật này, kèm lỗi đầu tiên" },
		{ "changes", "Các thay đổi {task, task_title, field, from, to}: field là added, removed, moved, status, due, due_date, progress, lead, support, title, output (task là số thứ tự nhiệm vụ, task_title tên nhiệm vụ ở lần cập nhật đó) hoặc tên trường của kế hoạch (task null); giá trị như ghi trong tệp, trạng thái theo mã, nhiều đơn vị nối bằng \"; \"" },
		{ NULL, NULL }
	};
	json_t *a = json_array();
	json_array_append_new(a, file_desc(s, "plans.json", "Toàn bộ kế hoạch, nhiệm vụ và chỉ tiêu, kèm các trường tính toán (JSON).", plans_desc()));
	json_array_append_new(a, file_desc(s, "tasks.csv", "Mỗi dòng một nhiệm vụ (CSV theo RFC 4180, UTF-8 có BOM để mở bằng Excel).", tasks_desc()));
	json_array_append_new(a, file_desc(s, "units.json", "Danh mục đơn vị và số nhiệm vụ của từng đơn vị (JSON).", fixed_desc(units)));
	json_array_append_new(a, file_desc(s, "documents.json", "Văn bản cấp trên và chuỗi triển khai (JSON).", fixed_desc(docs)));
	json_array_append_new(a, file_desc(s, "changes.json", "Lịch sử thay đổi kế hoạch và nhiệm vụ theo từng lần cập nhật, mới nhất trước (JSON).", fixed_desc(changes)));
	static const char *const sources[][2] = {
		{ "id, owner", "Mã nguồn (kho của một cơ quan) và mã đơn vị sở hữu" },
		{ "commit, date", "Lần cập nhật (commit) của kho nguồn được đăng và thời điểm của nó (null nếu nguồn không được đăng)" },
		{ "state, held", "current (lần cập nhật mới nhất), held (giữ ở lần cuối dựng được vì lần mới có lỗi) hoặc left-out (chưa có lần nào dựng được); held là true khi không phải current" },
		{ "head, reason", "Lần cập nhật được yêu cầu và, khi giữ lại hoặc không đăng, lỗi đầu tiên" },
		{ NULL, NULL }
	};
	if (s->nsources)
		json_array_append_new(a, file_desc(s, "sources.json", "Các kho nguồn của cổng và lần cập nhật được đăng của mỗi kho (JSON).", fixed_desc(sources)));
	return a;
}

json_t *data_sources(const site_t *s, bool page)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->nsources; i++) {
		const srcinfo_t *in = &s->sources[i];
		json_t *o = json_object();
		SET(o, "id", jstr(in->id));
		SET(o, "owner", jstr(in->owner));
		SET(o, "commit", *in->commit ? jstr(in->commit) : json_null());
		SET(o, "date", *in->date ? jstr(in->date) : json_null());
		SET(o, "state", jstr(in->state));
		SET(o, "held", json_boolean(strcmp(in->state, "current")));
		SET(o, "head", *in->head ? jstr(in->head) : json_null());
		SET(o, "reason", in->reason ? jstr(in->reason) : json_null());
		if (page) {
			SET(o, "is_held", json_boolean(!strcmp(in->state, "held")));
			SET(o, "is_left_out", json_boolean(!strcmp(in->state, "left-out")));
		}
		json_array_append_new(a, o);
	}
	return a;
}
