/* version.h: what `plansite --version` prints: the program's version and
 * the versions of the libraries it runs with, asked of the libraries
 * themselves (the shared objects loaded, not the headers compiled against). */
#ifndef PLANSITE_VERSION_H
#define PLANSITE_VERSION_H

#include <stdio.h>

#ifndef PLANSITE_VERSION
#define PLANSITE_VERSION "unknown"
#endif

/* Writes "plansite VERSION", then one "  library version" line per library. */
void version_print(FILE *f);

#endif
