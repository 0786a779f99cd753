#!/usr/bin/env python3
"""Print issue #13's targets (and #14's scale case) from bench/bench.py's results.

  summary.py RESULTS.json

Each target gets one line: MET, NOT MET, or NOT MEASURED with the reason.
MB here is 2^20 bytes (peak RSS as the kernel reports it, in KiB / 1024; a
page "over 1 MB" is over 1,048,576 bytes).  Informational only: exits 0.
"""
import json, statistics, sys

MB = 1 << 20


def settled_note(sec):
    """What the section waited for earlier removals to age (bench.py settle), if anything."""
    w = sec.get("settled_s")
    return "; started %.0f s after the removal of the earlier outputs (SETTLE_S)" % w if w else ""


def med(runs, key="wall"):
    return statistics.median(r[key] for r in runs) if runs else None


def paired(a, b):
    """Median over the rounds of a[i].wall / b[i].wall."""
    xs = [x["wall"] / y["wall"] for x, y in zip(a, b) if y["wall"] > 0]
    return statistics.median(xs) if xs else None


def fmt_s(x):
    return "%.2f s" % x


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        R = json.load(f)
    c, m = R["config"], R["machine"]
    lines, verdicts = [], []

    def out(s=""):
        lines.append(s)

    def target(ok, what, figure):
        v = "NOT MEASURED" if ok is None else "MET" if ok else "NOT MET"
        verdicts.append(v)
        out("  %-14s %s: %s" % ("[" + v + "]", what, figure))

    out("plansite benchmark, %s, commit %s, %s" % (m["date"], R.get("commit") or "?", R["plansite"]))
    load = R["1k"].get("load", {})
    out("machine: %d cores, shared with other users; load average %.1f at the start, %.1f at the end; "
        "during the 1k rounds other processes used %.1f cores on average"
        % (m["cores"], m["loadavg_start"][0], m.get("loadavg_end", [0])[0], load.get("others_cores", 0)))
    if R.get("gnu_time") is False:
        out("peak RSS: /usr/bin/time is missing (apt-get install time); read with wait4(2), it includes the harness's")
    out("Hugo: " + (R["hugo"] or "NOT INSTALLED (%s): apt-get install hugo" % R["hugo_missing"]))

    def table(label, res, plans, commits):
        out()
        out("%s: %d plans x %d tasks, %d commits; medians of %d rounds%s" % (
            label, plans, c["tasks"], commits, len(res["plansite"]) or len(res["floor"]),
            "" if label == "10k" else " (after a warm-up round)"))
        out("  %-26s %9s %10s %22s   %s" % ("", "wall", "peak RSS", "CPU user + system", "output"))
        names = [("plansite", "plansite, no state"), ("plansite_warm", "plansite, state kept"),
                 ("hugo", "Hugo-same"), ("floor", "floor (1 thread)")]
        for key, name in names:
            runs = res.get(key) or []
            o = res.get("output", {}).get(key)
            outs = "%d files, %.1f MB" % (o["files"], o["bytes"] / MB) if o and key != "plansite_warm" else ""
            if key in res.get("failed", {}):
                out("  %-26s FAILED (exit status %d; its stderr is above and in the logs)"
                    % (name, res["failed"][key]["rc"]))
            elif runs:
                out("  %-26s %7.2f s %7.0f MB %9.2f s + %6.2f s   %s" % (
                    name, med(runs), med(runs, "rss_kb") / 1024, med(runs, "user"), med(runs, "sys"), outs))
        if "runs_after_removal" in res:
            n = res["runs_after_removal"]
            out("  outputs: each run into a new folder %s; earlier outputs %s"
                % ("under " + c.get("outdir", "?"),
                   "kept until the end of the rounds (no run followed a removal)" if n == 0 else
                   "removed before %d of the runs (disk space or KEEP_OUTPUTS=0): those runs paid for "
                   "recently freed inodes" % n))
        if res.get("settled_s"):
            out("  before the first run: waited %.0f s for the removal of the earlier sections' outputs to age "
                "(SETTLE_S; bench/README.md)" % res["settled_s"])
        if res.get("history_s"):
            out("  plansite's history stage (PLANSITE_TIMING, no state): median %.2f s, beside the rendering"
                % statistics.median(res["history_s"]))
        o = res.get("output", {}).get("plansite")
        if o:
            out("  largest page: %s, %.0f KB; pages over 1 MB: %d" % (
                o["largest_page"]["path"], o["largest_page"]["bytes"] / 1024, o["pages_over_1mb"]))

    k1 = R["1k"]
    table("1k", k1, c["plans"], c["commits"])
    k10 = R.get("10k")
    if k10:
        table("10k", k10, c["plans_10k"], c["commits_10k"])
        out("  load during the 10k rounds: other processes used %.1f cores on average"
            % k10.get("load", {}).get("others_cores", 0))

    p1 = k1["plansite"]
    p1_med = med(p1)
    out()
    out("TARGETS (issue #13; 1k = %d plans, 10k = %d plans; \"no state\" = $GIT_DIR/plansite/ removed and a fresh "
        "--out before each build)" % (c["plans"], c["plans_10k"]))
    if not p1:
        why = "plansite failed" if "plansite" in k1.get("failed", {}) else "no plansite runs"
    # 1. against Hugo-same
    if not R["hugo"]:
        target(None, "1k, at least 10x faster than Hugo-same", "Hugo is not installed (apt-get install hugo)")
    elif not p1 or not k1["hugo"]:
        target(None, "1k, at least 10x faster than Hugo-same", why if not p1 else "Hugo-same failed")
    else:
        r = paired(k1["hugo"], p1)
        rw = paired(k1["hugo"], k1["plansite_warm"])
        target(r >= 10, "1k, at least 10x faster than Hugo-same (paired median, history included)",
               "%.1fx (Hugo-same %s, plansite %s)%s" % (r, fmt_s(med(k1["hugo"])), fmt_s(p1_med),
                                                        "; with state kept %.1fx" % rw if rw else ""))
    # 2. memory
    if p1:
        rss = med(p1, "rss_kb") / 1024
        target(rss < 150, "1k, peak memory under 150 MB", "%.0f MB" % rss)
    else:
        target(None, "1k, peak memory under 150 MB", why)
    # 3. against the floor
    if p1 and k1["floor"]:
        r = paired(p1, k1["floor"])
        target(r <= 2, "1k, at most 2x the floor (paired median)",
               "%.1fx (floor %s, plansite %s)" % (r, fmt_s(med(k1["floor"])), fmt_s(p1_med)))
    else:
        target(None, "1k, at most 2x the floor", why if not p1 else "the floor failed")
    # 4-6. 10k
    if not k10:
        for what in ("10k, at most 15 s", "10k, at most 400 MB", "10k build at most 10.5x the 1k build"):
            target(None, what, "run with BENCH_10K=1")
    elif not k10["plansite"]:
        for what in ("10k, at most 15 s", "10k, at most 400 MB", "10k build at most 10.5x the 1k build"):
            target(None, what, "plansite failed at 10k")
    else:
        w, rss = med(k10["plansite"]), med(k10["plansite"], "rss_kb") / 1024
        target(w <= 15, "10k, at most 15 s on %d cores" % m["cores"], fmt_s(w))
        target(rss <= 400, "10k, at most 400 MB", "%.0f MB" % rss)
        pairs = [(r["wall"], r["small"]["wall"]) for r in k10["plansite"]
                 if r.get("small") and r["small"]["wall"] > 0]
        fpairs = [(r["wall"], r["small"]["wall"]) for r in k10.get("floor") or []
                  if r.get("small") and r["small"]["wall"] > 0]
        # what the 10k corpus's site is against the 1k's: its output grows
        # faster than its plans (more weeks of history, more tasks a week)
        o10, o1 = k10.get("output", {}).get("plansite"), (k1 or {}).get("output", {}).get("plansite")
        grow_note = ("; the 10k site is %.1fx the 1k's bytes and %.1fx its files"
                     % (o10["bytes"] / o1["bytes"], o10["files"] / o1["files"])
                     if o10 and o1 and o1["bytes"] and o1["files"] else "")
        if pairs:
            # each 10k build against the 1k build run just before it, from
            # the same state of the machine (bench.py paired, small)
            ratios = [a / b for a, b in pairs]   # in the rounds' order, as the 1k builds below
            r = statistics.median(ratios)
            floor_note = ("; the floor's own, paired the same way: %.1fx"
                          % statistics.median(a / b for a, b in fpairs) if fpairs else "")
            apart = ("; against the median of the 1k rounds: %.1fx (%s / %s)" % (w / p1_med, fmt_s(w), fmt_s(p1_med))
                     if p1 else "")
            target(r <= 10.5, "10k build at most 10.5x the 1k build (same run, paired)",
                   "%.1fx, paired median of %d (%s; the 1k builds %s)%s%s%s" % (
                       r, len(ratios), ", ".join("%.1fx" % x for x in ratios),
                       ", ".join(fmt_s(b) for _, b in pairs), floor_note, apart, grow_note))
        elif p1:
            # the floor's own ratio, for reading this one: what the machine
            # does with ten times the files (the verdict is plansite's)
            f1, f10 = k1["floor"], k10.get("floor")
            floor_note = ("; the floor's own 10k/1k in this run: %.1fx (%s / %s)"
                          % (med(f10) / med(f1), fmt_s(med(f10)), fmt_s(med(f1))) if f1 and f10 else "")
            # the 1k rounds' later runs may pay for the memory the earlier
            # outputs took (README.md): the fastest round, for reading
            p1_min = min(r["wall"] for r in p1)
            fast_note = ("; against the 1k's fastest round (%s): %.1fx" % (fmt_s(p1_min), w / p1_min)
                         if p1_min > 0 and len(p1) > 1 else "")
            target(w / p1_med <= 10.5, "10k build at most 10.5x the 1k build (same run)",
                   "%.1fx (%s / %s)%s%s%s" % (w / p1_med, fmt_s(w), fmt_s(p1_med), floor_note, fast_note, grow_note))
        else:
            target(None, "10k build at most 10.5x the 1k build", why)
    # 7. serve
    sv = R.get("serve")
    what = "1k, an edit reaches the browser in under 0.5 s (serve --worktree)"
    if not sv:
        target(None, what, "EDITS=0")
    elif sv.get("error") or not sv.get("edits"):
        target(None, what, sv.get("error", "no edit measured"))
    else:
        e = statistics.median(sv["edits"])
        target(e < 0.5, what, "%s median of %d edits (reload event after %s; page %s; first build %s)%s" % (
            fmt_s(e), len(sv["edits"]), fmt_s(statistics.median(sv["events"])), sv["page"],
            fmt_s(sv["first_build_s"]), settled_note(sv)))
    # 8-9. push
    pu = R.get("push")
    w1, w0 = "1k, a push publishes in under 1 s (one new commit, previous build's state kept)", \
        "1k, nothing changed: under 0.3 s"
    if not pu:
        target(None, w1, "PUSHES=0")
        target(None, w0, "PUSHES=0")
    elif pu["first"]["rc"] or pu.get("failed") or not pu["commit"]:
        why_p = "a build failed (status %d)" % (pu.get("failed") or pu["first"])["rc"]
        target(None, w1, why_p)
        target(None, w0, why_p)
    else:
        ident = pu.get("identical")
        note = "" if ident is None else "; output identical to a clean build" if ident else \
            "; OUTPUT DIFFERS FROM A CLEAN BUILD: " + "; ".join(pu.get("differences", []))
        target(med(pu["commit"]) < 1, w1, "%s median of %d (first build in a fresh clone %s)%s%s" % (
            fmt_s(med(pu["commit"])), len(pu["commit"]), fmt_s(pu["first"]["wall"]), note, settled_note(pu)))
        target(med(pu["same"]) < 0.3, w0, "%s median of %d" % (fmt_s(med(pu["same"])), len(pu["same"])))
    # 10. pages
    what = "10k, no page over 1 MB"
    if not k10 or "plansite" not in k10.get("output", {}):
        o = k1.get("output", {}).get("plansite")
        target(None, what, "run with BENCH_10K=1" + (
            " (at 1k: largest %s, %.0f KB)" % (o["largest_page"]["path"], o["largest_page"]["bytes"] / 1024)
            if o else ""))
    else:
        o = k10["output"]["plansite"]
        target(o["pages_over_1mb"] == 0, what, "%d pages over 1 MB; largest %s, %.0f KB%s" % (
            o["pages_over_1mb"], o["largest_page"]["path"], o["largest_page"]["bytes"] / 1024,
            "".join("; %s %.1f MB" % (x["path"], x["bytes"] / MB) for x in o["pages_over_1mb_first"][:3])))

    so = R.get("sources")
    out()
    out("SCALE CASE (issue #14 point 6)")
    if so:
        what = ("a portal of %d sources x %d plans builds in about the time of one repository of the same "
                "plans (<= 1.25x)" % (so["sources"], so["plans_each"]))
    if not so:
        out("  skipped: BENCH_SOURCES=0")
    elif so.get("skipped"):
        out("  skipped: " + so["skipped"])
    else:
        r = paired(so["portal"], so["mono"])
        target(r <= 1.25, what, "%.2fx (portal %s, one repository %s, %d plans; paired median of %d)" % (
            r, fmt_s(med(so["portal"])), fmt_s(med(so["mono"])), so["plans"], len(so["portal"])))
        pu = so.get("push")
        if pu and not pu.get("skipped"):
            hp, hm = pu["portal"].get("history", {}), pu["mono"].get("history", {})
            out("  after a push of one commit to one source (state and history caches kept): portal %s, "
                "one repository %s; the portal's history read %s of %s commits from Git (the one "
                "repository's %s of %s)" % (fmt_s(pu["portal"]["wall"]), fmt_s(pu["mono"]["wall"]),
                                           hp.get("git", "?"), hp.get("commits", "?"),
                                           hm.get("git", "?"), hm.get("commits", "?")))
        elif pu:
            out("  after a push to one source: skipped: " + pu["skipped"])
    out()
    out("%d met, %d not met, %d not measured" % (verdicts.count("MET"), verdicts.count("NOT MET"),
                                                verdicts.count("NOT MEASURED")))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
