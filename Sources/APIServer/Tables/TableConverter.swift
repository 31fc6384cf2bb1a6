import Foundation
import KubeAPI

/// Server-side printing: the columns kubectl shows for each kind (`kubectl get` asks for a
/// meta.k8s.io/v1 Table and prints what it is given).
public struct TableConverter: Sendable {
    public struct Column: Sendable {
        var name: String
        var type: String = "string"
        var format: String = ""
        var priority: Int = 0
        var description: String = ""
    }

    public enum RowObject: Sendable { case none, metadata, full }

    let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    public func columns(for r: ResourceInfo) -> [Column] {
        let name = Column(name: "Name", format: "name")
        let age = Column(name: "Age")
        switch r.resource {
        case "pods":
            return [name, Column(name: "Ready"), Column(name: "Status"), Column(name: "Restarts"), age,
                    Column(name: "IP", priority: 1), Column(name: "Node", priority: 1),
                    Column(name: "Nominated Node", priority: 1), Column(name: "Readiness Gates", priority: 1)]
        case "nodes":
            return [name, Column(name: "Status"), Column(name: "Roles"), age, Column(name: "Version"),
                    Column(name: "Internal-IP", priority: 1), Column(name: "External-IP", priority: 1),
                    Column(name: "OS-Image", priority: 1), Column(name: "Kernel-Version", priority: 1),
                    Column(name: "Container-Runtime", priority: 1)]
        case "namespaces": return [name, Column(name: "Status"), age]
        case "events":
            return [Column(name: "Last Seen"), Column(name: "Type"), Column(name: "Reason"), Column(name: "Object"),
                    Column(name: "Subobject", priority: 1), Column(name: "Source", priority: 1), Column(name: "Message"),
                    Column(name: "First Seen", priority: 1), Column(name: "Count", priority: 1), Column(name: "Name", priority: 1)]
        case "configmaps": return [name, Column(name: "Data", type: "integer"), age]
        case "secrets": return [name, Column(name: "Type"), Column(name: "Data", type: "integer"), age]
        case "serviceaccounts": return [name, Column(name: "Secrets", type: "integer"), age]
        case "persistentvolumes":
            return [name, Column(name: "Capacity"), Column(name: "Access Modes"), Column(name: "Reclaim Policy"),
                    Column(name: "Status"), Column(name: "Claim"), Column(name: "StorageClass"),
                    Column(name: "VolumeAttributesClass"), Column(name: "Reason"), age,
                    Column(name: "VolumeMode", priority: 1)]
        case "persistentvolumeclaims":
            return [name, Column(name: "Status"), Column(name: "Volume"), Column(name: "Capacity"),
                    Column(name: "Access Modes"), Column(name: "StorageClass"), Column(name: "VolumeAttributesClass"), age,
                    Column(name: "VolumeMode", priority: 1)]
        case "storageclasses":
            return [name, Column(name: "Provisioner"), Column(name: "ReclaimPolicy"), Column(name: "VolumeBindingMode"),
                    Column(name: "AllowVolumeExpansion"), age]
        case "csinodes": return [name, Column(name: "Drivers", type: "integer"), age]
        case "leases": return [name, Column(name: "Holder"), age]
        case "priorityclasses":
            return [name, Column(name: "Value", type: "integer"), Column(name: "Global-Default", type: "boolean"), age,
                    Column(name: "PreemptionPolicy")]
        case "resourcequotas": return [name, age, Column(name: "Request"), Column(name: "Limit")]
        case "certificatesigningrequests":
            return [name, age, Column(name: "SignerName"), Column(name: "Requestor"), Column(name: "RequestedDuration"),
                    Column(name: "Condition")]
        default: return [name, Column(name: "Created At", type: "date")]
        }
    }

    /// kubectl's CONDITION for a CSR: its condition types, `Issued` once it has a certificate, else `Pending`.
    static func csrCondition(_ o: JSON) -> String {
        var parts = (o[path: ["status", "conditions"]]?.array ?? []).compactMap { c -> String? in
            guard let t = c["type"]?.string, (c["status"]?.string ?? "True") == "True" else { return nil }
            return t
        }
        if !(o[path: ["status", "certificate"]]?.string ?? "").isEmpty { parts.append("Issued") }
        return parts.isEmpty ? "Pending" : parts.joined(separator: ",")
    }

