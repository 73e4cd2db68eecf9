#!/usr/bin/env bash
# CI's proof of the distributed profile: `npm start -- --profile distributed` (one process per
# service on the real PostgreSQL, Kafka and Redis, a development gateway in front), then
# `npm run tour` against the gateway: the same story as on the embedded profile, with every
# cross-service step carried by the real Kafka broker. Exits non-zero if a step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=$(mktemp -d /tmp/carebridge-dtour-XXXXXX)
port=${TOUR_PORT:-3978}
log="$data/platform.log"
export CAREBRIDGE_TOKENS_FILE="$data/dev-tokens.json"
# Service ports away from a developer's running `npm start -- --profile distributed` (3001...).
export PORT_BILLING_ELIGIBILITY=3981 PORT_MONITORING=3982 PORT_PRESCRIPTIONS=3983 PORT_SCHEDULING=3984 PORT_VISITS=3985 METRICS_PORT_BASE=9484
bash tools/start.sh --profile distributed --port "$port" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 480); do
  if grep -q "^\[carebridge\] ready in" "$log"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "[tour] the distributed platform exited:"; tail -80 "$log"; exit 1; fi
  sleep 0.5
done
grep -q "^\[carebridge\] ready in" "$log" || { echo "[tour] distributed platform not ready after 240 s:"; tail -80 "$log"; exit 1; }
grep "^\[carebridge\] \(ready\|seed\)" "$log"
status=0
./tools/ts-node.sh tools/tour/tour.ts --url "http://127.0.0.1:$port" || status=$?
if [ "$status" -ne 0 ]; then echo "[tour] platform log (last 120 lines):"; tail -120 "$log"; fi
exit "$status"
