/* chokemap compare page: builds the columns, the specs table and the shared list from the
   JSON block; every text goes in with textContent, links only for http(s), showing the host. */
(function () {
  "use strict";
  var view = JSON.parse(document.getElementById("chokemap-data").textContent);

  var el = chokemapKit.el;  /* common.js: one el and one link rule for every page kind */
  function sources(list) {
    var box = el("div", "src");
    (list || []).slice(0, 4).forEach(function (s, i) {
      if (i) { box.appendChild(document.createTextNode("; ")); }
      var text = s.title + (s.publisher ? ", " + s.publisher : "") + (s.date ? ", " + s.date : "");
      box.appendChild(chokemapKit.linkOrText(text, s.url));
    });
    return box;
  }
  function list(parent, title, rows, line) {
    parent.appendChild(el("h3", null, title + " (" + rows.length + ")"));
    if (!rows.length) { parent.appendChild(el("p", "why", "none")); return; }
    var ul = el("ul");
    rows.forEach(function (r) { ul.appendChild(line(r)); });
    parent.appendChild(ul);
  }
  function column(c) {
    var box = el("section", "column");
    box.appendChild(el("h2", null, c.label));
    box.appendChild(el("div", "type", c.type + " \u00b7 id " + c.id));
    var a = c.availability;
    box.appendChild(el("h3", null, "Availability"));
    box.appendChild(el("span", "state " + (a.state === "available" ? "ok" : a.state === "not available" ? "no" : "cond"), a.state));
    if (a.lines.length) {
      var ul = el("ul");
      a.lines.forEach(function (t) { ul.appendChild(el("li", null, t)); });
      box.appendChild(ul);
    }
    list(box, "Claims about it", c.claims, function (k) {
      var li = el("li", null, k.label + (k.status ? " [" + k.status + "]" : ""));
      if (k.note) { li.appendChild(el("div", "why", k.note)); }
      li.appendChild(sources(k.sources));
      return li;
    });
    list(box, "Dependencies only it has", c.only, function (d) {
      return el("li", null, d.label + " \u00b7 " + d.type + " \u00b7 " + d.depth + " link(s) up");
    });
    var title = "Chokepoints" + (c.chokepoints_total > c.chokepoints.length ? ", first of " + c.chokepoints_total : "");
    list(box, title, c.chokepoints, function (r) {
      var li = el("li", null, r.label + " \u00b7 " + r.type);
      li.appendChild(el("div", "why", r.why));
      return li;
    });
    return box;
  }
  var cols = document.getElementById("columns");
  view.columns.forEach(function (c) { cols.appendChild(column(c)); });

  var specs = document.getElementById("specs-box");
  specs.appendChild(el("h3", null, "Specs (" + view.specs.length + ")"));
  var table = el("table");
  var head = el("tr");
  ["Property", view.columns[0].label, view.columns[1].label].forEach(function (t) { head.appendChild(el("th", null, t)); });
  table.appendChild(head);
  view.specs.forEach(function (r) {
    var tr = el("tr");
    tr.appendChild(el("td", null, r.property));
    [r.a, r.b].forEach(function (vals) {
      var td = el("td", null, vals.length ? null : "\u2014");
      vals.forEach(function (v) { td.appendChild(el("div", null, v.text)); td.appendChild(sources(v.sources)); });
      tr.appendChild(td);
    });
    table.appendChild(tr);
  });
  specs.appendChild(table);

  var shared = document.getElementById("shared-box");
  list(shared, "Dependencies both have", view.shared, function (d) {
    return el("li", null, d.label + " \u00b7 " + d.type + " \u00b7 " + d.depth_a + " / " + d.depth_b + " link(s) up");
  });
  document.body.setAttribute("data-drawn", "1");
}());
