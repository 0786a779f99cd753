#!/usr/bin/env bash
# test_mistakes.sh: ordinary editor mistakes are never published silently
# (issue 11): a slip in a document number, a unit typed without diacritics
# or one letter off, completion dates and progress that contradict the
# status, evidence naming a file that is not there, a task nobody leads.
# Each is a located message in Vietnamese that says what to write instead.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: ubnd-tinh, name: UBND tỉnh Thái Nguyên, kind: agency }
- { id: so-tc, name: Sở Tài chính, parent: ubnd-tinh, kind: department }
- { id: so-tp, name: Sở Tư pháp, aliases: [STP], parent: ubnd-tinh, kind: department }
- { id: so-a, name: Sở A, parent: ubnd-tinh, kind: department }
- { id: so-b, name: Sở B, parent: ubnd-tinh, kind: department }
- { id: vp-so-a, name: Văn phòng, parent: so-a, kind: department }
- { id: vp-so-b, name: Văn phòng, parent: so-b, kind: department }
YAML
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: "Đột phá khoa học, công nghệ" }
- { number: 52-NQ/TW, type: Nghị quyết, title: "Cách mạng công nghiệp lần thứ tư" }
- { number: 71/NQ-CP, type: Nghị quyết, title: "Chương trình hành động", aliases: [71-NQ/CP], implements: [57-NQ/TW] }
- { number: 3/KH-X, title: "Một văn bản khác", implements: [71/NQ-CQ] }
YAML
mkdir -p "$R/content/static/minh-chung"
echo "Biên bản" >"$R/content/static/minh-chung/bien-ban.pdf"
cat >"$R/content/plans/185.md" <<'MD'
---
number: "185/KH-SDT&TG"
title: "Kế hoạch thử"
issuer: UBND tỉnh Thái Nguyên
date: 2025-07-21
implements: [75-NQ/TW, 52-NQ/TW, 53-NQ/TW, 57/NQ-TW, 99/QĐ-XYZ]
tasks:
  - { id: "1", title: "Việc của Sở Tài chính", lead: So Tai chinh, output: Báo cáo, due: "2025" }
  - { id: "2", title: "Việc của văn phòng nào", lead: Van phong, output: Báo cáo, due: "2025" }
  - { id: "3", title: "Việc gõ sai một chữ", lead: Sở Tài chánh, support: [so tu phap], output: Báo cáo, due: "2025" }
  - id: "4"
    title: "Xong mà không có ngày"
    lead: Sở Tư pháp
    status: done
  - id: "5"
    title: "Hoàn thành trong tương lai"
    lead: Sở Tư pháp
    status: done
    completed: 2026-01-10
  - id: "6"
    title: "Tiến độ đủ mà chưa xong"
    lead: Sở Tư pháp
    status: in_progress
    progress: 100
  - id: "7"
    title: "Hoàn thành trước khi có kế hoạch"
    lead: Sở Tư pháp
    status: done
    completed: 2025-03-01
    evidence: [static/minh-chung/bien-ban.pdf, "https://example.gov.vn/bao-cao"]
  - { id: "8", title: "Đúng hết", lead: Sở Tư pháp, status: done, completed: 2025-09-30, progress: 100, source: "Nghị quyết 57-NQ/T; 58-NQ/TW" }
---
Thực hiện Nghị quyết số 75-NQ/TW và Nghị quyết 52-NQ/TW;
văn bản 58-NQ/TW là một văn bản khác, không hỏi. Trong mã `75-NQ/TW` thì không.
MD
commit "$R" "2025-12-15T09:00:00+07:00" "Kế hoạch có lỗi nhỏ"
O=$T/out
rc=0
ps build --repo "$R" --out "$O" --as-of 2025-12-15 2>"$T/warn" || rc=$?
cat "$T/warn" >&2
check "warnings only: the build succeeds (exit 0)" test "$rc" = 0
has() { grep -qF -- "$1" "$T/warn"; }
P=content/plans/185.md

