#!/usr/bin/env bash
# A cluster of several nodes on one machine, for demos: `skiff server` and N `skiff agent`s, each
# in a network namespace of its own (its own node address), joined by a bridge inside the
# server's namespace. Each node gets a pod range from the server and routes the others' ranges,
# so pods reach pods on other nodes. Needs root and a built skiff (make build-release).
#   scripts/netns-cluster.sh up [AGENTS]   start (default 2 agents); state under $DIR
#   scripts/netns-cluster.sh kubectl ARGS  kubectl against it (run inside the server's namespace)
#   scripts/netns-cluster.sh down          stop everything started and remove the namespaces
# Images come from the registries configured for docker.io; REGISTRY_MIRROR=host:port (reachable
# from inside the namespaces) points docker.io there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${SKIFF_BIN:-$ROOT/.build/release/skiff}"
DIR="${DIR:-/tmp/skiff-netns-cluster}"
LAN="${LAN:-10.215.0}"
CLUSTER_CIDR="${CLUSTER_CIDR:-10.216.0.0/16}"
NS=skiffdemo

node_args() { # NAME: per-node state under $DIR/NAME
  local d="$DIR/$1"
  echo --kubelet-root-dir "$d/kubelet" --pod-logs-dir "$d/logs" --kubelet-cgroup-root "/kubepods-$1" \
    --listen "$d/runtime/cri.sock" --state-dir "$d/runtime/state" --root-dir "$d/runtime/root" \
    --cni-conf-dir "$d/runtime/net.d" --cgroup-root "/skiff-$1" --csi-state-dir "$d/csi" \
    ${REGISTRY_MIRROR:+--registry-mirror docker.io=http://$REGISTRY_MIRROR}
}

up() {
  local agents="${1:-2}"
  [ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
  [ -x "$BIN" ] || { echo "no skiff at $BIN (make build-release)" >&2; exit 1; }
  mkdir -p "$DIR"
  ip netns add "$NS-server"
  ip -n "$NS-server" link set lo up
  ip -n "$NS-server" link add lan0 type bridge
  ip -n "$NS-server" addr add "$LAN.1/24" dev lan0
  ip -n "$NS-server" link set lan0 up
  # shellcheck disable=SC2046
  nsenter --net="/run/netns/$NS-server" "$BIN" server --data-dir "$DIR/server/data" --bind-address 0.0.0.0 \
    --node-name server --node-ip "$LAN.1" --kubelet-address "$LAN.1" --cluster-cidr "$CLUSTER_CIDR" \
    $(node_args server) > "$DIR/server.out" 2> "$DIR/server.log" &
  echo $! > "$DIR/server.pid"
  for _ in $(seq 1 300); do grep -q "ready on" "$DIR/server.out" 2>/dev/null && break; sleep 0.2; done
  grep -q "ready on" "$DIR/server.out" || { echo "server did not start; see $DIR/server.log" >&2; exit 1; }
  local token; token="$(cat "$DIR/server/data/pki/join-token")"
  for i in $(seq 1 "$agents"); do
    local name="agent$i" ip="$LAN.$((i + 1))"
    ip netns add "$NS-$name"
    ip -n "$NS-$name" link set lo up
    ip -n "$NS-server" link add "lan-$name" type veth peer name eth0 netns "$NS-$name"
    ip -n "$NS-server" link set "lan-$name" master lan0 up
    ip -n "$NS-$name" addr add "$ip/24" dev eth0
    ip -n "$NS-$name" link set eth0 up
    # shellcheck disable=SC2046
    nsenter --net="/run/netns/$NS-$name" "$BIN" agent --server "https://$LAN.1:6443" --token "$token" \
      --ca-file "$DIR/server/data/pki/ca.crt" --node-name "$name" --node-ip "$ip" --kubelet-address "$ip" \
      $(node_args "$name") > /dev/null 2> "$DIR/$name.log" &
    echo $! > "$DIR/$name.pid"
  done
  echo "up: server and $agents agents; try: $0 kubectl get nodes -o wide"
}

kubectl_in() {
  exec nsenter --net="/run/netns/$NS-server" kubectl --kubeconfig "$DIR/server/data/admin.kubeconfig" "$@"
}

down() {
  for pidfile in "$DIR"/agent*.pid "$DIR"/server.pid; do
    [ -f "$pidfile" ] || continue
    local pid; pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  grep -o " $DIR[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for n in $(ip netns list | awk '{print $1}' | grep "^$NS-" || true); do ip netns del "$n"; done
  for group in /sys/fs/cgroup/*/kubepods-server /sys/fs/cgroup/*/kubepods-agent* /sys/fs/cgroup/*/skiff-server /sys/fs/cgroup/*/skiff-agent*; do
    [ -d "$group" ] && find "$group" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  true
  echo "down (state kept in $DIR; remove it to start afresh)"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  kubectl) shift; kubectl_in "$@" ;;
  down) down ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
