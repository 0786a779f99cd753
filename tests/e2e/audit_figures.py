#!/usr/bin/env python3
"""audit_figures.py PUBLIC: reads a built portal as an auditor would and
cross-checks its figures: the home page, plan, unit and document pages, the
/thoi-han/ lists, the last weekly report, every task row ("quá hạn N ngày",
status, progress) and every plan row against plans.json, units.json,
documents.json, tasks.csv and changes.json, and those against the tasks.
Prints "N checks, M failed" and each failure; exits 1 on any."""
import csv, datetime as dt, glob, html, json, os, re, sys
from collections import defaultdict
root = sys.argv[1] if len(sys.argv) > 1 else 'public'
J = lambda n: json.load(open(os.path.join(root, 'du-lieu', n), encoding='utf-8'))
plans, units, docs, changes = J('plans.json'), J('units.json'), J('documents.json'), J('changes.json')
checks = 0; fails = []
def check(cond, msg):
    global checks
    checks += 1
    if not cond: fails.append(msg)
def page(p): return open(os.path.join(root, p), encoding='utf-8').read()
KEYS = ['total','done','in_progress','not_started','cancelled','overdue','done_late','percent_done']
def stats(tasks):
    s = dict.fromkeys(KEYS, 0)
    for t in tasks:
        s['total'] += 1; s[t['status']] += 1
        s['overdue'] += bool(t['overdue']); s['done_late'] += bool(t['done_late'])
    d = s['total'] - s['cancelled']
    s['percent_done'] = s['done'] * 100 // d if d else 0
    return s
LABEL = {'Tổng số nhiệm vụ':'total','Hoàn thành':'done','Đang thực hiện':'in_progress','Chưa thực hiện':'not_started',
         'Quá hạn':'overdue','Hoàn thành muộn':'done_late','Dừng thực hiện':'cancelled','Chủ trì':'led','Phối hợp':'supported'}
def cards(s):
    m = re.search(r'<dl class="stat-cards[^"]*">(.*?)</dl>', s, re.S)
    out = {}
    if m:
        for dt_, dd in re.findall(r'<dt>(.*?)</dt><dd>(.*?)</dd>', m.group(1)):
            out[LABEL.get(dt_, dt_)] = int(re.sub(r'<[^>]+>', '', dd))
    p = re.search(r'class="stat-percent".*?<progress max="100" value="(\d+)"', s, re.S)
    if p: out['percent_done'] = int(p.group(1))
    return out
def cmp(where, got, want, keys=None):
    for k in (keys or got.keys()):
        if k in want:
            check(got.get(k) == want[k], f'{where}: {k} shown {got.get(k)} but expected {want[k]}')
asof = plans[0]['as_of']
for p in plans: p['number'] = p['number'] or p['id']
alltasks = [(p, t) for p in plans for t in p['tasks']]
tasks_by = {(p['slug'], t['id']): (p, t) for p, t in alltasks}
# 1. plan json stats & plan pages
for p in plans:
    s = stats(p['tasks'])
    cmp(f"plans.json {p['number']} stats", p['stats'], s)
    c = cards(page(f"ke-hoach/{p['slug']}/index.html"))
    cmp(f"/ke-hoach/{p['slug']}/ cards", c, s)
    check(p['as_of'] == asof, f"{p['number']} as_of {p['as_of']} != {asof}")
