/* main.c: the command line (content-format.md §7).  Only main exits. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "due.h"
#include "serve.h"

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
	"  --strict           check: also warn about unknown front matter keys\n"
	"  --port N           serve: port on 127.0.0.1 (default 1313)\n"
	"  --jobs N           render on N threads (default: one per core)\n"
	"\n"
	"exit status: 0 built, 1 content errors (nothing published), 2 usage or environment errors\n";

int main(int argc, char **argv)
{
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
	build_opts_t bo = { .content = "content", .out = "public" };
	int port = 1313;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case O_REPO: bo.repo = optarg; break;
		case O_REF: bo.ref = optarg; break;
		case O_CONTENT: bo.content = optarg; break;
		case O_WORKTREE: bo.worktree = true; break;
		case O_THEME: bo.theme = optarg; break;
		case O_OUT: bo.out = optarg; break;
		case O_BASE: bo.base_url = optarg; break;
		case O_STRICT: bo.strict = true; break;
		case O_ASOF:
			if (date_parse_iso(optarg, &bo.as_of) < 0) {
				fprintf(stderr, "plansite: --as-of wants a date YYYY-MM-DD, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case O_PORT: {
			char *end;
			long p = strtol(optarg, &end, 10);
			if (*end || p < 1 || p > 65535) {
				fprintf(stderr, "plansite: --port wants 1..65535, not \"%s\"\n", optarg);
				return 2;
			}
			port = (int)p;
			break;
		}
		case O_JOBS: {
			char *end;
			long j = strtol(optarg, &end, 10);
			if (*end || j < 1 || j > 16) {
				fprintf(stderr, "plansite: --jobs wants 1..16, not \"%s\"\n", optarg);
				return 2;
			}
			bo.threads = (int)j;
			break;
		}
		case 'h':
		case O_HELP: fputs(usage, stdout); return 0;
		case O_VERSION: puts("plansite " PLANSITE_VERSION); return 0;
		default:
			fprintf(stderr, "plansite: unknown option \"%s\"\n%s", argv[optind - 1], usage);
			return 2;
		}
	}
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
		while ((c = getopt_long(sub_argc, sub_argv, "h", opts, NULL)) != -1) {
			switch (c) {
			case O_REPO: bo.repo = optarg; break;
			case O_REF: bo.ref = optarg; break;
			case O_CONTENT: bo.content = optarg; break;
			case O_WORKTREE: bo.worktree = true; break;
			case O_THEME: bo.theme = optarg; break;
			case O_OUT: bo.out = optarg; break;
			case O_BASE: bo.base_url = optarg; break;
			case O_STRICT: bo.strict = true; break;
			case O_ASOF:
				if (date_parse_iso(optarg, &bo.as_of) < 0) {
					fprintf(stderr, "plansite: --as-of wants a date YYYY-MM-DD, not \"%s\"\n",
						optarg);
					return 2;
				}
				break;
			case O_PORT: {
				char *end;
				long p = strtol(optarg, &end, 10);
				if (*end || p < 1 || p > 65535) {
					fprintf(stderr, "plansite: --port wants 1..65535, not \"%s\"\n", optarg);
					return 2;
				}
				port = (int)p;
				break;
			}
			case O_JOBS: {
				char *end;
				long j = strtol(optarg, &end, 10);
				if (*end || j < 1 || j > 16) {
					fprintf(stderr, "plansite: --jobs wants 1..16, not \"%s\"\n", optarg);
					return 2;
				}
				bo.threads = (int)j;
				break;
			}
			case 'h':
			case O_HELP: fputs(usage, stdout); return 0;
			default:
				fprintf(stderr, "plansite: unknown option \"%s\"\n%s", sub_argv[optind - 1], usage);
				return 2;
			}
		}
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
	int rc = build_run(&bo, d, publish, &err);
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
