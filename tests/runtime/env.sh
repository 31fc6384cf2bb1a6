# Shared by tests/runtime/run.sh and bench/cri/run.sh: starts a loopback registry with the
# busybox and pause images, our runtime and containerd, each in temporary directories, and
# tears all of it down again (processes by PID, mounts, bridges, cgroups) on exit.
# Expects: SKIFF_BIN, and T (a fresh temporary directory).
set -euo pipefail

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # DESCRIPTION COMMAND...: up to 20 s (WAIT_TRIES tenths of a second)
  local what="$1"; shift
  for _ in $(seq 1 "${WAIT_TRIES:-200}"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "timed out waiting for $what" >&2; return 1
}

PIDS=()
TAG="skt$$"
CGROUP_ROOT="/skiff-test-$$"
SKIFF_BRIDGE="${TAG}a"
CONTAINERD_BRIDGE="${TAG}b"
# Our own bridges and subnets, used only by this run.
SKIFF_SUBNET="10.213.$(( $$ % 100 )).0/24"
CONTAINERD_SUBNET="10.213.$(( $$ % 100 + 100 )).0/24"

cleanup() {
  set +e
  for pidfile in "$T"/skiff*/root/bundles/*/conmon.pid "$T"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
  done
  # Shims whose pidfile is elsewhere (or gone): by the socket address of this run's containerd.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $T/" 2>/dev/null); do
    pkill -9 -P "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  # Container processes left behind (their monitors are gone): by the cgroups this run created.
  for dir in /sys/fs/cgroup/pids"$CGROUP_ROOT" /sys/fs/cgroup/memory"$CGROUP_ROOT"; do
    [ -d "$dir" ] && find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null
  done
  sleep 0.2
  grep -o " $T[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy$CGROUP_ROOT" ] && find "$hierarchy$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  ip link del "$SKIFF_BRIDGE" 2>/dev/null
  ip link del "$CONTAINERD_BRIDGE" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

conflist() { # NAME BRIDGE SUBNET DATADIR
  printf '{"cniVersion":"1.0.0","name":"%s","plugins":[{"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,"hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"%s"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s"}},{"type":"portmap","capabilities":{"portMappings":true}},{"type":"loopback"}]}' "$1" "$2" "$3" "$4"
}

start_registry() {
  REGISTRY_PORT="$(free_port)"
  mkdir -p "$T/registry/data"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$T/registry/data" "$REGISTRY_PORT" > "$T/registry/config.yml"
  docker-registry serve "$T/registry/config.yml" > "$T/registry/log" 2>&1 &
  PIDS+=($!)
  REGISTRY="127.0.0.1:$REGISTRY_PORT"
  wait_for "registry" curl -sf "http://$REGISTRY/v2/"
  bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/build-images.sh" "$T/images" > /dev/null
  for image in busybox pause; do
    skopeo copy -q --dest-tls-verify=false "oci:$T/images/$image:latest" "docker://$REGISTRY/library/$image:latest"
  done
  skopeo copy -q --format v2s2 --dest-tls-verify=false "oci:$T/images/hello:latest" "docker://$REGISTRY/library/hello-v2s2:latest"
  skopeo copy -q --dest-tls-verify=false "oci:$T/images/bad-diffid:latest" "docker://$REGISTRY/library/bad-diffid:latest"
}

start_auth_registry() { # a second registry requiring basic auth (user skiff / secret)
  AUTH_PORT="$(free_port)"
  mkdir -p "$T/auth-registry/data"
  htpasswd -Bbn skiff secret > "$T/auth-registry/htpasswd"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\nauth:\n  htpasswd:\n    realm: skiff-test\n    path: %s\n' \
    "$T/auth-registry/data" "$AUTH_PORT" "$T/auth-registry/htpasswd" > "$T/auth-registry/config.yml"
  docker-registry serve "$T/auth-registry/config.yml" > "$T/auth-registry/log" 2>&1 &
  PIDS+=($!)
  AUTH_REGISTRY="127.0.0.1:$AUTH_PORT"
  wait_for "auth registry" sh -c "curl -s -o /dev/null -w '%{http_code}' http://$AUTH_REGISTRY/v2/ | grep -q 401"
  skopeo copy -q --dest-tls-verify=false --dest-creds skiff:secret "oci:$T/images/busybox:latest" "docker://$AUTH_REGISTRY/private/busybox:latest"
}

start_skiff() { # NAME: a runtime with its own dirs under $T/NAME
  local dir="$T/$1"
  mkdir -p "$dir/net.d" "$dir/certs.d/docker.io"
  conflist skiff-test "$SKIFF_BRIDGE" "$SKIFF_SUBNET" "$T/ipam-skiff" > "$dir/net.d/10-test.conflist"
  # docker.io through a hosts.toml, as containerd is configured below; mirror.test through the flag.
  printf 'server = "http://%s"\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$REGISTRY" "$REGISTRY" > "$dir/certs.d/docker.io/hosts.toml"
  "$SKIFF_BIN" runtime --listen "$dir/cri.sock" --state-dir "$dir/state" --root-dir "$dir/root" \
    --cni-conf-dir "$dir/net.d" --registry-config-dir "$dir/certs.d" --registry-mirror "mirror.test=http://$REGISTRY" --cgroup-root "$CGROUP_ROOT/$1" \
    --pids-limit 1024 --log-level warning >> "$dir/log" 2>&1 &
  PIDS+=($!)
  SKIFF_PID=$!
  wait_for "skiff runtime" test -S "$dir/cri.sock"
}

start_containerd() {
  local dir="$T/containerd"
  mkdir -p "$dir/net.d"
  conflist containerd-test "$CONTAINERD_BRIDGE" "$CONTAINERD_SUBNET" "$T/ipam-containerd" > "$dir/net.d/10-test.conflist"
  for host in docker.io "$REGISTRY" ${AUTH_REGISTRY:+"$AUTH_REGISTRY"}; do
    local server="$REGISTRY"
    [ "$host" = "${AUTH_REGISTRY:-}" ] && server="$AUTH_REGISTRY"
    mkdir -p "$dir/certs.d/$host"
    printf 'server = "http://%s"\n[host."http://%s"]\n  capabilities = ["pull", "resolve", "push"]\n' "$server" "$server" > "$dir/certs.d/$host/hosts.toml"
  done
  cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$REGISTRY/library/pause:latest"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/certs.d"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      Root = "$dir/runc"
TOML
  containerd --config "$dir/config.toml" > "$dir/log" 2>&1 &
  PIDS+=($!)
  wait_for "containerd" test -S "$dir/containerd.sock"
}
