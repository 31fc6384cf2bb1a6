import CRI
import Testing

extension Conformance {
    @Suite struct RuntimeInfoConformance {
        @Test(arguments: TestEnvironment.targets)
        func versionAndStatus(target: CRITarget) async throws {
            let (version, status) = try await target.with { runtime, _ in
                (try await runtime.version(.with { $0.version = "v1" }), try await runtime.status(.init()))
            }
            #expect(version.runtimeApiVersion == "v1")
            #expect(!version.runtimeName.isEmpty)
            let conditions = Dictionary(status.status.conditions.map { ($0.type, $0.status) }, uniquingKeysWith: { $1 })
            #expect(conditions["RuntimeReady"] == true)
            #expect(conditions["NetworkReady"] == true)
        }
    }
}
