#!/usr/bin/env bash
# test_unit_share.sh: a unit over the rows of a group (6,000: a Sở at
# 10,000 plans) shares its task rows with those of its Phòng that are
# alone (no unit under them), as a Sở under that size shares them with
# all its units: each such row is rendered once for the Sở and the Phòng,
# not once on each; a Phòng with a unit under it stays a group of its own,
# whose rows the Sở's group does not wait for; and the site is the one
# rendered page by page (PLANSITE_NO_SHARE), on one thread or two, with
# nothing kept at the end.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
R=$T/repo
newrepo "$R"
# 168 plans of 40 tasks (6,720), all led or supported in Sở H: Phòng I and
# Phòng J alone under it, Phòng K with Tổ L under it
python3 - "$R/content" <<'PY'
import sys
d = sys.argv[1]
with open(f"{d}/units.yaml", "w", encoding="utf-8") as f:
    f.write("- { id: so-h, name: Sở H, kind: agency }\n"
            "- { id: phong-i, name: Phòng I, parent: so-h, kind: department }\n"
            "- { id: phong-j, name: Phòng J, parent: so-h, kind: department }\n"
            "- { id: phong-k, name: Phòng K, parent: so-h, kind: department }\n"
            "- { id: to-l, name: Tổ L, parent: phong-k, kind: department }\n")
units = ["Phòng I", "Phòng J", "Tổ L", "Sở H", "Phòng K"]
for p in range(168):
    with open(f"{d}/plans/kh-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-H\"\ntitle: \"Kế hoạch {p}\"\nissuer: Sở H\n"
                f"date: 2024-01-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(40):
            k = (p * 40 + i) % 5
            st = ["not_started", "in_progress", "done, completed: 2024-03-01", "cancelled",
                  "in_progress, progress: 40"][k]
            lead, sup = units[(p + i) % 5], units[(p + i + 1) % 5]
            f.write(f"  - {{ id: \"{i + 1}\", title: \"Việc {p}-{i + 1}\", lead: {lead}, "
                    f"support: [{sup}], output: x, "
                    f"due: \"Ngày {i % 28 + 1:02d}/{(p + i) % 12 + 1:02d}/{2024 + (p + i) % 3}\", "
                    f"status: {st} }}\n")
        f.write("---\n")
PY
commit "$R" "2025-06-01T08:00:00+07:00" "Sở H và các phòng"

# "<rendered> <reused> <tainted> <peak kept> <kB> <left>" of the units' line
shared() {
	sed -n 's/^plansite:   shared rows  units: \([0-9]*\) rendered, \([0-9]*\) reused, \([0-9]*\) read outside their task, at most \([0-9]*\) kept (\([0-9]*\) kB) by a group, \([0-9]*\) left$/\1 \2 \3 \4 \5 \6/p' "$1"
}
rows() { cat "$@" | grep -o '<tr data-status' | wc -l; }

for jobs in 1 2; do
	check "the site builds with each page rendered on its own ($jobs thread(s))" \
		env PLANSITE_NO_SHARE=1 "$PLANSITE" build --repo "$R" --out "$T/alone$jobs" --jobs "$jobs" 2>/dev/null
	check "... and with the rows shared" \
		env PLANSITE_TIMING=1 "$PLANSITE" build --repo "$R" --out "$T/shared$jobs" --jobs "$jobs" \
		2>"$T/timing$jobs"
	check "... byte for byte the same site" diff -r "$T/alone$jobs" "$T/shared$jobs"
	u=$(shared "$T/timing$jobs")
	check "... no row read anything but its task, none is kept at the end ($u)" \
		[ -n "$u" -a "$(echo "$u" | cut -d' ' -f3,6)" = "0 0" ]
	check "... and what was kept at once stays under the group's 8 MB ($u)" \
		[ "$(echo "$u" | cut -d' ' -f5)" -le 8192 ]
done
O=$T/shared1
h=$(rows $(find "$O/don-vi/so-h" -name index.html))
ij=$(rows $(find "$O/don-vi/phong-i" "$O/don-vi/phong-j" -name index.html))
l=$(rows $(find "$O/don-vi/to-l" -name index.html))
check "Sở H is over a group's 6,000 rows ($h rows on its pages)" [ "$h" -gt 6000 ]
u=$(shared "$T/timing1")
# on one thread each shared row is rendered once and copied once: Tổ L's
# on Phòng K's pages (their own group, as before), and the rows Phòng I
# and J show in the role Sở H shows them in on Sở H's: their tasks led
# there, some half of their rows (a task a Phòng only supports is led
# under Sở H, another row there); before, a Phòng under a Sở over 6,000
# rows shared nothing
check "the rows of Phòng I and J are copied from Sở H's pages, or the other way round ($ij rows, Tổ L $l; $u)" \
	[ "$(echo "$u" | cut -d' ' -f1)" = "$(echo "$u" | cut -d' ' -f2)" -a \
	  "$(echo "$u" | cut -d' ' -f2)" -ge $((l + ij / 3)) ]
finish
