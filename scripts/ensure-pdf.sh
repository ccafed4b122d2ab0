#!/usr/bin/env bash
# What the official PDFs need from Debian (WeasyPrint, workflows/outputs): Pango, HarfBuzz's subsetter
# (repeatable font subsets, so a PDF made again from the same records has the same bytes), the fonts
# standing in for the standard's 仿宋/小标宋 (Noto Serif CJK SC), 楷体 (AR PL UKai) and 宋体 (AR PL UMing),
# and poppler's pdftotext/pdftoppm (the tests read the PDFs). Run by `make run` and by
# scripts/ensure-services.sh (`make test`): installs what is missing when run as root with apt-get,
# else names the command to run and stops.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
# read whole, then searched: `grep -q` in a pipe would end the lister early (SIGPIPE fails the pipe)
libraries=$(ldconfig -p 2>/dev/null || true)
fonts=$(fc-list 2>/dev/null || true)
has_lib() { [[ $libraries == *"$1"* ]]; }
has_font() { [[ $fonts == *"$1"* ]]; }

packages=()
has_lib 'libpango-1.0.so' || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
has_lib 'libharfbuzz-subset.so' || packages+=(libharfbuzz-subset0)
has_font 'Noto Serif CJK SC' || packages+=(fonts-noto-cjk)
has_font 'AR PL UKai' || packages+=(fonts-arphic-ukai)
has_font 'AR PL UMing' || packages+=(fonts-arphic-uming)
have pdftotext || packages+=(poppler-utils)
[ "${#packages[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && have apt-get; then
    echo "ensure-pdf: apt-get installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "${packages[@]}" || { apt-get update && apt-get install -y "${packages[@]}"; }
    exit 0
fi
echo "ensure-pdf: the official PDFs need: ${packages[*]}" >&2
echo "    Install them as root:  sudo apt-get install -y ${packages[*]}" >&2
exit 1
