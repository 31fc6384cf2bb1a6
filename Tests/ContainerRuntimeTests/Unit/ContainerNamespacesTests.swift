@testable import ContainerRuntime
import CRI
import Testing

@Suite struct ContainerNamespacesTests {
    static func pidNamespace(_ mode: Runtime_V1_NamespaceMode, target: String = "", podPID: String? = nil,
                             targetPID: String? = nil) throws -> OCISpec.Namespace? {
        let options = Runtime_V1_NamespaceOption.with { $0.pid = mode; $0.targetID = target }
        return try ContainerNamespaces(options: options, netnsPath: "/ns/net", ipcPath: "/ns/ipc", podPIDPath: podPID,
                                       targetPIDPath: targetPID).resolve().first { $0.type == "pid" }
    }

    @Test(arguments: [
        // mode, pod's PID namespace, target's, expected pid entry (nil: the node's)
        (Runtime_V1_NamespaceMode.container, nil, nil, OCISpec.Namespace?.some(.init(type: "pid"))),
        (.container, "/ns/pod-pid", nil, .init(type: "pid")),
        (.pod, "/ns/pod-pid", nil, .init(type: "pid", path: "/ns/pod-pid")),
        (.pod, nil, nil, .init(type: "pid")),
        (.node, "/ns/pod-pid", nil, nil),
        (.target, nil, "/proc/42/ns/pid", .init(type: "pid", path: "/proc/42/ns/pid")),
    ] as [(Runtime_V1_NamespaceMode, String?, String?, OCISpec.Namespace?)])
    func pidModes(mode: Runtime_V1_NamespaceMode, podPID: String?, targetPID: String?, expected: OCISpec.Namespace?) throws {
        #expect(try Self.pidNamespace(mode, target: "abc", podPID: podPID, targetPID: targetPID) == expected)
    }

    @Test(arguments: [
        // mode, target id, pod's PID namespace, target's, expected error text
        (Runtime_V1_NamespaceMode.target, "", nil, "/proc/1/ns/pid", "needs a target_id"),
        (.target, "gone", nil, nil, "is not running"),
        (.UNRECOGNIZED(9), "", nil, nil, "unknown PID namespace mode 9"),
    ] as [(Runtime_V1_NamespaceMode, String, String?, String?, String)])
    func refused(mode: Runtime_V1_NamespaceMode, target: String, podPID: String?, targetPID: String?, message: String) {
        #expect { _ = try Self.pidNamespace(mode, target: target, podPID: podPID, targetPID: targetPID) } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func networkAndIPCAreThePodsUnlessTheNodes() throws {
        let pod = try ContainerNamespaces(options: .init(), netnsPath: "/ns/net", ipcPath: "/ns/ipc").resolve()
        #expect(pod == [.init(type: "mount"), .init(type: "uts"), .init(type: "pid"),
                        .init(type: "ipc", path: "/ns/ipc"), .init(type: "network", path: "/ns/net")])
        let node = try ContainerNamespaces(options: .with { $0.network = .node; $0.ipc = .node; $0.pid = .node },
                                           netnsPath: nil, ipcPath: nil).resolve()
        #expect(node == [.init(type: "mount"), .init(type: "uts")])
    }
}
