#!/usr/bin/env bash
# test_lists_state.sh: a build into the site of an earlier commit links
# the list pages whose inputs did not change (each page of each status
# view, each deadlines page, the plans, units and search indexes) from that
# site and renders those whose rows, figures or pager changed; after every
# kind of commit the site equals a clean build byte for byte.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
# more plans: the lists run over several pages (400 rows a page)
for i in 61 62 63 64 65 66; do
	sed -e "s/^number: \"44\/KH-UBND\"/number: \"$i\/KH-UBND\"/" "$R/content/plans/44-kh-ubnd.md" \
		>"$R/content/plans/$i-kh-ubnd.md"
done
commit "$R" "2025-12-01T08:00:00+07:00" "Cổng mẫu"
OUT=$T/pub
n=0
clean() {
	n=$((n + 1))
	rm -rf "$T/clean$n"
	ps build --repo "$R" --out "$T/clean$n" "$@" 2>/dev/null
	diff -r "$OUT" "$T/clean$n"
}
kept() { sed -n 's/^plansite: \([0-9]*\) trang không đổi đầu vào được giữ nguyên, \([0-9]*\) trang được dựng lại$/\1 \2/p' "$T/stderr"; }
# the inode and name of every list page: a page linked from the previous
# site keeps its inode
lists() {
	(cd "$OUT" && find thoi-han ke-hoach/index.html tim-kiem/manifest.json -name '*.html' -o -name manifest.json) |
		sort | while read -r f; do echo "$(stat -c %i "$OUT/$f") $f"; done
}
# how many list pages kept their inode, and how many did not, since $1
same_new() {
	join -j 2 <(sort -k2 "$1") <(lists | sort -k2) | awk '{ if ($2 == $3) s++; else c++ } END { print s + 0, c + 0 }'
}
ino() { stat -c %i "$OUT/$1"; }

check "the first build publishes" build_ok "$R" "$OUT" --verbose
for f in thoi-han/tat-ca/index.html thoi-han/tat-ca/trang/2/index.html thoi-han/index.html \
	thoi-han/trang/2/index.html thoi-han/qua-han/index.html ke-hoach/index.html don-vi/index.html \
	tim-kiem/manifest.json; do
	check "... records the list page $f and its inputs" grep -q "^[0-9a-f]\{40\} [0-9]* list $f\$" "$OUT/.plansite-pages"
done
check "... naming every file of the search index" \
	bash -c "[ \"\$(sed -n '/ list tim-kiem\\/manifest.json\$/s/^[0-9a-f]* \\([0-9]*\\) .*/\\1/p' '$OUT/.plansite-pages')\" = \"\$(find '$OUT/tim-kiem' -name '*.json' | wc -l)\" ]"
check "... and equals a clean build" clean

# one task's progress: the pages that show the task render, the others
# (and the search index, which shows no progress) are linked
P=$R/content/plans/66-kh-ubnd.md
lists >"$T/before"
units_ino=$(ino don-vi/index.html)
sed -i '0,/    progress: 85/s//    progress: 86/' "$P"
commit "$R" "2025-12-01T09:00:00+07:00" "Tiến độ"
check "a progress change builds" build_ok "$R" "$OUT" --verbose
read -r s c <<<"$(same_new "$T/before")"
check "... links most list pages ($s linked, $c rendered)" test "$s" -gt "$c" -a "$c" -gt 0
check "... the search index is linked" grep -q "^$(ino tim-kiem/manifest.json) tim-kiem/manifest.json\$" "$T/before"
check "... the plans index too (no figure changed)" grep -q "^$(ino ke-hoach/index.html) ke-hoach/index.html\$" "$T/before"
check "... and the units index" test "$(ino don-vi/index.html)" = "$units_ino"
check "... a page of all tasks shows the new progress" bash -c "grep -l '66/KH-UBND' '$OUT'/thoi-han/tat-ca/index.html '$OUT'/thoi-han/tat-ca/trang/*/index.html | xargs grep -q '86%'"
check "... and the site equals a clean build" clean

# a status change moves a task from one view to another, and changes the
# figures every view shows: every status page renders
lists >"$T/before"
units_ino=$(ino don-vi/index.html)
sed -i '0,/    status: in_progress\n    progress: 50/s///' "$P"
sed -i '0,/    status: in_progress/s//    status: done\n    completed: 2025-11-30/' "$P"
commit "$R" "2025-12-01T10:00:00+07:00" "Hoàn thành"
check "a status change builds" build_ok "$R" "$OUT" --verbose
check "... the plans index renders (its figures changed)" bash -c "! grep -q '^$(ino ke-hoach/index.html) ' '$T/before'"
check "... so does the units index" test "$(ino don-vi/index.html)" != "$units_ino"
check "... and the site equals a clean build" clean

