// swift-tools-version:6.2
import PackageDescription

/// How release builds of `skiff` are linked (only the link step changes; nothing is compiled
/// differently here, scripts/build-release.sh adds the compile flags):
/// - the Swift runtime and Foundation statically: as dynamic libraries they were ~17 MB of an idle
///   process's file-backed RSS. Static archives need their dependencies named after them, in one
///   group. (Nothing uses URLSession, so FoundationNetworking and libcurl are not linked.)
/// - with lld, laying out first and side by side the functions a running skiff executes
///   (scripts/link-order.txt, unpacked by scripts/build-release.sh from the
///   .gz that scripts/gen-link-order.sh makes). The kernel maps code 64 KB at a
///   time, so a few MB of code spread over the 38 MB .text kept most of it resident.
/// - not position-independent, and exporting no symbols: 167,000 load-time relocations (4 MB,
///   read at every start, and 1.5 MB of pages copied to apply them) and a 6.5 MB dynamic symbol
///   table go away. Nothing looks the binary's symbols up at run time (backtraces read .symtab).
let releaseLinkSettings: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-Xlinker", "--start-group"]
        + ["Foundation", "FoundationInternationalization",
           "FoundationEssentials", "CoreFoundation", "_FoundationICU", "_FoundationCShims", "_FoundationCollections",
           "swiftSynchronization", "swiftCore", "swift_Concurrency", "dispatch", "BlocksRuntime", "stdc++"]
            .flatMap { ["-Xlinker", "-l" + $0] }
        + ["-Xlinker", "--end-group"]
        + ["-use-ld=lld", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
           "-Xlinker", "--symbol-ordering-file=scripts/link-order.txt", "-Xlinker", "--no-warn-symbol-ordering",
           "-Xlinker", "-T", "-Xlinker", "scripts/link-unnamed.ld"],
        .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    ],
    targets: [
        // Kubernetes object model: JSON, schema, quantities, selectors, patches, validation. Pure.
        .target(name: "KubeAPI"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "CShims"),
        // etcd-shaped storage contract with in-memory and SQLite backends.
        .target(name: "Storage", dependencies: [
            "CSQLite",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The storage contract on etcd (v3 gRPC API; our own proto of the parts used, generated and committed).
        .target(name: "EtcdStore", dependencies: [
            "Storage",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["proto"]),
        // The REST API server.
        .target(name: "APIServer", dependencies: [
            "KubeAPI", "Storage",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            // The HTTP response parts a watch writes from the event loop (LoopWatchWriter).
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            "StreamRelay",
        ]),
        // Generated CRI v1 protobuf + gRPC code (scripts/gen-proto.sh), committed.
        .target(name: "CRI", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["proto"]),
        // Generated CSI v1 and kubelet plugin-registration protobuf + gRPC code, committed; plus the
        // connection the kubelet, the controllers and tests dial a driver with.
        .target(name: "CSI", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["proto"]),
        // Our host-path CSI driver: volumes as directories, bind mounts, plugin registration.
        .target(name: "CSIDriver", dependencies: [
            "CSI",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // CNI plugin invocation per the CNI spec.
        .target(name: "CNI", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Our CRI server: images, sandboxes, containers.
        .target(name: "ContainerRuntime", dependencies: [
            "CRI", "CNI", "KubeAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Relays Kubernetes' remote-command WebSockets (exec, attach) one hop further down.
        .target(name: "StreamRelay", dependencies: [
            "KubeAPI",
            .product(name: "WSClient", package: "swift-websocket"),
            .product(name: "WSCore", package: "swift-websocket"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A REST client for the API server: JSON verbs, watches, list+watch reflectors.
        .target(name: "KubeClient", dependencies: [
            "KubeAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The node agent: pod workers, per-pod plans, PLEG, probes, status.
        .target(name: "Kubelet", dependencies: [
            "KubeAPI", "KubeClient", "CRI", "CSI", "VolumeProvisioning",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Crypto", package: "swift-crypto"),
            "StreamRelay",
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["proto"]),
        // Dynamic provisioning shared by the PV controller (central provisioner) and the kubelet
        // (node-local provisioner): CreateVolume requests, PVs, who provisions what, claim events.
        .target(name: "VolumeProvisioning", dependencies: [
            "KubeAPI", "KubeClient", "CSI",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Controllers of the control plane: node lifecycle (lost nodes, taints, evictions),
        // persistent volumes (binding, CSI provisioning, reclaiming, protection).
        .target(name: "Controllers", dependencies: [
            "KubeAPI", "KubeClient", "CSI", "VolumeProvisioning",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // kube-scheduler: queue, node cache, filter/score framework with one file per plugin.
        .target(name: "Scheduler", dependencies: [
            "KubeAPI", "KubeClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Scheduler throughput on synthetic nodes (make bench-scheduler).
        .executableTarget(name: "bench-scheduler", dependencies: [
            "Scheduler", "KubeAPI",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // In-memory CRI runtimes for `skiff simulate`: many kubelets' nodes in one process, no host changes.
        .target(name: "SimulatedRuntime", dependencies: [
            "CRI", "KubeAPI",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "skiff", dependencies: [
            "CShims", "KubeAPI", "Storage", "EtcdStore", "APIServer", "ContainerRuntime", "CRI", "CNI", "KubeClient", "Kubelet", "Scheduler", "Controllers", "CSI", "CSIDriver", "VolumeProvisioning", "SimulatedRuntime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        ], linkerSettings: releaseLinkSettings),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"]),
        .testTarget(name: "SimulatedRuntimeTests", dependencies: ["SimulatedRuntime", "CRI"]),
        .testTarget(name: "KubeletTests", dependencies: ["Kubelet", "KubeAPI", "VolumeProvisioning"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI", "StreamRelay"]),
        .testTarget(name: "ControllersTests", dependencies: [
            "Controllers", "KubeAPI", "CSI", "VolumeProvisioning",
            .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The CSI conformance suite, against the real driver over a real socket (bind mounts need root).
        .testTarget(name: "CSIDriverTests", dependencies: [
            "CSIDriver", "CSI",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "KubeAPI"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "EtcdStore"]),
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "KubeAPI", "Storage"]),
        .testTarget(name: "ContainerRuntimeTests", dependencies: [
            "ContainerRuntime", "CRI", "CNI",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        ]),
    ]
)
