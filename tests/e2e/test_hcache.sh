#!/usr/bin/env bash
# test_hcache.sh: the history kept between builds ($GIT_DIR/plansite/): the
# same site with it, without it, with it damaged, stale or written by another
# version, after new commits (appended to the file), after history was
# rewritten, in a bare, a shallow and a read-only repository, with builds at
# once, with the blobs in several packs; serve, which reads no history again
# for an edit; and the history read ahead, beside xref.
. "$(dirname "$0")/lib.sh"

R=$T/repo
"$ROOT/tools/sample-history.sh" "$R" >/dev/null 2>&1
P=$R/content/plans
CACHE_DIR=$R/.git/plansite

# fresh NAME [ARGS]: a build without any cache (the reference)
fresh() {
	local name=$1
	shift
	PLANSITE_HISTORY_CACHE=off build_ok "$R" "$T/$name" "$@"
}
# cached NAME [ARGS]: a build with the repository's cache, --verbose (its
# messages in $T/$NAME.err)
cached() {
	local name=$1
	shift
	ps build --repo "$R" --out "$T/$name" --verbose "$@" 2>"$T/$name.err" || {
		cat "$T/$name.err"
		return 1
	}
}
same() { diff -r "$T/$1" "$T/$2" >"$T/diff.txt" || { head -20 "$T/diff.txt"; return 1; }; }
# walked NAME CACHED GIT VERSIONS: the build's account of its history walk
walked() {
	grep -q "lịch sử: [0-9]* commit, $2 lấy từ bộ nhớ đệm, $3 đọc từ Git; $4 phiên bản" "$T/$1.err" || {
		grep "lịch sử" "$T/$1.err"
		return 1
	}
}
ncommits() { git -C "$R" rev-list --first-parent --count HEAD; }
cache_file() { ls "$CACHE_DIR"/history-*.cache; }
no_warning() { ! grep -q "W06[56]" "$T/$1.err"; }

# ---- without, then with the cache ---------------------------------------------------
fresh ref0
check "a build with PLANSITE_HISTORY_CACHE=off writes no cache" [ ! -e "$CACHE_DIR" ]
N=$(ncommits)
cached c1
check "the first build with the cache reads every commit from Git" walked c1 0 "$N" "[1-9][0-9]*"
check "... writes the cache in \$GIT_DIR/plansite/" [ -f "$(cache_file)" ]
check "... and says so" grep -q "bộ nhớ đệm lịch sử: $CACHE_DIR/history-.*\.cache (đã ghi)" "$T/c1.err"
check "... and its site is the site built without it" same ref0 c1
cached c2
check "the second build takes every commit from the cache and parses no file" walked c2 "$N" 0 0
check "... does not write the cache again" grep -q "(không ghi)" "$T/c2.err"
check "... and builds the same site" same ref0 c2
check "... with no warning" no_warning c2
check "the cache file is not left half-written (no temporary file)" \
	[ "$(ls "$CACHE_DIR" | grep -vx parse.cache | wc -l)" = 1 ]
cp "$(cache_file)" "$T/before.cache"

# ---- new commits ---------------------------------------------------------------------
A=$(ls "$P" | head -1)
B=$(ls "$P" | sed -n 2p)
sed -i 's/status: in_progress/status: done\n    completed: 2025-12-15/' "$P/$A"
commit "$R" 2025-12-16T09:00:00+07:00 "Cập nhật tiến độ"
git -C "$R" mv "content/plans/$B" "content/plans/doi-ten.md"
printf -- '---\nnumber: "9/KH-MOI"\ntitle: "Kế hoạch mới"\nimplements: [57-NQ/TW]\ntasks:\n  - { id: "1", title: "Việc mới", lead: Sở Nội vụ, output: x, due: "Năm 2026" }\n---\n' >"$P/moi.md"
commit "$R" 2025-12-17T09:00:00+07:00 "Đổi tên tệp, thêm kế hoạch"
printf -- '---\nnumber: "9/KH-MOI"\ntitle: [hỏng\n---\n' >"$P/moi.md"
commit "$R" 2025-12-18T09:00:00+07:00 "Một lần sửa hỏng"
printf -- '---\nnumber: "9/KH-MOI"\ntitle: "Kế hoạch mới"\nimplements: [57-NQ/TW]\ntasks:\n  - { id: "1", title: "Việc mới", lead: Sở Nội vụ, output: x, due: "Năm 2026", status: done, completed: 2025-12-19 }\n---\n' >"$P/moi.md"
commit "$R" 2025-12-19T09:00:00+07:00 "Sửa lại"
fresh ref1
cached c3
check "after 4 new commits only those are read from Git" walked c3 "$N" 4 "[1-9][0-9]*"
check "... and the site is the one built without the cache" same ref1 c3
# appended: the file as it was but for its checksum (its last 8 bytes), then the new commits
check "... which are appended to the cache file, not the whole file written again" \
	bash -c "[ \$(stat -c %s '$(cache_file)') -gt \$(stat -c %s '$T/before.cache') ] &&
		cmp -s -n \$((\$(stat -c %s '$T/before.cache') - 8)) '$T/before.cache' '$(cache_file)'"
