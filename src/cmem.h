/* cmem.h: a cmark allocator over a scratch arena of the calling thread. */
#ifndef PLANSITE_CMEM_H
#define PLANSITE_CMEM_H

#include <cmark.h>

/* Opens a scope on this thread and returns the allocator to give cmark
 * (cmark_parser_new_with_mem, cmark_node_new_with_mem): its blocks are cut
 * from the thread's scratch chunks, and freeing one gives nothing back
 * until cmem_end.  Scopes nest; nothing allocated in one may be used after
 * its cmem_end. */
cmark_mem *cmem_begin(void);

/* Closes the scope: when it is the outermost, every block of it is freed
 * at once (cmark's own frees of them cost nothing before). */
void cmem_end(void);

/* The Markdown text md parsed with the scope's allocator. */
cmark_node *cmem_parse(cmark_mem *mem, const char *md, size_t len, int options);

#endif
