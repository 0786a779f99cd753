/* test_search.c: unit tests of search.c (words, document numbers, shard names, the index files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "search.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Compares the words of one input with a space-separated expectation. */
static void check_words(size_t (*fn)(const char *, char ***), const char *in, const char *want)
{
	char **w = NULL;
	size_t n = fn(in, &w);
	buf_t got = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&got, ' ');
		buf_puts(&got, w[i]);
	}
	if (strcmp(got.ptr ? got.ptr : "", want))
		fail_msg("words(\"%s\") = \"%s\", want \"%s\"", in, got.ptr ? got.ptr : "", want);
	buf_free(&got);
	search_words_free(w, n);
}

static void test_words(void **state)
{
	static const char *const cases[][2] = {
		{ "Số hóa hồ sơ", "so hoa ho so" },
		{ "SỐ HÓA", "so hoa" },
		{ "Phòng Đồng Hỷ", "phong dong hy" },
		{ "đường, dương; ĐƯỜNG", "duong duong duong" },
		{ "Sở KH&CN tỉnh Thái Nguyên", "so kh cn tinh thai nguyen" },
		{ "Văn hóa - Xã hội", "van hoa xa hoi" },
		{ "hoà hòa thuỷ thủy", "hoa hoa thuy thuy" },
		{ "1.139 thủ tục (30%)", "1 139 thu tuc 30" },
		{ "Quý III/2025", "quy iii 2025" },
		{ "«Việt Nam»—2025", "viet nam 2025" },
		/* decomposed input: the marks belong to the word */
		{ "Vi\x65\xCC\xA3\xCC\x82t", "viet" },
		{ "", "" },
		{ " ,;/-  ", "" },
		{ "a", "a" },
	};
	for (size_t i = 0; i < N(cases); i++)
		check_words(search_words, cases[i][0], cases[i][1]);
}

static void test_number_words(void **state)
{
	static const char *const cases[][2] = {
		{ "57-NQ/TW", "57 nq tw 57nqtw" },
		{ "57-nq/tw", "57 nq tw 57nqtw" },
		{ "57 - NQ/TW", "57 nq tw 57nqtw" },
		{ "57–NQ/TW", "57 nq tw 57nqtw" },
		{ "71/NQ-CP", "71 nq cp 71nqcp" },
		{ "185/KH-SDT&TG", "185 kh sdt tg 185khsdttg" },
		{ "02-KH/BCĐ", "02 kh bcd 02khbcd" },
		{ "193/2025/QH15", "193 2025 qh15 1932025qh15" },
		{ "ke-hoach", "ke hoach kehoach" },
		/* one part: no joined word */
		{ "KH", "kh" },
		{ "", "" },
	};
	for (size_t i = 0; i < N(cases); i++)
		check_words(search_number_words, cases[i][0], cases[i][1]);
}

