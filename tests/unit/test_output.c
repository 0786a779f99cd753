/* test_output.c: unit tests of output.c (safe paths, staging, atomic swap),
 * and collate.c (Vietnamese order). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "collate.h"
#include "diag.h"
#include "output.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_paths(void **state)
{
	(void)state;
	static const char *const good[] = { "index.html", "ke-hoach/a/index.html", "static/x.y.pdf",
					    "a/.b" };
	static const char *const bad[] = { "", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b",
					   "a/b/", "a\\b", "a\nb", ".." };
	for (size_t i = 0; i < N(good); i++)
		if (!out_path_ok(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < N(bad); i++)
		if (out_path_ok(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
}

static int read_eq(const char *path, const char *want)
{
	char *data;
	size_t len;
	if (util_read_file(path, &data, &len) < 0)
		return 0;
	int eq = len == strlen(want) && !memcmp(data, want, len);
	free(data);
	return eq;
}

static void test_staging_and_swap(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/plansite-out-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char site[256], err_path[512];
	snprintf(site, sizeof site, "%s/public", tmpl);
	out_t *o;
	char *err = NULL;
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_write(o, "a/b/index.html", "one", 3, &err), 0);
	assert_int_equal(out_write(o, "../escape", "x", 1, &err), -1);
	assert_non_null(strstr(err, "không ghi ra ngoài trang"));
	free(err);
	err = NULL;
	/* nothing published before commit */
	struct stat st;
	assert_int_equal(stat(site, &st), -1);
	assert_int_equal(out_commit(o, &err), 0);
	snprintf(err_path, sizeof err_path, "%s/a/b/index.html", site);
	assert_true(read_eq(err_path, "one"));
	/* a second build swaps; a failed third leaves the second as it was */
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_write(o, "a/b/index.html", "two", 3, &err), 0);
	assert_int_equal(out_commit(o, &err), 0);
	assert_true(read_eq(err_path, "two"));
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_write(o, "a/b/index.html", "three", 5, &err), 0);
	out_abort(o);
	assert_true(read_eq(err_path, "two"));
	/* refusals: the filesystem root, the current folder, a Git work tree */
	assert_int_equal(out_begin(&o, "/", NULL, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(out_begin(&o, ".", NULL, &err), -1);
	free(err);
	err = NULL;
	char gitdir[600];
	snprintf(gitdir, sizeof gitdir, "%s/.git", site);
	assert_int_equal(mkdir(gitdir, 0755), 0);
	assert_int_equal(out_begin(&o, site, NULL, &err), -1);
	free(err);
	err = NULL;
	/* a folder with files that plansite did not write */
	char other[300];
	snprintf(other, sizeof other, "%s/other", tmpl);
	assert_int_equal(mkdir(other, 0755), 0);
	char note[400];
	snprintf(note, sizeof note, "%s/notes.txt", other);
	FILE *f = fopen(note, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(out_begin(&o, other, NULL, &err), -1);
	assert_non_null(strstr(err, OUT_MARKER));
	free(err);
	assert_true(read_eq(note, ""));
	assert_int_equal(out_rmtree(tmpl), 0);
	assert_int_equal(stat(tmpl, &st), -1);
}

/* Removing a tree never empties a file system mounted inside it (needs
 * the right to mount: skipped without it). */
static ino_t inode(const char *dir, const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	struct stat st;
	return stat(p, &st) == 0 ? st.st_ino : 0;
}

/* Writes rel in pieces of `piece` bytes. */
static void put_pieces(out_t *o, const char *rel, const char *data, size_t len, size_t piece)
{
	char *err = NULL;
	int fd = out_open(o, rel, &err);
	assert_true(fd >= 0);
	for (size_t off = 0; off < len; off += piece)
		assert_int_equal(out_put(fd, rel, data + off, len - off < piece ? len - off : piece, &err), 0);
	assert_int_equal(out_close(fd, rel, &err), 0);
}

/* Files equal to the previous site's are linked from it, whole or written
 * in pieces; any other file (changed, shorter, longer, differing after an
 * equal beginning) is written with exactly its bytes, and the previous
 * site's files keep theirs. */
static void test_share(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/plansite-share-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char site[256], keep[512], path[512];
	snprintf(site, sizeof site, "%s/public", tmpl);
	static char big[3 * 4096 + 17], big2[sizeof big];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	memcpy(big2, big, sizeof big);
	big2[sizeof big - 5] = 'Z';   /* differs near the end only */
	static const char *const names[] = { "same.html", "pieces.json", "changed.html", "shorter.json",
					     "longer.json", "late.json", "a/b/deep.html", "empty.txt" };
	out_t *o;
	char *err = NULL;
	size_t shared, written;
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_write(o, "same.html", "same", 4, &err), 0);
	put_pieces(o, "pieces.json", big, sizeof big, 1000);
	assert_int_equal(out_write(o, "changed.html", "old", 3, &err), 0);
	put_pieces(o, "shorter.json", big, sizeof big, 4096);
	put_pieces(o, "longer.json", big, 100, 7);
	put_pieces(o, "late.json", big, sizeof big, 4096);
	assert_int_equal(out_write(o, "a/b/deep.html", "deep", 4, &err), 0);
	assert_int_equal(out_write(o, "empty.txt", "", 0, &err), 0);
	out_counts(o, &shared, &written);
	assert_int_equal(shared, 0);
	assert_int_equal(out_commit(o, &err), 0);
	ino_t before[N(names)];
	for (size_t i = 0; i < N(names); i++)
		before[i] = inode(site, names[i]);
	/* the changed file's old bytes, held by another name */
	snprintf(path, sizeof path, "%s/changed.html", site);
	snprintf(keep, sizeof keep, "%s/kept.html", tmpl);
	assert_int_equal(link(path, keep), 0);

	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_write(o, "same.html", "same", 4, &err), 0);
	put_pieces(o, "pieces.json", big, sizeof big, 333);   /* other pieces, same bytes */
	assert_int_equal(out_write(o, "changed.html", "new!", 4, &err), 0);
	put_pieces(o, "shorter.json", big, sizeof big - 10, 4096);
	put_pieces(o, "longer.json", big, 200, 7);
	put_pieces(o, "late.json", big2, sizeof big2, 4096);
	assert_int_equal(out_write(o, "a/b/deep.html", "deep", 4, &err), 0);
	assert_int_equal(out_write(o, "empty.txt", "", 0, &err), 0);
	out_counts(o, &shared, &written);
	assert_int_equal(shared, 4);   /* same, pieces, deep, empty */
	assert_int_equal(out_commit(o, &err), 0);
	static const int same[N(names)] = { 1, 1, 0, 0, 0, 0, 1, 1 };
	for (size_t i = 0; i < N(names); i++)
		if ((inode(site, names[i]) == before[i]) != same[i])
			fail_msg("%s: %s", names[i], same[i] ? "not shared" : "shared");
	char *data;
	size_t len;
	snprintf(path, sizeof path, "%s/shorter.json", site);
	assert_int_equal(util_read_file(path, &data, &len), 0);
	assert_true(len == sizeof big - 10 && !memcmp(data, big, len));
	free(data);
	snprintf(path, sizeof path, "%s/longer.json", site);
	assert_int_equal(util_read_file(path, &data, &len), 0);
	assert_true(len == 200 && !memcmp(data, big, len));
	free(data);
	snprintf(path, sizeof path, "%s/late.json", site);
	assert_int_equal(util_read_file(path, &data, &len), 0);
	assert_true(len == sizeof big2 && !memcmp(data, big2, len));
	free(data);
	snprintf(path, sizeof path, "%s/changed.html", site);
	assert_true(read_eq(path, "new!"));
	assert_true(read_eq(keep, "old"));   /* never written into */

	/* out_share(o, NULL) shares nothing; another folder without the
	 * marker is refused */
	assert_int_equal(out_begin(&o, site, NULL, &err), 0);
	assert_int_equal(out_share(o, tmpl), -1);
	assert_int_equal(out_share(o, NULL), -1);
	assert_int_equal(out_write(o, "same.html", "same", 4, &err), 0);
	out_counts(o, &shared, &written);
	assert_int_equal(shared, 0);
	out_abort(o);
	assert_int_equal(out_rmtree(tmpl), 0);
}

