/// An authorizer's answer: allow, deny with a reason, or no opinion (the next one decides).
public enum Decision: Sendable, Equatable {
    case allow
    case deny(String)
    case noOpinion(String)

    public var allowed: Bool { self == .allow }
}

/// One authorization mode (Node, RBAC, AlwaysAllow), asked in order until one allows or denies.
public protocol Authorizer: Sendable {
    func authorize(_ a: RequestAttributes) -> Decision
}

/// The configured modes in order: the first allow or deny wins; none means no.
public struct AuthorizerChain: Authorizer {
    public var modes: [any Authorizer]

    public init(_ modes: [any Authorizer]) { self.modes = modes }

    public func authorize(_ a: RequestAttributes) -> Decision {
        // system:masters may do anything, before any mode is asked (as upstream's privileged-group authorizer).
        if a.user.isMaster { return .allow }
        var reasons: [String] = []
        for m in modes {
            switch m.authorize(a) {
            case .allow: return .allow
            case .deny(let r): return .deny(r)
            case .noOpinion(let r): if !r.isEmpty { reasons.append(r) }
            }
        }
        return .noOpinion(reasons.joined(separator: ", "))
    }
}

public struct AlwaysAllow: Authorizer {
    public init() {}
    public func authorize(_ a: RequestAttributes) -> Decision { .allow }
}
