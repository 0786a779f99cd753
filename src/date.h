/* date.h: calendar days: checks, arithmetic, ISO weeks, the two written
 * forms (2025-12-31, 31/12/2025), and the day a commit's time falls on.
 * Proleptic Gregorian, years 1 to 9999.  Pure functions, except date_today
 * (the clock). */
#ifndef PLANSITE_DATE_H
#define PLANSITE_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* A date as yyyymmdd (20251231), 0 for none: compares with < and >. */
typedef int date_t;

/* Whether y-m-d is a real calendar day (1 <= y <= 9999). */
bool date_valid(int y, int m, int d);
bool date_leap(int y);
/* Days in month m (1..12) of year y. */
int date_month_days(int y, int m);

/* y, m, d as a date_t; the day must be valid (date_valid). */
date_t date_make(int y, int m, int d);
/* The last day of month m of year y. */
date_t date_month_end(int y, int m);
/* The parts of d; true when d is a valid date (the parts are set anyway). */
bool date_split(date_t d, int *y, int *m, int *day);

/* Parses "YYYY-MM-DD" strictly (a real calendar day).  0 or -1 (and *out 0). */
int date_parse_iso(const char *s, date_t *out);
/* Write "YYYY-MM-DD" / "DD/MM/YYYY" into out (at least DATE_BUF bytes);
 * "" when d is not a date (0 means none), so a page shows nothing. */
#define DATE_BUF 11
void date_format_iso(date_t d, char *out);
void date_format_vi(date_t d, char *out);
/* Writes "D/M/YYYY" (12/3/2025), as a plan's name says its date, into out
 * (at least DATE_BUF bytes); "" when d is not a date. */
void date_format_short(date_t d, char *out);

/* The date n days after d (n may be negative); 0 when d is not a date or
 * the result leaves years 1..9999. */
date_t date_add_days(date_t d, int n);
/* Days from a to b (b - a; negative when b is earlier); 0 if either is
 * not a date. */
int date_diff_days(date_t a, date_t b);
/* The same day n months later (n may be negative), or the month's last
 * day when it has fewer (31/01 + 1 month = 28 or 29/02); 0 when d is not a
 * date or the result leaves years 1..9999. */
date_t date_add_months(date_t d, int n);

/* The day of the week: 0 Monday .. 6 Sunday; -1 when d is not a date. */
int date_weekday(date_t d);
/* The ISO 8601 week of d: its year (which may differ from d's near New
 * Year), its number (1..53) and its Monday. */
void date_iso_week(date_t d, int *year, int *week, date_t *monday);

/* The calendar day of a time (seconds since 1970, UTC) in a zone
 * tz_minutes east of UTC (a commit's time and zone). */
date_t date_of_time(int64_t time, int tz_minutes);
/* The time as RFC 3339 in that zone: 2025-12-19T10:00:00+07:00. */
#define DATE_RFC3339_BUF 64
void date_format_rfc3339(int64_t time, int tz_minutes, char *out);
/* Today on this machine's clock, in its local zone. */
date_t date_today(void);

#endif
