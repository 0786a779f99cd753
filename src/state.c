/* state.c: the key of a build (commit, options, program, theme) and the
 * published site's record of it. */
#include "state.h"

#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "util.h"
#include "version.h"

/* Appends the SHA-1 of the file at path (relative to dirfd); 0 or -1. */
static int add_file(buf_t *b, int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	buf_t data = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_put(&data, chunk, (size_t)n);
	close(fd);
	git_oid id;
	int rc = n < 0 || git_odb_hash(&id, data.ptr ? data.ptr : "", data.len, GIT_OBJECT_BLOB) < 0 ? -1 : 0;
	if (rc == 0)
		buf_printf(b, "%s\n", git_oid_tostr_s(&id));
	buf_free(&data);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends every file under dir/rel, in name order, with its name. */
static int add_tree(buf_t *b, const char *dir, const char *rel, int depth)
{
	if (depth > 32)
		return -1;
	char *path = NULL;
	if (rel[0]) {
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, rel);
		path = buf_detach(&p);
	}
	DIR *d = opendir(path ? path : dir);
	if (!d) {
		free(path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || (e->d_name[1] && (e->d_name[1] != '.' || e->d_name[2]))) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	qsort(names, n, sizeof(*names), name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		buf_t r = BUF_INIT;
		buf_printf(&r, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, 0) < 0)
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = add_tree(b, dir, r.ptr, depth + 1);
		else if (S_ISREG(st.st_mode)) {
			buf_printf(b, "theme %s ", r.ptr);
			rc = add_file(b, dirfd(d), names[i]);
		}
		buf_free(&r);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	free(path);
	return rc;
}

char *state_key(const char *const *parts, size_t nparts, const char *theme_dir)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "plansite-state 1\n");
	for (size_t i = 0; i < nparts; i++)
		buf_printf(&b, "%zu %s\n", i, parts[i] ? parts[i] : "(none)");
	/* the program: its libraries' versions, and its bytes (a rebuilt
	 * binary of the same version may write other pages) */
	bool named = version_put(&b);
	char *key = NULL;
	/* the program's bytes are read once a process (a build takes two
	 * keys, and the parse cache names them too) */
	const char *exe = version_exe_id();
	if (!named || !*exe)
		goto out;
	buf_printf(&b, "%s\n", exe);
	if (add_tree(&b, theme_dir, "", 0) < 0)
		goto out;
	git_oid id;
	if (git_odb_hash(&id, b.ptr, b.len, GIT_OBJECT_BLOB) == 0)
		key = xstrdup(git_oid_tostr_s(&id));
out:
	buf_free(&b);
	return key;
}

char *state_text(const char *key)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s\n", key);
	return buf_detach(&b);
}

int state_same(const char *out, const char *key)
{
	int dfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	struct stat st;
	int same = 0;
	if (fstatat(dfd, OUT_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
		int fd = openat(dfd, STATE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		char got[128];
		ssize_t n = fd < 0 ? -1 : read(fd, got, sizeof got - 1);
		if (fd >= 0)
			close(fd);
		char *want = state_text(key);
		same = n >= 0 && (size_t)n == strlen(want) && !memcmp(got, want, (size_t)n);
		free(want);
	}
	close(dfd);
	return same;
}
