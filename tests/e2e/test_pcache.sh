#!/usr/bin/env bash
# test_pcache.sh: the plan files' front matter kept between builds
# ($GIT_DIR/plansite/parse.cache): after a push only the files it changed
# are parsed, and every site built with the file (restored, appended to,
# damaged, cut short, another program's, rewritten whole) is, byte for byte,
# the site a build without it writes, with the same messages.  Each kind of
# change of a task (progress, status, deadline, lead unit) is published by
# a build into the previous site, compared with a clean build of the commit.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
"$ROOT/tools/sample-history.sh" "$R" >/dev/null 2>&1
P=$R/content/plans
C=$R/.git/plansite/parse.cache

# Plans whose YAML takes every path of the tree: anchors and aliases (nodes
# shared), quoted scalars with escapes, a byte order mark, text not in NFC
# (its body normalised, so not the file's own tail), params, no body.
printf '\xef\xbb\xbf' >"$P/dac-biet.md"
cat >>"$P/dac-biet.md" <<'EOF'
---
number: "7/KH-DB"
title: "Kế hoạch \"đặc biệt\"\tcó ký tự thoát"
issuer: Sở Nội vụ
date: 2025-08-01
implements: [57-NQ/TW]
nguon: &n { co_quan: "Sở Nội vụ", so: [1, 2, 3] }
nguon_lai: *n
tasks:
  - id: "1"
    title: &tt 'Việc một: ''trích'' dẫn'
    lead: Sở Nội vụ
    output: Báo cáo
    due: 2025-12-31
    status: in_progress
    progress: 40
  - id: "2"
    title: *tt
    lead: Sở Nội vụ
    output: |
      Dòng một
      Dòng hai
    due: Thường xuyên
    status: done
    completed: 2025-09-01
    progress: 100
  - id: "3"
    title: "Việc xong mà chưa ghi ngày, tiến độ chưa đủ"
    lead: Sở Nội vụ
    output: Báo cáo
    due: 2025-10-31
    status: done
    progress: 50
---
Nội dung có số hiệu 57-NQ/TW.
EOF
# "Sở" and "Kế hoạch" written decomposed (e + combining marks): NFC changes them
python3 - "$P/nfd.md" <<'EOF'
import sys, unicodedata
t = '---\nnumber: "8/KH-NFD"\ntitle: "%s"\nissuer: "%s"\ndate: 2025-08-02\ntasks:\n  - { id: "1", title: "%s", lead: "%s", output: x, due: 2025-11-30, status: not_started }\n---\n%s\n' % (
    unicodedata.normalize("NFD", "Kế hoạch viết tách dấu"), unicodedata.normalize("NFD", "Sở Nội vụ"),
    unicodedata.normalize("NFD", "Việc tách dấu"), unicodedata.normalize("NFD", "Sở Nội vụ"),
    unicodedata.normalize("NFD", "Phần thân viết tách dấu: Hoàn thành."))
open(sys.argv[1], "w", encoding="utf-8").write(t)
EOF
printf -- '---\nnumber: "9/KH-RONG"\ntitle: "Không có thân"\ntasks: []\n---\n' >"$P/khong-than.md"
commit "$R" 2025-12-16T09:00:00+07:00 "Thêm các kế hoạch thử"

# fresh NAME: a clean build (no cache, a new folder); cached NAME [OUT]: a
# build with the repository's caches into OUT (default: a new folder
# NAME), --verbose, its messages in $T/NAME.err
fresh() { PLANSITE_HISTORY_CACHE=off ps build --repo "$R" --out "$T/$1" 2>"$T/$1.err"; }
cached() {
	ps build --repo "$R" --out "${2:-$T/$1}" --verbose 2>"$T/$1.err" || {
		grep -v "warning:" "$T/$1.err" | head -20
		return 1
	}
}
same() { diff -r "$T/$1" "$2" >"$T/diff.txt" || { head -20 "$T/diff.txt"; return 1; }; }
# the messages of a build, without the lines --verbose adds
msgs() { grep -E "(error|warning): " "$T/$1.err" | sort; }
same_msgs() { cmp -s <(msgs "$1") <(msgs "$2") || { diff <(msgs "$1") <(msgs "$2") | head; return 1; }; }
NPLANS=$(find "$P" -name '*.md' | wc -l)
# counted NAME RESTORED PARSED: what the build took from the file and parsed
counted() {
	grep -q "phần khai báo của $2 tệp kế hoạch lấy từ bộ nhớ đệm, $3 tệp được phân tích" "$T/$1.err" || {
		grep "phần khai báo" "$T/$1.err"
		return 1
	}
}

