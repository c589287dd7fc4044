#!/bin/sh
# Entrypoint of gameday.local/redis:7.0, behaving like the official redis image's.
set -eu

# `docker run IMAGE --port 7000` or `docker run IMAGE /etc/redis.conf`: options for redis-server.
if [ "$#" -gt 0 ] && { [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; }; then
  set -- redis-server "$@"
fi

# The official image builds redis-server with protected mode off by default; Debian's keeps
# upstream's "yes", which refuses every client from outside the container. Turn it off unless the
# command line or the given configuration file sets it.
protected_mode_configured() {
  shift # redis-server
  case "${1:-}" in
    *.conf) if [ -r "$1" ] && grep -qiE '^[[:space:]]*protected-mode[[:space:]]' "$1"; then return 0; fi ;;
  esac
  for arg in "$@"; do
    [ "$arg" = "--protected-mode" ] && return 0
  done
  return 1
}

if [ "${1:-}" = "redis-server" ]; then
  if ! protected_mode_configured "$@"; then
    set -- "$@" --protected-mode no
  fi
  if [ "$(id -u)" = "0" ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
  fi
  # Like the official image: files redis writes (RDB, AOF) are readable by the redis user only.
  if [ "$(umask)" = "0022" ]; then
    umask 0077
  fi
fi

exec "$@"
