import KubeAPI

/// Defaults for kinds other than pods.
enum KindDefaults {
    static func apply(to obj: inout JSON, resource r: ResourceInfo) {
        switch r.resource {
        case "secrets": SecretDefaults.apply(to: &obj)
        case "persistentvolumeclaims": PersistentVolumeClaimDefaults.apply(to: &obj)
        case "persistentvolumes": PersistentVolumeDefaults.apply(to: &obj)
        case "storageclasses":
            if obj["reclaimPolicy"] == nil { obj["reclaimPolicy"] = "Delete" }
            if obj["volumeBindingMode"] == nil { obj["volumeBindingMode"] = "Immediate" }
        default:
            break
        }
    }
}

/// Validation for kinds other than pods.
enum KindValidation {
    static func validate(_ obj: JSON, resource r: ResourceInfo) -> [FieldError] {
        var errs: [FieldError] = []
        switch r.resource {
        case "configmaps":
            var size = 0
            for field in ["data", "binaryData"] {
                for (k, v) in obj[field]?.object ?? JSONObject() {
                    for m in NameRules.isConfigMapKey(k) { errs.append(.invalid("\(field)[\(k)]", .string(k), m)) }
                    size += k.utf8.count + (v.string?.utf8.count ?? 0)
                }
            }
            if size > 1024 * 1024 { errs.append(FieldError(.tooLong, field: "", message: "Too long: must have at most 1048576 bytes")) }
        case "secrets":
            for (k, _) in obj["data"]?.object ?? JSONObject() {
                for m in NameRules.isConfigMapKey(k) { errs.append(.invalid("data[\(k)]", .string(k), m)) }
            }
        case "storageclasses":
            if (obj["provisioner"]?.string ?? "").isEmpty { errs.append(.required("provisioner")) }
        case "persistentvolumeclaims":
            if (obj[path: ["spec", "accessModes"]]?.array ?? []).isEmpty {
                errs.append(.required("spec.accessModes", "at least 1 access mode is required"))
            }
            if obj[path: ["spec", "resources", "requests", "storage"]] == nil {
                errs.append(.required("spec.resources[storage]"))
            }
        case "persistentvolumes":
            if (obj[path: ["spec", "accessModes"]]?.array ?? []).isEmpty {
                errs.append(.required("spec.accessModes", "must specify at least 1 access mode"))
            }
            if obj[path: ["spec", "capacity", "storage"]] == nil { errs.append(.required("spec.capacity")) }
        case "events":
            if obj["involvedObject"] == nil { errs.append(.required("involvedObject")) }
        default:
            break
        }
        return errs
    }
}
