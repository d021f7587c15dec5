"""No password, password hash, accounts file or session secret reaches the repository or the built site.

A kabupaten set-up as the guide describes it: the project's .gitignore, accounts made with the command
line in the default place (.papan-admin/ beside pelicanconf.py), an operator who logs in, saves and
publishes through waitress; then the site is built. Every git object, every tracked file and every
file of the site are searched for the secrets.
"""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from tests.admin_helpers import SLUG, git, serve, village_repo
from tests.support import ROOT, build_site

PASSWORD = "Sandi-Rahasia-Kaligowong-73"
KAB_PASSWORD = "Sandi-Rahasia-Dinas-Wonosobo-41"


def test_no_secret_reaches_the_repository_or_the_site(tmp_path):
    import re

    from papan_desa.admin import create_app
    from papan_desa.admin.accounts import default_path, session_secret

    repo, villages, bare = village_repo(tmp_path)
    # The project as a kabupaten has it: its settings and .gitignore at the top of the repository.
    for name in (".gitignore", "pelicanconf.py"):
        shutil.copy(ROOT / name, repo / name)
    git(repo, "add", ".gitignore", "pelicanconf.py")
    git(repo, "commit", "-qm", "Proyek")
    papan = [sys.executable, str(ROOT / "scripts" / "papan"), "admin", "--settings", str(repo / "pelicanconf.py"),
             "pengguna"]
    for args, secret in ((["tambah", "sri", "--desa", SLUG], PASSWORD), (["tambah", "dinas", "--kabupaten"],
                                                                          KAB_PASSWORD)):
        r = subprocess.run([*papan, *args], input=secret + "\n", capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items()
                                if not k.startswith("PAPAN_ADMIN_")})
        assert r.returncode == 0, r.stderr
    accounts = repo / ".papan-admin" / "pengguna.json"
    assert default_path(repo) == accounts and accounts.is_file()
    secret = session_secret(accounts.parent)
    hashes = re.findall(r'"(\$argon2id\$[^"]+)"', accounts.read_text())
    assert len(hashes) == 2

    app = create_app(ROOT, villages, work_dir=repo / ".cache" / "admin", accounts=accounts, public=True,
                     secret_key=secret)
    with serve(app) as base:
        jar = CookieJar()
        web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def form(path, fields, token_from=None):
            html = web.open(base + (token_from or path)).read().decode()
            token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
            data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
            return web.open(base + path, data).read().decode()
        form("/masuk", {"nama": "sri", "sandi": PASSWORD})
        form(f"/desa/{SLUG}/berita/baru", {"aksi": "simpan", "f_title": "Kerja bakti", "f_date": "2025-09-01",
                                           "isi": "Isi."})
        html = web.open(f"{base}/desa/{SLUG}/terbitkan").read().decode()
        versi = re.search(r'name="versi" value="([^"]+)"', html).group(1)
        done = form(f"/desa/{SLUG}/terbitkan", {"versi": versi})
        assert 'data-status="terbit"' in done
        # A preview leaves nothing in the repository either (its build and old output live in .cache/admin).
        preview = form(f"/desa/{SLUG}/pratinjau", {}, token_from=f"/desa/{SLUG}/")
        assert "← Kembali ke Papan Admin" in preview
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(repo, "check-ignore", ".papan-admin/pengguna.json") == ".papan-admin/pengguna.json"
    report = build_site(villages, tmp_path / "output", tmp_path / "cache")
    assert report.ok

    needles = [PASSWORD, KAB_PASSWORD, *hashes, *(h.split("$")[-1] for h in hashes), accounts.read_text(),
               secret.hex(), base64.b64encode(secret).decode(), base64.urlsafe_b64encode(secret).decode()]
    blobs: list[tuple[str, bytes]] = []
    for where in (repo, bare):
        objects = subprocess.run(["git", "-C", str(where), "cat-file", "--batch-all-objects", "--batch"],
                                 capture_output=True, check=True).stdout
        blobs.append((f"objek git {where.name}", objects))
    for name in git(repo, "ls-files").splitlines():
        blobs.append((name, (repo / name).read_bytes()))
    for p in (tmp_path / "output").rglob("*"):
        if p.is_file():
            blobs.append((str(p.relative_to(tmp_path)), p.read_bytes()))
    assert len(blobs) > 50
    for name, data in blobs:
        assert secret not in data, name
        for needle in needles:
            assert needle.encode() not in data, (name, needle[:20])
    # The same holds for the project itself: nothing of .papan-admin is tracked.
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True).stdout
    assert ".papan-admin" not in tracked
