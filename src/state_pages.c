/* state_pages.c: what each page of a published site was rendered from
 * (a fingerprint of its inputs per page job) and the files it made, so the
 * next build links the files of a page whose inputs did not change
 * instead of rendering it again. */
#include "state.h"

#include <assert.h>
#include <dirent.h>
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "hash.h"
#include "i18n.h"
#include "util.h"
#include "xref.h"

#define PAGES_HEAD "plansite-pages "
#define PAGES_FORMAT 1
/* the largest state read: about 200 bytes a file, a million files */
#define PAGES_MAX ((size_t)256 << 20)

/* A page job of a site: its fingerprint and its files. */
typedef struct {
	char *key;
	char fp[GIT_OID_HEXSZ + 1];
	out_files_t files;
} entry_t;

struct state_pages {
	char g[GIT_OID_HEXSZ + 1];    /* what every page depends on, commit and history aside */
	/* ... with what each kind of page may show of the commit and the
	 * history (its template's own: the open data page names the commit,
	 * a plan's page need not) */
	char gplan[GIT_OID_HEXSZ + 1], gunit[GIT_OID_HEXSZ + 1], gweek[GIT_OID_HEXSZ + 1];
	/* the lists rendered before the history is read, by route kind
	 * (status views, deadlines, plans and units indexes; ROUTE_KIND_COUNT: files
	 * made without a template, the search index): g with the commit when
	 * their template may show it */
	char glist[ROUTE_KIND_COUNT + 1][GIT_OID_HEXSZ + 1];
	bool commit_plan, commit_unit, commit_week, counts_plan, counts_week;
	char commit[GIT_OID_HEXSZ + 1];
	strmap_t plan_file;           /* plan path -> hex id of its bytes (arena) */
	strmap_t plan_pos;            /* plan path -> its position in the site + 1 (pos) */
	size_t *pos;
	/* the site, whose plans are found by their ranks (site_plan_index):
	 * the units' and weeks' fingerprints look up tens of thousands of
	 * them (a hash of its path through plan_pos before, then of its
	 * address) */
	const site_t *site;
	/* by position: how pages name plan i and which bytes it has (its
	 * put_plan_name and plan_file fields), made once: every unit's and
	 * week's fingerprint repeats them */
	char **pname;
	size_t *pname_len;
	/* every document's put_doc text as its digest, by the document's
	 * address (open addressing), made once: the plans' fingerprints name
	 * 22,000 documents at 1,000 plans, most of them the same few */
	const void **dkeys;
	unsigned char (*ddg)[16];
	size_t dcap;
	arena_t *a;
	const site_t *s;
	/* the previous site's state (read-only once read) */
	entry_t *prev;
	size_t nprev;
	strmap_t prev_by_key;         /* key -> entry_t * */
	/* this build's, added by the page threads */
	pthread_mutex_t mu;
	entry_t *cur;
	size_t ncur, capcur;
	size_t kept, rendered;
};

static void hex_of(const buf_t *b, char out[GIT_OID_HEXSZ + 1])
{
	git_oid id;
	if (git_odb_hash(&id, b->ptr ? b->ptr : "", b->len, GIT_OBJECT_BLOB) < 0)
		memset(&id, 0, sizeof id);   /* never equal to a stored fingerprint of pages */
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, &id);
}

/* The fingerprint of the inputs in b: SHA-1 (hex) over their 128-bit
 * digest (hash_128) and length.  Inputs run to megabytes a build (a
 * unit's plans, a plan's history, the rows of the lists), which SHA-1
 * alone hashes several times slower. */
static void fp_of(const buf_t *b, char out[GIT_OID_HEXSZ + 1])
{
	unsigned char d[16 + sizeof(size_t)];
	hash_128(b->ptr ? b->ptr : "", b->len, d);
	memcpy(d + 16, &b->len, sizeof(size_t));
	buf_t s = { (char *)d, sizeof d, 0 };
	hex_of(&s, out);
}

/* fp_of for inputs written a piece at a time: b is handed to the digest
 * whenever it passes FP_PIECE and cleared, so a week whose lists name
 * every overdue task's plan (30 MB at 10,000 plans, on each page thread)
 * is never held whole; the fingerprint is fp_of's of all of it. */
enum { FP_PIECE = 64 << 10 };

static void fp_piece(hash128_t *h, buf_t *b)
{
	if (b->len < FP_PIECE)
		return;
	hash_128_add(h, b->ptr, b->len);
	buf_clear(b);
}

static void fp_pieces_end(hash128_t *h, buf_t *b, char out[GIT_OID_HEXSZ + 1])
{
	unsigned char d[16 + sizeof(size_t)];
	size_t len;
	hash_128_add(h, b->ptr ? b->ptr : "", b->len);
	hash_128_end(h, d, &len);
	memcpy(d + 16, &len, sizeof(size_t));
	buf_t s = { (char *)d, sizeof d, 0 };
	hex_of(&s, out);
}