check "... with no temporary file" [ "$(ls "$CACHE_DIR" | grep -vx parse.cache | wc -l)" = 1 ]
check "... which shows the new commits" grep -rq "Một lần sửa hỏng" "$T/c3/thay-doi"
cached c4
check "the next build reads nothing from Git" walked c4 $((N + 4)) 0 0

# ---- a damaged cache ------------------------------------------------------------------
F=$(cache_file)
cp "$F" "$T/good.cache"
damaged() { # damaged NAME CODE: a warning CODE naming the file, the same site, the cache rewritten
	cached "$1" || return 1
	grep -q "$F: warning: \[$2\]" "$T/$1.err" || { cat "$T/$1.err"; return 1; }
	same ref1 "$1" || return 1
	walked "$1" 0 $((N + 4)) "[1-9][0-9]*" || return 1
	cached "$1-after" || return 1
	walked "$1-after" $((N + 4)) 0 0 && no_warning "$1-after"
}
head -c $(($(stat -c %s "$F") / 2)) "$T/good.cache" >"$F"
check "a cache cut in half: W065, the same site, the cache written again" damaged cut W065
cp "$T/good.cache" "$F"
printf '\x5a\x5a\x5a' | dd of="$F" bs=1 seek=$(($(stat -c %s "$F") / 3)) conv=notrunc 2>/dev/null
check "a cache with bytes changed in the middle: W065, the same site" damaged flipped W065
cp "$T/good.cache" "$F"
printf '\x07' | dd of="$F" bs=1 seek=16 conv=notrunc 2>/dev/null
check "a cache of another format version: W066, the same site" damaged other W066
check "... the warning says who wrote it" grep -q "W066.*plansite 0.*, 7)" "$T/other.err"
cp "$T/good.cache" "$F"
printf '0.0.0' | dd of="$F" bs=1 seek=24 conv=notrunc 2>/dev/null
check "a cache written by another plansite version: W066, the same site" damaged otherver W066
: >"$F"
check "an empty cache file: W065, the same site" damaged empty W065
head -c 5000 /dev/urandom >"$F"
check "a file of random bytes: W065, the same site" damaged random W065
cp "$T/good.cache" "$F"
printf 'plansite-hcache\n\x01\x00\x00\x00\xff\xff\xff\x7f' | dd of="$F" bs=1 conv=notrunc 2>/dev/null
check "a cache whose header claims a huge string: W065, the same site" damaged huge W065
check "the damaged-cache warnings read in English with --lang en" \
	bash -c "cp '$T/good.cache' '$F'; : >'$F'; '$PLANSITE' build --repo '$R' --out '$T/en' --lang en 2>&1 | grep -q 'W065.*history cache'"

# ---- history rewritten ------------------------------------------------------------------
git -C "$R" reset -q --hard HEAD~3
printf -- '---\nnumber: "8/KH-KHAC"\ntitle: "Kế hoạch khác"\ntasks:\n  - { id: "1", title: "Việc khác", lead: Sở Nội vụ, output: x, due: "Năm 2026" }\n---\n' >"$P/khac.md"
commit "$R" 2025-12-20T09:00:00+07:00 "Viết lại lịch sử"
sed -i 's/title: "Kế hoạch khác"/title: "Kế hoạch khác đã sửa"/' "$P/khac.md"
commit "$R" 2025-12-21T09:00:00+07:00 "Sửa tên"
fresh ref2
cached c6
check "after a reset and new commits the site is the one built without the cache" same ref2 c6
check "... the commits kept are taken from the cache, the 2 new ones read" walked c6 $((N + 1)) 2 "[1-9]*"
check "... and the rewound commits are no longer in the site" bash -c "! grep -rq 'Một lần sửa hỏng' '$T/c6'"
fresh ref3 --ref HEAD~5
cached c8 --ref HEAD~5
check "a build of an older commit (--ref) builds the site of that commit" same ref3 c8
check "... taking all its commits from the cache" walked c8 $((N - 2)) 0 0

