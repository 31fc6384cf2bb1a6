/// Volume source defaults: file modes 0644 (420) for projected files, hostPath type "".
enum VolumeDefaults {
    static func apply(to v: inout JSON) {
        for source in ["configMap", "secret", "downwardAPI", "projected"] {
            guard var s = v[source], s.object != nil else { continue }
            PodDefaults.setIfAbsent(&s, "defaultMode", 420)
            v[source] = s
        }
        if var h = v["hostPath"], h.object != nil {
            PodDefaults.setIfAbsent(&h, "type", "")
            v["hostPath"] = h
        }
    }
}
