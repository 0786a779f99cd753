#!/usr/bin/env bash
# test_bigunit.sh: no page over 1 MB at province scale: one unit leads
# 12,000 tasks and supports as many (a 10,000-plan portal's busiest unit),
# and its pages, the deadlines pages and every other HTML page of the site
# stay under 1 MB, because every list of tasks is paginated with a windowed
# pager.
. "$(dirname "$0")/lib.sh"

R=$T/repo
O=$T/out
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: so-a, name: Sở A, kind: agency }
- { id: so-b, name: Sở B, kind: agency }
YAML
python3 - "$R/content/plans" <<'PY'
import sys
for p in range(30):
    with open(f"{sys.argv[1]}/lon-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nid: lon-{p}\ntitle: \"Kế hoạch lớn {p}\"\nissuer: Sở A\ndate: 2025-01-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(400):
            f.write(f"  - {{ id: \"{i + 1}\", title: \"Triển khai nhiệm vụ chuyển đổi số số {p}-{i + 1} "
                    f"trên địa bàn tỉnh\", lead: Sở A, support: [Sở B], output: \"Báo cáo kết quả thực hiện\", "
                    f"due: \"Ngày {i % 28 + 1:02d}/{i % 12 + 1:02d}/2026\" }}\n")
        f.write("---\n")
PY
commit "$R" "2025-12-01T09:00:00+07:00" "Ba mươi kế hoạch lớn"
check "a site with a unit of 12,000 tasks builds" build_ok "$R" "$O"
for u in so-a so-b; do
	n=$(find "$O/don-vi/$u" -name index.html | wc -l)
	check "unit $u's tasks are split over many pages ($n)" test "$n" -ge 20
done
biggest=$(find "$O" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
echo "# the biggest page: $biggest"
check "no HTML page is over 1 MB" test "${biggest%% *}" -lt 1048576
check "... and the unit pages link to a window of pages, not all of them" \
	test "$(grep -o 'trang/[0-9]*/' "$O/don-vi/so-a/index.html" | sort -u | wc -l)" -le 8
finish
