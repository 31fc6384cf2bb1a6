@testable import EtcdStore
import Testing

@Suite("etcd key space and endpoints")
struct EtcdKeySpaceTests {
    @Test func theDefaultPrefixKeepsKubernetesLayoutAndAnotherPrefixReplacesRegistry() {
        let k8s = EtcdKeySpace(keyPrefix: "/registry", storageRoot: "/registry")
        #expect(k8s.etcdKey("/registry/pods/default/a") == Array("/registry/pods/default/a".utf8))
        let blue = EtcdKeySpace(keyPrefix: "/blue", storageRoot: "/registry")
        #expect(blue.etcdKey("/registry/pods/default/a") == Array("/blue/pods/default/a".utf8))
        #expect(blue.storageKey(Array("/blue/pods/default/a".utf8)) == "/registry/pods/default/a")
        #expect(blue.storageKey(Array("/green/pods/x".utf8)) == nil)
        let (start, end) = blue.range(prefix: "/registry/")
        #expect(start == Array("/blue/".utf8))
        #expect(end == Array("/blue0".utf8))
        #expect(blue.range(prefix: "").key == Array("/blue".utf8))
        // The last-write marker is outside every range of the cluster's keys.
        #expect(blue.revisionKey.first == 0)
    }

    @Test func prefixEndIncrementsTheLastByteThatCan() {
        #expect(EtcdKeySpace.prefixEnd(Array("/a".utf8)) == Array("/b".utf8))
        #expect(EtcdKeySpace.prefixEnd([0x61, 0xFF]) == [0x62])
        #expect(EtcdKeySpace.prefixEnd([]) == [0])
    }

    @Test func endpointsParseWithSchemeAndPort() throws {
        #expect(try EtcdEndpoint("http://127.0.0.1:2379") == EtcdEndpoint(host: "127.0.0.1", port: 2379, tls: false))
        #expect(try EtcdEndpoint("https://etcd-0:2379/") == EtcdEndpoint(host: "etcd-0", port: 2379, tls: true))
        #expect(try EtcdEndpoint("127.0.0.1:22379").port == 22379)
        #expect(throws: EtcdConfigurationError.self) { try EtcdEndpoint("unix:///run/etcd.sock") }
        #expect(throws: EtcdConfigurationError.self) { try EtcdEndpoint("http://127.0.0.1") }
    }
}
