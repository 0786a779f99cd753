/* yerr.h: libyaml's syntax errors restated for editors: which line, what
 * is wrong with its indentation or quoting, and what to write instead. */
#ifndef PLANSITE_YERR_H
#define PLANSITE_YERR_H

#include <stddef.h>
#include <yaml.h>

#include "diag.h"

/* Reports the error parser stopped at as one located message in d.  text
 * is what the parser read (len bytes); line_offset is added to its line
 * numbers (front matter starts after the "---" line). */
void yerr_report(diag_t *d, const char *path, const char *text, size_t len, int line_offset,
		 const yaml_parser_t *parser);

#endif
