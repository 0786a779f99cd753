/* changes.c: the history rendered: change entries, /thay-doi/ pages, the
 * Atom feed, progress charts and changes.json (weekly reports: weeks.c). */
#include "changes.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changes_int.h"
#include "ctx.h"
#include "jsonh.h"
#include "jsonw.h"
#include "model_fields.h"
#include "pager.h"
#include "text.h"

/* base_url's scheme and host before an absolute path, when base_url is set;
 * the path alone otherwise.  malloc'd. */
static char *abs_url(const site_t *s, const char *url)
{
	buf_t b = BUF_INIT;
	if (s->base_url) {
		const char *p = strstr(s->base_url, "://");
		p = p ? strchr(p + 3, '/') : NULL;
		size_t host = p ? (size_t)(p - s->base_url) : strlen(s->base_url);
		buf_put(&b, s->base_url, host);
	}
	buf_puts(&b, url);
	return buf_detach(&b);
}

/* { done: true, in_progress: false, ... }: every key set, so a template
 * never finds one further up its context. */
static json_t *status_flags(const char *id)
{
	json_t *o = json_object();
	for (int i = 0; i < STATUS_COUNT; i++)
		SET(o, status_id((status_t)i), json_boolean(!strcmp(status_id((status_t)i), id)));
	return o;
}

/* A value for reading: progress with its percent sign. */
static json_t *shown(const hchange_t *c, const char *v)
{
	if (!v)
		return json_null();
	if (!strcmp(c->field, "progress")) {
		buf_t b = BUF_INIT;
		buf_printf(&b, "%s%%", v);
		json_t *j = json_string(b.ptr);
		buf_free(&b);
		return j;
	}
	return json_string(v);
}

/* One change as the change_item template reads it: `is` names the field
 * (plan fields as plan_<name>), from_status/to_status carry status ids. */
/* A task marked done whose progress was dropped (or set to 100) in the same
 * commit: the status line says it all, so the pages and the feed leave
 * out "tiến độ 50% → Không có" (changes.json keeps it). */
static bool said_by_done(const hentry_t *e, const hchange_t *c)
{
	if (!c->task || strcmp(c->field, "progress") || (c->to && strcmp(c->to, "100")))
		return false;
	for (size_t i = 0; i < e->nchanges; i++) {
		const hchange_t *x = &e->changes[i];
		if (x->task && !strcmp(x->task, c->task) && !strcmp(x->field, "status") && x->to &&
		    !strcmp(x->to, "done"))
			return true;
	}
	return false;
}

/* The interface strings the labels of changed fields come from (set
 * before the render threads start; read-only while they run). */
static const json_t *labels;

void changes_labels(const json_t *strings)
{
	labels = strings;
}

/* The changed field's name for readers: the strings key the table of
 * fields gives it (a field added to the table is labelled with no change
 * to the change_field template), NULL when unknown. */
static json_t *field_label(const hchange_t *c)
{
	const field_t *f = model_fields_find(c->task ? FIELD_TASK : FIELD_PLAN, c->field);
	const char *v = f && f->label ? json_string_value(json_object_get(labels, f->label)) : NULL;
	return v ? json_string(v) : json_null();
}

/* { <field>: true } or { plan_<field>: true }: what changed, for a theme's sections */
static json_t *is_json(const hchange_t *c)
{
	json_t *is = json_object();
	if (c->task) {
		SET(is, c->field, json_true());
	} else {
		buf_t b = BUF_INIT;
		buf_printf(&b, "plan_%s", c->field);
		SET(is, b.ptr, json_true());
		buf_free(&b);
	}
	return is;
}

