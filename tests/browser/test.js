// test.js: what a citizen does, in a real browser: read pages with and
// without JavaScript, sort and filter tables, search without diacritics,
// on a phone and a desktop, with no console error and no serious axe finding.
'use strict';
const fs = require('fs');
const path = require('path');
const { BASE, ART, ok, launch, axeSerious, finish, run } = require('./lib.js');

const PAGES = {
  home: '/',
  plans: '/ke-hoach/',
  plan: '/ke-hoach/185-kh-sdt-tg/',
  plan_indicators: '/ke-hoach/ke-hoach-cds-xa-quang-son-2025/',
  units: '/don-vi/',
  unit: '/don-vi/so-khcn/',
  documents: '/van-ban/',
  document: '/van-ban/57-nq-tw/',
  deadlines: '/thoi-han/',
  search: '/tim-kiem/',
  data: '/du-lieu/',
};

async function main() {
  const browser = await launch();

  // every page: loads, no console errors, no serious axe finding, screenshots
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const [name, url] of Object.entries(PAGES)) {
    const page = await desktop.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const resp = await page.goto(BASE + url);
    ok(resp && resp.status() === 200, `${name}: ${url} answers 200`);
    const bad = await axeSerious(page);
    ok(bad.length === 0, `${name}: no serious or critical accessibility violation` +
      (bad.length ? ' (' + bad.join(', ') + ')' : ''));
    ok(errors.length === 0, `${name}: no console errors` + (errors.length ? ' (' + errors.join('; ') + ')' : ''));
    await page.screenshot({ path: path.join(ART, `${name}-desktop.png`), fullPage: true });
    await page.close();
  }

  // the Content-Security-Policy holds: the portal's scripts ran (no console
  // error above), an inline script added to the page does not
  {
    const page = await desktop.newPage();
    await page.goto(BASE + PAGES.home);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.head.appendChild(s);
      const d = document.createElement('div');
      d.setAttribute('onclick', 'window.__handlerRan = true;');
      document.body.appendChild(d);
      d.click();
    });
    const ran = await page.evaluate(() => Boolean(window.__inlineRan || window.__handlerRan));
    ok(!ran, 'CSP: inline script and event handlers do not run');
    await page.close();
  }

  // phone: no horizontal scroll
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  for (const [name, url] of Object.entries(PAGES)) {
    const page = await phone.newPage();
    await page.goto(BASE + url);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    ok(over <= 0, `${name}: no horizontal scroll on a 360 px phone (overflow ${over}px)`);
    if (['home', 'plan', 'deadlines'].includes(name))
      await page.screenshot({ path: path.join(ART, `${name}-phone.png`), fullPage: true });
    await page.close();
  }

  // sorting: the list of plans by number, both ways, with aria-sort
  {
    const page = await desktop.newPage();
    await page.goto(BASE + PAGES.home);
    const table = page.locator('table.plans[data-sortable]').first();
    const firstCol = async () => (await table.locator('tbody tr').allInnerTexts()).map((t) => t.split('\t')[0].trim());
    const before = await firstCol();
    await table.locator('thead th button').first().click();
    const asc = await firstCol();
    const sortAttr = await table.locator('thead th').first().getAttribute('aria-sort');
    await table.locator('thead th button').first().click();
    const desc = await firstCol();
    ok(sortAttr === 'ascending', 'sorting sets aria-sort on the header');
    ok(JSON.stringify(desc) === JSON.stringify([...asc].reverse()) && before.length === asc.length && asc.length > 1,
      'clicking a header sorts the plans, and again reverses');
    await page.close();
  }

  // filtering: the plan's task filter box, diacritic-insensitive
  {
    const page = await desktop.newPage();
    await page.goto(BASE + PAGES.plan);
    const rows = page.locator('table.tasks tbody tr:visible');
    const all = await rows.count();
    await page.locator('.filter input').first().fill('so hoa');
    await page.waitForTimeout(200);
    const some = await rows.count();
    const texts = await rows.allInnerTexts();
    ok(some > 0 && some < all && texts.every((t) => /số hóa|số hoá/i.test(t)),
      `filtering tasks by "so hoa" keeps only matching rows (${some} of ${all})`);
    await page.close();
  }

  // search without diacritics finds the plan and the task
  {
    const page = await desktop.newPage();
    await page.goto(BASE + PAGES.search);
    await page.locator('#search-q').fill('so hoa quy trinh');
    await page.keyboard.press('Enter');
    const results = page.locator('#search-results a');
    await results.first().waitFor({ timeout: 5000 }).catch(() => {});
    const texts = await results.allInnerTexts();
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    ok(texts.some((t) => /số hóa quy trình/i.test(t)), 'search "so hoa quy trinh" finds tasks about "số hóa quy trình"');
    ok(hrefs.some((h) => /\/ke-hoach\/185-kh-sdt-tg\//.test(h)), 'a result links to plan 185/KH-SDT&TG');
    ok(await page.locator('#search-results mark').count() > 0, 'matched words are highlighted');
    await page.locator('#search-q').fill('185 kh');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    const t2 = await page.locator('#search-results li').allInnerTexts();
    ok(t2.some((t) => /185\/KH-SDT&TG/.test(t)), 'search by a number in another spelling ("185 kh") finds the plan');
    await page.screenshot({ path: path.join(ART, 'search-results.png'), fullPage: true });
    await page.close();
  }

  // without JavaScript the pages read correctly
  {
    const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await nojs.newPage();
    await page.goto(BASE + PAGES.plan);
    ok(await page.locator('table.tasks tbody tr').count() >= 8, 'without JavaScript the plan page has its task table');
    await page.goto(BASE + PAGES.plans);
    ok(await page.locator('table[data-sortable] tbody tr').count() >= 5, 'without JavaScript the plans index lists the plans');
    await page.goto(BASE + PAGES.search);
    const text = await page.locator('main').innerText();
    const links = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    ok(/JavaScript/i.test(text) && links.some((h) => /ke-hoach\/$/.test(h)) && links.some((h) => /don-vi\/$/.test(h)),
      'without JavaScript the search page explains itself and links the indexes');
    await page.screenshot({ path: path.join(ART, 'search-nojs.png'), fullPage: true });
    await nojs.close();
  }

  await browser.close();
  finish('browser');
}

run(main);
