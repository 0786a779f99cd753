#!/usr/bin/env python3
"""bench/bench.py: measures plansite against issue #13's targets (see bench/README.md).

Run by bench/run.sh (make bench).  Writes WORK/results.json, then prints the
targets with bench/summary.py.  A benchmark, not a test: it exits non-zero only
when it cannot run (a missing program or corpus generator), never because a
target is not met.  Every setting comes from the environment (README's table).
"""
import glob, http.client, json, os, re, resource, shutil, signal, socket, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def env(name, default):
    v = os.environ.get(name, "")
    return type(default)(v) if v != "" else default


PLANS, TASKS, COMMITS, RUNS = env("PLANS", 1000), env("TASKS", 40), env("COMMITS", 2000), env("RUNS", 5)
BENCH_10K = env("BENCH_10K", 0)
PLANS_10K, COMMITS_10K, RUNS_10K = env("PLANS_10K", 10000), env("COMMITS_10K", 5000), env("RUNS_10K", 3)
EDITS, PUSHES = env("EDITS", 5), env("PUSHES", RUNS)
SOURCES, SOURCE_PLANS, RUNS_SOURCES = env("SOURCES", 100), env("SOURCE_PLANS", 20), env("RUNS_SOURCES", 3)
BENCH_SOURCES = env("BENCH_SOURCES", 1)
PLANSITE = os.path.abspath(env("PLANSITE", os.path.join(ROOT, "plansite")))
FLOOR = os.path.abspath(env("FLOOR", os.path.join(ROOT, "build", "bench", "floor")))
GENCORPUS = os.path.abspath(env("GENCORPUS", os.path.join(ROOT, "..", "shared", "tools", "gencorpus.py")))
GENSOURCES = os.path.join(ROOT, "bench", "gensources.py")
WORK = os.path.abspath(env("BENCH_WORK", os.path.join(ROOT, "bench", "work")))
OUTDIR = os.path.abspath(env("OUTDIR", WORK))
KEEP_OUTPUTS = env("KEEP_OUTPUTS", 1)
HUGO = env("HUGO", "") or shutil.which("hugo") or ""
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else ""
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.gov.vn",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.gov.vn")


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def die(msg):
    log(msg)
    sys.exit(2)


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


# Removals of many files, for settle(): {"files": count since the last settle, "t": monotonic time
# of the last one}.
REMOVED = {"files": 0, "t": 0.0}
SETTLE_S = env("SETTLE_S", 65)
SETTLE_FILES = env("SETTLE_FILES", 1000)


def rmtree(path):
    """Removes path and, for a site, the spare a build keeps beside it (plansite(1))."""
    for p in (path, path + ".plansite-previous"):
        if os.path.lexists(p):
            if os.path.isdir(p) and not os.path.islink(p):
                REMOVED["files"] += sum(len(fs) + len(ds) for _, ds, fs in os.walk(p))
            shutil.rmtree(p)
            REMOVED["t"] = time.monotonic()


def settle(what):
    """Before a timed section that follows the removal of earlier sections' outputs: the removals
    are written back and are SETTLE_S seconds old. On ext4 without a journal, creating a file
    first passes over every inode freed in the last 60 s (300 s while their table is not yet
    written back), so a section right after the removal of thousands of files would pay for the
    harness's own cleaning (bench/README.md). Returns the seconds waited."""
    if REMOVED["files"] < SETTLE_FILES:
        return 0.0
    os.sync()
    wait = max(0.0, REMOVED["t"] + SETTLE_S - time.monotonic())
    log("%s: waiting %.1f s, until %d s after the removal of %d files (SETTLE_S)"
        % (what, wait, SETTLE_S, REMOVED["files"]))
    time.sleep(wait)
    REMOVED["files"] = 0
    return round(wait, 1)


