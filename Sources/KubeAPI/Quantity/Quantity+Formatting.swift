extension Quantity {
    /// The text Kubernetes serializes: the user's own text when it was already short, else the
    /// canonical form.
    public var string: String { preserved ?? canonicalString }

    /// The canonical form: the smallest integer mantissa with a suffix of the quantity's format
    /// ("1000m" → "1", "0.5" → "500m", "1024Mi" → "1Gi", "1.5Gi" → "1536Mi").
    public var canonicalString: String {
        if nanos == 0 { return "0" }
        if format == .binarySI, nanos.magnitude >= 1024 * Self.nanosPerUnit.magnitude,
            nanos % Self.nanosPerUnit == 0
        {
            return binaryString(units: nanos / Self.nanosPerUnit)
        }
        // Binary quantities below 1024 or with a fraction are shown in decimal SI so that
        // nothing is rounded.
        return decimalString(format: format == .decimalExponent ? .decimalExponent : .decimalSI)
    }

    private static let binarySuffixByPower = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    private func binaryString(units: Int128) -> String {
        var m = units
        var power = 0
        while power < Self.binarySuffixByPower.count - 1, m.magnitude >= 1024, m % 1024 == 0 {
            m /= 1024
            power += 1
        }
        return String(m) + Self.binarySuffixByPower[power]
    }

    private static let decimalSuffixByExponent: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]

    private func decimalString(format: Format) -> String {
        var m = nanos
        var exponent = -9
        while m % 10 == 0 {
            m /= 10
            exponent += 1
        }
        // Suffixes step by 10^3, so the exponent goes down to a multiple of 3.
        while exponent % 3 != 0 {
            m *= 10
            exponent -= 1
        }
        if format == .decimalSI, let s = Self.decimalSuffixByExponent[exponent] {
            return String(m) + s
        }
        // Past "E" there is no SI suffix; Kubernetes falls back to an exponent.
        return String(m) + (exponent == 0 ? "" : "e\(exponent)")
    }
}
