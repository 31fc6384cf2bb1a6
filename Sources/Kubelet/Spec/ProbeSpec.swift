import KubeAPI

public enum ProbeKind: String, Sendable, CaseIterable {
    case liveness = "Liveness", readiness = "Readiness", startup = "Startup"
}

/// A probe with Kubernetes' defaults: timeout 1 s, period 10 s, success 1, failure 3, no delay.
public struct ProbeSpec: Sendable, Equatable {
    public var handler: Handler
    public var initialDelaySeconds: Int64
    public var timeoutSeconds: Int64
    public var periodSeconds: Int64
    public var successThreshold: Int64
    public var failureThreshold: Int64
    public var terminationGracePeriodSeconds: Int64?

    public init(handler: Handler, initialDelaySeconds: Int64 = 0, timeoutSeconds: Int64 = 1, periodSeconds: Int64 = 10,
                successThreshold: Int64 = 1, failureThreshold: Int64 = 3) {
        self.handler = handler
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }

    init?(json: JSON) {
        guard let handler = Handler(json: json) else { return nil }
        // Zero means "unset" for these fields (the API server defaults them; raw specs may not).
        func positive(_ key: String, _ fallback: Int64) -> Int64 { json.int(key).flatMap { $0 > 0 ? $0 : nil } ?? fallback }
        self.init(handler: handler,
                  initialDelaySeconds: max(0, json.int("initialDelaySeconds") ?? 0),
                  timeoutSeconds: positive("timeoutSeconds", 1),
                  periodSeconds: positive("periodSeconds", 10),
                  successThreshold: positive("successThreshold", 1),
                  failureThreshold: positive("failureThreshold", 3))
        terminationGracePeriodSeconds = json.int("terminationGracePeriodSeconds")
    }
}

/// What a probe or a lifecycle hook does.
public enum Handler: Sendable, Equatable {
    public struct HTTPGet: Sendable, Equatable {
        public var path: String
        /// A number, or the name of a container port.
        public var port: String
        public var host: String?
        public var scheme: String
        public var headers: [(name: String, value: String)]

        public static func == (a: HTTPGet, b: HTTPGet) -> Bool {
            a.path == b.path && a.port == b.port && a.host == b.host && a.scheme == b.scheme
                && a.headers.elementsEqual(b.headers, by: ==)
        }
    }

    case exec(command: [String])
    case httpGet(HTTPGet)
    case tcpSocket(port: String, host: String?)
    case grpc(port: Int64, service: String?)
    case sleep(seconds: Int64)

    init?(json: JSON) {
        if let e = json["exec"], e.object != nil {
            self = .exec(command: e.strings("command"))
        } else if let h = json["httpGet"], h.object != nil {
            self = .httpGet(HTTPGet(
                path: h.string("path") ?? "/", port: Self.port(h["port"]), host: h.string("host"),
                scheme: h.string("scheme") ?? "HTTP",
                headers: h.objects("httpHeaders").map { ($0.string("name") ?? "", $0.string("value") ?? "") }))
        } else if let t = json["tcpSocket"], t.object != nil {
            self = .tcpSocket(port: Self.port(t["port"]), host: t.string("host"))
        } else if let g = json["grpc"], g.object != nil {
            self = .grpc(port: g.int("port") ?? 0, service: g.string("service"))
        } else if let s = json["sleep"], s.object != nil {
            self = .sleep(seconds: s.int("seconds") ?? 0)
        } else {
            return nil
        }
    }

    /// IntOrString ports stay textual; resolving a named port needs the container's port list.
    private static func port(_ json: JSON?) -> String {
        if let n = json?.int { return String(n) }
        return json?.string ?? ""
    }
}
