/* model_fields.c: the table of plan, task and indicator fields (see
 * model_fields.h).  Add a field here; a plain text one needs nothing else
 * in C, only a template cell and its strings. */
#include "model_fields.h"

#include <pthread.h>
#include <string.h>

#include "i18n.h"
#include "model.h"

#define AT(type, m) offsetof(type, m)
#define NONE 0

static const field_req_t req_plan_title = {
	"E038", N_("thêm \"title: ...\" (trích yếu)"), N_("kế hoạch không có title (bắt buộc)")
};
static const field_req_t req_task_id = {
	"E028", N_("thêm \"id: ...\" (số thứ tự TT của nhiệm vụ)"), N_("nhiệm vụ không có id (bắt buộc)")
};
static const field_req_t req_task_title = {
	"E029", N_("thêm \"title: ...\" (nội dung nhiệm vụ)"), N_("nhiệm vụ %s không có title (bắt buộc)")
};
static const field_req_t req_ind_name = {
	"E034", N_("thêm \"name: ...\""), N_("chỉ tiêu không có name (bắt buộc)")
};

/* key, kind, own, off, off2, req, json, jnote, csv, csvpos, csvdesc, hist, label, cell */
static const field_t plan_rows[] = {
	{ "number", FIELD_TEXT, true, AT(plan_t, number), 0, NULL, "number",
	  "Số ký hiệu của kế hoạch (null nếu chưa có số)", NULL, 0, NULL, 0, NULL, false },
	{ "id", FIELD_TEXT, true, AT(plan_t, id), 0, NULL, "id",
	  "Mã định danh khi kế hoạch chưa có số", NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_TEXT, true, AT(plan_t, name), 0, NULL, "name",
	  "Tên ngắn dùng trên cổng: số ký hiệu; nếu chưa có số thì short_title, hoặc loại văn bản, cơ quan ban hành và ngày",
	  NULL, 0, NULL, 0, NULL, false },
	{ "short_title", FIELD_TEXT, false, AT(plan_t, short_title), 0, NULL, "short_title",
	  "Tên ngắn do người biên tập đặt (null nếu không có)", NULL, 0, NULL, 0, NULL, false },
	/* a row without a description shares the next row's */
	{ NULL, FIELD_TEXT, true, AT(plan_t, slug), 0, NULL, "slug", NULL, NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_URL, true, AT(plan_t, url), 0, NULL, "url",
	  "Địa chỉ trang của kế hoạch trên cổng", NULL, 0, NULL, 0, NULL, false },
	{ "type", FIELD_TEXT, false, AT(plan_t, type), 0, NULL, "type",
	  "Loại văn bản (Kế hoạch, Chương trình ...)", NULL, 0, NULL, 2, "chg_plan_type", false },
	{ "title", FIELD_TEXT, false, AT(plan_t, title), 0, &req_plan_title, "title",
	  "Trích yếu", NULL, 0, NULL, 1, "chg_plan_title", false },
	{ "issuer", FIELD_UNIT, false, AT(plan_t, issuer), AT(plan_t, has_issuer), NULL, "issuer",
	  "Cơ quan ban hành {id, name}", NULL, 0, NULL, 3, "chg_plan_issuer", false },
	{ "place", FIELD_TEXT, false, AT(plan_t, place), 0, NULL, "place",
	  "Địa danh ban hành", NULL, 0, NULL, 4, "chg_plan_place", false },
	{ "date", FIELD_DATE, false, AT(plan_t, date), 0, NULL, "date",
	  "Ngày ban hành (YYYY-MM-DD)", NULL, 0, NULL, 5, "chg_plan_date", false },
	{ "status", FIELD_PLAN_STATUS, true, AT(plan_t, status_text), 0, NULL, "status",
	  "Hiệu lực: in_force (đang có hiệu lực) hoặc superseded (đã được thay thế)", NULL, 0, NULL,
	  8, "chg_plan_status", false },
	{ "implements", FIELD_IMPLEMENTS, false, AT(plan_t, implements), AT(plan_t, nimplements), NULL,
	  "implements", "Số ký hiệu các văn bản mà kế hoạch triển khai (dạng chuẩn)", NULL, 0, NULL,
	  7, "chg_plan_implements", false },
	{ NULL, FIELD_STATS, true, AT(plan_t, stats), 0, NULL, "stats",
	  "Số nhiệm vụ: " MODEL_FIELDS_STATS, NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_INT, true, AT(plan_t, incomplete5), 0, NULL, "incomplete_tasks",
	  "Số nhiệm vụ chưa đủ \"5 rõ\" (nội dung, đơn vị chủ trì, kết quả, thời hạn)", NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_AS_OF, true, 0, 0, NULL, "as_of",
	  "Ngày tính số liệu: ngày của lần cập nhật (commit) được xuất bản", NULL, 0, NULL, 0, NULL, false },
	{ "tasks", FIELD_NESTED, true, AT(plan_t, tasks), AT(plan_t, ntasks), NULL, "tasks",
	  "Nhiệm vụ", NULL, 0, NULL, 0, NULL, false },
	{ "indicators", FIELD_NESTED, true, AT(plan_t, indicators), AT(plan_t, nindicators), NULL,
	  "indicators", "Chỉ tiêu", NULL, 0, NULL, 0, NULL, false },
	{ "signer", FIELD_SIGNER, true, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, 6, "chg_plan_signer", false },
	{ "attachments", FIELD_LIST, false, AT(plan_t, attachments), AT(plan_t, nattachments), NULL,
	  NULL, NULL, NULL, 0, NULL, 0, NULL, false },
	{ "groups", FIELD_NESTED, true, AT(plan_t, groups), AT(plan_t, ngroups), NULL, NULL, NULL,
	  NULL, 0, NULL, 0, NULL, false },
};

