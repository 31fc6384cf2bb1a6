#!/usr/bin/env bash
# Kubelet acceptance: real kubectl against `skiff server` running real containers, once with our
# runtime in-process and once driving containerd over CRI. Needs root. Starts a loopback
# registry and containerd (tests/runtime/env.sh), then pytest tests/kubelet, which starts the
# servers itself. Usage: tests/kubelet/run.sh [SCRATCH_PATH] [pytest args...]
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "tests/kubelet/run.sh needs root" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${1:-.build}"; shift || true
case "$SCRATCH" in /*) ;; *) SCRATCH="$ROOT/$SCRATCH" ;; esac
cd "$ROOT"
swift build --scratch-path "$SCRATCH" --product skiff
SKIFF_BIN="$SCRATCH/debug/skiff"
T="$(mktemp -d /tmp/skiff-kubelet-test.XXXXXX)"
source "$ROOT/tests/runtime/env.sh"

start_registry
start_auth_registry
start_containerd
mkdir -p "$T/skiff-node/net.d"
conflist skiff-test "$SKIFF_BRIDGE" "$SKIFF_SUBNET" "$T/ipam-skiff" > "$T/skiff-node/net.d/10-test.conflist"

export SKIFF_BIN T REGISTRY AUTH_REGISTRY CGROUP_ROOT
export SKIFF_CONTAINERD_SOCK="$T/containerd/containerd.sock"
status=0
python3 -m pytest -q -p no:cacheprovider tests/kubelet "$@" || status=$?
if [ "$status" -ne 0 ]; then
  # What the servers and containerd said about it, before the scratch directory goes.
  for log in "$T"/server-*/server.log "$T"/multinode/*/server.log "$T"/multinode/*/log "$T"/containerd/log; do
    [ -f "$log" ] || continue
    echo "----- warnings and errors in ${log#"$T"/} (last 40) -----"
    grep -aiE 'warn|error|fail' "$log" | tail -n 40
  done
fi
exit "$status"
