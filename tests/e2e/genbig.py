#!/usr/bin/env python3
"""genbig.py CONTENT BIG SMALL: a portal whose lists outgrow one page.

Writes into CONTENT (a content folder with site.yaml) three units (Sở A,
Sở B, Sở C), the document 57-NQ/TW, BIG plans of 100 tasks each, all due
from 6 to 10 January 2025 (in progress: they fall due together in ISO week
2025-W02), and SMALL plans of one task due in 2026, all issued by Sở A; every plan
implements 57-NQ/TW.  Plans are numbered "<n>/KH-L" and "<n>/KH-N" (slugs <n>-kh-l,
<n>-kh-n), files lon-<i>.md and nho-<i>.md."""
import os
import sys

d, big, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(f"{d}/plans", exist_ok=True)
with open(f"{d}/units.yaml", "w", encoding="utf-8") as f:
    f.write("- { id: so-a, name: Sở A, kind: agency }\n"
            "- { id: so-b, name: Sở B, kind: agency }\n"
            "- { id: so-c, name: Sở C, kind: agency }\n")
with open(f"{d}/documents.yaml", "w", encoding="utf-8") as f:
    f.write('- { number: 57-NQ/TW, type: Nghị quyết, title: "Về đột phá phát triển khoa học", '
            'issuer: Bộ Chính trị }\n')
units = ["Sở A", "Sở B", "Sở C"]
for p in range(big):
    with open(f"{d}/plans/lon-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-L\"\ntitle: \"Kế hoạch lớn {p}\"\nissuer: {units[p % 3]}\n"
                f"date: 2024-12-0{p % 9 + 1}\nimplements: [57-NQ/TW]\ntasks:\n")
        for i in range(100):
            f.write(f"  - {{ id: \"{i + 1}\", title: \"Việc {p}-{i + 1}\", lead: {units[(p + i) % 3]}, "
                    f"output: x, due: \"Ngày {6 + i % 5:02d}/01/2025\", status: in_progress }}\n")
        f.write("---\n")
for p in range(small):
    with open(f"{d}/plans/nho-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-N\"\ntitle: \"Kế hoạch nhỏ {p}\"\nissuer: Sở A\n"
                f"date: 2024-11-{p % 28 + 1:02d}\nimplements: [57-NQ/TW]\ntasks:\n"
                f"  - {{ id: \"1\", title: \"Việc nhỏ {p}\", lead: {units[p % 3]}, output: x, "
                f"due: \"Năm 2026\" }}\n---\n")
