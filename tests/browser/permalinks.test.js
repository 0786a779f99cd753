// permalinks.test.js: the sample with every section moved by site.yaml's
// permalinks, served under /cong/ (run.sh, BASE_MOVED): the menu leads to
// the moved sections, and the search loads its index from the moved folder
// and leads to the plan and the task at their new addresses, with no
// request failing on the way.
'use strict';
const path = require('path');
const { ART, ok, launch, axeSerious, finish, run } = require('./lib.js');

const MOVED = process.env.BASE_MOVED;   // http://127.0.0.1:PORT/cong/
const ROOT = new URL(MOVED).pathname;   // /cong/

async function main() {
  const browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const failed = [], errors = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(r.status() + ' ' + r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  // the menu names the moved sections, and they open
  await page.goto(MOVED);
  const nav = await page.locator('.site-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  ok(JSON.stringify(nav) === JSON.stringify(['', 'plans/', 'docs/', 'co-quan/units/', 'han/', 'changes/',
    'weekly/', 'search/', 'open-data/'].map((d) => ROOT + d)), 'the menu leads to the moved sections: ' + nav.join(' '));
  await page.locator('.site-nav summary').click().catch(() => {});
  await page.locator(`.site-nav a[href="${ROOT}search/"]`).click();
  await page.waitForURL(MOVED + 'search/');
  ok(true, 'the menu opens the moved search page');

  // search by number: the plan's result is at its new address, and opens
  await page.locator('#search-q').fill('185 kh');
  await page.keyboard.press('Enter');
  const results = page.locator('#search-results a');
  await results.first().waitFor({ timeout: 5000 }).catch(() => {});
  const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith(ROOT + 'plans/') || h.startsWith(ROOT + 'docs/') ||
    h.startsWith(ROOT + 'co-quan/units/')), 'every result links into a moved section: ' + hrefs.slice(0, 3).join(' '));
  const planLink = page.locator(`#search-results a[href="${ROOT}plans/185-kh-sdt-tg/"]`);
  ok(await planLink.count() === 1, 'search "185 kh" finds plan 185/KH-SDT&TG at ' + ROOT + 'plans/185-kh-sdt-tg/');
  await page.screenshot({ path: path.join(ART, 'permalinks-search.png'), fullPage: true });
  if (await planLink.count()) {
    await planLink.click();
    await page.waitForURL(MOVED + 'plans/185-kh-sdt-tg/');
    ok(/185\/KH-SDT&TG/.test(await page.title()), 'the result opens the plan\'s page');
    ok(await page.locator(`.site-nav a[href="${ROOT}plans/"][aria-current="page"]`).count() === 1,
      'on the plan, the moved plans entry is the current one');
  }

  // a task found by its words opens its plan at the task's row
  await page.goto(MOVED + 'search/?q=' + encodeURIComponent('so hoa quy trinh'));
  await results.first().waitFor({ timeout: 5000 }).catch(() => {});
  const task = page.locator(`#search-results a[href^="${ROOT}plans/"][href*="#"]`).first();
  ok(await task.count() === 1, 'a task result links to its plan\'s row under ' + ROOT + 'plans/');
  if (await task.count()) {
    const href = await task.getAttribute('href');
    await task.click();
    await page.waitForURL(new URL(href, MOVED).href);
    const id = decodeURIComponent(href.split('#')[1]);
    ok(await page.locator(`[id="${id}"]`).count() === 1, `the task's row #${id} is on the plan's page`);
  }
  ok((await axeSerious(page)).length === 0, 'no serious axe finding on the moved plan page');
  ok(failed.length === 0, 'no request failed (index, records, pages): ' + failed.join(', '));
  ok(errors.length === 0, 'no console error: ' + errors.join(' | '));
  await browser.close();
  finish('permalinks browser');
}

run(main);
