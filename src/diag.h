/* diag.h: compiler-style diagnostics collected over a whole run, printed
 * errors first, then warnings, each sorted by file and position, so every
 * problem is reported at once and the ones that stop a build come first. */
#ifndef PLANSITE_DIAG_H
#define PLANSITE_DIAG_H

#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

#include "i18n.h"

/* A position in a content file; path is relative to the repository root
 * and must outlive the diagnostics (it lives in the build's arena). */
typedef struct {
	const char *path;
	int line, col;   /* 1-based; 0 when unknown */
} loc_t;

typedef struct diag diag_t;

diag_t *diag_new(void);
void diag_free(diag_t *d);   /* accepts NULL */
/* Forgets every message and string of d, as if it were new, keeping the
 * memory it holds for the next ones (what parses one file after another
 * with private diagnostics, the history's versions, reuses). */
void diag_reset(diag_t *d);

/* Records a message:
 *   diag_error(d, loc, "E012", _("..."), ...)
 *   diag_warning_fix(d, loc, "W031", fix, _("..."), ...)
 * code is its stable code, a literal "E" or "W" and three digits, listed in
 * plansite(5) (a call in the older form, without a code, fails to
 * compile); fmt is already translated.  The _fix forms add a suggestion,
 * what to write instead (translated, may be NULL): it is printed after the
 * message and is the "suggestion" of --format json. */
#define diag_error(d, loc, code, ...) diag_report((d), (loc), 1, DIAG_CODE(code), NULL, __VA_ARGS__)
#define diag_warning(d, loc, code, ...) diag_report((d), (loc), 0, DIAG_CODE(code), NULL, __VA_ARGS__)
#define diag_error_fix(d, loc, code, fix, ...) \
	diag_report((d), (loc), 1, DIAG_CODE(code), (fix), __VA_ARGS__)
#define diag_warning_fix(d, loc, code, fix, ...) \
	diag_report((d), (loc), 0, DIAG_CODE(code), (fix), __VA_ARGS__)
/* code, checked at compile time to be a literal of four characters */
#define DIAG_CODE(code) \
	(0 * sizeof(struct { _Static_assert(sizeof(code) == 5, "a diag code is like \"E012\""); \
			     int x_; }) + (code))
void diag_report(diag_t *d, const loc_t *loc, int error, const char *code, const char *fix,
		 const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* A formatted string that lives as long as d, or until diag_reset (for
 * building a suggestion). */
const char *diag_str(diag_t *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

size_t diag_errors(const diag_t *d);
/* The bytes d holds (its messages, strings and tables), for
 * PLANSITE_TIMING and the tests: 16 a message and its strings once. */
size_t diag_heap(const diag_t *d);
size_t diag_warnings(const diag_t *d);

/* The errors reported in files whose path starts with prefix, except
 * those of code skip (NULL: none) whose text does not contain prefix: how
 * many; the first in print order as
 * "path:line:col: [E012] text" (malloc'd, or NULL); and copies of them
 * reported to another diag, as errors or as warnings. */
size_t diag_errors_under(const diag_t *d, const char *prefix, const char *skip);
char *diag_first_under(diag_t *d, const char *prefix, const char *skip);
void diag_copy_under(diag_t *to, const diag_t *from, const char *prefix, const char *skip, int as_error);
/* Every message of from, in its order and severity, reported to to. */
void diag_copy(diag_t *to, const diag_t *from);
/* The messages first..end-1 of from in the order they were reported (the
 * n-th message reported is n-1, counting errors and warnings alike; printing
 * does not change it), reported to to. */
void diag_copy_range(diag_t *to, const diag_t *from, size_t first, size_t end);

/* Prints every message as "path:line:col: error: [E012] text — gợi ý: fix",
 * errors before warnings, each sorted by path, position and then order of
 * report; duplicates are printed once. */
void diag_print(diag_t *d, FILE *f);
/* Same order, one JSON object a line: file, line, column, severity, code,
 * message, suggestion (null when unknown or absent). */
void diag_print_json(diag_t *d, FILE *f);
/* Same as diag_print, into a malloc'd string (for the preview server). */
char *diag_format(diag_t *d);
/* Whether diag_print prints the same text for a and b, without printing
 * (the preview server's report after an edit that changed no message:
 * 32,000 warnings are 6.7 MB of text to make and compare).  May say
 * false for texts that happen to be equal (never true for different). */
bool diag_same(diag_t *a, diag_t *b);

#endif
