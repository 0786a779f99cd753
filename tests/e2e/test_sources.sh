#!/bin/bash
# test_sources.sh: a portal gathered from three agencies' bare repositories
# (site.yaml sources): plans shown with their owners, ownership refused,
# a broken source held at its last good commit, byte-identical rebuilds.
. "$(dirname "$0")/lib.sh"

P=$T/portal
newrepo "$P"
cat >"$P/content/units.yaml" <<'YAML'
- { id: ubnd, name: UBND tỉnh Thử, kind: agency }
- { id: so-tp, name: Sở Tư pháp, parent: ubnd, kind: agency }
- { id: phong-bt, name: Phòng Bổ trợ tư pháp, parent: so-tp, kind: department }
- { id: so-yt, name: Sở Y tế, parent: ubnd, kind: agency }
- { id: xa-a, name: UBND xã A, kind: agency }
YAML
cat >>"$P/content/site.yaml" <<'YAML'
sources:
  - { id: stp, repo: ../stp.git, owner: so-tp }
  - { id: syt, repo: ../syt.git, owner: so-yt, ref: main }
  - id: xa
    repo: ../xa.git
    owner: xa-a
    content: noi-dung
YAML
commit "$P" "2025-06-01T08:00:00+07:00" "cổng"

# plan NUMBER ISSUER [TASKSTATUS]
plan() {
	cat <<MD
---
number: "$1"
title: "Kế hoạch $1"
issuer: $2
date: 2025-05-02
tasks:
  - { id: "1", title: "Việc của $1", lead: $2, output: "Báo cáo", due: "Năm 2026", status: ${3:-not_started} }
---
MD
}
# src NAME: a work repository W_NAME pushing to the bare NAME.git
src() {
	git init -q --bare "$T/$1.git"
	git init -q "$T/w-$1"
	git -C "$T/w-$1" remote add origin "$T/$1.git"
}
push() { git -C "$T/w-$1" push -q origin HEAD:main; }

src stp
mkdir -p "$T/w-stp/content/plans" "$T/w-stp/content/static"
plan "10/KH-STP" "Sở Tư pháp" >"$T/w-stp/content/plans/10.md"
plan "11/KH-PBT" "Phòng Bổ trợ tư pháp" >"$T/w-stp/content/plans/11.md"
echo "bao cao" >"$T/w-stp/content/static/bao-cao.txt"
commit "$T/w-stp" "2025-06-02T08:00:00+07:00" "stp 1"
push stp
src syt
mkdir -p "$T/w-syt/content/plans" "$T/w-syt/content/static"
plan "20/KH-SYT" "Sở Y tế" >"$T/w-syt/content/plans/20.md"
echo "yte" >"$T/w-syt/content/static/bao-cao.txt"
# a source cannot change the portal's registries or settings
printf -- '- { id: so-yt, name: Sở Y tế bị đổi, kind: agency }\n' >"$T/w-syt/content/units.yaml"
printf 'title: Cổng bị đổi\n' >"$T/w-syt/content/site.yaml"
commit "$T/w-syt" "2025-06-03T08:00:00+07:00" "syt 1"
push syt
src xa
mkdir -p "$T/w-xa/noi-dung/plans"
plan "30/KH-UBND" "UBND xã A" >"$T/w-xa/noi-dung/plans/30.md"
commit "$T/w-xa" "2025-06-04T08:00:00+07:00" "xa 1"
push xa

# 1. every plan of each source appears, with its owner's unit page
check "build from three sources" build_ok "$P" "$T/o1"
cp "$T/stderr" "$T/stderr1"
check "every source's plans in plans.json" \
	test "$(json 'sorted(p["number"] for p in d)' "$T/o1/du-lieu/plans.json")" = \
	"['10/KH-STP', '11/KH-PBT', '20/KH-SYT', '30/KH-UBND']"
