#!/usr/bin/env bash
# test_spare.sh: a published folder keeps the site it replaced beside it
# (OUT.plansite-previous, the spare); the next build starts from the spare
# instead of making every folder and link anew, and whatever the spare
# holds -- files edited, added or removed, folders of another mode, links
# planted anywhere -- the site it publishes equals a clean build (bytes,
# modes, no extra or missing file) and nothing outside it is touched.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
commit "$R" "2025-12-01T09:00:00+07:00" "Cổng mẫu"
OUT=$T/pub
SP=$OUT.plansite-previous
f=$(ls "$R/content/plans/"*.md | head -1)
n=0
# next_commit: one more commit that renames the first plan
next_commit() {
	n=$((n + 1))
	sed -i "0,/^title: .*/s//title: Kế hoạch đổi tên lần $n/" "$f"
	commit "$R" "2025-12-$(printf %02d $((n + 1)))T09:00:00+07:00" "Đổi tên lần $n"
}
# tree DIR: every path with its kind and mode, and each file's bytes
tree() {
	(cd "$1" && find . -printf '%p %y %m\n' | sort && find . -type f -exec md5sum {} + | sort)
}
# same_as_clean: OUT equals a clean build of the same commit
same_as_clean() {
	rm -rf "$T/clean"
	ps build --repo "$R" --out "$T/clean" 2>/dev/null
	tree "$OUT" >"$T/t.out"
	tree "$T/clean" >"$T/t.clean"
	diff "$T/t.out" "$T/t.clean"
}

check "the first build publishes" build_ok "$R" "$OUT"
check "... and keeps no spare (it replaced nothing)" test ! -e "$SP"
next_commit
check "a second build publishes" build_ok "$R" "$OUT"
check "... and keeps the site it replaced as the spare" test -f "$SP/.plansite-site" -a -f "$SP/index.html"
check "... which is the first site (the old title)" bash -c "! grep -rq 'đổi tên lần 1' '$SP/ke-hoach/'"
check "... and equals a clean build" same_as_clean
ino_css=$(stat -c %i "$OUT/static/style.css")
check "... sharing unchanged files with the spare (same inode)" test "$ino_css" = "$(stat -c %i "$SP/static/style.css")"

next_commit
sp_ino=$(stat -c %i "$SP")
check "a third build starts from the spare and publishes" build_ok "$R" "$OUT" --verbose
check "... in the spare's very folder" test "$sp_ino" = "$(stat -c %i "$OUT")"
check "... equal to a clean build" same_as_clean
check "... the unchanged files still the same file" test "$ino_css" = "$(stat -c %i "$OUT/static/style.css")"
check "... and the spare is now the second site" grep -rq "đổi tên lần 1" "$SP/ke-hoach/"
check "... no staging folder left" bash -c "! ls -d '$OUT'.staging-* 2>/dev/null"

# whatever was done to the spare, the next site is a clean build's
mkdir -p "$T/outside/x"
echo "ngoài" >"$T/outside/x/keep.txt"
echo "thừa" >"$SP/thua.html"
mkdir -p "$SP/thu-muc-thua/con" && echo a >"$SP/thu-muc-thua/con/a.html"
rm -f "$SP/index.html"
p=$(cd "$SP" && find ke-hoach -name index.html | head -1)
rm -f "$SP/$p" && echo "sửa tay" >"$SP/$p"
chmod 700 "$SP/don-vi"
rm -rf "$SP/van-ban" && ln -s "$T/outside" "$SP/van-ban"
rm -f "$SP/static/app.js" 2>/dev/null; ln -s "$T/outside/x/keep.txt" "$SP/static/app.js"
u=$(cd "$SP" && find thoi-han -name index.html | head -1)
chmod 600 "$SP/$u"
next_commit
sp_ino=$(stat -c %i "$SP")
check "a build from a spare edited by hand publishes" build_ok "$R" "$OUT"
check "... in the spare's very folder" test "$sp_ino" = "$(stat -c %i "$OUT")"
check "... a site equal to a clean build (no extra file, none missing, same modes and bytes)" same_as_clean
check "... and nothing outside it touched" bash -c "test \"\$(ls -R '$T/outside')\" = \"\$(printf '%s\n' '$T/outside:' x '' '$T/outside/x:' keep.txt)\" && grep -qx ngoài '$T/outside/x/keep.txt'"
check "... the planted link not followed" test ! -L "$OUT/van-ban" -a -d "$OUT/van-ban"

