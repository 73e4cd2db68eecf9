#!/usr/bin/env bash
# The images the containers test provider runs: postgres:15, redis:7, apache/kafka:<KAFKA_VERSION>.
#
#   eval "$(bash deploy/containers/images.sh)"   make sure all three are in the engine (pull, else build)
#   bash deploy/containers/images.sh status   one line per image
#
# Where a registry answers (a laptop with Docker), the official images are pulled, as testcontainers
# would do itself. Where none does (this project's machines reach only Debian, Maven Central and npm),
# they are built here without a registry: one Debian bookworm root file system made by mmdebstrap
# from the machine's Debian mirror (PostgreSQL 15, Redis 7, OpenJDK 17), `docker import`ed as a base,
# then each image is that base plus an entrypoint that honours the official image's variables
# (images/*), committed under the official name and tag. Kafka's jars are the ones deploy/local
# fetches from Maven Central. A local build carries the label org.carebridge.recipe=<hash of this
# recipe>; a changed recipe rebuilds it, an official image is never replaced.
#
# Caches, outside the repo and kept between runs on one machine: the images in the engine, and the
# base root file system as a tarball under ${CAREBRIDGE_CACHE_DIR:-~/.cache/carebridge}/images.
#
# Prints `export TESTCONTAINERS_RYUK_DISABLED=true` when Ryuk's image cannot be had (see ryuk()).
# Environment: DOCKER_HOST (the engine), KAFKA_VERSION (4.1.1, as deploy/local), CAREBRIDGE_IMAGES
# (auto: pull, build when the pull fails; build: never pull; pull: never build), DEBIAN_MIRROR
# (default: the first Debian mirror in /etc/apt/sources.list*).
set -Eeuo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
MODE="${CAREBRIDGE_IMAGES:-auto}"
CACHE="${CAREBRIDGE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/carebridge}/images"
SUITE=bookworm
BASE_PACKAGES="postgresql-15,redis-server,openjdk-17-jre-headless"
IMAGES=(postgres:15 redis:7 "apache/kafka:$KAFKA_VERSION")

log() { echo "[images] $*" >&2; }
die() { echo "[images] ERROR: $*" >&2; exit 1; }
now() { date +%s; }

