#!/usr/bin/env bash
# test_data_fields.sh: /du-lieu/ describes every field the open data files
# carry, and nothing they do not: the keys actually emitted (for the
# sample portal with a history) are compared with the keys described, so
# the page cannot drift from the files.
. "$(dirname "$0")/lib.sh"

R=$T/repo
git init -q "$R"
cp -r "$ROOT/content" "$R/"
commit "$R" "2025-12-01T09:00:00+07:00" "Đăng dữ liệu mẫu"
# a second commit, so changes.json has changes of every kind of record
sed -i '0,/status: in_progress/s//status: done/' "$R/content/plans/44-kh-ubnd.md"
commit "$R" "2025-12-15T17:00:00+07:00" "Cập nhật tiến độ"
O=$T/out
build_ok "$R" "$O"

check "every key of every data file is described on /du-lieu/, and every described key exists" \
	python3 "$ROOT/tests/e2e/data_fields.py" "$O"
finish
