#!/usr/bin/env bash
# test_bigpages.sh: no page grows with the portal.  A week when 4,000
# deadlines fell, a plans index of 870 plans and a document that 870 plans
# implement are cut into pages (each well under 1 MB, where the weekly
# report alone was 4 MB), with the one windowed pager; every row is still
# there, moved to a next page, never lost, and a citizen clicking from the
# home page reaches every page of the site.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
O=$T/out
newrepo "$R"
# 40 plans of 100 tasks due in the week of 6-12 January 2025, and 830 plans
# of one task due later; all implement 57-NQ/TW
python3 "$ROOT/tests/e2e/genbig.py" "$R/content" 40 830
commit "$R" "2024-12-20T10:00:00+07:00" "Đăng các kế hoạch"
sed -i 's/due: "Năm 2026" }/due: "Năm 2026", status: in_progress }/' "$R/content/plans/nho-1.md"
commit "$R" "2025-01-08T10:00:00+07:00" "Cập nhật tiến độ 2/KH-N"
sed -i 's/due: "Năm 2026", status: in_progress }/due: "Năm 2026", status: done, completed: 2025-01-20 }/' \
	"$R/content/plans/nho-1.md"
commit "$R" "2025-01-20T09:00:00+07:00" "Hoàn thành 2/KH-N"

check "the site builds" build_ok "$R" "$O"
check "a citizen reaches every page from the home page, none over 800 KB (the weekly report was 5 MB)" \
	python3 "$ROOT/tests/e2e/crawl.py" "$O" 819200
check "the weekly report of 4,000 deadlines has pages with the windowed pager" \
	python3 "$ROOT/tests/e2e/pagercheck.py" "$O" bao-cao-tuan/2025-W02/ 10
check "the plans index has pages with the same pager" \
	python3 "$ROOT/tests/e2e/pagercheck.py" "$O" ke-hoach/ 3
check "the document's plans have pages with the same pager" \
	python3 "$ROOT/tests/e2e/pagercheck.py" "$O" van-ban/57-nq-tw/ 3
check "the week of the first commit (870 new plans) has pages too" \
	python3 "$ROOT/tests/e2e/pagercheck.py" "$O" bao-cao-tuan/2024-W51/ 2

# every row once, over all the pages of each list
check "every task that fell due is once in the report's pages, none lost" python3 - "$O" <<'PY'
import glob, re, sys
out = sys.argv[1]
rows, heads, anchors, links = [], 0, {}, []
for f in sorted(glob.glob(f"{out}/bao-cao-tuan/2025-W02/**/index.html", recursive=True)):
    h = open(f, encoding="utf-8").read()
    url = "/" + f[len(out) + 1:-len("index.html")]
    for t in re.findall(r'<table class="tasks[^"]* week-overdue">(.*?)</table>', h, re.S):
        rows += re.findall(r'<th scope="row" class="task-title"[^>]*><a href="([^"]+)"', t)
    anchors.update({(url, a): 1 for a in re.findall(r'<section class="block week-unit" id="([^"]+)"', h)})
    if url.endswith("2025-W02/"):
        m = re.search(r'<table class="week-units.*?</table>', h, re.S)
        # "#anchor" on this page, "PAGE#anchor" on another
        links = [(u or url, a) for u, a in re.findall(r'<a href="([^"#]*)#([^"]+)">', m.group(0))]
        counts = [int(c) for c in re.findall(r'<td class="num" data-label="[^"]*">(\d+)</td>', m.group(0))]
assert len(rows) == 4000, len(rows)
assert len(set(rows)) == 4000, "a task shown twice"
assert {r.split("#")[0] for r in rows} == {f"/ke-hoach/{p + 1}-kh-l/" for p in range(40)}, rows[:3]
# the summary by unit (first page) names the page where each unit's rows start
assert len(links) == 3, links
for u, a in links:
    assert (u, a) in anchors, (u, a, sorted(anchors)[:5])
assert sum(counts[1::4]) == 4000, counts
PY
check "the plans index lists every plan once over its pages" python3 - "$O" <<'PY'
import glob, re, sys
out = sys.argv[1]
for d, want in (("ke-hoach", 870), ("van-ban/57-nq-tw", 870)):
    seen = []
    for f in [f"{out}/{d}/index.html"] + sorted(glob.glob(f"{out}/{d}/trang/*/index.html")):
        h = open(f, encoding="utf-8").read()
        body = h[h.index("<table class=\"plans"):]
        seen += re.findall(r'<a href="(/ke-hoach/[^"/]+/)"', body)
    plans = {u for u in seen}
    assert len(plans) == want, (d, len(plans))
PY
check "the plans a unit issued (844) go on over its pages, each once" python3 - "$O" <<'PY'
import glob, re, sys
out = sys.argv[1]
seen = []
for f in [f"{out}/don-vi/so-a/index.html"] + sorted(glob.glob(f"{out}/don-vi/so-a/trang/*/index.html")):
    h = open(f, encoding="utf-8").read()
    m = re.search(r'<section id="issued".*?</section>', h, re.S)
    if m:
        seen += re.findall(r'<a href="(/ke-hoach/[^"/]+/)"', m.group(0))
assert len(seen) == len(set(seen)) == 844, (len(seen), len(set(seen)))
PY
check "... with the same pager" python3 "$ROOT/tests/e2e/pagercheck.py" "$O" don-vi/so-a/ 3
check "a unit's group going on to the next page says so" \
	grep -q 'class="meta">(tiếp theo)</span>' "$O/bao-cao-tuan/2025-W02/trang/2/index.html"
check "the site's links are all good" python3 "$ROOT/tests/e2e/linkcheck.py" "$O" https://example.gov.vn/

finish