static json_t *item_json(const hchange_t *c)
{
	json_t *o = json_object();
	SET(o, "task", jstr(c->task));
	SET(o, "task_title", jstr(c->task_title));
	SET(o, "field", json_string(c->field));
	SET(o, "field_label", field_label(c));
	SET(o, "from", shown(c, c->from));
	SET(o, "to", shown(c, c->to));
	bool added = !strcmp(c->field, "added"), removed = !strcmp(c->field, "removed");
	bool moved = !strcmp(c->field, "moved"), dup = !strcmp(c->field, "duplicate");
	SET(o, "added", json_boolean(added));
	SET(o, "removed", json_boolean(removed));
	SET(o, "moved", json_boolean(moved));
	SET(o, "duplicate", json_boolean(dup));
	SET(o, "other", json_boolean(!added && !removed && !moved && !dup));
	SET(o, "is", is_json(c));
	if (!strcmp(c->field, "status") && c->task) {
		if (c->from)
			SET(o, "from_status", status_flags(c->from));
		if (c->to)
			SET(o, "to_status", status_flags(c->to));
	}
	return o;
}

/* What the pages and changes.json both say of a commit. */
static void commit_fields(json_t *o, const hentry_t *e)
{
	SET(o, "commit", json_string(e->commit));
	SET(o, "date", ctx_date_iso(e->date));
	char ts[DATE_RFC3339_BUF];
	date_format_rfc3339(e->time, e->tz, ts);
	SET(o, "time", json_string(ts));
	SET(o, "author", json_string(e->author));
	SET(o, "subject", json_string(e->subject));
}

/* What lists of changes and tasks show of a plan: its shared summary, or
 * for a plan no longer published, its number and title as last seen. */
json_t *changes_plan_brief(const plan_t *p, const char *label, const char *title)
{
	if (p)
		return ctx_plan_summary(p);
	json_t *o = json_object();
	{
		SET(o, "number", jstr(label));
		SET(o, "name", jstr(label));
		SET(o, "url", json_null());
		SET(o, "title", jstr(title));
	}
	return o;
}

static json_t *plan_ref(const hentry_t *e)
{
	return changes_plan_brief(e->plan, e->label, NULL);
}

json_t *changes_entry(const site_t *s, const hentry_t *e)
{
	json_t *o = json_object();
	commit_fields(o, e);
	char sh[8];
	memcpy(sh, e->commit, 7);
	sh[7] = '\0';
	SET(o, "commit_short", json_string(sh));
	/* a source's commit is in the source's repository, not repo_url's */
	if (s->repo_url && !e->source) {
		size_t n = strlen(s->repo_url);
		while (n && s->repo_url[n - 1] == '/')
			n--;
		buf_t b = BUF_INIT;
		buf_printf(&b, "%.*s/commit/%s", (int)n, s->repo_url, e->commit);
		SET(o, "commit_url", json_string(b.ptr));
		buf_free(&b);
	}
	SET(o, "date_vi", ctx_date_vi(e->date));
	SET(o, "plan", plan_ref(e));
	SET(o, "label", jstr(e->label));
	SET(o, "path", jstr(e->path));
	SET(o, "broken", json_boolean(e->broken));
	SET(o, "error", jstr(e->error));
	json_t *a = json_array();
	for (size_t i = 0; i < e->nchanges; i++)
		if (!said_by_done(e, &e->changes[i]))
			json_array_append_new(a, item_json(&e->changes[i]));
	SET(o, "has_changes", json_boolean(json_array_size(a) > 0));
	SET(o, "changes", a);
	if (e->has_percent)
		SET(o, "percent_done", json_integer(e->percent));
	return o;
}

/* ---- change entries as typed template records: the names of
 * changes_entry (the unit tests' reference), read from the hentry_t and
 * its hchange_t when a template asks */

static const tmpl_val_t missing = { .kind = TMPL_MISSING };
static const tmpl_val_t null_val = { .kind = TMPL_NULL };

/* Text from Git (author, subject, paths) may not be UTF-8: jansson kept
 * such a name out of the entry (jstr), and so does the record. */
static tmpl_val_t git_str(const char *v)
{
	if (v && text_utf8_invalid(v, strlen(v)) >= 0)
		return missing;
	return tmpl_str(v);
}

/* from_status, to_status: { <status id>: bool } of a status id string */
static tmpl_field_t sflag_fields[STATUS_COUNT];

