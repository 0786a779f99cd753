/* hrec.h: the records of the history that the walk (hlog.c), the version
 * parser (hver.c) and the history itself (history.c) share: one task and one
 * plan as a version of a plan file wrote them.  A header of their own, so
 * that those files depend on it and not on each other in a circle. */
#ifndef PLANSITE_HREC_H
#define PLANSITE_HREC_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct hlayout;   /* private to hver.c */

/* One task as one version of a plan file wrote it.  Strings are interned
 * (equal text, equal pointer) and live in the build's arena.  96 bytes: a
 * portal of 10,000 plans has 400,000 of them for its built commit alone
 * (the deadline as written was a pointer of its own, the same as
 * due_shown whenever it was set). */
typedef struct {
	const char *id, *title;
	const char **text;                   /* the tracked texts (title, output ...),
					      * by model_fields_hist_slot */
	const char *lead, *support;          /* as written, joined with "; " */
	const char *lead_first;              /* the first lead unit as written */
	const char *lead_key, *support_key;  /* name keys, for comparison */
	const char *due_shown;               /* as written (due_written), else the
					      * due_date (YYYY-MM-DD), else NULL */
	due_t due;                           /* parsed, or from due_date */
	status_t status;
	date_t completed;
	/* the history cache's writer's (hcache.c), in what was padding: the
	 * task's number in the file being written, when that write's table
	 * holds the task at that number (a map of every task to its number
	 * was 16 MB at 10,000 plans, at the history stage's peak) */
	uint32_t wnum;
	int16_t progress;                    /* -1 when not given, else 0..100 */
	bool due_written;                    /* a deadline written (due:), which
					      * due_shown is; else none or due_date */
} htask_t;

/* The deadline as written, or NULL. */
static inline const char *htask_due_text(const htask_t *t)
{
	return t->due_written ? t->due_shown : NULL;
}

/* One version of a plan file (one blob), parsed once. */
typedef struct {
	const char *key;         /* identity (docnum key of number, or id); NULL when broken */
	const char *number, *id;
	const char *title, *issuer, *issuer_key, *date, *signer, *status;
	const char **text;       /* the tracked texts (title, type, place ...),
				  * by model_fields_hist_slot */
	/* joined "; " / each one's number key (text_docnum_key), joined by
	 * '\xff' (never in UTF-8): the built site's aliases are applied by
	 * the walk, so a version does not depend on the site it was read for */
	const char *implements, *implements_key;
	const htask_t **tasks;   /* a task written the same as in the version
				  * parsed before this one is that version's */
	size_t ntasks;
	int done, base;          /* done tasks, and all tasks less the cancelled */
	bool broken, draft;
	bool unreadable;         /* broken: the blob could not be read (not kept between builds) */
	const char *error;       /* broken: the first error message */
	const char *path;        /* broken: the file it was read at, which the error names */
	const struct hlayout *layout;   /* private: where its tasks are in the text */
} hver_t;

#endif