    public func cells(for r: ResourceInfo, _ o: JSON) -> [JSON] {
        let now = self.now()
        let meta = o["metadata"]
        let name = JSON.string(meta?["name"]?.string ?? "")
        let created = meta?["creationTimestamp"]?.string
        let age = JSON.string(HumanDuration.age(of: created, now: now))
        func s(_ path: String...) -> String { o[path: path]?.string ?? "" }
        func orNone(_ v: String) -> JSON { .string(v.isEmpty ? "<none>" : v) }
        // Claims and volumes being deleted (held by their protection finalizers) read Terminating.
        let deleting = meta?["deletionTimestamp"].map { !$0.isNull } ?? false
        switch r.resource {
        case "pods":
            let gates = o[path: ["spec", "readinessGates"]]?.array ?? []
            var gateCell = "<none>"
            if !gates.isEmpty {
                let conds = o[path: ["status", "conditions"]]?.array ?? []
                let ok = gates.filter { g in conds.contains { $0["type"] == g["conditionType"] && $0["status"]?.string == "True" } }
                gateCell = "\(ok.count)/\(gates.count)"
            }
            return [name, .string(PodStatusColumn.ready(o)), .string(PodStatusColumn.status(o)),
                    .string(PodStatusColumn.restarts(o, now: now)), age,
                    orNone(s("status", "podIP")), orNone(s("spec", "nodeName")),
                    orNone(s("status", "nominatedNodeName")), .string(gateCell)]
        case "nodes":
            return [name, .string(nodeStatus(o)), .string(nodeRoles(o)), age, .string(s("status", "nodeInfo", "kubeletVersion")),
                    orNone(address(o, "InternalIP")), orNone(address(o, "ExternalIP")),
                    .string(s("status", "nodeInfo", "osImage")), .string(s("status", "nodeInfo", "kernelVersion")),
                    .string(s("status", "nodeInfo", "containerRuntimeVersion"))]
        case "namespaces":
            return [name, .string(s("status", "phase")), age]
        case "events":
            return eventCells(o, now: now)
        case "configmaps":
            let n = (o["data"]?.object?.count ?? 0) + (o["binaryData"]?.object?.count ?? 0)
            return [name, .int(Int64(n)), age]
        case "secrets":
            return [name, .string(s("type")), .int(Int64(o["data"]?.object?.count ?? 0)), age]
        case "serviceaccounts":
            return [name, .int(Int64(o["secrets"]?.array?.count ?? 0)), age]
        case "persistentvolumes":
            let claim = o[path: ["spec", "claimRef"]].map { "\($0["namespace"]?.string ?? "")/\($0["name"]?.string ?? "")" } ?? ""
            return [name, .string(s("spec", "capacity", "storage")), .string(accessModes(o[path: ["spec", "accessModes"]])),
                    .string(s("spec", "persistentVolumeReclaimPolicy")), .string(deleting ? "Terminating" : s("status", "phase")), .string(claim),
                    .string(s("spec", "storageClassName")), .string("<unset>"), .string(s("status", "reason")), age,
                    .string(s("spec", "volumeMode"))]
        case "persistentvolumeclaims":
            return [name, .string(deleting ? "Terminating" : s("status", "phase")), .string(s("spec", "volumeName")), .string(s("status", "capacity", "storage")),
                    .string(accessModes(o[path: ["status", "accessModes"]])), .string(s("spec", "storageClassName")),
                    .string("<unset>"), age, .string(s("spec", "volumeMode"))]
        case "storageclasses":
            var n = meta?["name"]?.string ?? ""
            if o[path: ["metadata", "annotations", "storageclass.kubernetes.io/is-default-class"]]?.string == "true" { n += " (default)" }
            return [.string(n), .string(s("provisioner")), .string(o["reclaimPolicy"]?.string ?? "Delete"),
                    .string(o["volumeBindingMode"]?.string ?? "Immediate"),
                    .string(o["allowVolumeExpansion"]?.bool == true ? "true" : "false"), age]
        case "csinodes":
            return [name, .int(Int64(o[path: ["spec", "drivers"]]?.array?.count ?? 0)), age]
        case "leases":
            return [name, orNone(s("spec", "holderIdentity")), age]
        case "priorityclasses":
            return [name, .int(o["value"]?.int ?? 0), .bool(o["globalDefault"]?.bool ?? false), age,
                    .string(o["preemptionPolicy"]?.string ?? "PreemptLowerPriority")]
        case "resourcequotas":
            return [name, age, .string(quotaUsage(o, limits: false)), .string(quotaUsage(o, limits: true))]
        case "certificatesigningrequests":
            let duration = o[path: ["spec", "expirationSeconds"]]?.int.map { HumanDuration.format(TimeInterval($0)) } ?? "<none>"
            return [name, age, .string(s("spec", "signerName")), .string(s("spec", "username")), .string(duration),
                    .string(Self.csrCondition(o))]
        default:
            return [name, .string(created ?? "")]
        }
    }

