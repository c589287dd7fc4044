#!/usr/bin/env bash
# A real single-node Kubernetes cluster run directly on this host (no containers for the control plane), from the
# binaries scripts/cluster/build.sh puts in its cache. Run as root.
#
#   scripts/cluster/cluster.sh start            # start (idempotent); prints the kubeconfig path
#   scripts/cluster/cluster.sh status           # running / stopped, per component
#   scripts/cluster/cluster.sh import IMAGE...  # move images from Docker into the cluster's containerd
#   scripts/cluster/cluster.sh kubeconfig       # the kubeconfig's path (cluster-admin)
#   scripts/cluster/cluster.sh stop             # stop and undo every host change (also after a failed start / kill -9)
#
# State: $GAMEDAY_CLUSTER_STATE (default /var/lib/gameday-cluster): certificates, configs, data, logs/<component>.log.
# Nothing listens on the external interface: the node's address is 10.200.0.1 on a private link (gameday0) with no
# ports, the apiserver and the kubelet bind only to it, everything else to 127.0.0.1; pods have no route off the host.
set -euo pipefail

STATE=${GAMEDAY_CLUSTER_STATE:-/var/lib/gameday-cluster}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(bash "$HERE/build.sh" --print)

NODE_NAME=gameday-node
NODE_LINK=gameday0
CNI_BRIDGE=gdcni0
NODE_IP=10.200.0.1
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_IP=10.96.0.10
API_PORT=6443
ETCD_PORT=12379
ETCD_PEER_PORT=12380
CLUSTER_DOMAIN=cluster.local
PAUSE_IMAGE=gameday.local/pause:3.10
CTR_SOCK=$STATE/containerd/containerd.sock
KUBECONFIG_ADMIN=$STATE/kubeconfig
LOGS=$STATE/logs
PIDS=$STATE/pids
# sysctls the kubelet and kube-proxy change (and the two this script sets); stop restores them
SYSCTLS="kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys
kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables"
# start order; stop goes backwards (the apiserver must stop before etcd or it hangs)
COMPONENTS="containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kube-router coredns"

log() { echo "cluster: $*"; }
die() {
  echo "cluster: FAILED: $*" >&2
  [ -n "${STARTING:-}" ] && echo "cluster: components may be left running: '$0 stop' cleans up" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
kubectl() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

pid_of() { [ -f "$PIDS/$1" ] && cat "$PIDS/$1"; }
# alive: the pid exists, is not a zombie (PID 1 may not reap here) and is still ours (pids get reused)
alive() {
  local p; p=$(pid_of "$1") || return 1
  [ -n "$p" ] && [ -r "/proc/$p/stat" ] || return 1
  [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] || return 1
  tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF "$STATE/"
}

# run <name> <command...>: in the background, own session, output to $LOGS/<name>.log
run() {
  local name=$1; shift
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name"
}

# wait_for <seconds> <component> <what> <command...>: poll until the command succeeds; on failure name the component
wait_for() {
  local secs=$1 comp=$2 what=$3; shift 3
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    if [ "$comp" != "-" ] && ! alive "$comp"; then
      echo "--- last lines of $LOGS/$comp.log:" >&2; tail -n 15 "$LOGS/$comp.log" >&2 || true
      die "$comp exited while waiting for $what (log: $LOGS/$comp.log)"
    fi
    if [ "$(date +%s)" -ge "$end" ]; then
      [ "$comp" != "-" ] && { echo "--- last lines of $LOGS/$comp.log:" >&2; tail -n 15 "$LOGS/$comp.log" >&2 || true; }
      die "timed out after ${secs}s waiting for $what${comp:+ (component $comp, log: $LOGS/$comp.log)}"
    fi
    sleep 0.5
  done
}

phase_start=""
phase() { [ -n "$phase_start" ] && log "  $phase_name: $(since "$phase_start") s"; phase_name=$1; phase_start=$(now); }

ensure_packages() {
  local need=()
  command -v containerd >/dev/null || need+=(containerd)
  command -v runc >/dev/null || need+=(runc)
  command -v iptables >/dev/null || need+=(iptables)
  command -v ipset >/dev/null || need+=(ipset)
  command -v conntrack >/dev/null || need+=(conntrack)
  command -v openssl >/dev/null || need+=(openssl)
  command -v gcc >/dev/null || need+=(gcc)
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)
  command -v dig >/dev/null || need+=(bind9-dnsutils)
  command -v ip >/dev/null || need+=(iproute2)
  command -v curl >/dev/null || need+=(curl)
  command -v modprobe >/dev/null || need+=(kmod)
  command -v setsid >/dev/null || need+=(util-linux)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing Debian packages: ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >"$STATE/apt.log" 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$STATE/apt.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >>"$STATE/apt.log" 2>&1; } ||
      die "apt-get install ${need[*]} (log: $STATE/apt.log)"
  fi
}

