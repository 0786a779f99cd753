#!/usr/bin/env bash
# fail-links: what only shows once the files are read together: plans that
# implement each other in a circle, a site template that does not parse,
# and a site.yaml with a bad language code.  An earlier commit built fine.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans" "$C/templates"
cat >"$C/site.yaml" <<'YAML'
title: Cổng thử lỗi liên kết
language: vi
base_url: https://example.gov.vn/
YAML
cat >"$C/plans/a.md" <<'MD'
---
number: "1/KH-A"
title: Kế hoạch A
implements: [2/KH-B]
---
MD
cat >"$C/plans/b.md" <<'MD'
---
number: "2/KH-B"
title: Kế hoạch B
---
MD
commit "$R" "2025-11-01T09:00:00+07:00" "Hai kế hoạch"
cat >"$C/plans/b.md" <<'MD'
---
number: "2/KH-B"
title: Kế hoạch B
implements: [3/KH-C]
---
MD
cat >"$C/plans/c.md" <<'MD'
---
number: "3/KH-C"
title: Kế hoạch C
implements: ["1/KH-A"]
---
MD
printf '%s\n' '<h1>{{plan.title}}</h1>' '{{#plan.tasks}}' '<p>{{title}}</p>' >"$C/templates/plan.mustache"
sed -i 's/^language: vi$/language: "tiếng Việt"/' "$C/site.yaml"
commit "$R" "2025-11-02T09:00:00+07:00" "Kế hoạch C, mẫu trang riêng"
