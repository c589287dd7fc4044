#!/usr/bin/env bash
# Installs Docker Compose v2 as a Docker CLI plugin (~/.docker/cli-plugins/docker-compose), built from source.
#   - `docker compose version` already says the pinned version: print one line, change nothing.
#   - A binary built earlier is cached (~/.cache/gameday/compose/<version>/docker-compose): install it (a second).
#   - Otherwise build it with Go from the Go module proxy (about 2.5 minutes on 2 cores), cache it, install it.
# Why from source: Debian bookworm packages only the old Python docker-compose 1.29, and no container registry or
# download site is reachable from the build machines. `go install github.com/docker/compose/v2/cmd@<v>` refuses
# the module ("go.mod ... contains one or more exclude directives"), so a throwaway wrapper module requires it and
# builds its cmd package with GOFLAGS=-mod=mod.
# Safe to run again and again, and from several shells at once (a lock serialises the build).
# Environment: GAMEDAY_COMPOSE_VERSION (default v2.40.3), GAMEDAY_CACHE_DIR (default ~/.cache/gameday),
# DOCKER_CONFIG (default ~/.docker; the plugin goes to its cli-plugins/).
set -euo pipefail

VERSION=${GAMEDAY_COMPOSE_VERSION:-v2.40.3}
MODULE=github.com/docker/compose/v2
CACHE_DIR="${GAMEDAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gameday}/compose/$VERSION"
CACHED="$CACHE_DIR/docker-compose"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
PLUGIN="$PLUGIN_DIR/docker-compose"
LOG="$CACHE_DIR/build.log"

say() { printf 'gameday: %s\n' "$*"; }
die() { printf 'gameday: %s\n' "$*" >&2; exit 1; }

case "$VERSION" in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) die "GAMEDAY_COMPOSE_VERSION must look like v2.40.3, but was '$VERSION'" ;;
esac

# No tool may call home: Go's telemetry, and the Docker CLI's.
export GOTELEMETRY=off DO_NOT_TRACK=1

# The version `docker compose` reports (without the leading v), or nothing when the plugin is missing or broken.
installed_version() {
  command -v docker >/dev/null 2>&1 || return 0
  timeout 20 docker compose version --short 2>/dev/null | sed 's/^v//' || true
}

# The version a binary reports when run on its own (a CLI plugin also runs as a plain program).
binary_version() {
  timeout 20 "$1" version --short 2>/dev/null | sed 's/^v//' || true
}

command -v docker >/dev/null 2>&1 ||
  die "the docker command is missing, and Compose is one of its plugins; run scripts/ensure-docker.sh first (it installs Debian's docker.io as root)"

if [ "$(installed_version)" = "${VERSION#v}" ]; then
  say "Docker Compose $VERSION is installed ($PLUGIN or another plugin directory); nothing to do."
  exit 0
fi

mkdir -p "$CACHE_DIR" || die "cannot create the cache directory $CACHE_DIR; set GAMEDAY_CACHE_DIR to a writable directory"

# One build at a time per cache directory: other shells wait here, then find the cached binary.
exec 9>"$CACHE_DIR/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

if [ ! -x "$CACHED" ] || [ "$(binary_version "$CACHED")" != "${VERSION#v}" ]; then
  command -v go >/dev/null 2>&1 ||
    die "Go is needed to build Docker Compose $VERSION from source and is not on the PATH; install Go >= 1.24 (https://go.dev/dl/ or Debian's golang-go from bookworm-backports), then run this script again"
  say "building Docker Compose $VERSION from the Go module proxy (about 2.5 minutes on 2 cores; log: $LOG)"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gameday-compose-build.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  started=$(date +%s)
  if ! (
    cd "$WORK"
    export GOFLAGS="-mod=mod ${GOFLAGS:-}" CGO_ENABLED=0
    go mod init gameday.local/compose-build
    go get "$MODULE@$VERSION"
    go build -trimpath -o docker-compose \
      -ldflags "-s -w -X $MODULE/internal.Version=$VERSION" "$MODULE/cmd"
  ) >"$LOG" 2>&1; then
    printf 'gameday: last lines of %s:\n' "$LOG" >&2
    tail -n 20 "$LOG" | sed 's/^/    /' >&2
    die "building Docker Compose $VERSION failed (see above). Check that the Go module proxy ($(go env GOPROXY)) is reachable and that Go is recent enough ($(go env GOVERSION) here; $VERSION needs >= 1.24)"
  fi
  [ "$(binary_version "$WORK/docker-compose")" = "${VERSION#v}" ] ||
    die "the freshly built docker-compose reports version '$(binary_version "$WORK/docker-compose")', expected ${VERSION#v}; see $LOG"
  mv -f "$WORK/docker-compose" "$CACHED.tmp" && mv -f "$CACHED.tmp" "$CACHED"
  say "built Docker Compose $VERSION in $(($(date +%s) - started)) s; cached as $CACHED"
fi

mkdir -p "$PLUGIN_DIR" || die "cannot create $PLUGIN_DIR; set DOCKER_CONFIG to a writable Docker configuration directory"
# Copy then rename: a docker CLI running meanwhile never sees half a binary.
cp "$CACHED" "$PLUGIN.gameday-tmp.$$" && chmod 755 "$PLUGIN.gameday-tmp.$$" && mv -f "$PLUGIN.gameday-tmp.$$" "$PLUGIN" ||
  die "cannot install $PLUGIN; check the permissions of $PLUGIN_DIR"

found=$(installed_version)
[ "$found" = "${VERSION#v}" ] ||
  die "installed $PLUGIN, but 'docker compose version' reports '${found:-nothing}', expected ${VERSION#v}. Another plugin directory may take precedence (see 'docker info' under Plugins), or the docker CLI is too old for CLI plugins"
say "Docker Compose $VERSION installed as $PLUGIN ('docker compose' works)."
