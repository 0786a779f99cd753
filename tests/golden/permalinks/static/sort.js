/* plansite: sortable tables and filter boxes (progressive enhancement).
 * <table data-sortable>: column headers become buttons; aria-sort is kept
 *   current.  A cell's data-sort attribute, when present, is its sort key.
 * [data-filter="Label"]: a text box is inserted before the element; it filters
 *   table rows (or list items) by their text, diacritic-insensitively.
 *   data-filter-status="... {n} ... {total} ..." is the live count message.
 * Every visible word comes from attributes the templates fill from strings. */
(function () {
  'use strict';
  if (!document.querySelectorAll || !Array.prototype.forEach) return;

  var collator = (window.Intl && Intl.Collator) ?
    new Intl.Collator('vi', { numeric: true, sensitivity: 'base' }) : null;

  function compareText(a, b) {
    return collator ? collator.compare(a, b) : a.localeCompare(b, 'vi');
  }

  function fold(s) {
    if (typeof window.plansiteFold === 'function') return window.plansiteFold(s);
    s = String(s).normalize ? String(s).normalize('NFD') : String(s);
    return s.replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var k = cell.getAttribute('data-sort');
    return (k !== null ? k : cell.textContent).replace(/\s+/g, ' ').trim();
  }

  var NUM = /^-?\d+(?:[.,]\d+)?%?$/;
  function toNum(s) { return parseFloat(s.replace('%', '').replace(',', '.')); }

  function sortTable(table, index, th) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    each(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    each(table.tBodies, function (tbody) {
      var rows = [], fixed = [];
      each(tbody.rows, function (r) {
        (r.classList.contains('empty-row') ? fixed : rows).push(r);
      });
      var keys = rows.map(function (r, i) { return { row: r, key: cellKey(r, index), i: i }; });
      var numeric = keys.length > 0 && keys.every(function (k) { return k.key === '' || NUM.test(k.key); });
      keys.sort(function (a, b) {
        var d;
        if (a.key === '' || b.key === '') d = (a.key === '') - (b.key === '');
        else d = numeric ? toNum(a.key) - toNum(b.key) : compareText(a.key, b.key);
        if (!asc && a.key !== '' && b.key !== '') d = -d;
        return d || a.i - b.i;
      });
      keys.forEach(function (k) { tbody.appendChild(k.row); });
      fixed.forEach(function (r) { tbody.appendChild(r); });
    });
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    each(table.tHead.rows[0].cells, function (th, index) {
      if (th.hasAttribute('data-nosort') || th.querySelector('button')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, index, th); });
    });
  }

  /* ----- filtering ----- */
  function ownText(li) {
    var text = '';
    each(li.childNodes, function (n) {
      if (n.nodeType === 1 && (n.tagName === 'UL' || n.tagName === 'OL')) return;
      text += n.textContent + ' ';
    });
    return text;
  }

  function showAll(list) {
    if (!list) return;
    each(list.querySelectorAll('li'), function (li) { li.hidden = false; });
  }

  /* Filters a list; returns the number of matching items in it. */
  function filterList(list, q, counts) {
    var shown = 0;
    each(list.children, function (li) {
      if (li.tagName !== 'LI' || li.classList.contains('empty')) return;
      var sub = null;
      each(li.children, function (c) { if (c.tagName === 'UL' || c.tagName === 'OL') sub = c; });
      counts.total += 1 + (sub ? sub.querySelectorAll('li:not(.empty)').length : 0);
      var n;
      if (!q || fold(ownText(li)).indexOf(q) >= 0) {
        showAll(sub);
        n = 1 + (sub ? sub.querySelectorAll('li:not(.empty)').length : 0);
      } else {
        var sc = { total: 0 };
        n = sub ? filterList(sub, q, sc) : 0;
      }
      li.hidden = n === 0;
      shown += n;
    });
    return shown;
  }

  function filterTables(root, q) {
    var shown = 0, total = 0;
    var tables = root.tagName === 'TABLE' ? [root] : root.querySelectorAll('table');
    each(tables, function (table) {
      var visible = 0, empty = null;
      each(table.tBodies, function (tbody) {
        each(tbody.rows, function (r) {
          if (r.classList.contains('empty-row')) { empty = r; return; }
          total++;
          var match = !q || fold(r.textContent).indexOf(q) >= 0;
          r.hidden = !match;
          if (match) visible++;
        });
      });
      shown += visible;
      var wrap = table.closest ? table.closest('.table-wrap') : null;
      var hideTable = q && visible === 0;
      (wrap || table).hidden = !!hideTable;
      if (empty) empty.hidden = !!q;
    });
    return { shown: shown, total: total };
  }

  var counter = 0;
  function makeFilter(el) {
    var label = el.getAttribute('data-filter');
    if (!label || !el.parentNode) return;
    if (!el.querySelector('tbody tr:not(.empty-row), li:not(.empty)')) return;
    var id = 'plansite-filter-' + (++counter);
    var box = document.createElement('div');
    box.className = 'filter';
    var lab = document.createElement('label');
    lab.htmlFor = id;
    lab.textContent = label;
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    input.spellcheck = false;
    var status = document.createElement('span');
    status.className = 'filter-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    box.appendChild(lab);
    box.appendChild(input);
    box.appendChild(status);
    el.parentNode.insertBefore(box, el);

    var template = el.getAttribute('data-filter-status') || '';
    var timer = null;
    function run() {
      var q = fold(input.value.replace(/\s+/g, ' ').trim());
      var r;
      if (el.tagName === 'UL' || el.tagName === 'OL') {
        var counts = { total: 0 };
        r = { shown: filterList(el, q, counts), total: counts.total };
      } else {
        r = filterTables(el, q);
      }
      status.textContent = q && template ?
        template.replace('{n}', r.shown).replace('{total}', r.total) : '';
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
  }

  function init() {
    each(document.querySelectorAll('table[data-sortable]'), makeSortable);
    each(document.querySelectorAll('[data-filter]'), makeFilter);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
