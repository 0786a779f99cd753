/* serve.c: the preview server (in progress: see issue 6). */
#include "serve.h"

#include <stdio.h>

int serve_run(const build_opts_t *o, int port)
{
	(void)o;
	(void)port;
	fputs("plansite: serve is not implemented yet\n", stderr);
	return 2;
}