/* v in decimal, then c (no printf: tens of thousands a build). */
static void put_dec(buf_t *b, long long v, char c)
{
	char d[24];
	size_t k = sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	d[--k] = c;
	do {
		d[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--k] = '-';
	buf_put(b, d + k, sizeof d - k);
}

/* A number in base 128 after a tag (seven bits a byte, the last without
 * its high bit): what no other number or string writes the same, in a
 * byte or two where decimal took several and a division a digit.  The
 * texts are read by nothing but a hash (fp_of). */
static inline void put_tagged(buf_t *b, char tag, unsigned long long u, const char *s, size_t n)
{
	buf_grow(b, 11 + n);
	char *at = b->ptr + b->len;
	*at++ = tag;
	while (u >= 0x80) {
		*at++ = (char)(0x80 | (u & 0x7f));
		u >>= 7;
	}
	*at++ = (char)u;
	if (n)
		memcpy(at, s, n);
	b->len = (size_t)(at + n - b->ptr);
	b->ptr[b->len] = '\0';
}

/* A field as length and bytes: no two lists of fields give one text. */
static void put_s(buf_t *b, const char *s)
{
	if (!s) {
		buf_putc(b, '-');
		return;
	}
	size_t n = strlen(s);
	put_tagged(b, ':', n, s, n);
}

static void put_i(buf_t *b, long long v)
{
	if (v < 0)
		put_tagged(b, '_', 0ULL - (unsigned long long)v, NULL, 0);
	else
		put_tagged(b, '#', (unsigned long long)v, NULL, 0);
}

/* ---- what templates may show ---- */

/* Whether a template text may show the site field at path (a dotted
 * name below the root: "site.commit"): it names it or something below it,
 * opens a section on a name above it (whose fields a plain name then
 * reaches), or changes the delimiters (then nothing can be told). */
static bool text_shows(const char *t, const char *path)
{
	size_t pl = strlen(path);
	for (const char *p = strstr(t, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *q = p + 2;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		char sigil = 0;
		if (strchr("#^/&{>!=<$", *q) && *q)
			sigil = *q++;
		if (sigil == '=')
			return true;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		size_t n = strcspn(q, " \t\r\n}");
		if (sigil == '!' || sigil == '>' || sigil == '/')
			continue;
		/* names it or below it */
		if (n >= pl && !strncmp(q, path, pl) && (n == pl || q[pl] == '.'))
			return true;
		/* a section on a name above it (site, site.history) */
		if ((sigil == '#' || sigil == '$') && n < pl && !strncmp(q, path, n) && path[n] == '.')
			return true;
	}
	return false;
}

/* The text of template name: the site's own (content/templates) or the
 * theme's; NULL when there is none (malloc'd otherwise). */
static char *tmpl_text(const char *theme_dir, const site_t *s, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < s->ntemplates; i++) {
		const char *slash = strrchr(s->templates[i]->rel, '/');
		const char *base = slash ? slash + 1 : s->templates[i]->rel;
		if (!strncmp(base, name, n) && !strcmp(base + n, ".mustache") && s->templates[i]->data)
			return xstrdup(s->templates[i]->data);
	}
	buf_t f = BUF_INIT;
	buf_printf(&f, "%s/templates/%s.mustache", theme_dir, name);
	char *text = NULL;
	size_t len;
	if (util_read_file(f.ptr, &text, &len) < 0)
		text = NULL;
	buf_free(&f);
	return text;
}

/* Whether a page rendered by template root may show the site field at
 * path: root, the partials it includes and the parents it extends, each
 * once; a template that cannot be read, a dynamic name or too many
 * templates count as showing it. */
static bool templates_show(const char *theme_dir, const site_t *s, const char *root, const char *path)
{
	enum { MAXT = 512 };
	char *names[MAXT];
	size_t n = 0;
	bool shows = false;
	names[n++] = xstrdup(root);
	for (size_t i = 0; i < n && !shows; i++) {
		char *text = tmpl_text(theme_dir, s, names[i]);
		if (!text || text_shows(text, path)) {
			shows = true;
			free(text);
			break;
		}
		for (const char *p = strstr(text, "{{"); p && !shows; p = strstr(p + 2, "{{")) {
			const char *q = p + 2;
			while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
				q++;
			if (*q != '>' && *q != '<')
				continue;
			q++;
			while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
				q++;
			size_t len = strcspn(q, " \t\r\n}");
			if (*q == '*' || !len || n == MAXT) {
				shows = true;
				break;
			}
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = strlen(names[k]) == len && !strncmp(names[k], q, len);
			if (!seen)
				names[n++] = xstrndup(q, len);
		}
		free(text);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return shows;
}

/* ---- fingerprints ---- */

/* What a page may show of a unit it names (any page may name any unit:
 * task rows, issuers, indicators): every unit's, in G. */
static void put_units(buf_t *b, const site_t *s)
{
	for (size_t i = 0; i < s->nunits; i++) {
		const unit_t *u = s->units[i];
		buf_puts(b, "U\n");
		const char *f[] = { u->id, u->name, u->kind, u->key, u->parent_id, u->slug, u->url,
				    u->suggestion, u->parent ? u->parent->url : NULL };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			put_s(b, f[k]);
		put_i(b, u->registered);
		for (size_t k = 0; k < u->naliases; k++)
			put_s(b, u->aliases[k]);
	}
}

/* How a page names a plan and links to it: derived from every plan (a
 * name takes the plan's id when two plans would share it, an address a
 * suffix when two slugs clash), so not from its file alone. */
static void put_plan_name(buf_t *b, const plan_t *p)
{
	buf_puts(b, "P\n");
	const char *f[] = { p->path, p->number, p->id, p->key, p->slug, p->url, p->name };
	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		put_s(b, f[k]);
}

/* What a page may show of a document it names or reaches (links, the
 * chain above a plan): its names, address, place in the graph. */
static void put_doc(buf_t *b, const doc_t *dc)
{
	buf_puts(b, "D\n");
	const char *f[] = { dc->number, dc->key, dc->type, dc->title, dc->issuer, dc->link, dc->slug, dc->url };
	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		put_s(b, f[k]);
	put_i(b, (long long)dc->date);
	put_i(b, dc->stub);
	put_i(b, dc->height);
	if (dc->plan)
		put_plan_name(b, dc->plan);
	for (size_t k = 0; k < dc->nup; k++)
		put_s(b, dc->up[k]->key);
}

/* The slot of key in an open-addressing table of cap slots (keys), empty
 * (NULL) when the key is not there: the documents' digests and the plans'
 * positions, both by address. */
static size_t addr_slot(const void *const *keys, size_t cap, const void *key)
{
	size_t j = hash_ptr(key, cap);
	while (keys[j] && keys[j] != key)
		j = (j + 1) & (cap - 1);
	return j;
}

/* The slots of a table for n keys: at least twice n, a power of two. */
static size_t addr_cap(size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

/* The digests of the site's documents' put_doc texts (state_pages_new). */
static void doc_digests(state_pages_t *sp, const site_t *s)
{
	sp->dcap = addr_cap(s->ndocs);
	sp->dkeys = xcalloc(sp->dcap, sizeof *sp->dkeys);
	sp->ddg = xmalloc(sp->dcap * sizeof *sp->ddg);
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < s->ndocs; i++) {
		const doc_t *dc = s->docs[i];
		size_t j = addr_slot(sp->dkeys, sp->dcap, dc);
		if (sp->dkeys[j])
			continue;
		buf_clear(&b);
		put_doc(&b, dc);
		hash_128(b.ptr, b.len, sp->ddg[j]);
		sp->dkeys[j] = dc;
	}
	buf_free(&b);
}

/* A document as put_doc writes it, or as the digest of that text when the
 * site has it (a tag of its own: no text put_doc writes starts with it). */
static void put_doc_ref(const state_pages_t *sp, buf_t *b, const doc_t *dc)
{
	size_t j = addr_slot(sp->dkeys, sp->dcap, dc);
	if (!sp->dkeys[j]) {
		put_doc(b, dc);
		return;
	}
	buf_grow(b, 1 + 16);
	b->ptr[b->len++] = '%';
	memcpy(b->ptr + b->len, sp->ddg[j], 16);
	b->len += 16;
	b->ptr[b->len] = '\0';
}

/* The documents a plan's page may show: every one above it (the chain, the
 * plans and documents it implements) and every one whose number its body
 * text holds (markdown.c links those). */
static void put_plan_docs(const state_pages_t *sp, buf_t *b, const site_t *s, const plan_t *p)
{
	strmap_t seen = STRMAP_INIT;
	const doc_t **todo = xmalloc((s->ndocs + 1) * sizeof(*todo));
	size_t n = 0;
	if (p->doc) {
		todo[n++] = p->doc;
		strmap_put(&seen, p->doc->key, (void *)p->doc);
	}
	for (size_t k = 0; k < p->nimplements; k++) {
		const doc_t *dc = p->impl_docs ? p->impl_docs[k] : NULL;
		if (dc && !strmap_get(&seen, dc->key) && n < s->ndocs) {
			strmap_put(&seen, dc->key, (void *)dc);
			todo[n++] = dc;
		}
	}
	for (size_t i = 0; i < n; i++) {
		put_doc_ref(sp, b, todo[i]);
		for (size_t k = 0; k < todo[i]->nup; k++) {
			const doc_t *u = todo[i]->up[k];
			if (!strmap_get(&seen, u->key) && n < s->ndocs) {
				strmap_put(&seen, u->key, (void *)u);
				todo[n++] = u;
			}
		}
	}
	free(todo);
	strmap_free(&seen);
	const char *text = p->body_md ? p->body_md : "";
	size_t len = strlen(text), pos = 0, i, end;
	while (docnum_next(text, len, &pos, &i, &end)) {
		char *cand = xstrndup(text + i, end - i);
		const doc_t *dc = xref_find_doc(s, cand);
		free(cand);
		buf_puts(b, "B\n");
		if (dc)
			put_doc_ref(sp, b, dc);
	}
}

static const char *plan_file(const state_pages_t *sp, const plan_t *p);

/* The position + 1 of the plan at p's path, as plan_pos gives it: by
 * rank for the site's plans, by path for any other (NULL: none). */
static const size_t *plan_at(const state_pages_t *sp, const plan_t *p)
{
	long i = site_plan_index(sp->site, p);
	if (i >= 0)
		return &sp->pos[i];
	return strmap_get(&sp->plan_pos, p->path);
}

state_pages_t *state_pages_new(const char *key, const site_t *s, const snap_t *snap, const char *theme_dir)
{
	state_pages_t *sp = xcalloc(1, sizeof(*sp));
	pthread_mutex_init(&sp->mu, NULL);
	sp->a = arena_new();
	sp->s = s;
	const char *tp = routes_kind(ROUTE_KIND_PLAN)->tmpl, *tu = routes_kind(ROUTE_KIND_UNIT)->tmpl,
		   *tw = routes_kind(ROUTE_KIND_WEEK)->tmpl;
	sp->commit_plan = templates_show(theme_dir, s, tp, "site.commit") ||
			  templates_show(theme_dir, s, tp, "site.commit_short");
	sp->commit_unit = templates_show(theme_dir, s, tu, "site.commit") ||
			  templates_show(theme_dir, s, tu, "site.commit_short");
	sp->commit_week = templates_show(theme_dir, s, tw, "site.commit") ||
			  templates_show(theme_dir, s, tw, "site.commit_short");
	sp->counts_plan = templates_show(theme_dir, s, tp, "site.history.commits") ||
			  templates_show(theme_dir, s, tp, "site.history.changes");
	sp->counts_week = templates_show(theme_dir, s, tw, "site.history.commits") ||
			  templates_show(theme_dir, s, tw, "site.history.changes");
	snprintf(sp->commit, sizeof sp->commit, "%s", s->commit);
	sp->pos = xmalloc((s->nplans + 1) * sizeof(*sp->pos));
	for (size_t i = 0; i < s->nplans; i++) {
		sp->pos[i] = i + 1;
		strmap_put(&sp->plan_pos, s->plans[i]->path, &sp->pos[i]);
	}
	sp->site = s;
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%d\n", PAGES_HEAD, PAGES_FORMAT);
	put_s(&b, key);
	put_i(&b, (long long)s->as_of);
	/* every file but the plans' own: site.yaml, registries, pages,
	 * templates, static files */
	for (size_t i = 0; i < snap->n; i++) {
		const rfile_t *f = &snap->files[i];
		char idh[GIT_OID_HEXSZ + 1];
		if (git_oid_is_zero(&f->oid)) {
			/* a work tree's file has no blob id: its digest, several
			 * times faster than hashing it as Git would (serve does
			 * this after every edit); "w" keeps it apart from ids */
			unsigned char dg[16];
			hash_128(f->data ? f->data : "", f->data ? f->len : 0, dg);
			idh[0] = 'w';
			for (int k = 0; k < 16; k++)
				snprintf(idh + 1 + 2 * k, 3, "%02x", dg[k]);
		} else {
			git_oid_tostr(idh, sizeof idh, &f->oid);
		}
		if (strmap_get(&sp->plan_pos, f->path)) {
			strmap_put(&sp->plan_file, arena_strdup(sp->a, f->path), arena_strdup(sp->a, idh));
			continue;
		}
		put_s(&b, f->path);
		put_s(&b, idh);
	}
	put_units(&b, s);
	hex_of(&b, sp->g);
	buf_clear(&b);
	sp->pname = xmalloc((s->nplans + 1) * sizeof(*sp->pname));
	sp->pname_len = xmalloc((s->nplans + 1) * sizeof(*sp->pname_len));
	for (size_t i = 0; i < s->nplans; i++) {
		put_plan_name(&b, s->plans[i]);
		put_s(&b, plan_file(sp, s->plans[i]));
		sp->pname[i] = arena_strndup(sp->a, b.ptr, b.len);
		sp->pname_len[i] = b.len;
		buf_clear(&b);
	}
	/* the units' pages render before the history is read: none in theirs */
	put_s(&b, sp->g);
	buf_puts(&b, "unit\n");
	put_s(&b, sp->commit_unit ? sp->commit : "");
	hex_of(&b, sp->gunit);
	memcpy(sp->gplan, sp->g, sizeof sp->g);
	memcpy(sp->gweek, sp->g, sizeof sp->g);
	const route_kind_t lists[] = { ROUTE_KIND_STATUS, ROUTE_KIND_DEADLINES, ROUTE_KIND_PLANS,
				       ROUTE_KIND_UNITS, ROUTE_KIND_COUNT };
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		const char *t = lists[i] < ROUTE_KIND_COUNT ? routes_kind(lists[i])->tmpl : NULL;
		bool commit = t && (templates_show(theme_dir, s, t, "site.commit") ||
				    templates_show(theme_dir, s, t, "site.commit_short"));
		buf_clear(&b);
		put_s(&b, sp->g);
		put_s(&b, "list");
		put_s(&b, t ? t : "");
		put_s(&b, commit ? sp->commit : "");
		hex_of(&b, sp->glist[lists[i]]);
	}
	buf_free(&b);
	doc_digests(sp, s);
	return sp;
}

static void history_key(const state_pages_t *sp, const history_t *h, const char *kind, bool commit,
			bool counts, char out[GIT_OID_HEXSZ + 1])
{
	buf_t b = BUF_INIT;
	put_s(&b, sp->g);
	put_s(&b, kind);
	put_s(&b, commit ? sp->commit : "");
	put_i(&b, h != NULL);
	if (h) {
		put_i(&b, h->shallow);
		put_s(&b, h->start_commit);
		put_i(&b, (long long)h->start);
		put_i(&b, counts ? (long long)h->ncommits : -1);
		put_i(&b, counts ? (long long)h->nentries : -1);
	}
	hex_of(&b, out);
	buf_free(&b);
}

void state_pages_history(state_pages_t *sp, const history_t *h)
{
	history_key(sp, h, "plan", sp->commit_plan, sp->counts_plan, sp->gplan);
	history_key(sp, h, "week", sp->commit_week, sp->counts_week, sp->gweek);
}

static const char *plan_file(const state_pages_t *sp, const plan_t *p)
{
	const char *id = strmap_get(&sp->plan_file, p->path);
	return id ? id : "?";
}

void state_pages_plan_fp(const state_pages_t *sp, const plan_t *p, const history_t *h, char fp[STATE_FP_LEN])
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "plan\n");
	put_s(&b, sp->gplan);
	put_s(&b, p->path);
	put_s(&b, plan_file(sp, p));
	put_plan_name(&b, p);
	put_plan_docs(sp, &b, sp->s, p);
	const hplan_hist_t *ph = h ? history_plan(h, p) : NULL;
	for (size_t i = 0; ph && i < ph->nentries; i++) {
		const hentry_t *e = ph->entries[i];
		buf_puts(&b, "E\n");
		const char *f[] = { e->commit, e->author, e->subject, e->key, e->label, e->path, e->source,
				    e->error, e->plan ? e->plan->path : NULL };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			put_s(&b, f[k]);
		const long long v[] = { (long long)e->seq, (long long)e->time, e->tz, (long long)e->date,
					e->broken, e->has_percent, e->percent, e->done, e->base };
		for (size_t k = 0; k < sizeof v / sizeof *v; k++)
			put_i(&b, v[k]);
		for (size_t k = 0; k < e->nchanges; k++) {
			const hchange_t *c = &e->changes[k];
			const char *cf[] = { c->task, c->field, c->from, c->to, c->task_title };
			for (size_t j = 0; j < sizeof cf / sizeof *cf; j++)
				put_s(&b, cf[j]);
		}
	}
	for (size_t i = 0; ph && i < ph->series.n; i++) {
		const hpoint_t *pt = &ph->series.v[i];
		buf_puts(&b, "S ");
		const long long v[] = { (long long)pt->seq, (long long)pt->time, pt->tz, (long long)pt->date,
					pt->done, pt->base, pt->percent };
		for (size_t k = 0; k < sizeof v / sizeof *v; k++)
			put_dec(&b, v[k], k + 1 < sizeof v / sizeof *v ? ' ' : '\n');
	}
	fp_of(&b, fp);
	buf_free(&b);
}

