import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct VolumeFilesTests {
    static let configMap: JSON = .object(JSONObject([("data", .object(JSONObject([("a", "alpha"), ("b", "beta")])))]))
    static let secret: JSON = .object(JSONObject([("data", .object(JSONObject([("pw", .string(Data("s3cret".utf8).base64EncodedString()))])))]))

    func files(_ source: VolumeSpec.Source, configMaps: [String: JSON] = ["cm": configMap], secrets: [String: JSON] = ["sec": secret])
        throws(VolumeError) -> [String: VolumeFiles.File]? {
        try VolumeFiles(pod: Fixture.pod(), configMaps: configMaps, secrets: secrets).files(for: source)
    }

    @Test func everyKeyWithTheDefaultMode() throws {
        let f = try #require(try files(.configMap(name: "cm", items: [], defaultMode: 0o644, optional: false)))
        #expect(f == ["a": .init(data: Array("alpha".utf8), mode: 0o644), "b": .init(data: Array("beta".utf8), mode: 0o644)])
    }

    @Test func itemsPickKeysPathsAndModes() throws {
        let f = try #require(try files(.secret(secretName: "sec", items: [.init(key: "pw", path: "dir/password", mode: 0o400)],
                                               defaultMode: 0o644, optional: false)))
        #expect(f == ["dir/password": .init(data: Array("s3cret".utf8), mode: 0o400)])
    }

    @Test func missingObjectIsAnErrorUnlessOptional() throws {
        #expect(throws: VolumeError(message: "configmap \"nope\" not found")) {
            try files(.configMap(name: "nope", items: [], defaultMode: 0o644, optional: false))
        }
        #expect(try files(.configMap(name: "nope", items: [], defaultMode: 0o644, optional: true)) == [:])
    }

    @Test func downwardAPIAndProjectedSources() throws {
        let downward: JSON = .object(JSONObject([("items", .array([
            .object(JSONObject([("path", "name"), ("fieldRef", .object(JSONObject([("fieldPath", "metadata.name")])))])),
        ]))]))
        #expect(try files(.downwardAPI(downward)) == ["name": .init(data: Array("web".utf8), mode: 0o644)])
        let projected: JSON = .object(JSONObject([("defaultMode", .int(0o440)), ("sources", .array([
            .object(JSONObject([("configMap", .object(JSONObject([("name", "cm"), ("items", .array([
                .object(JSONObject([("key", "a"), ("path", "x")]))]))])))])),
            .object(JSONObject([("secret", .object(JSONObject([("name", "sec")])))])),
        ]))]))
        let f = try #require(try files(.projected(projected)))
        #expect(Set(f.keys) == ["x", "pw"] && f["x"]?.mode == 0o440)
        #expect(VolumeFiles.references(.projected(projected)) == (configMaps: ["cm"], secrets: ["sec"]))
    }
}

extension VolumeFilesTests {
    @Test func atomicWriterSwapsAndSkipsUnchanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-aw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = AtomicWriter(directory: dir)
        #expect(try writer.write(["a": .init(data: Array("1".utf8), mode: 0o644)]))
        #expect(try !writer.write(["a": .init(data: Array("1".utf8), mode: 0o644)]))
        #expect(try writer.write(["b": .init(data: Array("2".utf8), mode: 0o600)]))
        #expect(String(decoding: FileManager.default.contents(atPath: dir + "/b") ?? Data(), as: UTF8.self) == "2")
        #expect(!FileManager.default.fileExists(atPath: dir + "/a"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/b") == "..data/b")
    }
}

struct ProjectedTokenFilesTests {
    static let source: JSON = ["sources": [
        ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
        ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
    ], "defaultMode": 420]

    @Test func theServiceAccountVolumeHoldsTokenAndCA() throws {
        let key = ServiceAccountTokenCache.Request(audience: "", expirationSeconds: 3607).key
        let files = VolumeFiles(pod: Fixture.pod(), configMaps: ["kube-root-ca.crt": ["data": ["ca.crt": "PEM"]]], secrets: [:],
                                tokens: [key: "jwt"])
        let f = try #require(try files.files(for: .projected(Self.source)))
        #expect(f["token"] == .init(data: Array("jwt".utf8), mode: 0o644))
        #expect(f["ca.crt"] == .init(data: Array("PEM".utf8), mode: 0o644))
    }

    @Test func aMissingTokenFailsTheMount() {
        let files = VolumeFiles(pod: Fixture.pod(), configMaps: ["kube-root-ca.crt": ["data": ["ca.crt": "PEM"]]], secrets: [:])
        #expect(throws: VolumeError.self) { try files.files(for: .projected(Self.source)) }
    }
}
