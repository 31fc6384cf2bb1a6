/// Plugin names mapped to their constructors: the only place plugins are known by name.
public struct PluginRegistry: Sendable {
    public typealias Factory = @Sendable () -> any SchedulerPlugin

    public private(set) var factories: [String: Factory] = [:]

    public init() {}

    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        factories[name] = factory
    }

    public func make(_ name: String) -> (any SchedulerPlugin)? { factories[name]?() }

    /// The plugins this module ships, under kube-scheduler's names.
    public static let builtIn: PluginRegistry = {
        var r = PluginRegistry()
        r.register(NodeUnschedulable.name) { NodeUnschedulable() }
        r.register(NodeName.name) { NodeName() }
        r.register(TaintToleration.name) { TaintToleration() }
        r.register(NodeReady.name) { NodeReady() }
        r.register(NodeAffinity.name) { NodeAffinity() }
        r.register(NodePorts.name) { NodePorts() }
        r.register(NodeResourcesFit.name) { NodeResourcesFit() }
        r.register(BalancedAllocation.name) { BalancedAllocation() }
        // Knows no claims on its own; the Scheduler registers one reading its watched state.
        r.register(VolumeBinding.name) { VolumeBinding(state: VolumeState()) }
        return r
    }()
}
