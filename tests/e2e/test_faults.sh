#!/usr/bin/env bash
# test_faults.sh: the fault suite: --out never destroys what plansite did not
# write, a symbolic link stays a link, mode and group are kept, killed and
# stopped builds leave no staging folder, disk full, out of inodes,
# read-only, a theme missing a template, mounts inside --out and a file
# system without RENAME_EXCHANGE all exit 2 (or publish whole) and leave
# the previous site as it was.  Counts its cases and how many held.
. "$(dirname "$0")/lib.sh"
# Every build here replaces the site, which is what the suite is about: a
# build of the commit a site was built from would be skipped, and --force
# also writes every file rather than share it (test_incremental.sh covers
# the skip and the sharing, and the refusals without --force).
eval "$(declare -f ps | sed '1s/^ps/ps_plain/')"
ps() {
	if [ "$1" = build ]; then
		shift
		ps_plain build --force "$@"
	else
		ps_plain "$@"
	fi
}

CASES=0
ERR=$(mktemp "${TMPDIR:-/tmp}/plansite-faults-err.XXXXXX")
HELD=0
# fault DESC CMD...: one case of the suite
fault() {
	local desc=$1
	shift
	CASES=$((CASES + 1))
	if "$@"; then
		HELD=$((HELD + 1))
		ok "$desc"
	else
		not_ok "$desc"
		[ -s "$ERR" ] && sed 's/^/#   /' "$ERR" | head -5
	fi
}
MOUNTS=()
cleanup() {
	local m
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${MOUNTS[$i]}" 2>/dev/null || true
	done
	rm -f "$ERR"
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
# tree DIR: a checksum of a tree: names, types, modes, owners and contents
tree() {
	(cd "$1" && find . -printf '%p %y %m %u %g %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r md5sum) | md5sum
}
# refused DIR: a build into DIR exits 2, says why, and DIR is untouched
refused() {
	local out=$1 before after rc
	shift
	before=$(tree "$out")
	ps build --repo "${REPO:-$R}" --out "$out" "$@" 2>"$ERR" && rc=0 || rc=$?
	after=$(tree "$out")
	[ "$rc" = 2 ] && [ "$before" = "$after" ] && grep -q "plansite: error: --out" "$ERR" || {
		echo "  rc=$rc; $(cat "$ERR")"
		return 1
	}
}
# site DIR: DIR holds a whole site plansite wrote
site() {
	test -f "$1/.plansite-site" -a -f "$1/index.html" -a -f "$1/ke-hoach/1-kh-ubnd/index.html" \
		-a -f "$1/sitemap.xml"
}
# no_staging DIR: nothing but the listed names in DIR looks like a build's litter
no_litter() {
	! ls -a "$1" | grep -qE '\.staging-|\.old-|\.plansite-link-'
}

R=$T/repo
newrepo "$R"
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-UBND"
title: "Kế hoạch thử"
issuer: UBND tỉnh
date: 2025-03-01
tasks:
  - { id: "1", title: "Việc một", lead: Sở Tài chính, output: Báo cáo, due: 15/12/2025, status: in_progress }
---
Nội dung.
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Kế hoạch 1"
git clone -q --bare "$R" "$T/srv/portal.git"
mkdir -p "$T/cwd" && cd "$T/cwd"

# ---- --out that is not ours: exit 2, untouched ---------------------------
REPO=$T/srv/portal.git fault "--out the bare repository being built is refused" refused "$T/srv/portal.git"
REPO=$T/srv/portal.git fault "--out the folder holding the bare repository is refused" refused "$T/srv"
REPO=$T/srv/portal.git fault "--out inside the bare repository is refused" refused "$T/srv/portal.git/refs"
fault "--out another bare repository is refused" refused "$T/srv/portal.git"
fault "--out the work tree's .git is refused" refused "$R/.git"
fault "--out the work tree is refused" refused "$R"
fault "--out the content folder is refused" refused "$R/content"
fault "--out the folder above the work tree is refused" refused "$T"
mkdir -p "$T/home/an/Documents" && echo "thư" >"$T/home/an/Documents/thu.txt" && echo x >"$T/home/an/.bashrc"
fault "--out a home folder with files is refused" refused "$T/home/an"
# the refusal in the language of the messages: Vietnamese with no locale,
# English with --lang en or an English locale, nothing Vietnamese left
fault "... in Vietnamese by default (no locale)" eval '(unset LANG LANGUAGE LC_ALL LC_MESSAGES; refused "$T/home/an") &&
	grep -q "đã có tệp nhưng không phải trang do plansite tạo (không có tệp .plansite-site)" "$ERR" &&
	grep -q "không có gì bị thay đổi$" "$ERR"'
en_refusal() {
	grep -q "plansite: error: --out $T/home/an already holds files but is not a site plansite built (it has no .plansite-site file)" "$ERR" &&
		grep -q "; choose a folder that does not exist yet, .*; nothing was changed$" "$ERR" &&
		! LC_ALL=C grep -q '[^ -~]' "$ERR"
}
fault "... in English with --lang en" eval 'LANG=vi_VN.UTF-8 refused "$T/home/an" --lang en && en_refusal'
fault "... in English with LANG=en_US.UTF-8" eval '(unset LANGUAGE LC_ALL LC_MESSAGES; LANG=en_US.UTF-8 refused "$T/home/an") && en_refusal'
echo "ghi chú" >"$T/cwd/note.txt"
fault "--out the current folder is refused" refused .
fault "--out the current folder's parent is refused" refused ..
mkdir -p "$T/proj" && git init -q "$T/proj/x" && echo a >"$T/proj/x/a"
fault "--out a Git work tree is refused" refused "$T/proj/x"
build_ok "$R" "$T/s-git" && git init -q "$T/s-git/ke-hoach/sub"
fault "a site that now holds a Git repository is refused" refused "$T/s-git"
build_ok "$R" "$T/s-bare" && mkdir -p "$T/s-bare/a/objects" "$T/s-bare/a/refs" && echo "ref: refs/heads/main" >"$T/s-bare/a/HEAD"
fault "a site that now holds a bare repository layout is refused" refused "$T/s-bare"
echo "not a folder" >"$T/file"
ps build --repo "$R" --out "$T/file" 2>/dev/null && rc=0 || rc=$?
fault "--out a file is refused" eval 'test $rc = 2 && grep -qx "not a folder" "$T/file"'

# ---- --out that may be replaced ---------------------------------------------
fault "--out absent: built, with the marker" eval 'build_ok "$R" "$T/o-new" && site "$T/o-new"'
mkdir "$T/o-empty"
fault "--out empty: built" eval 'build_ok "$R" "$T/o-empty" && site "$T/o-empty"'
echo stale >"$T/o-new/cu.txt"
fault "--out a previous site: replaced whole (nothing of the old one left)" \
	eval 'build_ok "$R" "$T/o-new" && site "$T/o-new" && test ! -e "$T/o-new/cu.txt" && no_litter "$T"'

# ---- a symbolic link stays a link ----------------------------------------------
mkdir -p "$T/www/releases"
build_ok "$R" "$T/www/releases/html"
ln -s releases/html "$T/www/portal"
build_ok "$R" "$T/www/portal"
t1=$(readlink "$T/www/portal")
fault "a symbolic link --out stays a link (relative), now to a new whole site" \
	eval 'test -L "$T/www/portal" && [[ $t1 == releases/html.site-* ]] && site "$T/www/portal"'
fault "the link's old target, a site plansite wrote, is removed" test ! -e "$T/www/releases/html"
build_ok "$R" "$T/www/portal"
t2=$(readlink "$T/www/portal")
fault "a second build switches the link again and removes the first target" \
	eval 'test -L "$T/www/portal" && test "$t1" != "$t2" && test ! -e "$T/www/$t1" && site "$T/www/portal" && test $(ls "$T/www/releases" | wc -l) = 1'
for i in 1 2 3; do
	ps build --repo "$R" --out "$T/www/portal" 2>/dev/null &
	ps build --repo "$R" --out "$T/www/portal" 2>/dev/null &
	wait
done
fault "two builds at once through a link: one whole site, one target left" \
	eval 'site "$T/www/portal" && test $(ls "$T/www/releases" | wc -l) = 1 && no_litter "$T/www/releases"'
for i in 1 2 3; do
	ps build --repo "$R" --out "$T/o-new" 2>/dev/null &
	ps build --repo "$R" --out "$T/o-new" 2>/dev/null &
	wait
done
fault "two builds at once into one folder: a whole site, no litter" eval 'site "$T/o-new" && no_litter "$T"'
mkdir "$T/www/empty-root" && ln -s "$T/www/empty-root" "$T/www/abs"
build_ok "$R" "$T/www/abs"
fault "a link to an empty folder: switched (absolute stays absolute), the folder is left" \
	eval '[[ $(readlink "$T/www/abs") == "$T/www/empty-root.site-"* ]] && test -d "$T/www/empty-root" && site "$T/www/abs"'
mkdir -p "$T/www/user" && echo x >"$T/www/user/f" && ln -s user "$T/www/ulink"
fault "a link to a folder that is not a site is refused, link and folder untouched" \
	eval 'refused "$T/www/ulink" && test "$(readlink "$T/www/ulink")" = user && test -f "$T/www/user/f"'

# ---- mode, group and setgid kept ---------------------------------------------
# two groups other than ours (adm and nogroup on Debian)
read -r G1 G2 < <(getent group | awk -F: -v me="$(id -g)" '$3 != me { print $1 }' | grep -xE 'adm|nogroup|www-data|users|staff' | head -2 | tr '\n' ' ') || true
mkdir "$T/o-mode" "$T/www/grp"
if [ -n "${G2:-}" ] && chgrp "$G1" "$T/o-mode" 2>/dev/null && chgrp "$G2" "$T/www/grp" 2>/dev/null; then
	chmod 2775 "$T/o-mode"
	build_ok "$R" "$T/o-mode"
	build_ok "$R" "$T/o-mode"
	fault "the output folder keeps mode 2775 and its group" test "$(stat -c '%a %G' "$T/o-mode")" = "2775 $G1"
	fault "files written inside take the folder's group" \
		test "$(stat -c %G "$T/o-mode/index.html") $(stat -c %G "$T/o-mode/ke-hoach")" = "$G1 $G1"
	chmod 2750 "$T/www/grp" && ln -s grp "$T/www/glink"
	build_ok "$R" "$T/www/glink"
	fault "a link's new target keeps the old target's mode and group" \
		test "$(stat -L -c '%a %G' "$T/www/glink")" = "2750 $G2"
else
	echo "skip - no two other groups to give the output folder (needs root): mode and group cases not run"
fi

# ---- leftovers of other builds ----------------------------------------------------
build_ok "$R" "$T/o-left"
mkdir -p "$T/o-left.staging-4242/ke-hoach" && touch "$T/o-left.staging-4242/.plansite-site"
mkdir "$T/o-left.staging-4243" && touch "$T/o-left.staging-4243/.plansite-site"
mkdir "$T/o-left.staging-4244" && echo "của người khác" >"$T/o-left.staging-4244/data.txt"
mkdir "$T/o-left.staging-4245"
flock "$T/o-left.staging-4243" sleep 30 &
LOCKER=$!
sleep 0.3
build_ok "$R" "$T/o-left"
fault "an interrupted build's staging folder (marker, unlocked) is removed" test ! -e "$T/o-left.staging-4242"
fault "an empty staging folder is removed" test ! -e "$T/o-left.staging-4245"
fault "a staging folder locked by a running build is kept" test -f "$T/o-left.staging-4243/.plansite-site"
fault "a folder named like a staging folder without the marker is kept" grep -q "của người khác" "$T/o-left.staging-4244/data.txt"
kill "$LOCKER" 2>/dev/null || true
wait "$LOCKER" 2>/dev/null || true
rm -rf "$T"/o-left.staging-*

# ---- a theme missing a template ----------------------------------------------------
mkdir -p "$T/theme-x" && cp -r "$ROOT/themes/default/." "$T/theme-x/" && rm "$T/theme-x/templates/plan.mustache"
before=$(tree "$T/o-new")
ps build --repo "$R" --out "$T/o-new" --theme "$T/theme-x" 2>"$ERR" && rc=0 || rc=$?
fault "a theme missing a template exits 2, names it, and the site is untouched" \
	eval 'test $rc = 2 && grep -q "templates/plan.mustache" "$ERR" && test "$before" = "$(tree "$T/o-new")" && no_litter "$T"'

mkdir -p "$T/theme-p" && cp -r "$ROOT/themes/default/." "$T/theme-p/" && rm "$T/theme-p/templates/unit_ref.mustache"
ps build --repo "$R" --out "$T/o-new" --theme "$T/theme-p" 2>"$ERR" && rc=0 || rc=$?
fault "a theme missing a partial exits 2, names it and its user, the site untouched" \
	eval 'test $rc = 2 && grep -q "templates/unit_ref.mustache" "$ERR" && test "$before" = "$(tree "$T/o-new")"'
git clone -q "$R" "$T/r-tpl" && mkdir -p "$T/r-tpl/content/templates"
printf '{{<base}}{{$main}}{{>khong_co}}{{/main}}{{/base}}' >"$T/r-tpl/content/templates/plan.mustache"
commit "$T/r-tpl" "2025-12-02T09:00:00+07:00" "Mẫu riêng"
ps build --repo "$T/r-tpl" --out "$T/o-tpl" 2>"$ERR" && rc=0 || rc=$?
fault "the site's own template naming a missing partial is a content error at that file (exit 1)" \
	eval 'test $rc = 1 && grep -q "content/templates/plan.mustache.*khong_co" "$ERR" && test ! -e "$T/o-tpl"'

# a build killed between the two renames of the fallback publication: the
# next build (here one that then fails) first puts the old site back
build_ok "$R" "$T/o-back" && mv "$T/o-back" "$T/o-back.old-777" && echo "cũ" >"$T/o-back.old-777/cu.txt"
before=$(tree "$T/o-back.old-777")
ps build --repo "$R" --out "$T/o-back" --theme "$T/theme-x" 2>/dev/null && rc=0 || rc=$?
fault "the old site of a build killed mid-publication is put back by the next build" \
	eval 'test $rc = 2 && test -f "$T/o-back/cu.txt" && test ! -e "$T/o-back.old-777" && test "$before" = "$(tree "$T/o-back")"'

# ---- a file system that refuses RENAME_EXCHANGE -------------------------------------
cat >"$T/noexchange.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
/* renameat2 as on a file system that has no RENAME_EXCHANGE */
int renameat2(int a, const char *b, int c, const char *d, unsigned int flags)
{
	if (flags & RENAME_EXCHANGE) {
		errno = EINVAL;
		return -1;
	}
	return renameat(a, b, c, d);
}
C
REL=${PLANSITE_REL:-$ROOT/plansite}
if cc -shared -fPIC -o "$T/noexchange.so" "$T/noexchange.c" 2>"$ERR" && [ -x "$REL" ]; then
	build_ok "$R" "$T/o-nx"
	echo stale >"$T/o-nx/cu.txt"
	LD_PRELOAD=$T/noexchange.so "$REL" build --repo "$R" --out "$T/o-nx" 2>"$ERR" && rc=0 || rc=$?
	fault "without RENAME_EXCHANGE the site is published whole by two renames" \
		eval 'test $rc = 0 && site "$T/o-nx" && test ! -e "$T/o-nx/cu.txt" && no_litter "$T"'
else
	echo "skip - cannot build the RENAME_EXCHANGE shim or no release binary: $(cat "$ERR")"
fi

# ---- signals ----------------------------------------------------------------------
# a repository big enough that a build takes a while
G=$T/big
newrepo "$G"
for i in $(seq 1 "${FAULT_PLANS:-120}"); do
	{
		printf -- '---\nnumber: "%d/KH-UBND"\ntitle: "Kế hoạch số %d"\nissuer: UBND tỉnh\ndate: 2025-03-01\ntasks:\n' "$i" "$i"
		for j in 1 2 3 4 5 6 7 8; do
			printf '  - { id: "%d", title: "Việc %d của kế hoạch %d", lead: Sở Tài chính, output: Báo cáo, due: 15/12/2025, status: in_progress, progress: %d }\n' "$j" "$j" "$i" $((j * 10))
		done
		printf -- '---\nNội dung của kế hoạch %d.\n' "$i"
	} >"$G/content/plans/p$i.md"
done
commit "$G" "2025-12-01T09:00:00+07:00" "Nhiều kế hoạch"
sed -i 's/progress: 10/progress: 15/' "$G"/content/plans/p1*.md
commit "$G" "2025-12-02T09:00:00+07:00" "Cập nhật"
GO=$T/g-out
build_ok "$G" "$GO"
ref=$(find "$GO" | wc -l)
t0=$(date +%s%N)
build_ok "$G" "$GO"
dur=$((($(date +%s%N) - t0) / 1000000))
echo "# a build of the big repository takes $dur ms"
# whole: the old site or the new one, never a mix (same file count, marker, home)
whole() {
	test -f "$GO/.plansite-site" -a -f "$GO/index.html" && test "$(find "$GO" | wc -l)" = "$ref" || {
		echo "#   $(find "$GO" | wc -l) files, $ref expected: $(ls -A "$GO" | head -c 300)"
		return 1
	}
}
msleep() { sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
for sig in TERM INT; do
	"$PLANSITE" build --force --repo "$G" --out "$GO" 2>"$ERR" &
	pid=$!
	msleep $((dur / 2))
	kill -"$sig" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null && rc=0 || rc=$?
	fault "SIG$sig in the middle of a build: exit $rc, no staging folder, the site whole" \
		eval 'test $rc != 0 && whole && no_litter "$T"' || ls -a "$T" "$GO"
done
# the release binary runs a thread of tcmalloc's beside the build
# (src/mem.c, the scavenger); a signal must still reach the build's own
# handler, never that thread, whose default action would end the process
# with its staging folder left behind
if [ -x "$REL" ]; then
	t0=$(date +%s%N)
	"$REL" build --force --repo "$G" --out "$GO" 2>"$ERR" || cat "$ERR"
	rdur=$((($(date +%s%N) - t0) / 1000000))
	cut=0
	for frac in 2 4 6; do
		for sig in TERM INT; do
			"$REL" build --force --repo "$G" --out "$GO" 2>"$ERR" &
			pid=$!
			msleep $((rdur * frac / 8))
			kill -"$sig" "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null && rc=0 || rc=$?
			[ "$rc" != 0 ] && cut=$((cut + 1))
			fault "release build, SIG$sig at $((rdur * frac / 8)) of $rdur ms: exit $rc, no staging folder, the site whole" \
				eval 'whole && no_litter "$T"' || ls -a "$T" "$GO"
		done
	done
	fault "release build: signals stopped $cut of 6 builds halfway" test "$cut" -gt 0
fi
kills=0
for i in $(seq 1 "${FAULT_KILLS:-30}"); do
	"$PLANSITE" build --force --repo "$G" --out "$GO" 2>/dev/null &
	pid=$!
	ms=$((RANDOM % (dur * 3 / 2 + 50)))   # some builds end before the kill
	msleep $ms
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null || true
	fault "kill -9 at $ms ms (build $i): the published site is whole" whole
done
echo "# $kills of ${FAULT_KILLS:-30} builds were killed before they ended; litter: $(ls -a "$T" | grep -cE '\.staging-|\.old-')"
build_ok "$G" "$GO"
fault "after 30 kill -9 and one build, no staging folder is left" eval 'whole && no_litter "$T"'

# ---- disk full, out of inodes, read-only, mounts --------------------------------------
M=$T/mnt
mkdir -p "$M"
if ! mount -t tmpfs -o size=1m tmpfs "$M" 2>/dev/null; then
	echo "skip - mount is not permitted here: disk full, inodes, read-only and mount cases not run"
else
	umount "$M"
	# room for one site and a half
	kb=$(du -sk "$T/o-new" | cut -f1)
	mount -t tmpfs -o size=$((kb * 3 / 2))k tmpfs "$M" && MOUNTS+=("$M")
	build_ok "$R" "$M/site"
	before=$(tree "$M/site")
	ps build --repo "$R" --out "$M/site" 2>"$ERR" && rc=0 || rc=$?
	fault "disk full: exit 2, a Vietnamese hint, the previous site intact, no staging left" \
		eval 'test $rc = 2 && grep -q "ổ đĩa đã đầy" "$ERR" && test "$before" = "$(tree "$M/site")" && no_litter "$M"'
	umount "$M"
	# room enough, too few inodes
	n=$(find "$T/o-new" | wc -l)
	mount -t tmpfs -o size=64m,nr_inodes=$((n * 3 / 2)) tmpfs "$M"
	build_ok "$R" "$M/site"
	before=$(tree "$M/site")
	ps build --repo "$R" --out "$M/site" 2>"$ERR" && rc=0 || rc=$?
	fault "out of inodes: exit 2, the previous site intact, no staging left" \
		eval 'test $rc = 2 && test "$before" = "$(tree "$M/site")" && no_litter "$M"'
	umount "$M"
	# read-only
	mount -t tmpfs -o size=64m tmpfs "$M"
	build_ok "$R" "$M/site"
	before=$(tree "$M/site")
	mount -o remount,ro "$M"
	ps build --repo "$R" --out "$M/site" 2>"$ERR" && rc=0 || rc=$?
	fault "read-only file system: exit 2, a hint, the previous site intact" \
		eval 'test $rc = 2 && grep -q "chỉ cho đọc" "$ERR" && test "$before" = "$(tree "$M/site")"'
	mount -o remount,rw "$M"
	# --out itself a mount point
	fault "--out that is itself a mount point is refused" refused "$M"
	# a volume mounted inside --out: refused before anything is touched
	build_ok "$R" "$T/o-vol"
	mkdir "$T/o-vol/kho" && mount -t tmpfs -o size=1m tmpfs "$T/o-vol/kho" && MOUNTS+=("$T/o-vol/kho")
	echo "dữ liệu" >"$T/o-vol/kho/quan-trong.txt"
	fault "a mount inside --out is refused, its files kept" \
		eval 'refused "$T/o-vol" && grep -q "mount" "$ERR" && test -f "$T/o-vol/kho/quan-trong.txt"'
	# the same through a link
	ln -s o-vol "$T/vol-link"
	fault "a mount inside a link's target is refused, its files kept" \
		eval 'refused "$T/vol-link" && test -f "$T/o-vol/kho/quan-trong.txt"'
fi

echo "faults: $CASES cases, $HELD held"
finish
