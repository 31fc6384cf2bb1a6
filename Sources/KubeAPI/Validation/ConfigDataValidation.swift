/// Namespace, ConfigMap and Secret validation (`ValidateNamespace`, `ValidateConfigMap`,
/// `ValidateSecret`): names, data keys, the 1 MiB size limit and per-type required keys.
public enum ConfigDataValidation {
    public static let maxSize = 1024 * 1024

    public static func validateNamespace(_ ns: JSON) -> [FieldError] {
        ObjectMetaValidation.validate(meta: ns["metadata"], namespaced: false, nameRule: .label)
    }

    public static func validateConfigMap(_ cm: JSON) -> [FieldError] {
        var errs = ObjectMetaValidation.validate(meta: cm["metadata"], namespaced: true, nameRule: .subdomain)
        var total = 0
        let data = cm["data"]?.object ?? JSONObject()
        let binary = cm["binaryData"]?.object ?? JSONObject()
        for (key, value) in data {
            for m in NameRules.isConfigMapKey(key) { errs.append(.invalid("data[\(key)]", .string(key), m)) }
            total += value.string?.utf8.count ?? 0
        }
        for (key, value) in binary {
            for m in NameRules.isConfigMapKey(key) { errs.append(.invalid("binaryData[\(key)]", .string(key), m)) }
            if data[key] != nil { errs.append(.invalid("binaryData[\(key)]", .string(key), "duplicate of key present in data")) }
            total += decodedLength(value)
        }
        if total > maxSize { errs.append(.tooLong("", maxSize)) }
        return errs
    }

    /// Keys a Secret of a well-known type must carry.
    static let requiredKeys: [String: [String]] = [
        "kubernetes.io/dockercfg": [".dockercfg"],
        "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
        "kubernetes.io/tls": ["tls.crt", "tls.key"],
        "kubernetes.io/ssh-auth": ["ssh-privatekey"],
    ]

    public static func validateSecret(_ secret: JSON) -> [FieldError] {
        var errs = ObjectMetaValidation.validate(meta: secret["metadata"], namespaced: true, nameRule: .subdomain)
        let data = secret["data"]?.object ?? JSONObject()
        var total = 0
        for (key, value) in data {
            for m in NameRules.isConfigMapKey(key) { errs.append(.invalid("data[\(key)]", .string(key), m)) }
            total += decodedLength(value)
        }
        if total > maxSize { errs.append(.tooLong("data", maxSize)) }
        let type = secret["type"]?.string ?? "Opaque"
        for key in requiredKeys[type] ?? [] where data[key] == nil {
            errs.append(.required("data[\(key)]"))
        }
        if type == "kubernetes.io/service-account-token",
            secret[path: ["metadata", "annotations", "kubernetes.io/service-account.name"]]?.string?.isEmpty != false
        {
            errs.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
        }
        return errs
    }

    /// Bytes a base64 value decodes to, without decoding it.
    private static func decodedLength(_ v: JSON) -> Int {
        guard let s = v.string else { return 0 }
        let padding = s.reversed().prefix { $0 == "=" }.count
        return s.utf8.count / 4 * 3 - padding
    }
}