# ---- builds at once ---------------------------------------------------------------------
rm -rf "$CACHE_DIR"
pids=()
for i in 1 2 3; do
	ps build --repo "$R" --out "$T/par$i" 2>"$T/par$i.err" &
	pids+=($!)
done
okpar=0
for p in "${pids[@]}"; do wait "$p" || okpar=1; done
check "three builds at once, each writing the cache, all succeed" [ "$okpar" = 0 ]
check "... with the same site" bash -c "diff -r '$T/ref2' '$T/par1' >/dev/null && diff -r '$T/ref2' '$T/par2' >/dev/null && diff -r '$T/ref2' '$T/par3' >/dev/null"
cached c9
check "... and leave a whole cache that the next build uses" walked c9 $((N + 3)) 0 0
check "... with no temporary file left" [ "$(ls "$CACHE_DIR" | grep -vx parse.cache | wc -l)" = 1 ]

# ---- a repository where the cache cannot be written ---------------------------------------
rm -rf "$CACHE_DIR"
if [ "$(id -u)" = 0 ]; then
	: >"$CACHE_DIR"   # root writes anywhere: a file where the folder would be
else
	chmod a-w "$R/.git"
fi
cached ro
check "a repository where the cache cannot be written still builds the same site" same ref2 ro
check "... silently" no_warning ro
check "... and says with --verbose that it wrote nothing" grep -q "(không ghi)" "$T/ro.err"
chmod u+w "$R/.git"
rm -f "$CACHE_DIR"
# another place for it
ALT=$T/alt-cache
mkdir -p "$ALT"
PLANSITE_HISTORY_CACHE=$ALT cached alt1
PLANSITE_HISTORY_CACHE=$ALT cached alt2
check "PLANSITE_HISTORY_CACHE=DIR keeps the cache in DIR" \
	bash -c "ls '$ALT'/history-*.cache >/dev/null && [ ! -e '$CACHE_DIR' ]"
check "... where the next build finds it" walked alt2 $((N + 3)) 0 0
check "... with the same site" same ref2 alt2

# ---- a bare repository, a shallow clone --------------------------------------------------
git clone -q --bare "$R" "$T/bare.git"
ps build --repo "$T/bare.git" --out "$T/bare1" 2>/dev/null
ps build --repo "$T/bare.git" --out "$T/bare2" --verbose 2>"$T/bare2.err"
check "a bare repository keeps its cache in its own folder" bash -c "ls '$T/bare.git/plansite/'history-*.cache >/dev/null"
check "... and uses it" walked bare2 $((N + 3)) 0 0
check "... with the same site" same ref2 bare2
git clone -q --depth 6 "file://$R" "$T/shallow"
PLANSITE_HISTORY_CACHE=off ps build --repo "$T/shallow" --out "$T/sh0" 2>/dev/null
ps build --repo "$T/shallow" --out "$T/sh1" 2>/dev/null
ps build --repo "$T/shallow" --out "$T/sh2" --verbose 2>"$T/sh2.err"
check "a shallow clone: the same site with the cache" bash -c "diff -r '$T/sh0' '$T/sh1' >/dev/null && diff -r '$T/sh0' '$T/sh2' >/dev/null"
check "... its oldest commit (cut from its parent) is the only one read again" walked sh2 5 1 0
git -C "$T/shallow" fetch -q --unshallow
PLANSITE_HISTORY_CACHE=off ps build --repo "$T/shallow" --out "$T/sh3" 2>/dev/null
ps build --repo "$T/shallow" --out "$T/sh4" 2>/dev/null
check "... deepened, the same site as without the cache" same sh3 sh4
check "... which has the whole history again" same ref2 sh4

# ---- blobs in several packs, in both directions -------------------------------------------
git clone -q --no-local "$R" "$T/packs"
(
	cd "$T/packs"
	# more packs, one a commit, as pushes leave them
	for i in 1 2 3; do
		sed -i "s/^title: \"\(.*\)\"$/title: \"\1 $i\"/" "content/plans/$(ls content/plans | head -1)"
		git add -A && GIT_AUTHOR_DATE=2025-12-2${i}T09:00:00+07:00 GIT_COMMITTER_DATE=2025-12-2${i}T09:00:00+07:00 git commit -qm "Sửa $i"
		git repack -q
	done
)
check "the clone has several packs" [ "$(ls "$T/packs/.git/objects/pack/"*.pack | wc -l)" -ge 3 ]
PLANSITE_TIMING=1 PLANSITE_HISTORY_CACHE=off ps build --repo "$T/packs" --out "$T/pk0" 2>"$T/pk0.err"
check "several packs: the blobs are read in pack order" grep -q "in \(reverse \)\?pack order" "$T/pk0.err"
(cd "$T/packs" && git repack -adq)
PLANSITE_HISTORY_CACHE=off ps build --repo "$T/packs" --out "$T/pk1" 2>/dev/null
check "... and the site is the one built from a single pack" same pk0 pk1

