/* output_tree.c: the folders around --out: which may be replaced, and removing
 * trees without following links or entering another file system. */
#include "output_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

char *outtree_fmt(const char *f, ...)
{
	buf_t b = BUF_INIT;
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return buf_detach(&b);
}


/* ---- removing trees ----------------------------------------------------- */

/* A listing of the open folder fd, from its start (a dup'ed descriptor
 * would share fd's position); closedir() it. */
DIR *outtree_list(int fd)
{
	int own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d && own >= 0)
		close(own);
	return d;
}

static int rm_at(int pfd, const char *name, dev_t dev, int depth, int marker_last);

/* Empties the open folder fd (on device dev); with marker_last the marker
 * goes last, so an interrupted removal leaves a folder that still says it
 * is ours, or none. */
static int rm_inside(int fd, dev_t dev, int depth, int marker_last)
{
	DIR *d = outtree_list(fd);
	if (!d)
		return -1;
	int rc = 0, saved = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || (marker_last && !strcmp(n, OUT_MARKER)))
			continue;
		if (rm_at(fd, n, dev, depth + 1, 0) < 0 && errno != ENOENT) {
			rc = -1;
			saved = errno;
		}
	}
	closedir(d);
	if (marker_last && unlinkat(fd, OUT_MARKER, 0) < 0 && errno != ENOENT) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	return rc;
}

static int rm_at(int pfd, const char *name, dev_t dev, int depth, int marker_last)
{
	if (depth > 200) {
		errno = ELOOP;
		return -1;
	}
	int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP)
			return unlinkat(pfd, name, 0);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_dev != dev) {
		/* another file system is mounted here: never emptied */
		close(fd);
		errno = EXDEV;
		return -1;
	}
	int rc = rm_inside(fd, dev, depth, marker_last);
	close(fd);
	if (rc < 0)
		return -1;
	return unlinkat(pfd, name, AT_REMOVEDIR);
}

/* Removes parent/name, a folder on parent's file system. */
int outtree_rm(int pfd, const char *name)
{
	struct stat st;
	if (fstat(pfd, &st) < 0)
		return -1;
	if (rm_at(pfd, name, st.st_dev, 0, 1) < 0)
		return errno == ENOENT ? 0 : -1;
	return 0;
}

int out_rmtree(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(dir);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *copy = xstrndup(dir, n);
	char *slash = strrchr(copy, '/');
	const char *name = slash ? slash + 1 : copy;
	const char *parent = !slash ? "." : slash == copy ? "/" : copy;
	if (slash && slash != copy)
		*slash = '\0';
	int rc = -1;
	int pfd = *name ? open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (pfd >= 0) {
		rc = rm_at(pfd, name, st.st_dev, 0, 1);
		close(pfd);
	}
	free(copy);
	return rc;
}

/* ---- paths ---------------------------------------------------------------- */

/* Absolute, symlink-free form of a path that may not exist yet: its parent
 * must exist. */
char *outtree_abs(const char *p, int follow)
{
	char *r = follow ? realpath(p, NULL) : NULL;
	if (r)
		return r;
	char *copy = xstrdup(p);
	char *slash = strrchr(copy, '/');
	const char *base = slash ? slash + 1 : copy;
	char *parent = slash ? (slash == copy ? xstrdup("/") : xstrndup(copy, (size_t)(slash - copy)))
			     : xstrdup(".");
	char *rp = realpath(parent, NULL);
	char *res = NULL;
	if (rp && strcmp(base, ".") && strcmp(base, ".."))
		res = outtree_fmt("%s/%s", strcmp(rp, "/") ? rp : "", base);
	free(rp);
	free(parent);
	free(copy);
	return res;
}


