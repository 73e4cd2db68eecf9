#!/usr/bin/env bash
# npm test: everything a fresh clone needs, then every check and test.
#   1. installs dependencies when missing or stale (npm ci from package-lock.json)
#   2. starts a real Kafka broker, PostgreSQL and Redis (deploy/local/infra.sh up)
#   3. type-check, architecture lint and its self-test
#   4. unit tests, then integration tests against the real servers
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n[test] %s\n' "$*"; }
started=$(date +%s)

bash tools/ensure-deps.sh

step "starting infrastructure"
npm run --silent infra:up

step "type-check (tsc 5.9)"
npx tsc -p tsconfig.json

step "architecture lint"
npm run --silent lint
npm run --silent lint:selftest

export KAFKAJS_NO_PARTITIONER_WARNING=1
mkdir -p tmp
rm -f tmp/jest-unit.json tmp/jest-integration.json
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
  ' tmp/jest-unit.json tmp/jest-integration.json
}
trap summary EXIT

step "unit tests"
npx jest --selectProjects unit --ci --json --outputFile=tmp/jest-unit.json

step "integration tests (real PostgreSQL, Kafka, Redis)"
npx jest --selectProjects integration --ci --maxWorkers=2 --json --outputFile=tmp/jest-integration.json

step "all checks passed in $(( $(date +%s) - started )) s"