static void sflag_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)scratch;
	*out = tmpl_bool(!strcmp(status_id((status_t)i), rec));
}

static tmpl_type_t sflag_type = { "status_flags", sflag_fields, STATUS_COUNT, sflag_get, NULL, 0, NULL, 0 };

/* is: { <field>: true }, plan fields as plan_<field>: the names a change
 * can have (themes/README.md, change item, and the field tables); a change
 * of another name gets a jansson object */
static tmpl_field_t *is_fields;
static size_t nis;

static void is_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const hchange_t *c = rec;
	const char *name = is_fields[i].name;
	(void)scratch;
	bool on = c->task ? !strcmp(name, c->field)
			  : !strncmp(name, "plan_", 5) && !strcmp(name + 5, c->field);
	*out = on ? tmpl_bool(true) : missing;
}

static tmpl_type_t is_type = { "change_is", NULL, 0, is_get, NULL, 0, NULL, 0 };

static bool is_named(const hchange_t *c)
{
	for (size_t i = 0; i < nis; i++) {
		const char *name = is_fields[i].name;
		if (c->task ? !strcmp(name, c->field) : !strncmp(name, "plan_", 5) && !strcmp(name + 5, c->field))
			return true;
	}
	return false;
}

enum {
	I_TASK, I_TASK_TITLE, I_FIELD, I_FIELD_LABEL, I_FROM, I_TO, I_ADDED, I_REMOVED, I_MOVED,
	I_DUPLICATE, I_OTHER, I_IS, I_FROM_STATUS, I_TO_STATUS, I_FIELDS
};

static const tmpl_field_t item_fields[I_FIELDS] = {
	{ "task", TMPL_F_SCALAR, NULL, false },
	{ "task_title", TMPL_F_SCALAR, NULL, false },
	{ "field", TMPL_F_SCALAR, NULL, false },
	{ "field_label", TMPL_F_SCALAR, NULL, false },
	{ "from", TMPL_F_SCALAR, NULL, false },
	{ "to", TMPL_F_SCALAR, NULL, false },
	{ "added", TMPL_F_SCALAR, NULL, false },
	{ "removed", TMPL_F_SCALAR, NULL, false },
	{ "moved", TMPL_F_SCALAR, NULL, false },
	{ "duplicate", TMPL_F_SCALAR, NULL, false },
	{ "other", TMPL_F_SCALAR, NULL, false },
	{ "is", TMPL_F_OPAQUE, NULL, false },
	{ "from_status", TMPL_F_REC, &sflag_type, false },
	{ "to_status", TMPL_F_REC, &sflag_type, false },
};

/* A change's task, title, field name and values come from the plan's
 * parse (libyaml, or hver's raw path, which takes valid UTF-8 only) or
 * from the table of fields: valid UTF-8 already, so the check git_str
 * makes is left to the paths a plan's move or duplicate names (callgrind,
 * cold 1k build: 113,847 checks, 32M instructions, in item_get). */
static tmpl_val_t parsed_str(const hchange_t *c, const char *v)
{
	if (!c->task && (!strcmp(c->field, "moved") || !strcmp(c->field, "duplicate")))
		return git_str(v);
	return tmpl_str(v);
}

/* shown(): progress with its percent sign */
static tmpl_val_t shown_val(const hchange_t *c, const char *v, char *scratch)
{
	if (!v)
		return null_val;
	if (strcmp(c->field, "progress"))
		return parsed_str(c, v);
	size_t n = strlen(v);
	if (n + 2 > TMPL_SCRATCH)
		return tmpl_json(shown(c, v), true);
	memcpy(scratch, v, n);
	scratch[n] = '%';
	scratch[n + 1] = '\0';
	return tmpl_str(scratch);
}

/* from_status, to_status: a task's status only (asked of two fields of
 * the fourteen, so not worked out for each) */
static bool is_status(const hchange_t *c)
{
	return c->task && !strcmp(c->field, "status");
}