fresh ref0
check "a build with PLANSITE_HISTORY_CACHE=off keeps no parse cache" [ ! -e "$C" ]
check "... and its plans have warnings to report again" grep -q "dac-biet.md:[0-9]*:[0-9]*: warning: \[W016\]" "$T/ref0.err"
cached c1
check "the first build parses every plan file" counted c1 0 "$NPLANS"
check "... and keeps them in \$GIT_DIR/plansite/parse.cache" [ -s "$C" ]
check "... with no temporary file left" bash -c "! ls '$R/.git/plansite/' | grep -q tmp"
check "... and builds the site built without it" same ref0 "$T/c1"
check "... with the same messages" same_msgs ref0 c1
cached c2
check "the next build takes every plan file from the cache" counted c2 "$NPLANS" 0
check "... writes nothing to it" grep -q "0 mục được ghi vào $C" "$T/c2.err"
check "... builds the same site" same ref0 "$T/c2"
check "... and reports the same messages (the plans are built anew from the trees)" same_msgs ref0 c2

# ---- pushes: each kind of change of a task, published into the previous site ----------
PUB=$T/pub
cached pub0 "$PUB"
A=content/plans/dac-biet.md
push() {   # push MESSAGE SED-EXPR [FILE]: a commit that edits one plan file
	sed -i "$2" "$R/${3:-$A}"
	DAY=$((DAY + 1))
	commit "$R" "2025-12-$((DAY + 10))T09:00:00+07:00" "$1"
	cached "push$DAY" "$PUB"
	fresh "clean$DAY"
}
DAY=6
size0=$(stat -c %s "$C")
push "Cập nhật tiến độ" 's/progress: 40/progress: 60/'
check "a push of a progress parses the one file it changed" counted push7 $((NPLANS - 1)) 1
check "... appends its entry to the file (not the whole file again)" \
	bash -c "[ $(stat -c %s "$C") -gt $size0 ] && [ $(stat -c %s "$C") -lt $((size0 + size0 / 4)) ]"
check "... and publishes a clean build's site" same clean7 "$PUB"
check "... with its messages" same_msgs clean7 push7
push "Đổi trạng thái" 's/status: in_progress/status: done\n    completed: 2025-12-17/'
check "a push of a status publishes a clean build's site" same clean8 "$PUB"
push "Đổi hạn" 's/due: 2025-12-31/due: 2025-10-31/'
check "a push of a deadline publishes a clean build's site" same clean9 "$PUB"
push "Đổi đơn vị chủ trì" '0,/lead: Sở Nội vụ/s//lead: Sở Tài chính/'
check "a push of a lead unit publishes a clean build's site" same clean10 "$PUB"
check "... having parsed one file" counted push10 $((NPLANS - 1)) 1
push "Sửa văn bản tách dấu" 's/status: not_started/status: in_progress/' content/plans/nfd.md
check "a push of a file not in NFC publishes a clean build's site" same clean11 "$PUB"
# the plan files not read (their front matter kept) are read by the
# history itself when its own cache is gone
rm -f "$R"/.git/plansite/history-*.cache
push "Tiến độ, không còn bộ nhớ đệm lịch sử" 's/progress: 60/progress: 70/'
check "a push without the history cache publishes a clean build's site" same clean12 "$PUB"
check "... having parsed one file" counted push12 $((NPLANS - 1)) 1

