#!/usr/bin/env bash
# Local infrastructure without Docker: Apache Kafka (KRaft, from Maven Central), PostgreSQL, Redis.
#
#   bash deploy/local/infra.sh up            start what is not running (idempotent)
#   bash deploy/local/infra.sh down [--all]  stop the Kafka broker started here (--all: also PostgreSQL, Redis)
#   bash deploy/local/infra.sh status        one line per component
#   bash deploy/local/infra.sh reset         stop Kafka and delete its storage (deploy/local/.data/kafka)
#   bash deploy/local/infra.sh jars          fetch the broker's jars if needed; prints their folder
#
# Environment: KAFKA_BROKERS, DATABASE_URL, REDIS_URL (defaults in env.sh), KAFKA_VERSION (default 4.1.1),
# KAFKA_CONTROLLER_PORT (9093), KAFKA_START_TIMEOUT (90 s), KAFKA_HEAP (512m).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$HERE/env.sh"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
LOG4J_VERSION="2.24.3"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"

CACHE_DIR="$HERE/.cache"
LIBS_DIR="$CACHE_DIR/kafka-libs"
LIBS_MARKER="$LIBS_DIR/.resolved"
DATA_ROOT="$HERE/.data"
KAFKA_DATA="$DATA_ROOT/kafka"
KAFKA_PIDFILE="$KAFKA_DATA/kafka.pid"
KAFKA_PROPS="$KAFKA_DATA/server.properties"
KAFKA_OUT="$KAFKA_DATA/kafka.out"
KAFKA_BROKER_LOG="$KAFKA_DATA/broker.log"
REDIS_DATA="$DATA_ROOT/redis"
WAIT_JS="$HERE/kafka-wait.cjs"

log() { echo "[infra] $*"; }
die() { echo "[infra] ERROR: $*" >&2; exit 1; }
trap 'rc=$?; echo "[infra] ERROR: unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND" >&2; exit $rc' ERR

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

need_node() {
  command -v node >/dev/null 2>&1 || die "node is not installed (needed for the Kafka readiness check and URL parsing)"
}

# parse_url URL -> sets URL_HOST URL_PORT (default by scheme) URL_USER URL_PASS URL_PATH.
parse_url() {
  need_node
  local s
  s="$(node -e '
    let u;
    try { u = new URL(process.argv[1]); } catch (e) { console.error(e.message); process.exit(1); }
    const dflt = { "postgres:": "5432", "postgresql:": "5432", "redis:": "6379", "rediss:": "6379" }[u.protocol] || "";
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const path = decodeURIComponent(u.pathname.replace(/^\//, ""));
    process.stdout.write([host, u.port || dflt, decodeURIComponent(u.username), decodeURIComponent(u.password), path].join("\x1f"));
  ' "$1" 2>&1)" || die "cannot parse URL '$(redact "$1")': $s"
  IFS=$'\x1f' read -r URL_HOST URL_PORT URL_USER URL_PASS URL_PATH <<<"$s"
}

redact() { sed -E 's#//([^:/@]*):[^@/]*@#//\1:***@#' <<<"$1"; }

is_local_host() {
  case "$1" in
    127.*|localhost|::1|0.0.0.0) return 0 ;;
    *) return 1 ;;
  esac
}

