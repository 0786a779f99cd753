#!/usr/bin/env bash
# test_xref.sh: units and documents cross-referenced by name and number:
# matching rules on real spellings, scoped resolution, unregistered units,
# number aliases, the implements graph, body links, Vietnamese order, slugs.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: ubnd-tinh, name: UBND tỉnh Thái Nguyên, kind: agency }
- { id: so-khcn, name: Sở Khoa học và Công nghệ, aliases: [Sở KH&CN], parent: ubnd-tinh, kind: department }
- { id: so-dttg, name: Sở Dân tộc và Tôn giáo, parent: ubnd-tinh, kind: department }
- { id: vp-so-dttg, name: Văn phòng, parent: so-dttg, kind: department }
- { id: vp-so-khcn, name: Văn phòng, parent: so-khcn, kind: department }
- { id: vp-tu, name: Văn phòng Tỉnh ủy, kind: agency }
- { id: phong-vhxh, name: Phòng Văn hóa - Xã hội, kind: department }
- { id: tt-pvhcc, name: Trung tâm Phục vụ hành chính công tỉnh, aliases: [Trung tâm PVHCC tỉnh, Trung tâm Phục vụ HCC tỉnh], kind: agency }
- { id: cac-so, name: "Các sở, ban, ngành", kind: collective }
- { id: ubnd-hoa-binh, name: UBND xã Hòa Bình, kind: agency }
- { id: ubnd-an-khanh, name: UBND xã An Khánh, kind: agency }
- { id: ubnd-ap-bac, name: UBND xã Ấp Bắc, kind: agency }
- { id: ubnd-dong-hy, name: UBND xã Đồng Hỷ, kind: agency }
- { id: ubnd-duong-son, name: UBND xã Dương Sơn, kind: agency }
YAML
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: "Đột phá khoa học, công nghệ", issuer: Bộ Chính trị, date: 2024-12-22 }
- { number: 71/NQ-CP, type: Nghị quyết, title: "Chương trình hành động của Chính phủ", aliases: [71-NQ/CP], implements: [57-NQ/TW] }
- { number: 155/KH-UBND, type: Kế hoạch, title: "Kế hoạch của tỉnh", implements: [71-NQ/CP] }
YAML
cat >"$R/content/plans/185.md" <<'MD'
---
number: "185/KH-SDT&TG"
title: "Kế hoạch của Sở Dân tộc và Tôn giáo"
issuer: Sở Dân tộc và Tôn giáo
implements: [71-nq/cp, 155 / KH-UBND, 99/QĐ-XYZ]
tasks:
  - { id: "1", title: "Văn phòng của Sở", lead: Văn phòng, support: [Văn phòng Tỉnh uỷ, Phòng Văn hoá – Xã hội] }
  - { id: "2", title: "Tập thể", lead: [Các sở, ban, ngành] }
  - { id: "3", title: "Viết tắt", lead: Sở KH & CN, support: [Trung tâm PVHCC tỉnh, Trung tâm Phục vụ HCC tỉnh] }
  - { id: "4", title: "Chưa có", lead: Sở Khoa hoc và Công nghệ }
  - { id: "5", title: "Hoàn toàn lạ", lead: Ban Quản lý dự án ABC }
  - { id: "6", title: "Xếp thứ tự", lead: [UBND xã Dương Sơn, UBND xã Ấp Bắc, UBND xã Đồng Hỷ, UBND xã Hòa Bình, UBND xã An Khánh] }