/* What a week's report shows of its neighbours (the links to them) and
 * what fixes the week's own figures: the last commit of the week, which
 * names every commit the walk read up to it (the first-parent chain from
 * the history's start, in G), so every version the report shows. */
static void put_week_ref(buf_t *b, const hweek_t *wk)
{
	const hentry_t *last = NULL;
	for (size_t i = 0; i < wk->nentries; i++)
		if (!last || wk->entries[i]->seq > last->seq)
			last = wk->entries[i];
	buf_puts(b, "W\n");
	put_s(b, wk->id);
	put_s(b, last ? last->commit : NULL);
	const long long v[] = { (long long)wk->start, (long long)wk->end, (long long)wk->as_of,
				(long long)wk->nentries, (long long)wk->completed.n, (long long)wk->overdue.n,
				(long long)wk->added.n, (long long)wk->due_changed.n };
	for (size_t k = 0; k < sizeof v / sizeof *v; k++)
		put_i(b, v[k]);
}

/* How the report names today's plan of an item or an entry (its current
 * name, address and issuer, which places the units its tasks name). */
static void put_current_plan(buf_t *b, const state_pages_t *sp, const plan_t *p, const char *label)
{
	put_s(b, label);
	if (!p) {
		buf_puts(b, "-\n");
		return;
	}
	const size_t *k = plan_at(sp, p);
	if (k && sp->s->plans[*k - 1] == p) {
		buf_put(b, sp->pname[*k - 1], sp->pname_len[*k - 1]);
		return;
	}
	put_plan_name(b, p);
	put_s(b, plan_file(sp, p));
}

