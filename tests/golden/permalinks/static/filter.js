/* plansite: status chips (progressive enhancement).
 * <div class="status-filter">: its chips (a.chip[data-status]) link to
 * anchors that the style sheet turns into filters with :target, so they
 * work without JavaScript.  Here they become toggle buttons that narrow
 * the list in place (data-show on the container), without jumping to the
 * anchor, and say which one is pressed. */
(function () {
  'use strict';
  if (!document.querySelectorAll || !Array.prototype.forEach) return;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setup(box) {
    var chips = box.querySelectorAll('a.chip[data-status]');
    if (!chips.length) return;
    function show(status) {
      /* an anchor's :target filter would outlive the choice: drop it */
      if (location.hash && box.querySelector('.filter-target[id="' + location.hash.slice(1) + '"]') &&
          window.history && history.replaceState) {
        history.replaceState(null, '', location.pathname + location.search);
      }
      if (status === 'all') box.removeAttribute('data-show');
      else box.setAttribute('data-show', status);
      each(chips, function (c) {
        c.setAttribute('aria-pressed', c.getAttribute('data-status') === status ? 'true' : 'false');
      });
    }
    each(chips, function (c) {
      c.setAttribute('role', 'button');
      c.addEventListener('click', function (e) {
        e.preventDefault();
        var s = c.getAttribute('data-status');
        show(c.getAttribute('aria-pressed') === 'true' ? 'all' : s);
      });
      c.addEventListener('keydown', function (e) {
        if (e.key === ' ') { e.preventDefault(); c.click(); }
      });
    });
    /* a link from elsewhere (#loc-qua-han) still narrows on arrival */
    var start = 'all';
    each(chips, function (c) {
      if (location.hash && c.getAttribute('href') === location.hash) start = c.getAttribute('data-status');
    });
    show(start);
  }

  function init() { each(document.querySelectorAll('.status-filter'), setup); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
