/* floor.c: the work no site generator can skip, timed by bench/run.sh as plansite's floor.
 *
 *   floor REPO SIZES OUT
 *
 * On one thread: reads every blob of HEAD's tree in the order the packs hold
 * them (loose objects first), runs libyaml's event parser over each plan's
 * front matter and each YAML file, then writes under OUT (which must not
 * exist) one file per line of SIZES ("BYTES<TAB>PATH", PATH relative: the
 * list of plansite's output files), each of that many bytes.  No history, no
 * rendering: what is left of a build once the generator itself costs nothing.
 * Prints what it did on standard error; exits 0, or 1 on any failure. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <yaml.h>

typedef struct {
	git_oid id;
	char *path;
	uint64_t key; /* pack number << 48 | offset in it; 0 for a loose object */
} blob_t;

typedef struct {
	blob_t *v;
	size_t n, cap;
} blobs_t;

typedef struct {
	const unsigned char *map;
	size_t size;
	uint32_t count;
} idx_t;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("floor: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	fprintf(stderr, "floor: %s: %s\n", what, e && e->message ? e->message : "failed");
	return 1;
}

static int collect(const char *root, const git_tree_entry *entry, void *payload)
{
	blobs_t *b = payload;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	blob_t *x = &b->v[b->n++];
	git_oid_cpy(&x->id, git_tree_entry_id(entry));
	size_t lr = strlen(root), ln = strlen(git_tree_entry_name(entry));
	x->path = xrealloc(NULL, lr + ln + 1);
	memcpy(x->path, root, lr);
	memcpy(x->path + lr, git_tree_entry_name(entry), ln + 1);
	x->key = 0;
	return 0;
}

/* A version-2 pack index (the only kind Git has written since 2008), mapped;
 * anything else is left out and its objects count as loose. */
static int idx_open(const char *path, idx_t *ix)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ix->size = (size_t)st.st_size;
	ix->map = ix->size >= 8 + 1024 ? mmap(NULL, ix->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (ix->map == MAP_FAILED)
		return -1;
	if (memcmp(ix->map, "\377tOc", 4) || be32(ix->map + 4) != 2) {
		munmap((void *)ix->map, ix->size);
		return -1;
	}
	ix->count = be32(ix->map + 8 + 255 * 4);
	if (8 + 1024 + (size_t)ix->count * 28 > ix->size) {
		munmap((void *)ix->map, ix->size);
		return -1;
	}
	return 0;
}

/* Where id lies in the pack of ix, or -1 when it is not there. */
static int64_t idx_find(const idx_t *ix, const git_oid *id)
{
	const unsigned char *fan = ix->map + 8, *oids = fan + 1024;
	uint32_t lo = id->id[0] ? be32(fan + 4 * (id->id[0] - 1)) : 0, hi = be32(fan + 4 * id->id[0]);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(oids + (size_t)mid * 20, id->id, 20);
		if (!c) {
			const unsigned char *offs = oids + (size_t)ix->count * 24;
			uint32_t o = be32(offs + (size_t)mid * 4);
			if (!(o & 0x80000000u))
				return o;
			const unsigned char *big = offs + (size_t)ix->count * 4 + (size_t)(o & 0x7fffffffu) * 8;
			if (big + 8 > ix->map + ix->size)
				return -1;
			return (int64_t)((uint64_t)be32(big) << 32 | be32(big + 4));
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int by_key(const void *a, const void *b)
{
	const blob_t *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void pack_keys(const char *gitdir, blobs_t *b)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%sobjects/pack", gitdir);
	DIR *d = opendir(dir);
	struct dirent *de;
	uint64_t pack = 0;
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".idx"))
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		idx_t ix;
		if (idx_open(path, &ix))
			continue;
		pack++;
		for (size_t i = 0; i < b->n; i++) {
			if (b->v[i].key)
				continue;
			int64_t off = idx_find(&ix, &b->v[i].id);
			if (off >= 0)
				b->v[i].key = pack << 48 | (uint64_t)off;
		}
		munmap((void *)ix.map, ix.size);
	}
	if (d)
		closedir(d);
	qsort(b->v, b->n, sizeof(*b->v), by_key);
}

/* The YAML of a file: a plan's front matter, a whole .yaml file, or nothing. */
static const char *yaml_part(const char *path, const char *text, size_t len, size_t *out)
{
	size_t lp = strlen(path);
	if ((lp > 5 && !strcmp(path + lp - 5, ".yaml")) || (lp > 4 && !strcmp(path + lp - 4, ".yml"))) {
		*out = len;
		return text;
	}
	if (lp < 3 || strcmp(path + lp - 3, ".md") || len < 4 || memcmp(text, "---\n", 4))
		return NULL;
	const char *end = memmem(text + 4, len - 4, "\n---", 4);
	if (!end)
		return NULL;
	*out = (size_t)(end + 1 - (text + 4));
	return text + 4;
}

