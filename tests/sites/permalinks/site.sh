#!/usr/bin/env bash
# permalinks: every section moved by site.yaml's permalinks (one two folders
# deep) under a base path, with a free page at the plans' old folder; two
# commits so the moved changes, feed and weekly report show.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans" "$C/pages"
cat >"$C/site.yaml" <<'YAML'
title: Cổng kế hoạch (địa chỉ riêng)
language: vi
base_url: https://example.gov.vn/cong/
permalinks:
  plans: /plans/
  documents: /docs/
  units: /co-quan/units/
  deadlines: /han/
  changes: /changes/
  weeks: /weekly/
  search: /search/
  data: /open-data/
YAML
cat >"$C/units.yaml" <<'YAML'
- { id: so-khcn, name: Sở Khoa học và Công nghệ, kind: agency }
- { id: van-phong, name: Văn phòng, parent: so-khcn, kind: department }
YAML
cat >"$C/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: Về đột phá phát triển khoa học, công nghệ, issuer: Bộ Chính trị, date: 2024-12-22 }
YAML
cat >"$C/pages/ke-hoach.md" <<'MD'
---
title: Về các kế hoạch
---
Các kế hoạch ở [đây](/cong/plans/).
MD
plan() {
	cat >"$C/plans/12-kh-skhcn.md" <<MD
---
number: "12/KH-SKHCN"
title: "Chuyển đổi số của Sở năm 2025"
issuer: Sở Khoa học và Công nghệ
date: 2025-09-01
implements: [57-NQ/TW]
tasks:
  - { id: "1", title: "Công bố danh mục dữ liệu mở", lead: Văn phòng, output: Danh mục, due: "2025-10-31", status: $1 }
  - { id: "2", title: "Tập huấn hệ thống hồ sơ", lead: Sở Khoa học và Công nghệ, support: [Văn phòng], output: Báo cáo, due: "Quý IV/2025", status: $2 }
  - { id: "3", title: "Rà soát thủ tục", lead: Văn phòng, output: Báo cáo, due: "2025-09-30", status: not_started }
---
Kế hoạch có **ba nhiệm vụ**.
MD
}
plan in_progress not_started
commit "$R" "2025-09-02T09:00:00+07:00" "Thêm kế hoạch 12/KH-SKHCN"
plan "done, completed: 2025-10-28" in_progress
commit "$R" "2025-11-04T09:00:00+07:00" "Cập nhật tiến độ"
