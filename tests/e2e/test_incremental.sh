#!/usr/bin/env bash
# test_incremental.sh: a build into a site built from the same commit,
# options, program and theme is skipped and leaves it untouched; a build
# after a new commit equals a clean build and shares (hard-links) the files
# that did not change, never writing into the old site's files; --force
# builds and writes everything; the work tree is never skipped.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
commit "$R" "2025-12-01T09:00:00+07:00" "Cổng mẫu"
OUT=$T/pub

check "the first build publishes" build_ok "$R" "$OUT"
check "... and records what it was built from" test -s "$OUT/.plansite-state"
ino() { stat -c '%i %Y' "$1"; }
before=$(ino "$OUT/index.html")
state=$(cat "$OUT/.plansite-state")
find "$OUT" -type f -printf '%p %i %T@\n' | sort >"$T/tree1"

# nothing changed: skipped, the site untouched (inodes, times)
check "a second build with nothing changed succeeds" build_ok "$R" "$OUT"
check "... and says it skipped the build" grep -q "không có gì thay đổi nên không dựng lại" "$T/stderr"
check "... and names --force" grep -q -- "--force" "$T/stderr"
find "$OUT" -type f -printf '%p %i %T@\n' | sort >"$T/tree2"
check "... and leaves every file as it was (inode and time)" cmp -s "$T/tree1" "$T/tree2"
check "... with the same folder" test "$before" = "$(ino "$OUT/index.html")"
check "... and no staging folder beside it" bash -c "! ls -d '$OUT'.staging-* 2>/dev/null"

# each thing the pages depend on makes it build again
for opt in "--as-of 2025-12-20" "--base-url https://khac.example.gov.vn/" "--strict"; do
	# shellcheck disable=SC2086
	build_ok "$R" "$OUT" $opt
	check "$opt builds again" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
done
build_ok "$R" "$OUT"
check "back to the first options builds again" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
check "... and records the same state as the first build" test "$state" = "$(cat "$OUT/.plansite-state")"
cp -r "$ROOT/themes/default" "$T/theme"
build_ok "$R" "$OUT" --theme "$T/theme"
check "another theme folder with the same files is skipped" grep -q "không dựng lại" "$T/stderr"
pj=$(stat -c %i "$OUT/du-lieu/plans.json")
echo "/* đổi */" >>"$T/theme/static/style.css"
build_ok "$R" "$OUT" --theme "$T/theme"
check "a file written in pieces (plans.json) that did not change is shared" \
	test "$pj" = "$(stat -c %i "$OUT/du-lieu/plans.json")"
check "a changed theme file builds again" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
check "... and publishes it" grep -q "đổi" "$OUT/static/style.css"
build_ok "$R" "$OUT"

# --force builds and writes every file anew
build_ok "$R" "$OUT" --force --verbose
check "--force builds although nothing changed" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
check "... writes every file (none shared)" grep -q " 0 tệp giống bản trước" "$T/stderr"
check "... so index.html is a new file" test "$(stat -c %i "$OUT/index.html")" != "$(echo "$before" | cut -d' ' -f1)"

# one new commit: only what changed is written; the rest is shared
before_css=$(stat -c %i "$OUT/static/style.css")
pj=$(stat -c %i "$OUT/du-lieu/plans.json")
ln "$OUT/index.html" "$T/old-index.html"
cp "$OUT/index.html" "$T/old-index.copy"
f=$(ls "$R/content/plans/"*.md | head -1)
sed -i '0,/^title: .*/s//title: Kế hoạch đã đổi tên/' "$f"
commit "$R" "2025-12-02T09:00:00+07:00" "Đổi tên một kế hoạch"
check "a build after one commit succeeds" build_ok "$R" "$OUT" --verbose
check "... says how many files it shared" grep -Eq "[1-9][0-9]* tệp giống bản trước" "$T/stderr"
check "... and prints its stages' times" grep -q "plansite: render" "$T/stderr"
check "... shares an unchanged file (same inode)" test "$before_css" = "$(stat -c %i "$OUT/static/style.css")"
check "... which has one other link: the old site, kept beside it as the spare" \
	test "$(stat -c %h "$OUT/static/style.css")" = 2 -a "$before_css" = "$(stat -c %i "$OUT.plansite-previous/static/style.css")"
