import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI
import Logging
import NIOCore
import X509

/// Answers every HTTP request to the API server: authentication, discovery, OpenAPI, and the
/// REST verbs on resources.
public final class APIHandler: Sendable {
    let store: ObjectStore
    let tables: TableConverter
    let authenticator: Authenticator
    let serverAddress: String
    let logger: Logger
    let kubelets: KubeletClient
    let authorizer: any Authorizer
    let audit: AuditLog?
    /// Signs service-account tokens (serviceaccounts/token); nil serves no TokenRequests.
    let tokenIssuer: ServiceAccountTokens?
    /// Exchanges the join token for a node's own (POST /skiff/v1/node-credentials).
    let nodeCredentials: NodeCredentials?
    static let maxBody = 3 * 1024 * 1024

    public init(store: ObjectStore, authenticator: Authenticator, serverAddress: String, logger: Logger,
                kubeletToken: String = "", authorizer: any Authorizer = AlwaysAllow(), audit: AuditLog? = nil,
                tokenIssuer: ServiceAccountTokens? = nil, nodeCredentials: NodeCredentials? = nil) {
        self.store = store
        self.authorizer = authorizer
        self.audit = audit
        self.tokenIssuer = tokenIssuer
        self.nodeCredentials = nodeCredentials
        self.kubelets = KubeletClient(token: kubeletToken)
        self.tables = TableConverter()
        self.authenticator = authenticator
        self.serverAddress = serverAddress
        self.logger = logger
    }

