#!/usr/bin/env bash
# test_pager.sh: every paginated list (deadlines, status lists, a unit's
# pages, the changes) has the one windowed pager: each page links to a few
# pages of its list, never to all of them, and every page is reachable by
# following those links.
. "$(dirname "$0")/lib.sh"

R=$T/repo
O=$T/out
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: so-p, name: Sở P, kind: agency }
YAML
# 5 plans of 970 open tasks: 4,850 rows, 13 deadlines pages of 400; one in
# ten overdue (2 pages of qua-han)
python3 - "$R/content/plans" <<'PY'
import sys
for p in range(5):
    with open(f"{sys.argv[1]}/lon-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nid: lon-{p}\ntitle: \"Kế hoạch lớn {p}\"\nissuer: Sở P\ndate: 2025-01-0{p + 1}\ntasks:\n")
        for i in range(970):
            year = 2025 if i % 10 == 0 else 2026
            f.write(f"  - {{ id: \"{i + 1}\", title: \"Việc {p}-{i + 1}\", lead: Sở P, output: x, "
                    f"due: \"Ngày {i % 28 + 1:02d}/{i % 12 + 1:02d}/{year}\" }}\n")
        f.write("---\n")
PY
# small plans that change together: 9 plans x 41 commits = 369+ change
# entries, 8 /thay-doi/ pages of 50
small() { # N PROGRESS
	cat >"$R/content/plans/nho-$1.md" <<MD
---
id: nho-$1
title: "Kế hoạch nhỏ $1"
issuer: Sở P
date: 2025-02-01
tasks:
  - { id: "1", title: "Việc nhỏ $1", lead: Sở P, output: x, due: "Năm 2026", status: in_progress, progress: $2 }
---
MD
}
for n in 1 2 3 4 5 6 7 8 9; do small $n 1; done
commit "$R" "2025-03-01T10:00:00+07:00" "Thêm kế hoạch"
for c in $(seq 2 41); do
	for n in 1 2 3 4 5 6 7 8 9; do small $n "$c"; done
	commit "$R" "2025-03-$(printf %02d $(( (c - 1) % 28 + 1 )))T1$(( c % 10 )):00:00+07:00" "Cập nhật tiến độ $c"
done
(cd "$R" && GIT_COMMITTER_DATE="2025-12-15T17:00:00+07:00" GIT_AUTHOR_DATE="2025-12-15T17:00:00+07:00" \
	git commit -q --allow-empty -m "Chốt")

check "the site builds" build_ok "$R" "$O"

# LIST_DIR MIN_PAGES: the pages of the list at /LIST_DIR, their pagers
# checked one by one, and a walk over their links from the first page
pager_ok() { python3 "$ROOT/tests/e2e/pagercheck.py" "$O" "$1" "$2"; }
check "/thoi-han/: 12 pages or more, each linking to at most 9, all reachable" pager_ok thoi-han/ 12
check "/thoi-han/tat-ca/ has the same pager" pager_ok thoi-han/tat-ca/ 12
check "/thoi-han/chua-thuc-hien/ has the same pager" pager_ok thoi-han/chua-thuc-hien/ 12
check "/thoi-han/qua-han/ has the same pager" pager_ok thoi-han/qua-han/ 2
check "a unit's pages have the same pager" pager_ok don-vi/so-p/ 12
check "/thay-doi/ has the same pager" pager_ok thay-doi/ 8
check "a middle deadlines page shows the first, the window and the last" python3 - "$O/thoi-han/trang/7/index.html" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
nav = re.search(r'<nav class="pager".*?</nav>', h, re.S).group(0)
items = re.findall(r'<li>(?:<a href="[^"]*"(?: rel="(?:prev|next)")?>|<span[^>]*>)([^<]+)<', nav)
assert items[1:-1] == ["1", "…", "5", "6", "7", "8", "9", "…", "13"], items
PY
# the same lists moved by permalinks: the pagers follow, and every address
# of the site is still a file of it
cat >>"$R/content/site.yaml" <<'YAML'
permalinks:
  deadlines: /han/
  units: /co-quan/don-vi/
  changes: /nhat-ky/
YAML
commit "$R" "2025-12-15T18:00:00+07:00" "Đổi địa chỉ"
O=$T/moved
check "the site builds with permalinks" build_ok "$R" "$O"
check "/han/ (moved deadlines): the same pager" pager_ok han/ 12
check "/han/qua-han/ (a moved status list): the same pager" pager_ok han/qua-han/ 2
check "a moved unit's pages: the same pager" pager_ok co-quan/don-vi/so-p/ 12
check "/nhat-ky/ (moved changes): the same pager" pager_ok nhat-ky/ 8
check "no broken address with the lists moved" python3 "$ROOT/tests/e2e/linkcheck.py" "$O" https://example.gov.vn/

finish
