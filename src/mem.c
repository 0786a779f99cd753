/* mem.c: the memory allocator's settings, its figures, and memory given back
 * to the kernel (mem.h).
 *
 * Why tcmalloc.  A cold build of 1,000 plans made 4.0 million frees and 3.4
 * million mallocs and reallocs, most of them libyaml's (a token's and an
 * event's strings, 913,000 events): glibc's malloc, free and realloc were
 * 920 million of its 10.14 billion instructions, tcmalloc's 330 million
 * (9.55 billion in all; callgrind, one run each, the same binary with
 * tcmalloc preloaded).  Eight alternating cold builds each of the glibc
 * binary and of this one as it is (2 cores, quiet, outputs on tmpfs,
 * 2026-12-02): wall 1.195 s against 1.285 s, CPU 2.22 s against 2.37 s
 * (user 1.69 against 1.80, system 0.53 against 0.57), page faults 21,300
 * against 21,900, peak 101 MB against 98 MB (medians).  At 10,000 plans
 * (3 alternating runs each): 11.1-11.2 s against 10.6-11.3 s, a peak of
 * 371-388 MB against 371-373 MB.  The same output byte for byte (the tree,
 * stdout, stderr and the history cache; tests/e2e/test_allocator.sh
 * compares the release and sanitizer builds).  glibc's tunables do not
 * get there: 2,000 entries a thread cache bin instead of 7 saved 0.8% of
 * the instructions; jemalloc (decay off, 2 arenas) and mimalloc made 35,000-
 * 40,000 page faults and more CPU time. */
#include "mem.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(PLANSITE_TCMALLOC)
#include <gperftools/malloc_extension_c.h>
#elif defined(__GLIBC__)
#include <malloc.h>
#endif

void *mem_sparse(size_t n)
{
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fputs("plansite: out of memory\n", stderr);
		abort();
	}
	return p;
}

void mem_sparse_free(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

#if defined(PLANSITE_TCMALLOC)
/* mem_block's blocks: mappings of their own, so that the model is in big
 * pages whatever the heap does.  At 10,000 plans the model is 130-150 MB,
 * and it was carved from the heap past where the heap has big pages
 * (BIG_HEAP, below: the plans' texts of the read take most of that): each
 * 4 kB of it a page fault when first written, and a TLB miss when read all
 * over by the pages (put_task, plan_get, the unit pages' merges and the
 * deadlines' sorts took 10-60 times the CPU of the 1,000-plan build for 10
 * times the rows).  Cold builds of 10,000 plans, alternating, the build's
 * arena and the parse's in blocks of 2 MB against the heap's 64 kB blocks
 * (both holding, mem_hold; 2026-12-03): from their first block (3 pairs),
 * user time 13.6-14.8 s against 15.9-16.3 s, 57,000-62,000 page faults
 * against 71,000-72,000, a peak of 379-393 MB against 391-394 MB; past
 * their first 32 MB (util.c, 2 pairs), 14.8-15.6 s against 15.3-17.3 s,
 * the pages' CPU time 10.6-11.4 s against 13.3-13.4 s, 67,000-68,000
 * page faults against 72,000-76,000, the same peaks (379 and 392 MB).
 * The bytes of the blocks now, which the scavenger (below) counts in what
 * the program has in use: it sees only the heap. */
static _Atomic size_t block_bytes;

void *mem_block(size_t n)
{
	/* mapped MEM_BLOCK more than asked, then cut to a boundary */
	char *p = mmap(NULL, n + MEM_BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fputs("plansite: out of memory\n", stderr);
		abort();
	}
	uintptr_t at = ((uintptr_t)p + MEM_BLOCK - 1) & ~(uintptr_t)(MEM_BLOCK - 1);
	size_t head = at - (uintptr_t)p;
	if (head)
		munmap(p, head);
	munmap((char *)at + n, MEM_BLOCK - head);
	const char *e = getenv("PLANSITE_HUGEPAGES");
	if (!(e && !strcmp(e, "0")))
		madvise((void *)at, n, MADV_HUGEPAGE);
	block_bytes += n;
	return (void *)at;
}

void mem_block_free(void *p, size_t n)
{
	if (p) {
		munmap(p, n);
		block_bytes -= n;
	}
}
#else
void *mem_block(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("plansite: out of memory\n", stderr);
		abort();
	}
	return p;
}

