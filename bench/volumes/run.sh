#!/usr/bin/env bash
# Pod startup with a dynamically provisioned CSI volume vs the same pod with an emptyDir, side
# by side in one run: an all-in-one `skiff server` (runtime, kubelet, host-path CSI driver, PV
# controller, scheduler in one process) on loopback. Needs root.
# Usage: bench/volumes/run.sh [SCRATCH_PATH]   (default .build; builds release there, or debug
# with BENCH_CONFIGURATION=debug)
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "bench/volumes/run.sh needs root" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${1:-.build}"
case "$SCRATCH" in /*) ;; *) SCRATCH="$ROOT/$SCRATCH" ;; esac
cd "$ROOT"
CONFIGURATION="${BENCH_CONFIGURATION:-release}"
swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --product skiff
SKIFF_BIN="$SCRATCH/$CONFIGURATION/skiff"
T="$(mktemp -d /tmp/skiff-volume-bench.XXXXXX)"
source "$ROOT/tests/runtime/env.sh"

start_registry
mkdir -p "$T/node/net.d"
conflist skiff-bench "$SKIFF_BRIDGE" "$SKIFF_SUBNET" "$T/ipam" > "$T/node/net.d/10-bench.conflist"

API_PORT="$(free_port)"
"$SKIFF_BIN" server --data-dir "$T/server" --port "$API_PORT" --log-level warning \
  --node-name node-bench --node-ip 127.0.0.1 --kubelet-address 127.0.0.1 --kubelet-port "$(free_port)" \
  --kubelet-root-dir "$T/kubelet" --pod-logs-dir "$T/pod-logs" --kubelet-cgroup-root "$CGROUP_ROOT/kubepods" \
  --listen "$T/node/cri.sock" --state-dir "$T/node/state" --root-dir "$T/node/root" --cni-conf-dir "$T/node/net.d" \
  --registry-mirror "docker.io=http://$REGISTRY" --cgroup-root "$CGROUP_ROOT/node" > "$T/server.log" 2>&1 &
PIDS+=($!)
wait_for "API server" test -f "$T/server/admin.kubeconfig"
wait_for "API server port" curl -skf "https://127.0.0.1:$API_PORT/healthz"

export KUBECONFIG="$T/server/admin.kubeconfig" T
python3 "$ROOT/bench/volumes/volume_bench.py"
