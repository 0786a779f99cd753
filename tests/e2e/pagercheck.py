#!/usr/bin/env python3
"""pagercheck.py OUT LIST_DIR MIN_PAGES: the pages of the paginated list at
/LIST_DIR of the built site OUT (LIST_DIR/index.html, LIST_DIR/trang/<n>/
index.html) number MIN_PAGES or more; each page's pagers name it as the
current page, link only to pages of the list, to its neighbours (prev,
next), to the first and the last, and to at most 9 pages however long the
list is (a window, with ellipses around it in the middle); and every page
is reachable from the first by following those links.  Prints how many
pages and links; exits non-zero on the first failure."""
import os, re, sys
out, d, least = sys.argv[1], sys.argv[2], int(sys.argv[3])
def url(i): return f"/{d}" if i == 1 else f"/{d}trang/{i}/"
def path(i): return os.path.join(out, url(i).lstrip("/"), "index.html")
n = 1
while os.path.exists(path(n + 1)):
    n += 1
assert n >= least, f"{d}: {n} pages, want {least} or more"
links = {}
for i in range(1, n + 1):
    h = open(path(i), encoding="utf-8").read()
    # the list's pagers: a page may have other navigation styled alike
    # (a weekly report's links to the weeks before and after)
    navs = [nav for nav in re.findall(r'<nav class="pager" aria-label="[^"]+">.*?</nav>', h, re.S)
            if re.search(rf'href="/{re.escape(d)}', nav)]
    assert navs, f"{url(i)}: no pager"
    to = set()
    for nav in navs:
        cur = re.findall(r'<span aria-current="page">(\d+)</span>', nav)
        assert cur == [str(i)], f"{url(i)}: current {cur}"
        hrefs = re.findall(r'href="([^"]+)"', nav)
        for u in hrefs:
            m = re.fullmatch(rf"/{re.escape(d)}(?:trang/(\d+)/)?", u)
            assert m, f"{url(i)}: pager links outside its list: {u}"
            k = int(m.group(1) or 1)
            assert 1 <= k <= n and not (m.group(1) and k == 1), f"{url(i)}: {u}"
            to.add(k)
        if i > 1:
            assert f'href="{url(i - 1)}" rel="prev"' in nav, f"{url(i)}: no previous"
        if i < n:
            assert f'href="{url(i + 1)}" rel="next"' in nav, f"{url(i)}: no next"
        if 5 < i < n - 4:
            assert nav.count("…") == 2, f"{url(i)}: no ellipses around the window"
    assert len(to) <= 9, f"{url(i)} links to {len(to)} pages: {sorted(to)}"
    assert {1, n} <= to | {i}, f"{url(i)}: not the first and last: {sorted(to)}"
    links[i] = to
seen, todo = {1}, [1]
while todo:
    for k in links[todo.pop()]:
        if k not in seen:
            seen.add(k)
            todo.append(k)
assert seen == set(range(1, n + 1)), f"{d}: unreachable {sorted(set(range(1, n + 1)) - seen)}"
print(f"{d}: {n} pages, at most {max(len(v) for v in links.values())} links each")
