/* jsonh.h: the small jansson helpers shared by every stage that builds JSON
 * (template data, open data, the history's pages and feeds, the pager). */
#ifndef PLANSITE_JSONH_H
#define PLANSITE_JSONH_H

#include <jansson.h>

/* Sets o[k] to v and takes v's reference.  Keys are literals in the source,
 * so jansson's UTF-8 check of the key is skipped. */
#define SET(o, k, v) json_object_set_new_nocheck((o), (k), (v))

/* A new JSON string of s, or null for NULL.  s is checked to be UTF-8: for
 * text that was not (from Git history), the result is NULL, and SET() then
 * leaves the key out. */
static inline json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The same for text already checked to be UTF-8 when its file was read
 * (every text of the model), so jansson's second check is skipped. */
static inline json_t *jstr_nocheck(const char *s)
{
	return s ? json_string_nocheck(s) : json_null();
}

#endif
