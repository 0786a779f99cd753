#!/usr/bin/env bash
# test_errors.sh: broken content exits 1 with path:line:col messages, every
# error of a run is reported, and the published site stays byte-for-byte.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/plans/good.md" <<'MD'
---
number: "1/KH-UBND"
title: "Kế hoạch tốt"
tasks:
  - { id: "1", title: "Nhiệm vụ", lead: Văn phòng, due: Năm 2025, status: done }
---
Nội dung.
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Kế hoạch tốt"
O=$T/public
build_ok "$R" "$O"
snapshot() { (cd "$O" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$1"; }
snapshot "$T/before"

# broken NAME EXPECTED-REGEX: writes content/plans/bad.md from stdin, commits,
# builds: must exit 1, print the message, leave the site as it was
broken() {
	local name=$1 want=$2
	cat >"$R/content/plans/bad.md"
	commit "$R" "2025-12-02T09:00:00+07:00" "$name"
	local rc=0
	ps build --repo "$R" --out "$O" 2>"$T/err" || rc=$?
	snapshot "$T/after"
	if [ "$rc" = 1 ] && grep -Eq "$want" "$T/err" && cmp -s "$T/before" "$T/after" &&
		! ls "$T" | grep -q staging; then
		ok "$name: exit 1, message, previous site untouched"
	else
		not_ok "$name (exit $rc)"
		cat "$T/err"
	fi
	(cd "$R" && git rm -q content/plans/bad.md && git commit -qm "bỏ")
}

broken "YAML syntax error, at the bracket left open" '^content/plans/bad.md:3:8: error: \[E018\] dấu \[ mở ở đây chưa được đóng đúng cách — gợi ý: đóng bằng "\]"' <<'MD'
---
number: "2/KH"
title: [unclosed
---
MD
broken "duplicate key" '^content/plans/bad.md:4:1: error: \[E004\] khoá "title" bị lặp \(đã có ở dòng 3\)' <<'MD'
---
number: "2/KH"
title: "Một"
title: "Hai"
---
MD
broken "missing closing ---" '^content/plans/bad.md:1:1: error: \[E008\] phần khai báo \(front matter\) chưa được đóng' <<'MD'
---
number: "2/KH"
title: "Không đóng"
MD
broken "tab in indentation" '^content/plans/bad.md:5:1: error: \[E002\] thụt lề bằng ký tự tab' <<<$'---\nnumber: "2/KH"\ntitle: "Tab"\ntasks:\n\t- { id: "1", title: x }\n---\n'
broken "invalid UTF-8 at its first bad byte" '^content/plans/bad.md:3:11: error: \[E001\] tệp không phải mã UTF-8 \(byte 0xFF\)' <<<$'---\nnumber: "2/KH"\ntitle: "ab\xffcd"\n---\n'
broken "billion laughs is bounded" 'error: \[E003\] các bí danh \(alias\) nở ra hơn' <<'MD'
---
number: "2/KH"
title: "lol"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
MD
broken "missing title" '^content/plans/bad.md:2:1: error: \[E038\] kế hoạch không có title' <<'MD'
---
number: "2/KH"
---
MD
broken "no number and no id" 'error: \[E036\] kế hoạch cần số ký hiệu hoặc id' <<'MD'
---
title: "Không số"
---
MD
broken "unknown status" '^content/plans/bad.md:5:[0-9]+: error: \[E031\] trạng thái "xong rồi" không hợp lệ' <<'MD'
---
number: "2/KH"
title: "Trạng thái"
tasks:
  - { id: "1", title: x, status: xong rồi }
---
MD
broken "duplicate task id" 'error: \[E042\] id nhiệm vụ "1" bị trùng \(đã có ở dòng 5\)' <<'MD'
---
number: "2/KH"
title: "Trùng"
tasks:
  - { id: "1", title: x }
  - { id: "1", title: y }
---
MD
broken "same number as another plan" '^content/plans/good.md:1:1: error: \[E050\] kế hoạch 1/KH-UBND đã có trong content/plans/bad.md' <<'MD'
---
number: "1 / kh-ubnd"
title: "Trùng số"
---
MD
broken "bad date" '^content/plans/bad.md:4:7: error: \[E021\] date "2025-02-30" không phải là ngày' <<'MD'
---
number: "2/KH"
title: "Ngày sai"
date: 2025-02-30
---
MD
broken "attachment outside static/" 'error: \[E051\] tệp đính kèm "../../etc/passwd" không có trong thư mục static/' <<'MD'
---
number: "2/KH"
title: "Đính kèm"
attachments: [../../etc/passwd]
---
MD

# addresses in site.yaml become links: only web addresses
cp "$R/content/site.yaml" "$T/site.yaml"
printf 'repo_url: "javascript:alert(1)"\n' >>"$R/content/site.yaml"
commit "$R" "2025-12-02T10:00:00+07:00" "repo_url xấu"
rc=0
ps build --repo "$R" --out "$O" 2>"$T/err" || rc=$?
check "a javascript: repo_url is an error at its value" bash -c "test $rc = 1 && grep -q '^content/site.yaml:4:11: error: \[E048\] repo_url phải là địa chỉ web' '$T/err'"
cp "$T/site.yaml" "$R/content/site.yaml"
commit "$R" "2025-12-02T11:00:00+07:00" "repo_url bỏ"
ps build --repo "$R" --out "$T/x" --base-url "javascript:alert(1)" 2>/dev/null && rc=0 || rc=$?
check "a javascript: --base-url is a usage error" test "$rc" = 2

# every error of a run, sorted by file and position
cat >"$R/content/plans/b1.md" <<'MD'
---
number: "3/KH"
tasks:
  - { title: "không có id" }
---
MD
cat >"$R/content/plans/a0.md" <<'MD'
---
title: "không có số"
status: wrong
---
MD
commit "$R" "2025-12-03T09:00:00+07:00" "nhiều lỗi"
rc=0
ps build --repo "$R" --out "$O" 2>"$T/err" || rc=$?
grep ': error: ' "$T/err" | cut -d: -f1-3 >"$T/locs"
check "all errors of a run are reported (4 here) and the run exits 1" bash -c "test $rc = 1 && test \$(wc -l <'$T/locs') = 4"
check "errors are sorted by file and position" bash -c "sort -t: -k1,1 -k2,2n -k3,3n '$T/locs' | cmp -s - '$T/locs'"
# the two warnings: the task without an id has no lead (W015), good.md's done task no completion date (W016)
check "the summary line counts them" grep -q "plansite: 4 lỗi, 2 cảnh báo; không xuất bản gì" "$T/err"
snapshot "$T/after"
check "the site is still the last good one" cmp -s "$T/before" "$T/after"

finish
