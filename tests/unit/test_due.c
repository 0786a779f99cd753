/* test_due.c: unit tests of due.c (deadline forms, dates, status words, overdue rules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "due.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One deadline as written and what it must parse to. */
typedef struct {
	const char *text;
	date_t date;
	bool ongoing;
	bool parsed;
} due_case_t;

#define ON true
#define OK true

static const due_case_t due_cases[] = {
	/* §4: a day */
	{ "Ngày 15/12/2025", 20251215, false, OK },
	{ "15/12/2025", 20251215, false, OK },
	{ "2025-12-15", 20251215, false, OK },
	{ "Trước ngày 20/12/2025", 20251220, false, OK },
	{ "1/7/2025", 20250701, false, OK },
	{ "01/07/2025", 20250701, false, OK },
	{ "ngày 1/7/2025", 20250701, false, OK },
	{ "NGÀY 15/12/2025", 20251215, false, OK },
	{ "Ngày  15 / 12 / 2025", 20251215, false, OK },
	{ "15-12-2025", 20251215, false, OK },
	{ "15.12.2025", 20251215, false, OK },
	{ "Ngày 15 tháng 12 năm 2025", 20251215, false, OK },
	{ "Trước 31/12/2025", 20251231, false, OK },
	{ "Chậm nhất ngày 30/11/2025", 20251130, false, OK },
	{ "Đến hết ngày 31/12/2025", 20251231, false, OK },
	{ "Thời hạn: 31/12/2025", 20251231, false, OK },
	{ "29/2/2024", 20240229, false, OK },
	{ "Ngày 15/12/2025.", 20251215, false, OK },
	/* §4: a month */
	{ "Tháng 11/2025", 20251130, false, OK },
	{ "tháng 11 năm 2025", 20251130, false, OK },
	{ "THÁNG 2/2024", 20240229, false, OK },
	{ "Tháng 2/2025", 20250228, false, OK },
	{ "Trong tháng 11/2025", 20251130, false, OK },
	{ "Hoàn thành trong tháng 11/2025", 20251130, false, OK },
	{ "Tháng 11 / 2025", 20251130, false, OK },
	{ "Tháng 11-2025", 20251130, false, OK },
	{ "12/2025", 20251231, false, OK },
	/* §4: a quarter, Roman or Arabic */
	{ "Quý III/2025", 20250930, false, OK },
	{ "Quý 3/2025", 20250930, false, OK },
	{ "Quý I /2026", 20260331, false, OK },
	{ "Quý IV năm 2025", 20251231, false, OK },
	{ "Quý II/2026", 20260630, false, OK },
	{ "quý iv/2025", 20251231, false, OK },
	{ "QUÝ IV/2025", 20251231, false, OK },
	{ "Qúy 1/2026", 20260331, false, OK },
	{ "Quý 4 năm 2025", 20251231, false, OK },
	{ "Quý I/năm 2026", 20260331, false, OK },
	{ "Trong quý I/2026", 20260331, false, OK },
	{ "Cuối quý II/2026", 20260630, false, OK },
	/* §4: half years */
	{ "6 tháng đầu năm 2025", 20250630, false, OK },
	{ "6 tháng cuối năm 2025", 20251231, false, OK },
	{ "6 THÁNG ĐẦU NĂM 2026", 20260630, false, OK },
	{ "9 tháng đầu năm 2025", 20250930, false, OK },
	/* §4: years and ranges */
	{ "Năm 2025", 20251231, false, OK },
	{ "Trong năm 2025", 20251231, false, OK },
	{ "2025", 20251231, false, OK },
	{ "năm  2026", 20261231, false, OK },
	{ "Hoàn thành trong năm 2025", 20251231, false, OK },
	{ "Đến năm 2030", 20301231, false, OK },
	{ "Đến hết năm 2030", 20301231, false, OK },
	{ "Cuối năm 2025", 20251231, false, OK },
	{ "2025 - 2026", 20261231, false, OK },
	{ "2025-2026", 20261231, false, OK },
	{ "2025 – 2026", 20261231, false, OK },
	{ "Giai đoạn 2026-2030", 20301231, false, OK },
	{ "Giai đoạn 2026 - 2030", 20301231, false, OK },
	{ "Trong giai đoạn 2026-2030", 20301231, false, OK },
	{ "Năm 2025-2026", 20261231, false, OK },
	{ "Năm 2025 và 2026", 20261231, false, OK },
	{ "Năm 2025 và năm 2026", 20261231, false, OK },
	{ "Từ 2025 đến 2030", 20301231, false, OK },
	{ "Từ năm 2025 đến năm 2030", 20301231, false, OK },
	{ "Từ năm 2025", 0, false, false },
	/* §4: a date, then ongoing */
	{ "Năm 2025 và thường xuyên", 20251231, ON, OK },
	{ "Năm 2025 và những năm tiếp theo", 20251231, ON, OK },
	{ "NĂM 2025 VÀ THƯỜNG XUYÊN", 20251231, ON, OK },
	{ "Năm 2025 và các năm tiếp theo", 20251231, ON, OK },
	{ "Năm 2025, thường xuyên", 20251231, ON, OK },
	{ "Năm 2025 (thường xuyên)", 20251231, ON, OK },
	{ "Quý IV/2025 và những năm tiếp theo", 20251231, ON, OK },
	{ "Tháng 12/2025 và hằng năm", 20251231, ON, OK },
	{ "Năm 2025 và thường xuyên.", 20251231, ON, OK },
	/* §4: ongoing, no deadline */
	{ "Thường xuyên", 0, ON, OK },
	{ "thường xuyên", 0, ON, OK },
	{ "THƯỜNG XUYÊN", 0, ON, OK },
	{ "Hằng năm", 0, ON, OK },
	{ "Hàng năm", 0, ON, OK },
	{ "Hằng quý", 0, ON, OK },
	{ "Hàng quý", 0, ON, OK },
	{ "Hằng tháng", 0, ON, OK },
	{ "Định kỳ hằng năm", 0, ON, OK },
	{ "Quý IV của năm trước", 0, ON, OK },
	{ "Quý IV năm trước", 0, ON, OK },
	{ "Quý I hằng năm", 0, ON, OK },
	{ "Tháng 12 hằng năm", 0, ON, OK },
	{ "Khi có các khóa đào tạo", 0, ON, OK },
	{ "Khi có hướng dẫn của Bộ, ngành", 0, ON, OK },
	{ "Theo kế hoạch của UBND tỉnh", 0, ON, OK },
	{ "Theo yêu cầu", 0, ON, OK },
	{ "Sau khi có hướng dẫn", 0, ON, OK },
	{ "Ngay sau khi được giao", 0, ON, OK },
	{ "Nhiệm vụ thường xuyên", 0, ON, OK },
	/* not deadlines, or not real dates: unparsed */
	{ "", 0, false, false },
	{ "   ", 0, false, false },
	{ "31/2/2025", 0, false, false },
	{ "29/2/2025", 0, false, false },
	{ "32/1/2025", 0, false, false },
	{ "31/4/2025", 0, false, false },
	{ "2025-02-30", 0, false, false },
	{ "2025-13-01", 0, false, false },
	{ "Ngày 31 tháng 2 năm 2025", 0, false, false },
	{ "15/12-2025", 0, false, false },
	{ "15/12", 0, false, false },
	{ "Tháng 13/2025", 0, false, false },
	{ "Tháng 0/2025", 0, false, false },
	{ "Quý V/2025", 0, false, false },
	{ "Quý 5/2025", 0, false, false },
	{ "Quý IV", 0, false, false },
	{ "Tháng 11", 0, false, false },
	{ "2026 - 2025", 0, false, false },
	{ "Năm 25", 0, false, false },
	{ "Đầu năm 2026", 0, false, false },
	{ "Trong 30 ngày", 0, false, false },
	{ "Năm 2025 hoặc 2026", 0, false, false },
	{ "Ngày 15/12/2025 tại Hà Nội", 0, false, false },
	{ "Sớm", 0, false, false },
	{ "abc", 0, false, false },
	{ "< 2025", 0, false, false },
	{ "<2025>", 0, false, false },
	/* the seeds' page-break debris and table headers */
	{ "Thường", 0, false, false },
	{ "xuyên", 0, false, false },
	{ "Thời gian hoàn thành", 0, false, false },
	{ "Thời hạn hoàn thành (Trung ương giao)", 0, false, false },
	{ "--------------------", 0, false, false },
};

