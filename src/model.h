/* model.h: the site as records: plans, groups, tasks, indicators, units,
 * documents, free pages and static files.  Everything lives in one arena.
 * model_load fills the records, xref links them, progress_compute fills the
 * fields marked derived; after that the site is read-only: what the pages
 * derive further is computed into structs of their own (facts.h), and the
 * renderer's caches and the history live outside it (ctx.h, render.h). */
#ifndef PLANSITE_MODEL_H
#define PLANSITE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "due.h"
#include "fm.h"
#include "repo.h"
#include "routes.h"
#include "util.h"

typedef struct unit unit_t;
typedef struct doc doc_t;
typedef struct plan plan_t;

typedef struct {
	int total, done, in_progress, not_started, cancelled, overdue, done_late;
	int percent_done;   /* done / (total - cancelled), rounded down; 0 if none */
} stats_t;

/* Where a value is written in its plan's file: a loc_t without the path,
 * which is the plan's (plan->path) for everything a plan file holds.  A
 * portal has hundreds of thousands of tasks, each with four of these and
 * a unit name or more: 8 bytes each instead of 16 (model_loc makes the
 * loc_t a message needs). */
typedef struct {
	int32_t line, col;   /* 1-based; 0 when not written */
} mpos_t;

static inline mpos_t model_pos(const loc_t *l)
{
	return (mpos_t){ l->line, l->col };
}

/* The location of `at` in the file at path; path NULL when at is unset
 * (as a loc_t never set). */
static inline loc_t model_loc(const char *path, mpos_t at)
{
	return (loc_t){ at.line || at.col ? path : NULL, at.line, at.col };
}

/* A unit as a plan names it, and what it resolved to. */
typedef struct {
	const char *text;   /* as written (NFC) */
	unit_t *unit;       /* set by xref; never NULL after xref_resolve */
	mpos_t at;          /* in the plan's file */
} uref_t;

typedef struct {
	uref_t *v;
	size_t n;
} urefs_t;

/* A unit name a plan's tasks write, and what it resolved to. */
typedef struct {
	uint64_t hash;      /* hash_str(text) */
	const char *text;
	unit_t *unit;
} plan_uname_t;

typedef struct {
	const char *text;
	loc_t loc;
} str_t;

typedef struct {
	const char *id, *title;
	loc_t loc;
	stats_t stats;
} group_t;

/* Largest fields first, so that nothing is padding: 192 bytes. */
typedef struct task {
	plan_t *plan;
	const char *id;
	const char *group;      /* group id or NULL */
	const char *title;
	urefs_t lead, support;
	const char *output;
	const char *due_text;
	const char *source;
	str_t *evidence;
	size_t nevidence;
	const char *note;
	const ynode_t *params;  /* unknown keys (a map), or NULL */
	const char **extra;     /* texts of the fields kept at FIELD_EXTRA (model_fields.h) */
	due_t due;              /* parsed (or from due_date) */
	date_t completed;
	status_t status;
	int progress;           /* -1 when not given */
	uint32_t index;         /* order in the plan */
	/* in plan->path (task_loc): the task's "- id:" item, its deadline
	 * (due, else due_date), source and completed */
	mpos_t at, due_at, source_at, completed_at;
	bool due_exact;         /* due_text already says the day of due.date */
	/* derived */
	bool overdue, done_late;
	bool complete5;         /* "5 rõ": title, lead, output, deadline */
} task_t;

typedef struct {
	const char *id, *group, *name, *unit, *target, *by, *actual;
	uref_t owner;
	bool has_owner;
	loc_t loc;
	int met;                /* 1 met, 0 not met, -1 unknown */
	const char **extra;     /* texts kept at FIELD_EXTRA (model_fields.h) */
} indicator_t;

/* A run of a plan's text that may be a document number (docnum_scan),
 * found when model_load parsed the plan (xref questions the slips). */
typedef struct {
	const char *text;       /* the run */
	int line, col;          /* docnum_scan's: 1-based line in the text, byte column */
	int task;               /* -1: in the body; else the task whose source it is in */
} numref_t;

