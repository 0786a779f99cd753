#!/usr/bin/env bash
# test_history.sh: the change history read from real Git repositories:
# changes in words, renames and moves, spelling that means the same, a
# broken commit, a merge, a shallow clone, the Atom feed, changes.json, the
# weekly report, charts and pagination.
. "$(dirname "$0")/lib.sh"

# text FILE: the visible text of an HTML page, tags dropped, one space
text() {
	python3 - "$1" <<'PY'
import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"<(script|style)\b.*?</\1>", " ", s, flags=re.S)
print(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s))))
PY
}
# has FILE WORDS: the page's text contains WORDS
has() { text "$1" | grep -qF -- "$2"; }
# as AUTHOR DATE MESSAGE: commits everything as AUTHOR at DATE
as() {
	(cd "$R" && git add -A && GIT_AUTHOR_NAME="$1" GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" \
		git commit -qm "$3")
}
rev() { git -C "$R" rev-parse "$1"; }

R=$T/repo
newrepo "$R"
cat >>"$R/content/site.yaml" <<'YAML'
repo_url: https://git.example.gov.vn/so/ke-hoach
YAML
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, title: "Nghị quyết 57" }
- { number: 71/NQ-CP, title: "Nghị quyết 71", implements: [57-NQ/TW], aliases: [71-NQ/CP] }
YAML
cat >"$R/content/units.yaml" <<'YAML'
- { id: so-tai-chinh, name: Sở Tài chính }
- { id: so-noi-vu, name: Sở Nội vụ }
YAML
# a: block-style tasks (parsed task by task from one version to the next)
plan_a() {
	cat >"$R/content/plans/$1" <<MD
---
number: "1/KH-A"
title: "Kế hoạch A"
issuer: Sở Tài chính
implements: [$2]
groups:
  - { id: I, title: "Nhóm I" }
tasks:
  - id: "1"
    group: I
    title: "$3"
    lead: Sở Tài chính
    output: Báo cáo
    due: "Ngày 05/12/2025"
    status: $4
    progress: $5
  - id: "2"
    title: "Việc hai"
    lead: Sở Nội vụ
    output: Kế hoạch
    due: "$6"
    status: in_progress
    progress: $7
  - id: "3"
    title: "Việc ba"
    lead: $8
    output: Văn bản
    due: "Ngày 12/12/2025"
    status: in_progress
    progress: $9
  - id: "4"
    title: "Việc bốn"
    lead: Sở Nội vụ
    output: Văn bản
    due: "Năm 2026"
    status: ${10}
${11}---
Nội dung kế hoạch A.
MD
}
TASK5='  - id: "5"
    title: "Việc năm"
    lead: Sở Nội vụ
    output: Báo cáo
    due: "Quý II/2026"
'
# b: flow-style tasks (parsed whole each time)
plan_b() {
	mkdir -p "$(dirname "$R/content/plans/$1")"
	cat >"$R/content/plans/$1" <<MD
---
number: "2/KH-B"
title: "Kế hoạch B"
issuer: Sở Nội vụ
implements: [57-NQ/TW]
tasks:
  - { id: "1", title: "Việc của B", lead: Sở Nội vụ, output: x, due: "Quý I/2026", status: $2, progress: $3 }
---
MD
}
plan_c() {
	cat >"$R/content/plans/c.md" <<'MD'
---
number: "3/KH-C"
title: "Kế hoạch C"
tasks:
  - { id: "1", title: "Việc của C", lead: Sở Nội vụ, output: x, due: "Năm 2026" }
---
MD
}

