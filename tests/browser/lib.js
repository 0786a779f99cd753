// lib.js: what every browser test file shares: Debian's chromium launched
// the same way, TAP-like "ok"/"not ok" lines, axe-core's serious findings on
// a page, and the closing line and exit status.  Run by run.sh with BASE
// (the served sample) and ARTIFACTS (where screenshots go).
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE;
const ART = process.env.ARTIFACTS;
let failures = 0;

function ok(cond, what) {
  if (cond) console.log('ok - ' + what);
  else { console.log('not ok - ' + what); failures++; }
}

function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

let axeSource = null;
// The serious and critical axe findings of the page, as "rule: nodes"
// strings.  axe is evaluated, not added as a <script>: the pages'
// Content-Security-Policy rightly refuses inline script.
async function axeSerious(page) {
  if (!axeSource) axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.length);
}

// Prints the closing line of a file's checks and exits 1 on any failure.
function finish(what) {
  if (failures) {
    console.log(`${failures} ${what} check(s) failed; screenshots in ${ART}`);
    process.exit(1);
  }
  console.log(`all ${what} checks passed; screenshots in ${ART}`);
}

function run(main) {
  main().catch((e) => { console.error(e); process.exit(1); });
}

module.exports = { BASE, ART, ok, launch, axeSerious, finish, run };
