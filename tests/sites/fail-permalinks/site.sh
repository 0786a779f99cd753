#!/usr/bin/env bash
# fail-permalinks: site.yaml's permalinks wrong in every way at once (an
# unknown section, a path without slashes, accents, "..", two sections in
# one folder, the home's address) and a free page in a moved section's
# folder: all reported, located, nothing published.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans" "$C/pages"
cat >"$C/site.yaml" <<'YAML'
title: Cổng thử địa chỉ
language: vi
base_url: https://example.gov.vn/
permalinks:
  plan: /p/
  units: units
  documents: "/văn bản/"
  search: /../tim/
  changes: /nhat-ky/
  weeks: /nhat-ky/
  data: /
  deadlines: /Han/
  plans: /plans/
YAML
cat >"$C/pages/plans.md" <<'MD'
---
title: Trang riêng
---
x
MD
cat >"$C/plans/a.md" <<'MD'
---
number: "1/KH-A"
title: Kế hoạch A
---
MD
commit "$R" "2025-11-01T09:00:00+07:00" "Địa chỉ sai"