plan_a a.md 71-NQ/CP "Việc một" in_progress 50 "Quý IV/2025" 10 "Sở Tài chính" 10 Hủy ""
plan_b b.md not_started 0
plan_c
as "Nguyễn Văn An" 2025-12-01T09:00:00+07:00 "Khởi tạo kế hoạch"
C1=$(rev HEAD)
plan_a a.md 71-NQ/CP "Việc một" done 100 "Quý I/2026" 10 "Sở Tài chính" 10 Hủy "$TASK5"
as "Trần Thị Bình" 2025-12-10T10:00:00+07:00 "Cập nhật tiến độ tuần 50"
C2=$(rev HEAD)
printf -- '---\nnumber: "1/KH-A"\ntitle: [chưa đóng\n---\n' >"$R/content/plans/a.md"
as "Lê Văn Cường" 2025-12-11T10:00:00+07:00 "Sửa nhầm cú pháp"
C3=$(rev HEAD)
plan_a a.md 71-NQ/CP "Việc một" done 100 "Quý I/2026" 10 "Sở Tài chính" 40 Hủy "$TASK5"
as "Lê Văn Cường" 2025-12-12T10:00:00+07:00 "Sửa lỗi cú pháp"
C4=$(rev HEAD)
# the same meaning in other spellings: Huỷ for Hủy, the canonical number
# for its alias, a unit name in other letter case
plan_a a.md 71/NQ-CP "Việc một" done 100 "Quý I/2026" 10 "sở tài chính" 40 Huỷ "$TASK5"
as "Nguyễn Văn An" 2025-12-15T10:00:00+07:00 "Chuẩn hóa chính tả"
C5=$(rev HEAD)
git -C "$R" mv content/plans/a.md content/plans/ke-hoach-a.md
as "Nguyễn Văn An" 2025-12-16T10:00:00+07:00 "Đổi tên tệp"
C6=$(rev HEAD)
mkdir -p "$R/content/plans/so-b"
git -C "$R" mv content/plans/b.md content/plans/so-b/b.md
as "Nguyễn Văn An" 2025-12-17T10:00:00+07:00 "Chuyển vào thư mục"
C7=$(rev HEAD)
mkdir -p "$R/content/plans/x"
git -C "$R" mv content/plans/ke-hoach-a.md content/plans/x/a2.md
plan_a x/a2.md 71/NQ-CP "Việc một (sửa tên)" done 100 "Quý I/2026" 10 "sở tài chính" 40 Huỷ "$TASK5"
as "Nguyễn Văn An" 2025-12-18T10:00:00+07:00 "Đổi tên và sửa"
C8=$(rev HEAD)
plan_b dup.md not_started 0
as "Nguyễn Văn An" 2025-12-18T12:00:00+07:00 "Thêm bản sao"
C9=$(rev HEAD)
rm "$R/content/plans/dup.md" "$R/content/plans/c.md"
as "Nguyễn Văn An" 2025-12-19T10:00:00+07:00 "Bỏ bản sao, gỡ kế hoạch C"
C10=$(rev HEAD)
git -C "$R" checkout -qb side
plan_b so-b/b.md in_progress 0
as "Phạm Dũng" 2025-12-20T10:00:00+07:00 "Nhánh phụ: trạng thái"
S1=$(rev HEAD)
plan_b so-b/b.md in_progress 30
as "Phạm Dũng" 2025-12-21T10:00:00+07:00 "Nhánh phụ: tiến độ"
S2=$(rev HEAD)
git -C "$R" checkout -q main
plan_a x/a2.md 71/NQ-CP "Việc một (sửa tên)" done 100 "Quý I/2026" 20 "sở tài chính" 40 Huỷ "$TASK5"
as "Nguyễn Văn An" 2025-12-20T15:00:00+07:00 "Việc trên nhánh chính"
M1=$(rev HEAD)
(cd "$R" && GIT_AUTHOR_NAME="Hoàng Yến" GIT_AUTHOR_DATE=2025-12-22T09:00:00+07:00 \
	GIT_COMMITTER_DATE=2025-12-22T09:00:00+07:00 git merge -q --no-ff side -m "Gộp nhánh phụ")
MERGE=$(rev HEAD)

O=$T/out
check "a build over a history with a broken commit succeeds (exit 0)" build_ok "$R" "$O"
# the head's task 1 is done with no completion date: that warning only
check "the broken commit is not an error of this build" bash -c "! grep -v 'a2.md:15:13: warning: \\[W016\\] nhiệm vụ 1 đã hoàn thành nhưng chưa có ngày hoàn thành' '$T/stderr' | grep -q ."
CJ=$O/du-lieu/changes.json
A=$O/ke-hoach/1-kh-a/index.html
# ch COMMIT PLAN FIELD [TASK]: the change's "from|to" in changes.json
ch() {
	python3 - "$CJ" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
commit, plan, field = sys.argv[2:5]
task = sys.argv[5] if len(sys.argv) > 5 else None
for e in d:
	if e["commit"] == commit and e["plan"] == plan:
		for c in e["changes"]:
			if c["field"] == field and c["task"] == task:
				print("%s|%s" % (c["from"], c["to"]))
PY
}
entries() { json "len([e for e in d if e['commit']=='$1'])" "$CJ"; }

