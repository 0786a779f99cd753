/* output.c: staging folder, safe writes, atomic publication. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

struct out {
	char *dir;       /* the published folder, as given */
	char *staging;
	int dfd;         /* the staging folder, open: writes are relative to it */
	pthread_mutex_t mu;
	strmap_t made;   /* folders made in it so far (keys in `keys`) */
	arena_t *keys;
};

static char *errf(const char *fmt, const char *a, const char *b)
{
	buf_t buf = BUF_INIT;
	buf_printf(&buf, fmt, a, b);
	return buf_detach(&buf);
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int out_rmtree(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Absolute, symlink-free form of a path that may not exist yet: its parent
 * must exist. */
static char *abs_path(const char *p)
{
	char *r = realpath(p, NULL);
	if (r)
		return r;
	char *copy = xstrdup(p);
	char *slash = strrchr(copy, '/');
	const char *base = slash ? slash + 1 : copy;
	char *parent = slash ? (slash == copy ? xstrdup("/") : xstrndup(copy, (size_t)(slash - copy)))
			     : xstrdup(".");
	char *rp = realpath(parent, NULL);
	char *res = NULL;
	if (rp) {
		buf_t b = BUF_INIT;
		buf_printf(&b, "%s/%s", strcmp(rp, "/") ? rp : "", base);
		res = buf_detach(&b);
	}
	free(rp);
	free(parent);
	free(copy);
	return res;
}

static int is_prefix_dir(const char *anc, const char *path)
{
	size_t n = strlen(anc);
	while (n > 1 && anc[n - 1] == '/')
		n--;
	return !strncmp(anc, path, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

int out_begin(out_t **o, const char *dir, const char *workdir, char **err)
{
	*o = NULL;
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	char *d = xstrndup(dir, dl);
	char *absd = abs_path(d);
	if (!absd) {
		*err = errf(_("thư mục kết quả %s: thư mục cha của nó không tồn tại%s"), d, "");
		free(d);
		return -1;
	}
	char *cwd = getcwd(NULL, 0);
	char *wd = workdir && *workdir ? realpath(workdir, NULL) : NULL;
	int bad = !strcmp(absd, "/") || (cwd && is_prefix_dir(absd, cwd)) ||
		  (wd && is_prefix_dir(absd, wd));
	free(cwd);
	free(wd);
	char *gitdir = errf("%s/.git%s", absd, "");
	struct stat st;
	if (lstat(gitdir, &st) == 0)
		bad = 1;
	free(gitdir);
	if (bad) {
		*err = errf(_("không thay %s: nó chứa kho, một thư mục làm việc Git hoặc thư mục hiện tại%s"),
			    d, "");
		free(d);
		free(absd);
		return -1;
	}
	if (lstat(absd, &st) == 0 && !S_ISDIR(st.st_mode)) {
		*err = errf(_("%s đã có và không phải là thư mục%s"), d, "");
		free(d);
		free(absd);
		return -1;
	}
	free(absd);
	out_t *t = xcalloc(1, sizeof(*t));
	t->dir = d;
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s.staging-%ld", d, (long)getpid());
	t->staging = buf_detach(&b);
	out_rmtree(t->staging);
	if (mkdir(t->staging, 0755) < 0) {
		*err = errf(_("không tạo được %s: %s"), t->staging, strerror(errno));
		free(t->staging);
		free(t->dir);
		free(t);
		return -1;
	}
	t->dfd = open(t->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->dfd < 0) {
		*err = errf(_("không mở được %s: %s"), t->staging, strerror(errno));
		out_rmtree(t->staging);
		free(t->staging);
		free(t->dir);
		free(t);
		return -1;
	}
	pthread_mutex_init(&t->mu, NULL);
	t->keys = arena_new();
	*o = t;
	return 0;
}

int out_path_ok(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	const char *seg = rel;
	for (const char *p = rel;; p++) {
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (!*p)
				break;
			seg = p + 1;
		} else if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f) {
			return 0;
		}
	}
	return 1;
}

/* Makes folder `dir` (relative to the staging folder) and its missing
 * parents; remembers what it made, so a page's folder costs one mkdir and
 * its parents none.  Called with o->mu held. */
static int make_dir(out_t *o, char *dir)
{
	if (strmap_get(&o->made, dir))
		return 0;
	if (mkdirat(o->dfd, dir, 0755) < 0 && errno != EEXIST) {
		char *slash = strrchr(dir, '/');
		if (errno != ENOENT || !slash)
			return -1;
		*slash = '\0';
		int rc = make_dir(o, dir);
		*slash = '/';
		if (rc < 0 || (mkdirat(o->dfd, dir, 0755) < 0 && errno != EEXIST))
			return -1;
	}
	strmap_put(&o->made, arena_strdup(o->keys, dir), o);
	return 0;
}

int out_open(out_t *o, const char *rel, char **err)
{
	if (!out_path_ok(rel)) {
		*err = errf(_("không ghi ra ngoài trang: \"%s\"%s"), rel, "");
		return -1;
	}
	const char *slash = strrchr(rel, '/');
	if (slash) {
		char *dir = xstrndup(rel, (size_t)(slash - rel));
		pthread_mutex_lock(&o->mu);
		int rc = make_dir(o, dir);
		pthread_mutex_unlock(&o->mu);
		if (rc < 0)
			*err = errf(_("không tạo được thư mục %s trong kết quả: %s"), dir, strerror(errno));
		free(dir);
		if (rc < 0)
			return -1;
	}
	/* the staging folder is ours and fresh: O_EXCL and O_NOFOLLOW make sure
	 * no file is written twice or through a link */
	int fd = openat(o->dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		*err = errf(_("không tạo được %s trong kết quả: %s"), rel, strerror(errno));
	return fd;
}

int out_put(int fd, const char *rel, const char *data, size_t len, char **err)
{
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errf(_("không ghi được %s trong kết quả: %s"), rel, strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

int out_close(int fd, const char *rel, char **err)
{
	if (close(fd) < 0) {
		*err = errf(_("không ghi được %s trong kết quả: %s"), rel, strerror(errno));
		return -1;
	}
	return 0;
}

int out_write(out_t *o, const char *rel, const char *data, size_t len, char **err)
{
	int fd = out_open(o, rel, err);
	if (fd < 0)
		return -1;
	if (out_put(fd, rel, data, len, err) < 0) {
		close(fd);
		return -1;
	}
	return out_close(fd, rel, err);
}

static void out_free(out_t *o)
{
	close(o->dfd);
	pthread_mutex_destroy(&o->mu);
	strmap_free(&o->made);
	arena_free(o->keys);
	free(o->dir);
	free(o->staging);
	free(o);
}

void out_abort(out_t *o)
{
	if (!o)
		return;
	out_rmtree(o->staging);
	out_free(o);
}

int out_commit(out_t *o, char **err)
{
	struct stat st;
	int rc = 0;
	if (lstat(o->dir, &st) == 0) {
		/* one rename swaps both folders: readers see the old site or the
		 * new one, never a mix */
		if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->dir, RENAME_EXCHANGE) < 0) {
			*err = errf(_("không thay được %s: %s"), o->dir, strerror(errno));
			out_rmtree(o->staging);
			rc = -1;
		} else {
			out_rmtree(o->staging);   /* now the old site */
		}
	} else if (rename(o->staging, o->dir) < 0) {
		*err = errf(_("không tạo được %s: %s"), o->dir, strerror(errno));
		out_rmtree(o->staging);
		rc = -1;
	}
	out_free(o);
	return rc;
}
