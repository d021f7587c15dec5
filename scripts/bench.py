#!/usr/bin/env python3
"""Benchmark Papan Desa at kabupaten scale and print one table of figures.

    .venv/bin/python scripts/bench.py --villages 265 [--villages 1000 ...] [--workdir DIR]

For each N it generates N synthetic villages with the demo generator (profile,
two budget years of about 150 lines, population tables, 10 news posts with a
photo each, projects with photos, documents, notices), then measures:

- cold full build, rebuild with no change, rebuild after editing one village's
  budget, after editing one news post, and after a theme change (every page
  re-rendered, charts/photos/posters from the cache);
- pages and charts built per second; peak memory of the whole process tree;
  output size; the transferred size (gzip) of a village home page with its
  stylesheet and images;
- the same villages' Markdown built as one plain Pelican site with stock
  settings, and the ratio, so figures can be compared across machines.

Nothing in the repository is modified: the theme change happens in a copy of the
project in the work directory. Timings are wall-clock seconds of one run each.

Then ``papan impor-apbdes`` is measured (``--impor-saja`` for this part alone): time and peak memory
on a real-sized Siskeudes report (Penjabaran of about 150 lines, XLSX and its CSV twin) and on a
zip bomb (an .xlsx of about 1 MB whose sheet inflates to 1 GB), side by side. Targets: the bomb
refused in at most 2 s with at most 200 MB peak; the real report imported in at most 2 s.

    .venv/bin/python scripts/bench.py --ocr

measures only the OCR of the guard (issue 27): scanned pages and photos read per second, and the
bundled villages' cold build without OCR, with OCR and nothing cached, and with the OCR findings cached.
    .venv/bin/python scripts/bench.py --poster-gambar

measures only posters and photos (issue 22): CPU seconds per poster (one budget year: A4 and A1
PDF and the PNG preview) over the bundled villages' budgets, and per 12-megapixel phone photo
(synthetic, drawn and grained; landscape, and portrait by EXIF orientation) with and without
JPEG draft decoding, and the WebP encoder's effort (``method`` 0-6) against time and bytes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))


def _tree_rss(pid: int) -> int:
    """Memory of a process and its workers: proportional set size, so pages that forked workers share
    with their parent are counted once, not once per process (RSS where PSS is unavailable)."""
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for q in procs:
        try:
            info = q.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def run(cmd: list[str], env=None) -> tuple[float, int, str]:
    """Run a command; return (seconds, peak RSS of its process tree in bytes, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return seconds, peak, out


def prepare_project(work: Path) -> Path:
    """A copy of the project's settings, theme and content (plugins linked), to change the theme safely."""
    proj = work / "proyek"
    if proj.exists():
        shutil.rmtree(proj)
    proj.mkdir(parents=True)
    for name in ("theme", "content", "data"):
        shutil.copytree(ROOT / name, proj / name)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, proj / name)
    (proj / "plugins").symlink_to(ROOT / "plugins")
    return proj


def generate(villages: Path, n: int, seed: int) -> None:
    from papan_desa.demo import generate as demo_generate
    from papan_desa.publikasi.demo import scene_jpeg

    if villages.exists():
        shutil.rmtree(villages)
    demo_generate(villages, n, seed=seed, registry_path=ROOT / "data" / "wonosobo-wilayah-2025.csv", news=10)
    # Every news post gets a phone-sized photo (demo posts have one cover per village).
    for post in sorted(villages.glob("*/berita/*.md")):
        rng = random.Random(f"{seed}-{post}")
        img = post.parent.parent / "gambar" / f"berita-{post.stem}.jpg"
        img.parent.mkdir(exist_ok=True)
        img.write_bytes(scene_jpeg(rng, (1600, 1200), kind="jalan", quality=85))
        text = post.read_text(encoding="utf-8")
        if "\nSampul:" not in text:
            head, _, body = text.partition("\n\n")
            post.write_text(f"{head}\nSampul: gambar/{img.name}\nSampul_keterangan: Jalan desa (gambar rekaan)\n\n"
                            f"{body}", encoding="utf-8")


