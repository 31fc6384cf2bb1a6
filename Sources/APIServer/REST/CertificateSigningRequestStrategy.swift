import Foundation
import KubeAPI
import X509

/// certificates.k8s.io/v1 CertificateSigningRequest, as Kubernetes' registry treats it: the
/// requester (spec.username, uid, groups, extra) is whoever creates it, whatever the body says;
/// the spec never changes; the `approval` subresource changes only the conditions and `status`
/// only the status (the signer's certificate).
struct CertificateSigningRequestStrategy: KindStrategy {
    func prepareForCreate(_ obj: inout JSON, clock: WallClock) {
        let user = UserInfo.current
        obj[path: ["spec", "username"]] = .string(user.name)
        obj[path: ["spec", "uid"]] = user.uid.isEmpty ? nil : .string(user.uid)
        obj[path: ["spec", "groups"]] = .array(user.groups.map { .string($0) })
        obj[path: ["spec", "extra"]] = user.extra.isEmpty ? nil
            : .object(JSONObject(user.extra.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) }))
        obj["status"] = .object(JSONObject())
    }

    func prepareForUpdate(_ new: inout JSON, old: JSON, subresource: String?) {
        var kept = old
        kept[path: ["metadata"]] = subresource == nil ? new["metadata"] : old["metadata"]
        kept[path: ["metadata", "resourceVersion"]] = new[path: ["metadata", "resourceVersion"]]
        switch subresource {
        case "approval": kept[path: ["status", "conditions"]] = new[path: ["status", "conditions"]]
        case "status": kept["status"] = new["status"]
        default: break
        }
        new = kept
    }

    func validate(_ obj: JSON) -> [FieldError] { CertificateRequests.validate(obj) }
}

/// Validation of CertificateSigningRequests (kube-apiserver's ValidateCertificateSigningRequest).
enum CertificateRequests {
    static let usages: Set<String> = [
        "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment",
        "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
        "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing",
        "microsoft sgc", "netscape sgc",
    ]

    static func validate(_ obj: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let spec = obj["spec"] ?? .null
        if let request = spec.string("request"), !request.isEmpty {
            if let problem = parse(request).error { errs.append(.invalid("spec.request", .string("<PEM>"), problem)) }
        } else {
            errs.append(.required("spec.request"))
        }
        if let signer = spec.string("signerName"), !signer.isEmpty {
            if let problem = signerProblem(signer) { errs.append(.invalid("spec.signerName", .string(signer), problem)) }
        } else {
            errs.append(.required("spec.signerName"))
        }
        let usages = spec.strings("usages")
        for (i, u) in usages.enumerated() where !Self.usages.contains(u) {
            errs.append(.notSupported("spec.usages[\(i)]", .string(u), Self.usages.sorted()))
        }
        if let seconds = spec["expirationSeconds"]?.int, seconds < 600 {
            errs.append(.invalid("spec.expirationSeconds", .int(seconds), "may not specify a duration less than 600 seconds (10 minutes)"))
        }
        let types = (obj[path: ["status", "conditions"]]?.array ?? []).compactMap { $0["type"]?.string }
        for (i, t) in types.enumerated() where !["Approved", "Denied", "Failed"].contains(t) {
            errs.append(.notSupported("status.conditions[\(i)].type", .string(t), ["Approved", "Denied", "Failed"]))
        }
        if types.contains("Approved"), types.contains("Denied") {
            errs.append(.invalid("status.conditions", .string("Approved"), "Approved and Denied conditions are mutually exclusive"))
        }
        return errs
    }

    /// `domain/path`, the domain a DNS-1123 subdomain, as Kubernetes requires of signer names.
    static func signerProblem(_ signer: String) -> String? {
        let parts = signer.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "must be a fully qualified domain and path of the form 'example.com/signer-name'"
        }
        guard NameRules.isDNS1123Subdomain(String(parts[0])).isEmpty else { return "the domain must be a valid DNS-1123 subdomain" }
        return nil
    }

    /// `spec.request` is base64 (a JSON []byte) of a PEM "CERTIFICATE REQUEST" whose signature holds.
    static func parse(_ request: String) -> (csr: CertificateSigningRequest?, error: String?) {
        guard let bytes = Data(base64Encoded: request), let pem = String(data: bytes, encoding: .utf8) else {
            return (nil, "must be base64-encoded PEM")
        }
        guard pem.contains("-----BEGIN CERTIFICATE REQUEST-----") else { return (nil, "PEM block type must be CERTIFICATE REQUEST") }
        guard let csr = try? CertificateSigningRequest(pemEncoded: pem) else { return (nil, "the certificate request does not parse") }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else { return (nil, "the certificate request's signature is invalid") }
        return (csr, nil)
    }
}
