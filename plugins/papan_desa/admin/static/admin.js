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
