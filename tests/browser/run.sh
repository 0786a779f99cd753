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
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
# the sample as committed plus any uncommitted edits, replayed as a history
"$ROOT/tools/sample-history.sh" "$T/repo" "$ROOT/content"
"$ROOT/plansite" build --repo "$T/repo" --out "$T/site" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$T/site" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
mkdir -p artifacts
export BASE="http://127.0.0.1:$PORT" ARTIFACTS="$PWD/artifacts"
failed=0
for t in test.js *.test.js; do
	[ -f "$t" ] || continue
	echo "== $t"
	node "$t" || { failed=$((failed + 1)); echo "FAILED: $t"; }
done
[ "$failed" -eq 0 ] || { echo "$failed browser test file(s) failed"; exit 1; }
echo "all browser test files passed"
