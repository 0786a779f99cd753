#!/usr/bin/env python3
"""serve_edits.py PLANSITE REPO COPY PORT WORK: edits the work tree that
`plansite serve --worktree --port PORT` serves (REPO) in several ways and,
after each, checks over HTTP that every file the server gives equals what
`plansite build --worktree` makes of the same work tree (built in COPY, a
copy of REPO that receives the same edits, into WORK).

The files are fetched as soon as the reload event arrives, the lists
first, while the server may still be rendering them: a file served then
must already be the new one (or the request must wait for it), never the
previous build's.  Prints TAP-like "ok"/"not ok" lines; exits 1 when one
failed."""
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time

PLANSITE, REPO, COPY, PORT, WORK = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
BASE = "http://127.0.0.1:%d/" % PORT
INJECT = (b'<link rel="stylesheet" href="/__plansite/overlay.css">'
          b'<script src="/__plansite/reload.js"></script>\n')
FAILS = 0
EARLY = 0   # edits whose page was served while the rest still rendered


def ok(cond, desc):
    global FAILS
    print(("ok - " if cond else "not ok - ") + desc, flush=True)
    if not cond:
        FAILS += 1
    return cond


def get(path, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def status():
    return get("/__plansite/status")[1].decode("utf-8", "replace")


def events():
    """An open event stream, past its greeting."""
    ev = socket.create_connection(("127.0.0.1", PORT), timeout=180)
    ev.sendall(b"GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % PORT)
    got = b""
    while b": plansite" not in got:
        chunk = ev.recv(4096)
        if not chunk:
            raise OSError("the event stream closed")
        got += chunk
    return ev


def wait_reload(ev):
    got = b""
    while b"event: reload" not in got:
        chunk = ev.recv(4096)
        if not chunk:
            raise OSError("the event stream closed before a reload")
        got += chunk
    ev.close()


def strip_serve(body):
    """A served HTML page as `plansite build` writes it: without the
    preview's script and without the report over the page."""
    body = body.replace(INJECT, b"", 1)
    m = re.search(rb'<div id="plansite-warnings" role="alert">.*?</div>\n', body, re.S)
    if m:
        body = body[:m.start()] + body[m.end():]
    return body


MESSAGE = re.compile(r"^.*: (error|warning): \[[EW]\d{3}\] .*$", re.M)


def messages(text):
    """The located messages of a report, in its order."""
    return [m.group(0) for m in MESSAGE.finditer(text)]


REPORTS = {}   # reference k -> its messages


def reference(k):
    out = os.path.join(WORK, "ref-%d" % k)
    r = subprocess.run([PLANSITE, "build", "--repo", COPY, "--worktree", "--out", out, "--base-url", BASE],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        return None, {}
    REPORTS[k] = messages(r.stderr.decode("utf-8", "replace"))
    files = {}
    for d, _, fs in os.walk(out):
        for f in fs:
            full = os.path.join(d, f)
            rel = os.path.relpath(full, out)
            if rel.startswith(".plansite-"):
                continue
            files[rel] = full
    return out, files


def url_of(rel):
    return "/" + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)


def first_lists(rel):
    """Lists, open data and the search index first: the files a build
    renders last."""
    late = ("thoi-han/", "du-lieu/", "tim-kiem/", "thay-doi/", "bao-cao-tuan/", "ke-hoach/index.html",
            "don-vi/index.html", "van-ban/index.html", "sitemap.xml", "feed")
    return (0 if rel.startswith(late) else 1, rel)


def compare_messages(name, want):
    """Once the build has ended, the server's report names the same
    messages as plansite build's, in the same order: those of the files
    the edit did not touch too (serve parses only the files that changed)."""
    t0 = time.monotonic()
    st = status()
    while "still rendering" in st and time.monotonic() - t0 < 120:
        time.sleep(0.05)
        st = status()
    have = messages(st)
    diff = [m for m in want if m not in have][:2] + [m for m in have if m not in want][:2]
    ok(have == want, "%s: the server reports the %d messages plansite build --worktree reports%s" %
       (name, len(want), "" if have == want else " (has %d; differ: %s)" % (len(have), " | ".join(diff))))


def compare(name, files, gone, page):
    """Fetches every file of the reference (the lists first) and the files
    that are gone, checking each; page: the edited plan's address, fetched
    first of all."""
    t0 = time.monotonic()
    code, body = get(page)
    st = status()
    global EARLY
    if "still rendering" in st:
        EARLY += 1
    bad = []
    for rel in sorted(files, key=first_lists):
        code, body = get(url_of(rel))
        want = open(files[rel], "rb").read()
        have = strip_serve(body) if rel.endswith(".html") else body
        if code != 200 or have != want:
            bad.append("%s (HTTP %d, %d bytes, want %d)" % (rel, code, len(have), len(want)))
    ok(not bad, "%s: the %d files served equal plansite build --worktree's%s" %
       (name, len(files), "" if not bad else ": " + ", ".join(bad[:5])))
    for rel in gone:
        code, _ = get(url_of(rel))
        ok(code == 404, "%s: %s is gone (HTTP %d)" % (name, url_of(rel), code))
    return time.monotonic() - t0


def edit_file(root, rel, fn):
    p = os.path.join(root, rel)
    with open(p, encoding="utf-8") as f:
        text = f.read()
    new = fn(text)
    assert new != text, rel
    with open(p, "w", encoding="utf-8") as f:
        f.write(new)


def sub1(pat, rep):
    return lambda t: re.sub(pat, rep, t, count=1, flags=re.M)


PLAN = "content/plans/lon-3.md"
PAGE = "/ke-hoach/4-kh-l/"
NEW = "content/plans/moi.md"
NEW_TEXT = ("---\nnumber: \"9/KH-MOI\"\ntitle: \"Kế hoạch mới thêm\"\nissuer: Sở B\ndate: 2025-02-01\n"
            "tasks:\n  - { id: \"1\", title: \"Việc mới\", lead: Sở C, output: x, due: 30/06/2026, "
            "status: not_started }\n---\n")

WARN = "content/plans/canh-bao.md"
WARN_TEXT = ("---\nnumber: \"8/KH-CB\"\ntitle: \"Kế hoạch có cảnh báo\"\nissuer: Sở B\ndate: 2025-02-01\n"
             "tasks:\n  - { id: \"1\", title: \"Việc xong một nửa\", lead: Sở C, output: x, due: 30/06/2026, "
             "status: in_progress, progress: 100 }\n---\n")

# (name, [(path, function or text or None to delete)], the page to fetch first)
EDITS = [
    ("title", [(PLAN, sub1(r'^title: ".*"$', 'title: "Kế hoạch lớn ba, tên mới"'))], PAGE),
    ("status", [(PLAN, sub1(r'(id: "2", .*?)status: in_progress', r'\1status: done, completed: 2025-01-03'))], PAGE),
    ("deadline", [(PLAN, sub1(r'(id: "5", .*?)due: "[^"]*"', r'\1due: "31/12/2026"'))], PAGE),
    ("unit", [(PLAN, sub1(r'(id: "7", .*?)lead: [^,]*,', r'\1lead: Sở C,'))], PAGE),
    ("a new plan file", [(NEW, NEW_TEXT)], "/ke-hoach/9-kh-moi/"),
    ("a deleted plan", [("content/plans/lon-5.md", None)], PAGE),
    ("two edits in a row", [(PLAN, sub1(r'^title: ".*"$', 'title: "Tên thứ nhất"')),
                            (PLAN, sub1(r'^title: ".*"$', 'title: "Tên thứ hai"'))], PAGE),
    # the server keeps each file's parse: what it can get wrong
    ("a plan with a warning", [(WARN, WARN_TEXT)], "/ke-hoach/8-kh-cb/"),
    ("a temporary title", [(PLAN, sub1(r'^title: ".*"$', 'title: "Tên tạm"'))], PAGE),
    ("the file back to its earlier bytes", [(PLAN, sub1(r'^title: ".*"$', 'title: "Tên thứ hai"'))], PAGE),
    ("units.yaml: a unit gone (unchanged plans name it)",
     [("content/units.yaml", sub1(r'^- \{ id: so-c,.*\n', ''))], PAGE),
    ("units.yaml: the unit back under a new name, the old one an alias",
     [("content/units.yaml", lambda t: t + '- { id: so-c, name: Sở Công Thương, aliases: [Sở C], kind: agency }\n')],
     PAGE),
    ("documents.yaml: the document renamed",
     [("content/documents.yaml", sub1(r'title: "[^"]*"', 'title: "Tên mới của nghị quyết"'))], PAGE),
    ("a renamed plan file", [("content/plans/nho-3.md", ("rename", "content/plans/nho-3-moi.md"))],
     "/ke-hoach/4-kh-n/"),
    ("the plan with a warning edited elsewhere", [(WARN, sub1(r'^title: ".*"$', 'title: "Cảnh báo, tên mới"'))],
     "/ke-hoach/8-kh-cb/"),
]


def apply(root, changes):
    for rel, what in changes:
        p = os.path.join(root, rel)
        if what is None:
            os.remove(p)
        elif isinstance(what, tuple):
            os.rename(p, os.path.join(root, what[1]))
        elif isinstance(what, str):
            with open(p, "w", encoding="utf-8") as f:
                f.write(what)
        else:
            edit_file(root, rel, what)


def main():
    _, prev = reference(0)
    ok(bool(prev), "the reference build of the work tree as it is")
    for k, (name, changes, page) in enumerate(EDITS, 1):
        apply(COPY, changes)
        _, files = reference(k)
        if not ok(bool(files), "%s: the reference build" % name):
            return
        ev = events()
        if len(changes) == 1:
            apply(REPO, changes)
            wait_reload(ev)
        else:
            # the second edit lands while the first one's build runs: the
            # server must end with the second
            apply(REPO, changes[:1])
            wait_reload(ev)
            apply(REPO, changes[1:])
            want = open(files[page[1:] + "index.html"], "rb").read()
            t0 = time.monotonic()
            while strip_serve(get(page)[1]) != want and time.monotonic() - t0 < 120:
                time.sleep(0.05)
        compare(name, files, sorted(set(prev) - set(files)), page)
        compare_messages(name, REPORTS[k])
        prev = files
        last = k

    # a syntax error, then its fix
    ev = events()
    edit_file(REPO, PLAN, lambda t: t.replace("tasks:\n", "tasks:\n  - { id: \"99\", title: [\n", 1))
    wait_reload(ev)
    st = status()
    ok(st.startswith("failed"), "a syntax error: the status says the build failed (%s)" % st.split("\n")[0])
    ok(any("warning: [W019]" in m and "canh-bao.md" in m for m in messages(st)),
       "a syntax error: the report still names the warning of a plan not edited")
    code, body = get(PAGE)
    text = body.decode("utf-8", "replace")
    ok(code == 200 and 'id="plansite-errors"' in text,
       "a syntax error: the page carries the error report (HTTP %d)" % code)
    ok(re.search(r"content/plans/lon-3\.md:\d+:\d+: error: ", text) is not None,
       "a syntax error: ... with the located message")
    # another file edited while the error stays: the broken file is kept
    # as it was parsed, and its error is still reported
    ev = events()
    edit_file(REPO, "content/plans/nho-1.md", sub1(r'^title: ".*"$', 'title: "Kế hoạch nhỏ, sửa khi còn lỗi"'))
    wait_reload(ev)
    st = status()
    ok(st.startswith("failed") and re.search(r"content/plans/lon-3\.md:\d+:\d+: error: ", st) is not None,
       "a syntax error kept while another file is edited: still failed, with the located message (%s)" %
       st.split("\n")[0])
    apply(COPY, [("content/plans/nho-1.md", sub1(r'^title: ".*"$', 'title: "Kế hoạch nhỏ, sửa khi còn lỗi"'))])
    _, prev = reference(len(EDITS) + 1)
    last = len(EDITS) + 1
    ev = events()
    edit_file(REPO, PLAN, lambda t: t.replace("  - { id: \"99\", title: [\n", "", 1))
    wait_reload(ev)
    compare("the syntax error fixed", prev, [], PAGE)
    compare_messages("the syntax error fixed", REPORTS[last])
    ok(not status().startswith("failed"), "the syntax error fixed: the status is no longer failed")
    ok(EARLY > 0, "the page an edit changed was served before the rest of its build ended "
       "(%d of %d edits)" % (EARLY, len(EDITS) + 1))


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        ok(False, "serve: %s" % e)
    sys.exit(1 if FAILS else 0)
