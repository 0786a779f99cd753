/* changes_chart.c: a plan's or a document's progress chart (the chart
 * partial's data), as jansson (the reference) and as typed records. */
#include "changes.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes_int.h"
#include "ctx.h"
#include "jsonh.h"

/* Narrow enough that a phone shows it at nearly its own size, so its
 * 15-unit labels stay 12 px or more (the theme enlarges them on the
 * narrowest screens); a desktop shows it at exactly this size. */
#define CW 420
#define CH 240
#define CL 60     /* left margin: the axis title and percent labels */
#define CR 20
#define CT 14
#define CB 50     /* bottom margin: dates and the axis label */

/* "%.1f", without printf: a chart a plan page, a few hundred numbers */
static json_t *num(double v)
{
	char b[FMT_TENTHS_MAX];
	size_t n = fmt_tenths(v, b);
	return json_stringn_nocheck(b, n);
}

json_t *changes_chart(const hseries_t *ser)
{
	if (!ser || !ser->n)
		return json_null();
	/* one point per day: the last commit of the day */
	hpoint_t *v = xmalloc(ser->n * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < ser->n; i++) {
		if (n && v[n - 1].date == ser->v[i].date)
			n--;
		v[n++] = ser->v[i];
	}
	long span = date_diff_days(v[0].date, v[n - 1].date);
	double pw = CW - CL - CR, ph = CH - CT - CB;
	json_t *o = json_object();
	SET(o, "width", json_integer(CW));
	SET(o, "height", json_integer(CH));
	json_t *pts = json_array();
	buf_t path = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		double x = span > 0 ? CL + pw * (double)date_diff_days(v[0].date, v[i].date) / (double)span
				    : CL + pw / 2;
		double y = CT + ph - ph * v[i].percent / 100.0;
		char fx[FMT_TENTHS_MAX], fy[FMT_TENTHS_MAX];
		size_t nx = fmt_tenths(x, fx), ny = fmt_tenths(y, fy);
		buf_puts(&path, i ? " H" : "M");
		buf_put(&path, fx, nx);
		buf_puts(&path, i ? " V" : " ");
		buf_put(&path, fy, ny);
		json_t *p = json_object();
		SET(p, "x", num(x));
		SET(p, "y", num(y));
		SET(p, "date", ctx_date_iso(v[i].date));
		SET(p, "date_vi", ctx_date_vi(v[i].date));
		SET(p, "percent", json_integer(v[i].percent));
		SET(p, "done", json_integer(v[i].done));
		SET(p, "base", json_integer(v[i].base));
		json_array_append_new(pts, p);
	}
	SET(o, "path", json_string(path.ptr));
	buf_free(&path);
	SET(o, "points", pts);
	json_t *yt = json_array();
	for (int p = 0; p <= 100; p += 25) {
		json_t *t = json_object();
		double y = CT + ph - ph * p / 100.0;
		SET(t, "y", num(y));
		SET(t, "x1", json_integer(CL));
		SET(t, "x2", json_integer(CW - CR));
		SET(t, "tx", json_integer(CL - 6));
		SET(t, "ty", num(y + 5));
		char l[16];
		snprintf(l, sizeof l, "%d%%", p);
		SET(t, "label", json_string(l));
		json_array_append_new(yt, t);
	}
	SET(o, "y_ticks", yt);
	json_t *xt = json_array();
	for (size_t k = 0; k < (n > 1 ? 2u : 1u); k++) {
		const hpoint_t *p = k ? &v[n - 1] : &v[0];
		json_t *t = json_object();
		SET(t, "x", json_integer(n > 1 ? (k ? CW - CR : CL) : CL + (int)pw / 2));
		SET(t, "y", json_integer(CH - CB + 20));
		SET(t, "anchor", json_string(n > 1 ? (k ? "end" : "start") : "middle"));
		SET(t, "label", ctx_date_vi(p->date));
		json_array_append_new(xt, t);
	}
	SET(o, "x_ticks", xt);
	json_t *ax = json_object();
	SET(ax, "x", json_integer(CL + (int)pw / 2));
	SET(ax, "y", json_integer(CH - 8));
	SET(o, "axis_x", ax);
	json_t *ay = json_object();
	SET(ay, "x", json_integer(12));
	SET(ay, "y", json_integer(CT + (int)ph / 2));
	SET(o, "axis_y", ay);
	SET(o, "first_vi", ctx_date_vi(v[0].date));
	SET(o, "last_vi", ctx_date_vi(v[n - 1].date));
	SET(o, "first_percent", json_integer(v[0].percent));
	SET(o, "last_percent", json_integer(v[n - 1].percent));
	SET(o, "count", json_integer((json_int_t)n));
	free(v);
	return o;
}

/* ---- the chart as a typed template record: the names of changes_chart
 * (the unit tests' reference), read when the chart partial asks.  As
 * jansson objects, a plan page's chart was 40 objects built, looked up by
 * hashed name and freed (callgrind, cold 1k build: changes_chart 53M and
 * 66,000 lookups). */

struct cpoint {
	hpoint_t p;
	double x, y;
};

