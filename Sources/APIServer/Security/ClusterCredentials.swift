import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster's CA, the API server's serving certificate and the admin bearer token, made on
/// first start and kept in the data dir so kubeconfigs stay valid across restarts.
public struct ClusterCredentials: Sendable {
    public var caCertificatePEM: String
    public var servingCertificatePEM: String
    public var servingKeyPEM: String
    public var adminToken: String

    /// Loads what exists under `dir/pki` and makes what is missing. The serving certificate is
    /// made again when it does not cover `hosts`.
    public static func loadOrCreate(dir: String, hosts: [String]) throws -> ClusterCredentials {
        let fm = FileManager.default
        let pki = dir + "/pki"
        try fm.createDirectory(atPath: pki, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        func read(_ f: String) -> String? { try? String(contentsOfFile: pki + "/" + f, encoding: .utf8) }
        func write(_ f: String, _ s: String, mode: Int = 0o600) throws {
            let path = pki + "/" + f
            try s.write(toFile: path, atomically: true, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }

        let caKey: P256.Signing.PrivateKey
        let caCert: Certificate
        if let k = read("ca.key"), let c = read("ca.crt") {
            caKey = try P256.Signing.PrivateKey(pemRepresentation: k)
            caCert = try Certificate(pemEncoded: c)
        } else {
            caKey = P256.Signing.PrivateKey()
            caCert = try makeCA(key: caKey)
            try write("ca.key", caKey.pemRepresentation)
            try write("ca.crt", try caCert.serializeAsPEM().pemString, mode: 0o644)
        }
        let hostsFile = hosts.sorted().joined(separator: ",")
        var servingCert = read("server.crt")
        var servingKey = read("server.key")
        if servingCert == nil || servingKey == nil || read("server.hosts") != hostsFile {
            let key = P256.Signing.PrivateKey()
            let cert = try makeServing(key: key, hosts: hosts, caKey: caKey, ca: caCert)
            servingCert = try cert.serializeAsPEM().pemString
            servingKey = key.pemRepresentation
            try write("server.key", servingKey!)
            try write("server.crt", servingCert!, mode: 0o644)
            try write("server.hosts", hostsFile, mode: 0o644)
        }
        var token = read("admin.token")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if token.isEmpty {
            token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            try write("admin.token", token + "\n")
        }
        return ClusterCredentials(caCertificatePEM: try caCert.serializeAsPEM().pemString,
                                  servingCertificatePEM: servingCert!, servingKeyPEM: servingKey!, adminToken: token)
    }

    static func makeCA(key: P256.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName { CommonName("skiff-ca") }
        let now = Date()
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
    }

    /// A serving certificate and key (PEM) signed by the cluster CA in `dir/pki`, for another
    /// server of the cluster (a kubelet's HTTPS endpoint).
    public static func issueServing(dir: String, commonName: String, hosts: [String]) throws -> (certificatePEM: String, keyPEM: String) {
        let pki = dir + "/pki"
        let caKey = try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: pki + "/ca.key", encoding: .utf8))
        let ca = try Certificate(pemEncoded: try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8))
        let key = P256.Signing.PrivateKey()
        let cert = try makeServing(key: key, hosts: hosts, caKey: caKey, ca: ca, commonName: commonName)
        return (try cert.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// A serving certificate signed by a throwaway CA of its own, for a server that has no access
    /// to the cluster CA's key (a kubelet on another machine; clients do not verify it).
    public static func selfSignedServing(commonName: String, hosts: [String]) throws -> (certificatePEM: String, keyPEM: String) {
        let caKey = P256.Signing.PrivateKey()
        let ca = try makeCA(key: caKey)
        let key = P256.Signing.PrivateKey()
        let cert = try makeServing(key: key, hosts: hosts, caKey: caKey, ca: ca, commonName: commonName)
        return (try cert.serializeAsPEM().pemString, key.pemRepresentation)
    }

    static func makeServing(key: P256.Signing.PrivateKey, hosts: [String], caKey: P256.Signing.PrivateKey,
                            ca: Certificate, commonName: String = "skiff-apiserver") throws -> Certificate {
        let subject = try DistinguishedName { CommonName(commonName) }
        var names: [GeneralName] = []
        for h in hosts {
            if let ip = IPv4(h) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip))))
            } else {
                names.append(.dnsName(h))
            }
        }
        let now = Date()
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(2 * 365 * 86400),
            issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))
    }

    static func IPv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".")
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }

    /// A kubeconfig for the admin user against `server` (e.g. https://127.0.0.1:6443).
    public func kubeconfig(server: String) -> String {
        Kubeconfig.text(server: server, caPEM: caCertificatePEM, user: "admin", context: "skiff", credentials: ["token: \(adminToken)"])
    }
}
