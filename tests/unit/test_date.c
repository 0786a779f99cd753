/* test_date.c: the date module, from tables of cases: valid days and leap
 * years, the two written forms, day and month arithmetic across month and
 * year ends, weekdays, ISO weeks (week 53, weeks across New Year), and the
 * day a commit's time falls on in its own zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_date_valid(void **state)
{
	static const struct {
		int y, m, d;
		bool ok;
	} cases[] = {
		{ 2025, 1, 31, true }, { 2025, 2, 28, true },
		{ 2025, 2, 29, false }, { 2024, 2, 29, true },
		{ 2000, 2, 29, true }, { 1900, 2, 29, false },
		{ 2025, 4, 30, true }, { 2025, 4, 31, false },
		{ 2025, 12, 31, true }, { 2025, 13, 1, false },
		{ 2025, 0, 1, false }, { 2025, 1, 0, false },
		{ 0, 1, 1, false }, { 10000, 1, 1, false },
	};
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(date_valid(cases[i].y, cases[i].m, cases[i].d),
				 cases[i].ok);
}

static void test_date_iso(void **state)
{
	static const struct {
		const char *s;
		date_t want;	/* 0: rejected */
	} cases[] = {
		{ "2025-12-15", 20251215 }, { "2024-02-29", 20240229 },
		{ "0001-01-01", 10101 }, { "2025-02-29", 0 },
		{ "2025-2-15", 0 }, { "2025-12-15x", 0 }, { "2025/12/15", 0 },
		{ " 2025-12-15", 0 }, { "2025-12-1", 0 }, { "", 0 },
		{ "2025-00-10", 0 }, { "abcd-ef-gh", 0 },
	};
	for (size_t i = 0; i < N(cases); i++) {
		date_t d = 1;
		int rc = date_parse_iso(cases[i].s, &d);
		assert_int_equal(rc, cases[i].want ? 0 : -1);
		assert_int_equal(d, cases[i].want);
	}

	char buf[11];
	date_format_iso(20250701, buf);
	assert_string_equal(buf, "2025-07-01");
	date_format_vi(20250701, buf);
	assert_string_equal(buf, "01/07/2025");
	date_format_iso(0, buf);
	assert_string_equal(buf, "");
	date_format_vi(20250231, buf);
	assert_string_equal(buf, "");
	static const struct { date_t d; const char *want; } shorts[] = {
		{ 20250312, "12/3/2025" }, { 20251231, "31/12/2025" }, { 20250101, "1/1/2025" },
		{ 10101, "1/1/1" }, { 99991231, "31/12/9999" }, { 0, "" }, { 20250229, "" },
	};
	for (size_t i = 0; i < N(shorts); i++) {
		date_format_short(shorts[i].d, buf);
		assert_string_equal(buf, shorts[i].want);
	}
}

