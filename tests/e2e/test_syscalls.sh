#!/usr/bin/env bash
# test_syscalls.sh: what a cold build asks of the kernel besides writing the
# site (issue #13: system time).  Counts, not timings, of the release binary
# under strace -f, on 300 plans of 30 tasks with two commits (a build with
# history: the parse, the history's readers and two batches of pages, each
# on threads of their own):
#  - mprotect(2): a thread's malloc heap grew a page or two a call, each
#    call taking the address space's lock the other threads' page faults
#    wait on; the pool's threads make it writable 15 MB ahead at their
#    start (src/mem.c, glibc): 450 calls here before, about 100 now (tcmalloc,
#    the release build's allocator since, maps its spans whole: about 50);
#  - clock_gettime(2): the CPU clock of a thread is a system call (the wall
#    clock is not); the render read it twice a page (800 calls here), now
#    only with PLANSITE_TIMING, which prints it;
#  - madvise(2): glibc gives freed pages back with it, each call a TLB
#    shootdown on the other core, and the pages are faulted back in when
#    taken again: free() did it whenever a heap's top passed 128 kB (a
#    job's 64 kB messages arena, freed per page) and malloc_trim(0) once
#    per free run of pages at each stage end.  A trim threshold of 1 MB
#    (src/mem.c) and trims only where worth it (mem_trim): 460 calls here
#    before, ~20 then; tcmalloc gives back only what mem_trim and its
#    scavenger release on a big heap: about 10.
# Two jobs, as on the bench machine: the number of threads is fixed.
# The site is the same either way (the last check), and the counts hold on a
# loaded machine: they depend on the work, not on its speed.
. "$(dirname "$0")/lib.sh"

# the sanitizer build's allocator is the sanitizers' own (src/mem.c leaves it be)
REL=${PLANSITE_REL:-$ROOT/plansite}
command -v strace >/dev/null || { not_ok "strace is installed (.ci/deps test)"; finish; }
R=$T/repo
newrepo "$R"
gen() {
	python3 - "$R/content/plans" "$1" <<'PY'
import sys
units = [f"Sở {n}" for n in ("Nội vụ", "Tài chính", "Y tế", "Giáo dục và Đào tạo", "Tư pháp", "Xây dựng")]
sts = ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
rev = int(sys.argv[2])
for p in range(300):
    with open(f"{sys.argv[1]}/kh-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-UBND\"\ntitle: \"Kế hoạch số {p + 1}\"\n"
                f"issuer: {units[p % len(units)]}\ndate: 2025-01-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(30):
            k = p * 30 + i + rev * (i % 7 == 0)
            f.write(f"  - id: \"{i + 1}\"\n    title: \"Nhiệm vụ {i + 1} của kế hoạch {p + 1}\"\n"
                    f"    lead: \"{units[k % len(units)]}\"\n    output: \"Báo cáo\"\n"
                    f"    due: \"Quý {k % 4 + 1}/2026\"\n    status: \"{sts[k % 3]}\"\n    progress: {k * 10 % 110}\n")
        f.write("---\nNội dung kế hoạch.\n")
PY
}
gen 0
commit "$R" "2025-11-03T09:00:00+07:00" "Ba trăm kế hoạch"
gen 1
commit "$R" "2025-11-12T09:00:00+07:00" "Cập nhật tiến độ"

# calls SUMMARY NAME: how many NAME calls strace -c counted (0 when none)
calls() { awk -v n="$2" '$NF == n { print ($4 ~ /^[0-9]+$/) ? $4 : $3; f = 1 } END { if (!f) print 0 }' "$1"; }
strace -f -c -o "$T/cold.strace" -e trace=mprotect,clock_gettime,madvise \
	"$REL" build --repo "$R" --theme "$ROOT/themes/default" --jobs 2 --out "$T/cold" 2>"$T/cold.err" || {
	tail -3 "$T/cold.err"
	not_ok "a cold build of 300 plans succeeds under strace"
}
mp=$(calls "$T/cold.strace" mprotect) cg=$(calls "$T/cold.strace" clock_gettime)
ma=$(calls "$T/cold.strace" madvise)
echo "# cold build: $mp mprotect, $cg clock_gettime, $ma madvise"
check "a thread's heap grows in a few mprotect calls, not one a page ($mp < 200)" test "$mp" -lt 200
check "no CPU clock is read a page without PLANSITE_TIMING ($cg < 100)" test "$cg" -lt 100
check "freed memory is not given back to the kernel page by page ($ma < 100)" test "$ma" -lt 100

# futex(2) calls made inside out_write/out_open (strace -k: each call's
# stack): a page's folder was made with the output's lock held, and the
# other render thread, whose next file needed that lock, waited while the
# kernel made the inode: 1,200 of the 3,400 futex calls of a cold build of
# 1,000 plans under strace -k (127 here), about 20 (0 here) now that a new
# folder is made without the lock (src/output.c, prepare_free).
if strace -k -o /dev/null true 2>/dev/null; then
	rm -rf "$R/.git/plansite"
	strace -f -k -o "$T/futex.strace" -e trace=futex \
		"$REL" build --repo "$R" --theme "$ROOT/themes/default" --jobs 2 --out "$T/fx" 2>"$T/fx.err" || {
		tail -3 "$T/fx.err"
		not_ok "a cold build of 300 plans succeeds under strace -k"
	}
	fx=$(awk '/^[0-9]+ +futex\(/ { n += w; w = 0; next }
		/^ > .*\((out_write|out_open)\+/ { w = 1 } END { print n + w }' "$T/futex.strace")
	echo "# cold build: $fx futex calls inside out_write/out_open"
	check "a page's folder is made without holding the output's lock ($fx < 40)" test "$fx" -lt 40
	check "the site is the same under strace -k" diff -r -x .plansite-state "$T/cold" "$T/fx"
else
	echo "# strace -k (stack traces) is not available: futex check skipped"
fi

# with PLANSITE_TIMING the CPU times are there, per kind of page
rm -rf "$R/.git/plansite"
PLANSITE_TIMING=1 "$REL" build --repo "$R" --theme "$ROOT/themes/default" --jobs 2 --out "$T/timed" 2>"$T/timed.err" ||
	tail -3 "$T/timed.err"
check "PLANSITE_TIMING still prints each kind of page's CPU time" \
	grep -q "^plansite:   unit .*(thread time), cpu [0-9.]* s" "$T/timed.err"
check "the site is the same" diff -r -x .plansite-state "$T/cold" "$T/timed"
finish
