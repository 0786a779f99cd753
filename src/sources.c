/* sources.c: site.yaml sources: which commit of each source is built, and
 * whether its plans are its owner's to publish. */
#include "sources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fm.h"
#include "pool.h"
#include "xref.h"

enum { S_CURRENT, S_HELD, S_OUT };
static const char *const state_names[] = { "current", "held", "left-out" };

struct src {
	const char *id, *repo, *ref, *content, *owner;
	loc_t loc, owner_loc;
	repo_t *r;
	char head[GIT_OID_HEXSZ + 1];   /* the commit asked for */
	char good[GIT_OID_HEXSZ + 1];   /* the last good one (state), or "" */
	char used[GIT_OID_HEXSZ + 1];   /* the one built, or "" */
	int state;
	rfile_t *files;                  /* the used commit's files, renamed */
	size_t nfiles, ignored;
	const char *ignored_ex;
	int64_t time;
	int tz;
	char *reason;
};

struct sources {
	struct src *v;
	size_t n;
	char *state_path;
	bool strict;
	rfile_t *portal;                 /* the portal's own files */
	size_t nportal;
	bool merged;                     /* the files' data belong to the snapshot */
	srcinfo_t *info_;                /* what s->sources points to */
	site_t *site;                    /* the last check's site, not taken yet */
	diag_t *site_diag;               /* its messages */
};

static bool id_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 40 || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

bool sources_listed(const snap_t *snap)
{
	const rfile_t *f = NULL;
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->files[i].rel, "site.yaml"))
			f = &snap->files[i];
	if (!f || !f->data)
		return false;
	arena_t *a = arena_new();
	diag_t *quiet = diag_new();
	ynode_t *root = NULL;
	yml_parse(a, quiet, f->path, f->data, f->len, 0, &root);
	const ynode_t *list = root && root->kind == YNODE_MAP ? ynode_get(root, "sources") : NULL;
	bool listed = list && !ynode_is_null(list);
	diag_free(quiet);
	arena_free(a);
	return listed;
}

/* The sources listed in site.yaml; problems with the list are errors
 * located in site.yaml. */
