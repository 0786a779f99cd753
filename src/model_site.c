/* model_site.c: the site settings (site.yaml) and the free pages
 * (pages/), each checked and located. */
#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "text.h"
#include "url.h"

void model_page_parse(model_ctx_t *c, site_t *s, const rfile_t *f)
{
	fm_doc_t doc;
	if (fm_parse(c->a, c->d, f->path, f->data, f->len, &doc) < 0)
		return;
	loc_t floc = { f->path, 1, 1 };
	page_t *pg = &s->pages[s->npages];
	pg->path = f->path;
	static const char *const known[] = { "title", "slug", NULL };
	pg->title = doc.meta ? model_str(c, ynode_get(doc.meta, "title"), "title") : NULL;
	if (!pg->title) {
		diag_error_fix(c->d, &floc, "E043",
			       _("mở đầu tệp bằng \"---\", một dòng \"title: ...\", rồi \"---\""),
			       _("trang không có title"));
		return;
	}
	const char *slug = doc.meta ? model_str(c, ynode_get(doc.meta, "slug"), "slug") : NULL;
	/* pages/a/b.md -> a/b: each segment slugged, so the URL can only name a
	 * folder inside the output */
	const char *rel = f->rel + strlen("pages/");
	buf_t b = BUF_INIT;
	if (slug) {
		char *sl = text_slug(slug);
		buf_puts(&b, sl);
		free(sl);
	} else {
		const char *p = rel;
		while (*p) {
			const char *e = strchr(p, '/');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (!e && n > 3 && !strcmp(p + n - 3, ".md"))
				n -= 3;
			char *seg = xstrndup(p, n);
			char *sl = text_slug(seg);
			if (*sl) {
				if (b.len)
					buf_putc(&b, '/');
				buf_puts(&b, sl);
			}
			free(seg);
			free(sl);
			if (!e)
				break;
			p = e + 1;
		}
	}
	/* site.yaml, read first, says where the sections are */
	if (b.ptr && routes_clash(&s->routes, b.ptr)) {
		diag_error_fix(c->d, &floc, "E044", _("đổi tên tệp hoặc đặt \"slug: ...\" khác"),
			       _("địa chỉ trang /%s/ dành riêng cho các trang của cổng"), b.ptr);
		buf_free(&b);
		return;
	}
	if (!b.len) {
		diag_error_fix(c->d, &floc, "E045", _("đặt tên tệp có chữ hoặc số, hoặc thêm \"slug: ...\""),
			       _("tên tệp trang cho ra địa chỉ rỗng"));
		buf_free(&b);
		return;
	}
	pg->slug = arena_strdup(c->a, b.ptr);
	buf_free(&b);
	for (size_t i = 0; i < s->npages; i++)
		if (!strcmp(s->pages[i].slug, pg->slug)) {
			diag_error_fix(c->d, &floc, "E046", _("đổi tên một trong hai tệp hoặc đặt \"slug: ...\" khác"),
				       _("địa chỉ trang /%s/ trùng với địa chỉ của %s"), pg->slug,
				       s->pages[i].path);
			return;
		}
	pg->body_md = doc.body;
	pg->body_line = doc.body_line;
	pg->params = doc.meta ? model_params(c, doc.meta, known) : NULL;
	s->npages++;
}

void model_site_parse(model_ctx_t *c, site_t *s, const rfile_t *f)
{
	ynode_t *root = NULL;
	if (fm_check_utf8(c->d, f->path, f->data, f->len) < 0 ||
	    yml_parse(c->a, c->d, f->path, f->data, f->len, 0, &root) < 0 || !root)
		return;
	if (root->kind != YNODE_MAP) {
		diag_error_fix(c->d, &root->loc, "E047", _("mỗi thiết lập một dòng \"khoá: giá trị\", ví dụ \"title: ...\""),
			       _("site.yaml phải là các dòng thiết lập \"khoá: giá trị\""));
		return;
	}
	static const char *const known[] = { "title", "description", "language", "base_url",
					     "repo_url", "owner", "agency", "editor", "address",
					     "phone", "email", "license", "data_license",
					     "data_license_url", "sources", "permalinks", NULL };
	routes_parse(&s->routes, c->a, c->d, ynode_get(root, "permalinks"));
	s->title = model_str(c, ynode_get(root, "title"), "title");
	s->description = model_str(c, ynode_get(root, "description"), "description");
	s->language = model_str(c, ynode_get(root, "language"), "language");
	s->base_url = model_str(c, ynode_get(root, "base_url"), "base_url");
	s->repo_url = model_str(c, ynode_get(root, "repo_url"), "repo_url");
	s->owner = model_str(c, ynode_get(root, "owner"), "owner");
	s->agency = model_str(c, ynode_get(root, "agency"), "agency");
	s->editor = model_str(c, ynode_get(root, "editor"), "editor");
	s->address = model_str(c, ynode_get(root, "address"), "address");
	s->phone = model_str(c, ynode_get(root, "phone"), "phone");
	s->email = model_str(c, ynode_get(root, "email"), "email");
	s->license = model_str(c, ynode_get(root, "license"), "license");
	s->data_license = model_str(c, ynode_get(root, "data_license"), "data_license");
	s->data_license_url = model_str(c, ynode_get(root, "data_license_url"), "data_license_url");
	if (s->email && (!strchr(s->email, '@') || strpbrk(s->email, " <>\"?:/"))) {
		diag_error_fix(c->d, &ynode_get(root, "email")->loc, "E069",
			       _("viết một địa chỉ thư điện tử, ví dụ email: ten@co-quan.gov.vn"),
			       _("email \"%s\" không phải là địa chỉ thư điện tử"), s->email);
		s->email = NULL;
	}
	s->params = model_params(c, root, known);
	/* addresses end up in href attributes: only web addresses, never a
	 * javascript: or data: URL */
	if (s->base_url) {
		char *norm;
		const char *why;
		if (url_base_normalise(s->base_url, &norm, &why) < 0) {
			diag_error(c->d, &ynode_get(root, "base_url")->loc, "E070",
				   _("base_url \"%s\" không dùng được: %s"), s->base_url, _(why));
			s->base_url = NULL;
		} else {
			s->base_url = arena_strdup(c->a, norm);
			free(norm);
		}
	}
	static const char *const urls[] = { "base_url", "repo_url", "data_license_url" };
	const char **fields[] = { &s->base_url, &s->repo_url, &s->data_license_url };
	for (size_t i = 0; i < 3; i++) {
		const char *u = *fields[i];
		if (u && strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) {
			diag_error_fix(c->d, &ynode_get(root, urls[i])->loc, "E048",
				       _("viết địa chỉ đầy đủ, ví dụ https://example.gov.vn/"),
				       _("%s phải là địa chỉ web (http:// hoặc https://), không phải \"%s\""),
				       urls[i], u);
			*fields[i] = NULL;
		}
	}
	if (s->language) {
		for (const char *p = s->language; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-') {
				diag_error_fix(c->d, &ynode_get(root, "language")->loc, "E049",
					       _("viết mã ngôn ngữ, ví dụ vi hoặc en"),
					       _("language \"%s\" không phải là mã ngôn ngữ"), s->language);
				s->language = NULL;
				break;
			}
	}
}

/* The path part of base_url ("https://x.gov.vn/kh/" -> "/kh/"). */
const char *model_base_path(arena_t *a, const char *url)
{
	if (!url)
		return "/";
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
	if (!p)
		return "/";
	size_t n = strlen(p);
	return n && p[n - 1] == '/' ? arena_strdup(a, p) : arena_printf(a, "%s/", p);
}

