"""Cross-table checks: totals that must agree do agree, with the file, line and column to fix."""
from __future__ import annotations

from papan_desa.datadesa import load_village_datadesa
from papan_desa.problems import Problems

from datadesa_helpers import messages, village, write


def _run(v):
    problems = Problems(root=v)
    dd = load_village_datadesa(v, problems)
    return dd, problems


def test_good_fixture_has_no_problems(tmp_path):
    dd, problems = _run(village(tmp_path))
    assert problems.items == []
    assert set(dd.penduduk) == {"umur", "pendidikan", "pekerjaan", "agama", "status_perkawinan"}
    assert len(dd.wilayah) == 3 and len(dd.bansos) == 4 and len(dd.indeks) == 3 and len(dd.sdgs) == 3
    assert [i.status for i in dd.indeks] == ["Berkembang", "Maju", "Maju"]
    assert dd.penduduk_meta.catatan.startswith("Catatan:")


def test_missing_folder_gives_empty_data(tmp_path):
    dd, problems = _run(tmp_path)
    assert dd.empty and not problems.items


def test_breakdown_total_must_equal_population(tmp_path):
    v = village(tmp_path)
    write(v, "penduduk/pendidikan.csv", "pendidikan,laki_laki,perempuan\nTAMAT SD / SEDERAJAT,124,123\n")
    dd, problems = _run(v)
    [msg] = messages(problems)
    assert msg.startswith("data-desa/penduduk/pendidikan.csv:1:12: galat: jumlah laki-laki menurut pendidikan (124) "
                          "tidak sama dengan jumlah laki-laki di penduduk.md (125); selisih 1.")
    assert "BELUM MENGISI" in msg


def test_age_table_is_the_reference_without_totals_in_penduduk_md(tmp_path):
    v = village(tmp_path)
    write(v, "penduduk.md", "per_tanggal: 2025-06-30\nsumber: Desa\n")
    write(v, "penduduk/agama.csv", "agama,laki_laki,perempuan\nISLAM,125,120\n")
    _, problems = _run(v)
    msgs = messages(problems)
    assert msgs == ["data-desa/penduduk/agama.csv:1:17: galat: jumlah perempuan menurut agama (120) tidak sama dengan "
                    "jumlah perempuan di penduduk/umur.csv (123); selisih 3. Semua tabel penduduk menghitung orang yang "
                    "sama pada tanggal yang sama: periksa baris yang kurang, atau tambahkan baris \"BELUM MENGISI\""]


def test_dusun_totals_must_add_up_to_the_village(tmp_path):
    v = village(tmp_path)
    write(v, "wilayah.csv", "dusun,rw,rt,kk,laki_laki,perempuan\nKrajan,1,1,30,52,48\nKrajan,1,2,25,40,45\n"
                            "Sidomulyo,2,1,21,33,31\n")
    _, problems = _run(v)
    msgs = messages(problems)
    assert ("data-desa/wilayah.csv:1:26: galat: jumlah perempuan semua RT (124) tidak sama dengan jumlah perempuan di "
            "penduduk.md (123); selisih 1. Jumlah dusun harus sama dengan jumlah desa pada tanggal yang sama") in msgs
    assert any(m.startswith("data-desa/penduduk.md:5:12: galat: jumlah KK (75) tidak sama dengan jumlah KK semua RT di "
                            "wilayah.csv (76); selisih 1") for m in msgs)
    assert len(msgs) == 2


def test_date_and_source_are_required_for_published_figures(tmp_path):
    v = village(tmp_path)
    (v / "data-desa" / "penduduk.md").unlink()
    (v / "data-desa" / "bansos.md").unlink()
    _, problems = _run(v)
    msgs = messages(problems)
    assert any(m.startswith("data-desa/penduduk.md: galat: berkas penduduk.md tidak ada, padahal ada") for m in msgs)
    assert any(m.startswith("data-desa/bansos.md: galat: berkas bansos.md tidak ada, padahal ada bansos.csv") for m in msgs)


def test_bansos_dusun_must_exist_and_fit(tmp_path):
    v = village(tmp_path)
    write(v, "bansos.csv", "program,dusun,jumlah_kk,nilai_per_kk,periode,sumber_dana\n"
                           "PKH,Krajann,8,750000,2025,APBN\nBPNT,Sidomulyo,21,200000,2025,APBN\n")
    _, problems = _run(v)
    msgs = messages(problems)
    assert msgs == [
        'data-desa/bansos.csv:2:5: galat: dusun "Krajann" tidak ada di wilayah.csv; diharapkan salah satu dari: '
        "Krajan, Sidomulyo",
        "data-desa/bansos.csv:3:16: galat: BPNT: 21 keluarga penerima di Dusun Sidomulyo, padahal dusun itu hanya punya "
        "20 KK menurut wilayah.csv",
    ]


def test_a_bad_table_is_left_out_and_the_rest_still_loads(tmp_path):
    v = village(tmp_path)
    write(v, "penduduk/agama.csv", "agama,laki_laki,perempuan\nISLAM,122,121\nJEDI,3,2\n")
    dd, problems = _run(v)
    assert "agama" not in dd.penduduk and "umur" in dd.penduduk
    assert len(problems.errors) == 1


def test_unknown_file_in_penduduk_folder_is_a_warning(tmp_path):
    v = village(tmp_path)
    write(v, "penduduk/golongan_darah.csv", "x\n")
    _, problems = _run(v)
    [msg] = messages(problems)
    assert "peringatan" in msg and "golongan_darah.csv" in msg and not problems
