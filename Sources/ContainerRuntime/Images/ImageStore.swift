import Foundation

/// The image records, persisted as one JSON file, with CRI's ways of naming an image:
/// its ID (or an unambiguous ID prefix), a tag, or a digest reference.
actor ImageStore {
    private let file: String
    private var images: [String: ImageRecord] = [:]
    private var loadedAt: Date?

    init(file: String) throws {
        self.file = file
        images = try ImageStore.load(file)
        loadedAt = Files.modificationTime(file)
    }

    /// Another process (`skiff images import`) may have written the file since it was read.
    private func refresh() {
        let modified = Files.modificationTime(file)
        guard modified != loadedAt, let reloaded = try? ImageStore.load(file) else { return }
        images = reloaded
        loadedAt = modified
    }

    private static func load(_ file: String) throws -> [String: ImageRecord] {
        guard let data = Files.read(file) else { return [:] }
        let list = try JSONDecoder().decode([ImageRecord].self, from: data)
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    }

    func all() -> [ImageRecord] {
        refresh()
        return images.values.sorted { $0.id < $1.id }
    }

    func find(_ name: String) -> ImageRecord? {
        refresh()
        if let exact = images[name] { return exact }
        if let hex = ImageStore.hexID(name) {
            let matches = images.values.filter { $0.id.dropFirst("sha256:".count).hasPrefix(hex) }
            if matches.count == 1 { return matches[0] }
        }
        guard let reference = try? ImageReference(parsing: name) else { return nil }
        if let digest = reference.digest {
            let key = "\(reference.name)@\(digest)"
            return images.values.first { $0.repoDigests.contains(key) }
        }
        let tag = reference.description
        return images.values.first { $0.repoTags.contains(tag) }
    }

    /// Adds or merges an image; a tag moves from whichever image held it before.
    func add(_ record: ImageRecord) throws {
        refresh()
        for tag in record.repoTags {
            for (id, var other) in images where id != record.id && other.repoTags.contains(tag) {
                other.repoTags.removeAll { $0 == tag }
                images[id] = other
            }
        }
        var merged = images[record.id] ?? record
        merged.repoTags = Array(Set(merged.repoTags + record.repoTags)).sorted()
        merged.repoDigests = Array(Set(merged.repoDigests + record.repoDigests)).sorted()
        images[record.id] = merged
        try save()
    }

    func remove(id: String) throws {
        refresh()
        images[id] = nil
        try save()
    }

    /// Layers still needed by some image.
    func layersInUse() -> Set<String> { Set(images.values.flatMap(\.layers)) }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Files.writeAtomically(try encoder.encode(images.values.sorted { $0.id < $1.id }), to: file)
        loadedAt = Files.modificationTime(file)
    }

    /// `sha256:HEX…` or bare hex of at least 12 characters.
    static func hexID(_ name: String) -> String? {
        let hex = name.hasPrefix("sha256:") ? String(name.dropFirst(7)) : name
        guard hex.count >= 12, hex.count <= 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return hex
    }
}
