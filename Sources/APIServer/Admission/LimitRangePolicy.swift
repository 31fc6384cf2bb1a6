import Foundation
import KubeAPI

/// Kubernetes' LimitRanger rules, pure: the implied defaults of a LimitRange item, the requests
/// and limits it fills into containers, and the min/max/ratio checks on containers, pods and claims.
public enum LimitRangePolicy {
    static let resourceOrder = ["cpu", "memory", "ephemeral-storage"]

    /// A Container item as the API defaults it: default limits from max, default requests from the
    /// default limits, then from min.
    public static func defaulted(_ item: JSON) -> JSON {
        guard item.string("type") == "Container" else { return item }
        var out = item
        var def = item.object?["default"]?.object ?? JSONObject()
        var req = item.object?["defaultRequest"]?.object ?? JSONObject()
        for (k, v) in item["max"]?.object ?? JSONObject() where def[k] == nil { def[k] = v }
        for (k, v) in def where req[k] == nil { req[k] = v }
        for (k, v) in item["min"]?.object ?? JSONObject() where req[k] == nil { req[k] = v }
        if !def.isEmpty { out["default"] = .object(def) }
        if !req.isEmpty { out["defaultRequest"] = .object(req) }
        return out
    }

    static func items(_ ranges: [JSON], type: String) -> [JSON] {
        ranges.flatMap { ($0[path: ["spec", "limits"]]?.array ?? []).map(defaulted) }.filter { $0.string("type") == type }
    }

    /// Fills missing requests and limits from the Container items' defaults; answers the
    /// `kubernetes.io/limit-ranger` annotation text, nil when nothing was set.
    public static func applyDefaults(_ pod: inout JSON, ranges: [JSON]) -> String? {
        let items = items(ranges, type: "Container")
        guard !items.isEmpty else { return nil }
        var notes: [String] = []
        for field in ["initContainers", "containers"] {
            guard var containers = pod[path: ["spec", field]]?.array else { continue }
            for i in containers.indices {
                var setRequests: [String] = []
                var setLimits: [String] = []
                var resources = containers[i]["resources"] ?? .object(JSONObject())
                for item in items {
                    for (k, v) in item["defaultRequest"]?.object ?? JSONObject() where resources[path: ["requests", k]] == nil {
                        resources[path: ["requests", k]] = v
                        if !setRequests.contains(k) { setRequests.append(k) }
                    }
                    for (k, v) in item["default"]?.object ?? JSONObject() where resources[path: ["limits", k]] == nil {
                        resources[path: ["limits", k]] = v
                        if !setLimits.contains(k) { setLimits.append(k) }
                    }
                }
                containers[i]["resources"] = resources
                let name = containers[i].string("name") ?? ""
                if !setRequests.isEmpty { notes.append("\(sorted(setRequests).joined(separator: ", ")) request for \(field == "initContainers" ? "init container" : "container") \(name)") }
                if !setLimits.isEmpty { notes.append("\(sorted(setLimits).joined(separator: ", ")) limit for \(field == "initContainers" ? "init container" : "container") \(name)") }
            }
            pod[path: ["spec", field]] = .array(containers)
        }
        return notes.isEmpty ? nil : "LimitRanger plugin set: " + notes.joined(separator: "; ")
    }

    static func sorted(_ keys: [String]) -> [String] {
        keys.sorted { (resourceOrder.firstIndex(of: $0) ?? 99, $0) < (resourceOrder.firstIndex(of: $1) ?? 99, $1) }
    }

    /// Every way the pod breaks a Container or Pod item's min, max or maxLimitRequestRatio.
    public static func violations(pod: JSON, ranges: [JSON]) -> [String] {
        var out: [String] = []
        let spec = pod["spec"] ?? .null
        for item in items(ranges, type: "Container") {
            for c in spec.objects("initContainers") + spec.objects("containers") {
                let r = c["resources"] ?? .null
                out += check(item, requests: r.quantities("requests"), limits: r.quantities("limits"), kind: "Container")
            }
        }
        let podItems = items(ranges, type: "Pod")
        if !podItems.isEmpty {
            let totals = PodResourceTotals(spec: spec)
            for item in podItems { out += check(item, requests: totals.requests, limits: totals.limits, kind: "Pod") }
        }
        return out
    }

    /// A claim's storage request against PersistentVolumeClaim items.
    public static func violations(claim: JSON, ranges: [JSON]) -> [String] {
        let requests = claim[path: ["spec", "resources"]]?.quantities("requests") ?? [:]
        let limits = claim[path: ["spec", "resources"]]?.quantities("limits") ?? [:]
        return items(ranges, type: "PersistentVolumeClaim").flatMap { item in
            var out: [String] = []
            for (k, min) in item.quantities("min") {
                guard let req = requests[k] else { out.append("minimum \(k) usage per PersistentVolumeClaim is \(min), No request is specified"); continue }
                if req < min { out.append("minimum \(k) usage per PersistentVolumeClaim is \(min), but request is \(req)") }
            }
            for (k, max) in item.quantities("max") {
                guard let req = requests[k] else { out.append("maximum \(k) usage per PersistentVolumeClaim is \(max), No request is specified"); continue }
                if req > max { out.append("maximum \(k) usage per PersistentVolumeClaim is \(max), but request is \(req)") }
                if let lim = limits[k], lim > max { out.append("maximum \(k) usage per PersistentVolumeClaim is \(max), but limit is \(lim)") }
            }
            return out
        }
    }

    static func check(_ item: JSON, requests: [String: Quantity], limits: [String: Quantity], kind: String) -> [String] {
        var out: [String] = []
        for (k, min) in item.quantities("min").sorted(by: { $0.key < $1.key }) {
            if let req = requests[k] {
                if req < min { out.append("minimum \(k) usage per \(kind) is \(min.canonicalString), but request is \(req.canonicalString)") }
            } else {
                out.append("minimum \(k) usage per \(kind) is \(min.canonicalString).  No request is specified")
            }
            if let lim = limits[k], lim < min {
                out.append("minimum \(k) usage per \(kind) is \(min.canonicalString), but limit is \(lim.canonicalString)")
            }
        }
        for (k, max) in item.quantities("max").sorted(by: { $0.key < $1.key }) {
            if let lim = limits[k] {
                if lim > max { out.append("maximum \(k) usage per \(kind) is \(max.canonicalString), but limit is \(lim.canonicalString)") }
            } else {
                out.append("maximum \(k) usage per \(kind) is \(max.canonicalString).  No limit is specified")
            }
        }
        for (k, ratio) in item.quantities("maxLimitRequestRatio").sorted(by: { $0.key < $1.key }) {
            guard let lim = limits[k], let req = requests[k], !req.isZero else { continue }
            let actual = Double(lim.milliValue) / Double(req.milliValue)
            let allowed = Double(ratio.milliValue) / 1000
            if actual > allowed {
                out.append("\(k) max limit to request ratio per \(kind) is \(ratio.canonicalString), but provided ratio is \(String(format: "%.6f", actual))")
            }
        }
        return out
    }
}
