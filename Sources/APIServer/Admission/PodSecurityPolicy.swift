import KubeAPI

/// The Pod Security Standards, pure: which baseline and restricted checks a pod spec fails, each
/// with Kubernetes' wording ("privileged (container \"c\" must not set securityContext.privileged=true)").
public enum PodSecurityPolicy {
    public enum Level: String, Sendable, Comparable {
        case privileged, baseline, restricted
        static let order: [Level] = [.privileged, .baseline, .restricted]
        public static func < (a: Level, b: Level) -> Bool { order.firstIndex(of: a)! < order.firstIndex(of: b)! }
    }

    static let baselineCapabilities: Set<String> = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                                    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
    /// The safe sysctls, by the Kubernetes minor version that allowed them.
    static let safeSysctls: [(name: String, since: Int)] = [
        ("kernel.shm_rmid_forced", 0), ("net.ipv4.ip_local_port_range", 0), ("net.ipv4.ip_unprivileged_port_start", 0),
        ("net.ipv4.tcp_syncookies", 0), ("net.ipv4.ping_group_range", 0), ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_keepalive_time", 29), ("net.ipv4.tcp_fin_timeout", 29), ("net.ipv4.tcp_keepalive_intvl", 29),
        ("net.ipv4.tcp_keepalive_probes", 29),
    ]
    static func seLinuxTypes(_ version: PodSecurityVersion) -> Set<String> {
        var types: Set<String> = ["", "container_t", "container_init_t", "container_kvm_t"]
        if version.includes(31) { types.insert("container_engine_t") }
        return types
    }
    static let appArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/"
    static let restrictedVolumes: Set<String> = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                                                 "projected", "secret"]

    /// `container "a"` or `containers "a", "b"`.
    static func containers(_ names: [String]) -> String {
        (names.count == 1 ? "container " : "containers ") + names.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The failed checks at `level` as of `version`, in the order Kubernetes lists them.
    public static func violations(_ spec: JSON, level: Level, version: PodSecurityVersion = .latest,
                                  annotations: [String: String] = [:]) -> [String] {
        guard level != .privileged else { return [] }
        var out: [String] = []
        let all = spec.objects("initContainers") + spec.objects("containers") + spec.objects("ephemeralContainers")
        let podSC = spec["securityContext"] ?? .null
        func names(_ pred: (JSON) -> Bool) -> [String] { all.filter(pred).compactMap { $0.string("name") } }
        func sc(_ c: JSON) -> JSON { c["securityContext"] ?? .null }

        // Baseline.
        let hostNS = ["hostNetwork", "hostPID", "hostIPC"].filter { spec[$0]?.bool == true }
        if !hostNS.isEmpty { out.append("host namespaces (\(hostNS.map { "\($0)=true" }.joined(separator: ", ")))") }
        let privileged = names { sc($0)["privileged"]?.bool == true }
        if !privileged.isEmpty { out.append("privileged (\(containers(privileged)) must not set securityContext.privileged=true)") }
        var badCaps: [String] = []
        var capNames: [String] = []
        for c in all {
            let added = sc(c)[path: ["capabilities", "add"]]?.array?.compactMap(\.string) ?? []
            let bad = added.filter { !baselineCapabilities.contains($0) }
            if !bad.isEmpty { capNames.append(c.string("name") ?? ""); badCaps += bad.filter { !badCaps.contains($0) } }
        }
        if !capNames.isEmpty {
            out.append("non-default capabilities (\(containers(capNames)) must not include \(badCaps.map { "\"\($0)\"" }.joined(separator: ", ")) in securityContext.capabilities.add)")
        }
        let hostPaths = spec.objects("volumes").filter { $0["hostPath"] != nil }.compactMap { $0.string("name") }
        if !hostPaths.isEmpty {
            out.append("hostPath volumes (volume\(hostPaths.count == 1 ? "" : "s") \(hostPaths.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        var hostPortParts: [String] = []
        for c in all {
            let ports = c.objects("ports").compactMap { $0["hostPort"]?.int }.filter { $0 != 0 }
            if !ports.isEmpty { hostPortParts.append("container \"\(c.string("name") ?? "")\" uses hostPort\(ports.count == 1 ? "" : "s") \(ports.map(String.init).joined(separator: ", "))") }
        }
        if !hostPortParts.isEmpty { out.append("hostPort (\(hostPortParts.joined(separator: ", ")))") }
        // AppArmor: the beta annotations since 1.0, the securityContext field since 1.30.
        var appArmor = annotations.filter { $0.key.hasPrefix(appArmorAnnotationPrefix) }
            .filter { !($0.value.isEmpty || $0.value == "runtime/default" || $0.value.hasPrefix("localhost/")) }
            .map { "\($0.key)=\"\($0.value)\"" }
        if version.includes(30) {
            if podSC[path: ["appArmorProfile", "type"]]?.string == "Unconfined" { appArmor.append("pod securityContext.appArmorProfile.type=\"Unconfined\"") }
            for c in all where sc(c)[path: ["appArmorProfile", "type"]]?.string == "Unconfined" {
                appArmor.append("container \"\(c.string("name") ?? "")\" securityContext.appArmorProfile.type=\"Unconfined\"")
            }
        }
        if !appArmor.isEmpty {
            out.append("forbidden AppArmor profile\(appArmor.count == 1 ? "" : "s") (\(appArmor.sorted().joined(separator: ", ")))")
        }
        let allowedSELinux = seLinuxTypes(version)
        let seLinuxBad = ([podSC] + all.map(sc)).contains { s in
            guard let o = s["seLinuxOptions"], o.object != nil else { return false }
            return !allowedSELinux.contains(o.string("type") ?? "") || !(o.string("user") ?? "").isEmpty || !(o.string("role") ?? "").isEmpty
        }
        if seLinuxBad { out.append("seLinuxOptions (pod or containers must not set securityContext.seLinuxOptions type, user or role to a custom value)") }
        let unmasked = names { (sc($0).string("procMount") ?? "Default") != "Default" }
        if !unmasked.isEmpty { out.append("procMount (\(containers(unmasked)) must not set securityContext.procMount to \"Unmasked\")") }
        var unconfined: [String] = []
        if podSC[path: ["seccompProfile", "type"]]?.string == "Unconfined" { unconfined.append("pod") }
        let unconfinedContainers = names { sc($0)[path: ["seccompProfile", "type"]]?.string == "Unconfined" }
        if !unconfinedContainers.isEmpty { unconfined.append(containers(unconfinedContainers)) }
        if !unconfined.isEmpty, version.includes(19) {
            out.append("seccompProfile (\(unconfined.joined(separator: " and ")) must not set securityContext.seccompProfile.type to \"Unconfined\")")
        }
        let safe = Set(safeSysctls.filter { version.includes($0.since) }.map(\.name))
        let sysctls = podSC.objects("sysctls").compactMap { $0.string("name") }.filter { !safe.contains($0) }
        if !sysctls.isEmpty { out.append("forbidden sysctls (\(sysctls.joined(separator: ", ")))") }
        guard level == .restricted else { return out }

        // Restricted.
        var restrictedVols: [String] = []
        var restrictedTypes: [String] = []
        for v in spec.objects("volumes") {
            let type = v.object?.keys.first { $0 != "name" } ?? ""
            if !type.isEmpty, !restrictedVolumes.contains(type) {
                restrictedVols.append(v.string("name") ?? "")
                if !restrictedTypes.contains(type) { restrictedTypes.append(type) }
            }
        }
        if !restrictedVols.isEmpty {
            out.append("restricted volume types (volume\(restrictedVols.count == 1 ? "" : "s") \(restrictedVols.map { "\"\($0)\"" }.joined(separator: ", ")) use\(restrictedVols.count == 1 ? "s" : "") restricted volume type\(restrictedTypes.count == 1 ? "" : "s") \(restrictedTypes.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        let escalation = names { sc($0)["allowPrivilegeEscalation"]?.bool != false }
        if !escalation.isEmpty, version.includes(8) {
            out.append("allowPrivilegeEscalation != false (\(containers(escalation)) must set securityContext.allowPrivilegeEscalation=false)")
        }
        var caps: [String] = []
        let noDrop = names { !(sc($0)[path: ["capabilities", "drop"]]?.array?.compactMap(\.string) ?? []).contains("ALL") }
        if !noDrop.isEmpty { caps.append("\(containers(noDrop)) must set securityContext.capabilities.drop=[\"ALL\"]") }
        var addNames: [String] = []
        var added: [String] = []
        for c in all {
            let extra = (sc(c)[path: ["capabilities", "add"]]?.array?.compactMap(\.string) ?? []).filter { $0 != "NET_BIND_SERVICE" }
            if !extra.isEmpty { addNames.append(c.string("name") ?? ""); added += extra.filter { !added.contains($0) } }
        }
        if !addNames.isEmpty {
            caps.append("\(containers(addNames)) must not include \(added.map { "\"\($0)\"" }.joined(separator: ", ")) in securityContext.capabilities.add")
        }
        if !caps.isEmpty, version.includes(22) { out.append("unrestricted capabilities (\(caps.joined(separator: "; ")))") }
        let podNonRoot = podSC["runAsNonRoot"]?.bool
        let rootContainers = names { c in
            let v = sc(c)["runAsNonRoot"]?.bool
            return v == false || (v == nil && podNonRoot != true)
        }
        if podNonRoot == false || !rootContainers.isEmpty {
            let who = podNonRoot == false ? "pod" : (rootContainers.count == all.count ? "pod or \(containers(rootContainers))" : containers(rootContainers))
            out.append("runAsNonRoot != true (\(who) must \(podNonRoot == false ? "not set securityContext.runAsNonRoot=false" : "set securityContext.runAsNonRoot=true"))")
        }
        let rootUsers = names { sc($0)["runAsUser"]?.int == 0 }
        if podSC["runAsUser"]?.int == 0 || !rootUsers.isEmpty, version.includes(23) {
            let who = podSC["runAsUser"]?.int == 0 ? (rootUsers.isEmpty ? "pod" : "pod and \(containers(rootUsers))") : containers(rootUsers)
            out.append("runAsUser=0 (\(who) must not set runAsUser=0)")
        }
        let podSeccomp = podSC[path: ["seccompProfile", "type"]]?.string
        let okTypes: Set<String> = ["RuntimeDefault", "Localhost"]
        let missingSeccomp = names { c in
            if let t = sc(c)[path: ["seccompProfile", "type"]]?.string { return !okTypes.contains(t) && t != "Unconfined" }
            return !okTypes.contains(podSeccomp ?? "")
        }
        if !missingSeccomp.isEmpty, podSeccomp != "Unconfined", version.includes(19) {
            let who = missingSeccomp.count == all.count ? "pod or \(containers(missingSeccomp))" : containers(missingSeccomp)
            out.append("seccompProfile (\(who) must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")")
        }
        return out
    }
}
