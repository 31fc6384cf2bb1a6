import KubeAPI

/// Defaults for kinds other than pods.
enum KindDefaults {
    static func apply(to obj: inout JSON, resource r: ResourceInfo) {
        switch r.resource {
        case "secrets": SecretDefaults.apply(to: &obj)
        case "persistentvolumeclaims": PersistentVolumeClaimDefaults.apply(to: &obj)
        case "persistentvolumes": PersistentVolumeDefaults.apply(to: &obj)
        case "priorityclasses":
            if obj["preemptionPolicy"] == nil { obj["preemptionPolicy"] = "PreemptLowerPriority" }
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
            errs += ConfigDataValidation.validateConfigMap(obj)
        case "secrets":
            errs += ConfigDataValidation.validateSecret(obj)
        case "namespaces":
            errs += ConfigDataValidation.validateNamespace(obj)
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
        case "resourcequotas":
            errs += QuotaScopes.validate(obj["spec"] ?? .null)
        case "priorityclasses":
            errs += PriorityClasses.validate(obj)
        case "nodes":
            errs += NodeValidation.validate(node: obj)
        default:
            break
        }
        return errs
    }
}