---
Thực hiện Nghị quyết số 71-NQ/CP và Nghị quyết 57-nq/tw; không phải 157-NQ/TW,
không phải 57-NQ/TW-BCS. Trong mã `57-NQ/TW` thì không. Đã có [liên kết 57-NQ/TW](https://example.org/).

    57-NQ/TW trong khối mã
MD
cat >"$R/content/plans/khcn.md" <<'MD'
---
number: "20/KH-SKHCN"
title: "Kế hoạch của Sở Khoa học và Công nghệ"
issuer: Sở KH&CN
implements: [185/KH-SDT&TG]
tasks:
  - { id: "1", title: "Văn phòng của Sở KH&CN", lead: Văn phòng, status: done }
  - { id: "2", title: "Việc thứ hai", lead: Sở KH&CN, status: in_progress }
---
MD
# a second plan whose slug collides with another's
cat >"$R/content/plans/x1.md" <<'MD'
---
number: "5/KH-A.B"
title: "Trùng slug 1"
---
MD
cat >"$R/content/plans/x2.md" <<'MD'
---
number: "5/KH-A-B"
title: "Trùng slug 2"
---
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Dữ liệu"
O=$T/out
build_ok "$R" "$O"
cp "$T/stderr" "$T/warn"
PJ=$O/du-lieu/plans.json
lead() { json "[t for p in d if p['number']=='$1' for t in p['tasks'] if t['id']=='$2'][0]['$3']" "$PJ"; }

check "bare 'Văn phòng' in the Sở DTTG plan is that Sở's office" test "$(lead '185/KH-SDT&TG' 1 "lead")" = "[{'id': 'vp-so-dttg', 'name': 'Văn phòng'}]"
check "bare 'Văn phòng' in the Sở KH&CN plan is its own office" test "$(lead '20/KH-SKHCN' 1 "lead")" = "[{'id': 'vp-so-khcn', 'name': 'Văn phòng'}]"
check "old tone placement and en dash match (Tỉnh uỷ, Văn hoá – Xã hội)" test "$(lead '185/KH-SDT&TG' 1 "support")" = "[{'id': 'vp-tu', 'name': 'Văn phòng Tỉnh ủy'}, {'id': 'phong-vhxh', 'name': 'Phòng Văn hóa - Xã hội'}]"
check "spaces around & and aliases (Sở KH & CN)" test "$(lead '185/KH-SDT&TG' 3 "lead")" = "[{'id': 'so-khcn', 'name': 'Sở Khoa học và Công nghệ'}]"
check "two aliases of one unit (PVHCC / Phục vụ HCC)" test "$(lead '185/KH-SDT&TG' 3 "support")" = "[{'id': 'tt-pvhcc', 'name': 'Trung tâm Phục vụ hành chính công tỉnh'}, {'id': 'tt-pvhcc', 'name': 'Trung tâm Phục vụ hành chính công tỉnh'}]"
check "[Các sở, ban, ngành] as three items resolves to the collective" test "$(lead '185/KH-SDT&TG' 2 "lead")" = "[{'id': 'cac-so', 'name': 'Các sở, ban, ngành'}]"
check "... and check says to quote it" grep -q 'content/plans/185.md:8:41: warning: \[W033\] các mục này ghép lại thành tên đơn vị "Các sở, ban, ngành" (dấu phẩy tách danh sách) — gợi ý: đặt tên trong ngoặc kép: "Các sở, ban, ngành"' "$T/warn"
check "a unit missing a diacritic warns, naming the registered unit" grep -q 'warning: \[W036\] đơn vị "Sở Khoa hoc và Công nghệ" không có trong units.yaml; bỏ dấu thì trùng với "Sở Khoa học và Công nghệ" (so-khcn) nên được tính cho đơn vị này — gợi ý: viết đúng "Sở Khoa học và Công nghệ"' "$T/warn"
check "... and the task is counted for that unit" test "$(lead '185/KH-SDT&TG' 4 "lead")" = "[{'id': 'so-khcn', 'name': 'Sở Khoa học và Công nghệ'}]"
check "an unknown unit warns without a wild guess" bash -c "grep -q 'warning: \[W032\] đơn vị \"Ban Quản lý dự án ABC\" không có trong units.yaml — gợi ý: thêm đơn vị' '$T/warn' && ! grep 'Ban Quản lý dự án ABC' '$T/warn' | grep -q 'có phải'"
check "an unregistered unit still gets a page, flagged" bash -c "grep -q 'Ban Quản lý dự án ABC' '$O/don-vi/ban-quan-ly-du-an-abc/index.html'"
check "unit pages list tasks led across plans" bash -c "grep -q 'Việc thứ hai' '$O/don-vi/so-khcn/index.html' && grep -q 'Viết tắt' '$O/don-vi/so-khcn/index.html'"
check "unit page lists child units" grep -q 'don-vi/vp-so-khcn/' "$O/don-vi/so-khcn/index.html"

# numbers: aliases, canonical form, stubs, the graph
check "implements are canonical numbers (71-nq/cp -> 71/NQ-CP)" test "$(json "[p for p in d if p['number']=='185/KH-SDT&TG'][0]['implements']" "$PJ")" = "['71/NQ-CP', '155/KH-UBND', '99/QĐ-XYZ']"
check "a number known nowhere gets a stub page" test -f "$O/van-ban/99-qd-xyz/index.html"
D=$O/van-ban/57-nq-tw/index.html
check "document page lists direct and transitive implementers" bash -c "grep -q '71/NQ-CP' '$D' && grep -q '155/KH-UBND' '$D' && grep -q '185/KH-SDT&amp;TG' '$D' && grep -q '20/KH-SKHCN' '$D'"
check "rolled-up progress on 57-NQ/TW counts each task once" test "$(json "[x for x in d if x['number']=='57-NQ/TW'][0]['stats']['total']" "$O/du-lieu/documents.json")" = 8
check "the plan page shows the chain above it" bash -c "grep -q 'van-ban/57-nq-tw/' '$O/ke-hoach/20-kh-skhcn/index.html'"

# body links
B=$O/ke-hoach/185-kh-sdt-tg/index.html
check "alias form in text links to the canonical page" grep -q '<a href="/van-ban/71-nq-cp/"[^>]*>71-NQ/CP</a>' "$B"
check "lower-case number links" grep -q '<a href="/van-ban/57-nq-tw/"[^>]*>57-nq/tw</a>' "$B"
check "never a substring of a longer number" bash -c "grep -q '157-NQ/TW' '$B' && ! grep -q '>57-NQ/TW-BCS' '$B' && ! grep -q '1<a' '$B'"
check "never inside code spans or code blocks" bash -c "grep -q '<code>57-NQ/TW</code>' '$B' && grep -q '57-NQ/TW trong khối mã' '$B' && ! grep -q '<code><a' '$B'"
check "never inside an existing link" grep -q '<a href="https://example.org/">liên kết 57-NQ/TW</a>' "$B"

# Vietnamese order: byte order puts Đ and Ấ after Z, accent stripping puts Đồng Hỷ with D
U=$O/don-vi/index.html
order=$(grep -o 'UBND xã [^<]*' "$U" | tr '\n' '|')
check "units index in Vietnamese order (An Khánh, Ấp Bắc, Dương Sơn, Đồng Hỷ, Hòa Bình)" \
	test "$order" = "UBND xã An Khánh|UBND xã Ấp Bắc|UBND xã Dương Sơn|UBND xã Đồng Hỷ|UBND xã Hòa Bình|"

# slugs
check "colliding slugs get distinct, deterministic ones" bash -c "test -f '$O/ke-hoach/5-kh-a-b/index.html' && test -f '$O/ke-hoach/5-kh-a-b-2/index.html'"
check "check reports the slug collision" grep -q '\[W034\] .* trùng địa chỉ "5-kh-a-b"' "$T/warn"

# a cycle in the implements graph names every file in it
cat >>"$R/content/documents.yaml" <<'YAML'
- { number: 1/NQ-X, title: "Vòng", implements: [20/KH-SKHCN] }
YAML
sed -i 's|implements: \[71-nq/cp, 155 / KH-UBND, 99/QĐ-XYZ\]|implements: [71-nq/cp, 155 / KH-UBND, 99/QĐ-XYZ, 1/NQ-X]|' "$R/content/plans/185.md"
commit "$R" "2025-12-02T09:00:00+07:00" "Vòng"
rc=0
ps build --repo "$R" --out "$O" 2>"$T/err" || rc=$?
grep 'error: \[E065\] vòng "implements": ' "$T/err" >"$T/cycle" || true
check "an implements cycle is an error naming every file in it" bash -c "test $rc = 1 && test \$(wc -l <'$T/cycle') = 1 && grep -q 'content/plans/185.md)' '$T/cycle' && grep -q 'content/plans/khcn.md)' '$T/cycle' && grep -q 'content/documents.yaml)' '$T/cycle'"

# registry errors
cat >"$R/content/units.yaml" <<'YAML'
- { id: a, name: A, parent: b }
- { id: b, name: B, parent: a }
- { id: a, name: A2 }
- { id: c, name: C, parent: nowhere }
YAML
git -C "$R" checkout -q HEAD~1 -- content/documents.yaml content/plans/185.md
commit "$R" "2025-12-03T09:00:00+07:00" "Sai danh mục"
rc=0
ps build --repo "$R" --out "$O" 2>"$T/err" || rc=$?
check "duplicate unit ids are errors at their place" grep -q 'content/units.yaml:3:9: error: \[E057\] id đơn vị "a" bị trùng (đã có ở dòng 1)' "$T/err"
check "unknown parents are errors" grep -q 'content/units.yaml:4:29: error: \[E058\] đơn vị "c": đơn vị cấp trên "nowhere" không có trong units.yaml' "$T/err"
check "parent cycles are errors" grep -q 'error: \[E059\] đơn vị "a" là cấp trên của chính nó' "$T/err"

finish
