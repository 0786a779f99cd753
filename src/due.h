/* due.h: deadlines as written (§4 of the content format) and status words
 * (§5), parsed into dates and ids.  Pure functions: no I/O, no globals. */
#ifndef PLANSITE_DUE_H
#define PLANSITE_DUE_H

#include <stdbool.h>

#include "date.h"

typedef struct {
	date_t date;     /* the deadline (end of the period), 0 when none */
	bool ongoing;    /* recurring / continuous: with date, "then ongoing" */
	bool parsed;     /* false: the text matched no known form */
} due_t;

/* Parses a deadline as written ("Quý I /2026", "Năm 2025 và thường xuyên",
 * "Thường xuyên", "Khi có ...").  Returns 0 and fills *out when the text is a
 * known form; -1 (with *out zeroed, parsed=false) otherwise. */
int due_parse(const char *text, due_t *out);

typedef enum {
	STATUS_NOT_STARTED,
	STATUS_IN_PROGRESS,
	STATUS_DONE,
	STATUS_CANCELLED,
	STATUS_COUNT
} status_t;

/* Parses a status id or Vietnamese word, matched as unit names are
 * ("Huỷ" = "Hủy" = "hủy", "Đã hoàn thành" = done, "Dừng thực hiện" = cancelled).
 * Returns 0 or -1. */
int status_parse(const char *s, status_t *out);
const char *status_id(status_t s);      /* "not_started", ... */
const char *status_label_vi(status_t s); /* "Chưa thực hiện", ... */

/* Whether text, the deadline as written, already says the day `date`, so
 * a page need not repeat it ("15/12/2025" yes, "Quý IV/2025" no). */
bool due_text_exact(const char *text, date_t date);

/* Overdue: has a deadline, not done or cancelled, deadline < as_of (the
 * deadline day itself is on time).  A "date then ongoing" deadline is overdue
 * only while the task has not started. */
bool due_overdue(const due_t *due, status_t st, date_t as_of);
/* Done late: done, completed after the deadline. */
bool due_done_late(const due_t *due, status_t st, date_t completed);

#endif
