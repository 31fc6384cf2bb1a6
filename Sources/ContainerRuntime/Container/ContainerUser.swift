/// Resolves who a container runs as: CRI's run_as_user/run_as_group override the image's
/// `User` (`name`, `uid`, `name:group` or `uid:gid`), names looked up in the rootfs' passwd/group.
struct ContainerUser: Equatable, Sendable {
    var uid: UInt32
    var gid: UInt32
    var additionalGids: [UInt32]

    static func resolve(imageUser: String?, runAsUser: Int64?, runAsGroup: Int64?, runAsUsername: String?,
                        supplementalGroups: [Int64], passwd: String, group: String) throws -> ContainerUser {
        let users = parse(passwd)
        let groups = parse(group)
        var uid: UInt32 = 0, gid: UInt32?
        let spec = runAsUsername.flatMap { $0.isEmpty ? nil : $0 } ?? imageUser ?? ""
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        if let name = parts.first, !name.isEmpty {
            if let numeric = UInt32(name) {
                uid = numeric
                gid = users.first { $0.count > 2 && $0[2] == name }.flatMap { UInt32($0[3]) }
            } else if let entry = users.first(where: { $0.first == name }), entry.count > 3,
                      let entryUID = UInt32(entry[2]), let entryGID = UInt32(entry[3]) {
                uid = entryUID
                gid = entryGID
            } else {
                throw RuntimeError.invalidArgument("user \(name) not found in the image's /etc/passwd")
            }
        }
        if parts.count == 2 {
            if let numeric = UInt32(parts[1]) { gid = numeric } else if let entry = groups.first(where: { $0.first == parts[1] }),
                entry.count > 2, let entryGID = UInt32(entry[2]) { gid = entryGID } else {
                throw RuntimeError.invalidArgument("group \(parts[1]) not found in the image's /etc/group")
            }
        }
        if let runAsUser {
            uid = UInt32(clamping: runAsUser)
            if parts.count < 2 { gid = users.first { $0.count > 3 && $0[2] == String(uid) }.flatMap { UInt32($0[3]) } }
        }
        if let runAsGroup { gid = UInt32(clamping: runAsGroup) }
        return ContainerUser(uid: uid, gid: gid ?? 0, additionalGids: supplementalGroups.map { UInt32(clamping: $0) })
    }

    private static func parse(_ file: String) -> [[String]] {
        file.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }
}
