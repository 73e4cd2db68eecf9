#!/usr/bin/env bash
# CI's proof of the embedded profile: `npm start` on a fresh data folder with PostgreSQL, Kafka
# and Redis pointed at closed ports (nothing may dial them), then `npm run tour` against it.
# Prints time to ready and resident memory; exits non-zero if the platform or any tour step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=$(mktemp -d /tmp/carebridge-tour-XXXXXX)
port=${TOUR_PORT:-3977}
log="$data/platform.log"
# Its own token file: a developer's running `npm start` keeps tmp/dev-tokens.json.
export CAREBRIDGE_TOKENS_FILE="$data/dev-tokens.json"
# The tour signs in with development tokens: asked for explicitly (issue 14).
export CAREBRIDGE_DEV_TOKENS=true
DATABASE_URL=postgres://postgres@127.0.0.1:9/unreachable KAFKA_BROKERS=127.0.0.1:9 REDIS_URL=redis://127.0.0.1:9 \
  bash tools/start.sh --port "$port" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 240); do
  if grep -q "^\[carebridge\] ready in" "$log"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "[tour] the platform exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
grep -q "^\[carebridge\] ready in" "$log" || { echo "[tour] platform not ready after 120 s:"; cat "$log"; exit 1; }
grep "^\[carebridge\]" "$log"
if grep -E "ECONNREFUSED|127\.0\.0\.1:9[^0-9]" "$log"; then echo "[tour] something dialled the unreachable servers"; exit 1; fi
./tools/ts-node.sh tools/tour/tour.ts --url "http://127.0.0.1:$port"
