#!/usr/bin/env bash
# test_messages.sh: messages editors understand: Vietnamese by default with
# stable codes, English on request (locale or --lang), libyaml's errors
# restated, errors before warnings, check --format json for CI, and the
# catalogue check that fails on an untranslated message.
. "$(dirname "$0")/lib.sh"

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: vp, name: Văn phòng UBND }
YAML
# a warning early in the first file, an error late in the last one
cat >"$R/content/plans/a.md" <<'MD'
---
number: "1/KH-UBND"
title: "Kế hoạch có cảnh báo"
tasks:
  - { id: "1", title: "Việc một", lead: Văn phòng UBND, output: Báo cáo, due: "sớm nhất có thể" }
---
MD
cat >"$R/content/plans/b.md" <<'MD'
---
number: "2/KH-UBND"
title: "Kế hoạch có lỗi"
tasks:
  - { id: "1", title: "Việc", lead: Văn phòng UBND, output: x, due: Năm 2025, status: xong }
---
MD
commit "$R" "2025-12-01T09:00:00+07:00" "Hai kế hoạch"

# a machine with no locale at all: Vietnamese, with codes
rc=0
env -u LANG -u LANGUAGE -u LC_ALL -u LC_MESSAGES "$PLANSITE" check --repo "$R" 2>"$T/vi" || rc=$?
check "check exits 1 on an error" test "$rc" = 1
check "Vietnamese by default: the error, located, with its code" \
	grep -q '^content/plans/b.md:5:[0-9]*: error: \[E031\] trạng thái "xong" không hợp lệ — gợi ý: viết not_started' "$T/vi"
check "... the warning too" grep -q '^content/plans/a.md:5:[0-9]*: warning: \[W012\] thời hạn "sớm nhất có thể"' "$T/vi"
check "... and the summary" grep -q '^plansite: 1 lỗi, [0-9]* cảnh báo; kiểm tra không đạt$' "$T/vi"
# LANG=C.UTF-8 (Debian's default in containers), and a language we have no catalogue for
LANG=C.UTF-8 ps check --repo "$R" 2>"$T/c" || true
check "LANG=C.UTF-8 is Vietnamese" cmp -s "$T/vi" "$T/c"
LANG=fr_FR.UTF-8 ps check --repo "$R" 2>"$T/fr" || true
check "a language without a catalogue is Vietnamese" cmp -s "$T/vi" "$T/fr"

# errors before warnings, though the warning's file sorts first
first_error=$(grep -n ': error: ' "$T/vi" | head -1 | cut -d: -f1)
last_warning=$(grep -n ': warning: ' "$T/vi" | tail -1 | cut -d: -f1)
check "errors are printed before warnings" test "$first_error" -lt "$last_warning"
check "... every error before every warning" bash -c "test \$(grep -n ': error: ' '$T/vi' | tail -1 | cut -d: -f1) -lt \$(grep -n ': warning: ' '$T/vi' | head -1 | cut -d: -f1)"

# English: from the locale (though en_US.UTF-8 is not generated here), and --lang
LANG=en_US.UTF-8 ps check --repo "$R" 2>"$T/en" || true
check "LANG=en_US.UTF-8 gives English, same code" \
	grep -q '^content/plans/b.md:5:[0-9]*: error: \[E031\] unknown status "xong" — hint: write not_started' "$T/en"
check "... English summary" grep -q '^plansite: 1 error(s), [0-9]* warning(s); check failed$' "$T/en"
check "... no Vietnamese message left" bash -c "! grep -q 'không hợp lệ\|thời hạn' '$T/en'"
env LC_ALL=en_GB.UTF-8 "$PLANSITE" check --repo "$R" 2>"$T/en2" || true
check "LC_ALL=en_GB.UTF-8 gives English" cmp -s "$T/en" "$T/en2"
LANG=vi_VN.UTF-8 LANGUAGE=en ps check --repo "$R" 2>"$T/en3" || true
check "LANGUAGE=en gives English" cmp -s "$T/en" "$T/en3"
LANG=vi_VN.UTF-8 ps check --repo "$R" --lang en 2>"$T/en4" || true
check "--lang en gives English" cmp -s "$T/en" "$T/en4"
LANG=en_US.UTF-8 ps --lang vi check --repo "$R" 2>"$T/vi2" || true
check "--lang vi over an English locale gives Vietnamese" cmp -s "$T/vi" "$T/vi2"
rc=0
ps check --repo "$R" --lang fr 2>"$T/err" || rc=$?
check "--lang fr is a usage error (exit 2)" bash -c "test $rc = 2 && grep -q -- '--lang nhận vi hoặc en' '$T/err'"
ps --help --lang en >"$T/help"
check "--help in English" grep -q '^usage: plansite build' "$T/help"
ps --help >"$T/help"
check "--help in Vietnamese" grep -q '^cách dùng: plansite build' "$T/help"

