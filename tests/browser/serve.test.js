// serve.test.js: what an editor sees in `plansite serve --worktree` (run.sh
// serves a copy of the sample, BASE_SERVE, work tree SERVE_REPO): a saved
// edit reloads the open plan page by itself with the new text, and an open
// list page too (the lists render after the plan's page, and must not come
// back stale); a syntax error shows the located message over the page,
// and fixing it takes the message away.  No script or style is refused
// by the pages' Content-Security-Policy on the way.
'use strict';
const fs = require('fs');
const path = require('path');
const { ART, ok, launch, finish, run } = require('./lib.js');

const BASE = process.env.BASE_SERVE;
const FILE = path.join(process.env.SERVE_REPO, 'content/plans/ke-hoach-cds-xa-quang-son-2025.md');
const PLAN = '/ke-hoach/ke-hoach-cds-xa-quang-son-2025/';
const LIST = '/ke-hoach/';
const NEW = 'Kế hoạch chuyển đổi số xã Quảng Sơn, bản sửa thử';

// Waits until the page (reloaded by the server, maybe more than once
// meanwhile) has text in its body.  A poll from outside the page: its
// Content-Security-Policy refuses the evaluated code of waitForFunction.
async function shows(page, text, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    try {
      if ((await page.innerText('body', { timeout: 1000 })).includes(text)) return true;
    } catch (e) { /* a reload in the middle of the check: check the new page */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function main() {
  const browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const plan = await ctx.newPage();
  const list = await ctx.newPage();
  for (const p of [plan, list]) {
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(String(e)));
  }
  await plan.goto(BASE + PLAN);
  await list.goto(BASE + LIST);
  ok(!(await plan.innerText('body')).includes(NEW), 'the plan page shows the title as committed');

  const original = fs.readFileSync(FILE, 'utf8');
  const edited = original.replace(/^title: ".*"$/m, `title: "${NEW}"`);
  ok(edited !== original, 'the sample plan has a title line to edit');
  const t0 = Date.now();
  fs.writeFileSync(FILE, edited);
  ok(await shows(plan, NEW), 'a saved title reloads the open plan page with the new title');
  const seconds = (Date.now() - t0) / 1000;
  console.log(`# the plan page showed the edit after ${seconds.toFixed(2)} s`);
  ok(await shows(list, NEW), '... and the open plans list, rendered after it');
  await plan.screenshot({ path: path.join(ART, 'serve-edited.png') });

  // a syntax error: the last good site stays, with the located message over it
  fs.writeFileSync(FILE, edited.replace(/^tasks:$/m, 'tasks:\n  - { id: "99", title: [\n'));
  let shown = false;
  try {
    await plan.waitForSelector('#plansite-errors', { state: 'visible', timeout: 60000 });
    shown = true;
  } catch (e) { /* reported below */ }
  ok(shown, 'a syntax error shows the report over the page');
  const report = shown ? await plan.innerText('#plansite-errors') : '';
  ok(/content\/plans\/ke-hoach-cds-xa-quang-son-2025\.md:\d+:\d+: error: /.test(report),
    '... with the file, line and column of the error');
  ok((await plan.innerText('body')).includes(NEW), '... over the last good page');
  await plan.screenshot({ path: path.join(ART, 'serve-error.png') });

  fs.writeFileSync(FILE, original);
  let gone = false;
  try {
    await plan.waitForSelector('#plansite-errors', { state: 'detached', timeout: 60000 });
    gone = true;
  } catch (e) { /* reported below */ }
  ok(gone, 'fixing the error takes the report away');
  ok(!(await plan.innerText('body')).includes(NEW), '... and the page shows the file as it is now');
  ok(errors.length === 0, 'no script error or refused resource: ' + errors.slice(0, 3).join(' | '));
  await browser.close();
  finish('serve');
}

run(main);
