#!/usr/bin/env bash
# test_permalinks.sh: site.yaml's `permalinks` moves sections; every link,
# the menu, the sitemap, the feed, the open data, the search index and the
# canonical addresses follow, and no address of the built site is broken
# (tests/e2e/linkcheck.py crawls them all).  Bad permalinks are reported,
# located, all in one run, and nothing is published.
. "$(dirname "$0")/lib.sh"

LC=$ROOT/tests/e2e/linkcheck.py
# links_ok OUT BASE_URL MIN_HTML MIN_JSON: no broken address, and the crawl
# saw at least MIN_HTML page links, MIN_JSON urls of the JSON files, and
# sitemap entries and feed links
links_ok() {
	python3 "$LC" "$1" "$2" >"$T/lc" || { cat "$T/lc"; return 1; }
	python3 - "$T/lc" "$3" "$4" <<'PY'
import re, sys
last = open(sys.argv[1]).read().splitlines()[-1]
m = re.fullmatch(r"(\d+) addresses \(html (\d+), sitemap (\d+), feed (\d+), json (\d+)\), 0 broken", last)
assert m, last
n, html, sm, feed, js = map(int, m.groups())
assert html >= int(sys.argv[2]) and js >= int(sys.argv[3]) and sm >= 10 and feed >= 2, last
PY
}

# the sample portal, two commits so it has changes and weekly reports
S=$T/sample
git init -q "$S"
cp -r "$ROOT/content" "$S/"
commit "$S" "2025-12-08T17:00:00+07:00" "Mẫu"
sed -i 's/status: in_progress/status: done/' "$S/content/plans/185-kh-sdt-tg.md"
commit "$S" "2025-12-15T17:00:00+07:00" "Cập nhật"
O=$T/default
check "the sample builds with the default addresses" build_ok "$S" "$O"
check "default addresses: no broken link among the pages, sitemap, feed and open data" \
	links_ok "$O" https://example.gov.vn/ 5000 300

# the checker can fail: a page removed is named as broken, with who links to it
cp -r "$O" "$T/broken"
rm "$T/broken/ke-hoach/44-kh-ubnd/index.html"
python3 "$LC" "$T/broken" https://example.gov.vn/ >"$T/lc" && rc=0 || rc=$?
check "the link checker finds a missing page (exit 1, named)" \
	bash -c "[ $rc = 1 ] && grep -q '^broken: /ke-hoach/44-kh-ubnd/ (in ' '$T/lc'"

# every section moved, one two folders deep, under a base path; and a free
# page at the plans' old folder, now free
sed -i 's#^base_url: .*#base_url: "https://example.gov.vn/cong/"\npermalinks:\n  plans: /plans/\n  units: /co-quan/units/\n  documents: /docs/\n  deadlines: /han/\n  changes: /changes/\n  weeks: /weekly/\n  search: /search/\n  data: /open-data/#' \
	"$S/content/site.yaml"
printf -- '---\ntitle: Về các kế hoạch\n---\nTrang riêng ở địa chỉ cũ.\n' >"$S/content/pages/ke-hoach.md"
commit "$S" "2025-12-15T18:00:00+07:00" "Đổi địa chỉ"
P=$T/moved
check "the sample builds with permalinks" build_ok "$S" "$P"
check "... and without any permalinks warning" bash -c "! grep -q 'warning: \[W07[01]\]' '$T/stderr'"
check "permalinks: no broken link among the pages, sitemap, feed, open data and search records" \
	links_ok "$P" https://example.gov.vn/cong/ 5000 300