/* Every deadline cell of the seed plans (000, 001, 003), as extracted. */
static const due_case_t seed_cases[] = {
	{ "Thường xuyên", 0, ON, OK },
	{ "Trong năm 2025", 20251231, false, OK },
	{ "Khi có các khóa đào tạo", 0, ON, OK },
	{ "Năm 2025", 20251231, false, OK },
	{ "Năm 2026", 20261231, false, OK },
	{ "Quý III/2025", 20250930, false, OK },
	{ "Quý IV/2025", 20251231, false, OK },
	{ "Quý I /2026", 20260331, false, OK },
	{ "Quý IV của năm trước", 0, ON, OK },
	{ "Tháng 9/2025", 20250930, false, OK },
	{ "Tháng 10/2025", 20251031, false, OK },
	{ "Tháng 11/2025", 20251130, false, OK },
	{ "Tháng 12/2025", 20251231, false, OK },
	{ "Tháng 01/2026", 20260131, false, OK },
	{ "Tháng 02/2026", 20260228, false, OK },
	{ "Tháng 3/2026", 20260331, false, OK },
	{ "Tháng 6/2026", 20260630, false, OK },
	{ "Tháng 8/2026", 20260831, false, OK },
	{ "Tháng 11/2026", 20261130, false, OK },
	{ "Tháng 01/2027", 20270131, false, OK },
	{ "Tháng 10/2027", 20271031, false, OK },
	{ "Tháng 01/2029", 20290131, false, OK },
	{ "Năm 2025 và thường xuyên", 20251231, ON, OK },
	{ "Năm 2025 và những năm tiếp theo", 20251231, ON, OK },
	{ "Hằng năm", 0, ON, OK },
	{ "2025 - 2026", 20261231, false, OK },
	{ "Ngày 15/12/2025", 20251215, false, OK },
	{ "Ngày 31/12/2025", 20251231, false, OK },
	{ "Ngày 01/01/2026", 20260101, false, OK },
	{ "Ngày 20/12/2025", 20251220, false, OK },
	{ "Ngày 10/12/2025", 20251210, false, OK },
	{ "Ngày 30/11/2025", 20251130, false, OK },
	{ "Ngày 30/9/2026", 20260930, false, OK },
	{ "Ngày 30/6/2028", 20280630, false, OK },
	{ "Ngày 25/4/2025", 20250425, false, OK },
	{ "Ngày 20/12/2026", 20261220, false, OK },
	{ "20/12/2025", 20251220, false, OK },
	/* cells of 003 still wrapped in the extraction's HTML */
	{ "<p>Ngày 01/01/2026</p>", 20260101, false, OK },
	{ "<p>Ngày 15/12/2025</p>", 20251215, false, OK },
	{ "<i>Thường xuyên</i>", 0, ON, OK },
	{ "Năm 2025<br/>và thường xuyên", 20251231, ON, OK },
};