# changes in words
check "status in words on the plan page" has "$A" "Nhiệm vụ 1 Việc một : trạng thái Đang thực hiện → Hoàn thành"
check "deadline in words" has "$A" "Nhiệm vụ 2 Việc hai : thời hạn Quý IV/2025 → Quý I/2026"
check "progress in words" has "$A" "Nhiệm vụ 3 Việc ba : tiến độ 10% → 40%"
check "a new task in words" has "$A" "Thêm nhiệm vụ 5"
check "the plan page's section is called Lịch sử thay đổi" has "$A" "Lịch sử thay đổi"
check "each change has its date (dd/mm/yyyy), author and subject" has "$A" "10/12/2025"
check "... the author" has "$A" "Trần Thị Bình"
check "... the subject" has "$A" "Cập nhật tiến độ tuần 50"
check "the commit is linked through repo_url" grep -qF "https://git.example.gov.vn/so/ke-hoach/commit/$C2" "$A"
check "changes.json: status normalised to ids" test "$(ch "$C2" 1/KH-A status 1)" = "in_progress|done"
check "changes.json: progress as numbers" test "$(ch "$C2" 1/KH-A progress 1)" = "50|100"
check "changes.json: deadline as written" test "$(ch "$C2" 1/KH-A due 2)" = "Quý IV/2025|Quý I/2026"
check "changes.json: added task" test "$(ch "$C2" 1/KH-A added 5)" = "None|Việc năm"
check "changes.json: the first commit adds the plan" test "$(ch "$C1" 1/KH-A added)" = "None|Kế hoạch A"

# a broken commit in the middle
check "the broken commit is listed, flagged broken, with its error" \
	test "$(json "[(e['plan'], e['broken'], 'error' in e['error']) for e in d if e['commit']=='$C3']" "$CJ")" = "[('1/KH-A', True, True)]"
check "the plan page shows the broken commit" grep -q 'class="change change-broken"' "$A"
check "after the fix, only what really changed since the last good version" \
	test "$(json "[(c['task'], c['field']) for e in d if e['commit']=='$C4' for c in e['changes']]" "$CJ")" = "[('3', 'progress')]"

# spelling that means the same is no change
check "Hủy → Huỷ, 71-NQ/CP → 71/NQ-CP, a unit's letter case: no change" test "$(entries "$C5")" = 0

# renames and moves keep the history
check "a rename (git mv) is a move, nothing else" \
	test "$(json "[(c['field'], c['from'], c['to']) for e in d if e['commit']=='$C6' for c in e['changes']]" "$CJ")" = "[('moved', 'content/plans/a.md', 'content/plans/ke-hoach-a.md')]"
check "a pure move to a subfolder keeps the plan" test "$(ch "$C7" 2/KH-B moved)" = "content/plans/b.md|content/plans/so-b/b.md"
check "a rename with an edit: moved and the edit" \
	test "$(json "sorted(c['field'] for e in d if e['commit']=='$C8' for c in e['changes'])" "$CJ")" = "['moved', 'title']"
check "the renamed plan's page still shows its first commit" grep -qF "$C1" "$A"

# two files claiming one number, and a removed plan
check "two files with one number are reported, not guessed" \
	test "$(json "[c['field'] for e in d if e['commit']=='$C9' for c in e['changes']]" "$CJ")" = "['duplicate']"
check "a removed plan" test "$(ch "$C10" 3/KH-C removed)" = "Kế hoạch C|None"

# a merge: first parent only
check "side-branch commits are not listed" test "$(entries "$S1")|$(entries "$S2")" = "0|0"
check "the side branch's changes show once, at the merge" \
	test "$(json "sorted((c['field'], c['to']) for e in d if e['commit']=='$MERGE' for c in e['changes'])" "$CJ")" = "[('progress', 30), ('status', 'in_progress')]"
