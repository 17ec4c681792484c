/* chokemap's shared page helpers, inlined before the page's own script on every page kind
 * (graph, question, timeline, compare) and allowed by its hash in the page's CSP.
 *
 * One rule for links: a URL becomes a link only if it is an absolute http: or https: URL
 * with a host; the link's href drops any user:password part and its text always ends with
 * the host, so "https://trusted.example@evil.example" reads "evil.example".  Anything else
 * (javascript:, file:, data:, relative or broken URLs) is shown as text, never as a link.
 * Every text goes in with textContent, never innerHTML. */
var chokemapKit = (function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  /* bidi controls and zero-width characters written visibly as \uXXXX */
  var HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
  function visible(t) {
    return String(t).replace(HIDDEN, function (c) { return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"); });
  }
  /* the URL made safe to link to ({href, host}), or null */
  function safeUrl(u) {
    if (!u) { return null; }
    var p;
    try { p = new URL(String(u).trim()); } catch (err) { return null; }
    if ((p.protocol !== "http:" && p.protocol !== "https:") || !p.hostname) { return null; }
    p.username = "";
    p.password = "";
    return { href: p.href, host: p.hostname };
  }
  /* a link "TEXT — host" for a safe URL; else TEXT as plain text, followed by the raw URL
     marked "(not a web link)" when there is one */
  function linkOrText(text, url, cls) {
    var safe = safeUrl(url);
    var box = el("span", cls || "source-link");
    if (safe) {
      var a = el("a", null, text + " \u2014 " + safe.host);
      a.href = safe.href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      box.appendChild(a);
    } else {
      box.appendChild(el("span", null, text));
      if (url) { box.appendChild(el("span", "raw-url", " " + visible(url) + " (not a web link)")); }
    }
    return box;
  }
  return { el: el, safeUrl: safeUrl, linkOrText: linkOrText, visible: visible };
}());
