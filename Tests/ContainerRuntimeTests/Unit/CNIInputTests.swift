@testable import CNI
import Foundation
import Testing

@Suite struct CNIInputTests {
    @Test func defaultConflistParses() throws {
        let list = try CNIConfigList(json: Data(CNIConfigList.defaultBridge(subnet: "10.99.0.0/24").utf8))
        #expect(list.name == "skiff")
        #expect(list.pluginTypes == ["bridge", "portmap", "loopback"])
    }

    @Test func pluginInputCarriesNamePrevResultAndPortMappings() throws {
        let list = try CNIConfigList(json: Data(CNIConfigList.defaultBridge(subnet: "10.99.0.0/24").utf8))
        let runtime = CNIRuntimeConf(containerID: "id", netns: "/ns", portMappings: [.init(hostPort: 8080, containerPort: 80, proto: "tcp", hostIP: "")])
        let input = try CNINetwork.pluginInput(plugin: list.plugins[1], list: list, runtime: runtime, previous: Data(#"{"cniVersion":"1.0.0","ips":[]}"#.utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: input) as? [String: Any])
        #expect(object["name"] as? String == "skiff")
        #expect(object["cniVersion"] as? String == "1.0.0")
        #expect(object["prevResult"] != nil)
        #expect(object["capabilities"] == nil)
        let mappings = try #require((object["runtimeConfig"] as? [String: Any])?["portMappings"] as? [[String: Any]])
        #expect(mappings.first?["hostPort"] as? Int == 8080)
    }

    @Test func singleConfBecomesAList() throws {
        let list = try CNIConfigList(json: Data(#"{"cniVersion":"0.4.0","name":"n","type":"bridge"}"#.utf8))
        #expect(list.pluginTypes == ["bridge"])
    }

    @Test func pluginErrorsAreReadFromStdout() {
        let error = CNIError.fromFailedRun(type: "bridge", status: 1, stdout: Data(#"{"code":7,"msg":"failed to allocate","details":"range full"}"#.utf8), stderr: Data())
        #expect(error == .plugin(type: "bridge", code: 7, message: "failed to allocate: range full"))
    }

    @Test func resultAddresses() throws {
        let result = try CNIResult(json: Data(#"{"cniVersion":"1.0.0","ips":[{"address":"fd00::2/64"},{"address":"10.1.0.5/24","gateway":"10.1.0.1"}]}"#.utf8))
        #expect(result.addresses == ["10.1.0.5", "fd00::2"])
    }
}
