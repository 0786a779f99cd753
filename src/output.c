/* output.c: staging folder, safe writes, atomic publication. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "output_tree.h"
#include "output_wb.h"
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
	/* held to read by the threads creating files without mu (many at
	 * once: the file system's own work is most of a page's cost), to
	 * write by the signal thread before it takes mu; always before mu */
	pthread_rwlock_t life;
	strmap_t made;    /* folders made in it so far (keys in `keys`) */
	arena_t *keys;
	char *fail;       /* the first environment failure */
	int dead;         /* a signal arrived: write nothing more */
	int published;
	int prev;         /* the previous site, open, whose files may be shared; else -1 */
	struct stat ref;  /* the marker as written: what a file written now would be */
	size_t shared;            /* files linked from prev */
	_Atomic size_t written;   /* files written */
	int reuse;        /* the staging folder is the site before the previous
			   * one, brought level with prev (mirror) */
	strmap_t present; /* ... its files then, rel -> &present_mark or
			   * &made_mark once this build made them (keys in `keys`) */
	pthread_t leveller;       /* bringing it level (mirror), while the
				   * build reads its content */
	atomic_int levelling;     /* ... until settle joined it */
	atomic_int stop;          /* a signal: the leveller stops */
	int level_err;            /* the leveller's failure (errno), read after the join */
	struct stream **streams;  /* out_open's files by descriptor (sharing state) */
	size_t nstreams;
	outwb_t *wb;      /* write-behind of the files written (output_wb.h), or NULL */
};

/* A file written in pieces while it still equals the previous site's copy:
 * nothing is written until a piece differs, and a file equal to the end is
 * linked instead. */
struct stream {
	int old;          /* the previous copy, open */
	const char *map;  /* ... mapped */
	size_t size, off; /* its size, and how much of it the pieces matched */
};

/* The values of out_t.present. */
static char present_mark, made_mark;

/* The name of the site before the current one, kept beside it so that the
 * next build starts from it (see out_begin). */
static char *spare_name(const out_t *o)
{
	return outtree_fmt("%s.plansite-previous", o->base);
}

/* The build in progress, for the signal thread. */
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static out_t *live;

/* What an errno means to an editor. */
static const char *why(int e)
{
	switch (e) {
	case ENOSPC: return _("ổ đĩa đã đầy hoặc hết inode (No space left on device)");
	case EDQUOT: return _("đã vượt hạn mức dung lượng (quota)");
	case EROFS: return _("hệ thống tệp chỉ cho đọc (read-only file system)");
	case EACCES:
	case EPERM: return _("không có quyền ghi (permission denied)");
	case EIO: return _("lỗi đọc/ghi của ổ đĩa (I/O error)");
	default: return strerror(e);
	}
}

/* Faults of the machine, not of the content. */
static int env_errno(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EROFS || e == EACCES || e == EPERM || e == EIO ||
	       e == EMFILE || e == ENFILE || e == ENOMEM || e == EFBIG || e == ENOENT;
}

/* Translated where used: _(hint_kept). */
static const char hint_kept[] = N_("Trang đã xuất bản trước đó vẫn giữ nguyên");

/* Translated where used, with OUT_MARKER for %s: xgettext cannot see
 * through a macro pasted into the literal. */
