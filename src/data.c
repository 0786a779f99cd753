/* data.c: open data files and the sitemap. */
#include "data.h"

#include <string.h>
#include <unistd.h>

#include "changes.h"
#include "ctx.h"
#include "jalloc.h"
#include "jsonh.h"

static json_t *unit_obj(const unit_t *u)
{
	json_t *o = json_object();
	SET(o, "id", jstr(u->id));
	SET(o, "name", jstr(u->name));
	return o;
}

static json_t *units_of(const urefs_t *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, unit_obj(l->v[i].unit));
	return a;
}

static json_t *stats_obj(const stats_t *st)
{
	json_t *o = json_object();
	SET(o, "total", json_integer(st->total));
	SET(o, "done", json_integer(st->done));
	SET(o, "in_progress", json_integer(st->in_progress));
	SET(o, "not_started", json_integer(st->not_started));
	SET(o, "cancelled", json_integer(st->cancelled));
	SET(o, "overdue", json_integer(st->overdue));
	SET(o, "done_late", json_integer(st->done_late));
	SET(o, "percent_done", json_integer(st->percent_done));
	return o;
}

json_t *data_absolute(const site_t *s, const char *url)
{
	if (!s->base_url)
		return json_string(url);
	/* base_url already ends with base_path */
	buf_t b = BUF_INIT;
	const char *p = strstr(s->base_url, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	size_t host = p ? (size_t)(p - s->base_url) : strlen(s->base_url);
	buf_put(&b, s->base_url, host);
	buf_puts(&b, url);
	json_t *j = json_string(b.ptr);
	buf_free(&b);
	return j;
}

json_t *data_plan_json(const site_t *s, const plan_t *p)
{
	{
		json_t *o = json_object();
		SET(o, "number", jstr(p->number));
		SET(o, "id", jstr(p->id));
		SET(o, "name", jstr(p->name));
		SET(o, "short_title", jstr(p->short_title));
		SET(o, "slug", jstr(p->slug));
		SET(o, "url", data_absolute(s, p->url));
		SET(o, "type", jstr(p->type));
		SET(o, "title", jstr(p->title));
		SET(o, "issuer", p->has_issuer ? unit_obj(p->issuer.unit) : json_null());
		SET(o, "place", jstr(p->place));
		SET(o, "date", ctx_date_iso(p->date));
		SET(o, "status", jstr(p->status_text ? p->status_text : "in_force"));
		json_t *impl = json_array();
		for (size_t j = 0; j < p->nimplements; j++)
			json_array_append_new(impl, json_string(p->impl_docs && p->impl_docs[j]
								? p->impl_docs[j]->number
								: p->implements[j].text));
		SET(o, "implements", impl);
		SET(o, "stats", stats_obj(&p->stats));
		SET(o, "incomplete_tasks", json_integer(p->incomplete5));
		SET(o, "as_of", ctx_date_iso(s->as_of));
		json_t *tasks = json_array();
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			json_t *x = json_object();
			SET(x, "id", jstr(t->id));
			SET(x, "group", jstr(t->group));
			SET(x, "title", jstr(t->title));
			SET(x, "lead", units_of(&t->lead));
			SET(x, "support", units_of(&t->support));
			SET(x, "output", jstr(t->output));
			json_t *due = json_object();
			SET(due, "text", jstr(t->due_text));
			SET(due, "date", ctx_date_iso(t->due.date));
			SET(due, "ongoing", json_boolean(t->due.ongoing));
			SET(x, "due", due);
			SET(x, "status", json_string(status_id(t->status)));
			SET(x, "status_label", json_string(status_label_vi(t->status)));
			SET(x, "overdue", json_boolean(t->overdue));
			SET(x, "days_late", t->overdue ? json_integer(date_diff_days(t->due.date, s->as_of))
						       : json_null());
			SET(x, "done_late", json_boolean(t->done_late));
			SET(x, "progress", t->progress >= 0 ? json_integer(t->progress) : json_null());
			SET(x, "completed", ctx_date_iso(t->completed));
			SET(x, "source", jstr(t->source));
			json_t *ev = json_array();
			for (size_t k = 0; k < t->nevidence; k++)
				json_array_append_new(ev, json_string(t->evidence[k].text));
			SET(x, "evidence", ev);
			SET(x, "complete5", json_boolean(t->complete5));
			json_array_append_new(tasks, x);
		}
		SET(o, "tasks", tasks);
		json_t *inds = json_array();
		for (size_t j = 0; j < p->nindicators; j++) {
			const indicator_t *in = &p->indicators[j];
			json_t *x = json_object();
			SET(x, "id", jstr(in->id));
			SET(x, "group", jstr(in->group));
			SET(x, "name", jstr(in->name));
			SET(x, "unit", jstr(in->unit));
			SET(x, "target", jstr(in->target));
			SET(x, "by", jstr(in->by));
			SET(x, "owner", in->has_owner ? unit_obj(in->owner.unit) : json_null());
			SET(x, "actual", jstr(in->actual));
			SET(x, "met", in->met < 0 ? json_null() : json_boolean(in->met));
			json_array_append_new(inds, x);
		}
		SET(o, "indicators", inds);
		return o;
	}
}

