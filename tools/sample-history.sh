#!/usr/bin/env bash
# sample-history.sh: replays the sample content (content/) as the Git history
# a provincial portal would have: plans added as they were issued, statuses
# advancing each Friday as Kế hoạch 44/KH-UBND asks ("trước 17h00' ngày thứ
# Sáu hằng tuần"), by named editors, with Vietnamese subjects.
#
#   tools/sample-history.sh DEST [CONTENT]
#
# DEST must not exist yet; CONTENT defaults to the project's content/ (the
# work tree, uncommitted edits included).  The last commit, Monday 15/12/2025
# 17:00 (+07:00), holds CONTENT exactly, so the portal built from DEST is the
# sample as recorded on that day and its as-of date is that commit's.
# Earlier states are derived from the final one, deterministically: a task
# done on date C is "in_progress" before C; a task in progress at P% climbs
# to P in steps of 5 from the week its plan was added; every other task
# stays as it ends.  Dates, names, time zone and Git settings are fixed, so
# the same content always gives the same commits (same hashes).
set -euo pipefail
export LC_ALL=C TZ=Asia/Ho_Chi_Minh GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

DEST=${1:?usage: tools/sample-history.sh DEST [CONTENT]}
SRC=${2:-$(cd "$(dirname "$0")/.." && pwd)/content}
[ -d "$SRC/plans" ] || { echo "sample-history.sh: $SRC has no plans/" >&2; exit 2; }
[ ! -e "$DEST" ] || { echo "sample-history.sh: $DEST already exists" >&2; exit 2; }
FINAL=2025-12-15

mkdir -p "$DEST"
git -C "$DEST" init -q -b main
git -C "$DEST" config core.autocrlf false
git -C "$DEST" config commit.gpgsign false

# editor NAME EMAIL: who makes the next commits
editor() { EDNAME=$1; EDMAIL=$2; }
# commit DATE(YYYY-MM-DD) TIME(HH:MM) SUBJECT: commits the whole content/
# folder as it stands; nothing to commit is no commit
commit() {
	local when="$1T$2:00+07:00"
	git -C "$DEST" add -A content
	git -C "$DEST" diff --cached --quiet && return 0
	GIT_AUTHOR_NAME=$EDNAME GIT_AUTHOR_EMAIL=$EDMAIL GIT_AUTHOR_DATE=$when \
	GIT_COMMITTER_NAME=$EDNAME GIT_COMMITTER_EMAIL=$EDMAIL GIT_COMMITTER_DATE=$when \
		git -C "$DEST" commit -q -m "$3"
}

# state PLAN-FILE ADDED DATE: the plan file as it stood on DATE, its plan
# having been added on ADDED (both YYYY-MM-DD), to stdout
state() {
	awk -v added="$2" -v on="$3" -v final="$FINAL" '
	function days(d,   y, m, dd) {   # days since 1970-01-01 (proleptic Gregorian)
		y = substr(d, 1, 4) + 0; m = substr(d, 6, 2) + 0; dd = substr(d, 9, 2) + 0
		if (m <= 2) { y--; m += 12 }
		return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + dd - 719469
	}
	function flush(   i, st, p, c, done, frac, np, out) {
		if (!n) return
		st = ""; p = ""; c = ""
		for (i = 1; i <= n; i++) {
			if (b[i] ~ /^    status: /) { st = b[i]; sub(/^    status: */, "", st) }
			else if (b[i] ~ /^    progress: /) { p = b[i]; sub(/^    progress: */, "", p) }
			else if (b[i] ~ /^    completed: /) { c = b[i]; sub(/^    completed: */, "", c) }
		}
		done = (st == "done" || st == "Hoàn thành")
		if (done && c == "") c = "2025-12-05"
		frac = (days(on) - days(added)) / (days(final) - days(added))
		np = -1
		if (on >= final) np = -1
		else if (done && on < c) np = int(90 * (days(on) - days(added)) / (days(c) - days(added)) / 5) * 5
		else if (!done && (st == "in_progress" || st == "Đang thực hiện") && p != "") np = int(p * frac / 5) * 5
		else if (!done && (st == "in_progress" || st == "Đang thực hiện") && frac < 0.2) np = 0
		for (i = 1; i <= n; i++) {
			if (np < 0) { print b[i]; continue }
			if (b[i] ~ /^    (progress|completed|evidence): /) continue
			if (b[i] ~ /^    status: /) {
				if (np == 0) print "    status: not_started"
				else { print "    status: in_progress"; print "    progress: " np }
				continue
			}
			print b[i]
		}
		n = 0
	}
	/^---/ { flush(); fm++; print; next }
	fm == 1 && /^[a-z_]+:/ { flush(); sect = $0; sub(/:.*/, "", sect) }
	fm == 1 && sect == "tasks" && /^  - / { flush() }
	fm == 1 && sect == "tasks" && (n || /^  - /) { b[++n] = $0; next }
	{ print }
	END { flush() }
	' "$1"
}