struct xtick {
	int x;
	const char *anchor;
	date_t date;
};

struct changes_chart {
	struct cpoint *pts;
	size_t n;
	char *path;
	struct xtick xt[2];
	size_t nxt;
};

/* "%.1f" of v into scratch: a chart's coordinates are a few digits */
static tmpl_val_t tenths_val(double v, char *scratch)
{
	char b[FMT_TENTHS_MAX];
	size_t n = fmt_tenths(v, b);
	assert(n < TMPL_SCRATCH);
	memcpy(scratch, b, n);
	scratch[n] = '\0';
	return tmpl_str(scratch);
}

enum { P_X, P_Y, P_DATE, P_DATE_VI, P_PERCENT, P_DONE, P_BASE, P_FIELDS };

static const tmpl_field_t cpoint_fields[P_FIELDS] = {
	{ "x", TMPL_F_SCALAR, NULL, false },
	{ "y", TMPL_F_SCALAR, NULL, false },
	{ "date", TMPL_F_SCALAR, NULL, false },
	{ "date_vi", TMPL_F_SCALAR, NULL, false },
	{ "percent", TMPL_F_SCALAR, NULL, false },
	{ "done", TMPL_F_SCALAR, NULL, false },
	{ "base", TMPL_F_SCALAR, NULL, false },
};

static void cpoint_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct cpoint *c = rec;
	switch (i) {
	case P_X: *out = tenths_val(c->x, scratch); break;
	case P_Y: *out = tenths_val(c->y, scratch); break;
	case P_DATE: *out = ctx_date_val(c->p.date, false, scratch); break;
	case P_DATE_VI: *out = ctx_date_val(c->p.date, true, scratch); break;
	case P_PERCENT: *out = tmpl_int(c->p.percent); break;
	case P_DONE: *out = tmpl_int(c->p.done); break;
	default: *out = tmpl_int(c->p.base);
	}
}

static tmpl_type_t cpoint_type = { "chart_point", cpoint_fields, P_FIELDS, cpoint_get, NULL, 0, NULL, 0 };

/* the percent axis: the same five ticks on every chart */
static const int ytick_percent[] = { 0, 25, 50, 75, 100 };

static const tmpl_field_t ytick_fields[] = {
	{ "y", TMPL_F_SCALAR, NULL, false },
	{ "x1", TMPL_F_SCALAR, NULL, false },
	{ "x2", TMPL_F_SCALAR, NULL, false },
	{ "tx", TMPL_F_SCALAR, NULL, false },
	{ "ty", TMPL_F_SCALAR, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, false },
};

static void ytick_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	int p = *(const int *)rec;
	double ph = CH - CT - CB, y = CT + ph - ph * p / 100.0;
	switch (i) {
	case 0: *out = tenths_val(y, scratch); break;
	case 1: *out = tmpl_int(CL); break;
	case 2: *out = tmpl_int(CW - CR); break;
	case 3: *out = tmpl_int(CL - 6); break;
	case 4: *out = tenths_val(y + 5, scratch); break;
	default:
		snprintf(scratch, TMPL_SCRATCH, "%d%%", p);
		*out = tmpl_str(scratch);
	}
}

static tmpl_type_t ytick_type = { "chart_ytick", ytick_fields, 6, ytick_get, NULL, 0, NULL, 0 };

static const tmpl_field_t xtick_fields[] = {
	{ "x", TMPL_F_SCALAR, NULL, false },
	{ "y", TMPL_F_SCALAR, NULL, false },
	{ "anchor", TMPL_F_SCALAR, NULL, false },
	{ "label", TMPL_F_SCALAR, NULL, false },
};

static void xtick_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct xtick *t = rec;
	switch (i) {
	case 0: *out = tmpl_int(t->x); break;
	case 1: *out = tmpl_int(CH - CB + 20); break;
	case 2: *out = tmpl_str(t->anchor); break;
	default: *out = ctx_date_val(t->date, true, scratch);
	}
}

static tmpl_type_t xtick_type = { "chart_xtick", xtick_fields, 4, xtick_get, NULL, 0, NULL, 0 };

/* axis_x, axis_y: where the axes' titles go, the same on every chart */
static const int axis_xy[2][2] = { { CL + (CW - CL - CR) / 2, CH - 8 }, { 12, CT + (CH - CT - CB) / 2 } };

static const tmpl_field_t axis_fields[] = {
	{ "x", TMPL_F_SCALAR, NULL, false },
	{ "y", TMPL_F_SCALAR, NULL, false },
};

static void axis_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	(void)scratch;
	*out = tmpl_int(((const int *)rec)[i]);
}

static tmpl_type_t axis_type = { "chart_axis", axis_fields, 2, axis_get, NULL, 0, NULL, 0 };

enum {
	C_WIDTH, C_HEIGHT, C_PATH, C_POINTS, C_Y_TICKS, C_X_TICKS, C_AXIS_X, C_AXIS_Y, C_FIRST_VI,
	C_LAST_VI, C_FIRST_PERCENT, C_LAST_PERCENT, C_COUNT, C_FIELDS
};

