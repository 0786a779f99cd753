#!/usr/bin/env python3
"""data_fields.py OUT: every key the open data files of the portal built in
OUT carry is described on its /du-lieu/ page, and every described key exists
(test_data_fields.sh, test_fields.sh)."""
import csv, html, json, re, sys
o = sys.argv[1]
page = open(o + "/du-lieu/index.html", encoding="utf-8").read()
described = {}
for m in re.finditer(r'<section id="f-([^"]+)".*?</section>', page, re.S):
    rows = re.findall(r'<tr><th scope="row"><code>(.*?)</code></th><td>(.*?)</td></tr>', m.group(0), re.S)
    described[m.group(1)] = {html.unescape(k): html.unescape(v) for k, v in rows}
def names(f):
    return {n for k in described[f] for n in k.split(", ")}
def text(f, field):
    return [v for k, v in described[f].items() if field in k.split(", ")][0]
errors = []
def same(what, emitted, desc):
    if emitted != desc:
        errors.append("%s: not described %s, described but absent %s" %
                      (what, sorted(emitted - desc), sorted(desc - emitted)))
def keys(records):
    return {k for r in records for k in r}
def words(f, field, emitted):
    t = text(f, field)
    missing = [k for k in sorted(emitted) if not re.search(r"\b" + re.escape(k) + r"\b", t)]
    if missing:
        errors.append("%s %s: keys not in its description: %s" % (f, field, missing))

plans = json.load(open(o + "/du-lieu/plans.json", encoding="utf-8"))
same("plans.json", keys(plans), names("plans.json"))
words("plans.json", "tasks", keys(t for p in plans for t in p["tasks"]))
words("plans.json", "indicators", keys(i for p in plans for i in p["indicators"]))
words("plans.json", "stats", keys(p["stats"] for p in plans))
units = json.load(open(o + "/du-lieu/units.json", encoding="utf-8"))
same("units.json", keys(units), names("units.json"))
words("units.json", "totals", keys(u["totals"] for u in units))
docs = json.load(open(o + "/du-lieu/documents.json", encoding="utf-8"))
same("documents.json", keys(docs), names("documents.json"))
changes = json.load(open(o + "/du-lieu/changes.json", encoding="utf-8"))
assert any(c for e in changes for c in e["changes"]), "no change to compare"
# "error" is there only for a file that did not parse at that commit
same("changes.json", keys(changes) | {"error"}, names("changes.json"))
words("changes.json", "changes", keys(c for e in changes for c in e["changes"]))
with open(o + "/du-lieu/tasks.csv", encoding="utf-8-sig", newline="") as f:
    same("tasks.csv", set(next(csv.reader(f))), names("tasks.csv"))
assert not errors, "\n".join(errors)