# check --format json: one object a line, every field, for CI annotations
rc=0
ps check --repo "$R" --format json >"$T/json" 2>"$T/err" || rc=$?
check "check --format json exits as check does" test "$rc" = 1
check "... and prints nothing but the summary on stderr" bash -c "test \$(grep -c . '$T/err') = 1"
cat >"$T/check-json.py" <<'PY'
import json, sys
keys = ["file", "line", "column", "severity", "code", "message", "suggestion"]
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
objs = [json.loads(l) for l in lines]
assert len(objs) >= 2, objs
for o in objs:
    assert list(o) == keys, o
    assert o["severity"] in ("error", "warning"), o
    assert o["code"][0] == ("E" if o["severity"] == "error" else "W"), o
sev = [o["severity"] for o in objs]
assert sev == sorted(sev), sev          # "error" < "warning": errors first
e = objs[0]
assert e["file"] == "content/plans/b.md" and e["line"] == 5 and isinstance(e["column"], int), e
assert e["code"] == "E031" and e["message"] == 'trạng thái "xong" không hợp lệ', e
assert e["suggestion"].startswith("viết not_started"), e
w = [o for o in objs if o["code"] == "W012"][0]
assert w["file"] == "content/plans/a.md" and w["line"] == 5, w
print("ok")
PY
check "check --format json is valid JSON, one object a line, with all fields" python3 "$T/check-json.py" "$T/json"
check "... and node reads it too" node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
for (const l of lines) { const o = JSON.parse(l); if (!("suggestion" in o) || !o.code) process.exit(1); }' "$T/json"
LANG=en_US.UTF-8 ps check --repo "$R" --format json >"$T/json-en" 2>/dev/null || true
check "... in English with the same codes" python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]; b = [json.loads(l) for l in open(sys.argv[2])]
assert [o["code"] for o in a] == [o["code"] for o in b]
assert any(o["message"] == "unknown status \"xong\"" for o in b)' "$T/json" "$T/json-en"
rc=0
ps check --repo "$T/nowhere" --format json >"$T/json-env" 2>/dev/null || rc=$?
check "an environment error is a JSON object too (exit 2)" python3 -c '
import json, sys
o = [json.loads(l) for l in open(sys.argv[1])]
assert len(o) == 1 and o[0]["file"] is None and o[0]["code"] == "E099" and o[0]["severity"] == "error"' "$T/json-env"
check "... exit 2" test "$rc" = 2
rc=0
ps check --repo "$R" --format xml 2>"$T/err" || rc=$?
check "--format xml is a usage error" test "$rc" = 2

# broken YAML: the line, what is wrong, what to write, in Vietnamese
cat >"$R/content/plans/b.md" <<'MD'
---
number: "2/KH-UBND"
title: Kế hoạch: chuyển đổi số
tasks:
  - id: "1"
    title: "Việc"
   lead: Văn phòng UBND
---
MD
commit "$R" "2025-12-02T09:00:00+07:00" "YAML hỏng"
rc=0
ps build --repo "$R" --out "$T/out" 2>"$T/yaml" || rc=$?
check "broken YAML exits 1" test "$rc" = 1
check "a colon in a value: located, explained, quoted for the editor" \
	grep -qF 'content/plans/b.md:3:16: error: [E011] giá trị có dấu hai chấm và dấu cách ": ", YAML hiểu thành một khoá mới — gợi ý: đặt giá trị trong ngoặc kép: title: "Kế hoạch: chuyển đổi số"' "$T/yaml"
