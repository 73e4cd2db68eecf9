#!/usr/bin/env bash
# Installs node_modules from package-lock.json when they are missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "[deps] Node.js 20.19+ and npm are required: apt-get install nodejs npm (or use nvm)" >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`[deps] Node ${process.versions.node} found; 20.19 or newer is required`); process.exit(1) }'
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[deps] installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "[deps] dependencies up to date"
fi
