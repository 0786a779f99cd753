#!/usr/bin/env bash
# test_sample_history.sh: tools/sample-history.sh replays the sample as a
# content repository with a weekly history that ends exactly at content/,
# the same every time, and the portal built from it shows that history.
. "$(dirname "$0")/lib.sh"

H=$ROOT/tools/sample-history.sh
check "the replay runs" "$H" "$T/a"
check "a second replay runs" "$H" "$T/b"
check "the replay is deterministic (same head commit)" \
	test "$(git -C "$T/a" rev-parse HEAD)" = "$(git -C "$T/b" rev-parse HEAD)"
check "the replay refuses an existing destination" bash -c "! '$H' '$T/a' 2>/dev/null"
n=$(git -C "$T/a" rev-list --count HEAD)
check "15 or more commits ($n)" test "$n" -ge 15
check "every commit is dated between July and December 2025" bash -c \
	"git -C '$T/a' log --format=%ad --date=format:%Y-%m | sort -u | grep -vx '2025-0[7-9]\|2025-1[0-2]' | wc -l | grep -qx 0"
check "the last commit is Monday 15/12/2025 17:00 +07:00" \
	test "$(git -C "$T/a" log -1 --format=%ad --date=iso-strict)" = "2025-12-15T17:00:00+07:00"
check "progress is committed on Fridays" bash -c \
	"git -C '$T/a' log --format='%ad %s' --date=format:%a | grep 'Cập nhật tiến độ' | grep -v '^Fri ' | wc -l | grep -qx 0"
check "by several named editors" test "$(git -C "$T/a" log --format=%an | sort -u | wc -l)" -ge 4
check "with Vietnamese subjects" bash -c "git -C '$T/a' log --format=%s | grep -q 'Cập nhật tiến độ Kế hoạch 44/KH-UBND'"
check "none by the project's own developers" bash -c "! git -C '$T/a' log --format=%an | grep -qi 'plansite\|developer'"
git -C "$T/a" archive HEAD content | tar -x -C "$T" --one-top-level=final
check "the last commit holds content/ exactly" diff -r "$ROOT/content" "$T/final/content"
oct=$(git -C "$T/a" rev-list -1 --before=2025-11-01 HEAD)
done_in() { grep -c '^    status: \(done\|Hoàn thành\)$' || true; }
d_oct=$(git -C "$T/a" show "$oct:content/plans/ke-hoach-cds-xa-quang-son-2025.md" | done_in)
d_end=$(done_in <"$ROOT/content/plans/ke-hoach-cds-xa-quang-son-2025.md")
check "statuses advance: fewer Quang Sơn tasks done in October ($d_oct) than at the end ($d_end)" test "$d_oct" -lt "$d_end"
p_oct=$(git -C "$T/a" show "$oct:content/plans/ke-hoach-cds-xa-quang-son-2025.md" | grep -c '^    status: not_started$' || true)
check "and some not yet started in October ($p_oct)" test "$p_oct" -gt 0
check "a plan appears when it was issued (44/KH-UBND not before 15/11/2025)" bash -c \
	"! git -C '$T/a' show \$(git -C '$T/a' rev-list -1 --before=2025-11-15 HEAD):content/plans/44-kh-ubnd.md >/dev/null 2>&1"

O=$T/out
check "the replayed sample builds with no --as-of" build_ok "$T/a" "$O"
check "every page's as-of date is the last commit's" grep -q '<time datetime="2025-12-15">' "$O/index.html" "$O/ke-hoach/44-kh-ubnd/index.html"
weeks=$(find "$O/bao-cao-tuan" -mindepth 2 -name index.html | wc -l)
check "15 or more weekly reports ($weeks)" test "$weeks" -ge 15
pts=$(grep -o '<circle' "$O/ke-hoach/ke-hoach-cds-xa-quang-son-2025/index.html" | wc -l)
check "the Quang Sơn plan's chart has several points ($pts)" test "$pts" -ge 5
ps build --repo "$T/b" --out "$T/out2" 2>/dev/null
check "the two replays build byte-identical portals" diff -r "$O" "$T/out2"
finish
