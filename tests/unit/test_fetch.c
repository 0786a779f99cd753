/* test_fetch.c: blobs read ahead by fetch.c, packed (as deltas of each
 * other) and loose, give the bytes libgit2 gives; without fetch_verify
 * they are the object database backend's own buffers, given back with
 * fetch_put, and those not taken are freed by fetch_finish (the sanitizer
 * counts leaks); with it, NUL-terminated texts the caller frees (the
 * backends' buffers too, malloc'd: no copy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fetch.h"

#define NBLOBS 40

struct fx {
	char dir[256];
	git_repository *git;
	git_oid id[NBLOBS + 1];   /* the last: an object that is not there */
	char *text[NBLOBS];
	size_t len[NBLOBS];
};

/* Version k of a plan file: long and mostly the same as the others, so
 * that the pack stores deltas. */
static char *version(int k, size_t *len)
{
	size_t cap = 64 * 1024;
	char *t = malloc(cap);
	size_t n = (size_t)snprintf(t, cap, "---\nnumber: \"%d/KH\"\ntitle: \"Kế hoạch\"\ntasks:\n", k / 4);
	for (int i = 0; i < 120; i++)
		n += (size_t)snprintf(t + n, cap - n, "  - id: \"%d\"\n    title: \"Việc %d, bản %d\"\n", i, i,
				      i % 10 == k % 10 ? k : 0);
	n += (size_t)snprintf(t + n, cap - n, "---\nNội dung %d.\n", k);
	*len = n;
	return t;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	git_libgit2_init();
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/plansite-fetch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->git, f->dir, 1), 0);
	/* the first half packed (deltas), the second half loose */
	git_packbuilder *pb = NULL;
	assert_int_equal(git_packbuilder_new(&pb, f->git), 0);
	for (int k = 0; k < NBLOBS; k++) {
		f->text[k] = version(k, &f->len[k]);
		assert_int_equal(git_blob_create_from_buffer(&f->id[k], f->git, f->text[k], f->len[k]), 0);
		if (k < NBLOBS / 2)
			assert_int_equal(git_packbuilder_insert(pb, &f->id[k], NULL), 0);
	}
	assert_int_equal(git_packbuilder_write(pb, NULL, 0, NULL, NULL), 0);
	git_packbuilder_free(pb);
	/* ... and the loose copies of the packed ones gone */
	for (int k = 0; k < NBLOBS / 2; k++) {
		char hex[GIT_OID_HEXSZ + 1], path[400];
		git_oid_tostr(hex, sizeof hex, &f->id[k]);
		snprintf(path, sizeof path, "%s/objects/%.2s/%s", f->dir, hex, hex + 2);
		assert_int_equal(remove(path), 0);
	}
	assert_int_equal(git_oid_fromstr(&f->id[NBLOBS], "0123456789abcdef0123456789abcdef01234567"), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	for (int k = 0; k < NBLOBS; k++)
		free(f->text[k]);
	git_repository_free(f->git);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* Copies of each blob asked for: fewer than 64 blobs are read on the
 * caller's thread (fetch.c, FETCH_INLINE), more by two readers. */
static const int copies[] = { 1, 4 };
#define NCOPIES 4   /* the most */
#define NSLOTS ((NBLOBS + 1) * NCOPIES)

/* Without fetch_verify (the history's versions): every blob's bytes, in
 * any order; a missing one NULL; some not taken at all; on the caller's
 * thread and on the readers'. */
static void test_history_blobs(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 6; round++) {
		int nc = copies[round / 3];
		fetch_t *ft = fetch_start(f->git);
		size_t slot[NSLOTS];
		for (int c = 0; c < nc; c++)
			for (int k = 0; k <= NBLOBS; k++)
				slot[c * (NBLOBS + 1) + k] = fetch_push(ft, &f->id[(k * 7) % (NBLOBS + 1)]);
		int n = nc * (NBLOBS + 1);
		if (round % 3 == 1) {
			size_t order[NSLOTS];
			for (int k = 0; k < n; k++)
				order[k] = slot[n - 1 - k];
			fetch_order(ft, order, 4);
		}
		/* round 2 takes every other one: the rest is freed by
		 * fetch_finish, in the readers' buffers */
		for (int k = 0; k < n; k += round % 3 == 2 ? 2 : 1) {
			int b = (k % (NBLOBS + 1) * 7) % (NBLOBS + 1);
			size_t len = 0;
			char *t = fetch_get(ft, slot[k], f->git, &len);
			if (b == NBLOBS) {
				assert_null(t);
			} else {
				assert_non_null(t);
				assert_int_equal(len, f->len[b]);
				assert_memory_equal(t, f->text[b], len);
			}
			fetch_put(ft, slot[k], t);
		}
		fetch_finish(ft);
	}
}

/* With fetch_verify (the built commit's blobs): checked, malloc'd and
 * NUL-terminated texts (no copies), each of n asked for (blob i % (NBLOBS
 * + 1)). */
static void verified_round(struct fx *f, int n)
{
	fetch_t *ft = fetch_start(f->git);
	fetch_verify(ft);
	for (int i = 0; i < n; i++)
		fetch_push(ft, &f->id[i % (NBLOBS + 1)]);
	for (int i = 0; i < n; i++) {
		int k = i % (NBLOBS + 1);
		size_t len = 0;
		char *t = fetch_get(ft, (size_t)i, f->git, &len);
		if (k == NBLOBS) {
			assert_null(t);
			continue;
		}
		assert_non_null(t);
		assert_int_equal(len, f->len[k]);
		assert_memory_equal(t, f->text[k], len);
		assert_int_equal(t[len], '\0');
		assert_int_equal(strlen(t), len);
		free(t);
	}
	fetch_stop(ft);
}

/* ... on the caller's thread and on the readers' */
static void test_verified_blobs(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 2; round++)
		verified_round(f, copies[round] * (NBLOBS + 1));
}

/* Two readers, each in its own stretch of the order from the pack's end,
 * then in the other's from its far end (fetch.c, lane_next): taken in
 * reverse, every other one then the rest, and as asked, with an odd count
 * (stretches of unequal length), every blob comes once and whole. */
static void test_verified_lanes(void **state)
{
	struct fx *f = *state;
	int n = 3 * (NBLOBS + 1) + 2;
	for (int round = 0; round < 3; round++) {
		fetch_t *ft = fetch_start(f->git);
		fetch_verify(ft);
		for (int i = 0; i < n; i++)
			fetch_push(ft, &f->id[i % (NBLOBS + 1)]);
		for (int j = 0; j < n; j++) {
			int i = round == 0 ? n - 1 - j : round == 1 ? (j < (n + 1) / 2 ? 2 * j : 2 * (j - (n + 1) / 2) + 1) : j;
			int k = i % (NBLOBS + 1);
			size_t len = 0;
			char *t = fetch_get(ft, (size_t)i, f->git, &len);
			if (k == NBLOBS) {
				assert_null(t);
				continue;
			}
			assert_non_null(t);
			assert_int_equal(len, f->len[k]);
			assert_memory_equal(t, f->text[k], len);
			free(t);
		}
		assert_true(fetch_nreaders(ft) >= 1);
		fetch_stop(ft);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_history_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verified_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verified_lanes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
