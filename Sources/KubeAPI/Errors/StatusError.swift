/// An API error as Kubernetes returns it: a `Status` object with an HTTP code, a reason and,
/// for validation, every field cause.
public struct StatusError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [FieldError] = []
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, name: String? = nil, group: String? = nil,
                kind: String? = nil, causes: [FieldError] = []) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
    }

    public var description: String { "\(code) \(reason): \(message)" }

    public var json: JSON {
        var o = JSONObject()
        o["kind"] = "Status"
        o["apiVersion"] = "v1"
        o["metadata"] = .object(JSONObject())
        o["status"] = "Failure"
        o["message"] = .string(message)
        if !reason.isEmpty { o["reason"] = .string(reason) }
        var d = JSONObject()
        if let name { d["name"] = .string(name) }
        if let group, !group.isEmpty { d["group"] = .string(group) }
        if let kind { d["kind"] = .string(kind) }
        if !causes.isEmpty {
            d["causes"] = .array(causes.map { c in
                var co = JSONObject()
                co["reason"] = .string(c.kind.rawValue)
                co["message"] = .string(c.message)
                co["field"] = .string(c.field)
                return .object(co)
            })
        }
        if let retryAfterSeconds { d["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        if !d.isEmpty { o["details"] = .object(d) }
        o["code"] = .int(Int64(code))
        return .object(o)
    }

    // MARK: The errors Kubernetes clients know

    public static func notFound(_ r: ResourceInfo, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(r.qualifiedResource) \"\(name)\" not found",
                    name: name, group: r.group, kind: r.resource)
    }

    public static func notFound(resource: String, group: String = "", name: String) -> StatusError {
        let q = group.isEmpty ? resource : "\(resource).\(group)"
        return StatusError(code: 404, reason: "NotFound", message: "\(q) \"\(name)\" not found", name: name, group: group, kind: resource)
    }

    public static func alreadyExists(_ r: ResourceInfo, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(r.qualifiedResource) \"\(name)\" already exists",
                    name: name, group: r.group, kind: r.resource)
    }

    public static func conflict(_ r: ResourceInfo, _ name: String, _ detail: String = "the object has been modified; please apply your changes to the latest version and try again") -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(r.qualifiedResource) \"\(name)\": \(detail)",
                    name: name, group: r.group, kind: r.resource)
    }

    /// 422: kubectl prints `The <Kind> "<name>" is invalid:` and then each cause.
    public static func invalid(kind: String, group: String = "", name: String, causes: [FieldError]) -> StatusError {
        let list = causes.map { $0.description }
        let body = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        return StatusError(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(body)",
                           name: name, group: group, kind: kind, causes: causes)
    }

    public static func badRequest(_ message: String, causes: [FieldError] = []) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message, causes: causes)
    }

    public static func forbidden(_ message: String, name: String? = nil, group: String? = nil, kind: String? = nil) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: message, name: name, group: group, kind: kind)
    }

    public static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static func methodNotAllowed(_ message: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    public static func tooLarge(_ message: String = "the request is too large") -> StatusError {
        StatusError(code: 413, reason: "RequestEntityTooLarge", message: message)
    }

    public static func unsupportedMediaType(_ type: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got \(type))")
    }

    public static func expired(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    public static func gone(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Gone", message: message)
    }

    public static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    public static func timeout(_ message: String) -> StatusError {
        StatusError(code: 504, reason: "Timeout", message: message)
    }

    /// A path that names no resource: Kubernetes does not echo it back.
    public static let pathNotFound = StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
}
