#!/usr/bin/env bash
# Builds every container image Gameday needs on a machine that cannot pull from any registry.
# Run `bash scripts/build-images.sh --help` for the details.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES_DIR="$ROOT/environments/local-images/docker"
DEMO_DIR="$ROOT/environments/demo-trading-system"
LOCAL=gameday.local
HASH_LABEL=dev.gameday.image.hash
# Part of every image's hash: bump it to make every image rebuild after a change to this script's recipes.
RECIPE_REVISION=1
CACHE_DIR="${GAMEDAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gameday}"
LOG_DIR="$CACHE_DIR/logs"

# Images in dependency order. Keys name the directories under environments/local-images/docker/.
KEYS="debian redis postgres toxiproxy reaper alpine jre wiremock demo"

say() { printf 'gameday: %s\n' "$*"; }
warn() { printf 'gameday: %s\n' "$*" >&2; }
die() { printf 'gameday: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: bash scripts/build-images.sh [options]

Builds, without any container registry, every image Gameday's environments and tests use, and tags
each under the local prefix gameday.local/. Testcontainers code keeps naming the official images
(redis:7.0, postgres:15, ...): dev.gameday.environments.images.LocalImageSubstitutor, wired through
testcontainers.properties, swaps in the gameday.local/ image whenever it exists in the engine.

Images, in build order (key: image, built from):
  debian     gameday.local/debian:bookworm                Debian 12 minbase by debootstrap (root on
                                                          Linux; the root filesystem is cached under
                                                          ~/.cache/gameday), else debian:bookworm-slim
  redis      gameday.local/redis:7.0                      for redis:7.0: Debian's redis-server 7.0
  postgres   gameday.local/postgres:15                    for postgres:15: Debian's postgresql-15,
                                                          entrypoint compatible with the official one
  toxiproxy  gameday.local/shopify/toxiproxy:<v>          for ghcr.io/shopify/toxiproxy:<v>: compiled
                                                          with Go from github.com/Shopify/toxiproxy/v2
  reaper     gameday.local/testcontainers/ryuk:<v>        for testcontainers/ryuk:<v>: Gameday's own
                                                          reaper, environments/local-images/docker/reaper (Go)
  alpine     gameday.local/alpine:3.17                    for alpine:3.17, the helper image Testcontainers
                                                          runs for its bind-mount check (a Debian image
                                                          with sh, awk and ip)
  jre        gameday.local/jre:17                         Debian's OpenJDK 17 runtime
  wiremock   gameday.local/wiremock/wiremock:<v>          for wiremock/wiremock:<v>: the standalone jar
                                                          fetched through Maven
  demo       gameday/demo-trading-system:<project version> from environments/demo-trading-system
                                                          (mvn package, then its Dockerfile)
Versions come from the root pom.xml (toxiproxy.server.version, wiremock.version, the project
version); the Ryuk tag is the one the pom's Testcontainers version starts.

Every image carries the label dev.gameday.image.hash: a SHA-256 of its recipe (its directory under
environments/local-images/docker/, pinned versions, the Go version for Go-built images, the image it is built
from). An image whose label matches is not rebuilt, so a run with nothing changed takes seconds.

Options:
  --only NAME[,NAME...]  build only these images (keys above), plus whatever they are built from
  --skip-demo            do not build the demo trading system image
  --rebuild              rebuild the selected images even when up to date (docker build --no-cache)
  --refresh-base         run debootstrap again instead of using the cached root filesystem
                         (rebuilds debian and, through it, every image built from it)
  --dry-run              only report which images are up to date and which would be built
  --verbose              stream build output (it always goes to ~/.cache/gameday/logs/NAME.log)
  -h, --help             this help

Needs: a Docker engine (bash scripts/ensure-docker.sh), Maven (wiremock, demo), Go >= 1.23 (toxiproxy,
reaper; without Go those two are skipped and Testcontainers pulls the official images, which needs
registry access). Debootstrap needs root on Linux; it is installed with apt-get when missing.

Environment:
  GAMEDAY_DEBIAN_MIRROR  Debian mirror for debootstrap and the images' apt sources (default: the
                         host's own Debian mirror from its apt sources, else http://deb.debian.org/debian)
  GAMEDAY_CACHE_DIR      cache directory (default: ~/.cache/gameday)

Exit status: 0 when every selected image is built, up to date or deliberately skipped; 1 otherwise.
EOF
}

