/* model_cache.h: the plans of the work tree parsed by one build, kept for
 * the next build of the same process (serve): a plan file whose bytes did
 * not change is not parsed again, and its messages are reported again as
 * they were.  What xref and progress derive is computed anew every build. */
#ifndef PLANSITE_MODEL_CACHE_H
#define PLANSITE_MODEL_CACHE_H

#include "model.h"

/* An empty cache; the caller frees it with model_cache_free (accepts
 * NULL), after the last build that used it has ended.  A cache serves one
 * build at a time. */
model_cache_t *model_cache_new(void);
void model_cache_free(model_cache_t *mc);

/* The plan files idx[0..n-1] of snap, in that order, into out[] (NULL for
 * a file without usable front matter), each one's messages reported to d:
 * kept plans whose file has the same path and bytes (reset to what the
 * parse made of them), the others parsed and kept for the next build.
 * The plans live in the cache until a later call finds their file changed
 * or gone: the site built from them must be freed before that call. */
void model_cache_plans(model_cache_t *mc, diag_t *d, const snap_t *snap, const model_opts_t *o,
		       const size_t *idx, size_t n, plan_t **out);

/* How many plans the last call kept and how many it parsed. */
void model_cache_counts(const model_cache_t *mc, size_t *reused, size_t *parsed);

#endif