check "owner's unit page lists its plan" grep -q "10/KH-STP" "$T/o1/don-vi/so-tp/index.html"
check "sub-unit's plan on its own unit page" grep -q "11/KH-PBT" "$T/o1/don-vi/phong-bt/index.html"
check "commune plan from a content folder of its own" grep -q "30/KH-UBND" "$T/o1/don-vi/xa-a/index.html"
check "static files under the source's id" grep -qx "bao cao" "$T/o1/static/stp/bao-cao.txt"
check "two sources' static files of one name both kept" grep -qx "yte" "$T/o1/static/syt/bao-cao.txt"
check "a source's units.yaml is ignored" grep -q "Sở Y tế<" "$T/o1/don-vi/so-yt/index.html"
check "... and not its renamed unit" bash -c "! grep -rq 'Sở Y tế bị đổi' '$T/o1'"
check "a source's site.yaml is ignored" bash -c "! grep -rq 'Cổng bị đổi' '$T/o1'"
check "ignored files are warned about (W062)" grep -q 'W062.*"syt": 2 tệp' "$T/stderr1"
check "sources.json: three sources, current" \
	test "$(json '[(s["id"], s["owner"], s["state"], s["held"]) for s in d]' "$T/o1/du-lieu/sources.json")" = \
	"[('stp', 'so-tp', 'current', False), ('syt', 'so-yt', 'current', False), ('xa', 'xa-a', 'current', False)]"
check "sources.json names each commit and its date" \
	test "$(json 'd[0]["commit"] + " " + d[0]["date"]' "$T/o1/du-lieu/sources.json")" = \
	"$(git -C "$T/stp.git" rev-parse main) 2025-06-02T08:00:00+07:00"
check "the set of commits is printed at the end" \
	grep -q "nguồn stp (so-tp): commit $(git -C "$T/stp.git" rev-parse main)" "$T/stderr1"
check "/du-lieu/ lists the sources" grep -q '<li class="source source-current"><code>stp</code>' "$T/o1/du-lieu/index.html"
check "the good commits are kept in the portal's \$GIT_DIR/plansite" \
	grep -q "^stp	$(git -C "$T/stp.git" rev-parse main)$" "$P/.git/plansite/sources"

# 2. same commits, byte-identical output
check "rebuild" build_ok "$P" "$T/o2"
check "same commits give byte-identical output" diff -r "$T/o1" "$T/o2"

# 3. a plan issued by another owner: the source is refused with its message
plan "12/KH-SYT" "Sở Y tế" >"$T/w-stp/content/plans/12.md"
commit "$T/w-stp" "2025-06-05T08:00:00+07:00" "stp 2: a plan not its own"
push stp
STP1=$(git -C "$T/stp.git" rev-parse main~1)
check "a broken source does not stop the portal" build_ok "$P" "$T/o3"
cp "$T/stderr" "$T/stderr3"
check "ownership error names source, file and issuer" \
	grep -q 'sources/stp/content/plans/12.md:.*E073.*nguồn "stp" (của Sở Tư pháp) không được đăng kế hoạch do "Sở Y tế" ban hành' "$T/stderr3"
check "held warning (W060) names the commit" grep -q "W060.*\"stp\" được giữ ở commit ${STP1:0:10}" "$T/stderr3"
check "the refused plan is not published" \
	bash -c "! grep -q '12/KH-SYT' '$T/o3/du-lieu/plans.json'"
check "the held commit's plans are still published" grep -q "10/KH-STP" "$T/o3/du-lieu/plans.json"
check "a held source's history is its held commit's" \
	test "$(json '[e["commit"] for e in d if e["plan"] == "10/KH-STP"]' "$T/o3/du-lieu/changes.json")" = "['$STP1']"
check "... not the refused commit's" \
	bash -c "! grep -q '$(git -C "$T/stp.git" rev-parse main)' '$T/o3/du-lieu/changes.json'"
check "sources.json says held, at which commit and why" \
	test "$(json '[(s["state"], s["held"], s["commit"], "E073" in s["reason"]) for s in d if s["id"] == "stp"][0]' "$T/o3/du-lieu/sources.json")" = \
	"('held', True, '$STP1', True)"
check "/du-lieu/ says which source is held and why" \
	grep -q "source-held\"><code>stp</code>.*$STP1.*E073" "$T/o3/du-lieu/index.html"
check "a site with sources is rebuilt though the portal's commit is the same" build_ok "$P" "$T/o1"
check "... and is the new one, not the one skipped as current" diff -r "$T/o1" "$T/o3"
check "... which holds no skip state" test ! -e "$T/o1/.plansite-state"
check "--strict-sources makes a held source an error" \
	bash -c "! '$PLANSITE' build --repo '$P' --out '$T/o4' --strict-sources 2>'$T/stderr4'"
