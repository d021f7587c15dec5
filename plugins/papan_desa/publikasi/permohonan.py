"""A service request a resident prepares on the phone (issue #23), without a server.

The village declares one channel in its profile (``Permohonan: whatsapp|sms|email``, with the number or
address); each service page then carries a short form. The request message is a template written here, in
Python: the page shows it as text with blanks (so it works without JavaScript) together with a plain link
opening the channel with that generic message, and ``theme/static/js/permohonan.js`` only fills the blanks
with what the resident typed (:func:`susun_pesan` is the rule it mirrors) and encodes it into the link.
Nothing is sent anywhere by the page itself: the resident's own messaging app sends the message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..problems import Problems
from ..schema import ValueProblem, nomor_wa

LABEL = {"whatsapp": "WhatsApp", "sms": "SMS", "email": "e-mail"}

# The blanks of the message, in the order of the form; the keys are the form fields' names.
ISIAN = ("nama", "alamat", "nik", "kk", "keperluan", "hari", "hp")
TOKEN = re.compile(r"\{(" + "|".join(ISIAN) + r")\}")
KOSONG = "…"        # what a blank shows in the generic message (no JavaScript)

_NIK = re.compile(r"\b(KTP|e-KTP|NIK)\b", re.IGNORECASE)
_KK = re.compile(r"\b(KK|Kartu Keluarga)\b", re.IGNORECASE)


def encode(text: str) -> str:
    """Percent-encoding exactly as JavaScript's ``encodeURIComponent`` (UTF-8; ``A-Za-z0-9-_.!~*'()`` kept)."""
    return quote(text, safe="!~*'()")


@dataclass(frozen=True)
class Kanal:
    """Where a village receives service requests."""
    jenis: str          # "whatsapp", "sms" or "email"
    tujuan: str         # "6281227004101" or "pemdes@desa.id"
    tampil: str         # as the village wrote it, shown to residents

    @property
    def label(self) -> str:
        return LABEL[self.jenis]

    def awal(self, subjek: str) -> str:
        """The link up to the message; the encoded message is appended to it."""
        if self.jenis == "whatsapp":
            return f"https://wa.me/{self.tujuan}?text="
        if self.jenis == "sms":
            return f"sms:+{self.tujuan}?body="
        return f"mailto:{self.tujuan}?subject={encode(subjek)}&body="

    def tautan(self, pesan: str, subjek: str) -> str:
        return self.awal(subjek) + encode(pesan)


def _nomor(values: dict[str, Any], *names: str) -> tuple[str, str] | None:
    for n in names:
        raw = values.get(n)
        if raw:
            try:
                return nomor_wa(str(raw)), str(raw)
            except ValueProblem:
                return None
    return None


def kanal_desa(values: dict[str, Any]) -> Kanal | None:
    """The channel from a profile's parsed header values; None when the village has none (ask in person)."""
    jenis = values.get("permohonan") or ("whatsapp" if values.get("whatsapp") else None)
    if jenis == "email":
        return Kanal("email", values["email"], values["email"]) if values.get("email") else None
    if jenis in ("whatsapp", "sms"):
        got = _nomor(values, "whatsapp") if jenis == "whatsapp" else _nomor(values, "sms", "whatsapp")
        return Kanal(jenis, *got) if got else None
    return None