static void item_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const hchange_t *c = rec;
	const char *f = c->field;
	switch (i) {
	case I_TASK: *out = tmpl_str(c->task); break;
	case I_TASK_TITLE: *out = tmpl_str(c->task_title); break;
	case I_FIELD: *out = tmpl_str(f); break;
	case I_FIELD_LABEL: {
		const field_t *fl = model_fields_find(c->task ? FIELD_TASK : FIELD_PLAN, f);
		*out = tmpl_str(fl && fl->label ? json_string_value(json_object_get(labels, fl->label)) : NULL);
		break;
	}
	case I_FROM: *out = shown_val(c, c->from, scratch); break;
	case I_TO: *out = shown_val(c, c->to, scratch); break;
	case I_ADDED: *out = tmpl_bool(!strcmp(f, "added")); break;
	case I_REMOVED: *out = tmpl_bool(!strcmp(f, "removed")); break;
	case I_MOVED: *out = tmpl_bool(!strcmp(f, "moved")); break;
	case I_DUPLICATE: *out = tmpl_bool(!strcmp(f, "duplicate")); break;
	case I_OTHER:
		*out = tmpl_bool(strcmp(f, "added") && strcmp(f, "removed") && strcmp(f, "moved") &&
				 strcmp(f, "duplicate"));
		break;
	case I_IS: *out = is_named(c) ? tmpl_rec(&is_type, c) : tmpl_json(is_json(c), true); break;
	case I_FROM_STATUS: *out = is_status(c) && c->from ? tmpl_rec(&sflag_type, c->from) : missing; break;
	default: *out = is_status(c) && c->to ? tmpl_rec(&sflag_type, c->to) : missing;
	}
}

static tmpl_type_t item_type = { "change_item", item_fields, I_FIELDS, item_get, NULL, 0, NULL, 0 };

enum {
	E_COMMIT, E_DATE, E_TIME, E_AUTHOR, E_SUBJECT, E_COMMIT_SHORT, E_COMMIT_URL, E_DATE_VI,
	E_PLAN, E_LABEL, E_PATH, E_BROKEN, E_ERROR, E_HAS_CHANGES, E_CHANGES, E_PERCENT, E_FIELDS
};

static const tmpl_field_t entry_fields[E_FIELDS] = {
	{ "commit", TMPL_F_SCALAR, NULL, false },
	{ "date", TMPL_F_SCALAR, NULL, false },
	{ "time", TMPL_F_SCALAR, NULL, false },
	{ "author", TMPL_F_SCALAR, NULL, false },
	{ "subject", TMPL_F_SCALAR, NULL, false },
	{ "commit_short", TMPL_F_SCALAR, NULL, false },
	{ "commit_url", TMPL_F_SCALAR, NULL, false },
	{ "date_vi", TMPL_F_SCALAR, NULL, false },
	{ "plan", TMPL_F_OPAQUE, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, false },
	{ "path", TMPL_F_SCALAR, NULL, false },
	{ "broken", TMPL_F_SCALAR, NULL, false },
	{ "error", TMPL_F_SCALAR, NULL, false },
	{ "has_changes", TMPL_F_SCALAR, NULL, false },
	{ "changes", TMPL_F_LIST, &item_type, false },
	{ "percent_done", TMPL_F_SCALAR, NULL, false },
};

