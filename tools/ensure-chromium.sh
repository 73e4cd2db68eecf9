#!/usr/bin/env bash
# Debian's Chromium for the API docs browser test (playwright-core drives it; Playwright's own
# browser download cannot reach its CDN from here). Installs it when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "[chromium] $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
echo "[chromium] installing Debian's chromium package (once)"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo -n"; else
    echo "[chromium] not root and no sudo: install it with 'apt-get install chromium'" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get install -y --no-install-recommends chromium >/tmp/carebridge-chromium-install.log 2>&1 || {
  $sudo_cmd apt-get update >>/tmp/carebridge-chromium-install.log 2>&1
  $sudo_cmd apt-get install -y --no-install-recommends chromium >>/tmp/carebridge-chromium-install.log 2>&1 || {
    echo "[chromium] apt-get install chromium failed; see /tmp/carebridge-chromium-install.log" >&2; tail -n 20 /tmp/carebridge-chromium-install.log >&2; exit 1; }
}
echo "[chromium] $(chromium --version 2>/dev/null | head -1)"