struct plan {
	const char *path;       /* repository-relative */
	loc_t loc;
	const char *number;     /* as written, or NULL */
	const char *id;         /* explicit id, or NULL */
	const char *key;        /* docnum key of number, or the id */
	const char *slug, *url;
	const char *type, *title, *place, *status_text;
	const char *short_title; /* as written (short_title:), or NULL */
	/* how links, tables and <title> name the plan: its number; else its
	 * short_title; else type, issuer and date ("Kế hoạch UBND xã Quang
	 * Sơn 12/3/2025"), with its id added when two plans share that */
	const char *name;
	uref_t issuer;
	bool has_issuer;
	date_t date;
	const char *signer_name, *signer_title, *signer_for;
	str_t *implements;
	size_t nimplements;
	doc_t **impl_docs;      /* resolved implements (xref) */
	str_t *attachments;
	size_t nattachments;
	group_t *groups;
	size_t ngroups;
	task_t *tasks;
	size_t ntasks;
	indicator_t *indicators;
	size_t nindicators;
	const char *body_md;
	int body_line;
	/* the body's runs, then each task source's, in task order; set by
	 * model_load only (not model_parse_plan) */
	numref_t *numbers;
	size_t nnumbers;
	const ynode_t *params;
	const char **extra;     /* texts kept at FIELD_EXTRA (model_fields.h) */
	doc_t *doc;             /* this plan as a node of the implements graph */
	/* each name its tasks give a lead or supporting unit, once, in the
	 * order they first write it (lead, then support, task by task); set by
	 * xref_resolve.  What a weekly report looks a past version's names up
	 * in (facts_unit_named), instead of the plan's tasks one by one. */
	plan_uname_t *unames;
	size_t nunames;
	bool draft;
	/* derived */
	stats_t stats;
	int incomplete5;        /* tasks failing the "5 rõ" check */
	/* 1 + the plan's place in s->plans (by key, then path), set by
	 * model_load; 0 for a plan outside a site (a past version's).  The
	 * task orders compare it instead of the keys: a sort of a portal's
	 * tasks read two plans' keys, far apart in memory, for each of its
	 * millions of comparisons. */
	uint32_t rank;
};

/* The location of one of t's positions (t->at, t->due_at ...). */
static inline loc_t model_task_loc(const task_t *t, mpos_t at)
{
	return model_loc(t->plan->path, at);
}

struct unit {
	const char *id, *name, *kind;
	const char *key;        /* name key */
	const char **aliases;
	size_t naliases;
	const char *parent_id;
	loc_t parent_loc;
	unit_t *parent;
	loc_t loc;
	bool registered;
	bool suggested;          /* unregistered: suggestion computed */
	const char *suggestion;  /* unregistered: closest registered name */
	const char *slug, *url;
	/* xref: tasks led and supported, in plan order */
	task_t **led, **supported;
	size_t nled, nsupported, capled, capsup;
	/* xref: the ranks (plan_t.rank) of the plans of those tasks, each
	 * once, ascending: what a unit's page shows of each plan, without a
	 * walk of its tasks; plan_last is xref's while it counts them */
	uint32_t *plan_ranks;
	size_t nplan_ranks;
	uint32_t plan_last;
	unit_t **children;
	size_t nchildren, capchildren;
	plan_t **issued;
	size_t nissued, capissued;
	stats_t lead_stats, support_stats;   /* its own tasks only */
	/* progress: with its sub-units' (transitively), each task once: led
	 * by it or a sub-unit; supported and not led; both together */
	stats_t roll_lead, roll_support, roll_all;
	stats_t issued_stats;   /* every task of the plans it issued */
};

/* A node of the implements graph: an upstream document or a plan. */
struct doc {
	const char *number;     /* as written (canonical spelling) */
	const char *key;
	const char *type, *title, *issuer, *link;
	date_t date;
	const char **aliases;
	size_t naliases;
	str_t *implements;
	size_t nimplements;
	doc_t **up;             /* documents this one implements */
	size_t nup;
	doc_t **down;           /* documents and plans implementing this one */
	size_t ndown, capdown;
	plan_t *plan;           /* when this node is a plan */
	bool stub;              /* referenced but known nowhere */
	loc_t loc;
	const char *slug, *url;
	stats_t stats;          /* rolled up, each task once */
	unsigned visit;         /* traversal stamp (progress) */
	size_t topo;            /* xref: position in an order where every document
				 * comes after all it implements (roots first) */
	int height;             /* xref: longest implements path up to a root */
};

