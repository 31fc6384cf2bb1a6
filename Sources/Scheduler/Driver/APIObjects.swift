import KubeAPI

/// The request bodies behind `SchedulerAPI`, as kube-scheduler sends them, for the adapter that
/// speaks REST. Timestamps are RFC 3339 strings from the caller.
public enum APIObjects {
    /// POST /api/v1/namespaces/{ns}/pods/{name}/binding; the uid makes it fail with 409 if the
    /// pod was replaced meanwhile.
    public static func binding(namespace: String, name: String, uid: String, node: String) -> JSON {
        ["apiVersion": "v1", "kind": "Binding",
         "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(uid)],
         "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)]]
    }

    /// The PodScheduled condition for a pod that fits nowhere, to merge into status.conditions
    /// (replacing any PodScheduled entry) via PATCH pods/{name}/status.
    public static func unschedulableCondition(message: String, now: String) -> JSON {
        ["type": "PodScheduled", "status": "False", "lastProbeTime": nil, "lastTransitionTime": .string(now),
         "reason": "Unschedulable", "message": .string(message)]
    }

    /// A strategic-merge patch for pods/status carrying `unschedulableCondition`
    /// (conditions merge on `type`).
    public static func unschedulableStatusPatch(message: String, now: String) -> JSON {
        ["status": ["conditions": [unschedulableCondition(message: message, now: now)]]]
    }
}

extension SchedulerEvent {
    /// The core/v1 Event to create in the pod's namespace. `name` must be unique; kube-scheduler
    /// uses the pod name and a hex timestamp ("web-1.17f2c0a1b2c3d4e5").
    public func object(name: String, now: String) -> JSON {
        ["apiVersion": "v1", "kind": "Event",
         "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "involvedObject": ["apiVersion": "v1", "kind": "Pod", "namespace": .string(namespace), "name": .string(podName),
                            "uid": .string(podUID)],
         "reason": .string(reason), "message": .string(message), "type": .string(type.rawValue),
         "source": ["component": "default-scheduler"],
         "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
         "action": .string(reason == "Scheduled" ? "Binding" : "Scheduling"),
         "reportingComponent": "default-scheduler", "reportingInstance": ""]
    }
}