void mem_block_free(void *p, size_t n)
{
	(void)n;
	free(p);
}
#endif

static long status_kb(const char *line, const char *key)
{
	size_t n = strlen(key);
	return strncmp(line, key, n) ? -1 : atol(line + n);
}

static void read_status(mem_probe_t *m)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v;
	while (f && fgets(line, sizeof line, f))
		if ((v = status_kb(line, "VmHWM:")) >= 0)
			m->peak_kb = v;
		else if ((v = status_kb(line, "VmRSS:")) >= 0)
			m->now_kb = v;
		else if ((v = status_kb(line, "RssAnon:")) >= 0)
			m->anon_kb = v;
	if (f)
		fclose(f);
}

/* A trim is worth it when the heap is big: at 10,000 plans it is 160-330
 * MB where the build trims, and its peak (376-382 MB, in the history) is
 * near the 400 MB target; or when much is resident but free: a build of
 * 1,000 plans has 20-60 MB in use there, and 25-45 MB resident and free
 * (glibc; what each trim costs is said where it is done). */
enum { TRIM_HEAP = 96 << 20 /* bytes */, TRIM_SLACK = 48 << 10 /* kB */ };

/* Set by mem_hold: nothing is given back.  A build holds its memory until
 * its pages render (build.c), where its heap is the biggest: at 10,000
 * plans the parse frees the plans' texts (160 MB) as it builds the model,
 * and the scavenger below gave them back at once, since the heap in use
 * was under its high-water mark of the read; the model, the cross-
 * references and the history's reading then faulted as much in again.
 * Held, the parse and the cross-references took 1.17-1.26 s and 0.30-0.34
 * s instead of 1.82-2.03 s and 0.50-0.59 s, 11,000-16,000 page faults
 * instead of 52,000-56,000 (3 alternating cold builds each, 2026-12-03);
 * the peak, in the history beside the pages, is where it was (371-392 MB
 * against 368-391 MB): the memory held is in use by then.  With the model
 * in big blocks of its own (mem_block), which the texts' memory cannot
 * serve, the hold still pays: the cross-references and the history's
 * reading take that memory instead (3 alternating cold builds with and
 * without it, the model in big blocks from its first: 3,000 page faults in the cross-references against 14,000-
 * 15,000, 34,000-38,000 in the history against 51,000-53,000, user time
 * 13.6-14.8 s against 14.8-14.9 s, peaks 379-393 MB against 384-395 MB).
 * A site of 1,000 plans gives nothing back before its pages either way
 * (mem_trim's thresholds). */
static _Atomic bool held;

void mem_hold(bool on)
{
	held = on;
}

#if defined(PLANSITE_TCMALLOC)

/* One of tcmalloc's figures (malloc_extension.h), 0 when it has none. */
static size_t prop(const char *name)
{
	size_t v = 0;
	MallocExtension_GetNumericProperty(name, &v);
	return v;
}

/* tcmalloc gives memory back to the kernel a little at a time as it is
 * freed, and keeps the rest in its free lists: at 10,000 plans 45-70 MB at
 * the end of the history (page heap 30 MB, per-size lists and thread caches
 * 15 MB), which took the peak to 412-438 MB against glibc's 376-379 MB.
 * Its own settings did not bring it down (a release rate of 10 or 100,
 * thread caches of 8 MB: 401-420 MB; aggressive decommit: 399 MB and 18.5
 * s instead of 12 s).  What does, as google's newer tcmalloc and jemalloc do
 * in a thread of their own: while the heap is big, a look every 50 ms,
 * and the page heap's free spans given back past a few MB (release_free);
 * with thread caches of 4 MB in all, 375-387 MB in 5 runs (the arena
 * blocks of util.c cut to tcmalloc's 64 kB class, and tmpl.c's sparse
 * table of cells mapped on its own: tcmalloc clears what calloc asks for,
 * 19 MB there).  The price is page faults: 200,000 against glibc's
 * 147,000, the same time.  Thread caches of 2 MB hold the 1k peak at 101
 * MB instead of 106 at the same speed (8 alternating runs each).  A site of
 * 1,000 plans stays under the heap size where the scavenger starts. */
#define SCAVENGE_HEAP ((size_t)192 << 20)   /* the scavenger's threshold, below */

