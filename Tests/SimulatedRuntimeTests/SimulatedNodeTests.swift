import CRI
import SimulatedRuntime
import Testing

struct SimulatedNodeTests {
    final class Clock: @unchecked Sendable {
        var now: Int64 = 1_000
        func tick() -> Int64 { now += 1_000; return now }
    }

    func makeNode(cidr: String = "10.128.3.0/24") -> (SimulatedNode, Clock) {
        let clock = Clock()
        return (SimulatedNode(addresses: PodAddressPool(cidr: cidr)!, clock: { clock.tick() }), clock)
    }

    func sandboxConfig(uid: String, attempt: UInt32 = 0, hostNetwork: Bool = false) -> Runtime_V1_PodSandboxConfig {
        .with {
            $0.metadata = .with { $0.name = "p-\(uid)"; $0.namespace = "default"; $0.uid = uid; $0.attempt = attempt }
            $0.labels = ["io.kubernetes.pod.uid": uid]
            if hostNetwork { $0.linux.securityContext.namespaceOptions.network = .node }
        }
    }

    func containerConfig(_ name: String, image: String = "docker.io/library/busybox:latest") -> Runtime_V1_ContainerConfig {
        .with {
            $0.metadata.name = name
            $0.image.image = image
            $0.labels = ["io.kubernetes.container.name": name]
        }
    }

    @Test func containerLifecycle() throws {
        let (node, _) = makeNode()
        let sandbox = try node.runSandbox(sandboxConfig(uid: "u1"), handler: "")
        #expect(try node.sandboxStatus(sandbox).network.ip == "10.128.3.2")

        // Not pulled yet: the kubelet must pull first, as on a real node.
        #expect(throws: SimulatedError.notFound("image \"docker.io/library/busybox:latest\" not present")) {
            try node.createContainer(in: sandbox, containerConfig("app"))
        }
        let ref = try node.pull("docker.io/library/busybox:latest")
        #expect(ref.hasPrefix("sha256:") && ref.count == 71)
        #expect(try node.pull("docker.io/library/busybox:latest") == ref)

        let id = try node.createContainer(in: sandbox, containerConfig("app"))
        #expect(try node.containerStatus(id).state == .containerCreated)
        try node.startContainer(id)
        let running = try node.containerStatus(id)
        #expect(running.state == .containerRunning && running.startedAt > running.createdAt && running.imageRef == ref)
        #expect(throws: SimulatedError.failedPrecondition("container \(id) is not in the created state")) { try node.startContainer(id) }
        #expect(node.counts.running == 1)

        try node.stopContainer(id)
        let exited = try node.containerStatus(id)
        #expect(exited.state == .containerExited && exited.exitCode == 137 && exited.finishedAt > running.startedAt)
        try node.stopContainer(id) // stopping again is fine
        node.removeContainer(id)
        #expect(throws: SimulatedError.notFound("container \(id) not found")) { try node.containerStatus(id) }
    }

    @Test func stoppingASandboxEndsItsContainersAndFreesItsAddress() throws {
        let (node, _) = makeNode(cidr: "10.128.0.0/30")
        _ = try node.pull("busybox")
        let first = try node.runSandbox(sandboxConfig(uid: "a"), handler: "")
        let c = try node.createContainer(in: first, containerConfig("app", image: "busybox"))
        try node.startContainer(c)
        // A /30 holds one pod address.
        #expect(throws: SimulatedError.exhausted("no free pod address in 10.128.0.0/30")) {
            try node.runSandbox(sandboxConfig(uid: "b"), handler: "")
        }
        // Host-network pods take no address.
        let host = try node.runSandbox(sandboxConfig(uid: "h", hostNetwork: true), handler: "")
        #expect(try node.sandboxStatus(host).network.ip == "")

        try node.stopSandbox(first)
        #expect(try node.containerStatus(c).state == .containerExited)
        #expect(try node.sandboxStatus(first).state == .sandboxNotready)
        #expect(throws: SimulatedError.notFound("pod sandbox \(first) not found or not ready")) {
            try node.createContainer(in: first, containerConfig("late", image: "busybox"))
        }
        let second = try node.runSandbox(sandboxConfig(uid: "b"), handler: "")
        #expect(try node.sandboxStatus(second).network.ip == "10.128.0.2")

        node.removeSandbox(first)
        node.removeSandbox(first) // already gone: fine
        #expect(node.containers(.init()).isEmpty)
        #expect(node.sandboxes(.init()).map(\.id).sorted() == [host, second].sorted())
    }

    @Test(arguments: [
        ("id prefix", Runtime_V1_ContainerFilter.with { $0.id = "" }, 2),
        ("running", Runtime_V1_ContainerFilter.with { $0.state.state = .containerRunning }, 1),
        ("created", Runtime_V1_ContainerFilter.with { $0.state.state = .containerCreated }, 1),
        ("label", Runtime_V1_ContainerFilter.with { $0.labelSelector = ["io.kubernetes.container.name": "web"] }, 1),
        ("no label", Runtime_V1_ContainerFilter.with { $0.labelSelector = ["io.kubernetes.container.name": "db"] }, 0),
    ])
    func containerFilters(_ name: String, _ filter: Runtime_V1_ContainerFilter, _ count: Int) throws {
        let (node, _) = makeNode()
        _ = try node.pull("busybox")
        let sandbox = try node.runSandbox(sandboxConfig(uid: "f"), handler: "")
        let web = try node.createContainer(in: sandbox, containerConfig("web", image: "busybox"))
        _ = try node.createContainer(in: sandbox, containerConfig("side", image: "busybox"))
        try node.startContainer(web)
        #expect(node.containers(filter).count == count, "\(name)")
        #expect(node.containers(.with { $0.id = String(web.prefix(12)) }).map(\.id) == [web])
        #expect(node.containers(.with { $0.podSandboxID = sandbox }).count == 2)
    }
}

struct PodAddressPoolTests {
    @Test(arguments: [
        (0, "10.128.0.0/9", 24, "10.128.0.0/24"),
        (1, "10.128.0.0/9", 24, "10.128.1.0/24"),
        (300, "10.128.0.0/9", 24, "10.129.44.0/24"),
        (32767, "10.128.0.0/9", 24, "10.255.255.0/24"),
        (3, "192.168.0.0/16", 26, "192.168.0.192/26"),
    ])
    func blocks(_ index: Int, _ cluster: String, _ prefix: Int, _ expected: String) {
        #expect(PodAddressPool.block(index, of: cluster, prefix: prefix) == expected)
    }

    @Test func blocksPastTheEndAndBadRanges() {
        #expect(PodAddressPool.block(32768, of: "10.128.0.0/9", prefix: 24) == nil)
        #expect(PodAddressPool.block(0, of: "10.0.0.0/24", prefix: 16) == nil)
        #expect(PodAddressPool(cidr: "10.0.0.0") == nil)
        #expect(PodAddressPool(cidr: "10.0.0.300/24") == nil)
        #expect(PodAddressPool(cidr: "10.0.0.0/31") == nil)
    }

    @Test func allocatesLowestFirstAndReuses() {
        var pool = PodAddressPool(cidr: "10.1.2.0/29")!
        #expect(pool.capacity == 5)
        let all = (0..<5).compactMap { _ in pool.allocate() }
        #expect(all == ["10.1.2.2", "10.1.2.3", "10.1.2.4", "10.1.2.5", "10.1.2.6"])
        #expect(pool.allocate() == nil)
        pool.release("10.1.2.4")
        pool.release("10.9.9.9") // not ours: ignored
        #expect(pool.allocate() == "10.1.2.4")
        #expect(pool.allocate() == nil)
    }
}