static const field_t task_rows[] = {
	{ NULL, FIELD_PLAN_REF, true, 0, 0, NULL, NULL, NULL, "plan", 1,
	  "Số ký hiệu (hoặc mã) của kế hoạch", 0, NULL, false },
	{ "id", FIELD_TEXT, false, AT(task_t, id), 0, &req_task_id, "id", NULL, "task_id", 2,
	  "Số thứ tự nhiệm vụ trong kế hoạch", 0, NULL, true },
	{ "group", FIELD_TEXT, false, AT(task_t, group), 0, NULL, "group", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "title", FIELD_TEXT, false, AT(task_t, title), 0, &req_task_title, "title", NULL, "title", 3,
	  "Nội dung nhiệm vụ", 1, "chg_title", true },
	{ "lead", FIELD_UNITS, false, AT(task_t, lead), 0, NULL, "lead", NULL, "lead", 4,
	  "Đơn vị chủ trì (nhiều đơn vị cách nhau bằng dấu ;)", 5, "chg_lead", true },
	{ "support", FIELD_UNITS, false, AT(task_t, support), 0, NULL, "support", "[{id, name}]",
	  "support", 5, "Đơn vị phối hợp", 6, "chg_support", true },
	{ "output", FIELD_TEXT, false, AT(task_t, output), 0, NULL, "output", NULL, "output", 6,
	  "Kết quả, sản phẩm", 7, "chg_output", true },
	{ "due", FIELD_DEADLINE, false, AT(task_t, due_text), AT(task_t, due), NULL, "due",
	  "{text, date, ongoing}", "due_text", 7, "Thời hạn như văn bản ghi", 3, "chg_due", true },
	{ "due_date", FIELD_DUE_DATE, false, AT(task_t, due), 0, NULL, NULL, NULL, "due_date", 8,
	  "Hạn cuối đã quy đổi (YYYY-MM-DD), trống nếu thường xuyên hoặc không xác định", 0,
	  "chg_due_date", false },
	{ "status", FIELD_STATUS, false, AT(task_t, status), 0, NULL, "status", NULL, "status", 9,
	  "not_started, in_progress, done hoặc cancelled", 2, "chg_status", true },
	{ NULL, FIELD_STATUS_LABEL, true, AT(task_t, status), 0, NULL, "status_label",
	  "(trạng thái bằng tiếng Việt)", "status_label", 14,
	  "Trạng thái bằng tiếng Việt (Chưa thực hiện, Đang thực hiện, Hoàn thành, Dừng thực hiện)", 0, NULL, false },
	{ NULL, FIELD_BOOL, true, AT(task_t, overdue), 0, NULL, "overdue", NULL, "overdue", 10,
	  "true nếu có hạn, chưa hoàn thành, chưa hủy và hạn trước ngày tính số liệu", 0, NULL, false },
	{ NULL, FIELD_DAYS_LATE, true, 0, 0, NULL, "days_late",
	  "(số ngày quá hạn, null nếu không quá hạn)", NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_BOOL, true, AT(task_t, done_late), 0, NULL, "done_late", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "progress", FIELD_PROGRESS, false, AT(task_t, progress), 0, NULL, "progress", NULL, "progress", 11,
	  "Tiến độ (%), trống nếu không báo cáo", 4, "chg_progress", false },
	{ "completed", FIELD_DATE, false, AT(task_t, completed), 0, NULL, "completed", NULL, NULL, 0,
	  NULL, 0, NULL, false },
	{ "source", FIELD_TEXT, false, AT(task_t, source), 0, NULL, "source", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "evidence", FIELD_LIST, false, AT(task_t, evidence), AT(task_t, nevidence), NULL, "evidence",
	  NULL, NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_BOOL, true, AT(task_t, complete5), 0, NULL, "complete5", "(đủ \"5 rõ\")", NULL, 0,
	  NULL, 0, NULL, false },
	/* shown on the plan's page, not published as data */
	{ "note", FIELD_TEXT, false, AT(task_t, note), 0, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_AS_OF, true, 0, 0, NULL, NULL, NULL, "as_of", 12, "Ngày tính số liệu (YYYY-MM-DD)",
	  0, NULL, false },
	{ NULL, FIELD_PLAN_TITLE, true, 0, 0, NULL, NULL, NULL, "plan_title", 13,
	  "Trích yếu của kế hoạch", 0, NULL, false },
};