static void test_shard_name(void **state)
{
	static const char *const cases[][2] = {
		{ "so", "so" },
		{ "57", "57" },
		{ "hoa", "hoa" },
		{ "中文", "_4e2d__6587_" },
		{ "ß", "_df_" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char *n = search_shard_name(cases[i][0]);
		assert_string_equal(n, cases[i][1]);
		free(n);
	}
}

/* ---- a hand-made site ----------------------------------------------------- */

static const char *const TITLES[] = {
	"Số hóa hồ sơ, tài liệu lưu trữ lịch sử có giá trị cao",
	"Nâng cấp đường truyền số liệu chuyên dùng",
	"Tuyên dương, khen thưởng tập thể, cá nhân",
	"Rà soát, tái cấu trúc quy trình thủ tục hành chính",
	"Bồi dưỡng kỹ năng số cho cán bộ, công chức",
};

typedef struct {
	arena_t *a;
	site_t *s;
} fixture_t;

static unit_t *mk_unit(arena_t *a, const char *name, const char *slug, unit_t *parent)
{
	unit_t *u = arena_alloc(a, sizeof(*u));
	u->name = name;
	u->id = slug;
	u->slug = slug;
	u->url = arena_printf(a, "/don-vi/%s/", slug);
	u->parent = parent;
	u->registered = true;
	return u;
}

/* nplans plans of ntasks tasks; when varied, each task title gets a word of
 * its own starting with "zz", so that shard grows past SEARCH_SHARD_MAX and
 * is split, more than once. */
static site_t *mk_site(arena_t *a, size_t nplans, size_t ntasks, int varied)
{
	site_t *s = arena_alloc(a, sizeof(*s));
	s->base_path = "/";
	routes_default(&s->routes);
	s->nunits = 3;
	s->units = arena_alloc(a, s->nunits * sizeof(*s->units));
	s->units[0] = mk_unit(a, "Sở Khoa học và Công nghệ", "so-khcn", NULL);
	s->units[0]->aliases = arena_alloc(a, sizeof(char *));
	s->units[0]->aliases[0] = "Sở KH&CN";
	s->units[0]->naliases = 1;
	s->units[1] = mk_unit(a, "Phòng Đồng Hỷ", "phong-dong-hy", s->units[0]);
	s->units[2] = mk_unit(a, "Văn phòng", "van-phong", s->units[0]);
	s->ndocs = 1;
	s->docs = arena_alloc(a, sizeof(*s->docs));
	doc_t *dc = arena_alloc(a, sizeof(*dc));
	dc->number = "57-NQ/TW";
	dc->type = "Nghị quyết";
	dc->title = "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia";
	dc->issuer = "Bộ Chính trị";
	dc->url = "/van-ban/57-nq-tw/";
	s->docs[0] = dc;
	s->nplans = nplans;
	s->plans = arena_alloc(a, (nplans + 1) * sizeof(*s->plans));
	for (size_t i = 0; i < nplans; i++) {
		plan_t *p = arena_alloc(a, sizeof(*p));
		s->plans[i] = p;
		p->number = arena_printf(a, "%zu/KH-SKHCN", 100 + i);
		p->type = "Kế hoạch";
		p->title = i == 0 ? "Số hóa hồ sơ năm 2025"
			 : i == 1 && varied ? "Kế hoạch zz zza"
					    : arena_printf(a, "Kế hoạch chuyển đổi số %zu", i);
		p->slug = arena_printf(a, "%zu-kh-skhcn", 100 + i);
		p->url = arena_printf(a, "/ke-hoach/%s/", p->slug);
		p->has_issuer = true;
		p->issuer.unit = s->units[0];
		p->date = 20250721;
		p->ntasks = ntasks;
		p->tasks = arena_alloc(a, (ntasks + 1) * sizeof(task_t));
		for (size_t j = 0; j < ntasks; j++) {
			task_t *t = &p->tasks[j];
			t->plan = p;
			t->index = j;
			t->id = arena_printf(a, "%zu", j + 1);
			t->title = varied ? arena_printf(a, "%s zz%c%c%c%zu", TITLES[(i + j) % N(TITLES)],
							 'a' + (char)(j % 26), 'a' + (char)(i % 26),
							 'a' + (char)((i / 26) % 26), j)
					  : TITLES[(i + j) % N(TITLES)];
			t->output = "Báo cáo";
			t->lead.n = 1;
			t->lead.v = arena_alloc(a, sizeof(uref_t));
			t->lead.v[0].text = s->units[1 + j % 2]->name;
			t->lead.v[0].unit = s->units[1 + j % 2];
		}
	}
	return s;
}

typedef struct {
	char *rel;
	char *data;
	size_t len;
} file_t;

typedef struct {
	file_t *v;
	size_t n;
	int fail_at;   /* emit fails on this call (1-based), 0: never */
} files_t;

static int collect(void *arg, const char *rel, const char *data, size_t len)
{
	files_t *f = arg;
	if (f->fail_at && (int)f->n + 1 == f->fail_at)
		return -1;
	f->v = xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
	f->v[f->n].rel = xstrdup(rel);
	f->v[f->n].data = xmalloc(len + 1);
	memcpy(f->v[f->n].data, data, len);
	f->v[f->n].data[len] = '\0';
	f->v[f->n].len = len;
	f->n++;
	return 0;
}

static void files_free(files_t *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].rel);
		free(f->v[i].data);
	}
	free(f->v);
}

