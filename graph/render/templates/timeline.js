/* chokemap timeline page: draws one lane per item on a date axis from the JSON block, with a
 * tooltip on hover or focus and a panel on click or tap.  Every text from the data is shown
 * with textContent (never innerHTML); links are made only for http(s) URLs, with
 * rel="noopener noreferrer"; any other URL is shown as text.  The CSP of the page allows
 * this script by its hash and forbids requests to any host. */
(function () {
  "use strict";
  var view = JSON.parse(document.getElementById("chokemap-data").textContent);
  var DAY = 86400000;
  var states = {};
  view.states.forEach(function (s) { states[s.state] = s; });
  function t(iso) { return Date.parse(iso + "T00:00:00Z"); }
  var t0 = t(view.from);
  var t1 = t(view.to) + DAY;
  function pct(ms) { return Math.max(0, Math.min(100, (ms - t0) / (t1 - t0) * 100)); }

  var el = chokemapKit.el;  /* common.js: one el and one link rule for every page kind */
  function span(iv) { return iv.from === iv.to ? iv.from : iv.from + " to " + iv.to; }
  function stateWords(iv) {
    var words = iv.state_label;
    if (iv.state === "not_launched" && iv.launch) { words += " (first available " + iv.launch + ")"; }
    return words + (iv.confirmed ? "" : " (scheduled, not confirmed)");
  }

  /* --- sources: a link showing its host, or plain text (a javascript: or file: URL stays text) */
  function sourceItem(s) {
    var li = el("li", "source");
    var tail = [s.publisher, s.date].filter(Boolean).join(", ");
    var text = (s.title || s.id) + (tail ? " (" + tail + ")" : "") + (s.secondary ? " [secondary]" : "");
    li.appendChild(chokemapKit.linkOrText(text, s.url));
    return li;
  }
  function sourceList(srcs) {
    var ul = el("ul", "sources");
    (srcs || []).forEach(function (s) { ul.appendChild(sourceItem(s)); });
    return ul;
  }

  /* --- legend and axis */
  function drawLegend() {
    var box = document.getElementById("legend");
    view.states.forEach(function (s) {
      var key = el("span", "key");
      key.appendChild(el("span", "sw st-" + s.state));
      key.appendChild(el("span", null, s.label));
      box.appendChild(key);
    });
    var sched = el("span", "key");
    sched.appendChild(el("span", "sw st-available scheduled"));
    sched.appendChild(el("span", null, "dashed, faded: after the data's horizon (scheduled, not confirmed)"));
    box.appendChild(sched);
  }
  function ticks() {
    var a = new Date(t0);
    var b = new Date(t1);
    var years = (t1 - t0) / DAY / 365.25;
    var step = years > 12 ? 24 : years > 5 ? 12 : years > 1.5 ? 3 : 1;
    var y = a.getUTCFullYear();
    var m = Math.ceil(a.getUTCMonth() / step) * step;
    var out = [];
    for (var d = Date.UTC(y, m, 1); d <= b.getTime(); d = Date.UTC(y, m, 1)) {
      var dd = new Date(d);
      var text = step >= 12 || dd.getUTCMonth() === 0 ? String(dd.getUTCFullYear())
        : dd.toISOString().slice(0, 7);
      out.push({ms: d, text: text});
      m += step;
    }
    return out;
  }
  function horizonMark(track, labelled) {
    if (!view.data_as_of) { return; }
    var ms = t(view.data_as_of) + DAY;
    if (ms <= t0 || ms >= t1) { return; }
    var line = el("div", "horizon");
    line.style.left = pct(ms) + "%";
    track.appendChild(line);
    if (labelled) {
      var lab = el("span", "horizon-label", "data to " + view.data_as_of + " (later: scheduled)");
      if (pct(ms) > 55) { lab.style.right = (100 - pct(ms)) + "%"; } else { lab.style.left = pct(ms) + "%"; }
      track.appendChild(lab);
    }
  }
  function drawAxis() {
    var axis = document.getElementById("axis");
    axis.appendChild(el("div", "lane-label"));
    var scale = el("div", "ticks");
    axis.appendChild(scale);
    var last = -1e9;
    var width = scale.getBoundingClientRect().width || 300;
    ticks().forEach(function (tk) {
      var tick = el("div", pct(tk.ms) < 2 ? "tick first" : pct(tk.ms) > 97 ? "tick last" : "tick");
      tick.style.left = pct(tk.ms) + "%";
      var x = pct(tk.ms) / 100 * width;
      if (x - last >= (tk.text.length > 4 ? 58 : 40)) { tick.appendChild(el("span", null, tk.text)); last = x; }
      scale.appendChild(tick);
    });
    horizonMark(scale, true);
  }

  /* --- tooltip: hover or keyboard focus */
  var tip = document.getElementById("tip");
  function tipFor(lane, iv) {
    tip.replaceChildren();
    tip.appendChild(el("p", "state-line", lane.label + ": " + stateWords(iv)));
    tip.appendChild(el("p", "when", span(iv)));
    if (iv.events.length) {
      var ul = el("ul", "events");
      iv.events.slice(0, 5).forEach(function (ev) { ul.appendChild(el("li", null, ev.date + ": " + ev.text)); });
      if (iv.events.length > 5) { ul.appendChild(el("li", "muted", "and " + (iv.events.length - 5) + " more")); }
      tip.appendChild(el("p", null, "What changed:"));
      tip.appendChild(ul);
    }
    tip.appendChild(el("p", "muted", "Click or tap for the policies behind it and the sources."));
    tip.hidden = false;
  }
  function placeTip(x, y) {
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 12, window.innerWidth - w - 4)) + "px";
    tip.style.top = (y + 16 + h > window.innerHeight ? Math.max(4, y - h - 10) : y + 16) + "px";
  }
  function hideTip() { tip.hidden = true; }

  /* --- panel: the events of a change, the policies or causes behind the state, the sources */
  function whyList(iv) {
    var ul = el("ul", "why");
    var rows = iv.state === "conditions" ? iv.conditions : iv.blocked_by;
    rows.forEach(function (c) {
      var li = el("li");
      var pol = c.policy ? view.policies[c.policy] : null;
      li.appendChild(el("div", null, c.text || c.label || c.reason));
      (c.conditions || []).forEach(function (x) { li.appendChild(el("div", "muted", "condition: " + x)); });
      if (pol && pol.sources.length) { li.appendChild(sourceList(pol.sources)); }
      ul.appendChild(li);
    });
    return ul;
  }
  function eventList(events) {
    var ul = el("ul", "events");
    events.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", "when", ev.date + " "));
      li.appendChild(el("span", null, ev.text));
      if (ev.sources.length) { li.appendChild(sourceList(ev.sources)); }
      ul.appendChild(li);
    });
    return ul;
  }
  function panelFor(lane, iv) {
    var body = document.getElementById("panel-body");
    body.replaceChildren();
    body.appendChild(el("h2", null, lane.label));
    body.appendChild(el("p", "state-line", stateWords(iv)));
    body.appendChild(el("p", "when", span(iv) + (lane.buyer ? ", for " + lane.buyer.label : ", for any buyer")));
    if (!iv.confirmed) {
      body.appendChild(el("p", "sched", "After the data's horizon (" + view.data_as_of +
        "): this is what the data schedules, not a confirmed fact."));
    }
    body.appendChild(el("h3", null, "What changed on " + iv.from));
    if (iv.events.length) { body.appendChild(eventList(iv.events)); }
    else { body.appendChild(el("p", "muted", iv.from === view.from ? "The range starts here." : "No dated event in the data (the data's horizon).")); }
    var rows = iv.state === "conditions" ? iv.conditions : iv.blocked_by;
    if (rows.length) {
      body.appendChild(el("h3", null, iv.state === "conditions" ? "Conditions: the policies that apply"
        : "Why: the policies or missing inputs behind it"));
      body.appendChild(whyList(iv));
    }
    if (iv.warnings.length) {
      body.appendChild(el("h3", null, "Warnings"));
      var wl = el("ul", "why");
      iv.warnings.forEach(function (w) { wl.appendChild(el("li", null, w.text)); });
      body.appendChild(wl);
    }
  }

  /* --- lanes */
  var selected = null;
  function select(btn, lane, iv) {
    if (selected) { selected.classList.remove("selected"); selected.setAttribute("aria-pressed", "false"); }
    selected = btn;
    btn.classList.add("selected");
    btn.setAttribute("aria-pressed", "true");
    panelFor(lane, iv);
  }
  function bar(lane, iv) {
    var left = pct(t(iv.from));
    var width = pct(t(iv.to) + DAY) - left;
    /* a change of a few days is drawn wider than its dates and above its neighbours, so it
       can be hovered, clicked and tapped */
    var btn = el("button", "iv st-" + iv.state + (iv.confirmed ? "" : " scheduled") + (width < 1.5 ? " narrow" : ""));
    btn.type = "button";
    btn.style.left = left + "%";
    btn.style.width = width + "%";
    btn.appendChild(el("span", "iv-text", states[iv.state].short + (iv.confirmed ? "" : " (scheduled)")));
    btn.setAttribute("aria-label", lane.label + ", " + span(iv) + ": " + stateWords(iv));
    btn.setAttribute("aria-pressed", "false");
    btn.addEventListener("mouseenter", function (e) { tipFor(lane, iv); placeTip(e.clientX, e.clientY); });
    btn.addEventListener("mousemove", function (e) { placeTip(e.clientX, e.clientY); });
    btn.addEventListener("mouseleave", hideTip);
    btn.addEventListener("focus", function () {
      var r = btn.getBoundingClientRect();
      tipFor(lane, iv);
      placeTip(r.left, r.bottom);
    });
    btn.addEventListener("blur", hideTip);
    btn.addEventListener("click", function () {
      hideTip();
      select(btn, lane, iv);
      if (window.matchMedia("(max-width: 760px)").matches) { document.getElementById("panel").scrollIntoView(); }
    });
    return btn;
  }
  function drawLane(lane) {
    var box = el("div", "lane");
    var row = el("div", "row");
    var name = el("div", "lane-label", lane.label);
    name.appendChild(el("span", "lane-type", lane.type || ""));
    row.appendChild(name);
    var track = el("div", "track");
    track.setAttribute("role", "group");
    track.setAttribute("aria-label", lane.label);
    lane.intervals.forEach(function (iv) { track.appendChild(bar(lane, iv)); });
    horizonMark(track, false);
    row.appendChild(track);
    box.appendChild(row);
    if (lane.expected.length) {
      var p = el("p", "lane-planned", "Planned, not confirmed: " + lane.expected.map(function (ev) {
        return ev.text.replace(/ \(planned, not confirmed\)$/, "") + " from " + ev.date;
      }).join("; "));
      box.appendChild(p);
    }
    return box;
  }

  drawLegend();
  drawAxis();
  var lanes = document.getElementById("lanes");
  view.lanes.forEach(function (lane) { lanes.appendChild(drawLane(lane)); });
  window.chokemap = {view: view, lanes: view.lanes.length, drawn: true};
}());
