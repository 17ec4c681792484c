/* chokemap view: draws the view data with vis-network and wires the panel, search and filters.
 * Every text from the data is shown with textContent (never innerHTML); links are made only
 * for http(s) URLs, with rel="noopener noreferrer".  The CSP of the page allows this script by
 * its hash and forbids requests to any host. */
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("chokemap-data").textContent);
  var view = page.view;
  var phrases = page.phrases || {};
  var byId = new Map();
  view.nodes.forEach(function (n) { byId.set(n.id, n); });
  var edgeById = new Map();
  view.edges.forEach(function (e) { edgeById.set(e.id, e); });
  var small = view.edges.length <= 400;
  /* readers who ask for less motion (and the tests) get no zoom animations */
  var motion = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 };

  var el = chokemapKit.el;  /* common.js: one el and one link rule for every page kind */
  function fmtShare(s) {
    if (s === null || s === undefined) { return ""; }
    var pct = s * 100;
    return (Math.abs(pct - Math.round(pct)) < 0.05 ? pct.toFixed(0) : pct.toFixed(1)) + "%";
  }
  function label(id) { var n = byId.get(id); return n ? n.label : id; }
  function cut(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }
  function short(text) { return cut(text, 32); }
  /* bidi controls and zero-width characters, written visibly as \uXXXX (the data is escaped in
     Python; this covers what a reader types) */
  var HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
  function visible(t) {
    return String(t).replace(HIDDEN, function (c) { return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"); });
  }
  function named(n) { return n.zh ? n.label + " \u00b7 " + n.zh : n.label; }
  function phrase(type, fromStart) {
    var p = phrases[type];
    return p ? p[fromStart ? 0 : 1] : type.replace(/_/g, " ");
  }
  function span(e) {
    if (!e.valid_from && !e.valid_to) { return ""; }
    return "valid " + (e.valid_from || "\u2026") + " to " + (e.valid_to || "\u2026");
  }
  function edgeFacts(e) {
    var bits = [];
    if (e.share !== null && e.share !== undefined) {
      bits.push("share " + fmtShare(e.share) + (e.share_basis ? " (" + e.share_basis + ")" : ""));
    }
    if (e.quantity !== null && e.quantity !== undefined) { bits.push("quantity " + e.quantity); }
    if (span(e)) { bits.push(span(e)); }
    if (e.stock) { bits.push("stock or installed base"); }
    if (e.planned) { bits.push("planned, not yet delivering"); }
    if (view.legend.eto_edges && e.dataset) { bits.push(e.dataset === "ETO" ? "from ETO's dataset" : "from the bundled graph"); }
    return bits;
  }
  function sourceText(s) {
    var tail = [s.publisher, s.date].filter(Boolean).join(", ");
    return (s.title || s.id) + (tail ? " (" + tail + ")" : "") + (s.secondary ? " [secondary]" : "");
  }
  function sourceItem(s) {
    var li = el("li", "source");
    li.appendChild(chokemapKit.linkOrText(sourceText(s), s.url));
    return li;
  }
  function sourceList(srcs) {
    var ul = el("ul", "sources");
    (srcs || []).forEach(function (s) { ul.appendChild(sourceItem(s)); });
    return ul;
  }

  /* --- tooltips: DOM elements filled with textContent (vis-network appends them as they are) */
  function nodeTip(n) {
    var box = el("div", "tip");
    box.appendChild(el("strong", null, named(n)));
    box.appendChild(el("div", "tip-type", n.type + (n.rank ? " \u00b7 #" + n.rank + " of the " + n.section : "") +
      (n.score ? " \u00b7 cuts " + n.score + " target(s)" : "")));
    if (n.why) { box.appendChild(el("div", null, n.why)); }
    if (n.description) {
      var d = n.description;
      box.appendChild(el("div", "tip-desc", d.length > 160 ? d.slice(0, 159) + "\u2026" : d));
    }
    return box;
  }
  function edgeTip(e) {
    var box = el("div", "tip");
    box.appendChild(el("strong", null, label(e.from) + " " + phrase(e.type, true) + " " + label(e.to)));
    box.appendChild(el("div", "tip-type", e.type.replace(/_/g, " ")));
    edgeFacts(e).forEach(function (b) { box.appendChild(el("div", null, b)); });
    if (e.sources && e.sources.length) {
      box.appendChild(el("div", "tip-src", e.sources.length + " source(s): " + sourceText(e.sources[0])));
    }
    return box;
  }

  /* --- vis items */
  function nodeColour(n) {
    return n.border ? { background: n.color, border: n.border, highlight: { background: n.color, border: "#222" } }
      : { background: n.color, border: n.color, highlight: { background: n.color, border: "#222" } };
  }
  function edgeStyle(e, mode) {
    var base = e.highlight ? page.highlight : (page.edge_colours[e.type] || page.edge_grey);
    if (mode === "dim") { return { color: { color: "#e2e2e2", opacity: 0.6 }, width: 1 }; }
    if (mode === "hot") { return { color: { color: page.highlight, highlight: page.highlight, hover: page.highlight }, width: 4 }; }
    return { color: { color: base, highlight: "#222", hover: base }, width: e.highlight ? 3 : 1 };
  }
  var visNodes = view.nodes.map(function (n) {
    return {
      id: n.id, label: short(n.label) + (n.zh ? " " + n.zh : ""), x: n.x, y: n.y, shape: n.shape, size: n.size,
      color: nodeColour(n), borderWidth: n.change ? 5 : (n.border ? 4 : 1), title: nodeTip(n),
      shapeProperties: { borderDashes: n.dashes ? [6, 4] : false },
      font: n.show_label ? { size: 16 } : undefined
    };
  });
  var ETO_DASHES = [2, 6];  /* ETO's edges dotted; derived and planned ones dashed */
  var visEdges = view.edges.map(function (e) {
    var item = { id: e.id, from: e.from, to: e.to, title: edgeTip(e), dashes: e.dataset === "ETO" ? ETO_DASHES : !!(e.derived || e.planned) };
    if (small && e.share !== null && e.share !== undefined) { item.label = fmtShare(e.share); }
    var st = edgeStyle(e, "base");
    item.color = st.color;
    item.width = st.width;
    return item;
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, page.options);
  window.chokemap = { network: network, nodes: nodes, edges: edges, view: view, firstDraw: null, lastPng: null };
  window.chokemap.byId = byId;  /* overview.js adds the members of the clusters it opens */
  window.chokemap.edgeById = edgeById;
  network.once("afterDrawing", function () {
    window.chokemap.firstDraw = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });
  network.fit();

  /* --- labels: the top-ranked, focus, targets and path keep at least 13 px on screen; the
     others are drawn from 9 px on screen (zoom in) and named on hover */
  var labelled = view.nodes.filter(function (n) { return n.show_label; }).map(function (n) { return n.id; });
  var labelScale = null;
  function sizeLabels() {
    var sc = network.getScale();
    if (labelScale !== null && Math.abs(sc - labelScale) / labelScale < 0.01) { return; }
    labelScale = sc;
    var size = Math.max(14, 13 / sc);
    /* on a small page zoomed in, the other labels are drawn too (14 px in canvas units): they
       join the pass after the kept ones, and those that fit nowhere are hidden (vis-network skips a label under its threshold less 1 px) */
    var others = view.nodes.length <= 400 && 14 * sc >= page.options.nodes.scaling.label.drawThreshold - 1 ? unlabelled : [];
    var spots = placeLabels(size, sc, others);
    nodes.update(labelled.concat(others).map(function (id) {
      var s = spots[id], mine = !byId.get(id).show_label;  /* a dropped label: under the draw threshold */
      return { id: id, label: s.cut ? cutLabel(id) : fullLabel(id),
               font: { size: s.keep ? (mine ? 14 : size * s.fs) : Math.min(14, 7 / sc), vadjust: s.dy } };
    }));
  }
  var unlabelled = view.nodes.filter(function (n) { return !n.show_label; }).map(function (n) { return n.id; });
  /* labels.js: the kept labels moved (or shortened) so that none overlaps another at this zoom;
     the focus, the top 10 of each section and up to 10 targets always stay (at least 10.5 px on
     screen), the rest (path, many targets) drop back to zoom-and-hover labels where crowded */
  var measure = document.createElement("canvas").getContext("2d");
  function fullLabel(id) { var n = byId.get(id); return short(n.label) + (n.zh ? " " + n.zh : ""); }
  function cutLabel(id) { var n = byId.get(id); return cut(n.label, Math.max(6, Math.round(short(n.label).length * 0.5))); }
  function placeLabels(size, sc, others) {
    measure.font = size + "px " + page.options.nodes.font.face;
    var pos = network.getPositions();
    var ends = view.nodes.filter(function (n) { return n.role === "target" || n.role === "end"; }).length;
    var items = labelled.concat(others).map(function (id) {
      var n = byId.get(id), f = n.show_label ? size : 14;
      var must = n.show_label && (n.role === "focus" || n.must_label || (n.rank > 0 && n.rank <= 10) || (ends <= 10 && (n.role === "target" || n.role === "end")));
      return { id: id, x: pos[id].x, y: pos[id].y, w: measure.measureText(fullLabel(id)).width * f / size,
               wcut: measure.measureText(cutLabel(id)).width * f / size, f: f, small: 10.5 / 13,
               half: n.size || 25, must: must, key: [n.show_label ? 0 : 1, n.role === "focus" ? 0 : 1, n.rank > 0 && n.rank <= 10 ? n.rank : 99,
                 n.role === "target" || n.role === "end" ? 0 : 1, n.rank || 999] };
    });
    items.sort(function (a, b) {
      for (var i = 0; i < a.key.length; i++) { if (a.key[i] !== b.key[i]) { return a.key[i] - b.key[i]; } }
      return 0;
    });
    var boxes = view.nodes.map(function (n) {
      var p = pos[n.id], h = n.size || 25;
      return { id: n.id, x0: p.x - h, x1: p.x + h, y0: p.y - h, y1: p.y + h };
    });
    return chokemapLabels.place(items, 2 / sc, boxes);
  }
  function labelPx(id) {
    var b = network.body.nodes[id];
    return b && b.labelModule ? b.labelModule.fontOptions.size * network.getScale() : 0;
  }
  sizeLabels();
  network.on("zoom", sizeLabels);
  network.on("animationFinished", sizeLabels);
  network.on("afterDrawing", sizeLabels);  /* the first fit settles after the canvas is sized */

  /* --- highlighting a chokepoint's chain */
  var hot = null;
  function resetEdges() {
    if (!hot) { return; }
    edges.update(view.edges.map(function (e) { var s = edgeStyle(e, "base"); return { id: e.id, color: s.color, width: s.width }; }));
    hot = null;
  }
  function highlight(ids) {
    resetEdges();
    var on = new Set(ids);
    edges.update(view.edges.map(function (e) {
      var s = edgeStyle(e, on.has(e.id) ? "hot" : "dim");
      return { id: e.id, color: s.color, width: s.width };
    }));
    hot = on;
  }

  /* --- the side panel */
  var panel = document.getElementById("panel-body");
  function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function goButton(id) {
    var b = el("button", "go", label(id));
    b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function hopLine(e) {
    var li = el("li", "hop");
    li.appendChild(goButton(e.from));
    li.appendChild(el("span", "verb", " " + phrase(e.type, true) + " "));
    li.appendChild(goButton(e.to));
    var facts = edgeFacts(e);
    if (facts.length) { li.appendChild(el("div", "edge-facts", facts.join("; "))); }
    if (e.note) { li.appendChild(el("div", "edge-note", e.note)); }
    if (e.sources && e.sources.length) { li.appendChild(sourceList(e.sources)); }
    else if (e.derived) { li.appendChild(el("div", "edge-note", "derived from the firm's location or operator")); }
    return li;
  }
  function section(title) { panel.appendChild(el("h3", null, title)); }
  function showNode(id) {
    var n = byId.get(id);
    if (!n) { return; }
    clear();
    var h = el("h2", "panel-title", cut(n.label, 80));
    h.title = n.label;
    panel.appendChild(h);
    if (n.zh) { panel.appendChild(el("p", "zh", n.zh)); }
    panel.appendChild(el("p", "panel-type", n.type + " \u00b7 id " + n.id + (n.rank ? " \u00b7 #" + n.rank + " of the " + n.section : "")));
    if (n.score) {
      panel.appendChild(el("p", "why", "Chokepoint: cuts " + n.score + " target(s). Why: " + n.why));
      if (n.cut && n.cut.length) { panel.appendChild(el("p", "cut", "Cuts: " + n.cut.join(", "))); }
      section("The chain that makes it critical (highlighted)");
      var ol = el("ol", "chain");
      n.chain.forEach(function (eid) { var e = edgeById.get(eid); if (e) { ol.appendChild(hopLine(e)); } });
      panel.appendChild(ol);
    }
    if (n.role === "target") {
      panel.appendChild(el("p", n.available ? "ok" : "blocked", n.available ? "Available on this date." : "Not available on this date."));
      (n.blocked_by || []).forEach(function (t) { panel.appendChild(el("p", "blocked", "Blocked: " + t)); });
      (n.conditions || []).forEach(function (t) { panel.appendChild(el("p", "cond", "Condition: " + t)); });
    }
    if (n.change) { panel.appendChild(el("p", n.change_ok ? "ok" : "blocked", n.change_text)); }
    if (n.description) { panel.appendChild(el("p", "desc", n.description)); }
    if (n.facts && n.facts.length) {
      var dl = el("dl", "facts");
      n.facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
      panel.appendChild(dl);
    }
    if (n.specs && n.specs.length) {
      section("Specs");
      var ul = el("ul", "specs");
      n.specs.forEach(function (s) {
        var li = el("li", null, s.property + ": " + s.value + (s.as_of ? " (as of " + s.as_of + ")" : ""));
        li.appendChild(sourceList(s.sources));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (n.sources && n.sources.length) { section("Sources"); panel.appendChild(sourceList(n.sources)); }
    var links = view.edges.filter(function (e) { return e.from === id || e.to === id; });
    if (links.length) {
      section("Links in this view (" + links.length + ")");
      var ol2 = el("ul", "links");
      links.forEach(function (e) { ol2.appendChild(hopLine(e)); });
      panel.appendChild(ol2);
    }
  }
  function showEdge(eid) {
    var e = edgeById.get(eid);
    if (!e) { return; }
    clear();
    panel.appendChild(el("h2", "panel-title", label(e.from) + " " + phrase(e.type, true) + " " + label(e.to)));
    panel.appendChild(el("p", "panel-type", "link \u00b7 " + e.type.replace(/_/g, " ")));
    var ul = el("ul", "links");
    ul.appendChild(hopLine(e));
    panel.appendChild(ul);
  }
  function select(id) {
    if (!byId.has(id)) { return; }
    var n = byId.get(id);
    if (hiddenClasses.has(n.type)) { toggleClass(n.type, true); }
    network.selectNodes([id]);
    /* on a phone the sheet covers the lower part: centre the node in what stays visible */
    var sheet = phone.matches ? (openSheet(true), side.offsetHeight) : 0;
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: motion, offset: { x: 0, y: -sheet / 2 } });
    sizeLabels();
    onSelect(id);
  }
  var selected = null;
  function onSelect(id) {
    var n = byId.get(id);
    if (n && n.chain) { highlight(n.chain); } else { resetEdges(); }
    showNode(id);
    selected = id;
    markRow(id);
    openSheet(true);
    writeHash();
  }
  function clearSelection() {
    network.unselectAll();
    resetEdges();
    clear();
    panel.appendChild(el("p", "hint", "Click a node or an edge to see its facts and sources."));
    selected = null;
    markRow(null);
    writeHash();
  }
  network.on("click", function (params) {
    if (params.nodes.length) { onSelect(params.nodes[0]); }
    else if (params.edges.length) { resetEdges(); showEdge(params.edges[0]); }
    else { clearSelection(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clearSelection(); }
  });

  /* --- search */
  function norm(t) {
    return String(t).replace(/\\u(200[b-f]|202[a-e]|206[6-9]|feff)/gi, "").replace(HIDDEN, "")
      .normalize("NFKC").toLowerCase().replace(/[\s\-_.\u00b7/]+/g, "");
  }
  var names = document.getElementById("search-names");
  var seenNames = new Set();
  view.nodes.forEach(function (n) {
    if (seenNames.has(n.label)) { return; }
    seenNames.add(n.label);
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });
  /* exact name > prefix > part of a name; among equals, the shortest name */
  function find(q) {
    var k = norm(q);
    if (!k) { return null; }
    var best = null, bestRank = null;
    view.nodes.forEach(function (n) {
      [n.label, n.id, n.zh || ""].concat(n.aliases || []).forEach(function (name) {
        var a = norm(name);
        var tier = a === k ? 0 : (a.indexOf(k) === 0 ? 1 : (a.indexOf(k) >= 0 ? 2 : 3));
        if (tier === 3) { return; }
        if (bestRank === null || tier < bestRank[0] || (tier === bestRank[0] && a.length < bestRank[1])) {
          best = n.id;
          bestRank = [tier, a.length];
        }
      });
    });
    return best;
  }
  var status = document.getElementById("search-status");
  document.getElementById("search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("search-box").value;
    var id = find(q);
    if (id) { status.textContent = "Found " + label(id); select(id); }
    else { status.textContent = "Nothing in this view matches \u201c" + visible(q) + "\u201d"; }
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: motion }); sizeLabels(); });

  /* --- legend and filters */
  var hiddenClasses = new Set();
  var hiddenTypes = new Set();
  var boxes = new Map();
  var glyph = { dot: "\u25cf", square: "\u25a0", diamond: "\u25c6", triangle: "\u25b2", triangleDown: "\u25bc", star: "\u2605", hexagon: "\u2b22" };
  function applyFilters() {
    nodes.update(view.nodes.map(function (n) { return { id: n.id, hidden: hiddenClasses.has(n.type) }; }));
    edges.update(view.edges.map(function (e) { return { id: e.id, hidden: hiddenTypes.has(e.type) }; }));
  }
  function toggleClass(type, on) {
    if (on) { hiddenClasses.delete(type); } else { hiddenClasses.add(type); }
    if (boxes.has(type)) { boxes.get(type).checked = on; }
    applyFilters();
    writeHash();
  }
  function check(parent, name, colour, mark, count, onChange) {
    var lab = el("label", "filter");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); });
    var sw = el("span", "swatch", mark);
    sw.style.color = colour;
    lab.appendChild(box);
    lab.appendChild(sw);
    lab.appendChild(el("span", null, name + " (" + count + ")"));
    parent.appendChild(lab);
    return box;
  }
  var classes = document.getElementById("legend-classes");
  view.legend.classes.forEach(function (c) {
    boxes.set(c.type, check(classes, c.type, c.color, glyph[c.shape] || "\u25cf", c.count,
      function (on) { toggleClass(c.type, on); }));
  });
  var edgeBox = document.getElementById("legend-edges");
  view.legend.edge_types.forEach(function (t) {
    check(edgeBox, t.type.replace(/_/g, " "), t.color, "\u2192", t.count, function (on) {
      if (on) { hiddenTypes.delete(t.type); } else { hiddenTypes.add(t.type); }
      applyFilters();
    });
  });
  if (view.legend.eto_edges) {
    var eto = el("label", "filter dataset-eto");
    eto.appendChild(el("span", "swatch", "\u2504"));
    eto.appendChild(el("span", null, "from ETO's dataset (" + view.legend.eto_edges + "), dotted"));
    edgeBox.appendChild(eto);
  }
  var extra = document.getElementById("legend-extra");
  if (view.legend.rank) {
    var c = view.legend.rank;
    var lo = el("span", "swatch", "\u25cf"); lo.style.color = c.low;
    var hi = el("span", "swatch", "\u25cf"); hi.style.color = c.high;
    extra.appendChild(el("span", null, "Ranked chokepoints are filled grey by rank in their section: "));
    extra.appendChild(hi);
    extra.appendChild(el("span", null, " first \u2026 "));
    extra.appendChild(lo);
    extra.appendChild(el("span", null, " last; the larger, the higher; the thick border and the shape are the class. Click one to highlight its chain."));
  }
  (view.legend.changes || []).forEach(function (c) {
    var mark = el("span", "swatch change-mark", c.dashes ? "\u25cc" : "\u25cb");
    mark.style.color = c.border;
    extra.appendChild(mark);
    extra.appendChild(el("span", null, " " + c.label + "  "));
  });
  if (view.paths) {
    extra.appendChild(el("span", null, " " + view.paths.length + " path(s), drawn in red; dashed links are derived or planned."));
  } else if (!view.legend.rank) {
    extra.appendChild(el("span", null, "Arrows point downstream, from what is needed to what needs it; dashed links are derived or planned."));
  }

  /* --- the ranked list beside the graph: rows are buttons (Tab moves through them, Enter
     selects), synced with the graph both ways; a filter keeps rows whose name matches */
  var rows = new Map();
  var rankBox = document.getElementById("ranking-lists");
  var filterBox = document.getElementById("rank-filter");
  var totals = (view.legend.rank && view.legend.rank.totals) || {};
  ["actors", "items"].forEach(function (sec) {
    var members = view.ranking.filter(function (r) { return r.section === sec; });
    if (!members.length) { return; }
    var total = totals[sec] || members.length;
    rankBox.appendChild(el("h3", null, sec.charAt(0).toUpperCase() + sec.slice(1) + " (" + members.length +
      (total > members.length ? " of " + total : "") + ")"));
    var ol = el("ol", "rank-list");
    members.forEach(function (r) {
      var li = el("li", "rank-row");
      var b = el("button", "rank-go");
      b.type = "button";
      b.dataset.id = r.id;
      b.appendChild(el("span", "rank-no", "#" + r.rank));
      var name = el("span", "rank-name", cut(r.label, 40) + (r.zh ? " " + r.zh : ""));
      b.appendChild(name);
      b.appendChild(el("span", "rank-score", "cuts " + r.score));
      b.title = named(r) + " \u00b7 " + r.type + " \u00b7 " + r.why;
      b.addEventListener("click", function () { select(r.id); });
      li.appendChild(b);
      ol.appendChild(li);
      rows.set(r.id, { li: li, button: b, key: norm([r.label, r.zh, r.id, r.type].join(" ")) });
    });
    rankBox.appendChild(ol);
  });
  if (!view.ranking.length) {
    rankBox.appendChild(el("p", "hint", "No node of this view alone cuts a target."));
  }
  function markRow(id) {
    rows.forEach(function (row, rid) {
      var on = rid === id;
      row.li.classList.toggle("selected", on);
      row.button.setAttribute("aria-current", on ? "true" : "false");
      if (on) { row.li.scrollIntoView({ block: "nearest" }); }
    });
  }
  function applyRankFilter() {
    var k = norm(filterBox.value);
    rows.forEach(function (row) { row.li.hidden = !!k && row.key.indexOf(k) < 0; });
  }
  filterBox.addEventListener("input", function () { applyRankFilter(); writeHash(); });
  document.getElementById("rank-form").addEventListener("submit", function (ev) { ev.preventDefault(); });

  /* --- phones: the side column is a bottom sheet, collapsed until a node is selected */
  var side = document.getElementById("side");
  var sheetButton = document.getElementById("sheet-toggle");
  function openSheet(on) {
    side.classList.toggle("collapsed", !on);
    sheetButton.setAttribute("aria-expanded", on ? "true" : "false");
  }
  sheetButton.addEventListener("click", function () { openSheet(side.classList.contains("collapsed")); });
  var phone = window.matchMedia("(max-width: 700px)");
  openSheet(!phone.matches);

  /* --- the URL fragment keeps the selection and the filters: #sel=ID&q=TEXT&hide=Class,Class */
  var restoring = false;
  function writeHash() {
    if (restoring) { return; }
    var p = new URLSearchParams();
    if (selected) { p.set("sel", selected); }
    if (filterBox.value) { p.set("q", filterBox.value); }
    if (hiddenClasses.size) { p.set("hide", Array.from(hiddenClasses).sort().join(",")); }
    var text = p.toString();
    try { history.replaceState(null, "", text ? "#" + text : location.pathname + location.search); }
    catch (err) { location.hash = text; }
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    restoring = true;
    (p.get("hide") || "").split(",").forEach(function (t) { if (boxes.has(t)) { toggleClass(t, false); } });
    if (p.get("q")) { filterBox.value = p.get("q"); applyRankFilter(); }
    var sel = p.get("sel");
    if (sel && byId.has(sel)) {  /* selected in the overview, without zooming in */
      if (hiddenClasses.has(byId.get(sel).type)) { toggleClass(byId.get(sel).type, true); }
      network.selectNodes([sel]);
      onSelect(sel);
    }
    restoring = false;
  }
  readHash();

  /* --- export: the drawing as a PNG with the title, the date and a sources line */
  function sourcesLine() {
    var seen = new Map();
    function add(s) { var k = s.publisher || s.title || s.id; if (k) { seen.set(k, (seen.get(k) || 0) + 1); } }
    view.nodes.forEach(function (n) { (n.sources || []).forEach(add); });
    view.edges.forEach(function (e) { (e.sources || []).forEach(add); });
    var names = Array.from(seen.entries()).sort(function (a, b) { return b[1] - a[1]; }).map(function (x) { return x[0]; });
    return "Sources: " + (names.length ? names.slice(0, 6).join("; ") + (names.length > 6 ? "; and " + (names.length - 6) + " more" : "") : "none in this view");
  }
  function exportPng() {
    var src = container.querySelector("canvas");
    var head = Math.round(70 * (window.devicePixelRatio || 1));
    var out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height + head;
    var ctx = out.getContext("2d");
    var k = head / 70;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#222222";
    ctx.font = "bold " + Math.round(16 * k) + "px system-ui, sans-serif";
    ctx.fillText(cut(view.title, 140), 10 * k, 22 * k);
    ctx.font = Math.round(12 * k) + "px system-ui, sans-serif";
    ctx.fillText("Data as of " + view.as_of + " \u00b7 drawn by chokemap \u00b7 " + view.counts.nodes + " nodes, " + view.counts.edges + " edges", 10 * k, 42 * k);
    ctx.fillText(cut(sourcesLine(), 200), 10 * k, 60 * k);
    ctx.drawImage(src, 0, head);
    var url = out.toDataURL("image/png");
    window.chokemap.lastPng = url;
    saveAs(url, "png");
  }
  /* --- a download of the drawing: chokemap-VIEW-DATE.EXT */
  function saveAs(url, ext) {
    var a = el("a");
    a.href = url;
    a.download = "chokemap-" + view.view + "-" + view.as_of + "." + ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("png").addEventListener("click", exportPng);
  /* --- export: the drawing as an SVG document (svg.js), saved from a Blob */
  function exportSvg() {
    var xml = chokemapSvg.build(network, nodes, edges, { title: cut(view.title, 140), options: page.options, lines: [
      "Data as of " + view.as_of + " \u00b7 drawn by chokemap \u00b7 " + view.counts.nodes + " nodes, " + view.counts.edges + " edges",
      cut(sourcesLine(), 200)] });
    window.chokemap.lastSvg = xml;
    var url = URL.createObjectURL(new Blob([xml], { type: "image/svg+xml" }));
    saveAs(url, "svg");
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  document.getElementById("svg").addEventListener("click", exportSvg);
  window.chokemap.labelPx = labelPx;
  window.chokemap.select = select;
})();