# 2. home
home = stats([t for _, t in alltasks])
cmp('home (/) cards', cards(page('index.html')), home)
m = re.search(r'Nhiệm vụ quá hạn <span class="count">\(<a[^>]*>(\d+)</a>\)', page('index.html'))
check(m and int(m.group(1)) == home['overdue'], f'home overdue heading {m and m.group(1)} vs {home["overdue"]}')
# 3. days late / overdue flags
A = dt.date.fromisoformat(asof)
for p, t in alltasks:
    d = t['due']['date']
    exp_over = t['status'] in ('in_progress','not_started') and d is not None and dt.date.fromisoformat(d) < A
    check(t['overdue'] == exp_over, f"{p['number']} #{t['id']} overdue={t['overdue']} (status {t['status']}, due {d}, as-of {asof})")
    if t['overdue']:
        check(t['days_late'] == (A - dt.date.fromisoformat(d)).days, f"{p['number']} #{t['id']} days_late {t['days_late']} vs due {d}")
    if t['status'] == 'done':
        late = bool(d and t['completed'] and t['completed'] > d)
        check(t['done_late'] == late, f"{p['number']} #{t['id']} done_late={t['done_late']} completed {t['completed']} due {d}")
# 4. every task row of every page
last_week = sorted(d for d in os.listdir(os.path.join(root,'bao-cao-tuan')) if re.match(r'\d{4}-W\d\d$', d))[-1]
rowre = re.compile(r'<tr data-status="([^"]*)"[^>]*>(.*?)</tr>', re.S)
pages = sorted(glob.glob(os.path.join(root, '**/*.html'), recursive=True))
for f in pages:
    if re.search(r'/bao-cao-tuan/\d{4}-W\d\d/', f) and last_week not in f: continue
    rel = os.path.relpath(f, root); s = open(f, encoding='utf-8').read()
    for st, body in rowre.findall(s):
        m = re.search(r'href="/ke-hoach/([^/]+)/#([^"]+)"', body)
        if not m: continue
        key = (m.group(1), html.unescape(m.group(2)))
        if key not in tasks_by:
            fails.append(f'{rel}: row links unknown task {key}'); continue
        p, t = tasks_by[key]
        sts = st.split()
        check(sts[0] == t['status'], f'{rel}: {p["number"]} #{t["id"]} row status {sts[0]} vs {t["status"]}')
        check(('overdue' in sts) == t['overdue'], f'{rel}: {p["number"]} #{t["id"]} row overdue {"overdue" in sts} vs {t["overdue"]}')
        dl = re.search(r'quá hạn (\d+) ngày', body)
        if t['overdue']:
            check(dl and int(dl.group(1)) == t['days_late'], f'{rel}: {p["number"]} #{t["id"]} "quá hạn {dl and dl.group(1)} ngày" vs {t["days_late"]}')
        else:
            check(not dl, f'{rel}: {p["number"]} #{t["id"]} shows "quá hạn {dl and dl.group(1)} ngày" but not overdue')
        pr = re.search(r'aria-label="Tiến độ thực hiện">(\d+)%', body)
        if pr: check(int(pr.group(1)) == t['progress'], f'{rel}: {p["number"]} #{t["id"]} progress {pr.group(1)} vs {t["progress"]}')
# 5. /thoi-han/ lists
over = {(p['slug'], t['id']) for p, t in alltasks if t['overdue']}
def rowkeys(rel):
    return [(m.group(1), html.unescape(m.group(2))) for st, body in rowre.findall(page(rel))
            for m in [re.search(r'href="/ke-hoach/([^/]+)/#([^"]+)"', body)] if m]
ks = rowkeys('thoi-han/qua-han/index.html')
check(set(ks) == over and len(ks) == len(over), f'/thoi-han/qua-han/ lists {len(ks)} rows {sorted(set(ks)^over)} vs {len(over)} overdue')
for slug, pred in [('hoan-thanh', lambda t: t['status']=='done'), ('dang-thuc-hien', lambda t: t['status']=='in_progress'),
                   ('chua-thuc-hien', lambda t: t['status']=='not_started'), ('dung-thuc-hien', lambda t: t['status']=='cancelled'),
                   ('hoan-thanh-muon', lambda t: t['done_late']), ('tat-ca', lambda t: True)]:
    want = {(p['slug'], t['id']) for p, t in alltasks if pred(t)}
    ks = rowkeys(f'thoi-han/{slug}/index.html')
    check(set(ks) == want and len(ks) == len(want), f'/thoi-han/{slug}/ lists {len(ks)} (set {len(set(ks))}) vs {len(want)}; diff {sorted(set(ks)^want)[:5]}')