static void entry_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const changes_erec_t *r = rec;
	const hentry_t *e = r->e;
	switch (i) {
	case E_COMMIT: *out = git_str(e->commit); break;
	case E_DATE: *out = ctx_date_val(e->date, false, scratch); break;
	case E_TIME:
		date_format_rfc3339(e->time, e->tz, scratch);
		*out = tmpl_str(scratch);
		break;
	case E_AUTHOR: *out = git_str(e->author); break;
	case E_SUBJECT: *out = git_str(e->subject); break;
	case E_COMMIT_SHORT:
		memcpy(scratch, e->commit, 7);
		scratch[7] = '\0';
		*out = git_str(scratch);
		break;
	case E_COMMIT_URL: *out = r->commit_url ? git_str(r->commit_url) : missing; break;
	case E_DATE_VI: *out = ctx_date_val(e->date, true, scratch); break;
	case E_PLAN: *out = e->plan ? ctx_plan_val(e->plan) : tmpl_json(plan_ref(e), true); break;
	case E_LABEL: *out = git_str(e->label); break;
	case E_PATH: *out = git_str(e->path); break;
	case E_BROKEN: *out = tmpl_bool(e->broken); break;
	case E_ERROR: *out = git_str(e->error); break;
	case E_HAS_CHANGES: *out = tmpl_bool(r->nitems > 0); break;
	case E_CHANGES: *out = tmpl_list(&item_type, r->items, sizeof *r->items, r->nitems, true); break;
	default: *out = e->has_percent ? tmpl_int(e->percent) : missing;
	}
}

static tmpl_type_t entry_type = { "change_entry", entry_fields, E_FIELDS, entry_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const changes_erec_type = &entry_type;

/* Whether name was added (false: the table has it already). */
static bool add_is(const char *name)
{
	for (size_t i = 0; i < nis; i++)
		if (!strcmp(is_fields[i].name, name))
			return false;
	is_fields[nis++] = (tmpl_field_t){ name, TMPL_F_SCALAR, NULL, false };
	return true;
}

static void types_init(void)
{
	for (int i = 0; i < STATUS_COUNT; i++)
		sflag_fields[i] = (tmpl_field_t){ status_id((status_t)i), TMPL_F_SCALAR, NULL, false };
	static const char *const named[] = {
		"added", "removed", "moved", "duplicate", "status", "due", "due_date", "progress", "lead",
		"support", "title", "output", "plan_title", "plan_issuer", "plan_date", "plan_implements",
		"plan_status", "plan_type", "plan_place", "plan_signer",
	};
	size_t nt, np;
	const field_t *ft = model_fields_of(FIELD_TASK, &nt), *fp = model_fields_of(FIELD_PLAN, &np);
	size_t nn = sizeof named / sizeof named[0];
	is_fields = xmalloc((nn + nt + np + 1) * sizeof *is_fields);
	for (size_t i = 0; i < nn; i++)
		add_is(named[i]);
	for (size_t i = 0; i < nt; i++)
		if (ft[i].key)
			add_is(ft[i].key);
	for (size_t i = 0; i < np; i++)
		if (fp[i].key) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "plan_%s", fp[i].key);
			if (add_is(b.ptr))
				buf_detach(&b);   /* kept for the whole run */
			buf_free(&b);
		}
	is_type.fields = is_fields;
	is_type.nfields = nis;
	tmpl_type_register(&sflag_type);
	tmpl_type_register(&is_type);
	tmpl_type_register(&item_type);
	tmpl_type_register(&entry_type);
	changes_chart_types_register();
	changes_week_types_register();
}

void changes_types_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, types_init);
}

/* r of e, its items in v (room for e->nchanges, in keeper's memory). */
static void erec_fill(changes_erec_t *r, tmpl_obj_t *keeper, const site_t *s, const hentry_t *e,
		      const hchange_t **v)
{
	*r = (changes_erec_t){ e, NULL, NULL, 0 };
	/* a source's commit is in the source's repository, not repo_url's */
	if (s->repo_url && !e->source) {
		size_t n = strlen(s->repo_url);
		while (n && s->repo_url[n - 1] == '/')
			n--;
		buf_t b = BUF_INIT;
		buf_printf(&b, "%.*s/commit/%s", (int)n, s->repo_url, e->commit);
		r->commit_url = buf_detach(&b);
		tmpl_obj_keep(keeper, r->commit_url);
	}
	for (size_t i = 0; i < e->nchanges; i++)
		if (!said_by_done(e, &e->changes[i]))
			v[r->nitems++] = &e->changes[i];
	r->items = v;
}

