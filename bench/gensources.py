#!/usr/bin/env python3
"""Split a gencorpus.py repository into a multi-source portal (issue #14's scale case).

  gensources.py MONO OUT --sources N

MONO is a repository written by ../shared/tools/gencorpus.py (content/site.yaml,
units.yaml, documents.yaml at its first commit, plans under
content/plans/<province>/, later commits changing plans only).  OUT gets:

  OUT/sources/nguon-001.git ... nguon-NNN.git   bare repositories, branch main, each
      holding about the same number of plans (content/plans/...), with the
      history of those plans: every commit of MONO that touched one of them
      becomes a commit of that source with the same author, dates and message;
  OUT/portal    a repository (branch main, checked out) with content/site.yaml
      (MONO's, plus a `sources:` list naming each source's repo by absolute path
      and its owner), units.yaml and documents.yaml, committed with the date of
      MONO's last commit so both builds judge deadlines on the same day.

A source's plans all come from one province folder, and its owner is that
province's People's Committee (ubnd-tinh-<folder>), the parent of every
department that issues them, so every plan passes the ownership check.  The
sources are shared out among the provinces in proportion to their plans
(largest remainder), and each province's plans, sorted by path, are cut into
runs of nearly equal length.  The plan files are MONO's byte for byte, so the
portal and MONO publish the same plans.
"""
import argparse, os, re, subprocess, sys


def read_export(mono):
    """MONO's first-parent history as [(header_lines, message, [(path, blob_bytes)])], oldest first."""
    p = subprocess.run(["git", "-C", mono, "fast-export", "--reencode=yes", "--signed-tags=strip", "main"],
                       check=True, stdout=subprocess.PIPE)
    data, i, n = p.stdout, 0, len(p.stdout)
    blobs, commits = {}, []

    def line():
        nonlocal i
        j = data.index(b"\n", i)
        s = data[i:j]
        i = j + 1
        return s

    def payload(hdr):
        nonlocal i
        if not hdr.startswith(b"data "):
            raise SystemExit("gensources: unexpected fast-export line %r" % hdr[:60])
        k = int(hdr[5:])
        s = data[i:i + k]
        i += k
        if i < n and data[i:i + 1] == b"\n":
            i += 1
        return s

    while i < n:
        s = line()
        if s == b"blob":
            mark = line()
            blobs[mark[6:]] = payload(line())
        elif s.startswith(b"commit "):
            hdr, files = [], []
            s = line()
            while not s.startswith(b"data "):
                if s.startswith((b"author ", b"committer ")):
                    hdr.append(s)
                s = line()
            msg = payload(s)
            while i < n and data[i:i + 1] not in (b"\n",) and not data.startswith((b"commit ", b"blob", b"reset ", b"tag ", b"done"), i):
                s = line()
                if s.startswith(b"M "):
                    _, mode, ref, path = s.split(b" ", 3)
                    if mode != b"100644" or not ref.startswith(b":"):
                        raise SystemExit("gensources: unsupported change %r" % s[:80])
                    files.append((path.decode(), blobs[ref[1:]]))
                elif s.startswith((b"from ", b"merge ")):
                    if s.startswith(b"merge "):
                        raise SystemExit("gensources: MONO has merges; want gencorpus.py's linear history")
                elif s.startswith(b"D ") or s.startswith(b"R ") or s.startswith(b"C "):
                    raise SystemExit("gensources: unsupported change %r" % s[:80])
            commits.append((hdr, msg, files))
        elif s == b"" or s.startswith((b"reset ", b"from ", b"done", b"feature ")):
            continue
        else:
            raise SystemExit("gensources: unexpected fast-export line %r" % s[:60])
    return commits


