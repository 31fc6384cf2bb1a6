/// A profile's plugins resolved from a registry and sorted by extension point.
public struct SchedulingFramework: Sendable {
    public struct UnknownPlugin: Error, Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var description: String { "scheduler plugin \(name) is not registered" }
    }

    public let preFilters: [any PreFilterPlugin]
    public let filters: [any FilterPlugin]
    public let scorers: [(plugin: any ScorePlugin, weight: Int64)]

    public init(profile: SchedulerProfile = .default, registry: PluginRegistry = .builtIn) throws(UnknownPlugin) {
        var pre: [any PreFilterPlugin] = []
        var filters: [any FilterPlugin] = []
        var scorers: [(plugin: any ScorePlugin, weight: Int64)] = []
        for entry in profile.plugins {
            guard let plugin = registry.make(entry.name) else { throw UnknownPlugin(name: entry.name) }
            if let p = plugin as? any PreFilterPlugin { pre.append(p) }
            if let p = plugin as? any FilterPlugin { filters.append(p) }
            if let p = plugin as? any ScorePlugin, entry.weight != 0 { scorers.append((p, entry.weight)) }
        }
        preFilters = pre
        self.filters = filters
        self.scorers = scorers
    }

    /// The PreFilter verdict and the filters that apply to this pod (those whose PreFilter
    /// did not ask to be skipped).
    func runPreFilters(_ pod: PodInfo) -> (status: PluginStatus, filters: [any FilterPlugin]) {
        var skipped: Set<String> = []
        for p in preFilters {
            let s = p.preFilter(pod)
            if s.code == .skip {
                skipped.insert(p.name)
            } else if !s.isSuccess {
                return (s.from(p.name), [])
            }
        }
        return (.success, skipped.isEmpty ? filters : filters.filter { !skipped.contains($0.name) })
    }

    /// Stops at the first rejection, as upstream does outside preemption.
    static func runFilters(_ filters: [any FilterPlugin], _ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        for i in filters.indices {
            let s = filters[i].filter(pod, on: node)
            if !s.isSuccess { return s.from(filters[i].name) }
        }
        return .success
    }
}

extension PluginStatus {
    func from(_ plugin: String) -> PluginStatus {
        var s = self
        if s.plugin.isEmpty { s.plugin = plugin }
        return s
    }
}
