extension Quantity {
    /// Parses the Kubernetes quantity grammar: `[+-]digits[.digits][suffix]`, where the suffix is
    /// a binary SI (Ki..Ei), decimal SI (n u m k M G T P E) or exponent (e3, E-6) suffix.
    public init(parsing text: String) throws(QuantityError) {
        guard !text.isEmpty else { throw .formatWrong }
        let parts = try Self.split(Array(text.utf8))
        let (base, exponent, suffixFormat) = try Self.interpret(parts.suffix)
        // Trailing fraction zeros change nothing but would eat digits of precision.
        var denom = parts.denom
        while denom.last == UInt8(ascii: "0") { denom.removeLast() }
        let digits = parts.num + denom
        guard digits.count <= 38, var magnitude = Int128(String(decoding: digits, as: UTF8.self)) else {
            throw .numeric
        }
        var format = suffixFormat
        if base == 10 {
            let shift = exponent - denom.count + 9
            magnitude = try Self.shift(magnitude, decimalPlaces: shift)
        } else {
            let scaled = magnitude.multipliedReportingOverflow(by: Int128(1) << exponent)
            let nanos = scaled.overflow ? nil : scaled.partialValue.multipliedReportingOverflow(by: Self.nanosPerUnit)
            if let nanos, !nanos.overflow {
                magnitude = try Self.shift(nanos.partialValue, decimalPlaces: -denom.count)
            } else {
                magnitude = Self.binaryCap
            }
            // Binary quantities are capped at the largest int64, as Kubernetes does.
            magnitude = min(magnitude, Self.binaryCap)
            if magnitude > 0 && magnitude < Self.nanosPerUnit { format = .decimalSI }
        }
        self.init(nanos: parts.positive ? magnitude : -magnitude, format: format)
        if Self.keepsText(parts, base: base, exponent: exponent) { preserved = text }
    }

    private static let binaryCap = Int128(Int64.max) * nanosPerUnit

    struct Parts {
        var positive = true
        var num: [UInt8] = []
        var denom: [UInt8] = []
        var suffix: [UInt8] = []
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Splits sign, integer digits (leading zeros dropped), fraction digits and suffix, rejecting
    /// text that does not fit the documented regular expression.
    static func split(_ s: [UInt8]) throws(QuantityError) -> Parts {
        var p = Parts()
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            p.positive = s[i] == UInt8(ascii: "+")
            i += 1
        }
        while i < s.count, s[i] == UInt8(ascii: "0") { i += 1 }
        while i < s.count, isDigit(s[i]) { p.num.append(s[i]); i += 1 }
        if p.num.isEmpty { p.num = [UInt8(ascii: "0")] }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(s[i]) { p.denom.append(s[i]); i += 1 }
        }
        let suffixStart = i
        let letters = Set("eEinumkKMGTP".utf8)
        while i < s.count, letters.contains(s[i]) { i += 1 }
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        while i < s.count, isDigit(s[i]) { i += 1 }
        guard i == s.count else { throw .formatWrong }
        p.suffix = Array(s[suffixStart...])
        return p
    }

    private static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [String: Int] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]

    static func interpret(_ suffix: [UInt8]) throws(QuantityError) -> (base: Int, exponent: Int, Format) {
        let s = String(decoding: suffix, as: UTF8.self)
        if let e = decimalSuffixes[s] { return (10, e, .decimalSI) }
        if let e = binarySuffixes[s] { return (2, e, .binarySI) }
        if s.count > 1, s.first == "e" || s.first == "E", let e = Int(s.dropFirst()) {
            return (10, e, .decimalExponent)
        }
        throw .suffix
    }

    /// Multiplies a magnitude by 10^places; negative places divide, rounding up to keep a
    /// non-zero request non-zero (Kubernetes rounds up to 1n).
    private static func shift(_ m: Int128, decimalPlaces places: Int) throws(QuantityError) -> Int128 {
        if m == 0 { return 0 }
        if places >= 0 {
            guard places <= 38 else { throw .numeric }
            let r = m.multipliedReportingOverflow(by: power10(places))
            guard !r.overflow else { throw .numeric }
            return r.partialValue
        }
        if -places > 38 { return 1 }
        return divideRoundingUp(m, by: power10(-places))
    }

    static func power10(_ n: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<n { r *= 10 }
        return r
    }

    /// Kubernetes keeps the user's text when it parsed on its int64 fast path and was already
    /// short: a decimal mantissa with no trailing "000" nor leading "0" at a scale that is a
    /// multiple of 3, or a binary mantissa not divisible by 8.
    private static func keepsText(_ p: Parts, base: Int, exponent: Int) -> Bool {
        let digits = p.num.count + p.denom.count
        if base == 2 {
            guard p.denom.isEmpty else { return false }
            let precision = 15 - p.num.count - Int(Float(exponent) * 3 / 10) - 1
            guard precision >= 0, let v = Int64(String(decoding: p.num, as: UTF8.self)) else { return false }
            let (_, overflow) = v.multipliedReportingOverflow(by: Int64(1) << exponent)
            return !overflow && v & 7 != 0
        }
        let scale = exponent - p.denom.count
        guard 18 - digits >= 0, scale >= -9 else { return false }
        let shifted = p.num + p.denom
        let zeros = [UInt8](repeating: UInt8(ascii: "0"), count: 3)
        return scale % 3 == 0 && !shifted.ends(with: zeros) && shifted.first != UInt8(ascii: "0")
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with tail: [UInt8]) -> Bool {
        count >= tail.count && Array(self[(count - tail.count)...]) == tail
    }
}
