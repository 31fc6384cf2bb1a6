import Foundation
import KubeAPI

public enum AdmissionOperation: Sendable { case create, update, delete }

/// What an admission plugin is asked about: the operation, the resource and subresource, who
/// asks, and the object as it was before.
public struct AdmissionRequest: Sendable {
    public var operation: AdmissionOperation
    public var resource: ResourceInfo
    public var subresource: String?
    public var namespace: String?
    public var name: String
    public var user: UserInfo
    public var old: JSON?
    public var dryRun: Bool

    public init(operation: AdmissionOperation, resource: ResourceInfo, subresource: String? = nil, namespace: String? = nil,
                name: String = "", user: UserInfo = .apiServer, old: JSON? = nil, dryRun: Bool = false) {
        self.operation = operation
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.user = user
        self.old = old
        self.dryRun = dryRun
    }

    /// A pod create or update (not of a subresource), the case most plugins look at.
    public var isPodSpecWrite: Bool { resource.group == "" && resource.resource == "pods" && subresource == nil }
}

/// An admission step, run after defaulting and validation, before storage. Mutating plugins may
/// change the object; validating ones only refuse it.
public protocol AdmissionPlugin: Sendable {
    func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws
}

/// The admission plugins in Kubernetes' order: every mutating plugin, then every validating one.
public struct AdmissionChain: Sendable {
    public var mutating: [any AdmissionPlugin]
    public var validating: [any AdmissionPlugin]

    public init(mutating: [any AdmissionPlugin] = [], validating: [any AdmissionPlugin] = []) {
        self.mutating = mutating
        self.validating = validating
    }

    public var isEmpty: Bool { mutating.isEmpty && validating.isEmpty }

    func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        for p in mutating { try await p.admit(request, object: &object, store: store) }
        for p in validating { try await p.admit(request, object: &object, store: store) }
    }
}

extension AdmissionRequest {
    /// A plugin's refusal, worded as Kubernetes' admission words it: `pods "web" is forbidden: …`.
    /// Some plugins (PodSecurity) put no group in the Status details.
    public func forbidden(_ message: String, detailsGroup: Bool = true) -> StatusError {
        let subject = name.isEmpty ? resource.qualifiedResource : "\(resource.qualifiedResource) \"\(name)\""
        return .forbidden("\(subject) is forbidden: \(message)", name: name.isEmpty ? nil : name,
                          group: detailsGroup ? resource.group : nil, kind: resource.resource)
    }
}
