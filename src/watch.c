/* watch.c: the preview server's inotify watch of the content and theme folders. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

/* Watches dir and every folder below it (symbolic links are not followed).
 * Returns 0, or -1 when dir itself cannot be watched. */
static int watch_tree(int ifd, const char *dir, int depth)
{
	if (inotify_add_watch(ifd, dir, WATCH_MASK | IN_ONLYDIR | IN_DONT_FOLLOW) < 0)
		return -1;
	DIR *d = depth < 32 ? opendir(dir) : NULL;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
			continue;
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, e->d_name);
		int isdir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			isdir = lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (isdir)
			watch_tree(ifd, p.ptr, depth + 1);
		buf_free(&p);
	}
	closedir(d);
	return 0;
}

/* (Re)creates the watches from scratch: simpler than tracking every
 * folder created, moved or removed, and cheap for a content tree. */
void watch_reset(watch_t *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->incomplete = 0;
	if (!w->nroots)
		return;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		fprintf(stderr, _("plansite: warning: không theo dõi được các tệp: %s\n"), strerror(errno));
		return;
	}
	for (size_t i = 0; i < w->nroots; i++)
		if (watch_tree(w->fd, w->roots[i], 0) < 0)
			w->incomplete = 1;
}

/* Reads pending events.  Returns 0, 1 or WATCH_SETTLED (watch.h); sets *reset
 * when folders came or went (the watches must be rebuilt). */
int watch_drain(watch_t *w, int *reset)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changed = 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				*reset = 1;
				changed = 1;
				continue;
			}
			if ((ev->mask & IN_ISDIR) || (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)))
				*reset = 1;
			if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE))
				changed = WATCH_SETTLED;
			else if (ev->mask & (WATCH_MASK | IN_IGNORED))
				changed = 1;
		}
	}
	return changed;
}