def plain_pelican(villages: Path, work: Path) -> tuple[float, int]:
    """The same villages' Markdown (profiles and posts) as one stock Pelican site."""
    content = work / "polos-konten"
    if content.exists():
        shutil.rmtree(content)
    for md in sorted(villages.glob("*/berita/*.md")):
        dst = content / md.parent.parent.name / md.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = md.read_text(encoding="utf-8")
        text = re.sub(r"^Sampul:.*\n", "", text, flags=re.M)
        dst.write_text(text.replace("Slug: ", f"Slug: {md.parent.parent.name}-", 1), encoding="utf-8")
    for desa in sorted(villages.glob("*/desa.md")):
        dst = content / "pages" / f"{desa.parent.name}.md"
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(f"Title: {desa.parent.name}\n\n" + desa.read_text(encoding="utf-8").split("\n\n", 1)[-1],
                       encoding="utf-8")
    out = work / "polos-keluaran"
    shutil.rmtree(out, ignore_errors=True)
    conf = work / "polos-conf.py"
    conf.write_text("PATH = 'polos-konten'\nTIMEZONE = 'Asia/Jakarta'\n", encoding="utf-8")
    seconds, _, _ = run([sys.executable, "-m", "pelican", str(content), "-o", str(out), "-s", str(conf), "-q"])
    return seconds, sum(1 for _ in out.rglob("*.html"))


def _stages(out: str) -> str:
    m = re.search(r"Waktu per tahap: (.*)\.", out)
    return m.group(1) if m else ""


def home_transfer(out: Path, slug: str) -> int:
    """gzip bytes of a village home page plus its stylesheet and the images it loads eagerly."""
    html = (out / slug / "index.html").read_bytes()
    total = len(gzip.compress(html, 9))
    refs = re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|svg|png|jpg|webp|ico))"', html)
    lazy = set(re.findall(rb'src="(/[^"]+)"[^>]*loading="lazy"', html))
    for ref in sorted(set(refs)):
        if ref in lazy:
            continue
        f = out / ref.decode().lstrip("/")
        if f.is_file():
            data = f.read_bytes()
            total += len(gzip.compress(data, 9)) if f.suffix in (".css", ".svg") else len(data)
    return total


