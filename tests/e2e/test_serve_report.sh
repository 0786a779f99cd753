#!/usr/bin/env bash
# test_serve_report.sh: serve --worktree after an edit that changes no
# message (a title) keeps the last build's report and overlay without
# making the report's text again (PLANSITE_TIMING says which it did:
# 32,000 warnings are 6.7 MB of text, made, copied and compared before the
# reload), and makes it again when a message comes or goes.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "not ok - curl is needed"; exit 1; }

R=$T/repo
newrepo "$R"
python3 "$ROOT/tests/e2e/genbig.py" "$R/content" 2 4
# one warning to begin with: a task done without its date (W016)
python3 - "$R/content/plans/lon-1.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read().replace("status: in_progress", "status: done", 1)
open(p, "w", encoding="utf-8").write(s)
PY
commit "$R" "2025-01-02T09:00:00+07:00" "the plans"
mkdir -p "$T/tmp"

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PLANSITE_TIMING=1 TMPDIR=$T/tmp "$PLANSITE" serve --repo "$R" --worktree --port "$P" 2>"$T/serve.log" &
SRV=$!
trap 'kill $SRV 2>/dev/null && wait $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
B=http://127.0.0.1:$P

# ended: the server's last build has ended (status ok, nothing rendering)
ended() {
	local s
	s=$(curl -s --max-time 5 "$B/__plansite/status" || true)
	case $s in ok*) ;; *) return 1 ;; esac
	! grep -q "still rendering" <<<"$s"
}
# wait_until SECS CMD...: polls CMD
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		kill -0 "$SRV" 2>/dev/null || return 1
		sleep 0.2
	done
}
count() { grep -c "^plansite: serve    report $1" "$T/serve.log" || true; }
# retitle FILE WORD: appends WORD to the plan's title
retitle() { sed -i "s/^\\(title: \"[^\"]*\\)\"/\\1 $2\"/" "$1"; }
status_has() { curl -s --max-time 5 "$B/__plansite/status" | grep -q "$1"; }
page_has() { curl -s --max-time 5 "$B/ke-hoach/1-kh-n/" | grep -q "$1"; }

wait_until 300 ended || { not_ok "the server builds the work tree"; sed 's/^/# /' "$T/serve.log"; finish; }
ok "the server builds the work tree"
check "the first build's report has its warning" status_has "W016"

k0=$(count kept) m0=$(count 'made again')
retitle "$R/content/plans/nho-0.md" SUA1
check "a title edit reaches the page" wait_until 120 page_has "SUA1"
check "... with the same messages: the report is kept, not made again" \
	bash -c "[ $(count kept) -gt $k0 ] && [ $(count 'made again') = $m0 ]"
check "... and the page still carries the warnings' overlay" page_has 'id="plansite-warnings"'
wait_until 120 ended

# a new warning: the report is made again, and shows it
m0=$(count 'made again')
python3 - "$R/content/plans/lon-0.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read().replace("status: in_progress", "status: done", 1)
open(p, "w", encoding="utf-8").write(s)
PY
retitle "$R/content/plans/nho-0.md" SUA2
check "an edit that adds a warning reaches the page" wait_until 120 page_has "SUA2"
check "... the report is made again" bash -c "[ $(count 'made again') -gt $m0 ]"
check "... and the overlay shows the new warning" page_has "lon-0.md:[0-9]*:[0-9]*: warning: \[W016\]"
wait_until 120 ended
check "... and the status too, once the build ended" status_has "lon-0.md:[0-9]*:[0-9]*: warning: \[W016\]"

# the warning goes: made again, without it
m0=$(count 'made again')
python3 - "$R/content/plans/lon-0.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read().replace("status: done", "status: in_progress", 1)
open(p, "w", encoding="utf-8").write(s)
PY
retitle "$R/content/plans/nho-0.md" SUA3
check "an edit that removes a warning reaches the page" wait_until 120 page_has "SUA3"
check "... the report is made again" bash -c "[ $(count 'made again') -gt $m0 ]"
check "... and the overlay no longer shows it" bash -c "! curl -s '$B/ke-hoach/1-kh-n/' | grep -q 'lon-0.md:[0-9]*:[0-9]*: warning'"
wait_until 120 ended

# the next title edit compares with that build's messages: kept again
k0=$(count kept) m0=$(count 'made again')
retitle "$R/content/plans/nho-0.md" SUA4
check "a title edit after those reaches the page" wait_until 120 page_has "SUA4"
check "... the report is kept again" bash -c "[ $(count kept) -gt $k0 ] && [ $(count 'made again') = $m0 ]"
wait_until 120 ended
check "... the status names the same warning as at first" bash -c "curl -s '$B/__plansite/status' | grep -c 'warning: \[W016\]' | grep -qx 1"

kill -TERM "$SRV"
wait "$SRV" || true
if grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T/serve.log"; then
	not_ok "sanitizers are quiet"
	grep -h 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T/serve.log" | sed 's/^/# /'
else
	ok "sanitizers are quiet"
fi
finish
