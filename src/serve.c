/* serve.c: the preview server: private builds, 127.0.0.1 only, rebuild and reload on change. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "hcache.h"
#include "model_cache.h"
#include "output.h"
#include "repo.h"
#include "theme.h"
#include "util.h"
#include "watch.h"

#define EVENTS_PATH "/__plansite/events"
#define STATUS_PATH "/__plansite/status"
#define RELOAD_JS_PATH "/__plansite/reload.js"
#define OVERLAY_CSS_PATH "/__plansite/overlay.css"
#define DEBOUNCE_MS 100      /* quiet time after the last file event */
#define SETTLED_MS 10        /* ... when it ended a write (a file closed, renamed in or removed) */
#define WAIT_S 25            /* a request for a page still rendering waits this long at most */
#define DEBOUNCE_MAX_MS 1000 /* ... but never postpone a build longer */
#define REF_POLL_MS 500
#define KEEPALIVE_S 15       /* SSE comment so proxies and clients see a live stream */
#define TIMEOUT_S 30         /* a connection silent this long is closed */
#define MAX_CONN 4000        /* connections at once, at most */
#define PER_IP 2000          /* of them from one address */
#define FD_MARGIN 256        /* descriptors kept for the builds */
#define STACK_BYTES (512 * 1024)
#define SHM_DIR "/dev/shm"
#define SHM_MIN_FREE (1ULL << 30) /* builds go there only with this much room */

/* Added before </body> of every built page (build_run injects it), never
 * in `plansite build` output.  Files, not inline code: pages forbid inline
 * script and style (their Content-Security-Policy).  EventSource reconnects
 * by itself when the server restarts. */
static const char reload_script[] =
	"<link rel=\"stylesheet\" href=\"" OVERLAY_CSS_PATH "\">"
	"<script src=\"" RELOAD_JS_PATH "\"></script>\n";
static const char reload_js[] =
	"/* plansite serve */(function(){if(!window.EventSource)return;"
	"var es=new EventSource(\"" EVENTS_PATH "\");"
	"es.addEventListener(\"reload\",function(){es.close();location.reload();});})();\n";
/* The report over the page: red when the build failed, yellow when it
 * only warned. */
static const char overlay_css[] =
	"#plansite-errors,#plansite-warnings{position:fixed;left:0;right:0;bottom:0;max-height:60vh;"
	"overflow:auto;z-index:2147483647;margin:0;padding:1em;"
	"font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap;text-align:left}\n"
	"#plansite-errors{background:#fff5f5;color:#600;border-top:4px solid #c00}\n"
	"#plansite-warnings{background:#fffbe6;color:#5c4400;border-top:4px solid #e0b000}\n";

/* One successful build in its own folder.  The server holds one reference
 * while it is current and each request holds one while it opens a file; the
 * folder is removed with the last reference (open descriptors stay
 * readable after that, so a response never sees a half-removed site). */
typedef struct built {
	char *root;   /* realpath of the folder */
	int refs;
	/* a build still rendering (serve_ready): the files finished in its
	 * staging folder, sorted; the folder is the build's, not removed here */
	char **files;
	size_t nfiles;
	/* ... and the files it will link unchanged from the site it shares
	 * from (base, a reference: the current site), sorted: served from
	 * there meanwhile, the same bytes */
	char **same;
	size_t nsame;
	struct built *base;
} built_t;

/* The report over every page (put_overlay), made once a build: a page
 * with ten thousand warnings must not escape them again on each request.
 * A request holds a reference while it sends it. */
typedef struct {
	int refs;
	size_t len;
	char html[];
} overlay_t;

typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;   /* gen moved or stopping was set (CLOCK_MONOTONIC) */
	built_t *cur;             /* the last good site; NULL before the first */
	char *report;             /* messages of the last build, malloc'd */
	/* the messages whose diag_format is report, exactly (a good build's
	 * with no line of its own), or NULL: an edit that changes no message
	 * keeps report without making it again (serve_ready); the builder
	 * thread's */
	diag_t *rdiag;
	int failed;               /* the last build failed: overlay its report */
	overlay_t *overlay;       /* ... as HTML, or NULL when there is none to show */
	unsigned long gen;        /* bumped when a build's pages are announced (reload) */
	/* the build announced last, while the rest of it renders: the pages
	 * an edit shows first, served from its staging folder; every other
	 * file waits until cur is that build's (done == gen) */
	built_t *early;
	unsigned long done;       /* the gen whose build has ended (cur and report are its) */
	int stopping;
	/* the builder thread: want a build, one is running, drop its rest */
	pthread_cond_t wake;
	int want, building;
	atomic_int cancel;
	long long changed_at;     /* when the change the build wanted was seen (now_ms) */
	long long build_from;     /* ... for the build running (the builder's own) */
	long long cancel_at;      /* when its cancel was asked for (now_ms) */
	/* the reaper thread: folders to remove (malloc'd paths), off the
	 * builder's way */
	pthread_cond_t reap;
	char **dead;
	size_t ndead, capdead;
	int reaping;
	/* a build runs that has not shown its pages yet: the reaper waits
	 * (removing a site's thousands of files took the CPU an edit's
	 * page needed on a two-core machine) */
	int urgent;
	/* owned by the main thread */
	const build_opts_t *opts;
	char *tmp;                /* the private temporary folder */
	char *base_url;           /* http://127.0.0.1:PORT/ unless --base-url */
	unsigned long nbuilds;
	int port;
	/* the history of the commit, kept between builds: an edit of the work
	 * tree reads no commit and parses no past version again; a new commit
	 * reads only itself */
	hcache_t *hcache;
	/* the work tree's plans as the last build parsed them: an edit
	 * parses only the files it changed (model_cache.h) */
	model_cache_t *mcache;
} server_t;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* With PLANSITE_TIMING (or --verbose's timing): the times an edit takes. */
static int timing(const server_t *sv)
{
	return sv->opts->timing || getenv("PLANSITE_TIMING");
}

/* ---- the served site ---------------------------------------------------- */

/* Removes folder path (malloc'd, taken) on the reaper thread when it runs,
 * else here: removing the thousands of folders of a site takes longer than
 * the next build must wait. */
static void reap(server_t *sv, char *path)
{
	pthread_mutex_lock(&sv->lock);
	if (sv->reaping && !sv->stopping) {
		if (sv->ndead == sv->capdead) {
			sv->capdead = sv->capdead ? 2 * sv->capdead : 8;
			sv->dead = xrealloc(sv->dead, sv->capdead * sizeof(char *));
		}
		sv->dead[sv->ndead++] = path;
		pthread_cond_signal(&sv->reap);
		path = NULL;
	}
	pthread_mutex_unlock(&sv->lock);
	if (path)
		out_rmtree(path);
	free(path);
}

static void *reaper(void *arg)
{
	server_t *sv = arg;
	pthread_mutex_lock(&sv->lock);
	while (!sv->stopping) {
		if (!sv->ndead || sv->urgent) {
			pthread_cond_wait(&sv->reap, &sv->lock);
			continue;
		}
		char *path = sv->dead[--sv->ndead];
		pthread_mutex_unlock(&sv->lock);
		out_rmtree(path);
		free(path);
		pthread_mutex_lock(&sv->lock);
	}
	pthread_mutex_unlock(&sv->lock);
	return NULL;
}

static void built_release(server_t *sv, built_t *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&sv->lock);
	int last = --b->refs == 0;
	pthread_mutex_unlock(&sv->lock);
	if (!last)
		return;
	if (b->files) {
		for (size_t i = 0; i < b->nfiles; i++)
			free(b->files[i]);
		free(b->files);
		for (size_t i = 0; i < b->nsame; i++)
			free(b->same[i]);
		free(b->same);
		free(b->root);
		built_release(sv, b->base);
	} else {
		reap(sv, b->root);
	}
	free(b);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the sorted list v of n files has the file of path (decoded,
 * from decode_path: a folder's path names its index.html). */
static int early_has(char *const *v, size_t n, const char *path)
{
	if (!n)
		return 0;
	buf_t rel = BUF_INIT;
	buf_printf(&rel, "%s%s", path + 1, path[strlen(path) - 1] == '/' ? "index.html" : "");
	const char *key = rel.ptr;
	int has = bsearch(&key, v, n, sizeof(char *), cmp_str) != NULL;
	buf_free(&rel);
	return has;
}

/* What a request for path works from (a reference the caller releases):
 * the announced build's staging folder when it finished that file (unless
 * no_early), the site it shares from when the file will be linked from
 * there unchanged (*early set for both), else the current site once it
 * is that build's: a page is
 * never served from a site older than the last reload announced; and,
 * when the last build failed or warned, its report as HTML (*ov, a
 * reference the caller releases with overlay_release). */
static built_t *built_acquire(server_t *sv, const char *path, int no_early, overlay_t **ov, int *early)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += WAIT_S;
	pthread_mutex_lock(&sv->lock);
	built_t *b = sv->cur;
	*early = 0;
	while (!sv->stopping) {
		if (sv->early && !no_early && early_has(sv->early->files, sv->early->nfiles, path)) {
			b = sv->early;
			*early = 1;
			break;
		}
		if (sv->early && !no_early && sv->early->base &&
		    early_has(sv->early->same, sv->early->nsame, path)) {
			b = sv->early->base;
			*early = 1;
			break;
		}
		if (sv->done == sv->gen) {
			b = sv->cur;
			break;
		}
		if (pthread_cond_timedwait(&sv->changed, &sv->lock, &until) == ETIMEDOUT) {
			b = sv->cur;
			break;
		}
	}
	if (b)
		b->refs++;
	*ov = sv->overlay;
	if (*ov)
		(*ov)->refs++;
	pthread_mutex_unlock(&sv->lock);
	return b;
}

/* ---- requests ---------------------------------------------------------- */

static const struct {
	const char *ext, *type;
} content_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json; charset=utf-8" },
	{ "xml", "application/xml; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "svg", "image/svg+xml; charset=utf-8" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "pdf", "application/pdf" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "ico", "image/x-icon" },
};

static const char *content_type(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
			if (!strcasecmp(dot + 1, content_types[i].ext))
				return content_types[i].type;
	return "application/octet-stream";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the request path once (MHD is told not to).  Returns 0 with *out
 * (malloc'd, starting with '/'), or the status to refuse it with: 400 for a
 * malformed escape, NUL or control character, 403 for whatever could leave
 * the site: "." and ".." segments, backslashes and encoded slashes. */
static unsigned decode_path(const char *raw, char **out)
{
	*out = NULL;
	if (raw[0] != '/')
		return MHD_HTTP_BAD_REQUEST;
	buf_t b = BUF_INIT;
	unsigned st = 0;
	for (const char *p = raw; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '%') {
			int hi = hexval(p[1]);
			int lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0) {
				st = MHD_HTTP_BAD_REQUEST;
				goto out;
			}
			ch = (unsigned char)(hi * 16 + lo);
			p += 2;
			if (ch == '/') {
				st = MHD_HTTP_FORBIDDEN;
				goto out;
			}
		}
		if (ch == '\\') {
			st = MHD_HTTP_FORBIDDEN;
			goto out;
		}
		if (ch < 0x20 || ch == 0x7f) {
			st = MHD_HTTP_BAD_REQUEST;
			goto out;
		}
		buf_putc(&b, ch);
	}
	const char *seg = b.ptr + 1;
	for (const char *p = seg;; p++) {
		if (*p != '/' && *p)
			continue;
		size_t n = (size_t)(p - seg);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
			st = MHD_HTTP_FORBIDDEN;
			goto out;
		}
		if (!*p)
			break;
		seg = p + 1;
	}
	*out = buf_detach(&b);
out:
	buf_free(&b);
	return st;
}

