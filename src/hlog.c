/* hlog.c: the history as Git holds it: the first-parent chain, the plan
 * files each commit changed, and every version of them parsed, newest first,
 * each from the version after it. */
#include "hlog.h"

#include "fetch.h"
#include "mem.h"

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
	git_odb *odb;
	strmap_t dirs;              /* folder path -> the last version read (dir_read) */
	struct seen *seen;          /* by place in the chain: what chain() read */
	struct starts *last;        /* tree_changes: the last older folder's entries */
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

/* a and b[0..bn) joined in ar, as arena_printf("%s%.*s") makes it (the
 * same allocation), without a format to read: 12,000 paths on a cold 1k
 * build, 13.6M instructions through vsnprintf and a buffer's malloc. */
static char *arena_cat(arena_t *ar, const char *a, const char *b, size_t bn)
{
	char tmp[256];
	size_t an = strlen(a);
	if (an + bn >= sizeof tmp)
		return arena_printf(ar, "%s%.*s", a, (int)bn, b);
	memcpy(tmp, a, an);
	memcpy(tmp + an, b, bn);
	return arena_strndup(ar, tmp, an + bn);
}

static bool blob_mode(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* ---- folders as Git stores them ----
 *
 * A folder (a tree object) is its entries one after the other, in Git's
 * order: the mode in octal, a space, the name, a NUL, the 20-byte id.  Two
 * versions of a folder that differ in one file share all their bytes but
 * that file's id, so they are compared as bytes: the entries before the
 * first byte that differs and after the last one are the same entries.
 * At 10,000 plans a region's folder holds 800 files (40 KB), and each
 * commit changes a few of them. */

/* One entry of a raw folder. */
struct rent {
	const char *name;
	size_t nlen;
	unsigned mode;          /* as written */
	git_oid id;
	size_t end;             /* where the next entry starts */
};

/* libgit2's reading of a mode (git_tree_entry_filemode): a folder, a
 * submodule, a link, or a file, executable when any x bit is set. */
static git_filemode_t rent_filemode(unsigned m)
{
	if ((m & 0170000) == GIT_FILEMODE_TREE)
		return GIT_FILEMODE_TREE;
	if (m & 0100)
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if ((m & 0170000) == GIT_FILEMODE_COMMIT)
		return GIT_FILEMODE_COMMIT;
	if ((m & 0170000) == GIT_FILEMODE_LINK)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

static bool rent_is_tree(const struct rent *e)
{
	return (e->mode & 0170000) == GIT_FILEMODE_TREE;
}

/* The entry of p[0..n) at `at`; -1 when the folder is damaged there. */
static int rent_read(const unsigned char *p, size_t n, size_t at, struct rent *e)
{
	unsigned m = 0;
	size_t i = at;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		m = m << 3 | (unsigned)(p[i] - '0');
		if (m > 0xffff)
			return -1;
	}
	if (i == at || i >= n || p[i] != ' ')
		return -1;
	i++;
	const unsigned char *nul = memchr(p + i, '\0', n - i);
	if (!nul || nul == p + i || (size_t)(p + n - (nul + 1)) < GIT_OID_RAWSZ)
		return -1;
	e->name = (const char *)p + i;
	e->nlen = (size_t)(nul - (p + i));
	e->mode = m;
	git_oid_fromraw(&e->id, nul + 1);
	e->end = (size_t)(nul + 1 - p) + GIT_OID_RAWSZ;
	return 0;
}

/* Git's order of entries (git_tree_entry_cmp): by name, a folder's name
 * read as if it ended in "/". */
static int rent_cmp(const struct rent *a, const struct rent *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	unsigned ca = a->nlen > n ? (unsigned char)a->name[n] : rent_is_tree(a) ? '/' : 0;
	unsigned cb = b->nlen > n ? (unsigned char)b->name[n] : rent_is_tree(b) ? '/' : 0;
	return ca < cb ? -1 : ca > cb;
}

/* The length of the bytes x and y begin with alike (backwards: end with). */
static size_t same_bytes(const unsigned char *x, const unsigned char *y, size_t n, bool backwards)
{
	size_t k = 0;
	if (!backwards) {
		while (k + 64 <= n && !memcmp(x + k, y + k, 64))
			k += 64;
		while (k < n && x[k] == y[k])
			k++;
	} else {
		x += n;
		y += n;
		while (k + 64 <= n && !memcmp(x - k - 64, y - k - 64, 64))
			k += 64;
		while (k < n && x[-(ptrdiff_t)k - 1] == y[-(ptrdiff_t)k - 1])
			k++;
	}
	return k;
}

static char *tree_damaged(const char *rel)
{
	git_error_set_str(GIT_ERROR_TREE, "failed to parse tree");
	return git_err(*rel ? _("đọc một thư mục") : _("đọc thư mục kế hoạch"));
}

/* Folder `id` at rel ("" for the plans folder) into *o (the caller frees).
 * The last version read of each folder is kept: the walk goes from the
 * newest commit back, so the newer side of a folder a commit changed was
 * read as the older side of the commit after it, and is not read again
 * (libgit2 would rebuild it from its deltas once more). */
static int dir_read(struct rd *w, const char *rel, const git_oid *id, git_odb_object **o, char **err)
{
	git_odb_object *kept = strmap_get(&w->dirs, rel);
	if (kept && git_oid_equal(git_odb_object_id(kept), id))
		return git_odb_object_dup(o, kept);
	if (git_odb_read(o, w->odb, id) < 0) {
		*o = NULL;
		*err = git_err(*rel ? _("đọc một thư mục") : _("đọc thư mục kế hoạch"));
		return -1;
	}
	if (git_odb_object_type(*o) != GIT_OBJECT_TREE) {
		git_odb_object_free(*o);
		*o = NULL;
		git_error_set_str(GIT_ERROR_INVALID, "the requested type does not match the type in the ODB");
		*err = git_err(*rel ? _("đọc một thư mục") : _("đọc thư mục kế hoạch"));
		return -1;
	}
	git_odb_object *keep = NULL;
	git_odb_object_dup(&keep, *o);
	git_odb_object_free(strmap_put(&w->dirs, rel, keep));
	return 0;
}

/* The id of the plans folder of the commit whose root folder is `root`;
 * false when it has none.  The folders on the way are read raw, as
 * tree_changes reads them (git_tree_lookup and git_tree_entry_bypath
 * would build every entry of each, at every commit), and found as
 * git_tree_entry_bypath finds them: a name on the way that is missing,
 * not a folder, or cannot be read is no plans folder. */
static int plans_tree(struct rd *w, const git_oid *root_id, git_oid *out, bool *has, char **err)
{
	*has = false;
	git_oid id = *root_id;
	const char *p = w->prefix;
	for (int depth = 0; *p; depth++) {
		const char *sl = strchr(p, '/');
		size_t cl = sl ? (size_t)(sl - p) : strlen(p);
		git_odb_object *o = NULL;
		bool tree = git_odb_read(&o, w->odb, &id) == 0 && git_odb_object_type(o) == GIT_OBJECT_TREE;
		const unsigned char *d = tree ? git_odb_object_data(o) : NULL;
		size_t n = tree ? git_odb_object_size(o) : 0;
		struct rent e;
		bool found = false, damaged = false;
		for (size_t i = 0; tree && i < n; i = e.end) {
			if (rent_read(d, n, i, &e) < 0) {
				damaged = true;
				break;
			}
			if (e.nlen == cl && !memcmp(e.name, p, cl)) {
				found = true;
				break;
			}
		}
		bool other = o && !tree;   /* read, but not a folder */
		git_odb_object_free(o);
		if (!depth && (!tree || damaged)) {
			if (other)
				git_error_set_str(GIT_ERROR_INVALID, "the requested type does not match the type in the ODB");
			else if (damaged)
				git_error_set_str(GIT_ERROR_TREE, "failed to parse tree");
			*err = git_err(_("đọc cây thư mục của một commit"));
			return -1;
		}
		if (!found || damaged || !rent_is_tree(&e))
			return 0;
		id = e.id;
		p = sl ? sl + 1 : p + cl;
	}
	git_oid_cpy(out, &id);
	*has = true;
	return 0;
}

/* ---- the changed plan files, folder by folder ----
 *
 * A commit's changed files are found by comparing its plans folder with
 * its parent's, going down only into folders whose ids differ.  The
 * comparisons are made folder path by folder path, not commit by commit:
 * first the plans folders of every commit (newest first), then, one depth
 * at a time, the pairs of subfolders those comparisons found, grouped by
 * path, each path's newest first.  libgit2 rebuilds a folder from its
 * chain of deltas (in a pack written by git fast-import, each version of a
 * folder is a delta of the one before it), caching the versions it rebuilds
 * on the way in the pack's cache of delta bases (16 MB, emptied whole when
 * full): one path's versions read one after the other, newest first, are
 * each rebuilt once.  Read commit by commit, the regions of a portal of
 * 10,000 plans (12 folders of 35 KB, each a chain of 50 deltas: 1.7 MB
 * cached a region) did not fit together in that cache, which was emptied
 * again and again, and each region was rebuilt from its chain's base
 * whenever a commit came back to it: 41,100 inflations for the 20,000
 * folders read on 5,000 commits, about 23,300 path by path (zlib's
 * inflations counted with an LD_PRELOAD shim, the whole build, one run
 * each); 3,332M instructions reading the commits and their folders,
 * 2,314M path by path (callgrind).  Each change found carries its place in
 * the order of a walk of both folders commit by commit (Git's order of
 * entries, a folder's changes before those of a file of the same name),
 * and each commit's changes are put back in that order. */

/* A pair of folders to compare: `rel` under the plans folder ("" for it)
 * at commit k (b) and at its parent (a); either may be missing. */
struct pair {
	size_t k;
	const char *rel;
	git_oid a, b;
	bool ha, hb;
	int depth;
	const uint32_t *key;    /* its place in the commit's walk */
	size_t nkey;
};

/* A plan file commit k changed, at place key in the commit's walk. */
struct found {
	size_t k;
	hdelta_t d;
	const uint32_t *key;
	size_t nkey;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

struct founds {
	struct found *v;
	size_t n, cap;
};

/* Where the entries of the older folder of the last pair compared start,
 * from the first on, as far as tree_changes read them.  Its next pair is
 * mostly the same path at the commit before, whose newer folder is that
 * one: the entries before the first byte the two differ in are the same
 * entries at the same places (and were checked), so they are stepped over
 * at once instead of one by one.  At 10,000 plans a region's folder holds
 * 800 entries and most commits change one file in one of them: reading
 * the entries before the change took a quarter of the instructions of
 * reading the commits and their folders (callgrind). */
struct starts {
	size_t *v;
	size_t n, cap;
	const char *rel;            /* NULL: none kept */
	git_oid id;
};

static void starts_push(struct starts *s, size_t at)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = at;
}

/* The key of a pair's entry: the pair's, then the entry's place (2 x its
 * number among the entries compared, plus 1 for a file). */
static const uint32_t *key_more(arena_t *a, const struct pair *p, uint32_t at)
{
	uint32_t *k = arena_alloc(a, (p->nkey + 1) * sizeof(*k));
	if (p->nkey)
		memcpy(k, p->key, p->nkey * sizeof(*k));
	k[p->nkey] = at;
	return k;
}

static void push_delta(struct rd *w, struct founds *out, arena_t *tmp, const struct pair *p, uint32_t at,
		       const char *rel, const struct rent *ea, const struct rent *eb)
{
	size_t rl = strlen(rel);
	if (rl < 3 || strcmp(rel + rl - 3, ".md"))
		return;
	hdelta_t d = { 0 };
	d.had = ea && blob_mode(rent_filemode(ea->mode));
	d.has = eb && blob_mode(rent_filemode(eb->mode));
	if (!d.had && !d.has)
		return;
	if (d.had)
		git_oid_cpy(&d.old_id, &ea->id);
	if (d.has)
		git_oid_cpy(&d.new_id, &eb->id);
	char *full = arena_cat(w->a, w->prefix, rel, strlen(rel));
	d.path = hver_intern(w->vc, full);
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 256;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	out->v[out->n++] = (struct found){ .k = p->k, .d = d, .key = key_more(tmp, p, at), .nkey = p->nkey + 1 };
}

static void push_pair(struct pairs *out, arena_t *tmp, const struct pair *p, uint32_t at, const char *rel,
		      const git_oid *a, const git_oid *b)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 256;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	struct pair *q = &out->v[out->n++];
	*q = (struct pair){ .k = p->k, .rel = rel, .ha = a != NULL, .hb = b != NULL, .depth = p->depth + 1,
			    .key = key_more(tmp, p, at), .nkey = p->nkey + 1 };
	if (a)
		git_oid_cpy(&q->a, a);
	if (b)
		git_oid_cpy(&q->b, b);
}