# ---------------------------------------------------------------------------------------------
# Options

ONLY=""
SKIP_DEMO=false
REBUILD=false
REFRESH_BASE=false
DRY_RUN=false
VERBOSE=false

while [ "$#" -gt 0 ]; do
  case "$1" in
    --only) [ "$#" -ge 2 ] || die "--only needs a list of names, e.g. --only redis,postgres"; ONLY="$ONLY ${2//,/ }"; shift ;;
    --only=*) ONLY="$ONLY ${1#--only=}"; ONLY=${ONLY//,/ } ;;
    --skip-demo) SKIP_DEMO=true ;;
    --rebuild) REBUILD=true ;;
    --refresh-base) REFRESH_BASE=true ;;
    --dry-run) DRY_RUN=true ;;
    --verbose) VERBOSE=true ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1'; see bash scripts/build-images.sh --help" ;;
  esac
  shift
done

for name in $ONLY; do
  case " $KEYS " in
    *" $name "*) ;;
    *) die "--only: unknown image '$name'; choose among: $KEYS" ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# Small portable helpers (bash 3.2 and BSD tools too: no associative arrays, no GNU-only flags)

sha256_files() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
sha256_text() { sha256_files - | cut -d' ' -f1; }

now_ms() {
  local t
  t=$(date +%s%N 2>/dev/null || true)
  case "$t" in
    '' | *N*) echo $(($(date +%s) * 1000)) ;;
    *) echo $((t / 1000000)) ;;
  esac
}

seconds_since() { # START_MS -> "12.3"
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

# Hash of a directory's files: relative path, executable bit and content. PRUNE excludes a subdirectory.
hash_dir() { # DIR [PRUNE]
  local dir=$1 prune=${2:-}
  (
    cd "$dir"
    if [ -n "$prune" ]; then
      find . -path "./$prune" -prune -o -type f -print
    else
      find . -type f -print
    fi | LC_ALL=C sort | while IFS= read -r f; do
      if [ -x "$f" ]; then printf 'x '; else printf -- '- '; fi
      sha256_files "$f"
    done
  ) | sha256_text
}

get() { eval "printf '%s' \"\${$1:-}\""; }
set_var() { printf -v "$1" '%s' "$2"; }

pom_property() { sed -n "s:.*<$1>\\(.*\\)</$1>.*:\\1:p" "$ROOT/pom.xml" | head -n1; }

project_version() {
  awk '/<artifactId>gameday-parent<\/artifactId>/ { found = 1 }
       found && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml"
}

image_label() { # REF -> value of the hash label, or nothing
  docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null | grep -v '^<no value>$' || true
}

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------
# Pinned versions

TESTCONTAINERS_VERSION=$(pom_property testcontainers.version)
TOXIPROXY_VERSION=$(pom_property toxiproxy.server.version)
WIREMOCK_VERSION=$(pom_property wiremock.version)
PROJECT_VERSION=$(project_version)
[ -n "$TOXIPROXY_VERSION" ] || die "pom.xml has no <toxiproxy.server.version> property; it pins the Toxiproxy image"
[ -n "$WIREMOCK_VERSION" ] || die "pom.xml has no <wiremock.version> property; it pins the WireMock image"
[ -n "$PROJECT_VERSION" ] || die "cannot read the project version from $ROOT/pom.xml"

# The Ryuk image each Testcontainers version starts (RyukContainer in the testcontainers jar).
case "$TESTCONTAINERS_VERSION" in
  2.0.*) RYUK_TAG=0.14.0 ;;
  *)
    RYUK_TAG=0.14.0
    warn "Testcontainers $TESTCONTAINERS_VERSION is not in this script's table; assuming it starts testcontainers/ryuk:$RYUK_TAG." \
      "Check RyukContainer in the testcontainers jar and update RYUK_TAG in scripts/build-images.sh."
    ;;
esac

image_ref() {
  case "$1" in
    debian) echo "$LOCAL/debian:bookworm" ;;
    redis) echo "$LOCAL/redis:7.0" ;;
    postgres) echo "$LOCAL/postgres:15" ;;
    toxiproxy) echo "$LOCAL/shopify/toxiproxy:$TOXIPROXY_VERSION" ;;
    reaper) echo "$LOCAL/testcontainers/ryuk:$RYUK_TAG" ;;
    alpine) echo "$LOCAL/alpine:3.17" ;;
    jre) echo "$LOCAL/jre:17" ;;
    wiremock) echo "$LOCAL/wiremock/wiremock:$WIREMOCK_VERSION" ;;
    demo) echo "gameday/demo-trading-system:$PROJECT_VERSION" ;;
  esac
}

