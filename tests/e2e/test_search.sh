#!/usr/bin/env bash
# test_search.sh: the static search: a real repository is built, then the
# theme's real search.js (with fold.js) runs under Node over the built files.
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null || { echo "ok - # skip: node is not installed"; exit 0; }

R=$T/repo
newrepo "$R"
cat >"$R/content/units.yaml" <<'YAML'
- { id: ubnd-tinh, name: UBND tỉnh Thái Nguyên, kind: agency }
- { id: so-khcn, name: Sở Khoa học và Công nghệ, aliases: [Sở KH&CN], parent: ubnd-tinh, kind: department }
- { id: so-dttg, name: Sở Dân tộc và Tôn giáo, parent: ubnd-tinh, kind: department }
- { id: vp-so-dttg, name: Văn phòng, parent: so-dttg, kind: department }
- { id: phong-dong-hy, name: Phòng Đồng Hỷ, kind: department }
- { id: xss, name: "Ban <img src=x onerror=alert(1)> \"thử\"", kind: agency }
YAML
cat >"$R/content/documents.yaml" <<'YAML'
- { number: 57-NQ/TW, type: Nghị quyết, title: "Về đột phá phát triển khoa học, công nghệ", issuer: Bộ Chính trị, date: 2024-12-22 }
- { number: 71/NQ-CP, type: Nghị quyết, title: "Chương trình hành động của Chính phủ", aliases: [71-NQ/CP], implements: [57-NQ/TW] }
YAML
cat >"$R/content/plans/185.md" <<'MD'
---
number: "185/KH-SDT&TG"
title: "Thực hiện Nghị quyết số 71/NQ-CP về chuyển đổi số"
issuer: Sở Dân tộc và Tôn giáo
date: 2025-07-21
implements: [71-NQ/CP]
tasks:
  - { id: "1", title: "Hoàn thành số hóa quy trình nghiệp vụ nội bộ", lead: Văn phòng, output: Báo cáo, due: Thường xuyên }
  - { id: "2", title: "Nâng cấp hạ tầng mạng nội bộ", lead: Phòng Đồng Hỷ, output: Hệ thống, due: Năm 2025 }
---
MD
cat >"$R/content/plans/so-hoa.md" <<'MD'
---
number: "12/KH-SKHCN"
title: "Số hóa hồ sơ"
issuer: Sở KH&CN
date: 2025-03-01
implements: [57-NQ/TW]
tasks:
  - { id: "1", title: "Rà soát kho lưu trữ", lead: Sở Khoa học và Công nghệ, due: Năm 2025 }
---
MD
cat >"$R/content/plans/duong.md" <<'MD'
---
number: "3/KH-UBND"
title: "Tuyên dương điển hình tiên tiến"
issuer: UBND tỉnh Thái Nguyên
date: 2025-01-10
---
MD
cat >"$R/content/plans/duong2.md" <<'MD'
---
number: "4/KH-UBND"
title: "Nâng cấp đường giao thông nông thôn"
issuer: UBND tỉnh Thái Nguyên
date: 2025-01-11
---
MD
commit "$R" 2025-12-01T10:00:00+07:00 "Nội dung thử"
build_ok "$R" "$T/out" || { not_ok "the site builds"; finish; }
ok "the site builds"

S=$T/out/tim-kiem
check "the index has a manifest, shards and records" test -s "$S/manifest.json" -a -d "$S/idx" -a -s "$S/rec/0.json"
check "every index file name is ASCII" bash -c "! find '$S' -name '*[! -~]*' | grep -q ."
check "the search page links the plans, units and documents indexes without JavaScript" \
	bash -c "tr -d '\n' <'$S/index.html' | grep -q '<noscript>.*href=\"/ke-hoach/\".*href=\"/van-ban/\".*href=\"/don-vi/\".*</noscript>'"
check "the search page has a live region for the count" grep -q 'aria-live="polite"' "$S/index.html"
check "search.js never writes HTML (no innerHTML, outerHTML, insertAdjacentHTML, document.write)" \
	bash -c "! grep -nE 'innerHTML|outerHTML|insertAdjacentHTML|document\\.write' '$ROOT/themes/default/static/search.js'"
check "search.js loads nothing from outside the site" \
	bash -c "! grep -nE 'https?://' '$ROOT/themes/default/static/search.js'"

# the same commit builds the same index, byte for byte
build_ok "$R" "$T/out2" || not_ok "second build"
check "the index is byte-identical on a second build" diff -r "$T/out/tim-kiem" "$T/out2/tim-kiem"