/* The plan files that differ between the folders of pair p (no file
 * content is read), into *found, and the subfolders whose ids differ,
 * into *next: the entries of both, in Git's order, compared by id.
 * git_diff_tree_to_tree would visit every entry of both trees, at each of
 * thousands of commits. */
static int tree_changes(struct rd *w, const struct pair *p, struct pairs *next, struct founds *found,
			arena_t *tmp, char **err)
{
	if (p->depth > 64)
		return 0;
	const char *rel = p->rel;
	git_odb_object *oa = NULL, *ob = NULL;
	int rc = -1;
	/* the newer side first: it is the one kept from the commit after */
	if ((p->hb && dir_read(w, rel, &p->b, &ob, err) < 0) || (p->ha && dir_read(w, rel, &p->a, &oa, err) < 0))
		goto out;
	const unsigned char *pa = oa ? git_odb_object_data(oa) : NULL, *pb = ob ? git_odb_object_data(ob) : NULL;
	size_t na = oa ? git_odb_object_size(oa) : 0, nb = ob ? git_odb_object_size(ob) : 0;
	size_t least = na < nb ? na : nb;
	size_t head = least ? same_bytes(pa, pb, least, false) : 0;
	size_t tail = least ? same_bytes(pa + na - least, pb + nb - least, least, true) : 0;
	/* the entries that end before the first byte that differs are the
	 * same in both, at the same places; those of the newer folder that
	 * start at or before it were read as the older folder of the pair
	 * before (struct starts) */
	struct starts *ls = w->last;
	size_t i = 0, j;
	if (ls->rel && p->hb && !strcmp(ls->rel, rel) && git_oid_equal(&ls->id, &p->b)) {
		size_t lo = 0, hi = ls->n;   /* the starts at or before head */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (ls->v[mid] <= head)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			i = ls->v[lo - 1];
			ls->n = lo - 1;
		} else {
			ls->n = 0;
		}
	} else {
		ls->n = 0;
	}
	/* from here on, the older folder's */
	ls->rel = p->ha ? rel : NULL;
	if (p->ha)
		git_oid_cpy(&ls->id, &p->a);
	struct rent ea, eb;
	if (i < na)
		starts_push(ls, i);
	while (i < na) {
		if (rent_read(pa, na, i, &ea) < 0)
			goto damaged;
		if (ea.end > head)
			break;
		i = ea.end;
		if (i < na)
			starts_push(ls, i);
	}
	j = i;
	uint32_t at = 0;        /* the entries compared, for the keys */
	while (i < na || j < nb) {
		/* what is left is the same bytes in both: the same entries */
		if (na - i == nb - j && na - i <= tail)
			break;
		bool ha = i < na, hb = j < nb;
		if ((ha && rent_read(pa, na, i, &ea) < 0) || (hb && rent_read(pb, nb, j, &eb) < 0))
			goto damaged;
		int c = !ha ? 1 : !hb ? -1 : rent_cmp(&ea, &eb);
		if (c < 0)
			hb = false;
		else if (c > 0)
			ha = false;
		if (ha) {
			i = ea.end;
			if (i < na)
				starts_push(ls, i);
		}
		if (hb)
			j = eb.end;
		at += 2;
		if (ha && hb && git_oid_equal(&ea.id, &eb.id) && rent_filemode(ea.mode) == rent_filemode(eb.mode))
			continue;
		const struct rent *e = ha ? &ea : &eb;
		char *sub = arena_cat(w->a, rel, e->name, e->nlen);
		bool ta = ha && rent_is_tree(&ea), tb = hb && rent_is_tree(&eb);
		if (ta || tb) {
			push_pair(next, tmp, p, at, arena_cat(w->a, sub, "/", 1), ta ? &ea.id : NULL,
				  tb ? &eb.id : NULL);
			/* a file replaced by a folder of the same name, or back:
			 * after the folder's changes */
			if (ta != tb)
				push_delta(w, found, tmp, p, at + 1, sub, ta || !ha ? NULL : &ea,
					   tb || !hb ? NULL : &eb);
			continue;
		}
		push_delta(w, found, tmp, p, at + 1, sub, ha ? &ea : NULL, hb ? &eb : NULL);
	}
	rc = 0;
	goto out;