# ---- a damaged, cut, foreign file: ignored where damaged, the site the same -----------
size=$(stat -c %s "$C")
python3 - "$C" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for off in range(len(b) // 3, len(b), len(b) // 7):   # bytes in several entries' payloads
    b[off] ^= 0x55
open(p, "wb").write(bytes(b))
EOF
cached dmg
check "a cache with damaged entries builds the site built without it" same clean12 "$T/dmg"
check "... with the same messages" same_msgs clean12 dmg
check "... parsing the files whose entries are damaged" \
	bash -c "grep -Eq 'lấy từ bộ nhớ đệm, [1-9][0-9]* tệp được phân tích' '$T/dmg.err'"
cached dmg2
check "... which the next build takes from the entries appended" counted dmg2 "$NPLANS" 0
check "... building the same site" same clean12 "$T/dmg2"
truncate -s $((size / 2 + 7)) "$C"
cached cut
check "a cache cut short builds the same site" same clean12 "$T/cut"
sed -i '1s/^plansite-parse-cache [0-9]* [0-9a-f]*/plansite-parse-cache 1 0000000000000000000000000000000000000000/' "$C"
cached other
check "a cache of another program is not used" counted other 0 "$NPLANS"
check "... and builds the same site" same clean12 "$T/other"
check "... and is written whole again for this one" bash -c "head -c 200 '$C' | grep -aq 'plansite-parse-cache [0-9]* [0-9a-f]\{40\}' && ! head -c 200 '$C' | grep -aq ' 0000000000000000'"
cached again
check "... which the next build takes whole" counted again "$NPLANS" 0
: >"$C"
cached empty
check "an empty cache file is no cache: the same site" same clean12 "$T/empty"
check "... and the file is written whole again" counted empty 0 "$NPLANS"

# ---- a file whose parse reports an error is not kept: it is reported every build ------
printf -- '---\nnumber: "10/KH-TAB"\ntitle: "Thụt lề bằng tab"\ntasks:\n\t- id: "1"\n---\n' >"$P/tab.md"
commit "$R" 2025-12-25T09:00:00+07:00 "Một tệp hỏng"
for k in 1 2; do
	ps build --repo "$R" --out "$T/bad$k" --verbose 2>"$T/bad$k.err" && not_ok "a broken file fails the build ($k)"
	check "a file with a YAML error is reported by build $k" grep -q "tab.md:5:1: error: \[E002\]" "$T/bad$k.err"
done
check "... and neither build took it from the cache" \
	bash -c "grep -q '$((NPLANS)) tệp kế hoạch lấy từ bộ nhớ đệm, 1 tệp được phân tích' '$T/bad2.err'"

# ---- not used: the work tree, PLANSITE_HISTORY_CACHE=off; a folder elsewhere ------------
git -C "$R" rm -q content/plans/tab.md
commit "$R" 2025-12-26T09:00:00+07:00 "Bỏ tệp hỏng"
before=$(stat -c '%s %Y' "$C")
ps build --repo "$R" --worktree --out "$T/wt" --verbose 2>"$T/wt.err"
check "a --worktree build neither reads nor writes the cache" \
	bash -c "! grep -q 'phần khai báo' '$T/wt.err' && [ '$before' = \"\$(stat -c '%s %Y' '$C')\" ]"
ALT=$T/alt
mkdir -p "$ALT"
PLANSITE_HISTORY_CACHE=$ALT cached alt1
PLANSITE_HISTORY_CACHE=$ALT cached alt2
check "PLANSITE_HISTORY_CACHE=DIR keeps the parse cache in DIR" bash -c "ls '$ALT'/parse-*.cache >/dev/null"
check "... where the next build finds it" counted alt2 "$NPLANS" 0
fresh ref12
check "... with the same site" same ref12 "$T/alt2"

# ---- a portal with sources parses its plans with the sources': without the cache -------
git init -q --bare "$T/nguon.git"
git init -q "$T/w-nguon"
mkdir -p "$T/w-nguon/content/plans"
printf -- '---\nnumber: "5/KH-NGUON"\ntitle: "Kế hoạch của nguồn"\nissuer: Bộ Chính trị\ndate: 2025-05-02\ntasks:\n  - { id: "1", title: "Việc của nguồn", lead: Bộ Chính trị, output: x, due: "Năm 2026" }\n---\n' \
	>"$T/w-nguon/content/plans/5.md"
commit "$T/w-nguon" 2025-12-27T09:00:00+07:00 "nguồn"
git -C "$T/w-nguon" push -q "$T/nguon.git" HEAD:main
printf 'sources:\n  - { id: nguon, repo: ../nguon.git, owner: bo-chinh-tri }\n' >>"$R/content/site.yaml"
commit "$R" 2025-12-27T10:00:00+07:00 "Thêm nguồn"
cached portal1
check "a portal whose plans the cache holds builds with its sources" \
	grep -q '"id":"nguon"' "$T/portal1/du-lieu/sources.json"
check "... taking none of them from the cache" bash -c "! grep -q 'phần khai báo' '$T/portal1.err'"
PLANSITE_HISTORY_CACHE=off ps build --repo "$R" --out "$T/portal-ref" 2>/dev/null
check "... and builds the site built without it" same portal-ref "$T/portal1"
finish
