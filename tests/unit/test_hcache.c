/* test_hcache.c: the history cache file (hcache.c): what is written is
 * read back the same, and a file changed anywhere (even with its checksum
 * made to match) or cut anywhere is refused or read, never read past its
 * end (ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hcache.h"
#include "model_fields.h"

static const char *const text1 =
	"---\nnumber: \"1/KH-A\"\ntitle: \"Kế hoạch A\"\ntype: \"Kế hoạch\"\nimplements: [57-NQ/TW, 71/NQ-CP]\n"
	"tasks:\n"
	"  - id: \"1\"\n    title: \"Việc một\"\n    lead: Sở Tài chính\n    due: \"Quý I/2026\"\n"
	"    output: \"Báo cáo quý\"\n    status: in_progress\n    progress: 40\n"
	"  - id: \"2\"\n    title: \"Việc hai\"\n    lead: Sở Nội vụ; Sở Y tế\n    due: \"Thường xuyên\"\n"
	"---\nNội dung.\n";
static const char *const text2 =
	"---\nnumber: \"1/KH-A\"\ntitle: \"Kế hoạch A\"\ntype: \"Kế hoạch\"\nimplements: [57-NQ/TW, 71/NQ-CP]\n"
	"tasks:\n"
	"  - id: \"1\"\n    title: \"Việc một\"\n    lead: Sở Tài chính\n    due: \"Quý I/2026\"\n"
	"    status: done\n    completed: 2026-01-10\n"
	"  - id: \"2\"\n    title: \"Việc hai\"\n    lead: Sở Nội vụ; Sở Y tế\n    due: \"Thường xuyên\"\n"
	"---\nNội dung.\n";
static const char *const text3 = "---\nnumber: \"2/KH-B\"\ntitle: [chưa đóng\n---\n";

struct fx {
	char dir[64];
	git_repository *git;
	char *file;
	char *data;
	size_t len;
	git_oid b1, b2, b3, c1, c2;
};

static git_oid oid_of(int n)
{
	char hex[41];
	snprintf(hex, sizeof hex, "%040x", n);
	git_oid o;
	git_oid_fromstr(&o, hex);
	return o;
}

static hcache_t *bound(struct fx *f)
{
	hcache_t *hc = hcache_new();
	hcache_bind(hc, f->git, "content/plans/", strlen("content/"));
	return hc;
}

/* Writes a cache of two commits: a.md added, then changed and b.md
 * added broken; keeps the file's bytes in f. */