static void parse_list(sources_t *ss, arena_t *a, diag_t *d, const snap_t *snap)
{
	const rfile_t *f = NULL;
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->files[i].rel, "site.yaml"))
			f = &snap->files[i];
	if (!f || !f->data)
		return;
	/* syntax errors are the model's to report, once */
	diag_t *quiet = diag_new();
	ynode_t *root = NULL;
	yml_parse(a, quiet, f->path, f->data, f->len, 0, &root);
	diag_free(quiet);
	if (!root || root->kind != YNODE_MAP)
		return;
	const ynode_t *list = ynode_get(root, "sources");
	if (!list || ynode_is_null(list))
		return;
	if (list->kind != YNODE_SEQ) {
		diag_error_fix(d, &list->loc, "E074", _("viết mỗi nguồn một mục \"- id: ...\" với repo và owner"),
			       _("sources phải là một danh sách các nguồn"));
		return;
	}
	ss->v = arena_alloc(a, (list->n + 1) * sizeof(*ss->v));
	static const char *const known[] = { "id", "repo", "ref", "content", "owner", NULL };
	for (size_t i = 0; i < list->n; i++) {
		const ynode_t *it = list->kids[i];
		if (it->kind != YNODE_MAP) {
			diag_error_fix(d, &it->loc, "E074", _("viết mỗi nguồn một mục \"- id: ...\" với repo và owner"),
				       _("mỗi nguồn phải là các dòng \"khoá: giá trị\" (id, repo, ref, content, owner)"));
			continue;
		}
		for (size_t k = 0; k < it->n; k++) {
			const ynode_t *key = ynode_key(it, k);
			bool known_key = false;
			for (size_t j = 0; known[j]; j++)
				known_key |= key->str && !strcmp(key->str, known[j]);
			if (!known_key)
				diag_warning_fix(d, &key->loc, "W064", _("chỉ dùng id, repo, ref, content và owner"),
						 _("nguồn không có khoá \"%s\"; khoá này bị bỏ qua"),
						 key->str ? key->str : "?");
		}
		struct src *s = &ss->v[ss->n];
		memset(s, 0, sizeof(*s));
		s->loc = it->loc;
		const ynode_t *id = ynode_get(it, "id"), *repo = ynode_get(it, "repo");
		const ynode_t *owner = ynode_get(it, "owner"), *ref = ynode_get(it, "ref");
		const ynode_t *content = ynode_get(it, "content");
		s->id = id ? model_scalar(d, id, "id") : NULL;
		s->repo = repo ? model_scalar(d, repo, "repo") : NULL;
		s->owner = owner ? model_scalar(d, owner, "owner") : NULL;
		s->ref = ref ? model_scalar(d, ref, "ref") : NULL;
		s->content = content ? model_scalar(d, content, "content") : NULL;
		if (!s->id || !*s->id) {
			diag_error_fix(d, &it->loc, "E075", _("thêm \"id: so-tu-phap\" (chữ thường không dấu, số, gạch ngang)"),
				       _("nguồn thiếu id"));
			continue;
		}
		if (!id_ok(s->id)) {
			diag_error_fix(d, &id->loc, "E075", _("viết id bằng chữ thường không dấu, số và gạch ngang, ví dụ so-tu-phap"),
				       _("id nguồn \"%s\" không dùng được trong đường dẫn"), s->id);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < ss->n && !dup; j++)
			if (!strcmp(ss->v[j].id, s->id)) {
				diag_error_fix(d, &id->loc, "E076", _("đặt cho mỗi nguồn một id riêng"),
					       _("id nguồn \"%s\" đã dùng ở dòng %d"), s->id, ss->v[j].loc.line);
				dup = true;
			}
		if (dup)
			continue;
		if (!s->repo || !*s->repo) {
			diag_error_fix(d, &it->loc, "E077", _("thêm \"repo: /duong/dan/kho.git\" (bản sao kho của cơ quan)"),
				       _("nguồn \"%s\" thiếu repo"), s->id);
			continue;
		}
		if (!s->owner || !*s->owner) {
			diag_error_fix(d, &it->loc, "E078", _("thêm \"owner: <id đơn vị trong units.yaml>\""),
				       _("nguồn \"%s\" thiếu owner (đơn vị sở hữu)"), s->id);
			continue;
		}
		s->owner_loc = owner->loc;
		/* the source's static files are published under static/ID/:
		 * the portal's own files there would clash with them */
		char *dir = arena_printf(a, "static/%s/", s->id);
		const char *clash = NULL;
		for (size_t k = 0; k < snap->n && !clash; k++)
			if (!strncmp(snap->files[k].rel, dir, strlen(dir)))
				clash = snap->files[k].path;
		if (clash) {
			diag_error_fix(d, &id->loc, "E076", _("đổi id của nguồn, hoặc chuyển các tệp của cổng ra khỏi thư mục đó"),
				       _("id nguồn \"%s\" trùng với thư mục %s của cổng (có tệp %s), nơi đăng các tệp static của nguồn"),
				       s->id, dir, clash);
			continue;
		}
		if (!s->ref || !*s->ref)
			s->ref = "main";
		if (!s->content || !*s->content)
			s->content = "content";
		ss->n++;
	}
}

static void drop_files(struct src *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free((char *)s->files[i].data);
	s->files = NULL;
	s->nfiles = s->ignored = 0;
	s->ignored_ex = NULL;
}

/* Reads the source's files at commit into s->files; 0 or -1 with reason. */
static int load(struct src *s, arena_t *a, const char *commit)
{
	drop_files(s);
	diag_t *quiet = diag_new();
	snap_t sn = { 0 };
	char *e = NULL;
	int rc = repo_snapshot(s->r, a, quiet, commit, s->content, false, &sn, &e);
	diag_free(quiet);
	if (rc < 0) {
		free(s->reason);
		s->reason = e;
		return -1;
	}
	s->files = arena_alloc(a, (sn.n + 1) * sizeof(rfile_t));
	for (size_t i = 0; i < sn.n; i++) {
		rfile_t f = sn.files[i];
		if (!strncmp(f.rel, "plans/", 6)) {
			f.path = arena_printf(a, "sources/%s/%s", s->id, f.path);
		} else if (!strncmp(f.rel, "static/", 7)) {
			f.path = arena_printf(a, "sources/%s/%s", s->id, f.path);
			f.rel = arena_printf(a, "static/%s/%s", s->id, f.rel + 7);
		} else {
			if (!s->ignored++)
				s->ignored_ex = arena_printf(a, "%s", f.rel);
			free((char *)f.data);
			continue;
		}
		s->files[s->nfiles++] = f;
	}
	memcpy(s->used, sn.commit, sizeof(s->used));
	s->time = sn.time;
	s->tz = sn.tz;
	return 0;
}

