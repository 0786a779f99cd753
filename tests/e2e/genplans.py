#!/usr/bin/env python3
"""genplans.py PLANS_DIR PLANS TASKS REV: PLANS plan files kh-<p>.md of TASKS tasks each.

Five units (four Sở and a Phòng) lead and support the tasks in turn, with
dues, statuses and progress that vary from task to task.  REV (0, 1, 2 ...)
changes every seventh task's lead, support, due, status and progress, and
the body: commit each REV for a history in which plans change."""
import sys

d, plans, tasks, rev = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
units = ["Sở Nội vụ", "Sở Tài chính", "Sở Y tế", "Sở Công Thương", "Phòng Tổng hợp"]
for p in range(plans):
    with open(f"{d}/kh-{p}.md", "w", encoding="utf-8") as f:
        f.write(f"---\nnumber: \"{p + 1}/KH-UBND\"\ntitle: \"Kế hoạch {p + 1}\"\n"
                f"issuer: {units[p % 5]}\ndate: 2025-02-{p % 28 + 1:02d}\ntasks:\n")
        for i in range(tasks):
            k = p * tasks + i + rev * (i % 7 == 0)
            f.write(f"  - id: \"{i + 1}\"\n    title: \"Nhiệm vụ {i + 1} của kế hoạch {p + 1}\"\n"
                    f"    lead: \"{units[k % 5]}\"\n    support: [\"{units[(k + 2) % 5]}\"]\n"
                    f"    output: \"Báo cáo\"\n    due: \"Ngày {k % 28 + 1}/{k % 12 + 1}/2026\"\n"
                    f"    status: \"{['Hoàn thành', 'Đang thực hiện', 'Chưa thực hiện'][k % 3]}\"\n"
                    f"    progress: {k * 10 % 110}\n")
        f.write(f"---\nNội dung kế hoạch {p + 1}, lần {rev}.\n")