def share(counts, total):
    """Largest-remainder split of total sources among provinces by plan count, at least 1 each."""
    n = sum(counts.values())
    if total < len(counts):
        raise SystemExit("gensources: %d sources for %d province folders: need at least one source each"
                         % (total, len(counts)))
    exact = {k: total * c / n for k, c in counts.items()}
    got = {k: max(1, int(v)) for k, v in exact.items()}
    order = sorted(counts, key=lambda k: (-(exact[k] - int(exact[k])), k))
    j = 0
    while sum(got.values()) < total:
        got[order[j % len(order)]] += 1
        j += 1
    while sum(got.values()) > total:
        k = max((k for k in got if got[k] > 1), key=lambda k: (got[k] - exact[k], k))
        got[k] -= 1
    return got


def fast_import(repo, bare, commits):
    """Write commits ([(header_lines, message, [(path, bytes)])]) as branch main of a new repo."""
    subprocess.run(["git", "init", "-q", "-b", "main"] + (["--bare"] if bare else []) + [repo], check=True)
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    w = fi.stdin
    for hdr, msg, files in commits:
        w.write(b"commit refs/heads/main\n")
        for h in hdr:
            w.write(h + b"\n")
        w.write(b"data %d\n%s\n" % (len(msg), msg))
        for path, text in files:
            w.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(text), text))
    w.close()
    if fi.wait():
        raise SystemExit("gensources: git fast-import failed for " + repo)
    if not bare:
        subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mono")
    ap.add_argument("out")
    ap.add_argument("--sources", type=int, default=100)
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    if os.path.exists(out):
        raise SystemExit("gensources: %s exists" % out)
    commits = read_export(a.mono)
    plan = re.compile(r"^content/plans/([^/]+)/.+\.md$")
    paths = sorted({p for _, _, fs in commits for p, _ in fs if plan.match(p)})
    by_prov = {}
    for p in paths:
        by_prov.setdefault(plan.match(p).group(1), []).append(p)
    if a.sources > len(paths):
        raise SystemExit("gensources: %d sources for %d plans" % (a.sources, len(paths)))
    per = share({k: len(v) for k, v in by_prov.items()}, a.sources)
    owner, src = {}, {}
    k = 0
    for prov in sorted(by_prov):
        ps, m = by_prov[prov], per[prov]
        for j in range(m):
            k += 1
            sid = "nguon-%03d" % k
            owner[sid] = "ubnd-tinh-" + prov
            for p in ps[len(ps) * j // m:len(ps) * (j + 1) // m]:
                src[p] = sid
    # the portal: MONO's other files, with the sources added to site.yaml
    portal = {}
    for _, _, fs in commits:
        for p, text in fs:
            if p not in src:
                portal[p] = text
    site = portal.get("content/site.yaml", b"").rstrip(b"\n")
    lines = [site.decode(), "sources:"]
    for sid in sorted(owner):
        lines += ["  - id: " + sid, "    repo: " + os.path.join(out, "sources", sid + ".git"),
                  "    ref: main", "    content: content", "    owner: " + owner[sid]]
    portal["content/site.yaml"] = ("\n".join(lines) + "\n").encode()
    os.makedirs(os.path.join(out, "sources"))
    per_src = {sid: [] for sid in owner}
    for hdr, msg, fs in commits:
        touched = {}
        for p, text in fs:
            if p in src:
                touched.setdefault(src[p], []).append((p, text))
        for sid, files in touched.items():
            per_src[sid].append((hdr, msg, files))
    for sid in sorted(per_src):
        fast_import(os.path.join(out, "sources", sid + ".git"), True, per_src[sid])
    last = commits[-1][0]
    msg = ("Cổng tổng hợp %d nguồn" % len(owner)).encode()
    fast_import(os.path.join(out, "portal"), False, [(last, msg, sorted(portal.items()))])
    counts = {}
    for sid in src.values():
        counts[sid] = counts.get(sid, 0) + 1
    print("gensources: %d plans in %d sources (%d-%d plans each), portal %s"
          % (len(paths), len(owner), min(counts.values()), max(counts.values()), os.path.join(out, "portal")),
          file=sys.stderr)

if __name__ == "__main__":
    main()
