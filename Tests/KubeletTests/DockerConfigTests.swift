import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct DockerConfigTests {
    static func secret(_ config: String, key: String = ".dockerconfigjson") -> JSON {
        .object(JSONObject([("data", .object(JSONObject([(key, .string(Data(config.utf8).base64EncodedString()))])))]))
    }

    @Test func authFieldIsDecoded() throws {
        let auth = Data("skiff:secret".utf8).base64EncodedString()
        let config = try #require(DockerConfig(secret: Self.secret(#"{"auths":{"127.0.0.1:5001":{"auth":"\#(auth)"}}}"#)))
        let c = try #require(config.credentials(for: "127.0.0.1:5001/private/busybox:latest"))
        #expect(c.username == "skiff" && c.password == "secret" && c.server == "127.0.0.1:5001")
        #expect(config.credentials(for: "127.0.0.1:5002/private/busybox") == nil)
    }

    @Test(arguments: [
        ("busybox", "docker.io"),
        ("library/busybox:1.36", "docker.io"),
        ("localhost/app", "localhost"),
        ("registry.example:5000/team/app@sha256:abc", "registry.example:5000"),
    ])
    func registryOfAnImage(image: String, registry: String) {
        #expect(DockerConfig.registry(of: image) == registry)
    }

    @Test func serverWithSchemeAndPathMatchesItsHost() throws {
        let config = try #require(DockerConfig(secret: Self.secret(
            #"{"https://index.docker.io/v1/":{"username":"u","password":"p"}}"#, key: ".dockercfg")))
        #expect(config.credentials(for: "busybox")?.username == "u")
    }

    @Test func notADockerSecret() {
        #expect(DockerConfig(secret: .object(JSONObject([("data", .object(JSONObject()))]))) == nil)
    }
}
