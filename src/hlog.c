/* hlog.c: the history as Git holds it: the first-parent chain, the plan
 * files each commit changed, and every version of them parsed, newest first,
 * each from the version after it. */
#include "hlog.h"

#include "fetch.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rd {
	hlog_t *log;
	hver_ctx_t *vc;
	arena_t *a;
	const site_t *s;
	git_repository *git;
	const char *prefix;         /* "content/plans/" */
	strmap_t *known;            /* hex id -> hcommit_t, or NULL */
};

/* path is a source's file ("sources/ID/...", site.yaml sources). */
static bool of_source(const site_t *s, const char *path)
{
	if (strncmp(path, "sources/", 8))
		return false;
	for (size_t k = 0; k < s->nsources; k++) {
		size_t l = strlen(s->sources[k].id);
		if (!strncmp(path + 8, s->sources[k].id, l) && path[8 + l] == '/')
			return true;
	}
	return false;
}

static void seed(hver_ctx_t *vc, const site_t *s, const snap_t *snap, const char *under, rfile_t *files,
		 hver_layouts_t *taken)
{
	if (!snap || snap->worktree)
		return;
	size_t ul = under ? strlen(under) : 0;
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		/* a source's plans are its own history's (history.c), not
		 * the site repository's */
		if (under ? strncmp(p->path, under, ul) != 0 : of_source(s, p->path))
			continue;
		size_t lo = 0, hi = snap->n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(snap->files[mid].path, p->path);
			if (!c) {
				lo = mid;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= snap->n || strcmp(snap->files[lo].path, p->path))
			continue;
		const rfile_t *f = &snap->files[lo];
		bool had;
		const struct hlayout *pre = hver_layouts_get(taken, lo, &had);
		if ((f->data || had) && !hver_cached(vc, &f->oid))
			hver_put(vc, &f->oid, hver_from_plan(vc, p, f->data, f->len, pre));
		hver_layouts_drop(taken, lo);   /* copied, or not needed */
		if (files) {
			free((char *)f->data);
			files[lo].data = NULL;
		}
	}
}

void hlog_seed(hver_ctx_t *vc, const site_t *s, const snap_t *snap, const char *under)
{
	seed(vc, s, snap, under, NULL, NULL);
}

void hlog_seed_release(hver_ctx_t *vc, const site_t *s, snap_t *snap, hver_layouts_t *taken)
{
	seed(vc, s, snap, NULL, snap ? snap->files : NULL, taken);
}

static char *git_err(const char *what)
{
	const git_error *e = git_error_last();
	buf_t b = BUF_INIT;
	buf_printf(&b, _("lịch sử: %s: %s"), what, e && e->message ? e->message : _("lỗi không rõ"));
	return buf_detach(&b);
}

/* The plans folder of a commit, or NULL when it has none. */
static int plans_tree(struct rd *w, git_commit *c, git_tree **out, char **err)
{
	*out = NULL;
	git_tree *root = NULL;
	git_tree_entry *en = NULL;
	if (git_commit_tree(&root, c) < 0) {
		*err = git_err(_("đọc cây thư mục của một commit"));
		return -1;
	}
	size_t pl = strlen(w->prefix);
	char *dir = xstrndup(w->prefix, pl - 1);
	int rc = 0;
	if (git_tree_entry_bypath(&en, root, dir) == 0 && git_tree_entry_type(en) == GIT_OBJECT_TREE &&
	    git_tree_lookup(out, w->git, git_tree_entry_id(en)) < 0) {
		*err = git_err(_("đọc thư mục kế hoạch"));
		rc = -1;
	}
	free(dir);
	git_tree_entry_free(en);
	git_tree_free(root);
	return rc;
}

