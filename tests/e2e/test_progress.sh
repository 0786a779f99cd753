#!/usr/bin/env bash
# test_progress.sh: deadlines, statuses and roll-ups in the open data of a
# real repository built at two as-of dates; the as-of date's time zone;
# check's warnings about progress.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, title: "Nghị quyết" }
- { number: 71/NQ-CP, title: "Chương trình", implements: [57-NQ/TW] }
YAML
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-A"
title: "Kế hoạch A"
implements: [71/NQ-CP, 57-NQ/TW]
tasks:
  - { id: "1", title: "Hạn 15/12", lead: Sở A, output: x, due: "Ngày 15/12/2025", status: in_progress, progress: 50 }
  - { id: "2", title: "Quý I", lead: Sở A, output: x, due: "Quý I /2026", status: not_started }
  - { id: "3", title: "Xong muộn", lead: Sở B, output: x, due: "Tháng 11/2025", status: Hoàn thành, completed: 2025-12-02 }
  - { id: "4", title: "Hủy", lead: Sở B, output: x, due: "Năm 2025", status: Huỷ }
  - { id: "5", title: "Thường xuyên", lead: Sở B, output: x, due: "Thường xuyên", status: in_progress }
  - { id: "6", title: "Ghi đè", lead: Sở B, output: "x, \"y\"", due: "Khi có yêu cầu", due_date: 2025-12-01, status: not_started }
---
MD
cat >"$R/content/plans/b.md" <<'MD'
---
number: "2/KH-B"
title: "Kế hoạch B"
implements: [1/KH-A]
tasks:
  - { id: "1", title: "Việc B", lead: Sở A, output: x, due: "Quý IV/2025", status: done, completed: 2025-10-01 }
---
MD
# committed late on 31/12 in UTC-5: already 1/1/2026 in UTC, still 31/12 where it was made
commit "$R" "2025-12-31T23:30:00-05:00" "Dữ liệu"

O1=$T/o1 O2=$T/o2
build_ok "$R" "$O1" --as-of 2025-12-15
build_ok "$R" "$O2" --as-of 2025-12-16
J1=$O1/du-lieu/plans.json J2=$O2/du-lieu/plans.json
t() { json "[t for p in d if p['number']=='1/KH-A' for t in p['tasks'] if t['id']=='$2'][0]$3" "$1"; }

check "the deadline day itself is on time" test "$(t "$J1" 1 "['overdue']")" = false
check "the day after, it is overdue" test "$(t "$J2" 1 "['overdue']")" = true
check "'Quý I /2026' with its stray space is 31/03/2026" test "$(t "$J1" 2 "['due']['date']")" = 2026-03-31
check "due keeps its text as written" test "$(t "$J1" 2 "['due']['text']")" = "Quý I /2026"
check "done after the deadline is done late, and not overdue" test "$(t "$J1" 3 "['done_late']")|$(t "$J1" 3 "['overdue']")" = "true|false"
check "Huỷ (old tone placement) is cancelled, never overdue" test "$(t "$J1" 4 "['status']")|$(t "$J1" 4 "['overdue']")" = "cancelled|false"
check "Thường xuyên is ongoing with no date" test "$(t "$J1" 5 "['due']")" = "{'text': 'Thường xuyên', 'date': None, 'ongoing': True}"
check "due_date overrides the parse" test "$(t "$J1" 6 "['due']['date']")|$(t "$J1" 6 "['overdue']")" = "2025-12-01|true"
check "stats at 15/12: 6 tasks, 1 done, 1 cancelled, 20% done, 1 overdue" \
	test "$(json "[p for p in d if p['number']=='1/KH-A'][0]['stats']" "$J1")" = "{'total': 6, 'done': 1, 'in_progress': 2, 'not_started': 2, 'cancelled': 1, 'overdue': 1, 'done_late': 1, 'percent_done': 20}"
check "stats at 16/12: 2 overdue" test "$(json "[p for p in d if p['number']=='1/KH-A'][0]['stats']['overdue']" "$J2")" = 2
check "as_of is recorded" test "$(json "d[0]['as_of']" "$J2")" = 2025-12-16
check "roll-up: 57-NQ/TW counts plan A's 6 and plan B's 1 task once, though A is reached twice" \
	test "$(json "[x for x in d if x['number']=='57-NQ/TW'][0]['stats']['total']" "$O1/du-lieu/documents.json")" = 7

