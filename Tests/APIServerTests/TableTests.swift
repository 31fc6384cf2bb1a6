import Foundation
import KubeAPI
import Testing
@testable import APIServer

struct HumanDurationTests {
    @Test(arguments: [(5, "5s"), (119, "119s"), (150, "2m30s"), (600, "10m"), (7200, "120m"), (3 * 3600 + 60, "3h1m"),
                      (30 * 3600, "30h"), (3 * 86400 + 3600, "3d1h"), (400 * 86400, "400d"), (3 * 365 * 86400 + 5 * 86400, "3y5d")])
    func formats(seconds: Int, expected: String) {
        #expect(HumanDuration.format(TimeInterval(seconds)) == expected)
    }
}

struct PodStatusColumnTests {
    static func pod(_ status: JSON, deleting: Bool = false) -> JSON {
        var p: JSON = ["metadata": ["name": "p"], "spec": ["containers": [["name": "a"]]], "status": status]
        if deleting { p[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z" }
        return p
    }

    @Test(arguments: [
        (["phase": "Pending"] as JSON, false, "Pending"),
        (["phase": "Pending", "containerStatuses": [["name": "a", "state": ["waiting": ["reason": "ImagePullBackOff"]]]]] as JSON, false, "ImagePullBackOff"),
        (["phase": "Running", "containerStatuses": [["name": "a", "ready": true, "state": ["running": ["startedAt": "x"]]]]] as JSON, false, "Running"),
        (["phase": "Failed", "containerStatuses": [["name": "a", "state": ["terminated": ["exitCode": 137, "reason": "OOMKilled"]]]]] as JSON, false, "OOMKilled"),
        (["phase": "Failed", "containerStatuses": [["name": "a", "state": ["terminated": ["exitCode": 3]]]]] as JSON, false, "ExitCode:3"),
        (["phase": "Pending", "initContainerStatuses": [["name": "i", "state": ["waiting": ["reason": "PodInitializing"]]]]] as JSON, false, "Init:0/1"),
        (["phase": "Pending", "initContainerStatuses": [["name": "i", "state": ["waiting": ["reason": "CrashLoopBackOff"]]]]] as JSON, false, "Init:CrashLoopBackOff"),
        (["phase": "Running"] as JSON, true, "Terminating"),
    ] as [(JSON, Bool, String)])
    func status(status: JSON, deleting: Bool, expected: String) {
        #expect(PodStatusColumn.status(Self.pod(status, deleting: deleting)) == expected)
    }

    @Test func readyAndRestarts() {
        let p: JSON = ["spec": ["containers": [["name": "a"], ["name": "b"]]],
                       "status": ["containerStatuses": [["name": "a", "ready": true, "restartCount": 2], ["name": "b", "ready": false, "restartCount": 1]]]]
        #expect(PodStatusColumn.ready(p) == "1/2")
        #expect(PodStatusColumn.restarts(p, now: Date()) == "3")
    }
}

struct TableConverterTests {
    @Test func podTableHasKubectlColumns() throws {
        let r = try #require(ResourceCatalog.lookup(group: "", version: "v1", resource: "pods"))
        let t = TableConverter(now: { Date(timeIntervalSince1970: 1_000_000) })
        let pod: JSON = ["metadata": ["name": "web", "creationTimestamp": .string(WallClock.format(Date(timeIntervalSince1970: 1_000_000 - 300)))],
                         "spec": ["containers": [["name": "a"]], "nodeName": "n1"], "status": ["phase": "Pending", "podIP": "10.0.0.5"]]
        let table = t.table(for: r, rows: [pod], resourceVersion: "7", continueToken: nil, remaining: nil, object: .metadata)
        let cols = (table["columnDefinitions"]?.array ?? []).compactMap { $0["name"]?.string }
        #expect(Array(cols.prefix(5)) == ["Name", "Ready", "Status", "Restarts", "Age"])
        let cells = table["rows"]?.array?.first?["cells"]?.array ?? []
        #expect(cells.map { $0.string ?? "" }.prefix(7) == ["web", "0/1", "Pending", "0", "5m", "10.0.0.5", "n1"])
        #expect(table["rows"]?.array?.first?[path: ["object", "kind"]]?.string == "PartialObjectMetadata")
    }
}
