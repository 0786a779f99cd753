#!/usr/bin/env bash
# test_serve.sh: the preview server end to end (plansite serve): serving, safety, rebuild and reload.
# Usage: PLANSITE=/path/to/plansite tests/e2e/test_serve.sh
set -euo pipefail

PLANSITE=${PLANSITE:-./plansite}
case $PLANSITE in /*) ;; *) PLANSITE=$PWD/$PLANSITE ;; esac
[ -x "$PLANSITE" ] || { echo "not ok - no plansite binary at $PLANSITE"; exit 1; }
command -v curl >/dev/null || { echo "not ok - curl is needed"; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/plansite-test-serve.XXXXXX")
R=$T/repo
SRV=()          # pids of servers still running
SSE_PID=
failures=0

cleanup() {
	set +e
	[ -n "$SSE_PID" ] && kill "$SSE_PID" 2>/dev/null
	for p in "${SRV[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}
die() { echo "not ok - $*"; for f in "$T"/serve*.log; do [ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f"; done; exit 1; }

# waits up to $1 seconds for the command to succeed
wait_for() {
	local secs=$1
	shift
	local end=$((SECONDS + secs))
	while ! "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
		2>/dev/null || echo $((20000 + RANDOM % 30000))
}

export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.org
export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.org
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$T/gitconfig
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
: >"$T/gitconfig"
# the server's private folders go here, so the test can look into them
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR" "$R/content/plans"

plan() { # plan TITLE: the plan file's text
	cat <<EOF
---
number: "1/KH-UBND"
title: "$1"
issuer: UBND xã Thử Nghiệm
date: 2025-03-10
tasks:
  - id: "1"
    title: "Số hóa hồ sơ một cửa"
    lead: Văn phòng
    output: Báo cáo kết quả
    due: 15/12/2025
    status: in_progress
  - id: "2"
    title: "Tập huấn kỹ năng số"
    lead: Văn phòng
    due: Quý III/2025
    status: done
    completed: 2025-08-01
---
Kế hoạch để thử máy chủ xem trước.
EOF
}

cat >"$R/content/site.yaml" <<'EOF'
title: Cổng kế hoạch thử nghiệm
base_url: https://example.org/
language: vi
EOF
PLANFILE=content/plans/ke-hoach-1.md
plan "Kế hoạch ban đầu" >"$R/$PLANFILE"
git -C "$R" init -q
git -C "$R" add -A
git -C "$R" commit -qm "first plan"

PLANURL=/ke-hoach/1-kh-ubnd/

# ---- a server on the working tree --------------------------------------------------------
P=$(free_port)
B=http://127.0.0.1:$P
"$PLANSITE" serve --repo "$R" --worktree --port "$P" --verbose 2>"$T/serve1.log" &
SRV1=$!
SRV+=("$SRV1")
wait_for 60 curl -sf -o /dev/null "$B/__plansite/status" || die "the server answers on $B"
ok "the server starts"
check "it says where it serves" grep -q "^Serving http://127.0.0.1:$P/ (Ctrl-C to stop)" "$T/serve1.log"

get() { curl -s --max-time 10 "$@"; }
code() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
ctype() { curl -s --max-time 10 -o /dev/null -w '%{content_type}' "$@"; }

check "/ is 200" [ "$(code "$B/")" = 200 ]
check "/ is text/html; charset=utf-8" [ "$(ctype "$B/")" = "text/html; charset=utf-8" ]
get "$B/" >"$T/index.html"
check "served HTML carries the reload script" grep -q '/__plansite/reload.js' "$T/index.html"
check "... a file (pages forbid inline script) that listens to the events" \
	bash -c "curl -s '$B/__plansite/reload.js' | grep -q '/__plansite/events'"
"$PLANSITE" build --repo "$R" --out "$T/public" 2>"$T/build.log" || die "plansite build"
check "built HTML has no reload script" bash -c "! grep -rq '__plansite' '$T/public'"
check "plansite build wrote the site" [ -f "$T/public/index.html" ]

check "HEAD / is 200" [ "$(code -I "$B/")" = 200 ]
check "HEAD / has no body" [ -z "$(curl -s --max-time 10 -I -o /dev/null -w '%{size_download}' "$B/" | tr -d 0)" ]
check "the plan page is 200" [ "$(code "$B$PLANURL")" = 200 ]
check "a folder without its slash is 301" [ "$(code "$B/ke-hoach")" = 301 ]
check "... to the folder with its slash" \
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{redirect_url}' "$B/ke-hoach")" = "$B/ke-hoach/" ]
check "/static/style.css is text/css" [ "$(ctype "$B/static/style.css")" = "text/css; charset=utf-8" ]
check "/du-lieu/plans.json is JSON" [ "$(ctype "$B/du-lieu/plans.json")" = "application/json; charset=utf-8" ]
check "/sitemap.xml is XML" [ "$(ctype "$B/sitemap.xml")" = "application/xml; charset=utf-8" ]

check "a missing page is 404" [ "$(code "$B/khong-co-trang-nay/")" = 404 ]
title404=$(grep -o '<title>[^<]*' "$T/public/404.html" | head -1)
get "$B/khong-co-trang-nay/" >"$T/404.html"
check "... with the site's 404 page" grep -qF "$title404" "$T/404.html"

for u in /../etc/passwd /%2e%2e/etc/passwd /ke-hoach/..%2F..%2Fetc%2Fpasswd /ke-hoach/%2e%2e/%2e%2e/etc/passwd \
	/static/..%5C..%5Cetc%5Cpasswd '/static/..\..\etc\passwd' /index.html%00.css; do
	c=$(code --path-as-is "$B$u")
	body=$(get --path-as-is "$B$u")
	check "$u is refused ($c)" [ "$c" = 403 -o "$c" = 404 -o "$c" = 400 ]
	check "$u leaks nothing" bash -c '! grep -q "root:" <<<"$1"' _ "$body"
done

# symbolic links planted in the served folder must not lead out of it
site=$(ls -d "$TMPDIR"/plansite-serve-*/site-* | sort -V | tail -1)
if [ -d "$site" ]; then
	ln -s /etc "$site/evil"
	ln -s /etc/passwd "$site/leak.txt"
	for u in /evil/passwd /leak.txt; do
		c=$(code "$B$u")
		check "symbolic link $u is refused ($c)" [ "$c" = 403 -o "$c" = 404 ]
	done
	rm -f "$site/evil" "$site/leak.txt"
