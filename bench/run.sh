#!/usr/bin/env bash
# bench/run.sh: time plansite against Hugo on a generated corpus (see bench/README.md).
# A benchmark, not a test: it reports numbers and never fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PLANS=${PLANS:-1000} TASKS=${TASKS:-40} COMMITS=${COMMITS:-2000} RUNS=${RUNS:-5}
GENCORPUS=${GENCORPUS:-$ROOT/../shared/tools/gencorpus.py}
WORK=$ROOT/bench/work
CORPUS=$WORK/corpus

# need CHECK PACKAGE: install a missing Debian package, or say how to.
need() {
	if eval "$1" >/dev/null 2>&1; then return; fi
	echo "bench: installing $2" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y "$2" >&2 || { apt-get update >&2 && apt-get install -y "$2" >&2; }
	elif command -v sudo >/dev/null; then
		sudo apt-get install -y "$2" >&2
	else
		echo "bench: $2 is missing; run: apt-get install $2" >&2
		exit 2
	fi
}
need 'test -x /usr/bin/time' time
need 'command -v hugo' hugo
[ -x ./plansite ] || { echo "bench: ./plansite is missing; run: make bench" >&2; exit 2; }
[ -f "$GENCORPUS" ] || { echo "bench: $GENCORPUS not found (set GENCORPUS)" >&2; exit 2; }

# The corpus is reused while the parameters and the generator stay the same.
stamp="plans=$PLANS tasks=$TASKS commits=$COMMITS gencorpus=$(sha256sum "$GENCORPUS" | cut -c1-16)"
if [ "$(cat "$CORPUS.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "bench: generating the corpus ($stamp)" >&2
	rm -rf "$CORPUS" "$CORPUS.stamp"
	mkdir -p "$WORK"
	python3 "$GENCORPUS" "$CORPUS" --plans "$PLANS" --tasks "$TASKS" --commits "$COMMITS" --hugo
	echo "$stamp" >"$CORPUS.stamp"
fi

# OUTDIR: where both tools write (default: bench/work, on the repository's
# disk); OUTDIR=/dev/shm measures them without the file system (README).
TMP=$(mktemp -d "${OUTDIR:-$WORK}/run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PLANSITE_RC=0

# measure NAME OUT CMD...: one run into a fresh OUT, "wall_s peak_kb user_s sys_s" appended to NAME.times.
measure() {
	local name=$1 out=$2 rc=0
	shift 2
	rm -rf "$out"
	/usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" >"$TMP/$name.stdout" 2>"$TMP/$name.stderr" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "bench: $name exited with status $rc; first 30 lines of its stderr:" >&2
		head -n 30 "$TMP/$name.stderr" >&2
		return "$rc"
	fi
	tail -n 1 "$TMP/time" >>"$TMP/$name.times"
	echo "bench: $name $(tail -n 1 "$TMP/time") (wall s, peak KB, user s, system s)" >&2
}

# PLANSITE_TIMING makes plansite print each stage's time; the history pass
# is kept apart (history_pass) so its cost can be read on its own.
plansite_build() {
	PLANSITE_TIMING=1 measure plansite "$TMP/plansite-out" ./plansite build --repo "$CORPUS" --out "$TMP/plansite-out" &&
		history_pass
}
hugo_build() { measure hugo "$TMP/hugo-out" hugo --source "$CORPUS/hugo" --destination "$TMP/hugo-out" --quiet; }

# history_pass: the history stage's seconds from the last build's timing lines.
history_pass() {
	sed -n 's/^plansite: history *\([0-9.]*\) s.*/\1/p' "$TMP/plansite.stderr" >>"$TMP/history.times"
}

# One warm-up run each (not counted), then RUNS alternating runs.
echo "bench: warm-up, then $RUNS runs each" >&2
plansite_build || PLANSITE_RC=$?
hugo_build
: >"$TMP/plansite.times"
: >"$TMP/hugo.times"
: >"$TMP/history.times"
for _ in $(seq "$RUNS"); do
	if [ "$PLANSITE_RC" = 0 ]; then plansite_build || PLANSITE_RC=$?; fi
	hugo_build
done

python3 bench/summary.py "$TMP" "$PLANS" "$TASKS" "$COMMITS" "$PLANSITE_RC"
