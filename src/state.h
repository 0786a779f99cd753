/* state.h: what a published site was built from, so that a build with
 * nothing changed can leave it as it is. */
#ifndef PLANSITE_STATE_H
#define PLANSITE_STATE_H

#include <stddef.h>

/* The file, at the root of every site a commit was built into, holding
 * the key of what it was built from (state_key). */
#define STATE_FILE ".plansite-state"

/* The key of a build: a SHA-1 (hex) over the given parts (commit id,
 * content folder, options), this program (its version, its libraries'
 * versions and its own executable's bytes) and every file of the theme
 * folder (names and bytes).  Returns a malloc'd string, or NULL when
 * something could not be read (then the build is never skipped). */
char *state_key(const char *const *parts, size_t nparts, const char *theme_dir);

/* The text of STATE_FILE for key (malloc'd). */
char *state_text(const char *key);

/* True when the site at out (a folder plansite wrote) holds key. */
int state_same(const char *out, const char *key);

#endif