    public func handle(_ request: Request, certificate: Certificate? = nil, remote: String = "") async -> Response {
        let received = Date()
        let path = request.uri.path
        var attributes: RequestAttributes?
        var impersonator: UserInfo?
        let notes = AdmissionWarnings()
        let response: Response
        do {
            let (user, sender) = try identify(request.headers, path: path, certificate: certificate)
            impersonator = sender
            let a = RequestAttributes.of(user: user, method: request.method, path: path, watch: Self.isWatch(query: request.uri.query))
            attributes = a
            if !Self.publicPaths.contains(path), path != NodeJoin.path { try authorize(a) }
            var answer = try await AdmissionWarnings.$current.withValue(notes) {
                try await UserInfo.$current.withValue(user) { try await route(request, user: user) }
            }
            for field in warningHeaders(notes.all) { answer.headers.append(field) }
            response = answer
        } catch let e as StatusError {
            response = APIResponse.error(e)
        } catch {
            logger.error("request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            response = APIResponse.error(.internalError("\(error)"))
        }
        if let audit {
            let a = attributes ?? RequestAttributes(user: .anonymous, verb: RequestAttributes.verb(request.method), isResourceRequest: false, path: path)
            audit.record(.init(attributes: a, requestURI: request.uri.description, sourceIP: remote,
                               userAgent: request.headers[.userAgent] ?? "", code: response.status.code,
                               received: received, completed: Date(), impersonatedBy: impersonator,
                               annotations: notes.auditAnnotations))
        }
        return response
    }

    func route(_ request: Request, user: UserInfo) async throws -> Response {
        let path = request.uri.path
        if path == NodeJoin.path { return try await nodeJoin(request, user: user) }
        let accept = Negotiation(accept: request.headers[.accept])
        switch path {
        case "/version", "/version/":
            return APIResponse.json(Discovery.version)
        case "/healthz", "/livez", "/readyz":
            return APIResponse.text("ok")
        case "/openapi/v3", "/openapi/v3/":
            return APIResponse.json(OpenAPI.root())
        case "/openapi/v2":
            return (request.headers[.accept] ?? "").contains("protobuf")
                ? APIResponse.bytes(OpenAPIV2.protobuf, contentType: OpenAPIV2.protobufType)
                : APIResponse.json(OpenAPIV2.json)
        default:
            break
        }
        if path.hasPrefix("/openapi/v3/") {
            let gv = String(path.dropFirst("/openapi/v3/".count))
            guard let doc = OpenAPI.document(path: gv) else { throw StatusError.pathNotFound }
            return APIResponse.json(doc)
        }
        guard let p = APIPath.parse(path) else { throw StatusError.pathNotFound }
        switch p.kind {
        case .groupList(let legacy):
            if let v = accept.aggregatedDiscovery {
                return APIResponse.json(Discovery.aggregated(legacy: legacy, v2beta1: v == "v2beta1"),
                                        contentType: v == "v2" ? Discovery.aggregatedContentTypeV2 : Discovery.aggregatedContentTypeV2Beta1)
            }
            return APIResponse.json(legacy ? Discovery.apiVersions(serverAddress: serverAddress) : Discovery.apiGroupList())
        case .group(let g):
            guard let doc = Discovery.apiGroup(g) else { throw StatusError.pathNotFound }
            return APIResponse.json(doc)
        case .groupVersion:
            guard let doc = Discovery.resourceList(group: p.group, version: p.version) else { throw StatusError.pathNotFound }
            return APIResponse.json(doc)
        case .resource:
            return try await resource(request, p, accept: accept, user: user)
        }
    }

    // MARK: Resources

    func resource(_ request: Request, _ p: APIPath, accept: Negotiation, user: UserInfo) async throws -> Response {
        guard let name0 = p.resource, let r = ResourceCatalog.lookup(group: p.group, version: p.version, resource: name0) else {
            throw StatusError.pathNotFound
        }
        if !r.namespaced && p.namespace != nil { throw StatusError.pathNotFound }
        if r.namespaced && p.namespace == nil && p.name != nil { throw StatusError.pathNotFound }
        let options = RequestOptions(query: RequestOptions.parseQuery(request.uri.query))
        let method = request.method
        let ns = p.namespace

        if let sub = p.subresource {
            guard let name = p.name, r.subresources.contains(where: { $0.name == sub }) else {
                throw StatusError.pathNotFound
            }
            return try await subresource(request, r, ns: ns, name: name, sub: sub, options: options, accept: accept, user: user)
        }

        guard let name = p.name else {
            switch method {
            case .get:
                try requireVerb(r, options.watch ? "watch" : "list")
                return options.watch
                    ? try await watch(r, namespace: ns, options: options, table: accept.table)
                    : try await list(r, namespace: ns, options: options, table: accept.table)
            case .post:
                try requireVerb(r, "create")
                if ResourceCatalog.isReview(r) { return try await review(request, r, namespace: ns, user: user) }
                if r.resource == "bindings", let ns {
                    let body = try await readObject(request, r)
                    return try await bind(namespace: ns, podName: body[path: ["metadata", "name"]]?.string ?? "", binding: body)
                }
                var body = try await readObject(request, r)
                let warnings = try checkFields(&body, r, options)
                let created = try await store.create(r, namespace: ns, object: body, options: options)
                return APIResponse.json(created, status: .created, headers: warningHeaders(warnings))
            case .delete:
                try requireVerb(r, "deletecollection")
                return try await deleteCollection(request, r, namespace: ns, options: options)
            default:
                throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
            }
        }

        switch method {
        case .get:
            try requireVerb(r, "get")
            let o = try await store.get(r, namespace: ns, name: name)
            if accept.table {
                let obj = o.json
                let t = tables.table(for: r, rows: [obj], resourceVersion: String(o.revision), continueToken: nil,
                                     remaining: nil, object: rowObject(options))
                return APIResponse.json(t)
            }
            return APIResponse.bytes(o.bytes)
        case .put:
            try requireVerb(r, "update")
            var body = try await readObject(request, r)
            let warnings = try checkFields(&body, r, options)
            let updated = try await store.update(r, namespace: ns, name: name, object: body, subresource: nil, options: options)
            return APIResponse.json(updated, headers: warningHeaders(warnings))
        case .patch:
            try requireVerb(r, "patch")
            return try await patch(request, r, ns: ns, name: name, subresource: nil, options: options)
        case .delete:
            try requireVerb(r, "delete")
            let body = try await readOptionalBody(request, r)
            let opts = try DeleteOptions(body: body, query: options)
            let result = try await store.delete(r, namespace: ns, name: name, options: opts)
            return APIResponse.json(result.object)
        default:
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    func requireVerb(_ r: ResourceInfo, _ verb: String) throws {
        guard r.verbs.contains(verb) else {
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    func rowObject(_ o: RequestOptions) -> TableConverter.RowObject {
        switch o.includeObject {
        case "Object": return .full
        case "None": return .none
        default: return .metadata
        }
    }

    func warningHeaders(_ warnings: [String]) -> HTTPFields {
        var h = HTTPFields()
        for w in warnings {
            let escaped = w.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            h.append(HTTPField(name: HTTPField.Name("Warning")!, value: "299 - \"\(escaped)\""))
        }
        return h
    }

    // MARK: Bodies

    func readBody(_ request: Request) async throws -> [UInt8] {
        var req = request
        do {
            let buf = try await req.collectBody(upTo: Self.maxBody)
            return Array(buffer: buf)
        } catch {
            throw StatusError.tooLarge("Request entity too large: limit is 3145728")
        }
    }

    func readObject(_ request: Request, _ r: ResourceInfo) async throws -> JSON {
        let bytes = try await readBody(request)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw StatusError.badRequest("the request body is empty; a \(r.kind) object is required")
        }
        let obj = try BodyDecoder.decode(bytes, contentType: request.headers[.contentType], kind: r.kind)
        guard obj.object != nil else {
            throw StatusError.badRequest("\(r.kind) in version \"\(r.version)\" cannot be handled as a \(r.kind): the body must be a JSON object, not \(obj.typeName)")
        }
        return obj
    }

    func readOptionalBody(_ request: Request, _ r: ResourceInfo) async throws -> JSON? {
        let bytes = try await readBody(request)
        if bytes.allSatisfy({ $0 <= 0x20 }) { return nil }
        return try BodyDecoder.decode(bytes, contentType: request.headers[.contentType], kind: "DeleteOptions")
    }

    /// fieldValidation: Strict rejects unknown fields, Warn reports them; both drop them, as
    /// decoding into Kubernetes' types would. Wrong types are always a BadRequest.
    func checkFields(_ obj: inout JSON, _ r: ResourceInfo, _ options: RequestOptions) throws -> [String] {
        guard let def = r.definition else { return [] }
        let result = SchemaValidation.check(obj, definition: def, schema: .shared)
        // Wrong JSON types cannot be decoded at all (400). Missing required fields and bad values
        // (quantities, base64) are validation errors, reported with all the others by the store (422).
        let typeErrors = result.typeErrors.filter { $0.kind == .typeInvalid }
        if !typeErrors.isEmpty {
            let msgs = typeErrors.map(\.description).joined(separator: "; ")
            throw StatusError.badRequest("\(r.kind) in version \"\(r.version)\" cannot be handled as a \(r.kind): \(msgs)",
                                         causes: typeErrors)
        }
        guard !result.unknownFields.isEmpty else { return [] }
        let msgs = result.unknownFields.map { "unknown field \"\($0)\"" }
        if options.fieldValidation == "Strict" {
            throw StatusError.badRequest("strict decoding error: " + msgs.joined(separator: ", "))
        }
        SchemaPruner.prune(&obj, definition: def)
        return options.fieldValidation == "Warn" ? msgs : []
    }

    // MARK: Patch

    func patch(_ request: Request, _ r: ResourceInfo, ns: String?, name: String, subresource: String?,
               options: RequestOptions) async throws -> Response {
        let ct = request.headers[.contentType] ?? ""
        guard let type = PatchType(contentType: ct) else { throw StatusError.unsupportedMediaType(ct) }
        let bytes = try await readBody(request)
        let patch = try BodyDecoder.decode(bytes, contentType: ct, kind: r.kind)
        if type == .json, patch.array == nil { throw StatusError.badRequest("json patch must be an array of operations") }
        if type != .json, patch.object == nil { throw StatusError.badRequest("patch body must be a JSON object") }
        let warnings = WarningBox()
        let result = try await store.patch(r, namespace: ns, name: name, type: type, patch: patch,
                                           subresource: subresource, options: options) { obj in
            warnings.set(try checkFields(&obj, r, options))
        }
        return APIResponse.json(result, headers: warningHeaders(warnings.get()))
    }
}

/// Carries warnings out of a retried closure.
final class WarningBox: @unchecked Sendable {
    private var value: [String] = []
    func set(_ v: [String]) { value = v }
    func get() -> [String] { value }
}
