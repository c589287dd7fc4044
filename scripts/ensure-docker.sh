#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`.
#   - It answers already: print one line, change nothing.
#   - Root on Debian/Ubuntu: install docker.io and debootstrap with apt-get if needed, start dockerd
#     in the background (systemd when it runs, else nohup dockerd, log in /var/log/gameday-dockerd.log),
#     and wait until it answers.
#   - Otherwise: explain what to do, and exit 1.
#   - Then, in every case: make sure Docker Compose v2 is installed (scripts/install-compose.sh; cached, a second
#     when it is there already). Without it only the Compose environment is unavailable: a warning, not a failure.
# Safe to run again and again. Environment: GAMEDAY_DOCKER_WAIT_SECONDS (default 60).
set -euo pipefail

LOG=/var/log/gameday-dockerd.log
WAIT_SECONDS=${GAMEDAY_DOCKER_WAIT_SECONDS:-60}

say() { printf 'gameday: %s\n' "$*"; }
die() { printf 'gameday: %s\n' "$*" >&2; exit 1; }

case "$WAIT_SECONDS" in
  '' | *[!0-9]*) die "GAMEDAY_DOCKER_WAIT_SECONDS must be a whole number of seconds, but was '$WAIT_SECONDS'" ;;
esac

# `docker info` with a bound: a DOCKER_HOST pointing at a dead TCP address can otherwise hang.
docker_answers() {
  command -v docker >/dev/null 2>&1 || return 1
  if command -v timeout >/dev/null 2>&1; then
    timeout 20 docker info >/dev/null 2>&1
  else
    docker info >/dev/null 2>&1
  fi
}

# Docker Compose v2 runs users' own docker-compose.yml (ComposeEnvironment); built from source and cached.
ensure_compose() {
  bash "$(dirname "${BASH_SOURCE[0]}")/install-compose.sh" ||
    say "warning: Docker Compose v2 is not installed (see above), so ComposeEnvironment and its tests cannot run; fix that and run scripts/install-compose.sh"
}

describe_engine() {
  docker version --format 'Docker engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null ||
    echo "Docker engine"
}

if docker_answers; then
  say "$(describe_engine) answers at ${DOCKER_HOST:-the default socket}; nothing to do."
  ensure_compose
  exit 0
fi

# --- Cases we do not fix ourselves: say precisely what to do.

advise() {
  {
    printf 'gameday: no Docker engine answers "docker info". %s\n' "$1"
    cat <<'EOF'
gameday: To fix it, one of:
gameday:   - Linux: install Docker (Debian/Ubuntu: sudo apt-get install docker.io) and start it
gameday:     (sudo systemctl start docker, or sudo dockerd &); or run this script as root: sudo bash scripts/ensure-docker.sh
gameday:   - macOS/Windows: start Docker Desktop (or Colima, Rancher Desktop, Podman with its Docker socket)
gameday:   - a remote or non-default engine: export DOCKER_HOST=unix:///path/to/docker.sock or tcp://host:2375
EOF
  } >&2
  exit 1
}

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != unix:///var/run/docker.sock ]; then
  advise "DOCKER_HOST is set to '$DOCKER_HOST' and nothing answers there; this script only starts a local engine. Check that engine, or unset DOCKER_HOST to use a local one."
fi

if [ -S /var/run/docker.sock ] && [ "$(id -u)" != 0 ] && [ ! -w /var/run/docker.sock ] && command -v docker >/dev/null 2>&1; then
  advise "The engine's socket /var/run/docker.sock exists but user '$(id -un)' may not use it: add yourself to the docker group (sudo usermod -aG docker $(id -un), then log in again), or run as root."
fi

if [ "$(uname -s)" != Linux ]; then
  advise "This is $(uname -s): Gameday does not install an engine there."
fi

if [ "$(id -u)" != 0 ]; then
  advise "Installing or starting an engine needs root."
fi

# --- Root on Linux: install if needed, then start.

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 ||
    advise "dockerd is not installed and there is no apt-get here to install Debian's docker.io; install Docker with your distribution's packages."
  say "installing docker.io and debootstrap with apt-get (the engine runs the images; debootstrap makes their Debian base)"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a fresh machine may be empty or stale: refresh them first.
  apt-get update -q || die "apt-get update failed; check the machine's apt sources (/etc/apt/sources.list*) and network"
  apt-get install -y -q docker.io debootstrap ||
    die "apt-get could not install docker.io; see the messages above (is the package mirror reachable? on Ubuntu, the 'universe' component must be enabled)"
fi

if ! command -v debootstrap >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  say "installing debootstrap with apt-get (scripts/build-images.sh makes the images' Debian base with it)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap ||
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; } ||
    say "could not install debootstrap; scripts/build-images.sh will say what that means"
fi

dockerd_pids() {
  if command -v pgrep >/dev/null 2>&1; then
    pgrep -x dockerd || true
  else
    pidof dockerd 2>/dev/null || true
  fi
}

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  say "starting Docker with systemd (systemctl start docker)"
  systemctl start docker || die "systemctl start docker failed; see: journalctl -u docker --no-pager | tail -n 50"
elif [ -n "$(dockerd_pids)" ]; then
  say "dockerd is already running (pid $(dockerd_pids | tr '\n' ' ')) but not answering yet; waiting for it"
else
  # A dockerd that died leaves its pid file, and a new one refuses to start while it exists.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid 2>/dev/null)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  say "starting dockerd in the background (log: $LOG)"
  # setsid + nohup: the engine outlives this script, its terminal and its process group.
  setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
  DOCKERD_PID=$!
fi

waited=0
until docker_answers; do
  if [ -n "${DOCKERD_PID:-}" ] && ! kill -0 "$DOCKERD_PID" 2>/dev/null && [ -z "$(dockerd_pids)" ]; then
    printf 'gameday: dockerd exited while starting; last lines of %s:\n' "$LOG" >&2
    tail -n 25 "$LOG" | sed 's/^/    /' >&2
    die "fix the cause above (often: iptables or cgroups unavailable, or another engine owns /var/run/docker.sock), then run this script again"
  fi
  if [ "$waited" -ge "$WAIT_SECONDS" ]; then
    printf 'gameday: last lines of %s:\n' "$LOG" >&2
    tail -n 25 "$LOG" 2>/dev/null | sed 's/^/    /' >&2 || true
    die "the Docker engine did not answer within ${WAIT_SECONDS}s; see $LOG (or raise GAMEDAY_DOCKER_WAIT_SECONDS)"
  fi
  sleep 1
  waited=$((waited + 1))
done

say "$(describe_engine) answers after ${waited}s."
ensure_compose
