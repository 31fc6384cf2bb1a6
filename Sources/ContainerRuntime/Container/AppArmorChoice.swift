import CRI

/// Which AppArmor profile a container runs under, decided as containerd 1.6 does
/// (`generateApparmorSpecOpts`): on a host without AppArmor only an absent or Unconfined profile
/// is accepted; with AppArmor, absent means the runtime's default (none when privileged) and a
/// Localhost profile must already be loaded. Pure: the host's state is passed in.
enum AppArmorChoice: Sendable, Equatable {
    /// No `process.apparmorProfile`.
    case unconfined
    /// Our default profile (`AppArmorHost.defaultProfileName`), loaded on first use.
    case runtimeDefault
    /// A profile loaded on the host, by name.
    case localhost(String)

    /// The profile the config asks for: the `apparmor` field, else the deprecated
    /// `apparmor_profile` string (`runtime/default`, `unconfined`, `localhost/<name>`); nil
    /// when neither is set.
    static func requested(_ security: Runtime_V1_LinuxContainerSecurityContext) throws -> Runtime_V1_SecurityProfile? {
        if security.hasApparmor { return security.apparmor }
        let legacy = security.apparmorProfile
        switch legacy {
        case "": return nil
        case "runtime/default", "docker/default": return .with { $0.profileType = .runtimeDefault }
        case "unconfined": return .with { $0.profileType = .unconfined }
        default:
            guard legacy.hasPrefix(localhostPrefix) else { throw RuntimeError.invalidArgument("invalid apparmor profile \"\(legacy)\"") }
            return .with {
                $0.profileType = .localhost
                $0.localhostRef = String(legacy.dropFirst(localhostPrefix.count))
            }
        }
    }

    static let localhostPrefix = "localhost/"

    static func decide(_ profile: Runtime_V1_SecurityProfile?, privileged: Bool, enabled: Bool,
                       isLoaded: (String) -> Bool) throws -> AppArmorChoice {
        guard enabled else {
            // Fail loudly rather than run a container without the confinement it asked for.
            if let profile, profile.profileType != .unconfined {
                throw RuntimeError.invalidArgument("apparmor is not supported")
            }
            return .unconfined
        }
        let profile = profile ?? .with { $0.profileType = .runtimeDefault }
        if profile.profileType != .localhost, !profile.localhostRef.isEmpty {
            throw RuntimeError.invalidArgument("apparmor config invalid LocalhostRef must only be set if ProfileType is Localhost")
        }
        switch profile.profileType {
        case .unconfined: return .unconfined
        case .runtimeDefault: return privileged ? .unconfined : .runtimeDefault
        case .localhost:
            let name = profile.localhostRef.hasPrefix(localhostPrefix)
                ? String(profile.localhostRef.dropFirst(localhostPrefix.count)) : profile.localhostRef
            guard !name.isEmpty else { throw RuntimeError.invalidArgument("apparmor: a Localhost profile needs localhost_ref") }
            guard isLoaded(name) else { throw RuntimeError.invalidArgument("apparmor profile not found \(name)") }
            return .localhost(name)
        case .UNRECOGNIZED(let value): throw RuntimeError.invalidArgument("apparmor unknown ProfileType \(value)")
        }
    }
}
