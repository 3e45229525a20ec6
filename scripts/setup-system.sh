#!/usr/bin/env bash
# Installs the system pieces fjudge needs when they are missing: a Chromium, bubblewrap, fonts.
# Idempotent and quick when everything is present.
set -euo pipefail

need=()
have_chromium() {
  [ -n "${FJUDGE_CHROMIUM:-}" ] && [ -x "${FJUDGE_CHROMIUM}" ] && return 0
  ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 && return 0
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null
}
have_chromium || need+=(chromium)
command -v bwrap >/dev/null || need+=(bubblewrap)
# Fixed fonts make screenshots reproducible across machines.
# Checked by file, not fc-list (fontconfig's tools may not be installed).
ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || need+=(fonts-dejavu-core)
ls /usr/share/fonts/truetype/liberation*/LiberationSans-Regular.ttf >/dev/null 2>&1 \
  || need+=(fonts-liberation2)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "fjudge set-up: installing missing system packages: ${need[*]}"
if ! command -v apt-get >/dev/null; then
  echo "fjudge set-up: apt-get not found; install ${need[*]} yourself (or set FJUDGE_CHROMIUM)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "fjudge set-up: need root to install ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
echo "fjudge set-up: installed ${need[*]}"