static const file_t *find(const files_t *f, const char *rel)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].rel, rel))
			return &f->v[i];
	return NULL;
}

static json_t *parse(const file_t *f)
{
	json_error_t e;
	json_t *j = json_loadb(f->data, f->len, 0, &e);
	if (!j)
		fail_msg("%s: %s", f->rel, e.text);
	return j;
}

/* The site's search index built into f; *m is its manifest (the last
 * file); returns the id of the first task record. */
static size_t build_tasks(site_t *s, files_t *f, json_t **m)
{
	assert_int_equal(search_build(s, collect, f), 0);
	*m = parse(&f->v[f->n - 1]);
	return (size_t)json_integer_value(json_array_get(json_object_get(json_object_get(*m, "kinds"), "task"), 0));
}

/* Decodes one list of record ids as search.js does; returns the count. */
static size_t decode_ids(const char *s, uint32_t *out, size_t max)
{
	static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = 0, i = 1, len = strlen(s);
	if (!len)
		return 0;
#define DIGIT(c) ((unsigned)(strchr(B64, (c)) - B64))
	uint32_t v = 0, shift = 0, c;
	do {
		c = DIGIT(s[i++]);
		v |= (c & 31) << shift;
		shift += 5;
	} while (c & 32);
	if (s[0] == 'd') {
		out[n++] = v;
		while (i < len && n < max) {
			uint32_t g = 0;
			shift = 0;
			do {
				c = DIGIT(s[i++]);
				g |= (c & 31) << shift;
				shift += 5;
			} while (c & 32);
			v += g + 1;
			out[n++] = v;
		}
	} else {
		assert_int_equal(s[0], 'b');
		for (uint32_t k = v; i < len; i++, k += 6) {
			c = DIGIT(s[i]);
			for (int b = 0; b < 6; b++)
				if ((c & (1u << b)) && n < max)
					out[n++] = k + (uint32_t)b;
		}
	}
#undef DIGIT
	return n;
}

/* The shard key that holds word w, by the rule search.js follows. */
static char *descend(json_t *shards, const char *w)
{
	size_t n = strlen(w), k = 2;   /* the test words are ASCII */
	if (n < 2)
		return xstrdup(w);
	for (;;) {
		int split = 0;
		size_t i;
		json_t *v;
		json_array_foreach(shards, i, v) {
			const char *key = json_string_value(v);
			if (strlen(key) > k && !strncmp(key, w, k))
				split = 1;
		}
		if (!split || n <= k)
			return xstrndup(w, k);
		k++;
	}
}

/* The file that holds shard key, by the manifest's files[] as search.js
 * reads it (malloc'd), or NULL when the manifest has no such key. */
static char *file_of(json_t *manifest, const char *key)
{
	json_t *shards = json_object_get(manifest, "shards"), *files = json_object_get(manifest, "files");
	size_t i, at = SIZE_MAX;
	json_t *v;
	json_array_foreach(shards, i, v) {
		if (!strcmp(json_string_value(v), key))
			at = i;
	}
	if (at == SIZE_MAX)
		return NULL;
	size_t first = 0;
	json_array_foreach(files, i, v) {
		if ((size_t)json_integer_value(v) <= at)
			first = (size_t)json_integer_value(v);
	}
	char *name = search_shard_name(json_string_value(json_array_get(shards, first)));
	char rel[256];
	snprintf(rel, sizeof rel, "tim-kiem/idx/%s.json", name);
	free(name);
	return xstrdup(rel);
}