damaged:
	*err = tree_damaged(rel);
out:
	git_odb_object_free(oa);
	git_odb_object_free(ob);
	return rc;
}

/* One path's pairs together, newest first. */
static int pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	int c = strcmp(a->rel, b->rel);
	if (c)
		return c;
	return a->k > b->k ? -1 : a->k < b->k;
}

/* By commit, then in the order of the commit's walk. */
static int found_cmp(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	for (size_t i = 0; i < a->nkey && i < b->nkey; i++)
		if (a->key[i] != b->key[i])
			return a->key[i] < b->key[i] ? -1 : 1;
	return a->nkey < b->nkey ? -1 : a->nkey > b->nkey;
}

/* The plan files each pair's commit changed (a rename is a deletion and
 * an addition), into its commit's records (pairs: the plans folders, one
 * a commit, each with changes; taken). */
static int commit_deltas(struct rd *w, struct pairs *pairs, char **err)
{
	arena_t *tmp = arena_new();
	struct founds found = { 0 };
	struct starts last = { 0 };
	int rc = 0;
	w->last = &last;
	/* a commit compared has a table of its changes, if only of none */
	for (size_t i = 0; i < pairs->n; i++) {
		hcommit_t *cm = &w->log->commits[pairs->v[i].k];
		cm->d = arena_alloc(w->a, sizeof(hdelta_t));
		cm->nd = 0;
	}
	/* the plans folders, newest first, as the caller put them */
	while (pairs->n && rc == 0) {
		struct pairs next = { 0 };
		for (size_t i = 0; i < pairs->n && rc == 0; i++)
			rc = tree_changes(w, &pairs->v[i], &next, &found, tmp, err);
		free(pairs->v);
		*pairs = next;
		if (pairs->n)
			qsort(pairs->v, pairs->n, sizeof(*pairs->v), pair_cmp);
	}
	free(pairs->v);
	*pairs = (struct pairs){ 0 };
	if (found.n)
		qsort(found.v, found.n, sizeof(*found.v), found_cmp);
	for (size_t i = 0; i < found.n;) {
		size_t j = i;
		while (j < found.n && found.v[j].k == found.v[i].k)
			j++;
		hcommit_t *cm = &w->log->commits[found.v[i].k];
		cm->nd = j - i;
		cm->d = arena_alloc(w->a, (cm->nd + 1) * sizeof(hdelta_t));
		for (size_t q = i; q < j; q++)
			cm->d[q - i] = found.v[q].d;
		i = j;
	}
	free(found.v);
	free(last.v);
	w->last = NULL;
	arena_free(tmp);
	return rc;
}

