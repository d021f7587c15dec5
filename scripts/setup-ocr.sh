#!/usr/bin/env bash
# Install the OCR engine the guard reads scans with: Tesseract and its Indonesian language data
# (Debian packages tesseract-ocr, tesseract-ocr-ind). Called by `make site` (the virtualenv step)
# and by scripts/setup-test-tools.sh; idempotent and quick when both are there.
# As root (or with password-less sudo, as on GitHub's runners) it runs apt-get; otherwise it says what to
# install and fails, because a build without OCR could not tell whether a scanned document holds a NIK.
set -euo pipefail

have_ind() {
    command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx ind
}
have_ind && exit 0

need=(tesseract-ocr tesseract-ocr-ind)
sudo=()
# Not root, but allowed to use sudo without a password (a GitHub-hosted runner): use it.
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n DEBIAN_FRONTEND=noninteractive)
fi
if [[ $(id -u) -ne 0 && ${#sudo[@]} -eq 0 ]]; then
    cat >&2 <<MSG
setup-ocr: Tesseract dengan data bahasa Indonesia belum terpasang / Tesseract with Indonesian data is missing.
Papan Desa membaca dokumen hasil pindai dengan Tesseract sebelum menerbitkannya (docs/privasi-dan-keamanan.md).
Pasang sebagai root, lalu ulangi perintahnya / install as root, then run the command again:
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}
MSG
    exit 1
fi
echo "setup-ocr: apt-get install ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
have_ind || { echo "setup-ocr: tesseract --list-langs tidak memuat 'ind' setelah pemasangan" >&2; exit 1; }
