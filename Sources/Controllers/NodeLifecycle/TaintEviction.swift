import Foundation
import KubeAPI

/// When a pod must leave a node with NoExecute taints (the taint manager): at once if a taint is
/// not tolerated, after the shortest tolerationSeconds counted from the taint's timeAdded, or
/// never if every taint is tolerated for good. Pure.
public enum TaintEviction: Sendable, Equatable {
    case keep
    case now
    case at(Date)

    public static func decide(pod: JSON, taints: [JSON], now: Date) -> TaintEviction {
        let tolerations = pod[path: ["spec", "tolerations"]]?.array ?? []
        var deadline: Date?
        for taint in taints where taint["effect"]?.string == "NoExecute" {
            let matching = tolerations.filter { tolerates($0, taint) }
            if matching.isEmpty { return .now }
            // Forever if any matching toleration has no limit; else the longest limit applies.
            let limits = matching.map { $0["tolerationSeconds"]?.int }
            if limits.contains(where: { $0 == nil }) { continue }
            let seconds = max(0, limits.compactMap { $0 }.max() ?? 0)
            let added = Timestamp.parse(taint["timeAdded"]?.string) ?? now
            let when = added.addingTimeInterval(Double(seconds))
            deadline = min(deadline ?? when, when)
        }
        guard let deadline else { return .keep }
        return deadline <= now ? .now : .at(deadline)
    }

    static func tolerates(_ t: JSON, _ taint: JSON) -> Bool {
        let key = t["key"]?.string ?? ""
        let op = t["operator"]?.string ?? "Equal"
        let effect = t["effect"]?.string ?? ""
        if !effect.isEmpty && effect != taint["effect"]?.string { return false }
        if op == "Exists" { return key.isEmpty || key == taint["key"]?.string }
        return key == taint["key"]?.string && (t["value"]?.string ?? "") == (taint["value"]?.string ?? "")
    }
}