# 6. units
U = {u['id']: u for u in units}
kids = defaultdict(list)
for u in units:
    if u['parent']: kids[u['parent']].append(u['id'])
def desc(i):
    out = {i}
    for k in kids[i]: out |= desc(k)
    return out
for u in units:
    check(sorted(u['children']) == sorted(kids[u['id']]), f"units.json {u['id']} children {u['children']} vs parents {kids[u['id']]}")
    D = desc(u['id'])
    led = [t for p, t in alltasks if any(x['id'] == u['id'] for x in t['lead'])]
    sup = [t for p, t in alltasks if any(x['id'] == u['id'] for x in t['support']) and not any(x['id'] == u['id'] for x in t['lead'])]
    sup_all = [t for p, t in alltasks if any(x['id'] == u['id'] for x in t['support'])]
    cmp(f"units.json {u['id']} lead_stats", u['lead_stats'], stats(led))
    if u['support_stats'] != stats(sup):
        cmp(f"units.json {u['id']} support_stats", u['support_stats'], stats(sup_all))
    rl = [t for p, t in alltasks if any(x['id'] in D for x in t['lead'])]
    rs = [t for p, t in alltasks if not any(x['id'] in D for x in t['lead']) and any(x['id'] in D for x in t['support'])]
    cmp(f"units.json {u['id']} rollup_lead_stats", u['rollup_lead_stats'], stats(rl))
    cmp(f"units.json {u['id']} rollup_support_stats", u['rollup_support_stats'], stats(rs))
    ra = stats(rl + rs)
    cmp(f"units.json {u['id']} rollup_stats", u['rollup_stats'], ra)
    iss = [p for p in plans if p['issuer'] and p['issuer']['id'] == u['id']]
    iss_d = [p for p in plans if p['issuer'] and p['issuer']['id'] in D]
    want_tot = {'led': len(rl), 'supported': len(rs), 'overdue': ra['overdue'], 'done': ra['done']}
    cmp(f"units.json {u['id']} totals", u['totals'], want_tot)
    ist = stats([t for p in iss for t in p['tasks']])
    ist_d = stats([t for p in iss_d for t in p['tasks']])
    if u['issued_stats'] != ist and u['issued_stats'] != ist_d:
        fails.append(f"units.json {u['id']} issued_stats {u['issued_stats']} vs own {ist} / with sub-units {ist_d}")
    check(u['totals']['issued_plans'] in (len(iss), len(iss_d)), f"units.json {u['id']} issued_plans {u['totals']['issued_plans']} vs {len(iss)}/{len(iss_d)}")
    fp = os.path.join(root, 'don-vi', u['slug'], 'index.html')
    if not os.path.exists(fp): fails.append(f'missing unit page {u["slug"]}'); continue
    s = page(f"don-vi/{u['slug']}/index.html")
    c = cards(s)
    cmp(f"/don-vi/{u['slug']}/ cards", c, dict(want_tot, percent_done=ra['percent_done']))
    m = re.search(r'Kế hoạch đã ban hành: <a[^>]*>(\d+)</a> \((\d+) nhiệm vụ', s)
    if m:
        check(int(m.group(1)) == u['totals']['issued_plans'] and int(m.group(2)) == u['totals']['issued_tasks'],
              f"/don-vi/{u['slug']}/ issued {m.groups()} vs {u['totals']['issued_plans']},{u['totals']['issued_tasks']}")
    # overdue section rows
    ov = re.search(r'id="h-overdue".*?(</section>)', s, re.S)
    if ov:
        ks = [(m.group(1), m.group(2)) for m in re.finditer(r'href="/ke-hoach/([^/]+)/#([^"]+)"', ov.group(0))]
        want = {(p['slug'], t['id']) for p, t in alltasks if t['overdue'] and
                (any(x['id'] in D for x in t['lead']) or any(x['id'] in D for x in t['support']))}
        check(set(ks) == want and len(ks) == len(set(ks)), f"/don-vi/{u['slug']}/ overdue list {sorted(ks)} vs {sorted(want)}")
        dl = [tasks_by[k][1]['days_late'] for k in ks if k in tasks_by]
        check(dl == sorted(dl, reverse=True), f"/don-vi/{u['slug']}/ overdue list not most-late first {dl}")
    elif ra['overdue']:
        fails.append(f"/don-vi/{u['slug']}/ has {ra['overdue']} overdue but no overdue section")
    # tasks section count
    ts = re.search(r'id="h-tasks".*?(</section>)', s, re.S)
    if ts:
        ks = {(m.group(1), m.group(2)) for m in re.finditer(r'href="/ke-hoach/([^/]+)/#([^"]+)"', ts.group(0))}
        want = {(p['slug'], t['id']) for p, t in alltasks if any(x['id'] in D for x in t['lead'] + t['support'])}
        check(ks == want, f"/don-vi/{u['slug']}/ tasks-by-plan lists {len(ks)} vs {len(want)}; diff {sorted(ks ^ want)[:6]}")
