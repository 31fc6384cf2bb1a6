import KubeAPI

/// The STATUS, READY and RESTARTS that kubectl shows for a pod, by kubectl's own rules.
enum PodStatusColumn {
    static func status(_ pod: JSON) -> String {
        let st = pod["status"]
        var reason = st?["phase"]?.string ?? "Pending"
        if let r = st?["reason"]?.string, !r.isEmpty { reason = r }
        let inits = st?["initContainerStatuses"]?.array ?? []
        let initSpecs = pod[path: ["spec", "initContainers"]]?.array ?? []
        var initializing = false
        for (i, c) in inits.enumerated() {
            if let t = c[path: ["state", "terminated"]], t.object != nil {
                if t["exitCode"]?.int == 0 { continue }
                if let r = t["reason"]?.string, !r.isEmpty {
                    reason = "Init:" + r
                } else if let sig = t["signal"]?.int, sig != 0 {
                    reason = "Init:Signal:\(sig)"
                } else {
                    reason = "Init:ExitCode:\(t["exitCode"]?.int ?? 0)"
                }
            } else if let r = c[path: ["state", "waiting", "reason"]]?.string, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(i)/\(max(initSpecs.count, inits.count))"
            }
            initializing = true
            break
        }
        if !initializing {
            var hasRunning = false
            for c in (st?["containerStatuses"]?.array ?? []).reversed() {
                if let r = c[path: ["state", "waiting", "reason"]]?.string, !r.isEmpty {
                    reason = r
                } else if let t = c[path: ["state", "terminated"]], t.object != nil {
                    if let r = t["reason"]?.string, !r.isEmpty {
                        reason = r
                    } else if let sig = t["signal"]?.int, sig != 0 {
                        reason = "Signal:\(sig)"
                    } else {
                        reason = "ExitCode:\(t["exitCode"]?.int ?? 0)"
                    }
                } else if c[path: ["state", "running"]]?.object != nil, c["ready"]?.bool == true {
                    hasRunning = true
                }
            }
            if reason == "Completed" && hasRunning {
                let ready = (st?["conditions"]?.array ?? []).contains {
                    $0["type"]?.string == "Ready" && $0["status"]?.string == "True"
                }
                reason = ready ? "Running" : "NotReady"
            }
        }
        if pod[path: ["metadata", "deletionTimestamp"]] != nil {
            reason = st?["reason"]?.string == "NodeLost" ? "Unknown" : "Terminating"
        }
        return reason
    }

    static func ready(_ pod: JSON) -> String {
        let total = pod[path: ["spec", "containers"]]?.array?.count ?? 0
        let ready = (pod[path: ["status", "containerStatuses"]]?.array ?? []).filter { $0["ready"]?.bool == true }.count
        return "\(ready)/\(total)"
    }

    static func restarts(_ pod: JSON, now: Foundation.Date) -> String {
        var count: Int64 = 0
        var last: Foundation.Date?
        for c in pod[path: ["status", "containerStatuses"]]?.array ?? [] {
            count += c["restartCount"]?.int ?? 0
            if let f = c[path: ["lastState", "terminated", "finishedAt"]]?.string, let d = WallClock.parse(f) {
                if last == nil || d > last! { last = d }
            }
        }
        if count > 0, let l = last { return "\(count) (\(HumanDuration.format(now.timeIntervalSince(l))) ago)" }
        return "\(count)"
    }
}

import Foundation
