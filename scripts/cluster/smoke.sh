#!/usr/bin/env bash
# Smoke test of a cluster started by scripts/cluster/cluster.sh: node Ready, a Deployment of a locally imported image,
# pod replacement, Service DNS from a pod, NetworkPolicy enforcement (kube-router), OOMKill under a 64Mi limit.
# Exits non-zero with a message on the first failure; removes its namespace at the end.
#
#   scripts/cluster/smoke.sh            # same GAMEDAY_CLUSTER_STATE as cluster.sh
set -euo pipefail

STATE=${GAMEDAY_CLUSTER_STATE:-/var/lib/gameday-cluster}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(bash "$HERE/build.sh" --print)
IMAGE=${GAMEDAY_SMOKE_IMAGE:-gameday.local/redis:7.0}
NS=gameday-smoke
k() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }
ok() { echo "smoke: ok   $*"; }
fail() { echo "smoke: FAIL $*" >&2; k -n "$NS" get pods -o wide >&2 2>/dev/null || true; exit 1; }
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - t0 )) s"; }
# until <seconds> <command...>
until_ok() { local end=$(( $(date +%s) + $1 )); shift; until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.5; done; }

[ -f "$STATE/kubeconfig" ] || fail "no kubeconfig in $STATE: is the cluster started (scripts/cluster/cluster.sh start)?"
[ "$(k get nodes -o jsonpath='{.items[0].status.conditions[?(@.type=="Ready")].status}')" = True ] || fail "node not Ready"
ok "node Ready ($(k get nodes -o jsonpath='{.items[0].status.nodeInfo.kubeletVersion}'))"

bash "$HERE/cluster.sh" import "$IMAGE" >/dev/null || fail "import of $IMAGE from Docker"
ok "imported $IMAGE from Docker"

k delete namespace "$NS" --ignore-not-found --wait=true >/dev/null
k create namespace "$NS" >/dev/null
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: server}
spec:
  replicas: 1
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: redis
        image: $IMAGE
        imagePullPolicy: Never
        args: [redis-server, --save, "", --appendonly, "no", --protected-mode, "no"]
        readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: server}
spec:
  selector: {app: server}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: client
    image: $IMAGE
    imagePullPolicy: Never
    command: [sleep, infinity]
EOF
k -n "$NS" rollout status deployment/server --timeout=90s >/dev/null || fail "Deployment server not available in 90 s"
k -n "$NS" wait pod/client --for=condition=Ready --timeout=60s >/dev/null || fail "client pod not Ready in 60 s"
ok "Deployment of $IMAGE (imagePullPolicy Never) available ($(elapsed))"

old=$(k -n "$NS" get pods -l app=server -o jsonpath='{.items[0].metadata.name}')
k -n "$NS" delete pod "$old" --wait=false >/dev/null
replaced() {
  k -n "$NS" get pods -l app=server -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
    | grep -v "^$old " | grep -q ' True$'
}
s=$(date +%s)
until_ok 60 replaced || fail "deleted pod $old not replaced by a Ready pod within 60 s"
ok "deleted pod replaced and Ready in $(( $(date +%s) - s )) s"
# the old pod must be gone before its address is used below (a terminating pod would fake the NetworkPolicy checks)
k -n "$NS" wait --for=delete "pod/$old" --timeout=60s >/dev/null 2>&1 || fail "deleted pod $old still there after 60 s"

svc_ip=$(k -n "$NS" get service server -o jsonpath='{.spec.clusterIP}')
resolved=$(k -n "$NS" exec client -- getent hosts "server.$NS.svc.cluster.local" | awk '{print $1}') || true
[ "$resolved" = "$svc_ip" ] || fail "DNS from a pod: server.$NS.svc.cluster.local resolved to '$resolved', expected $svc_ip"
ok "DNS from a pod: server.$NS.svc.cluster.local -> $svc_ip"
ping_server() { [ "$(k -n "$NS" exec client -- timeout 2 redis-cli -h "$1" ping 2>/dev/null)" = PONG ]; }
until_ok 20 ping_server server || fail "client cannot reach the server through its Service name"
ok "pod to Service by name (redis PING)"

pod_ip=$(k -n "$NS" get pods -l app=server -o jsonpath='{range .items[?(@.status.containerStatuses[0].ready==true)]}{.status.podIP}{"\n"}{end}' | head -1)
[ -n "$pod_ip" ] || fail "no Ready server pod"
ping_server "$pod_ip" || fail "client cannot reach the server pod $pod_ip before any NetworkPolicy"
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
EOF
s=$(date +%s)
blocked() { ! ping_server "$pod_ip"; }
until_ok 20 blocked || fail "NetworkPolicy deny-all did not block pod-to-pod traffic within 20 s (is kube-router running?)"
ok "NetworkPolicy deny-all blocks pod-to-pod traffic (after $(( $(date +%s) - s )) s)"
k -n "$NS" delete networkpolicy deny-all >/dev/null
s=$(date +%s)
until_ok 20 ping_server "$pod_ip" || fail "traffic not restored within 20 s after removing the NetworkPolicy"
ok "removing it restores traffic (after $(( $(date +%s) - s )) s)"

k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  containers:
  - name: hog
    image: $IMAGE
    imagePullPolicy: Never
    command: [sh, -c, "tail /dev/zero"]
    resources: {limits: {memory: 64Mi}}
EOF
oomed() {
  local r
  r=$(k -n "$NS" get pod oom -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].restartCount}')
  set -- $r
  [ "${1:-}" = OOMKilled ] && [ "${2:-}" = 137 ] && [ "${3:-0}" -ge 2 ]
}
until_ok 90 oomed || fail "pod over its 64Mi limit not OOMKilled (exit 137) twice in 90 s: $(k -n "$NS" get pod oom -o jsonpath='{.status.containerStatuses[0]}')"
ok "container over 64Mi OOMKilled: exit 137, restartCount $(k -n "$NS" get pod oom -o jsonpath='{.status.containerStatuses[0].restartCount}')"

k delete namespace "$NS" --wait=false >/dev/null
echo "smoke: all checks passed in $(elapsed)"