# ---------------------------------------------------------------------------------------------------------- certificates
ca_sign() { # <name> <subject> [<san>]: key + certificate signed by the cluster CA
  local name=$1 subj=$2 san=${3:-} dir=$STATE/pki
  [ -f "$dir/$name.crt" ] && return 0
  openssl genrsa -out "$dir/$name.key" 2048 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subj" -out "$dir/$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${4:-clientAuth}"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 365 \
    -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}

kubeconfig() { # <file> <cert name>
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: gameday
  cluster:
    certificate-authority: $STATE/pki/ca.crt
    server: https://$NODE_IP:$API_PORT
users:
- name: $2
  user:
    client-certificate: $STATE/pki/$2.crt
    client-key: $STATE/pki/$2.key
contexts:
- name: gameday
  context: {cluster: gameday, user: $2}
current-context: gameday
EOF
}

make_pki() {
  local d=$STATE/pki
  mkdir -p "$d"; chmod 700 "$d"
  if [ ! -f "$d/ca.crt" ]; then
    openssl genrsa -out "$d/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$d/ca.key" -subj "/CN=gameday-cluster-ca" -days 365 -out "$d/ca.crt" 2>/dev/null
  fi
  [ -f "$d/sa.key" ] || { openssl genrsa -out "$d/sa.key" 2048 2>/dev/null; openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null; }
  ca_sign etcd-server "/CN=etcd" "IP:127.0.0.1,DNS:localhost" "serverAuth,clientAuth"
  ca_sign apiserver-etcd-client "/CN=kube-apiserver-etcd-client"
  ca_sign apiserver "/CN=kube-apiserver" \
    "IP:$NODE_IP,IP:127.0.0.1,IP:$API_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost" \
    serverAuth
  ca_sign apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client"
  ca_sign admin "/O=system:masters/CN=gameday-admin"
  ca_sign controller-manager "/CN=system:kube-controller-manager"
  ca_sign scheduler "/CN=system:kube-scheduler"
  ca_sign kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  ca_sign kubelet-serving "/CN=$NODE_NAME" "IP:$NODE_IP,DNS:$NODE_NAME" serverAuth
  ca_sign kube-proxy "/CN=system:kube-proxy"
  ca_sign kube-router "/CN=gameday:kube-router"
  ca_sign coredns "/CN=gameday:coredns"
  for c in admin controller-manager scheduler kubelet kube-proxy kube-router coredns; do
    kubeconfig "$STATE/$c.kubeconfig" "$c"
  done
  cp "$STATE/admin.kubeconfig" "$KUBECONFIG_ADMIN"
}

# --------------------------------------------------------------------------------------------------------- pause image
# No registry: a static pause binary packed as a docker-archive and imported into containerd.
make_pause_image() {
  local d=$STATE/images/pause out=$STATE/images/pause.tar
  [ -f "$out" ] && return 0
  rm -rf "$d"; mkdir -p "$d/rootfs" "$d/archive"
  cat > "$d/pause.c" <<'EOF'
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void die(int s) { (void) s; _exit(0); }
static void reap(int s) { (void) s; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction a = {0}, b = {0};
  a.sa_handler = die; sigaction(SIGINT, &a, NULL); sigaction(SIGTERM, &a, NULL);
  b.sa_handler = reap; b.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &b, NULL);
  for (;;) pause();
}
EOF
  gcc -static -Os -o "$d/rootfs/pause" "$d/pause.c" || die "gcc -static pause.c (is libc6-dev installed?)"
  strip "$d/rootfs/pause" 2>/dev/null || true
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$d/rootfs" -cf "$d/archive/layer.tar" pause
  local diff; diff=$(sha256sum "$d/archive/layer.tar" | cut -d' ' -f1)
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"gameday cluster.sh"}]}' \
    "$diff" > "$d/archive/config.json"
  local cfg; cfg=$(sha256sum "$d/archive/config.json" | cut -d' ' -f1)
  mv "$d/archive/config.json" "$d/archive/$cfg.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$cfg" "$PAUSE_IMAGE" > "$d/archive/manifest.json"
  tar -C "$d/archive" -cf "$out" .
}

