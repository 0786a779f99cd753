#!/bin/sh
# check-deps.sh: fails when the modules of src/ include each other in a
# circle.  A module is a file name up to its first "_" or ".": changes.c,
# changes.h and changes_int.h are the module changes, tmpl_parse.c is tmpl.
# Module A depends on B when a file of A includes B's header; the graph must
# have no cycle (tsort from coreutils finds them), so that dependencies run
# one way, in pipeline order (../shared/STYLE.md).
#   tests/check-deps.sh [SRCDIR]      (default src)
set -eu
dir=${1:-src}
edges=$(mktemp)
loops=$(mktemp)
trap 'rm -f "$edges" "$loops"' EXIT
module() { b=${1##*/}; b=${b%.*}; echo "${b%%_*}"; }
for f in "$dir"/*.c "$dir"/*.h; do
	[ -e "$f" ] || continue
	m=$(module "$f")
	echo "$m $m" >>"$edges"
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		[ -e "$dir/$h" ] || continue
		hm=$(module "$h")
		[ "$hm" = "$m" ] || echo "$m $hm"
	done >>"$edges"
done
if tsort "$edges" >/dev/null 2>"$loops"; then
	echo "check-deps: no include cycle among the modules of $dir/"
	exit 0
fi
# tsort reports each cycle as "input contains a loop:" and its members
awk '/input contains a loop/ { if (n) print s; s = ""; n = 0; next }
     { sub(/^tsort: /, ""); s = n++ ? s " " $0 : $0 }
     END { if (n) print s }' "$loops" | while read -r cycle; do
	echo "check-deps: include cycle among the modules: $cycle"
	for a in $cycle; do
		for b in $cycle; do
			[ "$a" != "$b" ] || continue
			grep -qx "$a $b" "$edges" || continue
			for f in "$dir/$a".[ch] "$dir/$a"_*.[ch]; do
				[ -e "$f" ] || continue
				sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\('"$b"'\(_[^"]*\)\{0,1\}\.h\)".*/\1/p' "$f" |
					while read -r h; do echo "  $f includes $h"; done
			done
		done
	done
done
echo "check-deps: make the dependency one-way (move what both need into a header of its own)" >&2
exit 1
