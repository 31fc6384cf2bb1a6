/// `ValidatePodCreate` / `ValidatePodUpdate` for what users hit: every problem is reported.
public enum PodValidation {
    public static func validate(pod: JSON) -> [FieldError] {
        var errs = ObjectMetaValidation.validate(meta: pod["metadata"], namespaced: true, nameRule: .subdomain)
        errs += validateSpec(pod["spec"] ?? .object(JSONObject()), path: FieldPath("spec"))
        return errs
    }

    static func validateSpec(_ spec: JSON, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let volumes = validateVolumes(spec["volumes"]?.array ?? [], path: path.child("volumes"), errs: &errs)
        let containers = spec["containers"]?.array ?? []
        if containers.isEmpty { errs.append(.required(path.child("containers").description)) }
        var names = Set<String>()
        for (field, list) in [("initContainers", spec["initContainers"]?.array ?? []), ("containers", containers)] {
            for (i, c) in list.enumerated() {
                errs += ContainerValidation.validate(c, path: path.child(field).index(i), volumes: volumes, names: &names)
            }
        }
        errs += oneOf(spec["restartPolicy"], path.child("restartPolicy"), ["Always", "OnFailure", "Never"])
        errs += oneOf(spec["dnsPolicy"], path.child("dnsPolicy"), ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
        if let g = spec["terminationGracePeriodSeconds"]?.int, g < 0 {
            errs.append(.nonNegative(path.child("terminationGracePeriodSeconds").description, g))
        }
        if let d = spec["activeDeadlineSeconds"]?.int, d < 1 || d > Int64(Int32.max) {
            errs.append(.invalid(path.child("activeDeadlineSeconds").description, .int(d),
                NameRules.inclusiveRangeError(1, Int(Int32.max))))
        }
        errs += ObjectMetaValidation.validateLabels(spec["nodeSelector"], path: path.child("nodeSelector").description)
        for (i, t) in (spec["tolerations"]?.array ?? []).enumerated() {
            errs += validateToleration(t, path: path.child("tolerations").index(i))
        }
        return errs
    }

    /// Required when empty, else one of `supported`.
    static func oneOf(_ v: JSON?, _ path: FieldPath, _ supported: [String]) -> [FieldError] {
        let s = v?.string ?? ""
        if s.isEmpty { return [.required(path.description)] }
        return supported.contains(s) ? [] : [.notSupported(path.description, .string(s), supported)]
    }

    /// Returns the names of the volumes, for volumeMounts to refer to.
    private static func validateVolumes(_ volumes: [JSON], path: FieldPath, errs: inout [FieldError]) -> Set<String> {
        var names = Set<String>()
        for (i, v) in volumes.enumerated() {
            let p = path.index(i)
            let name = v["name"]?.string ?? ""
            if name.isEmpty {
                errs.append(.required(p.child("name").description))
            } else {
                for m in NameRules.isDNS1123Label(name) { errs.append(.invalid(p.child("name").description, .string(name), m)) }
                if names.contains(name) { errs.append(.duplicate(p.child("name").description, .string(name))) }
                names.insert(name)
            }
            let sources = (v.object?.keys ?? []).filter { $0 != "name" && v[$0]?.isNull == false }
            if sources.isEmpty {
                errs.append(.required(p.description, "must specify a volume type"))
            } else {
                for extra in sources.dropFirst() {
                    errs.append(.forbidden(p.child(extra).description, "may not specify more than 1 volume type"))
                }
            }
        }
        return names
    }

    private static func validateToleration(_ t: JSON, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let key = t["key"]?.string ?? ""
        let op = t["operator"]?.string ?? ""
        if !key.isEmpty {
            for m in NameRules.isQualifiedName(key) { errs.append(.invalid(path.child("key").description, .string(key), m)) }
        } else if op != "Exists" {
            errs.append(.invalid(path.child("operator").description, .string(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
        }
        let effect = t["effect"]?.string ?? ""
        if t["tolerationSeconds"].map({ !$0.isNull }) == true && effect != "NoExecute" {
            errs.append(.invalid(path.child("effect").description, .string(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        }
        switch op {
        case "Equal", "":
            let value = t["value"]?.string ?? ""
            for m in NameRules.isValidLabelValue(value) { errs.append(.invalid(path.child("value").description, .string(value), m)) }
        case "Exists":
            if let v = t["value"]?.string, !v.isEmpty {
                errs.append(.invalid(path.child("operator").description, .string(v), "value must be empty when `operator` is 'Exists'"))
            }
        default:
            errs.append(.notSupported(path.child("operator").description, .string(op), ["Equal", "Exists"]))
        }
        if !effect.isEmpty && !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) {
            errs.append(.notSupported(path.child("effect").description, .string(effect), ["NoExecute", "NoSchedule", "PreferNoSchedule"]))
        }
        return errs
    }
}
