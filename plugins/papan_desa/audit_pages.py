"""Where the audit shows: provenance and checks on each budget page, and the kabupaten's audit page.

The village part is a finisher: it gives each ``apbdes/<tahun>/`` page its Perdes link, the
checks in plain words and the figures' history (``theme/templates/_apbdes_audit.html``), and puts
what the portal needs in the village summary. The portal part is the public audit page
(``audit/``): per kecamatan and village, the mismatches and late items, in pre-sorted views that
need no JavaScript, with a CSV.
"""
from __future__ import annotations

from .audit import LABEL_JENIS, SELISIH, SESUAI, TIDAK_DAPAT
from .portal import PortalKecamatan


def audit_village(desa, settings: dict, parts) -> None:
    from .riwayat import riwayat

    audit = desa.data.get("audit")
    if audit is None:
        return
    terbit: dict[str, dict] = {}
    for page in parts.pages:
        if page.template != "apbdes_tahun.html":
            continue
        year = page.context["year"]
        r = riwayat(year)
        terbit[str(year.tahun)] = r.terbit
        page.context["audit"] = {"perdes": audit.perdes.get(year.tahun), "cek": audit.untuk(year.tahun),
                                 "riwayat": r, "LABEL": LABEL_JENIS, "SESUAI": SESUAI, "SELISIH": SELISIH,
                                 "TIDAK_DAPAT": TIDAK_DAPAT}
    parts.summary["audit"] = {
        "dokumen": {"perdes_apbdes": {str(t): d.as_dict() for t, d in sorted(audit.perdes.items())},
                    "rkp": {str(t): d.as_dict() for t, d in sorted(audit.rkp.items())},
                    "rpjm": audit.rpjm.as_dict() if audit.rpjm else None},
        "terbit": terbit,
        "cek": [c.as_dict() for c in audit.cek],
    }


# ------------------------------------------------------------------ the kabupaten's audit page

TERLAMBAT = "terlambat"


def temuan(model: list[PortalKecamatan], rules) -> list[dict]:
    """Every mismatch and late item of every published village, one row each (kecamatan, village order)."""
    from . import keterbukaan as K

    dated = {a.kode: a for a in rules if a.batas}
    rows = []
    for kec in model:
        for v in kec.villages:
            if not v.linked:
                continue
            for c in (v.summary.get("audit") or {}).get("cek") or []:
                if c["status"] == SELISIH:
                    rows.append({"v": v, "tahun": c["tahun"], "jenis": LABEL_JENIS.get(c["jenis"], c["jenis"]),
                                 "macam": SELISIH, "uraian": c["publik"], "angka_desa": c["angka_desa"],
                                 "angka_sumber": c["angka_sumber"], "sumber": c["sumber"]})
            n = v.keterbukaan
            for kode, a in dated.items():
                st = n.sel.get(kode)
                if st == K.TERLAMBAT or (st == K.TIDAK_ADA and "lewat" in n.teks.get(kode, "")):
                    rows.append({"v": v, "tahun": None, "jenis": a.label, "macam": TERLAMBAT,
                                 "uraian": n.teks[kode], "angka_desa": None, "angka_sumber": None,
                                 "sumber": a.dasar})
    return rows


def audit_page(settings: dict, model: list[PortalKecamatan]) -> list:
    from . import keterbukaan as K
    from .portal_pages import _csv

    rules = K.aturan(settings)
    rows = temuan(model, rules)
    per_desa: dict[str, dict] = {}
    for kec in model:
        for v in kec.villages:
            if v.linked:
                cek = (v.summary.get("audit") or {}).get("cek") or []
                per_desa[v.kode] = {"v": v, "selisih": 0, "terlambat": 0,
                                    "tidak_dapat": sum(1 for c in cek if c["status"] == TIDAK_DAPAT),
                                    "sesuai": sum(1 for c in cek if c["status"] == SESUAI)}
    for r in rows:
        per_desa[r["v"].kode]["selisih" if r["macam"] == SELISIH else "terlambat"] += 1
    kec_rows = []
    for kec in model:
        ds = [d for d in per_desa.values() if d["v"].kecamatan == kec.nama]
        kec_rows.append({"kec": kec, "terbit": len(ds), "semua": len(kec.villages),
                         "selisih": sum(d["selisih"] for d in ds), "terlambat": sum(d["terlambat"] for d in ds)})
    desa_rows = list(per_desa.values())
    orders = {
        "kecamatan": ("kecamatan dan desa", lambda d: d["v"].kode),
        "selisih": ("jumlah selisih", lambda d: (-d["selisih"], -d["terlambat"], d["v"].kode)),
        "terlambat": ("jumlah keterlambatan", lambda d: (-d["terlambat"], -d["selisih"], d["v"].kode)),
    }
    header = ["kode_desa", "desa", "kecamatan", "tahun", "macam", "jenis", "uraian", "angka_desa", "angka_sumber",
              "sumber"]
    data = [[r["v"].kode, r["v"].nama, r["v"].kecamatan, r["tahun"], r["macam"], r["jenis"], r["uraian"],
             r["angka_desa"], r["angka_sumber"], r["sumber"]] for r in rows]
    pages = [("data/audit.csv", None, _csv(header, data))]
    for key, (label, sort) in orders.items():
        save = "audit/index.html" if key == "kecamatan" else f"audit/urut-{key}/index.html"
        pages.append((save, "audit", {
            "kec_rows": kec_rows, "desa_rows": sorted(desa_rows, key=sort), "temuan": rows,
            "urut": key, "orders": [(k, lbl) for k, (lbl, _) in orders.items()], "urut_label": label,
            "n_terbit": len(desa_rows), "n_semua": sum(len(k.villages) for k in model),
            "SELISIH": SELISIH, "today": K.hari_ini(settings, [d["v"].summary for d in desa_rows])}))
    return pages
