@testable import ContainerRuntime
import Foundation
import Testing

/// The node's pod range from the kubelet (UpdateRuntimeConfig) becomes the runtime's own default
/// network, and never overrides a config someone else wrote.
@Suite struct PodNetworkTests {
    static func network(_ dir: String) -> PodNetwork {
        PodNetwork(configDirectory: dir, pluginDirectories: ["/usr/lib/cni"], defaultSubnet: "10.88.0.0/16",
                   defaultBridge: "skiff0", ipamDataDirectory: dir + "/ipam")
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.path + "/podnetwork-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func subnet(in dir: String) throws -> String? {
        let text = try String(contentsOfFile: dir + "/" + PodNetwork.defaultFileName, encoding: .utf8)
        return text.range(of: #""subnet":"[^"]+""#, options: .regularExpression).map { String(text[$0].dropFirst(10).dropLast()) }
    }

    @Test func podRangeReplacesTheDefaultNetworkOnce() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let network = Self.network(dir)
        _ = try network.load()
        #expect(try Self.subnet(in: dir) == "10.88.0.0/16")
        #expect(try network.apply(podCIDR: "fd00:1::/64,10.42.3.0/24") == .written(subnet: "10.42.3.0/24"))
        #expect(try Self.subnet(in: dir) == "10.42.3.0/24")
        #expect(try network.apply(podCIDR: "10.42.3.0/24") == .unchanged)
        #expect(try network.load().config.name == "skiff")
        #expect(try network.apply(podCIDR: "fd00:1::/64") == .noIPv4)
    }

    @Test func rangeBeforeAnyConfigIsWrittenDirectly() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.network(dir + "/net.d").apply(podCIDR: "10.42.0.0/24") == .written(subnet: "10.42.0.0/24"))
        #expect(try Self.subnet(in: dir + "/net.d") == "10.42.0.0/24")
    }

    @Test func someoneElsesConfigStaysInCharge() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let theirs = #"{"cniVersion":"1.0.0","name":"theirs","plugins":[{"type":"bridge"}]}"#
        try theirs.write(toFile: dir + "/05-theirs.conflist", atomically: true, encoding: .utf8)
        #expect(try Self.network(dir).apply(podCIDR: "10.42.0.0/24") == .notOurs(file: "05-theirs.conflist"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + PodNetwork.defaultFileName))
        #expect(try String(contentsOfFile: dir + "/05-theirs.conflist", encoding: .utf8) == theirs)
    }
}
