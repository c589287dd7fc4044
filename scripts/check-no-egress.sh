#!/usr/bin/env bash
# Runs a command under a packet capture on the machine's external interfaces and fails if any packet went to or
# came from an address outside loopback and the Docker bridge networks. Run with --help for the details.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf 'check-no-egress: %s\n' "$*"; }
die() { printf 'check-no-egress: %s\n' "$*" >&2; exit 3; }

usage() {
  cat <<'EOF'
Usage: scripts/check-no-egress.sh [--interface NAME]... [--keep DIR] [-- COMMAND [ARG]...]

Captures packets (tcpdump) on every external interface of this machine while COMMAND runs, then lists and
counts every IP packet to or from an address that is neither loopback nor in a Docker bridge network.
COMMAND defaults to: scripts/gameday run redis-timeouts

Nothing is excluded, package registries included: run COMMAND once beforehand so that the images and
the Maven dependencies are cached (scripts/gameday run redis-timeouts does both), then check the second
run. The capture sees the whole machine, not just COMMAND: run it while nothing else uses the network.

External interfaces: all that are up, except lo, docker0, br-* and veth* (Docker's own), and gdcni0 and
gameday0 (the bundled Kubernetes cluster's pod bridge and node link, scripts/cluster; their addresses are still
counted on any other interface). IPv6 neighbour
and router discovery (ICMPv6 133-137), which the kernel does on its own on the link, is not counted.
Needs root; installs tcpdump with apt-get if it is missing.

Options:
  --interface NAME   capture on NAME only (repeatable) instead of every external interface
  --keep DIR         keep the captures (one .pcap per interface) in DIR
  -h, --help         this text

Exit status: 0 no such packet and COMMAND succeeded; 1 packets seen (listed); 2 no packet seen but COMMAND
failed, so it may not have done all it would; 3 the capture could not be made; 64 wrong command line.
EOF
}

interfaces=()
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --interface) [ $# -ge 2 ] || { usage >&2; exit 64; }; interfaces+=("$2"); shift 2 ;;
    --keep) [ $# -ge 2 ] || { usage >&2; exit 64; }; keep="$2"; shift 2 ;;
    --) shift; break ;;
    *) printf 'check-no-egress: unknown option %s; expected --interface, --keep, --help or -- COMMAND.\n' "$1" >&2
       exit 64 ;;
  esac
done
[ $# -gt 0 ] || set -- scripts/gameday run redis-timeouts

[ "$(id -u)" = 0 ] || die "capturing packets needs root, but this runs as $(id -un). Run it with sudo."
if ! command -v tcpdump >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "tcpdump is missing and there is no apt-get to install it; install tcpdump."
  say "installing tcpdump (apt-get)"
  { apt-get install -y -q tcpdump || { apt-get update -q && apt-get install -y -q tcpdump; }; } >/dev/null \
    || die "tcpdump is missing and apt-get could not install it; install tcpdump."
fi

if [ ${#interfaces[@]} -eq 0 ]; then
  for path in /sys/class/net/*; do
    name=$(basename "$path")
    case "$name" in lo|docker0|br-*|veth*|gdcni0|gameday0) continue ;; esac
    # "unknown" is what interfaces without carrier detection (tun, some virtual NICs) report while usable
    case "$(cat "$path/operstate" 2>/dev/null)" in up|unknown) interfaces+=("$name") ;; esac
  done
fi
[ ${#interfaces[@]} -gt 0 ] || die "found no external interface that is up (ip -br link shows them); name one with --interface."

# Addresses that may appear: loopback and the Docker bridge networks (the default bridge and user-defined ones).
allowed=(127.0.0.0/8 ::1/128)
while read -r net; do [ -n "$net" ] && allowed+=("$net"); done < <(
  { if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      docker network ls -q --filter driver=bridge | xargs -r docker network inspect \
        --format '{{range .IPAM.Config}}{{println .Subnet}}{{end}}'
    fi
    for bridge in /sys/class/net/docker0 /sys/class/net/br-*; do
      [ -e "$bridge" ] && ip -o addr show dev "$(basename "$bridge")" scope global | awk '{print $4}'
    done
  } 2>/dev/null | while read -r cidr; do
    # the bridge's own address (172.17.0.1/16) names its network; python normalises it to 172.17.0.0/16
    [ -n "$cidr" ] && python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$cidr"
  done | sort -u)

nets=""
for net in "${allowed[@]}"; do nets="${nets:+$nets or }net $net"; done
# counted: IP packets with an end outside the allowed networks; not counted: neighbour and router discovery
filter="(ip or ip6) and not ((src $nets) and (dst $nets)) and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)"

dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$dir"/*.pcap "$keep"/ 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

say "capturing on ${interfaces[*]}; allowed: ${allowed[*]}"
for name in "${interfaces[@]}"; do
  tcpdump -i "$name" -n -U -s 128 -w "$dir/$name.pcap" 2>"$dir/$name.err" &
  pids+=($!)
done
for name in "${interfaces[@]}"; do
  for _ in $(seq 50); do grep -q "listening on" "$dir/$name.err" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$dir/$name.err" || die "tcpdump could not capture on $name: $(cat "$dir/$name.err")"
done

say "running: $*"
set +e
(cd "$ROOT" && "$@")
status=$?
set -e
sleep 1  # packets still in flight when the command ends (answers, FINs) belong to it
for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()

count=0
for name in "${interfaces[@]}"; do
  lines=$(tcpdump -r "$dir/$name.pcap" -n -tttt "$filter" 2>/dev/null || true)
  [ -n "$lines" ] || continue
  n=$(printf '%s\n' "$lines" | wc -l)
  count=$((count + n))
  say "$n packet(s) on $name to or from outside addresses:"
  printf '%s\n' "$lines" | head -50 | sed 's/^/  /'
  [ "$n" -le 50 ] || say "  ... and $((n - 50)) more"
done

if [ "$count" -gt 0 ]; then
  say "FAILED: $count packet(s) to or from addresses outside loopback and the Docker bridges while '$*' ran (exit $status)."
  exit 1
fi
if [ "$status" -ne 0 ]; then
  say "no packet to or from outside addresses, but '$*' failed (exit $status), so it may not have done all it would."
  exit 2
fi
say "PASSED: not one packet to or from addresses outside loopback and the Docker bridges while '$*' ran."