static bool blob_mode(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static void push_delta(struct rd *w, buf_t *out, const char *rel, const git_tree_entry *ea,
		       const git_tree_entry *eb)
{
	size_t rl = strlen(rel);
	if (rl < 3 || strcmp(rel + rl - 3, ".md"))
		return;
	hdelta_t d = { 0 };
	d.had = ea && blob_mode(git_tree_entry_filemode(ea));
	d.has = eb && blob_mode(git_tree_entry_filemode(eb));
	if (!d.had && !d.has)
		return;
	if (d.had)
		git_oid_cpy(&d.old_id, git_tree_entry_id(ea));
	if (d.has)
		git_oid_cpy(&d.new_id, git_tree_entry_id(eb));
	char *full = arena_printf(w->a, "%s%s", w->prefix, rel);
	d.path = hver_intern(w->vc, full);
	buf_put(out, (const char *)&d, sizeof(d));
}

/* The plan files that differ between trees a and b (either may be NULL),
 * under rel: the entries of both, in Git's order, compared by id, going
 * down only into folders whose ids differ (no file content is read).
 * git_diff_tree_to_tree would visit every entry of both trees, at each of
 * thousands of commits. */
static int tree_changes(struct rd *w, buf_t *out, const git_tree *a, const git_tree *b,
			const char *rel, int depth, char **err)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	if (depth > 64)
		return 0;
	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;
		i += ea != NULL;
		j += eb != NULL;
		if (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
			continue;
		const git_tree_entry *e = ea ? ea : eb;
		char *sub = arena_printf(w->a, "%s%s", rel, git_tree_entry_name(e));
		bool ta = ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE;
		bool tb = eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE;
		if (ta || tb) {
			git_tree *sa = NULL, *sb = NULL;
			int rc = 0;
			if ((ta && git_tree_lookup(&sa, w->git, git_tree_entry_id(ea)) < 0) ||
			    (tb && git_tree_lookup(&sb, w->git, git_tree_entry_id(eb)) < 0)) {
				*err = git_err(_("đọc một thư mục"));
				rc = -1;
			} else {
				rc = tree_changes(w, out, sa, sb, arena_printf(w->a, "%s/", sub), depth + 1, err);
			}
			git_tree_free(sa);
			git_tree_free(sb);
			if (rc < 0)
				return -1;
			/* a file replaced by a folder of the same name, or back */
			if (ta != tb)
				push_delta(w, out, sub, ta ? NULL : ea, tb ? NULL : eb);
			continue;
		}
		push_delta(w, out, sub, ea, eb);
	}
	return 0;
}

/* The plan files a commit changed (a rename is a deletion and an addition). */
static int commit_deltas(struct rd *w, hcommit_t *cm, git_tree *older, git_tree *cur, char **err)
{
	buf_t out = BUF_INIT;
	int rc = tree_changes(w, &out, older, cur, "", 0, err);
	cm->nd = out.len / sizeof(hdelta_t);
	cm->d = arena_alloc(w->a, (cm->nd + 1) * sizeof(hdelta_t));
	if (cm->nd)
		memcpy(cm->d, out.ptr, out.len);
	buf_free(&out);
	return rc;
}

/* The commit at k of the chain and its plans folder (NULL when none). */
static int load(struct rd *w, size_t k, git_tree **tree, char **err)
{
	git_commit *c = NULL;
	*tree = NULL;
	if (git_commit_lookup(&c, w->git, &w->log->commits[k].id) < 0) {
		*err = git_err(_("đọc một commit"));
		return -1;
	}
	hcommit_t *cm = &w->log->commits[k];
	cm->time = (int64_t)git_commit_time(c);
	cm->tz = git_commit_time_offset(c);
	cm->has_parent = git_commit_parentcount(c) > 0;
	if (cm->has_parent)
		git_oid_cpy(&cm->parent, git_commit_parent_id(c, 0));
	const git_signature *au = git_commit_author(c);
	const char *sum = git_commit_summary(c);
	cm->author = hver_intern(w->vc, au && au->name ? au->name : "");
	cm->subject = arena_strdup(w->a, sum ? sum : "");
	int rc = plans_tree(w, c, tree, err);
	git_commit_free(c);
	return rc;
}

/* First parents from the built commit back to the root, or to where the
 * history was cut (a shallow clone), into w->log->commits oldest first. */
static int chain(struct rd *w, char **err)
{
	hlog_t *h = w->log;
	git_oid id;
	git_commit *c = NULL;
	if (git_oid_fromstr(&id, w->s->commit) < 0 || git_commit_lookup(&c, w->git, &id) < 0) {
		*err = git_err(_("đọc commit được dựng"));
		return -1;
	}
	h->head_time = (int64_t)git_commit_time(c);
	h->head_tz = git_commit_time_offset(c);
	/* the parents of commits known are known too, unless this clone is
	 * shallow: where it is cut may have moved since they were learned */
	bool shallow = git_repository_is_shallow(w->git) == 1;
	strmap_t *known = shallow ? NULL : w->known;
	git_oid *oids = NULL;
	size_t n = 0, cap = 0;
	bool cut = false;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			oids = xrealloc(oids, cap * sizeof(*oids));
		}
		git_oid_cpy(&oids[n++], &id);
		char hex[GIT_OID_HEXSZ + 1];
		const hcommit_t *kc = NULL;
		if (known && !c) {
			git_oid_tostr(hex, sizeof hex, &id);
			kc = strmap_get(known, hex);
		}
		bool more;
		git_oid next;
		if (kc) {
			more = kc->has_parent;
			next = kc->parent;
		} else {
			more = git_commit_parentcount(c) > 0;
			if (more)
				git_oid_cpy(&next, git_commit_parent_id(c, 0));
			git_commit_free(c);
			c = NULL;
		}
		if (!more)
			break;
		if (known) {
			git_oid_tostr(hex, sizeof hex, &next);
			kc = strmap_get(known, hex);
		}
		/* a parent this clone lacks: the history is cut here */
		if (!kc && git_commit_lookup(&c, w->git, &next) < 0) {
			cut = true;
			break;
		}
		id = next;
	}
	git_commit_free(c);
	h->shallow = cut || shallow;
	h->n = n;
	h->commits = xcalloc(n + 1, sizeof(*h->commits));
	for (size_t k = 0; k < n; k++)
		git_oid_cpy(&h->commits[k].id, &oids[n - 1 - k]);
	free(oids);
	return 0;
}

