/* main.c: the command line (content-format.md §7).  Only main exits. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "due.h"
#include "i18n.h"
#include "mem.h"
#include "output.h"
#include "pool.h"
#include "serve.h"
#include "theme.h"
#include "url.h"
#include "version.h"

/* The usage text; translated when printed (gettext is set up by then). */
static const char usage_text[] = N_(
	"cách dùng: plansite build [tuỳ chọn]  dựng trang vào --out (mặc định public)\n"
	"           plansite check [tuỳ chọn]  kiểm tra nội dung, không ghi gì\n"
	"           plansite serve [tuỳ chọn]  xem trước ở http://127.0.0.1:CỔNG/, dựng lại khi có thay đổi\n"
	"           plansite --version | --help\n"
	"\n"
	"tuỳ chọn:\n"
	"  --repo PATH        kho nội dung (mặc định: kho chứa thư mục hiện tại)\n"
	"  --ref REF          nhánh, thẻ, mã commit hoặc phiên bản như main~3 (mặc định HEAD)\n"
	"  --content DIR      thư mục nội dung trong kho (mặc định content)\n"
	"  --worktree         đọc các tệp đang sửa thay cho một commit (xem trước bản nháp)\n"
	"  --theme DIR        thư mục giao diện (mặc định: cạnh chương trình, nếu không thì bản đã cài)\n"
	"  --out DIR          thư mục kết quả (mặc định public), chỉ được thay khi dựng thành công\n"
	"                     và khi nó chưa có, rỗng hoặc là trang plansite đã dựng\n"
	"  --as-of YYYY-MM-DD ngày tính quá hạn và tiến độ (mặc định: ngày của commit)\n"
	"  --base-url URL     địa chỉ công khai của trang (thay cho site.yaml)\n"
	"  --strict           check: cảnh báo cả các khoá lạ trong phần khai báo,\n"
	"                     và báo lỗi tệp .html/.svg/.xml trong static/\n"
	"  --strict-sources   build, check: một nguồn (site.yaml sources) bị giữ lại hoặc không đăng\n"
	"                     là lỗi (mã thoát 1) thay vì cảnh báo\n"
	"  --source-ref ID=REF  dựng nguồn ID ở REF thay cho ref trong site.yaml (dùng được nhiều lần)\n"
	"  --source-repo ID=PATH  đọc nguồn ID từ kho PATH thay cho repo trong site.yaml\n"
	"  --only-source ID   chỉ dựng nguồn ID (các nguồn khác bỏ qua), lỗi của nó là lỗi\n"
	"                     (hook pre-receive của kho nguồn)\n"
	"  --verbose          check: liệt kê từng nhiệm vụ chưa đủ \"5 rõ\" (mặc định một dòng mỗi kế hoạch);\n"
	"                     build, serve: in thời gian từng bước và số tệp ghi mới/dùng lại\n"
	"  --force            build: dựng lại và ghi mọi tệp dù --out đã dựng từ cùng commit và tuỳ chọn\n"
	"  --format text|json check, build: json in mỗi thông báo thành một đối tượng JSON một dòng\n"
	"  --lang vi|en       ngôn ngữ thông báo (mặc định tiếng Việt; en khi LANG bắt đầu bằng en)\n"
	"  --port N           serve: cổng trên 127.0.0.1 (mặc định 1313)\n"
	"  --jobs N           dựng trên N luồng (mặc định: một luồng mỗi nhân)\n"
	"\n"
	"mã thoát: 0 dựng xong, 1 nội dung có lỗi (không xuất bản gì), 2 lỗi cách dùng hoặc môi trường\n"
	"(--out bị từ chối, đầy đĩa, chỉ đọc, giao diện thiếu mẫu; không xuất bản gì)\n");

#define usage _(usage_text)

enum { O_REPO = 256, O_REF, O_CONTENT, O_WORKTREE, O_THEME, O_OUT, O_ASOF, O_BASE,
       O_STRICT, O_STRICT_SOURCES, O_SOURCE_REF, O_SOURCE_REPO, O_ONLY_SOURCE, O_PORT, O_JOBS, O_HELP, O_VERSION, O_VERBOSE, O_FORMAT, O_LANG, O_FORCE };

static int json_format;   /* --format json */

