#!/usr/bin/env bash
# Installs node_modules from package-lock.json when they are missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "[deps] Node.js 20.19+ and npm are required: apt-get install nodejs npm (or use nvm)" >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`[deps] Node ${process.versions.node} found; 20.19 or newer is required`); process.exit(1) }'
# The stamp holds the hash of the lock file that was installed: a merge, a checkout or another
# worktree's install can leave file times that say "up to date" when they are not.
stamp=node_modules/.carebridge-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f node_modules/.package-lock.json ]; then
  # npm ci only: it installs exactly package-lock.json (which records every platform's optional
  # builds) and never rewrites it. One line on success; npm's own output only when it fails.
  printf '[deps] installing dependencies from package-lock.json (npm ci) ... '
  started=$(date +%s)
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    echo "failed:"
    cat "$log" >&2
    rm -f "$log"
    echo "[deps] npm ci failed; package-lock.json was left as it is (fix the lock with 'npm install' and commit it)" >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" >"$stamp"
  echo "done ($(( $(date +%s) - started )) s)"
else
  echo "[deps] dependencies up to date"
fi