cat >"$T/harness.js" <<'JS'
'use strict';
/* Runs search.js's engine over a built site with a fetch that reads files. */
const fs = require('fs');
const path = require('path');
const root = process.argv[2], out = process.argv[3], mode = process.argv[4] || 'checks';
const fold = require(path.join(root, 'themes/default/static/fold.js'));
const S = require(path.join(root, 'themes/default/static/search.js'));
let bytes = 0, files = 0;
function engine() {
  return new S.Engine(p => {
    const b = fs.readFileSync(path.join(out, 'tim-kiem', p));
    bytes += b.length;
    files++;
    return Promise.resolve(JSON.parse(b.toString('utf8')));
  }, fold);
}
let fails = 0;
function ok(c, d) { console.log((c ? 'ok - ' : 'not ok - ') + d); if (!c) fails++; }
async function top(e, q) { const r = await e.query(q); return { r, recs: await r.page(0) }; }
const marks = (t, w) => S.highlight(t, w, fold).map(p => p[1] ? '[' + p[0] + ']' : p[0]).join('');

(async () => {
  if (mode === 'bytes') {
    const r = await engine().query(process.argv[5]);
    await r.page(0);
    console.log(bytes + ' ' + files + ' ' + r.total);
    return;
  }
  const e = engine();
  let { r, recs } = await top(e, 'so hoa');
  const plan = recs.find(x => x.kind === 'plan' && x.title === 'Số hóa hồ sơ');
  ok(plan && plan.url === '/ke-hoach/12-kh-skhcn/', '"so hoa" finds the plan "Số hóa hồ sơ"');
  ok(recs.length && recs[0].title === 'Số hóa hồ sơ', '"so hoa" ranks that plan first (a title match)');
  ok(plan && marks(plan.title, r.words) === '[Số] [hóa] hồ [sơ]', 'the matched words are marked, accents aside: ' + (plan && marks(plan.title, r.words)));
  const task = recs.find(x => x.kind === 'task' && /số hóa/.test(x.title));
  ok(task && task.url === '/ke-hoach/185-kh-sdt-tg/#1' && /185\/KH-SDT&TG/.test(task.context),
    'a task is found with its plan and links to its row: ' + (task && task.url + ' | ' + task.context));
  if (task) {
    const html = fs.readFileSync(path.join(out, 'ke-hoach/185-kh-sdt-tg/index.html'), 'utf8');
    ok(html.includes('id="1"'), 'the plan page has the task row the link points to');
  }
  ok(r.total === recs.length && r.total < 10, '"so hoa" count is the number of results (' + r.total + ')');

  ({ r, recs } = await top(e, 'dong'));
  ok(recs.some(x => x.kind === 'unit' && x.title === 'Phòng Đồng Hỷ'), '"dong" finds the unit "Phòng Đồng Hỷ"');
  ok(recs.some(x => x.kind === 'task' && /Đồng Hỷ/.test(x.context)), '"dong" finds the task its unit leads');

  ({ r, recs } = await top(e, 'đường'));
  const ia = recs.findIndex(x => /đường/.test(x.title)), ib = recs.findIndex(x => /dương/.test(x.title));
  ok(ia >= 0 && ib >= 0 && ia < ib, '"đường" ranks "' + (recs[ia] || {}).title + '" before "' + (recs[ib] || {}).title + '"');
  ({ r, recs } = await top(e, 'duong'));
  const ja = recs.findIndex(x => /đường/.test(x.title)), jb = recs.findIndex(x => /dương/.test(x.title));
  ok(ja >= 0 && jb >= 0 && jb < ja, '"duong" (no accents) finds both, in site order');
  ({ r, recs } = await top(e, 'dương'));
  ok(recs.length && /dương/.test(recs[0].title), '"dương" ranks the "dương" title first');

  for (const q of ['57/nq-tw', '57-NQ/TW', '57 NQ TW', '57nqtw']) {
    ({ r, recs } = await top(e, q));
    ok(recs.length && recs[0].kind === 'document' && /57-NQ\/TW/.test(recs[0].context) && recs[0].url === '/van-ban/57-nq-tw/',
      '"' + q + '" finds the document 57-NQ/TW first');
  }
  for (const q of ['185 KH', '185/kh-sdt&tg', '185KH']) {
    ({ r, recs } = await top(e, q));
    ok(recs.length && recs[0].kind === 'plan' && /185\/KH-SDT&TG/.test(recs[0].context), '"' + q + '" finds 185/KH-SDT&TG first');
  }
  for (const q of ['71-NQ/CP', '71/nq-cp']) {
    ({ r, recs } = await top(e, q));
    ok(recs.length && recs[0].kind === 'document' && recs[0].url === '/van-ban/71-nq-cp/', '"' + q + '" finds the document 71/NQ-CP');
  }
  ({ r, recs } = await top(e, 'sở khoa học'));
  ok(recs.length && recs[0].kind === 'unit' && recs[0].title === 'Sở Khoa học và Công nghệ', '"sở khoa học" finds the unit by its name, first');
  ({ r, recs } = await top(e, 'KH&CN'));
  ok(recs.some(x => x.kind === 'unit' && x.title === 'Sở Khoa học và Công nghệ'), '"KH&CN" finds the unit by its alias');
  const top3 = (q, recs) => recs.slice(0, 3).some(x => x.kind === 'unit' && x.title === 'Sở Khoa học và Công nghệ');
  for (const q of ['khcn', 'skhcn', 'sokhoahoc', 'khoahocva', 'sở khoa hcọ', 'khao hoc cong nghe']) {
    ({ r, recs } = await top(e, q));
    ok(top3(q, recs), '"' + q + '" (initials, words run together or one typo) finds the unit in the first three');
  }
  ({ r, recs } = await top(e, 'ke hoach 185'));
  ok(recs.length && recs[0].kind === 'plan' && /185\/KH-SDT&TG/.test(recs[0].context),
    '"ke hoach 185": the plan whose number has 185 comes first, before tasks that mention it');
  for (const q of ['sohoa hoso', 'sohoahoso']) {
    ({ r, recs } = await top(e, q));
    ok(recs.slice(0, 3).some(x => x.title === 'Số hóa hồ sơ'), '"' + q + '" (words run together) finds the plan "Số hóa hồ sơ"');
  }
  ({ r, recs } = await top(e, 'sở khoa học xyzw'));
  ok(r.total === 0, 'a word two typos away from every word finds nothing');
  ok(S.near(Array.from('hoc'), Array.from('hco')) && S.near(Array.from('son'), Array.from('sonn')) &&
    S.near(Array.from('khoa'), Array.from('koa')) && !S.near(Array.from('khoa'), Array.from('kahi')),
    'one edit (change, add, drop, swap) is near; two are not');
  ({ r, recs } = await top(e, 'Số hó'));
  ok(recs.length && recs[0].title === 'Số hóa hồ sơ', 'the last word matches as a prefix ("Số hó")');
  ({ r, recs } = await top(e, 'zzzz không có'));
  ok(r.total === 0 && recs.length === 0, 'a query matching nothing has no results');
  ({ r, recs } = await top(e, ' ,;- '));
  ok(r.total === 0, 'a query without words has no results');

  ({ r, recs } = await top(e, 'onerror'));
  const x = recs.find(y => y.kind === 'unit');
  ok(x && x.title === 'Ban <img src=x onerror=alert(1)> "thử"', 'markup in content stays text in the index');
  ok(x && S.highlight(x.title, r.words, fold).map(p => p[0]).join('') === x.title,
    'highlighting splits text without changing it');

  process.exitCode = fails ? 1 : 0;
})().catch(err => { console.log('not ok - ' + err.stack); process.exitCode = 1; });
JS
if node "$T/harness.js" "$ROOT" "$T/out" >"$T/node.out" 2>&1; then
	cat "$T/node.out"