/* What chain() read of a commit, so that it is not read twice. */
struct seen {
	bool read;
	git_oid tree;
	hcommit_t meta;         /* all but its id and changes */
};

/* A commit's time, parent, author and subject, and its root folder. */
static void commit_meta(struct rd *w, git_commit *c, struct seen *out)
{
	hcommit_t *cm = &out->meta;
	cm->time = (int64_t)git_commit_time(c);
	cm->tz = git_commit_time_offset(c);
	cm->has_parent = git_commit_parentcount(c) > 0;
	if (cm->has_parent)
		git_oid_cpy(&cm->parent, git_commit_parent_id(c, 0));
	const git_signature *au = git_commit_author(c);
	const char *sum = git_commit_summary(c);
	cm->author = hver_intern(w->vc, au && au->name ? au->name : "");
	cm->subject = arena_strdup(w->a, sum ? sum : "");
	git_oid_cpy(&out->tree, git_commit_tree_id(c));
	out->read = true;
}

/* The commit at k of the chain and the id of its plans folder (*has
 * false when none). */
static int load(struct rd *w, size_t k, git_oid *tree, bool *has, char **err)
{
	struct seen *sn = &w->seen[k];
	if (!sn->read) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, w->git, &w->log->commits[k].id) < 0) {
			*err = git_err(_("đọc một commit"));
			return -1;
		}
		commit_meta(w, c, sn);
		git_commit_free(c);
	}
	hcommit_t *cm = &w->log->commits[k];
	const hcommit_t *m = &sn->meta;
	cm->time = m->time;
	cm->tz = m->tz;
	cm->has_parent = m->has_parent;
	if (cm->has_parent)
		git_oid_cpy(&cm->parent, &m->parent);
	cm->author = m->author;
	cm->subject = m->subject;
	return plans_tree(w, &sn->tree, tree, has, err);
}