static const struct option opts[] = {
	{ "repo", required_argument, NULL, O_REPO },
	{ "ref", required_argument, NULL, O_REF },
	{ "content", required_argument, NULL, O_CONTENT },
	{ "worktree", no_argument, NULL, O_WORKTREE },
	{ "theme", required_argument, NULL, O_THEME },
	{ "out", required_argument, NULL, O_OUT },
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "base-url", required_argument, NULL, O_BASE },
	{ "strict", no_argument, NULL, O_STRICT },
	{ "strict-sources", no_argument, NULL, O_STRICT_SOURCES },
	{ "source-ref", required_argument, NULL, O_SOURCE_REF },
	{ "source-repo", required_argument, NULL, O_SOURCE_REPO },
	{ "only-source", required_argument, NULL, O_ONLY_SOURCE },
	{ "port", required_argument, NULL, O_PORT },
	{ "jobs", required_argument, NULL, O_JOBS },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ "verbose", no_argument, NULL, O_VERBOSE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "lang", required_argument, NULL, O_LANG },
	{ "force", no_argument, NULL, O_FORCE },
	{ NULL, 0, NULL, 0 },
};

/* A number in lo..hi, or -1. */
static long number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= lo && v <= hi ? v : -1;
}

/* Applies one option.  Returns 0, 1 when it printed help or the version
 * (exit 0), or 2 after printing a usage error. */
static int apply(int c, const char *arg, const char *word, build_opts_t *bo, int *port)
{
	switch (c) {
	case O_REPO: bo->repo = arg; return 0;
	case O_REF: bo->ref = arg; return 0;
	case O_CONTENT: bo->content = arg; return 0;
	case O_WORKTREE: bo->worktree = true; return 0;
	case O_THEME: bo->theme = arg; return 0;
	case O_OUT: bo->out = arg; return 0;
	case O_STRICT: bo->strict = true; return 0;
	case O_VERBOSE: bo->verbose = bo->timing = true; return 0;
	case O_FORCE: bo->force = true; return 0;
	case O_STRICT_SOURCES: bo->strict_sources = true; return 0;
	case O_ONLY_SOURCE: bo->only_source = arg; return 0;
	case O_SOURCE_REF: case O_SOURCE_REPO: {
		const char *opt = c == O_SOURCE_REF ? "--source-ref" : "--source-repo";
		const char *eq = strchr(arg, '=');
		if (!eq || eq == arg || !eq[1]) {
			fprintf(stderr, _("plansite: %s cần dạng ID=GIÁ_TRỊ, ví dụ so-tu-phap=main~1, không phải \"%s\"\n"),
				opt, arg);
			return 2;
		}
		/* lives as long as the run, like argv */
		static source_pin_t pins[64];
		size_t k = 0, n = (size_t)(eq - arg);
		while (k < bo->npins && (strlen(pins[k].id) != n || strncmp(pins[k].id, arg, n)))
			k++;
		if (k == 64) {
			fprintf(stderr, _("plansite: %s dùng được cho tối đa 64 nguồn\n"), opt);
			return 2;
		}
		if (k == bo->npins) {
			pins[k] = (source_pin_t){ xstrndup(arg, n), NULL, NULL };
			bo->npins++;
		}
		if (c == O_SOURCE_REF)
			pins[k].ref = eq + 1;
		else
			pins[k].repo = eq + 1;
		bo->pins = pins;
		return 0;
	}
	case O_LANG: return 0;   /* applied before anything is printed */
	case O_FORMAT:
		if (!strcmp(arg, "json") || !strcmp(arg, "text")) {
			json_format = !strcmp(arg, "json");
			return 0;
		}
		fprintf(stderr, _("plansite: --format nhận text hoặc json, không phải \"%s\"\n"), arg);
		return 2;
	case O_BASE: {
		char *norm;
		const char *why;
		if (url_base_normalise(arg, &norm, &why) < 0) {
			fprintf(stderr, _("plansite: --base-url \"%s\" không dùng được: %s\n"), arg, _(why));
			return 2;
		}
		/* lives as long as the run, like argv */
		static char *kept;
		free(kept);
		bo->base_url = kept = norm;
		return 0;
	}
	case O_ASOF:
		if (date_parse_iso(arg, &bo->as_of) < 0) {
			fprintf(stderr, _("plansite: --as-of cần một ngày YYYY-MM-DD, không phải \"%s\"\n"), arg);
			return 2;
		}
		return 0;
	case O_PORT:
		if ((*port = (int)number(arg, 1, 65535)) < 0) {
			fprintf(stderr, _("plansite: --port cần một số 1..65535, không phải \"%s\"\n"), arg);
			return 2;
		}
		return 0;
	case O_JOBS:
		if ((bo->threads = (int)number(arg, 1, 16)) < 0) {
			fprintf(stderr, _("plansite: --jobs cần một số 1..16, không phải \"%s\"\n"), arg);
			return 2;
		}
		return 0;
	case 'h':
	case O_HELP: fputs(usage, stdout); return 1;
	case O_VERSION: {
		version_print(stdout);
		/* where an installed copy finds its theme, when --theme is not given */
		char *dir = theme_locate(bo->theme);
		printf("theme folder: %s\n", dir);
		free(dir);
		return 1;
	}
	default:
		fprintf(stderr, _("plansite: không có tuỳ chọn \"%s\"\n%s"), word, usage);
		return 2;
	}
}

