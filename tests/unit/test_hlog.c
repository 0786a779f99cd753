/* test_hlog.c: the plan files each commit changed (hlog.c compares folders
 * as raw bytes and keeps the last version of each folder it read) against
 * an oracle that flattens both commits' plans folders with libgit2's own
 * tree walk: the same files, in the same order, with the same ids, on
 * hand-made edge cases (first and last entry of a folder, a file replaced
 * by a folder, a mode change, a symlink, a submodule, a blob reverted to an
 * earlier id, a rename, the plans folder removed and back) and on random
 * histories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <git2/sys/mempack.h>

#include "hlog.h"

#define PREFIX "content/plans/"

struct fx {
	char dir[64];
	git_repository *git;
	git_oid head;
	bool has_head;
	int64_t time;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	git_libgit2_init();
	strcpy(f->dir, "/tmp/plansite-hlog-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->git, f->dir, 1), 0);
	/* thousands of objects: kept in memory, not written one file each */
	git_odb_backend *mem = NULL;
	git_odb *odb = NULL;
	assert_int_equal(git_mempack_new(&mem), 0);
	assert_int_equal(git_repository_odb(&odb, f->git), 0);
	assert_int_equal(git_odb_add_backend(odb, mem, 1000), 0);
	git_odb_free(odb);
	f->time = 1765000000;
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
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* A file of a commit: path under the repository, mode, content (a
 * submodule's: its commit id in hex). */
struct file {
	const char *path;
	unsigned mode;
	const char *text;
};

/* A commit of exactly these files (n 0: an empty tree) on top of HEAD. */
static void commit(struct fx *f, const struct file *v, size_t n, const char *subject)
{
	git_index *idx = NULL;
	assert_int_equal(git_index_new(&idx), 0);
	for (size_t i = 0; i < n; i++) {
		git_index_entry e = { 0 };
		e.path = v[i].path;
		e.mode = v[i].mode;
		if (v[i].mode == GIT_FILEMODE_COMMIT)
			assert_int_equal(git_oid_fromstr(&e.id, v[i].text), 0);
		else
			assert_int_equal(git_blob_create_from_buffer(&e.id, f->git, v[i].text, strlen(v[i].text)), 0);
		assert_int_equal(git_index_add(idx, &e), 0);
	}
	git_oid tree_id, id;
	assert_int_equal(git_index_write_tree_to(&tree_id, idx, f->git), 0);
	git_index_free(idx);
	git_tree *tree = NULL;
	assert_int_equal(git_tree_lookup(&tree, f->git, &tree_id), 0);
	git_signature *sig = NULL;
	assert_int_equal(git_signature_new(&sig, "Nguyễn Văn An", "an@example.vn", f->time, 420), 0);
	f->time += 3600;
	git_commit *parent = NULL;
	if (f->has_head)
		assert_int_equal(git_commit_lookup(&parent, f->git, &f->head), 0);
	const git_commit *parents[] = { parent };
	assert_int_equal(git_commit_create(&id, f->git, NULL, sig, sig, NULL, subject, tree, parent ? 1 : 0, parents), 0);
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	f->head = id;
	f->has_head = true;
}

/* Every non-folder entry under the plans folder of commit c: path -> entry. */
struct flat {
	char **path;
	git_oid *id;
	git_filemode_t *mode;
	size_t n;
};

static int flat_cb(const char *root, const git_tree_entry *e, void *arg)
{
	struct flat *fl = arg;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return 0;
	fl->path = realloc(fl->path, (fl->n + 1) * sizeof(*fl->path));
	fl->id = realloc(fl->id, (fl->n + 1) * sizeof(*fl->id));
	fl->mode = realloc(fl->mode, (fl->n + 1) * sizeof(*fl->mode));
	size_t l = strlen(root) + strlen(git_tree_entry_name(e)) + 1;
	fl->path[fl->n] = malloc(l);
	snprintf(fl->path[fl->n], l, "%s%s", root, git_tree_entry_name(e));
	git_oid_cpy(&fl->id[fl->n], git_tree_entry_id(e));
	fl->mode[fl->n] = git_tree_entry_filemode(e);
	fl->n++;
	return 0;
}

static void flatten(struct fx *f, const git_oid *c, struct flat *fl)
{
	memset(fl, 0, sizeof(*fl));
	if (!c)
		return;
	git_commit *cm = NULL;
	git_tree *root = NULL, *plans = NULL;
	git_tree_entry *en = NULL;
	assert_int_equal(git_commit_lookup(&cm, f->git, c), 0);
	assert_int_equal(git_commit_tree(&root, cm), 0);
	if (git_tree_entry_bypath(&en, root, "content/plans") == 0 && git_tree_entry_type(en) == GIT_OBJECT_TREE) {
		assert_int_equal(git_tree_lookup(&plans, f->git, git_tree_entry_id(en)), 0);
		assert_int_equal(git_tree_walk(plans, GIT_TREEWALK_PRE, flat_cb, fl), 0);
	}
	git_tree_entry_free(en);
	git_tree_free(plans);
	git_tree_free(root);
	git_commit_free(cm);
}

static void flat_free(struct flat *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->path[i]);
	free(fl->path);
	free(fl->id);
	free(fl->mode);
}