check "the merge's author and subject" \
	test "$(json "[(e['author'], e['subject']) for e in d if e['commit']=='$MERGE']" "$CJ")" = "[('Hoàng Yến', 'Gộp nhánh phụ')]"
check "the main line's own commit before the merge" test "$(ch "$M1" 1/KH-A progress 2)" = "10|20"

# changes.json's shape
check "changes.json: newest first, every field present" python3 - "$CJ" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(d, list) and d
keys = {"commit", "date", "author", "subject", "plan", "changes"}
for e in d:
	assert keys <= set(e), e
	assert len(e["commit"]) == 40
	for c in e["changes"]:
		assert set(c) == {"task", "task_title", "field", "from", "to"}, c
assert [e["time"] for e in d] == sorted((e["time"] for e in d), reverse=True)
PY

# the Atom feed
F=$O/thay-doi/atom.xml
check "the feed is Atom 1.0 with id, title, updated and a self link" python3 - "$F" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"a": "http://www.w3.org/2005/Atom"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2005/Atom}feed", root.tag
for k in ("id", "title", "updated"):
	assert (root.findtext("a:" + k, namespaces=ns) or "").strip(), k
assert any(l.get("rel") == "self" and l.get("href") == "https://example.gov.vn/thay-doi/atom.xml"
           for l in root.findall("a:link", ns))
entries = root.findall("a:entry", ns)
assert 0 < len(entries) <= 100
ids = [e.findtext("a:id", namespaces=ns) for e in entries]
assert len(set(ids)) == len(ids)
for e in entries:
	for k in ("id", "title", "updated"):
		assert (e.findtext("a:" + k, namespaces=ns) or "").strip(), k
	assert e.find("a:author/a:name", ns) is not None
	assert e.find("a:link", ns).get("href").startswith("https://example.gov.vn/")
	assert e.find("a:content", ns).get("type") == "html"
assert root.findtext("a:updated", namespaces=ns) == entries[0].findtext("a:updated", namespaces=ns) == "2025-12-22T09:00:00+07:00"
assert entries[0].findtext("a:id", namespaces=ns).startswith("urn:plansite:change:")
PY
check "the feed's summary is in words" grep -qF "trạng thái" "$F"
O2=$T/out2
build_ok "$R" "$O2"
check "entry ids are the same in a second build" \
	test "$(grep -o '<id>[^<]*</id>' "$F" | md5sum)" = "$(grep -o '<id>[^<]*</id>' "$O2/thay-doi/atom.xml" | md5sum)"
check "the same commit builds byte-identical history pages" \
	diff -r "$O/thay-doi" "$O2/thay-doi" >/dev/null

# /thay-doi/ and the home page
check "/thay-doi/ lists the changes" has "$O/thay-doi/index.html" "Gộp nhánh phụ"
check "the home page shows recent changes" grep -q 'class="change' "$O/index.html"

# the weekly report of 2025-W50 (8-14/12/2025)
W=$O/bao-cao-tuan/2025-W50/index.html
check "weekly reports: one per week with changes, and an index" \
	test -f "$W" -a -f "$O/bao-cao-tuan/index.html" -a -f "$O/bao-cao-tuan/2025-W49/index.html"
check "no report for a week without changes" test ! -e "$O/bao-cao-tuan/2025-W48"
check "the index links the week" grep -qF "/bao-cao-tuan/2025-W50/" "$O/bao-cao-tuan/index.html"
# wk SECTION: the task titles in a section of the report (its h3 and table)
wk() {
	python3 - "$W" "$1" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
cls = sys.argv[2]
out = []
for m in re.finditer(r'<table class="[^"]*\b%s\b[^"]*">(.*?)</table>' % cls, s, re.S):
	out += re.findall(r'class="task-title"[^>]*>(?:<a [^>]*>)?([^<]+)', m.group(1))
print("|".join(out))
PY
}
check "completed this week: task 1 (as it was called then)" test "$(wk week-completed)" = "Việc một"
check "became overdue this week: task 3 (due 12/12, not done)" test "$(wk week-overdue)" = "Việc ba"
check "new this week: task 5" test "$(wk week-added)" = "Việc năm"
check "deadline changed this week: task 2, with old and new" \
	test "$(wk week-due-changed)" = "Việc hai" -a -n "$(grep -F 'Quý IV/2025' "$W")"