/* True when path is anc or lies inside it. */
static int within(const char *anc, const char *path)
{
	if (!anc || !path)
		return 0;
	size_t n = strlen(anc);
	while (n > 1 && anc[n - 1] == '/')
		n--;
	return !strncmp(anc, path, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

int outtree_is_dir_at(int fd, const char *name)
{
	struct stat st;
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

int outtree_is_file_at(int fd, const char *name)
{
	struct stat st;
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* A Git repository: a .git entry, or a bare layout (HEAD, objects/, refs/). */
static int git_at(int fd)
{
	struct stat st;
	return fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	       (outtree_is_file_at(fd, "HEAD") && outtree_is_dir_at(fd, "objects") && outtree_is_dir_at(fd, "refs"));
}

/* The mount points at or below dir (from /proc/self/mountinfo); returns the
 * first, malloc'd, or NULL. */
char *outtree_mount_under(const char *dir, int strictly)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return NULL;
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	while (!found && getline(&line, &cap, f) > 0) {
		/* id parent major:minor root mountpoint ... */
		char *p = line;
		for (int i = 0; i < 4 && p; i++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (!p)
			continue;
		char *end = strchr(p, ' ');
		if (end)
			*end = '\0';
		/* undo the octal escapes of spaces, tabs, newlines and '\' */
		char *w = p;
		for (char *r = p; *r; r++) {
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
			    r[3] >= '0' && r[3] <= '7') {
				*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
				r += 3;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
		if (within(dir, p) && (!strictly || strcmp(dir, p)))
			found = xstrdup(p);
	}
	free(line);
	fclose(f);
	return found;
}

/* Looks through a site plansite wrote for what must not be replaced with
 * it: a Git repository or another file system.  Returns a malloc'd
 * description of the first, or NULL. */
static char *scan_site(int fd, const char *rel, dev_t dev, int depth)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return outtree_fmt("%s (%s)", rel, strerror(errno));
	if (st.st_dev != dev)
		return outtree_fmt(_("%s là một hệ thống tệp khác được gắn (mount) vào đây"), rel);
	if (git_at(fd))
		return outtree_fmt(_("%s chứa một kho Git"), rel);
	if (depth > 200)
		return outtree_fmt(_("%s lồng quá sâu"), rel);
	DIR *d = outtree_list(fd);
	if (!d)
		return outtree_fmt("%s (%s)", rel, strerror(errno));
	char *bad = NULL;
	struct dirent *e;
	while (!bad && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		char *r = outtree_fmt("%s/%s", rel, e->d_name);
		bad = scan_site(sub, r, dev, depth + 1);
		free(r);
		close(sub);
	}
	closedir(d);
	return bad;
}

/* Whether folder fd is empty (1), not (0). */
static int empty_dir(int fd)
{
	DIR *d = outtree_list(fd);
	if (!d)
		return 0;
	int empty = 1;
	struct dirent *e;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

char *outtree_refusal(const char *shown, const char *t, const out_guard_t *g)
{
	char *why_not = NULL;
	char *cwd = getcwd(NULL, 0);
	const char *names[3] = { g ? g->workdir : NULL, g ? g->gitdir : NULL, g ? g->commondir : NULL };
	char *real[3] = { NULL, NULL, NULL };
	for (int i = 0; i < 3; i++)
		real[i] = names[i] && *names[i] ? realpath(names[i], NULL) : NULL;
	char *content = NULL;
	if (real[0] && g->content && *g->content) {
		char *c = outtree_fmt("%s/%s", real[0], g->content);
		content = outtree_abs(c, 1);
		free(c);
	}
	if (!strcmp(t, "/"))
		why_not = outtree_fmt(_("--out %s là thư mục gốc \"/\""), shown);
	else if (cwd && within(t, cwd))
		why_not = outtree_fmt(_("--out %s là thư mục hiện tại hoặc chứa nó (%s)"), shown, cwd);
	for (int i = 0; i < 3 && !why_not; i++)
		if (real[i] && within(t, real[i]))
			why_not = outtree_fmt(_("--out %s là hoặc chứa kho Git của nội dung (%s)"), shown, real[i]);
	for (int i = 1; i < 3 && !why_not; i++)
		if (real[i] && within(real[i], t))
			why_not = outtree_fmt(_("--out %s nằm trong thư mục Git của kho nội dung (%s)"), shown, real[i]);
	if (!why_not && content && (within(t, content) || within(content, t)))
		why_not = outtree_fmt(_("--out %s là, chứa hoặc nằm trong thư mục nội dung (%s)"), shown, content);
	free(content);
	for (int i = 0; i < 3; i++)
		free(real[i]);
	free(cwd);
	return why_not;
}

/* Checks the existing folder t (open as fd, stat st, parent's device pdev).
 * Returns NULL when it may be replaced, else why not (malloc'd). */
char *outtree_check(const char *shown, const char *t, int fd, const struct stat *st, dev_t pdev)
{
	char *m = st->st_dev == pdev ? outtree_mount_under(t, 0) : NULL;
	int point = st->st_dev != pdev || (m && !strcmp(m, t));
	free(m);
	if (point)
		return outtree_fmt(_("--out %s là một điểm gắn kết (mount point): thư mục đó không thể được thay thế "
			   "trong một bước; hãy xuất bản vào một thư mục con của nó"),
			   shown);
	if ((m = outtree_mount_under(t, 1))) {
		char *r = outtree_fmt(_("--out %s có một hệ thống tệp được gắn (mount) bên trong: %s; plansite không xóa "
			      "nó, hãy gỡ nó ra hoặc chọn thư mục khác"),
			      shown, m);
		free(m);
		return r;
	}
	if (git_at(fd))
		return outtree_fmt(_("--out %s là một kho Git"), shown);
	if (empty_dir(fd))
		return NULL;
	if (!outtree_is_file_at(fd, OUT_MARKER))
		return outtree_fmt(_("--out %s đã có tệp nhưng không phải trang do plansite tạo (không có tệp %s); "
			   "nếu đó là trang của một phiên bản plansite cũ, hãy xóa thư mục đó rồi chạy lại"),
			   shown, OUT_MARKER);
	char *bad = scan_site(fd, shown, st->st_dev, 0);
	if (bad) {
		char *r = outtree_fmt(_("--out %s không thể thay thế: %s"), shown, bad);
		free(bad);
		return r;
	}
	return NULL;
}

