#!/usr/bin/env bash
# A container engine for the containers test provider.
#
#   eval "$(bash deploy/containers/engine.sh up)"   use the engine that answers, else start one; prints exports
#   bash deploy/containers/engine.sh down           stop the engine that `up` started (nothing else)
#   bash deploy/containers/engine.sh status         one line
#
# `up` first asks the engine of DOCKER_HOST (or the default socket): Docker Desktop, Colima, Podman
# or a system dockerd is used as it is, and `down` leaves it alone. Where none answers, on Linux as
# root (this project's machines and CI), it installs Debian's docker.io when dockerd is missing and
# starts dockerd on a socket of its own (so other users of the machine do not see it) with:
#   --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false: no firewall rule, no NAT,
#       no forwarding sysctl is touched (containers reach no network; they need none);
#   --ip=127.0.0.1: published ports listen on loopback only;
#   the default bridge kept: with --bridge=none ports are never published.
# `down` removes the containers left on that engine, stops it and deletes the docker0 bridge if it
# created it, so the machine's networking is as before. Images stay in /var/lib/docker (the cache).
#
# Exports printed by `up`: DOCKER_HOST when the engine is ours; CAREBRIDGE_ENGINE_STARTED=1 when this
# call started it (so the caller knows to run `down`); TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
# when this process runs inside a container (/.dockerenv) with an engine of its own, where
# testcontainers would otherwise guess the bridge gateway as the host.
set -Eeuo pipefail
RUN_DIR="${CAREBRIDGE_ENGINE_DIR:-/run/carebridge-docker}"
SOCK="$RUN_DIR/docker.sock"
PIDFILE="$RUN_DIR/dockerd.pid"
LOG="${CAREBRIDGE_ENGINE_LOG:-/tmp/carebridge-dockerd.log}"
START_TIMEOUT="${CAREBRIDGE_ENGINE_START_TIMEOUT:-120}"

log() { echo "[engine] $*" >&2; }
die() { echo "[engine] ERROR: $*" >&2; exit 1; }

answers() { timeout 20 docker "$@" info --format '{{.ServerVersion}}' 2>/dev/null; }
our_pid() {
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] && echo "$pid"
}
print_env() { # our engine
  echo "export DOCKER_HOST=unix://$SOCK"
  if [[ -f /.dockerenv ]]; then echo "export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"; fi
}

install_engine() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 \
    || die "no container engine answers and dockerd is not installed: install Docker (Desktop), Podman or Colima"
  log "installing Debian's docker.io (apt-get; first run only)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >"$RUN_DIR/apt.log" 2>&1 \
    || { tail -n 20 "$RUN_DIR/apt.log" >&2; die "apt-get install docker.io failed"; }
}

up() {
  local v
  if [[ -z "$(our_pid || true)" ]] && v="$(answers)"; then
    log "container engine answers (${DOCKER_HOST:-default socket}, server $v): using it"
    return 0
  fi
  if [[ -n "$(our_pid || true)" ]] && v="$(answers -H "unix://$SOCK")"; then
    log "container engine already started by engine.sh (server $v, $SOCK)"
    print_env; return 0
  fi
  [[ "$(uname -s)" == Linux ]] || die "no container engine answers: start Docker Desktop (or Podman/Colima) and try again"
  [[ "$(id -u)" == 0 ]] || die "no container engine answers: start Docker (or run as root to let engine.sh start dockerd)"
  mkdir -p "$RUN_DIR"
  install_engine
  if ip link show docker0 >/dev/null 2>&1; then rm -f "$RUN_DIR/created-docker0"; else touch "$RUN_DIR/created-docker0"; fi
  log "starting dockerd on $SOCK (no iptables, no NAT, ports on 127.0.0.1; log: $LOG)"
  # setsid: the engine outlives this script; 9>&-: no lock descriptor of a caller leaks into it.
  setsid dockerd --host "unix://$SOCK" --pidfile "$PIDFILE" --exec-root "$RUN_DIR/exec" \
    --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false --ip=127.0.0.1 \
    >"$LOG" 2>&1 </dev/null 9>&- &
  local i
  for (( i = 1; i <= START_TIMEOUT; i++ )); do
    if v="$(answers -H "unix://$SOCK")"; then
      log "dockerd $v ready after ${i}s"
      print_env; echo "export CAREBRIDGE_ENGINE_STARTED=1"; return 0
    fi
    sleep 1
    (( i % 10 == 0 )) && log "waiting for dockerd ... ${i}s"
  done
  tail -n 30 "$LOG" >&2 || true
  die "dockerd did not answer within ${START_TIMEOUT}s (log: $LOG)"
}

down() {
  local pid
  if ! pid="$(our_pid)"; then log "no engine started by engine.sh is running"; cleanup_bridge; return 0; fi
  local ids; ids="$(docker -H "unix://$SOCK" ps -aq 2>/dev/null || true)"
  if [[ -n "$ids" ]]; then
    log "removing $(wc -w <<<"$ids") container(s) left on the engine"
    # shellcheck disable=SC2086
    docker -H "unix://$SOCK" rm -f -v $ids >/dev/null 2>&1 || true
  fi
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for (( i = 1; i <= 60; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
    (( i % 10 == 0 )) && log "waiting for dockerd to stop ... ${i}s"
  done
  if kill -0 "$pid" 2>/dev/null; then log "dockerd still running after 60 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
  # containerd-shim processes of a killed engine would hold the bridge; dockerd stops them on SIGTERM.
  cleanup_bridge
  rm -f "$SOCK" "$PIDFILE"
  log "engine stopped"
}

cleanup_bridge() {
  if [[ -f "$RUN_DIR/created-docker0" ]] && ip link show docker0 >/dev/null 2>&1; then
    ip link delete docker0 && log "deleted the docker0 bridge it had created"
  fi
  rm -f "$RUN_DIR/created-docker0"
}

status() {
  local v pid
  if pid="$(our_pid)" && v="$(answers -H "unix://$SOCK")"; then log "engine  up    dockerd $v started by engine.sh (pid $pid, unix://$SOCK)"
  elif v="$(answers)"; then log "engine  up    ${DOCKER_HOST:-default socket}, server $v (not started by engine.sh)"
  else log "engine  down"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: bash deploy/containers/engine.sh up|down|status" >&2; exit 2 ;;
esac
