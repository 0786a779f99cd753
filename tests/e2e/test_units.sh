#!/usr/bin/env bash
# test_units.sh: unit pages and units.json tell the whole truth (figures
# with sub-units, each task once; plans issued; overdue first; pages),
# overdue is actionable (days late, home list, status lists, chips), every
# page has its own identity, the footer's legal details, and the history
# reads as news (titles, one line for done, weeks agree with the home).
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >>"$R/content/site.yaml" <<'YAML'
description: "Cổng thử nghiệm các đơn vị"
agency: "Ủy ban nhân dân tỉnh Thử"
editor: "Nguyễn Văn Biên"
address: "Số 1 đường Thử"
phone: "+84 (208) 123 456"
email: "bientap@thu.gov.vn"
license: "Giấy phép số 12/GP-TTĐT"
data_license: "CC BY 4.0"
data_license_url: "https://creativecommons.org/licenses/by/4.0/"
YAML
cat >"$R/content/units.yaml" <<'YAML'
- { id: ubnd, name: UBND tỉnh Thử, kind: agency }
- { id: so-a, name: Sở A, parent: ubnd, kind: agency }
- { id: so-b, name: Sở B, parent: ubnd, kind: agency }
- { id: phong-c, name: Phòng C, parent: so-a, kind: department }
- { id: so-x, name: Sở X, kind: agency }
- { id: so-z, name: Sở Z, kind: agency }
YAML
# issued by UBND, no number, no short_title: named by type, issuer and date
cat >"$R/content/plans/ubnd.md" <<'MD'
---
id: ke-hoach-ubnd
title: "Kế hoạch chuyển đổi số"
issuer: UBND tỉnh Thử
date: 2025-03-12
tasks:
  - { id: "1", title: "Việc hai sở cùng chủ trì", lead: [Sở A, Sở B], output: x, due: "Ngày 01/12/2025", status: in_progress }
  - { id: "2", title: "Việc của phòng", lead: Phòng C, support: Sở A, output: x, due: "Ngày 08/12/2025", status: not_started }
  - { id: "3", title: "Việc sở ngoài", lead: Sở X, support: Sở B, output: x, due: "Ngày 05/11/2025", status: not_started }
  - { id: "4", title: "Việc đã xong", lead: Sở A, output: x, due: "Ngày 01/10/2025", status: done, completed: 2025-09-30 }
  - { id: "5", title: "Việc đang làm", lead: Sở X, output: x, due: "Năm 2026", status: in_progress, progress: 50 }
  - { id: "6", title: "Việc hạn thứ sáu", lead: Sở X, output: x, due: "Ngày 12/12/2025", status: not_started }
---
MD
# two plans of one issuer on one day, without number: they must not share a name
for n in 1 2; do
cat >"$R/content/plans/x$n.md" <<MD
---
id: ke-hoach-x-$n
title: "Kế hoạch của Sở X"
issuer: Sở X
date: 2025-05-02
tasks:
  - { id: "1", title: "Việc X$n", lead: Sở X, output: x, due: "Năm 2026" }
---
MD
done
cat >"$R/content/plans/ngan.md" <<'MD'
---
id: ke-hoach-ngan
short_title: "Kế hoạch số hóa 2025"
title: "Kế hoạch có tên ngắn"
issuer: Sở B
tasks: []
---
MD
# Sở Z leads 420 tasks: its page is paginated as the deadlines pages are
python3 - "$R/content/plans/z.md" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write('---\nnumber: "9/KH-Z"\ntitle: "Kế hoạch lớn"\nissuer: Sở Z\ntasks:\n')
    for i in range(1, 421):
        f.write('  - { id: "%d", title: "Việc Z %d", lead: Sở Z, output: x, due: "Năm 2026" }\n' % (i, i))
    f.write('---\n')
PY
commit "$R" "2025-12-01T09:00:00+07:00" "Đăng các kế hoạch"
# the next week: task 5 marked done, its progress dropped; task 2's title
# changes; the HEAD commit is a Wednesday, in the middle of its week
sed -i 's/status: in_progress, progress: 50 }/status: done, completed: 2025-12-09 }/; s/Việc của phòng/Việc của phòng C/' "$R/content/plans/ubnd.md"
commit "$R" "2025-12-10T09:00:00+07:00" "Cập nhật tiến độ tuần 50"

O=$T/out
build_ok "$R" "$O"
U=$O/du-lieu/units.json
u() { json "[x for x in d if x['id']=='$1'][0]$2" "$U"; }

