/* repo.c: reading content files from a Git commit or the working tree. */
#include "repo.h"

#include "fetch.h"
#include "odbenv.h"

#include <dirent.h>
#include <git2/sys/alloc.h>
#include <git2/sys/repository.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct repo {
	git_repository *git;
	repo_known_fn known;   /* repo_set_known */
	void *known_cls;
};

void repo_set_known(repo_t *r, repo_known_fn known, void *cls)
{
	r->known = known;
	r->known_cls = cls;
}

int repo_fill(repo_t *r, snap_t *s, char **err)
{
	for (size_t i = 0; i < s->n; i++) {
		rfile_t *f = &s->files[i];
		if (f->data || git_oid_is_zero(&f->oid))
			continue;
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, r->git, &f->oid) < 0) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof hex, &f->oid);
			const git_error *e = git_error_last();
			size_t rl = strlen(f->rel), pl = strlen(f->path);
			char *content = xstrndup(f->path, pl > rl ? pl - rl - 1 : 0);
			buf_t b = BUF_INIT;
			buf_printf(&b, _("%s/%s: không đọc được tệp từ kho Git (đối tượng %.12s): %s; "
				     "kho bị hỏng: hãy chạy git fsck và lấy lại đối tượng từ một bản sao tốt"),
				   content, f->rel, hex, e && e->message ? e->message : _("lỗi không rõ"));
			free(content);
			*err = buf_detach(&b);
			return -1;
		}
		size_t len = (size_t)git_blob_rawsize(blob);
		char *data = xmalloc(len + 1);
		memcpy(data, git_blob_rawcontent(blob), len);
		data[len] = '\0';
		git_blob_free(blob);
		f->data = data;
		f->len = len;
	}
	return 0;
}

static char *git_err(const char *what)
{
	const git_error *e = git_error_last();
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s: %s", what, e && e->message ? e->message : _("lỗi không rõ"));
	return buf_detach(&b);
}

/* libgit2 allocates with the C library's malloc, as its standard allocator
 * does, said here because fetch.c relies on it: a blob a backend read is
 * handed out as a text that its taker frees with free(), not copied. */
static void *ga_malloc(size_t n, const char *file, int line)
{
	(void)file, (void)line;
	return malloc(n);
}

static void *ga_calloc(size_t nelem, size_t elsize, const char *file, int line)
{
	(void)file, (void)line;
	return calloc(nelem, elsize);
}

static char *ga_strdup(const char *str, const char *file, int line)
{
	(void)file, (void)line;
	return strdup(str);
}

static char *ga_strndup(const char *str, size_t n, const char *file, int line)
{
	(void)file, (void)line;
	return strndup(str, n);
}

static char *ga_substrdup(const char *str, size_t n, const char *file, int line)
{
	(void)file, (void)line;
	char *p = n < SIZE_MAX ? malloc(n + 1) : NULL;
	if (p) {
		memcpy(p, str, n);
		p[n] = '\0';
	}
	return p;
}

static void *ga_realloc(void *ptr, size_t size, const char *file, int line)
{
	(void)file, (void)line;
	return realloc(ptr, size);
}

static void *ga_reallocarray(void *ptr, size_t nelem, size_t elsize, const char *file, int line)
{
	(void)file, (void)line;
	return reallocarray(ptr, nelem, elsize);
}

static void *ga_mallocarray(size_t nelem, size_t elsize, const char *file, int line)
{
	(void)file, (void)line;
	return reallocarray(NULL, nelem, elsize);
}

static git_allocator git_alloc = {
	ga_malloc, ga_calloc, ga_strdup, ga_strndup, ga_substrdup, ga_realloc, ga_reallocarray, ga_mallocarray, free,
};

#define REPO_MWINDOW ((size_t)4 << 20)
#define REPO_MWINDOW_LIMIT ((size_t)16 << 20)

