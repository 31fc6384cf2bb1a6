import KubeAPI

/// A change as the cache records it; `prev` lets a selector-filtered watcher see an object
/// leave or enter its selection.
public struct CacheEvent: Sendable {
    public enum EventType: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var type: EventType
    public var object: CachedObject
    public var prev: CachedObject?
    public var resourcePrefix: String
    public var revision: Int64 { object.revision }
}

/// What a watch stream sends.
public enum WatchItem: Sendable {
    case event(CacheEvent.EventType, CachedObject)
    case bookmark(Int64)
    case error(StatusError)

    /// The event a watcher with `filter` sees for `e`, if any.
    static func view(of e: CacheEvent, through filter: WatchFilter) -> WatchItem? {
        switch e.type {
        case .added:
            return filter.matches(e.object) ? .event(.added, e.object) : nil
        case .deleted:
            return filter.matches(e.object) ? .event(.deleted, e.object) : nil
        case .modified:
            let now = filter.matches(e.object)
            let before = e.prev.map(filter.matches) ?? now
            switch (before, now) {
            case (true, true): return .event(.modified, e.object)
            case (false, true): return .event(.added, e.object)
            case (true, false): return .event(.deleted, e.object)
            case (false, false): return nil
            }
        }
    }
}
