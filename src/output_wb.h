/* output_wb.h: write-behind for the staging folder (output.c).
 *
 * A site of gigabytes written into the page cache leaves it all dirty
 * until the kernel's flusher catches up; past the dirty background
 * threshold the writer pays for the flushing, and on a virtual machine
 * whose free memory goes back to the host each new page-cache page is
 * first touched at host-fault cost (2.8 ms a megabyte on the machines of
 * bench/README.md, twenty times a copy into a reused page).  So once the
 * build has written `start` bytes, a thread of its own asks the kernel to
 * write each finished file to disk (sync_file_range), and once `keep`
 * more bytes are written after that, lets the kernel drop the file's
 * clean pages (posix_fadvise DONTNEED): the pages of the site's last
 * start + keep bytes stay cached, and the kernel hands the build pages it
 * has just freed instead of fresh ones.  Nothing here changes what is
 * written; a page the disk has not taken yet is simply not dropped. */
#ifndef PLANSITE_OUTPUT_WB_H
#define PLANSITE_OUTPUT_WB_H

#include <stddef.h>

typedef struct outwb outwb_t;

/* The defaults, in megabytes (PLANSITE_WRITEBEHIND=START[,KEEP] sets
 * them; PLANSITE_WRITEBEHIND=0 turns write-behind off). */
#define OUTWB_START_MB 256
#define OUTWB_KEEP_MB 256

/* Write-behind over the open folder dfd (which must stay open until
 * outwb_free), as PLANSITE_WRITEBEHIND says; NULL when it is off or no
 * thread could be started (then the build writes as before). */
outwb_t *outwb_new(int dfd);

/* rel (relative to dfd) was written and closed: bytes of it. */
void outwb_add(outwb_t *w, const char *rel, size_t bytes);

/* Stops the thread (what it has not reached stays as written) and frees
 * w; accepts NULL. */
void outwb_free(outwb_t *w);

#endif
