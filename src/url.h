/* url.h: the site's base address (base_url, --base-url), parsed as a URL. */
#ifndef PLANSITE_URL_H
#define PLANSITE_URL_H

/* Parses `in` as an http or https URL with a host, an optional port and an
 * optional path, and writes its normal form to *out (malloc'd, the caller
 * frees): scheme and host lower-cased, the path's empty and "." segments
 * dropped (no "//" can survive to make protocol-relative links), one
 * trailing "/".  "HTTPS://Example.gov.vn//a/./b" -> "https://example.gov.vn/a/b/".
 * Returns 0, or -1 with *out NULL and *why a sentence (Vietnamese, static,
 * untranslated: N_, to print with _()) saying what is wrong and what to write. */
int url_base_normalise(const char *in, char **out, const char **why);

#endif
