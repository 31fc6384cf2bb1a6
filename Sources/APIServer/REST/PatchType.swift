import Foundation
import KubeAPI

/// The patch formats Kubernetes accepts, by request Content-Type.
public enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    public init?(contentType: String) {
        let base = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        self.init(rawValue: base)
    }
}

/// Applies a patch of any type to the current object.
enum PatchApplier {
    static func apply(_ type: PatchType, patch: JSON, to obj: JSON, resource r: ResourceInfo) throws -> JSON {
        do {
            switch type {
            case .json:
                return try JSONPatch.apply(patch, to: obj)
            case .merge:
                return MergePatch.apply(patch, to: obj)
            case .strategic, .apply:
                guard let def = r.definition else { return MergePatch.apply(patch, to: obj) }
                return try StrategicMergePatch.apply(patch, to: obj, schema: def)
            }
        } catch let e as StatusError {
            throw e
        } catch {
            throw StatusError(code: 422, reason: "Invalid", message: "\(error)")
        }
    }
}
