#!/usr/bin/env bash
# run.sh: runs every end-to-end test with the plansite binary in $PLANSITE.
set -uo pipefail
cd "$(dirname "$0")/../.."
failed=0
for t in tests/e2e/test_*.sh; do
	echo "== $t"
	if ! bash "$t"; then
		failed=$((failed + 1))
		echo "FAILED: $t"
	fi
done
[ "$failed" -eq 0 ] || { echo "$failed end-to-end test file(s) failed"; exit 1; }
echo "all end-to-end tests passed"