else
	fail "the private site folder is under \$TMPDIR"
fi
check "nothing is built into the repository" [ ! -e "$R/public" ]

check "POST is 405" [ "$(code -X POST -d x=1 "$B/")" = 405 ]
check "PUT is 405" [ "$(code -X PUT "$B/")" = 405 ]
check "/__plansite/status says ok" bash -c "curl -s '$B/__plansite/status' | head -1 | grep -q '^ok'"

# ---- rebuild and reload --------------------------------------------------------------------
curl -sN --max-time 120 "$B/__plansite/events" >"$T/sse.txt" 2>/dev/null &
SSE_PID=$!
wait_for 10 grep -q '^retry:' "$T/sse.txt" || fail "the event stream opens"
curl -s --max-time 2 -D "$T/sse-headers.txt" -o /dev/null "$B/__plansite/events" || true
check "the event stream is text/event-stream" grep -qi '^content-type: text/event-stream' "$T/sse-headers.txt"

plan "Kế hoạch đã sửa tên" >"$R/$PLANFILE"
check "an edit sends \"reload\"" wait_for 20 grep -q '^event: reload' "$T/sse.txt"
check "... and the new title is served" bash -c "curl -s '$B$PLANURL' | grep -q 'Kế hoạch đã sửa tên'"
check "--verbose: the rebuild prints its stages' times" grep -q "^plansite: render " "$T/serve1.log"
check "... and shares the files equal to the last build's" \
	grep -Eq "^plansite: [1-9][0-9]* tệp giống bản trước được dùng lại" "$T/serve1.log"
check "... the first build shared none" bash -c "grep -m1 'tệp giống bản trước' '$T/serve1.log' | grep -q '^plansite: 0 tệp'"