static void git_opts_begin(ssize_t *allowed);

/* First parents from the built commit back to the root, or to where the
 * history was cut (a shallow clone), into w->log->commits oldest first.
 * The built commit is read as the build read it, its id checked; the
 * older ones (thousands) as the history's other objects (git_opts_begin,
 * *allowed: the limit to restore, once the built commit is read). */
static int chain(struct rd *w, ssize_t *allowed, char **err)
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
	git_opts_begin(allowed);
	/* the parents of commits known are known too, unless this clone is
	 * shallow: where it is cut may have moved since they were learned */
	bool shallow = git_repository_is_shallow(w->git) == 1;
	strmap_t *known = shallow ? NULL : w->known;
	git_oid *oids = NULL;
	struct seen *sv = NULL;
	size_t n = 0, cap = 0;
	bool cut = false;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			oids = xrealloc(oids, cap * sizeof(*oids));
			sv = xrealloc(sv, cap * sizeof(*sv));
		}
		sv[n].read = false;
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
			commit_meta(w, c, &sv[n - 1]);
			more = sv[n - 1].meta.has_parent;
			if (more)
				git_oid_cpy(&next, &sv[n - 1].meta.parent);
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
	w->seen = xmalloc((n + 1) * sizeof(*w->seen));
	for (size_t k = 0; k < n; k++) {
		git_oid_cpy(&h->commits[k].id, &oids[n - 1 - k]);
		w->seen[k] = sv[n - 1 - k];
	}
	free(oids);
	free(sv);
	return 0;
}

