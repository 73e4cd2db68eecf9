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
# The tour signs in with development tokens: asked for explicitly (issue 14).
export CAREBRIDGE_DEV_TOKENS=true
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
if [ "$status" -ne 0 ]; then echo "[tour] platform log (last 120 lines):"; tail -120 "$log"; exit "$status"; fi

# Issue 21: one service killed no longer stops the platform. Its supervisor restarts it, the
# gateway answers 503 meanwhile, and the other services keep serving.
url="http://127.0.0.1:$port"
victim_pid=$(curl -sf "$url/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).services.find((x)=>x.name==="visits").pid))')
kill -KILL "$victim_pid"
for _ in $(seq 1 20); do kill -0 "$victim_pid" 2>/dev/null || break; sleep 0.1; done
down=$(curl -s -o "$data/down.json" -w '%{http_code}' "$url/visits/health/ready")
other=$(curl -s -o /dev/null -w '%{http_code}' "$url/scheduling/health/ready")
back=""
for _ in $(seq 1 480); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/visits/health/ready")" = 200 ]; then back=yes; break; fi
  sleep 0.5
done
if [ "$down" != 503 ] || ! grep -q GATEWAY.SERVICE_UNAVAILABLE "$data/down.json" || [ "$other" != 200 ] || [ -z "$back" ] \
  || ! grep -q "^\[carebridge\] visits exited (SIGKILL)" "$log"; then
  echo "[tour] supervision: visits SIGKILLed -> gateway $down (want 503), scheduling $other (want 200), visits back: ${back:-no}"
  tail -60 "$log"
  exit 1
fi
echo "[tour] visits SIGKILLed: the gateway answered 503, scheduling stayed ready, visits was restarted and ready again"
