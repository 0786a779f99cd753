/* test_hcache.c: the history cache file (hcache.c): what is written is
 * read back the same, and a file changed anywhere (even with its checksum
 * made to match) or cut anywhere is refused or read, never read past its
 * end (ASan); a cache of many MB is saved without holding it whole (the
 * sanitizer allocator's hook watches the heap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hcache.h"
#include "hlog.h"
#include "model.h"
#include "xref.h"
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
	/* the deadline as written is the one shown, kept once */
	assert_true(v1->tasks[0]->due_written);
	assert_string_equal(htask_due_text(v1->tasks[0]), "Quý I/2026");
	assert_ptr_equal(htask_due_text(v1->tasks[0]), v1->tasks[0]->due_shown);
	assert_int_equal(v1->tasks[1]->progress, -1);
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

/* The heap while a cache is saved, by the sanitizer's allocator hook: the
 * most in use above what was in use before (peak_from), and the largest
 * single block. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*fr)(const volatile void *));
size_t __sanitizer_get_current_allocated_bytes(void);
static volatile bool watching;
static size_t peak_heap, largest_block;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	if (!watching)
		return;
	size_t now = __sanitizer_get_current_allocated_bytes();
	if (now > peak_heap)
		peak_heap = now;
	if (n > largest_block)
		largest_block = n;
}

static void on_free(const volatile void *p)
{
	(void)p;
}

/* Saves, watching the heap: how far above where it was it went. */
static size_t save_watched(hcache_t *hc, const hlog_t *log, size_t *largest)
{
	size_t before = __sanitizer_get_current_allocated_bytes();
	peak_heap = before;
	largest_block = 0;
	watching = true;
	assert_true(hcache_save(hc, log));
	watching = false;
	*largest = largest_block;
	return peak_heap - before;
}

/* A cache of tens of MB (46 at 10,000 plans) is written a MB at a time,
 * not built whole in memory first (then the heap went up by the file's
 * size and more at the end of the history stage): the file written whole,
 * then a part as large appended, each while the heap stays within a few
 * MB of where it was; the file reads back. */
static void test_bounded_save(void **state)
{
	struct fx *f = *state;
	/* installed for good (a hook cannot be removed): it counts only while
	 * watching */
	static bool hooked;
	if (!hooked)
		assert_int_equal(__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free), 1);
	hooked = true;
	hcache_t *hc = bound(f);
	hcache_state(hc, NULL, NULL);
	hver_ctx_t *vc = hcache_vc(hc);
	enum { NV = 300, NT = 10, TITLE = 4000 };
	hcommit_t *commits = calloc(NV, sizeof(*commits));
	hdelta_t *ds = calloc(NV, sizeof(*ds));
	char (*hex)[41] = calloc(NV, sizeof(*hex));
	char *text = malloc(NT * (TITLE + 200) + 200);
	size_t largest, rise[2], size[2];
	for (int half = 0; half < 2; half++) {
		for (int i = half * NV / 2; i < (half + 1) * NV / 2; i++) {
			/* plan i: NT tasks of long titles, each its own */
			int n = sprintf(text, "---\nnumber: \"%d/KH-UBND\"\ntitle: \"Kế hoạch %d\"\ntasks:\n", i + 1, i + 1);
			for (int t = 0; t < NT; t++) {
				n += sprintf(text + n, "  - id: \"%d\"\n    title: \"", t + 1);
				for (int k = 0; k < TITLE / 20; k++)
					n += sprintf(text + n, "v%06d-%02d-%06d ", i, t, k);
				n += sprintf(text + n, "\"\n    lead: Sở Tài chính\n    status: in_progress\n");
			}
			n += sprintf(text + n, "---\nNội dung.\n");
			char path[64];
			snprintf(path, sizeof path, "content/plans/p%d.md", i);
			git_oid b = oid_of(5000 + i), c = oid_of(9000 + i);
			const hver_t *v = hver_of(vc, &b, path, text, (size_t)n, NULL);
			assert_false(v->broken);
			assert_int_equal(v->ntasks, NT);
			ds[i] = (hdelta_t){ .path = hver_intern(vc, path), .new_id = b, .has = true };
			commits[i] = (hcommit_t){ .id = c, .parent = i ? commits[i - 1].id : c, .has_parent = i > 0,
						  .time = 1765000000 + i, .tz = 420, .author = "An", .subject = "Thêm",
						  .d = &ds[i], .nd = 1 };
			git_oid_tostr(hex[i], sizeof hex[i], &c);
			strmap_put(hcache_known(hc), hex[i], &commits[i]);
		}
		hlog_t log = { .commits = commits, .n = (size_t)(half + 1) * NV / 2 };
		char *prev = NULL;
		size_t prevlen = 0;
		if (half)
			assert_int_equal(util_read_file(f->file, &prev, &prevlen), 0);
		rise[half] = save_watched(hc, &log, &largest);
		struct stat st;
		assert_int_equal(stat(f->file, &st), 0);
		size[half] = (size_t)st.st_size;
		printf("# %s: file %zu kB, heap up %zu kB, largest block %zu kB\n", half ? "appended" : "whole",
		       size[half] >> 10, rise[half] >> 10, largest >> 10);
		if (half) {
			/* appended to, not written whole */
			assert_true(begins_with(f->file, prev, prevlen - 8));
			free(prev);
		}
		assert_true(size[half] > (size_t)(half + 1) * 4 << 20);
		assert_true(rise[half] < 3 << 20);
		assert_true(largest <= 1 << 20);
	}
	hcache_t *back = bound(f);
	assert_int_equal(hcache_state(back, NULL, NULL), HCACHE_READ);
	for (int i = 0; i < NV; i += 37) {
		assert_non_null(strmap_get(hcache_known(back), hex[i]));
		const hver_t *bv = hver_cached(hcache_vc(back), &ds[i].new_id);
		assert_non_null(bv);
		assert_int_equal(bv->ntasks, NT);
		char want[32];
		snprintf(want, sizeof want, "v%06d-%02d-%06d", i, NT - 1, TITLE / 20 - 1);
		assert_non_null(strstr(bv->tasks[NT - 1]->title, want));
	}
	hcache_free(back);
	hcache_free(hc);
	free(text);
	free(commits);
	free(ds);
	free(hex);
}

