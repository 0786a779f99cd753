#!/usr/bin/env bash
# test_list_share.sh: the list pages share their task rows (each row of
# the list of all tasks is rendered once for that list and the list of its
# status, each overdue row once for the overdue list and the deadlines
# pages) and every page is still what it is rendered on its own
# (PLANSITE_NO_SHARE): the same site byte for byte, on one thread or two,
# with the default theme and with a site's row template that reads its
# page (then nothing is shared); what is kept at once stays a few pages'
# rows, and nothing is left at the end.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
newrepo "$R"
# 100 plans of 40 tasks, every status, deadlines over three years: the
# list of all tasks runs over 10 pages, the overdue list and the deadlines
# over several; the last 10 plans' tasks are led and supported by Sở E and
# its two Phòng (a group of units small enough to share its rows); Sở A
# and Sở B are over a group's 3,000 rows, each a group with its one Phòng
# (test_unit_share.sh)
python3 - "$R/content" <<'PY'
import sys
d = sys.argv[1]
units = ["Sở A", "Sở B", "Phòng C", "Phòng D"]
with open(f"{d}/units.yaml", "w", encoding="utf-8") as f:
    f.write("- { id: so-a, name: Sở A, kind: agency }\n- { id: so-b, name: Sở B, kind: agency }\n"
            "- { id: phong-c, name: Phòng C, parent: so-a, kind: department }\n"
            "- { id: phong-d, name: Phòng D, parent: so-b, kind: department }\n"
            "- { id: so-e, name: Sở E, kind: agency }\n"
            "- { id: phong-f, name: Phòng F, parent: so-e, kind: department }\n"
            "- { id: phong-g, name: Phòng G, parent: so-e, kind: department }\n")
