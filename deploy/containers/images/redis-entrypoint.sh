#!/bin/sh
# Entrypoint of the locally built redis:7 image (deploy/containers/images.sh), as the official
# image's: arguments that start with '-' or a *.conf file go to redis-server, which runs as the
# redis user in /data, and protected mode is off (the official build turns it off; the published
# port is reached from the bridge, not from loopback).
set -eu
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then conf="$1"; shift; set -- redis-server "$conf" --protected-mode no "$@"
  else set -- redis-server --protected-mode no "$@"; fi
  if [ "$(id -u)" = 0 ]; then chown redis:redis /data; exec setpriv --reuid=redis --regid=redis --init-groups "$@"; fi
fi
exec "$@"
