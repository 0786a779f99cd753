#!/usr/bin/env bash
# test_build.sh: the foundation: builds from Git at any ref, from a bare
# clone, from the work tree; reproducible output; safe Markdown; exit codes.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: ubnd-tinh, name: UBND tỉnh Thái Nguyên, kind: agency }
- { id: so-khcn, name: Sở Khoa học và Công nghệ, aliases: [Sở KH&CN], parent: ubnd-tinh, kind: department }
YAML
cat >"$R/content/plans/a.md" <<'MD'
---
number: "12/KH-UBND"
title: "Kế hoạch chuyển đổi số năm 2025"
issuer: UBND tỉnh Thái Nguyên
date: 2025-03-01
groups:
  - { id: I, title: "Thể chế" }
tasks:
  - id: "1"
    group: I
    title: "Số hóa hồ sơ"
    lead: Sở KH&CN
    output: Báo cáo
    due: Quý I /2026
    status: in_progress
    progress: 40
  - id: "2"
    title: "Đào tạo kỹ năng số"
    lead: Sở Khoa học và Công nghệ
    due: 15/12/2025
    status: Hoàn thành
    completed: 2025-12-20
reviewed_by: Phòng Tổng hợp
---
# Mục đích

Văn bản <script>alert(1)</script> này có [liên kết xấu](javascript:alert(1)),
[dữ liệu](data:text/html;base64,PHNjcmlwdD4=) và [tốt](https://example.gov.vn/).

## Mục đích
MD
mkdir -p "$R/content/pages" "$R/content/static"
printf -- '---\ntitle: Giới thiệu\n---\nTrang giới thiệu.\n' >"$R/content/pages/gioi-thieu.md"
printf 'PDF' >"$R/content/static/a.pdf"
commit "$R" "2025-12-01T09:00:00+07:00" "Kế hoạch 12"
sed -i 's/progress: 40/progress: 60/' "$R/content/plans/a.md"
commit "$R" "2025-12-10T09:00:00+07:00" "Cập nhật tiến độ"
(cd "$R" && git tag v1)
sed -i 's/title: "Số hóa hồ sơ"/title: "Số hóa toàn bộ hồ sơ"/' "$R/content/plans/a.md"
commit "$R" "2025-12-20T09:00:00+07:00" "Sửa tên nhiệm vụ"

O=$T/out
check "build at HEAD succeeds" build_ok "$R" "$O"
check "home, plan, plans index, page, static, sitemap, open data exist" \
	test -f "$O/index.html" -a -f "$O/ke-hoach/12-kh-ubnd/index.html" -a -f "$O/ke-hoach/index.html" \
	-a -f "$O/gioi-thieu/index.html" -a -f "$O/static/a.pdf" -a -f "$O/sitemap.xml" \
	-a -f "$O/du-lieu/plans.json" -a -f "$O/static/style.css" -a -f "$O/404.html"
P=$O/ke-hoach/12-kh-ubnd/index.html
check "plan page shows HEAD's task title" grep -q "Số hóa toàn bộ hồ sơ" "$P"
check "raw HTML is not rendered" bash -c "! grep -q '<script>alert' '$P'"
check "javascript: links are dropped" bash -c "! grep -qi 'href=\"javascript:' '$P'"
check "data: links are dropped" bash -c "! grep -qi 'href=\"data:' '$P'"
check "safe links stay" grep -q 'href="https://example.gov.vn/"' "$P"
check "headings get stable, unique ids" bash -c "grep -q '<h1 id=\"muc-dich\">' '$P' && grep -q '<h2 id=\"muc-dich-2\">' '$P'"
check "table headers have scope" grep -q 'scope="col"' "$P"
check "no external resources (scripts, styles, images, fonts)" bash -c "! grep -rEq '<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//' '$O' --include=*.html && ! grep -rEq 'url\\((https?:)?//' '$O/static'"
check "plans.json has the plan with its units and numbers" \
	test "$(json 'd[0]["number"]+"|"+d[0]["issuer"]["id"]+"|"+d[0]["tasks"][0]["lead"][0]["id"]' "$O/du-lieu/plans.json")" = "12/KH-UBND|ubnd-tinh|so-khcn"
check "the as-of date is the commit's date" test "$(json 'd[0]["as_of"]' "$O/du-lieu/plans.json")" = "2025-12-20"
ps check --repo "$R" --strict 2>"$T/err" || true
check "check --strict warns about unknown keys at their place" grep -q 'content/plans/a.md:23:1: warning: \[W010\] khoá lạ "reviewed_by"' "$T/err"
mkdir -p "$T/override/content/templates"
cp -r "$R/content" "$T/override/" && git init -q "$T/override"
printf '{{<base}}{{$main}}<p class="reviewer">{{plan.params.reviewed_by}}</p>{{/main}}{{/base}}' >"$T/override/content/templates/plan.mustache"
commit "$T/override" "2025-12-20T09:00:00+07:00" "Mẫu riêng"
build_ok "$T/override" "$T/o-override"
check "a site template overrides the theme's, and unknown keys reach it as params" \
	grep -q '<p class="reviewer">Phòng Tổng hợp</p>' "$T/o-override/ke-hoach/12-kh-ubnd/index.html"
check "the overriding template still uses the theme's base layout" grep -q 'class="skip-link"' "$T/o-override/ke-hoach/12-kh-ubnd/index.html"

ps build --repo "$R" --out "$T/o-tag" --ref v1 2>/dev/null
check "build at a tag reads that commit" grep -q '"progress":60' "$T/o-tag/du-lieu/plans.json"
check "the tag's page has the old title" grep -q "Số hóa hồ sơ" "$T/o-tag/ke-hoach/12-kh-ubnd/index.html"
ps build --repo "$R" --out "$T/o-rev" --ref main~2 2>/dev/null
check "build at main~2 reads that commit" grep -q '"progress":40' "$T/o-rev/du-lieu/plans.json"
ps build --repo "$R" --out "$T/o-id" --ref "$(cd "$R" && git rev-parse HEAD~1)" 2>/dev/null
check "build at a commit id" cmp -s "$T/o-id/du-lieu/plans.json" "$T/o-tag/du-lieu/plans.json"

git clone -q --bare "$R" "$T/bare.git"
check "build from a bare clone" build_ok "$T/bare.git" "$T/o-bare"
check "bare clone output equals the work tree's" diff -r "$O" "$T/o-bare"
ps build --repo "$T/bare.git" --out "$T/o-bare-tag" --ref v1 2>/dev/null
check "bare clone at a tag" diff -r "$T/o-tag" "$T/o-bare-tag"

check "second build is byte-identical (reproducible)" bash -c "'$PLANSITE' build --repo '$R' --out '$T/o2' 2>/dev/null && diff -r '$O' '$T/o2'"
check "one thread and two threads give the same site" bash -c "'$PLANSITE' build --repo '$R' --out '$T/o3' --jobs 1 2>/dev/null && '$PLANSITE' build --repo '$R' --out '$T/o4' --jobs 2 2>/dev/null && diff -r '$T/o3' '$T/o4'"

(cd "$R" && ps build --out "$T/o-cwd" 2>/dev/null)
check "--repo defaults to the repository around the current folder" diff -r "$O" "$T/o-cwd"
mkdir -p "$R/content/plans/sub"
(cd "$R/content/plans/sub" && ps build --out "$T/o-sub" 2>/dev/null)
check "discovery works from a subfolder" diff -r "$O" "$T/o-sub"

sed -i 's/title: "Đào tạo kỹ năng số"/title: "Đào tạo kỹ năng số (bản nháp)"/' "$R/content/plans/a.md"
ps build --repo "$R" --out "$T/o-wt" --worktree 2>/dev/null
check "--worktree reads uncommitted edits" grep -q "bản nháp" "$T/o-wt/ke-hoach/12-kh-ubnd/index.html"
ps build --repo "$R" --out "$T/o-head" 2>/dev/null
check "without --worktree the commit is read" bash -c "! grep -q 'bản nháp' '$T/o-head/ke-hoach/12-kh-ubnd/index.html'"
(cd "$R" && git checkout -q -- .)

# symbolic links and submodules are skipped with a warning naming them
ln -s ../../../etc/passwd "$R/content/static/passwd"
git init -q "$T/sub" && (cd "$T/sub" && touch x && git add x && git commit -qm x)
(cd "$R" && git -c protocol.file.allow=always submodule add -q "$T/sub" content/static/sub 2>/dev/null)
commit "$R" "2025-12-21T09:00:00+07:00" "Thêm liên kết"
ps build --repo "$R" --out "$T/o-link" 2>"$T/err" || true
check "symbolic link skipped with a warning" grep -q "content/static/passwd: warning: \[W001\] bỏ qua liên kết tượng trưng" "$T/err"
check "submodule skipped with a warning" grep -q "content/static/sub: warning: \[W002\] bỏ qua submodule" "$T/err"
check "the link's target is not published" test ! -e "$T/o-link/static/passwd"

# an English site is a translation (strings/en.yaml), not a fork
git init -q "$T/en"
cp -r "$R/content" "$T/en/"
sed -i 's/^language: vi$/language: en/' "$T/en/content/site.yaml"
commit "$T/en" "2025-12-20T09:00:00+07:00" "English"
build_ok "$T/en" "$T/o-en"
check "an English site speaks English" bash -c "grep -q '<html lang=\"en\">' '$T/o-en/index.html' && grep -q 'Skip to main content' '$T/o-en/index.html' && ! grep -q 'Bỏ qua đến nội dung chính' '$T/o-en/index.html'"

# exit status 2: usage and environment
ps build --repo "$T/nowhere" --out "$T/x" 2>/dev/null && rc=0 || rc=$?
check "not a repository exits 2" test "$rc" = 2
ps build --repo "$R" --ref no-such-ref --out "$T/x" 2>"$T/err" && rc=0 || rc=$?
check "unknown ref exits 2 with a message" bash -c "test $rc = 2 && grep -q 'không có phiên bản \"no-such-ref\"' '$T/err'"
ps build --repo "$R" --content nope --out "$T/x" 2>/dev/null && rc=0 || rc=$?
check "missing content folder exits 2" test "$rc" = 2
ps build --bogus 2>/dev/null && rc=0 || rc=$?
check "unknown option exits 2" test "$rc" = 2
ps frobnicate 2>/dev/null && rc=0 || rc=$?
check "unknown command exits 2" test "$rc" = 2
ps build --repo "$R" --out "$R" 2>/dev/null && rc=0 || rc=$?
check "refuses to replace the repository with the site" bash -c "test $rc = 2 && test -d '$R/.git'"
ps --version | grep -q "^plansite " && ok "--version" || not_ok "--version"
ps --help | grep -q "plansite build" && ok "--help" || not_ok "--help"
check "check writes nothing" bash -c "cd '$T' && '$PLANSITE' check --repo '$R' 2>/dev/null; test ! -e '$T/public'"

finish