static const tmpl_field_t chart_fields[C_FIELDS] = {
	{ "width", TMPL_F_SCALAR, NULL, false },
	{ "height", TMPL_F_SCALAR, NULL, false },
	{ "path", TMPL_F_SCALAR, NULL, false },
	{ "points", TMPL_F_LIST, &cpoint_type, false },
	{ "y_ticks", TMPL_F_LIST, &ytick_type, false },
	{ "x_ticks", TMPL_F_LIST, &xtick_type, false },
	{ "axis_x", TMPL_F_REC, &axis_type, false },
	{ "axis_y", TMPL_F_REC, &axis_type, false },
	{ "first_vi", TMPL_F_SCALAR, NULL, false },
	{ "last_vi", TMPL_F_SCALAR, NULL, false },
	{ "first_percent", TMPL_F_SCALAR, NULL, false },
	{ "last_percent", TMPL_F_SCALAR, NULL, false },
	{ "count", TMPL_F_SCALAR, NULL, false },
};

static void chart_get(const void *rec, size_t i, tmpl_val_t *out, char *scratch)
{
	const struct changes_chart *c = rec;
	const hpoint_t *first = &c->pts[0].p, *last = &c->pts[c->n - 1].p;
	switch (i) {
	case C_WIDTH: *out = tmpl_int(CW); break;
	case C_HEIGHT: *out = tmpl_int(CH); break;
	case C_PATH: *out = tmpl_str(c->path); break;
	case C_POINTS: *out = tmpl_list(&cpoint_type, c->pts, sizeof *c->pts, c->n, false); break;
	case C_Y_TICKS:
		*out = tmpl_list(&ytick_type, ytick_percent, sizeof ytick_percent[0],
				 sizeof ytick_percent / sizeof ytick_percent[0], false);
		break;
	case C_X_TICKS: *out = tmpl_list(&xtick_type, c->xt, sizeof c->xt[0], c->nxt, false); break;
	case C_AXIS_X: *out = tmpl_rec(&axis_type, axis_xy[0]); break;
	case C_AXIS_Y: *out = tmpl_rec(&axis_type, axis_xy[1]); break;
	case C_FIRST_VI: *out = ctx_date_val(first->date, true, scratch); break;
	case C_LAST_VI: *out = ctx_date_val(last->date, true, scratch); break;
	case C_FIRST_PERCENT: *out = tmpl_int(first->percent); break;
	case C_LAST_PERCENT: *out = tmpl_int(last->percent); break;
	default: *out = tmpl_int((long long)c->n);
	}
}

static tmpl_type_t chart_type = { "chart", chart_fields, C_FIELDS, chart_get, NULL, 0, NULL, 0 };
const tmpl_type_t *const changes_chart_type = &chart_type;

void changes_chart_types_register(void)
{
	tmpl_type_register(&cpoint_type);
	tmpl_type_register(&ytick_type);
	tmpl_type_register(&xtick_type);
	tmpl_type_register(&axis_type);
	tmpl_type_register(&chart_type);
}

tmpl_val_t changes_chart_val(tmpl_obj_t *keeper, const hseries_t *ser)
{
	if (!ser || !ser->n)
		return (tmpl_val_t){ .kind = TMPL_NULL };
	struct changes_chart *c = xcalloc(1, sizeof *c);
	tmpl_obj_keep(keeper, c);
	c->pts = xmalloc(ser->n * sizeof *c->pts);
	tmpl_obj_keep(keeper, c->pts);
	/* one point per day: the last commit of the day */
	size_t n = 0;
	for (size_t i = 0; i < ser->n; i++) {
		if (n && c->pts[n - 1].p.date == ser->v[i].date)
			n--;
		c->pts[n++].p = ser->v[i];
	}
	c->n = n;
	const hpoint_t *first = &c->pts[0].p, *last = &c->pts[n - 1].p;
	long span = date_diff_days(first->date, last->date);
	double pw = CW - CL - CR, ph = CH - CT - CB;
	buf_t path = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct cpoint *p = &c->pts[i];
		p->x = span > 0 ? CL + pw * (double)date_diff_days(first->date, p->p.date) / (double)span
				: CL + pw / 2;
		p->y = CT + ph - ph * p->p.percent / 100.0;
		char fx[FMT_TENTHS_MAX], fy[FMT_TENTHS_MAX];
		size_t nx = fmt_tenths(p->x, fx), ny = fmt_tenths(p->y, fy);
		buf_puts(&path, i ? " H" : "M");
		buf_put(&path, fx, nx);
		buf_puts(&path, i ? " V" : " ");
		buf_put(&path, fy, ny);
	}
	c->path = buf_detach(&path);
	tmpl_obj_keep(keeper, c->path);
	if (n > 1) {
		c->xt[0] = (struct xtick){ CL, "start", first->date };
		c->xt[1] = (struct xtick){ CW - CR, "end", last->date };
		c->nxt = 2;
	} else {
		c->xt[0] = (struct xtick){ CL + (int)pw / 2, "middle", first->date };
		c->nxt = 1;
	}
	return tmpl_rec(&chart_type, c);
}