static void check_due_table(const due_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		due_t d;
		memset(&d, 0xAB, sizeof(d));	/* must be overwritten */
		int rc = due_parse(cases[i].text, &d);
		if (rc != (cases[i].parsed ? 0 : -1) ||
		    d.parsed != cases[i].parsed || d.date != cases[i].date ||
		    d.ongoing != cases[i].ongoing)
			fail_msg("\"%s\": rc %d, parsed %d, date %d, ongoing %d; "
				 "want parsed %d, date %d, ongoing %d",
				 cases[i].text, rc, d.parsed, d.date, d.ongoing,
				 cases[i].parsed, cases[i].date,
				 cases[i].ongoing);
	}
}

static void test_due_forms(void **state)
{
	check_due_table(due_cases, N(due_cases));
}

/* due_parse remembers short texts it parsed: asked again, in any order,
 * it must answer the same, for forms it knows and forms it does not. */
static void test_due_again(void **state)
{
	for (int round = 0; round < 3; round++)
		check_due_table(due_cases, N(due_cases));
	due_case_t rev[N(due_cases)];
	for (size_t i = 0; i < N(due_cases); i++)
		rev[i] = due_cases[N(due_cases) - 1 - i];
	check_due_table(rev, N(rev));
	check_due_table(seed_cases, N(seed_cases));
	check_due_table(due_cases, N(due_cases));
}

static void test_due_seeds(void **state)
{
	check_due_table(seed_cases, N(seed_cases));
}

static void test_due_tone_placement(void **state)
{
	/* decomposed text, old-style marks: the words still match */
	static const due_case_t cases[] = {
		{ "Thu\xCC\x9Bo\xCC\x9B\xCC\x80ng xuye\xCC\x82n", 0, ON, OK },
		{ "Qu\xCC\x81y I/2026", 20260331, false, OK },
		{ "Hoa\xCC\x80n tha\xCC\x80nh trong na\xCC\x86m 2025",
		  20251231, false, OK },
	};
	check_due_table(cases, N(cases));
}

static void test_due_null(void **state)
{
	due_t d = { 1, true, true };
	assert_int_equal(due_parse(NULL, &d), -1);
	assert_int_equal(d.date, 0);
	assert_false(d.parsed);
	assert_false(d.ongoing);
}

