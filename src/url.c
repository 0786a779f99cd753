/* url.c: the site's base address, parsed and normalised. */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "util.h"

static bool is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

int url_base_normalise(const char *in, char **out, const char **why)
{
	*out = NULL;
	*why = NULL;
	buf_t b = BUF_INIT;
	const char *p;
	if (!strncasecmp(in, "https://", 8)) {
		buf_puts(&b, "https://");
		p = in + 8;
	} else if (!strncasecmp(in, "http://", 7)) {
		buf_puts(&b, "http://");
		p = in + 7;
	} else {
		return fail(why, N_("địa chỉ phải bắt đầu bằng https:// (hoặc http://), "
			    "ví dụ https://congthongtin.gov.vn/"));
	}
	/* the host: letters, digits, dots and dashes; an optional port */
	const char *h = p;
	while (is_alnum((unsigned char)*p) || *p == '.' || *p == '-')
		buf_putc(&b, lower((unsigned char)*p++));
	if (p == h || *h == '.' || *h == '-' || p[-1] == '-') {
		buf_free(&b);
		return fail(why, N_("sau https:// phải là tên miền của cổng, ví dụ congthongtin.gov.vn"));
	}
	for (const char *q = h; q < p - 1; q++)
		if (*q == '.' && q[1] == '.') {
			buf_free(&b);
			return fail(why, N_("tên miền không được có hai dấu chấm liền nhau"));
		}
	if (*p == ':') {
		long port = 0;
		const char *d = ++p;
		while (*p >= '0' && *p <= '9' && port <= 65535)
			port = port * 10 + (*p++ - '0');
		if (p == d || port < 1 || port > 65535 || (*p && *p != '/')) {
			buf_free(&b);
			return fail(why, N_("cổng (sau dấu :) phải là một số từ 1 đến 65535"));
		}
		buf_printf(&b, ":%ld", port);
	}
	if (*p && *p != '/') {
		buf_free(&b);
		return fail(why, N_("tên miền chỉ gồm chữ không dấu, chữ số, dấu chấm và dấu gạch ngang, "
			    "không có tên đăng nhập (@), ?, # hay dấu cách"));
	}
	/* the path, segment by segment: empty and "." ones dropped */
	buf_putc(&b, '/');
	while (*p) {
		while (*p == '/')
			p++;
		const char *seg = p;
		while (*p && *p != '/') {
			unsigned char c = (unsigned char)*p;
			if (c == '%' && is_hex((unsigned char)p[1]) && is_hex((unsigned char)p[2])) {
				p += 3;
				continue;
			}
			if (!is_alnum(c) && c != '-' && c != '.' && c != '_' && c != '~') {
				buf_free(&b);
				return fail(why, N_("đường dẫn sau tên miền chỉ được gồm chữ không dấu, chữ số và "
					    "các dấu - . _ ~ /, không có dấu \\, dấu nháy, dấu cách, ? hay #"));
			}
			p++;
		}
		size_t n = (size_t)(p - seg);
		if (!n || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			buf_free(&b);
			return fail(why, N_("đường dẫn không được có đoạn \"..\""));
		}
		buf_put(&b, seg, n);
		buf_putc(&b, '/');
	}
	*out = buf_detach(&b);
	return 0;
}
