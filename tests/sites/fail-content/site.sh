#!/usr/bin/env bash
# fail-content: the mistakes editors make, several in one commit: every one
# is reported, located and sorted, and nothing is built.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans"
cat >"$C/site.yaml" <<'YAML'
title: Cổng thử lỗi
language: vi
base_url: https://example.gov.vn/
YAML
# front matter that is not YAML (an unclosed quote)
cat >"$C/plans/a.md" <<'MD'
---
number: "1/KH-A
title: Kế hoạch A
---
MD
# no title; a task without id; an unknown status; a bad date; a bad progress
cat >"$C/plans/b.md" <<'MD'
---
number: "2/KH-B"
date: 2025-13-40
tasks:
  - title: "Việc không có số thứ tự"
    lead: Văn phòng
  - id: "1"
    title: "Việc một"
    status: xong rồi
    progress: 150
---
MD
# a task id used twice, and a number another plan has
cat >"$C/plans/c.md" <<'MD'
---
number: "2/KH-B"
title: Kế hoạch C
tasks:
  - { id: "1", title: "Việc một" }
  - { id: "1", title: "Việc một lần nữa" }
---
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Kế hoạch có lỗi"
