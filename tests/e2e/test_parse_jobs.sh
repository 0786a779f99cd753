#!/usr/bin/env bash
# test_parse_jobs.sh: the plans are parsed on several threads (past 64
# files); the messages of a run with many broken files, their order, and the
# site built, are the same for any --jobs.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
# plan N KIND: content/plans/gN/pN.md, broken or not by KIND
plan() {
	local n=$1 kind=$2 dir=$R/content/plans/g$(($1 % 7))
	mkdir -p "$dir"
	local f=$dir/p$n.md
	case $kind in
	utf8) printf -- '---\nnumber: "%d/KH"\ntitle: "Kế hoạch \xC3\x28 %d"\n---\n' "$n" "$n" >"$f" ;;
	tab) printf -- '\xEF\xBB\xBF---\nnumber: "%d/KH"\ntitle: "Tab %d"\ntasks:\n\t- { id: "1", title: x }\n---\n' "$n" "$n" >"$f" ;;
	dup) printf -- '---\nnumber: "%d/KH"\ntitle: "Lặp %d"\ntasks:\n  - id: "1"\n    title: "Một"\n    title: "Hai"\n---\n' "$n" "$n" >"$f" ;;
	syntax) printf -- '---\nnumber: "%d/KH"\ntitle: [mở %d\n---\n' "$n" "$n" >"$f" ;;
	date) printf -- '---\nnumber: "%d/KH"\ntitle: "Ngày %d"\ndate: 2025-13-45\n---\n' "$n" "$n" >"$f" ;;
	same) printf -- '---\nnumber: "%d/KH"\ntitle: "Trùng số %d"\n---\n' "$(($n - 1))" "$n" >"$f" ;;
	nfd) printf -- '---\nnumber: "%d/KH"\ntitle: "Vi\x65\xCC\xA3\xCC\x82t Nam %d"\ntasks:\n  - { id: "1", title: "Ho\xCC\x80\x61 %d", lead: Văn phòng, due: Năm 2025, status: done }\n---\nNội dung ho\xCC\x80\x61 bình.\n' "$n" "$n" "$n" >"$f" ;;
	*) printf -- '---\nnumber: "%d/KH"\ntitle: "Kế hoạch số %d"\ntasks:\n  - { id: "1", title: "Việc %d", lead: Văn phòng, due: Năm 2026, status: in_progress, progress: 100 }\n  - { id: "2", title: "Việc hai", lead: Sở A, due: 30/6/2026, status: done, progress: 100, completed: 2025-06-01 }\n---\nTheo Kế hoạch số %d/KH.\n' "$n" "$n" "$n" "$(($n + 1))" >"$f" ;;
	esac
}
kinds=(utf8 tab dup syntax date same nfd good good good)
for n in $(seq 1 120); do plan "$n" "${kinds[$((n % 10))]}"; done
commit "$R" "2025-12-01T09:00:00+07:00" "120 kế hoạch, nhiều tệp lỗi"

# several runs of each: a message or a plan that depends on which thread
# parsed what (a good plan dropped because another file's error was counted
# while it was parsed) shows in one run of a few
for j in 1 2 4 default 2b 4b 4c 4d; do
	args=()
	[ "$j" = default ] || args=(--jobs "${j%[bcd]}")
	rc=0
	ps check --repo "$R" "${args[@]}" >"$T/out-$j" 2>"$T/err-$j" || rc=$?
	echo "$rc" >"$T/rc-$j"
	rc=0
	ps check --repo "$R" --format json "${args[@]}" >"$T/jout-$j" 2>"$T/jerr-$j" || rc=$?
done
check "check exits 1 on the broken files" [ "$(cat "$T/rc-1")" = 1 ]
for want in \
	'^content/plans/g3/p10.md:3:18: error: \[E001\] tệp không phải mã UTF-8 \(byte 0xC3\)' \
	'^content/plans/g4/p11.md:5:1: error: \[E002\] thụt lề bằng ký tự tab' \
	'^content/plans/g5/p12.md:7:5: error: \[E004\] khoá "title" bị lặp \(đã có ở dòng 6\)' \
	'^content/plans/g6/p13.md:3:8: error: \[E018\] ' \
	'^content/plans/g0/p14.md:4:7: error: \[E021\] ' \
	'^content/plans/g1/p15.md:[0-9]+:[0-9]+: error: \[E050\] kế hoạch 14/KH đã có trong content/plans/g0/p14.md' \
	'^content/plans/g[0-6]/p[0-9]+.md:[0-9]+:[0-9]+: warning: \[W019\] '; do
	check "message: $want" grep -Eq "$want" "$T/err-1"
done
# every kind, in every one of its twelve files
check "12 files of each broken kind reported" [ "$(grep -c ' error: \[E00[124]\]' "$T/err-1")" -ge 36 ]
for j in 2 4 default 2b 4b 4c 4d; do
	check "--jobs $j: the same exit status as --jobs 1" cmp -s "$T/rc-1" "$T/rc-$j"
	check "--jobs $j: the same messages in the same order as --jobs 1" cmp "$T/err-1" "$T/err-$j"
	check "--jobs $j: the same JSON messages as --jobs 1" cmp "$T/jout-1" "$T/jout-$j"
done
# the messages are sorted by file and position: errors, then warnings
check "messages sorted by file and position" bash -c "
	grep ' error: ' '$T/err-1' | cut -d: -f1-3 | sort -t: -k1,1 -k2,2n -k3,3n -c &&
	grep ' warning: ' '$T/err-1' | cut -d: -f1-3 | sort -t: -k1,1 -k2,2n -k3,3n -c"

# the broken files fixed: the site is the same for any --jobs, and the
# decomposed text is published composed
for n in $(seq 1 120); do
	case ${kinds[$((n % 10))]} in utf8 | tab | dup | syntax | date | same) plan "$n" good ;; esac
done
commit "$R" "2025-12-02T09:00:00+07:00" "sửa các tệp lỗi"
build_ok "$R" "$T/o1" --jobs 1
build_ok "$R" "$T/o4" --jobs 4
check "the site built with --jobs 1 and --jobs 4 is the same" diff -r "$T/o1" "$T/o4"
check "decomposed text published in NFC" grep -rqF "Việt Nam 16" "$T/o1"
check "no decomposed text published" bash -c "! grep -rqF $'Vi\x65\xCC\xA3' '$T/o1'"
finish
