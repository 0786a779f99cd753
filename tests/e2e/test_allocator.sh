#!/usr/bin/env bash
# test_allocator.sh: the release binary runs on tcmalloc (src/mem.c, issue
# #13: glibc's malloc and free were 9% of a cold build's instructions), and
# what it publishes does not depend on the allocator.
#  - the release binary is linked with libtcmalloc_minimal, and its malloc is
#    the one that serves the process: the heap in use it reports
#    (PLANSITE_TIMING, read from tcmalloc's own count) is the model's size,
#    not the zero an unused allocator would count;
#  - the sanitizer build (AddressSanitizer's allocator) and the release build
#    publish the same site, byte for byte, history included.
#  - the heap is in big pages (mem.c's sbrk, which tcmalloc's growth goes
#    through): a cold build makes at least 2,000 fewer page faults (8 MB
#    of 4 kB pages; about 3,300 fewer here, out of 12,000: tcmalloc's own
#    tables and the libraries' start take the same in both) than with
#    PLANSITE_HUGEPAGES=0, and publishes the same site (where the kernel
#    has transparent huge pages; skipped, and said, where it has none).
# (That a signal still reaches a release build's handler beside tcmalloc's
# thread is in test_faults.sh.)
. "$(dirname "$0")/lib.sh"

REL=${PLANSITE_REL:-$ROOT/plansite}
[ -x "$REL" ] || { not_ok "a release binary at $REL (make plansite)"; finish; }

check "the release binary is linked with tcmalloc" sh -c "ldd '$REL' | grep -q libtcmalloc_minimal"

R=$T/repo
newrepo "$R"
gen() {
	python3 "$ROOT/tests/e2e/genplans.py" "$R/content/plans" 200 20 "$1"
}
gen 0
commit "$R" "2025-11-03T09:00:00+07:00" "Hai trăm kế hoạch"
gen 1
commit "$R" "2025-11-12T09:00:00+07:00" "Cập nhật tiến độ"
gen 2
commit "$R" "2025-11-19T09:00:00+07:00" "Cập nhật lần hai"

rm -rf "$R/.git/plansite"
if PLANSITE_TIMING=1 "$REL" build --repo "$R" --out "$T/rel" 2>"$T/rel.err"; then
	kb=$(sed -n 's/^plansite: parse .*heap in use [0-9]* MB (\([0-9]*\) kB).*/\1/p' "$T/rel.err")
	echo "# release build: ${kb:-?} kB in use after the parse"
	check "the release build's heap in use after the parse is counted by its allocator (${kb:-none} kB > 1024)" \
		test "${kb:-0}" -gt 1024
else
	cat "$T/rel.err"
	not_ok "a release build of 200 plans succeeds"
fi
rm -rf "$R/.git/plansite"
build_ok "$R" "$T/san" || not_ok "a sanitizer build of 200 plans succeeds"
check "the release and sanitizer builds publish the same site" \
	diff -r -q -x .plansite-pages -x .plansite-state "$T/rel" "$T/san"
check "the site has the history's pages" test -n "$(ls "$T/rel/thay-doi" 2>/dev/null)"

# page faults of a cold build, counted by the kernel for the child
faults() {
	rm -rf "$R/.git/plansite" "$2"
	env PLANSITE_HUGEPAGES="$1" python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt if r.returncode == 0 else -1)' \
		"$REL" build --repo "$R" --out "$2"
}
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
case "$thp" in
*'[always]'* | *'[madvise]'*)
	small=$(faults 0 "$T/small")
	big=$(faults 1 "$T/big")
	echo "# page faults of a cold build of 200 plans: $big in big pages, $small in small pages"
	check "a build succeeds with the heap in small pages and in big pages" test "$small" -gt 0 -a "$big" -gt 0
	check "the heap in big pages: at least 2000 fewer page faults ($big against $small)" test $((big + 2000)) -lt "$small"
	check "the heap's pages do not change the site" \
		diff -r -q -x .plansite-pages -x .plansite-state "$T/small" "$T/big"
	;;
*) echo "# skipped: the kernel has no transparent huge pages here (${thp:-no /sys/kernel/mm/transparent_hugepage})" ;;
esac
finish
