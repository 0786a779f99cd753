/* serve.h: the preview server (127.0.0.1 only, libmicrohttpd): builds the
 * site, serves it, rebuilds on change and reloads open pages. */
#ifndef PLANSITE_SERVE_H
#define PLANSITE_SERVE_H

#include "build.h"

/* Runs until interrupted; returns the process exit status. */
int serve_run(const build_opts_t *o, int port);

#endif
