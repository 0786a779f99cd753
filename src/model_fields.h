/* model_fields.h: one description per field of a plan, a task and an indicator:
 * its YAML key, its kind, where the model keeps it, whether it is
 * required, its name in plans.json, its column in tasks.csv, whether the
 * change history tracks it, its label and its description on /du-lieu/.
 * The parser (model_plan.c), the template data (ctx.c), the open data
 * (data.c), the history (hver.c, history.c, changes.c) and `check
 * --strict` read the table (model_fields.c) rather than naming fields again.
 *
 * A plain text field is one row of kind FIELD_TEXT stored at FIELD_EXTRA:
 * it is parsed, given to the templates under its key, written to
 * plans.json, tasks.csv (with a column) and described, tracked by the
 * history (with hist) with no other change to the C code. */
#ifndef PLANSITE_MODEL_FIELDS_H
#define PLANSITE_MODEL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { FIELD_PLAN, FIELD_TASK, FIELD_INDICATOR, FIELD_OWNERS } field_owner_t;

/* How a value is read, kept and written.  Kinds with rules of their own
 * (deadline, units, status ...) have them in one function each, behind
 * the kind: the parser's in model_plan.c, the writers' in data.c. */
typedef enum {
	FIELD_TEXT,        /* const char *: plain text */
	FIELD_DATE,        /* date_t: YYYY-MM-DD */
	FIELD_BOOL,        /* bool (derived) */
	FIELD_INT,         /* int (derived) */
	FIELD_UNITS,       /* urefs_t: unit names */
	FIELD_UNIT,        /* uref_t, with a bool at off2: one unit */
	FIELD_LIST,        /* str_t *, with a size_t count at off2 */
	FIELD_STATUS,      /* status_t: a task's status (id) */
	FIELD_STATUS_LABEL,/* status_t: its Vietnamese label (derived) */
	FIELD_PROGRESS,    /* int percent, -1 for none */
	FIELD_DEADLINE,    /* due: the text at off, due_t at off2 */
	FIELD_DUE_DATE,    /* due_date: the date of the deadline (folded into due) */
	FIELD_DAYS_LATE,   /* days past the deadline as of the site's date (derived) */
	FIELD_MET,         /* int 1/0/-1 (derived) */
	FIELD_STATS,       /* stats_t (derived) */
	FIELD_URL,         /* const char *: a path made absolute in open data */
	FIELD_PLAN_STATUS, /* a plan's status text, in_force when not given */
	FIELD_IMPLEMENTS,  /* a plan's implements (canonical numbers) */
	FIELD_SIGNER,      /* signer: a name, or {name, title, for} */
	FIELD_NESTED,      /* groups, tasks, indicators: records of their own */
	FIELD_AS_OF,       /* the site's as-of date (derived) */
	FIELD_PLAN_REF,    /* the task's plan: number, else id (derived) */
	FIELD_PLAN_TITLE,  /* the task's plan's title (derived) */
} field_kind_t;

/* A field's storage: offsetof into the record, or FIELD_EXTRA for a text
 * kept in the record's extra[] (model_fields_text). */
#define FIELD_EXTRA ((size_t)-1)

typedef struct {
	const char *code, *fix, *msg;   /* diagnostic; msg may take the task id (%s) */
} field_req_t;

typedef struct {
	const char *key;        /* YAML key; NULL for a derived value */
	field_kind_t kind;
	bool own;               /* read by its record's own code (a plan's number and
				 * id, nested records ...), not through its kind */
	size_t off, off2;
	const field_req_t *req; /* required: what to say when missing; NULL: optional */
	const char *json;       /* name in plans.json (and template data); NULL: none */
	const char *jnote;      /* plans.json description: the whole text for a
				 * plan's field, what follows the name for the others */
	const char *csv;        /* column of tasks.csv; NULL: none */
	int csvpos;             /* its column's place (1 first) */
	const char *csvdesc;    /* the column's description on /du-lieu/ */
	int hist;               /* place in a change's order; 0: not tracked */
	const char *label;      /* strings key of its name in the change history */
	bool cell;              /* a column of a plan's task table (templates
				 * task_table_head and task_cells): the table's
				 * width, for its full-width rows */
} field_t;

/* The keys of a stats record in words (plans.json, units.json ...). */
#define MODEL_FIELDS_STATS "total, done, in_progress, not_started, cancelled, overdue, done_late; percent_done = done / (total − cancelled), làm tròn xuống"

/* The rows of one record kind, in plans.json order; *n set. */
const field_t *model_fields_of(field_owner_t o, size_t *n);

/* The YAML keys of a record kind (NULL-terminated): anything else is a
 * template parameter, and a warning with --strict.  Lives as long as the
 * program. */
const char *const *model_fields_known(field_owner_t o);

/* Number of FIELD_EXTRA texts of a record kind (the size of extra[]). */
size_t model_fields_extra_count(field_owner_t o);

/* The text of a FIELD_TEXT field of record rec (plan_t, task_t or
 * indicator_t by f's owner), wherever it is kept; NULL when not given. */
const char *model_fields_text(const void *rec, field_owner_t o, const field_t *f);
/* Where to store it (the record's extra[] must be allocated). */
const char **model_fields_text_ref(void *rec, field_owner_t o, const field_t *f);

/* The rows the history tracks, in its order; *n set. */
const field_t *const *model_fields_hist(field_owner_t o, size_t *n);
/* The slot of a tracked FIELD_TEXT row in a history record's text[] (its
 * place among the tracked text rows), -1 for other rows. */
int model_fields_hist_slot(field_owner_t o, const field_t *f);
/* Number of tracked FIELD_TEXT rows (the size of text[]). */
size_t model_fields_hist_texts(field_owner_t o);
/* The row tracked as `name` (its YAML key), or NULL. */
const field_t *model_fields_find(field_owner_t o, const char *key);

/* Number of columns of a plan's task table (rows with cell). */
size_t model_fields_task_columns(void);

/* The tasks.csv columns in order (rows with a csv column); *n set. */
const field_t *const *model_fields_csv(size_t *n);

#endif
