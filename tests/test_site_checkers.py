"""The built site passes the field's own checkers: the Nu HTML checker (HTML, CSS, SVG) and
LinkChecker over HTTP. Each check is also shown to fail on a deliberately broken site."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import VNU_JAR, have_java, require, serve

LINKCHECKER = Path(sys.executable).with_name("linkchecker")


# ---------------------------------------------------------------- Nu HTML checker

def nu_check(folder: Path) -> subprocess.CompletedProcess:
    require(VNU_JAR.is_file(), f"Nu HTML checker ({VNU_JAR})")
    require(have_java(), "Java (untuk Nu HTML checker)")
    return subprocess.run(["java", "-Xss8m", "-jar", str(VNU_JAR), "--skip-non-html", "--also-check-css",
                           "--also-check-svg", "--errors-only", "--format", "gnu", str(folder)],
                          capture_output=True, text=True, timeout=300)


def test_nu_checker_finds_no_errors_in_the_built_site(built_site):
    r = nu_check(built_site)
    report = (r.stdout + r.stderr).replace(f"file:{built_site}/", "")
    assert r.returncode == 0 and "error" not in report, report


def test_nu_checker_reports_broken_html_css_and_svg(tmp_path):
    (tmp_path / "a.html").write_text('<!doctype html><html lang="id"><head><title>x</title></head>'
                                     "<body><p><div></p></body></html>", encoding="utf-8")
    (tmp_path / "gaya.css").write_text("p { colr: red }\n", encoding="utf-8")
    (tmp_path / "ikon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><bukan/></svg>', encoding="utf-8")
    (tmp_path / "data.csv").write_text("<p>bukan html\n", encoding="utf-8")   # skipped: not a web document
    r = nu_check(tmp_path)
    report = r.stdout + r.stderr
    assert r.returncode == 1
    assert 'a.html":' in report and "Unclosed element “div”" in report
    assert 'gaya.css":' in report and "colr" in report
    assert 'ikon.svg":' in report and "bukan" in report
    assert "data.csv" not in report


# ---------------------------------------------------------------- LinkChecker over HTTP

def link_check(base: str, tmp_path: Path) -> subprocess.CompletedProcess:
    require(LINKCHECKER.exists() or shutil.which("linkchecker") is not None, "linkchecker")
    config = tmp_path / "linkcheckerrc"
    # The test server answers with a "LinkChecker" header, which lets LinkChecker go faster than
    # its polite default of a few requests a second. AnchorCheck also checks #fragments.
    config.write_text("[checking]\nmaxrequestspersecond=200\nthreads=4\n\n[AnchorCheck]\n", encoding="utf-8")
    port = base.rsplit(":", 1)[1]
    # No internet here: only the site itself is checked; other sites, e-mail and phone links are left alone.
    return subprocess.run([str(LINKCHECKER if LINKCHECKER.exists() else shutil.which("linkchecker")),
                           "--config", str(config), "--no-status", "--no-robots", "-o", "text",
                           "--ignore-url", r"^mailto:", "--ignore-url", r"^tel:",
                           "--ignore-url", rf"^[a-z][a-z0-9+.-]*:(?!//127\.0\.0\.1:{port}/)", base + "/"],
                          capture_output=True, text=True, timeout=600)


def test_linkchecker_finds_no_broken_links(site_server, tmp_path):
    r = link_check(site_server, tmp_path)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", r.stdout)
    assert checked and int(checked.group(2)) >= 40, r.stdout[-2000:]   # it really crawled the site
    assert re.search(r"\b0 errors found", r.stdout), r.stdout[-2000:]


def test_linkchecker_reports_a_broken_link(tmp_path):
    site = tmp_path / "situs"
    (site / "ada").mkdir(parents=True)
    (site / "ada" / "index.html").write_text('<!doctype html><html lang="id"><title>ada</title><p>ada</p>',
                                             encoding="utf-8")
    (site / "index.html").write_text(
        '<!doctype html><html lang="id"><title>x</title><a href="/ada/">ada</a> <a href="/hilang/">hilang</a> <a href="/ada/#tidak-ada">jangkar</a> '
        '<a href="https://contoh.invalid/">luar</a> <a href="mailto:a@contoh.invalid">surel</a>', encoding="utf-8")
    with serve(site) as base:
        r = link_check(base, tmp_path)
    assert r.returncode == 1
    assert "/hilang/" in r.stdout and "404" in r.stdout
    assert "1 error found" in r.stdout
    assert "Anchor `tidak-ada'" in r.stdout and "1 warning found" in r.stdout   # a missing #fragment
    assert "contoh.invalid" not in r.stdout