check "grouped by lead unit" python3 - "$W" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
secs = re.findall(r'<section class="block week-unit" id="([^"]+)".*?<h2[^>]*>(.*?)</h2>(.*?)</section>', s, re.S)
names = {re.sub(r"<[^>]+>", "", h).strip(): body for _, h, body in secs}
assert "Sở Tài chính" in names and "Sở Nội vụ" in names, names.keys()
assert "Việc ba" in names["Sở Tài chính"] and "Việc hai" in names["Sở Nội vụ"]
PY
check "a week without that task's completion does not list it" test -z "$(W=$O/bao-cao-tuan/2025-W51/index.html wk week-completed)"

# a commit dated back into a week already reported (a clock set wrong)
# adds to that week's lists and keeps what they held
RW=$T/resumed
newrepo "$RW"
resumed_plan() {
	cat >"$RW/content/plans/kh.md" <<MD
---
number: "9/KH-UBND"
title: Kế hoạch tuần
tasks:
  - { id: "1", title: Việc đầu, lead: Sở Nội vụ, due: 31/12/2026, status: $1 }
  - { id: "2", title: Việc sau, lead: Sở Nội vụ, due: 31/12/2026, status: $2 }
  - { id: "3", title: Việc khác, lead: Sở Nội vụ, due: 31/12/2026, progress: $3 }
---
MD
}
resumed_plan not_started not_started 0
commit "$RW" "2025-12-01T09:00:00+07:00" "Ban hành"
resumed_plan done not_started 0
commit "$RW" "2025-12-09T09:00:00+07:00" "Xong việc đầu"
resumed_plan done not_started 50
commit "$RW" "2025-12-16T09:00:00+07:00" "Tuần sau"
resumed_plan done done 50
commit "$RW" "2025-12-11T09:00:00+07:00" "Ngày lùi về tuần trước"
build_ok "$RW" "$T/resumed-out"
check "a week resumed by a commit dated back lists what it had and what was added" \
	test "$(W=$T/resumed-out/bao-cao-tuan/2025-W50/index.html wk week-completed)" = "Việc đầu|Việc sau"

# charts
check "the plan page has a chart: inline SVG, role=img, aria-label, title" python3 - "$A" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<svg[^>]*role="img"[^>]*aria-label="[^"]+"[^>]*>\s*<title>[^<]+</title>', s)
assert m, "no accessible svg"
assert re.search(r"<table[^>]*>\s*<caption>[^<]+</caption>.*?<td><time[^>]*>\d\d/\d\d/\d{4}</time></td><td>\d+%</td>", s, re.S)
PY
check "the chart follows percent done over commits" python3 - "$A" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r"<td><time datetime=\"([\d-]+)\">[^<]*</time></td><td>(\d+)%</td>", s)
# task 4 is cancelled: done / (all - cancelled) = 1/4 once task 1 is done
assert rows[0] == ("2025-12-01", "0") and ("2025-12-10", "25") in rows, rows
PY
check "a document's chart rolls up its plans" grep -q '<svg[^>]*role="img"' "$O/van-ban/71-nq-cp/index.html"

# a shallow clone
S=$T/shallow
git clone -q --depth 3 "file://$R" "$S"
OS=$T/out-shallow
check "a shallow clone builds" build_ok "$S" "$OS"
check "/thay-doi/ says where the history starts" has "$OS/thay-doi/index.html" "lịch sử chỉ bắt đầu từ lần cập nhật ngày"
check "the plan's history says it too" has "$OS/ke-hoach/1-kh-a/index.html" "shallow clone"
check "the boundary is a starting point, not a commit adding every plan" \
	test "$(json "len([c for e in d for c in e['changes'] if c['field']=='added'])" "$OS/du-lieu/changes.json")" = 0