void state_pages_week_fp(const state_pages_t *sp, const history_t *h, size_t idx, char fp[STATE_FP_LEN])
{
	const hweek_t *wk = h->weeks[idx];
	buf_t b = BUF_INIT;
	hash128_t hs;
	hash_128_init(&hs);
	buf_puts(&b, "week\n");
	put_s(&b, sp->gweek);
	put_i(&b, (long long)idx);
	put_i(&b, (long long)h->nweeks);
	put_week_ref(&b, wk);
	if (idx + 1 < h->nweeks)
		put_week_ref(&b, h->weeks[idx + 1]);
	if (idx > 0)
		put_week_ref(&b, h->weeks[idx - 1]);
	const hitems_t *lists[] = { &wk->completed, &wk->overdue, &wk->added, &wk->new_plans,
				    &wk->due_changed, &wk->due_next };
	for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
		put_dec(&b, (long long)l, 'L');
		put_i(&b, (long long)lists[l]->n);
		for (size_t i = 0; i < lists[l]->n; i++) {
			put_current_plan(&b, sp, lists[l]->v[i].plan, hitem_label(&lists[l]->v[i]));
			fp_piece(&hs, &b);
		}
	}
	for (size_t i = 0; i < wk->nentries; i++) {
		put_s(&b, wk->entries[i]->commit);
		put_current_plan(&b, sp, wk->entries[i]->plan, wk->entries[i]->label);
		fp_piece(&hs, &b);
	}
	fp_pieces_end(&hs, &b, fp);
	buf_free(&b);
}

