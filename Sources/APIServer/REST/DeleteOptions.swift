import KubeAPI

/// meta/v1 DeleteOptions, from the request body and query.
public struct DeleteOptions: Sendable {
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: String?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun = false

    public init() {}

    public init(body: JSON?, query: RequestOptions) throws {
        gracePeriodSeconds = query.gracePeriodSeconds
        propagationPolicy = query.propagationPolicy
        dryRun = query.dryRun
        guard let body, !body.isNull else { return }
        guard body.object != nil else { throw StatusError.badRequest("DeleteOptions must be a JSON object") }
        if let g = body["gracePeriodSeconds"], !g.isNull {
            guard let v = g.int else { throw StatusError.badRequest("gracePeriodSeconds must be an integer") }
            gracePeriodSeconds = v
        }
        if let p = body["propagationPolicy"]?.string { propagationPolicy = p }
        if let uid = body[path: ["preconditions", "uid"]]?.string { preconditionUID = uid }
        if let rv = body[path: ["preconditions", "resourceVersion"]]?.string { preconditionResourceVersion = rv }
        if let d = body["dryRun"]?.array, !d.isEmpty { dryRun = true }
        if let g = gracePeriodSeconds, g < 0 { gracePeriodSeconds = 0 }
    }
}