static int path_cmp(const void *x, const void *y)
{
	return strcmp(((const rfile_t *)x)->path, ((const rfile_t *)y)->path);
}

/* snap = the portal's files and every included source's, by path. */
static void merge(sources_t *ss, arena_t *a, snap_t *snap)
{
	size_t n = ss->nportal;
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].state != S_OUT)
			n += ss->v[i].nfiles;
	rfile_t *v = arena_alloc(a, (n + 1) * sizeof(rfile_t));
	memcpy(v, ss->portal, ss->nportal * sizeof(rfile_t));
	n = ss->nportal;
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].state != S_OUT) {
			memcpy(v + n, ss->v[i].files, ss->v[i].nfiles * sizeof(rfile_t));
			n += ss->v[i].nfiles;
		}
	qsort(v, n, sizeof(rfile_t), path_cmp);
	snap->files = v;
	snap->n = n;
}

static const unit_t *unit_by_id(const site_t *s, const char *id)
{
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i]->registered && !strcmp(s->units[i]->id, id))
			return s->units[i];
	return NULL;
}

/* Each source's plans must be issued by its owner or a unit below it. */
static void ownership(const sources_t *ss, const site_t *s, diag_t *d)
{
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		if (strncmp(p->path, "sources/", 8))
			continue;
		const struct src *src = NULL;
		for (size_t j = 0; j < ss->n && !src; j++) {
			size_t l = strlen(ss->v[j].id);
			if (!strncmp(p->path + 8, ss->v[j].id, l) && p->path[8 + l] == '/')
				src = &ss->v[j];
		}
		const unit_t *owner = src ? unit_by_id(s, src->owner) : NULL;
		if (!owner)
			continue;   /* E078, said once at the source */
		const unit_t *u = p->has_issuer ? p->issuer.unit : NULL;
		for (size_t k = 0; u && u != owner && k <= s->nunits; k++)
			u = u->parent;
		if (u == owner)
			continue;
		loc_t at = p->has_issuer ? model_loc(p->path, p->issuer.at) : p->loc;
		diag_error_fix(d, &at, "E073",
			       diag_str(d, _("chuyển kế hoạch sang kho của đơn vị ban hành, hoặc ghi issuer là %s hay một đơn vị trực thuộc"),
					owner->name),
			       _("nguồn \"%s\" (của %s) không được đăng kế hoạch do \"%s\" ban hành (tệp %s); kế hoạch "
				 "này không được xuất bản"),
			       src->id, owner->name, p->has_issuer ? p->issuer.text : _("(không ghi issuer)"), p->path);
	}
}

static void read_state(sources_t *ss)
{
	FILE *f = fopen(ss->state_path, "r");
	char line[256];
	while (f && fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab++ = 0;
		tab[strcspn(tab, "\r\n")] = 0;
		for (size_t i = 0; i < ss->n; i++)
			if (!strcmp(ss->v[i].id, line) && strlen(tab) == GIT_OID_HEXSZ)
				memcpy(ss->v[i].good, tab, GIT_OID_HEXSZ + 1);
	}
	if (f)
		fclose(f);
}

static char *plansite_dir(const char *common)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%splansite", common);
	return buf_detach(&b);
}

/* $GIT_DIR/plansite/sources of the portal when that folder can be written,
 * else OUT.plansite-sources beside the output folder. */
static char *state_path(repo_t *portal, const char *out)
{
	const char *common = git_repository_commondir(repo_git(portal));
	buf_t b = BUF_INIT;
	struct stat st;
	char *dir = common ? plansite_dir(common) : NULL;
	bool usable = dir && !access(common, W_OK) &&
		      (stat(dir, &st) < 0 ? errno == ENOENT : S_ISDIR(st.st_mode) && !access(dir, W_OK));
	free(dir);
	if (usable) {
		buf_printf(&b, "%splansite/sources", common);
	} else {
		size_t n = strlen(out);
		while (n > 1 && out[n - 1] == '/')
			n--;
		buf_printf(&b, "%.*s.plansite-sources", (int)n, out);
	}
	return buf_detach(&b);
}