check "the commits after the boundary are there" \
	test "$(json "sorted(e['subject'] for e in d)" "$OS/du-lieu/changes.json")" = "['Gộp nhánh phụ', 'Việc trên nhánh chính']"

# --worktree: the history still comes from Git
echo "# nháp" >>"$R/content/plans/x/a2.md"
OW=$T/out-wt
check "--worktree builds" build_ok "$R" "$OW" --worktree
check "--worktree: the history is HEAD's first-parent history" \
	test "$(json "len(d)" "$OW/du-lieu/changes.json")" = "$(json "len(d)" "$CJ")"

# pagination: 50 entries a page
P=$T/pages
newrepo "$P"
for i in $(seq 1 60); do
	cat >"$P/content/plans/p.md" <<MD
---
number: "9/KH-P"
title: "Kế hoạch P"
tasks:
  - { id: "1", title: "Việc", lead: Sở A, output: x, due: "Năm 2026", progress: $i }
---
MD
	commit "$P" "2025-11-01T08:$(printf %02d $((i % 60))):00+07:00" "Lần $i"
done
OP=$T/out-pages
check "60 updates build" build_ok "$P" "$OP"
check "/thay-doi/ has 50 entries, page 2 the other 10" \
	test "$(grep -c '<li class="change' "$OP/thay-doi/index.html")|$(grep -c '<li class="change' "$OP/thay-doi/trang/2/index.html")" = "50|10"
check "the pages link each other" grep -qF 'href="/thay-doi/trang/2/"' "$OP/thay-doi/index.html"

# the same history however Git stores the objects: loose (as committed),
# packed by git (for P, one file: its versions newest first), and written
# by fast-import (each version a delta of the one before it: oldest first);
# packed blobs are read in pack order, whichever way keeps each file's
# newer version before its older one
for repo in R P; do
	src=${!repo}
	# without the history cache: every version is parsed, as in the clones
	PLANSITE_HISTORY_CACHE=off PLANSITE_TIMING=1 build_ok "$src" "$T/lay-loose"
	nb() { sed -n 's/^history: .*(\([0-9]*\) parsed from a neighbour.*/\1/p' "$1"; }
	near=$(nb "$T/stderr")
	git clone -q --bare --no-local "$src" "$T/lay-git.git"
	git -C "$T/lay-git.git" repack -q -a -d -f
	git init -q --bare "$T/lay-fi.git"
	git -C "$src" fast-export --all --signed-tags=strip |
		git -C "$T/lay-fi.git" -c fastimport.unpackLimit=0 fast-import --quiet
	git -C "$T/lay-fi.git" symbolic-ref HEAD "$(git -C "$src" symbolic-ref HEAD)"
	check "$repo: the clones are packed, with no loose objects" test \
		"$(git -C "$T/lay-git.git" count-objects -v | grep -c '^count: 0')$(git -C "$T/lay-fi.git" count-objects -v | grep -c '^count: 0')" = 11
	for lay in git fi; do
		check "$repo ($lay): builds" env PLANSITE_TIMING=1 bash -c \
			'"$0" build --repo "$1" --out "$2" 2>"$2.err"' "$PLANSITE" "$T/lay-$lay.git" "$T/lay-$lay"
		check "$repo ($lay): the same site as from loose objects" diff -r "$T/lay-loose" "$T/lay-$lay"
		# in pack order a version whose newer neighbour is not read yet is
		# parsed from the version of its file read last (or whole): how
		# many are parsed from another may differ a little by layout, the
		# site may not
		got=$(nb "$T/lay-$lay.err")
		check "$repo ($lay): most versions parsed from a neighbour ($got, loose $near)" \
			test -n "$near" -a -n "$got" -a "$((4 * ${got:-0}))" -ge "$((3 * ${near:-1}))"
		grep -o 'in [a-z ]* order' "$T/lay-$lay.err" >>"$T/orders"
	done
	rm -rf "$T"/lay-*
done
check "blobs read in pack order" grep -qx 'in pack order' "$T/orders"
check "blobs read in reverse pack order" grep -qx 'in reverse pack order' "$T/orders"