/* Newest to oldest: each commit's changed plan files, from `known` when an
 * earlier walk learned them (commit ids name their content and their
 * parents, so what was learned holds for ever), else by comparing its
 * plans folder with its first parent's. */
static int deltas(struct rd *w, char **err)
{
	git_oid cur, older;
	bool has_cur = false, has_older = false;
	bool have_cur = false;          /* cur is commit k's plans folder */
	size_t n = w->log->n;
	int rc = -1;
	struct pairs pairs = { 0 };     /* the plans folders that differ, newest first */
	size_t *kept = xmalloc((n + 1) * sizeof(*kept)), nkept = 0;   /* learned */
	if (git_repository_odb(&w->odb, w->git) < 0) {
		*err = git_err(_("đọc thư mục kế hoạch"));
		free(kept);
		return -1;
	}
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
			have_cur = false;
			continue;
		}
		if (!have_cur && load(w, k, &cur, &has_cur, err) < 0)
			goto out;
		has_older = false;
		if (k > 0 && load(w, k - 1, &older, &has_older, err) < 0)
			goto out;
		bool same = has_older == has_cur && (!has_cur || git_oid_equal(&older, &cur));
		if (!same) {
			if (pairs.n == pairs.cap) {
				pairs.cap = pairs.cap ? 2 * pairs.cap : 256;
				pairs.v = xrealloc(pairs.v, pairs.cap * sizeof(*pairs.v));
			}
			pairs.v[pairs.n++] = (struct pair){ .k = k, .rel = "", .a = older, .b = cur,
							    .ha = has_older, .hb = has_cur };
		}
		cur = older;
		has_cur = has_older;
		have_cur = k > 0;
		if (keep)
			kept[nkept++] = k;
	}
	if (commit_deltas(w, &pairs, err) < 0)
		goto out;
	/* learned: what the commits changed is known now */
	for (size_t i = 0; i < nkept; i++) {
		hcommit_t *cm = &w->log->commits[kept[i]];
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, &cm->id);
		hcommit_t *c = arena_alloc(w->a, sizeof(*c));
		*c = *cm;
		strmap_put(w->known, arena_strdup(w->a, hex), c);
	}
	rc = 0;
