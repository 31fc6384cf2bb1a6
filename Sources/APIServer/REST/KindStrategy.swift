import KubeAPI

/// Per-kind behaviour of the generic REST store: defaulting, validation and what an update may
/// change, in the manner of Kubernetes' registry strategies.
public protocol KindStrategy: Sendable {
    /// Defaults and system fields on create (after metadata is set).
    func prepareForCreate(_ obj: inout JSON, clock: WallClock)
    /// Carries over what the request may not change; `subresource` is nil or "status".
    func prepareForUpdate(_ new: inout JSON, old: JSON, subresource: String?)
    func validate(_ obj: JSON) -> [FieldError]
    /// `subresource` is nil, "status", "binding" or "finalize".
    func validateUpdate(_ new: JSON, old: JSON, subresource: String?) -> [FieldError]
    /// Seconds of grace for a delete, or 0 to delete at once.
    func gracePeriod(_ obj: JSON, requested: Int64?) -> Int64
}

extension KindStrategy {
    public func prepareForCreate(_ obj: inout JSON, clock: WallClock) {}
    public func validate(_ obj: JSON) -> [FieldError] { [] }
    public func validateUpdate(_ new: JSON, old: JSON, subresource: String?) -> [FieldError] { validate(new) }
    public func gracePeriod(_ obj: JSON, requested: Int64?) -> Int64 { 0 }

    /// The Kubernetes default for kinds with a status subresource: the main resource cannot
    /// change status, and the status subresource can change nothing else.
    public func prepareForUpdate(_ new: inout JSON, old: JSON, subresource: String?) {
        // A binding is computed by the server from the current object: take it whole.
        if subresource == "binding" { return }
        if subresource == "status" {
            let status = new["status"]
            var kept = old
            kept["status"] = status
            kept[path: ["metadata", "resourceVersion"]] = new[path: ["metadata", "resourceVersion"]]
            new = kept
        } else {
            new["status"] = old["status"]
        }
    }
}
