/* diag.h: compiler-style diagnostics collected over a whole run, printed
 * errors first, then warnings, each sorted by file and position, so every
 * problem is reported at once and the ones that stop a build come first. */
#ifndef PLANSITE_DIAG_H
#define PLANSITE_DIAG_H

#include <stdio.h>
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

/* Records a message.  code is its stable code ("E012", "W031", listed in
 * plansite(5)); fmt is already translated (_("...")).  The _fix forms add
 * a suggestion, what to write instead (translated, may be NULL); it is
 * printed after the message and is the "suggestion" of --format json. */
void diag_error(diag_t *d, const loc_t *loc, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warning(diag_t *d, const loc_t *loc, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_error_fix(diag_t *d, const loc_t *loc, const char *code, const char *fix,
		    const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_warning_fix(diag_t *d, const loc_t *loc, const char *code, const char *fix,
		      const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A formatted string that lives as long as d (for building a suggestion). */
const char *diag_str(diag_t *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

size_t diag_errors(const diag_t *d);
size_t diag_warnings(const diag_t *d);

/* Prints every message as "path:line:col: error: [E012] text — gợi ý: fix",
 * errors before warnings, each sorted by path, position and then order of
 * report; duplicates are printed once. */
void diag_print(diag_t *d, FILE *f);
/* Same order, one JSON object a line: file, line, column, severity, code,
 * message, suggestion (null when unknown or absent). */
void diag_print_json(diag_t *d, FILE *f);
/* Same as diag_print, into a malloc'd string (for the preview server). */
char *diag_format(diag_t *d);

#endif