out:
	free(pairs.v);
	free(kept);
	for (size_t i = 0; i < w->dirs.cap; i++)
		if (w->dirs.keys[i])
			git_odb_object_free(w->dirs.vals[i]);
	strmap_free(&w->dirs);
	git_odb_free(w->odb);
	w->odb = NULL;
	return rc;
}

/* The heap is offered a trim (mem_trim: taken on a big heap) once the
 * versions are read, when there were this many or more: what the parser
 * frees (blob texts, YAML trees, libgit2's buffers) stays in the malloc
 * arenas, mostly between chunks still in use, where glibc does not give it
 * back by itself (on 2,000 commits, 70 MB more than the heap in use by the
 * end; 2026-12-01, 1,000 plans: 25-45 MB resident and free, left there,
 * under a 114-117 MB peak).  It was also offered every this many versions
 * while they were read, but the parser takes what it frees again a few
 * versions later, and each trim walks every arena and gives each free run
 * of pages back with a madvise(2) of its own (a TLB shootdown on the other
 * core, busy rendering), which the next allocations fault back in: at
 * 10,000 plans (9,563 versions) those nine trims were half of the
 * versions' CPU samples (perf, one run); at 3,000 plans without them, the
 * same peak (171-172 MB against 172-174 MB), 54,500-55,900 page faults
 * instead of 62,100-67,200 (2 runs each), 1,548 madvise calls instead of
 * 3,269 (one run under strace); at 10,000 plans a peak of 383.9 MB
 * (381.4-387.7 MB with them, 3 runs) and 49,000 page faults in the
 * history stage instead of 68,500-71,700 (one run; 2026-12-02). */