def sha16(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


# ---- the machine: how much of it others used while we measured ------------------------------

def cpu_now():
    """(machine busy CPU seconds, our own and our children's CPU seconds, monotonic time)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")   # all but idle and iowait
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime, time.monotonic()


def load_section(start):
    end = cpu_now()
    wall = max(end[2] - start[2], 1e-9)
    return {"wall_s": round(wall, 1), "loadavg_end": list(os.getloadavg()),
            "others_cores": round(max(0.0, (end[0] - start[0]) - (end[1] - start[1])) / wall, 2)}


# ---- one measured run ---------------------------------------------------------------------

def measure(name, cmd, out=None, envx=None, tmp=None, fresh=True):
    """Runs cmd once (into a fresh `out` when fresh): {wall, rss_kb, user, sys, rc}."""
    if out and fresh:
        rmtree(out)
    e = dict(os.environ, **(envx or {}))
    # Peak RSS through GNU time: a child of this (large) Python process would
    # report the parent's peak as its own (Linux keeps maxrss across exec)
    tf = os.path.join(tmp, name + ".time")
    run = [TIME, "-f", "%M %U %S", "-o", tf] + cmd if TIME else cmd
    with open(os.path.join(tmp, name + ".stdout"), "wb") as so, open(os.path.join(tmp, name + ".stderr"), "wb") as se:
        t0 = time.monotonic()
        p = subprocess.Popen(run, stdout=so, stderr=se, env=e)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    rss, user, sys_ = ru.ru_maxrss, ru.ru_utime, ru.ru_stime
    if TIME:
        try:
            with open(tf) as f:
                last = f.read().strip().splitlines()[-1].split()
            rss, user, sys_ = int(last[0]), float(last[1]), float(last[2])
        except (OSError, IndexError, ValueError):
            pass
    r = {"wall": round(wall, 3), "rss_kb": rss, "user": round(user, 3), "sys": round(sys_, 3), "rc": p.returncode}
    if p.returncode:
        with open(os.path.join(tmp, name + ".stderr"), errors="replace") as f:
            head = "".join(f.readlines()[:30])
        log("%s exited with status %d; first 30 lines of its stderr:\n%s" % (name, p.returncode, head))
        r["stderr"] = head
    else:
        log("%-18s %6.2f s %5.0f MB  (user %.2f s, system %.2f s)" % (name, wall, rss / 1024, user, sys_))
    return r


def history_seconds(tmp, name):
    """The history stage's seconds from plansite's PLANSITE_TIMING lines, if any."""
    try:
        with open(os.path.join(tmp, name + ".stderr"), errors="replace") as f:
            for line in f:
                m = re.match(r"plansite: history\s+([0-9.]+) s", line)
                if m:
                    return float(m.group(1))
    except OSError:
        pass
    return None


def git_dir(repo):
    return os.path.join(repo, sh("git", "-C", repo, "rev-parse", "--git-dir").strip())


def clear_state(*repos):
    """Removes the build state plansite keeps in a repository ($GIT_DIR/plansite/)."""
    for r in repos:
        rmtree(os.path.join(git_dir(r), "plansite"))


def tree_stats(path):
    """Files, bytes, the largest HTML page and the HTML pages over 1 MB (2^20 bytes) under path."""
    n = total = 0
    big, over = (0, ""), []
    for d, _, fs in os.walk(path):
        for f in fs:
            p = os.path.join(d, f)
            s = os.path.getsize(p)
            n += 1
            total += s
            if f.endswith(".html"):
                rel = os.path.relpath(p, path)
                big = max(big, (s, rel))
                if s > 1 << 20:
                    over.append((s, rel))
    over.sort(reverse=True)
    return {"files": n, "bytes": total, "largest_page": {"bytes": big[0], "path": big[1]},
            "pages_over_1mb": len(over), "pages_over_1mb_first": [{"bytes": s, "path": p} for s, p in over[:5]]}


def tree_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def write_sizes(out, path):
    """The floor's list: BYTES<TAB>PATH of every file plansite wrote."""
    rows = []
    for d, _, fs in os.walk(out):
        for f in fs:
            p = os.path.join(d, f)
            rows.append("%d\t%s\n" % (os.path.getsize(p), os.path.relpath(p, out)))
    with open(path, "w") as f:
        f.writelines(sorted(rows, key=lambda r: r.split("\t", 1)[1]))


def plan_count(out):
    try:
        with open(os.path.join(out, "du-lieu", "plans.json"), encoding="utf-8") as f:
            d = json.load(f)
        return len(d["plans"] if isinstance(d, dict) and "plans" in d else d)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---- corpora -----------------------------------------------------------------------------

def corpus(name, plans, tasks, commits):
    """WORK/name: gencorpus.py's repository with --hugo-same, reused while its parameters hold."""
    path = os.path.join(WORK, name)
    stamp = "plans=%d tasks=%d commits=%d hugo-same gencorpus=%s" % (plans, tasks, commits, sha16(GENCORPUS))
    try:
        with open(path + ".stamp") as f:
            if f.read().strip() == stamp:
                return path
    except OSError:
        pass
    log("generating %s (%s)" % (name, stamp))
    rmtree(path)
    if os.path.exists(path + ".stamp"):
        os.remove(path + ".stamp")
    os.makedirs(WORK, exist_ok=True)
    t0 = time.monotonic()
    subprocess.run([sys.executable, GENCORPUS, path, "--plans", str(plans), "--tasks", str(tasks),
                    "--commits", str(commits), "--hugo-same"], check=True, stdout=subprocess.DEVNULL)
    with open(path + ".stamp", "w") as f:
        f.write(stamp + "\n")
    log("%s generated in %.0f s" % (name, time.monotonic() - t0))
    return path


def portal_corpus(mono, nsources):
    path = os.path.join(WORK, "portal-%d" % nsources)
    with open(mono + ".stamp") as f:
        stamp = f.read().strip() + " sources=%d gensources=%s" % (nsources, sha16(GENSOURCES))
    try:
        with open(path + ".stamp") as f:
            if f.read().strip() == stamp:
                return path
    except OSError:
        pass
    log("splitting %s into %d sources" % (os.path.basename(mono), nsources))
    rmtree(path)
    subprocess.run([sys.executable, GENSOURCES, mono, path, "--sources", str(nsources)], check=True)
    with open(path + ".stamp", "w") as f:
        f.write(stamp + "\n")
    return path


# ---- paired builds -----------------------------------------------------------------------

def paired(label, repo, runs, tmp, hugo=True, warm=True, warmup=True, small=None):
    """plansite (no state; and with the state of the previous build), Hugo-same and the floor,
    alternating in each round: {tool: [runs]}, plus the output's stats.  With small (a smaller
    corpus and the floor's list of files for it), plansite without state and the floor each
    build the small corpus first, at once before their own run, which keeps that run as its
    "small": the two runs of a pair start from the same state of the machine (memory, page
    cache, disk), so their ratio measures how the build grows with the site, not what the
    runs before left."""
    res = {"plansite": [], "plansite_warm": [], "hugo": [], "floor": [], "history_s": []}
    # Each run writes into a folder of its own (after a sync), and the outputs are removed
    # after the rounds, not before each run: on ext4 without a journal,
    # creating a file first passes over every inode freed in the last
    # 60 s (300 s while their table is not yet written back), so a build
    # right after the removal of a tree pays for its files in proportion
    # to the files it creates. A real first publication does not follow a
    # removal, and a later one starts from the spare (plansite(1), THE
    # OUTPUT FOLDER). When the disk cannot hold another output, the oldest
    # are removed first, and the summary says how many runs followed one.
    outs = {t: os.path.join(OUTDIR, "%s-%s-out" % (label, t)) for t in res}
    kept, last_size = [], {}
    res["runs_after_removal"] = 0

    def room(t):
        """Makes room for t's next output: the oldest kept outputs go while the disk's free space
        is under its last output's size, with a margin (KEEP_OUTPUTS=0 always removes)."""
        need = last_size.get(t, 0) * 1.2 + (1 << 30)
        removed = False
        while kept and (not KEEP_OUTPUTS or shutil.disk_usage(OUTDIR).free < need):
            rmtree(kept.pop(0))
            removed = True
        if removed:
            res["runs_after_removal"] += 1
        # the earlier runs' pages are on the disk before this one starts:
        # kept outputs would otherwise be written back while it runs
        os.sync()
    sizes = os.path.join(tmp, label + "-sizes.txt")
    failed = {}

    def small_first(name, cmd, out):
        """The small corpus's run of a pair, into a kept folder of its own; None when it failed
        (the pair is then not counted)."""
        room(name)
        r = measure("%s-%s-small" % (label, name), cmd, out, None, tmp)
        kept.append(out)
        return None if r["rc"] else r

    def plansite():
        if small:
            clear_state(small["repo"])
            out = outs["plansite"] + "-small"
            pr = small_first("plansite", [PLANSITE, "build", "--repo", small["repo"], "--out", out], out)
            # the pair's own run follows at once, after a sync (the small
            # output is kept, as every output is)
            os.sync()
        clear_state(repo)
        r = measure(label + "-plansite", [PLANSITE, "build", "--repo", repo, "--out", outs["plansite"]],
                    outs["plansite"], {"PLANSITE_TIMING": "1"}, tmp)
        if small and pr:
            r["small"] = pr
        if not r["rc"]:
            h = history_seconds(tmp, label + "-plansite")
            if h is not None:
                res["history_s"].append(h)
        return r

    def plansite_warm():
        return measure(label + "-plansite-warm", [PLANSITE, "build", "--repo", repo, "--out", outs["plansite_warm"]],
                       outs["plansite_warm"], None, tmp)

    def hugo_run():
        return measure(label + "-hugo", [HUGO, "--source", os.path.join(repo, "hugo-same"), "--destination",
                                         outs["hugo"], "--quiet"], outs["hugo"], None, tmp)

    def floor():
        if small:
            out = outs["floor"] + "-small"
            pr = small_first("floor", [FLOOR, small["repo"], small["sizes"], out], out)
            os.sync()
        r = measure(label + "-floor", [FLOOR, repo, sizes, outs["floor"]], outs["floor"], None, tmp)
        if small and pr:
            r["small"] = pr
        return r

    # plansite without state and the floor side by side, each first in
    # every other round, and Hugo last: on this kind of VM a run started
    # just after a big process exits takes the memory that process freed
    # for its writes instead of memory the host must fault in again, and
    # Hugo frees 750 MB.  In the order plansite, state kept, Hugo, floor,
    # the floor followed Hugo in three rounds of five and plansite in none
    # (its system time there 0.19-0.34 s, elsewhere 0.40-1.32 s; 2 runs of
    # make bench, 2026-12-03), which took the floor ratio from 1.3x to 2.0x
    # between two runs of the same code.
    tools = [("plansite", plansite), ("floor", floor)] + \
        ([("plansite_warm", plansite_warm)] if warm else []) + ([("hugo", hugo_run)] if hugo else [])
    # the warm-up round (not counted) also gives the floor its list of files
    for rnd in range(-1 if warmup else 0, runs):
        order = tools if rnd % 2 == 0 else tools[::-1]
        if rnd < 0 or not os.path.exists(sizes):
            order = tools
        for name, fn in order:
            if name in failed or (name == "floor" and not os.path.exists(sizes)):
                continue
            room(name)
            outs[name] = os.path.join(OUTDIR, "%s-%s-out-%d" % (label, name, rnd + 1))
            r = fn()
            kept.append(outs[name])
            if not r["rc"] and os.path.isdir(outs[name]):
                last_size[name] = tree_bytes(outs[name])
            if r["rc"]:
                failed[name] = r
                continue
            if name == "plansite" and not os.path.exists(sizes):
                write_sizes(outs["plansite"], sizes)
            if rnd >= 0:
                res[name].append(r)
    res["failed"] = failed
    res["output"] = {t: tree_stats(outs[t]) for t in ("plansite", "hugo", "floor") if os.path.isdir(outs[t])}
    for o in kept:
        rmtree(o)
    os.sync()
    return res


# ---- serve: an edit reaching the browser --------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(port, path, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def serve_edits(src, edits, tmp):
    """Edits a plan's title EDITS times in a work tree served by `plansite serve --worktree` and
    times each edit until the served page shows it, through the live-reload event stream."""
    repo = os.path.join(WORK, "serve-repo")
    rmtree(repo)
    subprocess.run(["git", "clone", "-q", "--local", src, repo], check=True)
    port = free_port()
    errf = open(os.path.join(tmp, "serve.stderr"), "wb")
    t0 = time.monotonic()
    p = subprocess.Popen([PLANSITE, "serve", "--repo", repo, "--worktree", "--port", str(port)],
                         stdout=errf, stderr=errf, start_new_session=True)
    res = {"edits": [], "events": [], "pid": p.pid}
    try:
        status = ""
        while time.monotonic() - t0 < 900:
            if p.poll() is not None:
                res["error"] = "plansite serve exited with status %d" % p.returncode
                return res
            try:
                _, body = http_get(port, "/__plansite/status", 5)
                status = body.decode("utf-8", "replace")
                if status.startswith(("ok", "failed")):
                    break
            except OSError:
                pass
            time.sleep(0.1)
        res["first_build_s"] = round(time.monotonic() - t0, 2)
        if not status.startswith("ok"):
            res["error"] = "the first build did not succeed: " + status[:300]
            return res
        plans = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "content", "plans"))
                       for f in fs if f.endswith(".md"))
        plan = plans[len(plans) // 2]
        url = "/ke-hoach/%s/" % os.path.basename(plan)[:-3]
        code, _ = http_get(port, url)
        if code != 200:
            res["error"] = "no page at %s for %s (HTTP %d)" % (url, os.path.relpath(plan, repo), code)
            return res
        res["page"] = url
        for k in range(edits):
            marker = "BENCHEDIT%d" % (k + 1)
            ev = socket.create_connection(("127.0.0.1", port), timeout=600)
            ev.sendall(b"GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
            got = b""
            while b": plansite" not in got:
                chunk = ev.recv(4096)
                if not chunk:
                    break
                got += chunk
            with open(plan, encoding="utf-8") as f:
                text = f.read()
            text, n = re.subn(r'^title: "(.*?)( BENCHEDIT\d+)?"$', lambda m: 'title: "%s %s"' % (m.group(1), marker),
                              text, count=1, flags=re.M)
            if not n:
                res["error"] = "no title line in " + plan
                return res
            t0 = time.monotonic()
            with open(plan, "w", encoding="utf-8") as f:
                f.write(text)
            got = b""
            while b"event: reload" not in got:
                chunk = ev.recv(4096)
                if not chunk:
                    break
                got += chunk
            t_event = time.monotonic() - t0
            ev.close()
            while True:
                code, body = http_get(port, url)
                if marker.encode() in body:
                    break
                if time.monotonic() - t0 > 600:
                    res["error"] = "the edit did not reach %s within 600 s" % url
                    return res
                time.sleep(0.02)
            t_page = time.monotonic() - t0
            res["events"].append(round(t_event, 3))
            res["edits"].append(round(t_page, 3))
            log("edit %d: reload event after %.2f s, page shows it after %.2f s" % (k + 1, t_event, t_page))
            time.sleep(0.3)
        return res
    except OSError as e:   # a socket timeout or a refused connection: say so, do not crash
        res["error"] = "serve: %s" % (e or type(e).__name__)
        return res
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        errf.close()
        rmtree(repo)


# ---- a push: one new commit, then nothing changed -----------------------------------------

def pushes(src, n, tmp):
    repo = os.path.join(WORK, "push-repo")
    out = os.path.join(OUTDIR, "push-out")
    clean = os.path.join(OUTDIR, "push-clean")
    rmtree(repo)
    rmtree(out)
    subprocess.run(["git", "clone", "-q", "--local", src, repo], check=True)
    build = [PLANSITE, "build", "--repo", repo, "--out", out]
    res = {"first": measure("push-first", build, out, None, tmp), "commit": [], "same": []}
    if res["first"]["rc"]:
        return res
    ts = int(sh("git", "-C", repo, "log", "-1", "--format=%ct").strip())
    plans = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "content", "plans"))
                   for f in fs if f.endswith(".md"))
    for k in range(n):
        bump_progress(plans[(k * 7919) % len(plans)])
        date = "@%d +0700" % (ts + 60 * (k + 1))
        subprocess.run(["git", "-C", repo, "commit", "-q", "-a", "-m", "Cập nhật tiến độ (bench %d)" % (k + 1)],
                       check=True, env=dict(GIT_ENV, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date))
        for key in ("commit", "same"):
            r = measure("push-" + key, build, out, None, tmp, fresh=False)
            if r["rc"]:
                res["failed"] = r
                return res
            res[key].append(r)
    # honesty check: the site published by these builds is the one a clean build writes
    r = measure("push-clean", [PLANSITE, "build", "--repo", repo, "--out", clean], clean, None, tmp)
    if not r["rc"]:
        d = subprocess.run(["diff", "-rq", out, clean], stdout=subprocess.PIPE, text=True)
        res["identical"] = d.returncode == 0
        res["differences"] = d.stdout.splitlines()[:5]
    rmtree(clean)
    rmtree(out)
    rmtree(repo)
    return res


