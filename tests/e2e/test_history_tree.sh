#!/usr/bin/env bash
# test_history_tree.sh: the plans folder of each commit of the history,
# found through its root and content folders: commits with no content
# folder, with a file named like it, with a file for the plans folder,
# and a content folder two levels deep are no plans folder, not errors.
. "$(dirname "$0")/lib.sh"

R=$T/repo
git init -q "$R"
plan() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<MD
---
number: "1/KH-T"
title: "Kế hoạch T"
issuer: Sở Tài chính
tasks:
  - id: "1"
    title: "Việc một"
    lead: Sở Tài chính
    output: Báo cáo
    due: "Ngày 05/12/2025"
    status: $2
    progress: $3
---
MD
}
site() {
	mkdir -p "$R/content"
	cat >"$R/content/site.yaml" <<'YAML'
title: Cổng thử nghiệm
language: vi
base_url: https://example.gov.vn/
YAML
}
echo "# kho" >"$R/README.md"
commit "$R" "2025-11-03T09:00:00+07:00" "no content folder"
C0=$(git -C "$R" rev-parse HEAD)
echo "not a folder" >"$R/content"
commit "$R" "2025-11-04T09:00:00+07:00" "content is a file"
rm "$R/content"
site
echo "not a folder" >"$R/content/plans"
commit "$R" "2025-11-05T09:00:00+07:00" "plans is a file"
C2=$(git -C "$R" rev-parse HEAD)
rm "$R/content/plans"
plan "$R/content/plans/t.md" in_progress 10
commit "$R" "2025-11-06T09:00:00+07:00" "the plan"
C3=$(git -C "$R" rev-parse HEAD)
plan "$R/content/plans/t.md" done 100
commit "$R" "2025-11-07T09:00:00+07:00" "done"
C4=$(git -C "$R" rev-parse HEAD)

O=$T/out
check "a history whose first commits have no plans folder builds" build_ok "$R" "$O"
check "... with no error" bash -c "! grep -q 'error' '$T/stderr'"
CJ=$O/du-lieu/changes.json
commits() { json "' '.join(sorted(set(e['commit'][:12] for e in d)))" "$CJ"; }
want=$(printf '%s\n' "${C3:0:12}" "${C4:0:12}" | sort | tr '\n' ' ' | sed 's/ $//')
check "changes: only the commits that touched the plans folder" test "$(commits)" = "$want"
check "the plan is added where its folder appears" \
	test "$(json "[c['to'] for e in d if e['commit']=='$C3' for c in e['changes'] if c['field']=='added'][0]" "$CJ")" = "Kế hoạch T"
check "its status change is read from the next commit" \
	test "$(json "[c['from']+'|'+c['to'] for e in d if e['commit']=='$C4' for c in e['changes'] if c['field']=='status'][0]" "$CJ")" = "in_progress|done"

# the content folder moved two levels deep (--content): the plans folder
# is three names down, and the commits before the move have none there
mkdir -p "$R/portal"
git -C "$R" mv content portal/noi-dung
commit "$R" "2025-11-08T09:00:00+07:00" "moved"
C5=$(git -C "$R" rev-parse HEAD)
O2=$T/out2
check "a content folder two levels deep builds" build_ok "$R" "$O2" --content portal/noi-dung
check "... its plan added where that folder appears" \
	test "$(json "' '.join(sorted(set(e['commit'] for e in d)))" "$O2/du-lieu/changes.json")" = "$C5"
finish
