#!/usr/bin/env bash
# run.sh: the golden sites.  Each tests/sites/<name>/site.sh makes a real Git
# repository; it is built (or checked) with the arguments in
# tests/sites/<name>/args and the result is compared with tests/golden/<name>/
# by `diff -r`:
#   - a site whose name starts with "fail-" must fail, and a site whose args
#     run `check` only checks: their golden folder holds `stderr` (the
#     messages, compared exactly) and `status` (the exit status);
#   - every other site must build: its golden folder is the whole built
#     tree, and its warnings, if any, are in tests/golden/<name>.stderr.
# With --regen the golden folders are rewritten instead (make regen): read
# the diff first (`make test` shows it), then regenerate and commit.
#   tests/sites/run.sh [--regen] [NAME...]
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PLANSITE=${PLANSITE:-$ROOT/build/san/plansite}
# the builds run in each repository's folder: a relative path would break
case $PLANSITE in /*) ;; *) PLANSITE=$ROOT/$PLANSITE ;; esac
if [ ! -x "$PLANSITE" ]; then
	echo "run.sh: no plansite binary at $PLANSITE (make build/san/plansite, or set PLANSITE)" >&2
	exit 2
fi
SITES=${SITES:-$ROOT/tests/sites}
GOLDEN=${GOLDEN:-$ROOT/tests/golden}
DIFF_LINES=${DIFF_LINES:-200}
regen=0
if [ "${1:-}" = --regen ]; then
	regen=1
	shift
fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for d in "$SITES"/*/; do
		[ -f "$d/site.sh" ] && names+=("$(basename "$d")")
	done
fi

# Everything that could make two builds differ is fixed here: who commits,
# the clock's zone, the user's Git configuration.
export TZ=UTC LC_ALL=C.UTF-8 GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Nguyễn Văn An" GIT_AUTHOR_EMAIL=an@example.gov.vn
export GIT_COMMITTER_NAME="Nguyễn Văn An" GIT_COMMITTER_EMAIL=an@example.gov.vn
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export ROOT

W=$(mktemp -d "${TMPDIR:-/tmp}/plansite-golden.XXXXXX")
[ -n "${KEEP:-}" ] && echo "keeping $W" || trap 'rm -rf "$W"' EXIT

failed=0
for name in "${names[@]}"; do
	site=$SITES/$name
	golden=$GOLDEN/$name
	if [ ! -f "$site/site.sh" ]; then
		echo "no site $site/site.sh"
		failed=$((failed + 1))
		continue
	fi
	w=$W/$name
	mkdir -p "$w/home"
	repo=$w/repo
	if ! (export HOME=$w/home && git config --global init.defaultBranch main &&
		cd "$site" && bash ./site.sh "$repo") >"$w/setup.log" 2>&1; then
		cat "$w/setup.log"
		echo "not ok - $name: site.sh failed"
		failed=$((failed + 1))
		continue
	fi
	args=()
	[ -f "$site/args" ] && read -r -a args <"$site/args"
	[ ${#args[@]} -gt 0 ] || args=(build)
	out=$w/out
	mkdir -p "$w/result"
	# the repository's own folder, so that messages name paths as editors see them
	(cd "$repo" && HOME=$w/home "$PLANSITE" "${args[@]}" --out "$out") >"$w/stdout" 2>"$w/stderr"
	status=$?
	if [[ $name == fail-* || ${args[0]} == check ]]; then
		result=$w/result
		sed "s|$W|\$TMP|g" "$w/stderr" >"$result/stderr"
		echo "$status" >"$result/status"
		if [[ $name == fail-* && $status -eq 0 ]]; then
			echo "not ok - $name: a site that must fail built (exit status 0)"
			failed=$((failed + 1))
			continue
		fi
		if [ -e "$out" ]; then
			echo "not ok - $name: something was published in --out"
			failed=$((failed + 1))
			continue
		fi
	else
		result=$out
		if [ "$status" -ne 0 ]; then
			cat "$w/stderr"
			echo "not ok - $name: a site that must build failed (exit status $status)"
			failed=$((failed + 1))
			continue
		fi
		# the key of what it was built from names this very binary's
		# bytes (test_incremental.sh checks it): not golden output
		if [ ! -s "$out/.plansite-state" ]; then
			echo "not ok - $name: the build wrote no .plansite-state"
			failed=$((failed + 1))
			continue
		fi
		rm -f "$out/.plansite-state"
	fi
	# a site that builds with warnings: they are reviewed output too, in
	# tests/golden/<name>.stderr (absent when there are none)
	msgs=""
	if [ "$result" = "$out" ]; then
		msgs=$w/messages
		sed "s|$W|\$TMP|g" "$w/stderr" >"$msgs"
	fi
	if [ "$regen" = 1 ]; then
		rm -rf "$golden" "$golden.stderr"
		mkdir -p "$(dirname "$golden")"
		cp -r "$result" "$golden"
		[ -z "$msgs" ] || [ ! -s "$msgs" ] || cp "$msgs" "$golden.stderr"
		echo "regenerated $golden"
		continue
	fi
	same=1
	diff -r -q "$golden" "$result" >/dev/null 2>&1 || same=0
	if [ -n "$msgs" ]; then
		if [ -e "$golden.stderr" ]; then
			cmp -s "$golden.stderr" "$msgs" || same=0
		elif [ -s "$msgs" ]; then
			same=0
		fi
	fi
	if [ "$same" = 1 ]; then
		echo "ok - $name"
	else
		echo "not ok - $name differs from $golden (first $DIFF_LINES lines of the diff):"
		{
			# the messages first: short, and they often explain the pages
			[ -z "$msgs" ] || diff -u -N "$golden.stderr" "$msgs"
			diff -r -u -N "$golden" "$result"
		} | head -n "$DIFF_LINES"
		echo "(read the whole diff; if every change is intended, run \`make regen\` and commit)"
		failed=$((failed + 1))
	fi
done
if [ "$failed" -ne 0 ]; then
	echo "$failed golden site(s) failed"
	exit 1
fi
[ "$regen" = 1 ] || echo "all golden sites match"