/* libyaml events over text: how many, or -1 on a syntax error. */
static long yaml_events(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	long n = 0;
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			n = -1;
			break;
		}
		n++;
		int end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	return n;
}

/* mkdir -p of the folders above path (which lies under an existing folder). */
static int make_parents(char *path, char *last, size_t *lastlen)
{
	char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	size_t n = (size_t)(slash - path);
	if (n == *lastlen && !memcmp(path, last, n))
		return 0;
	for (char *p = path; (p = strchr(p + 1, '/'));) {
		*p = 0;
		int rc = mkdir(path, 0755);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	memcpy(last, path, n);
	*lastlen = n;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: floor REPO SIZES OUT\n", stderr);
		return 2;
	}
	const char *sizes_path = argv[2], *out = argv[3];
	int rc = 1;
	git_repository *repo = NULL;
	git_object *head = NULL;
	git_tree *tree = NULL;
	blobs_t b = { 0 };
	FILE *sizes = NULL;
	char *line = NULL, *fill = NULL;
	size_t cap = 0;
	long events = 0, files = 0;
	size_t read_bytes = 0, yaml_bytes = 0, written = 0;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, argv[1], 0, NULL))
		goto gitfail_open;
	if (git_revparse_single(&head, repo, "HEAD^{tree}"))
		goto gitfail_head;
	tree = (git_tree *)head;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &b))
		goto gitfail_head;
	pack_keys(git_repository_path(repo), &b);

	/* the output's bytes come from the blobs, cycled: no page is all zeros */
	enum { FILL = 1 << 20 };
	fill = xrealloc(NULL, FILL);
	size_t filled = 0;
	for (size_t i = 0; i < b.n; i++) {
		git_blob *blob;
		if (git_blob_lookup(&blob, repo, &b.v[i].id))
			goto gitfail_blob;
		const char *text = git_blob_rawcontent(blob);
		size_t len = (size_t)git_blob_rawsize(blob), ylen;
		read_bytes += len;
		if (filled < FILL) {
			size_t k = len < FILL - filled ? len : FILL - filled;
			memcpy(fill + filled, text, k);
			filled += k;
		}
		const char *y = yaml_part(b.v[i].path, text, len, &ylen);
		if (y) {
			long n = yaml_events(y, ylen);
			if (n < 0) {
				fprintf(stderr, "floor: %s: YAML syntax error\n", b.v[i].path);
				git_blob_free(blob);
				goto out;
			}
			events += n;
			yaml_bytes += ylen;
		}
		git_blob_free(blob);
	}
	for (size_t i = filled; i < FILL; i++)
		fill[i] = filled ? fill[i % filled] : 'x';

	if (mkdir(out, 0755)) {
		fprintf(stderr, "floor: %s: %s\n", out, strerror(errno));
		goto out;
	}
	if (!(sizes = fopen(sizes_path, "r"))) {
		fprintf(stderr, "floor: %s: %s\n", sizes_path, strerror(errno));
		goto out;
	}
	char path[8192], last[8192];
	size_t lastlen = (size_t)-1, lo = strlen(out);
	ssize_t got;
	while ((got = getline(&line, &cap, sizes)) > 0) {
		if (line[got - 1] == '\n')
			line[--got] = 0;
		char *tab = strchr(line, '\t'), *end;
		unsigned long long size = strtoull(line, &end, 10);
		if (!tab || end != tab || !tab[1] || tab[1] == '/' || strstr(tab + 1, "..") ||
		    lo + 1 + strlen(tab + 1) >= sizeof path) {
			fprintf(stderr, "floor: %s: bad line \"%s\" (want BYTES<TAB>PATH)\n", sizes_path, line);
			goto out;
		}
		snprintf(path, sizeof path, "%s/%s", out, tab + 1);
		if (make_parents(path, last, &lastlen)) {
			fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
			goto out;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
			goto out;
		}
		for (unsigned long long left = size; left;) {
			size_t k = left < FILL ? (size_t)left : FILL;
			ssize_t w = write(fd, fill, k);
			if (w <= 0) {
				fprintf(stderr, "floor: %s: %s\n", path, w < 0 ? strerror(errno) : "short write");
				close(fd);
				goto out;
			}
			left -= (size_t)w;
		}
		if (close(fd)) {
			fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
			goto out;
		}
		files++;
		written += size;
	}
	fprintf(stderr, "floor: read %zu blobs (%zu bytes) in pack order, %ld YAML events over %zu bytes, "
		"wrote %ld files (%zu bytes)\n", b.n, read_bytes, events, yaml_bytes, files, written);
	rc = 0;
	goto out;

gitfail_open:
	rc = git_fail(argv[1]);
	goto out;
gitfail_head:
	rc = git_fail("HEAD");
	goto out;
gitfail_blob:
	rc = git_fail("blob");
out:
	if (sizes)
		fclose(sizes);
	free(line);
	free(fill);
	for (size_t i = 0; i < b.n; i++)
		free(b.v[i].path);
	free(b.v);
	git_object_free(head);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
