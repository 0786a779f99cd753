#!/usr/bin/env bash
# test_pages_state.sh: a build into the site of an earlier commit renders
# only the plan and unit pages whose inputs changed and links the others
# from that site (.plansite-pages); after every kind of commit the result
# equals a clean build byte for byte; a theme that shows the commit on every
# page renders them all; a damaged, foreign or contradicted state is
# ignored with a warning (W044, W045, W046), never giving a wrong page.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
commit "$R" "2025-12-01T08:00:00+07:00" "Cổng mẫu"
OUT=$T/pub
# the default theme prints the commit in every page's footer; this copy
# does not, so a page can stay as it was after a commit
cp -r "$ROOT/themes/default" "$T/theme"
sed -i 's/{{#site.commit_short}}[^$]*{{\/site.commit_short}}//' "$T/theme/templates/base.mustache"
grep -q "site.commit" "$T/theme/templates/base.mustache" && { echo "not ok - the theme copy still shows the commit"; exit 1; }
TH=(--theme "$T/theme")
n=0
# clean: a fresh build of the same commit, compared file by file
clean() {
	n=$((n + 1))
	rm -rf "$T/clean$n"
	ps build --repo "$R" --out "$T/clean$n" "$@" 2>/dev/null
	diff -r "$OUT" "$T/clean$n"
}
kept() { sed -n 's/^plansite: \([0-9]*\) trang không đổi đầu vào được giữ nguyên, \([0-9]*\) trang được dựng lại$/\1 \2/p' "$T/stderr"; }
A=$R/content/plans/44-kh-ubnd.md
B=$R/content/plans/185-kh-sdt-tg.md
page_a=$OUT/ke-hoach/44-kh-ubnd/index.html
page_b=$OUT/ke-hoach/185-kh-sdt-tg/index.html

check "the first build publishes" build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "... and records its pages (plans and units) and their inputs" \
	bash -c "grep -q ' plan /ke-hoach/44-kh-ubnd/\$' '$OUT/.plansite-pages' && grep -q ' unit /don-vi/' '$OUT/.plansite-pages'"
check "... naming each page's files with their sizes" \
	grep -q "^$(stat -c %s "$page_a") ke-hoach/44-kh-ubnd/index.html\$" "$OUT/.plansite-pages"
check "... and equals a clean build (the state file too)" clean "${TH[@]}"
check "... rendering every page (nothing to keep)" test "$(kept | cut -d' ' -f1)" = 0

# a status change in one plan: its page and its units' pages are
# rendered, every other plan's page is linked from the previous site
ia=$(stat -c %i "$page_a")
ib=$(stat -c %i "$page_b")
sed -i '0,/    status: in_progress/s//    status: done\n    completed: 2025-11-30/' "$A"
commit "$R" "2025-12-01T09:00:00+07:00" "Cập nhật trạng thái"
check "a build after a status change succeeds" build_ok "$R" "$OUT" "${TH[@]}" --verbose
read -r k r <<<"$(kept)"
check "... keeps most pages ($k kept, $r rendered)" test "$k" -gt "$r"
check "... links an unchanged plan's page (same file)" test "$ib" = "$(stat -c %i "$page_b")"
check "... renders the changed plan's page" test "$ia" != "$(stat -c %i "$page_a")"
check "... which shows the change" grep -q "status-done\|Hoàn thành" "$page_a"
check "... and equals a clean build, byte for byte" clean "${TH[@]}"

# a deadline change
sed -i '0,/    due: Ngày 15\/12\/2025/s//    due: Ngày 20\/12\/2025/' "$A"
commit "$R" "2025-12-01T10:00:00+07:00" "Đổi thời hạn"
build_ok "$R" "$OUT" "${TH[@]}"
check "after a deadline change: equals a clean build" clean "${TH[@]}"
check "... and shows the new deadline" grep -q "20/12/2025" "$page_a"