/* The ids of spelling `spell` of `word` in class cl (0 N, 1 T, 2 C). */
static size_t ids_of(const files_t *f, json_t *manifest, const char *word, const char *spell, int cl,
		     uint32_t *out, size_t max)
{
	char *key = descend(json_object_get(manifest, "shards"), word);
	char *rel = file_of(manifest, key);
	const file_t *sf = rel ? find(f, rel) : NULL;
	if (!sf)
		fail_msg("no shard file %s for %s", rel ? rel : key, word);
	free(rel);
	json_t *j = parse(sf);
	json_t *sp = json_object_get(json_object_get(j, key), word);
	free(key);
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(sp, i, v) {
		if (!strcmp(json_string_value(json_array_get(v, 0)), spell))
			n = decode_ids(json_string_value(json_array_get(v, 1 + cl)), out, max);
	}
	json_decref(j);
	return n;
}

static void test_build_small(void **state)
{
	arena_t *a = arena_new();
	site_t *s = mk_site(a, 2, 5, 0);
	files_t f = { 0 };
	assert_int_equal(search_build(s, collect, &f), 0);
	assert_true(f.n >= 3);
	/* the manifest comes last */
	assert_string_equal(f.v[f.n - 1].rel, "tim-kiem/manifest.json");
	json_t *m = parse(&f.v[f.n - 1]);
	/* 2 plans, 1 document, 3 units, 10 tasks, in that order */
	assert_int_equal(json_integer_value(json_object_get(m, "count")), 16);
	assert_int_equal(json_integer_value(json_object_get(m, "chunk")), SEARCH_CHUNK);
	json_t *k = json_object_get(m, "kinds");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(k, "plan"), 0)), 0);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(k, "document"), 0)), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(k, "unit"), 0)), 3);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(k, "task"), 0)), 6);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(k, "task"), 1)), 16);
	assert_int_equal(strlen(json_string_value(json_object_get(m, "v"))), 16);

	/* records: [title, url, context]; a task links to its row on the plan page */
	const file_t *rf = find(&f, "tim-kiem/rec/0.json");
	assert_non_null(rf);
	json_t *r = parse(rf);
	assert_int_equal(json_array_size(r), 16);
	assert_string_equal(json_string_value(json_array_get(json_array_get(r, 0), 0)), "Số hóa hồ sơ năm 2025");
	assert_string_equal(json_string_value(json_array_get(json_array_get(r, 0), 2)),
			    "Kế hoạch 100/KH-SKHCN · Sở Khoa học và Công nghệ · 21/07/2025");
	json_t *t0 = json_array_get(r, 6);
	assert_string_equal(json_string_value(json_array_get(t0, 1)), "/ke-hoach/100-kh-skhcn/#1");
	assert_string_equal(json_string_value(json_array_get(t0, 2)), "Kế hoạch 100/KH-SKHCN · Phòng Đồng Hỷ");
	json_t *u1 = json_array_get(r, 4);
	assert_string_equal(json_string_value(json_array_get(u1, 0)), "Phòng Đồng Hỷ");
	assert_string_equal(json_string_value(json_array_get(u1, 2)), "Sở Khoa học và Công nghệ");
	json_decref(r);

	uint32_t ids[64];
	size_t n;
	/* "so hoa": plan 0 and the tasks titled with TITLES[0] (ids 6 and 15) */
	n = ids_of(&f, m, "hoa", "hóa", 1, ids, N(ids));
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 6);
	assert_int_equal(ids[2], 15);
	/* đường and dương are two spellings of one folded word */
	n = ids_of(&f, m, "duong", "đường", 1, ids, N(ids));
	assert_int_equal(n, 2);
	n = ids_of(&f, m, "duong", "dương", 1, ids, N(ids));
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 8);
	assert_int_equal(ids[1], 12);
	/* the unit by its name (T) and the tasks it leads (C) */
	n = ids_of(&f, m, "dong", "đồng", 1, ids, N(ids));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 4);
	n = ids_of(&f, m, "dong", "đồng", 2, ids, N(ids));
	assert_int_equal(n, 6);   /* tasks 1, 3, 5 of both plans */
	/* an alias is a name */
	n = ids_of(&f, m, "cn", "cn", 1, ids, N(ids));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 3);
	/* document numbers: parts and the joined form, in class N */
	n = ids_of(&f, m, "57nqtw", "57nqtw", 0, ids, N(ids));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 2);
	n = ids_of(&f, m, "nq", "nq", 0, ids, N(ids));
	assert_int_equal(n, 1);
	n = ids_of(&f, m, "101khskhcn", "101khskhcn", 0, ids, N(ids));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 1);
	/* a record is listed once per spelling, in its best class: plan 0 has
	 * "số" in its title and "sở" in its issuer */
	n = ids_of(&f, m, "so", "số", 2, ids, N(ids));
	for (size_t i = 0; i < n; i++)
		assert_true(ids[i] != 0);
	n = ids_of(&f, m, "so", "sở", 2, ids, N(ids));
	assert_true(n >= 1);
	assert_int_equal(ids[0], 0);

	/* byte-identical on a second build */
	files_t g = { 0 };
	assert_int_equal(search_build(s, collect, &g), 0);
	assert_int_equal(g.n, f.n);
	for (size_t i = 0; i < f.n; i++) {
		assert_string_equal(g.v[i].rel, f.v[i].rel);
		assert_int_equal(g.v[i].len, f.v[i].len);
		assert_memory_equal(g.v[i].data, f.v[i].data, f.v[i].len);
	}
	files_free(&g);

	/* a failing writer stops the build */
	files_t h = { .fail_at = 1 };
	assert_int_equal(search_build(s, collect, &h), -1);
	files_free(&h);

	json_decref(m);
	files_free(&f);
	arena_free(a);
}