#define HLOG_TRIM 1024

/* The limit of libgit2's object cache while the history is read (bytes),
 * the previous limit restored after. */
#define HLOG_CACHE ((size_t)1 << 20)

/* In pack order, the readers keep this many blobs ahead of the parser. */
#define HLOG_AHEAD 64

/* One reader thread, not fetch.c's two.  libgit2 rebuilds a delta from the
 * nearest object of its chain in the pack's cache of delta bases (one per
 * pack, shared by every repository handle), and it caches the objects it
 * rebuilds on the way, but not the one it returns.  Read in reverse pack
 * order, the first blob read of a chain (the deepest) leaves the others
 * in that cache, and each is then a copy: every object of the chain is
 * inflated once.  A second reader reads the next blob while the first
 * is still rebuilding the chain, finds nothing cached, and rebuilds it
 * again.  1,000 plans (2,000 commits, 3,853 versions read): 4,822-4,839
 * inflations (11.6 MB out) with one reader, 5,430-6,800 (12.9-16.1 MB)
 * with two (4 runs each, zlib's inflateInit_ and inflateEnd counted with
 * an LD_PRELOAD shim); 10,000 plans (9,564 versions): 23,525 with two
 * (55 MB out), about 18,700 with one (the whole build's count, one run
 * each, 4,866 fewer).  The one reader takes about the parser's CPU time
 * (1,000 plans: 0.18-0.22 s against 0.13-0.17 s), so the parser may wait
 * for it at times; the history is read beside the render, where the CPU
 * the build spends counts, not the reading's own wall time. */
#define HLOG_READERS 1

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
			if (!f) {
				f = fetch_start(w->git);
				fetch_readers(f, HLOG_READERS);
			}
			v[n] = (struct bd){ .d = d, .seq = n };
			v[n].slot = fetch_push(f, &d->old_id);
			n++;
		}
	if (!f) {
		hver_skel_drop(w->vc);
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
		fetch_put(f, v[j].slot, old);
		if (!x->broken)
			strmap_put(&near, d->path, (void *)x);
	}
	strmap_free(&near);
	if (fetch_nreaders(f) > w->log->readers)
		w->log->readers = fetch_nreaders(f);
	w->log->readers_cpu += fetch_finish(f);
	/* every version read: no more patching (hver.c) */
	hver_skel_drop(w->vc);
	/* a few versions (a source's history, a build after a push) leave
	 * little to give back, and trimming walks the whole heap */
	if (n >= HLOG_TRIM)
		mem_trim();
	free(v);
}

/* While the history is read: libgit2 caches the commits and trees it reads
 * up to 256 MB by default, but the walk reads the plans folders of
 * thousands of commits once each (it keeps the one it compares with
 * itself, dir_read) and each commit once, so the cache only holds memory
 * (on 2,000 commits it was tens of MB, with no gain in time) and costs
 * instructions: with a small limit, every object stored made it evict
 * others (1,000 plans, 2,000 commits: 48M of the 312M of reading the
 * commits and their folders).  So nothing is cached while the history is
 * read (and the limit is small should another thread turn caching on
 * again first).  The built commit was read with every object's hash
 * checked; the older versions (thousands of blobs, shown only as history)
 * are read as Git reads them, trusting zlib's checksum.  *allowed: the
 * limit to restore (git_opts_end). */
static void git_opts_begin(ssize_t *allowed)
{
	ssize_t cached = 0;
	*allowed = 0;
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cached, allowed);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)HLOG_CACHE);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

static void git_opts_end(ssize_t allowed)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	/* on, as libgit2 starts (nothing else turns it off) */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
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
	ssize_t allowed;
	if (chain(&w, &allowed, err) < 0)
		return -1;
	int rc = deltas(&w, err);
	git_opts_end(allowed);
	free(w.seen);
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
		mem_trim();
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
