/* odbenv.c: the object folders Git names in the environment, added to a
 * repository's object database. */
#include "odbenv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/repository.h>

#include "i18n.h"
#include "util.h"

/* Git's unquote_c_style: s begins with '"'.  Appends the unquoted text to
 * b and returns the character after the closing quote, or NULL (b as it
 * was) when the quoting is broken. */
static const char *unquote(buf_t *b, const char *s)
{
	size_t old = b->len;
	s++;
	for (;;) {
		size_t n = strcspn(s, "\"\\");
		buf_put(b, s, n);
		s += n;
		if (*s == '"')
			return s + 1;
		if (*s != '\\')
			goto broken;
		s++;
		int c = (unsigned char)*s++;
		switch (c) {
		case 'a': c = '\a'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case '\\': case '"': break;
		case '0': case '1': case '2': case '3': {
			/* exactly three octal digits; a first over 3 overflows */
			int v = c - '0';
			for (int k = 0; k < 2; k++, s++) {
				if (*s < '0' || *s > '7')
					goto broken;
				v = v << 3 | (*s - '0');
			}
			c = v;
			break;
		}
		default:
			goto broken;
		}
		buf_putc(b, c);
	}
broken:
	b->len = old;
	if (b->ptr)
		b->ptr[old] = '\0';
	return NULL;
}

size_t odbenv_split(const char *list, char ***out)
{
	*out = NULL;
	size_t n = 0;
	buf_t e = BUF_INIT;
	const char *s = list ? list : "";
	while (*s) {
		const char *end;
		buf_clear(&e);
		if (*s == '#') {
			end = strchrnul(s, ':');   /* a comment, to the next separator */
		} else if (*s == '"' && (end = unquote(&e, s))) {
			;   /* Git skips whatever one character follows the quote */
		} else {
			end = strchrnul(s, ':');
			buf_put(&e, s, (size_t)(end - s));
		}
		if (*end)
			end++;
		s = end;
		if (!e.len)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = xstrndup(e.ptr, e.len);
	}
	buf_free(&e);
	return n;
}

void odbenv_list_free(char **list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* With GIT_DIR set (as in a hook), the folders are those of the repository
 * it names only: a portal opened from a source's pre-receive keeps its own
 * objects (site.yaml sources). */
static bool names_this(git_repository *g)
{
	const char *gd = env("GIT_DIR");
	if (!gd)
		return true;
	char *a = realpath(gd, NULL), *b = realpath(git_repository_path(g), NULL);
	bool same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	return same;
}

int odbenv_apply(git_repository *g, char **err)
{
	if (!names_this(g))
		return 0;
	const char *objdir = env("GIT_OBJECT_DIRECTORY");
	const char *alts = env("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	const char *quarantine = env("GIT_QUARANTINE_PATH");
	if (!objdir && !alts && !quarantine)
		return 0;
	git_odb *odb = NULL;
	char **list = NULL;
	size_t n = 0;
	int rc = -1;
	if (objdir) {
		/* Git reads this folder instead of the repository's own */
		if (git_odb_open(&odb, objdir) < 0) {
			buf_t b = BUF_INIT;
			buf_printf(&b, _("không đọc được thư mục đối tượng Git "
				     "GIT_OBJECT_DIRECTORY=%s"), objdir);
			*err = buf_detach(&b);
			goto out;
		}
		if (git_repository_set_odb(g, odb) < 0)
			goto fail;
	} else if (git_repository_odb(&odb, g) < 0) {
		goto fail;
	}
	/* a folder that does not exist is skipped, as Git does (with a
	 * warning there); one already read is not added twice (libgit2
	 * compares the folders' inodes) */
	n = odbenv_split(alts, &list);
	for (size_t i = 0; i < n; i++)
		if (git_odb_add_disk_alternate(odb, list[i]) < 0)
			goto fail;
	/* Git sets it to GIT_OBJECT_DIRECTORY while a push is received; read
	 * it even where a wrapper kept only this one */
	if (quarantine && git_odb_add_disk_alternate(odb, quarantine) < 0)
		goto fail;
	rc = 0;
	goto out;
fail: {
	const git_error *e = git_error_last();
	buf_t b = BUF_INIT;
	buf_printf(&b, _("không đọc được các thư mục đối tượng Git mà môi trường chỉ ra: %s"),
		   e && e->message ? e->message : _("lỗi không rõ"));
	*err = buf_detach(&b);
}
out:
	odbenv_list_free(list, n);
	git_odb_free(odb);
	return rc;
}
