import Foundation

/// Removes a pod's cgroup directories once its containers are gone (the runtime removes its own
/// groups beneath). Works on cgroup v1 hierarchies and the unified one.
enum CgroupCleaner {
    static func removePodCgroups(root: String, uid: String) {
        let fm = FileManager.default
        var bases = ["/sys/fs/cgroup"]
        for entry in (try? fm.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            bases.append("/sys/fs/cgroup/" + entry)
        }
        for base in bases {
            for qos in ["", "/burstable", "/besteffort"] {
                let dir = "\(base)\(root)\(qos)/pod\(uid)"
                guard fm.fileExists(atPath: dir) else { continue }
                removeTree(dir)
            }
        }
    }

    /// rmdir children first: cgroup directories cannot be removed recursively.
    private static func removeTree(_ dir: String) {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
            var isDir: ObjCBool = false
            let p = dir + "/" + entry
            if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { removeTree(p) }
        }
        rmdir(dir)
    }
}
