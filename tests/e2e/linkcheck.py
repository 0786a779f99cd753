#!/usr/bin/env python3
"""linkcheck.py OUT BASE_URL: every address the built site at OUT names must
be a file of OUT.

Crawls every HTML page's href and src, the <loc> of sitemap.xml, the links
of the Atom feed, and every "url" of the open data (du-lieu/*.json wherever
permalinks put it) and of the search records, and checks that each address
of the site (BASE_URL's host and path, or a path under it) maps to a file
of OUT: ".../" to ".../index.html".  Prints one line a broken address
(the file that names it first), then "N addresses, M broken"; exits 1 when
any is broken.  Counts are printed so a test can check the crawl saw what it
should (a checker that finds nothing would pass everything)."""
import glob
import html.parser
import json
import os
import re
import sys
import urllib.parse

out, base_url = sys.argv[1], sys.argv[2]
bu = urllib.parse.urlsplit(base_url)
base_path = bu.path if bu.path.endswith('/') else bu.path + '/'
seen = {}  # address -> first file naming it
counts = {'html': 0, 'sitemap': 0, 'feed': 0, 'json': 0}


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ('href', 'src') and v is not None:
                self.links.append(v)
            if k == 'data-index' and v:
                self.links.append(v + 'manifest.json')
            if k == 'content' and v and tag == 'meta' and dict(attrs).get('property') == 'og:url':
                self.links.append(v)


def page_url(rel):
    """The address of file rel of OUT (a page's own, to resolve against)."""
    return base_path + rel


def note(addr, where, kind):
    counts[kind] += 1
    u = urllib.parse.urlsplit(addr)
    if u.scheme in ('mailto', 'tel', 'data', 'javascript'):
        return
    if u.scheme in ('http', 'https'):
        if u.netloc != bu.netloc:
            return  # another site
    elif u.scheme:
        return
    path = urllib.parse.unquote(u.path)
    if not path:
        return  # "#anchor" or "?q=": this page
    seen.setdefault(path, where)


def target(path):
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path):]
    if rel == '' or rel.endswith('/'):
        rel += 'index.html'
    f = os.path.normpath(os.path.join(out, rel))
    if not f.startswith(os.path.normpath(out) + os.sep):
        return None
    return f


for f in sorted(glob.glob(os.path.join(out, '**', '*.html'), recursive=True)):
    rel = os.path.relpath(f, out).replace(os.sep, '/')
    p = Links()
    p.feed(open(f, encoding='utf-8').read())
    for link in p.links:
        note(urllib.parse.urljoin(page_url(rel), link), rel, 'html')

sm = os.path.join(out, 'sitemap.xml')
for loc in re.findall(r'<loc>([^<]*)</loc>', open(sm, encoding='utf-8').read()):
    note(loc.replace('&amp;', '&'), 'sitemap.xml', 'sitemap')

for f in glob.glob(os.path.join(out, '**', 'atom.xml'), recursive=True):
    rel = os.path.relpath(f, out)
    for h in re.findall(r'<link[^>]*href="([^"]*)"', open(f, encoding='utf-8').read()):
        note(h.replace('&amp;', '&'), rel, 'feed')


def walk(v, rel):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == 'url' and isinstance(x, str):
                note(urllib.parse.urljoin(page_url(rel), x), rel, 'json')
            else:
                walk(x, rel)
    elif isinstance(v, list):
        for x in v:
            walk(x, rel)


for f in sorted(glob.glob(os.path.join(out, '**', '*.json'), recursive=True)):
    rel = os.path.relpath(f, out).replace(os.sep, '/')
    d = json.load(open(f, encoding='utf-8'))
    if re.search(r'(^|/)rec/\d+\.json$', rel):
        # search records: [title, url, context]
        for r in d:
            note(urllib.parse.urljoin(page_url(rel), r[1]), rel, 'json')
    else:
        walk(d, rel)

broken = 0
for path, where in sorted(seen.items()):
    t = target(path)
    if t is None or not os.path.isfile(t):
        broken += 1
        print('broken: %s (in %s)' % (path, where))
print('%d addresses (html %d, sitemap %d, feed %d, json %d), %d broken'
      % (len(seen), counts['html'], counts['sitemap'], counts['feed'], counts['json'], broken))
sys.exit(1 if broken else 0)
