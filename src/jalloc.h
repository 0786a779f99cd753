/* jalloc.h: the template data of one page, allocated in bulk.
 *
 * A page's template data is tens of thousands of small jansson values,
 * made, rendered once and dropped.  Between jalloc_begin() and jalloc_end()
 * a thread's new jansson values come from its own chunks, and are given
 * back all together at the end, instead of one malloc and one free each.
 *
 * Rules: values made in a scope must be gone (their last reference dropped)
 * by its end, and never reach another thread; nothing a scope makes may be
 * freed with free() (json_dumps() output, for one).  Values made outside a
 * scope are ordinary malloc'd ones and may be used and dropped anywhere. */
#ifndef PLANSITE_JALLOC_H
#define PLANSITE_JALLOC_H

/* Installs the allocator in jansson (once per process; safe to repeat). */
void jalloc_init(void);
void jalloc_begin(void);
void jalloc_end(void);
/* A thread that ends leaves one of the chunks it kept for its next scope to
 * the threads that come after it (up to 16 in all) and frees the rest. */
void jalloc_thread_done(void);
/* Frees the chunks left by threads that ended; call when no thread is in
 * a scope (the end of a render). */
void jalloc_release(void);

#endif