static void test_rmtree_stops_at_mounts(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/plansite-mnt-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char vol[256], file[300], top[300];
	snprintf(vol, sizeof vol, "%s/vol", tmpl);
	snprintf(file, sizeof file, "%s/keep.txt", vol);
	snprintf(top, sizeof top, "%s/top.txt", tmpl);
	assert_int_equal(mkdir(vol, 0755), 0);
	FILE *f = fopen(top, "w");
	assert_non_null(f);
	fclose(f);
	if (mount("tmpfs", vol, "tmpfs", 0, "size=1m") < 0) {
		printf("skip - mount not permitted: %s\n", strerror(errno));
		assert_int_equal(out_rmtree(tmpl), 0);
		return;
	}
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("dữ liệu", f);
	fclose(f);
	assert_int_equal(out_rmtree(tmpl), -1);
	assert_true(read_eq(file, "dữ liệu"));
	assert_int_equal(umount(vol), 0);
	assert_int_equal(out_rmtree(tmpl), 0);
}

static const char *id(const void *p)
{
	return *(const char *const *)p;
}

static void test_vietnamese_order(void **state)
{
	(void)state;
	/* byte order puts Ấ and Đ after Z; accent stripping puts Đồng with Dương */
	const char *v[] = { "Hòa Bình", "Đồng Hỷ", "Zét", "Ấp Bắc", "Dương Sơn", "An Khánh", "Ă", "hòa bình" };
	const char *want[] = { "An Khánh", "Ă", "Ấp Bắc", "Dương Sơn", "Đồng Hỷ", "hòa bình", "Hòa Bình", "Zét" };
	coll_sort(v, N(v), sizeof(v[0]), id);
	for (size_t i = 0; i < N(v); i++)
		if (strcmp(v[i], want[i]))
			fail_msg("position %zu: got %s, want %s", i, v[i], want[i]);
	assert_true(coll_cmp("a", "á") < 0);   /* tones after letters */
	assert_true(coll_cmp("á", "b") < 0);
	assert_true(coll_cmp("d", "đ") < 0);
	assert_true(coll_cmp("đ", "e") < 0);
}