/* The built commit's plans seeded as versions (hlog_seed_release, as the
 * history's read-ahead does once xref is done): each plan's text freed as
 * soon as it is parsed, the other files' kept; hlog_seed keeps them all.
 * Mode 2 is the build's: what the versions need of each plan's text
 * (hver_layouts_take) is taken while the plans parse, which frees the
 * text before xref; the versions are the same, down to where their tasks
 * lie (which the next older version is parsed against). */
static void test_seed_release(void **state)
{
	struct fx *f = *state;
	struct hlayout kept[2];
	span_t kept_items[2][2];
	char *kept_fm[2] = { NULL, NULL };
	for (int release = 0; release < 3; release++) {
		arena_t *a = arena_new();
		diag_t *d = diag_new();
		snap_t snap = { .n = 3 };
		snap.files = arena_alloc(a, 4 * sizeof(rfile_t));
		static const char *const paths[] = { "content/plans/a.md", "content/plans/c.md",
						     "content/templates/plan.mustache" };
		const char *texts[] = { text1, "---\nnumber: \"3/KH-C\"\ntitle: C\ntasks:\n  - id: \"1\"\n"
					       "    title: Một\n---\n", "{{title}}" };
		for (int i = 0; i < 3; i++) {
			rfile_t *r = &snap.files[i];
			r->path = paths[i];
			r->rel = r->path + strlen("content/");
			r->data = strdup(texts[i]);
			r->len = strlen(texts[i]);
			r->oid = oid_of(700 + i);
		}
		strcpy(snap.commit, "0000000000000000000000000000000000000abc");
		model_opts_t o = { 0 };
		hver_layouts_t *taken = release == 2 ? hver_layouts_new(&snap) : NULL;
		if (taken) {
			o.on_plan = hver_layouts_take;
			o.on_plan_cls = taken;
		}
		site_t *s = model_load(a, d, &snap, &o);
		for (int i = 0; i < 2; i++)   /* taken: gone as soon as parsed */
			assert_true(taken ? snap.files[i].data == NULL : snap.files[i].data != NULL);
		xref_resolve(a, d, s, &snap);
		assert_int_equal(s->nplans, 2);
		hcache_t *hc = bound(f);
		hver_ctx_t *vc = hcache_vc(hc);
		if (release)
			hlog_seed_release(vc, s, &snap, taken);
		else
			hlog_seed(vc, s, &snap, NULL);
		for (int i = 0; i < 2; i++) {
			git_oid id = oid_of(700 + i);
			const hver_t *v = hver_cached(vc, &id);
			assert_non_null(v);
			assert_string_equal(v->number, i ? "3/KH-C" : "1/KH-A");
			assert_int_equal(v->ntasks, i ? 1 : 2);
			/* released: the plan's text is gone */
			assert_true(release ? snap.files[i].data == NULL : snap.files[i].data != NULL);
			/* the same layout, from the text or from what was taken */
			assert_non_null(v->layout);
			if (!release) {
				kept[i] = *v->layout;
				assert_true(v->layout->n <= 2);
				memcpy(kept_items[i], v->layout->items, (size_t)v->layout->n * sizeof(span_t));
				kept_fm[i] = strdup(v->layout->head_fm);
				continue;
			}
			const struct hlayout *lo = v->layout;
			assert_int_equal(lo->n, kept[i].n);
			assert_int_equal(lo->indent, kept[i].indent);
			assert_int_equal(lo->head_lines, kept[i].head_lines);
			assert_true(lo->head.hash == kept[i].head.hash && lo->head.len == kept[i].head.len);
			assert_true(lo->tail.hash == kept[i].tail.hash && lo->tail.len == kept[i].tail.len);
			assert_memory_equal(lo->items, kept_items[i], (size_t)lo->n * sizeof(span_t));
			assert_string_equal(lo->head_fm, kept_fm[i]);
		}
		assert_string_equal(snap.files[2].data, "{{title}}");   /* not a plan's */
		hcache_free(hc);
		hver_layouts_free(taken);
		snap_release_data(&snap);
		model_site_free(s);
		diag_free(d);
		arena_free(a);
	}
	free(kept_fm[0]);
	free(kept_fm[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_release, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