static void test_date_add_days(void **state)
{
	static const struct {
		date_t d;
		int n;
		date_t want;
	} cases[] = {
		{ 20251215, 0, 20251215 },
		{ 20251215, 1, 20251216 },
		{ 20251231, 1, 20260101 },
		{ 20260101, -1, 20251231 },
		{ 20240228, 1, 20240229 },
		{ 20250228, 1, 20250301 },
		{ 20240301, -1, 20240229 },
		{ 20250101, 365, 20260101 },
		{ 20240101, 366, 20250101 },
		{ 20000101, 146097, 24000101 },	/* 400 years */
		{ 20251215, -20251215, 0 },		/* before year 1 */
		{ 99991231, 1, 0 },
		{ 10101, -1, 0 },
		{ 10101, 3652058, 99991231 },	/* the whole range */
		{ 99991231, -3652058, 10101 },
		{ 0, 1, 0 },
		{ 20250230, 1, 0 },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (date_add_days(cases[i].d, cases[i].n) != cases[i].want)
			fail_msg("%d + %d = %d, want %d", cases[i].d, cases[i].n,
				 date_add_days(cases[i].d, cases[i].n),
				 cases[i].want);

	/* a walk of 10 years day by day agrees with the jumps */
	date_t d = 20200101;
	for (int i = 1; i <= 3653; i++) {
		d = date_add_days(d, 1);
		assert_int_equal(d, date_add_days(20200101, i));
		assert_int_equal(date_add_days(d, -i), 20200101);
	}
	assert_int_equal(d, 20300101);
}

/* the days late that pages show ("quá hạn 5 ngày") */
static void test_date_diff_days(void **state)
{
	static const struct {
		date_t a, b;
		int want;
	} cases[] = {
		{ 20251215, 20251215, 0 },
		{ 20251215, 20251216, 1 },
		{ 20251105, 20251210, 35 },
		{ 20251231, 20260101, 1 },
		{ 20240228, 20240301, 2 },	/* leap year */
		{ 20250228, 20250301, 1 },
		{ 20260101, 20251231, -1 },
		{ 20250101, 20260101, 365 },
		{ 0, 20250101, 0 },		/* no date */
		{ 20250230, 20250301, 0 },	/* not a date */
	};
	for (size_t i = 0; i < N(cases); i++)
		if (date_diff_days(cases[i].a, cases[i].b) != cases[i].want)
			fail_msg("%d .. %d = %d, want %d", cases[i].a, cases[i].b,
				 date_diff_days(cases[i].a, cases[i].b), cases[i].want);
	for (int n = -400; n <= 400; n += 7)
		assert_int_equal(date_diff_days(20251215, date_add_days(20251215, n)), n);
}

static void test_leap(void **state)
{
	static const struct { int y; bool leap; } cases[] = {
		{ 2024, true }, { 2025, false }, { 2000, true }, { 1900, false },
		{ 2100, false }, { 2400, true }, { 4, true }, { 1, false },
	};
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(date_leap(cases[i].y), cases[i].leap);
		assert_int_equal(date_month_days(cases[i].y, 2), cases[i].leap ? 29 : 28);
		assert_int_equal(date_month_end(cases[i].y, 2),
				 cases[i].y * 10000 + 200 + (cases[i].leap ? 29 : 28));
	}
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	for (int m = 1; m <= 12; m++)
		assert_int_equal(date_month_days(2025, m), days[m - 1]);
}

static void test_split(void **state)
{
	int y, m, d;
	assert_true(date_split(20251231, &y, &m, &d));
	assert_int_equal(y, 2025);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	assert_false(date_split(0, &y, &m, &d));
	assert_false(date_split(20250229, &y, &m, &d));
	assert_int_equal(date_make(2026, 1, 5), 20260105);
}

