import KubeAPI
import NIOCore

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

/// What a watch stream sends. JSON events carry their line rendered once for every watcher.
public enum WatchItem: Sendable {
    case event(CacheEvent.EventType, CachedObject, line: ByteBuffer?)
    case bookmark(Int64)
    case error(StatusError)

    /// The event a watcher with `filter` sees for `e`, if any.
    static func view(of e: CacheEvent, through filter: WatchFilter) -> WatchItem? {
        switch e.type {
        case .added:
            return filter.matches(e.object) ? .event(.added, e.object, line: nil) : nil
        case .deleted:
            return filter.matches(e.object) ? .event(.deleted, e.object, line: nil) : nil
        case .modified:
            let now = filter.matches(e.object)
            let before = e.prev.map(filter.matches) ?? now
            switch (before, now) {
            case (true, true): return .event(.modified, e.object, line: nil)
            case (false, true): return .event(.added, e.object, line: nil)
            case (true, false): return .event(.deleted, e.object, line: nil)
            case (false, false): return nil
            }
        }
    }
}

/// Renders each event line once, however many watchers receive it, and keeps the item itself so
/// the fan-out pushes copies of one value.
struct LineCache {
    private var items: [WatchItem?] = [nil, nil, nil]

    mutating func withLine(_ item: WatchItem) -> WatchItem {
        guard case .event(let t, let o, nil) = item else { return item }
        let slot = t == .added ? 0 : t == .modified ? 1 : 2
        if let shared = items[slot] { return shared }
        var line = ByteBuffer()
        line.reserveCapacity(o.bytes.count + 40)
        line.writeString("{\"type\":\"\(t.rawValue)\",\"object\":")
        line.writeBytes(o.bytes)
        line.writeString("}\n")
        let shared = WatchItem.event(t, o, line: line)
        items[slot] = shared
        return shared
    }
}
