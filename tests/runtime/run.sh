#!/usr/bin/env bash
# The CRI conformance suite against real processes (needs root): a loopback registry, our
# runtime and containerd 1.6, then `swift test` on ContainerRuntimeTests with their endpoints.
# Usage: tests/runtime/run.sh [SCRATCH_PATH]   (default .build); SKIFF_TEST_FILTER narrows the
# tests (a swift test --filter regex, default ContainerRuntimeTests).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "tests/runtime/run.sh needs root" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${1:-.build}"
case "$SCRATCH" in /*) ;; *) SCRATCH="$ROOT/$SCRATCH" ;; esac
cd "$ROOT"
swift build --scratch-path "$SCRATCH" --product skiff
# Only the test bundle: --build-tests would also compile every dependency executable (protoc).
swift build --scratch-path "$SCRATCH" --product skiffPackageTests
SKIFF_BIN="$SCRATCH/debug/skiff"
T="$(mktemp -d /tmp/skiff-runtime-test.XXXXXX)"
source "$ROOT/tests/runtime/env.sh"

start_registry
start_auth_registry
start_skiff skiff
start_containerd

export SKIFF_TEST_TARGETS="skiff=$T/skiff/cri.sock,containerd=$T/containerd/containerd.sock"
export SKIFF_TEST_REGISTRY="$REGISTRY" SKIFF_TEST_AUTH_REGISTRY="$AUTH_REGISTRY"
export SKIFF_TEST_CGROUP_ROOT="$CGROUP_ROOT" SKIFF_TEST_DIR="$T" SKIFF_BIN
export SKIFF_TEST_IMAGES="$T/images"
swift test --scratch-path "$SCRATCH" --skip-build --filter "${SKIFF_TEST_FILTER:-ContainerRuntimeTests}" 2>&1 | tee "$T/test.log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "--- skiff runtime log"; tail -50 "$T/skiff/log" || true
  echo "--- containerd log"; grep -i error "$T/containerd/log" | tail -20 || true
fi
exit "$status"