/* The heap in big pages.  tcmalloc takes its memory from the kernel with
 * sbrk(2) (glibc's __sbrk, called through the dynamic linker): a megabyte
 * or a few at a time, in pages of 4 kB, each faulted in at its first
 * write.  A fault costs 15 us on a paravirtualised VM like the ones this
 * runs on (2 cores, 2026-12-03: 64 MB touched page by page took 240-260 ms,
 * in pages of 2 MB 4-175 ms), and a cold build of 1,000 plans made 21,000
 * of them, nearly all in the heap.  The kernel gives a region 2 MB pages
 * when asked (madvise(MADV_HUGEPAGE); transparent_hugepage "madvise", the
 * default of Debian and Ubuntu) and only where a whole 2 MB page lies
 * inside the region: a heap grown a megabyte at a time, each piece written
 * at once, never has one.  So the definition of __sbrk and sbrk here,
 * which the dynamic linker binds tcmalloc's call to (the program's own
 * symbols come first), moves the kernel's break to the next 2 MB boundary
 * past the one asked for, marks the new stretch, and answers as sbrk does
 * for the break asked for; the rest of the stretch is used by the next
 * calls.  Nothing beyond the break asked for is written, so it takes no
 * memory.  A cold build of 1,000 plans (3 alternating runs each, the
 * allocator's sbrk given in front with LD_PRELOAD): 3,000-3,200 page
 * faults instead of 20,900-21,700, 0.87-0.94 s instead of 1.08-1.12 s, a
 * peak of 105-109 MB instead of 103-105 MB.  Past the heap size where the
 * scavenger starts giving memory back (SCAVENGE_HEAP), the heap grows in
 * small pages again: the free spans it gives back split the big pages they
 * lie in, which the next allocations fault back page by page, and a big
 * page only partly used is resident whole.  At 10,000 plans (2 runs each):
 * a peak of 379-381 MB against 385-387 MB with the whole heap in big pages
 * and 364-375 MB with none, 167,000 page faults against 116,000 and
 * 208,000-220,000 (the wall time moved 13-25 s with the machine's load,
 * none of it to be told apart).  PLANSITE_HUGEPAGES=0 in the
 * environment leaves the heap in small pages (for comparison); where the
 * kernel has no big pages the call fails and nothing changes.  Only
 * tcmalloc calls sbrk in this process (glibc's malloc is not used; the
 * dynamic loader maps its memory). */
#define BIG_PAGE ((uintptr_t)2 << 20)
#define BIG_HEAP ((uintptr_t)SCAVENGE_HEAP)

void *__sbrk(intptr_t increment);

static pthread_mutex_t brk_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t brk_start, brk_asked, brk_set;   /* the heap's start; the caller's break; the kernel's */
static int brk_big = -1;                /* big pages: unknown yet, no, yes */

void *__sbrk(intptr_t increment)
{
	pthread_mutex_lock(&brk_lock);
	if (!brk_set) {
		brk_start = brk_asked = brk_set = (uintptr_t)syscall(SYS_brk, 0);
		const char *e = getenv("PLANSITE_HUGEPAGES");
		brk_big = !(e && !strcmp(e, "0"));
	}
	uintptr_t old = brk_asked, want = old + (uintptr_t)increment;
	void *r = (void *)old;
	if (increment < 0 ? want > old : want < old) {
		errno = ENOMEM;
		r = (void *)-1;
	} else if (want > brk_set || want < brk_asked) {
		uintptr_t set = want;
		int big = brk_big == 1 && want - brk_start <= BIG_HEAP;
		if (increment > 0 && big)
			set = (want + BIG_PAGE - 1) & ~(BIG_PAGE - 1);
		uintptr_t got = (uintptr_t)syscall(SYS_brk, set);
		if (got != set && set != want)   /* no room for the rounding */
			got = (uintptr_t)syscall(SYS_brk, set = want);
		if (got != set) {
			errno = ENOMEM;
			r = (void *)-1;
		} else {
			if (set > brk_set && big) {
				/* from the page the old stretch ends in, so that
				 * it merges with the marked region before it */
				uintptr_t from = brk_set & ~(uintptr_t)4095;
				madvise((void *)from, set - from, MADV_HUGEPAGE);
			}
			brk_set = set;
			brk_asked = want;
		}
	} else {
		brk_asked = want;
	}
	pthread_mutex_unlock(&brk_lock);
	return r;
}

