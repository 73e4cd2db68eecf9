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
  # The lock file names optional platform builds (darwin/win32 swc, nx) that the registry
  # reachable here does not serve, so npm cannot record them and `npm ci` may call the lock
  # out of sync. `npm install` then installs the same locked versions.
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "[deps] npm ci refused the lock file; installing the locked versions with npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
else
  echo "[deps] dependencies up to date"
fi
