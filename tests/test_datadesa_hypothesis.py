"""The loaders never raise: any file content gives a valid result or problems, never an exception."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papan_desa.datadesa import load as L
from papan_desa.datadesa import schemas as S
from papan_desa.problems import Problems

CELLS = st.one_of(
    st.sampled_from(["", "0", "3", "1.250", "12,5", "-1", "Krajan", "001", "ISLAM", "0-4", "75+", "BLT Desa",
                     "Lainnya: Kambing", "2024", "IDM", "Indeks Desa", "0,6512", "72.5", "Maju", "perangkat", "ppid",
                     "foto/a.jpg", '"', '""', "3307011234560001", "TAMAT SD / SEDERAJAT"]),
    st.text(max_size=8),
)


@st.composite
def csv_text(draw, schema):
    names = [f.name for f in schema.fields]
    header = draw(st.lists(st.sampled_from(names + ["nik", ""]), min_size=1, max_size=len(names) + 1))
    if draw(st.booleans()):
        header = names
    delim = draw(st.sampled_from([",", ";"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=5))
    return "\n".join([delim.join(header)] + [delim.join(r) for r in rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))


LOADERS = [
    (S.PEMERINTAHAN, L.load_pemerintahan),
    (S.WILAYAH, L.load_wilayah),
    (S.BANSOS, L.load_bansos),
    (S.INDEKS, L.load_indeks),
    (S.SDGS, L.load_sdgs),
    *[(S.PENDUDUK_SCHEMAS[k], (lambda key: lambda p, pr: L.load_penduduk_kategori(key, p, pr))(k))
      for k in S.PENDUDUK_KATEGORI],
]


def _check(loader, text: str | bytes):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.csv"
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        problems = Problems()
        result = loader(p, problems)
        # either a result and no errors, or no result and at least one error naming this file with a message
        if result is None:
            assert problems.errors, text
        else:
            assert not problems.errors, (text, [str(x) for x in problems.errors])
        for pr in problems.items:
            assert pr.file.endswith("f.csv") and pr.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_csv_loaders_only_return_a_result_or_problems(data):
    schema, loader = data.draw(st.sampled_from(LOADERS))
    _check(loader, data.draw(csv_text(schema)))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(LOADERS), st.binary(max_size=60))
def test_arbitrary_bytes(pair, raw):
    _check(pair[1], raw)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=120))
def test_metadata_loaders(text):
    for loader in (L.load_penduduk_meta, L.load_bansos_meta):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "m.md"
            p.write_text(text, encoding="utf-8", errors="surrogatepass")
            problems = Problems()
            result = loader(p, problems)
            assert (result is None) == bool(problems.errors)
