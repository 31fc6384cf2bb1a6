import CRI
import KubeAPI
import Testing
@testable import Kubelet

/// Namespaces and AppArmor from the pod spec to the CRI configs.
struct CRISecurityMappingTests {
    @Test(arguments: [
        // hostPID, shareProcessNamespace, hostNetwork, hostIPC, expected pid / network / ipc
        (nil, nil, nil, nil, Runtime_V1_NamespaceMode.container, Runtime_V1_NamespaceMode.pod, Runtime_V1_NamespaceMode.pod),
        (nil, true, nil, nil, .pod, .pod, .pod),
        (true, nil, nil, nil, .node, .pod, .pod),
        (true, true, nil, nil, .node, .pod, .pod),
        (false, false, true, true, .container, .node, .node),
    ] as [(Bool?, Bool?, Bool?, Bool?, Runtime_V1_NamespaceMode, Runtime_V1_NamespaceMode, Runtime_V1_NamespaceMode)])
    func namespacesForSandboxAndContainers(hostPID: Bool?, share: Bool?, hostNetwork: Bool?, hostIPC: Bool?,
                                           pid: Runtime_V1_NamespaceMode, network: Runtime_V1_NamespaceMode, ipc: Runtime_V1_NamespaceMode) {
        var fields: [(String, JSON)] = [("containers", .array([Fixture.container("main")]))]
        for (key, value) in [("hostPID", hostPID), ("shareProcessNamespace", share), ("hostNetwork", hostNetwork), ("hostIPC", hostIPC)] {
            if let value { fields.append((key, .bool(value))) }
        }
        let spec: JSON = .object(JSONObject(fields))
        let view = PodSpecView(pod: .object(JSONObject([("metadata", Fixture.podJSON()["metadata"]!), ("spec", spec)])))
        let sandbox = SandboxConfigBuilder(podLogsRoot: "/l", cgroupParent: "/c").build(view, spec: spec, attempt: 0)
        let container = ContainerConfigBuilder(pod: view, spec: spec, memoryCapacity: 1 << 30).security(view.containers[0])
        for options in [sandbox.linux.securityContext.namespaceOptions, container.namespaceOptions] {
            #expect(options.pid == pid && options.network == network && options.ipc == ipc)
        }
    }

    static func profile(_ type: String?, _ localhost: String? = nil) -> JSON? {
        guard let type else { return nil }
        var o = JSONObject([("type", .string(type))])
        if let localhost { o["localhostProfile"] = .string(localhost) }
        return .object(o)
    }

    @Test(arguments: [
        // container appArmorProfile, annotation for "main", pod appArmorProfile → CRI type, localhost_ref, deprecated string
        (nil, nil, nil, nil, "", ""),
        (profile("RuntimeDefault"), nil, nil, Runtime_V1_SecurityProfile.ProfileType.runtimeDefault, "", "runtime/default"),
        (nil, nil, profile("Unconfined"), .unconfined, "", "unconfined"),
        (profile("Localhost", "k8s-nginx"), "unconfined", profile("RuntimeDefault"), .localhost, "k8s-nginx", "localhost/k8s-nginx"),
        (nil, "localhost/k8s-legacy", profile("RuntimeDefault"), .localhost, "k8s-legacy", "localhost/k8s-legacy"),
        (nil, "runtime/default", profile("Unconfined"), .runtimeDefault, "", "runtime/default"),
        (nil, "bogus", profile("Unconfined"), .unconfined, "", "unconfined"),
    ] as [(JSON?, String?, JSON?, Runtime_V1_SecurityProfile.ProfileType?, String, String)])
    func appArmorFromContainerAnnotationThenPod(container: JSON?, annotation: String?, podLevel: JSON?,
                                                type: Runtime_V1_SecurityProfile.ProfileType?, ref: String, legacy: String) {
        let c = Fixture.container("main", extra: container.map { [("securityContext", .object(JSONObject([("appArmorProfile", $0)])))] } ?? [])
        let spec: JSON = .object(JSONObject([("containers", .array([c]))]
            + (podLevel.map { [("securityContext", .object(JSONObject([("appArmorProfile", $0)])))] } ?? [])))
        var meta = JSONObject([("name", "p"), ("namespace", "d"), ("uid", "u")])
        if let annotation {
            meta["annotations"] = .object(JSONObject([(AppArmorProfileMapping.annotationPrefix + "main", .string(annotation)),
                                                      (AppArmorProfileMapping.annotationPrefix + "other", "localhost/not-mine")]))
        }
        let pod = PodSpecView(pod: .object(JSONObject([("metadata", .object(meta)), ("spec", spec)])))
        let security = ContainerConfigBuilder(pod: pod, spec: spec, memoryCapacity: 1 << 30).security(pod.containers[0])
        #expect(security.hasApparmor == (type != nil))
        if let type { #expect(security.apparmor.profileType == type && security.apparmor.localhostRef == ref) }
        #expect(security.apparmorProfile == legacy)
    }
}
