import Foundation
import KubeAPI
import KubeClient
import Logging

/// Signs approved CertificateSigningRequests for the client signers with the cluster CA and
/// writes the certificate to their status, or a Failed condition when the signer refuses. REST only.
public struct CertificateSigningController: Sendable {
    static let path = "/apis/certificates.k8s.io/v1/certificatesigningrequests"
    let client: KubeClient
    let signer: CertificateSigner
    let logger: Logger

    public init(client: KubeClient, signer: CertificateSigner, logger: Logger) {
        self.client = client
        self.signer = signer
        self.logger = logger
    }

    public func run() async {
        for await event in Reflector(client: client, path: Self.path).events() {
            switch event {
            case .replaced(let items): for csr in items { await handle(csr) }
            case .added(let csr), .modified(let csr): await handle(csr)
            case .deleted: break
            }
        }
    }

    private func handle(_ csr: JSON) async {
        guard let name = csr[path: ["metadata", "name"]]?.string else { return }
        var updated = csr
        switch signer.decide(csr, now: Date()) {
        case .skip:
            return
        case .issued(let pem):
            updated[path: ["status", "certificate"]] = .string(Data(pem.utf8).base64EncodedString())
        case .failed(let message):
            var conditions = csr[path: ["status", "conditions"]]?.array ?? []
            let now = JSON.string(Timestamp.string(Date()))
            conditions.append(.object(JSONObject([("type", "Failed"), ("status", "True"), ("reason", "SignerValidationFailure"),
                                                  ("message", .string(message)), ("lastUpdateTime", now), ("lastTransitionTime", now)])))
            updated[path: ["status", "conditions"]] = .array(conditions)
        }
        do {
            _ = try await client.update("\(Self.path)/\(name)/status", updated)
            logger.info("certificate signing request handled", metadata: ["csr": "\(name)"])
        } catch {
            // A newer version of the request comes as its own event.
            logger.debug("certificate signing request status not written", metadata: ["csr": "\(name)", "error": "\(error)"])
        }
    }
}