/* coll_sort_keys with one table of keys for several sorts puts the texts
 * in coll_sort's order: 600 texts (the table grows past its first 256
 * slots twice), the same pointer in several lists, equal texts at other
 * addresses, NULL among them. */
static void test_sort_keys(void **state)
{
	(void)state;
	enum { NT = 600 };
	static const char *const syl[] = { "Hòa", "hòa", "Đồng", "Dương", "Ấp", "An", "Ă", "Sở", "sở", "Zét", "Bắc", "Phòng" };
	char *texts[NT];
	for (int i = 0; i < NT; i++) {
		char t[64];
		snprintf(t, sizeof t, "%s %s %d", syl[i % 12], syl[(i / 12) % 12], i % 3);
		texts[i] = strdup(t);   /* texts i and i + 144 are equal */
	}
	coll_keys_t *keys = coll_keys_new();
	for (int pass = 0; pass < 4; pass++) {
		size_t n = pass == 0 ? NT : 150;
		const char **a = malloc((n + 1) * sizeof(*a)), **b = malloc((n + 1) * sizeof(*b));
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = texts[pass == 0 ? i : (i * 7 + (size_t)pass * 31) % NT];
		a[n] = b[n] = NULL;   /* a record without its text */
		coll_sort(a, n + 1, sizeof(*a), id);
		coll_sort_keys(keys, b, n + 1, sizeof(*b), id);
		for (size_t i = 0; i <= n; i++)
			if (a[i] != b[i])
				fail_msg("pass %d, position %zu: %s, want %s", pass, i, b[i] ? b[i] : "NULL",
					 a[i] ? a[i] : "NULL");
		for (size_t i = 1; i < n; i++)
			assert_true(coll_cmp(b[i], b[i + 1]) <= 0);
		free(a);
		free(b);
	}
	coll_keys_free(keys);
	coll_keys_free(NULL);
	for (int i = 0; i < NT; i++)
		free(texts[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_staging_and_swap),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_rmtree_stops_at_mounts),
		cmocka_unit_test(test_vietnamese_order),
		cmocka_unit_test(test_sort_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
