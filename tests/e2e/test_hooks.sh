#!/usr/bin/env bash
# test_hooks.sh: the push gate.  plansite reads the objects of a push under
# quarantine; contrib/hooks/pre-receive refuses a broken push to the
# published branch with located messages, and deleting or rewinding it;
# contrib/hooks/post-receive publishes one build at a time, the latest tip.
. "$(dirname "$0")/lib.sh"

# plan FILE TITLE [NUMBER]: a small valid plan
plan() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<MD
---
number: "${3:-1/KH-UBND}"
title: "$2"
tasks:
  - { id: "1", title: "Nhiệm vụ", lead: Văn phòng, output: Báo cáo, due: Năm 2025, status: done, completed: 2025-06-01 }
---
Nội dung.
MD
}
# same A B: the two folders hold the same files, byte for byte
same() { diff -r "$1" "$2" >/dev/null; }

# messages in the default language, Vietnamese, whatever the caller's locale
export LANG=C.UTF-8
unset LANGUAGE LC_ALL LC_MESSAGES

## 1. Objects only in the folders the environment names (a quarantine)

W=$T/work
newrepo "$W"
plan "$W/content/plans/a.md" "Kế hoạch một"
commit "$W" "2025-12-01T09:00:00+07:00" "một"
plan "$W/content/plans/b.md" "Kế hoạch hai" "2/KH-UBND"
commit "$W" "2025-12-02T09:00:00+07:00" "hai"
git -C "$W" gc -q   # packed, as a pushed pack is
loose=$(git -C "$W" rev-parse HEAD)
B=$T/bare.git
git init -q --bare "$B"
Q=$T/quarantine
cp -r "$W/.git/objects" "$Q"

rc=0
ps check --repo "$B" --ref "$loose" 2>"$T/err" || rc=$?
check "without the environment the commit is unknown (exit 2)" \
	test "$rc" = 2 -a -n "$(grep 'không có phiên bản' "$T/err")"
check "GIT_OBJECT_DIRECTORY: check reads the commit" \
	env GIT_OBJECT_DIRECTORY="$Q" "$PLANSITE" check --repo "$B" --ref "$loose"
check "GIT_ALTERNATE_OBJECT_DIRECTORIES, second of two (one missing)" \
	env GIT_ALTERNATE_OBJECT_DIRECTORIES="$T/none:$Q" "$PLANSITE" check --repo "$B" --ref "$loose"
mv "$Q" "$T/q:uoted"
check "GIT_ALTERNATE_OBJECT_DIRECTORIES: a C-quoted folder holding ':'" \
	env GIT_ALTERNATE_OBJECT_DIRECTORIES="\"$T/q:uoted\":$T/none" "$PLANSITE" check --repo "$B" --ref "$loose"
rc=0
env GIT_ALTERNATE_OBJECT_DIRECTORIES="$T/q:uoted" "$PLANSITE" check --repo "$B" --ref "$loose" 2>/dev/null || rc=$?
check "the same folder unquoted is split at ':' (as Git does) and not found" test "$rc" = 2
mv "$T/q:uoted" "$Q"
check "GIT_QUARANTINE_PATH alone" \
	env GIT_QUARANTINE_PATH="$Q" "$PLANSITE" check --repo "$B" --ref "$loose"
rc=0
env GIT_OBJECT_DIRECTORY="$T/none" "$PLANSITE" check --repo "$B" --ref "$loose" 2>"$T/err" || rc=$?
check "an unreadable GIT_OBJECT_DIRECTORY is an environment error (exit 2)" \
	test "$rc" = 2 -a -n "$(grep 'GIT_OBJECT_DIRECTORY' "$T/err")"
# the build reads blobs and history on reader threads of their own
env GIT_OBJECT_DIRECTORY="$Q" "$PLANSITE" build --repo "$B" --ref "$loose" --out "$T/qsite" 2>"$T/err" || cat "$T/err"
build_ok "$W" "$T/wsite" --ref "$loose"
check "build under quarantine = build of the work repository" same "$T/qsite" "$T/wsite"
# Git's layout: GIT_OBJECT_DIRECTORY holds only the pushed objects, the
# repository's own ones come through GIT_ALTERNATE_OBJECT_DIRECTORIES
git -C "$W" push -q "$B" HEAD~1:refs/heads/main
P=$T/pushed
mkdir -p "$P/pack"
git -C "$W" rev-list --objects HEAD~1..HEAD | cut -d' ' -f1 |
	git -C "$W" pack-objects -q "$P/pack/pack" >/dev/null
rc=0
GIT_OBJECT_DIRECTORY=$P "$PLANSITE" check --repo "$B" --ref "$loose" 2>/dev/null || rc=$?
check "the pushed pack alone lacks the older objects" test "$rc" -ne 0
env GIT_OBJECT_DIRECTORY="$P" GIT_ALTERNATE_OBJECT_DIRECTORIES="$B/objects" \
	"$PLANSITE" build --repo "$B" --ref "$loose" --out "$T/psite" 2>"$T/err" || cat "$T/err"