# 7. documents
byno = {d['number']: d for d in docs}
pbyno = {p['number']: p for p in plans}
edges = defaultdict(set)
for d in docs: edges[d['number']] |= set(d['implements'])
for p in plans: edges[p['number']] |= set(p['implements'])
def reach(n):
    seen, st = set(), [n]
    while st:
        x = st.pop()
        for y in edges[x]:
            if y not in seen: seen.add(y); st.append(y)
    return seen
impl = defaultdict(set)
for p in plans:
    for d in reach(p['number']): impl[d].add(p['number'])
for d in docs:
    if d['is_plan']:
        p = pbyno[d['number']]; cmp(f"documents.json plan {d['number']}", d['stats'], p['stats']); continue
    ps = impl[d['number']] - {d['number']}
    want = stats([t for n in ps for t in pbyno[n]['tasks']])
    cmp(f"documents.json {d['number']} stats (plans {sorted(ps)})", d['stats'], want)
    fp = os.path.join(root, 'van-ban', d['slug'], 'index.html')
    if not os.path.exists(fp): fails.append(f'missing doc page {d["slug"]}'); continue
    s = page(f"van-ban/{d['slug']}/index.html")
    c = cards(s)
    if c: cmp(f"/van-ban/{d['slug']}/ cards (plans {sorted(ps)})", c, want)
    elif want['total']: fails.append(f"/van-ban/{d['slug']}/ shows no figures but {want['total']} tasks implement it")
    pl = re.search(r'id="h-plans".*?</section>', s, re.S)
    if pl:
        linked = {pbyno[n]['slug'] for n in ps}
        got = set(re.findall(r'href="/ke-hoach/([^/#"]+)/"', pl.group(0)))
        check(got == linked, f"/van-ban/{d['slug']}/ plan list {sorted(got)} vs {sorted(linked)}")
    for n in d['implemented_by']:
        check(n in ps or n in byno, f"documents.json {d['number']} implemented_by {n} unknown")
# 8. weekly reports
weeks = sorted(os.listdir(os.path.join(root, 'bao-cao-tuan')))
weeks = [w for w in weeks if re.match(r'\d{4}-W\d\d', w)]
last = weeks[-1]; s = page(f'bao-cao-tuan/{last}/index.html')
m = re.search(r'id="h-week-stats".*?datetime="([\d-]+)"', s, re.S)
check(m and m.group(1) == asof, f'{last} as-of {m and m.group(1)} vs {asof}')
cmp(f'/bao-cao-tuan/{last}/ cards vs home', cards(s), home)
y, w = map(int, last.split('-W'))
mon = dt.date.fromisocalendar(y, w, 1)
# "due next week": tasks (not done/cancelled) due in the following week
nx = [(p['slug'], t['id']) for p, t in alltasks if t['due']['date'] and t['status'] in ('in_progress','not_started')
      and mon + dt.timedelta(7) <= dt.date.fromisoformat(t['due']['date']) <= mon + dt.timedelta(13)]