static void write_cache(struct fx *f)
{
	hcache_t *hc = bound(f);
	const char *file, *why;
	assert_int_equal(hcache_state(hc, &file, &why), HCACHE_NONE);
	assert_non_null(file);
	hver_ctx_t *vc = hcache_vc(hc);
	f->b1 = oid_of(1), f->b2 = oid_of(2), f->b3 = oid_of(3), f->c1 = oid_of(11), f->c2 = oid_of(12);
	const hver_t *v1 = hver_of(vc, &f->b1, "content/plans/a.md", text1, strlen(text1), NULL);
	const hver_t *v2 = hver_of(vc, &f->b2, "content/plans/a.md", text2, strlen(text2), v1);
	const hver_t *v3 = hver_of(vc, &f->b3, "content/plans/b.md", text3, strlen(text3), NULL);
	assert_false(v1->broken);
	assert_false(v2->broken);
	assert_true(v3->broken);
	assert_ptr_equal(v1->tasks[1], v2->tasks[1]);   /* task 2 written the same */
	hdelta_t d1[] = { { .path = hver_intern(vc, "content/plans/a.md"), .new_id = f->b1, .has = true } };
	hdelta_t d2[] = {
		{ .path = hver_intern(vc, "content/plans/a.md"), .old_id = f->b1, .new_id = f->b2, .had = true, .has = true },
		{ .path = hver_intern(vc, "content/plans/b.md"), .new_id = f->b3, .has = true },
	};
	hcommit_t commits[] = {
		{ .id = f->c1, .time = 1765000000, .tz = 420, .author = "Nguyễn Văn An", .subject = "Thêm", .d = d1, .nd = 1 },
		{ .id = f->c2, .parent = f->c1, .has_parent = true, .time = 1765100000, .tz = 420,
		  .author = "Tr\xe1n", .subject = "Sửa", .d = d2, .nd = 2 },
	};
	strmap_put(hcache_known(hc), "000000000000000000000000000000000000000b", &commits[0]);
	strmap_put(hcache_known(hc), "000000000000000000000000000000000000000c", &commits[1]);
	hlog_t log = { .commits = commits, .n = 2 };
	assert_true(hcache_save(hc, &log));
	assert_false(hcache_save(hc, &log));   /* nothing new */
	f->file = strdup(file);
	hcache_free(hc);
	assert_int_equal(util_read_file(f->file, &f->data, &f->len), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	git_libgit2_init();
	strcpy(f->dir, "/tmp/plansite-hcache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->git, f->dir, 1), 0);
	unsetenv("PLANSITE_HISTORY_CACHE");
	write_cache(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	git_repository_free(f->git);
	free(f->file);
	free(f->data);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

static void put_file(struct fx *f, const char *data, size_t len)
{
	FILE *o = fopen(f->file, "wb");
	assert_non_null(o);
	assert_int_equal(fwrite(data, 1, len, o), len);
	fclose(o);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	hcache_t *hc = bound(f);
	const char *file, *why;
	assert_int_equal(hcache_state(hc, &file, &why), HCACHE_READ);
	assert_string_equal(file, f->file);
	const hcommit_t *c2 = strmap_get(hcache_known(hc), "000000000000000000000000000000000000000c");
	assert_non_null(c2);
	assert_true(c2->has_parent && git_oid_equal(&c2->parent, &f->c1));
	assert_int_equal(c2->time, 1765100000);
	assert_int_equal(c2->tz, 420);
	assert_string_equal(c2->author, "Tr\xe1n");   /* bytes as Git holds them */
	assert_int_equal(c2->nd, 2);
	assert_string_equal(c2->d[1].path, "content/plans/b.md");
	assert_true(c2->d[0].had && c2->d[0].has && git_oid_equal(&c2->d[0].old_id, &f->b1));
	hver_ctx_t *vc = hcache_vc(hc);
	const hver_t *v1 = hver_cached(vc, &f->b1), *v2 = hver_cached(vc, &f->b2);
	assert_non_null(v1);
	assert_non_null(v2);
	assert_string_equal(v1->title, "Kế hoạch A");
	assert_string_equal(v1->implements, "57-NQ/TW; 71/NQ-CP");
	/* the tracked texts, by the field table's slots */
	int ty = model_fields_hist_slot(FIELD_PLAN, model_fields_find(FIELD_PLAN, "type"));
	int out = model_fields_hist_slot(FIELD_TASK, model_fields_find(FIELD_TASK, "output"));
	assert_true(ty >= 0 && out >= 0);
	assert_string_equal(v1->text[ty], "Kế hoạch");
	assert_string_equal(v1->tasks[0]->text[out], "Báo cáo quý");
	assert_null(v1->tasks[1]->text[out]);
	assert_int_equal(v1->ntasks, 2);
	assert_int_equal(v1->tasks[0]->progress, 40);
	assert_int_equal(v2->tasks[0]->status, STATUS_DONE);
	assert_int_equal(v2->tasks[0]->completed, 20260110);
	assert_string_equal(v2->tasks[1]->lead, "Sở Nội vụ; Sở Y tế");
	assert_ptr_equal(v1->tasks[1], v2->tasks[1]);   /* still one record */
	assert_ptr_equal(v1->title, hver_intern(vc, "Kế hoạch A"));   /* interned */
	assert_int_equal(v2->done, 1);
	assert_non_null(v2->layout);
	assert_int_equal(v2->layout->n, 2);
	/* a broken version is known at its own path only */
	assert_null(hver_cached(vc, &f->b3));
	const hver_t *v3 = hver_known(vc, &f->b3, "content/plans/b.md");
	assert_non_null(v3);
	assert_true(v3->broken);
	assert_non_null(strstr(v3->error, "content/plans/b.md"));
	assert_null(hver_known(vc, &f->b3, "content/plans/c.md"));
	/* a version parsed from a cached one equals the same text parsed whole */
	git_oid b4 = oid_of(4), b5 = oid_of(5);
	const hver_t *n = hver_of(vc, &b4, "content/plans/a.md", text1, strlen(text1), v2);
	hcache_t *other = hcache_new();
	hcache_bind(other, f->git, "content/other/", strlen("content/"));
	const hver_t *w = hver_of(hcache_vc(other), &b5, "content/plans/a.md", text1, strlen(text1), NULL);
	assert_int_equal(hcache_state(other, &file, &why), HCACHE_NONE);   /* another content folder's file */
	assert_string_equal(n->tasks[0]->status == w->tasks[0]->status ? "same" : "differ", "same");
	assert_int_equal(n->tasks[0]->progress, w->tasks[0]->progress);
	assert_string_equal(n->implements_key, w->implements_key);
	hcache_free(other);
	hcache_free(hc);
}

/* Every byte changed, the checksum made to match: read or refused, never
 * out of bounds; every length cut short: refused. */
/* A file written for another field table (a field added to the history's
 * texts) is another version's cache: not read, whatever its checksum. */
static void test_other_fields(void **state)
{
	struct fx *f = *state;
	char *d = malloc(f->len);
	memcpy(d, f->data, f->len);
	/* magic, format, the version string, then the field list's length */
	size_t at = 16 + 4;
	uint32_t vl = (uint32_t)(unsigned char)d[at] | (uint32_t)(unsigned char)d[at + 1] << 8;
	at += 4 + vl;
	uint32_t fl = (uint32_t)(unsigned char)d[at] | (uint32_t)(unsigned char)d[at + 1] << 8;
	assert_true(fl > 0 && memchr(d + at + 4, '|', fl));
	d[at + 4] = 'X';   /* the first tracked task text renamed */
	uint64_t c = hcache_checksum(d, f->len - 8);
	for (int i = 0; i < 8; i++)
		d[f->len - 8 + (size_t)i] = (char)(c >> (8 * i));
	put_file(f, d, f->len);
	hcache_t *hc = bound(f);
	const char *file, *why;
	assert_int_equal(hcache_state(hc, &file, &why), HCACHE_OTHER);
	assert_non_null(strchr(why, '|'));   /* the field list named */
	assert_null(strmap_get(hcache_known(hc), "000000000000000000000000000000000000000b"));
	hcache_free(hc);
	free(d);
}

static void test_every_byte(void **state)
{
	struct fx *f = *state;
	char *d = malloc(f->len);
	size_t nread = 0, ndamaged = 0, nother = 0;
	for (size_t i = 16; i + 8 < f->len; i++) {
		for (int flip = 0; flip < 2; flip++) {
			memcpy(d, f->data, f->len);
			d[i] = flip ? (char)(d[i] ^ 0xff) : (char)(d[i] + 1);
			uint64_t c = hcache_checksum(d, f->len - 8);
			for (int k = 0; k < 8; k++)
				d[f->len - 8 + (size_t)k] = (char)(c >> (8 * k));
			put_file(f, d, f->len);
			hcache_t *hc = bound(f);
			const char *file, *why;
			int st = hcache_state(hc, &file, &why);
			nread += st == HCACHE_READ;
			ndamaged += st == HCACHE_DAMAGED;
			nother += st == HCACHE_OTHER;
			hcache_free(hc);
		}
	}
	assert_true(ndamaged > 0);
	assert_true(nother > 0);
	for (size_t len = 0; len < f->len; len++) {
		put_file(f, f->data, len);
		hcache_t *hc = bound(f);
		const char *file, *why;
		assert_int_equal(hcache_state(hc, &file, &why), HCACHE_DAMAGED);
		assert_null(strmap_get(hcache_known(hc), "000000000000000000000000000000000000000b"));
		hcache_free(hc);
	}
	/* a changed byte without its checksum fixed */
	memcpy(d, f->data, f->len);
	d[f->len / 2] ^= 0x01;
	put_file(f, d, f->len);
	hcache_t *hc = bound(f);
	const char *file, *why;
	assert_int_equal(hcache_state(hc, &file, &why), HCACHE_DAMAGED);
	hcache_free(hc);
	put_file(f, f->data, f->len);
	free(d);
	(void)nread;
}

/* Whether the file at path begins with the n bytes p. */
static bool begins_with(const char *path, const char *p, size_t n)
{
	char *d = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, &d, &len), 0);
	bool yes = len >= n && !memcmp(d, p, n);
	free(d);
	return yes;
}

/* A build after new commits appends them (and their versions) to the file
 * in place of its checksum; the file reads back whole, with every part;
 * a file replaced behind the cache, or holding too many parts, is written
 * whole again. */
static void test_append(void **state)
{
	struct fx *f = *state;
	hcache_t *hc = bound(f);
	const char *file, *why;
	assert_int_equal(hcache_state(hc, &file, &why), HCACHE_READ);
	hver_ctx_t *vc = hcache_vc(hc);
	enum { MORE = 70 };
	hcommit_t *commits = calloc(2 + MORE, sizeof(*commits));
	hdelta_t *ds = calloc(MORE, sizeof(*ds));
	char (*hex)[41] = calloc(2 + MORE, sizeof(*hex));
	commits[0] = *(const hcommit_t *)strmap_get(hcache_known(hc), "000000000000000000000000000000000000000b");
	commits[1] = *(const hcommit_t *)strmap_get(hcache_known(hc), "000000000000000000000000000000000000000c");
	size_t appended = 0, whole = 0;
	char *prev = NULL;
	size_t prevlen = 0;
	assert_int_equal(util_read_file(f->file, &prev, &prevlen), 0);
	for (int i = 0; i < MORE; i++) {
		/* a.md changed again: a version parsed near the last one */
		git_oid b = oid_of(100 + i), c = oid_of(200 + i);
		const char *t = i % 2 ? text2 : text1;
		const git_oid *last = i ? &ds[i - 1].new_id : &f->b2;
		const hver_t *v = hver_of(vc, &b, "content/plans/a.md", t, strlen(t), hver_cached(vc, last));
		assert_false(v->broken);
		ds[i] = (hdelta_t){ .path = hver_intern(vc, "content/plans/a.md"), .old_id = *last, .new_id = b,
				    .had = true, .has = true };
		commits[2 + i] = (hcommit_t){ .id = c, .parent = commits[1 + i].id, .has_parent = true,
					      .time = 1765200000 + i, .tz = 420, .author = "An", .subject = "Tiến độ",
					      .d = &ds[i], .nd = 1 };
		git_oid_tostr(hex[2 + i], sizeof hex[2 + i], &c);
		strmap_put(hcache_known(hc), hex[2 + i], &commits[2 + i]);
		hlog_t log = { .commits = commits, .n = 3 + (size_t)i };
		assert_true(hcache_save(hc, &log));
		assert_false(hcache_save(hc, &log));   /* nothing new */
		/* appended: what was there stays, but for its checksum */
		if (begins_with(f->file, prev, prevlen - 8))
			appended++;
		else
			whole++;
		free(prev);
		assert_int_equal(util_read_file(f->file, &prev, &prevlen), 0);
		if (i == 2 || i == MORE - 1) {
			/* read back by another cache: every commit, every version */
			hcache_t *back = bound(f);
			assert_int_equal(hcache_state(back, NULL, NULL), HCACHE_READ);
			for (int k = 0; k <= i; k++) {
				const hcommit_t *bc = strmap_get(hcache_known(back), hex[2 + k]);
				assert_non_null(bc);
				assert_int_equal(bc->time, 1765200000 + k);
				assert_true(git_oid_equal(&bc->d[0].new_id, &ds[k].new_id));
				const hver_t *bv = hver_cached(hcache_vc(back), &ds[k].new_id);
				assert_non_null(bv);
				assert_int_equal(bv->tasks[0]->status, k % 2 ? STATUS_DONE : STATUS_IN_PROGRESS);
			}
			assert_non_null(strmap_get(hcache_known(back), "000000000000000000000000000000000000000b"));
			assert_non_null(hver_known(hcache_vc(back), &f->b3, "content/plans/b.md"));
			hcache_free(back);
		}
	}
	/* appended each time until the parts are too many, then written whole */
	assert_true(appended >= 60);
	assert_true(whole >= 1 && whole <= 2);
	/* a byte of an appended part changed: damaged, nothing of it used */
	char *d = malloc(prevlen);
	memcpy(d, prev, prevlen);
	d[prevlen - 20] ^= 0x10;
	put_file(f, d, prevlen);
	hcache_t *dam = bound(f);
	assert_int_equal(hcache_state(dam, NULL, NULL), HCACHE_DAMAGED);
	assert_null(strmap_get(hcache_known(dam), hex[2 + MORE - 1]));
	hcache_free(dam);
	/* the file replaced behind hc (another build wrote it whole): not
	 * appended to, written whole */
	put_file(f, f->data, f->len);
	git_oid b = oid_of(999), c = oid_of(998);
	hcommit_t *cs = realloc(commits, (3 + MORE) * sizeof(*cs));
	commits = cs;
	hdelta_t dx = { .path = hver_intern(vc, "content/plans/b.md"), .old_id = f->b3, .new_id = b, .had = true,
			.has = true };
	hver_of(vc, &b, "content/plans/b.md", text1, strlen(text1), NULL);
	commits[2 + MORE] = (hcommit_t){ .id = c, .parent = commits[1 + MORE].id, .has_parent = true,
					 .time = 1766000000, .tz = 420, .author = "An", .subject = "Khác", .d = &dx, .nd = 1 };
	char cx[41];
	git_oid_tostr(cx, sizeof cx, &c);
	strmap_put(hcache_known(hc), cx, &commits[2 + MORE]);
	hlog_t log = { .commits = commits, .n = 3 + MORE };
	assert_true(hcache_save(hc, &log));
	assert_false(begins_with(f->file, f->data, f->len - 8));
	hcache_t *back = bound(f);
	assert_int_equal(hcache_state(back, NULL, NULL), HCACHE_READ);
	assert_non_null(strmap_get(hcache_known(back), cx));
	assert_non_null(strmap_get(hcache_known(back), hex[2]));
	assert_non_null(hver_cached(hcache_vc(back), &b));
	hcache_free(back);
	put_file(f, f->data, f->len);
	hcache_free(hc);
	free(d);
	free(prev);
	free(commits);
	free(ds);
	free(hex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
