#!/usr/bin/env bash
# history: a small site edited over six weeks: plans added, tasks started,
# finished, cancelled, given new deadlines and leads, a task removed, a plan
# file renamed and moved (its history follows its number), a page, and two
# authors.  Weekly reports, /thay-doi/, the feed and the charts all have
# something to show.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans" "$C/pages"
cat >"$C/site.yaml" <<'YAML'
title: Cổng kế hoạch xã Thử Nghiệm
description: Theo dõi kế hoạch chuyển đổi số của xã.
language: vi
base_url: https://xa-thu-nghiem.example.gov.vn/
repo_url: https://git.example.gov.vn/xa/ke-hoach
YAML
cat >"$C/units.yaml" <<'YAML'
- { id: ubnd-xa, name: Ủy ban nhân dân xã, kind: agency }
- { id: van-phong, name: Văn phòng HĐND và UBND xã, aliases: [Văn phòng], parent: ubnd-xa, kind: department }
- { id: phong-kinh-te, name: Phòng Kinh tế, parent: ubnd-xa, kind: department }
- { id: cong-an-xa, name: Công an xã, kind: agency }
YAML
cat >"$C/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", date: 2024-12-22 }
YAML
cat >"$C/pages/gioi-thieu.md" <<'MD'
---
title: Giới thiệu
---
Cổng này công khai các kế hoạch của xã và tiến độ từng nhiệm vụ.
MD

# plan_a FILE TITLE S1 P1 DONE1 DUE2 S2 LEAD3 S3 EXTRA: the plan 12/KH-UBND
plan_a() {
	cat >"$C/plans/$1" <<MD
---
number: "12/KH-UBND"
title: "$2"
issuer: Ủy ban nhân dân xã
date: 2025-10-20
implements: [57-NQ/TW]
groups:
  - { id: I, title: "Hạ tầng số" }
  - { id: II, title: "Dịch vụ công trực tuyến" }
tasks:
  - id: "1"
    group: I
    title: "Lắp đặt mạng không dây tại nhà văn hóa các thôn"
    lead: Phòng Kinh tế
    support: [Văn phòng]
    output: Biên bản nghiệm thu
    due: "Ngày 15/11/2025"
    status: $3
    progress: $4
$5  - id: "2"
    group: II
    title: "Hướng dẫn người dân nộp hồ sơ trực tuyến"
    lead: Văn phòng
    output: Báo cáo kết quả
    due: "$6"
    status: $7
  - id: "3"
    group: II
    title: "Số hóa hồ sơ hộ tịch"
    lead: $8
    output: Cơ sở dữ liệu hộ tịch
    due: "Quý IV/2025"
    status: $9
${10}indicators:
  - { id: "1", name: "Tỷ lệ hồ sơ nộp trực tuyến", unit: "%", target: "≥ 50", by: 2025, owner: Văn phòng, actual: 35 }
---
Kế hoạch chuyển đổi số năm 2025 của xã, thực hiện Nghị quyết 57-NQ/TW.
MD
}
# plan_b S1 S2: the plan without a number yet
plan_b() {
	cat >"$C/plans/an-ninh-mang.md" <<MD
---
id: an-ninh-mang-2025
type: Kế hoạch
title: "Bảo đảm an toàn thông tin mạng năm 2025"
issuer: Ủy ban nhân dân xã
tasks:
  - id: "1"
    title: "Rà soát mật khẩu các máy tính của xã"
    lead: Công an xã
    output: Danh sách máy đã rà soát
    due: "Tháng 11/2025"
    status: $1
  - id: "2"
    title: "Tập huấn nhận diện lừa đảo trực tuyến"
    lead: Công an xã
    support: Văn phòng
    output: Lớp tập huấn
    due: "Thường xuyên"
    status: $2
---
MD
}

plan_a a.md "Chuyển đổi số năm 2025" not_started 0 "" "Ngày 30/11/2025" not_started "Văn phòng" not_started ""
commit "$R" "2025-11-03T08:30:00+07:00" "Thêm kế hoạch 12/KH-UBND"

plan_b in_progress not_started
commit "$R" "2025-11-05T14:00:00+07:00" "Thêm kế hoạch an toàn thông tin" "Trần Thị Bình"

plan_a a.md "Chuyển đổi số năm 2025" in_progress 60 "" "Ngày 30/11/2025" in_progress "Văn phòng" not_started ""
commit "$R" "2025-11-11T09:15:00+07:00" "Cập nhật tiến độ tuần 46"

plan_a a.md "Chuyển đổi số năm 2025" done 100 "    completed: 2025-11-14
" "Ngày 10/12/2025" in_progress "Văn phòng" in_progress ""
plan_b "done
    completed: 2025-11-13" in_progress
commit "$R" "2025-11-14T16:45:00+07:00" "Hoàn thành lắp đặt mạng; lùi hạn nhiệm vụ 2"

# the plan file is renamed and moved into a folder of its year
mkdir -p "$C/plans/2025"
git -C "$R" mv content/plans/a.md content/plans/2025/12-kh-ubnd.md
commit "$R" "2025-11-19T10:00:00+07:00" "Chuyển kế hoạch vào thư mục 2025"

plan_a 2025/12-kh-ubnd.md "Chuyển đổi số năm 2025" done 100 "    completed: 2025-11-14
" "Ngày 10/12/2025" in_progress "Phòng Kinh tế" in_progress "  - id: \"4\"
    group: I
    title: \"Lắp camera an ninh tại trụ sở\"
    lead: Công an xã
    output: Hệ thống camera
    due: \"Ngày 20/12/2025\"
"
commit "$R" "2025-11-26T08:00:00+07:00" "Thêm nhiệm vụ camera; đổi đơn vị chủ trì số hóa hộ tịch" "Trần Thị Bình"

plan_a 2025/12-kh-ubnd.md "Chuyển đổi số và phát triển chính quyền số năm 2025" done 100 "    completed: 2025-11-14
" "Ngày 10/12/2025" "done
    completed: 2025-12-04" "Phòng Kinh tế" cancelled "  - id: \"4\"
    group: I
    title: \"Lắp camera an ninh tại trụ sở\"
    lead: Công an xã
    output: Hệ thống camera
    due: \"Ngày 20/12/2025\"
    status: in_progress
"
commit "$R" "2025-12-05T11:30:00+07:00" "Đổi tên kế hoạch; hủy nhiệm vụ 3"

# a task is removed from the plan without a number
awk '/^  - id: "2"/ { skip = 1 } /^---$/ && NR > 1 { skip = 0 } !skip' \
	"$C/plans/an-ninh-mang.md" >"$C/plans/an-ninh-mang.md.new"
mv "$C/plans/an-ninh-mang.md.new" "$C/plans/an-ninh-mang.md"
commit "$R" "2025-12-08T15:20:00+07:00" "Bỏ nhiệm vụ tập huấn (chuyển sang kế hoạch năm 2026)" "Trần Thị Bình"