# document numbers
check "a number with its digits reordered asks for the registered one, at the item" \
	has "$P:6:14: warning: [W039] \"75-NQ/TW\" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải \"57-NQ/TW\"?"
check "a registered number close to another registered one is not questioned" bash -c "! grep -q '\"52-NQ/TW\" không phải' '$T/warn'"
check "one digit off two registered numbers names both, in order" \
	has "$P:6:34: warning: [W039] \"53-NQ/TW\" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải \"52-NQ/TW\" hay \"57-NQ/TW\"?"
check "other separators ask for the registered spelling" has "$P:6:44: warning: [W039] \"57/NQ-TW\" không phải số"
check "... suggesting 57-NQ/TW" bash -c "grep -F '$P:6:44:' '$T/warn' | grep -qF 'có phải \"57-NQ/TW\"?'"
check "a number near nothing is not questioned" bash -c "! grep -q '99/QĐ-XYZ' '$T/warn'"
check "documents.yaml implements are checked too (71/NQ-CQ for 71/NQ-CP)" \
	has "content/documents.yaml:4:61: warning: [W039] \"71/NQ-CQ\" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải \"71/NQ-CP\"?"
check "body text: a slip is asked about at its line and column" \
	has "$P:33:25: warning: [W038] số văn bản \"75-NQ/TW\" trong nội dung"
check "... with the suggestion" bash -c "grep -F '$P:33:25:' '$T/warn' | grep -qF 'có phải \"57-NQ/TW\"?'"
check "body text: another digit is another document, not asked about" bash -c "! grep -q '58-NQ/TW' '$T/warn'"
check "body text: never inside code" test "$(grep -c 'số văn bản "75-NQ/TW"' "$T/warn")" = 1
check "a task's source: a slip is asked about at the value" \
	has "$P:31:113: warning: [W038] số văn bản \"57-NQ/T\" trong source (văn bản giao nhiệm vụ) không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải \"57-NQ/TW\"?"
check "... and another digit there is another document" test "$(grep -c "$P:31:113:" "$T/warn")" = 1
check "the typo still has its stub page (the warning says it)" test -f "$O/van-ban/75-nq-tw/index.html"

# units
check "a unit without diacritics names the registered unit" \
	has "$P:8:54: warning: [W036] đơn vị \"So Tai chinh\" không có trong units.yaml; bỏ dấu thì trùng với \"Sở Tài chính\" (so-tc) nên được tính cho đơn vị này — gợi ý: viết đúng \"Sở Tài chính\""
PJ=$O/du-lieu/plans.json
lead() { json "[t for p in d for t in p['tasks'] if t['id']=='$1'][0]['$2']" "$PJ"; }
check "... the task is counted for the registered unit" test "$(lead 1 lead)" = "[{'id': 'so-tc', 'name': 'Sở Tài chính'}]"
check "... its unit page lists the task" grep -q 'Việc của Sở Tài chính' "$O/don-vi/so-tc/index.html"
check "... and there is no second unit page" bash -c "! test -e '$O/don-vi/so-tai-chinh' && ! grep -rlq 'So Tai chinh' '$O/don-vi'"
check "an alias folds too (so tu phap for Sở Tư pháp)" test "$(lead 3 support)" = "[{'id': 'so-tp', 'name': 'Sở Tư pháp'}]"
check "a folded name of several units names them all" \
	has "$P:9:55: warning: [W037] đơn vị \"Van phong\" không có trong units.yaml; bỏ dấu thì trùng với nhiều đơn vị: \"Văn phòng\" (vp-so-a), \"Văn phòng\" (vp-so-b), nên chưa được tính cho đơn vị nào"
check "... and stays unregistered" test "$(json "[u['registered'] for u in d if u['name']=='Van phong'][0]" "$O/du-lieu/units.json")" = false
check "... on a page of its own, not on either office's" bash -c "grep -q 'Việc của văn phòng nào' '$O/don-vi/van-phong/index.html' && ! grep -q 'Việc của văn phòng nào' '$O/don-vi/vp-so-a/index.html' '$O/don-vi/vp-so-b/index.html'"
check "one letter off: warns naming the registered unit" \
	has "$P:10:52: warning: [W031] đơn vị \"Sở Tài chánh\" không có trong units.yaml — gợi ý: có phải \"Sở Tài chính\"?"
