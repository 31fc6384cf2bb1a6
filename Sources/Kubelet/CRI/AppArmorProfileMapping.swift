import CRI
import KubeAPI

/// A container's AppArmor profile for the CRI (upstream `apparmor.GetProfile` and
/// `getAppArmorProfile`): the container's `securityContext.appArmorProfile`, else the legacy
/// `container.apparmor.security.beta.kubernetes.io/<container>` annotation, else the pod's
/// `securityContext.appArmorProfile`; nil when none says anything. Pure.
public struct AppArmorProfileMapping: Sendable, Equatable {
    public static let annotationPrefix = "container.apparmor.security.beta.kubernetes.io/"

    /// `RuntimeDefault`, `Unconfined` or `Localhost` (with `localhostProfile`).
    public var type: String
    public var localhostProfile: String?

    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }

    /// An `appArmorProfile` object (`type`, `localhostProfile`); nil when absent.
    init?(json: JSON?) {
        guard let type = json?["type"]?.string else { return nil }
        self.init(type: type, localhostProfile: json?["localhostProfile"]?.string)
    }

    public static func resolve(container: AppArmorProfileMapping?, annotations: [String: String], containerName: String,
                               pod: AppArmorProfileMapping?) -> AppArmorProfileMapping? {
        if let container { return container }
        // Static pods may carry only the annotation, so it comes before the pod's field.
        if let value = annotations[annotationPrefix + containerName], let fromAnnotation = annotation(value) { return fromAnnotation }
        return pod
    }

    /// The annotation's value: `runtime/default`, `unconfined` or `localhost/<profile>`; nil otherwise.
    static func annotation(_ value: String) -> AppArmorProfileMapping? {
        switch value {
        case "runtime/default": return .init(type: "RuntimeDefault")
        case "unconfined": return .init(type: "Unconfined")
        case _ where value.hasPrefix("localhost/"): return .init(type: "Localhost", localhostProfile: String(value.dropFirst("localhost/".count)))
        default: return nil
        }
    }

    /// The CRI `apparmor` field and the deprecated `apparmor_profile` string older runtimes read;
    /// nil for an unknown type.
    var cri: (profile: Runtime_V1_SecurityProfile, legacy: String)? {
        switch type {
        case "RuntimeDefault": return (.with { $0.profileType = .runtimeDefault }, "runtime/default")
        case "Unconfined": return (.with { $0.profileType = .unconfined }, "unconfined")
        case "Localhost":
            let name = localhostProfile ?? ""
            return (.with { $0.profileType = .localhost; $0.localhostRef = name }, "localhost/" + name)
        default: return nil
        }
    }
}