check "... with E079" grep -q "E079" "$T/stderr4"
check "... and publishes nothing" test ! -e "$T/o4"
check "--source-ref pins a source" build_ok "$P" "$T/o5" --source-ref "stp=main~1"
check "... at that commit, current" \
	test "$(json '[(s["state"], s["commit"]) for s in d if s["id"] == "stp"][0]' "$T/o5/du-lieu/sources.json")" = \
	"('current', '$STP1')"
check "--source-ref naming no source is refused" \
	bash -c "'$PLANSITE' build --repo '$P' --out '$T/o6' --source-ref 'khong=main' 2>'$T/stderr6'; test \$? = 2"

# a source with no good commit yet is left out
src moi
mkdir -p "$T/w-moi/noi-dung/plans"
plan "40/KH-SYT" "Sở Y tế" >"$T/w-moi/noi-dung/plans/40.md"
commit "$T/w-moi" "2025-06-05T09:00:00+07:00" "moi 1: a plan not its own"
push moi
sed -i 's/^    content: noi-dung$/    content: noi-dung\n  - { id: moi, repo: ..\/moi.git, owner: xa-a, content: noi-dung }/' "$P/content/site.yaml"
commit "$P" "2025-06-06T08:00:00+07:00" "cổng: nguồn mới"
check "a source with no good commit" build_ok "$P" "$T/o7"
check "... is left out with a warning (W061)" grep -q 'W061.*"moi"' "$T/stderr"
check "... marked left-out in sources.json" \
	test "$(json '[(s["state"], s["commit"]) for s in d if s["id"] == "moi"][0]' "$T/o7/du-lieu/sources.json")" = \
	"('left-out', None)"

# a source whose head is broken (content error) is held; once fixed, current
printf -- '---\nnumber: "21/KH-SYT"\ntitle: [không đóng\n---\n' >"$T/w-syt/content/plans/21.md"
commit "$T/w-syt" "2025-06-07T08:00:00+07:00" "syt 2: broken"
push syt
check "broken head" build_ok "$P" "$T/o8"
check "... held" test "$(json '[s["state"] for s in d if s["id"] == "syt"][0]' "$T/o8/du-lieu/sources.json")" = held
rm "$T/w-syt/content/plans/21.md"
plan "21/KH-SYT" "Sở Y tế" >"$T/w-syt/content/plans/21.md"
commit "$T/w-syt" "2025-06-08T08:00:00+07:00" "syt 3: fixed"
push syt
check "fixed head" build_ok "$P" "$T/o9"
check "... current again" test "$(json '[s["state"] for s in d if s["id"] == "syt"][0]' "$T/o9/du-lieu/sources.json")" = current
check "... with its new plan" grep -q "21/KH-SYT" "$T/o9/du-lieu/plans.json"

# a portal whose $GIT_DIR/plansite cannot be used keeps the state beside the
# output (a file in its place stands for a read-only Git folder: root writes anywhere)
git clone -q "$P" "$T/portal2"
: >"$T/portal2/.git/plansite"
check "state beside the output" build_ok "$T/portal2" "$T/o12"
check "... in o12.plansite-sources" grep -q "^syt	$(git -C "$T/syt.git" rev-parse main)$" "$T/o12.plansite-sources"
check "... not in the Git folder" test -f "$T/portal2/.git/plansite" -a ! -s "$T/portal2/.git/plansite"
check "stp's broken head, with no good commit known there, is left out" \
	test "$(json '[s["state"] for s in d if s["id"] == "stp"][0]' "$T/o12/du-lieu/sources.json")" = left-out
echo "stp	$STP1" >"$T/o13.plansite-sources"
check "a good commit read from beside the output" build_ok "$T/portal2" "$T/o13"
check "... holds the source there" \
	test "$(json '[(s["state"], s["commit"]) for s in d if s["id"] == "stp"][0]' "$T/o13/du-lieu/sources.json")" = "('held', '$STP1')"