# ------------------------------------------------------------------------------------------------------------ configs
write_configs() {
  mkdir -p "$STATE/containerd/root" "$STATE/containerd/state" "$STATE/cni/net.d" "$STATE/cni/bin" "$STATE/cni/ipam" \
    "$STATE/etcd" "$STATE/kubelet" "$STATE/pod-logs" "$STATE/coredns"
  chmod 700 "$STATE/etcd"
  for p in bridge loopback host-local portmap; do ln -sf "$BIN/$p" "$STATE/cni/bin/$p"; done
  cat > "$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = "$CTR_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$STATE/cni/bin"
    conf_dir = "$STATE/cni/net.d"
EOF
  # bridge without masquerade: pods talk to each other and to the node's private address, never off the host
  cat > "$STATE/cni/net.d/10-gameday.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "gameday",
  "plugins": [
    {"type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam",
              "ranges": [[{"subnet": "$NODE_POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  echo "nameserver $DNS_IP" > "$STATE/resolv.conf"
  cat > "$STATE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $STATE/pki/kubelet-serving.crt
tlsPrivateKeyFile: $STATE/pki/kubelet-serving.key
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CTR_SOCK
clusterDNS: [$DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $STATE/resolv.conf
podLogsDir: $STATE/pod-logs
failSwapOn: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
podCIDR: $NODE_POD_CIDR
EOF
  cat > "$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $STATE/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [127.0.0.0/8, $NODE_IP/32]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  # CoreDNS as a host process on the node address; the kube-dns Service (10.96.0.10) points at it.
  # No forward plugin: only cluster names are answered, no query leaves the host.
  cat > "$STATE/coredns/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:18080
    ready 127.0.0.1:18181
    kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
        kubeconfig $STATE/coredns.kubeconfig gameday
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
}
EOF
}

record_host() {
  [ -f "$STATE/host-before" ] && return 0
  { for s in $SYSCTLS; do v=$(sysctl -n "$s" 2>/dev/null) && echo "$s=$v"; done; } > "$STATE/host-before.tmp"
  [ -e /var/log/containers ] && echo "varlogcontainers=1" >> "$STATE/host-before.tmp"
  mv "$STATE/host-before.tmp" "$STATE/host-before"
}

host_network() {
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 ||
    die "could not set net.ipv4.ip_forward / net.bridge.bridge-nf-call-iptables (is br_netfilter available?)"
  if ! ip link show "$NODE_LINK" >/dev/null 2>&1; then
    ip link add "$NODE_LINK" type bridge   # no ports: only carries the node's address (this kernel has no dummy links)
  fi
  ip addr replace "$NODE_IP/32" dev "$NODE_LINK"
  ip link set "$NODE_LINK" up
  # Docker sets FORWARD to DROP: accept pod-to-pod traffic (appended, after kube-router's and kube-proxy's chains,
  # so NetworkPolicy still applies), and drop anything else into or out of the pod network.
  iptables -N GAMEDAY-FORWARD 2>/dev/null || iptables -F GAMEDAY-FORWARD
  iptables -A GAMEDAY-FORWARD -s "$POD_CIDR" -d "$POD_CIDR" -j ACCEPT
  iptables -A GAMEDAY-FORWARD -s "$POD_CIDR" -j DROP
  iptables -A GAMEDAY-FORWARD -d "$POD_CIDR" -j DROP
  iptables -C FORWARD -j GAMEDAY-FORWARD 2>/dev/null || iptables -A FORWARD -j GAMEDAY-FORWARD
  # the node's address is for this host and its pods only
  iptables -N GAMEDAY-INPUT 2>/dev/null || iptables -F GAMEDAY-INPUT
  iptables -A GAMEDAY-INPUT -i lo -j RETURN
  iptables -A GAMEDAY-INPUT -i "$CNI_BRIDGE" -j RETURN
  iptables -A GAMEDAY-INPUT -d "$NODE_IP" -j DROP
  iptables -C INPUT -j GAMEDAY-INPUT 2>/dev/null || iptables -I INPUT -j GAMEDAY-INPUT
}

node_ready() {
  [ "$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
dns_answers() { dig +time=1 +tries=1 +short "@$DNS_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN" | grep -qx "$API_SERVICE_IP"; }

cluster_objects() {
  kubectl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: gameday:apiserver-kubelet-client}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:kubelet-api-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: kube-apiserver-kubelet-client}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: gameday:kube-proxy}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node-proxier}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:kube-proxy}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gameday:coredns}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: gameday:coredns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gameday:coredns}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "gameday:coredns"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gameday:kube-router}
