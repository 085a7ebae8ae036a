#!/usr/bin/env bash
# What the real-component tests need beyond Python: Debian's Chromium (never `playwright install`,
# which downloads a browser), axe-core from npm for the accessibility checks, pinned in
# tests/js/package-lock.json (the tests inject that local axe.min.js into the page: nothing is
# fetched at run time), and Debian's nginx for the multi-worker deployment test (`make deploy-test`;
# used only as a binary started on loopback with its own config: the Debian service is kept from
# starting).
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
apt_install() {
  $SUDO apt-get update -qq
  # policy-rc.d exit 101: packages may not start services during this install (no nginx on :80).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/chromium ] || apt_install chromium chromium-driver
[ -x /usr/sbin/nginx ] || apt_install nginx
if [ ! -f "$ROOT/tests/js/node_modules/axe-core/axe.min.js" ]; then
  command -v npm >/dev/null || apt_install npm
  npm ci --prefix "$ROOT/tests/js" --no-audit --no-fund --silent
fi