    func nodeStatus(_ o: JSON) -> String {
        var st = "Unknown"
        for c in o[path: ["status", "conditions"]]?.array ?? [] where c["type"]?.string == "Ready" {
            switch c["status"]?.string {
            case "True": st = "Ready"
            case "False": st = "NotReady"
            default: st = "Unknown"
            }
        }
        if o[path: ["spec", "unschedulable"]]?.bool == true { st += ",SchedulingDisabled" }
        return st
    }

    func nodeRoles(_ o: JSON) -> String {
        var roles: [String] = []
        for (k, _) in o[path: ["metadata", "labels"]]?.object ?? JSONObject() {
            if k.hasPrefix("node-role.kubernetes.io/") {
                let role = String(k.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.append(role) }
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    func address(_ o: JSON, _ type: String) -> String {
        (o[path: ["status", "addresses"]]?.array ?? []).first { $0["type"]?.string == type }?["address"]?.string ?? ""
    }

    func accessModes(_ v: JSON?) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return (v?.array ?? []).compactMap { $0.string.map { short[$0] ?? $0 } }.joined(separator: ",")
    }

    func quotaUsage(_ o: JSON, limits: Bool) -> String {
        let hard = o[path: ["status", "hard"]]?.object ?? o[path: ["spec", "hard"]]?.object ?? JSONObject()
        let used = o[path: ["status", "used"]]?.object ?? JSONObject()
        var parts: [String] = []
        for k in hard.keys.sorted() {
            let isLimit = k.hasPrefix("limits.")
            if isLimit != limits { continue }
            parts.append("\(k): \(used[k]?.string ?? "0")/\(hard[k]?.string ?? "")")
        }
        return parts.joined(separator: ", ")
    }

    func eventCells(_ o: JSON, now: Date) -> [JSON] {
        let first = o["firstTimestamp"]?.string ?? o["eventTime"]?.string ?? o[path: ["metadata", "creationTimestamp"]]?.string
        let last = o["lastTimestamp"]?.string ?? o[path: ["series", "lastObservedTime"]]?.string ?? o["eventTime"]?.string ?? first
        let count = o["count"]?.int ?? o[path: ["series", "count"]]?.int ?? 1
        var lastSeen = HumanDuration.age(of: last, now: now)
        if count > 1 { lastSeen = "\(lastSeen) (x\(count) over \(HumanDuration.age(of: first, now: now)))" }
        let io = o["involvedObject"]
        let object = "\((io?["kind"]?.string ?? "").lowercased())/\(io?["name"]?.string ?? "")"
        let source = o[path: ["source", "component"]]?.string ?? o["reportingComponent"]?.string ?? ""
        let host = o[path: ["source", "host"]]?.string ?? o["reportingInstance"]?.string ?? ""
        return [.string(lastSeen), .string(o["type"]?.string ?? ""), .string(o["reason"]?.string ?? ""), .string(object),
                .string(io?["fieldPath"]?.string ?? ""), .string(host.isEmpty ? source : "\(source), \(host)"),
                .string(o["message"]?.string ?? ""), .string(HumanDuration.age(of: first, now: now)), .int(count),
                .string(o[path: ["metadata", "name"]]?.string ?? "")]
    }

    // MARK: Table documents

    public func columnDefinitions(for r: ResourceInfo) -> JSON {
        .array(columns(for: r).map { c in
            var o = JSONObject()
            o["name"] = .string(c.name)
            o["type"] = .string(c.type)
            o["format"] = .string(c.format)
            o["description"] = .string(c.description)
            o["priority"] = .int(Int64(c.priority))
            return .object(o)
        })
    }

    public func row(for r: ResourceInfo, _ obj: JSON, object: RowObject) -> JSON {
        var row = JSONObject()
        row["cells"] = .array(cells(for: r, obj))
        switch object {
        case .none: break
        case .full: row["object"] = obj
        case .metadata:
            row["object"] = [
                "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                "metadata": obj["metadata"] ?? .object(JSONObject()),
            ]
        }
        return .object(row)
    }

    public func table(for r: ResourceInfo, rows: [JSON], resourceVersion: String, continueToken: String?,
                      remaining: Int?, object: RowObject, includeColumns: Bool = true) -> JSON {
        var meta = JSONObject()
        meta["resourceVersion"] = .string(resourceVersion)
        if let c = continueToken { meta["continue"] = .string(c) }
        if let n = remaining { meta["remainingItemCount"] = .int(Int64(n)) }
        var t = JSONObject()
        t["kind"] = "Table"
        t["apiVersion"] = "meta.k8s.io/v1"
        t["metadata"] = .object(meta)
        t["columnDefinitions"] = includeColumns ? columnDefinitions(for: r) : .array([])
        t["rows"] = .array(rows.map { row(for: r, $0, object: object) })
        return .object(t)
    }
}