static void held_warning(const sources_t *ss, struct src *s, diag_t *d)
{
	if (ss->strict)
		diag_error_fix(d, &s->loc, "E079", _("sửa kho của nguồn, hoặc dựng không có --strict-sources"),
			       _("--strict-sources: nguồn \"%s\" không dựng được: %s"), s->id, s->reason);
	else
		diag_warning_fix(d, &s->loc, "W060",
				 _("sửa lỗi trong kho của nguồn; khi sửa xong, lần dựng sau sẽ đăng commit mới"),
				 _("nguồn \"%s\" được giữ ở commit %.10s (lần cuối dựng được) vì commit %.10s có lỗi: %s"),
				 s->id, s->good, s->head, s->reason);
}

static void leave_out(struct src *s, diag_t *d, bool strict, const char *why)
{
	s->state = S_OUT;
	s->used[0] = 0;
	if (why) {
		free(s->reason);
		s->reason = xstrdup(why);
	}
	if (strict)
		diag_error_fix(d, &s->loc, "E079", _("sửa kho của nguồn, hoặc dựng không có --strict-sources"),
			       _("--strict-sources: nguồn \"%s\" không dựng được: %s"), s->id,
			       s->reason ? s->reason : "?");
	else
		diag_warning_fix(d, &s->loc, "W061", _("sửa kho của nguồn; khi sửa xong, lần dựng sau sẽ đăng nguồn này"),
				 _("nguồn \"%s\" chưa có commit nào dựng được nên không được đăng: %s"), s->id,
				 s->reason ? s->reason : "?");
}

struct opener {
	sources_t *ss;
	const sources_opts_t *o;
	diag_t *d;
	const char *root;
	arena_t **arenas;
};

/* Opens source i and reads its commit (a worker of pool_for). */
static void open_one(void *arg, int worker, size_t i)
{
	struct opener *op = arg;
	const sources_opts_t *o = op->o;
	struct src *s = &op->ss->v[i];
	arena_t *a = op->arenas[i];
	/* site.yaml's paths are the portal's; --source-repo's the caller's */
	bool own = false;
	for (size_t k = 0; k < o->npins; k++)
		if (!strcmp(o->pins[k].id, s->id)) {
			if (o->pins[k].ref)
				s->ref = o->pins[k].ref;
			if (o->pins[k].repo) {
				s->repo = o->pins[k].repo;
				own = true;
			}
		}
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%s", s->repo[0] == '/' || own ? "" : op->root, s->repo);
	char *path = buf_detach(&b);
	char *e = NULL;
	git_oid oid;
	if (repo_open(&s->r, path, &e) < 0 || repo_resolve(s->r, s->ref, &oid, &e) < 0) {
		free(path);
		leave_out(s, op->d, op->ss->strict, e);
		free(e);
		return;
	}
	free(path);
	git_oid_tostr(s->head, sizeof(s->head), &oid);
	if (load(s, a, s->head) < 0) {
		/* the commit cannot be read as content: as if broken */
		if (s->good[0] && strcmp(s->good, s->head) && load(s, a, s->good) == 0) {
			s->state = S_HELD;
			held_warning(op->ss, s, op->d);
		} else {
			leave_out(s, op->d, op->ss->strict, NULL);
		}
	}
	/* libgit2 shares a pack among the handles that open it (the readers'
	 * and this one) and keeps the delta bases it rebuilt in the pack, up
	 * to 16 MB, while any handle has it open: this one does until the
	 * build ends.  A source's bases were 0.8 MB, and 100 sources held 84
	 * MB of them through the whole build, which every later stage paid
	 * for in fresh pages: given back here (and after its history,
	 * history.c), a portal of 100 sources x 20 plans made 48,600-48,900
	 * page faults instead of 68,600-73,300, and its peak resident set was
	 * 135-140 MB instead of 222-226 MB (GNU time; 3 runs each, 2 cores,
	 * 2026-12-02).  Its history reads the pack again. */
	repo_forget_objects(s->r);
}

