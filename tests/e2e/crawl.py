#!/usr/bin/env python3
"""crawl.py OUT [MAX_BYTES]: a citizen's walk of the built site OUT.

Starts at /index.html and follows every <a href> to a page of the site
(paths starting with "/", or absolute addresses under the site's base_url
read from du-lieu/site.json if any), breadth first.  Checks that every HTML
page of OUT is reached (404.html apart), so no row moved to a next page is
lost behind a pager, and, with MAX_BYTES, that no HTML page is larger.
Prints "N pages, M reached, largest B bytes (PATH)"; then one line a page
not reached or too large; exits 1 when there is any."""
import html.parser
import os
import sys
import urllib.parse

out = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else None


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == 'a':
            for k, v in attrs:
                if k == 'href' and v:
                    self.links.append(v)


def page_file(href):
    """The file of OUT an address names, or None when it is not a page."""
    u = urllib.parse.urlsplit(href)
    if u.scheme or u.netloc:
        # absolute addresses of the site (canonical links, base_url)
        if u.netloc not in hosts:
            return None
    path = urllib.parse.unquote(u.path)
    if not path.startswith('/'):
        return None
    if path.endswith('/'):
        path += 'index.html'
    if not path.endswith('.html'):
        return None
    return os.path.normpath(path.lstrip('/'))


hosts = {'example.gov.vn'}
pages = set()
for d, _, files in os.walk(out):
    for f in files:
        if f.endswith('.html'):
            pages.add(os.path.relpath(os.path.join(d, f), out))
pages.discard('404.html')

seen, todo = {'index.html'}, ['index.html']
while todo:
    rel = todo.pop()
    p = Links()
    with open(os.path.join(out, rel), encoding='utf-8') as fh:
        p.feed(fh.read())
    for href in p.links:
        f = page_file(href)
        if f and f in pages and f not in seen:
            seen.add(f)
            todo.append(f)

sizes = {rel: os.path.getsize(os.path.join(out, rel)) for rel in pages}
big = max(sizes, key=sizes.get)
print(f"{len(pages)} pages, {len(seen & pages)} reached, largest {sizes[big]} bytes ({big})")
bad = 0
for rel in sorted(pages - seen):
    print(f"not reached: /{rel}")
    bad += 1
for rel in sorted(pages):
    if limit is not None and sizes[rel] > limit:
        print(f"too large: /{rel}: {sizes[rel]} bytes > {limit}")
        bad += 1
sys.exit(1 if bad else 0)
