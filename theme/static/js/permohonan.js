// Permohonan layanan (#23): fills the request message, the link to the village's channel and the
// printable letter from the form. Sends nothing and loads nothing: the resident's own app sends the message.
// The message template comes from the page (written by papan_desa/publikasi/permohonan.py); `susun`
// mirrors susun_pesan there. Typed text goes in with textContent and encodeURIComponent only.
(function () {
  "use strict";
  var form = document.getElementById("permohonan-form");
  if (!form) return;
  var templat = form.getAttribute("data-templat") || "";
  var awal = form.getAttribute("data-awal") || "";
  var pesan = document.getElementById("permohonan-pesan");
  var kirim = document.getElementById("permohonan-kirim");
  var status = document.getElementById("permohonan-status");
  var TOKEN = /\{(nama|alamat|nik|kk|keperluan|hari|hp)\}/g;
  var slots = Array.prototype.slice.call(document.querySelectorAll("[data-isi]"));
  slots.forEach(function (el) { el.setAttribute("data-kosong", el.textContent); });

  function satuBaris(v) { return String(v || "").replace(/\s+/g, " ").trim(); }

  function hari(v) {   // "2026-12-07" -> "Senin, 7 Desember 2026", by the browser's own calendar names
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return v;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.toLocaleDateString("id-ID", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function isian() {
    var v = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name) v[el.name] = satuBaris(el.name === "hari" ? hari(el.value) : el.value);
    });
    return v;
  }

  function susun(v) {
    return templat.split("\n").filter(function (line) {
      var keys = line.match(TOKEN);
      return !keys || keys.some(function (k) { return v[k.slice(1, -1)]; });
    }).map(function (line) {
      return line.replace(TOKEN, function (_, k) { return v[k] || ""; });
    }).join("\n");
  }

  function isi() {
    var v = isian(), teks = susun(v);
    if (pesan) pesan.textContent = teks;
    if (kirim && awal) kirim.href = awal + encodeURIComponent(teks);
    slots.forEach(function (el) { el.textContent = v[el.getAttribute("data-isi")] || el.getAttribute("data-kosong"); });
    return teks;
  }

  form.hidden = false;
  form.addEventListener("input", isi);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!form.reportValidity()) return;
    isi();
    if (kirim && awal) {
      status.textContent = "Membuka aplikasi untuk mengirim pesan…";
      window.location.assign(kirim.href);
    }
  });
  document.getElementById("permohonan-cetak").addEventListener("click", function () {
    isi();
    window.print();
  });
})();
