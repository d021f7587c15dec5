"""The one CSV reader: encodings, the separator of the table's header line, line ends, limits."""
import pytest

from papan_desa import csvfile
from papan_desa.csvfile import CsvError, decode, find_delimiter, parse

TABLE = "kode;uraian;anggaran\n4.2.1.01.;Dana Désa “DDS”;1.234.567,00\n"


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    lambda s: s.encode("cp1252"),
    lambda s: s.encode("utf-16"),
])
def test_every_encoding_excel_writes_reads_the_same(encode):
    table = parse(encode(TABLE))
    assert table.delimiter == ";"
    assert table.rows == [(1, ["kode", "uraian", "anggaran"]), (2, ["4.2.1.01.", "Dana Désa “DDS”", "1.234.567,00"])]


def test_latin1_without_cp1252_characters():
    text, enc = decode("kode,uraian\n01,Pembangunan Jalan Désa Krajan\n".encode("latin-1"))
    assert "Désa" in text and enc in ("cp1252", "latin_1")


def test_separator_is_read_on_the_header_line_not_the_title_rows():
    title = ("PEMERINTAH KABUPATEN WONOSOBO, JAWA TENGAH\r\nDesa Jogoyitnan, Kecamatan Wonosobo\r\n"
             "PENJABARAN APBDES TAHUN ANGGARAN 2025\r\n"
             "KODE REKENING;URAIAN;ANGGARAN;SUMBER DANA\r\n4.;PENDAPATAN;1.360.886.000,00;\r\n")
    table = parse(title.encode("cp1252"))
    assert table.delimiter == ";"
    assert table.rows[3] == (4, ["KODE REKENING", "URAIAN", "ANGGARAN", "SUMBER DANA"])
    assert table.rows[4][1] == ["4.", "PENDAPATAN", "1.360.886.000,00", ""]
    # padded title rows as Excel saves them
    assert find_delimiter("DESA X;;;\nKODE;URAIAN;ANGGARAN;x\n") == ";"
    assert find_delimiter("kode,nama\n01.01.90,\"Kegiatan; lain\"\n") == ","
    assert find_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"


def test_binary_bytes_are_refused_in_indonesian():
    with pytest.raises(CsvError, match="bukan teks CSV"):
        parse(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)


def test_limits_stop_at_the_first_breach():
    lim = {**csvfile.limits(), "csv_baris": 10, "csv_panjang_baris": 50}
    with pytest.raises(CsvError, match="terlalu banyak baris") as e:
        parse(("a,b\n" + "1,2\n" * 100).encode(), lim=lim)
    assert e.value.line == 12
    with pytest.raises(CsvError, match="baris terlalu panjang") as e:
        parse(("a,b\n1,2\n" + "x" * 60 + "\n").encode(), lim=lim)
    assert e.value.line == 3


def test_read_csv_names_the_file_and_refuses_a_big_one(tmp_path):
    from papan_desa.problems import Problems
    f = tmp_path / "besar.csv"
    f.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    p = Problems(root=tmp_path)
    assert csvfile.read_csv(f, p, lim={"csv": 1000}) is None
    assert str(p.errors[0]).startswith("besar.csv: galat: data CSV terlalu besar; diharapkan paling besar 1 kB")
