/// One container of a pod: name, image, ports, env, resources, probes, volume mounts.
enum ContainerValidation {
    static func validate(_ c: JSON, path: FieldPath, volumes: Set<String>, names: inout Set<String>) -> [FieldError] {
        var errs: [FieldError] = []
        let name = c["name"]?.string ?? ""
        if name.isEmpty {
            errs.append(.required(path.child("name").description))
        } else {
            for m in NameRules.isDNS1123Label(name) { errs.append(.invalid(path.child("name").description, .string(name), m)) }
            // Init and app containers share one namespace of names.
            if names.contains(name) { errs.append(.duplicate(path.child("name").description, .string(name))) }
            names.insert(name)
        }
        let image = c["image"]?.string ?? ""
        if image.isEmpty {
            errs.append(.required(path.child("image").description))
        } else if image.trimmingSpaces != image {
            errs.append(.invalid(path.child("image").description, .string(image), "must not have leading or trailing whitespace"))
        }
        if let policy = c["imagePullPolicy"]?.string, !["Always", "IfNotPresent", "Never"].contains(policy) {
            errs += PodValidation.oneOf(.string(policy), path.child("imagePullPolicy"), ["Always", "IfNotPresent", "Never"])
        }
        for (i, p) in (c["ports"]?.array ?? []).enumerated() { errs += validatePort(p, path: path.child("ports").index(i)) }
        for (i, e) in (c["env"]?.array ?? []).enumerated() {
            let p = path.child("env").index(i).child("name")
            let n = e["name"]?.string ?? ""
            if n.isEmpty { errs.append(.required(p.description)) }
            for m in NameRules.isRelaxedEnvVarName(n) where !n.isEmpty { errs.append(.invalid(p.description, .string(n), m)) }
        }
        errs += validateResources(c["resources"], path: path.child("resources"))
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let p = c[probe], !p.isNull { errs += validateProbe(p, kind: probe, path: path.child(probe)) }
        }
        var mountPaths = Set<String>()
        for (i, m) in (c["volumeMounts"]?.array ?? []).enumerated() {
            let p = path.child("volumeMounts").index(i)
            let v = m["name"]?.string ?? ""
            if v.isEmpty {
                errs.append(.required(p.child("name").description))
            } else if !volumes.contains(v) {
                errs.append(.notFound(p.child("name").description, .string(v)))
            }
            let mp = m["mountPath"]?.string ?? ""
            if mp.isEmpty {
                errs.append(.required(p.child("mountPath").description))
            } else if !mountPaths.insert(mp).inserted {
                errs.append(.invalid(p.child("mountPath").description, .string(mp), "must be unique"))
            }
        }
        return errs
    }

    private static func validatePort(_ port: JSON, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let n = port["containerPort"]?.int ?? 0
        for m in NameRules.isValidPortNum(n) { errs.append(.invalid(path.child("containerPort").description, .int(n), m)) }
        if let h = port["hostPort"]?.int, h != 0 {
            for m in NameRules.isValidPortNum(h) { errs.append(.invalid(path.child("hostPort").description, .int(h), m)) }
        }
        if let name = port["name"]?.string, !name.isEmpty {
            for m in NameRules.isValidPortName(name) { errs.append(.invalid(path.child("name").description, .string(name), m)) }
        }
        errs += PodValidation.oneOf(port["protocol"], path.child("protocol"), ["SCTP", "TCP", "UDP"])
        return errs
    }

    private static func validateResources(_ r: JSON?, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        func quantities(_ field: String) -> [String: Quantity] {
            var out: [String: Quantity] = [:]
            for (k, v) in r?[field]?.object ?? JSONObject() {
                let p = path.child(field).key(k).description
                do {
                    let q = try Quantity(json: v)
                    if q.sign < 0 { errs.append(.invalid(p, v, "must be greater than or equal to 0")) }
                    out[k] = q
                } catch {
                    errs.append(.invalid(p, v, error.description))
                }
            }
            return out
        }
        let limits = quantities("limits")
        let requests = quantities("requests")
        for (k, req) in requests.sorted(by: { $0.key < $1.key }) {
            if let limit = limits[k], req > limit {
                errs.append(.invalid(path.child("requests").key(k).description, .string(req.string),
                    "must be less than or equal to \(k) limit of \(limit.string)"))
            }
        }
        return errs
    }

    static let handlerTypes = ["exec", "httpGet", "tcpSocket", "grpc"]

    private static func validateProbe(_ probe: JSON, kind: String, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let handlers = handlerTypes.filter { probe[$0].map { !$0.isNull } == true }
        if handlers.isEmpty {
            errs.append(.required(path.description, "must specify a handler type"))
        } else {
            for extra in handlers.dropFirst() {
                errs.append(.forbidden(path.child(extra).description, "may not specify more than 1 handler type"))
            }
        }
        for f in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            if let v = probe[f]?.int, v < 0 { errs.append(.nonNegative(path.child(f).description, v)) }
        }
        if kind != "readinessProbe", let s = probe["successThreshold"]?.int, s != 1 {
            errs.append(.invalid(path.child("successThreshold").description, .int(s), "must be 1"))
        }
        return errs
    }
}
