import Foundation

/// The host's AppArmor, as containerd probes it: enabled only when securityfs shows it, the
/// parser is installed, the module says `Y`, and we are not inside a container. Loads our
/// default profile the first time a container needs it.
struct AppArmorHost: Sendable {
    static let defaultProfileName = "skiff-default"

    var enabled: Bool

    static func probe() -> AppArmorHost {
        let parameter = Files.read("/sys/module/apparmor/parameters/enabled").map { String(decoding: $0, as: UTF8.self) } ?? ""
        return AppArmorHost(enabled: Files.exists("/sys/kernel/security/apparmor") && Files.exists("/sbin/apparmor_parser")
            && ProcessInfo.processInfo.environment["container"] == nil && parameter.hasPrefix("Y"))
    }

    /// Whether `name` is loaded (`/sys/kernel/security/apparmor/profiles` lists `name (mode)`).
    func isLoaded(_ name: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: "/sys/kernel/security/apparmor/profiles"),
              let data = try? handle.readToEnd() else { return false }
        try? handle.close()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix(name + " (") }
    }

    /// The profile name for the spec, loading our default profile when it is not yet loaded.
    func profileName(_ choice: AppArmorChoice, scratch: String) async throws -> String? {
        switch choice {
        case .unconfined: return nil
        case .localhost(let name): return name
        case .runtimeDefault:
            let name = AppArmorHost.defaultProfileName
            if !isLoaded(name) {
                let file = scratch + "/\(name).apparmor"
                try Data(AppArmorHost.defaultProfile.utf8).write(to: URL(fileURLWithPath: file))
                defer { unlink(file) }
                try await Command("/sbin/apparmor_parser", ["-Kr", file]).check()
            }
            return name
        }
    }

    /// Everything a container normally does, minus mounting, the kernel's own control files
    /// and tracing processes outside the profile.
    static let defaultProfile = """
        #include <tunables/global>
        profile \(defaultProfileName) flags=(attach_disconnected,mediate_deleted) {
          #include <abstractions/base>
          network,
          capability,
          file,
          umount,
          signal (receive) peer=unconfined,
          signal (send,receive) peer=\(defaultProfileName),
          ptrace (trace,read,tracedby,readby) peer=\(defaultProfileName),
          deny mount,
          deny @{PROC}/sysrq-trigger rwklx,
          deny @{PROC}/kcore rwklx,
          deny /sys/firmware/** rwklx,
          deny /sys/kernel/security/** rwklx,
        }

        """
}
