#!/usr/bin/env bash
# test_cells.sh: the cells of a task (deadline, status, units) are rendered
# once per build and reused on every page that shows the task, and only
# where that cannot change what a page shows: a theme's partial that reads
# a name from outside the task row still shows each page's own value.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: so-a, name: Sở A, kind: agency }
- { id: so-b, name: Sở B, kind: agency }
YAML
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-A"
title: "Kế hoạch A"
issuer: Sở A
date: 2025-03-12
tasks:
  - { id: "1", title: "Việc một", lead: Sở A, support: Sở B, output: x, due: "Ngày 01/12/2025", status: in_progress, progress: 40 }
  - { id: "2", title: "Việc hai", lead: [Sở A, Sở B], output: x, due: "Ngày 05/11/2025", status: not_started }
  - { id: "3", title: "Việc ba", lead: Sở B, output: x, due: "Năm 2026", status: done, completed: 2025-09-30 }
---
MD
commit "$R" "2025-11-20T10:00:00+07:00" "Kế hoạch A"

# the default theme: cells rendered once, reused on the other pages
PLANSITE_TIMING=1 build_ok "$R" "$T/out1"
line=$(grep -o 'task cells .*' "$T/stderr" || true)
rendered=$(echo "$line" | sed -n 's/task cells *\([0-9]*\) rendered once.*/\1/p')
reused=$(echo "$line" | sed -n 's/.*, \([0-9]*\) reused$/\1/p')
check "the timing names the cells rendered once and reused ($line)" test -n "$rendered" -a -n "$reused"
check "cells are rendered once a task and reused on later pages" test "${reused:-0}" -gt "${rendered:-0}"
# the same cell bytes on the plan page and on the unit and deadlines pages
cell() { python3 - "$1" "$2" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<td class="status"[^>]*>.*?</td>', html[html.index(sys.argv[2]):], re.S)
print(m.group(0) if m else "")
PY
}
plan=$(cell "$T/out1/ke-hoach/1-kh-a/index.html" "Việc một")
unit=$(cell "$T/out1/don-vi/so-b/index.html" "Việc một")
check "the status cell of task 1 shows its progress" grep -q 'value="40"' <<<"$plan"
check "the unit page shows the plan page's status cell of task 1" test "$plan" = "$unit"

# a theme's status cell that names the page (outside the row) is rendered
# on each page, with that page's title; one that reads only the task is
# reused and still right on every page
mkdir -p "$R/content/templates"
printf '<td class="status">{{status}} @ {{page.title}}</td>' >"$R/content/templates/task_status.mustache"
printf '<td class="due">{{due.text}} #{{id}}{{#lead}} [{{name}}]{{/lead}}</td>' >"$R/content/templates/task_due.mustache"
commit "$R" "2025-11-20T11:00:00+07:00" "Giao diện riêng"
PLANSITE_TIMING=1 build_ok "$R" "$T/out2"
planp=$T/out2/ke-hoach/1-kh-a/index.html
unitp=$T/out2/don-vi/so-b/index.html
check "plan page: the status cell names the plan page" grep -q '<td class="status">in_progress @ Kế hoạch 1/KH-A</td>' "$planp"
check "unit page: the same task's status cell names the unit page" grep -q '<td class="status">in_progress @ Sở B</td>' "$unitp"
check "unit page: no status cell with the plan page's title" bash -c "! grep -q '@ Kế hoạch 1/KH-A' '$unitp'"
check "plan page: the due cell of task 2 lists both leads" grep -q '<td class="due">Ngày 05/11/2025 #2 \[Sở A\] \[Sở B\]</td>' "$planp"
check "unit page: the same due cell" grep -q '<td class="due">Ngày 05/11/2025 #2 \[Sở A\] \[Sở B\]</td>' "$unitp"
line=$(grep -o 'task cells .*' "$T/stderr" || true)
reused2=$(echo "$line" | sed -n 's/.*, \([0-9]*\) reused$/\1/p')
check "the theme's due cell is still reused ($line)" test "${reused2:-0}" -gt 0
finish
