/* odbenv.h: the object folders Git names in the environment (a push under
 * quarantine), given to libgit2, which reads none of them on its own. */
#ifndef PLANSITE_ODBENV_H
#define PLANSITE_ODBENV_H

#include <stddef.h>
#include <git2.h>

/* Splits a list of object folders as Git splits
 * GIT_ALTERNATE_OBJECT_DIRECTORIES: entries are separated by ':'; an entry
 * that begins with '"' and is a valid C-style quoted string (\" \\ \n \t
 * \a \b \f \r \v and three octal digits) is unquoted and may hold ':'
 * (broken quoting is taken as it is written); empty entries and entries
 * that begin with '#' are skipped.  Returns how many were found; *out is a
 * malloc'd array of malloc'd strings for odbenv_list_free (NULL when none). */
size_t odbenv_split(const char *list, char ***out);
void odbenv_list_free(char **list, size_t n);   /* accepts NULL */

/* Makes g read objects as Git would in this environment: from
 * GIT_OBJECT_DIRECTORY instead of the repository's objects folder when it
 * is set, plus every folder of GIT_ALTERNATE_OBJECT_DIRECTORIES and
 * GIT_QUARANTINE_PATH as alternates (with their own info/alternates).
 * Relative folders are taken from the current directory, as Git does.
 * Leaves g untouched when none is set.  Returns 0, or -1 with *err
 * (malloc'd) when GIT_OBJECT_DIRECTORY cannot be read. */
int odbenv_apply(git_repository *g, char **err);

#endif