# The official image a local one stands in for (what Testcontainers pulls when the local one is missing).
official_ref() {
  case "$1" in
    redis) echo redis:7.0 ;;
    postgres) echo postgres:15 ;;
    toxiproxy) echo "ghcr.io/shopify/toxiproxy:$TOXIPROXY_VERSION" ;;
    reaper) echo "testcontainers/ryuk:$RYUK_TAG" ;;
    alpine) echo alpine:3.17 ;;
    wiremock) echo "wiremock/wiremock:$WIREMOCK_VERSION" ;;
  esac
}

image_dir() {
  case "$1" in
    demo) echo "$DEMO_DIR" ;;
    *) echo "$IMAGES_DIR/$1" ;;
  esac
}

# The local images a key's Dockerfile is built FROM (read from the Dockerfile itself).
image_parents() {
  local dockerfile ref key parents=""
  dockerfile="$(image_dir "$1")/Dockerfile"
  [ -f "$dockerfile" ] || return 0
  while read -r ref; do
    for key in $KEYS; do
      if [ "$(image_ref "$key")" = "$ref" ]; then parents="$parents $key"; fi
    done
  done <<EOF
$(awk 'toupper($1) == "FROM" { print $2 }' "$dockerfile")
EOF
  echo "$parents"
}

# ---------------------------------------------------------------------------------------------
# Docker

command -v docker >/dev/null 2>&1 || die "the docker command is missing; run: bash scripts/ensure-docker.sh"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer; run: bash scripts/ensure-docker.sh"

if [ -z "${DOCKER_BUILDKIT:-}" ] && ! docker buildx version >/dev/null 2>&1; then
  # No buildx plugin: the classic builder, said explicitly so newer clients do not refuse.
  export DOCKER_BUILDKIT=0
fi

ARCH=$(docker version --format '{{.Server.Arch}}' 2>/dev/null || true)
case "$ARCH" in
  amd64 | arm64 | ppc64le | s390x | 386) ;;
  x86_64) ARCH=amd64 ;;
  aarch64) ARCH=arm64 ;;
  *) die "cannot tell the Docker engine's architecture (docker version says '$ARCH')" ;;
esac

mkdir -p "$CACHE_DIR" "$LOG_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_DIR/build-images.lock"
  if ! flock -n 9; then
    say "another build-images.sh is running; waiting for it"
    flock 9
  fi
fi

WORK=$(mktemp -d "$CACHE_DIR/work.XXXXXX")
cleanup() {
  # A failed debootstrap can leave proc/sys mounted in its tree: unmount, and never delete across mounts.
  local m
  for m in proc sys dev/pts dev; do
    if [ -d "$WORK/rootfs/$m" ]; then umount "$WORK/rootfs/$m" 2>/dev/null || true; fi
  done
  rm -rf --one-file-system "$WORK" 2>/dev/null || rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a build step with its output in the image's log (and on the terminal with --verbose).
run_logged() { # LOGFILE COMMAND...
  local logfile=$1
  shift
  printf '\n$ %s\n' "$*" >>"$logfile"
  if [ "$VERBOSE" = true ]; then
    "$@" 2>&1 | tee -a "$logfile" >&2
    return "${PIPESTATUS[0]}"
  fi
  "$@" >>"$logfile" 2>&1
}

docker_build() { # KEY LOGFILE CONTEXT_DIR HASH [docker build args...]
  local key=$1 logfile=$2 context=$3 hash=$4
  shift 4
  local no_cache=()
  if [ "$REBUILD" = true ] && is_named "$key"; then no_cache=(--no-cache); fi
  run_logged "$logfile" docker build "${no_cache[@]+"${no_cache[@]}"}" \
    --label "$HASH_LABEL=$hash" \
    --label "dev.gameday.image.recipe=$(image_dir "$key" | sed "s:^$ROOT/::")" \
    --tag "$(image_ref "$key")" "$@" "$context"
}

# ---------------------------------------------------------------------------------------------
# Debian base: root filesystem and apt sources

# shellcheck disable=SC1091 # the host's file, read at run time
host_os_id() { (. /etc/os-release 2>/dev/null && echo "${ID:-}") || true; }

# "URI SUITE" for every enabled deb entry of the host's apt sources (one-line and deb822 formats).
host_apt_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i, $(i + 1) }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^#/) continue
          key = tolower(line); sub(/:.*/, "", key)
          value = line; sub(/^[^:]*:[ \t]*/, "", value)
          if (key == "types") types = value
          else if (key == "uris") uris = value
          else if (key == "suites") suites = value
          else if (key == "enabled") enabled = tolower(value)
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
        for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) if (u[a] != "" && s[b] != "") print u[a], s[b]
      }' "$f"
  done
}

