/* build.c: load everything, check everything, then write (and only then
 * replace the published folder). */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "changes.h"
#include "ctx.h"
#include "facts.h"
#include "hcache.h"
#include "history.h"
#include "hver.h"
#include "mem.h"
#include "model.h"
#include "model_cache.h"
#include "output.h"
#include "pcache.h"
#include "progress.h"
#include "render.h"
#include "repo.h"
#include "state.h"
#include "sources.h"
#include "theme.h"
#include "xref.h"

/* With PLANSITE_TIMING set (or timing), prints the time since the last lap. */
static bool timing;

static void lap(const char *stage, struct timespec *t0)
{
	if (!timing && !getenv("PLANSITE_TIMING"))
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	mem_probe_t m = mem_probe();
	/* the CPU time of every thread since the last lap: steadier than the
	 * wall time on a shared machine, and it shows how many cores a stage
	 * kept busy */
	static double cpu0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	static long faults0;
	fprintf(stderr, "plansite: %-8s %6.3f s, peak %ld MB, now %ld MB, heap in use %zu MB (%zu kB), cpu %.3f s, "
		"%ld page faults\n",
		stage, (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9,
		m.peak_kb / 1024, m.now_kb / 1024, m.heap >> 20, m.heap >> 10, cpu - cpu0, ru.ru_minflt - faults0);
	cpu0 = cpu;
	faults0 = ru.ru_minflt;
	*t0 = t1;
}

/* The site's own template of that name, or NULL. */
static const rfile_t *site_template(const site_t *s, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < s->ntemplates; i++) {
		const char *base = strrchr(s->templates[i]->rel, '/') + 1;
		if (!strncmp(base, name, n) && !strcmp(base + n, ".mustache"))
			return s->templates[i];
	}
	return NULL;
}

/* What `check` adds to the build's own messages: the "5 rõ" gaps, one
 * line a plan (a sample portal has a hundred such tasks, which would bury
 * the messages that need action), or one a task with verbose. */
static void report_incomplete(const site_t *s, diag_t *d, bool verbose)
{
	for (size_t i = 0; i < s->nplans; i++) {
		const plan_t *p = s->plans[i];
		for (size_t j = 0; verbose && j < p->ntasks; j++) {
			const task_t *t = &p->tasks[j];
			if (t->complete5)
				continue;
			buf_t b = BUF_INIT;
			if (!t->title)
				buf_puts(&b, _(", rõ việc (title)"));
			if (!t->lead.n)
				buf_puts(&b, _(", rõ người (lead)"));
			if (!t->output)
				buf_puts(&b, _(", rõ kết quả (output)"));
			if (!t->due.parsed)
				buf_puts(&b, _(", rõ thời gian (due: một hạn có ngày, hoặc Thường xuyên)"));
			loc_t at = model_task_loc(t, t->at);
			diag_warning_fix(d, &at, "W051",
					 _("thêm các khoá còn thiếu vào nhiệm vụ"),
					 _("nhiệm vụ %s chưa đủ \"5 rõ\": thiếu %s"), t->id ? t->id : "?",
					 b.ptr ? b.ptr + 2 : "");
			buf_free(&b);
		}
		facts_five_t f = facts_five(p);
		if (f.all || verbose)
			continue;
		/* what is missing, with how many tasks miss it */
		buf_t b = BUF_INIT;
		if (f.no_title)
			buf_printf(&b, "%s %zu", _(", rõ việc (title)"), (size_t)f.no_title);
		if (f.no_lead)
			buf_printf(&b, "%s %zu", _(", rõ người (lead)"), (size_t)f.no_lead);
		if (f.no_output)
			buf_printf(&b, "%s %zu", _(", rõ kết quả (output)"), (size_t)f.no_output);
		if (f.no_due)
			buf_printf(&b, "%s %zu", _(", rõ thời gian (due: một hạn có ngày, hoặc Thường xuyên)"),
				   (size_t)f.no_due);
		diag_warning_fix(d, &p->loc, "W050",
				 _("chạy \"plansite check --verbose\" để xem từng nhiệm vụ"),
				 _("%zu/%zu nhiệm vụ chưa đủ \"5 rõ\"; số nhiệm vụ thiếu: %s"),
				 (size_t)f.incomplete, p->ntasks, b.ptr ? b.ptr + 2 : "");
		buf_free(&b);
	}
}

