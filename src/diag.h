/* diag.h: compiler-style diagnostics collected over a whole run, printed
 * sorted by file and position so every problem is reported at once. */
#ifndef PLANSITE_DIAG_H
#define PLANSITE_DIAG_H

#include <stdio.h>
#include <stddef.h>

/* A position in a content file; path is relative to the repository root
 * and must outlive the diagnostics (it lives in the build's arena). */
typedef struct {
	const char *path;
	int line, col;   /* 1-based; 0 when unknown */
} loc_t;

typedef struct diag diag_t;

diag_t *diag_new(void);
void diag_free(diag_t *d);   /* accepts NULL */

void diag_error(diag_t *d, const loc_t *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(diag_t *d, const loc_t *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

size_t diag_errors(const diag_t *d);
size_t diag_warnings(const diag_t *d);

/* Prints every message as "path:line:col: error|warning: text", sorted by
 * path, position and then order of report; duplicates are printed once. */
void diag_print(diag_t *d, FILE *f);
/* Same, into a malloc'd string (for the preview server's error page). */
char *diag_format(diag_t *d);

#endif
