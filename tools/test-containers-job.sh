#!/usr/bin/env bash
# CI's second provider: the event-store, messaging and monitoring integration suites again, on the
# containers provider (testcontainers: postgres:15, redis:7, apache/kafka), after the full suite ran
# on the local one. Uses the container engine that answers, or starts one (deploy/containers/engine.sh)
# and stops it at the end; pulls the images, or builds them where no registry answers (images.sh).
#
#   bash tools/test-containers-job.sh [jest json output]     (default tmp/jest-containers.json)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-tmp/jest-containers.json}"
started=$(date +%s)
say() { printf '[containers-job] %s\n' "$*"; }

engine_env="$(bash deploy/containers/engine.sh up)"
eval "$engine_env"
if [ "${CAREBRIDGE_ENGINE_STARTED:-}" = 1 ]; then
  trap 'bash deploy/containers/engine.sh down' EXIT
fi
images_env="$(bash deploy/containers/images.sh)"
eval "$images_env"
say "engine and images ready in $(( $(date +%s) - started )) s; running the suites"

# The first pass's endpoints (local servers) must not leak into this one.
env -u TEST_DATABASE_URL -u KAFKA_BROKERS -u REDIS_URL -u DATABASE_URL -u CAREBRIDGE_TEST_INFRA_READY \
  CAREBRIDGE_TEST_INFRA=containers \
  npx jest --selectProjects integration --ci --maxWorkers=2 \
  --testPathPatterns '^.*/(libs/event-store|libs/messaging|apps/monitoring)/' --json --outputFile="$out"
say "done in $(( $(date +%s) - started )) s"
