/* fetch.c: blobs read ahead on other threads, in the order the packs hold
 * them, for the snapshot and for the history. */
#include "fetch.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2/sys/odb_backend.h>
#include <openssl/evp.h>

#include "odbenv.h"
#include "pool.h"
#include "util.h"

/* libgit2 rebuilds a delta from the nearest base in its cache, so blobs
 * read in the order a pack holds them (each delta after its base) cost a
 * fraction of blobs read in history order.  The pack indexes give that
 * order; threads with their own repository handles read in it, ahead of
 * the parser, which takes each blob when its turn comes. */
#define FETCH_THREADS 2

/* Fewer blobs than this are read on the caller's thread, through its own
 * repository handle, as it asks for them: two threads with repository
 * handles of their own cost more than they save on a few dozen blobs (a
 * portal's source: 20 plans, and about 40 older versions in its history;
 * a build after a push).  A portal of 100 sources x 20 plans started 400
 * readers, each of which opened the repository, its pack index and zlib's
 * state, and made its malloc arena writable (pool.c): without them, 41,700
 * and 41,900 page faults instead of 48,600-48,900 (3 runs against 2, the
 * same binary otherwise; 2 cores, 2026-12-02). */
#define FETCH_INLINE 64

struct fslot {
	git_oid oid;
	uint64_t key;           /* where it lies in the packs (the order of reading) */
	char *text;
	size_t len;
	/* text is this backend's buffer (freed with git_odb_backend_data_free
	 * while reader `reader`, whose repository holds the backend, is
	 * open), else malloc'd */
	git_odb_backend *owner;
	int reader;
	bool busy, done;
};

struct checker;

struct fetch {
	pthread_mutex_t lock;
	pthread_cond_t ready, work;
	char *gitdir;
	struct fslot *slots;
	size_t n, cap;          /* asked for */
	size_t *order;          /* slot numbers in the order of reading */
	size_t *rank;           /* given order: each slot's place in it, else NULL */
	size_t ahead;           /* given order: how far readers may get ahead */
	size_t pos;             /* the next in that order */
	/* no given order: each reader's own stretch of it, order[lpos[w]..
	 * lend[w]) (read_order) */
	size_t lpos[FETCH_THREADS], lend[FETCH_THREADS];
	int lanes;
	bool keyed;             /* the slots' keys are where they lie */
	size_t want;            /* the slot the parser waits for */
	size_t held;            /* bytes read and not taken yet */
	/* who sleeps, so that each side wakes the other only when it can go
	 * on: a reader that got ahead waits until the parser has taken half
	 * of what it read ahead (not one blob), the parser for its blob */
	bool blocked, waiting;
	bool closed, stop;
	bool verify;            /* fetch_verify */
	pool_t *readers;
	int nthreads;           /* readers that started */
	git_repository *git;    /* the caller's (fetch_start) */
	struct checker *own;    /* reading on the caller's thread (FETCH_INLINE) */
	double cpu;             /* the readers' CPU time, as each ends */
	int max_readers;        /* fetch_readers, else -1 */
};

/* Past this, readers only read the blob the parser waits for. */
#define FETCH_HELD ((size_t)256 << 20)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Sets the key of every slot found in the pack index at path (version 2)
 * to pack << 48 | offset. */
static void index_keys(fetch_t *f, const char *path, uint64_t pack)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size < 8 + 1024) {
		close(fd);
		return;
	}
	size_t size = (size_t)st.st_size;
	const unsigned char *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	uint32_t n = be32(m + 8 + 255 * 4);
	size_t sha = 8 + 1024, off = sha + (size_t)n * (GIT_OID_RAWSZ + 4), big = off + (size_t)n * 4;
	if (memcmp(m, "\377tOc", 4) || be32(m + 4) != 2 || big > size)
		goto out;
	for (size_t i = 0; i < f->n; i++) {
		const unsigned char *id = f->slots[i].oid.id;
		uint32_t lo = id[0] ? be32(m + 8 + (id[0] - 1) * 4) : 0, hi = be32(m + 8 + id[0] * 4);
		while (lo < hi && hi <= n) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = memcmp(m + sha + (size_t)mid * GIT_OID_RAWSZ, id, GIT_OID_RAWSZ);
			if (c < 0) {
				lo = mid + 1;
			} else if (c > 0) {
				hi = mid;
			} else {
				uint64_t o = be32(m + off + (size_t)mid * 4);
				if (o & 0x80000000u) {
					size_t at = big + (size_t)(o & 0x7fffffffu) * 8;
					if (at + 8 > size)
						break;
					o = (uint64_t)be32(m + at) << 32 | be32(m + at + 4);
				}
				f->slots[i].key = pack << 48 | (o & 0xffffffffffffull);
				break;
			}
		}
	}
