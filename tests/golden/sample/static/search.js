/* search.js: the static search of /tim-kiem/, over the index that src/search.c writes. */
(function (root) {
  'use strict';

  /* The index (see src/search.c): manifest.json; idx/<key>.json holds
   * shards (the manifest's files[] say which), each mapping a
   * folded word to its spellings [lower-cased spelling, N, T, C], each list
   * a string of record ids ('d' + varint gaps or 'b' + start + bitmap, in
   * base64 digits); rec/<n>.json holds records [title, url, context]. */
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var DEC = [];
  for (var d = 0; d < 64; d++) DEC[B64.charCodeAt(d)] = d;

  /* The same words as search_words() in C: runs of letters, marks, digits. */
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var DIGIT = /\p{N}/u;
  var PAGE = 20;

  /* Calls fn(id) for each record id of one encoded list. */
  function decodeIds(s, fn) {
    if (!s) return;
    var i = 1;
    function varint() {
      var v = 0, scale = 1, c;
      do {
        c = DEC[s.charCodeAt(i++)];
        v += (c & 31) * scale;
        scale *= 32;
      } while (c & 32);
      return v;
    }
    var id = varint();
    if (s.charAt(0) === 'd') {
      fn(id);
      while (i < s.length) {
        id += varint() + 1;
        fn(id);
      }
      return;
    }
    for (var k = id; i < s.length; i++, k += 6) {
      var c = DEC[s.charCodeAt(i)];
      for (var b = 0; b < 6; b++) if (c & (1 << b)) fn(k + b);
    }
  }

  function cps(s) { return Array.from(s); }

  /* The query's words: as typed (lower-cased) and folded.  A word typed
   * without diacritics matches every spelling equally. */
  function parseQuery(q, fold) {
    var low = String(q).normalize('NFC').toLowerCase();
    var words = [];
    (low.match(WORD) || []).forEach(function (w) {
      var f = fold(w);
      if (f) words.push({ lower: w, fold: f, accented: w !== f });
    });
    if (words.length) {
      var last = words[words.length - 1];
      last.prefix = cps(last.fold).length >= 2;
    }
    return words;
  }

  /* File name of a shard key, as search_shard_name() in C. */
  function shardName(key) {
    var out = '';
    cps(key).forEach(function (ch) {
      out += /^[a-z0-9]$/.test(ch) ? ch : '_' + ch.codePointAt(0).toString(16) + '_';
    });
    return out;
  }

  /* load(path) returns a promise of the parsed JSON file at path, relative
   * to the index folder; fold is plansiteFold (fold.js). */
  function Engine(load, fold) {
    this.load = load;
    this.fold = fold;
    this.cache = {};
    this.manifest = null;
  }

  Engine.prototype.get = function (path) {
    if (!this.cache[path]) {
      var self = this;
      this.cache[path] = this.load(path).catch(function (e) {
        delete self.cache[path];
        throw e;
      });
    }
    return this.cache[path];
  };

  Engine.prototype.ready = function () {
    var self = this;
    if (this.manifest) return Promise.resolve(this.manifest);
    return this.get('manifest.json').then(function (m) {
      if (!self.manifest) {
        self.manifest = m;
        self.keys = {};
        self.split = {};
        self.file = {};
        var f = 0;
        m.shards.forEach(function (k, i) {
          self.keys[k] = true;
          while (f + 1 < m.files.length && m.files[f + 1] <= i) f++;
          self.file[k] = shardName(m.shards[m.files[f]]);
          var c = cps(k);
          for (var n = 2; n < c.length; n++) self.split[c.slice(0, n).join('')] = true;
        });
      }
      return self.manifest;
    });
  };

  /* The shard key that holds word w (or whose words start with w when the
   * descent stops at w itself), following the splits. */
  Engine.prototype.descend = function (w) {
    var c = cps(w);
    if (c.length < 2) return w;
    var n = 2, p = c.slice(0, 2).join('');
    while (this.split[p] && c.length > n) p = c.slice(0, ++n).join('');
    return p;
  };

  /* Shard keys to load for a word, exact or as a prefix. */
  Engine.prototype.shardsFor = function (w, prefix) {
    var p = this.descend(w);
    if (prefix && this.split[p]) {
      return this.manifest.shards.filter(function (k) { return k.lastIndexOf(p, 0) === 0; });
    }
    return this.keys[p] ? [p] : [];
  };

  Engine.prototype.shards = function (keys) {
    var self = this;
    return Promise.all(keys.map(function (k) {
      return self.get('idx/' + self.file[k] + '.json').then(function (f) { return f[k]; });
    }));
  };

  /* The entries ([word, spellings]) of loaded shards matching w. */
  function entries(shards, w, prefix) {
    var out = [];
    shards.forEach(function (sh) {
      if (!prefix) {
        if (Object.prototype.hasOwnProperty.call(sh, w)) out.push([w, sh[w]]);
        return;
      }
      Object.keys(sh).forEach(function (k) {
        if (k.lastIndexOf(w, 0) === 0) out.push([k, sh[k]]);
      });
    });
    return out;
  }

  /* The ways to split w, a word typed without its spaces ("sohoa"), into
   * words of the index ("so", "hoa"), longest words first; resolves to at
   * most SPLITS of them (arrays of words), none when w cannot be split. */
  var SPLITS = 4;
  Engine.prototype.segment = function (w) {
    var self = this, c = cps(w), budget = 64, out = [];
    function from(i, acc) {
      if (out.length >= SPLITS || --budget < 0) return Promise.resolve();
      if (i === c.length) {
        if (acc.length > 1) out.push(acc);
        return Promise.resolve();
      }
      if (c.length - i < 2) return Promise.resolve();
      return self.shards(self.shardsFor(c[i] + c[i + 1], true)).then(function (sh) {
        var has = function (x) {
          return sh.some(function (d) { return Object.prototype.hasOwnProperty.call(d, x); });
        };
        var lens = [];
        for (var l = c.length - i; l >= 2; l--) if (has(c.slice(i, i + l).join(''))) lens.push(l);
        return lens.reduce(function (p, l) {
          return p.then(function () { return from(i + l, acc.concat([c.slice(i, i + l).join('')])); });
        }, Promise.resolve());
      });
    }
    return from(0, []).then(function () { return out; });
  };

  /* what a record matched of one query word; SURE: as typed, not through
   * a typo or words run together */
  var ANY = 1, NUM = 2, TITLE = 4, EXACT = 8, EXACT_TITLE = 16, WHOLE = 32, SURE = 64;

  /* Whether a and b (arrays of code points) are at most one edit apart:
   * one letter changed, added, dropped, or two neighbours swapped. */
  function near(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (i === la && i === lb) return true;
    var rest = function (x, y) { return a.slice(x).join('') === b.slice(y).join(''); };
    if (la === lb) {
      return rest(i + 1, i + 1) ||
        (i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && rest(i + 2, i + 2));
    }
    return la > lb ? rest(i + 1, i) : rest(i, i + 1);
  }

  /* The entries of loaded shards one typo away from w (for the last word,
   * words that start one typo away from it).  Words of three letters or
   * more, and not the first letter: that chooses the shards. */
  function fuzzy(shards, w, prefix) {
    var a = cps(w), out = [];
    shards.forEach(function (sh) {
      Object.keys(sh).forEach(function (k) {
        var b = cps(k);
        var hit = near(a, b);
        if (!hit && prefix) {
          for (var l = a.length - 1; l <= a.length + 1 && !hit; l++) {
            if (l > 0 && l < b.length) hit = near(a, b.slice(0, l));
          }
        }
        if (hit) out.push([k, sh[k]]);
      });
    });
    return out;
  }

  /* The words of a title, folded, joined by one space. */
  function foldedWords(text, fold) {
    return (fold(String(text)).match(WORD) || []).join(' ');
  }

  /* How close a record's name is to the query: the query's words in a row
   * at the start of the name (2) or anywhere in it (1), and the share of
   * the name's words that the query covers. */
  function closeness(title, words, fold) {
    var t = foldedWords(title, fold), q = words.map(function (w) { return w.fold; }).join(' ');
    var at = (' ' + t + ' ').indexOf(' ' + q);
    var n = t ? t.split(' ').length : 1;
    return { phrase: at === 0 ? 2 : at > 0 ? 1 : 0, cover: Math.min(1, words.length / n) };
  }
  /* how many of the best-ranked records are ranked again by closeness */
  var RERANK = 120;

  /* Runs a query.  Resolves to { words, total, ids (ranked), page(from) }:
   * page(from) resolves to the records ids[from .. from+PAGE) as
   * { id, kind, title, url, context }. */
  Engine.prototype.query = function (q, nosplit) {
    var self = this;
    return this.ready().then(function (m) {
      var words = parseQuery(q, self.fold);
      var result = { words: words, total: 0, ids: [], page: function () { return Promise.resolve([]); } };
      if (!words.length) return result;
      var joined = null;
      if (words.length > 1 && DIGIT.test(q)) joined = words.map(function (w) { return w.fold; }).join('');
      var jobs = words.map(function (w) {
        return self.shards(self.shardsFor(w.fold, w.prefix));
      });
      var loadedJoined = [];
      if (joined) {
        jobs.push(self.shards(self.shardsFor(joined, true)).then(function (sh) { loadedJoined = sh; return sh; }));
      }
      var loading = Promise.all(jobs).then(function (loaded) {
        var found = words.map(function (w, i) { return entries(loaded[i], w.fold, w.prefix); });
        /* a long word found nowhere may be words typed without spaces:
         * the query is run again with them split */
        var lost = words.map(function (w, i) {
          return !nosplit && !found[i].length && cps(w.fold).length >= 4 && !DIGIT.test(w.fold);
        });
        if (lost.some(Boolean)) {
          return Promise.all(words.map(function (w, i) {
            return lost[i] ? self.segment(w.fold) : null;
          })).then(function (segs) {
            /* the first split that finds something (a word that cannot be
             * split stays as typed) */
            var tries = [];
            for (var k = 0; k < SPLITS; k++) {
              if (!segs.some(function (sg) { return sg && sg[k]; })) break;
              tries.push(words.map(function (w, i) {
                return segs[i] && segs[i].length ? segs[i][Math.min(k, segs[i].length - 1)].join(' ') : w.lower;
              }).join(' '));
            }
            return tries.reduce(function (p, q2) {
              return p.then(function (r) {
                return r && r.total ? r : self.query(q2, true);
              });
            }, Promise.resolve(null)).then(function (r) {
              return r && r.total ? { done: r } : retryTypos(found);
            });
          });
        }
        return retryTypos(found);
      });
      function retryTypos(found) {
        /* a word found nowhere: typed without spaces (a prefix of a name's
         * words run together), or with one typo */
        var retry = [];
        words.forEach(function (w, i) {
          var c = cps(w.fold);
          if (found[i].length || c.length < 3 || DIGIT.test(w.fold)) return;
          var keys = m.shards.filter(function (k) { return k.lastIndexOf(c[0], 0) === 0; });
          retry.push(self.shards(keys).then(function (sh) {
            var e = w.prefix ? [] : entries(sh, w.fold, true);
            w.unsure = true;
            found[i] = e.length ? e : fuzzy(sh, w.fold, w.prefix);
          }));
        });
        return Promise.all(retry).then(function () { return found; });
      }
      return loading.then(function (found) {
        if (found.done) return found.done;
        var count = m.count;
        /* a record whose number has a word of the query with a digit in
         * it ("ke hoach 44": 44/KH-UBND) counts as a number match */
        var numw = new Uint8Array(count);
        var flags = words.map(function (w, i) {
          var digit = DIGIT.test(w.fold) && !w.unsure;
          var f = new Uint8Array(count);
          found[i].forEach(function (e) {
            var whole = e[0] === w.fold ? WHOLE : 0;
            var sure = w.unsure ? 0 : SURE;
            e[1].forEach(function (sp) {
              var exact = !w.unsure && (!w.accented ||
                (w.prefix ? sp[0].lastIndexOf(w.lower, 0) === 0 : sp[0] === w.lower));
              var base = ANY | whole | sure | (exact ? EXACT : 0);
              var title = base | TITLE | (exact ? EXACT_TITLE : 0);
              decodeIds(sp[1], function (id) {
                f[id] |= title | NUM;
                if (digit) numw[id] = 1;
              });
              decodeIds(sp[2], function (id) { f[id] |= title; });
              decodeIds(sp[3], function (id) { f[id] |= base; });
            });
          });
          return f;
        });
        var numj = null;
        if (joined) {
          numj = new Uint8Array(count);
          entries(loadedJoined, joined, true).forEach(function (e) {
            e[1].forEach(function (sp) { decodeIds(sp[1], function (id) { numj[id] = 1; }); });
          });
        }
        /* rank: every word as typed (no typo), then every word with its
         * accents, then a number match, then whole words, then title or
         * name matches (with the accents first); then, among the best,
         * names closest to the query; then record order (plans,
         * documents, units, tasks) */
        var buckets = [];
        for (var b = 0; b < 64; b++) buckets.push([]);
        var first = flags[0];
        for (var id = 0; id < count; id++) {
          var all = first[id];
          if (all) for (var i = 1; i < flags.length && all; i++) all &= flags[i][id];
          var key;
          if (all & ANY) {
            key = (all & SURE ? 0 : 32) | (all & EXACT ? 0 : 16) | (all & NUM || numw[id] || (numj && numj[id]) ? 0 : 8) |
              (all & WHOLE ? 0 : 4) | (all & EXACT_TITLE ? 0 : 2) | (all & TITLE ? 0 : 1);
          } else if (numj && numj[id]) {
            key = 0;
          } else {
            continue;
          }
          buckets[key].push(id);
        }
        var ids = [].concat.apply([], buckets);
        var bucketOf = {};
        buckets.forEach(function (l, k) { l.forEach(function (id) { bucketOf[id] = k; }); });
        var top = ids.slice(0, RERANK);
        return self.records(top).then(function (recs) {
          var score = {};
          recs.forEach(function (r) { score[r.id] = closeness(r.title, words, self.fold); });
          top.sort(function (a, b) {
            return bucketOf[a] - bucketOf[b] || score[b].phrase - score[a].phrase ||
              score[b].cover - score[a].cover || a - b;
          });
          ids = top.concat(ids.slice(RERANK));
          result.total = ids.length;
          result.ids = ids;
          result.page = function (from) { return self.records(ids.slice(from, from + PAGE)); };
          return result;
        });
      });
    });
  };

  Engine.prototype.kind = function (id) {
    var kinds = this.manifest.kinds;
    for (var k in kinds) {
      if (id >= kinds[k][0] && id < kinds[k][1]) return k;
    }
    return 'task';
  };

  /* The records of ids, loading only the chunks that hold them. */
  Engine.prototype.records = function (ids) {
    var self = this, size = this.manifest.chunk, need = {};
    ids.forEach(function (id) { need[Math.floor(id / size)] = true; });
    var chunks = Object.keys(need);
    return Promise.all(chunks.map(function (n) { return self.get('rec/' + n + '.json'); }))
      .then(function (loaded) {
        var byChunk = {};
        chunks.forEach(function (n, i) { byChunk[n] = loaded[i]; });
        return ids.map(function (id) {
          var r = byChunk[Math.floor(id / size)][id % size];
          return { id: id, kind: self.kind(id), title: r[0], url: r[1], context: r[2] };
        });
      });
  };

  /* Splits text into [text, marked] pieces: the words matching a query word
   * are marked (for the last word, the part matching its prefix). */
  function highlight(text, words, fold) {
    var out = [], last = 0, m;
    var re = new RegExp(WORD.source, 'gu');
    function push(s, mark) {
      if (!s) return;
      if (out.length && out[out.length - 1][1] === mark) out[out.length - 1][0] += s;
      else out.push([s, mark]);
    }
    while ((m = re.exec(text))) {
      var f = fold(m[0]), end = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        if (f === w.fold) {
          end = m[0].length;
          break;
        }
        if (w.prefix && f.lastIndexOf(w.fold, 0) === 0) {
          /* the shortest start of the word folding to the prefix */
          var acc = '', pos = 0;
          var chars = cps(m[0]);
          for (var c = 0; c < chars.length && acc.length < w.fold.length; c++) {
            acc = fold(chars.slice(0, c + 1).join(''));
            pos += chars[c].length;
          }
          end = Math.max(end, pos);
        }
      }
      if (!end) continue;
      push(text.slice(last, m.index), false);
      push(text.slice(m.index, m.index + end), true);
      last = m.index + end;
    }
    push(text.slice(last), false);
    return out;
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = {
      Engine: Engine, parseQuery: parseQuery, highlight: highlight,
      decodeIds: decodeIds, shardName: shardName, PAGE: PAGE, near: near, closeness: closeness
    };
  }

  /* ----- the page ----- */
  if (!root || typeof document === 'undefined') return;

  function init() {
    var box = document.getElementById('search-results');
    var input = document.getElementById('search-q');
    var status = document.getElementById('search-status') || box;
    if (!box || !input) return;
    if (!window.fetch || !window.Promise || !window.plansiteFold) {
      status.textContent = box.getAttribute('data-msg-error') || '';
      return;
    }
    /* the index lives beside the search page, wherever permalinks put it */
    var base = box.getAttribute('data-index') || './';
    var version = '';
    var engine = new Engine(function (path) {
      var url = base + path + (path === 'manifest.json' ? '' : '?v=' + encodeURIComponent(version));
      return fetch(url, path === 'manifest.json' ? { cache: 'no-cache' } : {}).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      }).then(function (j) {
        if (path === 'manifest.json') version = j.v;
        return j;
      });
    }, window.plansiteFold);
    var msg = function (k) { return box.getAttribute('data-msg-' + k) || ''; };
    var lang = document.documentElement.lang || 'vi';
    var seq = 0, timer = null, current = null;

    function say(text) { status.textContent = text; }

    function marked(parent, text, words) {
      highlight(text, words, window.plansiteFold).forEach(function (piece) {
        if (piece[1]) {
          var mk = document.createElement('mark');
          mk.textContent = piece[0];
          parent.appendChild(mk);
        } else {
          parent.appendChild(document.createTextNode(piece[0]));
        }
      });
    }

    function item(r, words) {
      var li = document.createElement('li');
      li.className = 'search-hit search-' + r.kind;
      var kind = document.createElement('span');
      kind.className = 'badge search-kind';
      kind.textContent = box.getAttribute('data-label-' + r.kind) || r.kind;
      li.appendChild(kind);
      li.appendChild(document.createTextNode(' '));
      var a = document.createElement('a');
      a.href = r.url;
      marked(a, r.title, words);
      li.appendChild(a);
      if (r.context) {
        var p = document.createElement('p');
        p.className = 'meta search-context';
        marked(p, r.context, words);
        li.appendChild(p);
      }
      return li;
    }

    function showPage(res, list, from, more, focus) {
      return res.page(from).then(function (recs) {
        var firstLink = null;
        recs.forEach(function (r) {
          var li = item(r, res.words);
          list.appendChild(li);
          if (!firstLink) firstLink = li.querySelector('a');
        });
        var shown = from + recs.length;
        more.hidden = shown >= res.total;
        more.onclick = function () {
          more.disabled = true;
          showPage(res, list, shown, more, true).then(function () { more.disabled = false; });
        };
        if (focus && firstLink) firstLink.focus();
      });
    }

    function run(q) {
      var my = ++seq;
      q = q.replace(/\s+/g, ' ').trim();
      if (window.history && history.replaceState) {
        var url = location.pathname + (q ? '?q=' + encodeURIComponent(q) : '') + location.hash;
        history.replaceState(null, '', url);
      }
      if (!q) {
        box.textContent = '';
        say('');
        current = null;
        return;
      }
      var slow = setTimeout(function () { if (my === seq) say(msg('loading')); }, 300);
      engine.query(q).then(function (res) {
        if (my !== seq) return;
        current = res;
        box.textContent = '';
        if (!res.total) {
          clearTimeout(slow);
          say(msg('none'));
          return;
        }
        var list = document.createElement('ol');
        list.className = 'search-list';
        var more = document.createElement('button');
        more.type = 'button';
        more.className = 'button search-more';
        more.textContent = msg('more');
        more.hidden = true;
        box.appendChild(list);
        box.appendChild(more);
        return showPage(res, list, 0, more, false).then(function () {
          clearTimeout(slow);
          if (my === seq) say(msg('count').replace('{n}', res.total.toLocaleString(lang)));
        });
      }).catch(function () {
        clearTimeout(slow);
        if (my === seq) say(msg('error'));
      });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 180);
    });
    if (input.form) {
      input.form.addEventListener('submit', function (e) {
        e.preventDefault();
        clearTimeout(timer);
        run(input.value);
      });
    }
    /* arrow keys: from the box into the results and between them */
    function links() { return Array.prototype.slice.call(box.querySelectorAll('.search-list a')); }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && current) {
        var l = links();
        if (l.length) {
          e.preventDefault();
          l[0].focus();
        }
      }
    });
    box.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      var l = links(), i = l.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      if (e.key === 'ArrowDown' && i + 1 < l.length) l[i + 1].focus();
      else if (e.key === 'ArrowUp') (i > 0 ? l[i - 1] : input).focus();
    });

    var q0 = new URLSearchParams(location.search).get('q');
    if (q0) {
      input.value = q0;
      run(q0);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})(typeof window !== 'undefined' ? window : null);
