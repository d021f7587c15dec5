# Papan Desa, in the spirit of Pelican's quickstart Makefile.
#   make site    set up (first time) and build the bundled villages
#   make test    every test: data logic, whole-site build, Chromium, HTML checker, link checker
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PAPAN := $(BIN)/python scripts/papan
OUTPUTDIR ?= output
HOST ?= 127.0.0.1
PORT ?= 8000
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_PAGES_REMOTE ?= origin
PAPAN_SITEURL ?= https://papandesa.github.io/wonosobo
export PAPAN_SITEURL

.PHONY: help site html check regenerate serve devserver clean publish github test test-fast docs demo admin admin-server bench

help:
	@echo "make site       siapkan lingkungan (pertama kali) dan bangun semua desa"
	@echo "make html       bangun ulang (hanya desa yang berubah)"
	@echo "make check      periksa data desa tanpa menulis apa pun"
	@echo "make serve      pratinjau di http://$(HOST):$(PORT)/"
	@echo "make admin      Papan Admin untuk satu komputer (http://127.0.0.1:8765/, tanpa akun)"
	@echo "make admin-server  Papan Admin untuk kabupaten (akun per operator, di belakang reverse proxy HTTPS)"
	@echo "make test       jalankan semua uji"
	@echo "make test-fast  jalankan uji tanpa peramban"
	@echo "make docs       tulis ulang docs/pengaturan.md dan docs/format-data.md dari kode"
	@echo "make publish    bangun situs terbit (publishconf.py)"
	@echo "make github     terbitkan ke cabang $(GITHUB_PAGES_BRANCH) dengan ghp-import (tanpa riwayat)"
	@echo "make bench      ukur kecepatan pembangunan (265 desa sintetis)"
	@echo "make clean      hapus hasil dan cache"

# The virtual environment, rebuilt when the pinned requirements change.
$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The OCR engine the guard reads scans with (Tesseract + Indonesian data, apt-get as root; otherwise
# the script says what to install). Checked again when the script changes.
$(BIN)/.ocr: scripts/setup-ocr.sh | $(BIN)/.runtime
	bash scripts/setup-ocr.sh
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

site: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) build --output $(OUTPUTDIR)
	@echo "Pratinjau: make serve, lalu buka http://$(HOST):$(PORT)/"

html: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) build --output $(OUTPUTDIR)

check: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) build --check

regenerate: $(BIN)/.runtime
	$(BIN)/pelican --autoreload --settings pelicanconf.py --help >/dev/null; \
	while true; do $(PAPAN) build --quiet --output $(OUTPUTDIR); sleep 2; done

serve: $(BIN)/.runtime $(BIN)/.ocr
	@test -d $(OUTPUTDIR) || $(PAPAN) build --output $(OUTPUTDIR)
	$(BIN)/pelican --listen --settings pelicanconf.py --output $(OUTPUTDIR) --bind $(HOST) --port $(PORT)

devserver: html serve

publish: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) build --settings publishconf.py --output $(OUTPUTDIR)

# --no-history: the published branch is one commit, replaced on every run (with a forced push), so a file
# taken down with `papan cabut` stays in no earlier commit of it (docs/privasi-dan-keamanan.md).
github: publish
	$(BIN)/ghp-import --no-jekyll --no-history --force --message "Terbitkan situs Papan Desa" \
		--branch $(GITHUB_PAGES_BRANCH) --remote $(GITHUB_PAGES_REMOTE) --push $(OUTPUTDIR)

# Papan Admin, the village operators' editing app (docs/panduan-admin.md): one person on 127.0.0.1, or the
# kabupaten's server (accounts: papan admin pengguna tambah NAMA --kabupaten | --desa SLUG) behind HTTPS.
# Both check uploads with the guard, which reads scans with Tesseract (.ocr).
ADMIN_HOST ?= 127.0.0.1
ADMIN_PORT ?= 8765
admin: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) admin

admin-server: $(BIN)/.runtime $(BIN)/.ocr
	$(PAPAN) admin --server --host $(ADMIN_HOST) --port $(ADMIN_PORT) --proxy

docs: $(BIN)/.runtime
	$(PAPAN) docs

demo: $(BIN)/.runtime
	$(PAPAN) demo --villages 265 --output .cache/demo-villages --force

bench: $(BIN)/.dev $(BIN)/.ocr
	$(BIN)/python scripts/bench.py --villages 265

clean:
	rm -rf $(OUTPUTDIR) .$(OUTPUTDIR).baru .$(OUTPUTDIR).lama .cache

test: $(BIN)/.dev $(BIN)/.ocr
	bash scripts/setup-test-tools.sh
	$(BIN)/python -m pytest -q

test-fast: $(BIN)/.dev $(BIN)/.ocr
	$(BIN)/python -m pytest -q -m "not browser"
