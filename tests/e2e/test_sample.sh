#!/usr/bin/env bash
# test_sample.sh: the sample portal in content/ (the five seed plans) builds,
# keeps every task and indicator of the seeds, and resolves every unit.
. "$(dirname "$0")/lib.sh"

# the work tree, so uncommitted edits to the sample are tested too
git init -q "$T/sample"
cp -r "$ROOT/content" "$T/sample/"
commit "$T/sample" "2025-12-15T17:00:00+07:00" "Mẫu"
O=$T/out
check "the sample portal builds" build_ok "$T/sample" "$O"
ps check --repo "$T/sample" 2>"$T/err" || true
check "check passes with no error" bash -c "! grep -q ': error: ' '$T/err'"
check "every unit of the five seeds resolves to a registered unit" bash -c "! grep -q 'không có trong units.yaml\|names several units\|did you mean to quote' '$T/err'"
check "no warning but the \"5 rõ\" list (prose plans lack outputs)" bash -c "! grep ': warning: ' '$T/err' | grep -v '\"5 rõ\"'"
J=$O/du-lieu/plans.json
check "five plans" test "$(json 'len(d)' "$J")" = 5
check "185/KH-SDT&TG has its 8 tasks" test "$(json "len([p for p in d if p['number']=='185/KH-SDT&TG'][0]['tasks'])" "$J")" = 8
check "the Quang Sơn plan has 53 tasks and 23 indicators" test "$(json "[(len(p['tasks']),len(p['indicators'])) for p in d if p['id']=='ke-hoach-cds-xa-quang-son-2025'][0]" "$J")" = "(53, 23)"
check "44/KH-UBND has its 83 tasks" test "$(json "len([p for p in d if p['number']=='44/KH-UBND'][0]['tasks'])" "$J")" = 83
check "no unregistered unit in the open data" test "$(json "sum(1 for u in d if not u['registered'])" "$O/du-lieu/units.json")" = 0
python3 "$ROOT/tests/e2e/audit_figures.py" "$O" >"$T/audit" 2>&1 || true
check "every figure of every page agrees with the open data and the tasks ($(head -1 "$T/audit"))" grep -q ' checks, 0 failed$' "$T/audit"
grep -q ' checks, 0 failed$' "$T/audit" || cat "$T/audit"
check "a plan without a number is listed as such" grep -q "Chưa có số\|chưa có số" "$O/ke-hoach/index.html"

finish
