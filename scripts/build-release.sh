#!/usr/bin/env bash
# Builds the release `skiff` (or the product named in $2) with every function in its own section,
# Swift and C alike, dependencies included, so that the link can lay out the code a running skiff
# uses in one place (Package.swift: --symbol-ordering-file, scripts/link-order.txt). Without
# separate sections a Swift module's private functions and each C file share one .text section,
# and the pages a process touches are spread over the whole binary.
# Usage: scripts/build-release.sh [SCRATCH_PATH] [PRODUCT]. Every release build goes through here,
# so that all of them share one set of flags and one set of objects. The order file is kept
# compressed in git (scripts/link-order.txt.gz, 0.3 MB against 2.2 MB) and unpacked here for the link.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="${1:-$ROOT/.build}"
PRODUCT="${2:-skiff}"
cd "$ROOT"
gzip -dc scripts/link-order.txt.gz > scripts/link-order.txt
FLAGS=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections)
# The Swift driver does not recompile a whole-module build when only the flags changed: objects
# built before these flags existed are removed once, so that every module is built with them.
STAMP="$SCRATCH/release-flags"
if [ -d "$SCRATCH" ] && [ "$(cat "$STAMP" 2>/dev/null)" != "${FLAGS[*]}" ]; then
  find "$SCRATCH" -path '*/release/*.build/*.swift.o' -delete 2>/dev/null || true
fi
"${SWIFT:-swift}" build --scratch-path "$SCRATCH" -c release --product "$PRODUCT" "${FLAGS[@]}"
mkdir -p "$SCRATCH" && echo "${FLAGS[*]}" > "$STAMP"