# a new plan: every plan's page may name it (names and links), all render
sed -e 's/^number: "44\/KH-UBND"/number: "45\/KH-UBND"/' "$A" >"$R/content/plans/45-kh-ubnd.md"
commit "$R" "2025-12-01T11:00:00+07:00" "Thêm kế hoạch"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "after a new plan: its page is published" test -s "$OUT/ke-hoach/45-kh-ubnd/index.html"
check "... and the site equals a clean build" clean "${TH[@]}"

# a deleted plan
git -C "$R" rm -q content/plans/45-kh-ubnd.md
commit "$R" "2025-12-01T12:00:00+07:00" "Xoá kế hoạch"
build_ok "$R" "$OUT" "${TH[@]}"
check "after a deleted plan: its page is gone" test ! -e "$OUT/ke-hoach/45-kh-ubnd"
check "... and the site equals a clean build" clean "${TH[@]}"
check "... and the state no longer names it" bash -c "! grep -q 45-kh-ubnd '$OUT/.plansite-pages'"

# a plan whose page shows another plan: its text names it (a link with the
# other plan's title) or it implements it (the chain above it); the other
# plan renamed, both pages change
C=$R/content/plans/ke-hoach-57-nq-tw-dang-uy-xa.md
page_c=$OUT/ke-hoach/ke-hoach-57-nq-tw-dang-uy-xa/index.html
printf '\nXem thêm Kế hoạch số 185/KH-SDT&TG.\n' >>"$A"
sed -i 's|^implements: \[62-CTr/TU, 57-NQ/TW\]|implements: [62-CTr/TU, 57-NQ/TW, 185/KH-SDT\&TG]|' "$C"
commit "$R" "2025-12-01T12:30:00+07:00" "Dẫn chiếu kế hoạch khác"
build_ok "$R" "$OUT" "${TH[@]}"
check "plans naming another plan: equal a clean build" clean "${TH[@]}"
sed -i 's/^title: "Thực hiện Nghị quyết số 71/title: "Tên mới: thực hiện Nghị quyết số 71/' "$B"
commit "$R" "2025-12-01T12:40:00+07:00" "Đổi tên kế hoạch B"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "the named plan renamed: the page whose text names it shows the new title" grep -q 'title="Tên mới: thực hiện' "$page_a"
check "... so does the page of the plan implementing it" grep -q 'Tên mới: thực hiện' "$page_c"
check "... and the site equals a clean build" clean "${TH[@]}"

# units.yaml: a unit renamed
sed -i 's/^  name: Quốc hội$/  name: Quốc hội khoá XV/' "$R/content/units.yaml"
commit "$R" "2025-12-01T13:00:00+07:00" "Đổi tên đơn vị"
build_ok "$R" "$OUT" "${TH[@]}"
check "after a units.yaml change: equals a clean build" clean "${TH[@]}"
check "... which names the unit anew" grep -rq "Quốc hội khoá XV" "$OUT/don-vi"

# a template of the site's own (content/templates) and a theme template
mkdir -p "$R/content/templates"
sed 's/<article class="plan">/<article class="plan" data-site-template="1">/' "$T/theme/templates/plan.mustache" >"$R/content/templates/plan.mustache"
commit "$R" "2025-12-01T14:00:00+07:00" "Mẫu trang riêng"
build_ok "$R" "$OUT" "${TH[@]}"
check "after a site template: equals a clean build" clean "${TH[@]}"
check "... which uses it" grep -q 'data-site-template="1"' "$page_b"
sed -i 's/<\/footer>/<p class="theme-changed">x<\/p><\/footer>/' "$T/theme/templates/base.mustache"
sed -i '0,/    progress: 70/s//    progress: 86/' "$B"
commit "$R" "2025-12-01T15:00:00+07:00" "Tiến độ"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "after a theme template change: nothing is kept" test "$(kept | cut -d' ' -f1)" = 0
check "... the pages show it" grep -q 'theme-changed' "$page_a"
check "... and equal a clean build" clean "${TH[@]}"

