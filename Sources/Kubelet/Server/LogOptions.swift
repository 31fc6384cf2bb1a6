import Foundation
import KubeAPI

/// The query of a container log request, as kubectl sends it to pods/log and the API server
/// passes it on (PodLogOptions).
public struct LogOptions: Sendable, Equatable {
    public var follow = false
    public var previous = false
    public var timestamps = false
    public var tailLines: Int?
    public var sinceSeconds: Int?
    public var sinceTime: Date?
    public var limitBytes: Int?

    public init() {}

    public init(query: [(String, String)]) {
        func flag(_ v: String) -> Bool { v == "true" || v == "1" }
        for (k, v) in query {
            switch k {
            case "follow": follow = flag(v)
            case "previous": previous = flag(v)
            case "timestamps": timestamps = flag(v)
            case "tailLines": tailLines = Int(v).map { max(0, $0) }
            case "sinceSeconds": sinceSeconds = Int(v)
            case "sinceTime": sinceTime = Timestamp.parse(v)
            case "limitBytes": limitBytes = Int(v).flatMap { $0 > 0 ? $0 : nil }
            default: break
            }
        }
    }

    /// The earliest time a line may have, from sinceSeconds or sinceTime.
    public func since(now: Date) -> Date? {
        if let s = sinceSeconds { return now.addingTimeInterval(-Double(s)) }
        return sinceTime
    }
}
