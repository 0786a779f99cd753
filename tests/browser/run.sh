#!/usr/bin/env bash
# run.sh: builds the sample portal, serves it over HTTP on 127.0.0.1 and
# drives Debian's chromium through it with playwright-core (no download).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund --silent
T=$(mktemp -d "${TMPDIR:-/tmp}/plansite-browser.XXXXXX")
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$T"' EXIT
# the sample as committed plus any uncommitted edits, in a repository of its own
git init -q "$T/repo"
cp -r "$ROOT/content" "$T/repo/"
(cd "$T/repo" && git add -A && GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@x GIT_AUTHOR_DATE=2025-12-15T17:00:00+07:00 \
	GIT_COMMITTER_DATE=2025-12-15T17:00:00+07:00 git commit -qm sample)
"$ROOT/plansite" build --repo "$T/repo" --out "$T/site" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$T/site" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
mkdir -p artifacts
rc=0
BASE="http://127.0.0.1:$PORT" ARTIFACTS="$PWD/artifacts" node test.js || rc=1
# unit pages, overdue lists, page identity, footer (issue 12)
BASE="http://127.0.0.1:$PORT" ARTIFACTS="$PWD/artifacts" node units.test.js || rc=1
exit $rc