reloads() { grep -c '^event: reload' "$T/sse.txt" || true; }
before=$(reloads)
sed -i 's/^title: "Kế hoạch đã sửa tên"$/title: [không đóng ngoặc/' "$R/$PLANFILE"
status_is() { curl -s --max-time 5 "$B/__plansite/status" | head -1 | grep -q "^$1"; }
check "a broken edit fails the build" wait_for 20 status_is failed
check "... and sends \"reload\" (the overlay appears)" wait_for 10 bash -c "[ \$(grep -c '^event: reload' '$T/sse.txt') -gt $before ]"
get "$B/__plansite/status" >"$T/status.txt"
check "/__plansite/status shows path:line:col" grep -Eq "^$PLANFILE:[0-9]+:[0-9]+: error: " "$T/status.txt"
check "the last good page is still served (200)" [ "$(code "$B$PLANURL")" = 200 ]
get "$B$PLANURL" >"$T/broken.html"
check "... with its title" grep -q 'Kế hoạch đã sửa tên' "$T/broken.html"
check "... and the error overlay" grep -q 'id="plansite-errors"' "$T/broken.html"
check "... naming $PLANFILE:LINE:COL" grep -Eq "$PLANFILE:[0-9]+:[0-9]+: error: " "$T/broken.html"
check "the errors go to stderr" grep -Eq "^$PLANFILE:[0-9]+:[0-9]+: error: " "$T/serve1.log"
check "the 404 page carries the overlay too" bash -c "curl -s '$B/khong-co/' | grep -q 'plansite-errors'"

plan "Kế hoạch đã sửa xong" >"$R/$PLANFILE"
check "fixing it rebuilds" wait_for 20 status_is ok
get "$B$PLANURL" >"$T/fixed.html"
check "... the overlay is gone" bash -c "! grep -q 'plansite-errors' '$T/fixed.html'"
check "... and the fixed title is served" grep -q 'Kế hoạch đã sửa xong' "$T/fixed.html"

# warnings do not stop the build, but the page shows them too
plan "Kế hoạch có cảnh báo" | sed 's|due: 15/12/2025|due: sớm nhất có thể|' >"$R/$PLANFILE"
check "a build with a warning is served" wait_for 20 bash -c "curl -s '$B$PLANURL' | grep -q 'Kế hoạch có cảnh báo'"
get "$B$PLANURL" >"$T/warned.html"
check "... with the warning overlay" grep -q 'id="plansite-warnings"' "$T/warned.html"
check "... naming the warning's place and code" grep -Eq "$PLANFILE:[0-9]+:[0-9]+: warning: \[W012\] thời hạn" "$T/warned.html"
check "... and no error overlay" bash -c "! grep -q 'id=\"plansite-errors\"' '$T/warned.html'"
check "... the overlays carry no inline style (the page's CSP forbids it)" \
	bash -c "! grep -q '<div id=\"plansite-[a-z]*\"[^>]* style=' '$T/warned.html' '$T/broken.html'"
check "... and take their colours from /__plansite/overlay.css, linked from the page" \
	bash -c "grep -q 'href=\"/__plansite/overlay.css\"' '$T/warned.html' &&
		curl -s '$B/__plansite/overlay.css' | grep -q '^#plansite-warnings{background' &&
		curl -s '$B/__plansite/overlay.css' | grep -q '^#plansite-errors{background'"
plan "Kế hoạch đã sửa xong" >"$R/$PLANFILE"
check "fixing the warning takes the warning away" wait_for 20 bash -c "! curl -s '$B$PLANURL' | grep -q 'W012'"

# a new subfolder is watched too
mkdir -p "$R/content/plans/2025/q3"
sleep 0.5
plan "Kế hoạch thứ hai" | sed 's|^number: "1/KH-UBND"|number: "2/KH-UBND"|' >"$R/content/plans/2025/q3/ke-hoach-2.md"
check "a plan in a new subfolder is built" wait_for 20 bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$B/ke-hoach/2-kh-ubnd/') = 200 ]"

# an edit renders only the pages whose inputs it changed (.plansite-pages):
# the rebuild that serves it keeps some pages (the other plan's) and renders
# others (the edited plan's, the units' that show both plans). Under load a
# late event of the previous step can start a rebuild with nothing to render
# before this edit lands, so any rebuild after the mark may be the one.
mark=$(wc -l <"$T/serve1.log")
printf 'Đoạn mới của kế hoạch hai.\n' >>"$R/content/plans/2025/q3/ke-hoach-2.md"
check "an edit of one plan is served" \
	wait_for 20 bash -c "curl -s '$B/ke-hoach/2-kh-ubnd/' | grep -q 'Đoạn mới của kế hoạch hai'"