def periksa_kanal(village_dir: Path, problems: Problems, ada_layanan: bool) -> None:
    """Errors for a declared channel without its number or address; a warning when a village with service
    pages has no channel at all (its pages then say how to ask in person)."""
    from ..markdown_meta import parse_markdown
    from ..profil import PROFIL
    from ..schema import read_header

    path = village_dir / PROFIL.path
    if not path.is_file():
        return
    doc = parse_markdown(path, Problems())
    if doc is None:
        return
    values, ok = read_header(doc, PROFIL, Problems())
    if not ok:
        return             # load_profil reports the profile's own errors (a bad number): no second message here
    mv = doc.meta.get("permohonan")
    jenis = values.get("permohonan")
    if jenis and mv is not None and kanal_desa(values) is None:
        need = {"whatsapp": '"WhatsApp: 0812 2700 1234"', "sms": '"SMS: 0812 2700 1234" (atau WhatsApp)',
                "email": '"Email: pemdes@desa.id"'}[jenis]
        problems.error(path, mv.line, mv.column, f"saluran permohonan {jenis} dipilih, tetapi nomor/alamatnya tidak "
                       f"ada; tambahkan baris {need} di bagian atas berkas, atau pilih saluran lain")
    elif ada_layanan and kanal_desa(values) is None:
        problems.warning(path, 1, 1, "halaman layanan tidak dapat menerima permohonan dari ponsel warga karena "
                         'desa belum punya saluran permohonan; tambahkan baris "WhatsApp: 0812 2700 1234" '
                         '(atau "Permohonan: email" dengan "Email: …") di bagian atas berkas. Sampai itu, '
                         "halaman layanan meminta warga datang langsung")


def _bersih(text: str) -> str:
    # Village-written text never forms a blank of its own ("{nama}" in a service name stays text).
    return " ".join(text.replace("{", "(").replace("}", ")").split())


def minta_nik(persyaratan: list[str]) -> bool:
    return any(_NIK.search(p) for p in persyaratan)


def minta_kk(persyaratan: list[str]) -> bool:
    return any(_KK.search(p) for p in persyaratan)


def templat_pesan(layanan: str, desa: str, *, nik: bool, kk: bool) -> str:
    """The request message with a blank ``{nama}``… for each field of the form."""
    lines = [f"Permohonan {_bersih(layanan)} – {_bersih(desa)}",
             "Nama: {nama}",
             "Alamat (dusun/RT/RW): {alamat}"]
    if nik:
        lines.append("NIK: {nik}")
    if kk:
        lines.append("No. KK: {kk}")
    lines += ["Keperluan: {keperluan}",
              "Rencana mengambil: {hari}",
              "No. HP: {hp}",
              "",
              "Mohon dikabari bila ada persyaratan yang kurang. Terima kasih."]
    return "\n".join(lines)


def susun_pesan(templat: str, isian: dict[str, str]) -> str:
    """Fill the blanks; a line whose blanks are all empty is left out (optional NIK, KK, phone…).
    Typed text is one line each (line breaks and runs of spaces become one space).
    Mirrored by ``susun`` in theme/static/js/permohonan.js."""
    out = []
    for line in templat.split("\n"):
        keys = TOKEN.findall(line)
        vals = {k: " ".join(str(isian.get(k) or "").split()) for k in keys}
        if keys and not any(vals.values()):
            continue
        out.append(TOKEN.sub(lambda m: vals[m.group(1)], line))
    return "\n".join(out)


@dataclass(frozen=True)
class Permohonan:
    """Everything a service page needs for its request form, letter and no-JavaScript fallback."""
    kanal: Kanal | None
    templat: str
    pesan_umum: str         # the message with blanks shown as "…", for the plain link and the page text
    subjek: str
    nik: bool
    kk: bool

    @property
    def awal(self) -> str:
        return self.kanal.awal(self.subjek) if self.kanal else ""

    @property
    def tautan_umum(self) -> str:
        return self.kanal.tautan(self.pesan_umum, self.subjek) if self.kanal else ""


def permohonan(nama_layanan: str, persyaratan: list[str], desa: str, kanal: Kanal | None) -> Permohonan:
    nik, kk = minta_nik(persyaratan), minta_kk(persyaratan)
    templat = templat_pesan(nama_layanan, desa, nik=nik, kk=kk)
    umum = susun_pesan(templat, {k: KOSONG for k in ISIAN})
    return Permohonan(kanal, templat, umum, f"Permohonan {_bersih(nama_layanan)}", nik, kk)
