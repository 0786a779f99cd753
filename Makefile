# plansite: hand-written Makefile (see README.md).  Local flags go in config.mk.
PKGS     := libcmark yaml-0.1 libgit2 libutf8proc jansson icu-uc icu-i18n libmicrohttpd libcrypto
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -MMD -MP
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# The release build's allocator (src/mem.c): tcmalloc, in place of glibc's
# malloc; the sanitizer builds keep the sanitizers' own.
MALLOC_PKG := libtcmalloc_minimal
REL_CFLAGS := -DPLANSITE_TCMALLOC $(shell pkg-config --cflags $(MALLOC_PKG))
REL_LIBS   := $(shell pkg-config --libs $(MALLOC_PKG))
VERSION  := 0.1.0

# Installation (make install): PREFIX is where the program will live and is
# compiled in (the theme's data folder); DESTDIR stages the files elsewhere
# (a package build) without changing what is compiled in.
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/plansite
MANDIR    = $(PREFIX)/share/man
LOCALEDIR = $(PREFIX)/share/locale
COMPDIR   = $(PREFIX)/share/bash-completion/completions
INSTALL  ?= install

-include config.mk

DEFS     := -DPLANSITE_VERSION='"$(VERSION)"' -DPLANSITE_DATADIR='"$(DATADIR)"' \
	    -DPLANSITE_LOCALEDIR='"$(LOCALEDIR)"'