out:
	munmap((void *)m, size);
}

static int key_cmp(const void *x, const void *y, void *arg)
{
	const struct fslot *s = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (s[a].key != s[b].key)
		return s[a].key < s[b].key ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Sets every slot's key to where it lies: blobs in no pack (loose) first,
 * as asked, then by pack and offset.  Once. */
static void find_keys(fetch_t *f)
{
	if (f->keyed)
		return;
	f->keyed = true;
	for (size_t i = 0; i < f->n; i++)
		f->slots[i].key = i;
	buf_t dir = BUF_INIT;
	buf_printf(&dir, "%sobjects/pack", f->gitdir);
	DIR *d = opendir(dir.ptr);
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0;
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".idx")) {
			names = xrealloc(names, (nn + 1) * sizeof(*names));
			names[nn++] = xstrdup(de->d_name);
		}
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < nn; i++) {
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir.ptr, names[i]);
		if (i < 0xfffe)
			index_keys(f, p.ptr, i + 1);
		buf_free(&p);
		free(names[i]);
	}
	free(names);
	buf_free(&dir);
}

/* The order of reading, when the caller gave none: by key, from the end,
 * each reader in a stretch of its own.
 *
 * libgit2 keeps the objects it rebuilds on the way to a delta in the
 * pack's cache of delta bases, but not the one it returns, and Git writes
 * a delta after its base.  In pack order, the next blob of a chain is
 * rebuilt from the one read before it, which is rebuilt again; from the
 * end, the deepest blob wanted of a chain is rebuilt first and the others
 * are in the cache.  Two readers in one such order rebuild the same chain
 * at once (each finds nothing cached), so each reads its own half of it,
 * the other half once its own is done, from that half's far end.  The
 * snapshot of a cold 1k build: 4,683 inflations in pack order with two
 * readers, 6,080 from the end with two readers sharing one order, 3,588
 * from the end with one reader, 3,659-3,713 so (zlib's inflate counted
 * with an LD_PRELOAD shim, one or two runs each); the readers 1,322M
 * instructions instead of 1,516M, the whole build 10.34G instead of
 * 10.53G (callgrind, 2026-12-02). */
static void read_order(fetch_t *f)
{
	find_keys(f);
	f->order = xmalloc((f->n + 1) * sizeof(size_t));
	for (size_t i = 0; i < f->n; i++)
		f->order[i] = i;
	qsort_r(f->order, f->n, sizeof(size_t), key_cmp, f->slots);
	for (size_t i = 0; i < f->n / 2; i++) {
		size_t t = f->order[i];
		f->order[i] = f->order[f->n - 1 - i];
		f->order[f->n - 1 - i] = t;
	}
	f->lanes = f->nthreads < 1 ? 1 : f->nthreads > FETCH_THREADS ? FETCH_THREADS : f->nthreads;
	for (int w = 0; w < f->lanes; w++) {
		f->lpos[w] = f->n * (size_t)w / (size_t)f->lanes;
		f->lend[w] = f->n * (size_t)(w + 1) / (size_t)f->lanes;
	}
}

/* The next slot reader `worker` reads (read_order), or SIZE_MAX when none
 * is left.  Under f->lock. */
static size_t lane_next(fetch_t *f, int worker)
{
	int own = worker > 0 ? (worker - 1) % f->lanes : 0;
	while (f->lpos[own] < f->lend[own] && f->slots[f->order[f->lpos[own]]].busy)
		f->lpos[own]++;
	if (f->lpos[own] < f->lend[own])
		return f->order[f->lpos[own]++];
	for (int l = 0; l < f->lanes; l++) {
		while (f->lpos[l] < f->lend[l] && f->slots[f->order[f->lend[l] - 1]].busy)
			f->lend[l]--;
		if (f->lpos[l] < f->lend[l])
			return f->order[--f->lend[l]];
	}
	return SIZE_MAX;
}

uint64_t fetch_where(fetch_t *f, size_t i)
{
	find_keys(f);
	return f->slots[i].key;
}

void fetch_order(fetch_t *f, const size_t *order, size_t ahead)
{
	f->ahead = ahead;
	f->order = xmalloc((f->n + 1) * sizeof(size_t));
	f->rank = xmalloc((f->n + 1) * sizeof(size_t));
	for (size_t k = 0; k < f->n; k++) {
		f->order[k] = order[k];
		f->rank[order[k]] = k;
	}
}

