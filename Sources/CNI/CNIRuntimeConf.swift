/// Per-attachment arguments a runtime passes to every plugin of a network.
public struct CNIRuntimeConf: Sendable, Equatable {
    public struct PortMapping: Sendable, Equatable {
        public var hostPort: Int
        public var containerPort: Int
        public var proto: String
        public var hostIP: String

        public init(hostPort: Int, containerPort: Int, proto: String, hostIP: String) {
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.proto = proto
            self.hostIP = hostIP
        }
    }

    public var containerID: String
    public var netns: String
    public var ifName: String
    /// `K8S_POD_NAMESPACE=…;K8S_POD_NAME=…` style key-value pairs.
    public var args: [(String, String)]
    public var portMappings: [PortMapping]

    public init(containerID: String, netns: String, ifName: String = "eth0", args: [(String, String)] = [], portMappings: [PortMapping] = []) {
        self.containerID = containerID
        self.netns = netns
        self.ifName = ifName
        self.args = args
        self.portMappings = portMappings
    }

    public static func == (lhs: CNIRuntimeConf, rhs: CNIRuntimeConf) -> Bool {
        lhs.containerID == rhs.containerID && lhs.netns == rhs.netns && lhs.ifName == rhs.ifName
            && lhs.args.map { "\($0)=\($1)" } == rhs.args.map { "\($0)=\($1)" } && lhs.portMappings == rhs.portMappings
    }
}