/* Many records: chunks stay SEARCH_CHUNK records, shards stay under
 * SEARCH_SHARD_MAX unless they hold a single word, and every word is in the
 * shard search.js looks in. */
static void test_build_sizes(void **state)
{
	arena_t *a = arena_new();
	site_t *s = mk_site(a, 300, 40, 1);
	files_t f = { 0 };
	assert_int_equal(search_build(s, collect, &f), 0);
	json_t *m = parse(&f.v[f.n - 1]);
	size_t count = (size_t)json_integer_value(json_object_get(m, "count"));
	assert_int_equal(count, 300 + 1 + 3 + 300 * 40);
	size_t recs = 0, chunks = 0, shards = 0, files = 0, words = 0, split = 0;
	for (size_t i = 0; i + 1 < f.n; i++) {
		const file_t *x = &f.v[i];
		for (const char *p = x->rel; *p; p++)
			assert_true((unsigned char)*p < 0x80);
		json_t *j = parse(x);
		if (!strncmp(x->rel, "tim-kiem/rec/", 13)) {
			char want[64];
			snprintf(want, sizeof want, "tim-kiem/rec/%zu.json", chunks);
			assert_string_equal(x->rel, want);
			size_t n = json_array_size(j);
			recs += n;
			chunks++;
			if (recs < count)
				assert_int_equal(n, SEARCH_CHUNK);
			else
				assert_true(n >= 1 && n <= SEARCH_CHUNK);
		} else {
			assert_true(!strncmp(x->rel, "tim-kiem/idx/", 13));
			files++;
			/* a file past SEARCH_FILE_MAX holds one shard only */
			if (json_object_size(j) > 1)
				assert_true(x->len <= SEARCH_FILE_MAX);
			const char *key, *w;
			json_t *sh, *v;
			json_object_foreach(j, key, sh) {
				shards++;
				char *rel = file_of(m, key);
				if (!rel || strcmp(rel, x->rel))
					fail_msg("shard %s is in %s, the script looks in %s", key, x->rel, rel ? rel : "none");
				free(rel);
				if (json_object_size(sh) > 1) {
					char *dump = json_dumps(sh, JSON_COMPACT);
					assert_true(strlen(dump) <= SEARCH_SHARD_MAX + 64);
					free(dump);
				}
				json_object_foreach(sh, w, v) {
					char *want = descend(json_object_get(m, "shards"), w);
					if (strcmp(want, key))
						fail_msg("word %s is in shard %s, the script looks in %s", w, key, want);
					if (strlen(want) > 2)
						split++;
					free(want);
					words++;
				}
			}
		}
		json_decref(j);
	}
	assert_int_equal(recs, count);
	assert_int_equal(chunks, (count + SEARCH_CHUNK - 1) / SEARCH_CHUNK);
	assert_int_equal(shards, json_array_size(json_object_get(m, "shards")));
	assert_int_equal(files, json_array_size(json_object_get(m, "files")));
	assert_true(files * 3 < shards);   /* shards travel together */
	assert_true(words > 1000);
	assert_true(split > 0);   /* some shards were split */
	json_decref(m);
	files_free(&f);
	arena_free(a);
}

