// pages.test.js: a list that outgrows one page, as a citizen walks it on a
// phone and a desktop: a weekly report of 1,200 deadlines cut into pages
// with the windowed pager (the current page marked, next and previous, no
// page wider than the screen), its summary by unit taking the reader to
// the page and the place where each unit's rows start, a unit's rows going
// on from the page before saying so, and the plans index's pages.
'use strict';
const { ok, launch, axeSerious, finish, run } = require('./lib.js');

const BIG = process.env.BASE_BIG;
const WEEK = '/bao-cao-tuan/2025-W02/';
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 900 } },
};

// the list's pager: the nav whose links stay in the list at dir
function listPager(page, dir) {
  return page.locator('nav.pager', { has: page.locator(`a[href^="${dir}"]`) }).first();
}

async function main() {
  const browser = await launch();
  for (const [vp, opts] of Object.entries(VIEWPORTS)) {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(BIG + WEEK);
    const pager = listPager(page, WEEK);
    ok(await pager.isVisible(), `${vp}: the weekly report's first page shows its pager`);
    ok((await pager.locator('[aria-current="page"]').innerText()).trim() === '1', `${vp}: ... marking page 1 as the current one`);
    const numbers = (await pager.locator('li a:not([rel]), li [aria-current]').allInnerTexts()).map((t) => +t.trim());
    ok(numbers.length >= 3 && numbers.length <= 9, `${vp}: ... linking to a window of pages (${numbers.join(' ')})`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    ok(wide <= 0, `${vp}: the report's page is no wider than the screen (${wide} px over)`);

    // the summary by unit: a unit whose rows start on another page
    const far = page.locator('table.week-units a[href*="/trang/"]').first();
    ok(await far.count() === 1, `${vp}: the summary links a unit to a later page of the report`);
    const href = await far.getAttribute('href');
    const name = (await far.innerText()).trim();
    await far.click();
    await page.waitForURL((u) => u.pathname + u.hash === href);
    const anchor = href.split('#')[1];
    const box = await page.locator(`#${anchor}`).boundingBox();
    ok(box && box.y >= -2 && box.y < 400, `${vp}: ... which opens on that page at ${name}'s rows (y ${box && Math.round(box.y)})`);
    const heading = (await page.locator(`#h-${anchor}`).innerText()).trim();
    ok(heading.startsWith(name), `${vp}: ... under its heading (${heading})`);
    const rows = await page.locator(`#${anchor} table.week-overdue tbody tr`).count();
    ok(rows > 0, `${vp}: ... with its overdue tasks (${rows})`);

    // next and previous, and a group going on from the page before
    await page.goto(BIG + WEEK);
    await listPager(page, WEEK).locator('a[rel="next"]').click();
    await page.waitForURL(BIG + WEEK + 'trang/2/');
    ok((await listPager(page, WEEK).locator('[aria-current="page"]').innerText()).trim() === '2', `${vp}: "Trang sau" opens page 2`);
    ok(await page.locator('.week-unit h2 .meta', { hasText: 'tiếp theo' }).count() > 0,
      `${vp}: page 2 says the unit's rows go on from page 1`);
    const bad = await axeSerious(page);
    ok(bad.length === 0, `${vp}: page 2 of the report has no serious accessibility violation` +
      (bad.length ? ' (' + bad.join(', ') + ')' : ''));
    await listPager(page, WEEK).locator('a[rel="prev"]').click();
    await page.waitForURL(BIG + WEEK);
    ok(await page.locator('table.week-units').isVisible(), `${vp}: "Trang trước" goes back to the summary`);

    // the plans index: 430 plans over two pages, every plan on one of them
    await page.goto(BIG + '/ke-hoach/');
    const first = await page.locator('table.plans tbody tr').count();
    await listPager(page, '/ke-hoach/').locator('a[rel="next"]').click();
    await page.waitForURL(BIG + '/ke-hoach/trang/2/');
    const second = await page.locator('table.plans tbody tr').count();
    ok(first === 400 && second === 30, `${vp}: the plans index shows 400 plans, then the other 30 (${first}, ${second})`);

    ok(errors.length === 0, `${vp}: no script error (${errors.join('; ')})`);
    await ctx.close();
  }
  await browser.close();
  finish('paginated lists');
}

run(main);
