#!/usr/bin/env bash
# test_writebehind.sh: write-behind (src/output_wb.c, issue #13).  Once a
# build has written PLANSITE_WRITEBEHIND's START megabytes, each finished
# file is handed to the disk, and dropped from the page cache KEEP
# megabytes later: a site of gigabytes does not sit dirty in memory (on
# these machines each new page-cache page costs a host fault; the 10k
# build spent twice the system time without it).
#  - what is published is the same, byte for byte, with write-behind off
#    (PLANSITE_WRITEBEHIND=0), on at the defaults, and at 1 MB and 1 MB;
#  - at 1 MB and 1 MB, far less of the site is left in the page cache than
#    with write-behind off (fincore(1) counts the cached bytes): the drops
#    happen.  Skipped, and said, where the output is on a file system
#    whose pages are not the disk's (tmpfs: nothing to write back);
#  - a setting that is not one (a word, "5,", "-") is the defaults,
#    not an error: the site is still published.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
python3 "$ROOT/tests/e2e/genplans.py" "$R/content/plans" 150 30 0
commit "$R" "2025-11-03T09:00:00+07:00" "Một trăm năm mươi kế hoạch"

wb_build() {   # wb_build SETTING OUT
	rm -rf "$R/.git/plansite"
	PLANSITE_WRITEBEHIND=$1 build_ok "$R" "$2"
}
wb_build 0 "$T/off" || not_ok "a build with write-behind off succeeds"
wb_build "" "$T/dflt" || not_ok "a build with write-behind at its defaults succeeds"
wb_build 1,1 "$T/small" || not_ok "a build with write-behind at 1 MB and 1 MB succeeds"
check "write-behind at its defaults publishes the same site as without it" \
	diff -r -q -x .plansite-pages -x .plansite-state "$T/off" "$T/dflt"
check "write-behind at 1 MB and 1 MB publishes the same site as without it" \
	diff -r -q -x .plansite-pages -x .plansite-state "$T/off" "$T/small"
for bad in word 5, - 3,x; do
	if wb_build "$bad" "$T/bad" && diff -r -q -x .plansite-pages -x .plansite-state "$T/off" "$T/bad" >/dev/null; then
		ok "PLANSITE_WRITEBEHIND=$bad is taken as the defaults: the same site"
	else
		not_ok "PLANSITE_WRITEBEHIND=$bad is taken as the defaults: the same site"
	fi
done

# the bytes of OUT's files in the page cache, and their size
cached() {
	find "$1" -type f -exec fincore -b -n -o RES,SIZE {} + | awk '{ r += $1; s += $2 } END { print r + 0, s + 0 }'
}
fs=$(stat -f -c %T "$T")
if ! command -v fincore >/dev/null; then
	not_ok "fincore (util-linux) is installed"
elif [ "$fs" = tmpfs ] || [ "$fs" = ramfs ]; then
	ok "# SKIP the page cache is the file system here ($fs): nothing to write back"
else
	rm -rf "$T/off" "$T/small" "$T/dflt" "$T/bad"
	wb_build 0 "$T/off" || not_ok "a build with write-behind off succeeds"
	read -r off_res size <<<"$(cached "$T/off")"
	wb_build 1,1 "$T/small" || not_ok "a build with write-behind at 1 MB and 1 MB succeeds"
	sleep 1   # the thread's last drops
	read -r small_res _ <<<"$(cached "$T/small")"
	echo "# site $size bytes; cached: $off_res without write-behind, $small_res at 1 MB and 1 MB"
	check "the site is large enough to say something (${size} bytes > 24 MB)" test "$size" -gt $((24 << 20))
	check "without write-behind most of the site stays cached ($off_res of $size bytes)" \
		test "$off_res" -gt $((size * 8 / 10))
	check "with write-behind at 1 MB and 1 MB at most half of it is ($small_res of $size bytes)" \
		test "$small_res" -lt $((size / 2))
fi
finish
