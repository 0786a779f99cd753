/* main.c: the command line (content-format.md §7).  Only main exits. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "due.h"
#include "serve.h"
#include "url.h"

static const char usage[] =
	"usage: plansite build [options]    build the site into --out (default public)\n"
	"       plansite check [options]    check the content, write nothing\n"
	"       plansite serve [options]    preview on http://127.0.0.1:PORT/, rebuilding on change\n"
	"       plansite --version | --help\n"
	"\n"
	"options:\n"
	"  --repo PATH        the content repository (default: the one around the current folder)\n"
	"  --ref REF          branch, tag, commit id or revision such as main~3 (default HEAD)\n"
	"  --content DIR      content root inside the repository (default content)\n"
	"  --worktree         read the working tree instead of a commit (drafts preview)\n"
	"  --theme DIR        theme folder (default: themes/default beside the program)\n"
	"  --out DIR          output folder, replaced only when the build succeeds (default public)\n"
	"  --as-of YYYY-MM-DD date for overdue and progress (default: the commit's date)\n"
	"  --base-url URL     the site's public address (overrides site.yaml)\n"
	"  --strict           check: also warn about unknown front matter keys, and\n"
	"                     refuse .html/.svg/.xml files under static/\n"
	"  --port N           serve: port on 127.0.0.1 (default 1313)\n"
	"  --jobs N           render on N threads (default: one per core)\n"
	"\n"
	"exit status: 0 built, 1 content errors (nothing published), 2 usage or environment errors\n";

enum { O_REPO = 256, O_REF, O_CONTENT, O_WORKTREE, O_THEME, O_OUT, O_ASOF, O_BASE,
       O_STRICT, O_PORT, O_JOBS, O_HELP, O_VERSION };

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
	{ "port", required_argument, NULL, O_PORT },
	{ "jobs", required_argument, NULL, O_JOBS },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
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
	case O_BASE: {
		char *norm;
		const char *why;
		if (url_base_normalise(arg, &norm, &why) < 0) {
			fprintf(stderr, "plansite: error: --base-url \"%s\" không dùng được: %s\n", arg, why);
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
			fprintf(stderr, "plansite: --as-of wants a date YYYY-MM-DD, not \"%s\"\n", arg);
			return 2;
		}
		return 0;
	case O_PORT:
		if ((*port = (int)number(arg, 1, 65535)) < 0) {
			fprintf(stderr, "plansite: --port wants 1..65535, not \"%s\"\n", arg);
			return 2;
		}
		return 0;
	case O_JOBS:
		if ((bo->threads = (int)number(arg, 1, 16)) < 0) {
			fprintf(stderr, "plansite: --jobs wants 1..16, not \"%s\"\n", arg);
			return 2;
		}
		return 0;
	case 'h':
	case O_HELP: fputs(usage, stdout); return 1;
	case O_VERSION: puts("plansite " PLANSITE_VERSION); return 1;
	default:
		fprintf(stderr, "plansite: unknown option \"%s\"\n%s", word, usage);
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
	/* Blocks of a megabyte and more (a big page's buffer, tasks.csv) are
	 * mapped and given back whole when freed.  glibc's default threshold
	 * rises with every such block freed, after which they are carved from
	 * the threads' heaps and stay there: 15-20 MB more at the peak. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	opterr = 0;
	int rc = parse(argc, argv, "+h", &bo, &port);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
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
			fprintf(stderr, "plansite: unexpected argument \"%s\"\n", sub_argv[optind]);
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
		fprintf(stderr, "plansite: unknown command \"%s\"\n%s", cmd, usage);
		return 2;
	}
	diag_t *d = diag_new();
	char *err = NULL;
	rc = build_run(&bo, d, publish, &err);
	diag_print(d, stderr);
	if (err) {
		fprintf(stderr, "plansite: error: %s\n", err);
		free(err);
	}
	if (rc == BUILD_CONTENT)
		fprintf(stderr, "plansite: %zu error%s, %zu warning%s; %s\n", diag_errors(d),
			diag_errors(d) == 1 ? "" : "s", diag_warnings(d), diag_warnings(d) == 1 ? "" : "s",
			publish ? "nothing published" : "check failed");
	diag_free(d);
	return rc;
}
