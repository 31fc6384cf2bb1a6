import Crypto
import Foundation
import SwiftASN1
import X509

/// Client certificates signed by the cluster CA: the user is the CN, each group an O, as
/// Kubernetes' x509 authentication reads them (`skiff kubeconfig --user jane --group dev`).
public enum ClientCertificates {
    public static func issue(dir: String, user: String, groups: [String], validFor days: Int = 365) throws -> (certificatePEM: String, keyPEM: String) {
        let pki = dir + "/pki"
        let caKey = try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: pki + "/ca.key", encoding: .utf8))
        let ca = try Certificate(pemEncoded: try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8))
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for g in groups { OrganizationName(g) }
            CommonName(user)
        }
        let now = Date()
        let cert = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(TimeInterval(days) * 86400),
            issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey))
        return (try cert.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// A kubeconfig that authenticates with the certificate, against `server`.
    public static func kubeconfig(server: String, caPEM: String, user: String, certificatePEM: String, keyPEM: String) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        return Kubeconfig.text(server: server, caPEM: caPEM, user: user, context: "\(user)@skiff",
                               credentials: ["client-certificate-data: \(b64(certificatePEM))", "client-key-data: \(b64(keyPEM))"])
    }
}