static int inside(const char *root, const char *path)
{
	size_t n = strlen(root);
	return !strncmp(root, path, n) && (path[n] == '/' || path[n] == '\0');
}

/* Opens path (decoded, from decode_path) in the site at root: a folder
 * path ending in '/' gives its index.html.  Returns 0 with *fd, *size and
 * *type (static), or 301 (a folder named without its slash), 403 (resolves
 * outside the site) or 404. */
static unsigned open_in_site(const char *root, const char *path, int *fd, uint64_t *size,
			     const char **type)
{
	*fd = -1;
	unsigned st = MHD_HTTP_NOT_FOUND;
	int slash = path[strlen(path) - 1] == '/';
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s%s", root, path, slash ? "index.html" : "");
	char *real = realpath(b.ptr, NULL);
	if (!real)
		goto out;
	/* a symbolic link anywhere in the site must not lead out of it */
	if (!inside(root, real)) {
		st = MHD_HTTP_FORBIDDEN;
		goto out;
	}
	int f = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0)
		goto out;
	struct stat sb;
	if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		if (!slash && fstat(f, &sb) == 0 && S_ISDIR(sb.st_mode))
			st = MHD_HTTP_MOVED_PERMANENTLY;
		close(f);
		goto out;
	}
	*fd = f;
	*size = (uint64_t)sb.st_size;
	*type = content_type(real);
	st = 0;
out:
	free(real);
	buf_free(&b);
	return st;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
			     const char *type)
{
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	return reply(c, status, r, "text/plain; charset=utf-8");
}

/* Takes b's contents. */
/* A constant file of the preview (its script and style). */
static enum MHD_Result reply_text_type(struct MHD_Connection *c, const char *text, const char *type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_OK, r, type);
}

static enum MHD_Result reply_buf(struct MHD_Connection *c, unsigned status, buf_t *b,
				 const char *type)
{
	size_t len = b->len;
	char *data = buf_detach(b);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(data);
	return reply(c, status, r, type);
}

/* The report over the page: red when the build failed (the page is the
 * last good site), yellow when it only warned (the page is current). */
static void put_overlay(buf_t *b, const char *report, int failed)
{
	/* no style attribute: the page's CSP allows only style files
	 * (overlay.css colours the two kinds) */
	buf_printf(b, "<div id=\"%s\" role=\"alert\"><strong>",
		   failed ? "plansite-errors" : "plansite-warnings");
	const char *head = failed ? _("plansite: lần dựng vừa rồi có lỗi; đây là bản dựng tốt gần nhất.")
				  : _("plansite: trang đã được dựng, với các cảnh báo sau.");
	buf_put_html(b, head, strlen(head));
	buf_puts(b, "</strong>\n");
	buf_put_html(b, report, strlen(report));
	buf_puts(b, "</div>\n");
}

/* The overlay of a report, or NULL when there is nothing to show (a good
 * build without warnings).  One reference. */
static overlay_t *overlay_make(const char *report, int failed)
{
	if (!failed && (!report || !*report))
		return NULL;
	buf_t b = BUF_INIT;
	put_overlay(&b, report ? report : "", failed);
	overlay_t *ov = xmalloc(sizeof(*ov) + b.len + 1);
	ov->refs = 1;
	ov->len = b.len;
	memcpy(ov->html, b.ptr, b.len + 1);
	buf_free(&b);
	return ov;
}

static void overlay_release(server_t *sv, overlay_t *ov)
{
	if (!ov)
		return;
	pthread_mutex_lock(&sv->lock);
	int last = --ov->refs == 0;
	pthread_mutex_unlock(&sv->lock);
	if (last)
		free(ov);
}

/* A page with the overlay, sent as it is read (overlaid_read): the page's
 * bytes before </body>, the overlay, the rest.  The overlay is not copied:
 * with the 1k benchmark's 32,032 warnings it is 8 MB, and a copy of it
 * into a fresh buffer on every request (2,000 page faults, each an exit
 * to the hypervisor here) was what the page took after the reload. */
struct overlaid {
	server_t *sv;
	overlay_t *ov;   /* a reference, released with the response */
	char *page;
	size_t len, at;  /* the page's length; where the overlay goes */
};

static ssize_t overlaid_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	const struct overlaid *o = cls;
	size_t ovlen = o->ov->len, total = o->len + ovlen, n = 0;
	while (n < max && pos < total) {
		const char *from;
		size_t left;
		if (pos < o->at) {
			from = o->page + pos;
			left = o->at - pos;
		} else if (pos < o->at + ovlen) {
			from = o->ov->html + (pos - o->at);
			left = o->at + ovlen - pos;
		} else {
			from = o->page + (pos - ovlen);
			left = total - pos;
		}
		size_t k = left < max - n ? left : max - n;
		memcpy(buf + n, from, k);
		n += k;
		pos += k;
	}
	return n ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void overlaid_free(void *cls)
{
	struct overlaid *o = cls;
	overlay_release(o->sv, o->ov);
	free(o->page);
	free(o);
}

/* Sends an HTML page of the site with the error overlay before </body>. */
static enum MHD_Result reply_overlaid(server_t *sv, struct MHD_Connection *c, unsigned status, int fd,
				      const char *type, overlay_t *ov)
{
	buf_t page = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			buf_free(&page);
			return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 read error\n");
		}
		buf_put(&page, chunk, (size_t)n);
	}
	close(fd);
	struct overlaid *o = xcalloc(1, sizeof(*o));
	o->sv = sv;
	o->len = page.len;
	o->page = buf_detach(&page);
	if (!o->page)
		o->page = xstrdup("");
	const char *end = strstr(o->page, "</body>");
	o->at = end ? (size_t)(end - o->page) : o->len;
	pthread_mutex_lock(&sv->lock);
	ov->refs++;
	pthread_mutex_unlock(&sv->lock);
	o->ov = ov;
	struct MHD_Response *r = MHD_create_response_from_callback(o->len + ov->len, 256 * 1024,
								   overlaid_read, o, overlaid_free);
	if (!r)
		overlaid_free(o);
	return reply(c, status, r, type);
}

