import Foundation
import KubeAPI

/// Materialises a pod's volumes under `<root>/pods/<uid>/volumes/<plugin>/<name>` and removes them
/// with the pod (the kubelet's volume manager for the in-tree kinds; claims and inline CSI
/// volumes are `CSIVolumeManager`'s).
public struct VolumeManager: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public func podDirectory(_ uid: String) -> String { "\(root)/pods/\(uid)" }

    /// Sets up every volume and answers the host path of each by name. Run on every sync: content
    /// volumes are rewritten (atomically) only when their objects changed.
    public func setUp(_ pod: PodSpecView, configMaps: [String: JSON], secrets: [String: JSON],
                      tokens: [String: String] = [:]) throws(VolumeError) -> [String: String] {
        var paths: [String: String] = [:]
        let contents = VolumeFiles(pod: pod, configMaps: configMaps, secrets: secrets, tokens: tokens)
        for volume in pod.volumes {
            do {
                switch volume.source {
                case .emptyDir(let medium, let sizeLimit):
                    let dir = path(pod, "kubernetes.io~empty-dir", volume.name)
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o777])
                    if medium == "Memory", !Self.isMountPoint(dir) {
                        var options = "mode=0777"
                        if let size = sizeLimit?.value, size > 0 { options += ",size=\(size)" }
                        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir])
                    }
                    paths[volume.name] = dir
                case .hostPath(let hostPath, let type):
                    try Self.checkHostPath(hostPath, type: type)
                    paths[volume.name] = hostPath
                case .persistentVolumeClaim:
                    continue
                case .other(let json) where json["csi"] != nil:
                    continue
                case .other(let json):
                    let kind = json.object?.keys.first { $0 != "name" } ?? "unknown"
                    throw VolumeError(message: "volume type \(kind) is not supported")
                default:
                    let plugin = switch volume.source {
                    case .configMap: "kubernetes.io~configmap"
                    case .secret: "kubernetes.io~secret"
                    case .downwardAPI: "kubernetes.io~downward-api"
                    default: "kubernetes.io~projected"
                    }
                    let dir = path(pod, plugin, volume.name)
                    if let files = try contents.files(for: volume.source) {
                        try AtomicWriter(directory: dir).write(files)
                    }
                    paths[volume.name] = dir
                }
            } catch let error as VolumeError {
                throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\" : \(error.message)")
            } catch {
                throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\" : \(error)")
            }
        }
        return paths
    }

    /// Unmounts and deletes everything the pod had on this node. A directory with anything still
    /// mounted under it (a CSI volume not yet unpublished) is left alone: removing it would
    /// delete the volume's data.
    @discardableResult
    public func tearDown(podUID: String) -> Bool {
        let dir = podDirectory(podUID)
        let emptyDirs = "\(dir)/volumes/kubernetes.io~empty-dir"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: emptyDirs)) ?? [] {
            let p = emptyDirs + "/" + name
            if Self.isMountPoint(p) { try? Self.run("/bin/umount", [p]) }
        }
        if Self.hasMounts(under: dir) { return false }
        try? FileManager.default.removeItem(atPath: dir)
        return true
    }

    static func hasMounts(under dir: String) -> Bool {
        guard let mounts = readProcMounts() else { return true }
        return mounts.split(separator: "\n").contains { line in
            line.split(separator: " ").dropFirst().first.map { $0 == dir || $0.hasPrefix(dir + "/") } ?? false
        }
    }

    /// UIDs of pods that still have a directory here (for cleaning up after restarts).
    public func podsOnDisk() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/pods")) ?? []
    }

    private func path(_ pod: PodSpecView, _ plugin: String, _ name: String) -> String {
        "\(podDirectory(pod.uid))/volumes/\(plugin)/\(name)"
    }

    static func checkHostPath(_ path: String, type: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDir)
        switch type {
        case "DirectoryOrCreate":
            if !exists { try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]) }
        case "Directory":
            guard exists && isDir.boolValue else { throw VolumeError(message: "hostPath type check failed: \(path) is not a directory") }
        case "FileOrCreate":
            if !exists { _ = fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) }
        case "File":
            guard exists && !isDir.boolValue else { throw VolumeError(message: "hostPath type check failed: \(path) is not a file") }
        default:
            break
        }
    }

    static func isMountPoint(_ path: String) -> Bool {
        guard let mounts = readProcMounts() else { return false }
        return mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first.map(String.init) == path }
    }

    /// /proc/self/mounts in full: `String(contentsOfFile:)` stops after procfs's first 4 KiB.
    static func readProcMounts() -> String? {
        guard let h = FileHandle(forReadingAtPath: "/proc/self/mounts") else { return nil }
        defer { try? h.close() }
        return (try? h.readToEnd()).map { String(decoding: $0 ?? Data(), as: UTF8.self) }
    }

    static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw VolumeError(message: "\(tool) \(args.joined(separator: " ")) failed") }
    }
}