check "no libyaml wording" bash -c "! grep -q 'mapping values\|did not find\|while parsing' '$T/yaml'"
sed -i 's|^title: Kế hoạch: chuyển đổi số|title: "Kế hoạch chuyển đổi số"|' "$R/content/plans/b.md"
commit "$R" "2025-12-02T10:00:00+07:00" "YAML vẫn hỏng"
ps build --repo "$R" --out "$T/out" 2>"$T/yaml" || true
check "a misindented key: the line and the indentation to use" \
	grep -qF 'content/plans/b.md:7:4: error: [E010] dòng 7 thụt lề không khớp với danh sách bắt đầu ở dòng 5 — gợi ý: thụt dòng 7 vào 4 dấu cách (thẳng cột với khoá sau "- " ở dòng 5)' "$T/yaml"
LANG=en_US.UTF-8 ps build --repo "$R" --out "$T/out" 2>"$T/yaml-en" || true
check "... and in English" grep -qF 'content/plans/b.md:7:4: error: [E010] line 7 is not indented like the list that starts on line 5 — hint: indent line 7 by 4 spaces' "$T/yaml-en"

# the site does not depend on the language of the messages: a broken
# version in a plan's history shows its error, in Vietnamese, either way
cat >"$R/content/plans/b.md" <<'MD'
---
number: "2/KH-UBND"
title: "Kế hoạch đã sửa"
tasks:
  - { id: "1", title: "Việc", lead: Văn phòng UBND, output: x, due: Năm 2025 }
---
MD
commit "$R" "2025-12-03T09:00:00+07:00" "Sửa YAML"
build_ok "$R" "$T/site-vi" --as-of 2025-12-15
LANG=en_US.UTF-8 build_ok "$R" "$T/site-en" --as-of 2025-12-15
check "the site is byte-identical whatever the messages' language" diff -r "$T/site-vi" "$T/site-en"
check "... and a broken version shows its error in Vietnamese" \
	grep -rqF '[E010] dòng 7 thụt lề không khớp' "$T/site-en"

# every code printed is documented in plansite(5), and every documented one is used
grep -oh '"[EW][0-9][0-9][0-9]"' "$ROOT"/src/*.c | tr -d '"' | sort -u >"$T/codes-src" || true
grep -o '^\.It Sy [EW][0-9][0-9][0-9]' "$ROOT/src/plansite.5" | cut -c8- | sort -u >"$T/codes-doc" || true
check "every code in the sources is in plansite(5) and the other way round" diff "$T/codes-src" "$T/codes-doc"

# the catalogue check fails on an untranslated message, in a copy of the tree
if command -v xgettext >/dev/null; then
	mkdir -p "$T/tree"
	cp -r "$ROOT/src" "$ROOT/po" "$ROOT/Makefile" "$T/tree/"
	check "make po-check passes on the tree as it is" make -s -C "$T/tree" po-check
	sed -i 's|_("bỏ qua submodule")|_("bỏ qua submodule (chưa dịch)")|' "$T/tree/src/repo.c"
	rc=0
	make -s -C "$T/tree" po-check >"$T/po.out" 2>&1 || rc=$?
	check "a message without a translation fails make po-check" test "$rc" != 0
	check "... naming it" grep -q 'msgid "bỏ qua submodule (chưa dịch)"' "$T/po.out"
	cp "$ROOT/src/repo.c" "$T/tree/src/repo.c"
	python3 - "$T/tree/po/en.po" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('msgid "bỏ qua submodule"\n', '#, fuzzy\nmsgid "bỏ qua submodule"\n', 1)
open(p, "w", encoding="utf-8").write(s)
PY
	rc=0
	make -s -C "$T/tree" po-check >"$T/po.out" 2>&1 || rc=$?
	check "a fuzzy translation fails make po-check" bash -c "test $rc != 0 && grep -q fuzzy '$T/po.out'"
else
	not_ok "xgettext is missing (Debian package gettext)"
fi
finish
