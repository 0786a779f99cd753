#!/usr/bin/env python3
"""Print the benchmark table from bench/run.sh's measurements.

  summary.py TMP PLANS TASKS COMMITS PLANSITE_RC

TMP holds NAME.times ("wall_seconds peak_kb user_seconds system_seconds" per run) and NAME-out/ (the last
run's output) for NAME in plansite, hugo.  Informational only: exits 0.
"""
import os, statistics, sys

tmp, plans, tasks, commits, plansite_rc = sys.argv[1:6]


def runs(name):
    with open(os.path.join(tmp, name + ".times")) as f:
        return [tuple(float(x) for x in line.split()) for line in f if line.strip()]


def tree(path):
    """(number of files, total bytes) under path."""
    sizes = [os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs]
    return len(sizes), sum(sizes)


print("corpus: %s plans x %s tasks, %s commits" % (plans, tasks, commits))
print("tool       median wall   median peak RSS   median CPU (user + system)   runs")
med = {}
for name in ("plansite", "hugo"):
    r = runs(name)
    if name == "plansite" and plansite_rc != "0":
        print("%-10s FAILED (exit status %s; its stderr is above)" % (name, plansite_rc))
        continue
    med[name] = (statistics.median(x[0] for x in r), statistics.median(x[1] for x in r) / 1024)
    cpu = ("%5.2f s + %5.2f s" % (statistics.median(x[2] for x in r), statistics.median(x[3] for x in r))
           if all(len(x) >= 4 for x in r) else "-")
    print("%-10s %7.2f s       %6.0f MB          %-22s %5d" % (name, med[name][0], med[name][1], cpu, len(r)))

hist = os.path.join(tmp, "history.times")
if os.path.exists(hist):
    with open(hist) as f:
        h = [float(x) for x in f if x.strip()]
    if h:
        print("plansite history pass (included above; it runs beside the rendering of pages that show no history): median %.2f s over %d runs" % (statistics.median(h), len(h)))

if len(med) == 2:
    speed = med["hugo"][0] / med["plansite"][0] if med["plansite"][0] else float("inf")
    mem = med["plansite"][1] / med["hugo"][1]
    how = "%.1fx faster than" % speed if speed >= 1 else "%.1fx slower than" % (1 / speed)
    print("plansite is %s hugo (target: >= 3.5x), memory %.2fx of hugo (%.0f MB; target: <150 MB)"
          % (how, mem, med["plansite"][1]))

for name in ("plansite", "hugo"):
    out = os.path.join(tmp, name + "-out")
    if os.path.isdir(out):
        n, total = tree(out)
        print("output %-9s %6d files, %8.1f MB" % (name, n, total / 2**20))

search = os.path.join(tmp, "plansite-out", "tim-kiem")
if os.path.isdir(search):
    files = [(os.path.getsize(os.path.join(d, f)), os.path.relpath(os.path.join(d, f), search))
             for d, _, fs in os.walk(search) for f in fs]
    files = [x for x in files if x[1] != "index.html"]
    big = max(files, default=(0, "-"))
    print("search index tim-kiem/: only index.html, no index files" if not files else
          "search index tim-kiem/ (without index.html): %d files, %.0f KB, largest %s %.0f KB"
          % (len(files), sum(x[0] for x in files) / 1024, big[1], big[0] / 1024))
elif os.path.isdir(os.path.join(tmp, "plansite-out")):
    print("search index tim-kiem/: not in plansite's output")

err = os.path.join(tmp, "plansite.stderr")
if plansite_rc == "0" and os.path.getsize(err):
    with open(err, errors="replace") as f:
        print("plansite wrote %d lines to stderr (last run; warnings)" % len(f.readlines()))
