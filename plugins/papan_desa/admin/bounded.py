"""Running the work on an uploaded file in a child process with a time and a memory limit.

A report or photo built to exhaust memory or time (a zip bomb, a pixel bomb) must
not stall the kabupaten's server: the reading runs in a separate process that is
killed when it takes longer than :data:`SECONDS`, and whose address space is
capped at :data:`MEMORY` (on Linux and other POSIX systems), so the server's own
memory never grows with the file. The waitress threads serving other operators go
on meanwhile. The child starts from a fork server, so each call costs a fork, not
a fresh Python.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import types

#: Longest time one upload may take to be read and checked, in seconds.
SECONDS = float(os.environ.get("PAPAN_ADMIN_BATAS_DETIK") or 20)
#: Largest address space of the reading process, in bytes.
MEMORY = int(float(os.environ.get("PAPAN_ADMIN_BATAS_MB") or 1024) * 1024 * 1024)


_START = threading.Lock()


class Refused(RuntimeError):
    """Indonesian message for the operator."""


#: Imported once by the fork server, so that each child starts with them in memory.
PRELOAD = ["papan_desa.apbdes.importer", "papan_desa.guard"]


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _child(conn, func, args, kwargs, memory):
    try:
        if memory and sys.platform != "win32":
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        conn.send(("ok", func(*args, **kwargs)))
    except MemoryError:
        conn.send(("memori", None))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent, which decides
        conn.send(("galat", exc))
    finally:
        conn.close()


def run(func, *args, seconds: float | None = None, memory: int | None = None, what: str = "berkas", **kwargs):
    """``func(*args, **kwargs)`` in a child process; its exception is raised here, :class:`Refused` when it
    ran out of time or memory. ``func`` must be importable (a module-level function)."""
    seconds = SECONDS if seconds is None else seconds
    memory = MEMORY if memory is None else memory
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, kwargs, memory), daemon=True)
    with _START:
        # The child must not run the program's main script again (``scripts/papan`` starts a server when run):
        # while it is started, __main__ is an empty module, so multiprocessing has no main script to re-import.
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            proc.start()
        finally:
            sys.modules["__main__"] = main
    send.close()
    try:
        if not recv.poll(seconds):
            proc.kill()
            raise Refused(f"pemeriksaan {what} dihentikan karena lebih lama dari {int(seconds)} detik; tidak ada "
                          "yang disimpan. Periksa apakah berkasnya benar (bukan berkas rusak atau sangat besar), "
                          "atau pecah menjadi beberapa berkas.")
        try:
            status, value = recv.recv()
        except EOFError:
            raise Refused(f"pemeriksaan {what} berhenti tiba-tiba (berkas terlalu besar untuk dibaca); tidak ada "
                          "yang disimpan.") from None
    finally:
        recv.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if status == "memori":
        raise Refused(f"{what} terlalu besar setelah dibuka: membacanya memerlukan lebih dari "
                      f"{MEMORY // (1024 * 1024)} MB memori; tidak ada yang disimpan.")
    if status == "galat":
        raise value
    return value
