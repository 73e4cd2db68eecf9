#!/usr/bin/env bash
# Runs a TypeScript entry point with SWC (decorator metadata on, tsconfig paths resolved).
# TypeScript itself is only used for type-checking: see README "Development".
set -euo pipefail
cd "$(dirname "$0")/.."
export SWC_NODE_PROJECT="${SWC_NODE_PROJECT:-tsconfig.json}"
exec node -r @swc-node/register "$@"
