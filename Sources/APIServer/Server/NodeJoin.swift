import Crypto
import Foundation
import Hummingbird
import KubeAPI

/// `POST /skiff/v1/node-credentials {"nodeName": "n"}`: an agent holding the join token (or an
/// administrator) gets the node's own bearer token, `system:node:<n>` in `system:nodes`, which
/// only lets it do what a kubelet may.
enum NodeJoin {
    static let path = "/skiff/v1/node-credentials"
}

extension APIHandler {
    func nodeJoin(_ request: Request, user: UserInfo) async throws -> Response {
        guard request.method == .post else { throw StatusError.methodNotAllowed("use POST") }
        guard let nodes = nodeCredentials else { throw StatusError.pathNotFound }
        guard user.isMaster || user.groups.contains("system:bootstrappers") else {
            throw StatusError.forbidden("forbidden: User \"\(user.name)\" cannot create node credentials")
        }
        let body = try JSONParser.parse(try await readBody(request))
        let node = body["nodeName"]?.string ?? ""
        let problems = node.isEmpty ? [NameRules.emptyError()] : NameRules.isDNS1123Subdomain(node)
        if !problems.isEmpty {
            throw StatusError.invalid(kind: "NodeCredentials", name: node,
                                      causes: problems.map { .invalid("nodeName", .string(node), $0) })
        }
        logger.info("issued node credentials", metadata: ["node": "\(node)", "by": "\(user.name)"])
        // The kubelet checks the API server's credential by its hash, so the node never holds it.
        let hash = NodeCredentials.hex(Array(SHA256.hash(data: Array(kubelets.token.utf8))))
        return APIResponse.json(.object(JSONObject([("nodeName", .string(node)), ("token", .string(nodes.token(forNode: node))),
                                                    ("user", .string(UserInfo.nodeUserPrefix + node)),
                                                    ("apiServerTokenSHA256", .string(hash))])))
    }
}
