// Pencarian Papan Desa: Pagefind's index, built offline; the only script on the site.
// Results are written with textContent, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("cari-form");
  var input = document.getElementById("cari-q");
  var status = document.getElementById("cari-status");
  var list = document.getElementById("cari-hasil");
  if (!form || !input) return;
  var root = form.getAttribute("data-root") || "";
  var pagefind = null;
  var latest = 0;

  function strip(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return doc.body.textContent || "";
  }

  var selects = Array.prototype.slice.call(document.querySelectorAll("#cari-saring select"));
  var params = new URLSearchParams(window.location.search);

  async function load() {
    if (!pagefind) {
      pagefind = await import(root + "/pagefind/pagefind.js");
      await pagefind.options({ excerptLength: 24 });
      await fillFilters(pagefind);
    }
    return pagefind;
  }

  // The filters (village, kecamatan, kind of page) come from the index itself.
  async function fillFilters(pf) {
    var all = await pf.filters();
    selects.forEach(function (sel) {
      var key = sel.getAttribute("data-filter");
      Object.keys(all[key] || {}).sort(function (a, b) { return a.localeCompare(b, "id"); }).forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        sel.appendChild(o);
      });
      var wanted = params.get(key);
      if (wanted) { sel.value = wanted; document.getElementById("cari-saring").open = true; }
      sel.addEventListener("change", function () { run(input.value); });
    });
    document.getElementById("cari-saring").hidden = false;
  }

  function chosen() {
    var f = {};
    selects.forEach(function (sel) { if (sel.value) f[sel.getAttribute("data-filter")] = sel.value; });
    return f;
  }

  async function run(q) {
    var id = ++latest;
    list.textContent = "";
    if (!q.trim()) { status.textContent = ""; return; }
    status.textContent = "Mencari…";
    var pf = await load();
    var search = await pf.debouncedSearch(q, { filters: chosen() }, 200);
    if (search === null || id !== latest) return;
    var items = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (id !== latest) return;
    status.textContent = search.results.length
      ? search.results.length + " hasil untuk \u201c" + q + "\u201d" + (search.results.length > 20 ? " (20 teratas)" : "")
      : "Tidak ada hasil untuk \u201c" + q + "\u201d";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      var p = document.createElement("p");
      p.textContent = strip(d.excerpt);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(input.value); });
  input.addEventListener("input", function () { run(input.value); });
  var q = params.get("q");
  if (q) { input.value = q; run(q); }
})();