/* Marks the plans whose tasks u's pages show (u's and its sub-units',
 * led or supported) and that u or its sub-units issued. */
static void unit_plans(const unit_t *u, bool *mark, const site_t *s, const state_pages_t *sp, int depth)
{
	if (depth > 64) {
		for (size_t i = 0; i < s->nplans; i++)
			mark[i] = true;   /* deeper than units go: take every plan */
		return;
	}
	/* the plans of its tasks, by rank: their places in the site */
	for (size_t i = 0; i < u->nplan_ranks; i++)
		if (u->plan_ranks[i] <= s->nplans)
			mark[u->plan_ranks[i] - 1] = true;
	for (size_t i = 0; i < u->nissued; i++) {
		const size_t *k = plan_at(sp, u->issued[i]);
		if (k)
			mark[*k - 1] = true;
	}
	for (size_t i = 0; i < u->nchildren; i++)
		unit_plans(u->children[i], mark, s, sp, depth + 1);
}

void state_pages_unit_fp(const state_pages_t *sp, const site_t *s, const unit_t *u, char fp[STATE_FP_LEN])
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "unit\n");
	put_s(&b, sp->gunit);
	put_s(&b, u->url);
	bool *mark = xcalloc(s->nplans + 1, sizeof(*mark));
	unit_plans(u, mark, s, sp, 0);
	for (size_t i = 0; i < s->nplans; i++)
		if (mark[i])
			buf_put(&b, sp->pname[i], sp->pname_len[i]);
	free(mark);
	fp_of(&b, fp);
	buf_free(&b);
}

