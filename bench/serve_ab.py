#!/usr/bin/env python3
"""serve_ab.py CORPUS WORK ROUNDS BIN_A BIN_B: an A/B of `plansite serve --worktree` edits.

Serves a clone of CORPUS (in WORK) with each binary at once (PLANSITE_TIMING=1,
stderr in WORK/serve-A.stderr, WORK/serve-B.stderr), then ROUNDS rounds; in each
round each server in turn (the order flips every round) gets two edits of the
middle plan's title as bench.py's serve_edits makes them (the second 0.3 s after
the first's page showed it, so it drops the rest of the first's build), after
both servers are idle.  Per edit: the time to the reload event and to the page
showing the edit, and the server's CPU time (user + system, /proc) and minor
page faults from the write to the reload event.  Prints every edit and the
medians per binary (wall times are noise on a shared machine; the CPU and the
faults are steadier).  A binary finds its theme beside it (theme.c): copy one
with a `themes` link next to it, or pass one in its worktree.  Removes WORK's
clones at the end."""
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, http_get as get  # noqa: E402 (the bench's own helpers)

CORPUS, WORK, ROUNDS, BINS = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:6]
TCK = os.sysconf("SC_CLK_TCK")


def proc(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TCK, int(f[7])


def idle(s):
    while True:
        try:
            st = get(s["port"], "/__plansite/status", 5)[1]
            if st.startswith((b"ok", b"failed")) and b"still rendering" not in st.split(b"\n")[0]:
                return st
        except OSError:
            pass
        if s["p"].poll() is not None:
            sys.exit("the server %s exited" % s["bin"])
        time.sleep(0.1)


def edit(s, n):
    port = s["port"]
    marker = "ABEDIT%d" % n
    ev = socket.create_connection(("127.0.0.1", port), timeout=600)
    ev.sendall(b"GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    got = b""
    while b": plansite" not in got:
        got += ev.recv(4096)
    with open(s["plan"], encoding="utf-8") as f:
        text = f.read()
    text, k = re.subn(r'^title: "(.*?)( ABEDIT\d+)?"$', lambda m: 'title: "%s %s"' % (m.group(1), marker),
                      text, count=1, flags=re.M)
    assert k, "no title line in " + s["plan"]
    c0, f0 = proc(s["p"].pid)
    t0 = time.monotonic()
    with open(s["plan"], "w", encoding="utf-8") as f:
        f.write(text)
    got = b""
    while b"event: reload" not in got:
        chunk = ev.recv(4096)
        if not chunk:
            sys.exit("the event stream closed")
        got += chunk
    te = time.monotonic() - t0
    c1, f1 = proc(s["p"].pid)
    ev.close()
    while marker.encode() not in get(port, s["url"], 600)[1]:
        time.sleep(0.02)
    tp = time.monotonic() - t0
    s["rows"].append((te, tp, c1 - c0, f1 - f0))
    print("%s edit %d: reload %.3f s, page %.3f s, cpu %.3f s, %d faults" % (s["name"], n, te, tp, c1 - c0, f1 - f0),
          flush=True)


servers = []
try:
    os.makedirs(WORK, exist_ok=True)
    for name, b in zip("AB", BINS):
        repo = os.path.join(WORK, "serve-ab-" + name)
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", "--local", CORPUS, repo], check=True)
        port = free_port()
        err = open(os.path.join(WORK, "serve-%s.stderr" % name), "wb")
        p = subprocess.Popen([b, "serve", "--repo", repo, "--worktree", "--port", str(port)], stdout=err,
                             stderr=err, start_new_session=True, env=dict(os.environ, PLANSITE_TIMING="1"))
        plans = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "content", "plans"))
                       for f in fs if f.endswith(".md"))
        plan = plans[len(plans) // 2]
        servers.append(dict(name=name, bin=b, repo=repo, port=port, p=p, rows=[], plan=plan,
                            url="/ke-hoach/%s/" % os.path.basename(plan)[:-3]))
    for s in servers:
        print("%s: %s: %s" % (s["name"], s["bin"], idle(s).split(b"\n")[0].decode()), flush=True)
    n = 0
    for r in range(ROUNDS):
        for s in (servers if r % 2 == 0 else servers[::-1]):
            for x in servers:
                idle(x)
            time.sleep(1.0)
            n += 1
            edit(s, n)
            time.sleep(0.3)
            n += 1
            edit(s, n)
    for s in servers:
        rows = s["rows"]
        med = [statistics.median(x[i] for x in rows) for i in range(4)]
        print("%s %s: %d edits, medians: reload %.3f s, page %.3f s, cpu to the reload %.3f s, %d faults"
              % (s["name"], s["bin"], len(rows), med[0], med[1], med[2], med[3]))
finally:
    for s in servers:
        s["p"].send_signal(signal.SIGTERM)
    for s in servers:
        try:
            s["p"].wait(120)
        except subprocess.TimeoutExpired:
            s["p"].kill()
        shutil.rmtree(s["repo"], ignore_errors=True)