# two sources publishing one plan number: an error naming both
plan "10/KH-STP" "UBND xã A" >"$T/w-xa/noi-dung/plans/31.md"
commit "$T/w-xa" "2025-06-09T08:00:00+07:00" "xa 2: a number of stp"
push xa
check "one plan number from two sources fails the build" \
	bash -c "! '$PLANSITE' build --repo '$P' --out '$T/o10' 2>'$T/stderr10'"
check "... naming both sources' files" \
	grep -q 'sources/xa/noi-dung/plans/31.md:.*E050.*sources/stp/content/plans/10.md' "$T/stderr10"
git -C "$T/w-xa" rm -q noi-dung/plans/31.md
plan "30/KH-UBND" "UBND xã A" >"$T/w-xa/noi-dung/plans/30-ban-sao.md"
commit "$T/w-xa" "2025-06-10T08:00:00+07:00" "xa 3: one number twice in one source"
push xa
XAGOOD=$(git -C "$T/xa.git" rev-parse main~2)
check "one plan number twice in one source" build_ok "$P" "$T/o11"
check "... holds that source only (W060)" grep -q "W060.*\"xa\" được giữ ở commit ${XAGOOD:0:10}.*E050" "$T/stderr"
git -C "$T/w-xa" rm -q noi-dung/plans/30-ban-sao.md
commit "$T/w-xa" "2025-06-10T09:00:00+07:00" "xa 4"
push xa

# site.yaml errors are located in site.yaml
Q=$T/bad
newrepo "$Q"
cp "$P/content/units.yaml" "$Q/content/"
cat >>"$Q/content/site.yaml" <<'YAML'
sources:
  - { id: stp, repo: ../stp.git, owner: so-khong-co }
  - { id: stp, repo: ../syt.git, owner: so-yt }
  - { id: "Sở Y", repo: ../syt.git, owner: so-yt }
  - { id: xa, owner: xa-a }
  - { id: syt, repo: ../syt.git }
  - { id: moi, repo: ../moi.git, owner: xa-a, mau: x }
YAML
mkdir -p "$Q/content/static/moi"
echo x >"$Q/content/static/moi/a.txt"
commit "$Q" "2025-06-01T08:00:00+07:00" "sai"
check "bad sources list fails" bash -c "! '$PLANSITE' check --repo '$Q' 2>'$T/stderr11'"
for want in "site.yaml:5:.*E078.*so-khong-co" "site.yaml:6:.*E076.*dòng 5" "site.yaml:7:.*E075.*Sở Y" \
	"site.yaml:8:.*E077.*\"xa\" thiếu repo" "site.yaml:9:.*E078.*\"syt\" thiếu owner" "site.yaml:10:.*W064.*mau" \
	"site.yaml:10:.*E076.*\"moi\" trùng với thư mục static/moi/ của cổng (có tệp content/static/moi/a.txt)"; do
	check "site.yaml message: $want" grep -q "$want" "$T/stderr11"
done

# a source's own pre-receive checks a push against the portal (plansite.portal)
cp "$ROOT/contrib/hooks/pre-receive" "$T/stp.git/hooks/"
git -C "$T/stp.git" config plansite.portal "$P"
git -C "$T/stp.git" config plansite.source stp
git -C "$T/stp.git" config plansite.bin "$PLANSITE"
plan "13/KH-SYT" "UBND xã A" >"$T/w-stp/content/plans/13.md"
commit "$T/w-stp" "2025-06-11T08:00:00+07:00" "stp 3: another plan not its own"
check "a source's push with a plan of another owner is refused" \
	bash -c "! git -C '$T/w-stp' push origin HEAD:main 2>'$T/push1'"
check "... with the ownership error, file and issuer" \
	grep -q 'sources/stp/content/plans/13.md:.*E073.*"UBND xã A"' "$T/push1"
check "... and the source's branch is unchanged" \
	test "$(git -C "$T/stp.git" rev-parse main)" = "$(git -C "$T/w-stp" rev-parse HEAD~1)"
git -C "$T/w-stp" rm -q content/plans/12.md content/plans/13.md
commit "$T/w-stp" "2025-06-12T08:00:00+07:00" "stp 4: only its own plans"
check "a source's good push is accepted" git -C "$T/w-stp" push -q origin HEAD:main
check "... and the portal publishes it as current" build_ok "$P" "$T/o14"
check "... at that commit" \
	test "$(json '[(s["state"], s["commit"]) for s in d if s["id"] == "stp"][0]' "$T/o14/du-lieu/sources.json")" = \
	"('current', '$(git -C "$T/w-stp" rev-parse HEAD)')"

