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
bash tools/ensure-deps.sh
case "$profile" in
  embedded) exec ./tools/ts-node.sh tools/embedded/main.ts ${args[@]+"${args[@]}"} ;;
  distributed)
    # npm test's containers provider already serves DATABASE_URL, KAFKA_BROKERS and REDIS_URL.
    [ "${CAREBRIDGE_TEST_INFRA_READY:-}" = containers ] || npm run --silent infra:up
    exec ./tools/ts-node.sh tools/start-services.ts ${args[@]+"${args[@]}"} ;;
  *) echo "[start] unknown profile '$profile': use embedded or distributed" >&2; exit 64 ;;
esac
