#!/usr/bin/env bash
# npm test: everything a fresh clone needs, then every check and test.
#   1. installs dependencies when missing or stale (npm ci from package-lock.json)
#   2. starts PostgreSQL, Kafka and Redis for all the steps below, from the provider that
#      CAREBRIDGE_TEST_INFRA chooses (containers | local | auto, the default: containers when a
#      container engine answers, else deploy/local/infra.sh up): tools/test-infra.ts
#   3. type-check, architecture lint and its self-test
#   4. unit tests, then integration tests against the real servers (and the embedded platform,
#      with Swagger UI checked in Debian's Chromium, installed here when missing)
#   5. the embedded platform as `npm start` runs it, with PostgreSQL, Kafka and Redis addresses
#      at closed ports, and `npm run tour` against it
#   6. the distributed profile (`npm start -- --profile distributed`: one process per service on
#      the real PostgreSQL, Kafka and Redis, behind the development gateway) and the same tour
#   7. with CAREBRIDGE_CONTAINERS_JOB=1 (CI): the event-store, messaging and monitoring integration
#      suites again on the containers provider (tools/test-containers-job.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n[test] %s\n' "$*"; }
started=$(date +%s)

bash tools/ensure-deps.sh

mkdir -p tmp
infra_pid=""
stop_infra() {
  if [ -n "$infra_pid" ] && kill -0 "$infra_pid" 2>/dev/null; then kill -TERM "$infra_pid"; wait "$infra_pid" 2>/dev/null || true; fi
}
step "test infrastructure (CAREBRIDGE_TEST_INFRA=${CAREBRIDGE_TEST_INFRA:-auto})"
rm -f tmp/test-infra.env
./tools/ts-node.sh tools/test-infra.ts up tmp/test-infra.env &
infra_pid=$!
trap stop_infra EXIT
until [ -s tmp/test-infra.env ]; do
  if ! kill -0 "$infra_pid" 2>/dev/null; then
    wait "$infra_pid" && [ -s tmp/test-infra.env ] && break
    echo "[test] the test infrastructure did not start" >&2; exit 1
  fi
  sleep 0.5
done
set -a; . tmp/test-infra.env; set +a
bash tools/ensure-chromium.sh

step "type-check (tsc 5.9)"
npx tsc -p tsconfig.json

step "architecture lint"
npm run --silent lint
npm run --silent lint:selftest

export KAFKAJS_NO_PARTITIONER_WARNING=1
mkdir -p tmp
rm -f tmp/jest-unit.json tmp/jest-integration.json tmp/jest-in-process.json tmp/jest-containers.json
summary() {
  node -e '
    const fs = require("fs");
    let passed = 0, failed = 0, skipped = 0;
    for (const f of process.argv.slice(1)) {
      if (!fs.existsSync(f)) continue;
      const r = JSON.parse(fs.readFileSync(f, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
      skipped += r.numPendingTests + r.numTodoTests;
    }
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  ' tmp/jest-unit.json tmp/jest-integration.json tmp/jest-in-process.json tmp/jest-containers.json
}
trap 'stop_infra; summary' EXIT

step "unit tests"
npx jest --selectProjects unit --ci --json --outputFile=tmp/jest-unit.json

step "integration tests (real PostgreSQL, Kafka, Redis: $CAREBRIDGE_TEST_INFRA_READY provider)"
npx jest --selectProjects integration --ci --maxWorkers=2 --json --outputFile=tmp/jest-integration.json

step "messaging suites again on the embedded profile's in-process bus (relay, consumer, Nest module)"
CAREBRIDGE_TEST_BUS=in-process npx jest --selectProjects integration --ci --maxWorkers=2 \
  --testPathPatterns 'libs/messaging/src/(relay|consumer|nest)/' --json --outputFile=tmp/jest-in-process.json

step "embedded platform (npm start) with the servers unreachable, then npm run tour"
bash tools/tour/run-embedded-tour.sh

step "distributed platform (one process per service, real Kafka, PostgreSQL, Redis), then npm run tour"
DATABASE_URL="$CAREBRIDGE_TEST_APP_DATABASE_URL" bash tools/tour/run-distributed-tour.sh

if [ "${CAREBRIDGE_CONTAINERS_JOB:-}" = 1 ]; then
  stop_infra
  step "event-store, messaging and monitoring integration suites again on the containers provider"
  bash tools/test-containers-job.sh tmp/jest-containers.json
fi

step "all checks passed in $(( $(date +%s) - started )) s"
