import KubeAPI
import Testing
@testable import APIServer

struct QuotaScopesTests {
    static let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    static let configMaps = ResourceCatalog.lookup(group: "", version: "v1", resource: "configmaps")!

    static func pod(requests: Bool = false, deadline: Int64? = nil, priorityClass: String? = nil, crossNamespace: Bool = false) -> JSON {
        var container: JSON = ["name": "c", "image": "x"]
        if requests { container["resources"] = ["requests": ["cpu": "100m"]] }
        var spec: JSON = ["containers": [container]]
        if let deadline { spec["activeDeadlineSeconds"] = .int(deadline) }
        if let priorityClass { spec["priorityClassName"] = .string(priorityClass) }
        if crossNamespace {
            spec["affinity"] = ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
                ["topologyKey": "zone", "namespaces": ["other"]]]]]
        }
        return ["metadata": ["name": "p"], "spec": spec]
    }

    static func quota(scopes: [String] = [], selector: [JSON] = []) -> JSON {
        var spec: JSON = ["hard": ["pods": "5"]]
        if !scopes.isEmpty { spec["scopes"] = .array(scopes.map { .string($0) }) }
        if !selector.isEmpty { spec["scopeSelector"] = ["matchExpressions": .array(selector)] }
        return spec
    }

    @Test(arguments: [
        ("no scope covers all", quota(), pod(), true),
        ("BestEffort: no requests", quota(scopes: ["BestEffort"]), pod(), true),
        ("BestEffort: requests", quota(scopes: ["BestEffort"]), pod(requests: true), false),
        ("NotBestEffort", quota(scopes: ["NotBestEffort"]), pod(requests: true), true),
        ("Terminating: deadline", quota(scopes: ["Terminating"]), pod(deadline: 60), true),
        ("Terminating: none", quota(scopes: ["Terminating"]), pod(), false),
        ("NotTerminating", quota(scopes: ["NotTerminating"]), pod(), true),
        ("both must hold", quota(scopes: ["NotTerminating", "BestEffort"]), pod(requests: true), false),
        ("PriorityClass In", quota(selector: [["scopeName": "PriorityClass", "operator": "In", "values": ["high"]]]), pod(priorityClass: "high"), true),
        ("PriorityClass In other", quota(selector: [["scopeName": "PriorityClass", "operator": "In", "values": ["high"]]]), pod(priorityClass: "low"), false),
        ("PriorityClass NotIn", quota(selector: [["scopeName": "PriorityClass", "operator": "NotIn", "values": ["high"]]]), pod(), true),
        ("PriorityClass scope = Exists", quota(scopes: ["PriorityClass"]), pod(priorityClass: "low"), true),
        ("PriorityClass DoesNotExist", quota(selector: [["scopeName": "PriorityClass", "operator": "DoesNotExist"]]), pod(priorityClass: "low"), false),
        ("CrossNamespacePodAffinity", quota(scopes: ["CrossNamespacePodAffinity"]), pod(crossNamespace: true), true),
        ("CrossNamespacePodAffinity: none", quota(scopes: ["CrossNamespacePodAffinity"]), pod(), false),
    ])
    func covers(_ name: String, _ quota: JSON, _ pod: JSON, _ expected: Bool) {
        #expect(QuotaScopes(spec: quota).covers(pod, resource: Self.pods) == expected, "\(name)")
    }

    @Test func scopedQuotasCoverOnlyPods() {
        #expect(QuotaScopes(spec: Self.quota(scopes: ["NotTerminating"])).covers(["metadata": ["name": "c"]], resource: Self.configMaps) == false)
        #expect(QuotaScopes(spec: Self.quota()).covers(["metadata": ["name": "c"]], resource: Self.configMaps))
    }

    @Test(arguments: [
        (quota(scopes: ["Sometimes"]), ["spec.scopes[0]"]),
        (quota(scopes: ["BestEffort", "NotBestEffort"]), ["spec.scopes"]),
        (quota(scopes: ["Terminating", "NotTerminating"]), ["spec.scopes"]),
        (quota(selector: [["scopeName": "PriorityClass", "operator": "In"]]), ["spec.scopeSelector.matchExpressions[0].values"]),
        (quota(selector: [["scopeName": "BestEffort", "operator": "In", "values": ["x"]]]), ["spec.scopeSelector.matchExpressions[0].operator"]),
        (quota(selector: [["scopeName": "PriorityClass", "operator": "Near"]]), ["spec.scopeSelector.matchExpressions[0].operator"]),
        (["hard": ["pods": "1", "cpu": "1"], "scopes": ["BestEffort"]] as JSON, ["spec.hard"]),
        (quota(scopes: ["BestEffort", "NotTerminating"]), []),
    ])
    func validation(_ spec: JSON, _ fields: [String]) {
        #expect(QuotaScopes.validate(spec).map(\.field) == fields)
    }
}
