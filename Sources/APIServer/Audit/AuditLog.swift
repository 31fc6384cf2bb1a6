import Foundation
import KubeAPI
import Synchronization

/// The audit log: one JSON line per request (audit.k8s.io/v1 Event at the Metadata level, stage
/// ResponseComplete) appended to a file. Requests only enqueue; a background thread writes, so
/// the log costs the request path a few microseconds.
public final class AuditLog: Sendable {
    public struct Entry: Sendable {
        public var attributes: RequestAttributes
        public var requestURI: String
        public var sourceIP: String
        public var userAgent: String
        public var code: Int
        public var received: Date
        public var completed: Date
        /// The authenticated user when the request impersonated another.
        public var impersonatedBy: UserInfo?
        /// What admission noted about the request (e.g. PodSecurity audit violations).
        public var annotations: [String: String] = [:]
    }

    private let pending = Mutex<(lines: [[UInt8]], closed: Bool)>(([], false))
    private let signal = DispatchSemaphore(value: 0)
    private let handle: FileHandle
    public let path: String

    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        h.seekToEndOfFile()
        self.handle = h
        self.path = path
        let thread = Thread { [self] in self.drain() }
        thread.name = "audit-log"
        thread.start()
    }

    public func record(_ e: Entry) {
        var line = Self.event(e).bytes
        line.append(0x0A)
        pending.withLock { $0.lines.append(line) }
        signal.signal()
    }

    public func close() {
        pending.withLock { $0.closed = true }
        signal.signal()
    }

    private func drain() {
        while true {
            signal.wait()
            let (lines, closed) = pending.withLock { p in
                let out = (p.lines, p.closed)
                p.lines.removeAll(keepingCapacity: true)
                return out
            }
            if !lines.isEmpty { handle.write(Data(lines.joined())) }
            if closed { try? handle.close(); return }
        }
    }


    static func event(_ e: Entry) -> JSON {
        let a = e.attributes
        var o = JSONObject([
            ("kind", "Event"), ("apiVersion", "audit.k8s.io/v1"), ("level", "Metadata"),
            ("auditID", .string(UUID().uuidString.lowercased())), ("stage", "ResponseComplete"),
            ("requestURI", .string(e.requestURI)), ("verb", .string(a.verb)), ("user", (e.impersonatedBy ?? a.user).json),
        ])
        if e.impersonatedBy != nil { o["impersonatedUser"] = a.user.json }
        o["sourceIPs"] = .array([.string(e.sourceIP)])
        if !e.userAgent.isEmpty { o["userAgent"] = .string(e.userAgent) }
        if a.isResourceRequest {
            var ref = JSONObject([("resource", .string(a.resource))])
            if !a.namespace.isEmpty { ref["namespace"] = .string(a.namespace) }
            if !a.name.isEmpty { ref["name"] = .string(a.name) }
            ref["apiGroup"] = .string(a.apiGroup)
            ref["apiVersion"] = .string(a.apiVersion)
            if !a.subresource.isEmpty { ref["subresource"] = .string(a.subresource) }
            o["objectRef"] = .object(ref)
        }
        o["responseStatus"] = .object(JSONObject([("metadata", .object(JSONObject())), ("code", .int(Int64(e.code)))]))
        o["requestReceivedTimestamp"] = .string(Timestamp.micro(e.received))
        o["stageTimestamp"] = .string(Timestamp.micro(e.completed))
        if !e.annotations.isEmpty {
            o["annotations"] = .object(JSONObject(e.annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        return .object(o)
    }
}