/* A cancel (serve: the editor saved again) stops the index where it is:
 * before any file when it is set from the start, after the file being
 * written when it comes meanwhile; without one, the whole index. */
struct cancelling {
	files_t f;
	atomic_int cancel;
	size_t at;   /* sets cancel when this many files were emitted */
};

static int collect_cancel(void *arg, const char *rel, const char *data, size_t len)
{
	struct cancelling *c = arg;
	int rc = collect(&c->f, rel, data, len);
	if (c->f.n == c->at)
		atomic_store(&c->cancel, 1);
	return rc;
}

static void test_build_cancel(void **state)
{
	arena_t *a = arena_new();
	site_t *s = mk_site(a, 300, 40, 1);
	struct cancelling all = { .at = 0 };
	assert_int_equal(search_build_cancel(s, collect_cancel, &all, &all.cancel), 0);
	assert_true(all.f.n > 10);
	struct cancelling first = { .at = 0 };
	atomic_store(&first.cancel, 1);
	assert_int_equal(search_build_cancel(s, collect_cancel, &first, &first.cancel), SEARCH_CANCELLED);
	assert_int_equal(first.f.n, 0);
	struct cancelling mid = { .at = 2 };
	assert_int_equal(search_build_cancel(s, collect_cancel, &mid, &mid.cancel), SEARCH_CANCELLED);
	assert_int_equal(mid.f.n, 2);
	/* the files it wrote are those of the whole index, as far as it got */
	for (size_t i = 0; i < mid.f.n; i++) {
		assert_string_equal(mid.f.v[i].rel, all.f.v[i].rel);
		assert_memory_equal(mid.f.v[i].data, all.f.v[i].data, all.f.v[i].len);
	}
	files_free(&all.f);
	files_free(&first.f);
	files_free(&mid.f);
	arena_free(a);
}

/* Records' strings escaped wherever the character falls (the scan goes
 * eight bytes at a time), and titles that recur, also after more distinct
 * titles than the index keeps words for (add_recent's slots): each task is
 * found by its own title's words, as many times as written. */
static void test_build_escapes_recurring(void **state)
{
	arena_t *a = arena_new();
	site_t *s = mk_site(a, 1, 6000, 0);
	plan_t *p = s->plans[0];
	static const char *const odd[] = {
		"\"Q\" đầu", "x\\y", "abcdefg\"", "abcdefgh\"", "abcdefghi\\k", "ab\\cdefghijk",
		"tab\there\nline\x01" "end",
	};
	static const char *const odd_json[] = {
		"\"\\\"Q\\\" đầu\"", "\"x\\\\y\"", "\"abcdefg\\\"\"", "\"abcdefgh\\\"\"",
		"\"abcdefghi\\\\k\"", "\"ab\\\\cdefghijk\"", "\"tab\\there\\nline\\u0001end\"",
	};
	for (size_t j = 0; j < p->ntasks; j++) {
		task_t *t = &p->tasks[j];
		if (j < N(odd))
			t->title = odd[j];
		else if (j % 2)
			t->title = "Chuyển đổi số toàn diện";   /* recurs all along */
		else
			t->title = arena_printf(a, "Nhiệm vụ riêng %zu", j);
	}
	files_t f = { 0 };
	json_t *m;
	size_t first = build_tasks(s, &f, &m);
	/* the odd titles as JSON, byte for byte, in the first chunk */
	const file_t *rf = find(&f, "tim-kiem/rec/0.json");
	assert_non_null(rf);
	char *text = xstrndup(rf->data, rf->len);
	for (size_t i = 0; i < N(odd); i++)
		assert_non_null(strstr(text, odd_json[i]));
	free(text);
	json_t *r = parse(rf);
	for (size_t i = 0; i < N(odd); i++)
		assert_string_equal(json_string_value(json_array_get(json_array_get(r, first + i), 0)), odd[i]);
	json_decref(r);
	static uint32_t ids[8192];
	/* "toan": every odd task from the seventh on, in class T */
	size_t n = ids_of(&f, m, "toan", "toàn", 1, ids, N(ids));
	size_t want = 0;
	for (size_t j = N(odd); j < p->ntasks; j++)
		if (j % 2) {
			assert_true(want < n);
			assert_int_equal(ids[want], first + j);
			want++;
		}
	assert_int_equal(n, want);
	/* "rieng": every even task from the seventh on */
	n = ids_of(&f, m, "rieng", "riêng", 1, ids, N(ids));
	assert_int_equal(n, (p->ntasks - N(odd)) / 2);
	/* a title's number is a word of its task alone */
	n = ids_of(&f, m, "5998", "5998", 1, ids, N(ids));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], first + 5998);
	json_decref(m);
	files_free(&f);
	arena_free(a);
}