small = ["Sở E", "Phòng F", "Phòng G"]
for p in range(100):
    with open(f"{d}/plans/kh-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-T\"\ntitle: \"Kế hoạch {p}\"\nissuer: {units[p % 2]}\n"
                f"date: 2024-01-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(40):
            k = (p * 40 + i) % 7
            due = f"Ngày {i % 28 + 1:02d}/{(p + i) % 12 + 1:02d}/{2024 + (p + i) % 3}"
            st = ["not_started", "in_progress", "done, completed: 2024-03-01", "done, completed: 2025-05-30",
                  "cancelled", "in_progress, progress: 40", "not_started"][k]
            lead, sup = (units[(p + i) % 4], units[(p + i + 1) % 4]) if p < 90 else \
                (small[(p + i) % 3], small[(p + i + 1) % 3])
            f.write(f"  - {{ id: \"{i + 1}\", title: \"Việc {p}-{i + 1} <b>&</b>\", lead: {lead}, "
                    f"support: [{sup}], output: x, "
                    f"due: \"{due if k != 6 else 'Thường xuyên'}\", status: {st} }}\n")
        f.write("---\n")
PY
commit "$R" "2025-06-01T08:00:00+07:00" "Cổng thử"

# shared rows line of PLANSITE_TIMING: "<rendered> <reused> <tainted> <peak> <left>"
shared() {
	sed -n "s/^plansite:   shared rows  $1: \([0-9]*\) rendered, \([0-9]*\) reused, \([0-9]*\) read outside their task, at most \([0-9]*\) kept ([0-9]* kB)\( by a group\)\{0,1\}, \([0-9]*\) left$/\1 \2 \3 \4 \6/p" "$2"
}
rows() { cat "$@" | grep -o '<tr data-status' | wc -l; }

for jobs in 1 2; do
	check "the site builds with each page rendered on its own ($jobs thread(s))" \
		env PLANSITE_NO_SHARE=1 "$PLANSITE" build --repo "$R" --out "$T/alone$jobs" --jobs "$jobs" 2>/dev/null
	check "... and with the rows shared" \
		env PLANSITE_TIMING=1 "$PLANSITE" build --repo "$R" --out "$T/shared$jobs" --jobs "$jobs" \
		2>"$T/timing$jobs"
	check "... byte for byte the same site" diff -r "$T/alone$jobs" "$T/shared$jobs"
	v=$(shared 'status lists' "$T/timing$jobs")
	l=$(shared 'overdue, deadlines' "$T/timing$jobs")
	u=$(shared units "$T/timing$jobs")
	check "... no row of the default theme read anything but its task ($v; $l; $u)" \
		[ "$(echo "$v $l $u" | cut -d' ' -f3,8,13)" = "0 0 0" ]
	check "... and none is kept at the end" [ "$(echo "$v $l $u" | cut -d' ' -f5,10,15)" = "0 0 0" ]
	# every row of the groups' pages was offered: rendered or copied
	e=$(rows $(find "$T/shared$jobs/don-vi" -name index.html))
	# (a row a Phòng shows is on its Sở's page too, and the other way round)
	check "... each row a Phòng shares with its Sở is rendered once for both ($e rows)" \
		[ "$(echo "$u" | cut -d' ' -f2)" -gt 0 -a \( "$jobs" = 2 -o "$(echo "$u" | cut -d' ' -f1)" = "$(echo "$u" | cut -d' ' -f2)" \) -a \
		  "$(($(echo "$u" | cut -d' ' -f1) + $(echo "$u" | cut -d' ' -f2)))" -le "$e" ]
done
O=$T/shared1
all=$(rows "$O"/thoi-han/tat-ca/index.html "$O"/thoi-han/tat-ca/trang/*/index.html)
status=$(rows $(find "$O/thoi-han/chua-thuc-hien" "$O/thoi-han/dang-thuc-hien" "$O/thoi-han/hoan-thanh" \
	"$O/thoi-han/hoan-thanh-muon" "$O/thoi-han/dung-thuc-hien" -name index.html))
overdue=$(rows $(find "$O/thoi-han/qua-han" -name index.html))
check "the lists are long: 4,000 tasks over 10 pages, $overdue overdue over 2 pages or more" \
	[ "$all" = 4000 -a -f "$O/thoi-han/tat-ca/trang/10/index.html" -a "$overdue" -gt 400 ]
v=$(shared 'status lists' "$T/timing1")
l=$(shared 'overdue, deadlines' "$T/timing1")
check "on one thread, each task's row is rendered once and copied on the list of its status" \
	[ "$(echo "$v" | cut -d' ' -f1,2)" = "$all $status" ]
check "... each overdue row once for the overdue list and the deadlines pages" \
	[ "$(echo "$l" | cut -d' ' -f1,2)" = "$overdue $overdue" ]
check "... keeping at most a page of each list at once, not every row" \
	[ "$(echo "$v" | cut -d' ' -f4)" -le $((6 * 400)) -a "$(echo "$l" | cut -d' ' -f4)" -le 400 ]

# a site's row that reads its page (the list's label) must show each page's
mkdir -p "$R/content/templates"
sed 's|<td data-label="{{t.col_plan}}"|<td data-label="{{t.col_plan}}" data-list="{{label}}{{#pager}}{{page_number}}{{/pager}}"|' \
	"$ROOT/themes/default/templates/task_brief_row.mustache" >"$R/content/templates/task_brief_row.mustache"
# ... and a unit's table row that reads its unit's name
sed 's|<td class="num" data-label="{{t.col_no}}">|<td class="num" data-label="{{t.col_no}}" data-unit="{{unit.name}}">|' \
	"$ROOT/themes/default/templates/unit_task_table.mustache" >"$R/content/templates/unit_task_table.mustache"
commit "$R" "2025-06-02T08:00:00+07:00" "Mẫu dòng riêng"
check "a site whose row reads its page builds on its own" \
	env PLANSITE_NO_SHARE=1 "$PLANSITE" build --repo "$R" --out "$T/alone3" 2>/dev/null
check "... and shared" env PLANSITE_TIMING=1 "$PLANSITE" build --repo "$R" --out "$T/shared3" 2>"$T/timing3"
check "... byte for byte the same site" diff -r "$T/alone3" "$T/shared3"
check "... where each row names its own list and page" \
	bash -c "grep -q 'data-list=\"Tất cả nhiệm vụ3\"' '$T/shared3/thoi-han/tat-ca/trang/3/index.html' && \
		grep -q 'data-list=\"Chưa thực hiện1\"' '$T/shared3/thoi-han/chua-thuc-hien/index.html' && \
		! grep -q 'data-list=\"Tất cả' '$T/shared3/thoi-han/chua-thuc-hien/index.html' && \
		grep -q 'data-unit=\"Phòng F\"' '$T/shared3/don-vi/phong-f/index.html' && \
		! grep -q 'data-unit=\"Sở E\"' '$T/shared3/don-vi/phong-f/index.html'"
check "... no row read only its task, none was copied" \
	[ "$(shared 'status lists' "$T/timing3" | cut -d' ' -f2,3)" = "0 $((all + status))" -a \
	  "$(shared units "$T/timing3" | cut -d' ' -f2)" = 0 ]
finish
