#!/usr/bin/env bash
# npm start: installs what is missing, starts the infrastructure, migrates and starts every
# service under apps/ (distributed profile: one process per service).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
npm run --silent infra:up
exec ./tools/ts-node.sh tools/start-services.ts "$@"