static void test_overdue(void **state)
{
	const due_t day = { 20251215, false, true };
	const due_t then_ongoing = { 20251231, true, true };
	const due_t ongoing = { 0, true, true };
	const due_t none = { 0, false, false };
	static const struct {
		int which;	/* 0 day, 1 then ongoing, 2 ongoing, 3 none */
		status_t st;
		date_t as_of;
		bool want;
	} cases[] = {
		/* the deadline day itself is on time, the day after is not */
		{ 0, STATUS_NOT_STARTED, 20251214, false },
		{ 0, STATUS_NOT_STARTED, 20251215, false },
		{ 0, STATUS_NOT_STARTED, 20251216, true },
		{ 0, STATUS_IN_PROGRESS, 20251215, false },
		{ 0, STATUS_IN_PROGRESS, 20251216, true },
		{ 0, STATUS_IN_PROGRESS, 20260601, true },
		/* done or cancelled: never overdue */
		{ 0, STATUS_DONE, 20251216, false },
		{ 0, STATUS_CANCELLED, 20251216, false },
		{ 0, STATUS_CANCELLED, 20991231, false },
		/* a date then ongoing: overdue only while not started */
		{ 1, STATUS_NOT_STARTED, 20251231, false },
		{ 1, STATUS_NOT_STARTED, 20260101, true },
		{ 1, STATUS_IN_PROGRESS, 20260101, false },
		{ 1, STATUS_DONE, 20260101, false },
		{ 1, STATUS_CANCELLED, 20260101, false },
		/* no deadline: never overdue */
		{ 2, STATUS_NOT_STARTED, 20991231, false },
		{ 3, STATUS_NOT_STARTED, 20991231, false },
		{ 3, STATUS_IN_PROGRESS, 20991231, false },
	};
	const due_t *dues[] = { &day, &then_ongoing, &ongoing, &none };
	for (size_t i = 0; i < N(cases); i++)
		if (due_overdue(dues[cases[i].which], cases[i].st,
				cases[i].as_of) != cases[i].want)
			fail_msg("case %zu: overdue should be %d", i,
				 cases[i].want);
	assert_false(due_overdue(NULL, STATUS_NOT_STARTED, 20991231));

	/* from parsed text, as the model will use it */
	due_t d;
	assert_int_equal(due_parse("Quý I /2026", &d), 0);
	assert_false(due_overdue(&d, STATUS_IN_PROGRESS, 20260331));
	assert_true(due_overdue(&d, STATUS_IN_PROGRESS, 20260401));
	assert_int_equal(due_parse("Năm 2025 và thường xuyên", &d), 0);
	assert_true(due_overdue(&d, STATUS_NOT_STARTED, 20260101));
	assert_false(due_overdue(&d, STATUS_IN_PROGRESS, 20260101));
	assert_int_equal(due_parse("Thường xuyên", &d), 0);
	assert_false(due_overdue(&d, STATUS_NOT_STARTED, 20991231));
}

static void test_done_late(void **state)
{
	const due_t day = { 20251215, false, true };
	const due_t then_ongoing = { 20251231, true, true };
	const due_t ongoing = { 0, true, true };

	assert_false(due_done_late(&day, STATUS_DONE, 20251214));
	assert_false(due_done_late(&day, STATUS_DONE, 20251215));
	assert_true(due_done_late(&day, STATUS_DONE, 20251216));
	assert_false(due_done_late(&day, STATUS_IN_PROGRESS, 20251216));
	assert_false(due_done_late(&day, STATUS_CANCELLED, 20251216));
	assert_false(due_done_late(&day, STATUS_DONE, 0));
	assert_true(due_done_late(&then_ongoing, STATUS_DONE, 20260105));
	assert_false(due_done_late(&ongoing, STATUS_DONE, 20260105));
	assert_false(due_done_late(NULL, STATUS_DONE, 20260105));
}