static const field_t indicator_rows[] = {
	{ "id", FIELD_TEXT, false, AT(indicator_t, id), 0, NULL, "id", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "group", FIELD_TEXT, false, AT(indicator_t, group), 0, NULL, "group", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "name", FIELD_TEXT, false, AT(indicator_t, name), 0, &req_ind_name, "name", NULL, NULL, 0, NULL,
	  0, NULL, false },
	{ "unit", FIELD_TEXT, false, AT(indicator_t, unit), 0, NULL, "unit", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "target", FIELD_TEXT, false, AT(indicator_t, target), 0, NULL, "target", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "by", FIELD_TEXT, false, AT(indicator_t, by), 0, NULL, "by", NULL, NULL, 0, NULL, 0, NULL, false },
	{ "owner", FIELD_UNIT, false, AT(indicator_t, owner), AT(indicator_t, has_owner), NULL, "owner",
	  "{id, name}", NULL, 0, NULL, 0, NULL, false },
	{ "actual", FIELD_TEXT, false, AT(indicator_t, actual), 0, NULL, "actual", NULL, NULL, 0, NULL, 0, NULL, false },
	{ NULL, FIELD_MET, true, AT(indicator_t, met), 0, NULL, "met", NULL, NULL, 0, NULL, 0, NULL, false },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ROWS_MAX 64

static const struct {
	const field_t *rows;
	size_t n;
	size_t extra_off;       /* offsetof the record's extra[] */
} owners[FIELD_OWNERS] = {
	{ plan_rows, N(plan_rows), AT(plan_t, extra) },
	{ task_rows, N(task_rows), AT(task_t, extra) },
	{ indicator_rows, N(indicator_rows), AT(indicator_t, extra) },
};

/* What is derived from the rows once: the known keys, the extra[] and
 * history slots, the history's order, the CSV's columns. */
static struct derived {
	const char *known[ROWS_MAX + 1];
	int extra[ROWS_MAX];        /* slot in extra[], -1 */
	size_t nextra;
	int hslot[ROWS_MAX];        /* slot in a history record's text[], -1 */
	size_t nhtext;
	const field_t *hist[ROWS_MAX];
	size_t nhist;
} derived[FIELD_OWNERS];
static const field_t *csv_cols[ROWS_MAX];
static size_t ncsv;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void derive(void)
{
	for (int o = 0; o < FIELD_OWNERS; o++) {
		struct derived *d = &derived[o];
		size_t nk = 0;
		_Static_assert(N(task_rows) <= ROWS_MAX && N(plan_rows) <= ROWS_MAX, "ROWS_MAX");
		for (size_t i = 0; i < owners[o].n; i++) {
			const field_t *f = &owners[o].rows[i];
			if (f->key)
				d->known[nk++] = f->key;
			d->extra[i] = f->off == FIELD_EXTRA ? (int)d->nextra++ : -1;
			d->hslot[i] = f->hist && f->kind == FIELD_TEXT ? (int)d->nhtext++ : -1;
		}
		d->known[nk] = NULL;
		/* the history's order: by hist (a few rows: insertion) */
		for (int h = 1; h <= ROWS_MAX; h++)
			for (size_t i = 0; i < owners[o].n; i++)
				if (owners[o].rows[i].hist == h)
					d->hist[d->nhist++] = &owners[o].rows[i];
	}
	for (int pos = 1; pos <= ROWS_MAX; pos++)
		for (size_t i = 0; i < N(task_rows); i++)
			if (task_rows[i].csv && task_rows[i].csvpos == pos)
				csv_cols[ncsv++] = &task_rows[i];
}

static const struct derived *get(field_owner_t o)
{
	pthread_once(&once, derive);
	return &derived[o];
}

const field_t *model_fields_of(field_owner_t o, size_t *n)
{
	*n = owners[o].n;
	return owners[o].rows;
}

const char *const *model_fields_known(field_owner_t o)
{
	return get(o)->known;
}

size_t model_fields_extra_count(field_owner_t o)
{
	return get(o)->nextra;
}

const char **model_fields_text_ref(void *rec, field_owner_t o, const field_t *f)
{
	if (f->off != FIELD_EXTRA)
		return (const char **)((char *)rec + f->off);
	const char **extra = *(const char ***)((char *)rec + owners[o].extra_off);
	return &extra[get(o)->extra[f - owners[o].rows]];
}

const char *model_fields_text(const void *rec, field_owner_t o, const field_t *f)
{
	if (f->off != FIELD_EXTRA)
		return *(const char *const *)((const char *)rec + f->off);
	const char *const *extra = *(const char *const *const *)((const char *)rec + owners[o].extra_off);
	return extra ? extra[get(o)->extra[f - owners[o].rows]] : NULL;
}

const field_t *const *model_fields_hist(field_owner_t o, size_t *n)
{
	const struct derived *d = get(o);
	*n = d->nhist;
	return d->hist;
}

int model_fields_hist_slot(field_owner_t o, const field_t *f)
{
	return get(o)->hslot[f - owners[o].rows];
}

size_t model_fields_hist_texts(field_owner_t o)
{
	return get(o)->nhtext;
}

const field_t *model_fields_find(field_owner_t o, const char *key)
{
	for (size_t i = 0; i < owners[o].n; i++)
		if (owners[o].rows[i].key && !strcmp(owners[o].rows[i].key, key))
			return &owners[o].rows[i];
	return NULL;
}

size_t model_fields_task_columns(void)
{
	size_t n = 0;
	for (size_t i = 0; i < N(task_rows); i++)
		n += task_rows[i].cell;
	return n;
}

const field_t *const *model_fields_csv(size_t *n)
{
	get(FIELD_TASK);
	*n = ncsv;
	return csv_cols;
}
