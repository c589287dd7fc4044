#!/usr/bin/env bash
# Builds the binaries of a real single-node Kubernetes cluster from the Go module proxy, at pinned versions, into a
# cache that later runs reuse (seconds when nothing changed; about 10 minutes cold on 2 cores). kind, k3d and k3s
# cannot run on these machines (no registry, no privileged containers), so the cluster is upstream Kubernetes run on
# the host; scripts/cluster/cluster.sh starts and stops it.
#
#   scripts/cluster/build.sh            # build what is missing
#   scripts/cluster/build.sh --print    # where the binaries are
#
# Cache: $GAMEDAY_CLUSTER_CACHE (default ~/.cache/gameday/cluster), one directory per version set. Go's own module
# and build caches (go env GOMODCACHE GOCACHE) hold about 5 GB after a build and make a rebuild fast.
set -euo pipefail

K8S_VERSION=v1.32.13
# the staging modules are published as v0.<minor>.<patch>; the proxy refuses endpointslice v0.32.13, serves v0.32.12
STAGING_VERSION=v0.32.13
ENDPOINTSLICE_VERSION=v0.32.12
ETCD_VERSION=v3.5.21
CNI_PLUGINS_VERSION=v1.6.2
KUBE_ROUTER_VERSION=v2.1.0
COREDNS_VERSION=v1.14.7

CACHE=${GAMEDAY_CLUSTER_CACHE:-$HOME/.cache/gameday/cluster}
SET="k8s-$K8S_VERSION-etcd-$ETCD_VERSION-cni-$CNI_PLUGINS_VERSION-router-$KUBE_ROUTER_VERSION-dns-$COREDNS_VERSION"
BIN="$CACHE/$SET/bin"

if [ "${1:-}" = "--print" ]; then
  echo "$BIN"
  exit 0
fi

# the Go toolchain where the machines have it, when it is not on PATH
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null || { echo "cluster: no Go toolchain on PATH (expected go 1.23 or newer); install Go first" >&2; exit 3; }
mkdir -p "$BIN"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
# no telemetry: nothing leaves the machine but module downloads from the proxy
go telemetry off >/dev/null 2>&1 || true

log() { echo "cluster: $*"; }
have() { for b in "$@"; do [ -x "$BIN/$b" ] || return 1; done; }
timed() { local start; start=$(date +%s); "$@"; log "  done in $(( $(date +%s) - start )) s"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_kubernetes() {
  local mod="$work/kubernetes" major minor
  major=${K8S_VERSION#v}; major=${major%%.*}
  minor=${K8S_VERSION#v"$major".}; minor=${minor%%.*}
  mkdir -p "$mod"
  {
    echo "module gameday.local/kubernetes-build"
    echo
    echo "go 1.23.0"
    echo
    echo "godebug default=go1.23"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider cluster-bootstrap \
             code-generator component-base component-helpers controller-manager cri-api cri-client csi-translation-lib \
             dynamic-resource-allocation externaljwt kms kube-aggregator kube-controller-manager kube-proxy \
             kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission; do
      echo "	k8s.io/$m => k8s.io/$m $STAGING_VERSION"
    done
    echo "	k8s.io/endpointslice => k8s.io/endpointslice $ENDPOINTSLICE_VERSION"
    # the proxy refuses the sample modules, and nothing built here needs them: empty local stand-ins
    for m in sample-apiserver sample-cli-plugin sample-controller; do
      echo "	k8s.io/$m => ./stub/$m"
    done
    echo ")"
  } > "$mod/go.mod"
  for m in sample-apiserver sample-cli-plugin sample-controller; do
    mkdir -p "$mod/stub/$m"
    printf 'module k8s.io/%s\n\ngo 1.23.0\n' "$m" > "$mod/stub/$m/go.mod"
  done
  local ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean"
  done
  # -mod=mod (GOFLAGS): each build adds what its command needs to the wrapper module, at the versions above
  (cd "$mod" &&
   for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
     go build -trimpath -ldflags "-s -w$ldflags" -o "$BIN/$cmd" "k8s.io/kubernetes/cmd/$cmd"
   done)
}

build_module() { # <module>@<version> <package> <binary>
  local mod="$work/$3"
  mkdir -p "$mod"
  (cd "$mod" && go mod init "gameday.local/$3" >/dev/null 2>&1 && go get "$1" >/dev/null &&
   go build -trimpath -ldflags "-s -w" -o "$BIN/$3" "$2")
}

build_cni() {
  mkdir -p "$work/cni"
  (cd "$work/cni" && go mod init gameday.local/cni >/dev/null 2>&1 &&
   go get "github.com/containernetworking/plugins@$CNI_PLUGINS_VERSION" >/dev/null &&
   for p in main/bridge main/loopback ipam/host-local meta/portmap; do
     go build -trimpath -ldflags "-s -w" -o "$BIN/${p##*/}" "github.com/containernetworking/plugins/plugins/$p"
   done)
}

if ! have kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; then
  log "building Kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy,"
  log "  kubectl: Debian's is 1.20, too old to speak to 1.32)"
  timed build_kubernetes
fi
if ! have etcd; then
  log "building etcd $ETCD_VERSION"
  timed build_module "go.etcd.io/etcd/server/v3@$ETCD_VERSION" go.etcd.io/etcd/server/v3 etcd
fi
if ! have bridge loopback host-local portmap; then
  log "building the CNI plugins $CNI_PLUGINS_VERSION (bridge, loopback, host-local, portmap)"
  timed build_cni
fi
if ! have kube-router; then
  log "building kube-router $KUBE_ROUTER_VERSION (the NetworkPolicy firewall)"
  timed build_module "github.com/cloudnativelabs/kube-router/v2@$KUBE_ROUTER_VERSION" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router kube-router
fi
if ! have coredns; then
  log "building CoreDNS $COREDNS_VERSION (cluster DNS)"
  timed build_module "github.com/coredns/coredns@$COREDNS_VERSION" github.com/coredns/coredns coredns
fi
log "binaries in $BIN"
