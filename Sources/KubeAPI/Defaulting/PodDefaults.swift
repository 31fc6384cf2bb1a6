/// The defaults the API server fills into a Pod on create (pkg/apis/core/v1/defaults.go and
/// the registry strategy): only absent fields are set, so an update keeps what the user wrote.
public enum PodDefaults {
    public static func apply(to pod: inout JSON) {
        guard pod.object != nil else { return }
        var spec = pod["spec"] ?? .object(JSONObject())
        setIfAbsent(&spec, "restartPolicy", "Always")
        setIfAbsent(&spec, "terminationGracePeriodSeconds", 30)
        setIfAbsent(&spec, "dnsPolicy", "ClusterFirst")
        setIfAbsent(&spec, "schedulerName", "default-scheduler")
        setIfAbsent(&spec, "securityContext", .object(JSONObject()))
        setIfAbsent(&spec, "enableServiceLinks", true)
        if spec["priorityClassName"] == nil { setIfAbsent(&spec, "priority", 0) }
        for field in ["initContainers", "containers"] {
            guard var list = spec[field]?.array else { continue }
            for i in list.indices { ContainerDefaults.apply(to: &list[i]) }
            spec[field] = .array(list)
        }
        if var volumes = spec["volumes"]?.array {
            for i in volumes.indices { VolumeDefaults.apply(to: &volumes[i]) }
            spec["volumes"] = .array(volumes)
        }
        pod["spec"] = spec
        var status = pod["status"] ?? .object(JSONObject())
        setIfAbsent(&status, "phase", "Pending")
        setIfAbsent(&status, "qosClass", .string(QoSClass.of(spec: spec).rawValue))
        pod["status"] = status
    }

    static func setIfAbsent(_ obj: inout JSON, _ key: String, _ value: JSON) {
        if obj[key] == nil || obj[key]?.isNull == true { obj[key] = value }
    }
}
