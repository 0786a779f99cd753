#!/bin/sh
# gensources.sh DIR [SOURCES] [PLANS]: a portal of SOURCES agencies'
# repositories (bare, DIR/src-N.git) of PLANS plans each (defaults 100 and
# 20), and the portal repository DIR/portal listing them under sources
# (plansite(5) SOURCES); for the bench and for trying the feature by hand:
#   tools/gensources.sh /tmp/p 3 5 && plansite build --repo /tmp/p/portal --out /tmp/p/out
set -eu
dir=$1
n=${2:-100}
m=${3:-20}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export GIT_AUTHOR_NAME=plansite GIT_AUTHOR_EMAIL=plansite@example.gov.vn
export GIT_COMMITTER_NAME=plansite GIT_COMMITTER_EMAIL=plansite@example.gov.vn
export GIT_AUTHOR_DATE=2025-06-01T08:00:00+07:00 GIT_COMMITTER_DATE=2025-06-01T08:00:00+07:00
P=$dir/portal
git init -q -b main "$P"
mkdir -p "$P/content"
printf 'title: Cổng kế hoạch nhiều nguồn\nlanguage: vi\nbase_url: https://example.gov.vn/\nsources:\n' >"$P/content/site.yaml"
printf -- '- { id: ubnd, name: UBND tỉnh, kind: agency }\n' >"$P/content/units.yaml"
i=1
while [ "$i" -le "$n" ]; do
	printf -- '- { id: so-%d, name: Sở số %d, parent: ubnd, kind: agency }\n' "$i" "$i" >>"$P/content/units.yaml"
	printf '  - { id: src-%d, repo: ../src-%d.git, owner: so-%d }\n' "$i" "$i" "$i" >>"$P/content/site.yaml"
	w=$dir/w-$i
	git init -q -b main "$w"
	mkdir -p "$w/content/plans"
	j=1
	while [ "$j" -le "$m" ]; do
		cat >"$w/content/plans/$j.md" <<MD
---
number: "$j/KH-S$i"
title: "Kế hoạch $j của Sở số $i"
issuer: Sở số $i
date: 2025-05-02
tasks:
  - { id: "1", title: "Việc một", lead: Sở số $i, output: Báo cáo, due: "Ngày 30/12/2025" }
  - { id: "2", title: "Việc hai", lead: Sở số $i, support: UBND tỉnh, output: Đề án, due: "Quý III/2025", status: in_progress }
---
MD
		j=$((j + 1))
	done
	git -C "$w" add -A
	git -C "$w" commit -qm "kế hoạch của sở $i"
	git clone -q --bare "$w" "$dir/src-$i.git"
	rm -rf "$w"
	i=$((i + 1))
done
git -C "$P" add -A
git -C "$P" commit -qm "cổng"
