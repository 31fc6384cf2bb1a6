#!/usr/bin/env bash
# Regenerates <target>/*.pb.swift and *.grpc.swift from <target>/proto/*.proto for every
# Sources/<target>/proto directory (CRI, and any other API we declare), or only the targets named
# as arguments (e.g. scripts/gen-proto.sh CSI).
# The protoc plugins are built once, in a throwaway package under /tmp, from the same package
# versions that Package.swift resolves; protoc comes from Debian's protobuf-compiler.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${PROTOGEN_DIR:-/tmp/skiff-protogen}"
command -v protoc >/dev/null || { apt-get install -y -qq protobuf-compiler libprotobuf-dev >/dev/null; }
if [ ! -x "$TOOLS/.build/release/protoc-gen-swift" ] || [ ! -x "$TOOLS/.build/release/protoc-gen-grpc-swift-2" ]; then
  mkdir -p "$TOOLS/Dummy"
  cat > "$TOOLS/Package.swift" <<'PKG'
// swift-tools-version:6.2
import PackageDescription
let package = Package(
    name: "protogen",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
    ],
    targets: [.target(name: "Dummy", path: "Dummy")]
)
PKG
  : > "$TOOLS/Dummy/Dummy.swift"
  (cd "$TOOLS" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2)
fi
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for dir in "$ROOT"/Sources/*/proto; do TARGETS+=("$(basename "$(dirname "$dir")")"); done
fi
for target in "${TARGETS[@]}"; do
  OUT="$ROOT/Sources/$target"
  cd "$OUT/proto"
  for proto in *.proto; do
    protoc --plugin=protoc-gen-swift="$TOOLS/.build/release/protoc-gen-swift" \
      --plugin=protoc-gen-grpc-swift-2="$TOOLS/.build/release/protoc-gen-grpc-swift-2" \
      -I . -I /usr/include \
      --swift_out="$OUT" --swift_opt=Visibility=Public,FileNaming=DropPath \
      --grpc-swift-2_out="$OUT" \
      --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=DropPath \
      "$proto"
  done
done