void *sbrk(intptr_t increment)
{
	return __sbrk(increment);
}

enum { SCAVENGE_MS = 50 };
#define SCAVENGE_FREE ((size_t)4 << 20)
#define THREAD_CACHES ((size_t)2 << 20)   /* bytes, all threads' together */

/* The most the program has had in use at once, as the scavenger saw it. */
static _Atomic size_t used_high;

/* The bytes in use now, noted in used_high. */
static size_t note_used(void)
{
	size_t used = prop("generic.current_allocated_bytes") + block_bytes;
	if (used > used_high)
		used_high = used;
	return used;
}

/* Gives the page heap's free spans back to the kernel down to what the
 * peak allows: SCAVENGE_FREE, plus what the program had in use at its
 * high-water mark and has freed since.  The process is then about as big
 * as it was at that mark, and what a stage frees after it (the history
 * walk's buffers, each page's scratch) stays for the next allocations
 * instead of being given back and faulted in again.  Giving back every
 * free span over 8 MB every 50 ms made, at 10,000 plans, 18,900 madvise
 * calls (each a TLB shootdown on the other core) that gave back 894 MB
 * in a build whose peak was 370 MB, each page faulted in again; with this
 * 8,100-10,600 calls (strace, 2 runs), and in 2 alternating rounds of cold
 * builds 113,000-122,000 page faults against 154,000-172,000, a peak of
 * 373-387 MB against 380-381 MB (the peak's own noise), the same wall time
 * within the machine's noise.  A floor of 8 MB instead of 4: 6,900 calls
 * (239 MB), a peak of 384-392 MB.  Keeping free what is under the
 * process's resident peak (/proc/self/status) instead of its high-water
 * mark in use: 10,700 calls (698 MB), 124,000-132,000 page faults: the
 * churn is near the peak, where that leaves nothing. */
static void release_free(void)
{
	size_t used = note_used();
	size_t keep = SCAVENGE_FREE + (used_high - used);
	size_t free_bytes = prop("tcmalloc.pageheap_free_bytes");
	if (free_bytes > keep)
		MallocExtension_ReleaseToSystem(free_bytes - keep);
}

static void *scavenge(void *arg)
{
	(void)arg;
	const struct timespec pause = { 0, SCAVENGE_MS * 1000000L };
	for (;;) {
		nanosleep(&pause, NULL);
		if (!held && prop("generic.heap_size") + block_bytes > SCAVENGE_HEAP)
			release_free();
		else
			note_used();
	}
	return NULL;
}