static void test_add_months(void **state)
{
	static const struct { date_t d; int n; date_t want; } cases[] = {
		{ 20251215, 0, 20251215 },
		{ 20251215, 1, 20260115 },      /* across the year end */
		{ 20260115, -1, 20251215 },
		{ 20250131, 1, 20250228 },      /* to a shorter month: its last day */
		{ 20240131, 1, 20240229 },      /* a leap February */
		{ 20240229, 12, 20250228 },
		{ 20240229, 48, 20280229 },
		{ 20250331, -1, 20250228 },
		{ 20250531, 1, 20250630 },
		{ 20250115, 24, 20270115 },
		{ 20250115, -13, 20231215 },
		{ 10101, -1, 0 },               /* before year 1 */
		{ 99991215, 1, 0 },             /* after 9999 */
		{ 0, 1, 0 },
		{ 20250230, 1, 0 },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (date_add_months(cases[i].d, cases[i].n) != cases[i].want)
			fail_msg("%d + %d months = %d, want %d", cases[i].d, cases[i].n,
				 date_add_months(cases[i].d, cases[i].n), cases[i].want);
}

static void test_weekday(void **state)
{
	static const struct { date_t d; int wd; } cases[] = {
		{ 20251215, 0 },        /* Monday */
		{ 20251221, 6 },        /* Sunday */
		{ 19700101, 3 },        /* Thursday */
		{ 20000229, 1 },        /* Tuesday */
		{ 20260101, 3 },
		{ 10101, 0 },           /* 1 January of year 1, proleptic: Monday */
		{ 99991231, 4 },        /* Friday */
		{ 0, -1 }, { 20251232, -1 },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (date_weekday(cases[i].d) != cases[i].wd)
			fail_msg("%d: weekday %d, want %d", cases[i].d, date_weekday(cases[i].d),
				 cases[i].wd);
	/* seven days later, the same weekday; the next day, the next one */
	for (date_t d = 20240101; d < 20260101; d = date_add_days(d, 1)) {
		assert_int_equal(date_weekday(date_add_days(d, 7)), date_weekday(d));
		assert_int_equal(date_weekday(date_add_days(d, 1)), (date_weekday(d) + 1) % 7);
	}
}

static void test_iso_week(void **state)
{
	static const struct {
		date_t d;
		int year, week;
		date_t monday;
	} cases[] = {
		{ 20251215, 2025, 51, 20251215 },   /* a Monday */
		{ 20251221, 2025, 51, 20251215 },   /* its Sunday */
		{ 20251210, 2025, 50, 20251208 },
		{ 20251231, 2026, 1, 20251229 },    /* a Wednesday in the next ISO year */
		{ 20260101, 2026, 1, 20251229 },
		{ 20241230, 2025, 1, 20241230 },
		{ 20210103, 2020, 53, 20201228 },   /* a Sunday in the last ISO year */
		{ 20201231, 2020, 53, 20201228 },   /* week 53 */
		{ 20151231, 2015, 53, 20151228 },
		{ 20160103, 2015, 53, 20151228 },
		{ 20160104, 2016, 1, 20160104 },
		{ 20261231, 2026, 53, 20261228 },   /* 2026 has 53 weeks */
		{ 20270103, 2026, 53, 20261228 },
		{ 20270104, 2027, 1, 20270104 },
		{ 20200101, 2020, 1, 20191230 },
		{ 20240229, 2024, 9, 20240226 },
		{ 20230101, 2022, 52, 20221226 },   /* a Sunday in week 52 */
	};
	for (size_t i = 0; i < N(cases); i++) {
		int y, w;
		date_t m;
		date_iso_week(cases[i].d, &y, &w, &m);
		if (y != cases[i].year || w != cases[i].week || m != cases[i].monday)
			fail_msg("%d: %d-W%02d from %d, want %d-W%02d from %d", cases[i].d, y, w, m,
				 cases[i].year, cases[i].week, cases[i].monday);
	}
	/* every day of three years: weeks run Monday to Sunday, numbered on */
	int py = 0, pw = 0;
	for (date_t d = 20200106; d < 20230102; d = date_add_days(d, 1)) {
		int y, w;
		date_t m;
		date_iso_week(d, &y, &w, &m);
		assert_int_equal(date_weekday(m), 0);
		assert_true(date_diff_days(m, d) >= 0 && date_diff_days(m, d) <= 6);
		if (date_weekday(d) == 0 && py)
			assert_true((y == py && w == pw + 1) || (y == py + 1 && w == 1 && pw >= 52));
		py = y;
		pw = w;
	}
}

static void test_of_time(void **state)
{
	static const struct { int64_t t; int tz; date_t want; } cases[] = {
		{ 1767241800, -300, 20251231 },  /* 2026-01-01 04:30 UTC */
		{ 1767241800, 0, 20260101 },
		{ 1767200400, 420, 20260101 },   /* 17:00 UTC = 00:00 +07 */
		{ 1767200399, 420, 20251231 },   /* one second earlier */
		{ 0, 0, 19700101 },
		{ 951782400, 0, 20000229 },      /* a leap day */
	};
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(date_of_time(cases[i].t, cases[i].tz), cases[i].want);

	static const struct { int64_t t; int tz; const char *want; } fmt[] = {
		{ 1766113200, 420, "2025-12-19T10:00:00+07:00" },
		{ 1766113200, 0, "2025-12-19T03:00:00+00:00" },
		{ 1766113200, -330, "2025-12-18T21:30:00-05:30" },
	};
	char buf[DATE_RFC3339_BUF];
	for (size_t i = 0; i < N(fmt); i++) {
		date_format_rfc3339(fmt[i].t, fmt[i].tz, buf);
		assert_string_equal(buf, fmt[i].want);
	}
	date_t today = date_today();
	assert_true(date_valid(today / 10000, today / 100 % 100, today % 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_date_iso),
		cmocka_unit_test(test_date_add_days),
		cmocka_unit_test(test_date_diff_days),
		cmocka_unit_test(test_leap),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_iso_week),
		cmocka_unit_test(test_of_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