void state_pages_list_fp(const state_pages_t *sp, route_kind_t k, const buf_t *inputs, char fp[STATE_FP_LEN])
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "list\n");
	assert(k <= ROUTE_KIND_COUNT && sp->glist[k][0]);   /* one of the kinds state_pages_new keys */
	put_s(&b, sp->glist[k]);
	buf_put(&b, inputs->ptr ? inputs->ptr : "", inputs->len);
	fp_of(&b, fp);
	buf_free(&b);
}

/* ---- the state file ---- */

static bool key_ok(const char *key)
{
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return *key != 0;
}

static void entries_free(entry_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		out_files_free(&v[i].files);
	}
	free(v);
}

/* Parses the state text; returns 0, -1 (damaged: *line the line) or -2
 * (another format). */
static int parse(state_pages_t *sp, char *text, size_t len, size_t *line)
{
	*line = 0;   /* the whole file, unless a line is wrong */
	if (strlen(text) != len)
		return -1;
	/* the last line: "end <id of everything before it>" */
	char *end = len >= 2 ? text + len - 2 : NULL;
	while (end && end > text && end[-1] != '\n')
		end--;
	if (strncmp(text, PAGES_HEAD, strlen(PAGES_HEAD)))
		return -1;
	if (atoi(text + strlen(PAGES_HEAD)) != PAGES_FORMAT ||
	    text[strlen(PAGES_HEAD) + 1] != '\n')
		return -2;
	if (!end || end == text || strncmp(end, "end ", 4) || text[len - 1] != '\n')
		return -1;
	buf_t before = { text, (size_t)(end - text), 0 };
	char want[GIT_OID_HEXSZ + 1];
	hex_of(&before, want);
	if (strlen(end + 4) != GIT_OID_HEXSZ + 1 || strncmp(end + 4, want, GIT_OID_HEXSZ))
		return -1;
	*end = 0;
	char *save = NULL;
	char *ln = strtok_r(text, "\n", &save);   /* the head */
	size_t cap = 0;
	*line = 1;
	while ((ln = strtok_r(NULL, "\n", &save))) {
		(*line)++;
		/* "<fp> <nfiles> <key>" then nfiles lines "<size> <rel>" */
		char fp[GIT_OID_HEXSZ + 1];
		size_t nf;
		int off = 0;
		if (sscanf(ln, "%40[0-9a-f] %zu %n", fp, &nf, &off) != 2 || !off || strlen(fp) != GIT_OID_HEXSZ ||
		    !key_ok(ln + off) || nf > 100000 || strmap_get(&sp->prev_by_key, ln + off))
			return -1;
		if (sp->nprev == cap) {
			cap = cap ? 2 * cap : 64;
			sp->prev = xrealloc(sp->prev, cap * sizeof(*sp->prev));
		}
		entry_t *e = &sp->prev[sp->nprev++];
		*e = (entry_t){ .key = xstrdup(ln + off) };
		memcpy(e->fp, fp, sizeof fp);
		for (size_t i = 0; i < nf; i++) {
			char *fl = strtok_r(NULL, "\n", &save);
			(*line)++;
			long long size;
			int o2 = 0;
			if (!fl || sscanf(fl, "%lld %n", &size, &o2) != 1 || !o2 || size < 0 ||
			    !out_path_ok(fl + o2))
				return -1;
			out_files_add(&e->files, fl + o2, size);
		}
	}
	/* pointers into prev only once it no longer moves */
	for (size_t i = 0; i < sp->nprev; i++)
		if (strmap_put(&sp->prev_by_key, sp->prev[i].key, &sp->prev[i]))
			return -1;
	return 0;
}