mkdir -p "$DEST/content/plans"
# plans: file, the Friday it was added, its editor (name, e-mail), its short name
PLANS=(
	"ke-hoach-57-nq-tw-dang-uy-xa.md|2025-07-04|Hoàng Văn Sơn|son.hv@quangson.example.vn|Kế hoạch của Đảng ủy xã"
	"ke-hoach-57-nq-tw-thanh-tra-tinh-lang-son.md|2025-07-11|Phạm Thu Hà|ha.pt@thanhtra.example.vn|Kế hoạch của Thanh tra tỉnh Lạng Sơn"
	"185-kh-sdt-tg.md|2025-07-25|Lê Minh Đức|duc.lm@sdttg.example.vn|Kế hoạch 185/KH-SDT&TG"
	"ke-hoach-cds-xa-quang-son-2025.md|2025-08-01|Trần Văn Hùng|hung.tv@quangson.example.vn|Kế hoạch chuyển đổi số xã Quang Sơn"
	"44-kh-ubnd.md|2025-11-21|Nguyễn Thị Lan|lan.nt@skhcn.example.vn|Kế hoạch 44/KH-UBND"
)

# the portal itself, the day before the first plan
editor "Nguyễn Thị Lan" "lan.nt@skhcn.example.vn"
for f in "$SRC"/*; do
	[ "$(basename "$f")" = plans ] || cp -R "$f" "$DEST/content/"
done
commit 2025-07-03 16:00 "Khởi tạo cổng theo dõi kế hoạch: thông tin cổng, danh mục đơn vị, văn bản và trang giới thiệu"

# every Friday from 4/7 to 12/12/2025, then the record of Monday 15/12
day=2025-07-04
while [[ "$day" < "$FINAL" ]]; do
	dvi=$(date -d "$day" +%-d/%-m/%Y)
	minute=0
	for row in "${PLANS[@]}"; do
		IFS='|' read -r file added name mail short <<<"$row"
		[[ "$added" > "$day" ]] && continue
		editor "$name" "$mail"
		state "$SRC/plans/$file" "$added" "$day" >"$DEST/content/plans/$file"
		if [ "$added" = "$day" ]; then
			msg="Đăng $short"
		else
			msg="Cập nhật tiến độ $short tuần đến thứ Sáu $dvi"
		fi
		commit "$day" "$(printf '16:%02d' "$minute")" "$msg"
		minute=$((minute + 7))
	done
	day=$(date -d "$day + 7 days" +%F)
done

# Monday 15/12/2025: the content as it is, exactly
editor "Nguyễn Thị Lan" "lan.nt@skhcn.example.vn"
rm -rf "$DEST/content"
cp -R "$SRC" "$DEST/content"
commit "$FINAL" 17:00 "Tổng hợp tiến độ báo cáo UBND tỉnh ngày 15/12/2025"
diff -r "$SRC" "$DEST/content" >/dev/null || { echo "sample-history.sh: the last commit differs from $SRC" >&2; exit 1; }
