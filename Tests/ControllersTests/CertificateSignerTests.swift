@testable import Controllers
import Crypto
import Foundation
import KubeAPI
import Testing
import X509

struct CertificateSignerTests {
    static let caKeyPEM = P256.Signing.PrivateKey().pemRepresentation
    static let caPEM: String = {
        let caKey = try! P256.Signing.PrivateKey(pemRepresentation: caKeyPEM)
        let name = try! DistinguishedName { CommonName("test-ca") }
        let now = Date()
        let ca = try! Certificate(version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
                                  notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(30 * 86_400),
                                  issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                  extensions: try! Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
                                  issuerPrivateKey: .init(caKey))
        return try! ca.serializeAsPEM().pemString
    }()

    static func request(cn: String, orgs: [String] = [], signer: String = CertificateSigner.clientSigner,
                        usages: [String] = ["client auth"], conditions: [String] = ["Approved"], seconds: Int64? = nil) throws -> JSON {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for o in orgs { OrganizationName(o) }
            CommonName(cn)
        }
        let csr = try CertificateSigningRequest(version: .v1, subject: subject, privateKey: .init(key), attributes: .init(),
                                                signatureAlgorithm: .ecdsaWithSHA256)
        let pem = try csr.serializeAsPEM().pemString
        var spec = JSONObject([("request", .string(Data(pem.utf8).base64EncodedString())), ("signerName", .string(signer)),
                               ("usages", .array(usages.map { .string($0) }))])
        if let seconds { spec["expirationSeconds"] = .int(seconds) }
        return .object(JSONObject([("spec", .object(spec)), ("status", .object(JSONObject([
            ("conditions", .array(conditions.map { .object(JSONObject([("type", .string($0)), ("status", "True")])) })),
        ])))]))
    }

    static let signer = try! CertificateSigner(caCertificatePEM: caPEM, caKeyPEM: caKeyPEM)

    @Test func approvedClientRequestIsSignedForItsSubjectAndDuration() throws {
        let now = Date()
        guard case .issued(let pem) = Self.signer.decide(try Self.request(cn: "ada", orgs: ["dev"], seconds: 3600), now: now) else {
            Issue.record("not issued")
            return
        }
        let cert = try Certificate(pemEncoded: pem)
        #expect(cert.subject.description.contains("CN=ada"))
        #expect(cert.subject.description.contains("O=dev"))
        #expect(abs(cert.notValidAfter.timeIntervalSince(now) - 3600) < 5)
        #expect(try cert.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        // Never past the CA's own end.
        guard case .issued(let long) = Self.signer.decide(try Self.request(cn: "ada", seconds: 400 * 86_400), now: now) else { return }
        #expect(try Certificate(pemEncoded: long).notValidAfter.timeIntervalSince(now) <= 30 * 86_400 + 1)
    }

    @Test func kubeletSignerOnlySignsNodes() throws {
        let node = try Self.request(cn: "system:node:n1", orgs: ["system:nodes"], signer: CertificateSigner.kubeletClientSigner,
                                    usages: ["digital signature", "client auth"])
        if case .issued = Self.signer.decide(node, now: Date()) {} else { Issue.record("node request not signed") }
        let user = try Self.request(cn: "ada", signer: CertificateSigner.kubeletClientSigner)
        #expect(Self.signer.decide(user, now: Date()) == .failed("subject common name must begin with \"system:node:\""))
        let noGroup = try Self.request(cn: "system:node:n1", signer: CertificateSigner.kubeletClientSigner)
        #expect(Self.signer.decide(noGroup, now: Date()) == .failed("subject organization must be [\"system:nodes\"]"))
    }

    @Test(arguments: [
        (["Approved"], ["server auth"], CertificateSigner.clientSigner, "failed"),
        (["Approved"], ["client auth", "code signing"], CertificateSigner.clientSigner, "failed"),
        ([], ["client auth"], CertificateSigner.clientSigner, "skip"),
        (["Denied"], ["client auth"], CertificateSigner.clientSigner, "skip"),
        (["Approved", "Failed"], ["client auth"], CertificateSigner.clientSigner, "skip"),
        (["Approved"], ["client auth"], "example.com/other", "skip"),
    ])
    func decisions(conditions: [String], usages: [String], signer: String, outcome: String) throws {
        let got = Self.signer.decide(try Self.request(cn: "ada", signer: signer, usages: usages, conditions: conditions), now: Date())
        switch got {
        case .issued: #expect(outcome == "issued")
        case .failed: #expect(outcome == "failed")
        case .skip: #expect(outcome == "skip")
        }
    }
}
