/* xref.h: cross-references: the unit registry and name resolution, the
 * document registry and the implements graph, and every URL slug. */
#ifndef PLANSITE_XREF_H
#define PLANSITE_XREF_H

#include "model.h"

/* Reads units.yaml and documents.yaml from the snapshot, resolves every
 * unit name and document number of the site, builds the implements graph
 * (a cycle is an error naming its files), and gives every plan, unit and
 * document its slug and URL.  Problems go to d. */
void xref_resolve(arena_t *a, diag_t *d, site_t *s, const snap_t *snap);

/* Finds a document (or plan) by number or alias in any spelling; NULL if
 * unknown.  Valid after xref_resolve. */
doc_t *xref_find_doc(const site_t *s, const char *number);

#endif