# Sets DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR.
choose_debian_mirrors() {
  DEBIAN_MIRROR=""
  DEBIAN_SECURITY_MIRROR=""
  if [ -n "${GAMEDAY_DEBIAN_MIRROR:-}" ]; then
    DEBIAN_MIRROR=${GAMEDAY_DEBIAN_MIRROR%/}
  elif [ "$(host_os_id)" = debian ]; then
    local uri suite
    while read -r uri suite; do
      case "$suite" in
        *-security) [ -n "$DEBIAN_SECURITY_MIRROR" ] || DEBIAN_SECURITY_MIRROR=${uri%/} ;;
        *-updates | *-backports) ;;
        *) [ -n "$DEBIAN_MIRROR" ] || DEBIAN_MIRROR=${uri%/} ;;
      esac
    done <<EOF
$(host_apt_entries)
EOF
  fi
  if [ -z "$DEBIAN_MIRROR" ]; then
    DEBIAN_MIRROR=http://deb.debian.org/debian
  fi
  if [ -z "$DEBIAN_SECURITY_MIRROR" ] && [ "$DEBIAN_MIRROR" = http://deb.debian.org/debian ]; then
    DEBIAN_SECURITY_MIRROR=http://deb.debian.org/debian-security
  fi
}

debian_sources_list() {
  echo "# Written by scripts/build-images.sh from the build host's Debian mirror."
  echo "deb $DEBIAN_MIRROR bookworm main"
  echo "deb $DEBIAN_MIRROR bookworm-updates main"
  if [ -n "$DEBIAN_SECURITY_MIRROR" ]; then
    echo "deb $DEBIAN_SECURITY_MIRROR bookworm-security main"
  fi
}

can_debootstrap() {
  [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] || return 1
  command -v debootstrap >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1
}

# Prints the image to build the base FROM: a fresh import of the (cached) debootstrap tree, or
# debian:bookworm-slim where debootstrap cannot run.
prepare_rootfs_image() { # LOGFILE
  local logfile=$1
  if can_debootstrap; then
    if ! command -v debootstrap >/dev/null 2>&1; then
      say "installing debootstrap with apt-get" >&2
      run_logged "$logfile" env DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap ||
        { run_logged "$logfile" apt-get update && run_logged "$logfile" env DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap; } ||
        { warn "apt-get could not install debootstrap; see $logfile"; return 1; }
    fi
    local dpkg_arch recipe tarball
    dpkg_arch=$(dpkg --print-architecture 2>/dev/null || echo "$ARCH")
    if [ "$dpkg_arch" = "$ARCH" ]; then
      # The cached tree is keyed by what makes it: suite, variant, architecture, prepare-rootfs.sh.
      recipe=$(printf 'bookworm minbase %s %s\n' "$ARCH" "$(sha256_files <"$IMAGES_DIR/debian/prepare-rootfs.sh")" | sha256_text)
      tarball="$CACHE_DIR/rootfs/debian-bookworm-minbase-$ARCH-${recipe:0:12}.tar"
      if [ "$REFRESH_BASE" = true ]; then rm -f "$tarball"; fi
      if [ ! -s "$tarball" ]; then
        mkdir -p "$CACHE_DIR/rootfs"
        local tree="$WORK/rootfs"
        say "debootstrap bookworm (minbase) from $DEBIAN_MIRROR; about 30-60 s, cached afterwards in $tarball" >&2
        run_logged "$logfile" debootstrap --variant=minbase --arch="$ARCH" bookworm "$tree" "$DEBIAN_MIRROR" ||
          { warn "debootstrap failed; see $logfile"; return 1; }
        run_logged "$logfile" sh "$IMAGES_DIR/debian/prepare-rootfs.sh" "$tree" || return 1
        run_logged "$logfile" tar --numeric-owner -C "$tree" -cf "$tarball.partial" . || return 1
        mv "$tarball.partial" "$tarball" || return 1
        rm -rf --one-file-system "$tree"
      fi
      run_logged "$logfile" docker import "$tarball" "$LOCAL/debian-rootfs:bookworm" || return 1
      echo "$LOCAL/debian-rootfs:bookworm"
      return 0
    fi
    warn "the Docker engine runs $ARCH but this host is $dpkg_arch: not using debootstrap" >&2
  fi
  if docker image inspect debian:bookworm-slim >/dev/null 2>&1 ||
    run_logged "$logfile" docker pull debian:bookworm-slim; then
    say "building the base from debian:bookworm-slim (debootstrap needs root on Linux)" >&2
    echo debian:bookworm-slim
    return 0
  fi
  warn "cannot make a Debian root filesystem: debootstrap needs root on Linux" \
    "(run: sudo bash scripts/build-images.sh) and debian:bookworm-slim could not be pulled"
  return 1
}

