#!/usr/bin/env bash
# test_serve_ready.sh: what an edit of a plan's title waits for before its
# page is shown (serve --worktree announces the reload at "ready").  Only
# the pages whose inputs changed and that the edit shows first render before
# it: the plan's own page (and the small search, data and 404 pages, which
# have no fingerprint); the unchanged pages are linked after it, and the
# unit pages, the lists, the home page and the documents' pages render
# after it.  Read from PLANSITE_TIMING's "before ready" line.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "not ok - curl is needed"; exit 1; }

R=$T/repo
newrepo "$R"
python3 "$ROOT/tests/e2e/genbig.py" "$R/content" 6 30
commit "$R" "2025-01-02T09:00:00+07:00" "the plans"
mkdir -p "$T/tmp"
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PLANSITE_TIMING=1 TMPDIR=$T/tmp "$PLANSITE" serve --repo "$R" --worktree --port "$P" 2>"$T/serve.log" &
SRV=$!
trap 'kill $SRV 2>/dev/null && wait $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
up=0
for _ in $(seq 600); do
	case $(curl -s --max-time 5 "http://127.0.0.1:$P/__plansite/status" || true) in ok*) up=1; break ;; esac
	sleep 0.2
done
[ "$up" = 1 ] && ok "the server builds the work tree" || not_ok "the server builds the work tree"

# edit N: appends a marker to lon-2.md's title, waits for the reload event
# and for the plan's page to show it
edit() {
	python3 - "$P" "$R/content/plans/lon-2.md" "$1" <<'PY'
import http.client, re, socket, sys, time
port, path, n = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ev = socket.create_connection(("127.0.0.1", port), timeout=120)
ev.sendall(b"GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
got = b""
while b": plansite" not in got:
    got += ev.recv(4096)
text = open(path, encoding="utf-8").read()
text = re.sub(r'^title: "(.*?)( SUA\d+)?"$', lambda m: 'title: "%s SUA%s"' % (m.group(1), n), text, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(text)
got = b""
while b"event: reload" not in got:
    chunk = ev.recv(4096)
    if not chunk:
        sys.exit("the event stream closed")
    got += chunk
for _ in range(600):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", "/ke-hoach/3-kh-l/")
    if ("SUA" + n).encode() in c.getresponse().read():
        sys.exit(0)
    time.sleep(0.1)
sys.exit("the page did not show the edit")
PY
}
# idle: the rest of the edit's build has ended
idle() {
	for _ in $(seq 600); do
		curl -s "http://127.0.0.1:$P/__plansite/status" | head -1 | grep -q "still rendering" || return 0
		sleep 0.1
	done
}
nplans=$(ls "$R/content/plans" | wc -l)
for n in 1 2; do
	check "edit $n: the reload comes and the plan's page shows the new title" edit $n
	idle
	line=$(grep "before ready" "$T/serve.log" | tail -1 || true)
	echo "# $line"
	check "edit $n: before ready, the plan's own page rendered, once" \
		grep -q "jobs rendered (plan 1, search 1, data 1, 404 1)" <<<"$line"
	check "edit $n: before ready, no page was linked" grep -q ", 0 linked," <<<"$line"
	# the other plans' pages: their inputs did not change
	check "edit $n: the $((nplans - 1)) other plans' pages were put off until after it" \
		grep -q ", $((nplans - 1)) put off" <<<"$line"
done
# what was put off was still done: every page of the last build is there
check "the build after the edit kept or rendered every page" \
	grep -q "trang không đổi đầu vào được giữ nguyên" "$T/serve.log"
status=$(curl -s "http://127.0.0.1:$P/__plansite/status" | head -1)
check "the server's last build succeeded ($status)" grep -q "^ok" <<<"$status"
for u in / /don-vi/so-a/ /van-ban/57-nq-tw/ /ke-hoach/1-kh-l/; do
	code=$(curl -s -o "$T/page" -w '%{http_code}' "http://127.0.0.1:$P$u")
	check "GET $u after the edits: 200" test "$code" = 200
done
check "the unit page shows the edited title" grep -q "SUA2" <(curl -s "http://127.0.0.1:$P/don-vi/so-c/")
kill -TERM "$SRV"
wait "$SRV" || true
if grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T/serve.log"; then
	not_ok "sanitizers are quiet"
else
	ok "sanitizers are quiet"
fi
finish
