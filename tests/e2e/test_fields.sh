#!/usr/bin/env bash
# test_fields.sh: a plain text field is one row of the table of fields
# (src/model_fields.c), one template cell (with its column head) and its
# strings.  A copy of the source tree gets exactly that for a task field
# `budget`, is built, and the field must then be parsed, accepted by
# `check --strict`, shown on the plan page (the table's width following),
# written to plans.json and tasks.csv, described on /du-lieu/, and tracked
# by the change history -- with no other file of the tree changed.
. "$(dirname "$0")/lib.sh"

TREE=$T/tree
mkdir -p "$TREE"
cp -r "$ROOT/src" "$ROOT/themes" "$ROOT/Makefile" "$TREE/"
# the objects already built, with their times: make rebuilds what the
# patch changes and what depends on it, nothing else
if [ -d "$ROOT/build/rel" ]; then
	mkdir -p "$TREE/build"
	cp -a "$ROOT/build/rel" "$ROOT/build/defs" "$TREE/build/" 2>/dev/null || true
fi
cp -r "$TREE" "$T/before"

# 1. one row of the table
python3 - "$TREE/src/model_fields.c" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
start = s.index("static const field_t task_rows[]")
end = s.index("\n};", start)
row = ('\n\t{ "budget", FIELD_TEXT, false, FIELD_EXTRA, 0, NULL, "budget", "(kinh phí dự kiến)", "budget", 15,'
       '\n\t  "Kinh phí dự kiến", 8, "chg_budget", true },')
open(p, "w", encoding="utf-8").write(s[:end] + row + s[end:])
PY
# 2. one template cell, and its column's head
sed -i 's|{{>task_due}}|<td data-label="{{t.col_budget}}">{{budget}}</td>\n{{>task_due}}|' \
	"$TREE/themes/default/templates/task_cells.mustache"
sed -i 's|<th scope="col">{{t.col_due}}</th>|<th scope="col">{{t.col_budget}}</th>&|' \
	"$TREE/themes/default/templates/task_table_head.mustache"
# 3. its strings
printf 'col_budget: "Kinh phí"\nchg_budget: "kinh phí"\n' >>"$TREE/themes/default/strings/vi.yaml"
printf 'col_budget: "Budget"\nchg_budget: "budget"\n' >>"$TREE/themes/default/strings/en.yaml"

{ diff -rq -x build "$T/before" "$TREE" || true; } | sed "s|$T/before/||; s| and .*||; s|^Files ||" | sort >"$T/touched"
printf '%s\n' src/model_fields.c themes/default/strings/en.yaml themes/default/strings/vi.yaml \
	themes/default/templates/task_cells.mustache themes/default/templates/task_table_head.mustache \
	>"$T/expected"
check "adding budget touches one row, one cell and its head, and the strings" diff "$T/expected" "$T/touched"

check "the tree with budget builds" bash -c "make -s -C '$TREE' -j2 plansite >'$T/make.out' 2>&1 || { cat '$T/make.out'; false; }"
BUDGET=$TREE/plansite

R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
P=$R/content/plans/44-kh-ubnd.md
sed -i '0,/    source: "Thông báo số 14-TB\/TGV ngày 21\/4\/2025"/s//&\n    budget: "50 triệu đồng, <b>ngân sách<\/b> \\"tỉnh\\""/' "$P"
check "the plan carries a budget" grep -q 'budget: "50 triệu' "$P"
commit "$R" "2025-12-01T09:00:00+07:00" "Thêm kinh phí"
sed -i 's/budget: "50 triệu đồng/budget: "60 triệu đồng/' "$P"
commit "$R" "2025-12-15T17:00:00+07:00" "Điều chỉnh kinh phí"

rc=0
"$PLANSITE" check --strict --repo "$R" >"$T/strict-old" 2>&1 || rc=$?
check "without the row, check --strict warns of an unknown key budget" grep -q 'W010.*"budget"' "$T/strict-old"
"$BUDGET" check --strict --repo "$R" >"$T/strict" 2>&1 || true
check "with the row, check --strict knows budget" bash -c "! grep -q '\"budget\"' '$T/strict'"

O=$T/out
check "the portal builds with budget" bash -c "'$BUDGET' build --repo '$R' --out '$O' 2>'$T/stderr' || { cat '$T/stderr'; false; }"
PAGE=$O/ke-hoach/44-kh-ubnd/index.html
check "the plan page shows the budget in its own cell, escaped" \
	grep -qF '<td data-label="Kinh phí">60 triệu đồng, &lt;b&gt;ngân sách&lt;/b&gt; &quot;tỉnh&quot;</td>' "$PAGE"
check "... under its column head" grep -qF '<th scope="col">Kinh phí</th>' "$PAGE"
check "... and full-width rows span the eight columns" grep -q 'colspan="8"' "$PAGE"
check "... where the tree without budget spans seven" bash -c "'$PLANSITE' build --repo '$R' --out '$T/old' 2>/dev/null && grep -q 'colspan=\"7\"' '$T/old/ke-hoach/44-kh-ubnd/index.html' && ! grep -q 'colspan=\"8\"' '$T/old/ke-hoach/44-kh-ubnd/index.html'"

check "plans.json has the budget of the task, null for the others" python3 - "$O/du-lieu/plans.json" <<'PY'
import json, sys
plans = json.load(open(sys.argv[1], encoding="utf-8"))
tasks = [t for p in plans for t in p["tasks"]]
got = [t["budget"] for t in tasks if t["budget"] is not None]
assert got == ['60 triệu đồng, <b>ngân sách</b> "tỉnh"'], got
assert all("budget" in t for t in tasks)
assert list(tasks[0])[-1] == "budget", list(tasks[0])   # new keys go last
PY
check "tasks.csv has a budget column, last, with the value" python3 - "$O/du-lieu/tasks.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][-1] == "budget", rows[0]
vals = [r[-1] for r in rows[1:] if r[-1]]
assert vals == ['60 triệu đồng, <b>ngân sách</b> "tỉnh"'], vals
PY
check "/du-lieu/ describes the column and the plans.json key" python3 - "$O/du-lieu/index.html" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
csv_sec = re.search(r'<section id="f-tasks.csv".*?</section>', page, re.S).group(0)
assert re.search(r'<code>budget</code></th><td>Kinh phí dự kiến</td>', csv_sec), "csv column"
js = re.search(r'<section id="f-plans.json".*?</section>', page, re.S).group(0)
tasks = re.search(r'<code>tasks</code></th><td>(.*?)</td>', js, re.S).group(1)
assert "budget (kinh phí dự kiến)" in html.unescape(tasks), tasks
PY
check "changes.json records the budget's change" python3 - "$O/du-lieu/changes.json" <<'PY'
import json, sys
ch = [c for e in json.load(open(sys.argv[1], encoding="utf-8")) for c in e["changes"]]
b = [c for c in ch if c["field"] == "budget"]
assert len(b) == 1 and b[0]["task"] == "1" and b[0]["from"].startswith("50 triệu") \
    and b[0]["to"].startswith("60 triệu"), b
PY
check "the history pages name it with its string" \
	grep -qF 'kinh phí <span class="from">50 triệu đồng' "$O/thay-doi/index.html"
check "every key of the data files is described, budget too (test_data_fields.sh's check)" \
	python3 "$ROOT/tests/e2e/data_fields.py" "$O"
finish