port_open() { # host port
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Runs a long command, printing a line every 10 s so nothing hangs silently. Output goes to $logfile.
run_with_progress() { # label logfile timeout_s cmd...
  local label="$1" logfile="$2" limit="$3"; shift 3
  local start; start=$(date +%s)
  "$@" >"$logfile" 2>&1 </dev/null &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    local el=$(( $(date +%s) - start ))
    if (( el >= limit )); then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      tail -n 30 "$logfile" >&2 || true
      die "$label did not finish within ${limit}s (log: $logfile)"
    fi
    if (( el > 0 && el % 10 == 0 )); then log "$label ... ${el}s"; fi
  done
  local rc=0
  wait "$pid" || rc=$?
  return "$rc"
}

# Serializes up/down/reset between concurrent callers. fd 9 must not leak into daemons (9>&- on each).
with_lock() {
  mkdir -p "$DATA_ROOT"
  exec 9>"$DATA_ROOT/infra.lock"
  flock -n 9 && return 0
  local waited=0
  while ! flock -w 10 9; do
    waited=$(( waited + 10 ))
    (( waited >= 300 )) && die "another infra.sh still holds $DATA_ROOT/infra.lock after 300 s"
    log "waiting for another infra.sh to finish ... ${waited}s"
  done
}

# ---------------------------------------------------------------- Kafka

kafka_addr() { # first broker of KAFKA_BROKERS -> KAFKA_HOST KAFKA_PORT
  local first="${KAFKA_BROKERS%%,*}"
  first="${first#*://}"
  KAFKA_HOST="${first%:*}"; KAFKA_PORT="${first##*:}"
  [[ "$first" == *:* && "$KAFKA_PORT" =~ ^[0-9]+$ && -n "$KAFKA_HOST" ]] \
    || die "KAFKA_BROKERS='$KAFKA_BROKERS' is not host:port[,host:port]"
}

kafka_answers() { # quiet single probe; prints cluster info on success
  need_node
  node "$WAIT_JS" --brokers "$KAFKA_BROKERS" --once --timeout 3 2>/dev/null
}

# The pid of the broker this script started: from the pid file, checked against the command line.
our_kafka_pid() {
  local pid="" f c
  if [[ -f "$KAFKA_PIDFILE" ]]; then
    pid="$(cat "$KAFKA_PIDFILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]]; then
      c="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)"
      if [[ "$c" == *"kafka.Kafka $KAFKA_PROPS"* ]]; then echo "$pid"; return 0; fi
    fi
  fi
  # Pid file lost or stale: look for a java process started with exactly our properties file.
  for f in /proc/[0-9]*/cmdline; do
    c="$(tr '\0' ' ' 2>/dev/null <"$f" || true)"
    if [[ "${c%% *}" == *java && "$c" == *"kafka.Kafka $KAFKA_PROPS"* ]]; then
      pid="${f#/proc/}"; pid="${pid%/cmdline}"
      mkdir -p "$KAFKA_DATA"; echo "$pid" >"$KAFKA_PIDFILE"
      echo "$pid"; return 0
    fi
  done
  return 1
}