static void test_status_words(void **state)
{
	static const struct {
		const char *s;
		int want;	/* -1: rejected */
	} cases[] = {
		{ "not_started", STATUS_NOT_STARTED },
		{ "in_progress", STATUS_IN_PROGRESS },
		{ "done", STATUS_DONE },
		{ "cancelled", STATUS_CANCELLED },
		{ "canceled", STATUS_CANCELLED },
		{ "DONE", STATUS_DONE },
		{ " in_progress ", STATUS_IN_PROGRESS },
		{ "Chưa thực hiện", STATUS_NOT_STARTED },
		{ "CHƯA THỰC HIỆN", STATUS_NOT_STARTED },
		{ "Chưa triển khai", STATUS_NOT_STARTED },
		{ "Đang thực hiện", STATUS_IN_PROGRESS },
		{ "đang  thực hiện", STATUS_IN_PROGRESS },
		{ "Đang triển khai", STATUS_IN_PROGRESS },
		{ "Hoàn thành", STATUS_DONE },
		{ "HOÀN THÀNH", STATUS_DONE },
		{ "hoàn thành", STATUS_DONE },
		{ "Đã hoàn thành", STATUS_DONE },
		{ "Ho\xCC\x80\x61n tha\xCC\x80nh", -1 },	/* hòan: misspelt */
		{ "Hoa\xCC\x80n tha\xCC\x80nh", STATUS_DONE },	/* NFD */
		{ "Hủy", STATUS_CANCELLED },
		{ "Huỷ", STATUS_CANCELLED },
		{ "hủy", STATUS_CANCELLED },
		{ "HUỶ", STATUS_CANCELLED },
		{ "Đã hủy", STATUS_CANCELLED },
		{ "Đã huỷ", STATUS_CANCELLED },
		{ "Dừng thực hiện", STATUS_CANCELLED },
		{ "", -1 },
		{ "Hoan thanh", -1 },
		{ "xong", -1 },
		{ "Hoàn", -1 },
		{ "not started", -1 },
	};
	for (size_t i = 0; i < N(cases); i++) {
		status_t st = STATUS_COUNT;
		int rc = status_parse(cases[i].s, &st);
		if (rc != (cases[i].want < 0 ? -1 : 0) ||
		    (rc == 0 && (int)st != cases[i].want))
			fail_msg("\"%s\": rc %d, status %d; want %d",
				 cases[i].s, rc, (int)st, cases[i].want);
	}
	status_t st;
	assert_int_equal(status_parse(NULL, &st), -1);
}

static void test_status_names(void **state)
{
	static const char *const ids[] = {
		"not_started", "in_progress", "done", "cancelled"
	};
	static const char *const labels[] = {
		"Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Đã hủy"
	};
	for (int i = 0; i < STATUS_COUNT; i++) {
		status_t st;
		assert_string_equal(status_id((status_t)i), ids[i]);
		assert_string_equal(status_label_vi((status_t)i), labels[i]);
		assert_int_equal(status_parse(status_id((status_t)i), &st), 0);
		assert_int_equal(st, i);
		assert_int_equal(status_parse(status_label_vi((status_t)i), &st), 0);
		assert_int_equal(st, i);
	}
	assert_string_equal(status_id(STATUS_COUNT), "");
	assert_string_equal(status_label_vi(STATUS_COUNT), "");
}

/* A deadline written with its day needs no "Hạn cuối" line on the page. */
static void test_text_exact(void **state)
{
	(void)state;
	assert_true(due_text_exact("15/12/2025", 20251215));
	assert_true(due_text_exact("Trước ngày 05/01/2026", 20260105));
	assert_true(due_text_exact("5/1/2026", 20260105));
	assert_true(due_text_exact("2026-01-05", 20260105));
	assert_false(due_text_exact("Quý IV/2025", 20251231));
	assert_false(due_text_exact("Năm 2025", 20251231));
	assert_false(due_text_exact("15/12/2025", 20251216));
	assert_false(due_text_exact(NULL, 20251215));
	assert_false(due_text_exact("15/12/2025", 0));
	/* the three forms are written by hand: the same as printf's, for
	 * every day of a few years */
	for (int y = 1999; y <= 2031; y += 8)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 28; d++) {
				char a[64], b[64], c[64];
				snprintf(a, sizeof a, "x %d/%d/%d y", d, m, y);
				snprintf(b, sizeof b, "(%02d/%02d/%d)", d, m, y);
				snprintf(c, sizeof c, "%d-%02d-%02d.", y, m, d);
				date_t dt = (date_t)(y * 10000 + m * 100 + d);
				assert_true(due_text_exact(a, dt));
				assert_true(due_text_exact(b, dt));
				assert_true(due_text_exact(c, dt));
				/* and a neighbouring day is not */
				assert_false(due_text_exact(c, dt + (d < 28 ? 1 : -1)));
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_forms),
		cmocka_unit_test(test_due_seeds),
		cmocka_unit_test(test_due_again),
		cmocka_unit_test(test_due_tone_placement),
		cmocka_unit_test(test_due_null),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_done_late),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_text_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