/* Parses options from argv[optind..]; "+" stops at the first word that is
 * not an option (the command).  Returns as apply does. */
static int parse(int argc, char **argv, const char *spec, build_opts_t *bo, int *port)
{
	int c;
	while ((c = getopt_long(argc, argv, spec, opts, NULL)) != -1) {
		int rc = apply(c, optarg, argv[optind - 1], bo, port);
		if (rc)
			return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	build_opts_t bo = { .content = "content", .out = "public" };
	int port = 1313;
	opterr = 0;
	/* the language comes first: every message after it is translated */
	const char *lang = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
		else if (!strncmp(argv[i], "--lang=", 7))
			lang = argv[i] + 7;
	}
	if (i18n_init(lang) < 0) {
		i18n_init(NULL);
		fprintf(stderr, _("plansite: --lang nhận vi hoặc en, không phải \"%s\"\n"), lang);
		return 2;
	}
	int rc = parse(argc, argv, "+h", &bo, &port);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	/* the allocator, before the work (mem.c) */
	mem_setup(pool_size(bo.threads, 16));
	const char *cmd = argv[optind++];
	/* options may also follow the command */
	if (optind < argc) {
		int sub_argc = argc - optind + 1;
		char **sub_argv = argv + optind - 1;
		optind = 1;
		rc = parse(sub_argc, sub_argv, "h", &bo, &port);
		if (rc)
			return rc == 1 ? 0 : 2;
		if (optind < sub_argc) {
			fprintf(stderr, _("plansite: thừa đối số \"%s\"\n"), sub_argv[optind]);
			return 2;
		}
	}
	int publish;
	if (!strcmp(cmd, "build"))
		publish = 1;
	else if (!strcmp(cmd, "check"))
		publish = 0;
	else if (!strcmp(cmd, "serve"))
		return serve_run(&bo, port);
	else {
		fprintf(stderr, _("plansite: không có lệnh \"%s\"\n%s"), cmd, usage);
		return 2;
	}
	/* Ctrl-C or a service stop removes the staging folder, then ends the
	 * process as the signal would (before any thread is started) */
	if (publish)
		out_guard_signals();
	diag_t *d = diag_new();
	char *err = NULL;
	rc = build_run(&bo, d, publish, &err);
	if (err) {
		/* not the content's fault: said once, after the content's messages;
		 * in JSON it is one more object, without a file */
		if (json_format)
			diag_error(d, NULL, "E099", "%s", err);
		else
			diag_print(d, stderr);
		fprintf(stderr, _("plansite: error: %s\n"), err);
		free(err);
	} else if (!json_format) {
		diag_print(d, stderr);
	}
	if (json_format)
		diag_print_json(d, stdout);
	if (rc == BUILD_CONTENT)
		fprintf(stderr, _("plansite: %zu lỗi, %zu cảnh báo; %s\n"), diag_errors(d), diag_warnings(d),
			publish ? _("không xuất bản gì") : _("kiểm tra không đạt"));
	diag_free(d);
	return rc;
}
