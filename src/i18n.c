/* i18n.c: choosing the messages' language and finding the catalogues. */
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef PLANSITE_LOCALEDIR
#define PLANSITE_LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "plansite"

static const char *chosen = "vi";
static bool translating;                  /* a catalogue is bound */
static _Thread_local bool source_only;

const char *i18n_tr(const char *s)
{
	return translating && !source_only ? gettext(s) : s;
}

void i18n_source_only(bool on)
{
	source_only = on;
}

/* "en", "vi", or NULL for a value that names neither; an empty value,
 * "C" and "POSIX" name nothing (the next variable decides). */
static const char *lang_of(const char *v)
{
	if (!v || !*v)
		return NULL;
	if (!strncmp(v, "en", 2))
		return "en";
	if (!strncmp(v, "vi", 2))
		return "vi";
	return NULL;
}

/* The folder with <lang>/LC_MESSAGES/plansite.mo: build/locale of the
 * project around the program while developing, else the installed one. */
static char *locale_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* ./plansite and build/<mode>/plansite both live in the project */
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s/build/locale/en/LC_MESSAGES/" DOMAIN ".mo", exe);
			struct stat st;
			if (!stat(b.ptr, &st)) {
				buf_clear(&b);
				buf_printf(&b, "%s/build/locale", exe);
				return buf_detach(&b);
			}
			buf_free(&b);
		}
	}
	return xstrdup(PLANSITE_LOCALEDIR);
}

int i18n_init(const char *lang)
{
	const char *l = NULL;
	if (lang) {
		if (strcmp(lang, "en") && strcmp(lang, "vi"))
			return -1;
		l = lang;
	} else {
		/* LANGUAGE is a list ("en_GB:en"): its first entry decides.  It is
		 * read even without a locale, which glibc would ignore. */
		const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
		for (size_t i = 0; i < sizeof vars / sizeof *vars && !l; i++) {
			const char *v = getenv(vars[i]);
			if (v && *v && strcmp(v, "C") && strcmp(v, "POSIX") &&
			    strncmp(v, "C.", 2)) {
				l = lang_of(v);
				if (!l)
					l = "vi";   /* another language: ours is the default */
			}
		}
		if (!l)
			l = "vi";
	}
	chosen = l;
	if (!strcmp(l, "vi"))
		return 0;   /* the source strings are Vietnamese: no catalogue */
	/* The machine may have no English locale generated (a bare Debian has
	 * C.UTF-8 only), and glibc's gettext ignores LANGUAGE under "C": so the
	 * messages' locale is C.UTF-8, always present, and LANGUAGE names the
	 * catalogue.  Only LC_MESSAGES changes: dates, case folding and sorting
	 * of the build stay independent of the machine. */
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "en_US.UTF-8");
	setenv("LANGUAGE", l, 1);
	char *dir = locale_dir();
	bindtextdomain(DOMAIN, dir);
	free(dir);
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	textdomain(DOMAIN);
	translating = true;
	return 0;
}

const char *i18n_lang(void)
{
	return chosen;
}
