# plansite: hand-written Makefile (see README.md).  Local flags go in config.mk.
PKGS     := libcmark yaml-0.1 libgit2 libutf8proc jansson icu-uc icu-i18n libmicrohttpd
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -MMD -MP
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
VERSION  := 0.1.0

-include config.mk

SRC      := $(sort $(wildcard src/*.c))
LIBSRC   := $(filter-out src/main.c,$(SRC))
UNITSRC  := $(sort $(wildcard tests/unit/test_*.c))

OBJ      := $(SRC:src/%.c=build/rel/%.o)
SANOBJ   := $(SRC:src/%.c=build/san/%.o)
SANLIB   := $(LIBSRC:src/%.c=build/san/%.o)
UNITBIN  := $(UNITSRC:tests/unit/%.c=build/san/tests/%)

.PHONY: all test unit e2e deps-test test-browser bench clean valgrind sample fuzz

all: plansite

plansite: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(LDFLAGS)

build/rel/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -DPLANSITE_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -DPLANSITE_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -c -o $@ $<

build/san/plansite: $(SANOBJ)
	$(CC) $(SAN) -o $@ $(SANOBJ) $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c $(SANLIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -Isrc $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(SANLIB) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# The sample portal: installs missing Debian packages, builds, publishes
# public/.  The sample's statuses were recorded as of 15/12/2025.
sample:
	./.ci/deps build
	$(MAKE) plansite
	./plansite build --as-of 2025-12-15

deps-test:
	@./.ci/deps test

test: deps-test
	$(MAKE) unit e2e

unit: $(UNITBIN)
	@set -e; for t in $(UNITBIN); do echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done
	node tests/unit/fold-vectors.js

e2e: build/san/plansite plansite
	PLANSITE=$(CURDIR)/build/san/plansite PLANSITE_REL=$(CURDIR)/plansite ./tests/e2e/run.sh

test-browser: plansite
	./.ci/deps browser
	./tests/browser/run.sh

bench: plansite
	./.ci/deps bench
	./bench/run.sh

fuzz: build/san/plansite
	./tests/fuzz/mutate.py $${SEED:-1} $${N:-2000}

valgrind: plansite
	VALGRIND=1 PLANSITE=$(CURDIR)/plansite ./tests/e2e/run.sh

clean:
	rm -rf build plansite

-include $(OBJ:.o=.d) $(SANOBJ:.o=.d) $(UNITBIN:=.d)
