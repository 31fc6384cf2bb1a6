import KubeAPI

/// Values of `fieldRef` and `resourceFieldRef`, as the downward API defines them.
enum DownwardAPI {
    static func field(_ path: String, pod: PodSpecView, podIPs: [String], hostIPs: [String]) throws(EnvError) -> String {
        switch path {
        case "metadata.name": return pod.name
        case "metadata.namespace": return pod.namespace
        case "metadata.uid": return pod.uid
        case "metadata.labels": return formatMap(pod.labels)
        case "metadata.annotations": return formatMap(pod.annotations)
        case "spec.nodeName": return pod.nodeName
        case "spec.serviceAccountName": return pod.serviceAccountName
        case "status.podIP": return podIPs.first ?? ""
        case "status.podIPs": return podIPs.joined(separator: ",")
        case "status.hostIP": return hostIPs.first ?? ""
        case "status.hostIPs": return hostIPs.joined(separator: ",")
        default:
            if let key = subscriptKey(path, "metadata.labels") { return pod.labels[key] ?? "" }
            if let key = subscriptKey(path, "metadata.annotations") { return pod.annotations[key] ?? "" }
            throw EnvError(message: "unsupported fieldPath: \(path)")
        }
    }

    /// `limits.cpu` and friends, rounded up in units of the divisor. An unset limit is the node's
    /// allocatable amount, as the container may use all of it.
    static func resource(_ resource: String, divisor: Quantity?, container: ContainerSpec,
                         allocatable: [String: Quantity]) throws(EnvError) -> String {
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["limits", "requests"].contains(parts[0]),
              ["cpu", "memory", "ephemeral-storage"].contains(parts[1]) || parts[1].hasPrefix("hugepages-") else {
            throw EnvError(message: "unsupported container resource : \(resource)")
        }
        let name = parts[1]
        let value = parts[0] == "limits"
            ? container.resources.limits[name] ?? (name.hasPrefix("hugepages-") ? nil : allocatable[name]) ?? .zero
            : container.resources.requests[name] ?? .zero
        let unit = divisor.flatMap { $0.isZero ? nil : $0 } ?? Quantity(1)
        // CPU divides in millicores so "1m" divisors work; the rest in whole units.
        let (n, d) = name == "cpu" ? (value.milliValue, unit.milliValue) : (value.value, unit.value)
        guard d > 0 else { throw EnvError(message: "invalid divisor for \(resource)") }
        return String(n / d + (n % d > 0 ? 1 : 0))
    }

    private static func subscriptKey(_ path: String, _ field: String) -> String? {
        guard path.hasPrefix(field + "['"), path.hasSuffix("']") else { return nil }
        return String(path.dropFirst(field.count + 2).dropLast(2))
    }

    /// `key="value"` lines in key order, values quoted as Go's %q does.
    static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted().map { "\($0)=\(goQuote(map[$0]!))" }.joined(separator: "\n")
    }

    private static func goQuote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if ch.value < 0x20 || ch.value == 0x7F {
                    out += "\\x" + (ch.value < 0x10 ? "0" : "") + String(ch.value, radix: 16)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
