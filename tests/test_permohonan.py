"""Service requests from the phone (#23): the phone normaliser, the channel, the message and its link,
the build's errors and warnings, and the portal's services across villages. No Pelican, no browser."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from papan_desa.formatting import wa
from papan_desa.problems import Problems
from papan_desa.profil import load_profil
from papan_desa.publikasi import load_publikasi
from papan_desa.publikasi.layanan import load_layanan
from papan_desa.publikasi.permohonan import (ISIAN, KOSONG, Kanal, encode, kanal_desa, permohonan, susun_pesan,
                                             templat_pesan)
from papan_desa.schema import ValueProblem, nomor_wa
from tests.support import fixture_village, registry

SKU = """Nama: Surat Keterangan Usaha
Waktu: 1 hari kerja
Biaya: Gratis
Tempat: Kantor desa, loket pelayanan
{extra}
## Persyaratan

- Surat pengantar RT/RW
- Fotokopi **KTP** dan [Kartu Keluarga](/informasi-publik/)
  (ditunjukkan aslinya)
- Foto tempat usaha

## Prosedur

1. Datang ke loket.
2. Surat ditandatangani kepala desa.
"""


# ------------------------------------------------------------------ phone numbers

@pytest.mark.parametrize("raw", ["0812-2700-4101", "0812 2700 4101", "+62 812 2700 4101", "+62-812-2700-4101",
                                 "6281227004101", "62 812 2700 4101", "+62 (0)812 2700 4101", "(0812) 2700.4101",
                                 "081227004101"])
def test_every_usual_shape_of_a_number_becomes_the_wa_me_form(raw):
    assert nomor_wa(raw) == "6281227004101"
    assert wa(raw) == "https://wa.me/6281227004101"


def test_a_landline_and_a_short_mobile_number_are_kept_whole():
    assert nomor_wa("0286 321123") == "62286321123"
    assert nomor_wa("0812 3456 789") == "628123456789"


@pytest.mark.parametrize("raw, why", [
    ("+1 415 555 0101", "+62"),                    # another country: the village office is in Indonesia
    ("812 2700 4101", "0812"),                     # neither 0 nor 62 in front
    ("0812 2700", "9 sampai 13 angka"),            # too short
    ("0812 2700 4101 4101", "9 sampai 13 angka"),  # too long
    ("0812-2700-41O1", "0812"),                    # a letter O for a zero
    ("62", "9 sampai 13 angka"),
    ("", "0812"),
])
def test_a_number_that_cannot_become_a_wa_me_link_is_refused_in_indonesian(raw, why):
    with pytest.raises(ValueProblem) as exc:
        nomor_wa(raw)
    assert why in str(exc.value)
    assert f'ditemukan "{raw}"' in str(exc.value)


def _profil(tmp_path, **profile):
    d = fixture_village(tmp_path, "kaligowong", **profile)
    problems = Problems(root=tmp_path)
    return load_profil(d, registry(), problems), [str(p) for p in problems.items]


def test_the_build_refuses_a_whatsapp_number_naming_file_line_and_what_was_found(tmp_path):
    prof, msgs = _profil(tmp_path, WhatsApp="0812 2700")
    assert prof is None
    (msg,) = msgs
    line = (tmp_path / "kaligowong" / "desa.md").read_text().splitlines().index("WhatsApp: 0812 2700") + 1
    assert msg.startswith(f"kaligowong/desa.md:{line}:11: galat: WhatsApp layanan: diharapkan ")
    assert 'ditemukan "0812 2700"' in msg


def test_a_valid_profile_keeps_the_number_as_written_for_display(tmp_path):
    prof, msgs = _profil(tmp_path, WhatsApp="+62 812-2700-4101", Permohonan="whatsapp", Jam_layanan="Senin–Jumat")
    assert msgs == []
    assert prof.get("whatsapp") == "+62 812-2700-4101"
    assert kanal_desa(prof.values) == Kanal("whatsapp", "6281227004101", "+62 812-2700-4101")


# ------------------------------------------------------------------ the channel

def test_the_channel_follows_the_profile_and_falls_back_to_whatsapp():
    assert kanal_desa({"whatsapp": "0812 2700 4101"}).jenis == "whatsapp"
    assert kanal_desa({"permohonan": "sms", "whatsapp": "0812 2700 4101"}) == Kanal("sms", "6281227004101",
                                                                                     "0812 2700 4101")
    assert kanal_desa({"permohonan": "sms", "sms": "0857 1", "whatsapp": "0812 2700 4101"}) is None
    assert kanal_desa({"permohonan": "sms", "sms": "+62 857 4100 9205"}).tujuan == "6285741009205"
    assert kanal_desa({"permohonan": "email", "email": "pemdes@desa.id", "whatsapp": "0812 2700 4101"}) == \
        Kanal("email", "pemdes@desa.id", "pemdes@desa.id")
    assert kanal_desa({"permohonan": "email"}) is None
    assert kanal_desa({"telepon": "0286 321123"}) is None      # a landline alone is no channel for a message


def _village_with_service(tmp_path, **profile) -> Path:
    d = fixture_village(tmp_path, "kaligowong", **profile)
    (d / "layanan").mkdir()
    (d / "layanan" / "surat-keterangan-usaha.md").write_text(SKU.format(extra=""), encoding="utf-8")
    return d


def test_a_village_with_services_and_no_channel_is_warned_with_file_and_line(tmp_path):
    d = _village_with_service(tmp_path, WhatsApp=None)
    problems = Problems(root=tmp_path)
    pub = load_publikasi(d, problems)
    assert problems.errors == [] and len(pub.layanan) == 1
    (w,) = problems.warnings
    assert (w.file, w.line, w.level) == ("kaligowong/desa.md", 1, "peringatan")
    assert "datang langsung" in w.message and "WhatsApp: 0812" in w.message


def test_a_village_without_services_needs_no_channel(tmp_path):
    d = fixture_village(tmp_path, "kaligowong", WhatsApp=None)
    problems = Problems(root=tmp_path)
    load_publikasi(d, problems)
    assert problems.items == []


def test_a_declared_channel_without_its_address_is_an_error_on_its_line(tmp_path):
    d = _village_with_service(tmp_path, Permohonan="email")
    problems = Problems(root=tmp_path)
    load_publikasi(d, problems)
    (e,) = problems.errors
    line = (d / "desa.md").read_text().splitlines().index("Permohonan: email") + 1
    assert (e.file, e.line, e.column) == ("kaligowong/desa.md", line, 13)
    assert "Email: pemdes@desa.id" in e.message


# ------------------------------------------------------------------ the service standard

def test_requirements_and_steps_are_read_as_plain_text_and_the_fee_as_rupiah(tmp_path):
    d = tmp_path / "kaligowong"
    (d / "layanan").mkdir(parents=True)
    (d / "layanan" / "sku.md").write_text(SKU.format(extra="Jam_layanan: Senin–Kamis 08.00–12.00\n"), encoding="utf-8")
    (d / "layanan" / "legalisir.md").write_text(SKU.replace("Gratis", "Rp 10.000").replace("Usaha", "Legalisir")
                                                .format(extra=""), encoding="utf-8")
    problems = Problems(root=tmp_path)
    sku, legal = sorted(load_layanan(d, problems), key=lambda s: s.nama, reverse=True)
    assert problems.items == []
    assert sku.persyaratan == ["Surat pengantar RT/RW", "Fotokopi KTP dan Kartu Keluarga (ditunjukkan aslinya)",
                               "Foto tempat usaha"]
    assert sku.prosedur == ["Datang ke loket.", "Surat ditandatangani kepala desa."]
    assert sku.jam_layanan == "Senin–Kamis 08.00–12.00"
    assert (sku.biaya_rupiah, legal.biaya_rupiah) == (Decimal(0), Decimal(10000))
    assert (sku.biaya_teks, legal.biaya_teks) == ("Rp 0 (gratis)", "Rp 10.000")


def test_a_fee_in_words_is_shown_as_written():
    from papan_desa.publikasi.layanan import Layanan
    s = Layanan(Path("x.md"), "x", "X", "1 hari", "sesuai Perdes 3/2024", "Kantor")
    assert s.biaya_rupiah is None and s.biaya_teks == "sesuai Perdes 3/2024"


# ------------------------------------------------------------------ the message and its link

def test_nik_and_kk_are_asked_only_where_the_requirements_name_them():
    assert (permohonan("SKU", ["Fotokopi KTP"], "Desa X", None).nik, permohonan("SKU", ["Fotokopi KTP"], "Desa X", None).kk) == (True, False)
    p = permohonan("SKTM", ["Fotokopi Kartu Keluarga"], "Desa X", None)
    assert (p.nik, p.kk) == (False, True)
    p = permohonan("Domisili", ["Surat pengantar RT/RW"], "Desa X", None)
    assert (p.nik, p.kk) == (False, False)
    assert "{nik}" not in p.templat and "{kk}" not in p.templat


def test_the_filled_message_names_service_village_applicant_and_purpose_and_drops_empty_optional_lines():
    t = templat_pesan("Surat Keterangan Usaha", "Desa Kaligowong", nik=True, kk=False)
    text = susun_pesan(t, {"nama": "Siti  Aminah", "alamat": "Dusun Krajan RT 02/RW 01",
                           "keperluan": "kredit usaha\nbank", "hari": "", "nik": "  ", "hp": "0812 1111 2222"})
    assert text.splitlines() == [
        "Permohonan Surat Keterangan Usaha – Desa Kaligowong",
        "Nama: Siti Aminah",
        "Alamat (dusun/RT/RW): Dusun Krajan RT 02/RW 01",
        "Keperluan: kredit usaha bank",               # a typed line break cannot add a line of its own
        "No. HP: 0812 1111 2222",
        "",
        "Mohon dikabari bila ada persyaratan yang kurang. Terima kasih."]


def test_the_generic_message_keeps_every_blank_visible():
    p = permohonan("Surat Keterangan Usaha", ["Fotokopi KTP dan KK"], "Desa Kaligowong", None)
    assert p.pesan_umum == susun_pesan(p.templat, dict.fromkeys(ISIAN, KOSONG))
    assert "Nama: …" in p.pesan_umum and "NIK: …" in p.pesan_umum and "No. KK: …" in p.pesan_umum
    assert p.tautan_umum == "" and p.awal == ""          # no channel: no link to nowhere


def test_village_text_cannot_open_a_blank_of_its_own():
    t = templat_pesan("Surat {nama}", "Desa {hp}", nik=False, kk=False)
    assert t.splitlines()[0] == "Permohonan Surat (nama) – Desa (hp)"


def test_typed_text_is_encoded_as_encode_uri_component_does():
    typed = "Siti & Co. <b>\"x\"</b> 100% #1 ?a=b+c/d é ✓ (ok) !*'~"
    assert encode(typed) == ("Siti%20%26%20Co.%20%3Cb%3E%22x%22%3C%2Fb%3E%20100%25%20%231%20%3Fa%3Db%2Bc%2Fd"
                             "%20%C3%A9%20%E2%9C%93%20(ok)%20!*'~")
    assert unquote(encode(typed)) == typed


@pytest.mark.parametrize("kanal, scheme, where, param", [
    (Kanal("whatsapp", "6281227004101", "0812 2700 4101"), "https", "wa.me/6281227004101", "text"),
    (Kanal("sms", "6281227004101", "0812 2700 4101"), "sms", "+6281227004101", "body"),
    (Kanal("email", "pemdes@desa.id", "pemdes@desa.id"), "mailto", "pemdes@desa.id", "body"),
])
def test_each_channel_gets_a_link_whose_decoded_text_is_the_message(kanal, scheme, where, param):
    p = permohonan("Surat Keterangan Usaha", ["Fotokopi KTP"], "Desa Kaligowong", kanal)
    msg = susun_pesan(p.templat, {"nama": "Siti & Aminah", "alamat": "RT 1", "keperluan": "kredit #1"})
    link = kanal.tautan(msg, p.subjek)
    u = urlsplit(link)
    assert u.scheme == scheme and (u.netloc + u.path).endswith(where)
    q = parse_qs(u.query)
    assert q[param] == [msg]
    assert link == p.awal + encode(msg)             # what the script does: the start plus the encoded text
    if scheme == "mailto":
        assert q["subject"] == ["Permohonan Surat Keterangan Usaha"]


# ------------------------------------------------------------------ the portal

def test_the_portal_groups_each_service_across_villages(tmp_path):
    from papan_desa.portal import PortalKecamatan, PortalVillage
    from papan_desa.publikasi.layanan_portal import layanan_desa

    def village(kode, nama, slug, items):
        return PortalVillage(kode, nama, "desa", "Wadaslintang", "terbit", slug,
                             summary={"publikasi": {"layanan_daftar": items}})

    sku = {"nama": "Surat Keterangan Usaha", "url": "layanan/sku/", "waktu": "1 hari", "biaya": "Rp 0 (gratis)",
           "jam": "", "kanal": "whatsapp"}
    model = [PortalKecamatan("Wadaslintang", "wadaslintang", "33.07.01", [
        village("33.07.01.2002", "B", "b", [{**sku, "nama": "Surat keterangan usaha", "kanal": None}]),
        village("33.07.01.2001", "A", "a", [sku, {**sku, "nama": "Surat Pengantar Nikah", "url": "layanan/n/"}]),
        village("33.07.01.2003", "C", "c", [sku]),
        PortalVillage("33.07.01.2004", "D", "desa", "Wadaslintang", "belum terbit")])]
    pages = layanan_desa({}, model)
    (_, tpl, ctx), *rest = pages
    assert tpl == "layanan_desa"
    assert [(j["slug"], j["nama"], len(j["desa"]), j["lewat_ponsel"]) for j in ctx["daftar"]] == [
        ("surat-keterangan-usaha", "Surat Keterangan Usaha", 3, 2), ("surat-pengantar-nikah", "Surat Pengantar Nikah", 1, 1)]
    assert [p[0] for p in rest] == ["layanan/surat-keterangan-usaha/index.html", "layanan/surat-pengantar-nikah/index.html"]
    assert [r["desa"] for r in rest[0][2]["j"]["desa"]] == ["A", "B", "C"]


# ------------------------------------------------------------------ a whole site: a village without a channel

def test_a_village_without_a_channel_builds_with_a_warning_and_asks_residents_in_person(tmp_path):
    from tests.support import build_site

    villages = tmp_path / "villages"
    _village_with_service(villages, WhatsApp=None, Telepon="0286 321123", Jam_layanan="Senin–Kamis 08.00–12.00")
    report = build_site(villages, tmp_path / "output", tmp_path / "cache")
    assert report.ok
    assert [(w.file.split("villages/")[-1], w.line) for w in report.warnings["kaligowong"]] == [("kaligowong/desa.md", 1)]
    html = (tmp_path / "output" / "kaligowong" / "layanan" / "surat-keterangan-usaha" / "index.html").read_text()
    assert "belum menerima permohonan lewat ponsel" in html
    assert "Datang langsung ke Kantor desa, loket pelayanan pada jam layanan (Senin–Kamis 08.00–12.00)" in html
    assert "0286 321123" in html
    assert 'id="permohonan-kirim"' not in html and "wa.me" not in html and 'data-awal=""' in html
    assert 'class="daftar-periksa"' in html and "Surat pengantar RT/RW" in html      # the letter to print stays
    portal = (tmp_path / "output" / "layanan" / "surat-keterangan-usaha" / "index.html").read_text()
    assert "datang langsung" in portal and "/kaligowong/layanan/surat-keterangan-usaha/" in portal


# ------------------------------------------------------------------ Papan Admin picks the fields up from the schema

def _form_values(html: str) -> dict[str, str]:
    import re as _re
    vals = dict(_re.findall(r'<input type="text" id="f_[a-z_]+" name="(f_[a-z_]+)" value="([^"]*)"', html))
    for name, body in _re.findall(r'<select id="f_[a-z_]+" name="(f_[a-z_]+)">(.*?)</select>', html, _re.S):
        m = _re.search(r'<option value="([^"]*)" selected>', body)
        vals[name] = m.group(1) if m else ""
    vals["isi"] = _re.search(r'<textarea[^>]*name="isi"[^>]*>(.*?)</textarea>', html, _re.S).group(1)
    return vals


def test_papan_admin_edits_the_channel_and_refuses_a_bad_number_naming_the_field(tmp_path):
    from tests.admin_helpers import SLUG, form_tokens, make_app, village_repo

    _repo, villages, _ = village_repo(tmp_path)
    client = make_app(tmp_path, villages).test_client()
    url = f"/desa/{SLUG}/profil/ubah"
    page = client.get(url).text
    assert 'name="f_permohonan"' in page and 'name="f_jam_layanan"' in page and 'name="f_sms"' in page
    assert client.get(f"/desa/{SLUG}/layanan/baru").text.count('name="f_jam_layanan"') == 1
    before = (villages / SLUG / "desa.md").read_text()

    bad = {**_form_values(page), **form_tokens(page), "aksi": "simpan", "f_whatsapp": "0812 27"}
    r = client.post(url, data=bad)
    assert r.status_code != 302 and "WhatsApp layanan" in r.text and "0812 27" in r.text
    assert (villages / SLUG / "desa.md").read_text() == before          # nothing written

    page = client.get(url).text
    good = {**_form_values(page), **form_tokens(page), "aksi": "simpan", "f_whatsapp": "+62 812-2700-4101",
            "f_permohonan": "sms", "f_jam_layanan": "Senin–Jumat 08.00–14.00"}
    r = client.post(url, data=good)
    assert r.status_code == 302, r.text
    text = (villages / SLUG / "desa.md").read_text()
    assert "Permohonan: sms\n" in text and "Jam_layanan: Senin–Jumat 08.00–14.00\n" in text
    prof = load_profil(villages / SLUG, registry(), Problems())
    assert kanal_desa(prof.values) == Kanal("sms", "6281227004101", "+62 812-2700-4101")


def test_a_bad_number_behind_a_declared_channel_gets_one_message_in_the_admin_check(tmp_path):
    from papan_desa.admin.check import check_dir
    d = _village_with_service(tmp_path, Permohonan="whatsapp", WhatsApp="0812-27")
    msgs = [str(p) for p in check_dir(d, registry(), None, tmp_path).errors]
    assert len(msgs) == 1, msgs
    assert "WhatsApp layanan" in msgs[0] and '"0812-27"' in msgs[0]
