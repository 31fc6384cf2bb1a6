import Foundation

/// runc's own log (`--log FILE --log-format json`): one JSON object a line. Kept apart from the
/// command's stderr, it tells runc's failures (exit 255) from a command that exits 255 itself.
enum RuncLog {
    private struct Entry: Decodable {
        var level: String?
        var msg: String?
    }

    /// The last error runc logged, if any.
    static func lastError(_ data: Data) -> String? {
        String(decoding: data, as: UTF8.self).split(separator: "\n").reversed().lazy
            .compactMap { try? JSONDecoder().decode(Entry.self, from: Data($0.utf8)) }
            .first { $0.level == "error" || $0.level == "fatal" }?.msg
    }
}