check "... and is not counted for it (one letter may be another unit)" test "$(json "[u['registered'] for u in d if u['name']=='Sở Tài chánh'][0]" "$O/du-lieu/units.json")" = false

# status, completion and progress
check "done without completed" has "$P:14:13: warning: [W016] nhiệm vụ 4 đã hoàn thành nhưng chưa có ngày hoàn thành — gợi ý: thêm \"completed: YYYY-MM-DD\""
check "completed after the as-of date" has "$P:19:16: warning: [W017] ngày hoàn thành 2026-01-10 của nhiệm vụ 5 sau ngày tính số liệu (2025-12-15)"
check "progress 100 while not done" has "$P:24:15: warning: [W019] nhiệm vụ 6 có tiến độ 100% nhưng trạng thái chưa phải hoàn thành — gợi ý: nếu đã xong, ghi \"status: done\""
check "completed before the plan's date" has "$P:29:16: warning: [W018] ngày hoàn thành 2025-03-01 của nhiệm vụ 7 trước ngày ban hành kế hoạch (2025-07-21)"
check "a consistent task gives no message" bash -c "! grep -q 'nhiệm vụ 8' '$T/warn'"
check "existing evidence and web links pass" bash -c "! grep -q 'minh chứng' '$T/warn'"
rc=0
ps check --repo "$R" --as-of 2025-12-15 2>"$T/chk" || rc=$?
check "check prints the same messages, exit 0" bash -c "test $rc = 0 && grep -qF '$P:6:14: warning:' '$T/chk' && grep -qF '$P:19:16: warning:' '$T/chk' && grep -qF '$P:33:25: warning:' '$T/chk'"

# evidence naming a missing file: an error, nothing published
cp -r "$O" "$T/before"
sed -i 's|evidence: \[static/minh-chung/bien-ban.pdf, |evidence: [static/minh-chung/bien-ban.pfd, static/bien-ban.pdf, static/khong-co.docx, |' "$R/content/plans/185.md"
commit "$R" "2025-12-16T09:00:00+07:00" "Minh chứng sai"
rc=0
ps build --repo "$R" --out "$O" --as-of 2025-12-15 2>"$T/err" || rc=$?
cat "$T/err" >&2
check "a missing evidence file fails the build (exit 1)" test "$rc" = 1
check "... located, suggesting the file that exists" grep -qF "$P:30:16: error: [E067] minh chứng \"static/minh-chung/bien-ban.pfd\" của nhiệm vụ 7 không phải là tệp nào trong thư mục static/ của nội dung — gợi ý: có phải \"static/minh-chung/bien-ban.pdf\"?" "$T/err"
check "... the same name in another folder is suggested" grep -qF "$P:30:48: error: [E067] minh chứng \"static/bien-ban.pdf\" của nhiệm vụ 7 không phải là tệp nào trong thư mục static/ của nội dung — gợi ý: có phải \"static/minh-chung/bien-ban.pdf\"?" "$T/err"
check "... and with nothing close, says what to write" grep -qF "$P:30:69: error: [E067] minh chứng \"static/khong-co.docx\" của nhiệm vụ 7 không phải là tệp nào trong thư mục static/ của nội dung — gợi ý: thêm tệp vào static/" "$T/err"
check "... every one reported" test "$(grep -c 'error: \[E067\] minh chứng' "$T/err")" = 3
check "... and the previous site is left as it was" diff -r "$T/before" "$O"

