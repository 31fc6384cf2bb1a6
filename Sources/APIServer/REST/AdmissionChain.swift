import KubeAPI

public enum AdmissionOperation: Sendable { case create, update, delete }

/// A mutating-and-validating admission step, run after defaulting and validation, before storage.
public protocol AdmissionPlugin: Sendable {
    func admit(_ op: AdmissionOperation, resource: ResourceInfo, object: inout JSON, old: JSON?, store: ObjectStore) async throws
}

/// The admission plugins in order.
public struct AdmissionChain: Sendable {
    public var plugins: [any AdmissionPlugin]

    public init(_ plugins: [any AdmissionPlugin] = []) { self.plugins = plugins }

    func admit(_ op: AdmissionOperation, resource: ResourceInfo, object: inout JSON, old: JSON?, store: ObjectStore) async throws {
        for p in plugins { try await p.admit(op, resource: resource, object: &object, old: old, store: store) }
    }
}
