/* i18n.h: the language of messages (Vietnamese by default, English on
 * request) through gettext.  The source strings are Vietnamese, so the
 * default needs no catalogue and no locale; po/en.po translates them. */
#ifndef PLANSITE_I18N_H
#define PLANSITE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Chooses the language: lang ("vi", "en") when not NULL, else the first of
 * LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set; "en..." gives English,
 * anything else Vietnamese.  Returns 0, or -1 when lang is neither. */
int i18n_init(const char *lang);
/* The language chosen: "vi" or "en". */
const char *i18n_lang(void);

#endif
