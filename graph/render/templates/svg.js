/* chokemap graph pages: the current drawing as an SVG document (inlined before view.js,
 * allowed by its hash in the page's CSP; nothing is fetched, nothing evaluated).
 *
 * chokemapSvg.build(network, nodes, edges, meta) draws what the reader sees: the nodes and
 * links that are not hidden, at their current positions (network.getPositions), in their
 * current colours, shapes, sizes, borders and dashes (the vis DataSets), their labels where
 * the page draws them (moved by font.vadjust), clipped to the viewport at the current zoom,
 * under a header with meta.title and meta.lines (the date and the sources).  Every element
 * is made with createElementNS and every text set with textContent, then serialised by
 * XMLSerializer, which escapes &, < and > (a label "<script>" stays text); bidi controls,
 * zero-width and other control characters are written visibly as \uXXXX.
 *
 * Complexity: O(V + E) for the V nodes and E links of the page. */
var chokemapSvg = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var HEAD = 70;
  var ODD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
  function text(t) {
    return String(t).replace(ODD, function (c) { return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"); });
  }
  function make(tag, attrs, content) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { if (attrs[k] !== undefined && attrs[k] !== null) { e.setAttribute(k, String(attrs[k])); } });
    if (content !== undefined) { e.textContent = text(content); }
    return e;
  }
  function r2(v) { return Math.round(v * 100) / 100; }
  function points(list) { return list.map(function (p) { return r2(p[0]) + "," + r2(p[1]); }).join(" "); }
  /* the outline of a vis-network shape of radius r at (x, y), as vis draws it */
  function shape(kind, x, y, r) {
    var i, out = [];
    if (kind === "square") { return make("rect", { x: r2(x - r), y: r2(y - r), width: r2(2 * r), height: r2(2 * r) }); }
    if (kind === "diamond") { return make("polygon", { points: points([[x, y - r], [x + r, y], [x, y + r], [x - r, y]]) }); }
    if (kind === "star") {
      var s = r * 0.82, cy = y + 0.1 * s;
      for (i = 0; i < 10; i++) {
        var rad = i % 2 === 0 ? s * 1.3 : s * 0.5;
        out.push([x + rad * Math.sin(i * 2 * Math.PI / 10), cy - rad * Math.cos(i * 2 * Math.PI / 10)]);
      }
      return make("polygon", { points: points(out) });
    }
    if (kind === "triangleDown" || kind === "triangle") {
      var t = r * 1.15, side = 2 * t, ir = Math.sqrt(3) / 6 * side, h = Math.sqrt(side * side - side * side / 4);
      var sign = kind === "triangle" ? -1 : 1, ty = y + sign * 0.275 * t;
      return make("polygon", { points: points([[x, ty + sign * (h - ir)], [x - side / 2, ty - sign * ir], [x + side / 2, ty - sign * ir]]) });
    }
    if (kind === "hexagon") {
      for (i = 0; i < 6; i++) { out.push([x + r * Math.cos(i * Math.PI / 3), y + r * Math.sin(i * Math.PI / 3)]); }
      return make("polygon", { points: points(out) });
    }
    return make("circle", { cx: r2(x), cy: r2(y), r: r2(r) });
  }
  function colourOf(c, key, fallback) {
    if (!c) { return fallback; }
    if (typeof c === "string") { return c; }
    return c[key] || fallback;
  }
  function dashes(d, unit) {
    if (!d) { return null; }
    var list = Array.isArray(d) ? d : [5, 5];
    return list.map(function (v) { return r2(v * unit); }).join(" ");
  }
  function drawEdge(g, e, pos, size, smooth, markers) {
    var a = pos[e.from], b = pos[e.to];
    if (!a || !b) { return; }
    var colour = colourOf(e.color, "color", "#b8b8b8");
    var c1 = a, c2 = a;
    if (smooth) {
      var dx = b.x - a.x;
      c1 = { x: a.x + smooth * dx, y: a.y };
      c2 = { x: b.x - smooth * dx, y: b.y };
    }
    /* stop at the target's outline, so that the arrowhead shows */
    var vx = b.x - c2.x, vy = b.y - c2.y, len = Math.sqrt(vx * vx + vy * vy) || 1;
    var cut = size[e.to] || 10;
    var end = { x: b.x - vx / len * cut, y: b.y - vy / len * cut };
    var d = "M" + r2(a.x) + " " + r2(a.y) + (smooth ? " C" + r2(c1.x) + " " + r2(c1.y) + " " + r2(c2.x) + " " + r2(c2.y) + " " : " L") +
      r2(end.x) + " " + r2(end.y);
    g.appendChild(make("path", { d: d, fill: "none", stroke: colour, "stroke-width": e.width || 1,
      "stroke-dasharray": dashes(e.dashes, 1), "stroke-opacity": e.color && e.color.opacity, "marker-end": "url(#" + markers(colour) + ")", "data-edge": e.id }));
    if (e.label) {
      g.appendChild(make("text", { x: r2((a.x + b.x) / 2), y: r2((a.y + b.y) / 2), "font-size": 11, "text-anchor": "middle",
        stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", fill: "#343434" }, e.label));
    }
  }
  function drawNode(g, n, p, sc, font) {
    var r = n.size || 25;
    var fill = colourOf(n.color, "background", "#97c2fc");
    var el = shape(n.shape, p.x, p.y, r);
    el.setAttribute("fill", fill);
    el.setAttribute("stroke", colourOf(n.color, "border", fill));
    el.setAttribute("stroke-width", String(n.borderWidth || 1));
    var dash = n.shapeProperties && n.shapeProperties.borderDashes;
    if (dash) { el.setAttribute("stroke-dasharray", dashes(dash, 1)); }
    el.setAttribute("data-node", String(n.id));
    g.appendChild(el);
    var f = (n.font && n.font.size) || font.size;
    if (!n.label || f * sc < font.threshold) { return; }  /* not drawn on the page at this zoom either */
    var top = p.y + r + f / 2 + 4 + ((n.font && n.font.vadjust) || 0);
    g.appendChild(make("text", { x: r2(p.x), y: r2(top), "font-size": r2(f), "text-anchor": "middle",
      "dominant-baseline": "hanging", stroke: "#ffffff", "stroke-width": font.stroke, "paint-order": "stroke",
      fill: "#343434", "data-label": n.id }, n.label));
  }
  function build(network, nodes, edges, meta) {
    var box = network.body.container;
    var w = box.clientWidth, h = box.clientHeight, sc = network.getScale();
    var origin = network.DOMtoCanvas({ x: 0, y: 0 });
    var pos = network.getPositions();
    var opts = meta.options || {};
    var nf = (opts.nodes && opts.nodes.font) || {};
    var font = { size: nf.size || 14, stroke: nf.strokeWidth || 0, face: nf.face || "sans-serif",
      threshold: (opts.nodes && opts.nodes.scaling && opts.nodes.scaling.label && opts.nodes.scaling.label.drawThreshold) || 5 };
    var es = opts.edges && opts.edges.smooth;
    var smooth = es && es.type === "cubicBezier" ? (es.roundness || 0.5) : 0;
    var svg = make("svg", { width: w, height: h + HEAD, viewBox: "0 0 " + w + " " + (h + HEAD),
      "font-family": font.face });
    svg.appendChild(make("title", {}, meta.title));
    var defs = make("defs", {});
    svg.appendChild(defs);
    defs.appendChild(make("clipPath", { id: "viewport" })).appendChild(make("rect", { x: 0, y: HEAD, width: w, height: h }));
    var seen = new Map();
    function markers(colour) {
      if (!seen.has(colour)) {
        var id = "arrow" + seen.size;
        var m = make("marker", { id: id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" });
        m.appendChild(make("path", { d: "M0 0 L10 5 L0 10 z", fill: colour }));
        defs.appendChild(m);
        seen.set(colour, id);
      }
      return seen.get(colour);
    }
    svg.appendChild(make("rect", { x: 0, y: 0, width: w, height: h + HEAD, fill: "#ffffff" }));
    svg.appendChild(make("text", { x: 10, y: 22, "font-size": 16, "font-weight": "bold", fill: "#222222" }, meta.title));
    (meta.lines || []).forEach(function (line, i) {
      svg.appendChild(make("text", { x: 10, y: 42 + 18 * i, "font-size": 12, fill: "#222222" }, line));
    });
    var clip = svg.appendChild(make("g", { "clip-path": "url(#viewport)" }));
    var g = clip.appendChild(make("g", { transform: "translate(0 " + HEAD + ") scale(" + sc + ") translate(" + r2(-origin.x) + " " + r2(-origin.y) + ")" }));
    var shown = new Set();
    var size = {};
    nodes.get().forEach(function (n) { if (!n.hidden) { shown.add(n.id); size[n.id] = (n.size || 25) + 1; } });
    edges.get().forEach(function (e) {
      if (!e.hidden && shown.has(e.from) && shown.has(e.to)) { drawEdge(g, e, pos, size, smooth, markers); }
    });
    nodes.get().forEach(function (n) { if (shown.has(n.id)) { drawNode(g, n, pos[n.id], sc, font); } });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg) + "\n";
  }
  return { build: build, text: text };
}());
