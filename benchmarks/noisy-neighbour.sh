#!/usr/bin/env bash
# Noisy-neighbour check: a verdict must not flip because another process competes for the CPU.
#
# Runs the catalogue's redis-timeouts experiment (must PASS) and its negative control (must FAIL), first on a quiet
# machine, then while CPU-bound processes (one per core) compete at low priority (nice -n 19), as another build on a
# shared CI machine does. Prints the four verdicts side by side and the figures they rest on, and exits non-zero if
# any verdict differs from what it must be.
#
#   benchmarks/noisy-neighbour.sh                 # quiet and noisy, 4 runs, about 10 minutes
#   benchmarks/noisy-neighbour.sh --noisy-only    # only the 2 runs beside the noisy neighbour (CI)
#   benchmarks/noisy-neighbour.sh --results DIR   # keep the runs' results under DIR (default: a temporary directory)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

conditions="quiet noisy"
results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --noisy-only) conditions="noisy" ;;
    --results) results="${2:?--results needs a directory}"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "noisy-neighbour: unknown option '$1'; expected --noisy-only, --results DIR or --help." >&2; exit 64 ;;
  esac
  shift
done
[ -n "$results" ] || results=$(mktemp -d /tmp/gameday-noisy.XXXXXX)
mkdir -p "$results"

neighbours=()
stop_neighbours() {
  for pid in "${neighbours[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  neighbours=()
}
trap stop_neighbours EXIT INT TERM

start_neighbours() {
  for _ in $(seq "$(nproc)"); do
    nice -n 19 sh -c 'while :; do :; done' &
    neighbours+=("$!")
  done
}

verdict_of() {
  case "$1" in 0) echo PASSED ;; 1) echo FAILED ;; 2) echo INVALID ;; *) echo "ERROR($1)" ;; esac
}

declare -A got
summary=()
failed=0
for condition in $conditions; do
  for variant in healthy negative-control; do
    args=(run redis-timeouts --results "$results/$condition-$variant")
    expected=PASSED
    if [ "$variant" = negative-control ]; then args+=(--negative-control); expected=FAILED; fi
    [ "$condition" = noisy ] && start_neighbours
    echo "noisy-neighbour: $condition machine, $variant (must be $expected)"
    set +e
    scripts/gameday "${args[@]}" > "$results/$condition-$variant.log" 2>&1
    status=$?
    set -e
    stop_neighbours
    verdict=$(verdict_of "$status")
    got[$condition-$variant]=$verdict
    line=$(grep -E '^Load generator:' "$results/$condition-$variant.log" | tail -1 || true)
    summary+=("$(printf '%-6s %-17s %-8s (must be %s)  %s' "$condition" "$variant" "$verdict" "$expected" "$line")")
    if [ "$verdict" != "$expected" ]; then
      failed=1
      echo "noisy-neighbour: $condition $variant came out $verdict, expected $expected; its report:" >&2
      sed -n '/^Objectives/,$p' "$results/$condition-$variant.log" >&2
    fi
  done
done

echo
echo "Noisy-neighbour check (redis-timeouts; neighbours: $(nproc) CPU-bound processes at nice 19)"
printf '%s\n' "${summary[@]}"
echo "Runs and logs: $results"
exit "$failed"