void data_csv_field(buf_t *b, const char *s)
{
	if (!s)
		return;
	/* a cell a spreadsheet would read as a formula (=HYPERLINK(...), +, -,
	 * @, or a tab or CR before one) is made text with a leading quote, as
	 * OWASP recommends against CSV injection */
	if (*s && strchr("=+-@\t\r", *s)) {
		buf_putc(b, '"');
		buf_putc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
		return;
	}
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
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

static char *tasks_csv(const site_t *s, size_t *len)
{
	buf_t b = BUF_INIT;
	/* a byte-order mark, so spreadsheet programs read UTF-8 */
	buf_puts(&b, "\xEF\xBB\xBF");
	/* new columns go at the end: readers of the first ones keep working */
	buf_puts(&b, "plan,task_id,title,lead,support,output,due_text,due_date,status,overdue,progress,"
		     "as_of,plan_title,status_label\r\n");
	char as_of[16] = "";
	if (s->as_of)
		date_format_iso(s->as_of, as_of);
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			char date[16] = "";
			if (t->due.date)
				date_format_iso(t->due.date, date);
			data_csv_field(&b, p->number ? p->number : p->id);
			buf_putc(&b, ',');
			data_csv_field(&b, t->id);
			buf_putc(&b, ',');
			data_csv_field(&b, t->title);
			buf_putc(&b, ',');
			csv_units(&b, &t->lead);
			buf_putc(&b, ',');
			csv_units(&b, &t->support);
			buf_putc(&b, ',');
			data_csv_field(&b, t->output);
			buf_putc(&b, ',');
			data_csv_field(&b, t->due_text);
			buf_putc(&b, ',');
			buf_puts(&b, date);
			buf_putc(&b, ',');
			buf_puts(&b, status_id(t->status));
			buf_putc(&b, ',');
			buf_puts(&b, t->overdue ? "true" : "false");
			buf_putc(&b, ',');
			if (t->progress >= 0)
				buf_printf(&b, "%d", t->progress);
			buf_putc(&b, ',');
			buf_puts(&b, as_of);
			buf_putc(&b, ',');
			data_csv_field(&b, p->title);
			buf_putc(&b, ',');
			data_csv_field(&b, status_label_vi(t->status));
			buf_puts(&b, "\r\n");
		}
	}
	*len = b.len;
	return buf_detach(&b);
}

