#!/bin/bash
# Entrypoint of gameday.local/wiremock/wiremock, behaving like the official wiremock image's:
# no arguments, or arguments starting with "-", start WireMock with those arguments appended.
set -euo pipefail

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  banner=--disable-banner
  for arg in "$@"; do
    [ "$arg" = "--disable-banner" ] && banner=
  done
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options, split on purpose.
  set -- java ${JAVA_OPTS:-} -cp '/var/wiremock/lib/*:/var/wiremock/extensions/*' wiremock.Run ${banner} "$@"
fi

# shellcheck disable=SC2086 # WIREMOCK_OPTIONS is a list of options, split on purpose.
exec "$@" ${WIREMOCK_OPTIONS:-}