static bool same_tree(const git_tree *x, const git_tree *y)
{
	if (!x || !y)
		return !x && !y;
	return git_oid_equal(git_tree_id(x), git_tree_id(y));
}

/* Newest to oldest: each commit's changed plan files, from `known` when an
 * earlier walk learned them (commit ids name their content and their
 * parents, so what was learned holds for ever), else by comparing its
 * plans folder with its first parent's. */
static int deltas(struct rd *w, char **err)
{
	git_tree *cur = NULL, *older = NULL;
	bool have_cur = false;          /* cur is commit k's plans folder */
	size_t n = w->log->n;
	for (size_t k = n; k-- > 0;) {
		hcommit_t *cm = &w->log->commits[k];
		/* a shallow clone's oldest is compared with nothing, not with
		 * its parent: that is not what the commit changed */
		bool keep = w->known && (k > 0 || !w->log->shallow);
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, &cm->id);
		const hcommit_t *kc = keep ? strmap_get(w->known, hex) : NULL;
		if (kc) {
			*cm = *kc;
			w->log->nknown++;
			git_tree_free(cur);
			cur = NULL;
			have_cur = false;
			continue;
		}
		if (!have_cur && load(w, k, &cur, err) < 0)
			goto fail;
		if (k > 0 && load(w, k - 1, &older, err) < 0)
			goto fail;
		if (!same_tree(older, cur) && commit_deltas(w, cm, older, cur, err) < 0)
			goto fail;
		git_tree_free(cur);
		cur = older;
		older = NULL;
		have_cur = k > 0;
		if (keep) {
			hcommit_t *c = arena_alloc(w->a, sizeof(*c));
			*c = *cm;
			strmap_put(w->known, arena_strdup(w->a, hex), c);
		}
	}
	git_tree_free(cur);
	return 0;
fail:
	git_tree_free(cur);
	git_tree_free(older);
	return -1;
}

/* The heap is trimmed every this many changes: what the parser frees (blob
 * texts, YAML trees, libgit2's buffers) stays in the malloc arenas, mostly
 * between chunks still in use, where glibc does not give it back by itself
 * (on 2,000 commits, 70 MB more than the heap in use by the end). */
#define HLOG_TRIM 1024

/* The limit of libgit2's object cache while the history is read (bytes),
 * the previous limit restored after. */
#define HLOG_CACHE ((size_t)1 << 20)

/* In pack order, the readers keep this many blobs ahead of the parser. */
#define HLOG_AHEAD 64

struct bd {
	const hdelta_t *d;
	size_t slot;        /* its earlier blob's number in the fetcher */
	uint64_t where;     /* where that blob lies in the packs */
	size_t seq;         /* its place in history order (newest first) */
};

/* Pack order, ascending (*dir 1) or descending (-1); history order within. */
static int by_where(const void *x, const void *y, void *dir)
{
	const struct bd *a = x, *b = y;
	if (a->where != b->where)
		return (a->where < b->where ? -1 : 1) * *(const int *)dir;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Every earlier blob not known yet, parsed near a version of the same file.
 *
 * libgit2 reads blobs fast in the order the packs hold them, and in any
 * other order it may rebuild long delta chains again and again: on the
 * bench corpus, 0.12 s in pack order against 1.0 s in history order.  So
 * the blobs are always read and parsed in pack order, in the direction
 * most of each file's versions follow (newest first in a pack Git wrote,
 * oldest first in some others; a repository with several packs mixes
 * both).  Each is parsed near the version after it when that one is parsed
 * already, else near the version of that file parsed last: any version of
 * the same file gives the same result, a nearer one only parses fewer of
 * its tasks. */
