import Foundation
import KubeAPI

/// Writes a volume's files the way the kubelet's atomic writer does, so a container never sees a
/// half-updated set: the files go into a fresh `..<timestamp>` directory, the `..data` symlink is
/// swapped to it with one rename, and each visible name is a symlink through `..data`.
struct AtomicWriter {
    let directory: String

    /// Writes `files` unless they are already what the volume holds; returns whether it wrote.
    @discardableResult
    func write(_ files: [String: VolumeFiles.File]) throws -> Bool {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dataLink = directory + "/..data"
        if let current = try? fm.destinationOfSymbolicLink(atPath: dataLink), matches(directory + "/" + current, files) {
            return false
        }
        let stamp = "..\(Timestamp.string(Date()).replacingOccurrences(of: ":", with: "_")).\(UInt32.random(in: 0...UInt32.max))"
        let target = directory + "/" + stamp
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        for (path, file) in files {
            let full = target + "/" + path
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard fm.createFile(atPath: full, contents: Data(file.data), attributes: [.posixPermissions: Int(file.mode)]) else {
                throw VolumeError(message: "cannot write \(full)")
            }
        }
        let old = try? fm.destinationOfSymbolicLink(atPath: dataLink)
        let tmpLink = directory + "/..data_tmp"
        try? fm.removeItem(atPath: tmpLink)
        try fm.createSymbolicLink(atPath: tmpLink, withDestinationPath: stamp)
        guard rename(tmpLink, dataLink) == 0 else { throw VolumeError(message: "cannot swap \(dataLink)") }
        // The visible names: one symlink per top-level entry, through ..data.
        let top = Set(files.keys.map { String($0.split(separator: "/").first ?? "") })
        for name in top where !name.isEmpty {
            let link = directory + "/" + name
            if (try? fm.destinationOfSymbolicLink(atPath: link)) != "..data/" + name {
                try? fm.removeItem(atPath: link)
                try fm.createSymbolicLink(atPath: link, withDestinationPath: "..data/" + name)
            }
        }
        for entry in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where !entry.hasPrefix("..") && !top.contains(entry) {
            try? fm.removeItem(atPath: directory + "/" + entry)
        }
        if let old, old != stamp { try? fm.removeItem(atPath: directory + "/" + old) }
        return true
    }

    private func matches(_ dir: String, _ files: [String: VolumeFiles.File]) -> Bool {
        let fm = FileManager.default
        guard let existing = fm.enumerator(atPath: dir)?.compactMap({ $0 as? String }) else { return false }
        let regular = existing.filter { !isDirectory(dir + "/" + $0) }
        guard Set(regular) == Set(files.keys) else { return false }
        for (path, file) in files {
            guard let data = fm.contents(atPath: dir + "/" + path), Array(data) == file.data,
                  let mode = (try? fm.attributesOfItem(atPath: dir + "/" + path))?[.posixPermissions] as? Int,
                  mode == Int(file.mode) else { return false }
        }
        return true
    }

    private func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }
}
