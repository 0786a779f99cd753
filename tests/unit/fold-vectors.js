/* fold-vectors.js: runs tests/unit/fold-vectors.txt through the theme's fold.js (node tests/unit/fold-vectors.js). */
'use strict';

const fs = require('fs');
const path = require('path');
const plansiteFold = require(path.join(__dirname, '..', '..', 'themes',
  'default', 'static', 'fold.js'));

const file = path.join(__dirname, 'fold-vectors.txt');
const lines = fs.readFileSync(file, 'utf8').split('\n');
let run = 0;
let failed = 0;

lines.forEach((line, i) => {
  if (line === '' || line.startsWith('#')) {
    return;
  }
  const tab = line.indexOf('\t');
  if (tab < 0) {
    console.error(`${file}:${i + 1}: error: no tab`);
    failed++;
    return;
  }
  const input = line.slice(0, tab);
  const want = line.slice(tab + 1);
  const got = plansiteFold(input);
  run++;
  if (got !== want) {
    console.error(`${file}:${i + 1}: error: fold(${JSON.stringify(input)}) = ` +
      `${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    failed++;
  }
});

/* fold.js is also loaded in pages: it must register itself on window */
const vm = require('vm');
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(path.join(__dirname, '..', '..', 'themes',
  'default', 'static', 'fold.js'), 'utf8'), sandbox);
if (typeof sandbox.window.plansiteFold !== 'function' ||
    sandbox.window.plansiteFold('Số HÓA') !== 'so hoa') {
  console.error('fold.js: window.plansiteFold missing or wrong in a browser context');
  failed++;
}

console.log(`fold-vectors.js: ${run} vectors, ${failed} failed`);
process.exit(failed || run === 0 ? 1 : 0);
