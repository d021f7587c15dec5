"""Each data-desa schema: valid input loads; each kind of bad value is one Indonesian problem with line and column."""
from __future__ import annotations

from decimal import Decimal

import pytest

from papan_desa.datadesa import load as L
from papan_desa.datadesa import schemas as S
from papan_desa.problems import Problems
from papan_desa.schema import REGISTRY

from datadesa_helpers import FIXTURES, messages, write


def _load(tmp_path, rel, text, loader, *args):
    p = write(tmp_path, rel, text)
    problems = Problems(root=tmp_path)
    return loader(*args, p, problems) if args else loader(p, problems), problems


def test_every_file_is_registered_once_with_indonesian_labels():
    names = {s.name for s in S.ALL_SCHEMAS}
    assert names <= set(REGISTRY)
    assert {s.path for s in S.ALL_SCHEMAS} >= {
        "data-desa/pemerintahan.csv", "data-desa/wilayah.csv", "data-desa/penduduk.md",
        "data-desa/penduduk/umur.csv", "data-desa/penduduk/pendidikan.csv", "data-desa/penduduk/pekerjaan.csv",
        "data-desa/penduduk/agama.csv", "data-desa/penduduk/status_perkawinan.csv", "data-desa/bansos.csv",
        "data-desa/bansos.md", "data-desa/indeks.csv", "data-desa/sdgs.csv"}
    for s in S.ALL_SCHEMAS:
        assert s.description and all(f.label for f in s.fields)


def test_official_category_lists():
    assert S.category_list("kelompok_umur").names[0] == "0-4"
    assert S.category_list("kelompok_umur").names[-1] == "75+"
    assert len(S.category_list("kelompok_umur").names) == 16
    assert S.category_list("agama").names[:7] == ("ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KHONGHUCU",
                                                  "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA")
    assert S.category_list("status_perkawinan").names[:4] == ("BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI")
    assert len(S.category_list("pekerjaan").names) == 90          # 89 SIAK + BELUM MENGISI
    assert len(S.category_list("sdgs_tujuan").names) == 18
    # case, spacing around "/" and aliases do not matter
    assert S.category_list("pendidikan").match("tamat sd/sederajat") == "TAMAT SD / SEDERAJAT"
    assert S.category_list("kelompok_umur").match("75 ke atas") == "75+"
    assert S.category_list("kelompok_umur").match("0 – 4") == "0-4"
    assert S.category_list("agama").match("Katolik") == "KATHOLIK"
    assert S.category_list("agama").match("Jedi") is None


@pytest.mark.parametrize("raw,expected", [("0", 0), ("125", 125), ("1.250", 1250), ("12.345.678", 12345678)])
def test_parse_count(raw, expected):
    assert S.parse_count(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "12,5", "1.25", "abc", "", "1.2345"])
def test_parse_count_rejects(raw):
    with pytest.raises(S.ValueProblem, match="bilangan bulat"):
        S.parse_count(raw)


@pytest.mark.parametrize("raw,expected", [("300000", 300000), ("Rp 300.000", 300000), ("Rp300.000,00", 300000)])
def test_parse_rupiah(raw, expected):
    assert S.parse_rupiah(raw) == expected


def test_status_cut_offs_idm_follow_permendes_2_2016():
    def st(x):
        return S.status_for("IDM", Decimal(x)).status
    assert st("0.4907") == "Sangat Tertinggal"       # upper bound belongs to the lower status
    assert st("0.4908") == "Tertinggal"
    assert st("0.5989") == "Tertinggal"
    assert st("0.5990") == "Berkembang"
    assert st("0.7072") == "Berkembang"
    assert st("0.7073") == "Maju"
    assert st("0.8155") == "Maju"
    assert st("0.8156") == "Mandiri"
    assert all(b.verified for b in S.status_bands() if b.jenis == "IDM")
    assert not any(b.verified for b in S.status_bands() if b.jenis == "Indeks Desa")


def test_fixture_umur_loads_in_official_order(tmp_path):
    problems = Problems()
    kp = L.load_penduduk_kategori("umur", FIXTURES / "baik/data-desa/penduduk/umur.csv", problems)
    assert not problems.items
    assert [r.kategori for r in kp.rows][:3] == ["0-4", "5-9", "10-14"]
    assert (kp.laki_laki, kp.perempuan, kp.jumlah) == (125, 123, 248)


def test_unknown_category_is_an_error_listing_the_allowed_ones(tmp_path):
    kp, problems = _load(tmp_path, "penduduk/agama.csv", "agama,laki_laki,perempuan\nIslam,10,12\nJedi,1,0\n",
                         L.load_penduduk_kategori, "agama")
    assert kp is None
    [msg] = messages(problems)
    assert msg.startswith("data-desa/penduduk/agama.csv:3:1: galat: Agama: diharapkan kategori resmi")
    assert "ISLAM; KRISTEN; KATHOLIK" in msg and 'ditemukan "Jedi"' in msg


