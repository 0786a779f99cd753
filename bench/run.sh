#!/usr/bin/env bash
# bench/run.sh: issue #13's benchmark (make bench; see bench/README.md).
# A benchmark, not a test: it prints each target with its figure and never
# fails because one is not met.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v hugo >/dev/null && [ -z "${HUGO:-}" ]; then
	echo "bench: HUGO IS NOT INSTALLED: the Hugo-same target will not be measured (apt-get install hugo)" >&2
fi
exec python3 bench/bench.py
