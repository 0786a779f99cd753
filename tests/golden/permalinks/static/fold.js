/* fold.js: search folding, the same function as text_search_fold() in src/text.c. */
(function (root) {
  'use strict';

  var MARKS = /\p{M}/gu;

  /* NFD, drop every combining mark, đ/Đ -> d, lower-case one code point at a
   * time, NFC.  The order matters and is the C side's: marks go before
   * lower-casing, and lower-casing is per code point, so String.toLowerCase's
   * context rules (final sigma) and multi-code-point results (U+0130) can
   * never make the browser disagree with the generated index. */
  function plansiteFold(s) {
    var t = String(s).normalize('NFD').replace(MARKS, '');
    var out = '';
    for (var ch of t) {
      out += (ch === '\u0111' || ch === '\u0110') ? 'd' : ch.toLowerCase();
    }
    return out.normalize('NFC');
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = plansiteFold;
    module.exports.plansiteFold = plansiteFold;
  }
  if (root) {
    root.plansiteFold = plansiteFold;
  }
})(typeof window !== 'undefined' ? window : null);