sec = re.search(r'id="h-week-due".*?</section>', s, re.S).group(0)
got = set(re.findall(r'href="/ke-hoach/([^/]+)/#([^"]+)"', sec))
if set(nx) != got: fails.append(f'/bao-cao-tuan/{last}/ "due next week" lists {sorted(got)} but tasks due {mon+dt.timedelta(7)}..{mon+dt.timedelta(13)}: {sorted(nx)}')
# 9. tasks.csv
rows = list(csv.DictReader(open(os.path.join(root, 'du-lieu/tasks.csv'), encoding='utf-8-sig')))
check(len(rows) == len(alltasks), f'tasks.csv {len(rows)} rows vs {len(alltasks)} tasks')
def unf(v): return v[1:] if v[:1] == "'" and v[1:2] in ('=','+','-','@','\t','\r') else v
for r, (p, t) in zip(rows, alltasks):
    w = f"tasks.csv {p['number']} #{t['id']}"
    exp = {'plan': p['number'], 'task_id': t['id'], 'title': t['title'], 'status': t['status'], 'overdue': str(t['overdue']).lower(),
           'progress': '' if t['progress'] is None else str(t['progress']), 'as_of': p['as_of'], 'due_date': t['due']['date'] or '',
           'due_text': t['due']['text'] or '', 'output': t['output'] or '', 'status_label': t['status_label'], 'plan_title': p['title']}
    for k, v in exp.items():
        check(unf(r[k]) == v, f'{w}: {k} csv {r[k]!r} vs json {v!r}')
    for k in ('lead', 'support'):
        names = [x['name'] for x in t[k]]
        cs = [unf(x.strip()) for x in re.split(r';|\|', r[k]) if x.strip()]
        check(cs == names, f'{w}: {k} csv {r[k]!r} vs json {names}')
# 10. changes.json: every change names a known plan and its page
for c in changes:
    if c.get('plan') and not c.get('broken'):
        check(c['plan'] in pbyno, f"changes.json {c['commit'][:7]} names unknown plan {c['plan']}")
# 11. plan rows (plan lists on /ke-hoach/, unit pages, document pages)
pbyslug = {p['slug']: p for p in plans}
prow = re.compile(r'<tr>\s*<td class="docno".*?</tr>', re.S)
n0 = checks
for f in pages:
    rel = os.path.relpath(f, root)
    for row in prow.findall(open(f, encoding='utf-8').read()):
        m = re.search(r'href="/ke-hoach/([^/]+)/#loc-tat-ca">(\d+)</a>', row)
        if not m: continue
        p = pbyslug[m.group(1)]
        check(int(m.group(2)) == p['stats']['total'], f'{rel}: plan row {p["number"]} total {m.group(2)} vs {p["stats"]["total"]}')
        pc = re.search(r'data-sort="(\d+)"><span class="progress">', row)
        if pc: check(int(pc.group(1)) == p['stats']['percent_done'], f'{rel}: plan row {p["number"]} percent {pc.group(1)}')
        ov = re.findall(r'<td class="num"[^>]*>(?:<a[^>]*>)?(\d+)', row)[-1]
        check(int(ov) == p['stats']['overdue'], f'{rel}: plan row {p["number"]} overdue {ov} vs {p["stats"]["overdue"]}')
print(f'{checks} checks, {len(fails)} failed')
for f in fails: print(' -', f)
sys.exit(1 if fails else 0)
