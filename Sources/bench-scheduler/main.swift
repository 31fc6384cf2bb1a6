import KubeAPI
import Logging
import Scheduler

// Scheduler throughput on synthetic nodes: the bare algorithm, then the whole driver against the
// in-memory API. Usage: bench-scheduler [nodes] [pods]
let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let nodeCount = args.first ?? 5000
let podCount = args.dropFirst().first ?? 10000

func node(_ i: Int) -> JSON {
    var spec: JSON = [:]
    if i % 10 == 0 { spec["taints"] = [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]] }
    return ["metadata": ["name": .string("node-\(i)"), "labels": ["zone": .string("z\(i % 3)"), "kubernetes.io/hostname": .string("node-\(i)")]],
            "spec": spec,
            "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": 110, "ephemeral-storage": "500Gi"],
                       "conditions": [["type": "Ready", "status": "True"]]]]
}

func pod(_ i: Int) -> JSON {
    ["metadata": ["name": .string("pod-\(i)"), "namespace": "bench", "uid": .string("uid-\(i)")],
     "spec": ["schedulerName": "default-scheduler", "nodeSelector": ["zone": .string("z\(i % 3)")],
              "containers": [["name": "app", "image": "pause", "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]]],
     "status": ["phase": "Pending"]]
}

func rate(_ n: Int, _ d: Duration) -> Int {
    Int(Double(n) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
}

let clock = ContinuousClock()
let nodes = (0..<nodeCount).map(node)
let pods = (0..<podCount).map(pod)

var cache = NodeCache()
for n in nodes { cache.upsertNode(n) }
var algorithm = ScheduleAlgorithm(framework: try SchedulingFramework())
var start = clock.now
for p in pods {
    let info = PodInfo(pod: p)
    guard case .node(let name) = algorithm.schedule(info, in: cache) else { fatalError("unschedulable \(info.key)") }
    cache.assume(info, on: name)
}
var elapsed = clock.now - start
print("algorithm: \(podCount) pods on \(nodeCount) nodes in \(elapsed): \(rate(podCount, elapsed)) pods/s")

let api = FakeSchedulerAPI(nodes: nodes)
var logger = Logger(label: "bench-scheduler")
logger.logLevel = .warning
let scheduler = try Scheduler(api: api, clock: clock, logger: logger)
let run = Task { try await scheduler.run() }
start = clock.now
for p in pods { api.addPod(p) }
while api.bindCount < podCount { try await Task.sleep(for: .milliseconds(5)) }
elapsed = clock.now - start
print("driver: \(podCount) pods bound on \(nodeCount) nodes in \(elapsed): \(rate(podCount, elapsed)) pods/s")
run.cancel()
_ = await run.result