static void backward(struct rd *w)
{
	size_t nd = 0;
	for (size_t k = 0; k < w->log->n; k++)
		nd += w->log->commits[k].nd;
	struct bd *v = xmalloc((nd + 1) * sizeof(*v));
	size_t n = 0;
	fetch_t *f = NULL;
	for (size_t k = w->log->n; k-- > 0;)
		for (size_t i = 0; i < w->log->commits[k].nd; i++) {
			const hdelta_t *d = &w->log->commits[k].d[i];
			/* a file added: nothing before it; a version known
			 * (from the history cache, or twice in history) */
			if (!d->had || hver_known(w->vc, &d->old_id, d->path))
				continue;
			if (!f)
				f = fetch_start(w->git);
			v[n] = (struct bd){ .d = d, .seq = n };
			v[n].slot = fetch_push(f, &d->old_id);
			n++;
		}
	if (!f) {
		free(v);
		return;
	}
	/* each file's consecutive changes (newer, older): are their blobs in
	 * ascending or descending pack order? */
	strmap_t last = { 0 };
	size_t up = 0, down = 0;
	for (size_t j = 0; j < n; j++) {
		v[j].where = fetch_where(f, v[j].slot);
		const struct bd *a = strmap_get(&last, v[j].d->path);
		if (a)
			*(a->where < v[j].where ? &up : &down) += 1;
		strmap_put(&last, v[j].d->path, &v[j]);
	}
	strmap_free(&last);
	int dir = down > up ? -1 : 1;
	w->log->order = dir < 0 ? "reverse pack" : "pack";
	qsort_r(v, n, sizeof(*v), by_where, &dir);
	size_t *order = xmalloc((n + 1) * sizeof(size_t));
	for (size_t j = 0; j < n; j++)
		order[j] = v[j].slot;
	fetch_order(f, order, HLOG_AHEAD);
	free(order);
	strmap_t near = { 0 };   /* path -> the version of it parsed last */
	for (size_t j = 0; j < n; j++) {
		const hdelta_t *d = v[j].d;
		size_t len = 0;
		char *old = fetch_get(f, v[j].slot, w->git, &len);
		const hver_t *ref = d->has ? hver_cached(w->vc, &d->new_id) : NULL;
		if (!ref)
			ref = strmap_get(&near, d->path);
		const hver_t *x = hver_of(w->vc, &d->old_id, d->path, old, len, ref);
		free(old);
		if (!x->broken)
			strmap_put(&near, d->path, (void *)x);
		if ((j + 1) % HLOG_TRIM == 0)
			malloc_trim(0);
	}
	strmap_free(&near);
	fetch_stop(f);
	/* a few versions (a source's history, a build after a push) leave
	 * little to give back, and trimming walks the whole heap */
	if (n >= HLOG_TRIM)
		malloc_trim(0);
	free(v);
}

/* While the history is read: libgit2 caches the trees it reads up to 256
 * MB by default: the walk reads the plans folders of thousands of commits
 * once each (it keeps the one it compares with itself), so a large cache
 * only holds memory: on 2,000 commits it was tens of MB, with no gain in
 * time.  The built commit was read with every object's hash checked; the
 * older versions (thousands of blobs, shown only as history) are read as
 * Git reads them, trusting zlib's checksum.  *allowed: the limit to
 * restore (git_opts_end). */
static void git_opts_begin(ssize_t *allowed)
{
	ssize_t cached = 0;
	*allowed = 0;
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cached, allowed);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)HLOG_CACHE);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

static void git_opts_end(ssize_t allowed)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	if (allowed > 0)
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, allowed);
}

int hlog_read_commits(hlog_t *out, hver_ctx_t *vc, const site_t *s, const char *prefix, strmap_t *known,
		      char **err)
{
	memset(out, 0, sizeof(*out));
	struct rd w = { .log = out, .vc = vc, .a = vc->a, .s = s, .git = vc->git, .prefix = prefix,
			.known = known };
	if (!s->commit[0])
		return 0;
	if (chain(&w, err) < 0)
		return -1;
	ssize_t allowed;
	git_opts_begin(&allowed);
	int rc = deltas(&w, err);
	git_opts_end(allowed);
	return rc;
}

void hlog_read_versions(hlog_t *log, hver_ctx_t *vc)
{
	struct rd w = { .log = log, .vc = vc, .a = vc->a, .git = vc->git };
	if (!log->n)
		return;
	ssize_t allowed;
	git_opts_begin(&allowed);
	backward(&w);
	git_opts_end(allowed);
}

int hlog_read(hlog_t *out, hver_ctx_t *vc, const site_t *s, snap_t *snap, const char *prefix,
	      strmap_t *known, char **err)
{
	memset(out, 0, sizeof(*out));
	if (!s->commit[0])
		return 0;
	hlog_seed_release(vc, s, snap, NULL);
	/* versions keep fingerprints of their texts, not the texts: the built
	 * commit's are read no more (a source's log has none to give back:
	 * trimming walks the whole heap, once per source) */
	if (snap && snap->n) {
		snap_release_data(snap);
		malloc_trim(0);
	}
	if (hlog_read_commits(out, vc, s, prefix, known, err) < 0)
		return -1;
	hlog_read_versions(out, vc);
	return 0;
}

void hlog_free(hlog_t *h)
{
	free(h->commits);
	h->commits = NULL;
	h->n = 0;
}