/* A reader's access to the object database's backends, and its own check
 * of what it read (fetch_verify). */
struct checker {
	git_odb *odb;
	EVP_MD *sha1;
	EVP_MD_CTX *ctx;
};

static void checker_open(struct checker *k, git_repository *git, bool verify)
{
	*k = (struct checker){ 0 };
	if (git_repository_odb(&k->odb, git) < 0) {
		k->odb = NULL;
		return;
	}
	if (!verify)
		return;
	k->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	k->ctx = EVP_MD_CTX_new();
	if (!k->sha1 || !k->ctx) {
		EVP_MD_free(k->sha1);
		EVP_MD_CTX_free(k->ctx);
		git_odb_free(k->odb);
		*k = (struct checker){ 0 };
	}
}

static void checker_close(struct checker *k)
{
	EVP_MD_free(k->sha1);
	EVP_MD_CTX_free(k->ctx);
	git_odb_free(k->odb);
}

/* Whether data[0..len) is the blob oid names: the SHA-1 of "blob LEN\0"
 * and the bytes is the id. */
static bool checker_same(struct checker *k, const git_oid *oid, const void *data, size_t len)
{
	char head[32];
	int hn = snprintf(head, sizeof head, "blob %zu", len) + 1;   /* with its NUL */
	unsigned char id[EVP_MAX_MD_SIZE];
	unsigned int idn = 0;
	return EVP_DigestInit_ex(k->ctx, k->sha1, NULL) == 1 && EVP_DigestUpdate(k->ctx, head, (size_t)hn) == 1 &&
	       EVP_DigestUpdate(k->ctx, data, len) == 1 && EVP_DigestFinal_ex(k->ctx, id, &idn) == 1 &&
	       idn == GIT_OID_RAWSZ && !memcmp(id, oid->id, GIT_OID_RAWSZ);
}

/* Blob oid read from the first of the object database's backends that has
 * it (the order libgit2 asks them in), checked by k when verify: malloc'd
 * and NUL-terminated, or NULL (not found, not a blob, not its id, or no
 * checker), when libgit2 reads it instead, with its own check and its
 * reasons.  libgit2's check is SHA-1 with collision detection, a third
 * of the reading of a snapshot's blobs; its cache of objects is no use to
 * blobs read once.
 *
 * The text is the backend's buffer, no copy: NUL-terminated (libgit2's
 * pack and loose readers allocate a byte more and clear it).  Checked, it
 * is the caller's, freed with free() (repo.c gives libgit2 an allocator on
 * malloc).  The copy was 16 MB of memcpy on a cold 1k build, whose blobs
 * (16 kB) mostly reuse freed memory; a blob over mem.c's mmap threshold (glibc)
 * (1 MB) was a fresh mapping twice: 2.0 page faults a page of text read,
 * 1.0 without the copy (tests/e2e/test_memory.sh, 2026-12-02).
 * Without verify (the history's older versions, which libgit2 read
 * without a check: hlog.c turns GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION
 * off), the same read with no check, *owner its backend.  On a cold 1k
 * build a copy there and its new memory took 5,300 of 41,000 page faults
 * (perf record -e page-faults), and git_blob_lookup's objects and cache
 * lookups 36 million instructions more than this (callgrind). */
static char *checker_read(struct checker *k, const git_oid *oid, size_t *len, bool verify,
			  git_odb_backend **owner)
{
	*owner = NULL;
	if (!k->odb || (verify && !k->ctx))
		return NULL;
	size_t nb = git_odb_num_backends(k->odb);
	for (size_t i = 0; i < nb; i++) {
		git_odb_backend *b = NULL;
		if (git_odb_get_backend(&b, k->odb, i) < 0 || !b || !b->read)
			continue;
		void *data = NULL;
		size_t n = 0;
		git_object_t type = GIT_OBJECT_INVALID;
		int e = b->read(&data, &n, &type, b, oid);
		if (e == GIT_PASSTHROUGH || e == GIT_ENOTFOUND)
			continue;
		if (e < 0)
			return NULL;
		if (!verify && type == GIT_OBJECT_BLOB && data) {
			*owner = b;
			*len = n;
			return data;
		}
		if (verify && type == GIT_OBJECT_BLOB && data && checker_same(k, oid, data, n)) {
			/* libgit2 allocates with malloc (repo.c): the
			 * buffer is the caller's */
			*len = n;
			return data;
		}
		git_odb_backend_data_free(b, data);
		return NULL;
	}
	return NULL;
}