recipe_hash() { # everything a local build depends on
  { echo "$SUITE $BASE_PACKAGES $KAFKA_VERSION"; cat "$HERE/images.sh" "$HERE"/images/*; } | sha256sum | cut -c1-12
}
RECIPE="$(recipe_hash)"
# The base root file system: minbase plus the servers; no PostgreSQL cluster made at install (the
# entrypoint makes one), /data for Redis, no apt lists or docs.
BASE_OPTS=(--variant=minbase --include="$BASE_PACKAGES"
  --essential-hook='mkdir -p "$1/etc/postgresql-common" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.conf"'
  --customize-hook='mkdir -p "$1/data" "$1/docker-entrypoint-initdb.d" && chroot "$1" chown redis:redis /data'
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*'
  --dpkgopt='path-exclude=/usr/share/doc/*')
BASE_HASH="$(echo "$SUITE ${BASE_OPTS[*]}" | sha256sum | cut -c1-12)"
BASE_IMAGE="carebridge/test-base:$BASE_HASH"

image_label() { docker image inspect --format '{{ index .Config.Labels "org.carebridge.recipe" }}' "$1" 2>/dev/null; }
image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# An image is usable when it is the official one (no recipe label) or our build of this recipe.
image_current() {
  image_present "$1" || return 1
  local label; label="$(image_label "$1")"
  [[ -z "$label" || "$label" == "<no value>" || "$label" == "$RECIPE" ]]
}

debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local m
  m="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -Eo 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ')"
  echo "${m:-http://deb.debian.org/debian}"
}

need_builder() {
  if command -v mmdebstrap >/dev/null 2>&1; then return 0; fi
  [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1 \
    || die "building images needs mmdebstrap (Debian/Ubuntu: apt-get install mmdebstrap), or a registry to pull from"
  log "installing mmdebstrap (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
}

# Prints a line every 15 s while a long command runs, so a slow machine does not look hung.
with_progress() { # label logfile cmd...
  local label="$1" logfile="$2"; shift 2
  local t0; t0=$(now)
  "$@" >"$logfile" 2>&1 </dev/null &
  local pid=$! rc=0 next=15
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    local el=$(( $(now) - t0 ))
    if (( el >= next )); then log "$label ... ${el}s"; next=$(( next + 15 )); fi
  done
  wait "$pid" || rc=$?
  return "$rc"
}

build_base() {
  if image_present "$BASE_IMAGE"; then return 0; fi
  mkdir -p "$CACHE"
  local tar="$CACHE/base-$BASE_HASH.tar" t0; t0=$(now)
  if [[ ! -s "$tar" ]]; then
    need_builder
    local mirror; mirror="$(debian_mirror)"
    log "building the base root file system: Debian $SUITE minbase + $BASE_PACKAGES from $mirror (first run only, ~3 min)"
    rm -rf "$tar.tmp.tar"
    if ! with_progress "mmdebstrap" "$CACHE/mmdebstrap.log" mmdebstrap --quiet "${BASE_OPTS[@]}" "$SUITE" "$tar.tmp.tar" "$mirror"; then
      tail -n 30 "$CACHE/mmdebstrap.log" >&2
      die "mmdebstrap failed (log: $CACHE/mmdebstrap.log)"
    fi
    mv "$tar.tmp.tar" "$tar"
    log "base root file system: $(du -h "$tar" | cut -f1) in $(( $(now) - t0 )) s (cached in $tar)"
  fi
  log "importing $BASE_IMAGE"
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tar" "$BASE_IMAGE" >/dev/null
  # Older bases (another recipe) are left for `docker image prune`; they share nothing with this one.
}

# Commits BASE_IMAGE plus the files under a staging folder as <tag>, with Dockerfile-style changes.
commit_image() { # tag staging_dir change...
  local tag="$1" stage="$2"; shift 2
  local changes=(--change "LABEL org.carebridge.recipe=$RECIPE")
  local c; for c in "$@"; do changes+=(--change "$c"); done
  # The engine warns that containers have no forwarding: by design (engine.sh), they need none.
  local cid rc=0; cid="$(docker create "$BASE_IMAGE" /bin/true 2> >(grep -v 'IPv4 forwarding is disabled' >&2))"
  { docker cp "$stage/." "$cid:/" >/dev/null && docker commit "${changes[@]}" "$cid" "$tag" >/dev/null; } || rc=$?
  docker rm "$cid" >/dev/null
  return "$rc"
}

build_postgres() {
  local stage; stage="$(mktemp -d)"
  install -D -m 755 "$HERE/images/postgres-entrypoint.sh" "$stage/usr/local/bin/docker-entrypoint.sh"
  commit_image postgres:15 "$stage" \
    'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV PGDATA=/var/lib/postgresql/data' 'ENV LANG=C.UTF-8' 'EXPOSE 5432' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
  rm -rf "$stage"
}

build_redis() {
  local stage; stage="$(mktemp -d)"
  install -D -m 755 "$HERE/images/redis-entrypoint.sh" "$stage/usr/local/bin/docker-entrypoint.sh"
  commit_image redis:7 "$stage" 'WORKDIR /data' 'EXPOSE 6379' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
  rm -rf "$stage"
}

build_kafka() {
  local libs
  libs="$(KAFKA_VERSION="$KAFKA_VERSION" bash "$ROOT/deploy/local/infra.sh" jars | tail -n1)"
  [[ -f "$libs/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "no kafka_2.13-$KAFKA_VERSION.jar in $libs"
  local stage; stage="$(mktemp -d)"
  mkdir -p "$stage/opt/kafka/libs" "$stage/opt/kafka/config"
  cp "$libs"/*.jar "$stage/opt/kafka/libs/"
  install -D -m 755 "$HERE/images/kafka-run.sh" "$stage/etc/kafka/docker/run"
  install -m 644 "$HERE/images/kafka-default.properties" "$stage/opt/kafka/config/default.properties"
  install -m 644 "$HERE/images/kafka-log4j2.xml" "$stage/opt/kafka/config/log4j2.xml"
  commit_image "apache/kafka:$KAFKA_VERSION" "$stage" 'WORKDIR /opt/kafka' 'EXPOSE 9092' 'CMD ["/etc/kafka/docker/run"]'
  rm -rf "$stage"
}

try_pull() { # image; a registry that does not answer fails fast or within the limit
  [[ "$MODE" == build ]] && return 1
  log "pulling $1"
  timeout "${CAREBRIDGE_PULL_TIMEOUT:-120}" docker pull -q "$1" >/dev/null 2>&1
}

ensure() {
  docker info >/dev/null 2>&1 || die "no container engine answers (DOCKER_HOST=${DOCKER_HOST:-default}); run deploy/containers/engine.sh up"
  local t0 image; t0=$(now)
  for image in "${IMAGES[@]}"; do
    if image_current "$image"; then
      log "$image present$( [[ -n "$(image_label "$image" | grep -v '<no value>')" ]] && echo " (local build $RECIPE)")"
      continue
    fi
    if try_pull "$image"; then log "$image pulled"; continue; fi
    [[ "$MODE" == pull ]] && die "could not pull $image (CAREBRIDGE_IMAGES=pull)"
    log "no registry answered for $image: building it locally"
    build_base
    local t1; t1=$(now)
    case "$image" in
      postgres:*) build_postgres ;;
      redis:*) build_redis ;;
      apache/kafka:*) build_kafka ;;
    esac
    log "$image built ($(( $(now) - t1 )) s)"
  done
  ryuk
  log "images ready ($(( $(now) - t0 )) s)"
}

# Ryuk, testcontainers' reaper, comes only from its registry: where none answers, testcontainers
# must run without it (the jest global teardown then removes the run's containers by label).
ryuk() {
  local image
  image="$(cd "$ROOT" && node -e 'console.log(require("testcontainers/build/reaper/reaper").getReaperImage())' 2>/dev/null || echo testcontainers/ryuk:0.14.0)"
  if image_present "$image" || { [[ "$MODE" != build ]] && try_pull "$image"; }; then
    log "$image present: testcontainers removes the containers of a run that dies"
  else
    log "$image cannot be pulled: TESTCONTAINERS_RYUK_DISABLED=true (the global teardown removes the containers)"
    echo "export TESTCONTAINERS_RYUK_DISABLED=true"
  fi
}

status() {
  local image
  for image in "${IMAGES[@]}"; do
    if ! image_present "$image"; then log "$image  missing"
    elif image_current "$image"; then log "$image  ready$( [[ -n "$(image_label "$image" | grep -v '<no value>')" ]] && echo " (local build $RECIPE)")"
    else log "$image  stale local build (recipe $(image_label "$image"), now $RECIPE)"; fi
  done
}

case "${1:-ensure}" in
  ensure) ensure ;;
  status) status ;;
  *) echo "usage: bash deploy/containers/images.sh [ensure|status]" >&2; exit 2 ;;
esac