# ---------------------------------------------------------------------------------------------
# Go

GO_VERSION=""
go_version_at_least() { # MINOR (of Go 1.x)
  [ -n "$GO_VERSION" ] || return 1
  local minor
  minor=$(printf '%s' "$GO_VERSION" | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  [ -n "$minor" ] && [ "$minor" -ge "$1" ]
}
if command -v go >/dev/null 2>&1; then
  GO_VERSION=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)
fi

# ---------------------------------------------------------------------------------------------
# Per-image recipe (hashed) and build

# Extra recipe lines per image, besides its directory, the image it is built from and RECIPE_REVISION.
recipe_extra() {
  case "$1" in
    debian) debian_sources_list ;;
    toxiproxy) echo "toxiproxy=$TOXIPROXY_VERSION go=$GO_VERSION arch=$ARCH" ;;
    reaper) echo "go=$GO_VERSION arch=$ARCH" ;;
    wiremock) echo "wiremock=$WIREMOCK_VERSION" ;;
    demo) echo "project=$PROJECT_VERSION root-pom=$(sha256_files <"$ROOT/pom.xml")" ;;
  esac
}

# Why a selected image cannot be built on this machine (nothing when it can).
unbuildable_reason() {
  case "$1" in
    toxiproxy)
      go_version_at_least 23 || echo "needs Go >= 1.23 (found: ${GO_VERSION:-none}; install it from https://go.dev/dl/)" ;;
    reaper)
      go_version_at_least 22 || echo "needs Go >= 1.22 (found: ${GO_VERSION:-none}; install it from https://go.dev/dl/)" ;;
    wiremock)
      command -v mvn >/dev/null 2>&1 || echo "needs Maven (mvn) to fetch org.wiremock:wiremock-standalone:$WIREMOCK_VERSION" ;;
    demo)
      if [ "$SKIP_DEMO" = true ] && ! is_named demo; then echo "--skip-demo"
      elif [ ! -f "$DEMO_DIR/Dockerfile" ]; then echo "no Dockerfile in environments/demo-trading-system yet"
      elif ! command -v mvn >/dev/null 2>&1; then echo "needs Maven (mvn) to package the demo trading system"
      fi ;;
  esac
}

image_hash() {
  local key=$1 parent dir
  dir=$(image_dir "$key")
  {
    echo "revision=$RECIPE_REVISION"
    echo "image=$(image_ref "$key")"
    for parent in $(get "PARENTS_$key"); do
      echo "from=$(image_ref "$parent")@$(image_id "$(image_ref "$parent")")"
    done
    if [ "$key" = demo ]; then
      echo "context=$(hash_dir "$dir" target)"
    else
      echo "context=$(hash_dir "$dir")"
    fi
    recipe_extra "$key"
  } | sha256_text
}

stage_context() { # KEY -> prints a fresh copy of the image's directory
  local stage="$WORK/context-$1"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp -R "$IMAGES_DIR/$1/." "$stage/"
  echo "$stage"
}

