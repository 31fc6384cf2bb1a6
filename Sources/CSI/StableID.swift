/// Stable, path-safe identifiers from names and paths (FNV-1a, 64 bits): the same CreateVolume
/// name always maps to the same directory, so a retry after a crash finds what the first try made;
/// the kubelet names staging directories and inline volume handles the same way.
public enum StableID {
    public static func hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