# a commit that is no content at all (its content folder gone) is held too
SYTGOOD=$(git -C "$T/syt.git" rev-parse main)
git -C "$T/w-syt" mv content khac
commit "$T/w-syt" "2025-06-13T08:00:00+07:00" "syt 4: content folder renamed"
push syt
check "a source without its content folder" build_ok "$P" "$T/o15"
check "... is held (W060) at its last good commit" grep -q "W060.*\"syt\" được giữ ở commit ${SYTGOOD:0:10}" "$T/stderr"
check "... in sources.json" \
	test "$(json '[(s["state"], s["commit"]) for s in d if s["id"] == "syt"][0]' "$T/o15/du-lieu/sources.json")" = "('held', '$SYTGOOD')"

# history per source: each plan's history from its own source's history,
# merged by date on the changes page, the feed and the weekly reports; a
# plan moved between sources (the unit moved to another agency) keeps it
git -C "$T/w-syt" mv khac content
commit "$T/w-syt" "2025-06-16T08:00:00+07:00" "syt 5: content folder back"
push syt
plan "40/KH-PBT" "Phòng Bổ trợ tư pháp" >"$T/w-stp/content/plans/40.md"
commit "$T/w-stp" "2025-06-18T08:00:00+07:00" "stp 5: kế hoạch 40"
push stp
STP5=$(git -C "$T/stp.git" rev-parse main)
check "a source's plan has history" build_ok "$P" "$T/o16"
check "... its addition, from the source's commit" \
	test "$(json '[c["field"] for e in d if e["commit"] == "'"$STP5"'" and e["plan"] == "40/KH-PBT" for c in e["changes"]]' "$T/o16/du-lieu/changes.json")" = "['added']"
check "... on the plan page" grep -q "stp 5: kế hoạch 40" "$T/o16/ke-hoach/40-kh-pbt/index.html"
# the unit Phòng Bổ trợ tư pháp moves to Sở Y tế, with its plans
git -C "$T/w-stp" rm -q content/plans/11.md content/plans/40.md
commit "$T/w-stp" "2025-06-24T08:00:00+07:00" "stp 6: phòng BTTP chuyển sang Sở Y tế"
push stp
plan "11/KH-PBT" "Phòng Bổ trợ tư pháp" >"$T/w-syt/content/plans/11.md"
plan "40/KH-PBT" "Phòng Bổ trợ tư pháp" in_progress >"$T/w-syt/content/plans/40.md"
commit "$T/w-syt" "2025-06-24T09:00:00+07:00" "syt 6: nhận kế hoạch của phòng BTTP"
push syt
SYT6=$(git -C "$T/syt.git" rev-parse main)
sed -i 's/^- { id: phong-bt, name: Phòng Bổ trợ tư pháp, parent: so-tp/- { id: phong-bt, name: Phòng Bổ trợ tư pháp, parent: so-yt/' "$P/content/units.yaml"
printf 'repo_url: https://git.example.gov.vn/tinh/cong\n' >>"$P/content/site.yaml"
commit "$P" "2025-06-24T10:00:00+07:00" "cổng: phòng BTTP thuộc Sở Y tế"
check "a plan moved between sources" build_ok "$P" "$T/o17"
check "... both sources current" \
	test "$(json '[s["state"] for s in d if s["id"] in ("stp", "syt")]' "$T/o17/du-lieu/sources.json")" = "['current', 'current']"
check "... is published from its new source" \
	test "$(json '[e["path"] for e in d if e["plan"] == "40/KH-PBT"][0]' "$T/o17/du-lieu/changes.json")" = sources/syt/content/plans/40.md
