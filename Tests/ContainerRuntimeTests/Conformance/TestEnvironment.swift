import CRI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// What tests/runtime/run.sh started for the conformance suite, read from the environment.
/// Absent (plain `swift test`), the real-process suites are skipped.
struct TestEnvironment: Sendable {
    let targets: [CRITarget]
    let registry: String
    let authRegistry: String
    let cgroupRoot: String
    let directory: String
    let skiffBinary: String

    static let current: TestEnvironment? = {
        let env = ProcessInfo.processInfo.environment
        guard let targets = env["SKIFF_TEST_TARGETS"], let registry = env["SKIFF_TEST_REGISTRY"],
              let directory = env["SKIFF_TEST_DIR"] else { return nil }
        return TestEnvironment(
            targets: pairs(targets).map { CRITarget(name: $0.0, socket: $0.1) },
            registry: registry, authRegistry: env["SKIFF_TEST_AUTH_REGISTRY"] ?? "",
            cgroupRoot: env["SKIFF_TEST_CGROUP_ROOT"] ?? "/skiff-test", directory: directory,
            skiffBinary: env["SKIFF_BIN"] ?? "")
    }()

    static var available: Bool { current != nil }

    static var targets: [CRITarget] { current?.targets ?? [] }

    static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }
}

/// One CRI implementation under test.
struct CRITarget: Sendable, CustomTestStringConvertible {
    let name: String
    let socket: String

    var testDescription: String { name }
    var isSkiff: Bool { name.hasPrefix("skiff") }

    typealias Runtime = Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    typealias Images = Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>

    func with<T: Sendable>(_ body: @Sendable (Runtime, Images) async throws -> T) async throws -> T {
        try await withGRPCClient(transport: try .http2NIOPosix(target: .unixDomainSocket(path: socket), transportSecurity: .plaintext)) { client in
            try await body(Runtime(wrapping: client), Images(wrapping: client))
        }
    }
}

import Testing