int repo_open(repo_t **out, const char *path, char **err)
{
	static int inited;
	if (!inited) {
		git_libgit2_init();
		git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &git_alloc);
		/* every object of the built commit is checked against its id
		 * (libgit2's default, said here because it matters): a loose
		 * object replaced by another valid one would otherwise publish
		 * the wrong text without a word.  Only the history pass, which
		 * reads old versions by the thousand, turns it off (hlog.c). */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
		/* packs are mapped a window at a time, and the windows not used
		 * lately are unmapped past a total: the history reads a
		 * portal's pack whole (hundreds of MB at 10,000 plans), and
		 * each page of it read stayed in the resident memory while
		 * mapped (libgit2's defaults: 1 GB windows, 8 GB in all) */
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)REPO_MWINDOW);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)REPO_MWINDOW_LIMIT);
		inited = 1;
	}
	*out = NULL;
	git_repository *g = NULL;
	int rc;
	if (path)
		rc = git_repository_open_ext(&g, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		rc = git_repository_open_ext(&g, ".", 0, NULL);
	if (rc < 0) {
		buf_t b = BUF_INIT;
		buf_printf(&b, _("không phải kho Git: %s"), path ? path : _("(thư mục hiện tại)"));
		*err = buf_detach(&b);
		return -1;
	}
	/* in a pre-receive hook the pushed objects are only in the folders
	 * Git names in the environment */
	if (odbenv_apply(g, err) < 0) {
		git_repository_free(g);
		return -1;
	}
	repo_t *r = xcalloc(1, sizeof(*r));
	r->git = g;
	*out = r;
	return 0;
}

void repo_free(repo_t *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r);
}

void repo_forget_objects(repo_t *r)
{
	git_repository__cleanup(r->git);
	char *err = NULL;
	if (odbenv_apply(r->git, &err) < 0)
		free(err);   /* it applied when the repository opened: never */
}

git_repository *repo_git(repo_t *r)
{
	return r->git;
}

const char *repo_workdir(repo_t *r)
{
	const char *w = git_repository_workdir(r->git);
	return w ? w : "";
}

int repo_resolve(repo_t *r, const char *ref, git_oid *out, char **err)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, r->git, ref ? ref : "HEAD") < 0) {
		buf_t b = BUF_INIT;
		buf_printf(&b, _("không có phiên bản \"%s\" (nhánh, thẻ hoặc commit) trong kho"), ref ? ref : "HEAD");
		*err = buf_detach(&b);
		return -1;
	}
	git_object *commit = NULL;
	int rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		buf_t b = BUF_INIT;
		buf_printf(&b, _("\"%s\" không phải là một commit"), ref ? ref : "HEAD");
		*err = buf_detach(&b);
		return -1;
	}
	git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

struct collect {
	arena_t *a;
	diag_t *d;
	git_repository *git;
	repo_known_fn known;   /* blobs not to read (repo_set_known) */
	void *known_cls;
	const char *content;   /* "content" (no trailing slash) */
	buf_t files;           /* rfile_t array */
	buf_t pending;         /* struct pending array: blobs to read */
	int failed;
	char *err;
};

/* A blob found by the tree walk, read afterwards in pack order. */
struct pending {
	const char *rel;
	git_oid oid;
};

/* Adds a file; its content (malloc'd, NUL-terminated) is the snapshot's. */
static void push_file(struct collect *c, const char *rel, char *data,
		      size_t len, const git_oid *oid)
{
	rfile_t f = { 0 };
	f.path = arena_printf(c->a, "%s/%s", c->content, rel);
	f.rel = f.path + strlen(c->content) + 1;
	f.data = data;
	f.len = len;
	if (oid)
		git_oid_cpy(&f.oid, oid);
	buf_put(&c->files, (const char *)&f, sizeof(f));
}

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct collect *c = payload;
	git_filemode_t mode = git_tree_entry_filemode(e);
	const char *name = git_tree_entry_name(e);
	char *rel = arena_printf(c->a, "%s%s", root, name);
	/* the path of a message, made only for one: 10,000 entries are not */
	loc_t loc = { NULL, 0, 0 };
	if (mode == GIT_FILEMODE_LINK || mode == GIT_FILEMODE_COMMIT)
		loc.path = arena_printf(c->a, "%s/%s", c->content, rel);
	switch (mode) {
	case GIT_FILEMODE_TREE:
		return 0;
	case GIT_FILEMODE_LINK:
		diag_warning_fix(c->d, &loc, "W001", _("thay liên kết bằng chính tệp đó"),
				 _("bỏ qua liên kết tượng trưng (symlink)"));
		return 0;
	case GIT_FILEMODE_COMMIT:
		diag_warning_fix(c->d, &loc, "W002", _("chép nội dung vào kho thay cho submodule"),
				 _("bỏ qua submodule"));
		return 0;
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE: {
		struct pending pd = { rel, *git_tree_entry_id(e) };
		buf_put(&c->pending, (const char *)&pd, sizeof(pd));
		return 0;
	}
	default:
		return 0;
	}
}

