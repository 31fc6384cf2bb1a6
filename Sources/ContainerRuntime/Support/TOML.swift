/// The part of TOML that registry host files use: tables (`[a."b".c]`), dotted and quoted keys,
/// basic and literal strings, booleans, integers, arrays (over several lines too) and inline
/// tables. Everything else is refused with the file and line, never guessed at.
enum TOMLValue: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    case integer(Int64)
    case array([TOMLValue])
    case table(TOMLTable)

    var typeName: String {
        switch self {
        case .string: "string"
        case .bool: "boolean"
        case .integer: "integer"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A table, its keys in file order (hosts are tried in the order they are written).
struct TOMLTable: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var key: String
        var value: TOMLValue
        /// Where the key was written (or the table opened), for messages.
        var line: Int
    }

    var entries: [Entry] = []
    /// Defined by its own `[header]`, so a second header for it is a duplicate.
    var explicit = false

    subscript(key: String) -> TOMLValue? { entries.first { $0.key == key }?.value }

    func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }
}

struct TOMLError: Error, Equatable, CustomStringConvertible {
    var file: String
    var line: Int
    var message: String

    var description: String { "\(file):\(line): \(message)" }
}