static size_t flat_find(const struct flat *fl, const char *path)
{
	for (size_t i = 0; i < fl->n; i++)
		if (!strcmp(fl->path[i], path))
			return i;
	return SIZE_MAX;
}

static bool blob(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int path_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* What commit `cur` changed in plan files since `older` (NULL: nothing
 * before), as hlog must say it: every path whose entry differs (present,
 * id, mode), ending in ".md", a file on either side; in path order, which
 * is Git's order of tree entries.  Returns how many; *out malloc'd. */
static size_t oracle(struct fx *f, const git_oid *older, const git_oid *cur, hdelta_t **out)
{
	struct flat a, b;
	flatten(f, older, &a);
	flatten(f, cur, &b);
	char **paths = malloc((a.n + b.n + 1) * sizeof(*paths));
	size_t np = 0;
	for (size_t i = 0; i < a.n; i++)
		paths[np++] = a.path[i];
	for (size_t i = 0; i < b.n; i++)
		if (flat_find(&a, b.path[i]) == SIZE_MAX)
			paths[np++] = b.path[i];
	qsort(paths, np, sizeof(*paths), path_cmp);
	hdelta_t *d = calloc(np + 1, sizeof(*d));
	size_t nd = 0;
	for (size_t k = 0; k < np; k++) {
		size_t l = strlen(paths[k]);
		if (l < 3 || strcmp(paths[k] + l - 3, ".md"))
			continue;
		size_t i = flat_find(&a, paths[k]), j = flat_find(&b, paths[k]);
		if (i != SIZE_MAX && j != SIZE_MAX && git_oid_equal(&a.id[i], &b.id[j]) && a.mode[i] == b.mode[j])
			continue;
		hdelta_t x = { 0 };
		x.had = i != SIZE_MAX && blob(a.mode[i]);
		x.has = j != SIZE_MAX && blob(b.mode[j]);
		if (!x.had && !x.has)
			continue;
		if (x.had)
			x.old_id = a.id[i];
		if (x.has)
			x.new_id = b.id[j];
		x.path = strdup(paths[k]);   /* relative to the plans folder */
		d[nd++] = x;
	}
	free(paths);
	flat_free(&a);
	flat_free(&b);
	*out = d;
	return nd;
}

/* hlog's reading of the history of HEAD equals the oracle's, commit by
 * commit; returns how many changes it found. */
static size_t check_log(struct fx *f)
{
	site_t *s = calloc(1, sizeof(*s));
	git_oid_tostr(s->commit, sizeof s->commit, &f->head);
	hver_ctx_t vc = { .a = arena_new(), .git = f->git, .rel_off = strlen("content/") };
	hlog_t log;
	char *err = NULL;
	assert_int_equal(hlog_read_commits(&log, &vc, s, PREFIX, NULL, &err), 0);
	assert_null(err);
	size_t total = 0;
	for (size_t k = 0; k < log.n; k++) {
		const hcommit_t *cm = &log.commits[k];
		git_commit *c = NULL;
		assert_int_equal(git_commit_lookup(&c, f->git, &cm->id), 0);
		assert_int_equal(cm->time, (int64_t)git_commit_time(c));
		assert_int_equal(cm->tz, git_commit_time_offset(c));
		assert_string_equal(cm->author, git_commit_author(c)->name);
		assert_string_equal(cm->subject, git_commit_summary(c));
		assert_int_equal(cm->has_parent, k > 0);
		if (k > 0)
			assert_true(git_oid_equal(&cm->parent, &log.commits[k - 1].id));
		git_commit_free(c);
		hdelta_t *want;
		size_t nw = oracle(f, k ? &log.commits[k - 1].id : NULL, &cm->id, &want);
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, &cm->id);
		if (cm->nd != nw) {
			for (size_t i = 0; i < cm->nd; i++)
				print_message("hlog:   %s\n", cm->d[i].path);
			for (size_t i = 0; i < nw; i++)
				print_message("oracle: %s%s\n", PREFIX, want[i].path);
			fail_msg("commit %zu (%s): %zu changes, the oracle %zu", k, hex, cm->nd, nw);
		}
		for (size_t i = 0; i < nw; i++) {
			const hdelta_t *x = &cm->d[i], *y = &want[i];
			char full[512];
			snprintf(full, sizeof full, "%s%s", PREFIX, y->path);
			if (strcmp(x->path, full) || x->had != y->had || x->has != y->has ||
			    (x->had && !git_oid_equal(&x->old_id, &y->old_id)) ||
			    (x->has && !git_oid_equal(&x->new_id, &y->new_id)))
				fail_msg("commit %zu (%s), change %zu: hlog %s (%d %d), the oracle %s (%d %d)", k, hex, i,
					 x->path, x->had, x->has, full, y->had, y->has);
			free((char *)y->path);
		}
		total += nw;
		free(want);
	}
	hlog_free(&log);
	hver_ctx_free(&vc);
	arena_free(vc.a);
	free(s);
	return total;
}

