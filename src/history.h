/* history.h: the first-parent history of the built commit, walked once with
 * libgit2: changed plan files found by tree diffs, each blob parsed once,
 * plans followed by number (or id) across moves, every change described
 * field by field, and the weekly reports and progress series derived. */
#ifndef PLANSITE_HISTORY_H
#define PLANSITE_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "hrec.h"
#include "model.h"
#include "repo.h"

struct hplan;     /* private to history.c */
struct hcache;    /* hcache.h */
struct hver_layouts;   /* hver.h */

/* One change of one plan in one commit.  field is "added", "removed",
 * "moved", "duplicate", "status", "due", "due_date", "progress", "lead",
 * "support", "title", "output" (task set), or a plan field's name (task
 * NULL: title, type, issuer, place, date, signer, implements, status).
 * from/to are as written (status as its id), NULL for none. */
typedef struct {
	const char *task;
	const char *field;
	const char *from, *to;
	const char *task_title;     /* the task's title at this commit (task set) */
} hchange_t;


/* The changes of one plan in one commit. */
typedef struct {
	size_t seq;                 /* position of the commit in the walk, oldest 0 */
	char commit[GIT_OID_HEXSZ + 1];
	int64_t time;               /* committer time and its zone (minutes) */
	int tz;
	date_t date;                /* committer date in its own zone */
	const char *author, *subject;
	const char *key;            /* the plan's identity; NULL for a broken new file */
	const char *label;          /* the plan's number or id (newest spelling), or the path */
	const char *path;           /* repository-relative file path at this commit */
	const char *source;         /* the site.yaml source whose commit this is, or NULL */
	const plan_t *plan;         /* the plan at the built commit, or NULL */
	hchange_t *changes;
	size_t nchanges;
	bool broken;                /* the file did not parse at this commit */
	const char *error;          /* broken: the first error message */
	bool has_percent;
	int percent, done, base;    /* the plan after this commit */
	const struct hplan *hp;     /* private */
} hentry_t;

/* Percent done at one commit: 32 bytes. */
typedef struct {
	int64_t time;
	uint32_t seq;
	int tz;
	date_t date;
	int done, base, percent;
} hpoint_t;

typedef struct {
	hpoint_t *v;                /* oldest first */
	size_t n;
} hseries_t;

/* A task (or a new plan, task NULL) in a weekly report: 40 bytes (a
 * portal of 10,000 plans lists 300,000 of them; its label is derived,
 * hitem_label, and its plan takes the place of the walk's record of the
 * plan once the walk is over). */
typedef struct {
	const hver_t *ver;          /* the plan's version at the week's end */
	const htask_t *task;
	const char *from, *to;      /* deadline changes: as written */
	union {
		const plan_t *plan;     /* the plan at the built commit, or NULL */
		const struct hplan *hp; /* private: the walk's, until plan is set */
	};
} hitem_t;

/* An item's plan's number or id: the built commit's plan's, else its
 * version's. */
static inline const char *hitem_label(const hitem_t *it)
{
	if (it->plan)
		return it->plan->number ? it->plan->number : it->plan->id;
	return it->ver->number ? it->ver->number : it->ver->id;
}

typedef struct {
	hitem_t *v;
	size_t n, cap;
} hitems_t;

/* One ISO 8601 week with changes. */
typedef struct {
	char id[16];                /* "2025-W51" */
	int year, week;
	date_t start, end;          /* Monday and Sunday */
	hitems_t completed;         /* became done during the week */
	hitems_t overdue;           /* deadline within the week, not done or cancelled at its end */
	hitems_t added;             /* new tasks of plans that existed at the week's start */
	hitems_t new_plans;         /* plans added during the week */
	hitems_t due_changed;       /* deadline at the end differs from the start */
	hitems_t due_next;          /* deadline within the next week, not done or cancelled */
	stats_t stats;              /* every plan at the week's end, overdue as of as_of */
	/* the day after its Sunday; but never after the site's as-of date, so
	 * the week of the built commit says what the home page says */
	date_t as_of;
	const hentry_t **entries;   /* newest first */
	size_t nentries, capentries;
} hweek_t;

/* A plan's history: its entries, newest first, and its progress series. */
typedef struct {
	const hentry_t **entries;
	size_t nentries;
	hseries_t series;
} hplan_hist_t;