void mem_setup(int heaps)
{
	static int done;
	(void)heaps;   /* tcmalloc's caches are per thread already */
	if (done++)
		return;
	MallocExtension_SetNumericProperty("tcmalloc.max_total_thread_cache_bytes", THREAD_CACHES);
	/* no signal reaches the scavenger: they are for the main thread's
	 * handlers (output.c, serve.c) */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_t t;
	if (pthread_create(&t, NULL, scavenge, NULL) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void mem_thread_begin(void)
{
}

mem_probe_t mem_probe(void)
{
	mem_probe_t m = { 0, 0, 0, 0 };
	read_status(&m);
	m.heap = prop("generic.current_allocated_bytes") + block_bytes;
	return m;
}

/* Gives back the page heap's free spans as the scavenger does (what is
 * cached per size and per thread stays, and is reused first). */
void mem_trim(void)
{
	if (held)
		return;
	if (prop("generic.current_allocated_bytes") + block_bytes < TRIM_HEAP &&
	    prop("tcmalloc.pageheap_free_bytes") < (size_t)TRIM_SLACK << 10)
		return;
	release_free();
}

#else /* glibc's malloc, or the sanitizers' */

void mem_setup(int heaps)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	/* Blocks of a megabyte and more (a big page's buffer, tasks.csv) are
	 * mapped and given back whole when freed.  glibc's default threshold
	 * rises with every such block freed, after which they are carved from
	 * the threads' heaps and stay there: 15-20 MB more at the peak. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	/* free() gives the top of a heap back (madvise(2) in a thread's heap)
	 * once it is over the trim threshold, glibc's 128 kB: a job that takes
	 * and frees a 64 kB block (its messages' arena) did it every time, 2,100
	 * of the 4,600 madvise calls of a cold 1,000-plan build (2 cores,
	 * 2026-12-01), each followed by the page faults that take the pages
	 * back.  At 1 MB a heap keeps that much at most above what is in use;
	 * the freed memory in between goes back at the stage ends where it is
	 * worth it (mem_trim).  Both together, 3 alternating runs each: 46
	 * madvise calls (one run under strace), 29,400-31,900 page faults
	 * instead of 39,600-46,200, a peak of 114-117 MB instead of 97 MB; at
	 * 10,000 plans 376.3 MB against 375.6 MB (one run each).  Thresholds of
	 * 4 and 16 MB made no fewer madvise calls, and page faults within the
	 * runs' noise (one run each).  Earlier (same machine kind, medians of 8
	 * runs) a top pad of 1-16 MB showed no CPU difference. */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	/* glibc gives each new thread a heap of its own, up to 8 per core:
	 * the memory one stage's threads free (the blob readers' texts, the
	 * parse's scratch) is then never reused by the next stage's threads,
	 * which touch fresh pages instead.  A first touch of a page is what
	 * costs here: 15 us on a paravirtualised VM (2 cores, 2026-12-02: 64 MB
	 * touched page by page, then 0.02 us a page the second time).  With as
	 * many heaps as render threads, a cold build of 1,000 plans made 23,200-
	 * 23,900 page faults instead of 34,100-35,500, peaked at 97-101 MB
	 * instead of 105-119 MB, and used less CPU in each of 4 alternating
	 * pairs (task-clock 4.6-7.1 s against 5.9-7.9 s, a loaded machine).  An
	 * earlier machine (2026-11) showed threads waiting on a shared heap's
	 * lock at 2 heaps; on this one, seven paired cold builds of 10,000
	 * plans used the same user time with and without (medians 23.7 and
	 * 23.5 s) and made 172k page faults instead of 186k. */
	mallopt(M_ARENA_MAX, heaps);
#else
	(void)heaps;
#endif
}

/* A thread's malloc arena (glibc gives each new thread one of its own)
 * grows a page or a few at a time, each step an mprotect(2) of its heap:
 * over 6,000 calls in a cold build of 1,000 plans, each one taking the
 * address space's lock that the other threads' page faults wait on.
 * Pieces taken and given back once at the start make the heap writable
 * that far in a few steps: glibc keeps it writable after they are freed
 * (it gives the pages back with madvise, and no page was written but the
 * pieces' headers), so the thread's growth up to there needs no call.
 * Each piece is under the threshold above which blocks are mapped on their
 * own (1 MB, above), and they are freed oldest first, so that they merge
 * and the heap is trimmed once.  Nothing under AddressSanitizer, whose
 * allocator is not glibc's. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
enum { GROW_PIECE = 960 << 10, GROW_PIECES = 16 };

void mem_thread_begin(void)
{
	void *p[GROW_PIECES];
	for (int i = 0; i < GROW_PIECES; i++)
		p[i] = malloc(GROW_PIECE);
	for (int i = 0; i < GROW_PIECES; i++)
		free(p[i]);
}
#else
void mem_thread_begin(void)
{
}
#endif

mem_probe_t mem_probe(void)
{
	mem_probe_t m = { 0, 0, 0, 0 };
	read_status(&m);
#if defined(__GLIBC__)
	struct mallinfo2 mi = mallinfo2();
	m.heap = mi.uordblks + mi.hblkhd;
#endif
	return m;
}

/* malloc_trim(0) walks every arena and gives each free run of pages back
 * with its own madvise(2), which the next allocations fault back in.  On a
 * cold build of 1,000 plans (2 cores, 2026-12-01) the 8 trims made 2,550
 * of the 4,600 madvise calls and some 5,000 of the 40,000-49,000 page
 * faults, to hold the peak at 97 MB instead of 114-117 MB (3 runs each,
 * with the trim threshold of 1 MB above). */
void mem_trim(void)
{
	if (held)
		return;
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	mem_probe_t m = mem_probe();
	if (m.heap < TRIM_HEAP && m.anon_kb - (long)(m.heap >> 10) < TRIM_SLACK)
		return;
#endif
#if defined(__GLIBC__)
	malloc_trim(0);
#endif
}

#endif
