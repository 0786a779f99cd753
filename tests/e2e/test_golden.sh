#!/usr/bin/env bash
# test_golden.sh: the golden-site runner and make check-deps can fail: a
# changed golden byte or message is shown as a diff, a regeneration gives the
# committed golden files back (the builds are deterministic), and an include
# cycle in a copy of src/ fails check-deps naming the files.
. "$(dirname "$0")/lib.sh"
RUN=$ROOT/tests/sites/run.sh

# a regeneration into a fresh folder gives the committed golden files back
GOLDEN=$T/regen PLANSITE=$PLANSITE "$RUN" --regen history fail-content >"$T/regen.log" 2>&1
check "regenerating gives the committed history site back" diff -r "$ROOT/tests/golden/history" "$T/regen/history"
check "regenerating gives the committed messages back" \
	diff -r "$ROOT/tests/golden/fail-content" "$T/regen/fail-content"

# a changed page is a failure that shows the unified diff
cp -r "$ROOT/tests/golden" "$T/g"
sed -i 's|<title>|<title>ĐỔI |' "$T/g/history/index.html"
if GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" history >"$T/out1" 2>&1; then
	not_ok "a changed golden page fails the run"
else
	ok "a changed golden page fails the run"
fi
check "... and the diff shows the changed line" grep -q '^-.*<title>ĐỔI ' "$T/out1"
check "... and names the file" grep -q "history/index.html" "$T/out1"
check "... and says how to accept it" grep -q "make regen" "$T/out1"

# a golden file missing from the build, or an extra one, fails too
echo x >"$T/g/english/extra.html"
if GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" english >"$T/out2" 2>&1; then
	not_ok "a file the build no longer writes fails the run"
else
	ok "a file the build no longer writes fails the run"
fi

# a warning that a building site did not give before fails, shown as a diff
cp -r "$ROOT/tests/sites" "$T/sites-w"
cat >>"$T/sites-w/english/site.sh" <<'SH'
sed -i 's/^    lead: Office$/    lead: Offce/' "$C/plans/7-kh-sokhcn.md"
commit "$R" "2025-11-05T09:00:00+07:00" "A typo in a unit name"
SH
if SITES=$T/sites-w GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" english >"$T/out-w" 2>&1; then
	not_ok "a new warning on a site that builds fails the run"
else
	ok "a new warning on a site that builds fails the run"
fi
check "... and the diff shows it" grep -q '^+content/plans/7-kh-sokhcn.md:.*Offce' "$T/out-w"
GOLDEN=$T/gw SITES=$T/sites-w PLANSITE=$PLANSITE "$RUN" --regen english >/dev/null 2>&1
check "regenerating keeps the warnings beside the tree" grep -q 'Offce' "$T/gw/english.stderr"
check "... and the run then passes" \
	bash -c "GOLDEN='$T/gw' SITES='$T/sites-w' PLANSITE='$PLANSITE' '$RUN' english >/dev/null"

# a relative PLANSITE works, a missing one is a clear error
check "a relative PLANSITE path works" bash -c "cd '$ROOT' && PLANSITE=\"\$(realpath --relative-to=. '$PLANSITE')\" '$RUN' fail-links >/dev/null"
if PLANSITE=$T/none "$RUN" --regen sample >"$T/out-none" 2>&1; then
	not_ok "a missing binary stops the run (and regenerates nothing)"
else
	ok "a missing binary stops the run (and regenerates nothing)"
fi

# a changed expected message or exit status fails
sed -i '1s/error/lỗi/' "$T/g/fail-content/stderr"
echo 2 >"$T/g/fail-links/status"
if GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" fail-content fail-links >"$T/out3" 2>&1; then
	not_ok "changed expected messages fail the run"
else
	ok "changed expected messages fail the run"
fi
check "... both sites are reported" bash -c "grep -q 'not ok - fail-content' '$T/out3' && grep -q 'not ok - fail-links' '$T/out3'"
check "... the unchanged ones pass" bash -c "GOLDEN='$T/g' PLANSITE='$PLANSITE' '$RUN' sample check-strict >/dev/null"

# a site that must fail but builds is a failure, and so is a site that
# must build but fails
cp -r "$ROOT/tests/sites" "$T/sites"
cp -r "$T/sites/english" "$T/sites/fail-builds"
cp -r "$T/sites/fail-links" "$T/sites/builds-not"
if SITES=$T/sites GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" fail-builds >"$T/out4" 2>&1; then
	not_ok "a site named fail-* that builds fails the run"
else
	ok "a site named fail-* that builds fails the run"
fi
check "... saying so" grep -q "must fail built" "$T/out4"
if SITES=$T/sites GOLDEN=$T/g PLANSITE=$PLANSITE "$RUN" builds-not >"$T/out5" 2>&1; then
	not_ok "a site that must build but fails fails the run"
else
	ok "a site that must build but fails fails the run"
fi
check "... showing the messages" grep -q "unclosed section" "$T/out5"
# check-deps: the real tree has no cycle; a copy with one fails and names it
check "make check-deps passes on src/" "$ROOT/tests/check-deps.sh" "$ROOT/src"
cp -r "$ROOT/src" "$T/src"
sed -i '0,/^#include "/s//#include "render.h"\n#include "/' "$T/src/model.h"
if "$ROOT/tests/check-deps.sh" "$T/src" >"$T/deps" 2>&1; then
	not_ok "an include cycle (model.h includes render.h) fails check-deps"
else
	ok "an include cycle (model.h includes render.h) fails check-deps"
fi
check "... naming the modules of the cycle" grep -q "include cycle among the modules:.*model" "$T/deps"
check "... and the include that closes it" grep -q "src/model.h includes render.h" "$T/deps"
cp -r "$ROOT/src" "$T/src2"
sed -i '0,/^#include "/s//#include "history.h"\n#include "/' "$T/src2/hrec.h"
if "$ROOT/tests/check-deps.sh" "$T/src2" >"$T/deps2" 2>&1; then
	not_ok "the history records header including its caller fails check-deps"
else
	ok "the history records header including its caller fails check-deps"
fi
finish
