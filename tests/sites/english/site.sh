#!/usr/bin/env bash
# english: a site whose language is en: the interface strings of
# strings/en.yaml, two commits so that history and a weekly report show.
. ../lib.sh
R=$1
C=$R/content
git init -q "$R"
mkdir -p "$C/plans" "$C/pages" "$C/static"
cat >"$C/site.yaml" <<'YAML'
title: Digital Transformation Plan Tracker
description: Public tracking of the province's digital transformation plans.
language: en
base_url: https://plans.example.org/
YAML
cat >"$C/units.yaml" <<'YAML'
- { id: dost, name: Department of Science and Technology, kind: agency }
- { id: dost-office, name: Office, parent: dost, kind: department }
YAML
cat >"$C/pages/about.md" <<'MD'
---
title: About
---
This portal publishes the province's plans and the progress of each task.
MD
echo "Meeting minutes, signed 2025-09-30." >"$C/static/minutes.txt"
plan() {
	cat >"$C/plans/7-kh-sokhcn.md" <<MD
---
number: "7/KH-SKHCN"
title: "Digital transformation of the Department in 2025"
issuer: Department of Science and Technology
date: 2025-09-01
tasks:
  - id: "1"
    title: "Publish the open data catalogue"
    lead: Office
    output: Catalogue online
    due: "2025-10-31"
    status: $1
$2  - id: "2"
    title: "Train staff on the new records system"
    lead: Department of Science and Technology
    support: [Office]
    output: Training report
    due: "Quý IV/2025"
    status: $3
    progress: $4
---
The plan has **two tasks**.
MD
}
plan in_progress "" not_started 0
commit "$R" "2025-09-02T09:00:00+07:00" "Add plan 7/KH-SKHCN"
plan done "    completed: 2025-10-28
    evidence: [static/minutes.txt]
" in_progress 40
commit "$R" "2025-11-04T09:00:00+07:00" "Catalogue published; training started"