int sources_gather(sources_t **out, repo_t *portal, arena_t *a, diag_t *d, snap_t *snap,
		   const sources_opts_t *o, const model_opts_t *mo, char **err)
{
	*out = NULL;
	sources_t *ss = xcalloc(1, sizeof(*ss));
	ss->strict = o->strict;
	parse_list(ss, a, d, snap);
	for (size_t k = 0; k <= o->npins; k++) {
		const char *want = k < o->npins ? o->pins[k].id : o->only;
		bool found = false;
		for (size_t i = 0; want && i < ss->n; i++)
			found |= !strcmp(ss->v[i].id, want);
		if (want && !found) {
			buf_t b = BUF_INIT;
			buf_printf(&b, _("%s: site.yaml không có nguồn \"%s\""),
				   k < o->npins ? "--source-ref/--source-repo" : "--only-source", want);
			*err = buf_detach(&b);
			free(ss);
			return -1;
		}
	}
	if (o->only) {
		/* a source's own check: the others are not read at all */
		size_t kept = 0;
		for (size_t i = 0; i < ss->n; i++)
			if (!strcmp(ss->v[i].id, o->only))
				ss->v[kept++] = ss->v[i];
		ss->n = kept;
		ss->strict = true;
	}
	if (!ss->n) {
		free(ss);
		return 0;
	}
	*out = ss;
	ss->portal = snap->files;
	ss->nportal = snap->n;
	ss->state_path = state_path(portal, o->out ? o->out : "public");
	read_state(ss);
	const char *root = repo_workdir(portal);
	if (!*root)
		root = git_repository_path(repo_git(portal));
	/* the sources are read in parallel, each into an arena of its own */
	struct opener op = { ss, o, d, root, xcalloc(ss->n + 1, sizeof(arena_t *)) };
	for (size_t i = 0; i < ss->n; i++)
		op.arenas[i] = arena_new();
	pool_for(pool_size(0, 8), ss->n, open_one, &op);
	for (size_t i = 0; i < ss->n; i++)
		arena_adopt(a, op.arenas[i]);
	free(op.arenas);
	/* each round checks the portal with every source at its chosen
	 * commit; a source with errors in its own files falls back to its
	 * good commit, then out: at most two rounds a source */
	for (size_t round = 0; round <= 2 * ss->n; round++) {
		merge(ss, a, snap);
		arena_t *ta = arena_new();
		diag_t *td = diag_new();
		site_t *ts = model_load(ta, td, snap, mo);
		xref_resolve(ta, td, ts, snap);
		ownership(ss, ts, td);
		bool changed = false;
		for (size_t i = 0; i < ss->n; i++) {
			struct src *s = &ss->v[i];
			if (s->state == S_OUT)
				continue;
			char *prefix = arena_printf(ta, "sources/%s/", s->id);
			/* two sources with one plan number stop the portal (E050);
			 * one source with it twice is that source's error */
			if (!diag_errors_under(td, prefix, "E050"))
				continue;
			changed = true;
			free(s->reason);
			s->reason = diag_first_under(td, prefix, "E050");
			diag_copy_under(d, td, prefix, "E050", ss->strict);
			if (s->state == S_CURRENT && s->good[0] && strcmp(s->good, s->head) &&
			    load(s, a, s->good) == 0) {
				s->state = S_HELD;
				held_warning(ss, s, d);
			} else {
				drop_files(s);
				leave_out(s, d, ss->strict, NULL);
			}
		}
		if (!changed) {
			/* the site of this check is the one the build would
			 * parse from the same files: sources_site hands it over */
			ss->site = ts;
			ss->site_diag = td;
			arena_adopt(a, ta);
			break;
		}
		model_site_free(ts);
		arena_free(ta);
		diag_free(td);
	}
	for (size_t i = 0; i < ss->n; i++) {
		struct src *s = &ss->v[i];
		if (s->state != S_OUT && s->ignored)
			diag_warning_fix(d, &s->loc, "W062",
					 _("để trong kho của nguồn chỉ plans/ và static/; sổ đăng ký, thiết lập và giao diện thuộc kho của cổng"),
					 _("nguồn \"%s\": %zu tệp ngoài plans/ và static/ bị bỏ qua (ví dụ %s)"), s->id,
					 s->ignored, s->ignored_ex);
	}
	if (!ss->site)
		merge(ss, a, snap);
	ss->merged = true;
	return 0;
}

site_t *sources_site(sources_t *ss, diag_t *d)
{
	if (!ss || !ss->site)
		return NULL;
	site_t *s = ss->site;
	diag_copy(d, ss->site_diag);
	diag_free(ss->site_diag);
	ss->site = NULL;
	ss->site_diag = NULL;
	return s;
}

