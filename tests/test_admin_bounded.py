"""Reading an upload in a child process bounded in time and memory (papan_desa.admin.bounded)."""
from __future__ import annotations

import time

import pytest


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "selesai"


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _fail() -> None:
    raise ValueError("pesan dari anak")


def test_a_slow_reading_is_stopped_at_the_limit():
    from papan_desa.admin import bounded

    assert bounded.run(_sleep, 0.01, seconds=10) == "selesai"
    start = time.monotonic()
    with pytest.raises(bounded.Refused, match="lebih lama dari 1 detik"):
        bounded.run(_sleep, 30, seconds=1, what="laporan")
    assert time.monotonic() - start < 20      # stopped long before the 30 s sleep ends, even on a loaded machine


def test_a_reading_that_needs_too_much_memory_is_refused():
    from papan_desa.admin import bounded

    assert bounded.run(_allocate, 10, memory=512 * 1024 * 1024) == 10 * 1024 * 1024
    with pytest.raises(bounded.Refused, match="memori"):
        bounded.run(_allocate, 2048, memory=512 * 1024 * 1024, what="laporan")


def test_the_childs_own_error_comes_back_as_it_is():
    from papan_desa.admin import bounded

    with pytest.raises(ValueError, match="pesan dari anak"):
        bounded.run(_fail)