check "... writes plans.json, which changed, anew" test "$pj" != "$(stat -c %i "$OUT/du-lieu/plans.json")"
check "... writes the changed home page anew" test "$(stat -c %i "$OUT/index.html")" != "$(stat -c %i "$T/old-index.html")"
check "... and never writes into the old site's file" cmp -s "$T/old-index.html" "$T/old-index.copy"
check "... which is still the old page" bash -c "! grep -q 'Kế hoạch đã đổi tên' '$T/old-index.html'"
ps build --repo "$R" --out "$T/clean" 2>/dev/null
check "... and equals a clean build, byte for byte" diff -r "$OUT" "$T/clean"
check "... with the same state file" cmp -s "$OUT/.plansite-state" "$T/clean/.plansite-state"
check "the clean build shared nothing" test "$(stat -c %h "$T/clean/static/style.css")" = 1

# a changed file in the old site is never shared: a clean build's bytes
echo "sửa tay" >>"$OUT/static/style.css"
sed -i 's/Kế hoạch đã đổi tên/Kế hoạch đổi tên lần hai/' "$f"
commit "$R" "2025-12-03T09:00:00+07:00" "Đổi tên lần hai"
build_ok "$R" "$OUT"
ps build --repo "$R" --out "$T/clean2" 2>/dev/null
check "a file edited by hand in the old site is written again" diff -r "$OUT" "$T/clean2"

# a file of another mode (another umask) is written, not shared
(umask 077 && build_ok "$R" "$OUT" --force)
build_ok "$R" "$OUT" --as-of 2025-12-31
check "files of another mode are not shared (modes as a clean build's)" \
	test "$(stat -c %a "$OUT/static/style.css")" = "$(stat -c %a "$T/clean2/static/style.css")"

# a link planted in the old site is never followed
build_ok "$R" "$OUT"
echo secret >"$T/outside.css"
rm -f "$OUT/static/style.css"
ln -s "$T/outside.css" "$OUT/static/style.css"
sed -i 's/lần hai/lần ba/' "$f"
commit "$R" "2025-12-04T09:00:00+07:00" "Lần ba"
build_ok "$R" "$OUT"
check "a link planted in the old site is replaced by the file itself" test -f "$OUT/static/style.css" -a ! -L "$OUT/static/style.css"
check "... with the theme's bytes" cmp -s "$OUT/static/style.css" "$ROOT/themes/default/static/style.css"

# kill -9 in the middle of a build that shares: the site is the old one
# or the new one, whole, and the old one's files were never written into
build_ok "$R" "$OUT"
(cd "$OUT" && find . -type f -exec md5sum {} + | sort) >"$T/old.sums"
sed -i 's/lần ba/lần bốn/' "$f"
commit "$R" "2025-12-05T09:00:00+07:00" "Lần bốn"
ps build --repo "$R" --out "$T/clean4" 2>/dev/null
for ms in 20 60 120 200; do
	"$PLANSITE" build --repo "$R" --out "$OUT" 2>/dev/null &   # not ps: $! must be plansite itself
	pid=$!
	sleep "0.$(printf %03d $ms)"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	now=$( (cd "$OUT" && find . -type f -exec md5sum {} + | sort))
	check "kill -9 at $ms ms of a sharing build: the old site or the new one, whole" \
		bash -c "test \"\$1\" = \"\$(cat '$T/old.sums')\" || diff -r -q '$OUT' '$T/clean4' >/dev/null" _ "$now"