/* The history cache's warnings (a damaged or foreign file, ignored: the
 * output is the same), and with verbose what the walk read from where. */
static void report_cache(const history_t *h, diag_t *d, bool verbose)
{
	loc_t loc = { h->cache_file, 0, 0 };
	if (h->cache_state == HCACHE_DAMAGED)
		diag_warning_fix(d, &loc, "W065",
				 _("không cần làm gì: bộ nhớ đệm đã được ghi lại; nếu cảnh báo lặp lại ở mỗi lần "
				   "dựng, xoá thư mục chứa tệp này"),
				 _("bộ nhớ đệm lịch sử bị hỏng (%s) nên không được dùng; lịch sử được đọc lại "
				   "từ Git, trang web vẫn đúng"),
				 _(h->cache_why));
	else if (h->cache_state == HCACHE_OTHER)
		diag_warning_fix(d, &loc, "W066",
				 _("không cần làm gì: bộ nhớ đệm đã được ghi lại cho phiên bản này"),
				 _("bộ nhớ đệm lịch sử do phiên bản khác ghi (%s) nên không được dùng; lịch sử "
				   "được đọc lại từ Git, trang web vẫn đúng"),
				 h->cache_why);
	if (!verbose)
		return;
	fprintf(stderr, _("plansite: lịch sử: %zu commit, %zu lấy từ bộ nhớ đệm, %zu đọc từ Git; "
			  "%zu phiên bản tệp kế hoạch đọc từ Git\n"),
		h->ncommits, h->ncached, h->ncommits - h->ncached, h->nversions);
	if (h->cache_file)
		fprintf(stderr, _("plansite: bộ nhớ đệm lịch sử: %s (%s)\n"), h->cache_file,
			h->cache_saved ? _("đã ghi") : _("không ghi"));
	else
		fputs(_("plansite: bộ nhớ đệm lịch sử: không dùng tệp\n"), stderr);
}

/* The history cache file of the build's content exists (hcache.h). */
static bool plans_cached(repo_t *repo, const build_opts_t *o)
{
	const char *content = o->content ? o->content : "content";
	size_t cn = repo_content_trim(&content);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%.*s/plans/", (int)cn, content);
	bool there = hcache_exists(repo_git(repo), b.ptr);
	buf_free(&b);
	return there;
}

/* render's ready, with the staging folder's path for build_opts_t's */
struct ready {
	const build_opts_t *o;
	out_t *out;
	struct timespec *t0;   /* the stage times' clock */
};

static void on_ready(void *cls, const out_files_t *files, const out_files_t *same)
{
	struct ready *rd = cls;
	lap("ready", rd->t0);
	char *root = out_staging_path(rd->out);
	rd->o->ready(rd->o->ready_cls, root, files, same);
	free(root);
}

/* Checks --out and prepares its staging folder (output.h); a build that
 * publishes starts from the spare site beside it (reuse), unless it
 * shares from no site (--force) or from another one (--share). */
static int begin_out(const build_opts_t *o, repo_t *repo, out_t **out, bool reuse, char **err)
{
	git_repository *g = repo_git(repo);
	out_guard_t guard = { .workdir = repo_workdir(repo), .gitdir = git_repository_path(g),
			      .commondir = git_repository_commondir(g),
			      .content = o->content ? o->content : "content",
			      .reuse = reuse && !o->force && !o->share };
	if (out_begin(out, o->out ? o->out : "public", &guard, err) < 0)
		return -1;
	if (o->force || o->share)
		out_share(*out, o->force ? NULL : o->share);
	return 0;
}

