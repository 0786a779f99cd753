#!/usr/bin/env bash
# sample: the project's sample content/ as it is in the source tree, one
# commit at a fixed date, so every edit of content/ shows up as a golden diff.
. ../lib.sh
R=$1
git init -q "$R"
cp -r "$ROOT/content" "$R/content"
commit "$R" "2025-12-15T09:00:00+07:00" "Nội dung mẫu"