# 1. unit pages and units.json
check "UBND: led counts task 1 (two sub-units) once, with 2 and 4: 3" test "$(u ubnd "['totals']['led']")" = 3
check "UBND: supported counts task 3 (Sở B supports, Sở X leads): 1" test "$(u ubnd "['totals']['supported']")" = 1
check "UBND: overdue 3 as of 10/12 (tasks 1, 2 and 3), done 1" test "$(u ubnd "['totals']['overdue']")|$(u ubnd "['totals']['done']")" = "3|1"
check "UBND: issued 1 plan with 6 tasks, apart from led and supported" \
	test "$(u ubnd "['totals']['issued_plans']")|$(u ubnd "['totals']['issued_tasks']")|$(u ubnd "['issued']")" = "1|6|['ke-hoach-ubnd']"
check "UBND's own lead_stats stay what it leads itself: none" test "$(u ubnd "['lead_stats']['total']")" = 0
check "Sở A: led counts Phòng C's task 2 (not as supported): 1, 2, 4" \
	test "$(u so-a "['totals']['led']")|$(u so-a "['totals']['supported']")" = "3|0"
check "units.json lists the sub-units" test "$(u ubnd "['children']")" = "['so-a', 'so-b']"
check "units.json carries the as-of date" test "$(u ubnd "['as_of']")" = 2025-12-10
P=$O/don-vi/ubnd/index.html
check "the parent's page lists the plan it issued" grep -q 'href="/ke-hoach/ke-hoach-ubnd/"' "$P"
check "the parent's page lists its sub-units with their figures" python3 - "$P" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<table class="sub-units.*?</table>', h, re.S)
assert m, "no sub-units table"
rows = re.findall(r'<tr><th scope="row".*?</tr>', m.group(0), re.S)
cells = {re.search(r'>(Sở [AB])<', r).group(1): re.findall(r'<td class="num"[^>]*>(\d+)</td>', r) for r in rows}
# Sở A: led 3 (1, 2 via Phòng C, 4), supported 0, overdue 2, done 1
assert cells["Sở A"] == ["3", "0", "2", "1"], cells
# Sở B: led 1, supported 1 (task 3), overdue 2, done 0
assert cells["Sở B"] == ["1", "1", "2", "0"], cells
PY
check "a unit page is in order: totals, issued plans, sub-units, overdue, tasks by plan" python3 - "$P" <<'PY'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
pos = [h.find(x) for x in ('id="totals"', 'id="issued"', 'id="sub-units"', 'id="overdue"', 'id="tasks"')]
assert -1 not in pos and pos == sorted(pos), pos
PY
check "the overdue tasks come most late first (3, then 1, then 2)" python3 - "$P" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
sec = h[h.find('id="overdue"'):h.find('id="tasks"')]
assert re.findall(r'#(\d)">Việc', sec) == ["3", "1", "2"], re.findall(r'#(\d)">Việc', sec)
PY
check "the units index shows the figures with sub-units and the plans issued" \
	grep -q 'UBND tỉnh Thử</a> <span class="meta node-stats">Chủ trì: 3 · Phối hợp: 1 · Hoàn thành: 25% · Quá hạn: 3 · Kế hoạch đã ban hành: 1' "$O/don-vi/index.html"
check "the status lists are in the sitemap" grep -q '<loc>https://example.gov.vn/thoi-han/qua-han/</loc>' "$O/sitemap.xml"
check "an issuer-only page no longer says it has no task" bash -c "! grep -q 'Chưa có nhiệm vụ</p>' '$P'"
check "Sở Z's 420 tasks take two pages with the pager" test -f "$O/don-vi/so-z/trang/2/index.html"
check "page 2 of Sở Z links back to page 1 and has its own title" \
	bash -c "grep -q 'href=\"/don-vi/so-z/\" rel=\"prev\"' '$O/don-vi/so-z/trang/2/index.html' && grep -q '<title>Sở Z – Trang 2' '$O/don-vi/so-z/trang/2/index.html'"
# 400 rows a page: first the plan it issued, then its tasks
check "page 1 of Sở Z has the plan it issued and 399 task rows, page 2 the other 21" \
	test "$(grep -c '<tr data-status' "$O/don-vi/so-z/index.html")|$(grep -c '<tr data-status' "$O/don-vi/so-z/trang/2/index.html")|$(grep -c 'id="issued"' "$O/don-vi/so-z/index.html")|$(grep -c 'id="issued"' "$O/don-vi/so-z/trang/2/index.html")" = "399|21|1|0"

# 3. overdue is actionable
check "an overdue task says how late: task 3, due 5/11, 35 days as of 10/12" \
	grep -q 'quá hạn 35 ngày' "$O/thoi-han/index.html"