typedef struct {
	const char *path, *title, *slug, *url, *body_md;
	int body_line;
	const ynode_t *params;
} page_t;

/* A source repository of the portal (site.yaml sources, sources.h) as
 * built: the commit used, and whether it is the source's current commit,
 * its last good one (held) or none (left out). */
typedef struct {
	const char *id, *owner, *repo;
	const char *commit;     /* "" when left out */
	const char *date;       /* the commit's date, ISO 8601 with its zone, or "" */
	const char *state;      /* "current", "held" or "left-out" */
	const char *head;       /* the commit asked for (ref or --source-ref) */
	const char *reason;     /* held or left out: the first error, or NULL */
} srcinfo_t;

typedef struct {
	const char *title, *description, *language, *base_url, *base_path;
	const char *repo_url, *owner;
	/* legal details a state portal shows in its footer (site.yaml) */
	const char *agency, *editor, *address, *phone, *email, *license;
	const char *data_license, *data_license_url;
	const ynode_t *params;
	routes_t routes;        /* each section's folder (site.yaml permalinks) */
	plan_t **plans;         /* sorted by number, then id */
	size_t nplans;
	page_t *pages;
	size_t npages;
	const rfile_t **statics;
	size_t nstatics;
	const rfile_t **templates;  /* the site's own templates (content templates folder) */
	size_t ntemplates;
	unit_t **units;         /* registry order first, then unregistered */
	size_t nunits, capunits;
	doc_t **docs;           /* registry docs, plans' docs, stubs */
	size_t ndocs, capdocs;
	strmap_t docs_by_key;   /* docnum key -> doc_t (xref) */
	strmap_t units_by_key;  /* name key -> the first unit of units with it (xref) */
	date_t as_of;
	char commit[41];
	const srcinfo_t *sources;   /* site.yaml sources as built (sources.h) */
	size_t nsources;
} site_t;

/* p's place in s->plans, from its rank, or -1 when p is not one of them
 * (a past version's plan, or another build's). */
static inline long site_plan_index(const site_t *s, const plan_t *p)
{
	size_t k = p->rank;
	return k && k <= s->nplans && s->plans[k - 1] == p ? (long)k - 1 : -1;
}

typedef struct model_cache model_cache_t;   /* model_cache.h */
typedef struct pcache pcache_t;             /* pcache.h */

typedef struct {
	bool strict;            /* warn about unknown keys */
	const char *base_url;   /* overrides site.yaml */
	/* plans parsed by an earlier build, reused when their file did not
	 * change (serve), or NULL: every plan parsed */
	model_cache_t *cache;
	/* the front matter of plan files parsed by an earlier build (their
	 * trees, under their blob ids), or NULL: every file parsed */
	pcache_t *pcache;
	/* called on the parse threads with each plan parsed from the
	 * snapshot's file `file` (its index), for distinct files at once;
	 * may free that file's text (hver_layouts_take).  NULL: none; not
	 * called with cache */
	void (*on_plan)(void *cls, size_t file, const plan_t *p);
	void *on_plan_cls;
	/* threads that parse the plans (--jobs): 0 one per core; the site
	 * and its messages are the same for any number */
	int threads;
} model_opts_t;

/* Builds the site from the snapshot's files, reporting every content error
 * and warning to d.  Returns the site (in a), even when errors were found;
 * the caller checks diag_errors. */
site_t *model_load(arena_t *a, diag_t *d, const snap_t *snap, const model_opts_t *o);

/* Parses one plan file (front matter and body) on its own, as the history
 * does for each version of a file.  Returns NULL after reporting errors to
 * d when the file has no usable front matter; units are not resolved. */
plan_t *model_parse_plan(arena_t *a, diag_t *d, const rfile_t *f, const model_opts_t *o);

/* Warns about every task whose completion date is after the as-of date
 * (s->as_of, set by progress_compute): figures "as of" a day cannot count
 * a task done later. */
void model_check_as_of(const site_t *s, diag_t *d);

/* Frees what the site holds outside its arena; accepts NULL. */
void model_site_free(site_t *s);

/* Scalar text of a node as a string, or NULL with an error when it is not
 * a scalar.  Exposed for the registries (xref). */
const char *model_scalar(diag_t *d, const ynode_t *n, const char *what);

#endif
