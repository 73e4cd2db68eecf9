#!/usr/bin/env bash
# npm start: the whole platform.
#   embedded (default): one Node process, nothing to install: PGlite, in-process bus, jobs on PGlite.
#   distributed (`npm start -- --profile distributed` or CAREBRIDGE_PROFILE=distributed): starts
#   PostgreSQL, Kafka and Redis (deploy/local) and one process per service.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${CAREBRIDGE_PROFILE:-embedded}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="${2:?--profile needs embedded or distributed}"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
# Development tokens (/dev/token, the seed, tmp/dev-tokens.json) exist only with
# CAREBRIDGE_DEV_TOKENS=true (issue 14). `npm start` is the developer's command: it asks for them
# unless the caller decided (CAREBRIDGE_DEV_TOKENS set, even to false), runs with
# NODE_ENV=production, or configured an identity provider (JWKS_URL/JWKS_JSON).
if [ -z "${CAREBRIDGE_DEV_TOKENS+set}" ] && [ "${NODE_ENV:-}" != production ] && [ -z "${JWKS_URL:-}${JWKS_JSON:-}" ]; then
  export CAREBRIDGE_DEV_TOKENS=true
fi
bash tools/ensure-deps.sh
case "$profile" in
  embedded) exec ./tools/ts-node.sh tools/embedded/main.ts ${args[@]+"${args[@]}"} ;;
  distributed)
    # npm test's containers provider already serves DATABASE_URL, KAFKA_BROKERS and REDIS_URL.
    [ "${CAREBRIDGE_TEST_INFRA_READY:-}" = containers ] || npm run --silent infra:up
    exec ./tools/ts-node.sh tools/start-services.ts ${args[@]+"${args[@]}"} ;;
  *) echo "[start] unknown profile '$profile': use embedded or distributed" >&2; exit 64 ;;
esac
