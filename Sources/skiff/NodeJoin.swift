import APIServer
import ArgumentParser
import KubeAPI
import KubeClient

/// Trades the cluster's join token for one node's own credentials (`POST /skiff/v1/node-credentials`):
/// the node's bearer token and the hash of the API server's token the kubelet is to accept.
enum NodeJoin {
    struct Credentials {
        var token: String
        var apiServerTokenSHA256: String
        var user: String
    }

    static func isJoinToken(_ token: String) -> Bool { token.hasPrefix(NodeCredentials.joinPrefix) }

    static func exchange(_ configuration: KubeClientConfiguration, nodeName: String) async throws -> Credentials {
        let joiner = try KubeClient(configuration: configuration)
        let answer: JSON
        do {
            answer = try await joiner.create("/skiff/v1/node-credentials", ["nodeName": .string(nodeName)])
        } catch {
            await joiner.shutdown()
            throw error
        }
        await joiner.shutdown()
        guard let token = answer["token"]?.string, let hash = answer["apiServerTokenSHA256"]?.string else {
            throw ValidationError("the API server did not issue node credentials")
        }
        return Credentials(token: token, apiServerTokenSHA256: hash, user: answer["user"]?.string ?? "")
    }
}
