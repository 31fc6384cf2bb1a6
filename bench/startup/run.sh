#!/usr/bin/env bash
# Pod startup latency (creation -> all containers started, seen through a watch) for bursts of
# 1, 10 and 50 pods, with our runtime and with containerd in the same run, and the kubelet's
# RSS with 100 pods. A control plane (skiff server --disable-agent), our runtime (skiff
# runtime) and containerd, and one `skiff agent` per runtime, all on loopback. Needs root.
# Usage: bench/startup/run.sh [SCRATCH_PATH]   (default .build; builds release there)
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "bench/startup/run.sh needs root" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${1:-.build}"
case "$SCRATCH" in /*) ;; *) SCRATCH="$ROOT/$SCRATCH" ;; esac
cd "$ROOT"
bash "$ROOT/scripts/build-release.sh" "$SCRATCH"
SKIFF_BIN="$SCRATCH/release/skiff"
T="$(mktemp -d /tmp/skiff-startup-bench.XXXXXX)"
source "$ROOT/tests/runtime/env.sh"

start_registry
start_skiff skiff
start_containerd

API_PORT="$(free_port)"
"$SKIFF_BIN" server --disable-agent --data-dir "$T/server" --port "$API_PORT" --log-level warning > "$T/server.log" 2>&1 &
PIDS+=($!)
wait_for "API server" test -f "$T/server/pki/admin.token"
wait_for "API server port" curl -skf "https://127.0.0.1:$API_PORT/healthz"
TOKEN="$(cat "$T/server/pki/admin.token")"

start_agent() { # NAME ENDPOINT
  "$SKIFF_BIN" agent --server "https://127.0.0.1:$API_PORT" --token "$TOKEN" --ca-file "$T/server/pki/ca.crt" \
    --node-name "node-$1" --node-ip 127.0.0.1 --kubelet-address 127.0.0.1 --kubelet-port "$(free_port)" \
    --container-runtime-endpoint "unix://$2" --kubelet-root-dir "$T/kubelet-$1" --pod-logs-dir "$T/pod-logs-$1" \
    --kubelet-cgroup-root "$CGROUP_ROOT/kubepods-$1" --log-level warning > "$T/agent-$1.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$T/agent-$1.pid"
}
start_agent skiff "$T/skiff/cri.sock"
start_agent containerd "$T/containerd/containerd.sock"

export KUBECONFIG="$T/server/admin.kubeconfig" T SKIFF_RUNTIME_PID="$SKIFF_PID"
python3 "$ROOT/bench/startup/startup_bench.py"
