# Sourced by the scripts: settings Testcontainers needs on this kind of host.
# Hosts that carry Docker's /.dockerenv marker while running the engine themselves (CI VMs) make Testcontainers
# believe it runs inside a container; it then tries to pull a helper image to find the host address. When the engine
# is local, the host is localhost.
if [ -e /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  case "${DOCKER_HOST:-unix://}" in
    unix://*) export TESTCONTAINERS_HOST_OVERRIDE=localhost ;;
  esac
fi