/* A task's record is written from its plan's pieces (escaped once a plan)
 * and its own: the address percent-encodes the task id, the context is the
 * plan's name, " · " and the lead units joined by ", ", and a title or a
 * lead's name that recurs (seen before, so copied without a second look
 * for escapes) is escaped as the first time. */
static void test_build_task_records(void **state)
{
	arena_t *a = arena_new();
	site_t *s = mk_site(a, 3, 6, 0);
	unit_t *odd = mk_unit(a, "Phòng \"A\\B\"", "phong-ab", NULL);
	s->plans[1]->number = "7/KH-\"Q\"";
	s->plans[1]->url = "/ke-hoach/7\"q\\/";
	s->plans[2]->number = NULL;   /* named by the start of its title */
	s->plans[2]->title = "Kế hoạch \"một\"\tkia";
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++) {
			task_t *t = &p->tasks[j];
			t->title = j % 2 ? "Nhiệm vụ \"lặp\"\\ lại" : TITLES[j % N(TITLES)];
			t->id = j == 3 ? "a b/ć" : t->id;
			if (j % 3 == 0) {
				t->lead.n = 0;
			} else if (j % 3 == 1) {
				t->lead.n = 3;
				t->lead.v = arena_alloc(a, 3 * sizeof(uref_t));
				t->lead.v[0].unit = odd;
				t->lead.v[0].text = odd->name;
				t->lead.v[1].unit = NULL;
				t->lead.v[1].text = "Ban \"X\"";
				t->lead.v[2].unit = s->units[2];
				t->lead.v[2].text = s->units[2]->name;
			}
		}
	}
	files_t f = { 0 };
	json_t *m;
	size_t first = build_tasks(s, &f, &m);
	const file_t *rf = find(&f, "tim-kiem/rec/0.json");
	assert_non_null(rf);
	json_t *r = parse(rf);
	static const char *const names[] = { "Kế hoạch 100/KH-SKHCN", "Kế hoạch 7/KH-\"Q\"",
					     "Kế hoạch: Kế hoạch \"một\"\tkia" };
	size_t k = first;
	for (size_t i = 0; i < s->nplans; i++) {
		plan_t *p = s->plans[i];
		for (size_t j = 0; j < p->ntasks; j++, k++) {
			task_t *t = &p->tasks[j];
			json_t *rec = json_array_get(r, k);
			assert_string_equal(json_string_value(json_array_get(rec, 0)), t->title);
			char *url = j == 3 ? arena_printf(a, "%s#a%%20b%%2F%%C4%%87", p->url)
					   : arena_printf(a, "%s#%s", p->url, t->id);
			assert_string_equal(json_string_value(json_array_get(rec, 1)), url);
			const char *ctx = t->lead.n == 0 ? names[i]
					: t->lead.n == 3 ? arena_printf(a, "%s · %s, %s, %s", names[i], odd->name,
									  "Ban \"X\"", s->units[2]->name)
							 : arena_printf(a, "%s · %s", names[i], t->lead.v[0].unit->name);
			assert_string_equal(json_string_value(json_array_get(rec, 2)), ctx);
		}
	}
	/* the escapes as search_build always wrote them, byte for byte */
	char *text = xstrndup(rf->data, rf->len);
	assert_non_null(strstr(text, "\"Nhiệm vụ \\\"lặp\\\"\\\\ lại\",\"/ke-hoach/7\\\"q\\\\/#2\","
				     "\"Kế hoạch 7/KH-\\\"Q\\\" · Phòng \\\"A\\\\B\\\", Ban \\\"X\\\", Văn phòng\"]"));
	assert_non_null(strstr(text, "\"Kế hoạch: Kế hoạch \\\"một\\\"\\tkia\"]"));
	free(text);
	json_decref(r);
	json_decref(m);
	files_free(&f);
	arena_free(a);
}

