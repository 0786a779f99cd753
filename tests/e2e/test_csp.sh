#!/usr/bin/env bash
# test_csp.sh: the Content-Security-Policy meta goes first in a page's
# <head> whatever the template: after the doctype when there is no <head>,
# at the very start when there is neither, and after the <head> tag (not a
# <header>) when there is one; the rest of the page is byte for byte what
# the template wrote (the page is rendered after room left for the meta).
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
mkdir -p "$R/content/templates"

n=0
# case TEMPLATE EXPECTED_PREFIX_BEFORE_META
csp_case() {
	local tmpl=$1 before=$2 desc=$3
	n=$((n + 1))
	printf '%s' "$tmpl" >"$R/content/templates/404.mustache"
	commit "$R" "2025-07-01T08:00:00+07:00" "404 $n"
	build_ok "$R" "$T/out$n" || { not_ok "$desc: build"; return; }
	check "$desc" python3 - "$T/out$n/404.html" "$tmpl" "$before" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
tmpl, before = sys.argv[2], sys.argv[3]
meta = '<meta http-equiv="Content-Security-Policy" content="'
i = page.find(meta)
end = page.find('">', i) + 2
# the meta where it belongs, once, and the template's text around it
assert i == len(before) and page[:i] == before, (i, page[:80])
assert page.count(meta) == 1
assert page[:i] + page[end:] == tmpl.replace("{{site.title}}", "Cổng thử nghiệm"), page
PY
}
csp_case $'<!DOCTYPE html>\n<p>{{site.title}}</p>\n' '<!DOCTYPE html>' "no <head>: after the doctype"
csp_case $'<p>{{site.title}}</p>\n' '' "neither <head> nor doctype: first"
csp_case $'<!doctype html><html><header>x</header><head><title>{{site.title}}</title></head></html>\n' \
	'<!doctype html><html><header>x</header><head>' "after <head>, not <header>"
csp_case $'<!doctype html>\n<html lang="vi">\n<head lang="vi">\n<title>t</title>\n</head>\n' \
	$'<!doctype html>\n<html lang="vi">\n<head lang="vi">' "after a <head> with attributes"
finish
