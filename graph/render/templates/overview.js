/* chokemap overview: clusters drawn as single nodes (by view.js) expand on click into their
 * members, whose positions and links travel in the page's JSON (view.clusters).  Inlined only on
 * overview pages, after view.js; allowed by its hash in the CSP.  Every text is shown by vis-network
 * or view.js with textContent; nothing here writes HTML or asks for anything over the network. */
(function () {
  "use strict";
  var cm = window.chokemap;
  if (!cm || !cm.view || !cm.view.clusters) { return; }
  var view = cm.view;
  var clusters = new Map();
  view.clusters.forEach(function (c) { clusters.set(c.id, c); });
  var home = null;  /* member id -> cluster id, built at the first search */
  var open = new Set();

  function cut(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }
  function tip(m) {
    var box = document.createElement("div");
    box.className = "tip";
    var s = document.createElement("strong");
    s.textContent = m.label;
    box.appendChild(s);
    var t = document.createElement("div");
    t.className = "tip-type";
    t.textContent = m.type;
    box.appendChild(t);
    return box;
  }

  function add(recs) {
    recs.forEach(function (rec) { view.nodes.push(rec); if (cm.byId) { cm.byId.set(rec.id, rec); } });
  }
  /* open one cluster: its slices (a big group) or its members drawn with their links, the
     cluster node hidden.  O(members + links) */
  function expand(cid) {
    var c = clusters.get(cid);
    if (!c || open.has(cid)) { return false; }
    if (c.parent && !open.has(c.parent)) { expand(c.parent); }
    open.add(cid);
    if (c.children.length) {
      var kids = c.children.map(function (id) { return clusters.get(id).node; });
      add(kids);
      cm.nodes.add(kids.map(function (k) {
        return { id: k.id, label: k.label, x: k.x, y: k.y, shape: k.shape, size: k.size, borderWidth: 4,
          font: { size: 16 }, color: { background: k.color, border: k.border, highlight: { background: k.color, border: "#222" } } };
      }));
    } else {
      var fresh = c.members.filter(function (m) { return !cm.nodes.get(m.id); });
      add(fresh.map(function (m) {
        return { id: m.id, label: m.label, zh: "", aliases: m.aliases || [], type: m.type, color: m.color,
          shape: m.shape, size: 12, role: "member", cluster_of: cid, description: "", facts: [], specs: [],
          sources: [], x: m.x, y: m.y };
      }));
      cm.nodes.add(fresh.map(function (m) {
        return { id: m.id, label: cut(m.label, 32), x: m.x, y: m.y, shape: m.shape, size: 12, title: tip(m),
          color: { background: m.color, border: m.color, highlight: { background: m.color, border: "#222" } } };
      }));
    }
    var links = c.edges.map(function (e, i) {
      var rec = { id: cid + ":" + i, from: e[0], to: e[1], type: e[2], count: e[3], sources: [],
        note: e[3] > 1 ? e[3] + " links of this type" : "" };
      view.edges.push(rec);
      if (cm.edgeById) { cm.edgeById.set(rec.id, rec); }
      return { id: rec.id, from: e[0], to: e[1], color: { color: "#9a9a9a", opacity: 0.7 },
        width: Math.min(6, 1 + Math.log10(e[3])) };
    });
    cm.edges.add(links);
    cm.nodes.update({ id: cid, hidden: true });
    document.body.setAttribute("data-open-clusters", String(open.size));
    return true;
  }
  cm.network.on("click", function (params) {
    if (params.nodes.length && clusters.has(params.nodes[0])) { expand(params.nodes[0]); }
  });

  /* search: a name inside a closed cluster opens that cluster first, then view.js finds it */
  function norm(t) {
    return String(t).replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
      .normalize("NFKC").toLowerCase().replace(/[\s\-_.\u00b7/]+/g, "");
  }
  function tier(names, k) {
    var best = 3;
    names.forEach(function (name) {
      var a = norm(name);
      var t = a === k ? 0 : (a.indexOf(k) === 0 ? 1 : (a.indexOf(k) >= 0 ? 2 : 3));
      if (t < best) { best = t; }
    });
    return best;
  }
  function memberFor(q) {
    var k = norm(q);
    if (!k) { return null; }
    if (home === null) {
      home = [];
      view.clusters.forEach(function (c) {
        c.members.forEach(function (m) { home.push([c.id, m.id, [m.label, m.id].concat(m.aliases || []).map(norm)]); });
      });
    }
    var drawn = 3;
    view.nodes.forEach(function (n) { if (drawn > 0) { drawn = Math.min(drawn, tier([n.label, n.id], k)); } });
    var best = null, bestTier = drawn;
    for (var i = 0; i < home.length && bestTier > 0; i++) {
      if (open.has(home[i][0])) { continue; }
      home[i][2].forEach(function (a) {
        var t = a === k ? 0 : (a.indexOf(k) === 0 ? 1 : (a.indexOf(k) >= 0 ? 2 : 3));
        if (t < bestTier) { bestTier = t; best = home[i][0]; }
      });
    }
    return best;
  }
  var form = document.getElementById("search");
  document.addEventListener("submit", function (ev) {
    if (ev.target !== form) { return; }
    var cid = memberFor(document.getElementById("search-box").value);
    if (cid) { expand(cid); }
  }, true);
  cm.expand = expand;
  /* a link to a member of a closed cluster (#sel=ID) opens that cluster and selects it */
  var sel = new URLSearchParams(location.hash.replace(/^#/, "")).get("sel");
  if (sel && cm.byId && !cm.byId.has(sel) && cm.select) {
    view.clusters.forEach(function (c) {
      if (c.members.some(function (m) { return m.id === sel; })) { expand(c.id); cm.select(sel); }
    });
  }
})();