#define P(name) PREFIX name
#define B GIT_FILEMODE_BLOB

static void test_edge_cases(void **state)
{
	struct fx *f = *state;
	const char *sub = "0123456789abcdef0123456789abcdef01234567";
	struct file c1[] = {
		{ "content/site.yaml", B, "title: x\n" },
		{ P("a.md"), B, "a1" }, { P("b.md"), B, "b1" }, { P("m/c.md"), B, "c1" },
		{ P("q.md"), B, "q1" }, { P("q.md.bak"), B, "qb" }, { P("q.mdx"), B, "qx" }, { P("q/r.md"), B, "r1" },
		{ P("x.md"), B, "x1" }, { P("z.md"), B, "z1" },
	};
	commit(f, c1, sizeof c1 / sizeof *c1, "one");
	/* the first entry of the folder, then the last, then both */
	c1[1].text = "a2";
	commit(f, c1, sizeof c1 / sizeof *c1, "first");
	c1[9].text = "z2";
	commit(f, c1, sizeof c1 / sizeof *c1, "last");
	c1[1].text = "a3";
	c1[9].text = "z3";
	c1[5].text = "qb2";   /* not a plan file: no change */
	commit(f, c1, sizeof c1 / sizeof *c1, "both");
	/* a blob back to an earlier id; a file and a folder of names that
	 * sort next to each other; a rename in a sub-folder */
	struct file c2[] = {
		{ "content/site.yaml", B, "title: x\n" },
		{ P("a.md"), B, "a1" }, { P("b.md"), B, "b1" }, { P("m/d.md"), B, "c1" },
		{ P("q.md"), B, "q2" }, { P("q.md.bak"), B, "qb2" }, { P("q.mdx"), B, "qx" }, { P("q/r.md"), B, "r2" },
		{ P("x.md/y.md"), B, "y1" }, { P("z.md"), B, "z3" },
	};
	commit(f, c2, sizeof c2 / sizeof *c2, "revert, rename, file to folder");
	/* a mode change only; a symlink and a submodule named .md */
	c2[1].mode = GIT_FILEMODE_BLOB_EXECUTABLE;
	struct file c3[12];
	memcpy(c3, c2, sizeof c2);
	c3[10] = (struct file){ P("l.md"), GIT_FILEMODE_LINK, "a.md" };
	c3[11] = (struct file){ P("s.md"), GIT_FILEMODE_COMMIT, sub };
	commit(f, c3, 12, "mode, link, submodule");
	/* the link becomes a file; the folder becomes a file again */
	c3[10].mode = B;
	c3[8] = (struct file){ P("x.md"), B, "x1" };
	commit(f, c3, 12, "link to file, folder to file");
	/* nothing under plans changes */
	c3[0].text = "title: y\n";
	commit(f, c3, 12, "outside");
	/* the plans folder removed, then back as it was */
	commit(f, c3, 1, "no plans");
	commit(f, c3, 12, "plans back");
	/* an empty tree */
	commit(f, NULL, 0, "empty");
	commit(f, c3, 12, "again");
	assert_true(check_log(f) > 30);
}

/* A plans folder of many files in a few sub-folders, changed at random
 * for many commits: adds, removals, edits, blobs reverted, modes, moves
 * between folders, names that are prefixes of others. */
