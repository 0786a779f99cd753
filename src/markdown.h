/* markdown.h: CommonMark bodies rendered with cmark in safe mode: no raw
 * HTML, no javascript:/data: links, stable heading ids, and known document
 * numbers linked to their pages. */
#ifndef PLANSITE_MARKDOWN_H
#define PLANSITE_MARKDOWN_H

#include "model.h"

/* Renders md to HTML; returns a malloc'd string the caller frees.  Known
 * document numbers (site s, may be NULL) in text are linked to their pages,
 * except `self`, and never inside code or existing links. */
char *md_render(const char *md, size_t len, const site_t *s, const doc_t *self);

#endif
