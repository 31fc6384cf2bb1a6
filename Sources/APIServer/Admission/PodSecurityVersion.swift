/// The Pod Security Standards version a namespace pins (`pod-security.kubernetes.io/<mode>-version`):
/// `latest`, or `v1.N`, which evaluates only the checks that existed in Kubernetes 1.N. A version
/// newer than this server's is evaluated as latest.
public struct PodSecurityVersion: Sendable, Equatable, CustomStringConvertible {
    /// nil for latest.
    public let minor: Int?

    public static let latest = PodSecurityVersion(minor: nil)
    /// The Kubernetes minor version this server reports.
    static let current = 32

    init(minor: Int?) { self.minor = minor }

    /// nil unless `latest` or `v1.<minor>`.
    public static func parse(_ text: String) -> PodSecurityVersion? {
        if text == "latest" { return .latest }
        guard text.hasPrefix("v1."), let minor = Int(text.dropFirst(3)), minor >= 0,
              String(minor) == text.dropFirst(3) else { return nil }
        return PodSecurityVersion(minor: minor)
    }

    public var description: String { minor.map { "v1.\($0)" } ?? "latest" }

    /// Whether a check added in Kubernetes 1.`minor` applies at this version.
    func includes(_ since: Int) -> Bool { (minor ?? Int.max) >= since }
}