/* Reads the blobs the walk found, in pack order on reader threads. */
static int read_pending(struct collect *c, char **err)
{
	size_t n = c->pending.len / sizeof(struct pending);
	const struct pending *pd = (const struct pending *)c->pending.ptr;
	if (!n)
		return 0;
	/* the blobs whose content is kept elsewhere are not read: their
	 * length is known */
	size_t *klen = xmalloc(n * sizeof(*klen));
	bool *kept = xcalloc(n, sizeof(*kept));
	fetch_t *f = fetch_start(c->git);
	fetch_verify(f);
	for (size_t i = 0; i < n; i++) {
		if (c->known && c->known(c->known_cls, pd[i].rel, &pd[i].oid, &klen[i]))
			kept[i] = true;
		else
			fetch_push(f, &pd[i].oid);
	}
	int rc = 0;
	for (size_t i = 0, j = 0; i < n; i++) {
		if (kept[i]) {
			push_file(c, pd[i].rel, NULL, klen[i], &pd[i].oid);
			continue;
		}
		size_t len;
		char *data = fetch_get(f, j++, c->git, &len);
		if (!data) {
			/* read again on this thread, where libgit2 keeps the
			 * reason (a hash mismatch, a damaged object) */
			git_blob *blob = NULL;
			const git_error *e = NULL;
			if (git_blob_lookup(&blob, c->git, &pd[i].oid) < 0)
				e = git_error_last();
			git_blob_free(blob);
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof hex, &pd[i].oid);
			buf_t b = BUF_INIT;
			buf_printf(&b, _("%s/%s: không đọc được tệp từ kho Git (đối tượng %.12s): %s; "
				     "kho bị hỏng: hãy chạy git fsck và lấy lại đối tượng từ một bản sao tốt"),
				   c->content, pd[i].rel, hex, e && e->message ? e->message : _("lỗi không rõ"));
			*err = buf_detach(&b);
			rc = -1;
			break;
		}
		push_file(c, pd[i].rel, data, len, &pd[i].oid);
	}
	fetch_stop(f);
	free(klen);
	free(kept);
	return rc;
}

static int path_cmp(const void *x, const void *y)
{
	return strcmp(((const rfile_t *)x)->path, ((const rfile_t *)y)->path);
}

/* Walks dir (absolute) with rel as the content-relative prefix. */
static void walk_dir(struct collect *c, const char *dir, const char *rel)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		if (!c->failed) {
			buf_t b = BUF_INIT;
			buf_printf(&b, _("không đọc được %s: %s"), dir, strerror(errno));
			c->err = buf_detach(&b);
			c->failed = 1;
		}
		return;
	}
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..") ||
					     !strcmp(de->d_name, ".git")))
			continue;
		char *full = arena_printf(c->a, "%s/%s", dir, de->d_name);
		char *r = arena_printf(c->a, "%s%s", rel, de->d_name);
		struct stat st;
		if (lstat(full, &st) < 0)
			continue;
		loc_t loc = { arena_printf(c->a, "%s/%s", c->content, r), 0, 0 };
		if (S_ISLNK(st.st_mode)) {
			diag_warning_fix(c->d, &loc, "W001", _("thay liên kết bằng chính tệp đó"),
					 _("bỏ qua liên kết tượng trưng (symlink)"));
		} else if (S_ISDIR(st.st_mode)) {
			struct stat g;
			char *gitfile = arena_printf(c->a, "%s/.git", full);
			if (lstat(gitfile, &g) == 0)
				diag_warning_fix(c->d, &loc, "W002", _("chép nội dung vào kho thay cho submodule"),
						 _("bỏ qua submodule"));
			else
				walk_dir(c, full, arena_printf(c->a, "%s/", r));
		} else if (S_ISREG(st.st_mode)) {
			char *data;
			size_t len;
			if (util_read_file(full, &data, &len) < 0) {
				diag_error(c->d, &loc, "E093", _("không đọc được tệp: %s"), strerror(errno));
				continue;
			}
			push_file(c, r, data, len, NULL);
		}
	}
	closedir(dp);
}