typedef struct history {
	const hentry_t **entries;   /* every entry, newest first */
	size_t nentries;
	hweek_t **weeks;            /* newest first */
	size_t nweeks;
	bool shallow;               /* starts at a shallow clone's boundary */
	char start_commit[GIT_OID_HEXSZ + 1];   /* the oldest commit walked */
	date_t start;               /* its date */
	int64_t head_time;          /* the built commit's committer time and zone */
	int head_tz;
	size_t ncommits, nversions; /* commits walked; blob versions read from Git and parsed */
	double seconds;
	size_t nincremental;        /* of which parsed from a neighbouring version (hver.c) */
	size_t ncached;             /* commits taken from the history cache (hcache.c) */
	int cache_state;            /* HCACHE_*: the cache file as read */
	const char *cache_file;     /* the cache file, or NULL */
	const char *cache_why;      /* damaged: what was wrong (N_); other: who wrote it */
	bool cache_saved;           /* the cache file was written */
	const char *read_order;     /* how the blobs were read (hlog_t.order) */
	/* commits whose author or message is not UTF-8: shown with U+FFFD,
	 * reported by the build as warnings (`where` is "commit <short id>",
	 * `what` the field, untranslated (N_), `text` the field as shown) */
	struct hwarn {
		const char *where, *what, *text;
	} *warnings;
	size_t nwarnings, capwarnings;
	strmap_t by_doc;            /* private: doc key -> hseries_t */
	strmap_t by_key;            /* private: plan key -> struct hplan */
	struct hcache **own_caches; /* private: the caches of this walk alone */
	size_t nown_caches;
} history_t;

typedef struct history_read history_read_t;

/* Walks the first-parent history of the site's commit (s->commit) in repo,
 * the content root being `content` ("content"), and returns the result in
 * *out (in arena a; history_free releases its tables): the caller's, handed
 * to the renderer, never stored on the site.  snap is the
 * built snapshot: its plans, parsed already, are not parsed again, and its
 * file texts are freed (snap_release_data) once they are seen.  Plan files of
 * past commits are parsed with a private diag_t: their errors are history,
 * not errors of this build.  Needs xref_resolve and progress_compute done.
 * What the walk learned of each commit and each blob is kept in hc (NULL:
 * a cache of this call's own), which reads it from and writes it to the
 * repository's cache file (hcache.h): only commits and blobs it does not
 * hold are read from Git; the result is the same with or without it.
 * One hc serves one repository and content folder at a time (bound to
 * another, it starts over).
 * Returns 0, or -1 with *err (malloc'd) when the repository cannot be read. */
int history_build(history_t **out, repo_t *r, arena_t *a, site_t *s, snap_t *snap,
		  const char *content, struct hcache *hc, char **err);

/* Another repository whose history joins the site's (site.yaml sources):
 * its first-parent history from commit, its plan files under
 * content/plans/, shown under prefix ("sources/ID/", as in the site). */
typedef struct {
	repo_t *r;
	const char *id;             /* the source's id */
	const char *commit;         /* 40 hex digits */
	const char *content;        /* "content" */
	const char *prefix;         /* "sources/ID/" */
} history_src_t;

/* The site repository's log (hlog.h: the history cache and Git) read on a
 * thread of its own while the caller cross-references the model and starts
 * the rendering; history_build_sources takes what it read (pre), and
 * history_read_free waits for it and frees it (after history_build_sources
 * too; accepts NULL).  s's plans must be parsed (model_load); after
 * history_read_go the caller may change no field of theirs that a version
 * is made of (hver.c), must keep snap's texts (they are released by
 * history_build_sources) and, until history_build_sources, must not read
 * Git objects with repository r.  For a site without sources: hc, content
 * and r as history_build's; a (the walk's) is used before this returns
 * only.  taken (NULL: none) holds what was taken of the plan files whose
 * texts were freed as they parsed (hver_layouts_take), its layouts freed
 * as they are used; it must outlive history_build_sources.  Never fails: a log that cannot be read fails
 * history_build_sources. */
history_read_t *history_read_start(repo_t *r, arena_t *a, const site_t *s, snap_t *snap,
				   const char *content, struct hcache *hc, struct hver_layouts *taken);
/* Tells the reader that the model is cross-referenced (xref_resolve,
 * progress_compute): it reads the versions of the plan files now, those of
 * the built commit made from s's plans (until then it reads the commits
 * only).  history_build_sources does it when the caller has not.  Accepts
 * NULL. */
void history_read_go(history_read_t *hr);
void history_read_free(history_read_t *hr);

/* history_build with the histories of srcs[0..n) merged in by committer
 * time (each repository's own order kept; ties go to the site's, then to
 * srcs order); plans are followed by number across repositories.  hc
 * serves the site's repository; each source's history is kept in a cache
 * of its own in its repository, so a build after a push to one source
 * reads from Git only that source's new commits.  pre (NULL: none; only
 * without sources) is the site repository's log read ahead by
 * history_read_start with the same s, snap, content and hc: it is waited
 * for, not read again. */
int history_build_sources(history_t **out, repo_t *r, arena_t *a, site_t *s, snap_t *snap,
			  const char *content, struct hcache *hc, const history_src_t *srcs, size_t n,
			  history_read_t *pre, char **err);

/* A plan's history (never NULL: empty when it has none); borrowed. */
const hplan_hist_t *history_plan(const history_t *h, const plan_t *p);

/* The rolled-up progress series of a document: every plan implementing it,
 * transitively, each task once; NULL when none.  Borrowed. */
const hseries_t *history_doc_series(const history_t *h, const doc_t *dc);

/* Frees the tables outside the arena; accepts NULL. */
void history_free(history_t *h);

#endif