# ---- issue #14: a portal of many sources against one repository ---------------------------

def sources_case(tmp):
    mono = corpus("corpus-%d" % (SOURCES * SOURCE_PLANS), SOURCES * SOURCE_PLANS, TASKS, COMMITS)
    port_dir = portal_corpus(mono, SOURCES)
    portal = os.path.join(port_dir, "portal")
    srcs = sorted(os.path.join(port_dir, "sources", s) for s in os.listdir(os.path.join(port_dir, "sources")))
    res = {"sources": SOURCES, "plans_each": SOURCE_PLANS, "mono": [], "portal": []}
    out_m, out_p = os.path.join(OUTDIR, "mono-out"), os.path.join(OUTDIR, "portal-out")

    def run_portal():
        clear_state(portal, *srcs)
        return measure("portal", [PLANSITE, "build", "--repo", portal, "--out", out_p], out_p, None, tmp)

    def run_mono():
        clear_state(mono)
        return measure("mono", [PLANSITE, "build", "--repo", mono, "--out", out_m], out_m, None, tmp)

    # does this plansite know sources?  Try: a portal build must publish sources.json and every plan
    r = run_portal()
    m = run_mono()
    if m["rc"]:
        res["skipped"] = "the one-repository build failed (status %d)" % m["rc"]
    elif r["rc"]:
        last = (r.get("stderr") or "").strip().splitlines()
        res["skipped"] = "no sources support (the portal build exited with status %d%s)" % (
            r["rc"], ": " + last[-1] if last else "")
    elif not os.path.exists(os.path.join(out_p, "du-lieu", "sources.json")):
        res["skipped"] = "no sources support (the portal built %s plans of %s and wrote no du-lieu/sources.json)" % (
            plan_count(out_p), plan_count(out_m))
    elif plan_count(out_p) != plan_count(out_m):
        res["skipped"] = "the portal published %s plans, the one repository %s" % (plan_count(out_p), plan_count(out_m))
    else:
        res["plans"] = plan_count(out_p)
        for rnd in range(RUNS_SOURCES):
            for name, fn in ([("mono", run_mono), ("portal", run_portal)] if rnd % 2 == 0
                             else [("portal", run_portal), ("mono", run_mono)]):
                x = fn()
                if x["rc"]:
                    res["skipped"] = "a %s build failed (status %d)" % (name, x["rc"])
                    break
                res[name].append(x)
            if "skipped" in res:
                break
    if "skipped" not in res and RUNS_SOURCES:
        res["push"] = source_push(port_dir, mono, tmp)
    rmtree(out_m)
    rmtree(out_p)
    return res