void sources_check(sources_t *ss, site_t *s, diag_t *d)
{
	if (!ss)
		return;
	srcinfo_t *info = xcalloc(ss->n + 1, sizeof(*info));
	for (size_t i = 0; i < ss->n; i++) {
		struct src *src = &ss->v[i];
		if (!unit_by_id(s, src->owner))
			diag_error_fix(d, &src->owner_loc, "E078", _("viết id của một đơn vị có trong units.yaml"),
				       _("nguồn \"%s\": đơn vị sở hữu \"%s\" không có trong units.yaml"), src->id,
				       src->owner);
		srcinfo_t *in = &info[i];
		in->id = src->id;
		in->owner = src->owner;
		in->repo = src->repo;
		in->state = state_names[src->state];
		in->commit = src->state == S_OUT ? "" : src->used;
		in->head = src->head;
		in->reason = src->state == S_CURRENT ? NULL : src->reason;
		char *date = xcalloc(1, 64);
		if (src->state != S_OUT) {
			time_t t = (time_t)(src->time + (int64_t)src->tz * 60);
			struct tm tm;
			gmtime_r(&t, &tm);
			int tz = src->tz < 0 ? -src->tz : src->tz;
			snprintf(date, 64, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
				 src->tz < 0 ? '-' : '+', tz / 60, tz % 60);
		}
		in->date = date;
	}
	ownership(ss, s, d);
	s->sources = info;
	s->nsources = ss->n;
	/* the site does not outlive ss: the info is freed with it */
	ss->info_ = info;
}

int sources_save(const sources_t *ss, char **err)
{
	if (!ss)
		return 0;
	char *dir = xstrdup(ss->state_path);
	char *slash = strrchr(dir, '/');
	if (slash && strstr(ss->state_path, "plansite/sources")) {
		*slash = 0;
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			free(dir);
			goto fail;
		}
	}
	free(dir);
	buf_t b = BUF_INIT, tmp = BUF_INIT;
	for (size_t i = 0; i < ss->n; i++) {
		const struct src *s = &ss->v[i];
		const char *good = s->state == S_OUT ? s->good : s->used;
		if (*good)
			buf_printf(&b, "%s\t%s\n", s->id, good);
	}
	buf_printf(&tmp, "%s.tmp", ss->state_path);
	FILE *f = fopen(tmp.ptr, "w");
	bool ok = f && fwrite(b.ptr ? b.ptr : "", 1, b.len, f) == b.len;
	ok = f && !fclose(f) && ok;
	ok = ok && !rename(tmp.ptr, ss->state_path);
	if (!ok)
		unlink(tmp.ptr);
	buf_free(&b);
	buf_free(&tmp);
	if (ok)
		return 0;
fail:;
	buf_t e = BUF_INIT;
	buf_printf(&e, _("không ghi được trạng thái nguồn %s: %s"), ss->state_path, strerror(errno));
	*err = buf_detach(&e);
	return -1;
}

void sources_print(const sources_t *ss, FILE *f)
{
	if (!ss || !ss->info_)
		return;
	for (size_t i = 0; i < ss->n; i++) {
		const struct src *s = &ss->v[i];
		const srcinfo_t *in = &ss->info_[i];
		if (s->state == S_OUT)
			fprintf(f, _("plansite: nguồn %s (%s): không đăng\n"), s->id, s->owner);
		else
			fprintf(f, _("plansite: nguồn %s (%s): commit %s %s%s\n"), s->id, s->owner, s->used, in->date,
				s->state == S_HELD ? _(" (giữ lại)") : "");
	}
}

size_t sources_history(const sources_t *ss, arena_t *a, history_src_t **out)
{
	*out = NULL;
	if (!ss)
		return 0;
	history_src_t *v = arena_alloc(a, (ss->n + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < ss->n; i++) {
		const struct src *s = &ss->v[i];
		if (s->state == S_OUT || !s->used[0])
			continue;
		v[n++] = (history_src_t){ .r = s->r, .id = s->id, .commit = s->used, .content = s->content,
					  .prefix = arena_printf(a, "sources/%s/", s->id) };
	}
	*out = v;
	return n;
}

void sources_free(sources_t *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->n; i++) {
		if (!ss->merged)
			drop_files(&ss->v[i]);
		free(ss->v[i].reason);
		repo_free(ss->v[i].r);
		if (ss->info_)
			free((char *)ss->info_[i].date);
	}
	free(ss->info_);
	free(ss->state_path);
	model_site_free(ss->site);
	diag_free(ss->site_diag);
	free(ss);
}
