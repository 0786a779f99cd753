// phone.test.js: the portal read on a phone first (390×844 and 320 px) and
// on a desktop (1280×800): a plan page starts with its state, the menu folds
// behind a details/summary "Menu", nothing scrolls sideways, chart labels
// stay readable, search finds what people type, and the sample shows a
// living history.  Run by run.sh with BASE and ARTIFACTS.
'use strict';
const fs = require('fs');
const path = require('path');
const { BASE, ART, ok, launch, axeSerious, finish, run } = require('./lib.js');

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const NARROW = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

const PLAN = '/ke-hoach/ke-hoach-cds-xa-quang-son-2025/';
const PLANS_WITH_CHART = ['/ke-hoach/44-kh-ubnd/', PLAN, '/ke-hoach/185-kh-sdt-tg/'];
const PAGES = {
  home: '/', plans: '/ke-hoach/', plan: PLAN, plan44: '/ke-hoach/44-kh-ubnd/', units: '/don-vi/',
  unit: '/don-vi/so-khcn/', deadlines: '/thoi-han/', changes: '/thay-doi/', search: '/tim-kiem/?q=khcn',
  data: '/du-lieu/', weeks: '/bao-cao-tuan/',
};

async function main() {
  const browser = await launch();
  const phone = await browser.newContext(PHONE);
  const narrow = await browser.newContext(NARROW);
  const desktop = await browser.newContext(DESKTOP);

  // a plan page starts with its state
  for (const url of PLANS_WITH_CHART) {
    const page = await phone.newPage();
    await page.goto(BASE + url);
    const box = await page.locator('#progress').boundingBox();
    ok(box && box.y < 1.5 * 844, `${url}: #progress starts within 1.5 phone screens (at ${box && Math.round(box.y)} px)`);
    const head = await page.locator('#progress').innerText();
    ok(/\d+%/.test(head) && /Hoàn thành/.test(head) && /Quá hạn/.test(head) && /\d{1,2}\/\d{1,2}\/\d{4}/.test(head),
      `${url}: the progress block gives percent done, counts by status, overdue and the as-of date`);
    const order = await page.evaluate(() => {
      const y = (s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().top : -1; };
      return { progress: y('#progress'), about: y('#about'), tasks: y('#tasks') };
    });
    ok(order.progress < order.about && order.about < order.tasks,
      `${url}: the state comes before the metadata and chain, which come before the tasks`);
    const groups = await page.locator('#tasks h3').count();
    const tables = await page.locator('#tasks table.tasks').count();
    ok(groups > 0 && groups === tables, `${url}: every task group is an h3 heading (${groups} for ${tables} tables)`);
    // the chart: rendered label size on a phone
    const sizes = await page.evaluate(() => Array.from(document.querySelectorAll('.chart svg text'))
      .filter((t) => t.getBoundingClientRect().width > 0)
      .map((t) => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)));
    ok(sizes.length > 0 && Math.min(...sizes) >= 12,
      `${url}: chart labels are at least 12 px on a 390 px phone (smallest ${sizes.length ? Math.min(...sizes).toFixed(1) : 'none'})`);
    const points = await page.locator('.chart svg circle').count();
    ok(points >= 5, `${url}: the chart has several points (${points})`);
    await page.close();
  }
  {
    const page = await phone.newPage();
    await page.goto(BASE + PLAN);
    const link = page.locator('nav.toc a[href="#indicators"]');
    const y = (await link.boundingBox() || { y: 1e9 }).y;
    ok(y < 844, `the indicators are one tap from the top of the plan page (link at ${Math.round(y)} px)`);
    await link.click();
    await page.waitForTimeout(200);
    const top = await page.evaluate(() => document.querySelector('#indicators').getBoundingClientRect().top);
    ok(Math.abs(top) < 5, 'tapping it brings the indicators to the top of the screen');
    // task cards: title, status and deadline first
    const card = await page.evaluate(() => {
      const tr = document.querySelector('#tasks table.tasks tbody tr');
      const y = (s) => tr.querySelector(s).getBoundingClientRect().top - tr.getBoundingClientRect().top;
      return { title: y('.task-title'), status: y('.status'), due: y('.due'),
        lead: y('td:has(> ul.unit-refs)'), height: tr.getBoundingClientRect().height };
    });
    ok(card.title < card.status && card.status < card.lead && card.due < card.lead && card.status < 260,
      `a task card shows title, then status and deadline, before its units (${JSON.stringify(card)})`);
    await page.close();
  }

  // the menu: a details/summary "Menu" on a phone, that works without script
  {
    const nojs = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await nojs.newPage();
    await page.goto(BASE + '/');
    const summary = page.locator('.site-nav details > summary');
    ok(await summary.count() === 1 && /Menu/.test(await summary.innerText()), 'on a phone the menu is a details/summary "Menu"');
    const navLinks = page.locator('.site-nav a');
    ok(!(await navLinks.first().isVisible()), 'the menu starts folded on a phone');
    const sbox = await summary.boundingBox();
    ok(sbox && sbox.height < 60, `the folded menu takes one row (${sbox && Math.round(sbox.height)} px)`);
    await summary.click();
    ok(await navLinks.first().isVisible(), 'tapping "Menu" unfolds it, without JavaScript');
    await page.locator('.site-nav a[href$="thoi-han/"]').click();
    ok(/thoi-han\/$/.test(page.url()), 'a menu link then works');
    await nojs.close();
    const d = await desktop.newPage();
    await d.goto(BASE + '/');
    ok(await d.locator('.site-nav a').first().isVisible() && !(await d.locator('.site-nav summary').isVisible()),
      'on a desktop the menu is shown unfolded');
    await d.close();
  }

  // no page scrolls sideways at 320 px
  for (const [name, url] of Object.entries(PAGES)) {
    const page = await narrow.newPage();
    await page.goto(BASE + url);
    await page.waitForTimeout(name === 'search' ? 800 : 0);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(sw <= 320, `${name}: no sideways scroll at 320 px (scrollWidth ${sw})`);
    if (name === 'plan') {
      const sizes = await page.evaluate(() => Array.from(document.querySelectorAll('.chart svg text'))
        .filter((t) => t.getBoundingClientRect().width > 0)
        .map((t) => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)));
      ok(sizes.length > 0 && Math.min(...sizes) >= 12,
        `plan: chart labels are at least 12 px at 320 px too (smallest ${sizes.length ? Math.min(...sizes).toFixed(1) : 'none'})`);
    }
    await page.close();
  }

  // desktop: unit names in task tables do not break word by word
  {
    const page = await desktop.newPage();
    await page.goto(BASE + '/ke-hoach/44-kh-ubnd/');
    const worst = await page.evaluate(() => {
      let w = 0, name = '';
      document.querySelectorAll('table.tasks ul.unit-refs a').forEach((a) => {
        const words = a.textContent.trim().split(/\s+/).length;
        const lh = parseFloat(getComputedStyle(a).lineHeight) || 24;
        const lines = Math.round(a.getBoundingClientRect().height / lh);
        if (words > 2 && lines >= words && lines > w) { w = lines; name = a.textContent; }
      });
      return { w, name };
    });
    ok(worst.w === 0, `on a desktop no unit name in a task table breaks word by word${worst.w ? ' (' + worst.name + ')' : ''}`);
    await page.close();
  }

  // search finds what people type, and says how many it found
  {
    const page = await desktop.newPage();
    const cases = [
      ['so khoa hoc', /\/don-vi\/so-khcn\//, 'Sở Khoa học và Công nghệ'],
      ['khcn', /\/don-vi\/so-khcn\//, 'Sở Khoa học và Công nghệ'],
      ['vp ubnd', /\/don-vi\/van-phong-ubnd-tinh-thai-nguyen\//, 'Văn phòng UBND tỉnh'],
      ['thanh tra tinh lang sonn', /\/don-vi\/thanh-tra-tinh-lang-son\//, 'Thanh tra tỉnh Lạng Sơn (one typo)'],
      ['khoa hco cong nghe', /\/don-vi\/so-khcn\//, 'Sở Khoa học và Công nghệ (one typo)'],
      ['sokhoahoc', /\/don-vi\/so-khcn\//, 'Sở Khoa học và Công nghệ (run together)'],
      ['vpubnd', /\/don-vi\/van-phong-ubnd-tinh-thai-nguyen\//, 'Văn phòng UBND tỉnh (initials run together)'],
      ['ke hoach 44', /\/ke-hoach\/44-kh-ubnd\/$/, 'plan 44/KH-UBND by type and number'],
      ['sohoa quytrinh', /\/ke-hoach\/185-kh-sdt-tg\/#/, 'a task about "số hóa quy trình" (run together)'],
      ['44/KH-UBND', /\/ke-hoach\/44-kh-ubnd\//, 'plan 44/KH-UBND'],
    ];
    for (const [q, target, label] of cases) {
      await page.goto(BASE + '/tim-kiem/?q=' + encodeURIComponent(q));
      await page.locator('#search-results li').first().waitFor({ timeout: 5000 }).catch(() => {});
      const hrefs = await page.locator('#search-results li > a').evaluateAll((as) => as.slice(0, 3).map((a) => a.getAttribute('href')));
      const status = await page.locator('#search-status').innerText().catch(() => '');
      ok(hrefs.some((h) => target.test(h)), `search "${q}" finds ${label} in the first three results (${hrefs.join(' ')})`);
      ok(/\d+/.test(status) && /kết quả/i.test(status), `search "${q}": the page says how many were found ("${status}")`);
    }
    await page.close();
  }

  // a living sample: weekly reports
  {
    const page = await desktop.newPage();
    await page.goto(BASE + '/bao-cao-tuan/');
    const weeks = await page.locator('main a[href*="bao-cao-tuan/"]').evaluateAll((as) =>
      new Set(as.map((a) => a.getAttribute('href')).filter((h) => /\d{4}-w?\d+/i.test(h))).size);
    ok(weeks >= 15, `the sample has 15 or more weekly reports (${weeks})`);
    await page.goto(BASE + '/thay-doi/');
    const text = await page.locator('main').innerText();
    ok(/Cập nhật tiến độ/.test(text) && !/Merge|commit/i.test(text), 'the change log reads as the editors wrote it, in Vietnamese');
    await page.close();
  }

  // the phone layout passes axe too (the folded menu, the cards, the chart)
  {
    for (const [name, url] of [['home', '/'], ['plan', PLAN], ['deadlines', '/thoi-han/']]) {
      const page = await phone.newPage();
      await page.goto(BASE + url);
      const bad = await axeSerious(page);
      ok(bad.length === 0, `${name}: no serious or critical accessibility violation on a phone` +
        (bad.length ? ' (' + bad.join(', ') + ')' : ''));
      await page.close();
    }
  }

  // screenshots: phone and desktop of home, a plan, a unit and the deadlines
  for (const [name, url] of [['home', '/'], ['plan', PLAN], ['unit', '/don-vi/so-khcn/'], ['deadlines', '/thoi-han/']]) {
    for (const [kind, ctx] of [['phone', phone], ['desktop', desktop]]) {
      const page = await ctx.newPage();
      await page.goto(BASE + url);
      await page.screenshot({ path: path.join(ART, `layout-${name}-${kind}.png`) });
      await page.screenshot({ path: path.join(ART, `layout-${name}-${kind}-full.png`), fullPage: true });
      await page.close();
    }
  }

  await browser.close();
  finish('phone/layout');
}

run(main);