rules:
- {apiGroups: [""], resources: [namespaces, pods, services, nodes, endpoints], verbs: [list, get, watch]}
- {apiGroups: [networking.k8s.io], resources: [networkpolicies], verbs: [list, get, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, get, watch]}
- {apiGroups: [""], resources: [nodes], verbs: [patch, update]}
- {apiGroups: [""], resources: [events], verbs: [create, patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: gameday:kube-router}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gameday:kube-router}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "gameday:kube-router"}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_IP
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: v1
kind: Endpoints
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
subsets:
- addresses: [{ip: $NODE_IP}]
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
}

running_count() { local n=0; for c in $COMPONENTS; do alive "$c" && n=$((n + 1)); done; echo $n; }

# ------------------------------------------------------------------------------------------------------------ start
start() {
  [ "$(id -u)" = 0 ] || die "run as root"
  mkdir -p "$STATE" "$LOGS" "$PIDS"
  local n; n=$(running_count)
  if [ "$n" = "$(echo $COMPONENTS | wc -w)" ] && node_ready; then
    log "already running ($n components); kubeconfig:"; echo "$KUBECONFIG_ADMIN"; return 0
  fi
  [ "$n" = 0 ] || die "$n of $(echo $COMPONENTS | wc -w) components run but the cluster is not healthy: run '$0 stop' first"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl etcd kube-router coredns \
           bridge loopback host-local portmap; do
    [ -x "$BIN/$b" ] || die "missing $BIN/$b: run scripts/cluster/build.sh"
  done
  foreign_check start
  # debris of an earlier run (killed, or a start that failed): clean it first
  if [ -n "$(leftover_pids)" ] || [ -f "$STATE/host-before" ]; then
    log "cleaning up after an earlier run first"; ( stop ) || die "cleaning up after an earlier run"
  fi
  STARTING=1
  for f in "$LOGS"/*.log; do [ -f "$f" ] && mv "$f" "$f.prev"; done
  local t0; t0=$(now)
  phase "packages";      ensure_packages
  phase "host";          record_host; host_network
  phase "certificates"
  # every start is a fresh, empty cluster (no stale Node status or pods from a previous run); images stay in containerd
  rm -rf "$STATE/etcd" "$STATE/kubelet" "$STATE/pod-logs" "$STATE/cni/ipam"
  make_pki; write_configs; make_pause_image

  phase "containerd"
  run containerd /usr/bin/containerd --config "$STATE/containerd/config.toml"
  wait_for 30 containerd "containerd's socket" ctr -a "$CTR_SOCK" version
  ctr -a "$CTR_SOCK" -n k8s.io images import "$STATE/images/pause.tar" \
    >>"$LOGS/containerd.log" 2>&1 || die "importing the pause image (log: $LOGS/containerd.log)"

  phase "etcd"
  local p=$STATE/pki
  run etcd "$BIN/etcd" --name gameday --data-dir "$STATE/etcd" \
    --listen-client-urls "https://127.0.0.1:$ETCD_PORT" --advertise-client-urls "https://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "gameday=http://127.0.0.1:$ETCD_PEER_PORT" \
    --cert-file "$p/etcd-server.crt" --key-file "$p/etcd-server.key" \
    --client-cert-auth --trusted-ca-file "$p/ca.crt" --unsafe-no-fsync --snapshot-count 10000
  wait_for 30 etcd "etcd health" curl -sf --cacert "$p/ca.crt" --cert "$p/apiserver-etcd-client.crt" \
    --key "$p/apiserver-etcd-client.key" "https://127.0.0.1:$ETCD_PORT/health"

  phase "kube-apiserver"
  run kube-apiserver "$BIN/kube-apiserver" --bind-address "$NODE_IP" --advertise-address "$NODE_IP" \
    --secure-port "$API_PORT" --etcd-servers "https://127.0.0.1:$ETCD_PORT" \
    --etcd-cafile "$p/ca.crt" --etcd-certfile "$p/apiserver-etcd-client.crt" --etcd-keyfile "$p/apiserver-etcd-client.key" \
    --client-ca-file "$p/ca.crt" --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" \
    --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$p/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true --anonymous-auth=false \
    --profiling=false --endpoint-reconciler-type lease
  wait_for 90 kube-apiserver "the apiserver's /readyz" kubectl get --raw /readyz

  phase "controllers"
  run kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --cluster-signing-cert-file "$p/ca.crt" --cluster-signing-key-file "$p/ca.key" \
    --allocate-node-cidrs --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 --service-cluster-ip-range "$SERVICE_CIDR" \
    --controllers '*,-cloud-node-lifecycle' --profiling=false
  run kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --profiling=false
  cluster_objects || die "creating RBAC bindings and the kube-dns Service (kubectl)"

  phase "kubelet"
  run kubelet "$BIN/kubelet" --config "$STATE/kubelet.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1
  run kube-proxy "$BIN/kube-proxy" --config "$STATE/kube-proxy.yaml"
  wait_for 90 kubelet "node $NODE_NAME Ready" node_ready
  alive kube-proxy || die "kube-proxy exited (log: $LOGS/kube-proxy.log)"

  phase "kube-router"
  run kube-router "$BIN/kube-router" --kubeconfig "$STATE/kube-router.kubeconfig" --hostname-override "$NODE_NAME" \
    --run-firewall=true --run-router=false --run-service-proxy=false \
    --health-port 0 --metrics-port 0 --v 1
  wait_for 30 kube-router "kube-router's network policy controller" grep -q 'network policy controller full sync' "$LOGS/kube-router.log"

  phase "coredns"
  run coredns "$BIN/coredns" -conf "$STATE/coredns/Corefile"
  wait_for 60 coredns "CoreDNS answering on $DNS_IP" dns_answers
  phase_start_end=$(since "$t0")
  log "  $phase_name: $(since "$phase_start") s"
  log "running: node $NODE_NAME Ready, DNS answers; started in $phase_start_end s; kubeconfig:"
  echo "$KUBECONFIG_ADMIN"
}

# ------------------------------------------------------------------------------------------------------------ stop
stop_one() { # <name>: SIGTERM, then SIGKILL after a grace period; also any leftover process of that binary in $STATE
  local name=$1 pid
  pid=$(pid_of "$name" 2>/dev/null) || true
  if [ -n "$pid" ] && alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$name" || break; sleep 0.25; done
    if alive "$name"; then log "  $name did not stop in 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDS/$name"
}

# Cluster processes on this host: "ours" name $STATE/ on their command line (shims carry our containerd's socket as
# -address), "foreign" ones belong to another cluster (another state directory): never touch those, nor the host
# state they share (iptables chains, ipsets, netns, kubepods cgroups).
cluster_pids() { # ours|foreign
  local pid exe cmd
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    case "${exe##*/}" in
      kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy|kube-router|etcd|coredns|containerd|containerd-shim-runc-v2) ;;
      *) continue ;;
    esac
    cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || continue
    case "$cmd" in
      *"$STATE/"*) [ "$1" = ours ] && echo "$pid" ;;
      */var/run/docker/*|*/run/docker/*|*moby*) ;;   # Docker's own containerd and its shims
      *) [ "$1" = foreign ] && echo "$pid" ;;
    esac
  done
  return 0
}
leftover_pids() { cluster_pids ours; }
foreign_check() { # <what we are about to do>
  local f; f=$(cluster_pids foreign | head -5 | tr '\n' ' ')
  [ -z "$f" ] && return 0
  for pid in $f; do echo "  pid $pid: $(tr '\0' ' ' < /proc/$pid/cmdline | cut -c1-150)" >&2; done
  die "another Kubernetes cluster runs on this host (not from $STATE); refusing to $1"
}

stop() {
  [ "$(id -u)" = 0 ] || die "run as root"
  if [ ! -d "$STATE" ]; then log "not running (no state in $STATE): nothing to do"; return 0; fi
  local t0 left; t0=$(now)
  left=$(leftover_pids | wc -l)
  if [ "$(running_count)" = 0 ] && [ "$left" = 0 ] && [ ! -f "$STATE/host-before" ] && ! ip link show "$NODE_LINK" >/dev/null 2>&1; then
    log "not running: nothing to do"; return 0
  fi
  foreign_check "stop and clean the shared host state"
  log "stopping"
  # best effort from here on: every step runs even if an earlier one found nothing to do or failed
  set +e +o pipefail
  # pods first, through the CRI, while containerd still runs (stops containers, tears down their netns via CNI)
  if alive kubelet; then stop_one kubelet; fi
  if [ -S "$CTR_SOCK" ] && ctr -a "$CTR_SOCK" version >/dev/null 2>&1; then
    for t in $(ctr -a "$CTR_SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$CTR_SOCK" -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true
    done
    sleep 1
    for t in $(ctr -a "$CTR_SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$CTR_SOCK" -n k8s.io tasks delete -f "$t" >/dev/null 2>&1 || true
    done
    for c in $(ctr -a "$CTR_SOCK" -n k8s.io containers ls -q 2>/dev/null); do
      ctr -a "$CTR_SOCK" -n k8s.io containers delete "$c" >/dev/null 2>&1 || true
    done
  fi
  for c in $(echo $COMPONENTS | tr ' ' '\n' | tac); do stop_one "$c"; done
  # anything left (pid files lost, script killed): SIGKILL. Shims die with their containers' processes.
  for pid in $(leftover_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  # containers whose shim or pids survived: kill by cgroup
  for cg in /sys/fs/cgroup/*/kubepods; do
    [ -d "$cg" ] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  done
  sleep 0.5
  for pid in $(leftover_pids); do kill -KILL "$pid" 2>/dev/null || true; done

  # kube-router's own cleanup (iptables chains, ipsets) then the rest by hand
  "$BIN/kube-router" --cleanup-config >>"$LOGS/kube-router-cleanup.log" 2>&1 || true
  cleanup_iptables
  ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router-|inet6:KUBE-|inet6:kube-router-)' | while read -r s; do
    ipset destroy "$s" 2>/dev/null || true
  done
  # network namespaces and mounts left by pods, containerd and the kubelet
  for ns in $(ls /var/run/netns 2>/dev/null | grep -E '^cni-'); do ip netns delete "$ns" 2>/dev/null || true; done
  awk '{print $2}' /proc/mounts | grep -E "^($STATE/|/var/run/netns/cni-|/run/netns/cni-)" \
    | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for l in "$CNI_BRIDGE" "$NODE_LINK" kube-bridge kube-dummy-if; do ip link del "$l" 2>/dev/null || true; done
  # kubepods cgroups (children first)
  for cg in /sys/fs/cgroup/*/kubepods; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  # sysctls back to what they were before start
  if [ -f "$STATE/host-before" ]; then
    while IFS='=' read -r k v; do
      case "$k" in varlogcontainers) continue ;; esac
      sysctl -qw "$k=$v" 2>/dev/null || true
    done < "$STATE/host-before"
    # the kubelet links container logs into /var/log/containers: drop our links, and the directory if we made it
    find /var/log/containers -maxdepth 1 -lname "$STATE/*" -delete 2>/dev/null
    grep -q '^varlogcontainers=1' "$STATE/host-before" || rmdir /var/log/containers 2>/dev/null
    rm -f "$STATE/host-before"
  fi
  rm -f "$CTR_SOCK" "$CTR_SOCK.ttrpc"
  log "stopped in $(since "$t0") s (state, certificates and logs kept in $STATE)"
}

cleanup_iptables() {
  local t chain
  for t in filter nat mangle raw; do
    # drop every rule that jumps to our chains, then flush and delete the chains
    iptables -t "$t" -S 2>/dev/null | grep -E '^-A .* -j (KUBE-|CNI-|GAMEDAY-)' | grep -vE '^-A (KUBE-|CNI-|GAMEDAY-)' \
      | sed 's/^-A /-D /' | while read -r rule; do eval "iptables -t $t $rule" 2>/dev/null || true; done
    for chain in $(iptables -t "$t" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-|GAMEDAY-)/ {print $2}'); do
      iptables -t "$t" -F "$chain" 2>/dev/null || true
    done
    for chain in $(iptables -t "$t" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-|GAMEDAY-)/ {print $2}'); do
      iptables -t "$t" -X "$chain" 2>/dev/null || true
    done
  done
}

status() {
  local c any=0
  for c in $COMPONENTS; do
    if alive "$c"; then echo "$c: running (pid $(pid_of "$c"))"; any=1; else echo "$c: stopped"; fi
  done
  if [ $any = 1 ] && node_ready && dns_answers; then
    echo "cluster: running; kubeconfig $KUBECONFIG_ADMIN"; return 0
  fi
  [ $any = 1 ] && { echo "cluster: partly running (not healthy)"; return 1; }
  echo "cluster: stopped"; return 3
}

import_image() {
  [ -n "${1:-}" ] || die "usage: $0 import IMAGE"
  ctr -a "$CTR_SOCK" version >/dev/null 2>&1 || die "the cluster's containerd does not answer on $CTR_SOCK: is the cluster started?"
  docker save "$1" | ctr -a "$CTR_SOCK" -n k8s.io images import - >/dev/null || die "importing $1"
  log "imported $1"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  import)
    [ -n "${2:-}" ] || die "usage: $0 import IMAGE..."
    shift
    for image in "$@"; do import_image "$image"; done ;;
  kubeconfig) echo "$KUBECONFIG_ADMIN" ;;
  *) echo "usage: $0 start|stop|status|import IMAGE...|kubeconfig" >&2; exit 2 ;;
esac
