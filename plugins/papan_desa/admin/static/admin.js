// Papan Admin: live preview of the Markdown body. Every form also works without this file
// (the "Lihat pratinjau isi" button asks the server for the same preview).
(function () {
  "use strict";
  var token = document.querySelector('input[name="csrf_token"]');
  document.querySelectorAll("textarea[data-pratinjau]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("data-pratinjau"));
    if (!out || !token) { return; }
    var timer = null;
    function refresh() {
      var body = new URLSearchParams();
      body.set("isi", area.value);
      fetch("/api/markdown", {method: "POST", body: body, credentials: "same-origin",
                              headers: {"X-CSRFToken": token.value}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { out.innerHTML = data.html; } })
        .catch(function () {});
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
    refresh();
  });
}());
// A calendar beside each date field: picking a day writes it into the text field (keeping a time after it).
(function () {
  "use strict";
  document.querySelectorAll("input[data-tanggal-untuk]").forEach(function (pick) {
    var text = document.getElementById(pick.getAttribute("data-tanggal-untuk"));
    if (!text) { return; }
    pick.addEventListener("change", function () {
      if (!pick.value) { return; }
      text.value = pick.value + text.value.slice(10);
    });
  });
}());
// Amounts grouped as they are typed: 7250000 -> 7.250.000 (the build reads both).
(function () {
  "use strict";
  function group(v) {
    var m = /^(\s*(?:Rp\.?\s*)?)([0-9.]+)(,[0-9]*)?\s*$/.exec(v);
    if (!m) { return v; }
    var digits = m[2].replace(/\./g, "");
    if (!digits) { return v; }
    return m[1] + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (m[3] || "");
  }
  document.querySelectorAll("input.angka").forEach(function (input) {
    input.addEventListener("input", function () {
      var before = input.value, after = group(before);
      if (after === before) { return; }
      var fromEnd = before.length - (input.selectionEnd || before.length);
      input.value = after;
      var pos = Math.max(0, after.length - fromEnd);
      input.setSelectionRange(pos, pos);
    });
  });
}());
