/// Parses the TOML subset of `TOMLValue` into a root table. Errors name the file and line.
struct TOMLParser {
    private let text: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1

    static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(text: Array(text.unicodeScalars), file: file)
        return try parser.document()
    }

    private init(text: [Unicode.Scalar], file: String) {
        self.text = text
        self.file = file
    }

    private mutating func document() throws(TOMLError) -> TOMLTable {
        var root = TOMLTable(explicit: true)
        var current: [String] = []
        while true {
            skipBlank(newlines: true)
            guard let c = peek else { return root }
            let start = line
            if c == "[" {
                if peek(1) == "[" { throw fail("arrays of tables ([[…]]) are not supported") }
                advance()
                skipBlank(newlines: false)
                let path = try key()
                skipBlank(newlines: false)
                try expect("]", "expected ] to close the table header")
                try TOMLParser.define(&root, path[...], line: start, file: file)
                current = path
            } else {
                let path = try key()
                skipBlank(newlines: false)
                try expect("=", "expected = after key \(path.joined(separator: "."))")
                skipBlank(newlines: false)
                let parsed = try value()
                try TOMLParser.insert(&root, (current + path)[...], parsed, line: start, file: file)
            }
            try endOfLine()
        }
    }

    // MARK: keys and values

    private mutating func key() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            guard let c = peek else { throw fail("expected a key") }
            if c == "\"" { parts.append(try basicString()) }
            else if c == "'" { parts.append(try literalString()) }
            else {
                var bare = ""
                while let c = peek, TOMLParser.isBare(c) { bare.unicodeScalars.append(c); advance() }
                guard !bare.isEmpty else { throw fail("expected a key, found \(describe(c))") }
                parts.append(bare)
            }
            skipBlank(newlines: false)
            guard peek == "." else { return parts }
            advance()
            skipBlank(newlines: false)
        }
    }

    private mutating func value() throws(TOMLError) -> TOMLValue {
        guard let c = peek else { throw fail("expected a value") }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" { throw fail("multi-line strings are not supported") }
            return .string(try basicString())
        case "'":
            if peek(1) == "'" && peek(2) == "'" { throw fail("multi-line strings are not supported") }
            return .string(try literalString())
        case "[": return try array()
        case "{": return try inlineTable()
        case "+", "-", "0"..."9": return try integer()
        case _ where TOMLParser.isBare(c):
            var word = ""
            while let c = peek, TOMLParser.isBare(c) { word.unicodeScalars.append(c); advance() }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw fail("expected a value, found \(word) (strings need quotes)")
            }
        default: throw fail("expected a value (string, boolean, integer, array or inline table), found \(describe(c))")
        }
    }

    private mutating func array() throws(TOMLError) -> TOMLValue {
        advance()
        var items: [TOMLValue] = []
        while true {
            skipBlank(newlines: true)
            if peek == "]" { advance(); return .array(items) }
            guard peek != nil else { throw fail("unterminated array") }
            items.append(try value())
            skipBlank(newlines: true)
            switch peek {
            case ",": advance()
            case "]": advance(); return .array(items)
            case nil: throw fail("unterminated array")
            case let c?: throw fail("expected , or ] in array, found \(describe(c))")
            }
        }
    }

    private mutating func inlineTable() throws(TOMLError) -> TOMLValue {
        advance()
        var table = TOMLTable(explicit: true)
        skipBlank(newlines: false)
        if peek == "}" { advance(); return .table(table) }
        while true {
            skipBlank(newlines: false)
            let start = line
            let path = try key()
            skipBlank(newlines: false)
            try expect("=", "expected = after key \(path.joined(separator: "."))")
            skipBlank(newlines: false)
            try TOMLParser.insert(&table, path[...], try value(), line: start, file: file)
            skipBlank(newlines: false)
            switch peek {
            case ",": advance()
            case "}": advance(); return .table(table)
            default: throw fail("expected , or } in inline table (inline tables stay on one line)")
            }
        }
    }

    private mutating func integer() throws(TOMLError) -> TOMLValue {
        var digits = ""
        if let sign = peek, sign == "+" || sign == "-" { digits.unicodeScalars.append(sign); advance() }
        while let c = peek, ("0"..."9").contains(c) || c == "_" {
            if c != "_" { digits.unicodeScalars.append(c) }
            advance()
        }
        if let c = peek, c == "." || c == "e" || c == "E" || c == ":" || c == "x" || c == "o" || c == "b" {
            throw fail("only decimal integers are supported (no floats, dates or other bases)")
        }
        guard let number = Int64(digits) else { throw fail("invalid integer \(digits)") }
        return .integer(number)
    }

    private mutating func basicString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while let c = peek {
            advance()
            switch c {
            case "\"": return result
            case "\n": throw fail("unterminated string", line: line - 1)
            case "\\":
                guard let e = peek else { break }
                advance()
                switch e {
                case "b": result.unicodeScalars.append("\u{8}")
                case "t": result.unicodeScalars.append("\t")
                case "n": result.unicodeScalars.append("\n")
                case "f": result.unicodeScalars.append("\u{c}")
                case "r": result.unicodeScalars.append("\r")
                case "\"": result.unicodeScalars.append("\"")
                case "\\": result.unicodeScalars.append("\\")
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count { if let h = peek { hex.unicodeScalars.append(h); advance() } }
                    guard hex.count == count, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw fail("invalid unicode escape \\\(e)\(hex)")
                    }
                    result.unicodeScalars.append(scalar)
                default: throw fail("invalid escape \\\(e) in string")
                }
            default: result.unicodeScalars.append(c)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func literalString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while let c = peek {
            advance()
            if c == "'" { return result }
            if c == "\n" { throw fail("unterminated string", line: line - 1) }
            result.unicodeScalars.append(c)
        }
        throw fail("unterminated string")
    }

    // MARK: building tables

    private static func insert(_ table: inout TOMLTable, _ path: ArraySlice<String>, _ value: TOMLValue,
                               line: Int, file: String) throws(TOMLError) {
        let name = path.first!
        let position = table.entries.firstIndex { $0.key == name }
        if path.count == 1 {
            if position != nil { throw TOMLError(file: file, line: line, message: "duplicate key \(name)") }
            table.entries.append(.init(key: name, value: value, line: line))
            return
        }
        var child = TOMLTable()
        if let position {
            guard case .table(let existing) = table.entries[position].value else {
                throw TOMLError(file: file, line: line, message: "key \(name) is a \(table.entries[position].value.typeName), not a table")
            }
            child = existing
        }
        try insert(&child, path.dropFirst(), value, line: line, file: file)
        if let position { table.entries[position].value = .table(child) }
        else { table.entries.append(.init(key: name, value: .table(child), line: line)) }
    }

    private static func define(_ table: inout TOMLTable, _ path: ArraySlice<String>, line: Int, file: String) throws(TOMLError) {
        let name = path.first!
        let position = table.entries.firstIndex { $0.key == name }
        var child = TOMLTable()
        if let position {
            guard case .table(let existing) = table.entries[position].value else {
                throw TOMLError(file: file, line: line, message: "key \(name) is a \(table.entries[position].value.typeName), not a table")
            }
            child = existing
        }
        if path.count == 1 {
            if child.explicit { throw TOMLError(file: file, line: line, message: "table \(name) is defined twice") }
            child.explicit = true
        } else {
            try define(&child, path.dropFirst(), line: line, file: file)
        }
        if let position { table.entries[position].value = .table(child) }
        else { table.entries.append(.init(key: name, value: .table(child), line: line)) }
    }

    // MARK: scanning

    private var peek: Unicode.Scalar? { index < text.count ? text[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < text.count ? text[index + offset] : nil }

    private mutating func advance() {
        if text[index] == "\n" { line += 1 }
        index += 1
    }

    /// Spaces, tabs and comments; newlines too when `newlines`.
    private mutating func skipBlank(newlines: Bool) {
        while let c = peek {
            if c == " " || c == "\t" || (c == "\r" && peek(1) == "\n") || (newlines && c == "\n") { advance() }
            else if c == "#" { while let c = peek, c != "\n" { _ = c; advance() } }
            else { return }
        }
    }

    private mutating func endOfLine() throws(TOMLError) {
        skipBlank(newlines: false)
        guard let c = peek else { return }
        guard c == "\n" else { throw fail("unexpected \(describe(c)) after the value (one key = value per line)") }
        advance()
    }

    private mutating func expect(_ c: Unicode.Scalar, _ message: String) throws(TOMLError) {
        guard peek == c else { throw fail(message + (peek.map { ", found \(describe($0))" } ?? ", found the end of the file")) }
        advance()
    }

    private func fail(_ message: String, line: Int? = nil) -> TOMLError {
        TOMLError(file: file, line: line ?? self.line, message: message)
    }

    private func describe(_ c: Unicode.Scalar) -> String { c == "\n" ? "the end of the line" : "'\(Character(c))'" }

    private static func isBare(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }
}