done
build_ok "$R" "$OUT"
check "... and the next build publishes the new one" diff -r "$OUT" "$T/clean4"

# a push that changes one task of one plan, the same day: no page names
# the build's commit but /du-lieu/ (a plan page names its own last change),
# so the other plans' pages are the very same files, shared, not rewritten
build_ok "$R" "$OUT"
find "$OUT" -type f -printf '%P %i\n' | sort >"$T/inodes.before"
g=$R/content/plans/44-kh-ubnd.md
sed -i '0,/progress: 85/s//progress: 90/' "$g"
commit "$R" "2025-12-05T15:00:00+07:00" "Cập nhật tiến độ 44/KH-UBND"
check "a build after a push of one task succeeds" build_ok "$R" "$OUT" --verbose
find "$OUT" -type f -printf '%P %i\n' | sort >"$T/inodes.after"
ps build --repo "$R" --out "$T/clean5" 2>/dev/null
check "... and equals a clean build" diff -r "$OUT" "$T/clean5"
check "every other plan's page is the same file (same inode)" python3 - "$T/inodes.before" "$T/inodes.after" "$OUT" <<'PY'
import sys
before = dict(l.split() for l in open(sys.argv[1]))
after = dict(l.split() for l in open(sys.argv[2]))
plans = [p for p in after if p.startswith("ke-hoach/") and p.count("/") == 2 and p.endswith("/index.html")]
assert len(plans) >= 5, plans
changed = [p for p in plans if before.get(p) != after[p]]
assert changed == ["ke-hoach/44-kh-ubnd/index.html"], changed
# the footer still says the as-of date; the commit is named on /du-lieu/
out = sys.argv[3]
h = open(f"{out}/ke-hoach/185-kh-sdt-tg/index.html", encoding="utf-8").read()
assert "05/12/2025" in h.split('<footer class="site-footer">')[1], "no as-of date in the footer"
d = open(f"{out}/du-lieu/index.html", encoding="utf-8").read()
import subprocess
head = subprocess.run(["git", "-C", sys.argv[1].rsplit("/", 1)[0] + "/repo", "rev-parse", "HEAD"],
                      capture_output=True, text=True).stdout.strip()
assert f'<code title="{head}">{head[:7]}</code>' in d, "/du-lieu/ does not name the commit"
p = open(f"{out}/ke-hoach/44-kh-ubnd/index.html", encoding="utf-8").read()
assert f"<code>{head[:7]}</code>" in p.split('id="about"')[1].split("</dl>")[0], "the plan does not name its last change"
PY
shared=$(grep -Eo "[0-9]+ tệp giống bản trước" "$T/stderr" | cut -d' ' -f1)
written=$(grep -Eo "[0-9]+ tệp được ghi" "$T/stderr" | cut -d' ' -f1)
echo "# one task changed: $shared files shared, $written written"
check "... most files are shared: $written written of $((shared + written))" test "$((written * 4))" -lt "$shared"

# a current site is still checked: one that now holds a Git repository is
# refused, not skipped
git init -q "$OUT/ke-hoach/sub"
ps build --repo "$R" --out "$OUT" 2>"$T/stderr" && rc=0 || rc=$?
check "a current site that now holds a Git repository is refused (exit 2)" test "$rc" = 2
check "... saying why" grep -q "kho Git" "$T/stderr"
check "... and left as it was" test -d "$OUT/ke-hoach/sub/.git"
rm -rf "$OUT/ke-hoach/sub"

# the work tree is never skipped, and records no state
echo "<!-- nháp -->" >>"$f"
build_ok "$R" "$OUT" --worktree
check "--worktree builds" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
check "... and writes no state (the next build is never skipped)" test ! -e "$OUT/.plansite-state"
build_ok "$R" "$OUT" --worktree
check "--worktree twice builds twice" bash -c "! grep -q 'không dựng lại' '$T/stderr'"
finish