# a folder of that name that plansite did not write is never touched
rm -rf "$SP" && mkdir "$SP" && echo "của người khác" >"$SP/ghi-chu.txt"
next_commit
check "a folder named like the spare but without the marker: the build publishes" build_ok "$R" "$OUT"
check "... equal to a clean build" same_as_clean
check "... and that folder is kept as it was" test "$(ls "$SP")" = ghi-chu.txt
rm -rf "$SP"

# --force starts from nothing, and the spare is the site it replaced
build_ok "$R" "$OUT"
next_commit
build_ok "$R" "$OUT"
check "--force builds" build_ok "$R" "$OUT" --force --verbose
check "... writing every file (none shared)" grep -q " 0 tệp giống bản trước" "$T/stderr"
check "... equal to a clean build" same_as_clean
check "... and the spare is the site it replaced" cmp -s "$SP/index.html" "$T/clean/index.html"

# a build that fails on the content leaves the site and loses only the spare
cp "$OUT/index.html" "$T/index.before"
printf -- '---\ntitle: [hỏng\n---\n' >"$R/content/plans/zz-hong.md"
commit "$R" "2025-12-28T09:00:00+07:00" "Tệp hỏng"
check "a build with a content error fails" bash -c "! ps build --repo '$R' --out '$OUT' 2>/dev/null"
check "... the published site is as it was" cmp -s "$OUT/index.html" "$T/index.before"
check "... no staging folder left" bash -c "! ls -d '$OUT'.staging-* 2>/dev/null"
git -C "$R" rm -q content/plans/zz-hong.md
commit "$R" "2025-12-29T09:00:00+07:00" "Bỏ tệp hỏng"
check "... and the next build publishes" build_ok "$R" "$OUT"
check "... equal to a clean build" same_as_clean

# killed while it works from the spare: the site is whole, the next build right
for ms in 30 120 300; do
	next_commit
	"$PLANSITE" build --repo "$R" --out "$OUT" 2>/dev/null &
	pid=$!
	sleep "0.$(printf %03d $ms)"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	check "kill -9 at $ms ms of a build from the spare: the site is still whole" test -f "$OUT/.plansite-site" -a -f "$OUT/index.html"
	build_ok "$R" "$OUT"
	check "... and the next build equals a clean build" same_as_clean
done
check "... and no staging folder is left" bash -c "! ls -d '$OUT'.staging-* 2>/dev/null"

# a path that was a file and becomes a folder, and back (a theme's static
# files here): the build from the spare replaces the one by the other
cp -r "$ROOT/themes/default" "$T/th"
echo "tệp" >"$T/th/static/them"
build_ok "$R" "$OUT" --theme "$T/th"
next_commit
build_ok "$R" "$OUT" --theme "$T/th"
rm "$T/th/static/them" && mkdir "$T/th/static/them" && echo "a {}" >"$T/th/static/them/a.css"
check "a file of the previous site that is a folder now: the build publishes" build_ok "$R" "$OUT" --theme "$T/th"
check "... the folder and its file" test -f "$OUT/static/them/a.css"
rm -rf "$T/clean" && ps build --repo "$R" --out "$T/clean" --theme "$T/th" 2>/dev/null
check "... equal to a clean build" bash -c "diff <(cd '$OUT' && find . -printf '%p %y %m\n' | sort) <(cd '$T/clean' && find . -printf '%p %y %m\n' | sort) && diff -r '$OUT' '$T/clean'"
rm -rf "$T/th/static/them" && echo "tệp lại" >"$T/th/static/them"
check "a folder of the previous site that is a file now: the build publishes" build_ok "$R" "$OUT" --theme "$T/th"
check "... the file" grep -qx "tệp lại" "$OUT/static/them"
rm -rf "$T/clean" && ps build --repo "$R" --out "$T/clean" --theme "$T/th" 2>/dev/null
check "... equal to a clean build" bash -c "diff <(cd '$OUT' && find . -printf '%p %y %m\n' | sort) <(cd '$T/clean' && find . -printf '%p %y %m\n' | sort) && diff -r '$OUT' '$T/clean'"

# a link as --out keeps its own way (new targets beside the old): no spare
mkdir "$T/www" && ln -s "$T/www/site-a" "$T/www/portal"
build_ok "$R" "$T/www/portal"
next_commit
build_ok "$R" "$T/www/portal"
check "a link as --out keeps no spare" bash -c "! ls -d '$T/www/'*plansite-previous 2>/dev/null"
finish
