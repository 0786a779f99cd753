#!/usr/bin/env bash
# run.sh: builds the sample portal from its replayed history (as `make sample`
# does: tools/sample-history.sh), serves it over HTTP on 127.0.0.1 and drives
# Debian's chromium through it with playwright-core (no download): test.js,
# then every *.test.js beside it, each with the same BASE (the server) and
# ARTIFACTS (the screenshots folder, ignored by git) in its environment.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund --silent
T=$(mktemp -d "${TMPDIR:-/tmp}/plansite-browser.XXXXXX")
SERVER= SERVER2= SERVER3= SERVER4=
trap 'for s in $SERVER $SERVER2 $SERVER3 $SERVER4; do kill "$s" 2>/dev/null && wait "$s" 2>/dev/null || true; done; rm -rf "$T"' EXIT
# the sample as committed plus any uncommitted edits, replayed as a history
"$ROOT/tools/sample-history.sh" "$T/repo" "$ROOT/content"
"$ROOT/plansite" build --repo "$T/repo" --out "$T/site" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$T/site" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
# plansite serve --worktree on a clone of the sample, whose work tree
# serve.test.js edits
git clone -q "$T/repo" "$T/edit"
PORT4=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/serve-tmp"
TMPDIR="$T/serve-tmp" "$ROOT/plansite" serve --repo "$T/edit" --worktree --port "$PORT4" 2>"$T/serve.log" &
SERVER4=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT4/__plansite/status" | grep -q '^ok' && break; sleep 0.1; done
# the same portal with every section moved by permalinks, under /cong/
# (permalinks.test.js), served by a second server
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s#^base_url: .*#base_url: http://127.0.0.1:$PORT2/cong/#" "$T/repo/content/site.yaml"
printf '%s\n' 'permalinks:' '  plans: /plans/' '  units: /co-quan/units/' '  documents: /docs/' \
	'  deadlines: /han/' '  changes: /changes/' '  weeks: /weekly/' '  search: /search/' '  data: /open-data/' \
	>>"$T/repo/content/site.yaml"
git -C "$T/repo" -c user.name=t -c user.email=t@example.gov.vn commit -qam "Đổi địa chỉ" \
	--date=2025-12-15T17:30:00+07:00
mkdir -p "$T/moved"
"$ROOT/plansite" build --repo "$T/repo" --out "$T/moved/cong" 2>/dev/null
python3 -m http.server "$PORT2" --bind 127.0.0.1 --directory "$T/moved" >/dev/null 2>&1 &
SERVER2=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT2/cong/" >/dev/null && break; sleep 0.1; done
# a portal whose lists outgrow one page (pages.test.js): 1,200 tasks that
# fall due in one week, 430 plans; served by a third server
rm -rf "$T/big" && git init -q "$T/big" && mkdir -p "$T/big/content"
printf '%s\n' 'title: Cổng thử nghiệm' 'language: vi' >"$T/big/content/site.yaml"
python3 "$ROOT/tests/e2e/genbig.py" "$T/big/content" 12 418
git -C "$T/big" add -A
GIT_COMMITTER_DATE=2024-12-20T10:00:00+07:00 git -C "$T/big" -c user.name=t -c user.email=t@example.gov.vn \
	commit -qm "Đăng các kế hoạch" --date=2024-12-20T10:00:00+07:00
sed -i 's/due: "Năm 2026" }/due: "Năm 2026", status: in_progress }/' "$T/big/content/plans/nho-1.md"
GIT_COMMITTER_DATE=2025-01-08T10:00:00+07:00 git -C "$T/big" -c user.name=t -c user.email=t@example.gov.vn \
	commit -qam "Cập nhật tiến độ" --date=2025-01-08T10:00:00+07:00
GIT_COMMITTER_DATE=2025-01-20T10:00:00+07:00 git -C "$T/big" -c user.name=t -c user.email=t@example.gov.vn \
	commit -q --allow-empty -m "Chốt" --date=2025-01-20T10:00:00+07:00
"$ROOT/plansite" build --repo "$T/big" --out "$T/bigsite" 2>/dev/null
PORT3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT3" --bind 127.0.0.1 --directory "$T/bigsite" >/dev/null 2>&1 &
SERVER3=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT3/" >/dev/null && break; sleep 0.1; done
mkdir -p artifacts
export BASE="http://127.0.0.1:$PORT" ARTIFACTS="$PWD/artifacts" BASE_MOVED="http://127.0.0.1:$PORT2/cong/"
export BASE_BIG="http://127.0.0.1:$PORT3"
export BASE_SERVE="http://127.0.0.1:$PORT4" SERVE_REPO="$T/edit"
failed=0
for t in test.js *.test.js; do
	[ -f "$t" ] || continue
	echo "== $t"
	node "$t" || { failed=$((failed + 1)); echo "FAILED: $t"; }
done
[ "$failed" -eq 0 ] || { echo "$failed browser test file(s) failed"; exit 1; }
echo "all browser test files passed"
