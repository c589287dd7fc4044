#!/usr/bin/env bash
# Noisy-neighbour check: a verdict must not flip because another process competes for the CPU.
#
# Runs the catalogue's redis-timeouts experiment (must PASS) and its negative control (must FAIL), first on a quiet
# machine, then while a CPU-bound process competes at low priority, as another build at low priority does on a
# shared CI machine. Prints the four verdicts side by side and the figures they rest on, and exits non-zero if any
# verdict differs from what it must be.
#
# The neighbour is one busy loop, in a session of its own, at nice 19. Linux's autogroup scheduling (on here:
# /proc/sys/kernel/sched_autogroup_enabled) weighs sessions against each other, not processes, so a plain nice value
# lowers a process only against its own session; the neighbour's session is therefore niced to 19 as well
# (/proc/<pid>/autogroup), which is what "low priority" means to this kernel. --same-session puts the neighbours in
# the harness's own session instead (one per core): they then keep that session always busy, and the containers of
# the system under test get only half of the CPU they ask for.
#
#   benchmarks/noisy-neighbour.sh                 # quiet and noisy, 4 runs, about 10 minutes
#   benchmarks/noisy-neighbour.sh --noisy-only    # only the 2 runs beside the noisy neighbour (CI)
#   benchmarks/noisy-neighbour.sh --results DIR   # keep the runs' results under DIR (default: a temporary directory)
#   benchmarks/noisy-neighbour.sh --same-session  # harsher: one neighbour per core in the harness's own session
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

conditions="quiet noisy"
results=""
same_session=0
while [ $# -gt 0 ]; do
  case "$1" in
    --noisy-only) conditions="noisy" ;;
    --same-session) same_session=1 ;;
    --results) results="${2:?--results needs a directory}"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "noisy-neighbour: unknown option '$1'; expected --noisy-only, --same-session, --results DIR or --help." >&2; exit 64 ;;
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
  if [ "$same_session" = 1 ]; then
    for _ in $(seq "$(nproc)"); do
      nice -n 19 sh -c 'while :; do :; done' &
      neighbours+=("$!")
    done
    return
  fi
  local pidfile="$results/neighbour.pid"
  rm -f "$pidfile"
  # the busy loop reports its own pid: setsid may fork, and then $! is not the loop
  setsid nice -n 19 sh -c 'echo $$ > "$1"; while :; do :; done' neighbour "$pidfile" &
  neighbours+=("$!")
  local waited=0
  while [ ! -s "$pidfile" ] && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
  local pid
  pid=$(cat "$pidfile")
  neighbours+=("$pid")
  if [ -w "/proc/$pid/autogroup" ]; then
    echo 19 > "/proc/$pid/autogroup" 2>/dev/null || true
  fi
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
if [ "$same_session" = 1 ]; then
  echo "Noisy-neighbour check (redis-timeouts; neighbours: $(nproc) CPU-bound processes at nice 19 in the harness's session)"
else
  echo "Noisy-neighbour check (redis-timeouts; neighbour: 1 CPU-bound process at nice 19 in a session of its own, niced too)"
fi
printf '%s\n' "${summary[@]}"
echo "Runs and logs: $results"
exit "$failed"
