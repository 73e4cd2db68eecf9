#!/usr/bin/env bash
# npm run test:faults: the fault-injection suites of issue 21, each on servers of its own.
#   1. libs/testing/src/faults/run-faults.ts: two replicas of a one-command service, six faults
#   2. tools/faults/clinic-faults.ts: the five clinic services as `npm start -- --profile distributed`
#      runs them, a mixed load, four faults
# Both print their table; the exit code is 1 when either found an invariant broken.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash tools/ensure-deps.sh
status=0
./tools/ts-node.sh libs/testing/src/faults/run-faults.ts "$@" || status=1
./tools/ts-node.sh tools/faults/clinic-faults.ts || status=1
exit "$status"