# a deadline moved to another month (and page of the deadlines)
sed -i '0,/    due: Ngày 15\/12\/2025/s//    due: Ngày 20\/03\/2026/' "$P"
commit "$R" "2025-12-01T11:00:00+07:00" "Đổi thời hạn"
check "a deadline change builds" build_ok "$R" "$OUT"
check "... the deadlines pages show the new month" grep -rq "03/2026" "$OUT/thoi-han/index.html" "$OUT/thoi-han/trang"
check "... and the site equals a clean build" clean

# a task's title: the search index renders and finds it
lists >"$T/before"
sed -i '0,/^    title: "Cập nhật bổ sung dịch vụ công/s//    title: "Tên mới riêng biệt: cập nhật bổ sung dịch vụ công/' "$P"
commit "$R" "2025-12-01T12:00:00+07:00" "Đổi tên nhiệm vụ"
check "a task's new title builds" build_ok "$R" "$OUT"
check "... the search index renders" bash -c "! grep -q '^$(ino tim-kiem/manifest.json) ' '$T/before'"
check "... and holds the new title" grep -rq "Tên mới riêng biệt" "$OUT/tim-kiem/rec"
check "... and the site equals a clean build" clean

# a new plan, then the plan removed
sed -e 's/^number: "44\/KH-UBND"/number: "70\/KH-UBND"/' "$R/content/plans/44-kh-ubnd.md" >"$R/content/plans/70-kh-ubnd.md"
commit "$R" "2025-12-01T13:00:00+07:00" "Thêm kế hoạch"
check "a new plan builds" build_ok "$R" "$OUT"
check "... the plans index lists it" grep -q "70/KH-UBND" "$OUT/ke-hoach/index.html"
check "... and the site equals a clean build" clean
git -C "$R" rm -q content/plans/70-kh-ubnd.md content/plans/65-kh-ubnd.md
commit "$R" "2025-12-01T14:00:00+07:00" "Xoá kế hoạch"
check "removed plans build" build_ok "$R" "$OUT"
check "... no list names them" bash -c "! grep -rq '[^0-9]70/KH-UBND\|[^0-9]65/KH-UBND' '$OUT/thoi-han' '$OUT/ke-hoach/index.html'"
check "... and the site equals a clean build" clean

# a unit renamed: every page naming it changes
sed -i 's/^  name: Sở Khoa học và Công nghệ$/  name: Sở Khoa học, Công nghệ và Đổi mới/' "$R/content/units.yaml"
commit "$R" "2025-12-01T15:00:00+07:00" "Đổi tên đơn vị"
check "a unit renamed builds" build_ok "$R" "$OUT"
check "... the lists show the new name" grep -rq "Sở Khoa học, Công nghệ và Đổi mới" "$OUT/thoi-han/tat-ca"
check "... and the site equals a clean build" clean

# a commit a month later: the as-of date (the commit's) makes tasks overdue
sed -i '0,/    progress: 50/s//    progress: 55/' "$P"
commit "$R" "2026-01-10T08:00:00+07:00" "Tháng sau"
check "a later as-of date builds" build_ok "$R" "$OUT" --verbose
check "... and the site equals a clean build" clean

# a theme whose status views show the commit: each commit renders them,
# the deadlines pages (which do not) are linked
cp -r "$ROOT/themes/default" "$T/theme"
sed -i 's|^{{/main}}|<span class="v">{{site.commit_short}}</span>\n{{/main}}|' "$T/theme/templates/status_tasks.mustache"
build_ok "$R" "$OUT" --theme "$T/theme"
lists >"$T/before"
sed -i '0,/    progress: 55/s//    progress: 56/' "$P"
commit "$R" "2026-01-10T09:00:00+07:00" "Tiến độ"
check "a theme showing the commit on the status views builds" build_ok "$R" "$OUT" --theme "$T/theme"
check "... every status view page shows the new commit" \
	bash -c "! grep -L '<span class=\"v\">$(git -C "$R" rev-parse --short=7 HEAD)' \$(find '$OUT/thoi-han' -mindepth 2 -name index.html ! -path '*/thoi-han/trang/*') | grep -q ."
check "... the deadlines pages without the task are linked" \
	bash -c "join -j 2 <(grep ' thoi-han/\(index.html\|trang/\)' '$T/before' | sort -k2) <(cd '$OUT' && for f in thoi-han/index.html thoi-han/trang/*/index.html; do echo \"\$(stat -c %i \$f) \$f\"; done | sort -k2) | awk '\$2 == \$3' | grep -q ."
check "... and the site equals a clean build" clean --theme "$T/theme"
finish
