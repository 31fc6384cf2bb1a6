/// A Kubernetes resource quantity ("500m", "1Gi", "1e3").
///
/// The amount is held exactly as a count of nano-units in an `Int128`: Kubernetes rounds every
/// parsed value up to 1n, so nanos lose nothing, and 128 bits cover any quantity users write
/// (up to about 1.7e29). The format remembers which suffix family the user chose, because the
/// canonical string is written back in that family.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Format: Sendable, Hashable {
        /// Ki, Mi, Gi, ... (powers of 1024).
        case binarySI
        /// n, u, m, "", k, M, G, ... (powers of 1000).
        case decimalSI
        /// 1e3, 5E-6, ...
        case decimalExponent
    }

    static let nanosPerUnit: Int128 = 1_000_000_000

    /// The amount in units of 10^-9.
    public private(set) var nanos: Int128
    public private(set) var format: Format
    /// Kubernetes serializes a parsed quantity back as the user wrote it when that text was
    /// already in a short form ("100M", "1E3"); only such text is kept here.
    var preserved: String?

    public init(nanos: Int128, format: Format = .decimalSI) {
        self.nanos = nanos
        self.format = format
        self.preserved = nil
    }

    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(nanos: Int128(value) * Self.nanosPerUnit, format: format)
    }

    public init(milli: Int64, format: Format = .decimalSI) {
        self.init(nanos: Int128(milli) * 1_000_000, format: format)
    }

    public static let zero = Quantity(0)

    public var isZero: Bool { nanos == 0 }
    public var sign: Int { nanos == 0 ? 0 : (nanos < 0 ? -1 : 1) }

    /// The value in whole units, rounded away from zero (Kubernetes `Value()`).
    public var value: Int64 { Self.clamp(Self.divideRoundingUp(nanos, by: Self.nanosPerUnit)) }

    /// The value in thousandths, rounded away from zero (Kubernetes `MilliValue()`).
    public var milliValue: Int64 { Self.clamp(Self.divideRoundingUp(nanos, by: 1_000_000)) }

    public var description: String { string }

    public static func == (a: Quantity, b: Quantity) -> Bool { a.nanos == b.nanos }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanos) }
    public static func < (a: Quantity, b: Quantity) -> Bool { a.nanos < b.nanos }

    /// Sums take the format of the left side, unless it is zero (as Kubernetes' `Add` does).
    public static func + (a: Quantity, b: Quantity) -> Quantity {
        Quantity(nanos: a.nanos + b.nanos, format: a.isZero ? b.format : a.format)
    }

    public static func - (a: Quantity, b: Quantity) -> Quantity {
        Quantity(nanos: a.nanos - b.nanos, format: a.isZero ? b.format : a.format)
    }

    public static prefix func - (a: Quantity) -> Quantity {
        Quantity(nanos: -a.nanos, format: a.format)
    }

    public static func += (a: inout Quantity, b: Quantity) { a = a + b }
    public static func -= (a: inout Quantity, b: Quantity) { a = a - b }

    /// Division of magnitudes rounding away from zero, like inf.RoundUp.
    static func divideRoundingUp(_ n: Int128, by d: Int128) -> Int128 {
        let (q, r) = n.quotientAndRemainder(dividingBy: d)
        if r == 0 { return q }
        return n < 0 ? q - 1 : q + 1
    }

    private static func clamp(_ v: Int128) -> Int64 {
        v > Int128(Int64.max) ? .max : (v < Int128(Int64.min) ? .min : Int64(v))
    }
}
