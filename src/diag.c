/* diag.c: collection, sorting and printing of diagnostics. */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct msg {
	char *path;
	int line, col;
	int error;
	size_t seq;
	char *text;
};

struct diag {
	pthread_mutex_t lock;
	struct msg *v;
	size_t n, cap;
	size_t errors, warnings;
};

diag_t *diag_new(void)
{
	diag_t *d = xcalloc(1, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

void diag_free(diag_t *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].text);
	}
	free(d->v);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static void add(diag_t *d, const loc_t *loc, int error, const char *fmt, va_list ap)
{
	buf_t b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	pthread_mutex_lock(&d->lock);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct msg *m = &d->v[d->n];
	m->path = xstrdup(loc && loc->path ? loc->path : "");
	m->line = loc ? loc->line : 0;
	m->col = loc ? loc->col : 0;
	m->error = error;
	m->seq = d->n++;
	m->text = buf_detach(&b);
	if (error)
		d->errors++;
	else
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

void diag_error(diag_t *d, const loc_t *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, loc, 1, fmt, ap);
	va_end(ap);
}

void diag_warning(diag_t *d, const loc_t *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, loc, 0, fmt, ap);
	va_end(ap);
}

size_t diag_errors(const diag_t *d)
{
	return d->errors;
}

size_t diag_warnings(const diag_t *d)
{
	return d->warnings;
}

static int cmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void format_all(diag_t *d, buf_t *out)
{
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), cmp);
	const struct msg *prev = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct msg *m = &d->v[i];
		if (prev && !strcmp(prev->path, m->path) && prev->line == m->line &&
		    prev->col == m->col && prev->error == m->error &&
		    !strcmp(prev->text, m->text))
			continue;
		prev = m;
		const char *kind = m->error ? "error" : "warning";
		if (!*m->path)
			buf_printf(out, "plansite: %s: %s\n", kind, m->text);
		else if (m->line > 0)
			buf_printf(out, "%s:%d:%d: %s: %s\n", m->path, m->line,
				   m->col > 0 ? m->col : 1, kind, m->text);
		else
			buf_printf(out, "%s: %s: %s\n", m->path, kind, m->text);
	}
}

void diag_print(diag_t *d, FILE *f)
{
	buf_t b = BUF_INIT;
	format_all(d, &b);
	if (b.len)
		fwrite(b.ptr, 1, b.len, f);
	buf_free(&b);
}

char *diag_format(diag_t *d)
{
	buf_t b = BUF_INIT;
	format_all(d, &b);
	return buf_detach(&b);
}