# a theme whose plan and unit pages show the commit (through a partial
# they include): a commit renders them all; the default theme shows it on
# the open data page only, whose page always renders
cp -r "$T/theme" "$T/theme-commit"
printf '<span class="v">{{site.commit_short}}</span>\n' >>"$T/theme-commit/templates/as_of.mustache"
build_ok "$R" "$OUT" --theme "$T/theme-commit" --force
sed -i '0,/    progress: 86/s//    progress: 87/' "$B"
commit "$R" "2025-12-01T16:00:00+07:00" "Tiến độ"
build_ok "$R" "$OUT" --theme "$T/theme-commit" --verbose
check "a theme that shows the commit on every page: a commit keeps no page (only the search index, made without a template)" test "$(kept | cut -d' ' -f1)" = 1
check "... and every plan's page shows the new commit" \
	grep -q "<span class=\"v\">$(git -C "$R" rev-parse --short=7 HEAD)" "$page_a"
check "... equal to a clean build" clean --theme "$T/theme-commit"
build_ok "$R" "$OUT" --force
sed -i '0,/    progress: 87/s//    progress: 57/' "$B"
commit "$R" "2025-12-01T16:30:00+07:00" "Tiến độ"
build_ok "$R" "$OUT" --verbose
read -r k r <<<"$(kept)"
check "the default theme (the commit on the open data page only): a commit keeps pages ($k kept)" test "$k" -gt 0
check "... the open data page names the new commit" grep -q "$(git -C "$R" rev-parse --short=7 HEAD)" "$OUT/du-lieu/index.html"
check "... equal to a clean build" clean

# a state damaged (a byte changed, or cut short): W044, every page renders
build_ok "$R" "$OUT" "${TH[@]}"
state_commit() {
	sed -i "0,/    progress: [0-9]*/s//    progress: $1/" "$B"
	commit "$R" "2025-12-01T$2:00:00+07:00" "Tiến độ $1"
}
# a byte changed (whatever it was: a fingerprint may begin with 0)
sed -i '2{s/^0/1/;t;s/^./0/}' "$OUT/.plansite-pages"
state_commit 88 17
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a damaged state is reported (W044)" grep -q "\.plansite-pages: warning: \[W044\]" "$T/stderr"
check "... and ignored: nothing kept" test "$(kept | cut -d' ' -f1)" = 0
check "... the site equals a clean build" clean "${TH[@]}"
truncate -s 300 "$OUT/.plansite-pages"
state_commit 89 18
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a state cut short is reported (W044)" grep -q "W044" "$T/stderr"
check "... and the site equals a clean build" clean "${TH[@]}"

# a state of another format (another plansite): W045
sed -i '1s/.*/plansite-pages 9/' "$OUT/.plansite-pages"
state_commit 90 19
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a state of another format is reported (W045)" grep -q "warning: \[W045\]" "$T/stderr"
check "... and ignored: nothing kept" test "$(kept | cut -d' ' -f1)" = 0
check "... the site equals a clean build" clean "${TH[@]}"

# a kept page edited (or removed) by hand in the published site: W046,
# the page rendered from the content, never the edited copy linked
ib=$(stat -c %i "$page_b")
echo "<!-- sửa tay -->" >>"$page_a"
rm "$OUT/don-vi/quoc-hoi/index.html" 2>/dev/null || rm "$(ls -d "$OUT"/don-vi/*/index.html | head -1)"
sed -i '0,/    progress: 90/s//    progress: 91/' "$B"
commit "$R" "2025-12-01T20:00:00+07:00" "Tiến độ B"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a page edited by hand is reported (W046) with its file" \
	grep -q "ke-hoach/44-kh-ubnd/index.html: warning: \[W046\]" "$T/stderr"
