#!/usr/bin/env bash
# Rewrites garden-libreoffice.pptx: garden.pptx opened and saved by LibreOffice Impress (via .odp),
# so the tests see a deck written by LibreOffice's own OOXML exporter.
# Needs: apt-get install -y libreoffice-impress
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp garden.pptx "$work/garden.pptx"
profile="-env:UserInstallation=file://$work/profile"
soffice "$profile" --headless --convert-to odp --outdir "$work/odp" "$work/garden.pptx" >/dev/null
soffice "$profile" --headless --convert-to pptx --outdir "$work/pptx" "$work/odp/garden.odp" >/dev/null
cp "$work/pptx/garden.pptx" garden-libreoffice.pptx
echo "wrote $(pwd)/garden-libreoffice.pptx"
