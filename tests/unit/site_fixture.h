/* site_fixture.h: for the unit tests that need a whole site (test_model.c,
 * test_ctx.c, test_ctx_week.c): one built from (path, text) pairs under
 * content/, cross-referenced and with its progress as of a date, as a
 * build makes it.  Included by one test file each (static functions,
 * after cmocka.h). */
#ifndef PLANSITE_TEST_SITE_FIXTURE_H
#define PLANSITE_TEST_SITE_FIXTURE_H

#include <string.h>

#include "model.h"
#include "progress.h"
#include "xref.h"

typedef struct {
	arena_t *a;
	diag_t *d;
	site_t *s;
	snap_t snap;
} fixture_t;

/* Builds f's site from the n (path, text) pairs under content/. */
static void fixture_load(fixture_t *f, const char *const files[][2], size_t n, date_t as_of)
{
	f->a = arena_new();
	f->d = diag_new();
	f->snap.files = arena_alloc(f->a, (n + 1) * sizeof(rfile_t));
	f->snap.n = n;
	for (size_t i = 0; i < n; i++) {
		rfile_t *r = &f->snap.files[i];
		r->path = arena_printf(f->a, "content/%s", files[i][0]);
		r->rel = r->path + 8;
		r->data = files[i][1];
		r->len = strlen(files[i][1]);
	}
	model_opts_t o = { 0 };
	f->s = model_load(f->a, f->d, &f->snap, &o);
	xref_resolve(f->a, f->d, f->s, &f->snap);
	progress_compute(f->s, as_of);
}

static void unload(fixture_t *f)
{
	model_site_free(f->s);
	diag_free(f->d);
	arena_free(f->a);
}

#endif
