/* chokemap graph pages: a greedy pass that keeps the labels shown at any zoom from
 * overlapping one another (inlined before view.js, allowed by its hash in the page's CSP).
 *
 * chokemapLabels.place(items, pad) takes the labels in priority order, each
 *   {id, x, y, w, wcut, f, half, must, small}
 * (the node's centre, the label's width, shortened width and font size and the node's half height, all in
 * canvas units; must: the label may be moved, shortened or made smaller (by the factor
 * small) but never dropped) and returns
 *   {id: {dy, keep, cut, fs}}
 * where dy is the label's vertical shift (vis-network's font.vadjust), keep says the label
 * stays large, cut says it was shortened to fit and fs is the factor of its font size.  Each label tries its usual place below
 * the node, then above it, then further below and above, in steps of one line; the first
 * place that overlaps no label placed before it and no node wins.  A label that fits nowhere
 * is, if it must stay, tried again shortened (wcut), then also in the smaller
 * font, then put where it overlaps least; otherwise it is dropped back to the ordinary labels (drawn on zoom, named on hover).
 *
 * Complexity: O(L * C * (L + N)) for L labels, C = 15 candidate places (5 spots, 3 sizes) and N node boxes;
 * L is the top-ranked, focus, targets and path (tens), so a pass is well under a millisecond. */
var chokemapLabels = (function () {
  "use strict";
  var STEPS = [0, "above", 1, "above+1", 2];  /* no further: a label must stay near its node */
  function overlap(a, b) {
    var w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    var h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    return w > 0 && h > 0 ? w * h : 0;
  }
  /* the label box of item t shifted by dy, with width w; vis draws an outside label's top at
     y + half + f/2 + 4 ("hanging" baseline) plus font.vadjust */
  function box(t, dy, w, pad) {
    var top = t.y + t.half + t.f / 2 + 4 + dy;
    return { x0: t.x - w / 2 - pad, x1: t.x + w / 2 + pad, y0: top - pad, y1: top + t.f + pad };
  }
  function shift(t, step) {
    var line = t.f * 1.15;
    var above = -(2 * t.half + 1.5 * t.f + 8);
    if (typeof step === "number") { return step * line; }
    return above - (step === "above" ? 0 : Number(step.split("+")[1]) * line);
  }
  function cost(b, placed, nodes) {
    var c = 0, n = 0;
    placed.forEach(function (p) { c += overlap(b, p); });
    nodes.forEach(function (q) { n += overlap(b, q); });
    return [c, n];
  }
  function place(items, pad, nodeBoxes) {
    var placed = [];
    var nodes = nodeBoxes || [];
    var out = {};
    items.forEach(function (t) {
      var best = null;
      [[t.w, 1], [t.wcut, 1], [t.wcut, t.small || 1]].some(function (pf, k) {
        var part = k ? 0.6 : 1, u = { x: t.x, y: t.y, half: t.half, f: t.f * pf[1] };
        if (part < 1 && !t.must) { return true; }
        return STEPS.some(function (step) {
          var dy = shift(u, step);
          var b = box(u, dy, pf[0] * pf[1], pad);
          var c = cost(b, placed, nodes);
          var score = c[0] * 1e6 + (part < 1 ? 1e5 : 0) + Math.min(c[1], 9e4);  /* labels > cut > nodes */
          score += pf[1] < 1 ? 2e5 : 0;
          if (best === null || score < best.score) { best = { dy: dy, b: b, part: part, fs: pf[1], score: score }; }
          return c[0] === 0 && c[1] === 0;
        });
      });
      var keep = t.must || best.score < 1e6;
      out[t.id] = { dy: keep ? best.dy : 0, keep: keep, cut: best.part < 1, fs: keep ? best.fs : 1 };
      if (keep) { placed.push(best.b); }
    });
    return out;
  }
  return { place: place, overlap: overlap };
}());
