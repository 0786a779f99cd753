#!/usr/bin/env bash
# check-strict: `plansite check --strict` on a site that builds: warnings
# only (unknown keys, a deadline it cannot read, a unit not in the
# registry with the closest name suggested) and the tasks that are not
# "5 rõ".  Exit status 0, nothing written.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans"
cat >"$C/site.yaml" <<'YAML'
title: Cổng thử kiểm tra
language: vi
base_url: https://example.gov.vn/
YAML
cat >"$C/units.yaml" <<'YAML'
- { id: so-tai-chinh, name: Sở Tài chính }
- { id: so-noi-vu, name: Sở Nội vụ }
YAML
cat >"$C/plans/a.md" <<'MD'
---
number: "5/KH-STC"
title: Kế hoạch rà soát
issuer: Sở Tài chính
nguoi_soan: Lê Văn Cường
tasks:
  - id: "1"
    title: "Rà soát thủ tục"
    lead: Sở Tài chinh
    output: Báo cáo
    due: "Sau khi có hướng dẫn của Bộ"
    ghi_chu_rieng: "không có trong định dạng"
  - id: "2"
    title: "Lập danh mục"
    lead: Sở Nội vụ
    due: "Tháng 12/2025"
  - id: "3"
    title: "Công bố danh mục"
    lead: Sở Nọi vụ
    output: Danh mục
    due: "Quý 5/2025"
---
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Kế hoạch rà soát"