void changes_erec_init(changes_erec_t *r, tmpl_obj_t *keeper, const site_t *s, const hentry_t *e)
{
	const hchange_t **v = xmalloc((e->nchanges + 1) * sizeof *v);
	tmpl_obj_keep(keeper, v);
	erec_fill(r, keeper, s, e, v);
}

tmpl_val_t changes_erec_list(tmpl_obj_t *keeper, const site_t *s, const hentry_t *const *v, size_t n)
{
	/* one block: the records, then each one's items.  A block of items
	 * each was 14,139 xmalloc and tmpl_obj_keep at 1,000 plans, 6.7M
	 * instructions (callgrind, cold 1k build) */
	size_t nitems = 0;
	for (size_t i = 0; i < n; i++)
		nitems += v[i]->nchanges;
	changes_erec_t *recs = xmalloc((n + 1) * sizeof *recs + (nitems + 1) * sizeof(const hchange_t *));
	tmpl_obj_keep(keeper, recs);
	const hchange_t **items = (const hchange_t **)(void *)(recs + n + 1);
	for (size_t i = 0; i < n; i++) {
		erec_fill(&recs[i], keeper, s, v[i], items);
		items += v[i]->nchanges;
	}
	return tmpl_list(&entry_type, recs, sizeof *recs, n, false);
}

json_t *changes_recent(const site_t *s, const history_t *h, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; h && i < h->nentries && i < n; i++)
		json_array_append_new(a, changes_entry(s, h->entries[i]));
	return a;
}

json_t *changes_site_info(const site_t *s, const history_t *h)
{
	json_t *o = json_object();
	SET(o, "shallow", json_boolean(h && h->shallow));
	SET(o, "start", ctx_date_iso(h ? h->start : 0));
	SET(o, "start_vi", ctx_date_vi(h ? h->start : 0));
	SET(o, "start_commit", h && h->start_commit[0] ? json_string(h->start_commit) : json_null());
	SET(o, "commits", json_integer(h ? (json_int_t)h->ncommits : 0));
	SET(o, "changes", json_integer(h ? (json_int_t)h->nentries : 0));
	return o;
}

void changes_plan_add(tmpl_obj_t *plan, const site_t *s, const history_t *h, const plan_t *p)
{
	/* typed, as the changes pages' entries: no jansson object an entry
	 * and a change, built and freed for each plan page */
	const hplan_hist_t *ph = history_plan(h, p);
	tmpl_val_t hist = changes_erec_list(plan, s, ph->entries, ph->nentries);
	tmpl_obj_set(plan, "has_history", tmpl_bool(ph->nentries > 0));
	/* the newest entry: the plan page names its own last change (its
	 * commit and date), not the build's, so a push that leaves the plan
	 * alone leaves its page byte for byte */
	tmpl_obj_set(plan, "last_change", ph->nentries ? tmpl_rec(changes_erec_type, hist.u.list.base)
						       : (tmpl_val_t){ .kind = TMPL_NULL });
	tmpl_obj_set(plan, "history", hist);
	tmpl_obj_set(plan, "chart", changes_chart_val(plan, &ph->series));
}

tmpl_val_t changes_doc_chart(tmpl_obj_t *keeper, const history_t *h, const doc_t *dc)
{
	return changes_chart_val(keeper, history_doc_series(h, dc));
}

/* ---- /thay-doi/ ---- */

size_t changes_page_count(const site_t *s, const history_t *h)
{
	return pager_count(h ? h->nentries : 0, routes_kind(ROUTE_KIND_CHANGES)->per_page);
}

char *changes_page_rel(const site_t *s, size_t i)
{
	return pager_rel(routes_dir(&s->routes, ROUTE_CHANGES), i);
}

