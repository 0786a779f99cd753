/* mem.h: the memory allocator's settings, its figures, and memory given back
 * to the kernel.
 *
 * The release build links tcmalloc (gperftools' libtcmalloc_minimal), which
 * takes the place of glibc's malloc in the whole process, libraries
 * included; the sanitizer builds keep the sanitizers' own.  Everything that depends on which one runs is here. */
#ifndef PLANSITE_MEM_H
#define PLANSITE_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* The allocator's settings, once, before the work starts; `heaps` is the
 * number of threads that allocate at once (pool_size of --jobs). */
void mem_setup(int heaps);

/* A new thread's first step, before it allocates (pool.c). */
void mem_thread_begin(void);

/* The process's resident memory: its peak so far and now (kB, from
 * /proc/self/status; 0 where it cannot be read), and the heap in use
 * (bytes the program holds, as the allocator counts them, and
 * mem_block's blocks whole), and the
 * anonymous part of now (kB: the heaps, the blocks mapped on their own, the
 * threads' stacks). For PLANSITE_TIMING and mem_trim. */
typedef struct { long peak_kb, now_kb; size_t heap; long anon_kb; } mem_probe_t;
mem_probe_t mem_probe(void);

/* n zeroed bytes whose pages are taken only as they are first written, for
 * a big table most of which may never be: an anonymous mapping of its own
 * (glibc's calloc gives a fresh mapping without clearing it, tcmalloc's
 * clears what it hands out).  Freed with mem_sparse_free(p, n); aborts when
 * out of memory, as xcalloc does. */
void *mem_sparse(size_t n);
void mem_sparse_free(void *p, size_t n);

/* A block of n bytes, n a multiple of MEM_BLOCK (2 MB), for an arena that
 * lives as long as the build (arena_new_big, util.h): in the release build
 * a mapping of its own, aligned to MEM_BLOCK and in big pages where the
 * kernel gives them, outside the heap and its scavenger; with the
 * sanitizers, malloc's.  Not cleared.  Freed with mem_block_free(p, n);
 * aborts when out of memory, as xmalloc does. */
#define MEM_BLOCK ((size_t)2 << 20)
void *mem_block(size_t n);
void mem_block_free(void *p, size_t n);

/* Gives the free pages of the heaps back to the kernel where that is worth
 * its cost: when the heap is big or much of what is resident is free. */
void mem_trim(void);

/* mem_hold(true): until mem_hold(false), memory freed stays with the
 * process for the next allocations (neither the allocator's scavenger nor
 * mem_trim gives it back).  For the stages before the one whose heap is
 * the biggest: what they free is reused by the stages after them, and
 * giving it back would only have it faulted in again. */
void mem_hold(bool on);

#endif