/* Before any build succeeded: the errors, and the reload script so the
 * page comes back by itself once they are fixed. */
static enum MHD_Result reply_no_site(struct MHD_Connection *c, const overlay_t *ov)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		     "<title>plansite: no site yet</title></head>\n<body>\n"
		     "<h1>plansite: the site has not been built yet</h1>\n");
	if (ov)
		buf_put(&b, ov->html, ov->len);
	else
		put_overlay(&b, "building...\n", 1);
	buf_puts(&b, reload_script);
	buf_puts(&b, "</body></html>\n");
	return reply_buf(c, MHD_HTTP_SERVICE_UNAVAILABLE, &b, "text/html; charset=utf-8");
}

static enum MHD_Result serve_file(server_t *sv, struct MHD_Connection *c, const char *url)
{
	char *path = NULL;
	unsigned st = decode_path(url, &path);
	if (st)
		return reply_text(c, st, st == MHD_HTTP_FORBIDDEN ? "403 Forbidden\n"
								    : "400 Bad Request\n");
	overlay_t *ov = NULL;
	int early = 0;
	built_t *b = built_acquire(sv, path, 0, &ov, &early);
	enum MHD_Result ret;
	int fd;
	uint64_t size = 0;
	const char *type = NULL;
	unsigned status = MHD_HTTP_OK;
	st = b ? open_in_site(b->root, path, &fd, &size, &type) : 0;
	if (b && early && st) {
		/* the build ended meanwhile and renamed its folder (or the
		 * file it was to link was not there): its site */
		built_release(sv, b);
		overlay_release(sv, ov);
		b = built_acquire(sv, path, 1, &ov, &early);
		st = b ? open_in_site(b->root, path, &fd, &size, &type) : 0;
	}
	if (!b) {
		ret = reply_no_site(c, ov);
		goto out;
	}
	if (st == MHD_HTTP_MOVED_PERMANENTLY) {
		buf_t loc = BUF_INIT;
		buf_printf(&loc, "%s/", url);
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen("301 Moved Permanently\n"), (void *)"301 Moved Permanently\n",
			MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.ptr);
		buf_free(&loc);
		ret = reply(c, st, r, "text/plain; charset=utf-8");
		goto out;
	}
	if (st == MHD_HTTP_FORBIDDEN) {
		ret = reply_text(c, st, "403 Forbidden\n");
		goto out;
	}
	if (st) {
		status = MHD_HTTP_NOT_FOUND;
		if (open_in_site(b->root, "/404.html", &fd, &size, &type)) {
			ret = reply_text(c, status, "404 Not Found\n");
			goto out;
		}
	}
	if (ov && !strncmp(type, "text/html", 9)) {
		ret = reply_overlaid(sv, c, status, fd, type, ov);
		goto out;
	}
	struct MHD_Response *r = MHD_create_response_from_fd64(size, fd);
	if (!r)
		close(fd);
	ret = reply(c, status, r, type);
out:
	built_release(sv, b);
	overlay_release(sv, ov);
	free(path);
	return ret;
}

static enum MHD_Result serve_status(server_t *sv, struct MHD_Connection *c)
{
	buf_t b = BUF_INIT;
	pthread_mutex_lock(&sv->lock);
	buf_printf(&b, "%s (build %lu%s)\n%s", sv->failed ? "failed" : sv->cur ? "ok" : "building",
		   sv->gen, sv->early ? "; the rest still rendering" : "", sv->report ? sv->report : "");
	pthread_mutex_unlock(&sv->lock);
	return reply_buf(c, MHD_HTTP_OK, &b, "text/plain; charset=utf-8");
}

/* One Server-Sent Events stream.  Its reader blocks in the connection's own
 * thread (MHD_USE_THREAD_PER_CONNECTION) until the generation moves. */
