#!/usr/bin/env bash
# test_history_readers.sh: the older versions of the plan files are read by
# one reader thread (hlog.c, HLOG_READERS: a second one raced the first
# through libgit2's delta chains and rebuilt them again), every change is
# found, and a second build without the history cache gives the same site.
# Enough versions (70) that fetch.c
# starts readers at all (it reads fewer than 64 on the caller's thread).
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
plan() {
	cat >"$R/content/plans/t.md" <<MD
---
number: "1/KH-T"
title: "Kế hoạch T"
issuer: Sở Tài chính
tasks:
  - id: "1"
    title: "Việc một"
    lead: Sở Tài chính
    due: "Ngày 05/12/2025"
    status: in_progress
    progress: $1
---
MD
}
for i in $(seq 0 70); do
	plan "$i"
	commit "$R" "2025-11-03T09:$(printf %02d $((i % 60))):$(printf %02d $((i / 60)))+07:00" "v$i"
done

O=$T/out
check "a history of 71 versions builds" build_ok "$R" "$O"
check "... with no error" bash -c "! grep -q 'error' '$T/stderr'"
rm -rf "$R/.git/plansite"
PLANSITE_TIMING=1 ps build --repo "$R" --out "$T/out2" 2>"$T/timing"
check "the 70 older versions are read by one reader thread" \
	grep -q 'blob readers [0-9.]* s, 1 thread)' "$T/timing"
check "... every change found" \
	test "$(json "len([e for e in d if e['plan']=='1/KH-T'])" "$O/du-lieu/changes.json")" = 71
check "the same site" diff -r -x .plansite-pages -x .plansite-state "$O" "$T/out2"
finish