static void set_time(git_commit *commit, snap_t *out)
{
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));
	out->time = (int64_t)git_commit_time(commit);
	out->tz = git_commit_time_offset(commit);
}

size_t repo_content_trim(const char **content)
{
	const char *c = *content;
	while (c[0] == '.' && c[1] == '/')
		c += 2;
	size_t cl = strlen(c);
	while (cl > 1 && c[cl - 1] == '/')
		cl--;
	*content = c;
	return cl;
}

int repo_snapshot(repo_t *r, arena_t *a, diag_t *d, const char *ref,
		  const char *content, bool worktree, snap_t *out, char **err)
{
	memset(out, 0, sizeof(*out));
	/* the contents are the readers' buffers, kept as they are */
	struct collect c = { .a = a, .d = d, .git = r->git, .known = r->known, .known_cls = r->known_cls };
	size_t cl = repo_content_trim(&content);
	c.content = arena_strndup(a, content, cl);
	if (strstr(c.content, "..") || c.content[0] == '/') {
		buf_t b = BUF_INIT;
		buf_printf(&b, _("--content phải là một thư mục trong kho: %s"), content);
		*err = buf_detach(&b);
		return -1;
	}
	int rc = -1;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_tree *sub = NULL;

	if (worktree) {
		const char *wd = git_repository_workdir(r->git);
		if (!wd) {
			*err = xstrdup(_("--worktree cần một kho có thư mục làm việc (kho này là kho trần, bare)"));
			goto out;
		}
		out->worktree = true;
		git_oid oid;
		char *ignored = NULL;
		if (repo_resolve(r, ref, &oid, &ignored) == 0 &&
		    git_commit_lookup(&commit, r->git, &oid) == 0)
			set_time(commit, out);
		free(ignored);
		char *dir = arena_printf(a, "%s%s", wd, c.content);
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			buf_t b = BUF_INIT;
			buf_printf(&b, _("không có thư mục nội dung \"%s\" trong thư mục làm việc"), c.content);
			*err = buf_detach(&b);
			goto out;
		}
		walk_dir(&c, dir, "");
		if (c.failed) {
			*err = c.err;
			c.err = NULL;
			goto out;
		}
	} else {
		git_oid oid;
		if (repo_resolve(r, ref, &oid, err) < 0)
			goto out;
		if (git_commit_lookup(&commit, r->git, &oid) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			*err = git_err(_("đọc commit"));
			goto out;
		}
		set_time(commit, out);
		if (git_tree_entry_bypath(&entry, tree, c.content) < 0 ||
		    git_tree_entry_type(entry) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, r->git, git_tree_entry_id(entry)) < 0) {
			buf_t b = BUF_INIT;
			buf_printf(&b, _("không có thư mục nội dung \"%s\" ở %s"), c.content, ref ? ref : "HEAD");
			*err = buf_detach(&b);
			goto out;
		}
		if (git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &c) < 0 || c.failed) {
			*err = c.err ? c.err : git_err(_("đọc cây thư mục của commit"));
			c.err = NULL;
			goto out;
		}
		if (read_pending(&c, err) < 0)
			goto out;
	}
	out->n = c.files.len / sizeof(rfile_t);
	out->files = arena_alloc(a, (out->n + 1) * sizeof(rfile_t));
	if (out->n)
		memcpy(out->files, c.files.ptr, c.files.len);
	qsort(out->files, out->n, sizeof(rfile_t), path_cmp);
	rc = 0;
out:
	if (rc < 0)   /* the contents read before the failure */
		for (size_t i = 0; i < c.files.len / sizeof(rfile_t); i++)
			free((char *)((rfile_t *)c.files.ptr)[i].data);
	buf_free(&c.files);
	buf_free(&c.pending);
	free(c.err);
	git_tree_free(sub);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

void snap_release_data(snap_t *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free((char *)s->files[i].data);
		s->files[i].data = NULL;
	}
}