tmpl_obj_t *changes_page(const site_t *s, const history_t *h, size_t i)
{
	json_t *ctx = json_object();
	size_t n = h ? h->nentries : 0, per = routes_kind(ROUTE_KIND_CHANGES)->per_page;
	size_t a = i * per < n ? i * per : n, b = (i + 1) * per < n ? (i + 1) * per : n;
	const char *dir = routes_dir(&s->routes, ROUTE_CHANGES);
	json_t *pg = pager_ctx(s->base_path, dir, i, changes_page_count(s, h));
	if (pg)
		SET(ctx, "pager", pg);
	json_t *page = json_object();
	char *url = pager_url(s->base_path, dir, i);
	SET(page, "url", json_string(url));
	free(url);
	SET(page, "number", json_integer((json_int_t)i + 1));
	SET(ctx, "page", page);
	tmpl_obj_t *o = tmpl_obj_new(ctx);
	tmpl_obj_set(o, "changes", changes_erec_list(o, s, h ? (const hentry_t *const *)h->entries + a : NULL, b - a));
	return o;
}

/* ---- Atom ---- */

/* Text for XML: escaped, and without the control characters XML forbids. */
static void xml_text(buf_t *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		switch (c) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, (char)c);
		}
	}
}

static void xml_elem(buf_t *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_text(b, text);
	buf_printf(b, "</%s>\n", name);
}

/* The entry's summary as HTML, its items worded by the change_item template. */
static char *entry_html(const hentry_t *e, const theme_t *th, json_t *t)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "<p>");
	buf_put_html(&b, e->subject, strlen(e->subject));
	buf_puts(&b, "</p>");
	if (e->broken) {
		buf_puts(&b, "<p>");
		buf_put_html(&b, e->error, strlen(e->error));
		buf_puts(&b, "</p>");
	}
	if (e->nchanges) {
		buf_puts(&b, "<ul>");
		for (size_t i = 0; i < e->nchanges; i++) {
			if (said_by_done(e, &e->changes[i]))
				continue;
			json_t *ctx = item_json(&e->changes[i]);
			SET(ctx, "t", json_incref(t));
			buf_puts(&b, "<li>");
			tmpl_render(th->tmpl, "change_item", ctx, &b);
			buf_puts(&b, "</li>");
			json_decref(ctx);
		}
		buf_puts(&b, "</ul>");
	}
	return buf_detach(&b);
}