/* Each list of record ids takes the shorter of its two forms ('d' on a
 * tie), whose length the index counts as the ids come. */
static void check_lists(json_t *shard)
{
	const char *key, *word;
	json_t *words, *sp;
	json_object_foreach(shard, key, words) {
		json_object_foreach(words, word, sp) {
			size_t i;
			json_t *v;
			json_array_foreach(sp, i, v) {
				for (int cl = 0; cl < 3; cl++) {
					const char *l = json_string_value(json_array_get(v, 1 + cl));
					static uint32_t ids[1 << 16];
					size_t n = decode_ids(l, ids, N(ids));
					if (!n) {
						assert_string_equal(l, "");
						continue;
					}
#define VLEN(x) ((x) < 32 ? 1u : (x) < 1024 ? 2u : (x) < 32768 ? 3u : (x) < (1u << 20) ? 4u : 5u)
					size_t dlen = VLEN(ids[0]);
					for (size_t j = 1; j < n; j++)
						dlen += VLEN(ids[j] - ids[j - 1] - 1);
					size_t blen = VLEN(ids[0]) + (ids[n - 1] - ids[0] + 1 + 5) / 6;
#undef VLEN
					assert_int_equal(l[0], blen < dlen ? 'b' : 'd');
					assert_int_equal(strlen(l), 1 + (blen < dlen ? blen : dlen));
				}
			}
		}
	}
}

static void test_build_list_forms(void **state)
{
	arena_t *a = arena_new();
	/* words of every record and of a few: gaps of one to thousands */
	site_t *s = mk_site(a, 300, 40, 1);
	/* three records in a row past id 1,024: 'b' (4 characters) beats
	 * 'd' (5: the first id takes three) by the first id's length alone */
	for (size_t j = 0; j < 3; j++)
		s->plans[299]->tasks[j].title = "Nhiệm vụ quaduy";
	files_t f = { 0 };
	assert_int_equal(search_build(s, collect, &f), 0);
	json_t *m = parse(&f.v[f.n - 1]);
	static uint32_t one[8];
	assert_int_equal(ids_of(&f, m, "quaduy", "quaduy", 1, one, N(one)), 3);
	assert_true(one[0] >= 1024);
	json_decref(m);
	size_t lists = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (strncmp(f.v[i].rel, "tim-kiem/idx/", 13))
			continue;
		json_t *j = parse(&f.v[i]);
		check_lists(j);
		json_decref(j);
		lists++;
	}
	assert_true(lists > 10);
	files_free(&f);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_number_words),
		cmocka_unit_test(test_shard_name),
		cmocka_unit_test(test_build_small),
		cmocka_unit_test(test_build_sizes),
		cmocka_unit_test(test_build_cancel),
		cmocka_unit_test(test_build_escapes_recurring),
		cmocka_unit_test(test_build_task_records),
		cmocka_unit_test(test_build_list_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