static json_t *units_json(const site_t *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->nunits; i++) {
		const unit_t *u = s->units[i];
		json_t *o = unit_obj(u);
		SET(o, "slug", jstr(u->slug));
		SET(o, "url", data_absolute(s, u->url));
		SET(o, "kind", jstr(u->kind));
		SET(o, "parent", u->parent ? json_string(u->parent->id) : json_null());
		json_t *al = json_array();
		for (size_t j = 0; j < u->naliases; j++)
			json_array_append_new(al, json_string(u->aliases[j]));
		SET(o, "aliases", al);
		SET(o, "registered", json_boolean(u->registered));
		SET(o, "lead_stats", stats_obj(&u->lead_stats));
		SET(o, "support_stats", stats_obj(&u->support_stats));
		/* the figures of its page: with its sub-units, each task once */
		json_t *ch = json_array();
		for (size_t j = 0; j < u->nchildren; j++)
			json_array_append_new(ch, json_string(u->children[j]->id));
		SET(o, "children", ch);
		json_t *tot = json_object();
		SET(tot, "led", json_integer(u->roll_lead.total));
		SET(tot, "supported", json_integer(u->roll_support.total));
		SET(tot, "overdue", json_integer(u->roll_all.overdue));
		SET(tot, "done", json_integer(u->roll_all.done));
		SET(tot, "issued_plans", json_integer((json_int_t)u->nissued));
		SET(tot, "issued_tasks", json_integer(u->issued_stats.total));
		SET(o, "totals", tot);
		SET(o, "rollup_stats", stats_obj(&u->roll_all));
		SET(o, "rollup_lead_stats", stats_obj(&u->roll_lead));
		SET(o, "rollup_support_stats", stats_obj(&u->roll_support));
		json_t *iss = json_array();
		for (size_t j = 0; j < u->nissued; j++)
			json_array_append_new(iss, json_string(u->issued[j]->number ? u->issued[j]->number
										: u->issued[j]->id));
		SET(o, "issued", iss);
		SET(o, "issued_stats", stats_obj(&u->issued_stats));
		SET(o, "as_of", ctx_date_iso(s->as_of));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *documents_json(const site_t *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->ndocs; i++) {
		const doc_t *dc = s->docs[i];
		json_t *o = json_object();
		SET(o, "number", jstr(dc->number));
		SET(o, "slug", jstr(dc->slug));
		SET(o, "url", data_absolute(s, dc->url));
		SET(o, "type", jstr(dc->type));
		SET(o, "title", jstr(dc->title));
		SET(o, "issuer", jstr(dc->issuer));
		SET(o, "date", ctx_date_iso(dc->date));
		SET(o, "is_plan", json_boolean(dc->plan != NULL));
		SET(o, "stub", json_boolean(dc->stub));
		json_t *up = json_array(), *down = json_array();
		for (size_t j = 0; j < dc->nup; j++)
			json_array_append_new(up, json_string(dc->up[j]->number));
		for (size_t j = 0; j < dc->ndown; j++)
			json_array_append_new(down, json_string(dc->down[j]->number));
		SET(o, "implements", up);
		SET(o, "implemented_by", down);
		SET(o, "stats", stats_obj(&dc->stats));
		SET(o, "as_of", ctx_date_iso(s->as_of));
		json_array_append_new(a, o);
	}
	return a;
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
	static const char *const fixed[] = { "", "ke-hoach/", "van-ban/", "don-vi/", "thoi-han/",
					     "thoi-han/qua-han/", "thoi-han/chua-thuc-hien/",
					     "thoi-han/dang-thuc-hien/", "thoi-han/hoan-thanh/",
					     "thoi-han/hoan-thanh-muon/", "thoi-han/dung-thuc-hien/",
					     "thoi-han/tat-ca/", "thay-doi/", "bao-cao-tuan/",
					     "tim-kiem/", "du-lieu/", NULL };
	for (const char *const *f = fixed; *f; f++) {
		buf_t u = BUF_INIT;
		buf_printf(&u, "%s%s", s->base_path, *f);
		sitemap_url(&b, s, u.ptr);
		buf_free(&u);
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

static int put(out_t *o, diag_t *d, const char *rel, const char *data, size_t len)
{
	char *err = NULL;
	if (out_write(o, rel, data, len, &err) < 0) {
		loc_t loc = { 0 };
		diag_error(d, &loc, "E090", "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

static int put_json(out_t *o, diag_t *d, const char *rel, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	int rc = put(o, d, rel, s, strlen(s));
	free(s);
	return rc;
}

#define PLANS_JSON_PIECE ((size_t)1 << 20)

static int to_buf(const char *text, size_t n, void *b)
{
	buf_put(b, text, n);
	return 0;
}

/* plans.json: one plan's tree at a time (the whole portal's would take
 * hundreds of megabytes of jansson values), its text going to the file a
 * megabyte at a time. */
static int write_plans_json(const site_t *s, out_t *o, diag_t *d)
{
	const char *rel = "du-lieu/plans.json";
	char *err = NULL;
	int fd = out_open(o, rel, &err);
	if (fd >= 0) {
		buf_t pj = BUF_INIT;
		buf_putc(&pj, '[');
		for (size_t i = 0; i < s->nplans && !err; i++) {
			if (i)
				buf_putc(&pj, ',');
			jalloc_begin();
			json_t *j = data_plan_json(s, s->plans[i]);
			json_dump_callback(j, to_buf, &pj, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(j);
			jalloc_end();
			if (pj.len >= PLANS_JSON_PIECE && out_put(fd, rel, pj.ptr, pj.len, &err) == 0)
				buf_clear(&pj);
		}
		buf_putc(&pj, ']');
		if (!err)
			out_put(fd, rel, pj.ptr, pj.len, &err);
		buf_free(&pj);
		if (err)
			close(fd);
		else
			out_close(fd, rel, &err);
	}
	if (!err)
		return 0;
	loc_t loc = { 0 };
	diag_error(d, &loc, "E090", "%s", err);
	free(err);
	return -1;
}

int data_write(const site_t *s, const history_t *h, out_t *o, diag_t *d, int part)
{
	int rc = 0;
	if (part == 1)
		return put_json(o, d, "du-lieu/changes.json", changes_json(s, h));
	if (part == 3) {
		rc |= put_json(o, d, "du-lieu/units.json", units_json(s));
		rc |= put_json(o, d, "du-lieu/documents.json", documents_json(s));
		return rc ? -1 : 0;
	}
	if (part == 2) {
		size_t len;
		char *csv = tasks_csv(s, &len);
		rc |= put(o, d, "du-lieu/tasks.csv", csv, len);
		free(csv);
		char *sm = sitemap(s, &len);
		rc |= put(o, d, "sitemap.xml", sm, len);
		free(sm);
		return rc ? -1 : 0;
	}
	return write_plans_json(s, o, d);
}

static json_t *file_desc(const site_t *s, const char *name, const char *desc,
			 const char *const (*fields)[2])
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
	json_t *f = json_array();
	for (size_t i = 0; fields[i][0]; i++) {
		json_t *x = json_object();
		SET(x, "name", json_string(fields[i][0]));
		SET(x, "description", json_string(fields[i][1]));
		json_array_append_new(f, x);
	}
	SET(o, "fields", f);
	return o;
}

#define STATS_FIELDS "total, done, in_progress, not_started, cancelled, overdue, done_late; percent_done = done / (total − cancelled), làm tròn xuống"

/* Every key the files carry is named here (tests/e2e/test_data_fields.sh
 * compares them with what the files hold): a row names one key, or several
 * separated by ", "; the keys of nested records are described in words. */
json_t *data_describe(const site_t *s)
{
	static const char *const plans[][2] = {
		{ "number", "Số ký hiệu của kế hoạch (null nếu chưa có số)" },
		{ "id", "Mã định danh khi kế hoạch chưa có số" },
		{ "name", "Tên ngắn dùng trên cổng: số ký hiệu; nếu chưa có số thì short_title, hoặc loại văn bản, cơ quan ban hành và ngày" },
		{ "short_title", "Tên ngắn do người biên tập đặt (null nếu không có)" },
		{ "slug, url", "Địa chỉ trang của kế hoạch trên cổng" },
		{ "type", "Loại văn bản (Kế hoạch, Chương trình ...)" },
		{ "title", "Trích yếu" },
		{ "issuer", "Cơ quan ban hành {id, name}" },
		{ "place", "Địa danh ban hành" },
		{ "date", "Ngày ban hành (YYYY-MM-DD)" },
		{ "status", "Hiệu lực: in_force (đang có hiệu lực) hoặc superseded (đã được thay thế)" },
		{ "implements", "Số ký hiệu các văn bản mà kế hoạch triển khai (dạng chuẩn)" },
		{ "stats", "Số nhiệm vụ: " STATS_FIELDS },
		{ "incomplete_tasks", "Số nhiệm vụ chưa đủ \"5 rõ\" (nội dung, đơn vị chủ trì, kết quả, thời hạn)" },
		{ "as_of", "Ngày tính số liệu: ngày của lần cập nhật (commit) được xuất bản" },
		{ "tasks", "Nhiệm vụ: id, group, title, lead, support [{id, name}], output, due {text, date, ongoing}, status, status_label (trạng thái bằng tiếng Việt), overdue, days_late (số ngày quá hạn, null nếu không quá hạn), done_late, progress, completed, source, evidence, complete5 (đủ \"5 rõ\")" },
		{ "indicators", "Chỉ tiêu: id, group, name, unit, target, by, owner {id, name}, actual, met" },
		{ NULL, NULL }
	};
	static const char *const tasks[][2] = {
		{ "plan", "Số ký hiệu (hoặc mã) của kế hoạch" },
		{ "task_id", "Số thứ tự nhiệm vụ trong kế hoạch" },
		{ "title", "Nội dung nhiệm vụ" },
		{ "lead", "Đơn vị chủ trì (nhiều đơn vị cách nhau bằng dấu ;)" },
		{ "support", "Đơn vị phối hợp" },
		{ "output", "Kết quả, sản phẩm" },
		{ "due_text", "Thời hạn như văn bản ghi" },
		{ "due_date", "Hạn cuối đã quy đổi (YYYY-MM-DD), trống nếu thường xuyên hoặc không xác định" },
		{ "status", "not_started, in_progress, done hoặc cancelled" },
		{ "overdue", "true nếu có hạn, chưa hoàn thành, chưa hủy và hạn trước ngày tính số liệu" },
		{ "progress", "Tiến độ (%), trống nếu không báo cáo" },
		{ "as_of", "Ngày tính số liệu (YYYY-MM-DD)" },
		{ "plan_title", "Trích yếu của kế hoạch" },
		{ "status_label", "Trạng thái bằng tiếng Việt (Chưa thực hiện, Đang thực hiện, Hoàn thành, Dừng thực hiện)" },
		{ NULL, NULL }
	};
	static const char *const units[][2] = {
		{ "id, name", "Mã và tên đơn vị" },
		{ "slug, url", "Địa chỉ trang của đơn vị trên cổng" },
		{ "kind, parent, aliases", "Loại (agency, department, collective), mã đơn vị cấp trên, các tên gọi khác" },
		{ "children", "Mã các đơn vị trực thuộc trực tiếp" },
		{ "registered", "false nếu đơn vị chưa có trong danh mục" },
		{ "lead_stats, support_stats", "Số nhiệm vụ đơn vị trực tiếp chủ trì và phối hợp (không tính đơn vị trực thuộc), theo trạng thái: " STATS_FIELDS },
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
		{ "stats", "Số liệu cộng dồn của mọi kế hoạch triển khai văn bản (trực tiếp và gián tiếp), mỗi nhiệm vụ tính một lần: " STATS_FIELDS },
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
	json_array_append_new(a, file_desc(s, "plans.json", "Toàn bộ kế hoạch, nhiệm vụ và chỉ tiêu, kèm các trường tính toán (JSON).", plans));
	json_array_append_new(a, file_desc(s, "tasks.csv", "Mỗi dòng một nhiệm vụ (CSV theo RFC 4180, UTF-8 có BOM để mở bằng Excel).", tasks));
	json_array_append_new(a, file_desc(s, "units.json", "Danh mục đơn vị và số nhiệm vụ của từng đơn vị (JSON).", units));
	json_array_append_new(a, file_desc(s, "documents.json", "Văn bản cấp trên và chuỗi triển khai (JSON).", docs));
	json_array_append_new(a, file_desc(s, "changes.json", "Lịch sử thay đổi kế hoạch và nhiệm vụ theo từng lần cập nhật, mới nhất trước (JSON).", changes));
	return a;
}