check "nothing is left at the default folders (but the free page /ke-hoach/)" bash -c "
	for d in don-vi van-ban thoi-han thay-doi bao-cao-tuan tim-kiem du-lieu; do [ ! -e '$P/'\$d ] || exit 1; done
	[ \"\$(ls '$P/ke-hoach')\" = index.html ] && grep -q 'Trang riêng ở địa chỉ cũ' '$P/ke-hoach/index.html'"
check "each section is in its folder" bash -c "cd '$P' && test -f plans/44-kh-ubnd/index.html &&
	test -f co-quan/units/index.html && test -f docs/index.html && test -f han/qua-han/index.html &&
	test -f han/tat-ca/index.html && test -f changes/atom.xml && test -f weekly/index.html &&
	ls weekly | grep -q W && test -f search/manifest.json && ls search/rec | grep -q json &&
	test -f open-data/plans.json && test -f open-data/tasks.csv && test -f sitemap.xml"
check "the menu names the moved sections, in order" python3 - "$P/index.html" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
nav = re.search(r'<nav class="site-nav".*?</nav>', h, re.S).group(0)
got = re.findall(r'href="([^"]+)"', nav)
assert got == ["/cong/", "/cong/plans/", "/cong/docs/", "/cong/co-quan/units/", "/cong/han/",
               "/cong/changes/", "/cong/weekly/", "/cong/search/", "/cong/open-data/"], got
PY
check "a plan page: its menu entry is current, its canonical and og:url at the new address" python3 - "$P/plans/44-kh-ubnd/index.html" <<'PY'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
assert '<a href="/cong/plans/" aria-current="page">' in h
assert '<link rel="canonical" href="https://example.gov.vn/cong/plans/44-kh-ubnd/">' in h
assert '<meta property="og:url" content="https://example.gov.vn/cong/plans/44-kh-ubnd/">' in h
assert 'href="/cong/changes/atom.xml"' in h and 'href="/cong/open-data/"' in h
PY
check "the home's links go to the moved lists" python3 - "$P/index.html" <<'PY'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
for u in ["/cong/han/", "/cong/changes/", "/cong/plans/", "/cong/han/qua-han/", "/cong/han/tat-ca/"]:
    assert f'href="{u}"' in h, u
PY
check "the sitemap lists the moved addresses only" python3 - "$P/sitemap.xml" <<'PY'
import re, sys
locs = re.findall(r"<loc>([^<]*)</loc>", open(sys.argv[1], encoding="utf-8").read())
for u in ["https://example.gov.vn/cong/plans/", "https://example.gov.vn/cong/han/qua-han/",
          "https://example.gov.vn/cong/weekly/", "https://example.gov.vn/cong/open-data/",
          "https://example.gov.vn/cong/plans/44-kh-ubnd/", "https://example.gov.vn/cong/ke-hoach/"]:
    assert u in locs, u
bad = [u for u in locs if re.search(r"/(don-vi|van-ban|thoi-han|thay-doi|bao-cao-tuan|tim-kiem|du-lieu)/", u)]
assert not bad, bad
PY
check "open data: plans, units and documents at their new addresses" python3 - "$P/open-data" <<'PY'
import json, sys
d = sys.argv[1]
plans = json.load(open(f"{d}/plans.json", encoding="utf-8"))
assert plans and all(p["url"].startswith("https://example.gov.vn/cong/plans/") for p in plans)
units = json.load(open(f"{d}/units.json", encoding="utf-8"))
assert units and all(u["url"].startswith("https://example.gov.vn/cong/co-quan/units/") for u in units)
docs = json.load(open(f"{d}/documents.json", encoding="utf-8"))
assert any(x["url"].startswith("https://example.gov.vn/cong/docs/") for x in docs)
PY
check "the search records link to the new addresses" python3 - "$P/search/rec" <<'PY'
import glob, json, sys
urls = [r[1] for f in glob.glob(sys.argv[1] + "/*.json") for r in json.load(open(f, encoding="utf-8"))]
assert urls and all(u.startswith(("/cong/plans/", "/cong/docs/", "/cong/co-quan/units/")) for u in urls), urls[:5]
assert any(u.startswith("/cong/plans/") and "#" in u for u in urls)   # tasks
PY
check "the search page reads its index from the moved folder" \
	grep -q 'data-index="/cong/search/"' "$P/search/index.html"
check "the feed names itself and its page at the new addresses" bash -c "
	grep -q '<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.gov.vn/cong/changes/atom.xml\"' '$P/changes/atom.xml' &&
	grep -q 'href=\"https://example.gov.vn/cong/changes/\"' '$P/changes/atom.xml'"
check "the data page offers the files beside it" grep -q 'href="plans.json" download' "$P/open-data/index.html"
check "check accepts permalinks (no unknown key under --strict)" bash -c "
	ps check --strict --repo '$S' 2>'$T/cerr'; ! grep -q 'permalinks' '$T/cerr'"

check "the golden site with permalinks has no broken link either" \
	python3 "$LC" "$ROOT/tests/golden/permalinks" https://example.gov.vn/cong/

# ---- mistakes ----
R=$T/repo
newrepo "$R"
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-UBND"
title: "Kế hoạch"
tasks:
  - { id: "1", title: "Nhiệm vụ", lead: Văn phòng, due: Năm 2025 }
---
MD
# bad SITE_YAML_TAIL REGEX...: site.yaml ends with the tail; the build fails
# with every message and publishes nothing
bad() {
	local tail=$1
	shift
	printf 'title: T\nbase_url: https://example.gov.vn/\n%s\n' "$tail" >"$R/content/site.yaml"
	commit "$R" "2025-12-02T09:00:00+07:00" "sai"
	local rc=0
	rm -rf "$T/pub"
	ps build --repo "$R" --out "$T/pub" 2>"$T/err" || rc=$?
	[ "$rc" = 1 ] && [ ! -e "$T/pub" ] || { echo "exit $rc"; cat "$T/err"; return 1; }
	for want in "$@"; do
		grep -Eq "$want" "$T/err" || { echo "missing: $want"; cat "$T/err"; return 1; }
	done
}
check "E080 unknown section, with the closest key" bad $'permalinks:\n  plan: /p/' \
	'^content/site.yaml:4:3: error: \[E080\] permalinks: không có mục "plan" \(các mục: plans, documents, units, deadlines, changes, weeks, search, data\) — gợi ý: có phải "plans"\?'
check "E080 unknown section far from any, with the list" bad $'permalinks:\n  trang-chu: /p/' \
	'^content/site.yaml:4:3: error: \[E080\] .*— gợi ý: dùng một trong các mục: plans, documents'
check "E081 a path without its slashes" bad $'permalinks:\n  plans: plans' \
	'^content/site.yaml:4:10: error: \[E081\] permalinks: đường dẫn "plans" của mục plans phải bắt đầu và kết thúc bằng "/".* — gợi ý: viết "/plans/"'
check "E081 a list instead of a path; permalinks not a map" bad $'permalinks:\n  plans: [a, b]' \
	'^content/site.yaml:4:10: error: \[E081\] permalinks: mục plans phải là một đường dẫn như "/ke-hoach/"'
check "E081 permalinks not a map" bad 'permalinks: /plans/' \
	'^content/site.yaml:3:13: error: \[E081\] permalinks phải là các dòng "mục: /đường-dẫn/"'
check "E082 two sections in one folder, and one inside another" \
	bad $'permalinks:\n  plans: /a/\n  documents: /a/\n  units: /thoi-han/don-vi/' \
	'^content/site.yaml:5:14: error: \[E082\] permalinks: mục documents \("/a/"\) trùng hoặc lồng với mục plans \("/a/"\)' \
	'^content/site.yaml:6:10: error: \[E082\] permalinks: mục units \("/thoi-han/don-vi/"\) trùng hoặc lồng với mục deadlines \("/thoi-han/"\)'
check "E082 the home's address and the static folder" bad $'permalinks:\n  plans: /\n  units: /static/u/' \
	'^content/site.yaml:4:10: error: \[E082\] permalinks: mục plans không thể ở "/", địa chỉ của trang chủ' \
	'^content/site.yaml:5:10: error: \[E082\] permalinks: đường dẫn "/static/u/" của mục units trùng với thư mục /static/ của cổng'
check "E083 accents and spaces, with the path to write; '..' leaves the site" \
	bad $'permalinks:\n  plans: "/kế hoạch/"\n  units: /../../etc/' \
	'^content/site.yaml:4:10: error: \[E083\] permalinks: đường dẫn "/kế hoạch/" của mục plans có ký tự không dùng được .* — gợi ý: viết "/ke-hoach/"' \
	'^content/site.yaml:5:10: error: \[E083\] permalinks: đường dẫn "/../../etc/" của mục units có "." hoặc ".."'
check "... nothing was written outside the output folder either" test ! -e "$T/etc"
mkdir -p "$R/content/pages"
printf -- '---\ntitle: Trang\n---\nx\n' >"$R/content/pages/plans.md"
check "E044 a free page at a moved section's folder" bad $'permalinks:\n  plans: /plans/' \
	'^content/pages/plans.md:1:1: error: \[E044\] địa chỉ trang /plans/ dành riêng cho các trang của cổng'
rm -f "$R/content/pages/plans.md"

# warnings: the site builds, at the address written
printf 'title: T\nbase_url: https://example.gov.vn/\npermalinks:\n  plans: /Plans/\n  units: /don-vi/\n' >"$R/content/site.yaml"
commit "$R" "2025-12-03T09:00:00+07:00" "cảnh báo"
check "W070/W071 are warnings: the site builds" build_ok "$R" "$T/warn"
check "W070 capitals in a path, with the lower-case path" grep -Eq \
	'^content/site.yaml:4:10: warning: \[W070\] permalinks: đường dẫn "/Plans/" của mục plans có chữ hoa.* — gợi ý: viết "/plans/"' "$T/stderr"
check "W071 a path that is already the section's" grep -Eq \
	'^content/site.yaml:5:10: warning: \[W071\] permalinks: mục units đã ở "/don-vi/" sẵn; dòng này không đổi gì — gợi ý: xoá dòng này' "$T/stderr"
check "... and the plans are where the path says" test -f "$T/warn/Plans/1-kh-ubnd/index.html"
check "... with no broken link" links_ok "$T/warn" https://example.gov.vn/ 300 5

finish
