import KubeAPI
@testable import Scheduler

enum Fixture {
    static func node(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int64 = 110, labels: [String: String] = [:],
                     taints: [JSON] = [], unschedulable: Bool = false, ready: String? = "True",
                     extraAllocatable: [(String, JSON)] = []) -> JSON {
        var allocatable: JSON = ["cpu": .string(cpu), "memory": .string(memory), "pods": .int(pods), "ephemeral-storage": "100Gi"]
        for (k, v) in extraAllocatable { allocatable[k] = v }
        var spec: JSON = [:]
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        if unschedulable { spec["unschedulable"] = true }
        var status: JSON = ["allocatable": allocatable]
        if let ready { status["conditions"] = [["type": "Ready", "status": .string(ready)]] }
        return ["metadata": ["name": .string(name), "labels": .object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))],
                "spec": spec, "status": status]
    }

    static func taint(_ key: String, _ value: String = "", _ effect: String = "NoSchedule") -> JSON {
        var t: JSON = ["key": .string(key), "effect": .string(effect)]
        if !value.isEmpty { t["value"] = .string(value) }
        return t
    }

    static func container(_ name: String = "app", cpu: String? = nil, memory: String? = nil, extra: [(String, JSON)] = []) -> JSON {
        var requests = JSONObject()
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var c: JSON = ["name": .string(name), "image": "busybox"]
        if !requests.isEmpty { c["resources"] = ["requests": .object(requests)] }
        for (k, v) in extra { c[k] = v }
        return c
    }

    static func pod(_ name: String, namespace: String = "default", uid: String? = nil, containers: [JSON]? = nil,
                    spec extra: [(String, JSON)] = [], labels: [String: String] = [:]) -> JSON {
        var spec: JSON = ["containers": .array(containers ?? [container()]), "schedulerName": "default-scheduler"]
        for (k, v) in extra { spec[k] = v }
        return ["metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(uid ?? "uid-\(namespace)-\(name)"),
                             "labels": .object(JSONObject(labels.map { ($0.key, .string($0.value)) }))],
                "spec": spec, "status": ["phase": "Pending"]]
    }

    static func podInfo(_ name: String = "p", containers: [JSON]? = nil, spec: [(String, JSON)] = []) -> PodInfo {
        PodInfo(pod: pod(name, containers: containers, spec: spec))
    }

    static func nodeInfo(_ json: JSON, pods: [PodInfo] = []) -> NodeInfo { NodeInfo(node: json, pods: pods) }

    static func toleration(_ key: String, op: String = "Equal", value: String = "", effect: String = "") -> JSON {
        var t: JSON = ["operator": .string(op)]
        if !key.isEmpty { t["key"] = .string(key) }
        if !value.isEmpty { t["value"] = .string(value) }
        if !effect.isEmpty { t["effect"] = .string(effect) }
        return t
    }
}