else
	cat "$T/node.out"
	not_ok "search.js finds what it should"
fi

# the version changes when the content does, so browsers fetch the new index
sed -i 's/Số hóa hồ sơ/Số hóa hồ sơ lưu trữ/' "$R/content/plans/so-hoa.md"
commit "$R" 2025-12-02T10:00:00+07:00 "Sửa tên"
build_ok "$R" "$T/out3" || not_ok "third build"
v1=$(json 'd["v"]' "$S/manifest.json")
v3=$(json 'd["v"]' "$T/out3/tim-kiem/manifest.json")
check "the index version changes with the content ($v1 -> $v3)" test "$v1" != "$v3"

# The first query's download on a big site: SEARCH_CORPUS_OUT names a built
# site (python3 /work/shared/tools/gencorpus.py /tmp/corpus --plans 1000
# --tasks 40 --commits 10; plansite build --repo /tmp/corpus --out DIR).
if [ -n "${SEARCH_CORPUS_OUT:-}" ]; then
	read -r bytes files total < <(node "$T/harness.js" "$ROOT" "$SEARCH_CORPUS_OUT" bytes "so hoa")
	size=$(du -sb "$SEARCH_CORPUS_OUT/tim-kiem" | cut -f1)
	largest=$(find "$SEARCH_CORPUS_OUT/tim-kiem" -type f -printf '%s %P\n' | sort -n | tail -1)
	echo "# big site: index $size bytes, largest file $largest; \"so hoa\": $total results, $files files, $bytes bytes"
	check "the first query \"so hoa\" downloads under 300 KB on the big site ($bytes bytes)" test "$bytes" -lt 300000
else
	echo "ok - # skip: set SEARCH_CORPUS_OUT to measure a big site"
fi
finish
