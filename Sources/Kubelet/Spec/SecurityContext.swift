import KubeAPI

/// The container security settings the runtime is asked to apply.
public struct SecurityContext: Sendable, Equatable {
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var privileged: Bool
    public var readOnlyRootFilesystem: Bool
    public var allowPrivilegeEscalation: Bool?
    public var capabilitiesAdd: [String]
    public var capabilitiesDrop: [String]
    /// `seccompProfile.type` (RuntimeDefault, Unconfined, Localhost) and `localhostProfile`.
    public var seccompProfileType: String?
    public var seccompLocalhostProfile: String?
    /// `appArmorProfile`: nil when the container does not set one.
    public var appArmorProfile: AppArmorProfileMapping?

    init?(json: JSON) {
        guard json.object != nil else { return nil }
        runAsUser = json.int("runAsUser")
        runAsGroup = json.int("runAsGroup")
        runAsNonRoot = json["runAsNonRoot"]?.bool
        privileged = json.bool("privileged")
        readOnlyRootFilesystem = json.bool("readOnlyRootFilesystem")
        allowPrivilegeEscalation = json["allowPrivilegeEscalation"]?.bool
        capabilitiesAdd = (json["capabilities"] ?? [:]).strings("add")
        capabilitiesDrop = (json["capabilities"] ?? [:]).strings("drop")
        seccompProfileType = json[path: ["seccompProfile", "type"]]?.string
        seccompLocalhostProfile = json[path: ["seccompProfile", "localhostProfile"]]?.string
        appArmorProfile = AppArmorProfileMapping(json: json["appArmorProfile"])
    }
}