void state_pages_load(state_pages_t *sp, out_t *o, const char *outdir, diag_t *d)
{
	char *text = NULL;
	size_t len = 0;
	if (out_prev_read(o, PAGES_FILE, PAGES_MAX, &text, &len) < 0)
		return;   /* no previous site, or one without the file: render all */
	size_t line = 0;
	int rc = parse(sp, text, len, &line);
	free(text);
	if (rc == 0)
		return;
	entries_free(sp->prev, sp->nprev);
	sp->prev = NULL;
	sp->nprev = 0;
	strmap_free(&sp->prev_by_key);
	sp->prev_by_key = (strmap_t)STRMAP_INIT;
	buf_t path = BUF_INIT;
	buf_printf(&path, "%s/%s", outdir, PAGES_FILE);
	loc_t loc = { diag_str(d, "%s", path.ptr), (int)line, 0 };
	buf_free(&path);
	if (rc == -1)
		diag_warning_fix(d, &loc, "W044", _("không cần làm gì: lần dựng này ghi lại tệp đó; đừng sửa tệp đó bằng tay"),
				 _("tệp ghi trạng thái các trang của lần dựng trước bị hỏng (bị cắt, bị sửa hoặc "
				   "không phải của plansite) nên bị bỏ qua: mọi trang được dựng lại"));
	else
		diag_warning_fix(d, &loc, "W045", _("không cần làm gì: lần dựng này ghi lại tệp đó theo phiên bản hiện tại"),
				 _("tệp ghi trạng thái các trang của lần dựng trước do một phiên bản plansite khác "
				   "ghi nên bị bỏ qua: mọi trang được dựng lại"));
}