check "... on its new owner's unit page" grep -q "40/KH-PBT" "$T/o17/don-vi/phong-bt/index.html"
check "... keeps its history: the old source's commit" grep -q "stp 5: kế hoạch 40" "$T/o17/ke-hoach/40-kh-pbt/index.html"
check "... and the new source's" grep -q "syt 6: nhận kế hoạch của phòng BTTP" "$T/o17/ke-hoach/40-kh-pbt/index.html"
check "... the move is a move with its changes, not an addition" \
	test "$(json '[(c["field"], c["task"], c["to"]) for e in d if e["commit"] == "'"$SYT6"'" and e["plan"] == "40/KH-PBT" for c in e["changes"]]' "$T/o17/du-lieu/changes.json")" = \
	"[('moved', None, 'sources/syt/content/plans/40.md'), ('status', '1', 'in_progress')]"
check "the changes of all sources, newest first" \
	test "$(json '[e["subject"][:5] for e in d if e["plan"] == "40/KH-PBT"]' "$T/o17/du-lieu/changes.json")" = "['syt 6', 'stp 6', 'stp 5']"
check "changes.json merges the sources by date" python3 - "$T/o17/du-lieu/changes.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
t = [e["time"] for e in d]
subjects = {e["subject"].split(":")[0] for e in d}
assert {"stp 1", "syt 1", "xa 1", "syt 6"} <= subjects, subjects
from datetime import datetime
assert [datetime.fromisoformat(x) for x in t] == sorted((datetime.fromisoformat(x) for x in t), reverse=True), t
PY
check "a source's commit is not linked to the portal's repo_url" \
	bash -c "! grep -rq 'tinh/cong/commit/$SYT6' '$T/o17'"
check "the Atom feed has both sources' changes" \
	bash -c "grep -q 'syt 6' '$T/o17/thay-doi/atom.xml' && grep -q 'stp 5' '$T/o17/thay-doi/atom.xml'"
check "the weekly report of the move lists the plan's change" \
	grep -q "40/KH-PBT" "$T/o17/bao-cao-tuan/2025-W26/index.html"
check "the week before has the plan's addition from the old source" \
	grep -q "40/KH-PBT" "$T/o17/bao-cao-tuan/2025-W25/index.html"
check "rebuilding the same commits gives the same history" build_ok "$P" "$T/o18"
check "... byte-identical" diff -r "$T/o17" "$T/o18"

# issue #14 point 6: a push to one source reads only that source's new
# commit from Git; the other repositories' histories come from their own
# caches ($GIT_DIR/plansite/ of each), and the site is the one a build
# without any cache makes
plan "10/KH-STP" "Sở Tư pháp" done >"$T/w-stp/content/plans/10.md"
commit "$T/w-stp" "2025-06-25T08:00:00+07:00" "stp 7: kế hoạch 10 xong"
push stp
check "a build after a push to one source" build_ok "$P" "$T/o19" --verbose
check "... parses the portal's plans once: the check that chose the sources' commits is the build's" \
	bash -c "! grep -q '^plansite: parse ' '$T/stderr' && grep -q '^plansite: sources ' '$T/stderr'"
check "... and reports each message once" \
	test "$(grep -c 'sources/stp/content/plans/10.md:.*W016' "$T/stderr")" = 1
NC=$(sed -n 's/^plansite: lịch sử: \([0-9]*\) commit.*/\1/p' "$T/stderr")
check "... reads only that source's new commit from Git, the rest from the caches" \
	grep -q "^plansite: lịch sử: $NC commit, $((NC - 1)) lấy từ bộ nhớ đệm, 1 đọc từ Git; " "$T/stderr"
check "... and no plan file: the pushed version is the one the build parsed" \
	grep -q "^plansite: lịch sử: .* 1 đọc từ Git; 0 phiên bản tệp kế hoạch đọc từ Git" "$T/stderr"
check "... each source keeps its history cache in its own repository" \
	bash -c "ls '$T'/stp.git/plansite/history-*.cache '$T'/syt.git/plansite/history-*.cache '$T'/xa.git/plansite/history-*.cache >/dev/null"
check "... the site is the one a build without any cache makes" \
	bash -c "PLANSITE_HISTORY_CACHE=off '$PLANSITE' build --repo '$P' --out '$T/o20' 2>/dev/null && diff -r '$T/o19' '$T/o20'"
check "... and it shows the new commit" \
	test "$(json '[e["subject"][:5] for e in d][0]' "$T/o19/du-lieu/changes.json")" = "stp 7"

# without sources nothing changes: the golden sites (test_golden.sh)
finish
