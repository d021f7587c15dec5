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

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def linked(self) -> bool:
        return self.status in (TERBIT, GAGAL_LAMA) and self.slug is not None


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


# Further portal pages: fn(settings, model: list[PortalKecamatan]) -> [(save_as, template, context)].
PORTAL_BUILDERS: list = []


def portal_builder(fn):
    PORTAL_BUILDERS.append(fn)
    return fn


def portal_pages(settings: dict) -> list[tuple[str, str, dict]]:
    registry: Registry = settings["PAPAN_REGISTRY_OBJ"]
    results: dict[str, dict] = settings["PAPAN_RESULTS"]
    model = portal_model(registry, results)
    all_villages = [v for k in model for v in k.villages]
    totals = {
        "desa": sum(1 for v in all_villages if v.jenis == "desa"),
        "kelurahan": sum(1 for v in all_villages if v.jenis == "kelurahan"),
        "kecamatan": len(model),
        "terbit": sum(1 for v in all_villages if v.linked),
        "gagal": sum(1 for v in all_villages if v.status in (GAGAL, GAGAL_LAMA)),
        "semua": len(all_villages),
    }
    pages = [("index.html", "portal", {"kecamatan_list": model, "totals": totals,
                                        "lain_gagal": unregistered_failures(registry, results)})]
    for kec in model:
        pages.append((f"kecamatan/{kec.slug}/index.html", "kecamatan", {"kec": kec}))
    for fn in PORTAL_BUILDERS:
        pages += fn(settings, model)
    return pages
