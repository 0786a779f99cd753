#!/usr/bin/env bash
# test_huge_pages.sh: a build's heaps are in transparent huge pages (issue
# #13: page faults and system time).  glibc's malloc asks for them when its
# tunable glibc.malloc.hugetlb is 1, read from GLIBC_TUNABLES when a process
# starts, so a build starts itself again once with it (src/main.c,
# huge_pages) when the kernel gives huge pages on request
# ("[madvise]" in /sys/kernel/mm/transparent_hugepage/enabled, as on the
# bench machine).  Counts, not timings: PLANSITE_TIMING prints the memory in
# huge pages at the end of the build (0 kB before this: no heap asked).
# Also: the user's own setting of the tunable wins, a build starts again
# once, and the site is the same either way.
. "$(dirname "$0")/lib.sh"

# the sanitizer build's allocator is not malloc's (main.c leaves it be)
REL=${PLANSITE_REL:-$ROOT/plansite}
mode=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
case "$mode" in
*"[madvise]"*) ;;
*)
	ok "# SKIP transparent huge pages are not given on request here ($mode)"
	finish
	exit 0
	;;
esac
R=$T/repo
newrepo "$R"
python3 - "$R/content/plans" <<'PY'
import sys
units = [f"Sở {n}" for n in ("Nội vụ", "Tài chính", "Y tế", "Giáo dục và Đào tạo", "Tư pháp", "Xây dựng")]
sts = ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
for p in range(300):
    with open(f"{sys.argv[1]}/kh-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-UBND\"\ntitle: \"Kế hoạch số {p + 1}\"\n"
                f"issuer: {units[p % len(units)]}\ndate: 2025-01-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(30):
            k = p * 30 + i
            f.write(f"  - id: \"{i + 1}\"\n    title: \"Nhiệm vụ {i + 1} của kế hoạch {p + 1}\"\n"
                    f"    lead: \"{units[k % len(units)]}\"\n    output: \"Báo cáo\"\n"
                    f"    due: \"Quý {k % 4 + 1}/2026\"\n    status: \"{sts[k % 3]}\"\n    progress: {k * 10 % 110}\n")
        f.write("---\nNội dung kế hoạch.\n")
PY
commit "$R" "2025-11-03T09:00:00+07:00" "Ba trăm kế hoạch"

# huge KIND: the kB in huge pages the build KIND reported
huge() { sed -n 's/^plansite: memory in huge pages \([0-9]*\) kB$/\1/p' "$T/$1.err"; }
build() {
	local kind=$1
	shift
	rm -rf "$R/.git/plansite"
	env "$@" PLANSITE_TIMING=1 "$REL" build --repo "$R" --theme "$ROOT/themes/default" --jobs 2 \
		--out "$T/$kind" 2>"$T/$kind.err" || {
		tail -3 "$T/$kind.err"
		not_ok "the $kind build of 300 plans succeeds"
	}
}
build plain -u GLIBC_TUNABLES
build asked GLIBC_TUNABLES=glibc.malloc.hugetlb=1
build refused GLIBC_TUNABLES=glibc.malloc.hugetlb=0
echo "# in huge pages: $(huge plain) kB as started, $(huge asked) kB asked by the user, $(huge refused) kB refused"
check "a build's heaps are in huge pages ($(huge plain) kB > 0)" test "$(huge plain)" -gt 0
check "... as many as when the user asks for them" test "$(huge plain)" -ge "$(( $(huge asked) / 2 ))"
check "the user's own glibc.malloc.hugetlb=0 wins ($(huge refused) kB)" test "$(huge refused)" -eq 0
check "the site is the same with and without" diff -r -x .plansite-state -x .plansite-pages "$T/plain" "$T/refused"

# one start again, not one per thread or stage: a second execve of its own
if command -v strace >/dev/null; then
	strace -f -e trace=execve -v -s 256 -o "$T/exec.strace" env -u GLIBC_TUNABLES "$REL" build --repo "$R" \
		--theme "$ROOT/themes/default" --out "$T/traced" 2>/dev/null || not_ok "a traced build succeeds"
	n=$(grep -c 'execve("/proc/self/exe"' "$T/exec.strace" || true)
	check "a build starts itself again once ($n)" test "$n" -eq 1
fi
finish