def bench(n: int, work: Path, jobs: int, seed: int, plain: bool) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    villages = work / "villages"
    t0 = time.perf_counter()
    generate(villages, n, seed)
    gen_s = time.perf_counter() - t0
    proj = prepare_project(work)
    out, cache = work / "keluaran", work / "cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "scripts" / "papan"), "build", "--settings", str(proj / "pelicanconf.py"),
           "--villages", str(villages), "--registry", str(villages / "_wilayah.csv"), "--output", str(out),
           "--cache", str(cache), "--quiet"] + (["--jobs", str(jobs)] if jobs else [])
    r: dict = {"villages": n, "generate_s": gen_s}
    r["cold_s"], r["cold_peak"], cold_out = run(cmd)
    if " 0 gagal" not in cold_out:
        raise SystemExit("pembangunan dingin tidak bersih:\n" + cold_out[-3000:])
    m = re.search(r"(\d+) halaman", cold_out)
    r["pages"] = int(m.group(1)) if m else 0
    r["charts"] = sum(1 for _ in out.rglob("*.svg")) - sum(1 for _ in out.glob("theme/**/*.svg"))
    r["stages_cold"] = _stages(cold_out)
    r["nochange_s"], _, _ = run(cmd)
    slug = sorted(p.name for p in villages.iterdir() if p.is_dir())[0]
    budget = sorted((villages / slug / "apbdes").glob("*.csv"))[-1]
    lines = budget.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = str(int(cells[3]) + 1000)
    lines[1] = ",".join(cells)
    budget.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r["budget_s"], _, _ = run(cmd)
    post = sorted((villages / slug / "berita").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nTambahan kalimat untuk uji kecepatan.\n", encoding="utf-8")
    r["news_s"], _, news_out = run(cmd)
    r["stages_news"] = _stages(news_out)
    css = proj / "theme" / "static" / "css" / "papan.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* bench */\n", encoding="utf-8")
    r["theme_s"], r["theme_peak"], theme_out = run(cmd)
    r["stages_theme"] = _stages(theme_out)
    r["output_mb"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    r["search_mb"] = sum(f.stat().st_size for f in (out / "pagefind").rglob("*") if f.is_file()) / 1e6
    r["home_kb"] = home_transfer(out, slug) / 1024
    r["portal_kb"] = len(gzip.compress((out / "index.html").read_bytes(), 9)) / 1024
    if plain:
        r["plain_s"], r["plain_pages"] = plain_pelican(villages, work)
    return r


def fmt_table(rows: list[dict]) -> str:
    spec = [
        ("villages", "desa", "{:d}"), ("cold_s", "dingin (s)", "{:.1f}"), ("nochange_s", "tanpa ubah (s)", "{:.2f}"),
        ("budget_s", "ubah APBDes (s)", "{:.2f}"), ("news_s", "ubah berita (s)", "{:.2f}"),
        ("theme_s", "ubah tema (s)", "{:.1f}"), ("pages", "halaman", "{:d}"),
        ("pages_per_s", "halaman/s", "{:.0f}"), ("charts_per_s", "grafik/s", "{:.1f}"),
        ("peak_mb", "memori puncak (MB)", "{:.0f}"), ("output_mb", "keluaran (MB)", "{:.0f}"),
        ("search_mb", "indeks cari (MB)", "{:.1f}"), ("home_kb", "beranda desa (KB gzip)", "{:.1f}"),
        ("portal_kb", "beranda portal (KB gzip)", "{:.1f}"), ("plain_s", "Pelican polos (s)", "{:.1f}"),
        ("plain_pages", "halaman Pelican polos", "{:d}"),
        ("ratio", "polos/dingin", "{:.2f}"), ("ratio_theme", "polos/ubah tema", "{:.2f}"),
        ("ratio_news", "polos/ubah berita", "{:.1f}"), ("ratio_nochange", "polos/tanpa ubah", "{:.1f}"),
        ("ratio_pages", "halaman/s ubah tema ÷ halaman/s polos", "{:.1f}"),
    ]
    for r in rows:
        r["pages_per_s"] = r["pages"] / r["cold_s"] if r["cold_s"] else 0
        r["charts_per_s"] = r["charts"] / r["cold_s"] if r["cold_s"] else 0
        r["peak_mb"] = max(r["cold_peak"], r["theme_peak"]) / 1e6
        if "plain_s" in r:
            r["ratio"] = r["plain_s"] / r["cold_s"]
            r["ratio_theme"] = r["plain_s"] / r["theme_s"]
            r["ratio_news"] = r["plain_s"] / r["news_s"]
            r["ratio_nochange"] = r["plain_s"] / r["nochange_s"]
            # Pages rendered per second with every chart, photo and poster in the cache, against
            # Pelican's own pages per second on the Markdown alone.
            r["ratio_pages"] = (r["pages"] / r["theme_s"]) / (r["plain_pages"] / r["plain_s"])
    keys = [s for s in spec if any(s[0] in r for r in rows)]
    width = max(len(label) for _, label, _ in keys)
    lines = [f"{'':{width}}  " + "  ".join(f"{r['villages']:>10d}" for r in rows)]
    for k, label, f in keys[1:]:
        lines.append(f"{label:{width}}  " + "  ".join(f"{f.format(r[k]) if k in r else '–':>10}" for r in rows))
    if len(rows) > 1:
        # Linear growth: cold-build seconds per village at each size.
        lines.append(f"{'dingin per desa (s)':{width}}  " + "  ".join(f"{r['cold_s'] / r['villages']:>10.3f}"
                                                                   for r in rows))
    return "\n".join(lines)


def _real_report_lines():
    """About 150 lines in the shape of a Wonosobo budget (the demo generator), as report lines."""
    from decimal import Decimal

    from papan_desa.apbdes.demo import demo_lines
    from tests.apbdes_reports import Line
    out = []
    for d in demo_lines(random.Random(2025), 2025, 150):
        if d["kode"].startswith("5") and not d["kegiatan"]:
            continue
        a = Decimal(d["anggaran"])
        out.append(Line(d["kode"], d["kegiatan"], d["uraian"], a, a, a / 2, d["sumber_dana"]))
    return out


def bench_import(work: Path) -> list[dict]:
    """Time and peak memory of `papan impor-apbdes` on a real-sized report and on a zip bomb."""
    import zipfile

    sys.path.insert(0, str(ROOT))
    from tests.apbdes_reports import layout, write_csv, write_xlsx
    work.mkdir(parents=True, exist_ok=True)
    report = layout(_real_report_lines(), "penjabaran")
    real_x = write_xlsx(report, work / "penjabaran.xlsx")
    real_c = write_csv(report, work / "penjabaran.csv")
    bomb = work / "bom.xlsx"
    with zipfile.ZipFile(real_x) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with zout.open(info.filename, "w", force_zip64=True) as fh:
                    chunk = b" " * (1 << 20)
                    for _ in range(1024):
                        fh.write(chunk)
            else:
                zout.writestr(info.filename, zin.read(info.filename))
    rows = []
    for i, (label, src) in enumerate((("laporan nyata (XLSX)", real_x), ("laporan nyata (CSV ;)", real_c),
                                      ("bom zip", bomb))):
        out = work / "keluar" / str(i) / "apbdes" / "2025.csv"
        shutil.rmtree(out.parent.parent, ignore_errors=True)
        sec, peak, text = run([sys.executable, str(ROOT / "scripts" / "papan"), "impor-apbdes", str(src),
                               "--tahun", "2025", "--output", str(out)])
        rows.append({"berkas": label, "ukuran": src.stat().st_size, "detik": sec, "puncak": peak,
                     "hasil": "ditulis" if out.is_file() else "ditolak", "pesan": text.strip().splitlines()[0][:150]})
    return rows


def fmt_import(rows: list[dict]) -> str:
    lines = ["papan impor-apbdes: waktu dan memori puncak (target: bom ditolak <= 2 s dan <= 200 MB; "
             "laporan nyata <= 2 s)",
             f"{'berkas':<24}{'ukuran':>12}{'detik':>8}{'puncak MB':>11}  hasil"]
    for r in rows:
        lines.append(f"{r['berkas']:<24}{r['ukuran'] / 1e6:>10.2f}MB{r['detik']:>8.2f}{r['puncak'] / 1e6:>11.1f}  "
                     f"{r['hasil']}")
    for r in rows:
        lines.append(f"  {r['berkas']}: {r['pesan']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- OCR (issue 27)

_NO_OCR = """
import sys
sys.path.insert(0, {plugins!r})
from papan_desa import ocr
# The measurement's baseline only: every picture "reads" as a clear page of text, so the build does
# everything but run Tesseract. The product has no switch that turns the reading off.
ocr.read_image = lambda im, limits=None: ocr.Reading(text="", readable=1000)
from papan_desa.cli import main
sys.exit(main(sys.argv[1:]))
"""


def bench_ocr(work: Path, jobs: int) -> None:
    """OCR pages per second, and the bundled site's cold build with no OCR, uncached OCR and cached OCR.

    Cold means a new output and build cache each time; "cached OCR" keeps only the guard's findings
    (``<cache>/periksa``) from the run before, which is what CI's restored cache gives an unchanged scan.
    """
    from PIL import Image, ImageDraw, ImageFont

    from papan_desa import guard, ocr
    from papan_desa.problems import Problems

    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    # Pages per second: an image-only PDF of typed A4 pages at 150 dpi, read through the guard.
    font = ImageFont.load_default(size=34)
    pages = []
    for i in range(8):
        im = Image.new("L", (1240, 1754), 250)
        d = ImageDraw.Draw(im)
        for j in range(30):
            d.text((100, 120 + j * 52), f"{j + 1}. Baris {j + 1} halaman {i + 1}: keluarga penerima manfaat Dusun "
                   f"Krajan RT {j % 9 + 1:02d} Rp 300.000", fill=20, font=font)
        pages.append(im)
    pdf = work / "pindaian.pdf"
    pages[0].save(pdf, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    t = time.perf_counter()
    guard.scan_pdf(pdf, Problems())
    pdf_s = time.perf_counter() - t
    photos = sorted((ROOT / "villages").glob("*/**/*.jpg"))
    t = time.perf_counter()
    for ph in photos:
        guard.scan_image_text(ph, Problems())
    photo_s = time.perf_counter() - t
    # The same photos as the build reads them: a village's pictures in one Tesseract process.
    batch = work / "foto"
    for i, ph in enumerate(photos):
        (batch / "gambar").mkdir(parents=True, exist_ok=True)
        shutil.copy(ph, batch / "gambar" / f"{i:03d}.jpg")
    t = time.perf_counter()
    guard.scan_village(batch, Problems())
    batch_s = time.perf_counter() - t
    print(f"OCR: {len(pages) / pdf_s:.2f} halaman pindaian A4 per detik ({pdf_s / len(pages):.2f} s/halaman); "
          f"foto contoh ({len(photos)}): {len(photos) / photo_s:.1f} per detik satu per satu, "
          f"{len(photos) / batch_s:.1f} per detik dalam satu folder desa; satu inti, {ocr.engine_version()}")

    papan = [sys.executable, str(ROOT / "scripts" / "papan"), "build", "--villages", str(ROOT / "villages"),
             "--quiet"] + (["--jobs", str(jobs)] if jobs else [])
    no_ocr = [sys.executable, "-c", _NO_OCR.format(plugins=str(ROOT / "plugins")), "build", "--villages",
              str(ROOT / "villages"), "--quiet"] + (["--jobs", str(jobs)] if jobs else [])

    import resource

    def cold(cmd, name, i, keep_findings_from=None):
        """(wall seconds, CPU seconds of the whole process tree, the cache) of one cold build."""
        out, cache = work / f"out-{name}-{i}", work / f"cache-{name}-{i}"
        if keep_findings_from is not None:
            shutil.copytree(keep_findings_from / "periksa", cache / "periksa")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        sec, _peak, text = run(cmd + ["--output", str(out), "--cache", str(cache)])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if "0 gagal" not in text:
            raise SystemExit(f"bundled build failed ({name}):\n{text[-2000:]}")
        return sec, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), cache

    # Three rounds, the three kinds interleaved so that a busy machine weighs on each alike; the best
    # wall time and the least CPU time of each kind are kept.
    runs: dict[str, list] = {"tanpa": [], "baru": [], "tersimpan": []}
    for i in range(3):
        runs["tanpa"].append(cold(no_ocr, "tanpa-ocr", i))
        runs["baru"].append(cold(papan, "ocr-baru", i))
        runs["tersimpan"].append(cold(papan, "ocr-tersimpan", i, keep_findings_from=runs["baru"][-1][2]))
    (base, base_cpu), (fresh, fresh_cpu), (kept, kept_cpu) = (
        (min(r[0] for r in runs[k]), min(r[1] for r in runs[k])) for k in ("tanpa", "baru", "tersimpan"))

    def fig(x, cpu):
        return f"{x:.1f} s ({(x / base - 1) * 100:+.0f} %; CPU {cpu:.1f} s, {(cpu / base_cpu - 1) * 100:+.0f} %)"
    print(f"Bangun dingin contoh bawaan ({len(list((ROOT / 'villages').iterdir()))} desa, terbaik dari 3): "
          f"tanpa OCR {base:.1f} s (CPU {base_cpu:.1f} s), OCR tanpa cache {fig(fresh, fresh_cpu)}, "
          f"OCR dari cache {fig(kept, kept_cpu)}")


def _photo(size: tuple[int, int], seed: int, orientation: int = 1) -> bytes:
    """A phone-like JPEG: a drawn village scene with photographic grain (deterministic)."""
    import io

    import numpy as np
    from PIL import Image

    from papan_desa.publikasi.demo import scene_jpeg

    base = Image.open(io.BytesIO(scene_jpeg(random.Random(seed), size, quality=95))).convert("RGB")
    arr = np.asarray(base, dtype=np.int16)
    rng = np.random.default_rng(seed)
    # Texture at every scale (leaves, gravel, walls) survives the resize to 960 px, like a photo's.
    coarse = rng.normal(0, 22, (size[1] // 8, size[0] // 8, 3))
    coarse = np.asarray(Image.fromarray(np.clip(coarse + 128, 0, 255).astype(np.uint8)).resize(
        size, Image.Resampling.BICUBIC), dtype=np.int16) - 128
    grain = rng.normal(0, 8, arr.shape).astype(np.int16)
    im = Image.fromarray(np.clip(arr + coarse + grain, 0, 255).astype(np.uint8))
    if orientation != 1:
        im = im.transpose(Image.Transpose.ROTATE_90)        # stored turned, shown upright by EXIF
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def _cpu(fn, n: int = 3) -> tuple[float, object]:
    fn()
    t = time.process_time()
    for _ in range(n):
        r = fn()
    return (time.process_time() - t) / n, r


def bench_poster_gambar() -> None:
    """Posters and photos (see the module docstring); CPU seconds of this process."""
    import io

    from PIL import Image, JpegImagePlugin

    from papan_desa.apbdes import poster as P
    from papan_desa.apbdes.load import load_village_apbdes
    from papan_desa.problems import Problems
    from papan_desa.publikasi import gambar

    years = [y for v in sorted((ROOT / "villages").iterdir()) if v.is_dir()
             for y in load_village_apbdes(v, Problems())]
    info = P.PosterInfo(nama="Kaligowong", url="https://papandesa.github.io/wonosobo/kaligowong/apbdes/2025/",
                        kecamatan="Wadaslintang", kabupaten="Wonosobo", provinsi="Jawa Tengah",
                        kepala_desa="Suparno", alamat="Jl. Raya Kaligowong No. 1", telepon="0286 321123",
                        whatsapp="0812 2700 1234", email="pemdes@kaligowong.desa.id",
                        pengaduan_nama="SP4N-LAPOR!", pengaduan_url="https://www.lapor.go.id/")
    per_year, _ = _cpu(lambda: [P.make_poster(y, info) for y in years], n=2)
    print(f"Poster: {per_year / len(years):.3f} CPU-s per tahun anggaran ({len(years)} tahun dari desa contoh; "
          "target <= 0,2)")

    photos = {"lanskap 4000x3000": _photo((4000, 3000), 1), "disimpan 3000x4000, EXIF 6": _photo((4000, 3000), 2, 6)}
    draft = JpegImagePlugin.JpegImageFile.draft
    for label, data in photos.items():
        with_draft, out = _cpu(lambda: gambar._encode(data, gambar.WIDTHS))
        JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
        try:
            full, _ = _cpu(lambda: gambar._encode(data, gambar.WIDTHS))
        finally:
            JpegImagePlugin.JpegImageFile.draft = draft
        sizes = ", ".join(f"{w}x{h}" for w, h, _, _ in out)
        print(f"Foto {label} ({len(data) // 1024} kB): {with_draft:.3f} CPU-s dengan draft JPEG, "
              f"{full:.3f} tanpa; varian {sizes}")

    img = Image.open(io.BytesIO(photos["lanskap 4000x3000"]))
    img.draft("RGB", (960, 1))
    img = img.convert("RGB")
    big = img.resize((960, 720), Image.Resampling.LANCZOS)
    small = big.resize((480, 360), Image.Resampling.LANCZOS)
    print(f"WebP kualitas {gambar.WEBP_QUALITY}, method (usaha) -> CPU-s dan kB untuk 960 + 480 px "
          f"(dipakai: method={gambar.WEBP_METHOD}):")
    import numpy as np

    def psnr(a, b) -> float:
        err = np.mean((np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)) ** 2)
        return 10 * np.log10(255 ** 2 / err)

    for method in range(7):
        def enc(m=method):
            out = []
            for im in (big, small):
                b = io.BytesIO()
                im.save(b, "WEBP", quality=gambar.WEBP_QUALITY, method=m)
                out.append(b.getvalue())
            return out
        t, files = _cpu(enc, n=5)
        q = psnr(big, Image.open(io.BytesIO(files[0])).convert("RGB"))
        print(f"  method {method}: {t * 1000:6.1f} ms, {len(files[0]) / 1024:5.1f} + {len(files[1]) / 1024:4.1f} kB, "
              f"PSNR 960 px {q:.2f} dB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--villages", type=int, action="append", help="jumlah desa (boleh berulang); bawaan 265")
    ap.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--no-plain", action="store_true", help="lewati pembanding Pelican polos")
    ap.add_argument("--plain-max", type=int, default=0, metavar="N",
                    help="pembanding Pelican polos hanya sampai N desa (polos tumbuh lebih cepat dari linear)")
    ap.add_argument("--keep", action="store_true", help="simpan folder kerja tiap N (bawaan: dihapus sesudahnya)")
    ap.add_argument("--impor-saja", action="store_true", help="hanya ukur papan impor-apbdes (laporan nyata dan bom zip)")
    ap.add_argument("--ocr", action="store_true",
                    help="ukur OCR saja: halaman per detik dan bangun dingin contoh bawaan tanpa/dengan cache OCR")
    ap.add_argument("--poster-gambar", action="store_true",
                    help="ukur poster dan foto saja: CPU-s per poster, per foto 12 MP, usaha WebP")
    args = ap.parse_args(argv)
    if args.poster_gambar:
        bench_poster_gambar()
        return 0
    if args.impor_saja:
        print(fmt_import(bench_import(args.workdir / "impor")))
        return 0
    if args.ocr:
        bench_ocr(args.workdir / "ocr", args.jobs)
        return 0
    rows = []
    for n in args.villages or [265]:
        print(f"... {n} desa", file=sys.stderr, flush=True)
        plain = not args.no_plain and (not args.plain_max or n <= args.plain_max)
        rows.append(bench(n, args.workdir / str(n), args.jobs, args.seed, plain))
        # Each size's figures as soon as they are known: a long run (2,650 villages take an hour
        # or more) that is stopped still leaves the sizes it finished.
        print(f"... {n} desa selesai: " + json.dumps(rows[-1], ensure_ascii=False, sort_keys=True, default=str),
              file=sys.stderr, flush=True)
        if not args.keep:
            shutil.rmtree(args.workdir / str(n), ignore_errors=True)     # 2,650 villages take 10 GB
    print(f"Papan Desa bench, {os.cpu_count()} inti, Python {sys.version.split()[0]}")
    print(fmt_table(rows))
    for r in rows:
        for k in ("stages_cold", "stages_news", "stages_theme"):
            print(f"{r['villages']} desa, {k.split('_')[1]}: {r.get(k) or '-'}")
    print(fmt_import(bench_import(args.workdir / "impor")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
