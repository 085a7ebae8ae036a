#!/usr/bin/env bash
# What the real-browser tests need beyond Python: Debian's Chromium (never `playwright install`,
# which downloads a browser) and axe-core from npm for the accessibility checks, pinned in
# tests/js/package-lock.json. The tests inject that local axe.min.js into the page: nothing is
# fetched at run time.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/chromium ] || apt_install chromium chromium-driver
if [ ! -f "$ROOT/tests/js/node_modules/axe-core/axe.min.js" ]; then
  command -v npm >/dev/null || apt_install npm
  npm ci --prefix "$ROOT/tests/js" --no-audit --no-fund --silent
fi