check "... so is a page removed by hand" grep -q "don-vi/.*index.html: warning: \[W046\]" "$T/stderr"
check "... the edited copy is not published" bash -c "! grep -q 'sửa tay' '$page_a'"
check "... the site equals a clean build" clean "${TH[@]}"

# states forged with a valid checksum: a line that is no entry (W044 at
# that line), a file outside the site (W044), another fingerprint (the
# page renders, no warning)
reseal() {
	head -n -1 "$1" >"$T/body"
	{ cat "$T/body"; echo "end $(git hash-object --stdin <"$T/body")"; } >"$1"
}
build_ok "$R" "$OUT" "${TH[@]}"
sed -i '3s/^[0-9]* /x /' "$OUT/.plansite-pages"
reseal "$OUT/.plansite-pages"
state_commit 92 21
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a state line that is no entry is reported at its line (W044)" \
	grep -q "\.plansite-pages:3:1: warning: \[W044\]" "$T/stderr"
check "... and the site equals a clean build" clean "${TH[@]}"
sed -i "s| ke-hoach/185-kh-sdt-tg/index.html\$| ../../outside.html|" "$OUT/.plansite-pages"
reseal "$OUT/.plansite-pages"
state_commit 93 22
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a state naming a file outside the site is refused (W044)" grep -q "warning: \[W044\]" "$T/stderr"
check "... and the site equals a clean build" clean "${TH[@]}"
sed -i "s|^[0-9a-f]\{40\}\( 1 plan /ke-hoach/185-kh-sdt-tg/\)\$|0000000000000000000000000000000000000000\1|" "$OUT/.plansite-pages"
reseal "$OUT/.plansite-pages"
grep -q "^0\{40\} 1 plan /ke-hoach/185-kh-sdt-tg/" "$OUT/.plansite-pages" || echo "not ok - the forged fingerprint was not written"
# ... and its page changed by hand, keeping its size: linked, it would stay
sed -i '0,/<body/s//<BODY/' "$page_b"
echo "Thêm một dòng." >>"$A"   # plan A changes, plan B does not
commit "$R" "2025-12-01T23:00:00+07:00" "Thêm một dòng"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a page whose recorded fingerprint differs is rendered, not linked" bash -c "! grep -q '<BODY' '$page_b'"
check "... without a warning" bash -c "! grep -q 'W04[456]' '$T/stderr'"
check "... and the site equals a clean build" clean "${TH[@]}"

# weekly reports: a commit in a later week keeps the earlier week's report
# unless it shows the plan changed; a commit dated back into an earlier
# week (a clock set wrong) changes that week's report
wk1=$OUT/bao-cao-tuan/2025-W49/index.html
check "the week of the commits so far has its report" test -s "$wk1"
sed -i '0,/    progress: [0-9]*/s//    progress: 95/' "$B"
commit "$R" "2025-12-09T09:00:00+07:00" "Tuần sau"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a commit in a later week: its report is published" test -s "$OUT/bao-cao-tuan/2025-W50/index.html"
check "... the site equals a clean build" clean "${TH[@]}"
sed -i '0,/    progress: [0-9]*/s//    progress: 96/' "$B"
commit "$R" "2025-12-02T09:00:00+07:00" "Ngày lùi về tuần trước"
build_ok "$R" "$OUT" "${TH[@]}" --verbose
check "a commit dated back into an earlier week: the site equals a clean build" clean "${TH[@]}"

# --force renders every page and shares nothing
build_ok "$R" "$OUT" "${TH[@]}" --force --verbose
check "--force keeps no page" test "$(kept | cut -d' ' -f1)" = 0
check "... and equals a clean build" clean "${TH[@]}"

# another --as-of: every page renders (the as-of date is on every page)
build_ok "$R" "$OUT" "${TH[@]}" --as-of 2025-12-31 --verbose
check "another --as-of keeps no page" test "$(kept | cut -d' ' -f1)" = 0
check "... and equals a clean build" clean "${TH[@]}" --as-of 2025-12-31
finish