check "... the rebuild keeps the pages it did not touch and renders the others" \
	bash -c "tail -n +$((mark + 1)) '$T/serve1.log' | grep 'trang không đổi đầu vào' |
		grep -Eq '^plansite: [1-9][0-9]* trang không đổi đầu vào được giữ nguyên, [1-9][0-9]* trang được dựng lại'"
check "... and is still served whole" bash -c "curl -s '$B$PLANURL' | grep -q 'Kế hoạch đã sửa xong'"

kill "$SSE_PID" 2>/dev/null || true
wait "$SSE_PID" 2>/dev/null || true
SSE_PID=

# ---- the port is busy ----------------------------------------------------------------------
rc=0
timeout 60 "$PLANSITE" serve --repo "$R" --port "$P" 2>"$T/serve-busy.log" || rc=$?
check "a busy port exits 2 ($rc)" [ "$rc" = 2 ]
check "... with a clear message" grep -q 'đang được dùng; chọn cổng khác với --port N' "$T/serve-busy.log"

# ---- stopping ------------------------------------------------------------------------------
kill -TERM "$SRV1"
rc=0
wait "$SRV1" || rc=$?
SRV=()
check "SIGTERM stops the server cleanly ($rc)" [ "$rc" = 0 ]
check "... and removes its temporary folders" bash -c "! ls -d '$TMPDIR'/plansite-serve-* >/dev/null 2>&1"

# ---- a server on the ref: a new commit rebuilds ----------------------------------------------
git -C "$R" checkout -q -- "$PLANFILE"   # back to "Kế hoạch ban đầu"; the new subfolder stays uncommitted
P2=$(free_port)
B2=http://127.0.0.1:$P2
"$PLANSITE" serve --repo "$R" --port "$P2" 2>"$T/serve2.log" &
SRV2=$!
SRV+=("$SRV2")
wait_for 60 curl -sf -o /dev/null "$B2/__plansite/status" || die "the second server answers on $B2"
check "the ref server serves the commit" bash -c "curl -s '$B2$PLANURL' | grep -q 'Kế hoạch ban đầu'"
check "... not the uncommitted plan" [ "$(code "$B2/ke-hoach/2-kh-ubnd/")" = 404 ]
curl -sN --max-time 60 "$B2/__plansite/events" >"$T/sse2.txt" 2>/dev/null &
SSE_PID=$!
wait_for 10 grep -q '^retry:' "$T/sse2.txt" || fail "the second event stream opens"
plan "Kế hoạch theo commit mới" >"$R/$PLANFILE"
sleep 1.5
check "a working-tree edit alone changes nothing" bash -c "curl -s '$B2$PLANURL' | grep -q 'Kế hoạch ban đầu'"
git -C "$R" add -A
git -C "$R" commit -qm "rename the plan"
check "a new commit rebuilds" wait_for 20 bash -c "curl -s '$B2$PLANURL' | grep -q 'Kế hoạch theo commit mới'"
check "... and sends \"reload\"" wait_for 10 grep -q '^event: reload' "$T/sse2.txt"
check "... with the plan of the new subfolder" [ "$(code "$B2/ke-hoach/2-kh-ubnd/")" = 200 ]

kill -INT "$SRV2"
rc=0
wait "$SRV2" || rc=$?
SRV=()
check "SIGINT stops the server cleanly ($rc)" [ "$rc" = 0 ]
check "... and removes its temporary folders" bash -c "! ls -d '$TMPDIR'/plansite-serve-* >/dev/null 2>&1"
if grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T"/serve*.log; then
	fail "sanitizers are quiet"
	grep -h 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T"/serve*.log | sed 's/^/# /'
else
	ok "sanitizers are quiet"
fi

if [ "$failures" -ne 0 ]; then
	echo "# $failures check(s) failed; server logs:"
	for f in "$T"/serve*.log; do sed "s|^|# $(basename "$f"): |" "$f"; done
	exit 1
fi
echo "# test_serve: all checks passed"