go_install_static() { # LOGFILE OUT_DIR VERSION_LDFLAG PACKAGE@VERSION...
  local logfile=$1 out=$2 ldflags=$3
  shift 3
  local gopath="$WORK/gopath" modcache
  modcache=$(GOTOOLCHAIN=local go env GOMODCACHE)
  # A private GOPATH/bin (module and build caches stay the user's) so that cross-compiled
  # binaries can be installed too.
  run_logged "$logfile" env GOTOOLCHAIN=local GOPATH="$gopath" GOMODCACHE="$modcache" GOBIN= \
    CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go install -trimpath -ldflags "-s -w $ldflags" "$@" || return 1
  local bin
  for bin in "$gopath/bin/linux_$ARCH"/* "$gopath/bin"/*; do
    if [ -f "$bin" ]; then cp "$bin" "$out/"; fi
  done
}

build_image() { # KEY LOGFILE HASH
  local key=$1 logfile=$2 hash=$3 stage
  case "$key" in
    debian)
      local rootfs
      rootfs=$(prepare_rootfs_image "$logfile") || return 1
      stage=$(stage_context debian)
      debian_sources_list >"$stage/sources.list"
      docker_build debian "$logfile" "$stage" "$hash" --build-arg "ROOTFS_IMAGE=$rootfs" \
        --label "dev.gameday.image.rootfs=$rootfs" || return 1
      if [ "$rootfs" = "$LOCAL/debian-rootfs:bookworm" ]; then
        # Only the tag goes: the layer lives on as the base image's bottom layer.
        run_logged "$logfile" docker rmi "$rootfs" || true
      fi
      ;;
    toxiproxy)
      stage=$(stage_context toxiproxy)
      go_install_static "$logfile" "$stage" "-X github.com/Shopify/toxiproxy/v2.Version=$TOXIPROXY_VERSION" \
        "github.com/Shopify/toxiproxy/v2/cmd/server@v$TOXIPROXY_VERSION" \
        "github.com/Shopify/toxiproxy/v2/cmd/cli@v$TOXIPROXY_VERSION" || return 1
      mv "$stage/server" "$stage/toxiproxy-server"
      mv "$stage/cli" "$stage/toxiproxy-cli"
      docker_build toxiproxy "$logfile" "$stage" "$hash" --build-arg "TOXIPROXY_VERSION=$TOXIPROXY_VERSION"
      ;;
    reaper)
      stage=$(stage_context reaper)
      (cd "$IMAGES_DIR/reaper" && run_logged "$logfile" env GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go test -count=1 ./...) ||
        { warn "the reaper's Go tests failed; see $logfile"; return 1; }
      (cd "$IMAGES_DIR/reaper" && run_logged "$logfile" env GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
        CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" go build -trimpath -ldflags "-s -w" -o "$stage/reaper" .) || return 1
      docker_build reaper "$logfile" "$stage" "$hash"
      ;;
    wiremock)
      stage=$(stage_context wiremock)
      # Through Maven, so that the user's settings.xml (mirror, proxy, credentials) applies.
      run_logged "$logfile" mvn -B -q -ntp -Dstyle.color=never -N -f "$ROOT/pom.xml" dependency:copy \
        "-Dartifact=org.wiremock:wiremock-standalone:$WIREMOCK_VERSION" \
        "-DoutputDirectory=$stage" -Dmdep.stripVersion=true || return 1
      [ -s "$stage/wiremock-standalone.jar" ] || { warn "Maven did not produce wiremock-standalone.jar; see $logfile"; return 1; }
      docker_build wiremock "$logfile" "$stage" "$hash" --build-arg "WIREMOCK_VERSION=$WIREMOCK_VERSION"
      ;;
    demo)
      (cd "$ROOT" && run_logged "$logfile" mvn -B -q -ntp -Dstyle.color=never \
        -pl environments/demo-trading-system -am package -DskipTests) || return 1
      [ -s "$DEMO_DIR/target/demo-trading-system.jar" ] ||
        { warn "mvn package did not produce environments/demo-trading-system/target/demo-trading-system.jar; see $logfile"; return 1; }
      docker_build demo "$logfile" "$DEMO_DIR" "$hash"
      ;;
    *)
      stage=$(stage_context "$key")
      docker_build "$key" "$logfile" "$stage" "$hash"
      ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Selection: the named images (or all) plus everything they are built from

is_named() { case " $ONLY " in *" $1 "*) return 0 ;; esac; [ -z "${ONLY// /}" ]; }

for key in $KEYS; do
  set_var "PARENTS_$key" "$(image_parents "$key")"
done

select_with_parents() {
  local parent
  [ "$(get "SELECTED_$1")" = yes ] && return 0
  set_var "SELECTED_$1" yes
  for parent in $(get "PARENTS_$1"); do select_with_parents "$parent"; done
}

for key in $KEYS; do
  if [ -z "${ONLY// /}" ]; then
    if [ "$key" = demo ] && [ "$SKIP_DEMO" = true ]; then continue; fi
    select_with_parents "$key"
  elif is_named "$key"; then
    select_with_parents "$key"
  fi
done
if [ "$SKIP_DEMO" = true ] && [ -z "${ONLY// /}" ]; then
  set_var SELECTED_demo skipped
fi

choose_debian_mirrors

# ---------------------------------------------------------------------------------------------
# Build

ROWS=""
FAILURES=0
TOTAL_START=$(now_ms)

record() { # KEY STATUS SECONDS NOTE
  ROWS="$ROWS$(printf '%s\t%s\t%s\t%s' "$(image_ref "$1")" "$2" "$3" "$4")
"
  set_var "STATUS_$1" "$2"
}

parent_missing() { # KEY -> prints the first parent image that is not there
  local parent
  for parent in $(get "PARENTS_$1"); do
    if [ -z "$(image_id "$(image_ref "$parent")")" ]; then
      image_ref "$parent"
      return 0
    fi
  done
}

count=0
for key in $KEYS; do [ "$(get "SELECTED_$key")" = yes ] && count=$((count + 1)); done
index=0

for key in $KEYS; do
  selected=$(get "SELECTED_$key")
  if [ "$selected" = skipped ]; then
    record "$key" skipped - "--skip-demo"
    continue
  fi
  [ "$selected" = yes ] || continue
  index=$((index + 1))
  ref=$(image_ref "$key")
  start=$(now_ms)
  logfile="$LOG_DIR/$key.log"

  reason=$(unbuildable_reason "$key")
  if [ -n "$reason" ]; then
    if [ -n "$(image_id "$ref")" ]; then
      reason="$reason; keeping the existing image, which may be out of date"
    elif [ -n "$(official_ref "$key")" ]; then
      reason="$reason; Testcontainers will pull $(official_ref "$key") instead, which needs registry access"
    fi
    say "[$index/$count] $ref: skipped: $reason"
    record "$key" skipped - "$reason"
    continue
  fi
  missing=$(parent_missing "$key")
  if [ -n "$missing" ] && [ "$DRY_RUN" = false ]; then
    say "[$index/$count] $ref: skipped: $missing is not there"
    record "$key" skipped - "needs $missing"
    FAILURES=$((FAILURES + 1))
    continue
  fi

  hash=$(image_hash "$key")
  existing=$(image_label "$ref")
  if [ "$existing" = "$hash" ] && ! { [ "$REBUILD" = true ] && is_named "$key"; } &&
    ! { [ "$key" = debian ] && [ "$REFRESH_BASE" = true ]; }; then
    record "$key" cached "$(seconds_since "$start")" ""
    continue
  fi

  if [ "$DRY_RUN" = true ]; then
    if [ -z "$existing" ]; then note="missing"; else note="out of date"; fi
    say "[$index/$count] $ref: would build ($note)"
    record "$key" "would build" - "$note"
    continue
  fi

  say "[$index/$count] $ref: building (log: $logfile)"
  : >"$logfile"
  if build_image "$key" "$logfile" "$hash"; then
    record "$key" built "$(seconds_since "$start")" ""
  else
    FAILURES=$((FAILURES + 1))
    warn "$ref: build failed; last lines of $logfile:"
    tail -n 25 "$logfile" | sed 's/^/    /' >&2
    record "$key" failed "$(seconds_since "$start")" "see $logfile"
  fi
done

printf '\n'
printf 'gameday: %-52s %-12s %8s  %s\n' image status seconds note
printf '%s' "$ROWS" | while IFS="$(printf '\t')" read -r ref status secs note; do
  printf 'gameday: %-52s %-12s %8s  %s\n' "$ref" "$status" "$secs" "$note"
done
say "total $(seconds_since "$TOTAL_START") s"

if [ "$FAILURES" -gt 0 ]; then
  die "$FAILURES image(s) not built; see the logs in $LOG_DIR"
fi
