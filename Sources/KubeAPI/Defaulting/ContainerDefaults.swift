/// Per-container defaults: pull policy, termination message, port protocol, probe timings,
/// requests copied from limits.
enum ContainerDefaults {
    static func apply(to c: inout JSON) {
        PodDefaults.setIfAbsent(&c, "imagePullPolicy", .string(pullPolicy(for: c["image"]?.string ?? "")))
        PodDefaults.setIfAbsent(&c, "terminationMessagePath", "/dev/termination-log")
        PodDefaults.setIfAbsent(&c, "terminationMessagePolicy", "File")
        if var ports = c["ports"]?.array {
            for i in ports.indices { PodDefaults.setIfAbsent(&ports[i], "protocol", "TCP") }
            c["ports"] = .array(ports)
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            guard var p = c[probe], p.object != nil else { continue }
            PodDefaults.setIfAbsent(&p, "timeoutSeconds", 1)
            PodDefaults.setIfAbsent(&p, "periodSeconds", 10)
            PodDefaults.setIfAbsent(&p, "successThreshold", 1)
            PodDefaults.setIfAbsent(&p, "failureThreshold", 3)
            defaultHTTPGet(&p)
            c[probe] = p
        }
        for hook in ["postStart", "preStop"] {
            guard var h = c[path: ["lifecycle", hook]], h.object != nil else { continue }
            defaultHTTPGet(&h)
            c[path: ["lifecycle", hook]] = h
        }
        if var env = c["env"]?.array {
            for i in env.indices {
                guard var ref = env[i][path: ["valueFrom", "fieldRef"]], ref.object != nil else { continue }
                PodDefaults.setIfAbsent(&ref, "apiVersion", "v1")
                env[i][path: ["valueFrom", "fieldRef"]] = ref
            }
            c["env"] = .array(env)
        }
        // Requests default to the limits for every resource that has a limit and no request.
        if let limits = c[path: ["resources", "limits"]]?.object, !limits.isEmpty {
            var requests = c[path: ["resources", "requests"]]?.object ?? JSONObject()
            for (k, v) in limits where requests[k] == nil { requests[k] = v }
            c[path: ["resources", "requests"]] = .object(requests)
        }
    }

    private static func defaultHTTPGet(_ handler: inout JSON) {
        guard var get = handler["httpGet"], get.object != nil else { return }
        PodDefaults.setIfAbsent(&get, "path", "/")
        PodDefaults.setIfAbsent(&get, "scheme", "HTTP")
        handler["httpGet"] = get
    }

    /// Always for `:latest` or an untagged image, else IfNotPresent; a digest counts as a tag.
    static func pullPolicy(for image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }
}