def test_duplicate_category_and_bad_count(tmp_path):
    kp, problems = _load(tmp_path, "penduduk/umur.csv",
                         "kelompok_umur,laki_laki,perempuan\n0-4,10,12\n0 - 4,1,0\n5-9,dua,3\n",
                         L.load_penduduk_kategori, "umur")
    assert kp is None
    msgs = messages(problems)
    assert any(m.startswith("data-desa/penduduk/umur.csv:3:1: galat: kategori \"0-4\" sudah ditulis di baris 2") for m in msgs)
    assert any(m.startswith("data-desa/penduduk/umur.csv:4:5: galat: Laki-laki: diharapkan bilangan bulat") for m in msgs)


def test_unknown_and_missing_columns(tmp_path):
    rows, problems = _load(tmp_path, "wilayah.csv", "dusun,rw,rt,kk,laki_laki,nik\nKrajan,1,1,3,5,\n", L.load_wilayah)
    assert rows is None
    msgs = messages(problems)
    assert any(':1:26: galat: kolom "nik" tidak dikenal' in m and "Data pribadi" in m for m in msgs)
    assert any('kolom wajib "perempuan" (Perempuan) tidak ada' in m for m in msgs)


def test_wilayah_semicolon_and_quotes(tmp_path):
    rows, problems = _load(tmp_path, "wilayah.csv",
                           'dusun;rw;rt;kk;laki_laki;perempuan\n"Dusun ""Baru""; Timur";1;2;3;5;4\n', L.load_wilayah)
    assert not problems.items
    assert rows[0].dusun == 'Dusun "Baru"; Timur' and (rows[0].rw, rows[0].rt) == ("001", "002")


def test_wilayah_row_checks(tmp_path):
    rows, problems = _load(tmp_path, "wilayah.csv",
                           "dusun,rw,rt,kk,laki_laki,perempuan\nKrajan,1,1,30,10,10\nKrajan,001,001,3,5,4\nKrajan,1,2,3,5\n",
                           L.load_wilayah)
    assert rows is None
    msgs = messages(problems)
    assert any(m.startswith("data-desa/wilayah.csv:2:12: galat: jumlah KK (30) lebih besar dari jumlah penduduk RT (20)")
               for m in msgs)
    assert any(m.startswith("data-desa/wilayah.csv:3:12: galat: RT 001 RW 001 di Dusun Krajan sudah ditulis di baris 2") for m in msgs)
    assert any(m.startswith("data-desa/wilayah.csv:4:1: galat: jumlah isian di baris ini 5, padahal ada 6 kolom") for m in msgs)


def test_nik_like_values_are_refused_anywhere(tmp_path):
    rows, problems = _load(tmp_path, "pemerintahan.csv",
                           "kategori,jabatan,nama,lembaga,foto\nperangkat,Sekdes,3307 0112 3456 0001,,\n", L.load_pemerintahan)
    assert rows is None
    [msg] = messages(problems)
    assert msg.startswith("data-desa/pemerintahan.csv:2:18: galat: isian tampak seperti NIK atau No. KK")


def test_pemerintahan(tmp_path):
    rows, problems = _load(tmp_path, "pemerintahan.csv",
                           "kategori,jabatan,nama,lembaga,foto\nperangkat,Sekdes,Siti,,foto/siti.jpg\n"
                           "lembaga,Ketua,Sri,,\nkades,Kepala,Budi,,\nperangkat,Kaur,Eko,,../rahasia.jpg\n",
                           lambda p, pr: L.load_pemerintahan(p, pr, tmp_path))
    assert rows is None
    msgs = messages(problems)
    assert any(m.startswith('data-desa/pemerintahan.csv:3:19: galat: untuk kategori "lembaga" kolom lembaga wajib')
               for m in msgs)
    assert any(m.startswith("data-desa/pemerintahan.csv:4:1: galat: Kategori: diharapkan salah satu dari: perangkat, bpd, "
                            "lembaga, ppid") for m in msgs)
    assert any(m.startswith("data-desa/pemerintahan.csv:5:21: galat: Foto: diharapkan nama berkas foto") for m in msgs)
    assert any("foto/siti.jpg" in m and "peringatan" in m for m in msgs)


def test_pemerintahan_without_ppid_warns(tmp_path):
    rows, problems = _load(tmp_path, "pemerintahan.csv", "kategori,jabatan,nama\nperangkat,Sekdes,Siti\n",
                           L.load_pemerintahan)
    assert rows[0].nama == "Siti"
    [msg] = messages(problems, "peringatan")
    assert "PPID Desa" in msg and not problems


def test_penduduk_meta(tmp_path):
    meta, problems = _load(tmp_path, "penduduk.md", "per_tanggal: 30-06-2025\nsumber: Desa\nkk_miskin: 80\njumlah_kk: 70\n",
                           L.load_penduduk_meta)
    assert meta is None
    msgs = messages(problems)
    assert msgs[0].startswith("data-desa/penduduk.md:1:14: galat: Per tanggal: diharapkan tanggal berbentuk TTTT-BB-HH")
    meta, problems = _load(tmp_path, "penduduk.md", "per_tanggal: 2025-06-30\nsumber: Desa\nkk_miskin: 80\njumlah_kk: 70\n",
                           L.load_penduduk_meta)
    assert meta is None
    assert messages(problems)[0].startswith("data-desa/penduduk.md:3:12: galat: KK miskin (80) lebih besar dari jumlah KK (70)")


