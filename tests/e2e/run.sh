#!/usr/bin/env bash
# run.sh: runs every end-to-end test with the plansite binary in $PLANSITE,
# and ends with the count of checks ("N passed, N failed") that CI reads.
set -uo pipefail
cd "$(dirname "$0")/../.."
failed=0 passed_checks=0 failed_checks=0
log=$(mktemp "${TMPDIR:-/tmp}/plansite-e2e-log.XXXXXX")
trap 'rm -f "$log"' EXIT
for t in tests/e2e/test_*.sh; do
	echo "== $t"
	if ! bash "$t" 2>&1 | tee "$log"; then
		failed=$((failed + 1))
		echo "FAILED: $t"
	fi
	passed_checks=$((passed_checks + $(grep -c '^ok' "$log")))
	failed_checks=$((failed_checks + $(grep -c '^not ok' "$log")))
done
echo "e2e: $passed_checks passed, $failed_checks failed"
[ "$failed" -eq 0 ] || { echo "$failed end-to-end test file(s) failed"; exit 1; }
echo "all end-to-end tests passed"
