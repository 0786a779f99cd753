/* output.c: staging folder, safe writes, atomic publication. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char marker_text[] =
	"plansite: this folder is a site plansite built; plansite replaces only folders that hold this file.\n";

struct out {
	char *dir;        /* --out as given, without trailing slashes */
	char *link;       /* --out's last name when it is a symbolic link, else NULL */
	char *parent;     /* the folder that holds the replaced folder (absolute) */
	char *base;       /* the replaced folder's name in parent */
	char *stem;       /* base without a ".site-..." suffix (links only) */
	char *staging;    /* the staging folder's name in parent */
	char *shown;      /* what messages call the output folder */
	int lpfd;         /* the folder holding the link (links only), else -1 */
	int pfd;          /* parent, open */
	int dfd;          /* the staging folder, open and flock'ed */
	int exists;       /* the replaced folder existed */
	struct stat tst;  /* ... and its mode and group */
	pthread_mutex_t mu;   /* made, fail, dead, creating files */
	strmap_t made;    /* folders made in it so far (keys in `keys`) */
	arena_t *keys;
	char *fail;       /* the first environment failure */
	int dead;         /* a signal arrived: write nothing more */
	int published;
};

/* The build in progress, for the signal thread. */
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static out_t *live;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	buf_t b = BUF_INIT;
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return buf_detach(&b);
}

/* What an errno means to an editor. */
static const char *why(int e)
{
	switch (e) {
	case ENOSPC: return "ổ đĩa đã đầy hoặc hết inode (No space left on device)";
	case EDQUOT: return "đã vượt hạn mức dung lượng (quota)";
	case EROFS: return "hệ thống tệp chỉ cho đọc (read-only file system)";
	case EACCES:
	case EPERM: return "không có quyền ghi (permission denied)";
	case EIO: return "lỗi đọc/ghi của ổ đĩa (I/O error)";
	default: return strerror(e);
	}
}

/* Faults of the machine, not of the content. */
static int env_errno(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EROFS || e == EACCES || e == EPERM || e == EIO ||
	       e == EMFILE || e == ENFILE || e == ENOMEM || e == EFBIG || e == ENOENT;
}

static const char hint_kept[] = "Trang đã xuất bản trước đó vẫn giữ nguyên";

/* ---- removing trees ----------------------------------------------------- */

/* A listing of the open folder fd, from its start (a dup'ed descriptor
 * would share fd's position); closedir() it. */
static DIR *list_at(int fd)
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
	DIR *d = list_at(fd);
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
static int rm_tree(int pfd, const char *name)
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
static char *abs_path_of(const char *p, int follow)
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
		res = fmt("%s/%s", strcmp(rp, "/") ? rp : "", base);
	free(rp);
	free(parent);
	free(copy);
	return res;
}