static void test_random_histories(void **state)
{
	struct fx *f = *state;
	enum { NAMES = 120, COMMITS = 120 };
	static const char *const dirs[] = { "", "ha-noi/", "hue/", "hue/xa/", "a/", "a.md/" };
	static const char *const stems[] = { "kh", "kh-1", "kh1", "k", "kh.md" };
	char *paths[NAMES];
	int ver[NAMES];            /* 0: absent */
	unsigned mode[NAMES];
	char texts[NAMES][32];
	unsigned seed = 12345;
	for (int i = 0; i < NAMES; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s%s%d.md", PREFIX, dirs[i % 6], stems[i % 5], i);
		if (i % 17 == 3)   /* not a plan file */
			snprintf(p, sizeof p, "%s%s%s%d.yaml", PREFIX, dirs[i % 6], stems[i % 5], i);
		paths[i] = strdup(p);
		ver[i] = i % 3 ? 1 : 0;
		mode[i] = B;
	}
	struct file v[NAMES];
	for (int c = 0; c < COMMITS; c++) {
		int changes = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
		for (int k = 0; k < changes; k++) {
			seed = seed * 1103515245 + 12345;
			int i = (int)(seed >> 16) % NAMES;
			switch ((seed >> 8) % 5) {
			case 0: ver[i] = ver[i] ? 0 : 1; break;                  /* removed or added */
			case 1: ver[i] = ver[i] > 1 ? ver[i] - 1 : ver[i]; break; /* back to an earlier blob */
			case 2: mode[i] = mode[i] == B ? GIT_FILEMODE_BLOB_EXECUTABLE : B; break;
			default: if (ver[i]) ver[i]++; break;                   /* edited */
			}
		}
		size_t n = 0;
		for (int i = 0; i < NAMES; i++) {
			if (!ver[i])
				continue;
			snprintf(texts[i], sizeof texts[i], "plan %d v%d\n", i, ver[i]);
			v[n++] = (struct file){ paths[i], mode[i], texts[i] };
		}
		commit(f, v, n, "random");
	}
	assert_true(check_log(f) > COMMITS);
	for (int i = 0; i < NAMES; i++)
		free(paths[i]);
}

/* One folder of 1,000 files (a region at 10,000 plans holds 800), one or
 * two changed per commit: the bytes before and after the
 * change are skipped, the change itself found. */
static void test_large_folder(void **state)
{
	struct fx *f = *state;
	enum { N = 1000 };
	struct file *v = calloc(N, sizeof(*v));
	char (*names)[48] = calloc(N, 48), (*texts)[24] = calloc(N, 24);
	for (int i = 0; i < N; i++) {
		snprintf(names[i], 48, "%sdong-nai/%04d-kh.md", PREFIX, i);
		snprintf(texts[i], 24, "%d-0", i);
		v[i] = (struct file){ names[i], B, texts[i] };
	}
	commit(f, v, N, "all");
	const int picks[][2] = { { 0, 0 }, { N - 1, N - 1 }, { 500, 501 }, { 7, N - 1 }, { 0, N - 1 }, { 42, 42 } };
	for (size_t k = 0; k < sizeof picks / sizeof *picks; k++) {
		for (int j = 0; j < 2; j++)
			snprintf(texts[picks[k][j]], 24, "%d-%zu", picks[k][j], k + 1);
		commit(f, v, N, "edit");
	}
	/* the file that sorts first removed, then one added at the end */
	commit(f, v + 1, N - 1, "first removed");
	commit(f, v, N, "first back");
	assert_int_equal(check_log(f), N + 9 + 2);
	free(v);
	free(names);
	free(texts);
}

/* The walk reads every commit and folder once (and keeps the folder it
 * compares with itself): libgit2's object cache is off while it reads
 * (with a small limit, each object stored made it evict others), and on
 * again after. */
static void test_no_object_cache(void **state)
{
	struct fx *f = *state;
	enum { N = 40 };
	char texts[N][24];
	struct file v[] = { { "content/site.yaml", B, "title: x\n" }, { P("a.md"), B, NULL }, { P("m/b.md"), B, "b" } };
	for (int i = 0; i < N; i++) {
		snprintf(texts[i], sizeof texts[i], "a%d", i);
		v[1].text = texts[i];
		commit(f, v, sizeof v / sizeof *v, "edit");
	}
	git_commit *c = NULL;
	assert_int_equal(git_commit_lookup(&c, f->git, &f->head), 0);
	git_oid first_tree = *git_commit_tree_id(c);
	git_commit_free(c);
	site_t *s = calloc(1, sizeof(*s));
	git_oid_tostr(s->commit, sizeof s->commit, &f->head);
	hver_ctx_t vc = { .a = arena_new(), .git = f->git, .rel_off = strlen("content/") };
	hlog_t log;
	char *err = NULL;
	ssize_t before = 0, after = 0, allowed = 0;
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &before, &allowed);
	assert_int_equal(hlog_read_commits(&log, &vc, s, PREFIX, NULL, &err), 0);
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &after, &allowed);
	assert_int_equal(log.n, N);
	/* at most the built commit, read as the build reads it */
	if (after - before > 512)
		fail_msg("%zd bytes cached by the walk", after - before);
	git_tree *t = NULL;
	assert_int_equal(git_tree_lookup(&t, f->git, &first_tree), 0);
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &before, &allowed);
	assert_true(before > after);
	git_tree_free(t);
	hlog_free(&log);
	hver_ctx_free(&vc);
	arena_free(vc.a);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_edge_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_histories, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_object_cache, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