char *changes_atom(const site_t *s, const history_t *h, const theme_t *th, size_t *len)
{
	json_t *t = json_deep_copy(th->strings);
	const char *ctitle = json_string_value(json_object_get(t, "changes_title"));
	buf_t b = BUF_INIT;
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(&b, s->language);
	buf_puts(&b, "\">\n");
	buf_t u = BUF_INIT;
	buf_printf(&u, "%s%s", s->base_path, routes_dir(&s->routes, ROUTE_CHANGES));
	char *page = abs_url(s, u.ptr);
	buf_puts(&u, "atom.xml");
	char *self = abs_url(s, u.ptr);
	buf_free(&u);
	if (s->base_url) {
		xml_elem(&b, "id", page);
	} else {
		/* no address to name it by: an id from the site's title */
		char *sl = text_slug(s->title);
		buf_t id = BUF_INIT;
		buf_printf(&id, "urn:plansite:changes:%s", sl);
		xml_elem(&b, "id", id.ptr);
		buf_free(&id);
		free(sl);
	}
	buf_t title = BUF_INIT;
	buf_printf(&title, "%s – %s", s->title, ctitle ? ctitle : "Thay đổi");
	xml_elem(&b, "title", title.ptr);
	buf_free(&title);
	char ts[DATE_RFC3339_BUF];
	if (h && h->nentries)
		date_format_rfc3339(h->entries[0]->time, h->entries[0]->tz, ts);
	else if (h && h->head_time)
		date_format_rfc3339(h->head_time, h->head_tz, ts);
	else {
		date_format_iso(s->as_of, ts);
		strcat(ts, "T00:00:00Z");
	}
	xml_elem(&b, "updated", ts);
	buf_puts(&b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(&b, self);
	buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(&b, page);
	buf_puts(&b, "\"/>\n<author><name>");
	xml_text(&b, s->owner ? s->owner : s->title);
	buf_puts(&b, "</name></author>\n<generator>plansite</generator>\n");
	for (size_t i = 0; h && i < h->nentries && i < CHANGES_FEED_MAX; i++) {
		const hentry_t *e = h->entries[i];
		buf_puts(&b, "<entry>\n");
		/* stable across builds: the commit and the plan's identity */
		char *sl = text_slug(e->key ? e->key : e->path);
		buf_t id = BUF_INIT;
		buf_printf(&id, "urn:plansite:change:%s:%s", e->commit, sl);
		xml_elem(&b, "id", id.ptr);
		buf_free(&id);
		free(sl);
		buf_t et = BUF_INIT;
		buf_printf(&et, "%s: %s", e->label ? e->label : "", e->subject);
		xml_elem(&b, "title", et.ptr);
		buf_free(&et);
		date_format_rfc3339(e->time, e->tz, ts);
		xml_elem(&b, "updated", ts);
		buf_puts(&b, "<author><name>");
		xml_text(&b, e->author && *e->author ? e->author : "?");
		buf_puts(&b, "</name></author>\n");
		char *link = e->plan ? abs_url(s, e->plan->url) : xstrdup(page);
		buf_puts(&b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		xml_text(&b, link);
		buf_puts(&b, "\"/>\n");
		free(link);
		char *html = entry_html(e, th, t);
		buf_puts(&b, "<content type=\"html\">");
		xml_text(&b, html);
		buf_puts(&b, "</content>\n</entry>\n");
		free(html);
	}
	buf_puts(&b, "</feed>\n");
	free(page);
	free(self);
	json_decref(t);
	*len = b.len;
	return buf_detach(&b);
}

/* ---- changes.json ---- */

static void w_value(jsonw_t *w, const hchange_t *c, const char *v)
{
	if (!v)
		jsonw_null(w);
	else if (!strcmp(c->field, "progress"))
		jsonw_int(w, atoi(v));
	else
		jsonw_str(w, v);
}

void changes_json(jsonw_t *w, const site_t *s, const history_t *h)
{
	jsonw_arr(w);
	/* stopped by a writer that failed or was cancelled (data.c) */
	for (size_t i = 0; h && i < h->nentries && !w->failed; i++) {
		const hentry_t *e = h->entries[i];
		jsonw_obj(w);
		JSONW_KEY(w, "commit");
		jsonw_str(w, e->commit);
		JSONW_KEY(w, "date");
		if (e->date) {
			char d[DATE_BUF];
			date_format_iso(e->date, d);
			jsonw_str(w, d);
		} else {
			jsonw_null(w);
		}
		char ts[DATE_RFC3339_BUF];
		date_format_rfc3339(e->time, e->tz, ts);
		JSONW_KEY(w, "time");
		jsonw_str(w, ts);
		JSONW_KEY(w, "author");
		jsonw_str(w, e->author);
		JSONW_KEY(w, "subject");
		jsonw_str(w, e->subject);
		JSONW_KEY(w, "plan");
		jsonw_str(w, e->key ? e->label : NULL);
		JSONW_KEY(w, "path");
		jsonw_str(w, e->path);
		JSONW_KEY(w, "url");
		if (e->plan) {
			char *u = abs_url(s, e->plan->url);
			jsonw_str(w, u);
			free(u);
		} else {
			jsonw_null(w);
		}
		JSONW_KEY(w, "broken");
		jsonw_bool(w, e->broken);
		if (e->broken) {
			JSONW_KEY(w, "error");
			jsonw_str(w, e->error);
		}
		JSONW_KEY(w, "changes");
		jsonw_arr(w);
		for (size_t k = 0; k < e->nchanges; k++) {
			const hchange_t *c = &e->changes[k];
			jsonw_obj(w);
			JSONW_KEY(w, "task");
			jsonw_str(w, c->task);
			JSONW_KEY(w, "task_title");
			jsonw_str(w, c->task_title);
			JSONW_KEY(w, "field");
			jsonw_str(w, c->field);
			JSONW_KEY(w, "from");
			w_value(w, c, c->from);
			JSONW_KEY(w, "to");
			w_value(w, c, c->to);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}