check "plans.json says days_late" test "$(json "[t for p in d if p['id']=='ke-hoach-ubnd' for t in p['tasks'] if t['id']=='3'][0]['days_late']" "$O/du-lieu/plans.json")" = 35
check "the home lists the overdue tasks, most late first" python3 - "$O/index.html" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
sec = h[h.find('id="overdue"'):]
sec = sec[:sec.find('</table>')]
assert re.findall(r'>(Việc[^<]*)</a></th>', sec) == ["Việc sở ngoài", "Việc hai sở cùng chủ trì", "Việc của phòng C"], sec
PY
check "every count of the home's totals links to its list" python3 - "$O/index.html" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
st = h[h.find('class="stat-cards"'):]
st = st[:st.find('</dl>')]
links = re.findall(r'<dd><a href="([^"]+)">(\d+)</a></dd>', st)
assert len(links) == 7, links
assert ("/thoi-han/qua-han/", "3") in links and ("/thoi-han/tat-ca/", "428") in links, links
PY
check "the overdue list holds exactly the overdue tasks" test "$(grep -c '<tr data-status="[a-z_]* overdue' "$O/thoi-han/qua-han/index.html")" = 3
check "the done list holds the done tasks" test "$(grep -c '<tr data-status="done' "$O/thoi-han/hoan-thanh/index.html")" = 2
check "plan, unit and deadline lists have status chips that work without JavaScript" bash -c "
	grep -q 'id=\"loc-qua-han\" class=\"filter-target\"' '$O/ke-hoach/ke-hoach-ubnd/index.html' &&
	grep -q 'href=\"#loc-qua-han\"' '$O/don-vi/ubnd/index.html' &&
	grep -q 'href=\"#loc-qua-han\"' '$O/thoi-han/index.html' &&
	grep -q ':target ~ .filter-body' '$O/static/style.css'"
check "the chips' script is a file, never inline" bash -c "
	grep -q 'src=\"/static/filter.js\"' '$O/index.html' && test -s '$O/static/filter.js' &&
	! grep -l '<script>' '$O'/index.html '$O'/don-vi/ubnd/index.html"

# 5. identity
check "a plan without number is named by type, issuer and date" \
	grep -q '<title>Kế hoạch UBND tỉnh Thử 12/3/2025 –' "$O/ke-hoach/ke-hoach-ubnd/index.html"
check "short_title names a plan without number" grep -q '<title>Kế hoạch số hóa 2025 –' "$O/ke-hoach/ke-hoach-ngan/index.html"
check "plans.json carries the name and short_title" \
	test "$(json "[p['name']+'|'+str(p['short_title']) for p in d if p['id']=='ke-hoach-ngan'][0]" "$O/du-lieu/plans.json")" = "Kế hoạch số hóa 2025|Kế hoạch số hóa 2025"
check "no link or title says 'Chưa có số' where a name is due" bash -c "! grep -rqE '>Chưa có số</a>|<title>Chưa có số|docno\">Chưa có số' '$O' --include=*.html"
check "the plans table names the plan, and says it has no number yet" \
	grep -q 'Kế hoạch UBND tỉnh Thử 12/3/2025<span class="meta">Chưa có số</span>' "$O/ke-hoach/index.html"
check "no two pages share a title, a description or a canonical link; all absolute" python3 - "$O" <<'PY'
import glob, os, re, sys, html
seen = {"title": {}, "description": {}, "canonical": {}, "og:url": {}}
for f in sorted(glob.glob(sys.argv[1] + "/**/index.html", recursive=True)):
    h = open(f, encoding="utf-8").read()
    vals = {
        "title": re.search(r"<title>(.*?)</title>", h).group(1),
        "description": re.search(r'<meta name="description" content="([^"]*)"', h).group(1),
        "canonical": re.search(r'<link rel="canonical" href="([^"]*)"', h).group(1),
        "og:url": re.search(r'<meta property="og:url" content="([^"]*)"', h).group(1),
    }
    assert re.search(r'<meta property="og:title" content="[^"]+"', h), f
    assert re.search(r'<meta property="og:description" content="[^"]+"', h), f
    rel = os.path.relpath(f, sys.argv[1])[:-len("index.html")]
    assert vals["canonical"] == "https://example.gov.vn/" + rel, (f, vals["canonical"])
    assert vals["og:url"] == vals["canonical"]
    for k, v in vals.items():
        assert v not in seen[k], (k, v, f, seen[k].get(v))
        seen[k][v] = f
PY

