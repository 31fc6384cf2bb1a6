import Crypto
import Foundation
import KubeAPI
import SwiftASN1
import X509

/// kube-controller-manager's CSR signer for the two client signers, pure: an approved request for
/// `kubernetes.io/kube-apiserver-client` (any user) or `kubernetes.io/kube-apiserver-client-kubelet`
/// (`system:node:<name>` in `system:nodes` only) becomes a client certificate signed by the
/// cluster CA, for `spec.expirationSeconds` or a year, never past the CA itself.
public struct CertificateSigner: Sendable {
    public static let clientSigner = "kubernetes.io/kube-apiserver-client"
    public static let kubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet"
    static let defaultDuration: TimeInterval = 365 * 86_400
    static let allowedUsages: Set<String> = ["digital signature", "key encipherment", "client auth"]

    let ca: Certificate
    let caKey: Certificate.PrivateKey

    public init(caCertificatePEM: String, caKeyPEM: String) throws {
        ca = try Certificate(pemEncoded: caCertificatePEM)
        caKey = Certificate.PrivateKey(try P256.Signing.PrivateKey(pemRepresentation: caKeyPEM))
    }

    public enum Outcome: Equatable, Sendable {
        /// The PEM certificate to put in status.certificate.
        case issued(String)
        /// A Failed condition: the request is approved but this signer will not sign it.
        case failed(String)
        /// Not approved, already decided, or another signer's.
        case skip
    }

    public func decide(_ request: JSON, now: Date) -> Outcome {
        let spec = request["spec"] ?? .null
        let signer = spec.string("signerName") ?? ""
        guard signer == Self.clientSigner || signer == Self.kubeletClientSigner else { return .skip }
        let conditions = request[path: ["status", "conditions"]]?.array ?? []
        func has(_ type: String) -> Bool { conditions.contains { $0["type"]?.string == type && ($0["status"]?.string ?? "True") == "True" } }
        guard has("Approved"), !has("Denied"), !has("Failed"),
              (request[path: ["status", "certificate"]]?.string ?? "").isEmpty else { return .skip }
        guard let der = Data(base64Encoded: spec.string("request") ?? ""), let pem = String(data: der, encoding: .utf8),
              let csr = try? CertificateSigningRequest(pemEncoded: pem), csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            return .failed("the certificate request does not parse or its signature is invalid")
        }
        let usages = spec.strings("usages")
        guard usages.contains("client auth") else { return .failed("missing required usages: client auth") }
        let extra = usages.filter { !Self.allowedUsages.contains($0) }
        if !extra.isEmpty { return .failed("invalid usages for \(signer): \(extra.joined(separator: ", "))") }
        if signer == Self.kubeletClientSigner {
            let cn = Self.commonName(csr.subject) ?? ""
            guard cn.hasPrefix("system:node:"), cn.count > "system:node:".count else {
                return .failed("subject common name must begin with \"system:node:\"")
            }
            guard Self.organizations(csr.subject) == ["system:nodes"] else { return .failed("subject organization must be [\"system:nodes\"]") }
        }
        let requested = spec["expirationSeconds"]?.int.map { TimeInterval($0) } ?? Self.defaultDuration
        let notAfter = min(now.addingTimeInterval(min(requested, Self.defaultDuration)), ca.notValidAfter)
        do {
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: csr.publicKey,
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: notAfter,
                issuer: ca.subject, subject: csr.subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: usages.contains("key encipherment")))
                    try ExtendedKeyUsage([.clientAuth])
                    Critical(BasicConstraints.notCertificateAuthority)
                },
                issuerPrivateKey: caKey)
            return .issued(try certificate.serializeAsPEM().pemString)
        } catch {
            return .failed("signing failed: \(error)")
        }
    }

    static func commonName(_ name: DistinguishedName) -> String? {
        name.lazy.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }.flatMap { String($0.value) }
    }

    static func organizations(_ name: DistinguishedName) -> [String] {
        name.flatMap { $0 }.filter { $0.type == .RDNAttributeType.organizationName }.compactMap { String($0.value) }
    }
}