# a file's 80 versions packed in delta chains (Git's depth: 50), by git
# repack and by fast-import: the history read from the packs, in whichever
# direction their chains run, gives the site the loose objects give
D=$T/deep
newrepo "$D"
for i in $(seq 1 80); do
	{
		printf -- '---\nnumber: "7/KH-D"\ntitle: "Kế hoạch D"\ntasks:\n'
		for k in $(seq 1 30); do
			printf '  - { id: "%d", title: "Việc %d", lead: Sở A, output: x, due: "Năm 2026", progress: %d }\n' \
				"$k" "$k" $(( k <= i % 30 ? i % 100 : 0 ))
		done
		printf -- '---\nLần %d.\n' "$i"
	} >"$D/content/plans/d.md"
	commit "$D" "2025-10-01T$(printf %02d $((i / 60 + 8))):$(printf %02d $((i % 60))):00+07:00" "Lần $i"
done
PLANSITE_HISTORY_CACHE=off build_ok "$D" "$T/deep-loose"
git clone -q --bare --no-local "$D" "$T/deep-git.git"
git -C "$T/deep-git.git" repack -q -a -d -f --depth=50
git init -q --bare "$T/deep-fi.git"
git -C "$D" fast-export --all --signed-tags=strip |
	git -C "$T/deep-fi.git" -c fastimport.unpackLimit=0 fast-import --quiet
git -C "$T/deep-fi.git" symbolic-ref HEAD "$(git -C "$D" symbolic-ref HEAD)"
for lay in git fi; do
	check "deep ($lay): packed" test -z "$(find "$T/deep-$lay.git/objects" -mindepth 1 -maxdepth 1 -name '[0-9a-f][0-9a-f]' -print -quit)"
	check "deep ($lay): builds" env PLANSITE_HISTORY_CACHE=off bash -c \
		'"$0" build --repo "$1" --out "$2" 2>"$2.err"' "$PLANSITE" "$T/deep-$lay.git" "$T/deep-$lay"
	check "deep ($lay): the same site as from loose objects" diff -r "$T/deep-loose" "$T/deep-$lay"
done

# one commit changing many tasks of one plan and a few of another: each
# entry keeps its own changes (the walk gathers them in one scratch,
# reused from entry to entry, and grows it past 16)
M=$T/many
newrepo "$M"
many() {   # many FILE NUMBER NTASKS STATUS_UP_TO: a plan, tasks 1..UP_TO done
	{
		printf -- '---\nnumber: "%s"\ntitle: "Kế hoạch %s"\ntasks:\n' "$2" "$2"
		for k in $(seq 1 "$3"); do
			printf '  - { id: "%d", title: "Việc %d", lead: Sở A, output: x, due: "Năm 2026", status: %s }\n' \
				"$k" "$k" "$([ "$k" -le "$4" ] && echo done || echo in_progress)"
		done
		printf -- '---\nNội dung.\n'
	} >"$M/content/plans/$1"
}
many m1.md 11/KH-M 30 0
many m2.md 12/KH-N 30 0
commit "$M" 2025-11-03T09:00:00+07:00 "Tạo"
many m1.md 11/KH-M 30 25
many m2.md 12/KH-N 30 2
commit "$M" 2025-11-04T09:00:00+07:00 "Cập nhật"
MC=$(git -C "$M" rev-parse HEAD)
build_ok "$M" "$T/many-out"
CJ=$T/many-out/du-lieu/changes.json
check "many changes: 25 status changes in the first plan's entry" \
	test "$(json "[len(e['changes']) for e in d if e['commit']=='$MC' and e['plan']=='11/KH-M']" "$CJ")" = "[25]"
check "many changes: the first plan's are its tasks 1..25, in order" \
	test "$(json "[c['task'] for e in d if e['commit']=='$MC' and e['plan']=='11/KH-M' for c in e['changes']] == [str(k) for k in range(1, 26)]" "$CJ")" = "true"
check "many changes: 2 in the second plan's entry, its own" \
	test "$(json "[(c['task'], c['field'], c['to']) for e in d if e['commit']=='$MC' and e['plan']=='12/KH-N' for c in e['changes']]" "$CJ")" = "[('1', 'status', 'done'), ('2', 'status', 'done')]"

finish