int build_run(const build_opts_t *o, diag_t *d, bool publish, char **err)
{
	int rc = BUILD_ENV;
	repo_t *repo = NULL;
	arena_t *a = arena_new_big();
	site_t *s = NULL;
	history_t *history = NULL;   /* the renderer's, not the model's */
	theme_t th = { 0 };
	int theme_ok = 0;
	out_t *out = NULL;
	char *theme_dir = NULL;
	snap_t snap = { 0 };
	char *key = NULL;
	const char *outdir = o->out ? o->out : "public";
	sources_t *srcs = NULL;
	state_pages_t *pages = NULL;
	history_read_t *pre = NULL;   /* the history's reading of Git, ahead */
	pcache_t *pc = NULL;          /* the plans' front matter parsed by earlier builds */
	hver_layouts_t *taken = NULL; /* what the parse took of the plans' texts */

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	timing = o->timing;
	/* what the read, the parse and the cross-references free is reused
	 * up to the pages, where the heap is the biggest (mem.c) */
	mem_hold(true);
	if (repo_open(&repo, o->repo, err) < 0)
		goto done;
	theme_dir = theme_locate(o->theme);
	git_oid cid;
	char *ignored = NULL;
	if (publish && !o->worktree && repo_resolve(repo, o->ref, &cid, &ignored) == 0) {
		/* everything the pages are a function of: a commit holds the
		 * content and its history; the work tree is never skipped */
		const char *content = o->content ? o->content : "content";
		size_t cn = repo_content_trim(&content);
		char *cdir = xstrndup(content, cn);
		char asof[32];
		snprintf(asof, sizeof asof, "%ld", (long)o->as_of);
		const char *parts[] = { git_oid_tostr_s(&cid), cdir, o->base_url, asof,
					o->strict ? "strict" : "", o->inject };
		key = state_key(parts, sizeof parts / sizeof *parts, theme_dir);
		free(cdir);
		/* the folder's checks hold first: a site that may not be
		 * replaced is refused even when it is current */
		if (key && !o->force && state_same(outdir, key)) {
			if (begin_out(o, repo, &out, false, err) < 0)
				goto done;
			out_abort(out);
			out = NULL;
			fprintf(stderr, _("plansite: %s đã là trang dựng từ commit %.7s với cùng tuỳ chọn, giao diện và "
					  "phiên bản plansite; không có gì thay đổi nên không dựng lại (dùng --force để "
					  "dựng lại)\n"),
				outdir, git_oid_tostr_s(&cid));
			lap("skip", &t0);
			rc = BUILD_OK;
			goto done;
		}
	}
	free(ignored);
	/* before the content is read: the spare is brought level beside it */
	if (publish && !out && begin_out(o, repo, &out, true, err) < 0)
		goto done;
	/* a build of a commit after a push reads and parses only the plan
	 * files the push changed (serve keeps its parses in memory; a
	 * portal's sources are read from their own repositories) */
	if (publish && !o->worktree && !o->mcache) {
		pc = pcache_open(repo_git(repo));
		if (pc)
			repo_set_known(repo, pcache_known, pc);
	}
	if (repo_snapshot(repo, a, d, o->ref, o->content ? o->content : "content", o->worktree,
			  &snap, err) < 0)
		goto done;
	repo_set_known(repo, NULL, NULL);
	/* a portal's plans are parsed with its sources' (sources.c), without
	 * the cache: what it knew is read after all */
	if (pc && sources_listed(&snap)) {
		pcache_free(pc);
		pc = NULL;
		if (repo_fill(repo, &snap, err) < 0)
			goto done;
	}
	lap("read", &t0);
	model_opts_t mo = { .strict = o->strict, .base_url = o->base_url, .threads = o->threads };
	sources_opts_t so = { .out = o->out ? o->out : "public", .strict = o->strict_sources,
			      .pins = o->pins, .npins = o->npins, .only = o->only_source };
	if (sources_gather(&srcs, repo, a, d, &snap, &so, &mo, err) < 0)
		goto done;
	lap("sources", &t0);
	/* with sources, the check that chose their commits parsed the site */
	s = sources_site(srcs, d);
	if (!s) {
		/* with sources the plans come from several trees: none kept */
		model_opts_t lo = mo;
		lo.cache = o->mcache;
		lo.pcache = pc;
		pcache_begin(pc, snap.n);
		/* a build that reads the history ahead and has no history
		 * cache yet (it makes a version of every plan: a cache holds
		 * most of them) takes what those versions need of each
		 * plan's text as the plan parses, and frees the text */
		if (publish && !srcs && !o->worktree && !o->mcache && !o->hcache && !plans_cached(repo, o)) {
			taken = hver_layouts_new(&snap);
			lo.on_plan = hver_layouts_take;
			lo.on_plan_cls = taken;
		}
		s = model_load(a, d, &snap, &lo);
		pcache_save(pc);
		lap("parse", &t0);
		if (pc && (timing || getenv("PLANSITE_TIMING"))) {
			size_t restored, parsed, written;
			const char *file = pcache_counts(pc, &restored, &parsed, &written);
			fprintf(stderr, _("plansite: phần khai báo của %zu tệp kế hoạch lấy từ bộ nhớ đệm, %zu tệp được "
					  "phân tích; %zu mục được ghi vào %s\n"),
				restored, parsed, written, file);
		}
		if (o->mcache && (timing || getenv("PLANSITE_TIMING"))) {
			size_t kept, parsed;
			model_cache_counts(o->mcache, &kept, &parsed);
			fprintf(stderr, "plansite:   plans    %zu kept from the last build, %zu parsed\n", kept, parsed);
		}
		/* the history's commits are read (its cache, then Git) while
		 * the model is cross-referenced; its versions while the theme
		 * loads and the pages without history render */
		if (publish && !srcs)
			pre = history_read_start(repo, a, s, &snap, o->content ? o->content : "content",
						 o->hcache, taken);
		xref_resolve(a, d, s, &snap);
	}
	sources_check(srcs, s, d);
	date_t as_of = o->as_of;
	if (!as_of)
		as_of = snap.worktree || !snap.commit[0] ? date_today() : date_of_time(snap.time, snap.tz);
	progress_compute(s, as_of);
	model_check_as_of(s, d);
	lap("xref", &t0);
	/* the model is final: the history reads the versions of the plans */
	history_read_go(pre);
	if (!publish)
		report_incomplete(s, d, o->verbose);

	ctx_types_init();   /* before the theme's templates are prepared */
	changes_types_init();
	if (theme_load(&th, theme_dir, s, a, d, err) < 0)
		goto done;
	theme_ok = 1;
	const char *missing = render_missing_template(th.tmpl);
	const char *user = NULL, *part = missing ? NULL : tmpl_set_missing(th.tmpl, &user);
	const rfile_t *own = part ? site_template(s, user) : NULL;
	if (own) {
		/* the site's own template names a partial nobody has: content */
		loc_t loc = { .path = own->path, .line = 0, .col = 0 };
		diag_error_fix(d, &loc, "E089", diag_str(d, _("sửa tên mẫu con hoặc thêm tệp templates/%s.mustache"), part),
			       _("mẫu trang này dùng mẫu con \"%s\" ({{>%s}}) nhưng cả nội dung lẫn giao diện "
				 "đều không có tệp templates/%s.mustache"),
			       part, part, part);
	} else if (part) {
		buf_t b = BUF_INIT;
		buf_printf(&b, "giao diện (theme) %s thiếu mẫu con \"%s\" (tệp templates/%s.mustache) mà mẫu "
			   "\"%s\" dùng; hãy cài lại giao diện hoặc chọn giao diện khác bằng --theme; không có gì "
			   "được xuất bản",
			   theme_dir, part, part, user);
		*err = buf_detach(&b);
		goto done;
	}
	if (missing) {
		buf_t b = BUF_INIT;
		buf_printf(&b, "giao diện (theme) %s thiếu mẫu trang \"%s\" (tệp templates/%s.mustache); "
			   "hãy cài lại giao diện hoặc chọn giao diện khác bằng --theme; không có gì được xuất bản",
			   theme_dir, missing, missing);
		*err = buf_detach(&b);
		goto done;
	}
	if (diag_errors(d)) {
		rc = BUILD_CONTENT;
		goto done;
	}
	if (!publish) {
		rc = BUILD_OK;
		goto done;
	}
	/* the pages of the previous site whose inputs did not change are
	 * linked, not rendered (state.h); a site with sources depends on
	 * their heads, which no fingerprint names: it renders every page */
	if (!srcs) {
		const char *content = o->content ? o->content : "content";
		size_t cn = repo_content_trim(&content);
		char *cdir = xstrndup(content, cn);
		char asof[32];
		snprintf(asof, sizeof asof, "%ld", (long)o->as_of);
		const char *parts[] = { "pages", cdir, o->base_url, asof, o->strict ? "strict" : "", o->inject,
					o->worktree ? "worktree" : "" };
		char *pkey = state_key(parts, sizeof parts / sizeof *parts, theme_dir);
		free(cdir);
		if (pkey) {
			pages = state_pages_new(pkey, s, &snap, theme_dir);
			state_pages_load(pages, out, outdir, d);
		}
		free(pkey);
	}
	lap("theme", &t0);   /* the theme, and the previous site's page state */
	mem_hold(false);
	/* the pages that show no history render on every core while this
	 * thread reads the history; then the pages that show it */
	render_opts_t ro = { .threads = o->threads, .inject = o->inject, .pages = pages, .outdir = outdir,
			     .cancel = o->cancel };
	struct ready rd = { o, out, &t0 };
	if (o->ready) {
		ro.ready = on_ready;
		ro.ready_cls = &rd;
	}
	render_t *rr;
	render_begin(&rr, s, &th, out, d, &ro);
	history_src_t *hsrc;
	size_t nhsrc = sources_history(srcs, a, &hsrc);
	int hist = history_build_sources(&history, repo, a, s, &snap, o->content ? o->content : "content",
					 o->hcache, hsrc, nhsrc, pre, err);
	/* the pages read no Git object: what libgit2 keeps of the history's
	 * reading goes before the pages with history render (repo.h) */
	if (hist == 0)
		repo_forget_objects(repo);
	/* the walk's working memory and the history cache's buffers are
	 * freed but held by malloc while the pages render beside: 40-80 MB
	 * of resident memory at 10,000 plans */
	mem_trim();
	lap("history", &t0);
	if (history)
		report_cache(history, d, o->verbose);
	if (hist == 0 && history)
		for (size_t i = 0; i < history->nwarnings; i++) {
			loc_t loc = { history->warnings[i].where, 0, 0 };
			diag_warning_fix(d, &loc, "W040",
					 _("đặt git config i18n.commitEncoding UTF-8 (và user.name viết bằng UTF-8) "
					   "cho các lần cập nhật sau"),
					 _("%s không phải UTF-8 hợp lệ; các byte lỗi hiện thành \"�\": \"%s\""),
					 _(history->warnings[i].what), history->warnings[i].text);
		}
	if (pages)
		state_pages_history(pages, hist == 0 ? history : NULL);
	int rendered = render_finish(rr, hist == 0, history);
	lap("render", &t0);
	if (hist < 0) {
		rc = BUILD_ENV;
		goto done;
	}
	/* a disk that filled up is not the content's fault */
	if (out_failed(out, err))
		goto done;
	if (rendered == RENDER_CANCELLED && !diag_errors(d)) {
		out_abort_to(out, o->trash);
		out = NULL;
		rc = BUILD_CANCELLED;
		goto done;
	}
	if (rendered < 0 || diag_errors(d)) {
		out_abort(out);
		out = NULL;
		rc = BUILD_CONTENT;
		goto done;
	}
	/* the key names the portal's commit only: a site with sources
	 * depends on their heads too, so it is never skipped */
	if (key && !srcs) {
		char *text = state_text(key);
		int w = out_write(out, STATE_FILE, text, strlen(text), err);
		free(text);
		if (w < 0)
			goto done;
	}
	if (pages && state_pages_write(pages, out, err) < 0)
		goto done;
	size_t shared, written;
	out_counts(out, &shared, &written);
	rc = out_commit(out, err) < 0 ? BUILD_ENV : BUILD_OK;
	out = NULL;
	if (rc == BUILD_OK) {
		char *serr = NULL;
		if (sources_save(srcs, &serr) < 0) {
			loc_t loc = { "", 0, 0 };
			diag_warning_fix(d, &loc, "W063", _("cho phép ghi thư mục đó; lần dựng sau mới nhớ được commit dựng được"),
					 "%s", serr);
			free(serr);
		}
		sources_print(srcs, stderr);
	}
	lap("publish", &t0);
	if (timing || getenv("PLANSITE_TIMING"))
		fprintf(stderr, "plansite: messages %zu errors, %zu warnings, %zu kB held\n", diag_errors(d),
			diag_warnings(d), diag_heap(d) >> 10);
	if (timing)
		fprintf(stderr, _("plansite: %zu tệp giống bản trước được dùng lại (liên kết cứng), %zu tệp được ghi\n"),
			shared, written);
	if ((timing || getenv("PLANSITE_TIMING")) && pages) {
		size_t kept, redone;
		state_pages_counts(pages, &kept, &redone);
		fprintf(stderr, _("plansite: %zu trang không đổi đầu vào được giữ nguyên, %zu trang được dựng lại\n"),
			kept, redone);
	}
done:
	mem_hold(false);
	/* first: it may still read the snapshot and the model */
	history_read_free(pre);
	pcache_free(pc);
	hver_layouts_free(taken);
	free(key);
	state_pages_free(pages);
	snap_release_data(&snap);
	out_abort(out);
	if (theme_ok)
		theme_free(&th);
	free(theme_dir);
	history_free(history);
	model_site_free(s);
	sources_free(srcs);
	arena_free(a);
	repo_free(repo);
	return rc;
}
