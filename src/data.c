/* data.c: open data files and the sitemap. */
#include "data.h"

#include <string.h>
#include <unistd.h>

#include "changes.h"
#include "ctx.h"
#include "jalloc.h"

#define SET(o, k, v) json_object_set_new_nocheck((o), (k), (v))

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

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

static json_t *absolute(const site_t *s, const char *url)
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
		SET(o, "slug", jstr(p->slug));
		SET(o, "url", absolute(s, p->url));
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
			SET(x, "overdue", json_boolean(t->overdue));
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
	buf_puts(&b, "plan,task_id,title,lead,support,output,due_text,due_date,status,overdue,progress\r\n");
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
		SET(o, "url", absolute(s, u->url));
		SET(o, "kind", jstr(u->kind));
		SET(o, "parent", u->parent ? json_string(u->parent->id) : json_null());
		json_t *al = json_array();
		for (size_t j = 0; j < u->naliases; j++)
			json_array_append_new(al, json_string(u->aliases[j]));
		SET(o, "aliases", al);
		SET(o, "registered", json_boolean(u->registered));
		SET(o, "lead_stats", stats_obj(&u->lead_stats));
		SET(o, "support_stats", stats_obj(&u->support_stats));
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
		SET(o, "url", absolute(s, dc->url));
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
	json_t *j = absolute(s, url);
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
					     "thay-doi/", "bao-cao-tuan/", "tim-kiem/", "du-lieu/", NULL };
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

int data_write(const site_t *s, out_t *o, diag_t *d, int part)
{
	int rc = 0;
	if (part == 1)
		return put_json(o, d, "du-lieu/changes.json", changes_json(s));
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

static json_t *file_desc(const char *name, const char *desc, const char *const (*fields)[2])
{
	json_t *o = json_object();
	SET(o, "name", json_string(name));
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s", name);
	SET(o, "href", json_string(b.ptr));
	buf_free(&b);
	SET(o, "description", json_string(desc));
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

json_t *data_describe(void)
{
	static const char *const plans[][2] = {
		{ "number", "Số ký hiệu của kế hoạch (null nếu chưa có số)" },
		{ "id", "Mã định danh khi kế hoạch chưa có số" },
		{ "slug, url", "Địa chỉ trang của kế hoạch trên cổng" },
		{ "title", "Trích yếu" },
		{ "issuer", "Cơ quan ban hành {id, name}" },
		{ "date", "Ngày ban hành (YYYY-MM-DD)" },
		{ "implements", "Số ký hiệu các văn bản mà kế hoạch triển khai (dạng chuẩn)" },
		{ "stats", "Số nhiệm vụ: total, done, in_progress, not_started, cancelled, overdue, done_late; percent_done = done / (total − cancelled), làm tròn xuống" },
		{ "as_of", "Ngày tính số liệu: ngày của lần cập nhật (commit) được xuất bản" },
		{ "tasks", "Nhiệm vụ: id, title, lead, support [{id, name}], output, due {text, date, ongoing}, status, overdue, done_late, progress, completed, evidence" },
		{ "indicators", "Chỉ tiêu: id, name, unit, target, by, owner, actual, met" },
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
		{ NULL, NULL }
	};
	static const char *const units[][2] = {
		{ "id, name", "Mã và tên đơn vị" },
		{ "kind, parent, aliases", "Loại, đơn vị cấp trên, các tên gọi khác" },
		{ "registered", "false nếu đơn vị chưa có trong danh mục" },
		{ "lead_stats, support_stats", "Số nhiệm vụ chủ trì và phối hợp, theo trạng thái" },
		{ NULL, NULL }
	};
	static const char *const docs[][2] = {
		{ "number, type, title, issuer, date", "Thông tin văn bản" },
		{ "implements, implemented_by", "Văn bản cấp trên và các văn bản, kế hoạch triển khai trực tiếp" },
		{ "stats", "Số liệu cộng dồn của mọi kế hoạch triển khai văn bản (trực tiếp và gián tiếp), mỗi nhiệm vụ tính một lần" },
		{ "stub", "true nếu văn bản được nhắc đến nhưng chưa có thông tin" },
		{ NULL, NULL }
	};
	json_t *a = json_array();
	json_array_append_new(a, file_desc("plans.json", "Toàn bộ kế hoạch, nhiệm vụ và chỉ tiêu, kèm các trường tính toán (JSON).", plans));
	json_array_append_new(a, file_desc("tasks.csv", "Mỗi dòng một nhiệm vụ (CSV theo RFC 4180, UTF-8 có BOM để mở bằng Excel).", tasks));
	json_array_append_new(a, file_desc("units.json", "Danh mục đơn vị và số nhiệm vụ của từng đơn vị (JSON).", units));
	json_array_append_new(a, file_desc("documents.json", "Văn bản cấp trên và chuỗi triển khai (JSON).", docs));
	static const char *const changes[][2] = {
		{ "commit, date, time", "Lần cập nhật (commit) trong kho nội dung và thời điểm (múi giờ của lần cập nhật)" },
		{ "author, subject", "Người cập nhật và nội dung ghi chú của lần cập nhật" },
		{ "plan, path, url", "Số ký hiệu (hoặc mã) của kế hoạch, đường dẫn tệp, địa chỉ trang" },
		{ "broken, error", "true nếu tệp không đọc được ở lần cập nhật này, kèm lỗi đầu tiên" },
		{ "changes", "Các thay đổi {task, field, from, to}: field là added, removed, moved, status, due, due_date, progress, lead, support, title, output (task là số thứ tự nhiệm vụ) hoặc tên trường của kế hoạch (task null); giá trị như ghi trong tệp, trạng thái theo mã, nhiều đơn vị nối bằng \"; \"" },
		{ NULL, NULL }
	};
	json_array_append_new(a, file_desc("changes.json", "Lịch sử thay đổi kế hoạch và nhiệm vụ theo từng lần cập nhật, mới nhất trước (JSON).", changes));
	return a;
}