/* Frees the texts read by this reader and not taken (its repository, which
 * holds their backends, is freed next).  Under f->lock. */
static void free_unclaimed(fetch_t *f, int worker)
{
	for (size_t i = 0; i < f->n; i++) {
		struct fslot *s = &f->slots[i];
		if (s->done && s->text && s->owner && s->reader == worker) {
			git_odb_backend_data_free(s->owner, s->text);
			s->text = NULL;
		}
	}
}

static void fetch_worker(void *arg, int worker)
{
	fetch_t *f = arg;
	git_repository *git = NULL;
	char *ignored = NULL;   /* repo_open applied it once already */
	bool ok = git_repository_open(&git, f->gitdir) == 0 &&
		  odbenv_apply(git, &ignored) == 0;
	free(ignored);
	struct checker k = { 0 };
	bool checker = false;
	bool lent = false;      /* a text handed out in a backend's buffer */
	pthread_mutex_lock(&f->lock);
	for (;;) {
		size_t i = SIZE_MAX;
		while (!f->stop) {
			if (f->closed && f->held > FETCH_HELD) {
				if (f->want < f->n && !f->slots[f->want].busy) {
					i = f->want;
					break;
				}
			} else if (f->closed && f->lanes) {
				i = lane_next(f, worker);
				break;
			} else if (f->closed) {
				while (f->pos < f->n && f->slots[f->order[f->pos]].busy)
					f->pos++;
				if (f->pos >= f->n)
					break;
				if (f->rank && f->want < f->n && f->pos > f->rank[f->want] + f->ahead) {
					f->blocked = true;
					pthread_cond_wait(&f->work, &f->lock);
					continue;
				}
				i = f->order[f->pos++];
				break;
			}
			pthread_cond_wait(&f->work, &f->lock);
		}
		if (i == SIZE_MAX)
			break;
		f->slots[i].busy = true;
		git_oid oid = f->slots[i].oid;
		bool verify = f->verify;
		pthread_mutex_unlock(&f->lock);
		char *text = NULL;
		size_t len = 0;
		git_odb_backend *owner = NULL;
		git_blob *blob = NULL;
		if (ok && !checker) {
			/* verify is set before the first fetch_get, so before
			 * any blob is read */
			checker_open(&k, git, verify);
			checker = true;
		}
		if (ok)
			text = checker_read(&k, &oid, &len, verify, &owner);
		if (!text && ok && git_blob_lookup(&blob, git, &oid) == 0) {
			len = (size_t)git_blob_rawsize(blob);
			text = xmalloc(len + 1);
			memcpy(text, git_blob_rawcontent(blob), len);
			text[len] = '\0';
			git_blob_free(blob);
		}
		pthread_mutex_lock(&f->lock);
		f->slots[i].text = text;
		f->slots[i].len = len;
		f->slots[i].owner = owner;
		f->slots[i].reader = worker;
		lent |= owner != NULL;
		f->slots[i].done = true;
		f->held += len;
		if (f->waiting && f->want == i)
			pthread_cond_broadcast(&f->ready);
	}
	/* the texts handed out in this repository's buffers are given back
	 * (fetch_put) before fetch_finish stops the readers; a reader that
	 * lent none (fetch_verify) closes it at once, as before */
	while (lent && !f->stop)
		pthread_cond_wait(&f->work, &f->lock);
	free_unclaimed(f, worker);
	if (checker)
		checker_close(&k);
	git_repository_free(git);
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	f->cpu += (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	pthread_mutex_unlock(&f->lock);
}

fetch_t *fetch_start(git_repository *git)
{
	fetch_t *f = xcalloc(1, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->ready, NULL);
	pthread_cond_init(&f->work, NULL);
	f->gitdir = xstrdup(git_repository_path(git));
	f->git = git;
	f->max_readers = -1;
	return f;
}

/* At the first fetch_get, every blob asked for: the readers start when
 * there are enough of them (no lock: none runs yet). */
static void start_readers(fetch_t *f)
{
	if (f->n < FETCH_INLINE)
		return;
	/* in the packs' order, reading is cheap: two readers keep ahead */
	int want = pool_size(0, FETCH_THREADS) > 1 ? FETCH_THREADS : 1;
	if (f->max_readers >= 0 && want > f->max_readers)
		want = f->max_readers;
	f->readers = pool_start(want, fetch_worker, f);
	f->nthreads = pool_threads(f->readers);
}

/* Blob i read here, on the caller's thread, as a reader reads it (no
 * reader started, or none could). */
static char *read_here(fetch_t *f, size_t i, git_repository *git, size_t *len)
{
	struct fslot *s = &f->slots[i];
	*len = 0;
	if (!f->own) {
		f->own = xmalloc(sizeof(*f->own));
		checker_open(f->own, git, f->verify);
	}
	git_odb_backend *owner = NULL;
	char *text = checker_read(f->own, &s->oid, len, f->verify, &owner);
	if (!text) {
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, git, &s->oid) < 0)
			return NULL;
		*len = (size_t)git_blob_rawsize(blob);
		text = xmalloc(*len + 1);
		memcpy(text, git_blob_rawcontent(blob), *len);
		text[*len] = '\0';
		git_blob_free(blob);
	}
	s->owner = owner;   /* fetch_put gives the text back to it */
	return text;
}

