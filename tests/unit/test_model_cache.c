/* test_model_cache.c: unit tests of model_cache.c: builds that keep the
 * plans of unchanged files give the same site and the same messages as
 * builds that parse everything, across edits, renames and registries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "model_cache.h"
#include "progress.h"
#include "xref.h"

typedef struct {
	arena_t *a;
	diag_t *d;
	site_t *s;
	snap_t snap;
} build_t;

/* A site from (path, text) pairs under content/, through the cache when
 * mc is not NULL. */
static void load(build_t *b, const char *const files[][2], size_t n, model_cache_t *mc)
{
	b->a = arena_new();
	b->d = diag_new();
	b->snap.files = arena_alloc(b->a, (n + 1) * sizeof(rfile_t));
	b->snap.n = n;
	for (size_t i = 0; i < n; i++) {
		rfile_t *r = &b->snap.files[i];
		r->path = arena_printf(b->a, "content/%s", files[i][0]);
		r->rel = r->path + 8;
		/* a copy of its own: the cache must not keep the snapshot's bytes */
		r->data = arena_strdup(b->a, files[i][1]);
		r->len = strlen(files[i][1]);
	}
	model_opts_t o = { .cache = mc };
	b->s = model_load(b->a, b->d, &b->snap, &o);
	xref_resolve(b->a, b->d, b->s, &b->snap);
	progress_compute(b->s, 20250601);
	model_check_as_of(b->s, b->d);
}

static void unload(build_t *b)
{
	model_site_free(b->s);
	diag_free(b->d);
	/* a kept plan still pointing into this build's arena is a use after
	 * free in the next build (ASan) */
	arena_free(b->a);
}

/* What the pages would show of a site, as one text. */
static char *describe(const build_t *b)
{
	buf_t t = BUF_INIT;
	char *msgs = diag_format(b->d);
	buf_puts(&t, msgs);
	free(msgs);
	for (size_t i = 0; i < b->s->nplans; i++) {
		const plan_t *p = b->s->plans[i];
		buf_printf(&t, "%s %s %s %s %d/%d impl %zu->%s rank %u\n", p->path, p->name, p->url, p->title,
			   p->stats.done, p->stats.total, p->nimplements,
			   p->nimplements && p->impl_docs[0] ? p->impl_docs[0]->title : "-", (unsigned)p->rank);
		for (size_t j = 0; j < p->nunames; j++)
			buf_printf(&t, "  name %s -> %s\n", p->unames[j].text, p->unames[j].unit->name);
		for (size_t j = 0; j < p->ntasks; j++) {
			const task_t *k = &p->tasks[j];
			buf_printf(&t, "  %s %s %d %d", k->id, k->title, k->overdue, k->complete5);
			for (size_t l = 0; l < k->lead.n; l++)
				buf_printf(&t, " lead=%s(%s)", k->lead.v[l].unit->name,
					   k->lead.v[l].unit->registered ? "reg" : "unreg");
			buf_puts(&t, "\n");
		}
	}
	for (size_t i = 0; i < b->s->nunits; i++) {
		const unit_t *u = b->s->units[i];
		buf_printf(&t, "unit %s %s led %zu plans", u->id ? u->id : "-", u->name, u->nled);
		for (size_t j = 0; j < u->nplan_ranks; j++)
			buf_printf(&t, " %u", (unsigned)u->plan_ranks[j]);
		buf_puts(&t, "\n");
	}
	return buf_detach(&t);
}

/* Builds files through mc and afresh; both must describe the same site.
 * Returns the kept build (the caller unloads it). */
static void same(build_t *kept, const char *const files[][2], size_t n, model_cache_t *mc)
{
	build_t fresh;
	load(&fresh, files, n, NULL);
	load(kept, files, n, mc);
	char *want = describe(&fresh), *have = describe(kept);
	assert_string_equal(have, want);
	free(want);
	free(have);
	unload(&fresh);
}

#define UNITS "- { id: so-a, name: Sở A }\n- { id: so-b, name: Sở B }\n"
#define DOCS "- { number: 57-NQ/TW, title: \"Nghị quyết cũ\" }\n"
#define PLAN_A "---\nnumber: \"1/KH\"\ntitle: Một\nimplements: [57-NQ/TW]\ntasks:\n" \
	"  - { id: \"1\", title: V, lead: Sở A, output: x, due: 30/06/2025, status: in_progress, progress: 100 }\n" \
	"---\nTheo Kế hoạch số 9/KH-XX.\n"
#define PLAN_B "---\nnumber: \"2/KH\"\ntitle: Hai\ntasks:\n" \
	"  - { id: \"1\", title: W, lead: Sở B, output: y, due: 30/06/2026, status: done, completed: 2025-07-01 }\n---\n"
/* two plans without a number, named alike: the second gets its id */
#define PLAN_C "---\nid: ba\ntitle: Ba\nissuer: Sở A\ndate: 2025-01-02\n---\n"
#define PLAN_D "---\nid: bon\ntitle: Bốn\nissuer: Sở A\ndate: 2025-01-02\n---\n"