def bump_progress(path):
    """One task's progress changed in plan file path (as a push of the week's report does)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^(    progress: )(\d+)$", lambda m: m.group(1) + str((int(m.group(2)) + 10) % 110),
                  text, count=1, flags=re.M)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def source_push(port_dir, mono, tmp):
    """Issue #14 point 6: after a push of one commit to one source, the portal's build (its
    state and the history caches kept) against the same push to the one repository.  The
    pushed source is a copy given with --source-repo and the one repository a clone, so the
    corpora stay as their stamps say.  --verbose says how many commits the history read
    from Git."""
    work = os.path.join(WORK, "source-push")
    rmtree(work)
    os.makedirs(work)
    portal = os.path.join(port_dir, "portal")
    first = sorted(glob.glob(os.path.join(port_dir, "sources", "*.git")))[0]
    sid = os.path.basename(first)[:-len(".git")]
    bare = os.path.join(work, sid + ".git")
    shutil.copytree(first, bare, symlinks=True)
    mrepo = os.path.join(work, "mono")
    subprocess.run(["git", "clone", "-q", "--local", mono, mrepo], check=True)
    out_p, out_m = os.path.join(OUTDIR, "push-portal-out"), os.path.join(OUTDIR, "push-mono-out")
    builds = (("portal", [PLANSITE, "build", "--repo", portal, "--source-repo", "%s=%s" % (sid, bare)], out_p),
              ("mono", [PLANSITE, "build", "--repo", mrepo], out_m))
    res = {}
    for name, cmd, out in builds:
        r = measure("source-push-%s-first" % name, cmd + ["--out", out], out, None, tmp)
        if r["rc"]:
            res["skipped"] = "the first %s build failed" % name
            return res
    # one commit to the source (through a work clone, pushed to its bare repository)
    wc = os.path.join(work, "wc")
    subprocess.run(["git", "clone", "-q", bare, wc], check=True)
    plan = sorted(glob.glob(os.path.join(wc, "content", "plans", "**", "*.md"), recursive=True))[0]
    rel = os.path.relpath(plan, wc)
    ts = int(sh("git", "-C", wc, "log", "-1", "--format=%ct").strip()) + 60
    date = "@%d +0700" % ts
    genv = dict(GIT_ENV, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    bump_progress(plan)
    subprocess.run(["git", "-C", wc, "commit", "-q", "-a", "-m", "Cập nhật tiến độ (bench)"], check=True, env=genv)
    subprocess.run(["git", "-C", wc, "push", "-q", "origin", "HEAD"], check=True)
    # the same change in the one repository
    mplan = os.path.join(mrepo, rel)
    if os.path.exists(mplan):
        bump_progress(mplan)
        subprocess.run(["git", "-C", mrepo, "commit", "-q", "-a", "-m", "Cập nhật tiến độ (bench)"], check=True,
                       env=genv)
    for name, cmd, out in builds:
        r = measure("source-push-" + name, cmd + ["--verbose", "--out", out], out, None, tmp, fresh=False)
        if r["rc"]:
            res["skipped"] = "the %s build after the push failed" % name
            return res
        with open(os.path.join(tmp, "source-push-%s.stderr" % name), errors="replace") as f:
            m = re.search(r"lịch sử: (\d+) commit, (\d+) lấy từ bộ nhớ đệm, (\d+) đọc từ Git", f.read())
        if m:
            r["history"] = {"commits": int(m.group(1)), "cached": int(m.group(2)), "git": int(m.group(3))}
        res[name] = r
    rmtree(out_p)
    rmtree(out_m)
    rmtree(work)
    return res


def main():
    if not os.access(PLANSITE, os.X_OK):
        die("%s is missing; run: make bench" % PLANSITE)
    if not os.access(FLOOR, os.X_OK):
        die("%s is missing; run: make bench (it builds the floor program)" % FLOOR)
    if not os.path.isfile(GENCORPUS):
        die("%s not found (set GENCORPUS)" % GENCORPUS)
    hugo = HUGO if HUGO and os.access(HUGO, os.X_OK) else ""
    if not hugo:
        log("HUGO IS NOT INSTALLED (%s): the Hugo-same target will say NOT MEASURED; "
            "install it with: apt-get install hugo" % (HUGO or "no hugo on PATH"))
    if not TIME:
        log("/usr/bin/time is missing (apt-get install time): peak memory is read with wait4(2) and "
            "includes this harness's own")
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(OUTDIR, exist_ok=True)
    tmp = os.path.join(WORK, "logs")
    rmtree(tmp)
    os.makedirs(tmp)
    ver = sh(PLANSITE, "--version").splitlines()[0]
    res = {"config": {"plans": PLANS, "tasks": TASKS, "commits": COMMITS, "runs": RUNS, "edits": EDITS,
                      "pushes": PUSHES, "bench_10k": BENCH_10K, "plans_10k": PLANS_10K, "commits_10k": COMMITS_10K,
                      "runs_10k": RUNS_10K, "outdir": OUTDIR, "keep_outputs": KEEP_OUTPUTS},
           "machine": {"cores": os.cpu_count(), "loadavg_start": list(os.getloadavg()),
                       "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())},
           "plansite": ver, "hugo": sh(hugo, "version").strip() if hugo else None,
           "hugo_missing": None if hugo else (HUGO or "hugo is not on PATH"), "gnu_time": bool(TIME),
           "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True).stdout.strip()}
    c1k = corpus("corpus-%d" % PLANS, PLANS, TASKS, COMMITS)
    c10k = corpus("corpus-%d" % PLANS_10K, PLANS_10K, TASKS, COMMITS_10K) if BENCH_10K else None

    log("1k: a warm-up round, then %d paired rounds (plansite without state, with state, Hugo-same, floor)" % RUNS)
    t = cpu_now()
    res["1k"] = paired("1k", c1k, RUNS, tmp, hugo=bool(hugo))
    res["1k"]["load"] = load_section(t)
    if EDITS:
        log("serve --worktree: %d edits" % EDITS)
        settled = settle("serve")
        t = cpu_now()
        res["serve"] = serve_edits(c1k, EDITS, tmp)
        res["serve"]["settled_s"] = settled
        res["serve"]["load"] = load_section(t)
    if PUSHES:
        log("push: %d builds after one new commit, each followed by a build with nothing changed" % PUSHES)
        settled = settle("push")
        t = cpu_now()
        res["push"] = pushes(c1k, PUSHES, tmp)
        res["push"]["settled_s"] = settled
        res["push"]["load"] = load_section(t)
    if c10k:
        log("10k: %d rounds (plansite without state, with state, floor; plansite without state and the floor "
            "each preceded by their 1k run, for the 10k/1k pairs); Hugo is not run at 10k" % RUNS_10K)
        settled = settle("10k")
        t = cpu_now()
        small = {"repo": c1k, "sizes": os.path.join(tmp, "1k-sizes.txt")}
        if not os.path.exists(small["sizes"]):
            small = None   # the 1k rounds failed: nothing to pair with
        res["10k"] = paired("10k", c10k, RUNS_10K, tmp, hugo=False, warmup=False, small=small)
        res["10k"]["settled_s"] = settled
        res["10k"]["load"] = load_section(t)
    if BENCH_SOURCES:
        log("#14: a portal of %d sources x %d plans against one repository of the same plans"
            % (SOURCES, SOURCE_PLANS))
        settled = settle("#14")
        t = cpu_now()
        res["sources"] = sources_case(tmp)
        res["sources"]["settled_s"] = settled
        res["sources"]["load"] = load_section(t)
    res["machine"]["loadavg_end"] = list(os.getloadavg())
    path = os.path.join(WORK, "results.json")
    with open(path, "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False)
    log("results in %s; logs in %s" % (path, tmp))
    sys.exit(subprocess.run([sys.executable, os.path.join(ROOT, "bench", "summary.py"), path]).returncode)


if __name__ == "__main__":
    main()
