import Foundation
import KubeAPI
@testable import Kubelet

/// Small builders so each table row states only what it is about.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func container(_ name: String, image: String = "busybox:1.36", extra: [(String, JSON)] = []) -> JSON {
        .object(JSONObject([("name", .string(name)), ("image", .string(image))] + extra))
    }

    static func sidecar(_ name: String, extra: [(String, JSON)] = []) -> JSON {
        container(name, extra: [("restartPolicy", "Always")] + extra)
    }

    static func pod(containers: [JSON] = [container("main")], initContainers: [JSON] = [],
                    restartPolicy: String = "Always", specExtra: [(String, JSON)] = [],
                    metaExtra: [(String, JSON)] = []) -> PodSpecView {
        PodSpecView(pod: podJSON(containers: containers, initContainers: initContainers, restartPolicy: restartPolicy,
                                 specExtra: specExtra, metaExtra: metaExtra))
    }

    static func podJSON(containers: [JSON] = [container("main")], initContainers: [JSON] = [],
                        restartPolicy: String = "Always", specExtra: [(String, JSON)] = [],
                        metaExtra: [(String, JSON)] = []) -> JSON {
        var spec: [(String, JSON)] = [("containers", .array(containers)), ("restartPolicy", .string(restartPolicy)),
                                      ("nodeName", "node-1")]
        if !initContainers.isEmpty { spec.append(("initContainers", .array(initContainers))) }
        return .object(JSONObject([
            ("metadata", .object(JSONObject([("name", "web"), ("namespace", "default"), ("uid", "uid-1")] + metaExtra))),
            ("spec", .object(JSONObject(spec + specExtra))),
        ]))
    }

    static let readySandbox = RuntimeSandbox(id: "sb1", state: .ready, ips: ["10.88.0.5"])

    static func running(_ name: String, id: String? = nil, attempt: Int = 0, startedAt: Double = 0,
                        spec: ContainerSpec? = nil) -> RuntimeContainer {
        RuntimeContainer(id: id ?? "\(name)-\(attempt)", name: name, attempt: attempt, state: .running,
                         createdAt: at(startedAt + Double(attempt) * 0.001), startedAt: at(startedAt),
                         image: "docker.io/library/busybox:1.36", imageRef: "sha256:abc", specHash: spec?.hash)
    }

    static func exited(_ name: String, code: Int32, attempt: Int = 0, startedAt: Double = 0, finishedAt: Double = 1,
                       reason: String = "") -> RuntimeContainer {
        RuntimeContainer(id: "\(name)-\(attempt)", name: name, attempt: attempt, state: .exited, exitCode: code,
                         reason: reason, createdAt: at(startedAt + Double(attempt) * 0.001), startedAt: at(startedAt),
                         finishedAt: at(finishedAt), image: "docker.io/library/busybox:1.36", imageRef: "sha256:abc")
    }
}