check "pushed pack + the repository as alternate: the same site" same "$T/psite" "$T/wsite"

## 2. The hooks on a server repository

S=$T/server.git
git init -q --bare "$S"
cp "$ROOT/contrib/hooks/pre-receive" "$ROOT/contrib/hooks/post-receive" "$S/hooks/"
SITE=$T/site
# a plansite that records when each build starts and ends, and whose builds
# wait while $T/hold exists (a slow build, for as long as the test needs)
cat >"$T/slow-plansite" <<SH
#!/bin/sh
if [ "\$1" = build ]; then
	echo "start \$*" >>"$T/builds"
	: >"$T/building"
	n=0
	while [ -e "$T/hold" ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done
fi
"$PLANSITE" "\$@"
rc=\$?
[ "\$1" = build ] && echo "end \$rc" >>"$T/builds"
exit \$rc
SH
chmod +x "$T/slow-plansite"
git -C "$S" config plansite.bin "$T/slow-plansite"
git -C "$S" config plansite.out "$SITE"
# --lang vi: the editors' language, whatever the server's locale says
git -C "$S" config plansite.options "--lang vi --base-url https://portal.example.gov.vn/"

C=$T/clone
git clone -q "$S" "$C" 2>/dev/null
newrepo "$C"
plan "$C/content/plans/a.md" "Kế hoạch bản 1"
commit "$C" "2025-12-01T09:00:00+07:00" "bản 1"
v1=$(git -C "$C" rev-parse HEAD)
# push CLONE [ARGS...]: git push, its output in $T/push.out; the exit status
push() {
	local c=$1
	shift
	git -C "$c" push "$@" >"$T/push.out" 2>&1
}
server_main() { git -C "$S" rev-parse -q --verify refs/heads/main || echo none; }

check "a good push is accepted" push "$C" origin HEAD:main
check "post-receive published it into plansite.out" \
	grep -q "Kế hoạch bản 1" "$SITE/index.html"
check "with plansite.options" grep -rq "https://portal.example.gov.vn/" "$SITE"
check "the build is logged with its time, commit and exit status" \
	grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z build refs/heads/main $v1 -> $SITE: exit 0" "$S/plansite.log"
check "the editor is told it is published" grep -q "remote: plansite: đã công bố commit" "$T/push.out"
snap() { (cd "$SITE" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
snap >"$T/site-v1"

# a broken push: refused, the messages located, the site as it was
cat >"$C/content/plans/bad.md" <<'MD'
---
number: "2/KH"
title: [unclosed
---
MD
commit "$C" "2025-12-02T09:00:00+07:00" "hỏng"
rc=0
push "$C" origin HEAD:main || rc=$?
cp "$T/push.out" "$T/refused.out"
check "a push with broken YAML is refused" test "$rc" -ne 0
check "git push shows the located message, in Vietnamese with its fix" \
	grep -Eq "^remote: content/plans/bad\.md:3:8: error: \[E[0-9]+\] .* gợi ý: " "$T/push.out"
check "... and plansite's own summary in Vietnamese" grep -q "^remote: plansite: 1 lỗi" "$T/push.out"
check "git push says in Vietnamese that it is refused and what to do" \
	grep -q "remote: plansite: KHÔNG NHẬN lần đẩy lên nhánh \"main\"" "$T/push.out"
check "... and how to fix it" grep -q "remote: Cách sửa: mở từng tệp ở trên" "$T/push.out"
check "git reports the hook's refusal" grep -q "pre-receive hook declined" "$T/push.out"
check "the server's main did not move" test "$(server_main)" = "$v1"
snap >"$T/site-now"
check "the site was not touched" cmp -s "$T/site-v1" "$T/site-now"

# drafts pass, broken or not
check "a draft branch with broken content passes" push "$C" origin HEAD:refs/heads/nhap
check "... and is not published" cmp -s "$T/site-v1" <(snap)

# a rewind of the published branch
git -C "$C" reset -q --hard "$v1"
plan "$C/content/plans/a.md" "Kế hoạch bản 2"
commit "$C" "2025-12-03T09:00:00+07:00" "bản 2"
check "a fast-forward push is accepted" push "$C" origin HEAD:main
v2=$(git -C "$C" rev-parse HEAD)
plan "$C/content/plans/a.md" "Kế hoạch viết lại"
(cd "$C" && git add -A && GIT_COMMITTER_DATE="2025-12-04T09:00:00+07:00" git commit -q --amend -m "viết lại")
rc=0
push "$C" --force origin HEAD:main || rc=$?
check "a force push (not a fast-forward) of main is refused" test "$rc" -ne 0 -a "$(server_main)" = "$v2"
check "... saying why, in Vietnamese" grep -q "ghi đè lịch sử nhánh công bố" "$T/push.out"
rc=0
push "$C" origin :main || rc=$?
check "deleting main is refused" test "$rc" -ne 0 -a "$(server_main)" = "$v2"
check "... saying why, in Vietnamese" grep -q "không được xoá nhánh công bố" "$T/push.out"
check "deleting a draft branch passes" push "$C" origin :nhap
git -C "$S" config plansite.allowRewind true
check "with plansite.allowRewind a force push is accepted" push "$C" --force origin HEAD:main
check "... and published" grep -q "Kế hoạch viết lại" "$SITE/index.html"
git -C "$S" config plansite.allowRewind false
plan "$C/content/plans/a.md" "Kế hoạch bản 3"
commit "$C" "2025-12-05T09:00:00+07:00" "bản 3"
check "a fast-forward after it is accepted" push "$C" origin HEAD:main

# pushes in quick succession, while a build is slow: builds never overlap
# and the last tip is published.  TAG names the run (flock or mkdir lock).
quick() {
	local tag=$1 path=$2
	local c2=$T/clone2-$tag
	rm -rf "$c2"
	git clone -q "$S" "$c2" 2>/dev/null
	rm -f "$T/builds" "$T/building"
	: >"$T/hold"
	plan "$C/content/plans/a.md" "Bản X $tag"
	commit "$C" "2025-12-06T09:00:00+07:00" "X"
	PATH=$path git -C "$C" push -q origin HEAD:main >"$T/px.out" 2>&1 &
	local px=$!
	for _ in $(seq 300); do [ -e "$T/building" ] && break; sleep 0.1; done
	# the second clone takes X and pushes Y then Z while X is built
	git -C "$c2" pull -q --ff-only origin main
	plan "$c2/content/plans/a.md" "Bản Y $tag"
	commit "$c2" "2025-12-06T10:00:00+07:00" "Y"
	PATH=$path git -C "$c2" push -q origin HEAD:main >"$T/py.out" 2>&1 &
	local py=$! y
	y=$(git -C "$c2" rev-parse HEAD)
	for _ in $(seq 300); do [ "$(server_main)" = "$y" ] && break; sleep 0.1; done
	plan "$c2/content/plans/a.md" "Bản Z $tag"
	commit "$c2" "2025-12-06T11:00:00+07:00" "Z"
	local z
	z=$(git -C "$c2" rev-parse HEAD)
	PATH=$path git -C "$c2" push -q origin HEAD:main >"$T/pz.out" 2>&1 &
	local pz=$!
	for _ in $(seq 300); do [ "$(server_main)" = "$z" ] && break; sleep 0.1; done
	rm -f "$T/hold"
	wait "$px" "$py" "$pz"
	check "$tag: every build ran alone" test "$(uniq <(cut -d' ' -f1 "$T/builds") | tr '\n' ' ')" = \
		"start end start end start end "
	check "$tag: the second of the quick pushes is published" grep -q "Bản Z $tag" "$SITE/index.html"
	check "$tag: Y was never built (Z was the tip when the lock was free)" \
		test -z "$(grep -- "--ref $y " "$T/builds")" -a -n "$(grep -- "--ref $z " "$T/builds")"
	"$PLANSITE" build --repo "$S" --ref "$z" --out "$T/fresh-$tag" --lang vi --base-url https://portal.example.gov.vn/ 2>/dev/null
	check "$tag: nothing mixed: the site is a build of Z, byte for byte" same "$SITE" "$T/fresh-$tag"
	git -C "$C" pull -q --ff-only origin main
}
quick flock "$PATH"
# without flock(1): the mkdir lock
NOFLOCK=$T/noflock-bin
mkdir -p "$NOFLOCK"
for d in /usr/local/bin /usr/bin /bin; do
	for f in "$d"/*; do
		n=${f##*/}
		[ "$n" = flock ] || [ -e "$NOFLOCK/$n" ] || ln -s "$f" "$NOFLOCK/$n"
	done
done
check "the fallback really has no flock" test -z "$(PATH=$NOFLOCK command -v flock)"
quick mkdir "$NOFLOCK"
check "the mkdir lock is released" test ! -e "$S/plansite.lock.d"

# post-receive never fails the push, and logs a failed build
: >"$T/afile"
git -C "$S" config plansite.out "$T/afile/site"
plan "$C/content/plans/a.md" "Bản lỗi ghi"
commit "$C" "2025-12-07T09:00:00+07:00" "không ghi được"
check "a build that fails does not fail the push" push "$C" origin HEAD:main
check "... it is logged with its exit status" grep -Eq "exit [12] " <(tail -n 20 "$S/plansite.log")
check "... and the editor is told the site was kept" grep -q "CHƯA công bố được" "$T/push.out"
git -C "$S" config --unset plansite.out
plan "$C/content/plans/a.md" "Bản không nơi công bố"
commit "$C" "2025-12-08T09:00:00+07:00" "không có plansite.out"
check "without plansite.out the push passes" push "$C" origin HEAD:main
check "... and says so" grep -q "plansite.out" "$T/push.out"

echo "--- what git push prints for a refused push:"
sed 's/^/    /' "$T/refused.out"
finish