# 6. legal details, data licence, tasks.csv
check "the footer shows the legal details" bash -c "
	grep -q '<dt>Cơ quan chủ quản:</dt> <dd>Ủy ban nhân dân tỉnh Thử</dd>' '$O/don-vi/so-a/index.html' &&
	grep -q 'Chịu trách nhiệm nội dung:</dt> <dd>Nguyễn Văn Biên' '$O/index.html' &&
	grep -q 'href=\"tel:+84208123456\"' '$O/index.html' &&
	grep -q 'href=\"mailto:bientap@thu.gov.vn\"' '$O/index.html' &&
	grep -q 'Giấy phép số 12/GP-TTĐT' '$O/index.html'"
check "/du-lieu/ shows the data licence, and each file's description names it" bash -c "
	grep -q 'rel=\"license\">CC BY 4.0</a>' '$O/du-lieu/index.html' &&
	test \$(grep -c 'Giấy phép sử dụng: CC BY 4.0.' '$O/du-lieu/index.html') = 5"
check "tasks.csv gains as_of, plan_title and status_label at the end" python3 - "$O/du-lieu/tasks.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert list(rows[0].keys())[:11] == ["plan", "task_id", "title", "lead", "support", "output", "due_text", "due_date", "status", "overdue", "progress"]
r = [x for x in rows if x["plan"] == "ke-hoach-ubnd" and x["task_id"] == "3"][0]
assert (r["as_of"], r["plan_title"], r["status_label"]) == ("2025-12-10", "Kế hoạch chuyển đổi số", "Chưa thực hiện"), r
PY
B=$T/bad
newrepo "$B"
echo 'email: "không phải thư"' >>"$B/content/site.yaml"
commit "$B" "2025-12-01T09:00:00+07:00" "x"
ps build --repo "$B" --out "$T/bad-out" 2>"$T/bad.err" && not_ok "a bad email is an error" || true
check "a bad email is a located error in Vietnamese" grep -q 'content/site.yaml:[0-9]*:[0-9]*: error: \[E069\] email "không phải thư" không phải là địa chỉ thư điện tử' "$T/bad.err"
check "nothing is published after it" test ! -e "$T/bad-out/index.html"

# 8. history reads as news
check "a task marked done shows one line, no 'tiến độ 50% → Không có'" python3 - "$O/thay-doi/index.html" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
items = re.findall(r"<li>(.*?)</li>", h[h.find("Cập nhật tiến độ tuần 50"):], re.S)
task5 = [i for i in items if "Nhiệm vụ 5" in i]
assert len(task5) == 1 and "trạng thái" in task5[0], task5
PY
check "changes.json keeps the progress change as written" \
	test "$(json "[c['to'] for e in d for c in e['changes'] if c['task']=='5' and c['field']=='progress']" "$O/du-lieu/changes.json")" = "[None]"
check "a change names the task by its title" grep -q 'Nhiệm vụ 2 <q class="task-name">Việc của phòng C</q>' "$O/thay-doi/index.html"
check "changes.json names it too" \
	test "$(json "[c['task_title'] for e in d for c in e['changes'] if c['task']=='2' and c['field']=='title']" "$O/du-lieu/changes.json")" = "['Việc của phòng C']"
# the figures of the stat cards of a page, as {kind: n}
cat >"$T/stats.py" <<'PY'
import re, sys
def stats(f):
    h = open(f, encoding="utf-8").read()
    return dict(re.findall(r'class="stat(?: stat-(\w+))?"><dt>[^<]*</dt><dd>(?:<a[^>]*>)?(\d+)', h))
if sys.argv[2].endswith(".html"):
    a, b = stats(sys.argv[1]), stats(sys.argv[2])
    assert a and a == b, (a, b)
else:
    print(stats(sys.argv[1])[sys.argv[2]])
PY
W=$O/bao-cao-tuan/2025-W50/index.html
check "the week of the built commit and the home agree on every figure" python3 "$T/stats.py" "$W" "$O/index.html"
check "... overdue counted as of 10/12, not as of Sunday 14/12 (would be 4)" test "$(python3 "$T/stats.py" "$W" overdue)" = 3
W49=$O/bao-cao-tuan/2025-W49/index.html
if [ -f "$W49" ]; then
	check "a finished week says it counts to the end of its Sunday" \
		grep -q 'Số liệu tính đến hết ngày <time datetime="2025-12-07">07/12/2025</time>' "$W49"
	check "... and the week of the built commit keeps its own as-of date" \
		grep -q 'Số liệu tính đến ngày <time datetime="2025-12-10">' "$W"
else
	not_ok "no report for week 49 ($W49)"
fi
O2=$T/out2
build_ok "$R" "$O2" --as-of 2025-12-02
check "with an earlier --as-of, no week counts later than it" \
	python3 "$T/stats.py" "$O2/bao-cao-tuan/2025-W50/index.html" "$O2/index.html"
finish