void fetch_readers(fetch_t *f, int n)
{
	f->max_readers = n < 0 ? 0 : n;
}

int fetch_nreaders(const fetch_t *f)
{
	return f->nthreads;
}

void fetch_verify(fetch_t *f)
{
	pthread_mutex_lock(&f->lock);
	f->verify = true;
	pthread_mutex_unlock(&f->lock);
}

/* Asks for a blob; returns its number.  Every blob is asked for before the
 * first fetch_get (no lock). */
size_t fetch_push(fetch_t *f, const git_oid *oid)
{
	/* the readers wait for the last push: no lock needed before */
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 1024;
		f->slots = xrealloc(f->slots, f->cap * sizeof(*f->slots));
	}
	f->slots[f->n] = (struct fslot){ .oid = *oid };
	return f->n++;
}

/* The content of blob number i (malloc'd, the caller frees; NULL when it
 * cannot be read), waiting for it; each number is taken once.  git reads
 * it when no thread could be started. */
char *fetch_get(fetch_t *f, size_t i, git_repository *git, size_t *len)
{
	pthread_mutex_lock(&f->lock);
	bool wake = f->held > FETCH_HELD;   /* readers then read only the one waited for */
	if (!f->closed) {
		pthread_mutex_unlock(&f->lock);
		start_readers(f);
		pthread_mutex_lock(&f->lock);
		if (!f->order && f->nthreads)
			read_order(f);
		f->closed = true;
		wake = true;
	}
	f->want = i;
	/* a blob not yet taken by a reader lies at or past pos: then always */
	if (f->blocked && (!f->rank || f->pos <= f->rank[i] + f->ahead / 2))
		wake = true;
	if (wake) {
		f->blocked = false;
		pthread_cond_broadcast(&f->work);
	}
	if (!f->nthreads) {
		/* no reader: read here */
		pthread_mutex_unlock(&f->lock);
		return read_here(f, i, git, len);
	}
	f->waiting = true;
	while (!f->slots[i].done)
		pthread_cond_wait(&f->ready, &f->lock);
	f->waiting = false;
	char *t = f->slots[i].text;
	*len = f->slots[i].len;
	f->slots[i].text = NULL;
	if (f->held > FETCH_HELD)
		pthread_cond_broadcast(&f->work);   /* below the limit again, perhaps */
	f->held -= *len;
	pthread_mutex_unlock(&f->lock);
	return t;
}

void fetch_put(fetch_t *f, size_t i, char *text)
{
	/* owner was set with done, which fetch_get saw under the lock */
	if (f->slots[i].owner)
		git_odb_backend_data_free(f->slots[i].owner, text);
	else
		free(text);
}

void fetch_stop(fetch_t *f)
{
	fetch_finish(f);
}

double fetch_finish(fetch_t *f)
{
	if (!f)
		return 0;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_broadcast(&f->work);
	pthread_mutex_unlock(&f->lock);
	pool_join(f->readers);
	if (f->own) {
		checker_close(f->own);
		free(f->own);
	}
	/* the backends' buffers not taken were freed by their readers */
	for (size_t i = 0; i < f->n; i++)
		if (!f->slots[i].owner)
			free(f->slots[i].text);
	free(f->slots);
	free(f->order);
	free(f->rank);
	free(f->gitdir);
	pthread_cond_destroy(&f->ready);
	pthread_cond_destroy(&f->work);
	pthread_mutex_destroy(&f->lock);
	double cpu = f->cpu;
	free(f);
	return cpu;
}

