"""The kabupaten portal's content, computed from the registry and the villages' build results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .registry import Registry

# What a registry village shows on the portal.
TERBIT = "terbit"                  # published and current
GAGAL_LAMA = "gagal-lama"          # this build failed; the last good pages stay published
GAGAL = "gagal"                    # failed and never published
BELUM = "belum terbit"             # no folder yet

STATUS_LABEL = {
    TERBIT: "Terbit",
    GAGAL_LAMA: "Terbit (versi lama; pembaruan gagal)",
    GAGAL: "Gagal dibangun",
    BELUM: "Belum terbit",
}


@dataclass
class PortalVillage:
    kode: str
    nama: str
    jenis: str
    kecamatan: str
    status: str
    slug: str | None = None         # folder (URL path) when there are pages to link to
    contoh: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    keterbukaan: Any = None          # keterbukaan.Nilai, set by portal_pages

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def linked(self) -> bool:
        return self.status in (TERBIT, GAGAL_LAMA) and self.slug is not None

    # Key figures, from the village's build summary (None when it has not published them).
    @property
    def apbdes(self) -> dict | None:
        years = self.summary.get("apbdes") or []
        return years[-1] if years else None

    def apbdes_tahun(self, tahun: int) -> dict | None:
        return next((y for y in self.summary.get("apbdes") or [] if y["tahun"] == tahun), None)

    @property
    def realisasi_persen(self) -> float | None:
        y = self.apbdes
        if not y or y.get("belanja_realisasi") is None or not y.get("belanja"):
            return None
        return 100.0 * y["belanja_realisasi"] / y["belanja"]

    @property
    def penduduk(self):
        return (self.summary.get("datadesa") or {}).get("penduduk")

    @property
    def indeks(self) -> dict | None:
        return (self.summary.get("datadesa") or {}).get("indeks")


@dataclass
class PortalKecamatan:
    nama: str
    slug: str
    kode: str
    villages: list[PortalVillage]

    def count(self, *statuses: str) -> int:
        return sum(1 for v in self.villages if v.status in statuses)

    @property
    def n_terbit(self) -> int:
        return self.count(TERBIT, GAGAL_LAMA)

    def total(self, getter) -> int | float:
        """Sum of a figure over the villages that publish it (suppressed '<5' counts are left out)."""
        vals = [getter(v) for v in self.villages]
        return sum(x for x in vals if isinstance(x, (int, float)))


def portal_model(registry: Registry, results: dict[str, dict]) -> list[PortalKecamatan]:
    """Registry villages grouped by kecamatan, each with its publication status.

    ``results`` maps a village folder (slug) to its build result:
    ``{"status": "ok"|"gagal", "kode": ..., "published": bool, "summary": {...}, "problems": [...]}``.
    """
    by_kode: dict[str, tuple[str, dict]] = {}
    for slug, res in sorted(results.items()):
        kode = res.get("kode")
        if kode and kode not in by_kode:
            by_kode[kode] = (slug, res)
    out = []
    for kec, villages in registry.kecamatan.items():
        items = []
        for w in villages:
            slug, res = by_kode.get(w.kode, (None, None))
            if res is None:
                status = BELUM
            elif res["status"] == "ok":
                status = TERBIT
            elif res.get("published"):
                status = GAGAL_LAMA
            else:
                status = GAGAL
            items.append(PortalVillage(
                w.kode, w.nama, w.jenis, w.kecamatan, status, slug,
                bool(res and res.get("summary", {}).get("contoh")),
                (res or {}).get("summary", {}), (res or {}).get("problems", [])))
        out.append(PortalKecamatan(kec, villages[0].kecamatan_slug, villages[0].kode_kec, items))
    return out


def unregistered_failures(registry: Registry, results: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """Failed village folders that the registry cannot place (e.g. an unknown code)."""
    known = set(registry.villages)
    return [(slug, res.get("problems", [])) for slug, res in sorted(results.items())
            if res["status"] != "ok" and res.get("kode") not in known]


# Further portal pages: fn(settings, model: list[PortalKecamatan]) -> [(save_as, template, context)],
# filled from the table in ``data_kinds``.
PORTAL_BUILDERS: list = []


def portal_pages(settings: dict) -> list[tuple[str, str, dict]]:
    registry: Registry = settings["PAPAN_REGISTRY_OBJ"]
    results: dict[str, dict] = settings["PAPAN_RESULTS"]
    from . import keterbukaan as K

    model = portal_model(registry, results)
    all_villages = [v for k in model for v in k.villages]
    rules = K.aturan(settings)
    today = K.hari_ini(settings, [v.summary for v in all_villages if v.summary])
    for v in all_villages:
        v.keterbukaan = K.nilai(v.summary if v.linked else None, today, rules)
    totals = {
        "desa": sum(1 for v in all_villages if v.jenis == "desa"),
        "kelurahan": sum(1 for v in all_villages if v.jenis == "kelurahan"),
        "kecamatan": len(model),
        "terbit": sum(1 for v in all_villages if v.linked),
        "gagal": sum(1 for v in all_villages if v.status in (GAGAL, GAGAL_LAMA)),
        "semua": len(all_villages),
        "belanja": sum(v.apbdes["belanja"] for v in all_villages if v.linked and v.apbdes and v.apbdes.get("belanja")),
        "dana_desa": sum(v.apbdes["dana_desa"] for v in all_villages if v.linked and v.apbdes and v.apbdes.get("dana_desa")),
        "penduduk": sum(v.penduduk for v in all_villages if v.linked and isinstance(v.penduduk, int)),
        # Over the villages that publish, with those not yet published counted beside it.
        "keterbukaan": K.rata_rata_skor([v.keterbukaan for v in all_villages]),
        "today": today,
    }
    pages = [("index.html", "portal", {"kecamatan_list": model, "totals": totals,
                                        "lain_gagal": unregistered_failures(registry, results)})]
    for kec in model:
        pages.append((f"kecamatan/{kec.slug}/index.html", "kecamatan", {
            "kec": kec,
            "lambda_belanja": lambda v: (v.apbdes or {}).get("belanja") if v.linked else None,
            "lambda_dana_desa": lambda v: (v.apbdes or {}).get("dana_desa") if v.linked else None,
            "lambda_penduduk": lambda v: v.penduduk if v.linked else None}))
    for fn in PORTAL_BUILDERS:
        pages += fn(settings, model)
    return pages