static void test_edits(void **state)
{
	(void)state;
	model_cache_t *mc = model_cache_new();
	size_t kept, parsed;
	build_t b1, b2, b3, b4, b5, b6;

	const char *const v1[][2] = { { "documents.yaml", DOCS }, { "plans/a.md", PLAN_A }, { "plans/b.md", PLAN_B },
				      { "plans/c.md", PLAN_C }, { "plans/d.md", PLAN_D }, { "units.yaml", UNITS } };
	same(&b1, v1, 6, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 0);
	assert_int_equal(parsed, 4);
	assert_true(diag_warnings(b1.d) > 0);   /* W019 in a.md, W017 in b.md, W038 */
	const plan_t *a1 = b1.s->plans[0];
	unload(&b1);

	/* b.md edited: a.md kept, its messages reported again */
	const char *const v2[][2] = { { "documents.yaml", DOCS }, { "plans/a.md", PLAN_A },
				      { "plans/b.md", "---\nnumber: \"2/KH\"\ntitle: Hai mới\n---\n" },
				      { "plans/c.md", PLAN_C }, { "plans/d.md", PLAN_D }, { "units.yaml", UNITS } };
	same(&b2, v2, 6, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 3);
	assert_int_equal(parsed, 1);
	assert_ptr_equal(b2.s->plans[0], a1);   /* the same record, not parsed again */
	unload(&b2);

	/* b.md back to its first bytes; the registries change under the
	 * unchanged plans: a unit gone, the document renamed */
	const char *const v3[][2] = { { "documents.yaml", "- { number: 57-NQ/TW, title: \"Nghị quyết mới\" }\n" },
				      { "plans/a.md", PLAN_A }, { "plans/b.md", PLAN_B }, { "plans/c.md", PLAN_C },
				      { "plans/d.md", PLAN_D }, { "units.yaml", "- { id: so-b, name: Sở B }\n" } };
	same(&b3, v3, 6, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 3);
	assert_int_equal(parsed, 1);
	unload(&b3);

	/* nothing changed: nothing parsed, and the names made unique once
	 * (not "Kế hoạch ... (bon) (bon)") */
	same(&b4, v3, 6, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 4);
	assert_int_equal(parsed, 0);
	unload(&b4);

	/* a.md renamed: parsed again (its messages name the new path), and
	 * a plan file removed */
	const char *const v5[][2] = { { "documents.yaml", DOCS }, { "plans/b.md", PLAN_B }, { "plans/c.md", PLAN_C },
				      { "plans/z.md", PLAN_A }, { "units.yaml", UNITS } };
	same(&b5, v5, 5, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 2);
	assert_int_equal(parsed, 1);
	char *msgs = diag_format(b5.d);
	assert_non_null(strstr(msgs, "content/plans/z.md:"));
	assert_null(strstr(msgs, "content/plans/a.md:"));
	free(msgs);
	unload(&b5);

	/* a syntax error, kept as it is too */
	const char *const v6[][2] = { { "plans/b.md", PLAN_B }, { "plans/c.md", "---\nid: ba\ntitle: [\n---\n" } };
	same(&b6, v6, 2, mc);
	assert_true(diag_errors(b6.d) > 0);
	unload(&b6);
	same(&b6, v6, 2, mc);
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, 2);
	assert_int_equal(parsed, 0);
	assert_true(diag_errors(b6.d) > 0);
	unload(&b6);
	model_cache_free(mc);
}

/* Enough plans to parse on several threads, every one of them warned
 * about, then one edited. */
static void test_many(void **state)
{
	(void)state;
	enum { N = 150 };
	static char names[N][32], texts[N][256];
	const char *files[N][2];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "plans/p%03d.md", i);
		snprintf(texts[i], sizeof texts[i],
			 "---\nnumber: \"%d/KH\"\ntitle: P%d\ntasks:\n  - { id: \"1\", title: T, lead: Sở %c, output: x, "
			 "due: 30/06/2025, status: in_progress, progress: 100 }\n---\n",
			 i + 1, i, 'A' + i % 3);
		files[i][0] = names[i];
		files[i][1] = texts[i];
	}
	model_cache_t *mc = model_cache_new();
	build_t b;
	same(&b, (const char *const(*)[2])files, N, mc);
	assert_int_equal(diag_warnings(b.d) >= N, 1);
	unload(&b);
	snprintf(texts[7], sizeof texts[7], "---\nnumber: \"8/KH\"\ntitle: Mới\n---\n");
	same(&b, (const char *const(*)[2])files, N, mc);
	size_t kept, parsed;
	model_cache_counts(mc, &kept, &parsed);
	assert_int_equal(kept, N - 1);
	assert_int_equal(parsed, 1);
	unload(&b);
	model_cache_free(mc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