java_check() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=("java (Java 17+)")
  if [[ "${1:-}" == with-mvn ]]; then command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven)"); fi
  if (( ${#missing[@]} )); then
    local m; m="$(printf '%s, ' "${missing[@]}")"
    die "missing: ${m%, }. Install with: apt-get install openjdk-17-jre-headless maven"
  fi
  local v major
  v="$(java -version 2>&1 | head -n1 | sed -E 's/.*version "([^"]+)".*/\1/')"
  major="${v%%.*}"; [[ "$major" == 1 ]] && major="$(echo "$v" | cut -d. -f2)"
  [[ "$major" =~ ^[0-9]+$ ]] || die "cannot read the Java version from: $(java -version 2>&1 | head -n1)"
  (( major >= 17 )) || die "Kafka 4.x needs Java 17+, found $v. Install with: apt-get install openjdk-17-jre-headless"
}

libs_wanted() { echo "kafka_2.13=$KAFKA_VERSION log4j=$LOG4J_VERSION pom=$(sha256sum "$HERE/kafka/pom.xml" | cut -c1-16)"; }
libs_cached() { [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$(libs_wanted)" ]]; }

kafka_libs() {
  local pom="$HERE/kafka/pom.xml" want
  want="$(libs_wanted)"
  if libs_cached; then
    log "kafka $KAFKA_VERSION jars cached in ${LIBS_DIR#"$HERE/"}"
    return 0
  fi
  java_check with-mvn
  local tmp="$CACHE_DIR/kafka-libs.tmp.$$" t0; t0=$(now)
  mkdir -p "$CACHE_DIR"; rm -rf "$tmp"
  log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION + log4j $LOG4J_VERSION from Maven Central (first run only)"
  if ! run_with_progress "maven download" "$CACHE_DIR/mvn.log" 900 \
      mvn -q -B -f "$pom" dependency:copy-dependencies \
        -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" -Dkafka.libs.dir="$tmp"; then
    tail -n 40 "$CACHE_DIR/mvn.log" >&2 || true
    rm -rf "$tmp"
    die "mvn could not resolve kafka_2.13:$KAFKA_VERSION (log: $CACHE_DIR/mvn.log)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "mvn finished but $tmp/kafka_2.13-$KAFKA_VERSION.jar is missing"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  echo "$want" >"$LIBS_MARKER"
  log "kafka $KAFKA_VERSION: $(ls "$LIBS_DIR"/*.jar | wc -l) jars in ${LIBS_DIR#"$HERE/"} ($(since "$t0"))"
}

kafka_java() { # runs java with the Kafka classpath and our logging
  java -Xmx"$KAFKA_HEAP" -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.xml" -Dkafka.logs.dir="$KAFKA_DATA" \
    -cp "$LIBS_DIR/*" "$@"
}

kafka_render_props() { # host port
  mkdir -p "$KAFKA_DATA/logs"
  sed -e "s|@DATA_DIR@|$KAFKA_DATA|g" -e "s|@BROKER_HOST@|$1|g" \
      -e "s|@BROKER_PORT@|$2|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      "$HERE/kafka/server.properties.template" >"$KAFKA_PROPS.tmp"
  mv "$KAFKA_PROPS.tmp" "$KAFKA_PROPS"
}

kafka_format() {
  if [[ -f "$KAFKA_DATA/logs/meta.properties" ]]; then
    log "kafka storage already formatted ($(grep '^cluster.id=' "$KAFKA_DATA/logs/meta.properties" || true))"
    return 0
  fi
  local id
  id="$(kafka_java kafka.tools.StorageTool random-uuid </dev/null 2>>"$KAFKA_OUT" | tail -n1)" \
    || die "kafka.tools.StorageTool random-uuid failed (see $KAFKA_OUT)"
  [[ -n "$id" ]] || die "kafka.tools.StorageTool random-uuid printed nothing (see $KAFKA_OUT)"
  log "formatting kafka storage in ${KAFKA_DATA#"$HERE/"}/logs (cluster id $id)"
  if ! kafka_java kafka.tools.StorageTool format --ignore-formatted -t "$id" -c "$KAFKA_PROPS" </dev/null >>"$KAFKA_OUT" 2>&1; then
    tail -n 20 "$KAFKA_OUT" >&2 || true
    die "kafka storage format failed (see $KAFKA_OUT)"
  fi
}

kafka_stop_pid() { # pid
  local pid="$1" i
  log "stopping kafka (pid $pid, SIGTERM, controlled shutdown)"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 1; i <= 30; i++ )); do
    kill -0 "$pid" 2>/dev/null || { log "kafka stopped after $(( i - 1 ))s"; rm -f "$KAFKA_PIDFILE"; return 0; }
    sleep 1
    (( i % 5 == 0 )) && log "waiting for kafka to shut down ... ${i}s"
  done
  log "kafka did not stop within 30 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 10; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then die "kafka (pid $pid) survived SIGKILL"; fi
  log "kafka killed (storage recovers on the next start)"
  rm -f "$KAFKA_PIDFILE"
}

kafka_up() {
  local host port pid t0; t0=$(now)
  kafka_addr; host="$KAFKA_HOST"; port="$KAFKA_PORT"
  need_node

  if pid="$(our_kafka_pid)"; then
    local running; running="$(sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$KAFKA_PROPS" 2>/dev/null || true)"
    if [[ -n "$running" && "$running" != "$host:$port" ]]; then
      die "the broker started by infra.sh (pid $pid) listens on $running, not on $host:$port (KAFKA_BROKERS); run 'npm run infra:down' first or fix KAFKA_BROKERS"
    fi
    if kafka_answers >/dev/null; then
      log "kafka ready on $host:$port (already running, pid $pid)"
      return 0
    fi
    log "kafka process $pid is running but not answering yet; waiting"
    if node "$WAIT_JS" --brokers "$KAFKA_BROKERS" --timeout "$KAFKA_START_TIMEOUT" --pid "$pid" --log "$KAFKA_BROKER_LOG"; then
      log "kafka ready on $host:$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null && kafka_stop_pid "$pid"
    die "kafka (pid $pid) did not become ready; it was stopped. Logs: $KAFKA_BROKER_LOG, $KAFKA_OUT"
  fi
  rm -f "$KAFKA_PIDFILE"

  if port_open "$host" "$port"; then
    if kafka_answers >/dev/null; then
      log "kafka ready on $host:$port (reusing a broker not started by infra.sh)"
      return 0
    fi
    die "port $host:$port is in use by something that does not answer as a Kafka broker; free it or set KAFKA_BROKERS"
  fi
  is_local_host "$host" || die "KAFKA_BROKERS=$KAFKA_BROKERS does not answer and is not on this machine; infra.sh only starts a local broker"
  if port_open "$host" "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $host:$KAFKA_CONTROLLER_PORT is already in use; free it or set KAFKA_CONTROLLER_PORT"
  fi

  if libs_cached; then java_check; else java_check with-mvn; fi
  kafka_libs
  kafka_render_props "$host" "$port"
  kafka_format

  log "starting kafka $KAFKA_VERSION on $host:$port (controller $KAFKA_CONTROLLER_PORT, heap $KAFKA_HEAP)"
  echo "---- $(date -Is) start kafka $KAFKA_VERSION" >>"$KAFKA_OUT"
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KAFKA_PIDFILE" \
    java -Xmx"$KAFKA_HEAP" -Xms"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$HERE/kafka/log4j2.xml" -Dkafka.logs.dir="$KAFKA_DATA" \
      -cp "$LIBS_DIR/*" kafka.Kafka "$KAFKA_PROPS" \
    >>"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
  local i
  for (( i = 0; i < 50; i++ )); do [[ -s "$KAFKA_PIDFILE" ]] && break; sleep 0.1; done
  pid="$(cat "$KAFKA_PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || die "kafka did not start (no pid file); see $KAFKA_OUT"
  log "kafka pid $pid; waiting up to ${KAFKA_START_TIMEOUT}s for it to answer (logs: ${KAFKA_DATA#"$HERE/"}/)"

  local rc=0
  node "$WAIT_JS" --brokers "$KAFKA_BROKERS" --timeout "$KAFKA_START_TIMEOUT" --pid "$pid" --log "$KAFKA_BROKER_LOG" || rc=$?
  if (( rc != 0 )); then
    echo "---- last lines of $KAFKA_OUT:" >&2; tail -n 20 "$KAFKA_OUT" >&2 || true
    echo "---- last lines of $KAFKA_BROKER_LOG:" >&2; tail -n 20 "$KAFKA_BROKER_LOG" >&2 2>/dev/null || true
    if kill -0 "$pid" 2>/dev/null; then kafka_stop_pid "$pid"; fi
    rm -f "$KAFKA_PIDFILE"
    die "kafka did not become ready on $host:$port"
  fi
  log "kafka ready on $host:$port (pid $pid, $(since "$t0"))"
}

kafka_down() {
  local host port pid
  kafka_addr; host="$KAFKA_HOST"; port="$KAFKA_PORT"
  if pid="$(our_kafka_pid)"; then
    kafka_stop_pid "$pid"
  else
    rm -f "$KAFKA_PIDFILE"
    if port_open "$host" "$port"; then
      log "kafka on $host:$port was not started by infra.sh; left running"
    else
      log "kafka is not running"
    fi
  fi
}

kafka_status() {
  local host port pid info running
  kafka_addr; host="$KAFKA_HOST"; port="$KAFKA_PORT"
  if pid="$(our_kafka_pid)"; then
    running="$(sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$KAFKA_PROPS" 2>/dev/null || true)"
    running="${running:-$host:$port}"
    local note=""; [[ "$running" != "$host:$port" ]] && note="  (KAFKA_BROKERS=$KAFKA_BROKERS differs)"
    if info="$(KAFKA_BROKERS="$running" kafka_answers)"; then
      log "kafka     up    $running  pid $pid  version $(kafka_running_version)  $info$note"
    else
      log "kafka     down  $running  pid $pid is running but not answering (starting or stuck; see $KAFKA_BROKER_LOG)$note"
    fi
  elif info="$(kafka_answers)"; then
    log "kafka     up    $host:$port  (not started by infra.sh)  $info"
  else
    log "kafka     down  $host:$port"
  fi
}

kafka_running_version() { # the version of the cached jars the broker runs from
  local v=""; [[ -f "$LIBS_MARKER" ]] && v="$(sed -E 's/^kafka_2\.13=([^ ]+).*/\1/' "$LIBS_MARKER")"
  echo "${v:-?}"
}

# ---------------------------------------------------------------- PostgreSQL

pg_env() { # sets PGHOST PGPORT PGUSER PGPASSWORD, PG_DB from DATABASE_URL
  parse_url "$DATABASE_URL"
  export PGHOST="${URL_HOST:-127.0.0.1}" PGPORT="${URL_PORT:-5432}" PGUSER="${URL_USER:-postgres}" PGCONNECT_TIMEOUT=5
  if [[ -n "$URL_PASS" ]]; then export PGPASSWORD="$URL_PASS"; fi
  PG_DB="${URL_PATH:-carebridge}"
}

pg_tools_check() {
  local missing=() t
  for t in pg_isready psql; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  (( ${#missing[@]} == 0 )) || die "missing PostgreSQL tools: ${missing[*]}. Install with: apt-get install postgresql"
}

pg_ready() { pg_isready -h "$PGHOST" -p "$PGPORT" -t 3 >/dev/null 2>&1; }

pg_cluster_for_port() { # prints "version name status" of the local cluster on PGPORT
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  pg_lsclusters -h 2>/dev/null | awk -v p="$PGPORT" '$3 == p { print $1, $2, $4; exit }'
}

pg_up() {
  pg_env; pg_tools_check
  if pg_ready; then
    log "postgres up on $PGHOST:$PGPORT"
  else
    is_local_host "$PGHOST" || die "PostgreSQL at $PGHOST:$PGPORT (DATABASE_URL) does not answer and is not on this machine"
    command -v pg_ctlcluster >/dev/null 2>&1 || die "PostgreSQL server is not installed (no pg_ctlcluster). Install with: apt-get install postgresql"
    local c; c="$(pg_cluster_for_port || true)"
    [[ -n "$c" ]] || die "no PostgreSQL cluster on port $PGPORT (pg_lsclusters: $(pg_lsclusters -h 2>/dev/null | awk '{printf "%s%s/%s:%s", NR > 1 ? " " : "", $1, $2, $3}')). Install with: apt-get install postgresql (or pg_createcluster <version> main --start)"
    local ver name; read -r ver name _ <<<"$c"
    log "starting PostgreSQL cluster $ver/$name on port $PGPORT"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start </dev/null 9>&- \
      || die "pg_ctlcluster $ver $name start failed (log: /var/log/postgresql/postgresql-$ver-$name.log)"
    local i
    for (( i = 1; i <= 30; i++ )); do pg_ready && break; sleep 1; (( i % 5 == 0 )) && log "waiting for postgres ... ${i}s"; done
    pg_ready || die "PostgreSQL $ver/$name did not accept connections on $PGHOST:$PGPORT within 30 s"
    log "postgres up on $PGHOST:$PGPORT (cluster $ver/$name)"
  fi
  local out
  if ! out="$(PGDATABASE=postgres psql -X -v ON_ERROR_STOP=1 -tAc 'SELECT 1' </dev/null 2>&1)"; then
    die "cannot connect to PostgreSQL at $PGHOST:$PGPORT as '$PGUSER': $out
[infra] this setup expects trust auth for local TCP (pg_hba.conf: 'host all all 127.0.0.1/32 trust'), or a password in DATABASE_URL"
  fi
  local db dbs=("$PG_DB")
  for db in carebridge carebridge_test; do [[ " ${dbs[*]} " == *" $db "* ]] || dbs+=("$db"); done
  for db in "${dbs[@]}"; do
    if [[ "$(PGDATABASE=postgres psql -X -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'" </dev/null)" == 1 ]]; then
      log "postgres database $db exists"
    else
      PGDATABASE=postgres psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"${db//\"/\"\"}\"" </dev/null >/dev/null \
        || die "could not create database $db"
      log "postgres database $db created"
    fi
  done
}

pg_down() {
  pg_env
  if ! command -v pg_isready >/dev/null 2>&1 || ! pg_ready; then log "postgres on $PGHOST:$PGPORT is not running"; return 0; fi
  is_local_host "$PGHOST" || { log "postgres at $PGHOST:$PGPORT is not local; left alone"; return 0; }
  local c; c="$(pg_cluster_for_port || true)"
  [[ -n "$c" ]] || { log "postgres on port $PGPORT is not a pg_lsclusters cluster; left alone"; return 0; }
  local ver name; read -r ver name _ <<<"$c"
  log "stopping PostgreSQL cluster $ver/$name"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" stop </dev/null || die "pg_ctlcluster $ver $name stop failed"
}

pg_status() {
  pg_env
  if command -v pg_isready >/dev/null 2>&1 && pg_ready; then
    local c dbs; c="$(pg_cluster_for_port || true)"
    dbs="$(PGDATABASE=postgres psql -X -tAc "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname IN ('carebridge','carebridge_test','${PG_DB//\'/\'\'}')" </dev/null 2>/dev/null || echo '?')"
    [[ -n "$c" ]] && c="cluster $(awk '{print $1 "/" $2}' <<<"$c")  "
    log "postgres  up    $PGHOST:$PGPORT  ${c}databases: ${dbs:-none}"
  else
    log "postgres  down  $PGHOST:$PGPORT"
  fi
}

# ---------------------------------------------------------------- Redis

redis_env() {
  parse_url "$REDIS_URL"
  REDIS_HOST="${URL_HOST:-127.0.0.1}"; REDIS_PORT="${URL_PORT:-6379}"; REDIS_PASS="$URL_PASS"
}

redis_ping() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [[ "$(timeout 5 redis-cli --no-auth-warning -u "$REDIS_URL" ping 2>/dev/null)" == PONG ]]
}

redis_up() {
  redis_env
  if redis_ping; then log "redis up on $REDIS_HOST:$REDIS_PORT"; return 0; fi
  command -v redis-cli >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 \
    || die "Redis is not installed (redis-server/redis-cli missing). Install with: apt-get install redis-server"
  is_local_host "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT (REDIS_URL) does not answer and is not on this machine"
  if port_open "$REDIS_HOST" "$REDIS_PORT"; then
    die "port $REDIS_HOST:$REDIS_PORT is in use but does not answer PING with PONG (wrong password in REDIS_URL?)"
  fi
  mkdir -p "$REDIS_DATA"
  local bind="$REDIS_HOST"; [[ "$bind" == localhost || "$bind" == 0.0.0.0 ]] && bind=127.0.0.1
  local extra=(); [[ -n "$REDIS_PASS" ]] && extra=(--requirepass "$REDIS_PASS")
  log "starting redis-server on $bind:$REDIS_PORT (no persistence, log: ${REDIS_DATA#"$HERE/"}/redis.log)"
  redis-server --daemonize yes --bind "$bind" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$REDIS_DATA" --logfile "$REDIS_DATA/redis.log" --pidfile "$REDIS_DATA/redis.pid" "${extra[@]}" </dev/null 9>&- \
    || die "redis-server failed to start (log: $REDIS_DATA/redis.log)"
  local i
  for (( i = 0; i < 20; i++ )); do redis_ping && break; sleep 0.5; done
  redis_ping || die "redis-server did not answer PING within 10 s (log: $REDIS_DATA/redis.log)"
  log "redis up on $bind:$REDIS_PORT"
}

redis_down() {
  redis_env
  if ! redis_ping; then log "redis on $REDIS_HOST:$REDIS_PORT is not running"; return 0; fi
  is_local_host "$REDIS_HOST" || { log "redis at $REDIS_HOST:$REDIS_PORT is not local; left alone"; return 0; }
  log "stopping redis on $REDIS_HOST:$REDIS_PORT (SHUTDOWN NOSAVE)"
  timeout 10 redis-cli --no-auth-warning -u "$REDIS_URL" shutdown nosave >/dev/null 2>&1 || true
  local i; for (( i = 0; i < 20; i++ )); do redis_ping || return 0; sleep 0.5; done
  die "redis did not stop"
}

redis_status() {
  redis_env
  if redis_ping; then log "redis     up    $REDIS_HOST:$REDIS_PORT"; else log "redis     down  $REDIS_HOST:$REDIS_PORT"; fi
}

# ---------------------------------------------------------------- main

usage() { echo "usage: bash deploy/local/infra.sh up|down [--all]|status|reset|jars" >&2; exit 2; }

cmd="${1:-}"; shift || true
case "$cmd" in
  up)
    with_lock
    T0=$(now)
    log "KAFKA_BROKERS=$KAFKA_BROKERS DATABASE_URL=$(redact "$DATABASE_URL") REDIS_URL=$(redact "$REDIS_URL")"
    pg_up
    redis_up
    kafka_up
    log "all up ($(since "$T0"))"
    ;;
  down)
    all=false
    for a in "$@"; do case "$a" in --all) all=true ;; *) usage ;; esac; done
    with_lock
    kafka_down
    if $all; then
      redis_down
      pg_down
    else
      log "PostgreSQL and Redis left running (use 'down --all' to stop them too)"
    fi
    ;;
  status)
    kafka_status
    pg_status
    redis_status
    ;;
  jars)
    # The broker's jars (fetched from Maven Central once); the last line is their folder. Used by
    # deploy/containers/images.sh to build an apache/kafka image where no registry answers.
    with_lock
    kafka_libs
    echo "$LIBS_DIR"
    ;;
  reset)
    with_lock
    kafka_down
    log "deleting kafka storage ${KAFKA_DATA#"$HERE/"} (jars in ${CACHE_DIR#"$HERE/"} are kept)"
    rm -rf "$KAFKA_DATA"
    log "reset done; 'npm run infra:up' starts a fresh broker"
    ;;
  *) usage ;;
esac
