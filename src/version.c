/* version.c: the program's version and its libraries' runtime versions. */
#include "version.h"

#include <cmark.h>
#include <git2.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <unicode/uchar.h>
#include <unicode/uversion.h>
#include <utf8proc.h>
#include <yaml.h>

#include "util.h"

void version_print(FILE *f)
{
	int major = 0, minor = 0, rev = 0;
	git_libgit2_version(&major, &minor, &rev);
	UVersionInfo icu, uni;
	char icu_s[U_MAX_VERSION_STRING_LENGTH], uni_s[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(icu);
	u_versionToString(icu, icu_s);
	u_getUnicodeVersion(uni);
	u_versionToString(uni, uni_s);
	fprintf(f, "plansite %s\n", PLANSITE_VERSION);
	fprintf(f, "  libgit2 %d.%d.%d\n", major, minor, rev);
	fprintf(f, "  cmark %s\n", cmark_version_string());
	fprintf(f, "  libyaml %s\n", yaml_get_version_string());
	fprintf(f, "  utf8proc %s (Unicode %s)\n", utf8proc_version(), utf8proc_unicode_version());
	fprintf(f, "  jansson %s\n", jansson_version_str());
	fprintf(f, "  ICU %s (Unicode %s)\n", icu_s, uni_s);
	fprintf(f, "  libmicrohttpd %s\n", MHD_get_version());
}

static char exe_id[GIT_OID_HEXSZ + 1];
static pthread_once_t exe_once = PTHREAD_ONCE_INIT;

static void exe_read(void)
{
	char *data = NULL;
	size_t len = 0;
	git_oid id;
	if (util_read_file("/proc/self/exe", &data, &len) == 0 &&
	    git_odb_hash(&id, data ? data : "", len, GIT_OBJECT_BLOB) == 0)
		git_oid_tostr(exe_id, sizeof exe_id, &id);
	free(data);
}

const char *version_exe_id(void)
{
	pthread_once(&exe_once, exe_read);
	return exe_id;
}

bool version_put(buf_t *b)
{
	char *v = NULL;
	size_t vn = 0;
	FILE *f = open_memstream(&v, &vn);
	if (!f)
		return false;
	version_print(f);
	fclose(f);
	buf_put(b, v, vn);
	free(v);
	return true;
}
