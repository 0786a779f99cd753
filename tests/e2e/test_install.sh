#!/usr/bin/env bash
# test_install.sh: make install / uninstall like a Debian tool: PREFIX and
# DESTDIR, the installed binary finding its installed theme from any folder,
# --version naming the libraries, and the bash completion.
. "$(dirname "$0")/lib.sh"

# a copy of the source tree, so that building with other prefixes leaves
# the working tree's binaries alone
S=$T/src
mkdir -p "$S"
for f in Makefile src themes contrib po; do
	[ -e "$ROOT/$f" ] && cp -r "$ROOT/$f" "$S/"
done
rm -f "$S"/src/*.o "$S"/src/*.d
make -s -C "$S" -j2 install PREFIX="$T/opt" >"$T/install.log" 2>&1 || cat "$T/install.log"
O=$T/opt
check "the binary is installed" test -x "$O/bin/plansite"
check "plansite.1 is installed" cmp -s "$O/share/man/man1/plansite.1" "$ROOT/src/plansite.1"
check "plansite.5 is installed" cmp -s "$O/share/man/man5/plansite.5" "$ROOT/src/plansite.5"
check "the default theme is installed whole" \
	diff -r "$ROOT/themes/default" "$O/share/plansite/themes/default"
check "the bash completion is installed" \
	cmp -s "$O/share/bash-completion/completions/plansite" "$ROOT/contrib/completion/plansite.bash"
if [ -d "$ROOT/contrib/hooks" ]; then
	check "the contrib hooks are installed" diff -r "$ROOT/contrib/hooks" "$O/share/plansite/hooks"
	for h in "$ROOT"/contrib/hooks/*; do
		[ -x "$h" ] || continue
		check "the hook $(basename "$h") stays executable" test -x "$O/share/plansite/hooks/$(basename "$h")"
	done
fi
for po in "$ROOT"/po/*.po; do
	[ -e "$po" ] || continue
	lang=$(basename "$po" .po)
	check "the $lang message catalogue is installed" \
		test -s "$O/share/locale/$lang/LC_MESSAGES/plansite.mo"
done

# --version: the program's version and each library's, asked at run time
(cd / && "$O/bin/plansite" --version) >"$T/version" 2>&1
version=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
check "--version names the program's version" grep -qx "plansite $version" "$T/version"
for lib in libgit2 cmark libyaml utf8proc jansson ICU libmicrohttpd; do
	check "--version names $lib's version" grep -qE "^  $lib [0-9]+\.[0-9]+" "$T/version"
done
check "--version shows the installed theme folder" \
	grep -qx "theme folder: $O/share/plansite/themes/default" "$T/version"
check "the libraries' versions are their run-time ones (libgit2 as git_libgit2_version says)" \
	grep -qx "  libgit2 $(pkg-config --modversion libgit2)" "$T/version"

# the sample, built by the installed binary from another folder
R=$T/sample
git init -q "$R"
cp -r "$ROOT/content" "$R/"
commit "$R" "2025-12-15T09:00:00+07:00" "Nội dung mẫu"
installed=$O/share/plansite/themes/default
# mark the installed theme, so that a build with the source tree's theme shows
echo "/* installed copy */" >>"$installed/static/style.css"
(cd / && "$O/bin/plansite" build --repo "$R" --out "$T/out1" --as-of 2025-12-15) 2>"$T/err1"
check "the installed binary builds the sample from /" test -f "$T/out1/index.html"
check "... with the installed theme" grep -q "installed copy" "$T/out1/static/style.css"
(cd / && "$O/bin/plansite" build --repo "$R" --out "$T/out2" --as-of 2025-12-15 --theme "$installed") 2>"$T/err2"
check "... the same site as with --theme naming the installed theme" diff -r "$T/out1" "$T/out2"
# the same binary elsewhere: only the folder compiled in (PREFIX) leads to the theme
mkdir -p "$T/elsewhere"
cp "$O/bin/plansite" "$T/elsewhere/plansite"
check "a copy of the binary anywhere uses the data folder compiled in" \
	bash -c "cd / && '$T/elsewhere/plansite' --version | grep -qx 'theme folder: $installed'"
