#!/usr/bin/env bash
# test_doc_plans.sh: a document page lists every plan that implements it,
# directly or through other documents, each once, and its figures are the
# sum of exactly those plans' (the list had been left empty while the
# figures above it counted the plans' tasks).
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: "Đột phá khoa học, công nghệ" }
- { number: 71/NQ-CP, type: Nghị quyết, title: "Chương trình của Chính phủ", implements: [57-NQ/TW] }
- { number: 155/KH-UBND, type: Kế hoạch, title: "Kế hoạch của tỉnh", implements: [71/NQ-CP, 57-NQ/TW] }
- { number: 9/KH-X, type: Kế hoạch, title: "Không ai thực hiện" }
YAML
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-A"
title: "Kế hoạch A"
implements: [155/KH-UBND, 71/NQ-CP]
tasks:
  - { id: "1", title: "Việc một", lead: Sở A, status: done, completed: 2025-01-05, due: 2025-02-01 }
  - { id: "2", title: "Việc hai", lead: Sở A, due: 2025-01-01 }
---
MD
cat >"$R/content/plans/b.md" <<'MD'
---
number: "2/KH-B"
title: "Kế hoạch B"
implements: [57-NQ/TW]
tasks:
  - { id: "1", title: "Việc ba", lead: Sở B, status: in_progress }
---
MD
commit "$R" "2025-03-01T10:00:00+07:00" "Hai kế hoạch"
O=$T/out
build_ok "$R" "$O" || not_ok "build"

# the plans table of a document page: the plan slugs it links, sorted
plans_of() {
	python3 - "$O/van-ban/$1/index.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
sec = re.search(r'id="h-plans".*?</section>', s, re.S).group(0)
rows = re.findall(r'<tr>\s*<td class="docno".*?</tr>', sec, re.S)
print(" ".join(sorted(re.search(r'href="/ke-hoach/([^/]+)/"', r).group(1) for r in rows)) or "-")
PY
}
check "57-NQ/TW lists both plans, the one reached by two paths once" test "$(plans_of 57-nq-tw)" = "1-kh-a 2-kh-b"
check "71/NQ-CP lists the plan that implements it directly and through 155/KH-UBND, once" test "$(plans_of 71-nq-cp)" = "1-kh-a"
check "155/KH-UBND lists its one plan" test "$(plans_of 155-kh-ubnd)" = "1-kh-a"
check "a document nobody implements says it has no plan" bash -c "test '$(plans_of 9-kh-x)' = - && grep -q 'empty-row' '$O/van-ban/9-kh-x/index.html'"
check "57-NQ/TW's figures count the tasks of the plans it lists" \
	test "$(json "[x['stats']['total'] for x in d if x['number']=='57-NQ/TW'][0]" "$O/du-lieu/documents.json")" = 3
check "57-NQ/TW's plan rows show each plan's own figures" \
	grep -q 'href="/ke-hoach/1-kh-a/#loc-tat-ca">2</a>' "$O/van-ban/57-nq-tw/index.html"
finish