O3=$T/o3
build_ok "$R" "$O3"
check "as-of is the committer date in the commit's own time zone" test "$(json "d[0]['as_of']" "$O3/du-lieu/plans.json")" = 2025-12-31
check "every page states its as-of date" grep -q "31/12/2025" "$O3/ke-hoach/1-kh-a/index.html" "$O3/index.html" "$O3/thoi-han/index.html"

C=$O1/du-lieu/tasks.csv
check "tasks.csv starts with a UTF-8 byte-order mark" test "$(head -c3 "$C" | od -An -tx1 | tr -d ' ')" = efbbbf
check "tasks.csv header" bash -c "sed -n 1p '$C' | tr -d '\r' | sed 's/^\xEF\xBB\xBF//' | grep -qx 'plan,task_id,title,lead,support,output,due_text,due_date,status,overdue,progress'"
check "tasks.csv quotes per RFC 4180 and uses CRLF" bash -c "grep -q '\"x, \"\"y\"\"\"' '$C' && test \$(grep -c \$'\r\$' '$C') = 8"
check "tasks.csv parses back with 7 tasks" test "$(python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig',newline=''))); print(len(r), r[0]['due_date'], r[0]['overdue'], r[5]['output'])" "$C")" = '7 2025-12-15 false x, "y"'
check "units.json and documents.json are valid JSON arrays" bash -c "python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' '$O1/du-lieu/units.json' '$O1/du-lieu/documents.json'"
check "the data page describes each file" bash -c "grep -q 'tasks.csv' '$O1/du-lieu/index.html' && grep -q 'percent_done' '$O1/du-lieu/index.html'"

D=$O2/thoi-han/index.html
check "deadlines page lists overdue tasks oldest first" bash -c "grep -o 'Ghi đè\|Hạn 15/12' '$D' | head -2 | tr '\n' '|' | grep -qx 'Ghi đè|Hạn 15/12|'"

# check warns about progress and completion
cat >"$R/content/plans/c.md" <<'MD'
---
number: "3/KH-C"
title: "Cảnh báo"
tasks:
  - { id: "1", title: "a", lead: X, output: x, due: "Năm 2025", progress: 120 }
  - { id: "2", title: "b", lead: X, output: x, due: "Năm 2025", status: in_progress, completed: 2025-01-01 }
  - { id: "3", title: "c", lead: X, output: x, due: "Năm 2025", status: done, progress: 80 }
  - { id: "4", title: "d", lead: X, output: x, due: "sớm nhất có thể" }
  - { id: "5", title: "e" }
---
MD
commit "$R" "2026-01-02T09:00:00+07:00" "Cảnh báo"
ps check --repo "$R" 2>"$T/err" || true
check "progress outside 0..100 warns" grep -q 'c.md:5:.*warning: \[W011\] progress 120 nằm ngoài khoảng 0..100' "$T/err"
check "completed without done warns" grep -q 'c.md:6:.*warning: \[W013\] nhiệm vụ 2 có ngày hoàn thành nhưng chưa ở trạng thái hoàn thành' "$T/err"
check "done with progress below 100 warns" grep -q 'c.md:7:.*warning: \[W014\] nhiệm vụ 3 đã hoàn thành nhưng tiến độ là 80%' "$T/err"
check "an unknown deadline form warns at its place" grep -q 'c.md:8:[0-9]*: warning: \[W012\] thời hạn "sớm nhất có thể" không đọc được thành ngày' "$T/err"
check "\"5 rõ\": one summary line for the plan, at its first line" grep -q '^content/plans/c.md:1:1: warning: \[W050\] 2/5 nhiệm vụ chưa đủ "5 rõ"; số nhiệm vụ thiếu: rõ người (lead) 1, rõ kết quả (output) 1, rõ thời gian (due: một hạn có ngày, hoặc Thường xuyên) 2 — gợi ý: chạy "plansite check --verbose"' "$T/err"
check "\"5 rõ\": no task-by-task lines without --verbose" bash -c "! grep -q 'W051' '$T/err'"
ps check --repo "$R" --verbose 2>"$T/err" || true
check "\"5 rõ\" --verbose: a task without lead, output or deadline is listed" grep -q 'c.md:9:5: warning: \[W051\] nhiệm vụ 5 chưa đủ "5 rõ": thiếu rõ người (lead), rõ kết quả (output), rõ thời gian' "$T/err"
check "\"5 rõ\" --verbose: and the task with an unknown deadline" grep -q 'c.md:8:5: warning: \[W051\] nhiệm vụ 4 chưa đủ "5 rõ": thiếu rõ thời gian' "$T/err"
check "\"5 rõ\" --verbose: no summary line" bash -c "! grep -q 'W050' '$T/err'"

finish
