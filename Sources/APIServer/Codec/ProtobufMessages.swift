import Foundation
import KubeAPI

/// Field tables for the protobuf messages kubectl sends for RBAC objects, reviews and token
/// requests (field numbers from k8s.io/api's generated.proto), decoded into their JSON form.
enum ProtobufMessages {
    indirect enum FieldType {
        /// `bytes` become base64, as in JSON; `time` is a metav1.Time (seconds, nanos).
        case string, strings, int, bool, bytes, time, message(String), messages(String)
    }

    static let tables: [String: [Int: (String, FieldType)]] = [
        "Role": [2: ("rules", .messages("PolicyRule"))],
        "ClusterRole": [2: ("rules", .messages("PolicyRule")), 3: ("aggregationRule", .message("AggregationRule"))],
        "RoleBinding": [2: ("subjects", .messages("Subject")), 3: ("roleRef", .message("RoleRef"))],
        "ClusterRoleBinding": [2: ("subjects", .messages("Subject")), 3: ("roleRef", .message("RoleRef"))],
        "PolicyRule": [1: ("verbs", .strings), 2: ("apiGroups", .strings), 3: ("resources", .strings),
                       4: ("resourceNames", .strings), 5: ("nonResourceURLs", .strings)],
        "AggregationRule": [1: ("clusterRoleSelectors", .messages("LabelSelector"))],
        "LabelSelector": [2: ("matchExpressions", .messages("LabelSelectorRequirement"))],
        "LabelSelectorRequirement": [1: ("key", .string), 2: ("operator", .string), 3: ("values", .strings)],
        "Subject": [1: ("kind", .string), 2: ("apiGroup", .string), 3: ("name", .string), 4: ("namespace", .string)],
        "RoleRef": [1: ("apiGroup", .string), 2: ("kind", .string), 3: ("name", .string)],
        "SelfSubjectAccessReview": [2: ("spec", .message("SelfSubjectAccessReviewSpec"))],
        "SelfSubjectAccessReviewSpec": [1: ("resourceAttributes", .message("ResourceAttributes")),
                                        2: ("nonResourceAttributes", .message("NonResourceAttributes"))],
        "SubjectAccessReview": [2: ("spec", .message("SubjectAccessReviewSpec"))],
        "LocalSubjectAccessReview": [2: ("spec", .message("SubjectAccessReviewSpec"))],
        "PriorityClass": [2: ("value", .int), 3: ("globalDefault", .bool), 4: ("description", .string), 5: ("preemptionPolicy", .string)],
        "SubjectAccessReviewSpec": [1: ("resourceAttributes", .message("ResourceAttributes")),
                                    2: ("nonResourceAttributes", .message("NonResourceAttributes")),
                                    3: ("user", .string), 4: ("groups", .strings), 6: ("uid", .string)],
        "ResourceAttributes": [1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string),
                               5: ("resource", .string), 6: ("subresource", .string), 7: ("name", .string)],
        "NonResourceAttributes": [1: ("path", .string), 2: ("verb", .string)],
        "SelfSubjectRulesReview": [2: ("spec", .message("SelfSubjectRulesReviewSpec"))],
        "SelfSubjectRulesReviewSpec": [1: ("namespace", .string)],
        "SelfSubjectReview": [:],
        "TokenReview": [2: ("spec", .message("TokenReviewSpec"))],
        "TokenReviewSpec": [1: ("token", .string), 2: ("audiences", .strings)],
        "TokenRequest": [2: ("spec", .message("TokenRequestSpec"))],
        "TokenRequestSpec": [1: ("audiences", .strings), 3: ("boundObjectRef", .message("BoundObjectReference")),
                             4: ("expirationSeconds", .int)],
        "BoundObjectReference": [1: ("kind", .string), 2: ("apiVersion", .string), 3: ("name", .string), 4: ("uid", .string)],
        // `kubectl certificate approve|deny` sends these (certificates.k8s.io/v1).
        "CertificateSigningRequest": [2: ("spec", .message("CertificateSigningRequestSpec")),
                                      3: ("status", .message("CertificateSigningRequestStatus"))],
        "CertificateSigningRequestSpec": [1: ("request", .bytes), 2: ("username", .string), 3: ("uid", .string), 4: ("groups", .strings),
                                          5: ("usages", .strings), 7: ("signerName", .string), 8: ("expirationSeconds", .int)],
        "CertificateSigningRequestStatus": [1: ("conditions", .messages("CertificateSigningRequestCondition")), 2: ("certificate", .bytes)],
        "CertificateSigningRequestCondition": [1: ("type", .string), 6: ("status", .string), 2: ("reason", .string), 3: ("message", .string),
                                               4: ("lastUpdateTime", .time), 5: ("lastTransitionTime", .time)],
    ]

    static func knows(_ kind: String) -> Bool { tables[kind] != nil }

    /// The fields of `message` (skipping field 1 of top-level kinds, the metadata, decoded by the caller).
    static func decode(_ bytes: ArraySlice<UInt8>, as message: String, topLevel: Bool = false) throws -> JSONObject {
        var out = JSONObject()
        let table = tables[message] ?? [:]
        for (n, f) in try ProtobufReader.fields(bytes) {
            if topLevel, n == 1 { continue }
            guard let (name, type) = table[n] else { continue }
            switch type {
            case .string: if let v = f.string, !v.isEmpty { out[name] = .string(v) }
            case .strings: out[name] = .array((out[name]?.array ?? []) + [.string(f.string ?? "")])
            case .int: if let v = f.varint { out[name] = .int(Int64(bitPattern: v)) }
            case .bool: if let v = f.varint { out[name] = .bool(v != 0) }
            case .bytes: if let b = f.bytes, !b.isEmpty { out[name] = .string(Base64.encode(Array(b))) }
            case .time:
                let seconds = try ProtobufReader.fields(f.bytes ?? []).first { $0.0 == 1 }?.1.varint ?? 0
                out[name] = .string(Timestamp.string(Date(timeIntervalSince1970: TimeInterval(Int64(bitPattern: seconds)))))
            case .message(let m): out[name] = .object(try decode(f.bytes ?? [], as: m))
            case .messages(let m): out[name] = .array((out[name]?.array ?? []) + [.object(try decode(f.bytes ?? [], as: m))])
            }
        }
        return out
    }
}