static char *abs_path(const char *p)
{
	return abs_path_of(p, 1);
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

static int is_dir_at(int fd, const char *name)
{
	struct stat st;
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int is_file_at(int fd, const char *name)
{
	struct stat st;
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* A Git repository: a .git entry, or a bare layout (HEAD, objects/, refs/). */
static int git_at(int fd)
{
	struct stat st;
	return fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	       (is_file_at(fd, "HEAD") && is_dir_at(fd, "objects") && is_dir_at(fd, "refs"));
}

/* The mount points at or below dir (from /proc/self/mountinfo); returns the
 * first, malloc'd, or NULL. */
static char *mount_under(const char *dir, int strictly)
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
		return fmt("%s (%s)", rel, strerror(errno));
	if (st.st_dev != dev)
		return fmt("%s là một hệ thống tệp khác được gắn (mount) vào đây", rel);
	if (git_at(fd))
		return fmt("%s chứa một kho Git", rel);
	if (depth > 200)
		return fmt("%s lồng quá sâu", rel);
	DIR *d = list_at(fd);
	if (!d)
		return fmt("%s (%s)", rel, strerror(errno));
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
		char *r = fmt("%s/%s", rel, e->d_name);
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
	DIR *d = list_at(fd);
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

/* ---- the checks of --out ------------------------------------------------ */

static const char hint_pick[] =
	"hãy chọn một thư mục chưa có, một thư mục trống hoặc một thư mục mà plansite đã xuất bản trước đó "
	"(có tệp " OUT_MARKER "); không có gì bị thay đổi";

/* Why the folder at absolute path t must not be replaced, or NULL. */
static char *refusal(const char *shown, const char *t, const out_guard_t *g)
{
	char *why_not = NULL;
	char *cwd = getcwd(NULL, 0);
	const char *names[3] = { g ? g->workdir : NULL, g ? g->gitdir : NULL, g ? g->commondir : NULL };
	char *real[3] = { NULL, NULL, NULL };
	for (int i = 0; i < 3; i++)
		real[i] = names[i] && *names[i] ? realpath(names[i], NULL) : NULL;
	char *content = NULL;
	if (real[0] && g->content && *g->content) {
		char *c = fmt("%s/%s", real[0], g->content);
		content = abs_path(c);
		free(c);
	}
	if (!strcmp(t, "/"))
		why_not = fmt("--out %s là thư mục gốc \"/\"", shown);
	else if (cwd && within(t, cwd))
		why_not = fmt("--out %s là thư mục hiện tại hoặc chứa nó (%s)", shown, cwd);
	for (int i = 0; i < 3 && !why_not; i++)
		if (real[i] && within(t, real[i]))
			why_not = fmt("--out %s là hoặc chứa kho Git của nội dung (%s)", shown, real[i]);
	for (int i = 1; i < 3 && !why_not; i++)
		if (real[i] && within(real[i], t))
			why_not = fmt("--out %s nằm trong thư mục Git của kho nội dung (%s)", shown, real[i]);
	if (!why_not && content && (within(t, content) || within(content, t)))
		why_not = fmt("--out %s là, chứa hoặc nằm trong thư mục nội dung (%s)", shown, content);
	free(content);
	for (int i = 0; i < 3; i++)
		free(real[i]);
	free(cwd);
	return why_not;
}

/* Checks the existing folder t (open as fd, stat st, parent's device pdev).
 * Returns NULL when it may be replaced, else why not (malloc'd). */
static char *check_existing(const char *shown, const char *t, int fd, const struct stat *st, dev_t pdev)
{
	char *m = st->st_dev == pdev ? mount_under(t, 0) : NULL;
	int point = st->st_dev != pdev || (m && !strcmp(m, t));
	free(m);
	if (point)
		return fmt("--out %s là một điểm gắn kết (mount point): thư mục đó không thể được thay thế "
			   "trong một bước; hãy xuất bản vào một thư mục con của nó",
			   shown);
	if ((m = mount_under(t, 1))) {
		char *r = fmt("--out %s có một hệ thống tệp được gắn (mount) bên trong: %s; plansite không xóa "
			      "nó, hãy gỡ nó ra hoặc chọn thư mục khác",
			      shown, m);
		free(m);
		return r;
	}
	if (git_at(fd))
		return fmt("--out %s là một kho Git", shown);
	if (empty_dir(fd))
		return NULL;
	if (!is_file_at(fd, OUT_MARKER))
		return fmt("--out %s đã có tệp nhưng không phải trang do plansite tạo (không có tệp %s); "
			   "nếu đó là trang của một phiên bản plansite cũ, hãy xóa thư mục đó rồi chạy lại",
			   shown, OUT_MARKER);
	char *bad = scan_site(fd, shown, st->st_dev, 0);
	if (bad) {
		char *r = fmt("--out %s không thể thay thế: %s", shown, bad);
		free(bad);
		return r;
	}
	return NULL;
}

/* ---- leftovers of interrupted builds ------------------------------------ */

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Removes what builds of this output that are no longer running left in
 * parent: staging folders, old sites of the fallback publication (put back
 * first when the site itself is missing) and, for a link, old targets.
 * Only folders that hold the marker (or are empty) and that no running
 * build holds locked are touched.  Called with the parent locked. */
static void sweep(out_t *o)
{
	char *pstage = fmt("%s.staging-", o->link ? o->stem : o->base);
	char *pold = fmt("%s.old-", o->base);
	char *psite = o->link ? fmt("%s.site-", o->stem) : NULL;
	DIR *d = list_at(o->pfd);
	if (!d)
		goto done;
	int restore = !o->link && !is_dir_at(o->pfd, o->base);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		int kind = has_prefix(n, pstage) ? 1 : has_prefix(n, pold) ? 2
			 : psite && has_prefix(n, psite) && strcmp(n, o->base) ? 3 : 0;
		if (!kind)
			continue;
		int fd = openat(o->pfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {   /* a build running now */
			close(fd);
			continue;
		}
		if (!is_file_at(fd, OUT_MARKER)) {
			unlinkat(o->pfd, n, AT_REMOVEDIR);   /* only when empty */
		} else if (kind == 2 && restore && renameat(o->pfd, n, o->pfd, o->base) == 0) {
			/* a build died between the two renames of the fallback */
			restore = 0;
			o->exists = 1;
			fstat(fd, &o->tst);
		} else {
			rm_tree(o->pfd, n);
		}
		close(fd);
	}
	closedir(d);
	/* a new link made but not yet renamed over --out */
	if (o->link && (d = list_at(o->lpfd))) {
		char *plink = fmt("%s.plansite-link-", o->link);
		struct stat st;
		while ((e = readdir(d)))
			if (has_prefix(e->d_name, plink) &&
			    fstatat(o->lpfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				unlinkat(o->lpfd, e->d_name, 0);
		free(plink);
		closedir(d);
	}
done:
	free(pstage);
	free(pold);
	free(psite);
}

/* ---- beginning ------------------------------------------------------------ */

static void out_free(out_t *o)
{
	pthread_mutex_lock(&live_mu);
	if (live == o)
		live = NULL;
	pthread_mutex_unlock(&live_mu);
	if (o->dfd >= 0)
		close(o->dfd);
	if (o->pfd >= 0)
		close(o->pfd);
	if (o->lpfd >= 0)
		close(o->lpfd);
	pthread_mutex_destroy(&o->mu);
	strmap_free(&o->made);
	arena_free(o->keys);
	free(o->dir);
	free(o->link);
	free(o->parent);
	free(o->base);
	free(o->stem);
	free(o->staging);
	free(o->shown);
	free(o->fail);
	free(o);
}

/* Splits an absolute path into its folder and its last name. */
static void split(const char *abs, char **parent, char **name)
{
	const char *slash = strrchr(abs, '/');
	*parent = slash == abs ? xstrdup("/") : xstrndup(abs, (size_t)(slash - abs));
	*name = xstrdup(slash + 1);
}

/* Where a link points, as an absolute path (its target may not exist). */
static char *link_target(const char *linkabs)
{
	char *r = realpath(linkabs, NULL);
	if (r)
		return r;
	char buf[PATH_MAX];
	ssize_t n = readlink(linkabs, buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if (buf[0] == '/')
		return abs_path(buf);
	char *lp, *ln;
	split(linkabs, &lp, &ln);
	char *full = fmt("%s/%s", lp, buf);
	char *res = abs_path(full);
	free(full);
	free(lp);
	free(ln);
	return res;
}

int out_begin(out_t **op, const char *dir, const out_guard_t *g, char **err)
{
	*op = NULL;
	out_t *o = xcalloc(1, sizeof(*o));
	o->lpfd = o->pfd = o->dfd = -1;
	pthread_mutex_init(&o->mu, NULL);
	o->keys = arena_new();
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	o->dir = xstrndup(dir, dl);
	o->shown = xstrdup(o->dir);
	char *target = NULL, *why_not = NULL;
	struct stat st;
	if (lstat(o->dir, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *labs = abs_path_of(o->dir, 0);
		char *lp = NULL;
		if (labs) {
			split(labs, &lp, &o->link);
			o->lpfd = open(lp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			target = link_target(labs);
		}
		free(lp);
		free(labs);
		if (!target || o->lpfd < 0) {
			*err = fmt("--out %s là một liên kết tượng trưng trỏ tới nơi không có thư mục cha; "
				   "hãy sửa liên kết đó",
				   o->shown);
			goto fail;
		}
	} else {
		target = abs_path(o->dir);
		if (!target) {
			*err = fmt("--out %s: thư mục cha của nó không tồn tại; hãy tạo nó trước", o->shown);
			goto fail;
		}
	}
	if ((why_not = refusal(o->shown, target, g)))
		goto refuse;
	if (!strcmp(target, "/")) {
		why_not = fmt("--out %s là thư mục gốc \"/\"", o->shown);
		goto refuse;
	}
	split(target, &o->parent, &o->base);
	if (o->link) {
		/* html.site-20251215-101 and html both have the stem html */
		char *s = strstr(o->base, ".site-");
		o->stem = s ? xstrndup(o->base, (size_t)(s - o->base)) : xstrdup(o->base);
	}
	o->pfd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat pst;
	if (o->pfd < 0 || fstat(o->pfd, &pst) < 0) {
		*err = fmt("không mở được thư mục %s: %s; %s", o->parent, why(errno), hint_kept);
		goto fail;
	}
	int tfd = openat(o->pfd, o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tfd >= 0) {
		fstat(tfd, &o->tst);
		o->exists = 1;
		why_not = check_existing(o->shown, target, tfd, &o->tst, pst.st_dev);
		close(tfd);
		if (why_not)
			goto refuse;
	} else if (errno != ENOENT) {
		if (fstatat(o->pfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
			why_not = fmt("--out %s đã có và không phải là thư mục", o->shown);
		else
			why_not = fmt("không mở được --out %s: %s", o->shown, why(errno));
		goto refuse;
	}

	/* the parent's lock keeps the sweep of another build away from a
	 * staging folder made but not yet locked */
	flock(o->pfd, LOCK_EX);
	sweep(o);
	pthread_mutex_lock(&live_mu);
	o->staging = fmt("%s.staging-%ld", o->link ? o->stem : o->base, (long)getpid());
	rm_tree(o->pfd, o->staging);
	int made = mkdirat(o->pfd, o->staging, 0755) == 0;
	int merr = errno;
	if (made) {
		o->dfd = openat(o->pfd, o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		merr = errno;
		if (o->dfd >= 0)
			flock(o->dfd, LOCK_EX);
		live = o;
	}
	pthread_mutex_unlock(&live_mu);
	flock(o->pfd, LOCK_UN);
	if (!made || o->dfd < 0) {
		*err = fmt("không tạo được thư mục tạm %s/%s: %s; %s", o->parent, o->staging, why(merr),
			   hint_kept);
		goto fail;
	}
	/* the new site keeps the old one's group and mode (setgid included,
	 * so that what is written inside takes the group too); writable by
	 * us until it is published */
	struct stat sst;
	if (o->exists && fstat(o->dfd, &sst) == 0 && sst.st_gid != o->tst.st_gid &&
	    fchown(o->dfd, (uid_t)-1, o->tst.st_gid) < 0) {
		*err = fmt("không giữ được nhóm (group) của --out %s: %s; %s", o->shown, why(errno), hint_kept);
		goto fail;
	}
	if (o->exists && fchmod(o->dfd, (o->tst.st_mode & 07777) | S_IRWXU) < 0) {
		*err = fmt("không giữ được quyền của --out %s: %s; %s", o->shown, why(errno), hint_kept);
		goto fail;
	}
	char *e2 = NULL;
	if (out_write(o, OUT_MARKER, marker_text, sizeof marker_text - 1, &e2) < 0) {
		*err = fmt("%s; %s", e2, hint_kept);
		free(e2);
		goto fail;
	}
	free(target);
	*op = o;
	return 0;
refuse:
	*err = fmt("%s; %s", why_not, hint_pick);
	free(why_not);
fail:
	free(target);
	out_abort(o);
	return -1;
}

/* ---- writing ---------------------------------------------------------------- */

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

/* Records an environment failure (the first one is kept) and returns its
 * message in *err.  The message names no file, so that the same fault on
 * many files is reported once. */
static void fail_env(out_t *o, int e, char **err, int locked)
{
	if (!locked)
		pthread_mutex_lock(&o->mu);
	if (!o->fail)
		o->fail = fmt("không ghi được vào thư mục tạm của --out %s: %s", o->shown, why(e));
	*err = xstrdup(o->fail);
	if (!locked)
		pthread_mutex_unlock(&o->mu);
}

/* The out_t of a descriptor out_open returned, for out_put/out_close:
 * there is one build at a time, the live one. */
static out_t *owner(void)
{
	pthread_mutex_lock(&live_mu);
	out_t *o = live;
	pthread_mutex_unlock(&live_mu);
	return o;
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
		*err = fmt("refusing to write outside the site: \"%s\"", rel);
		return -1;
	}
	int fd = -1;
	pthread_mutex_lock(&o->mu);
	if (o->fail || o->dead) {
		*err = xstrdup(o->fail ? o->fail : "plansite đang dừng");
		goto out;
	}
	const char *slash = strrchr(rel, '/');
	if (slash) {
		char *dir = xstrndup(rel, (size_t)(slash - rel));
		int rc = make_dir(o, dir);
		int e = errno;
		if (rc < 0) {
			if (env_errno(e))
				fail_env(o, e, err, 1);
			else
				*err = fmt("cannot create folder %s in the output: %s", dir, strerror(e));
		}
		free(dir);
		if (rc < 0)
			goto out;
	}
	/* the staging folder is ours and fresh: O_EXCL and O_NOFOLLOW make sure
	 * no file is written twice or through a link */
	fd = openat(o->dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (env_errno(errno))
			fail_env(o, errno, err, 1);
		else
			*err = fmt("cannot create %s in the output: %s", rel, strerror(errno));
	}
out:
	pthread_mutex_unlock(&o->mu);
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
			out_t *o = owner();
			if (o && env_errno(errno))
				fail_env(o, errno, err, 0);
			else
				*err = fmt("cannot write %s in the output: %s", rel, strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

int out_close(int fd, const char *rel, char **err)
{
	if (close(fd) < 0) {
		out_t *o = owner();
		if (o && env_errno(errno))
			fail_env(o, errno, err, 0);
		else
			*err = fmt("cannot write %s in the output: %s", rel, strerror(errno));
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

int out_failed(out_t *o, char **err)
{
	if (!o)
		return 0;
	pthread_mutex_lock(&o->mu);
	int failed = o->fail != NULL;
	if (failed)
		*err = fmt("%s; %s. Hãy giải phóng chỗ trống hoặc cấp quyền ghi cho thư mục %s rồi chạy lại.",
			   o->fail, hint_kept, o->parent);
	pthread_mutex_unlock(&o->mu);
	return failed;
}

/* ---- publishing ------------------------------------------------------------- */

void out_abort(out_t *o)
{
	if (!o)
		return;
	if (o->staging && o->pfd >= 0)
		rm_tree(o->pfd, o->staging);
	out_free(o);
}

/* Publishes without RENAME_EXCHANGE (a file system that refuses it): the
 * old site is renamed away and the new one renamed in.  Between the two a
 * reader finds no site (not found), never a mix; when the second rename
 * fails the old site is put back, and a build killed between them has the
 * old site put back by the next build's sweep. */
static int publish_two_renames(out_t *o, char **old, char **err)
{
	char *name = fmt("%s.old-%ld", o->base, (long)getpid());
	rm_tree(o->pfd, name);
	if (renameat(o->pfd, o->base, o->pfd, name) < 0) {
		*err = fmt("không thay được --out %s: %s", o->shown, why(errno));
		free(name);
		return -1;
	}
	if (renameat(o->pfd, o->staging, o->pfd, o->base) < 0) {
		int e = errno;
		renameat(o->pfd, name, o->pfd, o->base);
		*err = fmt("không thay được --out %s: %s", o->shown, why(e));
		free(name);
		return -1;
	}
	*old = name;
	return 0;
}

/* Publishes through the link: the staging folder becomes a new target
 * beside the old one, and a new link is renamed over the old link. */
static int publish_link(out_t *o, char **old, char **err)
{
	char tbuf[PATH_MAX];
	ssize_t tn = readlinkat(o->lpfd, o->link, tbuf, sizeof tbuf - 1);
	if (tn <= 0) {
		*err = fmt("không đọc được liên kết --out %s: %s", o->shown, why(errno));
		return -1;
	}
	tbuf[tn] = '\0';
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char *site = fmt("%s.site-%lld%03ld-%ld", o->stem, (long long)now.tv_sec, now.tv_nsec / 1000000,
			 (long)getpid());
	/* the new link is written as the old one was: relative stays relative */
	char *slash = strrchr(tbuf, '/');
	char *text = slash ? fmt("%.*s/%s", (int)(slash - tbuf), tbuf, site) : xstrdup(site);
	char *tmp = fmt("%s.plansite-link-%ld", o->link, (long)getpid());
	int rc = -1;
	if (renameat(o->pfd, o->staging, o->pfd, site) < 0) {
		*err = fmt("không đổi tên được thư mục tạm %s: %s", o->staging, why(errno));
		goto out;
	}
	free(o->staging);
	o->staging = xstrdup(site);   /* removed by out_abort on failure */
	struct stat a, b;
	/* ... when it reaches the new target; else it is absolute */
	if ((fstatat(o->lpfd, text, &a, 0) < 0 || fstatat(o->pfd, site, &b, 0) < 0 || a.st_ino != b.st_ino ||
	     a.st_dev != b.st_dev)) {
		free(text);
		text = fmt("%s/%s", strcmp(o->parent, "/") ? o->parent : "", site);
	}
	unlinkat(o->lpfd, tmp, 0);
	if (symlinkat(text, o->lpfd, tmp) < 0) {
		*err = fmt("không tạo được liên kết mới cho --out %s: %s", o->shown, why(errno));
		goto out;
	}
	if (renameat(o->lpfd, tmp, o->lpfd, o->link) < 0) {
		*err = fmt("không chuyển được liên kết --out %s: %s", o->shown, why(errno));
		unlinkat(o->lpfd, tmp, 0);
		goto out;
	}
	/* the old target goes when it is a site plansite wrote */
	if (o->exists) {
		int fd = openat(o->pfd, o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && is_file_at(fd, OUT_MARKER))
			*old = xstrdup(o->base);
		if (fd >= 0)
			close(fd);
	}
	rc = 0;
out:
	free(tmp);
	free(text);
	free(site);
	return rc;
}

int out_commit(out_t *o, char **err)
{
	int rc = -1;
	char *old = NULL, *m = NULL, *e = NULL;
	pthread_mutex_lock(&o->mu);
	if (o->dead || o->fail) {
		e = xstrdup(o->fail ? o->fail : "plansite đang dừng");
		pthread_mutex_unlock(&o->mu);
		goto out;
	}
	/* the mode it had, now that nothing more is written */
	if (o->exists && fchmod(o->dfd, o->tst.st_mode & 07777) < 0) {
		e = fmt("không giữ được quyền của --out %s: %s", o->shown, why(errno));
		pthread_mutex_unlock(&o->mu);
		goto out;
	}
	flock(o->pfd, LOCK_EX);
	char *target = fmt("%s/%s", strcmp(o->parent, "/") ? o->parent : "", o->base);
	if (o->exists && (m = mount_under(target, 0))) {
		e = fmt("--out %s có một hệ thống tệp được gắn (mount) bên trong: %s; plansite không xóa nó",
			o->shown, m);
	} else if (o->link) {
		rc = publish_link(o, &old, &e);
	} else if (!o->exists || !is_dir_at(o->pfd, o->base)) {
		if (renameat(o->pfd, o->staging, o->pfd, o->base) == 0)
			rc = 0;
		else
			e = fmt("không tạo được --out %s: %s", o->shown, why(errno));
	} else if (renameat2(o->pfd, o->staging, o->pfd, o->base, RENAME_EXCHANGE) == 0) {
		/* one rename swaps both folders: readers see the old site or
		 * the new one, never a mix */
		old = xstrdup(o->staging);
		rc = 0;
	} else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
		rc = publish_two_renames(o, &old, &e);
	} else {
		e = fmt("không thay được --out %s: %s", o->shown, why(errno));
	}
	free(target);
	free(m);
	if (rc == 0)
		o->published = 1;
	flock(o->pfd, LOCK_UN);
	/* the old site goes outside the parent's lock, but under o->mu: a
	 * signal now waits for it rather than leave it half removed */
	if (rc == 0 && old)
		rm_tree(o->pfd, old);
	pthread_mutex_unlock(&o->mu);
out:
	free(old);
	if (rc < 0) {
		*err = fmt("%s; %s", e, hint_kept);
		out_abort(o);
	} else {
		out_free(o);
	}
	free(e);
	return rc;
}

/* ---- signals ----------------------------------------------------------------- */

static void *signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig = 0;
	while (sigwait(set, &sig) != 0)
		;
	pthread_mutex_lock(&live_mu);
	out_t *o = live;
	if (o) {
		/* no file is created after this; the staging folder goes */
		pthread_mutex_lock(&o->mu);
		o->dead = 1;
		if (!o->published && o->staging)
			rm_tree(o->pfd, o->staging);
		pthread_mutex_unlock(&o->mu);
	}
	/* ends the process the way the signal would have */
	signal(sig, SIG_DFL);
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	pthread_mutex_unlock(&live_mu);
	return NULL;
}

void out_guard_signals(void)
{
	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t t;
	if (pthread_create(&t, NULL, signal_thread, &set) == 0)
		pthread_detach(t);
}