static const char hint_pick[] =
	N_("hãy chọn một thư mục chưa có, một thư mục trống hoặc một thư mục mà plansite đã xuất bản trước đó "
	   "(có tệp %s); không có gì bị thay đổi");

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
	char *pstage = outtree_fmt("%s.staging-", o->link ? o->stem : o->base);
	char *pold = outtree_fmt("%s.old-", o->base);
	char *psite = o->link ? outtree_fmt("%s.site-", o->stem) : NULL;
	DIR *d = outtree_list(o->pfd);
	if (!d)
		goto done;
	int restore = !o->link && !outtree_is_dir_at(o->pfd, o->base);
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
		if (!outtree_is_file_at(fd, OUT_MARKER)) {
			unlinkat(o->pfd, n, AT_REMOVEDIR);   /* only when empty */
		} else if (kind == 2 && restore && renameat(o->pfd, n, o->pfd, o->base) == 0) {
			/* a build died between the two renames of the fallback */
			restore = 0;
			o->exists = 1;
			fstat(fd, &o->tst);
		} else {
			outtree_rm(o->pfd, n);
		}
		close(fd);
	}
	closedir(d);
	/* a new link made but not yet renamed over --out */
	if (o->link && (d = outtree_list(o->lpfd))) {
		char *plink = outtree_fmt("%s.plansite-link-", o->link);
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

static void settle(out_t *o);

static void out_free(out_t *o)
{
	settle(o);
	pthread_mutex_lock(&live_mu);
	if (live == o)
		live = NULL;
	pthread_mutex_unlock(&live_mu);
	outwb_free(o->wb);
	if (o->dfd >= 0)
		close(o->dfd);
	if (o->pfd >= 0)
		close(o->pfd);
	if (o->lpfd >= 0)
		close(o->lpfd);
	if (o->prev >= 0)
		close(o->prev);
	for (size_t i = 0; i < o->nstreams; i++)
		if (o->streams[i]) {
			munmap((void *)o->streams[i]->map, o->streams[i]->size);
			close(o->streams[i]->old);
			free(o->streams[i]);
		}
	free(o->streams);
	pthread_mutex_destroy(&o->mu);
	pthread_rwlock_destroy(&o->life);
	strmap_free(&o->made);
	strmap_free(&o->present);
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
		return outtree_abs(buf, 1);
	char *lp, *ln;
	split(linkabs, &lp, &ln);
	char *full = outtree_fmt("%s/%s", lp, buf);
	char *res = outtree_abs(full, 1);
	free(full);
	free(lp);
	free(ln);
	return res;
}

/* The spare name in the parent, open and locked, when it is ours: a
 * folder (not a link) on the parent's file system, of our user, holding
 * the marker, that no build holds; else -1. */
static int spare_ours(out_t *o, const char *name)
{
	struct stat st, pst;
	int fd = openat(o->pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && fstat(o->pfd, &pst) == 0 && st.st_dev == pst.st_dev &&
	    st.st_uid == geteuid() && outtree_is_file_at(fd, OUT_MARKER) && flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Takes the site before the previous one (out_commit keeps it beside the
 * published one) as the staging folder, by renaming it: it is ours (the
 * marker, our user, this file system) and no build holds it.  Returns 1
 * when it did.  Called with the parent locked. */
static int claim_spare(out_t *o)
{
	char *name = spare_name(o);
	int fd = spare_ours(o, name);
	int ok = fd >= 0 && renameat(o->pfd, name, o->pfd, o->staging) == 0;
	if (fd >= 0)
		close(fd);
	free(name);
	return ok;
}

/* A file of the previous site that a write now would make with the same
 * owner, group and mode, on the same file system: one that may be shared
 * (prev_open, mirror_dir). */
static int like_ref(const out_t *o, const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_dev == o->ref.st_dev && st->st_uid == o->ref.st_uid &&
	       st->st_gid == o->ref.st_gid && (st->st_mode & 07777) == (o->ref.st_mode & 07777);
}

/* A folder of the staging folder that make_dir would have made so. */
static int like_dir(const struct stat *st, const struct stat *dref)
{
	return S_ISDIR(st->st_mode) && st->st_dev == dref->st_dev && st->st_uid == dref->st_uid &&
	       st->st_gid == dref->st_gid && (st->st_mode & 07777) == (dref->st_mode & 07777);
}

/* Brings the staging folder sfd (the claimed spare) level with the
 * previous site's folder lfd: what the site has not goes, each file the
 * site has becomes a link of the site's very file (one that a write now
 * would not make alike is left out: the build writes it), each folder is
 * one make_dir would make.  rel (of length rn) names the folder.
 * Returns 0, or -1 (errno set). */
static int mirror_dir(out_t *o, int sfd, int lfd, char *rel, size_t rn, int depth, const struct stat *dref)
{
	if (depth > 64) {
		errno = ELOOP;
		return -1;
	}
	DIR *d = outtree_list(sfd);
	if (!d)
		return -1;
	struct dirent *e;
	struct stat ls, ss;
	int rc = 0;
	if (atomic_load_explicit(&o->stop, memory_order_relaxed)) {
		closedir(d);
		errno = EINTR;
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || (depth == 0 && !strcmp(n, OUT_MARKER)))
			continue;
		if (fstatat(lfd, n, &ls, AT_SYMLINK_NOFOLLOW) < 0 || !(S_ISDIR(ls.st_mode) || S_ISREG(ls.st_mode)))
			rc = outtree_rm(sfd, n);
	}
	closedir(d);
	if (rc < 0 || !(d = outtree_list(lfd)))
		return -1;
	while (rc == 0 && (e = readdir(d))) {
		const char *n = e->d_name;
		size_t nl = strlen(n);
		if (!strcmp(n, ".") || !strcmp(n, "..") || (depth == 0 && !strcmp(n, OUT_MARKER)))
			continue;
		if (rn + nl + 2 > PATH_MAX) {
			errno = ENAMETOOLONG;
			rc = -1;
			break;
		}
		size_t cn = rn ? rn + 1 + nl : nl;
		if (rn)
			rel[rn] = '/';
		memcpy(rel + (rn ? rn + 1 : 0), n, nl + 1);
		if (fstatat(lfd, n, &ls, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		int have = fstatat(sfd, n, &ss, AT_SYMLINK_NOFOLLOW) == 0;
		if (S_ISDIR(ls.st_mode) && ls.st_dev == dref->st_dev) {
			if (have && !like_dir(&ss, dref) && (rc = outtree_rm(sfd, n)) < 0)
				break;
			if ((!have || !like_dir(&ss, dref)) && (rc = mkdirat(sfd, n, 0755)) < 0)
				break;
			int cs = openat(sfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int cl = openat(lfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = cs < 0 || cl < 0 ? -1 : 0;
			if (rc == 0) {
				strmap_put(&o->made, arena_strdup(o->keys, rel), &present_mark);
				rc = mirror_dir(o, cs, cl, rel, cn, depth + 1, dref);
			}
			if (cs >= 0)
				close(cs);
			if (cl >= 0)
				close(cl);
		} else if (like_ref(o, &ls)) {
			if (!(have && S_ISREG(ss.st_mode) && ss.st_dev == ls.st_dev && ss.st_ino == ls.st_ino)) {
				if (have && (rc = outtree_rm(sfd, n)) < 0)
					break;
				if ((rc = linkat(lfd, n, sfd, n, 0)) < 0)
					break;
			}
			strmap_put(&o->present, arena_strdup(o->keys, rel), &present_mark);
		} else if (have) {
			rc = outtree_rm(sfd, n);
		}
	}
	rel[rn] = '\0';
	int saved = errno;
	closedir(d);
	errno = saved;
	return rc;
}

#define PROBE ".plansite-probe"

/* mirror_dir over the whole claimed spare, against the previous site. */
static int mirror(out_t *o)
{
	struct stat dref;
	/* a folder made now: what each folder of the site must be */
	outtree_rm(o->dfd, PROBE);
	if (mkdirat(o->dfd, PROBE, 0755) < 0)
		return -1;
	int rc = fstatat(o->dfd, PROBE, &dref, AT_SYMLINK_NOFOLLOW);
	unlinkat(o->dfd, PROBE, AT_REMOVEDIR);
	if (rc < 0)
		return -1;
	char rel[PATH_MAX];
	rel[0] = '\0';
	return mirror_dir(o, o->dfd, o->prev, rel, 0, 0, &dref);
}

/* The claimed spare could not be brought level: emptied (the marker
 * kept), it is a fresh staging folder.  Returns 0 or -1. */
static int wipe(out_t *o)
{
	strmap_free(&o->made);
	strmap_free(&o->present);
	o->reuse = 0;
	DIR *d = outtree_list(o->dfd);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, OUT_MARKER) &&
		    outtree_rm(o->dfd, e->d_name) < 0)
			rc = -1;
	closedir(d);
	return rc;
}

static void fail_env(out_t *o, int e, char **err, int locked);

/* The leveller: mirror, or else wipe; takes no lock. */
static void *level(void *arg)
{
	out_t *o = arg;
	if (mirror(o) < 0 && !atomic_load(&o->stop) && wipe(o) < 0)
		o->level_err = errno ? errno : EIO;
	return NULL;
}

/* Waits for the spare to be level (out_begin started it) before anything
 * touches the staging folder. */
static void settle(out_t *o)
{
	if (!atomic_load_explicit(&o->levelling, memory_order_acquire))
		return;
	pthread_mutex_lock(&o->mu);
	if (atomic_load_explicit(&o->levelling, memory_order_relaxed)) {
		pthread_join(o->leveller, NULL);
		atomic_store_explicit(&o->levelling, 0, memory_order_release);
		if (o->level_err) {   /* every write fails: an environment fault */
			char *e = NULL;
			fail_env(o, o->level_err, &e, 1);
			free(e);
		}
	}
	pthread_mutex_unlock(&o->mu);
}

int out_begin(out_t **op, const char *dir, const out_guard_t *g, char **err)
{
	*op = NULL;
	out_t *o = xcalloc(1, sizeof(*o));
	o->lpfd = o->pfd = o->dfd = o->prev = -1;
	pthread_mutex_init(&o->mu, NULL);
	pthread_rwlock_init(&o->life, NULL);
	o->keys = arena_new();
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	o->dir = xstrndup(dir, dl);
	o->shown = xstrdup(o->dir);
	char *target = NULL, *why_not = NULL, *pick = NULL;
	struct stat st;
	if (lstat(o->dir, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *labs = outtree_abs(o->dir, 0);
		char *lp = NULL;
		if (labs) {
			split(labs, &lp, &o->link);
			o->lpfd = open(lp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			target = link_target(labs);
		}
		free(lp);
		free(labs);
		if (!target || o->lpfd < 0) {
			*err = outtree_fmt(_("--out %s là một liên kết tượng trưng trỏ tới nơi không có thư mục cha; "
				   "hãy sửa liên kết đó"),
				   o->shown);
			goto fail;
		}
	} else {
		target = outtree_abs(o->dir, 1);
		if (!target) {
			*err = outtree_fmt(_("--out %s: thư mục cha của nó không tồn tại; hãy tạo nó trước"), o->shown);
			goto fail;
		}
	}
	if ((why_not = outtree_refusal(o->shown, target, g)))
		goto refuse;
	if (!strcmp(target, "/")) {
		why_not = outtree_fmt(_("--out %s là thư mục gốc \"/\""), o->shown);
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
		*err = outtree_fmt(_("không mở được thư mục %s: %s; %s"), o->parent, why(errno), _(hint_kept));
		goto fail;
	}
	int tfd = openat(o->pfd, o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tfd >= 0) {
		fstat(tfd, &o->tst);
		o->exists = 1;
		why_not = outtree_check(o->shown, target, tfd, &o->tst, pst.st_dev);
		close(tfd);
		if (why_not)
			goto refuse;
	} else if (errno != ENOENT) {
		if (fstatat(o->pfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
			why_not = outtree_fmt(_("--out %s đã có và không phải là thư mục"), o->shown);
		else
			why_not = outtree_fmt(_("không mở được --out %s: %s"), o->shown, why(errno));
		goto refuse;
	}

	/* the parent's lock keeps the sweep of another build away from a
	 * staging folder made but not yet locked */
	flock(o->pfd, LOCK_EX);
	sweep(o);
	pthread_mutex_lock(&live_mu);
	o->staging = outtree_fmt("%s.staging-%ld", o->link ? o->stem : o->base, (long)getpid());
	outtree_rm(o->pfd, o->staging);
	o->reuse = g && g->reuse && !o->link && o->exists && claim_spare(o);
	int made = o->reuse || mkdirat(o->pfd, o->staging, 0755) == 0;
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
		*err = outtree_fmt(_("không tạo được thư mục tạm %s/%s: %s; %s"), o->parent, o->staging, why(merr),
			   _(hint_kept));
		goto fail;
	}
	/* the new site keeps the old one's group and mode (setgid included,
	 * so that what is written inside takes the group too); writable by
	 * us until it is published */
	struct stat sst;
	if (o->exists && fstat(o->dfd, &sst) == 0 && sst.st_gid != o->tst.st_gid &&
	    fchown(o->dfd, (uid_t)-1, o->tst.st_gid) < 0) {
		*err = outtree_fmt(_("không giữ được nhóm (group) của --out %s: %s; %s"), o->shown, why(errno),
			   _(hint_kept));
		goto fail;
	}
	if (o->exists && fchmod(o->dfd, (o->tst.st_mode & 07777) | S_IRWXU) < 0) {
		*err = outtree_fmt(_("không giữ được quyền của --out %s: %s; %s"), o->shown, why(errno), _(hint_kept));
		goto fail;
	}
	char *e2 = NULL;
	if (o->reuse)   /* written anew below: o->ref is what a write makes now */
		unlinkat(o->dfd, OUT_MARKER, 0);
	if (out_write(o, OUT_MARKER, marker_text, sizeof marker_text - 1, &e2) < 0) {
		*err = outtree_fmt("%s; %s", e2, _(hint_kept));
		free(e2);
		goto fail;
	}
	/* the site being replaced lends its unchanged files (out_share) */
	if (fstatat(o->dfd, OUT_MARKER, &o->ref, AT_SYMLINK_NOFOLLOW) == 0 && o->exists) {
		o->prev = openat(o->pfd, o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (o->prev >= 0 && !outtree_is_file_at(o->prev, OUT_MARKER)) {
			close(o->prev);
			o->prev = -1;
		}
	}
	/* the spare is brought level on a thread of its own while the build
	 * reads and parses its content (settle waits for it) */
	if (o->reuse && o->prev >= 0 && pthread_create(&o->leveller, NULL, level, o) == 0)
		atomic_store(&o->levelling, 1);
	else if (o->reuse && (o->prev < 0 || mirror(o) < 0) && wipe(o) < 0) {
		*err = outtree_fmt(_("không dọn được thư mục tạm %s/%s: %s; %s"), o->parent, o->staging, why(errno),
				   _(hint_kept));
		goto fail;
	}
	free(target);
	o->wb = outwb_new(o->dfd);
	*op = o;
	return 0;
refuse:
	pick = outtree_fmt(_(hint_pick), OUT_MARKER);
	*err = outtree_fmt("%s; %s", why_not, pick);
	free(pick);
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
		o->fail = outtree_fmt(_("không ghi được vào thư mục tạm của --out %s: %s"), o->shown, why(e));
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
/* mkdirat of dir in the staging folder, there already being fine; in a
 * staging folder brought level with the previous site, a file of that
 * site where this one has a folder makes way.  Returns 0 or -1 (errno). */
static int dir_at(out_t *o, const char *dir)
{
	if (mkdirat(o->dfd, dir, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	struct stat st;
	if (!o->reuse || fstatat(o->dfd, dir, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
		return 0;
	if (strmap_get(&o->present, dir))
		strmap_put(&o->present, dir, &made_mark);
	if (unlinkat(o->dfd, dir, 0) < 0)
		return -1;
	return mkdirat(o->dfd, dir, 0755);
}

/* In a staging folder brought level with the previous site, a folder of
 * that site where this one has the file rel makes way (its files and
 * folders, in the mirror's maps, are gone already when drop_unmade comes
 * to them).  Returns 1 when it did, so the caller tries again. */
static int clear_dir(out_t *o, const char *rel)
{
	struct stat st;
	return errno == EEXIST && o->reuse && fstatat(o->dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode) && outtree_rm(o->dfd, rel) == 0;
}

static int make_dir(out_t *o, char *dir)
{
	void *v = strmap_get(&o->made, dir);
	if (v == &present_mark)   /* mirrored: this build needs it */
		strmap_put(&o->made, dir, o);
	if (v)
		return 0;
	if (dir_at(o, dir) < 0) {
		char *slash = strrchr(dir, '/');
		if (errno != ENOENT || !slash)
			return -1;
		*slash = '\0';
		int rc = make_dir(o, dir);
		*slash = '/';
		if (rc < 0 || dir_at(o, dir) < 0)
			return -1;
	}
	strmap_put(&o->made, arena_strdup(o->keys, dir), o);
	return 0;
}

/* Checks rel and makes its folders in the staging folder.  Returns 0, or
 * -1 with *err.  Called with o->mu held. */
static int prepare(out_t *o, const char *rel, char **err)
{
	if (o->fail || o->dead) {
		*err = xstrdup(o->fail ? o->fail : _("plansite đang dừng"));
		return -1;
	}
	const char *slash = strrchr(rel, '/');
	if (!slash)
		return 0;
	char *dir = xstrndup(rel, (size_t)(slash - rel));
	int rc = make_dir(o, dir);
	int e = errno;
	if (rc < 0) {
		if (env_errno(e))
			fail_env(o, e, err, 1);
		else
			*err = outtree_fmt(_("không tạo được thư mục %s trong kết quả: %s"), dir, strerror(e));
	}
	free(dir);
	return rc;
}

/* make_dir for a fresh staging folder (not brought level with a previous
 * site), called without o->mu and with o->life held to read: the mkdirat
 * is made unlocked, mu taken only to record the folder.  Two threads that
 * make the same folder at once are fine: one of them finds it there. */
static int make_dir_free(out_t *o, char *dir)
{
	if (mkdirat(o->dfd, dir, 0755) < 0 && errno != EEXIST) {
		char *slash = strrchr(dir, '/');
		if (errno != ENOENT || !slash)
			return -1;
		*slash = '\0';
		int rc = make_dir_free(o, dir);
		*slash = '/';
		if (rc < 0 || (mkdirat(o->dfd, dir, 0755) < 0 && errno != EEXIST))
			return -1;
	}
	pthread_mutex_lock(&o->mu);
	if (!strmap_get(&o->made, dir))
		strmap_put(&o->made, arena_strdup(o->keys, dir), o);
	pthread_mutex_unlock(&o->mu);
	return 0;
}

/* prepare for out_write and out_open, called without o->mu.  A folder is
 * made with mu held only when the staging folder was brought level with
 * the previous site (its maps change with it); in a fresh one mu is held
 * only to look the folder up and to record it.  A mkdirat(2) makes an
 * inode and its first block, and the other render thread, whose next file
 * needed mu, waited through it: 912 of the 2,665 futex calls that `perf
 * record -e syscalls:sys_enter_futex` caught in a cold build of 1,000
 * plans were out_write's lock and unlock of mu (2026-12-02), none now.
 * The threads then meet on other locks instead (the blob readers', the
 * shared rows', malloc's): perf stat counted 3,300-4,100 futex calls a
 * cold build against 3,400-4,700 before (3 alternating runs each), within
 * the noise; under strace, where each mkdirat is slow, 1,700-2,200 against
 * 4,900-6,200. */
static int prepare_free(out_t *o, const char *rel, char **err)
{
	pthread_mutex_lock(&o->mu);
	if (o->reuse || o->fail || o->dead) {
		int rc = prepare(o, rel, err);
		pthread_mutex_unlock(&o->mu);
		return rc;
	}
	const char *slash = strrchr(rel, '/');
	char *dir = slash ? xstrndup(rel, (size_t)(slash - rel)) : NULL;
	int known = !dir || strmap_get(&o->made, dir);
	pthread_mutex_unlock(&o->mu);
	if (known) {
		free(dir);
		return 0;
	}
	/* the signal thread removes the staging folder with life held to write */
	pthread_rwlock_rdlock(&o->life);
	int rc = o->dead ? -1 : make_dir_free(o, dir);
	int e = o->dead ? 0 : errno;
	pthread_rwlock_unlock(&o->life);
	if (rc < 0) {
		if (!e)
			*err = xstrdup(_("plansite đang dừng"));
		else if (env_errno(e))
			fail_env(o, e, err, 0);
		else
			*err = outtree_fmt(_("không tạo được thư mục %s trong kết quả: %s"), dir, strerror(e));
	}
	free(dir);
	return rc;
}

/* Creates rel in the staging folder.  Called with o->mu held, after
 * prepare.  Returns a descriptor, or -1 with *err. */
static int create(out_t *o, const char *rel, char **err, int locked)
{
	/* without mu, the read lock keeps the signal thread from removing the
	 * staging folder while the file is made */
	if (!locked) {
		pthread_rwlock_rdlock(&o->life);
		if (o->dead) {
			pthread_rwlock_unlock(&o->life);
			*err = xstrdup(_("plansite đang dừng"));
			return -1;
		}
	}
	/* the staging folder is ours and fresh: O_EXCL and O_NOFOLLOW make sure
	 * no file is written twice or through a link, and that no file shared
	 * with the previous site (out_share) is ever written into */
	int fd = -1;
	if (o->reuse) {
		/* the mirrored copy (a link of the previous site's file) goes */
		if (!locked)
			pthread_mutex_lock(&o->mu);   /* the map is shared */
		bool there = strmap_get(&o->present, rel) != NULL;
		if (there)
			strmap_put(&o->present, rel, &made_mark);
		if (!locked)
			pthread_mutex_unlock(&o->mu);
		if (there && unlinkat(o->dfd, rel, 0) < 0 && errno != ENOENT) {
			*err = outtree_fmt(_("không tạo được %s trong kết quả: %s"), rel, strerror(errno));
			goto out;
		}
	}
	fd = openat(o->dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && clear_dir(o, rel))
		fd = openat(o->dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (env_errno(errno))
			fail_env(o, errno, err, locked);
		else
			*err = outtree_fmt(_("không tạo được %s trong kết quả: %s"), rel, strerror(errno));
	} else {
		o->written++;
	}
out:
	if (!locked)
		pthread_rwlock_unlock(&o->life);
	return fd;
}

/* rel in the previous site, open, when it is a regular file of `size`
 * bytes (any size when size is -1) that a write now would make with the
 * same owner, group and mode, reached without following a link, leaving
 * that site or crossing a mount; else -1. */
static int prev_open(out_t *o, const char *rel, long long size, struct stat *st)
{
	if (o->prev < 0)
		return -1;
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, o->prev, rel, &how, sizeof how);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || !like_ref(o, st) || (size >= 0 && st->st_size != size)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Links the open file fd to rel in the staging folder (the folder is
 * made).  Called with o->mu held.  Returns 0, or -1 (write it instead). */
static int link_prev(out_t *o, int fd, const char *rel)
{
	char proc[64];
	if (o->dead)
		return -1;
	if (o->reuse && strmap_get(&o->present, rel)) {
		/* mirrored: already this very file, or it goes */
		struct stat a, b;
		strmap_put(&o->present, rel, &made_mark);
		if (fstat(fd, &a) == 0 && fstatat(o->dfd, rel, &b, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(b.st_mode) &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			o->shared++;
			return 0;
		}
		if (unlinkat(o->dfd, rel, 0) < 0 && errno != ENOENT)
			return -1;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	/* a link of the very file compared: never of what the name holds now */
	if (linkat(AT_FDCWD, proc, o->dfd, rel, AT_SYMLINK_FOLLOW) < 0 &&
	    !(clear_dir(o, rel) && linkat(AT_FDCWD, proc, o->dfd, rel, AT_SYMLINK_FOLLOW) == 0))
		return -1;
	o->shared++;
	return 0;
}

/* Shares rel from the previous site when its copy there holds exactly
 * data.  Returns 1 when it did, else 0.  Called after prepare. */
static int share(out_t *o, const char *rel, const char *data, size_t len)
{
	struct stat st;
	int fd = prev_open(o, rel, (long long)len, &st);
	if (fd < 0)
		return 0;
	int same = len == 0;
	if (len) {
		void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED) {
			same = memcmp(m, data, len) == 0;
			munmap(m, len);
		}
	}
	pthread_mutex_lock(&o->mu);
	int done = same && link_prev(o, fd, rel) == 0;
	pthread_mutex_unlock(&o->mu);
	close(fd);
	return done;
}

static struct stream *stream_take(out_t *o, int fd);
static void stream_end(struct stream *sm);

/* The calling thread's record of the files it makes (out_track). */
static _Thread_local out_files_t *tracking;

void out_track(out_files_t *t)
{
	tracking = t;
}

void out_files_add(out_files_t *t, const char *rel, long long size)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4;
		t->rel = xrealloc(t->rel, t->cap * sizeof(*t->rel));
		t->size = xrealloc(t->size, t->cap * sizeof(*t->size));
	}
	t->rel[t->n] = xstrdup(rel);
	t->size[t->n++] = size;
}

void out_files_free(out_files_t *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->rel[i]);
	free(t->rel);
	free(t->size);
	*t = (out_files_t){ 0 };
}

int out_open(out_t *o, const char *rel, char **err)
{
	settle(o);
	if (!out_path_ok(rel)) {
		*err = outtree_fmt(_("không ghi ra ngoài trang: \"%s\""), rel);
		return -1;
	}
	int rc = prepare_free(o, rel, err);
	int fd = rc < 0 ? -1 : create(o, rel, err, 0);
	if (fd < 0)
		return -1;
	/* a descriptor number closed without out_close carries nothing over */
	struct stream *stale = stream_take(o, fd);
	if (stale)
		stream_end(stale);
	/* compared piece by piece with the previous copy (out_put) */
	struct stat st;
	int old = prev_open(o, rel, -1, &st);
	const char *map = NULL;
	if (old >= 0 && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, old, 0);
		map = m == MAP_FAILED ? NULL : m;
	}
	if (old >= 0 && (map || st.st_size == 0)) {
		struct stream *sm = xcalloc(1, sizeof(*sm));
		*sm = (struct stream){ .old = old, .map = map, .size = (size_t)st.st_size };
		pthread_mutex_lock(&o->mu);
		if ((size_t)fd >= o->nstreams) {
			size_t n = (size_t)fd + 16;
			o->streams = xrealloc(o->streams, n * sizeof(*o->streams));
			memset(o->streams + o->nstreams, 0, (n - o->nstreams) * sizeof(*o->streams));
			o->nstreams = n;
		}
		o->streams[fd] = sm;
		pthread_mutex_unlock(&o->mu);
	} else if (old >= 0) {
		close(old);
	}
	return fd;
}

/* The sharing state of descriptor fd, taken out of o (the caller frees
 * it with stream_end), or NULL. */
static struct stream *stream_take(out_t *o, int fd)
{
	if (!o)
		return NULL;
	pthread_mutex_lock(&o->mu);
	struct stream *sm = (size_t)fd < o->nstreams ? o->streams[fd] : NULL;
	if (sm)
		o->streams[fd] = NULL;
	pthread_mutex_unlock(&o->mu);
	return sm;
}

static void stream_end(struct stream *sm)
{
	if (sm->map)
		munmap((void *)sm->map, sm->size);
	close(sm->old);
	free(sm);
}

static int put(int fd, const char *rel, const char *data, size_t len, char **err)
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
				*err = outtree_fmt(_("không ghi được %s trong kết quả: %s"), rel, strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

int out_put(int fd, const char *rel, const char *data, size_t len, char **err)
{
	if (!len)
		return 0;
	out_t *o = owner();
	struct stream *sm = stream_take(o, fd);
	if (sm) {
		if (sm->off + len <= sm->size && !memcmp(sm->map + sm->off, data, len)) {
			/* the same so far: nothing is written yet */
			sm->off += len;
			pthread_mutex_lock(&o->mu);
			o->streams[fd] = sm;
			pthread_mutex_unlock(&o->mu);
			return 0;
		}
		/* it differs: what matched is written, then the rest */
		int rc = put(fd, rel, sm->map, sm->off, err);
		stream_end(sm);
		if (rc < 0)
			return -1;
	}
	return put(fd, rel, data, len, err);
}

int out_close(int fd, const char *rel, char **err)
{
	out_t *o = owner();
	struct stream *sm = stream_take(o, fd);
	int rc = 0, linked = 0;
	if (sm) {
		/* equal to the end: the previous copy is linked in its place */
		if (sm->off == sm->size) {
			pthread_mutex_lock(&o->mu);
			if (!o->dead && unlinkat(o->dfd, rel, 0) == 0) {
				linked = link_prev(o, sm->old, rel) == 0;
				if (linked)
					o->written--;
				else
					close(fd), fd = create(o, rel, err, 1);
			}
			pthread_mutex_unlock(&o->mu);
		}
		if (!linked && fd >= 0)
			rc = put(fd, rel, sm->map, sm->off, err);
		stream_end(sm);
		if (fd < 0)
			return -1;
	}
	struct stat st;
	if (rc == 0 && tracking && o && fstatat(o->dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
		out_files_add(tracking, rel, (long long)st.st_size);
	/* a file linked from the previous site was not written */
	size_t wrote = 0;
	if (rc == 0 && o && o->wb && !linked && fstat(fd, &st) == 0)
		wrote = (size_t)st.st_size;
	if (close(fd) < 0) {
		if (o && env_errno(errno))
			fail_env(o, errno, err, 0);
		else
			*err = outtree_fmt(_("không ghi được %s trong kết quả: %s"), rel, strerror(errno));
		return -1;
	}
	if (wrote)
		outwb_add(o->wb, rel, wrote);
	return rc;
}

int out_write(out_t *o, const char *rel, const char *data, size_t len, char **err)
{
	settle(o);
	if (!out_path_ok(rel)) {
		*err = outtree_fmt(_("không ghi ra ngoài trang: \"%s\""), rel);
		return -1;
	}
	int rc = prepare_free(o, rel, err);
	if (rc < 0)
		return -1;
	if (share(o, rel, data, len)) {
		if (tracking)
			out_files_add(tracking, rel, (long long)len);
		return 0;
	}
	int fd = create(o, rel, err, 0);
	if (fd < 0)
		return -1;
	if (put(fd, rel, data, len, err) < 0) {
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		if (env_errno(errno))
			fail_env(o, errno, err, 0);
		else
			*err = outtree_fmt(_("không ghi được %s trong kết quả: %s"), rel, strerror(errno));
		return -1;
	}
	outwb_add(o->wb, rel, len);
	if (tracking)
		out_files_add(tracking, rel, (long long)len);
	return 0;
}

int out_keep(out_t *o, const char *const *rels, const long long *sizes, size_t n, size_t *bad)
{
	settle(o);
	int *fds = xmalloc((n + 1) * sizeof(*fds));
	size_t opened = 0, linked = 0;
	int rc = -1;
	*bad = n;
	for (; opened < n; opened++) {
		struct stat st;
		if (!out_path_ok(rels[opened]) ||
		    (fds[opened] = prev_open(o, rels[opened], sizes[opened], &st)) < 0) {
			*bad = opened;
			goto out;
		}
	}
	char *err = NULL;
	pthread_mutex_lock(&o->mu);
	for (; linked < n; linked++)
		if (prepare(o, rels[linked], &err) < 0 || link_prev(o, fds[linked], rels[linked]) < 0)
			break;
	if (linked < n)   /* all or nothing: the job writes them all instead */
		for (size_t i = 0; i < linked; i++)
			if (unlinkat(o->dfd, rels[i], 0) == 0)
				o->shared--;
	pthread_mutex_unlock(&o->mu);
	free(err);
	if (linked < n)
		goto out;
	for (size_t i = 0; tracking && i < n; i++)
		out_files_add(tracking, rels[i], sizes[i]);
	rc = 0;
out:
	for (size_t i = 0; i < opened; i++)
		close(fds[i]);
	free(fds);
	return rc;
}

int out_prev_read(out_t *o, const char *rel, size_t max, char **data, size_t *len)
{
	settle(o);
	struct stat st;
	int fd = prev_open(o, rel, -1, &st);
	if (fd < 0)
		return -1;
	int rc = -1;
	if ((unsigned long long)st.st_size <= max) {
		size_t n = (size_t)st.st_size, got = 0;
		char *p = xmalloc(n + 1);
		while (got < n) {
			ssize_t k = pread(fd, p + got, n - got, (off_t)got);
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		if (got == n) {
			p[n] = 0;
			*data = p;
			*len = n;
			rc = 0;
		} else {
			free(p);
		}
	}
	close(fd);
	return rc;
}

int out_share(out_t *o, const char *dir)
{
	settle(o);
	pthread_mutex_lock(&o->mu);
	if (o->prev >= 0)
		close(o->prev);
	o->prev = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (o->prev >= 0 && !outtree_is_file_at(o->prev, OUT_MARKER)) {
		close(o->prev);
		o->prev = -1;
	}
	int rc = o->prev >= 0 ? 0 : -1;
	pthread_mutex_unlock(&o->mu);
	return rc;
}

char *out_staging_path(const out_t *o)
{
	return outtree_fmt("%s/%s", strcmp(o->parent, "/") ? o->parent : "", o->staging);
}

void out_counts(out_t *o, size_t *shared, size_t *written)
{
	settle(o);
	pthread_mutex_lock(&o->mu);
	*shared = o->shared;
	*written = o->written;
	pthread_mutex_unlock(&o->mu);
}

int out_failed(out_t *o, char **err)
{
	settle(o);
	if (!o)
		return 0;
	pthread_mutex_lock(&o->mu);
	int failed = o->fail != NULL;
	if (failed)
		*err = outtree_fmt(_("%s; %s. Hãy giải phóng chỗ trống hoặc cấp quyền ghi cho thư mục %s rồi chạy lại."),
			   o->fail, _(hint_kept), o->parent);
	pthread_mutex_unlock(&o->mu);
	return failed;
}

/* ---- publishing ------------------------------------------------------------- */

void out_abort(out_t *o)
{
	if (!o)
		return;
	settle(o);
	outwb_free(o->wb);   /* before its files go */
	o->wb = NULL;
	if (o->staging && o->pfd >= 0)
		outtree_rm(o->pfd, o->staging);
	out_free(o);
}

void out_abort_to(out_t *o, const char *trash)
{
	if (!o)
		return;
	settle(o);
	if (trash && o->staging && o->pfd >= 0 && renameat(o->pfd, o->staging, AT_FDCWD, trash) == 0) {
		free(o->staging);
		o->staging = NULL;
	}
	out_abort(o);
}

static int longer_first(const void *a, const void *b)
{
	size_t x = strlen(*(const char *const *)a), y = strlen(*(const char *const *)b);
	return x < y ? 1 : x > y ? -1 : strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the mirror brought in that this build did not make goes: files,
 * then the folders left empty (deepest first).  Returns 0, or -1 (errno
 * set).  Called with o->mu held. */
static int drop_unmade(out_t *o)
{
	for (size_t i = 0; i < o->present.cap; i++)
		if (o->present.keys[i] && o->present.vals[i] == &present_mark &&
		    unlinkat(o->dfd, o->present.keys[i], 0) < 0 && errno != ENOENT && errno != ENOTDIR)
			return -1;   /* ENOTDIR: a folder above became this site's file */
	const char **dirs = xmalloc((o->made.n + 1) * sizeof(*dirs));
	size_t n = 0;
	for (size_t i = 0; i < o->made.cap; i++)
		if (o->made.keys[i] && o->made.vals[i] == &present_mark)
			dirs[n++] = o->made.keys[i];
	qsort(dirs, n, sizeof(*dirs), longer_first);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (unlinkat(o->dfd, dirs[i], AT_REMOVEDIR) < 0 && errno != ENOTEMPTY && errno != EEXIST &&
		    errno != ENOENT && errno != ENOTDIR)
			rc = -1;
	free(dirs);
	return rc;
}

/* Keeps the old site (named old in the parent) as the spare the next
 * build starts from, in place of an older spare of ours.  Returns 1 when
 * it did; else the caller removes it. */
static int keep_spare(out_t *o, const char *old)
{
	int fd = openat(o->pfd, old, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int ours = fd >= 0 && outtree_is_file_at(fd, OUT_MARKER);
	if (fd >= 0)
		close(fd);
	if (!ours)
		return 0;
	char *name = spare_name(o);
	int kept = renameat2(o->pfd, old, o->pfd, name, RENAME_NOREPLACE) == 0;
	if (!kept && errno == EEXIST) {
		/* an older spare nobody claimed (a build with --force): ours only */
		int sfd = spare_ours(o, name);
		if (sfd >= 0 && outtree_rm(o->pfd, name) == 0)
			kept = renameat2(o->pfd, old, o->pfd, name, RENAME_NOREPLACE) == 0;
		if (sfd >= 0)
			close(sfd);
	}
	free(name);
	return kept;
}

/* Publishes without RENAME_EXCHANGE (a file system that refuses it): the
 * old site is renamed away and the new one renamed in.  Between the two a
 * reader finds no site (not found), never a mix; when the second rename
 * fails the old site is put back, and a build killed between them has the
 * old site put back by the next build's sweep. */
static int publish_two_renames(out_t *o, char **old, char **err)
{
	char *name = outtree_fmt("%s.old-%ld", o->base, (long)getpid());
	outtree_rm(o->pfd, name);
	if (renameat(o->pfd, o->base, o->pfd, name) < 0) {
		*err = outtree_fmt(_("không thay được --out %s: %s"), o->shown, why(errno));
		free(name);
		return -1;
	}
	if (renameat(o->pfd, o->staging, o->pfd, o->base) < 0) {
		int e = errno;
		renameat(o->pfd, name, o->pfd, o->base);
		*err = outtree_fmt(_("không thay được --out %s: %s"), o->shown, why(e));
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
		*err = outtree_fmt(_("không đọc được liên kết --out %s: %s"), o->shown, why(errno));
		return -1;
	}
	tbuf[tn] = '\0';
	struct stat prev;
	int prev_ok = fstatat(o->lpfd, tbuf, &prev, 0) == 0;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char *site = outtree_fmt("%s.site-%lld%03ld-%ld", o->stem, (long long)now.tv_sec, now.tv_nsec / 1000000,
			 (long)getpid());
	/* the new link is written as the old one was: relative stays relative */
	char *slash = strrchr(tbuf, '/');
	char *text = slash ? outtree_fmt("%.*s/%s", (int)(slash - tbuf), tbuf, site) : xstrdup(site);
	char *tmp = outtree_fmt("%s.plansite-link-%ld", o->link, (long)getpid());
	int rc = -1;
	if (renameat(o->pfd, o->staging, o->pfd, site) < 0) {
		*err = outtree_fmt(_("không đổi tên được thư mục tạm %s: %s"), o->staging, why(errno));
		goto out;
	}
	free(o->staging);
	o->staging = xstrdup(site);   /* removed by out_abort on failure */
	struct stat a, b;
	/* ... when it reaches the new target; else it is absolute */
	if ((fstatat(o->lpfd, text, &a, 0) < 0 || fstatat(o->pfd, site, &b, 0) < 0 || a.st_ino != b.st_ino ||
	     a.st_dev != b.st_dev)) {
		free(text);
		text = outtree_fmt("%s/%s", strcmp(o->parent, "/") ? o->parent : "", site);
	}
	unlinkat(o->lpfd, tmp, 0);
	if (symlinkat(text, o->lpfd, tmp) < 0) {
		*err = outtree_fmt(_("không tạo được liên kết mới cho --out %s: %s"), o->shown, why(errno));
		goto out;
	}
	if (renameat(o->lpfd, tmp, o->lpfd, o->link) < 0) {
		*err = outtree_fmt(_("không chuyển được liên kết --out %s: %s"), o->shown, why(errno));
		unlinkat(o->lpfd, tmp, 0);
		goto out;
	}
	/* the old target goes when it is a site plansite wrote: the one the
	 * link named just now (another build may have switched it since this
	 * one began), when it lies beside the new one */
	const char *oldname = slash ? slash + 1 : tbuf;
	struct stat here;
	int fd = openat(o->pfd, oldname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && prev_ok && fstat(fd, &here) == 0 && here.st_ino == prev.st_ino &&
	    here.st_dev == prev.st_dev && outtree_is_file_at(fd, OUT_MARKER))
		*old = xstrdup(oldname);
	if (fd >= 0)
		close(fd);
	rc = 0;
out:
	free(tmp);
	free(text);
	free(site);
	return rc;
}

int out_commit(out_t *o, char **err)
{
	settle(o);
	outwb_free(o->wb);   /* nothing more is written */
	o->wb = NULL;
	int rc = -1;
	char *old = NULL, *m = NULL, *e = NULL;
	pthread_mutex_lock(&o->mu);
	if (o->dead || o->fail) {
		e = xstrdup(o->fail ? o->fail : _("plansite đang dừng"));
		pthread_mutex_unlock(&o->mu);
		goto out;
	}
	/* the mode it had, now that nothing more is written */
	if (o->exists && fchmod(o->dfd, o->tst.st_mode & 07777) < 0) {
		e = outtree_fmt(_("không giữ được quyền của --out %s: %s"), o->shown, why(errno));
		pthread_mutex_unlock(&o->mu);
		goto out;
	}
	if (o->reuse && drop_unmade(o) < 0) {
		e = outtree_fmt(_("không dọn được thư mục tạm của --out %s: %s"), o->shown, why(errno));
		pthread_mutex_unlock(&o->mu);
		goto out;
	}
	flock(o->pfd, LOCK_EX);
	char *target = outtree_fmt("%s/%s", strcmp(o->parent, "/") ? o->parent : "", o->base);
	if (o->exists && (m = outtree_mount_under(target, 0))) {
		e = outtree_fmt(_("--out %s có một hệ thống tệp được gắn (mount) bên trong: %s; plansite không xóa nó"),
			o->shown, m);
	} else if (o->link) {
		rc = publish_link(o, &old, &e);
	} else if (!o->exists || !outtree_is_dir_at(o->pfd, o->base)) {
		if (renameat(o->pfd, o->staging, o->pfd, o->base) == 0)
			rc = 0;
		else
			e = outtree_fmt(_("không tạo được --out %s: %s"), o->shown, why(errno));
	} else if (renameat2(o->pfd, o->staging, o->pfd, o->base, RENAME_EXCHANGE) == 0) {
		/* one rename swaps both folders: readers see the old site or
		 * the new one, never a mix */
		old = xstrdup(o->staging);
		rc = 0;
	} else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
		rc = publish_two_renames(o, &old, &e);
	} else {
		e = outtree_fmt(_("không thay được --out %s: %s"), o->shown, why(errno));
	}
	free(target);
	free(m);
	if (rc == 0)
		o->published = 1;
	flock(o->pfd, LOCK_UN);
	/* the old site goes outside the parent's lock, but under o->mu: a
	 * signal now waits for it rather than leave it half removed */
	if (rc == 0 && old && (o->link || !keep_spare(o, old)))
		outtree_rm(o->pfd, old);
	pthread_mutex_unlock(&o->mu);
out:
	free(old);
	if (rc < 0) {
		*err = outtree_fmt("%s; %s", e, _(hint_kept));
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
		pthread_rwlock_wrlock(&o->life);
		pthread_mutex_lock(&o->mu);
		o->dead = 1;
		/* the leveller stops before its folder goes */
		atomic_store(&o->stop, 1);
		if (atomic_load(&o->levelling)) {
			pthread_join(o->leveller, NULL);
			atomic_store(&o->levelling, 0);
		}
		if (!o->published && o->staging)
			outtree_rm(o->pfd, o->staging);
		pthread_mutex_unlock(&o->mu);
		pthread_rwlock_unlock(&o->life);
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
	else
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);   /* as without the guard */
}
