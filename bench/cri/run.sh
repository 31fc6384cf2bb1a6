#!/usr/bin/env bash
# make bench-cri: 50 pods (one busybox container each) through our runtime, through containerd,
# and the floor (floor.sh), timed in one run on the same machine; then the table (report.py).
# Usage: bench/cri/run.sh [SCRATCH_PATH] (default .build); PODS=N to change the count.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "bench/cri/run.sh needs root" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${1:-.build}"
case "$SCRATCH" in /*) ;; *) SCRATCH="$ROOT/$SCRATCH" ;; esac
PODS="${PODS:-50}"
cd "$ROOT"
bash "$ROOT/scripts/build-release.sh" "$SCRATCH"
SKIFF_BIN="$SCRATCH/release/skiff"
T="$(mktemp -d /tmp/skiff-bench.XXXXXX)"
source "$ROOT/tests/runtime/env.sh"

start_registry
start_skiff skiff
start_containerd

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Pages the process alone holds (anonymous and private file pages), without shared libraries.
private_kb() { awk '/^Private_(Clean|Dirty)/ {sum += $2} END {print sum + 0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
avg_rss() { # PIDS...
  local total=0 count=0
  for pid in "$@"; do total=$((total + $(rss "$pid"))); count=$((count + 1)); done
  echo $(( count > 0 ? total / count : 0 ))
}
bench() { # ENDPOINT NAME
  "$SKIFF_BIN" cri bench --runtime-endpoint "$1" --pods "$PODS" --cgroup-parent "$CGROUP_ROOT/$2" --log-directory "$T/logs/$2"
}

bench "$T/skiff/cri.sock" skiff > "$T/skiff.json"
skiff_rss=$(rss "$SKIFF_PID")
skiff_private=$(private_kb "$SKIFF_PID")
conmon_rss=$(avg_rss $(for f in "$T"/skiff/root/bundles/*/conmon.pid; do cat "$f"; echo; done))
"$SKIFF_BIN" cri bench --runtime-endpoint "$T/skiff/cri.sock" --cleanup > /dev/null

bench "$T/containerd/containerd.sock" containerd > "$T/containerd.json"
containerd_rss=$(rss "${PIDS[-1]}")
containerd_private=$(private_kb "${PIDS[-1]}")
shim_rss=$(avg_rss $(pgrep -f -- "-address $T/containerd/containerd.sock"))
"$SKIFF_BIN" cri bench --runtime-endpoint "$T/containerd/containerd.sock" --cleanup > /dev/null

layer="$(ls -d "$T"/skiff/root/images/layers/* | head -1)"
bash "$ROOT/bench/cri/floor.sh" "$PODS" "$T/skiff/net.d/10-test.conflist" "$layer" "$T/floor" "$CGROUP_ROOT/floor" > "$T/floor.json"

printf '{"skiff_rss_kb":%s,"skiff_private_kb":%s,"containerd_rss_kb":%s,"containerd_private_kb":%s,"conmon_rss_kb":%s,"shim_rss_kb":%s}\n' \
  "$skiff_rss" "$skiff_private" "$containerd_rss" "$containerd_private" "$conmon_rss" "$shim_rss" > "$T/memory.json"
python3 "$ROOT/bench/cri/report.py" "$T/skiff.json" "$T/containerd.json" "$T/floor.json" "$T/memory.json"