def test_bansos(tmp_path):
    rows, problems = _load(tmp_path, "bansos.csv",
                           "program,dusun,jumlah_kk,nilai_per_kk,periode,sumber_dana\n"
                           "BLT Dana Desa,Krajan,12,Rp 300.000,2025,Dana Desa\n"
                           "Lainnya: Bantuan Kambing,Krajan,6,,2025,APBD Kabupaten\n"
                           "Beasiswa X,Krajan,2,,2025,APBD\n", L.load_bansos)
    assert rows is None
    [msg] = messages(problems)
    assert msg.startswith("data-desa/bansos.csv:4:1: galat: Program: diharapkan salah satu program: BLT Desa; PKH; BPNT")
    assert '"Lainnya: nama program"' in msg
    rows, problems = _load(tmp_path, "bansos.csv",
                           "program,dusun,jumlah_kk,nilai_per_kk,periode,sumber_dana\n"
                           "BLT Dana Desa,Krajan,12,Rp 300.000,2025,Dana Desa\n"
                           "Lainnya: Bantuan Kambing,Krajan,6,,2025,APBD Kabupaten\n", L.load_bansos)
    assert not problems.items
    assert (rows[0].program, rows[0].nilai_per_kk) == ("BLT Desa", 300000)
    assert (rows[1].program, rows[1].nilai_per_kk) == ("Lainnya: Bantuan Kambing", None)


def test_indeks_status_derived_checked_and_components(tmp_path):
    rows, problems = _load(tmp_path, "indeks.csv",
                           "tahun,jenis,skor,status,iks,ike,ikl\n"
                           "2021,IDM,0.6000,,,,\n"
                           "2022,IDM,0.6512,Maju,,,\n"
                           "2023,IDM,0.7000,,0.8,0.7,0.5\n"
                           "2024,IDM,1.2,,,,\n", L.load_indeks)
    assert rows is None
    msgs = messages(problems)
    assert msgs[0].startswith("data-desa/indeks.csv:3:17: galat: status Maju bertentangan dengan skor 0,6512")
    assert "berstatus Berkembang" in msgs[0]
    assert msgs[1].startswith("data-desa/indeks.csv:4:10: galat: skor IDM harus rata-rata IKS, IKE dan IKL")
    assert "diharapkan 0,6667" in msgs[1]
    assert msgs[2].startswith("data-desa/indeks.csv:5:10: galat: skor IDM berskala 0 sampai 1")


def test_indeks_desa_status_contradiction_is_a_warning_while_cut_offs_are_unverified(tmp_path):
    rows, problems = _load(tmp_path, "indeks.csv", "tahun,jenis,skor,status\n2024,Indeks Desa,\"72,5\",Mandiri\n",
                           L.load_indeks)
    assert not problems and rows[0].status == "Mandiri" and not rows[0].status_dihitung
    [msg] = messages(problems, "peringatan")
    assert "berstatus Maju" in msg and "belum terverifikasi" in msg


def test_sdgs(tmp_path):
    rows, problems = _load(tmp_path, "sdgs.csv", "tahun,tujuan,skor\n2024,1,50\n2024,19,20\n2024,2,101\n", L.load_sdgs)
    assert rows is None
    msgs = messages(problems)
    assert msgs[0].startswith("data-desa/sdgs.csv:3:6: galat: Tujuan (1-18): diharapkan nomor tujuan SDGs Desa 1 sampai 18")
    assert msgs[1].startswith("data-desa/sdgs.csv:4:8: galat: skor SDGs Desa berskala 0 sampai 100")
    rows, problems = _load(tmp_path, "sdgs.csv", "tahun,tujuan,skor\n2024,18,\"45,5\"\n", L.load_sdgs)
    assert rows[0].nama == "Kelembagaan Desa Dinamis dan Budaya Desa Adaptif" and rows[0].skor == Decimal("45.5")


def test_broken_files_never_raise(tmp_path):
    for text in ['', '\n\n', '"', 'a,b\n"x', 'kelompok_umur,laki_laki,perempuan\n"0-4"x,1,2\n', '\ufeff\x00\x01']:
        kp, problems = _load(tmp_path, "penduduk/umur.csv", text, L.load_penduduk_kategori, "umur")
        assert kp is None and problems
    p = write(tmp_path, "penduduk/umur.csv", "")
    p.write_bytes(b"kelompok_umur,laki_laki,perempuan\n0-4,\xff,1\n")
    problems = Problems(root=tmp_path)
    assert L.load_penduduk_kategori("umur", p, problems) is None
    # A byte that is not UTF-8 makes the file cp1252 (Excel's "CSV"): the cell is then named as read.
    assert ":2:5:" in messages(problems)[0] and 'ditemukan "ÿ"' in messages(problems)[0]
