// units.test.js: what a citizen asks of the portal, in a real browser on a
// phone and a desktop: who is responsible (a parent unit's page with its
// issued plans and its sub-units' figures), what is late (days late, the
// overdue list, counts that link to their lists, status chips with and
// without JavaScript), and whether a shared link says which page it is
// (its own og: tags and canonical link); the footer's legal details.
'use strict';
const path = require('path');
const { BASE, ART, ok, launch, axeSerious, finish, run } = require('./lib.js');

const PARENT = '/don-vi/ubnd-xa-quang-son/';
const PAGES = {
  home: '/',
  plan: '/ke-hoach/ke-hoach-cds-xa-quang-son-2025/',
  unit: PARENT,
  deadlines: '/thoi-han/',
  overdue: '/thoi-han/qua-han/',
  data: '/du-lieu/',
};
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 900 } },
};

async function getJSON(page, url) {
  return page.evaluate(async (u) => (await fetch(u)).json(), BASE + url);
}

async function main() {
  const browser = await launch();

  for (const [vp, opts] of Object.entries(VIEWPORTS)) {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));

    // the parent unit: issued plans and sub-units, figures as units.json says
    await page.goto(BASE + PARENT);
    const units = await getJSON(page, '/du-lieu/units.json');
    const me = units.find((u) => u.url.endsWith(PARENT));
    ok(me && me.totals.led > 0 && me.totals.issued_plans > 0,
      `${vp}: units.json gives the issuing body its figures (led ${me && me.totals.led}, issued ${me && me.totals.issued_plans})`);
    const cards = await page.locator('.unit-totals dd').allInnerTexts();
    ok(me && JSON.stringify(cards.map((t) => +t.trim())) ===
      JSON.stringify([me.totals.led, me.totals.supported, me.totals.overdue, me.totals.done]),
      `${vp}: the unit page's totals are units.json's (${cards.join(', ')})`);
    const issued = page.locator('#issued table a[href$="/ke-hoach/ke-hoach-cds-xa-quang-son-2025/"]');
    ok(await issued.count() > 0 && await issued.first().isVisible(), `${vp}: the parent's page lists the plan it issued`);
    const subRows = page.locator('#sub-units tbody tr');
    ok(me && await subRows.count() === me.children.length && me.children.length > 0,
      `${vp}: the parent's page lists its ${me && me.children.length} sub-units`);
    const child = units.find((u) => u.id === me.children.find((c) => units.find((x) => x.id === c).totals.led > 0));
    const childRow = page.locator('#sub-units tbody tr', { hasText: child.name });
    const childNums = (await childRow.locator('td.num').allInnerTexts()).map((t) => +t.trim());
    ok(JSON.stringify(childNums) === JSON.stringify([child.totals.led, child.totals.supported, child.totals.overdue, child.totals.done]),
      `${vp}: a sub-unit's row has its rolled-up figures (${child.name}: ${childNums.join(', ')})`);
    const order = await page.evaluate(() => ['totals', 'issued', 'sub-units', 'overdue', 'tasks']
      .map((id) => document.getElementById(id)).map((el) => el ? el.getBoundingClientRect().top + scrollY : -1));
    ok(order.every((y, i) => y >= 0 && (i === 0 || y > order[i - 1])),
      `${vp}: totals, issued plans, sub-units, overdue tasks, then tasks by plan`);
    const lateRows = page.locator('#overdue tbody tr');
    ok(await lateRows.count() === me.totals.overdue, `${vp}: the unit's ${me.totals.overdue} overdue tasks come first`);
    if (await lateRows.count())
      ok(/quá hạn \d+ ngày/.test(await lateRows.first().innerText()), `${vp}: an overdue task says by how much`);
    await page.screenshot({ path: path.join(ART, `unit-${vp}.png`), fullPage: true });

    // status chips with JavaScript: "Quá hạn" narrows the tasks in place
    const chip = page.locator('.status-filter .chip[data-status="overdue"]');
    if (await chip.count()) {
      const all = await page.locator('#tasks tbody tr:visible').count();
      await chip.click();
      const shown = await page.locator('#tasks tbody tr:visible').count();
      const pressed = await chip.getAttribute('aria-pressed');
      ok(shown > 0 && shown < all && pressed === 'true' && page.url().indexOf('#') < 0,
        `${vp}: the "Quá hạn" chip narrows the unit's tasks in place (${shown} of ${all})`);
      await chip.click();
      ok(await page.locator('#tasks tbody tr:visible').count() === all, `${vp}: pressing it again shows all`);
    }

    // the home: overdue tasks listed most late first, counts are links
    await page.goto(BASE + '/');
    const days = (await page.locator('#overdue tbody tr .days-late').allInnerTexts()).map((t) => +t.match(/\d+/)[0]);
    ok(days.length > 0 && days.every((d, i) => i === 0 || d <= days[i - 1]),
      `${vp}: the home lists the overdue tasks, most late first (${days.join(', ')} days)`);
    const counts = page.locator('.stat-cards dd');
    ok(await counts.count() === await page.locator('.stat-cards dd a').count(), `${vp}: every count on the home is a link`);
    const overdueLink = page.locator('.stat-overdue dd a');
    const n = +(await overdueLink.innerText());
    await overdueLink.click();
    await page.waitForLoadState();
    ok(page.url().endsWith('/thoi-han/qua-han/') && await page.locator('table.tasks tbody tr').count() === n,
      `${vp}: "Quá hạn ${n}" opens the list of those ${n} tasks`);
    const bad = await axeSerious(page);
    ok(bad.length === 0, `${vp}: the overdue list has no serious accessibility violation` +
      (bad.length ? ' (' + bad.join(', ') + ')' : ''));

    // identity: each page its own og: tags and canonical link
    const seen = { title: new Set(), desc: new Set(), url: new Set() };
    for (const [name, url] of Object.entries(PAGES)) {
      await page.goto(BASE + url);
      const meta = await page.evaluate(() => ({
        title: document.querySelector('meta[property="og:title"]')?.content,
        desc: document.querySelector('meta[property="og:description"]')?.content,
        url: document.querySelector('meta[property="og:url"]')?.content,
        canonical: document.querySelector('link[rel="canonical"]')?.href,
        described: document.querySelector('meta[name="description"]')?.content,
        over: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      ok(meta.title && meta.desc && /^https?:\/\//.test(meta.url || '') && meta.canonical === meta.url &&
        meta.described === meta.desc, `${vp}: ${name} has its og: tags, description and canonical link`);
      for (const k of ['title', 'desc', 'url']) {
        ok(!seen[k].has(meta[k]), `${vp}: ${name}'s og:${k} is its own`);
        seen[k].add(meta[k]);
      }
      ok(meta.over <= 0, `${vp}: ${name} does not scroll sideways (overflow ${meta.over}px)`);
      if (['home', 'plan', 'deadlines'].includes(name))
        await page.screenshot({ path: path.join(ART, `units-${name}-${vp}.png`), fullPage: true });
    }
    ok(!/Chưa có số/.test(await page.title()), `${vp}: no tab is titled "Chưa có số"`);

    // the footer's legal details and the data licence
    await page.goto(BASE + '/du-lieu/');
    const footer = await page.locator('.footer-legal').innerText();
    ok(/Cơ quan chủ quản/.test(footer) && /Chịu trách nhiệm nội dung/.test(footer) && /Giấy phép/.test(footer),
      `${vp}: the footer shows the portal's legal details`);
    ok(await page.locator('.data-license a[rel="license"]').isVisible(), `${vp}: /du-lieu/ shows the data licence`);
    ok(errors.length === 0, `${vp}: no console errors` + (errors.length ? ' (' + errors.join('; ') + ')' : ''));
    await ctx.close();
  }

  // the narrowest phone: the pages this file covers never scroll sideways
  {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    // (the plan page's chart at 320 px is tests/browser/test.js's)
    for (const [name, url] of Object.entries(PAGES).filter(([n]) => n !== 'plan')) {
      await page.goto(BASE + url);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      ok(over <= 0, `320 px: ${name} does not scroll sideways (overflow ${over}px)`);
    }
    await ctx.close();
  }

  // without JavaScript: a chip is an anchor that narrows the list (:target)
  {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(BASE + '/thoi-han/');
    const all = await page.locator('.filter-body tbody tr[data-status]:visible').count();
    await page.locator('.status-filter .chip[data-status="overdue"]').click();
    const rows = page.locator('.filter-body tbody tr[data-status]:visible');
    const shown = await rows.count();
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    ok(shown > 0 && shown < all && statuses.every((s) => /\boverdue\b/.test(s)),
      `without JavaScript the "Quá hạn" chip narrows the deadlines to overdue tasks (${shown} of ${all})`);
    await page.goto(BASE + PARENT + '#loc-hoan-thanh');
    const done = await page.locator('#tasks tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    ok(done.length > 0 && done.every((s) => /^done\b/.test(s)), `without JavaScript a unit's "Hoàn thành" count opens its done tasks (${done.length})`);
    await ctx.close();
  }

  await browser.close();
  finish('unit page');
}

run(main);
