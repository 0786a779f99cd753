/* i18n.h: the language of messages (Vietnamese by default, English on
 * request) through gettext.  The source strings are Vietnamese, so the
 * default needs no catalogue and no locale; po/en.po translates them. */
#ifndef PLANSITE_I18N_H
#define PLANSITE_I18N_H

#include <libintl.h>
#include <stdbool.h>

/* A message in the language of the messages; s is its Vietnamese text. */
const char *i18n_tr(const char *s) __attribute__((format_arg(1)));

#define _(s) i18n_tr(s)
#define N_(s) (s)

/* While on (in the calling thread only), _() gives the Vietnamese text:
 * a message that ends up in the site (a broken version in a plan's
 * history) must not depend on the language of whoever builds it. */
void i18n_source_only(bool on);

/* Chooses the language: lang ("vi", "en") when not NULL, else the first of
 * LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set; "en..." gives English,
 * anything else Vietnamese.  Returns 0, or -1 when lang is neither. */
int i18n_init(const char *lang);
/* The language chosen: "vi" or "en". */
const char *i18n_lang(void);

#endif
