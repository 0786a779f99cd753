/* docnum.h: where document numbers may be in Markdown text, found the same
 * way by the renderer (to link them) and by xref (to question slips). */
#ifndef PLANSITE_DOCNUM_H
#define PLANSITE_DOCNUM_H

#include <stddef.h>

/* The next run of text[*pos..len) that may be a document number: it starts
 * with a digit after a non-number byte, is the maximal run of number bytes
 * (ASCII letters and digits, '&', '/', '-', Đ/đ, en and em dashes; so a
 * number is never matched inside a longer one) without trailing '-' or '/',
 * and has a '/' or '-' in it.  Sets [*start, *end) and moves *pos past the
 * run; returns 0 when there is none.  Pure. */
int docnum_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

/* Calls fn for every run of Markdown body text md[0..len) that the
 * renderer would link if it were a known document number (outside code and
 * links): the run's bytes (not NUL-terminated, valid during the call only),
 * its 1-based line in md and 1-based byte column. */
typedef void (*docnum_fn)(void *arg, const char *num, size_t n, int line, int col);
void docnum_scan(const char *md, size_t len, docnum_fn fn, void *arg);

#endif