SRC      := $(sort $(wildcard src/*.c))
LIBSRC   := $(filter-out src/main.c,$(SRC))
UNITSRC  := $(sort $(wildcard tests/unit/test_*.c))

OBJ      := $(SRC:src/%.c=build/rel/%.o)
SANOBJ   := $(SRC:src/%.c=build/san/%.o)
SANLIB   := $(LIBSRC:src/%.c=build/san/%.o)
UNITBIN  := $(UNITSRC:tests/unit/%.c=build/san/tests/%)
# unit tests of the release build's allocator (src/mem.c with tcmalloc)
RELUNITSRC := $(sort $(wildcard tests/unit/rel_*.c))
RELUNITBIN := $(RELUNITSRC:tests/unit/%.c=build/rel/tests/%)
LINGUAS  := $(basename $(notdir $(wildcard po/*.po)))
MO       := $(LINGUAS:%=build/locale/%/LC_MESSAGES/plansite.mo)

.PHONY: FORCE install uninstall all test unit e2e golden regen check-deps deps-test test-browser bench clean \
	valgrind sample fuzz po-check po-update

all: plansite $(MO)

plansite: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(REL_LIBS) $(LDFLAGS)

# The paths compiled in: objects are rebuilt when PREFIX (or the version)
# changes, so `make install PREFIX=...` never installs a binary that looks
# for its theme under another prefix.
build/defs: FORCE
	@mkdir -p $(dir $@)
	@echo "$(VERSION) $(DATADIR) $(LOCALEDIR)" | cmp -s - $@ || echo "$(VERSION) $(DATADIR) $(LOCALEDIR)" >$@

build/rel/%.o: src/%.c build/defs
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEFS) $(PKG_CFLAGS) $(REL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c build/defs
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(DEFS) $(PKG_CFLAGS) -c -o $@ $<

build/san/plansite: $(SANOBJ)
	$(CC) $(SAN) -o $@ $(SANOBJ) $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c $(SANLIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -Isrc $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(SANLIB) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

build/rel/tests/rel_mem: tests/unit/rel_mem.c build/rel/mem.o
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(REL_CFLAGS) -Isrc $(shell pkg-config --cflags cmocka) \
		-o $@ $< build/rel/mem.o $(REL_LIBS) -lpthread $(shell pkg-config --libs cmocka)

# Messages: the sources' strings are Vietnamese; po/en.po translates them.
build/po/plansite.pot: $(SRC) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	xgettext -o $@ --from-code=UTF-8 --language=C -k_ -kN_ --add-comments=TRANSLATORS \
		--add-location=file --sort-output --package-name=plansite $(SRC)

# Fails when a catalogue lacks a message of the sources, has one no longer
# in them, or has a fuzzy or format-mismatched entry.
po-check: build/po/plansite.pot
	./po/check.sh build/po/plansite.pot $(wildcard po/*.po)

# Brings the catalogues up to date with the sources (new messages come in
# untranslated, for a translator to fill in).
po-update: build/po/plansite.pot
	for po in $(wildcard po/*.po); do \
		msgmerge -q --update --backup=none --no-fuzzy-matching --add-location=file \
			--sort-output $$po build/po/plansite.pot && msgattrib --no-obsolete -o $$po $$po; done

# The sample portal: installs missing Debian packages, builds, replays
# content/ as a content repository with a weekly history (July to 15/12/2025,
# tools/sample-history.sh) and publishes it into public/; the as-of date is
# that history's last commit.
sample:
	./.ci/deps build
	$(MAKE) plansite
	rm -rf build/sample-repo
	./tools/sample-history.sh build/sample-repo
	./plansite build --repo build/sample-repo --out public

deps-test:
	@./.ci/deps test

test: deps-test
	$(MAKE) check-deps po-check unit e2e golden

unit: $(UNITBIN) $(RELUNITBIN)
	@set -e; for t in $(UNITBIN); do echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done
	@set -e; for t in $(RELUNITBIN); do echo "== $$t"; $$t; done
	node tests/unit/fold-vectors.js

e2e: build/san/plansite plansite $(MO) build/bench/floor
	PLANSITE=$(CURDIR)/build/san/plansite PLANSITE_REL=$(CURDIR)/plansite ./tests/e2e/run.sh

# Fails on an include cycle between the modules of src/ (tests/check-deps.sh).
check-deps:
	@./tests/check-deps.sh src

# Golden sites: tests/sites/<name>/ built and compared with tests/golden/<name>/
# (diff -r).  `make regen` rewrites the golden files: read the diff first.
golden: build/san/plansite $(MO)
	PLANSITE=$(CURDIR)/build/san/plansite ./tests/sites/run.sh

regen: build/san/plansite $(MO)
	PLANSITE=$(CURDIR)/build/san/plansite ./tests/sites/run.sh --regen

test-browser: plansite
	./.ci/deps browser
	./tests/browser/run.sh

# The benchmark (bench/README.md): never part of `make test`; only its smoke
# test is (tests/e2e/test_bench_smoke.sh, a tiny corpus, no timing targets).
bench: plansite build/bench/floor
	./.ci/deps bench
	./bench/run.sh

# The floor program bench/run.sh times beside plansite (one thread, libgit2 + libyaml).
build/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(shell pkg-config --cflags libgit2 yaml-0.1) -o $@ $< \
		$(shell pkg-config --libs libgit2 yaml-0.1) $(LDFLAGS)

fuzz: build/san/plansite
	./tests/fuzz/mutate.py $${SEED:-1} $${N:-2000}

valgrind: plansite
	VALGRIND=1 PLANSITE=$(CURDIR)/plansite ./tests/e2e/run.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its two manual
# pages, the default theme, the contrib hooks, the message catalogues and the
# bash completion.  make uninstall removes exactly those files (and the
# folders of plansite's own that are left empty).
THEMEFILES := $(shell find themes/default -type f 2>/dev/null | LC_ALL=C sort)
HOOKFILES  := $(shell find contrib/hooks -type f 2>/dev/null | LC_ALL=C sort)
POFILES    := $(sort $(wildcard po/*.po))
MOFILES    := $(POFILES:po/%.po=build/locale/%/LC_MESSAGES/plansite.mo)
COMPLETION := contrib/completion/plansite.bash

build/locale/%/LC_MESSAGES/plansite.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

install: plansite $(MOFILES)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	$(INSTALL) -m 755 plansite $(DESTDIR)$(BINDIR)/plansite
	$(INSTALL) -m 644 src/plansite.1 $(DESTDIR)$(MANDIR)/man1/plansite.1
	$(INSTALL) -m 644 src/plansite.5 $(DESTDIR)$(MANDIR)/man5/plansite.5
	@set -e; for f in $(THEMEFILES); do \
		echo "$(INSTALL) -m 644 $$f $(DESTDIR)$(DATADIR)/$$f"; \
		$(INSTALL) -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f"; \
	done
	@set -e; for f in $(HOOKFILES); do \
		d="$(DESTDIR)$(DATADIR)/hooks/$${f#contrib/hooks/}"; m=644; [ -x "$$f" ] && m=755; \
		echo "$(INSTALL) -m $$m $$f $$d"; $(INSTALL) -D -m $$m "$$f" "$$d"; \
	done
	@set -e; for mo in $(MOFILES); do \
		d="$(DESTDIR)$(LOCALEDIR)/$${mo#build/locale/}"; \
		echo "$(INSTALL) -m 644 $$mo $$d"; $(INSTALL) -D -m 644 "$$mo" "$$d"; \
	done
	$(INSTALL) -D -m 644 $(COMPLETION) $(DESTDIR)$(COMPDIR)/plansite

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/plansite $(DESTDIR)$(MANDIR)/man1/plansite.1 \
		$(DESTDIR)$(MANDIR)/man5/plansite.5 $(DESTDIR)$(COMPDIR)/plansite
	@set -e; for f in $(THEMEFILES); do rm -f "$(DESTDIR)$(DATADIR)/$$f"; done
	@set -e; for f in $(HOOKFILES); do rm -f "$(DESTDIR)$(DATADIR)/hooks/$${f#contrib/hooks/}"; done
	@set -e; for mo in $(MOFILES); do rm -f "$(DESTDIR)$(LOCALEDIR)/$${mo#build/locale/}"; done
	@if [ -d "$(DESTDIR)$(DATADIR)" ]; then \
		find "$(DESTDIR)$(DATADIR)" -depth -type d -empty -delete; fi

clean:
	rm -rf build plansite

-include $(OBJ:.o=.d) $(SANOBJ:.o=.d) $(UNITBIN:=.d)
