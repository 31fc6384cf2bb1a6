import Hummingbird
import NIOCore
import NIOSSL
import X509

/// Hummingbird's request context plus the connection, for the client certificate and address.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    var remoteIP: String { channel.remoteAddress?.ipAddress ?? "" }

    func peerCertificate() async -> Certificate? { await Self.peerCertificate(channel) }

    /// The client's certificate, already verified against the cluster CA by the TLS handshake.
    static func peerCertificate(_ channel: any Channel) async -> Certificate? {
        guard let nio = try? await channel.nioSSL_peerCertificate().get(),
              let der = try? nio.toDERBytes() else { return nil }
        return try? Certificate(derEncoded: der)
    }
}

/// The connection a request came in on, for handlers that write to it from its event loop (watch).
/// Set by the server around each request; nil for requests handled without a connection.
enum ConnectionChannel {
    @TaskLocal static var current: (any Channel)?
}