# ---- serve: an edit of the work tree reads no history again -------------------------------
command -v curl >/dev/null || { not_ok "curl is needed"; finish; exit; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SV=http://127.0.0.1:$port
PLANSITE_HISTORY_CACHE=off "$PLANSITE" serve --repo "$R" --worktree --verbose --port "$port" 2>"$T/serve.log" &
SPID=$!
trap 'kill $SPID 2>/dev/null || true; wait $SPID 2>/dev/null || true; rm -rf "$T"' EXIT
wait_for() { local end=$((SECONDS + $1)); shift; while ! "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.2; done; }
built() { [ "$(grep -c 'dựng xong' "$T/serve.log")" -ge "$1" ]; }
wait_for 120 built 1 || { cat "$T/serve.log"; not_ok "serve builds"; finish; exit; }
check "serve's first build reads the history from Git (no cache file: PLANSITE_HISTORY_CACHE=off)" \
	grep -q "lịch sử: $((N + 3)) commit, 0 lấy từ bộ nhớ đệm, $((N + 3)) đọc từ Git" "$T/serve.log"
K=$(ls "$P" | head -1)
sed -i 's/^title: "\(.*\)"$/title: "Tên sửa trong cây làm việc"/' "$P/$K"
wait_for 60 built 2
check "an edit of the work tree reaches the page over HTTP" \
	bash -c "curl -s '$SV/ke-hoach/' | grep -q 'Tên sửa trong cây làm việc'"
check "... and its build takes every commit from memory and parses no past version" \
	bash -c "grep 'lịch sử: [0-9]' '$T/serve.log' | sed -n 2p | grep -q '$((N + 3)) lấy từ bộ nhớ đệm, 0 đọc từ Git; 0 phiên bản'"
commit "$R" 2025-12-22T09:00:00+07:00 "Sửa tên trong cây làm việc"
wait_for 60 built 3
check "a new commit: serve reads that commit alone" \
	bash -c "grep 'lịch sử: [0-9]' '$T/serve.log' | sed -n 3p | grep -q '$((N + 3)) lấy từ bộ nhớ đệm, 1 đọc từ Git'"
kill $SPID 2>/dev/null
wait $SPID 2>/dev/null || true
fresh ref4 --as-of 2026-01-05
cached c10 --as-of 2026-01-05
cached c11 --as-of 2026-01-05
check "after serve, a build with the cache written then read gives the same site" \
	bash -c "diff -r '$T/ref4' '$T/c10' >/dev/null && diff -r '$T/ref4' '$T/c11' >/dev/null"

# ---- another content folder ---------------------------------------------------------------
cp -r "$R/content" "$R/noi-dung"
commit "$R" 2025-12-23T09:00:00+07:00 "Một thư mục nội dung nữa"
fresh ref5 --content noi-dung
cached c12 --content noi-dung
cached c13 --content noi-dung
check "another --content folder has a cache file of its own" [ "$(ls "$CACHE_DIR" | grep -vx parse.cache | wc -l)" = 2 ]
check "... which its next build uses" walked c13 $((N + 5)) 0 0
check "... with the same site" same ref5 c13

# ---- the history read ahead, beside the cross-referencing -------------------------------------
PLANSITE_TIMING=1 PLANSITE_HISTORY_CACHE=off cached c14 --content noi-dung
check "the history is read from Git on a thread of its own, beside xref" \
	grep -q "^history: .*Git and cache read [0-9.]* s (read ahead, beside xref)" "$T/c14.err"
check "... and the site is the same" same ref5 c14
# an error of the content found while the history is read ahead: the build
# stops there, its reader stopped with it (ASan: nothing read after it is freed)
printf -- '---\nnumber: "7/KH-LOI"\ntitle: [chưa đóng\n---\n' >"$R/noi-dung/plans/loi.md"
commit "$R" 2025-12-24T09:00:00+07:00 "Một kế hoạch hỏng"
rc=0
PLANSITE_HISTORY_CACHE=off ps build --repo "$R" --content noi-dung --out "$T/c15" 2>"$T/c15.err" || rc=$?
check "... a build with a content error fails with the error located, publishing nothing" \
	bash -c "[ $rc != 0 ] && grep -q '^noi-dung/plans/loi.md:[0-9]*:[0-9]*: error:' '$T/c15.err' &&
		! grep -q Sanitizer '$T/c15.err' && [ ! -e '$T/c15' ]"
finish
