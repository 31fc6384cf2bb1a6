import Foundation
import KubeAPI

/// One entry of `containerStatuses`/`initContainerStatuses`, typed; `json` is its wire form.
public struct ContainerStatus: Sendable, Equatable {
    public struct Terminated: Sendable, Equatable {
        public var exitCode: Int32
        public var reason: String
        public var message: String
        public var startedAt: Date?
        public var finishedAt: Date?
        public var containerID: String

        public init(exitCode: Int32, reason: String, message: String = "", startedAt: Date? = nil,
                    finishedAt: Date? = nil, containerID: String = "") {
            self.exitCode = exitCode
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.containerID = containerID
        }
    }

    public enum State: Sendable, Equatable {
        /// An empty reason is the runtime's "created but not started".
        case waiting(reason: String, message: String)
        case running(startedAt: Date?)
        case terminated(Terminated)

        var isRunning: Bool { if case .running = self { true } else { false } }
        var terminated: Terminated? { if case .terminated(let t) = self { t } else { nil } }
    }

    public var name: String
    public var state: State
    /// Only ever terminated; nil is the empty `lastState: {}`.
    public var lastState: Terminated?
    public var ready: Bool
    public var restartCount: Int
    public var image: String
    public var imageID: String
    public var containerID: String
    public var started: Bool

    public init(name: String, state: State, lastState: Terminated? = nil, ready: Bool = false, restartCount: Int = 0,
                image: String = "", imageID: String = "", containerID: String = "", started: Bool = false) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
    }

    /// Field order and omissions as the API server serialises core/v1 ContainerStatus.
    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["state"] = Self.stateJSON(state)
        o["lastState"] = lastState.map { Self.stateJSON(.terminated($0)) } ?? .object(JSONObject())
        o["ready"] = .bool(ready)
        o["restartCount"] = .int(Int64(restartCount))
        o["image"] = .string(image)
        o["imageID"] = .string(imageID)
        if !containerID.isEmpty { o["containerID"] = .string(containerID) }
        o["started"] = .bool(started)
        return .object(o)
    }

    private static func stateJSON(_ state: State) -> JSON {
        var inner = JSONObject()
        let key: String
        switch state {
        case .waiting(let reason, let message):
            key = "waiting"
            if !reason.isEmpty { inner["reason"] = .string(reason) }
            if !message.isEmpty { inner["message"] = .string(message) }
        case .running(let startedAt):
            key = "running"
            inner["startedAt"] = Timestamp.json(startedAt)
        case .terminated(let t):
            key = "terminated"
            inner["exitCode"] = .int(Int64(t.exitCode))
            if !t.reason.isEmpty { inner["reason"] = .string(t.reason) }
            if !t.message.isEmpty { inner["message"] = .string(t.message) }
            inner["startedAt"] = Timestamp.json(t.startedAt)
            inner["finishedAt"] = Timestamp.json(t.finishedAt)
            if !t.containerID.isEmpty { inner["containerID"] = .string(t.containerID) }
        }
        return .object(JSONObject([(key, .object(inner))]))
    }

    /// Reads back a status the kubelet wrote earlier; only what later syncs depend on.
    init?(json: JSON) {
        guard let name = json.string("name") else { return nil }
        let s = json["state"] ?? [:]
        let state: State
        if let r = s["running"], r.object != nil {
            state = .running(startedAt: Timestamp.parse(r.string("startedAt")))
        } else if let t = s["terminated"].flatMap(Self.terminated) {
            state = .terminated(t)
        } else {
            state = .waiting(reason: s[path: ["waiting", "reason"]]?.string ?? "", message: s[path: ["waiting", "message"]]?.string ?? "")
        }
        self.init(name: name, state: state, lastState: json[path: ["lastState", "terminated"]].flatMap(Self.terminated),
                  ready: json.bool("ready"), restartCount: Int(json.int("restartCount") ?? 0),
                  image: json.string("image") ?? "", imageID: json.string("imageID") ?? "",
                  containerID: json.string("containerID") ?? "", started: json.bool("started"))
    }

    private static func terminated(_ t: JSON) -> Terminated? {
        guard t.object != nil else { return nil }
        return Terminated(exitCode: Int32(clamping: t.int("exitCode") ?? 0), reason: t.string("reason") ?? "",
                          message: t.string("message") ?? "", startedAt: Timestamp.parse(t.string("startedAt")),
                          finishedAt: Timestamp.parse(t.string("finishedAt")), containerID: t.string("containerID") ?? "")
    }
}