static void add_cur(state_pages_t *sp, const char *key, const char *fp, out_files_t *files)
{
	pthread_mutex_lock(&sp->mu);
	if (sp->ncur == sp->capcur) {
		sp->capcur = sp->capcur ? 2 * sp->capcur : 256;
		sp->cur = xrealloc(sp->cur, sp->capcur * sizeof(*sp->cur));
	}
	entry_t *e = &sp->cur[sp->ncur++];
	*e = (entry_t){ .key = xstrdup(key), .files = *files };
	memcpy(e->fp, fp, GIT_OID_HEXSZ + 1);
	*files = (out_files_t){ 0 };
	pthread_mutex_unlock(&sp->mu);
}

const out_files_t *state_pages_same(const state_pages_t *sp, const char *key, const char *fp)
{
	if (!sp || !key_ok(key))
		return NULL;
	const entry_t *e = strmap_get(&sp->prev_by_key, key);
	return e && !strcmp(e->fp, fp) && e->files.n ? &e->files : NULL;
}

bool state_pages_keep(state_pages_t *sp, out_t *o, const char *outdir, diag_t *d, const char *key,
		      const char *fp)
{
	if (!sp || !key_ok(key))
		return false;
	const entry_t *e = strmap_get(&sp->prev_by_key, key);
	if (!e || strcmp(e->fp, fp) || !e->files.n)
		return false;
	size_t bad = 0;
	if (out_keep(o, (const char *const *)e->files.rel, e->files.size, e->files.n, &bad) < 0) {
		if (bad < e->files.n) {
			/* the state says the file is there with that size: it was
			 * changed or removed by hand */
			buf_t path = BUF_INIT;
			buf_printf(&path, "%s/%s", outdir, e->files.rel[bad]);
			loc_t loc = { diag_str(d, "%s", path.ptr), 0, 0 };
			buf_free(&path);
			diag_warning_fix(d, &loc, "W046", _("không sửa tay các tệp của trang đã xuất bản; trang được dựng lại từ nội dung"),
					 _("tệp này của lần dựng trước đã bị xoá hoặc sửa sau khi xuất bản nên trang "
					   "được dựng lại"));
		}
		return false;
	}
	out_files_t files = { 0 };
	for (size_t i = 0; i < e->files.n; i++)
		out_files_add(&files, e->files.rel[i], e->files.size[i]);
	add_cur(sp, key, fp, &files);
	pthread_mutex_lock(&sp->mu);
	sp->kept++;
	pthread_mutex_unlock(&sp->mu);
	return true;
}

void state_pages_done(state_pages_t *sp, const char *key, const char *fp, out_files_t *files)
{
	if (!sp || !key_ok(key) || !files->n)
		return;
	add_cur(sp, key, fp, files);
	pthread_mutex_lock(&sp->mu);
	sp->rendered++;
	pthread_mutex_unlock(&sp->mu);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const entry_t *)a)->key, ((const entry_t *)b)->key);
}

int state_pages_write(state_pages_t *sp, out_t *o, char **err)
{
	qsort(sp->cur, sp->ncur, sizeof(*sp->cur), entry_cmp);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s%d\n", PAGES_HEAD, PAGES_FORMAT);
	for (size_t i = 0; i < sp->ncur; i++) {
		const entry_t *e = &sp->cur[i];
		if (i && !strcmp(e->key, sp->cur[i - 1].key))
			continue;   /* one job a key (never two: keys are addresses) */
		buf_printf(&b, "%s %zu %s\n", e->fp, e->files.n, e->key);
		for (size_t k = 0; k < e->files.n; k++)
			buf_printf(&b, "%lld %s\n", e->files.size[k], e->files.rel[k]);
	}
	char id[GIT_OID_HEXSZ + 1];
	hex_of(&b, id);
	buf_printf(&b, "end %s\n", id);
	int rc = out_write(o, PAGES_FILE, b.ptr, b.len, err);
	buf_free(&b);
	return rc;
}

void state_pages_counts(const state_pages_t *sp, size_t *kept, size_t *rendered)
{
	*kept = sp->kept;
	*rendered = sp->rendered;
}

void state_pages_free(state_pages_t *sp)
{
	if (!sp)
		return;
	entries_free(sp->prev, sp->nprev);
	entries_free(sp->cur, sp->ncur);
	strmap_free(&sp->prev_by_key);
	strmap_free(&sp->plan_file);
	strmap_free(&sp->plan_pos);
	free(sp->pos);
	free(sp->pname);
	free(sp->pname_len);
	free(sp->dkeys);
	free(sp->ddg);
	arena_free(sp->a);
	pthread_mutex_destroy(&sp->mu);
	free(sp);
}
