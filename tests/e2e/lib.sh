# lib.sh: helpers for the end-to-end tests: real Git repositories, real builds.
set -euo pipefail
PLANSITE=${PLANSITE:-$PWD/plansite}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/plansite-e2e.XXXXXX")
[ -n "${KEEP:-}" ] && echo "keeping $T" || trap 'rm -rf "$T"' EXIT
export HOME=$T GIT_CONFIG_NOSYSTEM=1 ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export GIT_AUTHOR_NAME="Nguyễn Văn An" GIT_AUTHOR_EMAIL=an@example.gov.vn
export GIT_COMMITTER_NAME="Nguyễn Văn An" GIT_COMMITTER_EMAIL=an@example.gov.vn
git config --global init.defaultBranch main
git config --global protocol.file.allow always
FAILS=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILS=$((FAILS + 1)); }
# check DESC CMD...: runs CMD, reports ok/not ok
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$FAILS check(s) failed in $(basename "$0")"
		exit 1
	fi
}
ps() {
	if [ -n "${VALGRIND:-}" ]; then
		# the release binary's malloc is tcmalloc's (src/mem.c)
		valgrind -q --error-exitcode=99 --leak-check=full --soname-synonyms=somalloc=libtcmalloc_minimal.so* \
			"$PLANSITE" "$@"
	else
		"$PLANSITE" "$@"
	fi
}
# commit REPO DATE MESSAGE: commits everything with a fixed date
commit() {
	(cd "$1" && git add -A && GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" git commit -qm "$3")
}
# newrepo DIR: a repository with a minimal site
newrepo() {
	git init -q "$1"
	mkdir -p "$1/content/plans"
	cat >"$1/content/site.yaml" <<'YAML'
title: Cổng thử nghiệm
language: vi
base_url: https://example.gov.vn/
YAML
}
# build_ok REPO OUT [ARGS...]: a build that must succeed
build_ok() {
	local repo=$1 out=$2
	shift 2
	ps build --repo "$repo" --out "$out" "$@" 2>"$T/stderr" || {
		cat "$T/stderr"
		return 1
	}
}
# json EXPR FILE: evaluates a Python expression over the JSON in FILE (as d)
json() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[2],encoding="utf-8")); r=eval(sys.argv[1]); print(r if not isinstance(r,bool) else ("true" if r else "false"))' "$1" "$2"
}
