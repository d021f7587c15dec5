"""The portal's services across villages (issue #23): which village offers which letter, how fast, at what fee,
and whether a request can be sent from the phone. Read from the villages' build summaries only."""
from __future__ import annotations

from slugify import slugify

from ..portal import PortalKecamatan
from .permohonan import LABEL


def layanan_desa(settings: dict, model: list[PortalKecamatan]) -> list:
    """``layanan/index.html`` (every service named by any village, with how many offer it) and
    ``layanan/<service>/index.html`` (each village's page for it, by kecamatan). A service is the same across
    villages when its name is (letter case and punctuation aside): "Surat Keterangan Usaha" everywhere."""
    jenis: dict[str, dict] = {}
    for kec in model:
        for v in kec.villages:
            if not v.linked:
                continue
            for s in (v.summary.get("publikasi") or {}).get("layanan_daftar") or []:
                key = slugify(s["nama"]) or "layanan"
                j = jenis.setdefault(key, {"slug": key, "namas": {}, "desa": []})
                j["namas"][s["nama"]] = j["namas"].get(s["nama"], 0) + 1
                j["desa"].append({**s, "desa": v.nama, "jenis_desa": v.jenis, "kecamatan": v.kecamatan,
                                  "desa_slug": v.slug, "kode": v.kode,
                                  "kanal_label": LABEL.get(s["kanal"], "datang langsung")})
    daftar = []
    for key in sorted(jenis):
        j = jenis[key]
        # The name most villages use (ties: the first in alphabetical order).
        j["nama"] = sorted(j["namas"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        j["desa"].sort(key=lambda r: r["kode"])
        j["lewat_ponsel"] = sum(1 for r in j["desa"] if r["kanal"])
        daftar.append(j)
    daftar.sort(key=lambda j: (-len(j["desa"]), j["nama"].lower()))
    pages: list = [("layanan/index.html", "layanan_desa", {"daftar": daftar})]
    for j in daftar:
        pages.append((f"layanan/{j['slug']}/index.html", "layanan_desa_jenis", {"j": j}))
    return pages