# a task without a lead: a warning, an error with --strict
sed -i 's|evidence: \[static/minh-chung/bien-ban.pfd, static/bien-ban.pdf, static/khong-co.docx, |evidence: [static/minh-chung/bien-ban.pdf, |' "$R/content/plans/185.md"
cat >"$R/content/plans/khong-chu-tri.md" <<'MD'
---
number: "9/KH-UBND"
title: "Kế hoạch thiếu chủ trì"
tasks:
  - { id: "1", title: "Không ai chủ trì", output: Báo cáo, due: "2025" }
  - { id: "2", title: "Chủ trì để trống", lead: "", output: Báo cáo, due: "2025" }
---
MD
commit "$R" "2025-12-17T09:00:00+07:00" "Thiếu chủ trì"
Q=content/plans/khong-chu-tri.md
rc=0
ps check --repo "$R" --as-of 2025-12-15 2>"$T/err" || rc=$?
check "without --strict, a task without a lead is a warning (exit 0)" test "$rc" = 0
check "... at the task" grep -qF "$Q:5:5: warning: [W015] nhiệm vụ 1 chưa có đơn vị chủ trì — gợi ý: thêm \"lead: <tên đơn vị>\"" "$T/err"
check "... or at its empty lead" grep -qF "$Q:6:49: warning: [W015] nhiệm vụ 2 chưa có đơn vị chủ trì" "$T/err"
rc=0
ps check --strict --repo "$R" --as-of 2025-12-15 2>"$T/err" || rc=$?
check "with check --strict it is an error (exit 1)" test "$rc" = 1
check "... located" grep -qF "$Q:5:5: error: [E068] nhiệm vụ 1 chưa có đơn vị chủ trì" "$T/err"
check "... both of them" grep -qF "$Q:6:49: error: [E068] nhiệm vụ 2 chưa có đơn vị chủ trì" "$T/err"
check "the build without --strict still publishes" build_ok "$R" "$O" --as-of 2025-12-15


# the choice among several near numbers: the nearest kind only, then the
# first three in order of number, whatever the order of the registry
R2=$T/repo2
newrepo "$R2"
cat >"$R2/content/documents.yaml" <<'YAML'
- { number: 14/KH-A, title: "Mười bốn" }
- { number: 42/KH-A, title: "Bốn mươi hai" }
- { number: 13/KH-A, title: "Mười ba" }
- { number: 10/KH-A, title: "Mười" }
- { number: 12/KH-A, title: "Mười hai" }
YAML
cat >"$R2/content/plans/p.md" <<'MD'
---
number: "15/KH-A"
title: "Kế hoạch"
implements: [11/KH-A, 41/KH-A]
tasks:
  - { id: "1", title: "Việc", lead: Sở A }
  - { id: "2", title: "Việc quá", lead: Sở A, progress: 150 }
---
MD
commit "$R2" "2025-12-15T09:00:00+07:00" "Nhiều số gần"
ps check --repo "$R2" 2>"$T/err2" || true
check "several near numbers: the first three by number" grep -qF 'content/plans/p.md:4:14: warning: [W039] "11/KH-A" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải "10/KH-A", "12/KH-A" hay "13/KH-A"?' "$T/err2"
check "reordered digits win over one digit off" grep -qF 'content/plans/p.md:4:23: warning: [W039] "41/KH-A" không phải số của kế hoạch nào và chưa có trong documents.yaml (nếu đúng là một văn bản khác, hãy thêm nó vào documents.yaml) — gợi ý: có phải "14/KH-A"?' "$T/err2"

check "progress over 100 on an unfinished task: the range warning only, not 'progress 100'" \
	bash -c "grep -qF 'content/plans/p.md:7:57: warning: [W011] progress 150' '$T/err2' && ! grep -q 'W019' '$T/err2'"
ps check --lang en --repo "$R2" 2>"$T/err2en" || true
check "in English: the same code, the message and the choice translated" grep -qF 'content/plans/p.md:4:14: warning: [W039] "11/KH-A" is not the number of any plan nor in documents.yaml (if it really is another document, add it to documents.yaml) — hint: did you mean "10/KH-A", "12/KH-A" or "13/KH-A"?' "$T/err2en"

finish
