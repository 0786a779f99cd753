/* version.h: what `plansite --version` prints: the program's version and
 * the versions of the libraries it runs with, asked of the libraries
 * themselves (the shared objects loaded, not the headers compiled against). */
#ifndef PLANSITE_VERSION_H
#define PLANSITE_VERSION_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

#ifndef PLANSITE_VERSION
#define PLANSITE_VERSION "unknown"
#endif

/* Writes "plansite VERSION", then one "  library version" line per library. */
void version_print(FILE *f);
/* Appends what version_print writes to b; false when it could not be
 * written (no memory for the stream). */
bool version_put(buf_t *b);

/* The SHA-1 (hex) of the running program's bytes (/proc/self/exe), read
 * once a process; "" when they cannot be read.  A rebuilt binary of the
 * same version may write other pages: what is kept between builds (the
 * state, the parse cache) names it.  Thread-safe. */
const char *version_exe_id(void);

#endif
