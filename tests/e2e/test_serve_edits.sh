#!/usr/bin/env bash
# test_serve_edits.sh: serve --worktree after edits of every kind serves what
# build --worktree makes of the same work tree, even while the rest of the
# edit's build still renders (the pages an edit shows are announced first).
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "not ok - curl is needed"; exit 1; }

R=$T/repo
newrepo "$R"
python3 "$ROOT/tests/e2e/genbig.py" "$R/content" 12 150
commit "$R" "2025-01-02T09:00:00+07:00" "the plans"
# the reference builds run on a copy that gets the same edits
cp -a "$R" "$T/copy"
mkdir -p "$T/tmp" "$T/work"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# up DIR: waits until the server on $P has built (status "ok" or "failed")
up() {
	for _ in $(seq 600); do
		s=$(curl -s --max-time 5 "http://127.0.0.1:$P/__plansite/status" || true)
		case $s in ok* | failed*) return 0 ;; esac
		kill -0 "$SRV" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

P=$(free_port)
TMPDIR=$T/tmp "$PLANSITE" serve --repo "$R" --worktree --port "$P" 2>"$T/serve.log" &
SRV=$!
trap 'kill $SRV 2>/dev/null && wait $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
if up; then
	ok "the server builds the work tree"
	python3 "$ROOT/tests/e2e/serve_edits.py" "${PLANSITE_REL:-$PLANSITE}" "$R" "$T/copy" "$P" "$T/work" ||
		FAILS=$((FAILS + 1))
else
	not_ok "the server builds the work tree"
fi
check "its builds went to TMPDIR when it is set" bash -c "ls -d '$T'/tmp/plansite-serve-* >/dev/null"
kill -TERM "$SRV"
wait "$SRV"
check "it stops cleanly and removes its folders" bash -c "! ls -d '$T'/tmp/plansite-serve-* 2>/dev/null | grep -q ."
if grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T/serve.log"; then
	not_ok "sanitizers are quiet"
	grep -h 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' "$T/serve.log" | sed 's/^/# /'
else
	ok "sanitizers are quiet"
fi

# without TMPDIR the builds go to memory (/dev/shm) when it is a tmpfs
# with room, else to /tmp
shm=/tmp
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] &&
	[ "$(df -P -B1 /dev/shm | awk 'NR == 2 { print $4 }')" -ge $((1 << 30)) ]; then
	shm=/dev/shm
fi
before=$(ls -d "$shm"/plansite-serve-* 2>/dev/null | sort || true)
P=$(free_port)
env -u TMPDIR "$PLANSITE" serve --repo "$R" --worktree --port "$P" 2>"$T/serve2.log" &
SRV=$!
up || not_ok "the second server builds"
after=$(ls -d "$shm"/plansite-serve-* 2>/dev/null | sort || true)
check "without TMPDIR its builds go to $shm" [ "$(comm -13 <(echo "$before") <(echo "$after") | grep -c .)" = 1 ]
kill -TERM "$SRV"
wait "$SRV"
after=$(ls -d "$shm"/plansite-serve-* 2>/dev/null | sort || true)
check "... and it removes them when it stops" [ "$before" = "$after" ]
finish
