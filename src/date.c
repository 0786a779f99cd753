/* date.c: calendar days (see date.h); the only place that knows the
 * Gregorian calendar. */
#include "date.h"

#include <stdio.h>
#include <time.h>

bool date_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	return m == 2 && date_leap(y) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_month_days(y, m);
}

date_t date_make(int y, int m, int d)
{
	return y * 10000 + m * 100 + d;
}

date_t date_month_end(int y, int m)
{
	return date_make(y, m, date_month_days(y, m));
}

bool date_split(date_t x, int *y, int *m, int *d)
{
	*y = x / 10000;
	*m = x / 100 % 100;
	*d = x % 100;
	return x > 0 && date_valid(*y, *m, *d);
}

/* Days since 0001-01-01 (proleptic Gregorian). */
static long day_number(int y, int m, int d)
{
	long py = y - 1;
	long n = 365 * py + py / 4 - py / 100 + py / 400;
	for (int i = 1; i < m; i++)
		n += date_month_days(y, i);
	return n + d - 1;
}

int date_diff_days(date_t a, date_t b)
{
	int ya, ma, da, yb, mb, db;
	if (!date_split(a, &ya, &ma, &da) || !date_split(b, &yb, &mb, &db))
		return 0;
	return (int)(day_number(yb, mb, db) - day_number(ya, ma, da));
}

date_t date_add_days(date_t x, int n)
{
	int y, m, d;

	if (!date_split(x, &y, &m, &d))
		return 0;
	long z = day_number(y, m, d) + n;
	if (z < 0 || z > day_number(9999, 12, 31))
		return 0;
	/* 146097 days make 400 Gregorian years; the estimate is off by at
	 * most a year, which the loops below correct */
	y = (int)((long long)z * 400 / 146097) + 1;
	while (y > 1 && day_number(y, 1, 1) > z)
		y--;
	while (y < 9999 && day_number(y + 1, 1, 1) <= z)
		y++;
	m = 12;
	while (day_number(y, m, 1) > z)
		m--;
	d = (int)(z - day_number(y, m, 1)) + 1;
	return date_make(y, m, d);
}

date_t date_add_months(date_t x, int n)
{
	int y, m, d;
	if (!date_split(x, &y, &m, &d))
		return 0;
	long months = (long)y * 12 + (m - 1) + n;
	if (months < 12 || months > 9999L * 12 + 11)
		return 0;
	y = (int)(months / 12);
	m = (int)(months % 12) + 1;
	int last = date_month_days(y, m);
	return date_make(y, m, d < last ? d : last);
}

int date_weekday(date_t x)
{
	int y, m, d;
	if (!date_split(x, &y, &m, &d))
		return -1;
	/* 0001-01-01 was a Monday (proleptic Gregorian) */
	return (int)(day_number(y, m, d) % 7);
}

void date_iso_week(date_t d, int *year, int *week, date_t *monday)
{
	int wd = date_weekday(d);
	/* the week belongs to the year of its Thursday */
	date_t thu = date_add_days(d, 3 - wd);
	int ty = thu / 10000;
	int doy = date_diff_days(date_make(ty, 1, 1), thu);
	*year = ty;
	*week = doy / 7 + 1;
	*monday = date_add_days(d, -wd);
}

int date_parse_iso(const char *s, date_t *out)
{
	int v[3] = { 0, 0, 0 };
	static const int width[3] = { 4, 2, 2 };
	const char *p = s;

	*out = 0;
	for (int f = 0; f < 3; f++) {
		if (f > 0 && *p++ != '-')
			return -1;
		for (int i = 0; i < width[f]; i++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[f] = v[f] * 10 + (*p - '0');
		}
	}
	if (*p != '\0' || !date_valid(v[0], v[1], v[2]))
		return -1;
	*out = date_make(v[0], v[1], v[2]);
	return 0;
}

/* Writes v as exactly n decimal digits (v fits: date_split checked the
 * date), by hand because snprintf's truncation warnings cannot see that. */
static void digits(char *p, int v, int n)
{
	for (int i = n; i-- > 0; v /= 10)
		p[i] = (char)('0' + v % 10);
}

void date_format_iso(date_t x, char *out)
{
	int y, m, d;
	if (!date_split(x, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	digits(out, y, 4);
	out[4] = '-';
	digits(out + 5, m, 2);
	out[7] = '-';
	digits(out + 8, d, 2);
	out[10] = '\0';
}

void date_format_vi(date_t x, char *out)
{
	int y, m, d;
	if (!date_split(x, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	digits(out, d, 2);
	out[2] = '/';
	digits(out + 3, m, 2);
	out[5] = '/';
	digits(out + 6, y, 4);
	out[10] = '\0';
}

void date_format_short(date_t x, char *out)
{
	int y, m, d;
	if (!date_split(x, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, DATE_BUF, "%u/%u/%u", (unsigned)d % 100u, (unsigned)m % 100u, (unsigned)y % 10000u);
}

date_t date_of_time(int64_t time, int tz_minutes)
{
	time_t t = (time_t)(time + (int64_t)tz_minutes * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_format_rfc3339(int64_t time, int tz, char *out)
{
	time_t x = (time_t)(time + (int64_t)tz * 60);
	struct tm tm;
	gmtime_r(&x, &tm);
	int a = tz < 0 ? -tz : tz;
	snprintf(out, DATE_RFC3339_BUF, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tz < 0 ? '-' : '+', a / 60 % 100, a % 60);
}

date_t date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