typedef struct {
	server_t *sv;
	unsigned long gen;
	int started;
	char msg[96];
	size_t len, off;
} sse_t;

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	sse_t *e = cls;
	server_t *sv = e->sv;
	(void)pos;
	if (e->off == e->len) {
		e->off = 0;
		if (!e->started) {
			e->started = 1;
			snprintf(e->msg, sizeof e->msg, "retry: 1000\n: plansite\n\n");
		} else {
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += KEEPALIVE_S;
			pthread_mutex_lock(&sv->lock);
			while (!sv->stopping && sv->gen == e->gen)
				if (pthread_cond_timedwait(&sv->changed, &sv->lock, &until) == ETIMEDOUT)
					break;
			int stop = sv->stopping;
			unsigned long gen = sv->gen;
			pthread_mutex_unlock(&sv->lock);
			if (stop)
				return MHD_CONTENT_READER_END_OF_STREAM;
			if (gen != e->gen) {
				e->gen = gen;
				snprintf(e->msg, sizeof e->msg, "event: reload\ndata: %lu\n\n", gen);
			} else {
				snprintf(e->msg, sizeof e->msg, ": keep-alive\n\n");
			}
		}
		e->len = strlen(e->msg);
	}
	size_t n = e->len - e->off < max ? e->len - e->off : max;
	memcpy(buf, e->msg + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static enum MHD_Result serve_events(server_t *sv, struct MHD_Connection *c, int head)
{
	struct MHD_Response *r;
	if (head) {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		sse_t *e = xcalloc(1, sizeof(*e));
		e->sv = sv;
		pthread_mutex_lock(&sv->lock);
		e->gen = sv->gen;
		pthread_mutex_unlock(&sv->lock);
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, sse_read, e, free);
		if (!r)
			free(e);
	}
	return reply(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

/* The Host header names this server: 127.0.0.1:PORT or localhost:PORT
 * (any case), nothing else. */
static int host_ok(const server_t *sv, const char *host)
{
	if (!host)
		return 0;
	const char *colon = strrchr(host, ':');
	if (!colon)
		return 0;
	size_t n = (size_t)(colon - host);
	if (!(n == 9 && !strncmp(host, "127.0.0.1", 9)) && !(n == 9 && !strncasecmp(host, "localhost", 9)))
		return 0;
	char want[16];
	snprintf(want, sizeof want, "%d", sv->port);
	return !strcmp(colon + 1, want);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	server_t *sv = cls;
	static int seen;
	(void)version;
	(void)upload;
	int head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
	/* a page on another site that resolves its own name to 127.0.0.1 (DNS
	 * rebinding) must not read the drafts: only our own names are answered */
	if (!host_ok(sv, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
		return reply_text(c, MHD_HTTP_MISDIRECTED_REQUEST,
				  "421 Misdirected Request: open http://127.0.0.1:PORT/ or http://localhost:PORT/\n");
	/* refused at once, without reading a body (MHD then closes the connection) */
	if (!head && strcmp(method, MHD_HTTP_METHOD_GET))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
	/* the first call only announces the request: answering then would
	 * make MHD close the connection (no keep-alive) */
	if (!*con_cls) {
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;   /* a GET with a body: dropped */
		return MHD_YES;
	}
	if (!strcmp(url, EVENTS_PATH))
		return serve_events(sv, c, head);
	if (!strcmp(url, STATUS_PATH))
		return serve_status(sv, c);
	if (!strcmp(url, RELOAD_JS_PATH))
		return reply_text_type(c, reload_js, "text/javascript; charset=utf-8");
	if (!strcmp(url, OVERLAY_CSS_PATH))
		return reply_text_type(c, overlay_css, "text/css; charset=utf-8");
	if (!strncmp(url, "/__plansite/", 12))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
	return serve_file(sv, c, url);
}

/* The path is decoded by serve_file, exactly once, so that an encoded
 * slash can be told from a real one. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* ---- builds ------------------------------------------------------------ */

/* A build's announcement (serve_ready): its messages at that point. */
struct announce {
	server_t *sv;
	diag_t *d;
	int announced;  /* its pages were: report is what it announced */
};

/* Called by the build (on the builder thread) once the pages an edit
 * shows first are complete in its staging folder root: they are served
 * from there, and open pages reload, while the rest renders. */
static void serve_ready(void *cls, const char *root, const out_files_t *files, const out_files_t *unchanged)
{
	struct announce *an = cls;
	server_t *sv = an->sv;
	char *real = realpath(root, NULL);
	if (!real)
		return;   /* then the pages wait for the end of the build */
	built_t *e = xcalloc(1, sizeof(*e));
	e->root = real;
	e->refs = 1;
	e->nfiles = files->n;
	e->files = xmalloc((files->n ? files->n : 1) * sizeof(char *));
	for (size_t i = 0; i < files->n; i++)
		e->files[i] = xstrdup(files->rel[i]);
	qsort(e->files, e->nfiles, sizeof(char *), cmp_str);
	e->nsame = unchanged->n;
	e->same = xmalloc((unchanged->n ? unchanged->n : 1) * sizeof(char *));
	for (size_t i = 0; i < unchanged->n; i++)
		e->same[i] = xstrdup(unchanged->rel[i]);
	qsort(e->same, e->nsame, sizeof(char *), cmp_str);
	/* the same messages as the last build's (an edit that changed
	 * none): the same report and overlay.  Compared as messages first:
	 * 32,000 warnings (the 1k benchmark's) are 6.7 MB of text, 50 ms of
	 * making, copying and comparing it before the reload here */
	int kept = sv->rdiag && !sv->failed && diag_same(sv->rdiag, an->d);
	char *report = kept ? NULL : diag_format(an->d);
	if (timing(sv))
		fprintf(stderr, "plansite: serve    report %s\n",
			kept ? "kept (no message changed)" : "made again");
	pthread_mutex_lock(&sv->lock);
	overlay_t *ov = NULL;
	int same = kept || (!sv->failed && sv->report && !strcmp(sv->report, report));
	if (same && (ov = sv->overlay))
		ov->refs++;
	pthread_mutex_unlock(&sv->lock);
	if (!same) {
		/* report is no longer rdiag's text */
		diag_free(sv->rdiag);
		sv->rdiag = NULL;
		ov = overlay_make(report, 0);
	}
	an->announced = 1;
	pthread_mutex_lock(&sv->lock);
	built_t *old = sv->early;
	sv->early = e;
	/* the site this build shares from (rebuild: bo.share), current
	 * until the build ends */
	if ((e->base = sv->cur))
		e->base->refs++;
	sv->failed = 0;
	if (report) {
		free(sv->report);
		sv->report = report;
	}
	overlay_t *old_ov = sv->overlay;
	sv->overlay = ov;
	sv->gen++;
	pthread_cond_broadcast(&sv->changed);
	sv->urgent = 0;
	pthread_cond_signal(&sv->reap);
	pthread_mutex_unlock(&sv->lock);
	if (timing(sv))
		fprintf(stderr, "plansite: serve    %.3f s from the change to the reload\n",
			(double)(now_ms() - sv->build_from) / 1000.0);
	built_release(sv, old);
	overlay_release(sv, old_ov);
}

/* Builds into a fresh folder and, when that succeeds, makes it current;
 * open pages reload when the first pages are ready (serve_ready) or, when
 * there were none to show, when the build ends, good or bad.  A build
 * cancelled (sv->cancel: the files changed again) publishes nothing.
 * Returns the build's status (BUILD_OK, BUILD_CONTENT, BUILD_ENV,
 * BUILD_CANCELLED). */
static int rebuild(server_t *sv, int announce)
{
	buf_t dir = BUF_INIT, rep = BUF_INIT;
	buf_printf(&dir, "%s/site-%lu", sv->tmp, ++sv->nbuilds);
	build_opts_t bo = *sv->opts;
	bo.out = dir.ptr;
	bo.hcache = sv->hcache;
	bo.mcache = sv->mcache;
	bo.inject = reload_script;
	/* the files equal to the last good build's are linked from it, not
	 * written (out_share); only this thread replaces sv->cur */
	bo.share = sv->cur ? sv->cur->root : NULL;
	if (!bo.base_url)
		bo.base_url = sv->base_url;
	diag_t *d = diag_new();
	struct announce an = { sv, d, 0 };
	buf_t trash = BUF_INIT;
	if (announce) {
		bo.ready = serve_ready;
		bo.ready_cls = &an;
		bo.cancel = &sv->cancel;
		buf_printf(&trash, "%s/dropped-%lu", sv->tmp, sv->nbuilds);
		bo.trash = trash.ptr;
	}
	char *err = NULL;
	long long t0 = now_ms();
	int rc = build_run(&bo, d, true, &err);
	built_t *nb = NULL, *old = NULL;
	if (rc == BUILD_CANCELLED) {
		/* a newer build follows at once; what waits for this one waits
		 * for it */
		pthread_mutex_lock(&sv->lock);
		if (timing(sv))
			fprintf(stderr, "plansite: serve    %.3f s to drop the rest of the build\n",
				(double)(now_ms() - sv->cancel_at) / 1000.0);
		old = sv->early;
		sv->early = NULL;
		pthread_cond_broadcast(&sv->changed);
		pthread_mutex_unlock(&sv->lock);
		struct stat st;
		if (lstat(trash.ptr, &st) == 0)
			reap(sv, buf_detach(&trash));
		goto out;
	}
	char *msgs = diag_format(d);
	buf_puts(&rep, msgs);
	size_t diag_len = rep.len;
	free(msgs);
	if (err)
		buf_printf(&rep, _("plansite: error: %s\n"), err);
	if (rc == BUILD_OK) {
		char *real = realpath(dir.ptr, NULL);
		if (real) {
			nb = xcalloc(1, sizeof(*nb));
			nb->root = real;
			nb->refs = 1;
		} else {
			buf_printf(&rep, _("plansite: error: %s: %s\n"), dir.ptr, strerror(errno));
			rc = BUILD_ENV;
		}
	}
	if (rep.len)
		fwrite(rep.ptr, 1, rep.len, stderr);
	if (nb)
		fprintf(stderr, _("plansite: dựng xong trong %.2f s (%zu cảnh báo)\n"),
			(double)(now_ms() - t0) / 1000.0, diag_warnings(d));
	else
		fprintf(stderr, _("plansite: dựng không thành (%zu lỗi); %s\n"), diag_errors(d),
			sv->cur ? _("vẫn phục vụ bản dựng tốt gần nhất") : _("chưa có gì để phục vụ"));
	/* announced already, with the same messages: the pages shown are
	 * these, nothing to reload */
	int same = nb && an.announced && !strcmp(sv->report, rep.ptr ? rep.ptr : "");
	/* the report is exactly d's text: the next edit compares messages */
	int exact = nb && !err && rep.len == diag_len;
	overlay_t *ov = same ? NULL : overlay_make(rep.ptr, !nb);
	pthread_mutex_lock(&sv->lock);
	if (nb) {
		old = sv->cur;
		sv->cur = nb;
	}
	built_t *early = sv->early;
	sv->early = NULL;
	sv->failed = !nb;
	free(sv->report);
	sv->report = buf_detach(&rep);
	diag_t *old_d = sv->rdiag;
	sv->rdiag = exact ? d : NULL;
	overlay_t *old_ov = NULL;
	if (!same) {
		old_ov = sv->overlay;
		sv->overlay = ov;
		sv->gen++;
	}
	sv->done = sv->gen;
	pthread_cond_broadcast(&sv->changed);
	pthread_mutex_unlock(&sv->lock);
	built_release(sv, early);
	overlay_release(sv, old_ov);
	diag_free(old_d);
	if (exact)
		d = NULL;   /* sv->rdiag */
out:
	built_release(sv, old);
	free(err);
	diag_free(d);
	buf_free(&dir);
	buf_free(&rep);
	buf_free(&trash);
	return rc;
}

/* The builder thread: one build at a time, whenever the main loop asks
 * (a build asked for while one runs cancels the rest of it). */
static void *builder(void *arg)
{
	server_t *sv = arg;
	pthread_mutex_lock(&sv->lock);
	for (;;) {
		while (!sv->want && !sv->stopping)
			pthread_cond_wait(&sv->wake, &sv->lock);
		if (sv->stopping)
			break;
		sv->want = 0;
		sv->build_from = sv->changed_at;
		if (timing(sv))
			fprintf(stderr, "plansite: serve    %.3f s from the change to the build\n",
				(double)(now_ms() - sv->build_from) / 1000.0);
		sv->building = 1;
		sv->urgent = 1;
		atomic_store(&sv->cancel, 0);
		pthread_mutex_unlock(&sv->lock);
		rebuild(sv, 1);
		pthread_mutex_lock(&sv->lock);
		sv->building = 0;
		sv->urgent = 0;
		pthread_cond_signal(&sv->reap);
	}
	pthread_mutex_unlock(&sv->lock);
	return NULL;
}

/* Asks the builder thread for a build of what is there now (changed at
 * `when`, now_ms). */
static void want_build(server_t *sv, long long when)
{
	pthread_mutex_lock(&sv->lock);
	sv->want = 1;
	sv->changed_at = when;
	if (sv->building && !atomic_load(&sv->cancel)) {
		atomic_store(&sv->cancel, 1);
		sv->cancel_at = now_ms();
	}
	pthread_cond_signal(&sv->wake);
	pthread_mutex_unlock(&sv->lock);
}

/* ---- the server -------------------------------------------------------- */

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* MHD does not say why it could not listen: ask the system first. */
static int port_error(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = loopback(port);
	int e = bind(s, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
	close(s);
	return e;
}

/* How many connections the server takes: all the descriptors the process
 * may open (the soft limit raised to the hard one), less a margin for the
 * builds, up to MAX_CONN. */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		if (want > rl.rlim_cur) {
			struct rlimit r2 = { want, rl.rlim_max };
			if (setrlimit(RLIMIT_NOFILE, &r2) == 0)
				rl.rlim_cur = want;
		}
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > MAX_CONN + FD_MARGIN)
		return MAX_CONN;
	return rl.rlim_cur > FD_MARGIN + 16 ? (unsigned)(rl.rlim_cur - FD_MARGIN) : 16;
}

/* Signals are taken from a signalfd in the main loop; blocking them first
 * makes every thread started later (server, renderers) inherit the mask,
 * so only the loop sees them.  The mask is left as it is on return: the
 * process is about to exit, and a second Ctrl-C must not kill it halfway
 * through the cleanup.  Returns the signalfd, or -1 after a message. */
static int signals_to_fd(void)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		fprintf(stderr, "plansite: error: signalfd: %s\n", strerror(errno));
	return sfd;
}

/* 0 when the port can be listened on, else -1 after a message. */
static int port_check(int port)
{
	int perr = port_error(port);
	if (!perr)
		return 0;
	if (perr == EADDRINUSE)
		fprintf(stderr, _("plansite: error: cổng %d trên 127.0.0.1 đang được dùng; chọn cổng khác với --port N\n"), port);
	else
		fprintf(stderr, _("plansite: error: không mở được cổng 127.0.0.1:%d: %s\n"), port,
			strerror(perr));
	return -1;
}

/* Watches the content folder (with --worktree) and the theme, which is read
 * from disk on every build, with or without --worktree.  content_dir and
 * *theme_dir hold the paths and must outlive w. */
static void watch_folders(watch_t *w, const build_opts_t *o, repo_t *repo, buf_t *content_dir,
			  char **theme_dir)
{
	const char *workdir = repo_workdir(repo);
	if (o->worktree && *workdir) {
		buf_printf(content_dir, "%s%s%s", workdir,
			   workdir[strlen(workdir) - 1] == '/' ? "" : "/",
			   o->content ? o->content : "content");
		w->roots[w->nroots++] = content_dir->ptr;
	}
	*theme_dir = theme_locate(o->theme);
	w->roots[w->nroots++] = *theme_dir;
	watch_reset(w);
}

/* Where the private builds go when TMPDIR does not say: a memory file
 * system when there is one with room (a site is rebuilt, its folders made
 * and the previous one removed, on every edit: in memory that costs no disk
 * work, as Hugo's server renders to memory), else /tmp. */
static const char *tmp_base(void)
{
	const char *env = getenv("TMPDIR");
	if (env && *env)
		return env;
	struct statfs fs;
	if (statfs(SHM_DIR, &fs) == 0 && fs.f_type == TMPFS_MAGIC && access(SHM_DIR, W_OK | X_OK) == 0 &&
	    (unsigned long long)fs.f_bavail * (unsigned long long)fs.f_bsize >= SHM_MIN_FREE)
		return SHM_DIR;
	return "/tmp";
}

/* The folder the builds are published into (sv->tmp); 0 or -1 after a
 * message. */
static int make_tmp(server_t *sv)
{
	buf_t tmpl = BUF_INIT;
	buf_printf(&tmpl, "%s/plansite-serve-XXXXXX", tmp_base());
	sv->tmp = buf_detach(&tmpl);
	if (mkdtemp(sv->tmp))
		return 0;
	fprintf(stderr, _("plansite: error: không tạo được thư mục tạm %s: %s\n"), sv->tmp,
		strerror(errno));
	free(sv->tmp);
	sv->tmp = NULL;
	return -1;
}

/* The HTTP server on 127.0.0.1:port, or NULL after a message. */
static struct MHD_Daemon *start_daemon(server_t *sv, int port)
{
	struct sockaddr_in addr = loopback(port);
	sv->port = port;
	unsigned limit = connection_limit();
	/* poll, not select: no FD_SETSIZE ceiling; a thread per connection with
	 * a small stack, so a thousand idle or half-sent requests (slowloris)
	 * neither exhaust the connections nor block a real one; each client
	 * address gets at most PER_IP of them, and a request that stalls is
	 * dropped after TIMEOUT_S (the event stream speaks every KEEPALIVE_S) */
	struct MHD_Daemon *daemon =
		MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				 (uint16_t)port, NULL, NULL, on_request, sv,
				 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				 MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
				 MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
				 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT_S,
				 MHD_OPTION_CONNECTION_LIMIT, limit,
				 MHD_OPTION_PER_IP_CONNECTION_LIMIT, limit > PER_IP ? (unsigned)PER_IP : limit,
				 MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_BYTES,
				 MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				 MHD_OPTION_END);
	if (!daemon)
		fprintf(stderr, "plansite: error: cannot start the server on 127.0.0.1:%d "
				"(is the port in use? choose another with --port N)\n", port);
	return daemon;
}

/* What the main loop watches: the ref (polled), the watched folders'
 * events (debounced), the signals. */
struct loop {
	server_t *sv;
	repo_t *repo;
	watch_t *w;
	int sfd;
	git_oid head;           /* the ref's commit at the last build */
	int have_head;
	long long next_poll, quiet_at, dirty_since;
};

/* Whether the ref now names another commit (or none, or one again). */
static int ref_moved(struct loop *l)
{
	char *err = NULL;
	git_oid id;
	int have = repo_resolve(l->repo, l->sv->opts->ref, &id, &err) == 0;
	free(err);
	if (have == l->have_head && (!have || git_oid_equal(&id, &l->head)))
		return 0;
	l->have_head = have;
	if (have)
		git_oid_cpy(&l->head, &id);
	return 1;
}

/* Waits for the next thing to do; 1 when a build is due, 0 when not yet,
 * -1 when the server must stop (a signal, or poll failed). */
static int loop_wait(struct loop *l)
{
	long long now = now_ms();
	long long wake = l->next_poll;
	if (l->dirty_since) {
		long long due = l->quiet_at < l->dirty_since + DEBOUNCE_MAX_MS
					? l->quiet_at : l->dirty_since + DEBOUNCE_MAX_MS;
		if (due < wake)
			wake = due;
	}
	struct pollfd pf[2] = { { .fd = l->sfd, .events = POLLIN }, { .fd = l->w->fd, .events = POLLIN } };
	int n = poll(pf, l->w->fd >= 0 ? 2 : 1, wake > now ? (int)(wake - now) : 0);
	if (n < 0 && errno != EINTR) {
		fprintf(stderr, "plansite: error: poll: %s\n", strerror(errno));
		return -1;
	}
	if (n > 0 && (pf[0].revents & POLLIN)) {
		struct signalfd_siginfo si;
		if (read(l->sfd, &si, sizeof si) == (ssize_t)sizeof si)
			return -1;
	}
	now = now_ms();
	if (n > 0 && l->w->fd >= 0 && (pf[1].revents & POLLIN)) {
		int reset = 0;
		int ch = watch_drain(l->w, &reset);
		if (ch) {
			if (!l->dirty_since)
				l->dirty_since = now;
			/* a file closed after writing is complete: build at once,
			 * unless more follows right away (a checkout, a save
			 * through a temporary file) */
			l->quiet_at = now + (ch == WATCH_SETTLED ? SETTLED_MS : DEBOUNCE_MS);
		}
		if (reset)
			watch_reset(l->w);
	}
	int build = 0;
	if (now >= l->next_poll) {
		l->next_poll = now + REF_POLL_MS;
		if (l->w->incomplete) {
			watch_reset(l->w);
			if (!l->w->incomplete)
				build = 1;   /* the content folder is back */
		}
		build |= ref_moved(l);
	}
	if (l->dirty_since && (now >= l->quiet_at || now >= l->dirty_since + DEBOUNCE_MAX_MS))
		build = 1;
	return build;
}

/* Rebuilds whenever the ref moves or the watched folders change (after
 * they have been quiet a moment), until a signal. */
static void serve_loop(struct loop *l)
{
	l->next_poll = now_ms() + REF_POLL_MS;
	for (int r; (r = loop_wait(l)) >= 0;)
		if (r) {
			want_build(l->sv, l->dirty_since ? l->dirty_since : now_ms());
			l->dirty_since = 0;
		}
}

int serve_run(const build_opts_t *o, int port)
{
	int rc = 2;
	server_t sv = { .opts = o, .hcache = hcache_new(), .mcache = model_cache_new() };
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&sv.lock, NULL);
	pthread_cond_init(&sv.changed, &ca);
	pthread_cond_init(&sv.wake, NULL);
	pthread_condattr_destroy(&ca);
	pthread_t bt, rt;
	int have_builder = 0, have_reaper = 0;
	pthread_cond_init(&sv.reap, NULL);
	struct MHD_Daemon *daemon = NULL;
	repo_t *repo = NULL;
	char *err = NULL, *theme_dir = NULL;
	buf_t content_dir = BUF_INIT, url = BUF_INIT;
	watch_t w = { .fd = -1 };
	int sfd = signals_to_fd();
	if (sfd < 0 || port_check(port) < 0)
		goto out;
	if (repo_open(&repo, o->repo, &err) < 0) {
		fprintf(stderr, _("plansite: error: %s\n"), err);
		goto out;
	}
	watch_folders(&w, o, repo, &content_dir, &theme_dir);
	if (make_tmp(&sv) < 0)
		goto out;
	buf_printf(&url, "http://127.0.0.1:%d/", port);
	sv.base_url = url.ptr;

	struct loop l = { .sv = &sv, .repo = repo, .w = &w, .sfd = sfd };
	l.have_head = repo_resolve(repo, o->ref, &l.head, &err) == 0;
	free(err);
	err = NULL;
	if (rebuild(&sv, 0) == BUILD_ENV && !sv.cur)
		goto out;
	if (pthread_create(&rt, NULL, reaper, &sv) == 0) {
		have_reaper = 1;
		pthread_mutex_lock(&sv.lock);
		sv.reaping = 1;
		pthread_mutex_unlock(&sv.lock);
	}
	if (pthread_create(&bt, NULL, builder, &sv)) {
		fprintf(stderr, "plansite: error: pthread_create: %s\n", strerror(errno));
		goto out;
	}
	have_builder = 1;
	if (!(daemon = start_daemon(&sv, port)))
		goto out;
	fprintf(stderr, "Serving %s (Ctrl-C to stop)\n", url.ptr);
	serve_loop(&l);
	rc = 0;
out:
	pthread_mutex_lock(&sv.lock);
	sv.stopping = 1;
	atomic_store(&sv.cancel, 1);
	pthread_cond_broadcast(&sv.changed);
	pthread_cond_signal(&sv.wake);
	pthread_mutex_unlock(&sv.lock);
	pthread_cond_signal(&sv.reap);
	if (have_builder)
		pthread_join(bt, NULL);
	if (have_reaper)
		pthread_join(rt, NULL);
	/* what the reaper had left goes with the whole folder below */
	sv.reaping = 0;
	for (size_t i = 0; i < sv.ndead; i++)
		free(sv.dead[i]);
	free(sv.dead);
	if (daemon)
		MHD_stop_daemon(daemon);
	built_release(&sv, sv.cur);
	if (sv.tmp)
		out_rmtree(sv.tmp);
	if (rc == 0)
		fputs("plansite: stopped\n", stderr);
	free(sv.tmp);
	free(sv.report);
	diag_free(sv.rdiag);
	overlay_release(&sv, sv.overlay);
	hcache_free(sv.hcache);
	model_cache_free(sv.mcache);
	free(theme_dir);
	free(err);
	buf_free(&content_dir);
	buf_free(&url);
	if (w.fd >= 0)
		close(w.fd);
	if (sfd >= 0)
		close(sfd);
	repo_free(repo);
	pthread_cond_destroy(&sv.changed);
	pthread_cond_destroy(&sv.wake);
	pthread_cond_destroy(&sv.reap);
	pthread_mutex_destroy(&sv.lock);
	return rc;
}