(cd / && "$T/elsewhere/plansite" build --repo "$R" --out "$T/out3" --as-of 2025-12-15) 2>"$T/err3"
check "... and builds the same site" diff -r "$T/out1" "$T/out3"
# the site's own templates still override the installed theme's
mkdir -p "$R/content/templates"
printf '%s\n' '<!doctype html><title>riêng</title><p>Trang chủ riêng của cổng</p>' \
	>"$R/content/templates/home.mustache"
commit "$R" "2025-12-16T09:00:00+07:00" "Trang chủ riêng"
(cd / && "$O/bin/plansite" build --repo "$R" --out "$T/out4" --as-of 2025-12-15) 2>"$T/err4"
check "content/templates overrides the installed theme" grep -q "Trang chủ riêng của cổng" "$T/out4/index.html"

# DESTDIR: the same files under stage/usr, built for /usr
make -s -C "$S" -j2 install DESTDIR="$T/stage" PREFIX=/usr >"$T/install2.log" 2>&1 || cat "$T/install2.log"
(cd "$O" && find . -type f | LC_ALL=C sort) >"$T/files.opt"
(cd "$T/stage/usr" && find . -type f | LC_ALL=C sort) >"$T/files.stage"
check "DESTDIR=stage PREFIX=/usr installs the same files under stage/usr" diff "$T/files.opt" "$T/files.stage"
check "nothing is installed outside stage/usr" test "$(ls -A "$T/stage")" = usr
check "the staged binary looks for its theme in /usr/share/plansite" \
	grep -aq "/usr/share/plansite" "$T/stage/usr/bin/plansite"
check "the staged binary does not look in the other prefix" \
	bash -c "! grep -aq '$O/share' '$T/stage/usr/bin/plansite'"

# uninstall removes exactly what install put
mkdir -p "$O/share/man/man1"
echo "someone else's" >"$O/share/man/man1/other.1"
make -s -C "$S" uninstall PREFIX="$T/opt" >"$T/uninstall.log" 2>&1 || cat "$T/uninstall.log"
check "uninstall removes every installed file" \
	test "$(cd "$O" && find . -type f | LC_ALL=C sort)" = "./share/man/man1/other.1"
check "uninstall removes plansite's data folder" test ! -e "$O/share/plansite"
make -s -C "$S" uninstall DESTDIR="$T/stage" PREFIX=/usr >"$T/uninstall2.log" 2>&1 || cat "$T/uninstall2.log"
check "uninstall with DESTDIR empties the stage" test -z "$(find "$T/stage" -type f)"

# the bash completion: commands, options, refs of the repository on the line
git -C "$R" tag -a ban-hanh -m "Ban hành" >/dev/null
git -C "$R" branch du-thao
# complete WORDS...: what the completion offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
		_plansite; printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT/contrib/completion/plansite.bash" "$@"
}
complete_words plansite b >"$T/c1"
check "completion: commands" grep -qx build "$T/c1"
complete_words plansite check --st >"$T/c2"
check "completion: options of a command" grep -qx -- --strict "$T/c2"
complete_words plansite build --re >"$T/c3"
check "completion: options" bash -c "grep -qx -- --ref '$T/c3' && grep -qx -- --repo '$T/c3'"
complete_words plansite build --repo "$R" --ref "" >"$T/c4"
check "completion: --ref lists the tags of --repo" grep -qx ban-hanh "$T/c4"
check "completion: --ref lists the branches of --repo" grep -qx du-thao "$T/c4"
complete_words plansite build --repo "$R" --ref d >"$T/c5"
check "completion: --ref completes a prefix" test "$(cat "$T/c5")" = du-thao
(cd "$R" && complete_words plansite serve --ref ban) >"$T/c6"
check "completion: --ref without --repo reads the current folder's repository" \
	test "$(cat "$T/c6")" = ban-hanh

# make test needs neither network nor root once the packages are there:
# .ci/deps test asks dpkg only, and calls neither sudo nor apt-get
mkdir -p "$T/fakebin"
for tool in sudo apt-get apt; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$tool" "$T/called" >"$T/fakebin/$tool"
	chmod +x "$T/fakebin/$tool"
done
check ".ci/deps test succeeds when every package is installed" \
	env PATH="$T/fakebin:$PATH" "$ROOT/.ci/deps" test
check "... without calling sudo or apt" test ! -e "$T/called"
finish
