/// A layer whose uncompressed content does not hash to the diff ID its image config declares:
/// the image is refused (containerd: "wrong diff id calculated on extraction").
struct DiffIDMismatch: Equatable {
    var layer: String
    var expected: String
    var computed: String

    /// Nil when the digests agree.
    init?(layer: String, expected: String, computed: String) {
        guard expected != computed else { return nil }
        self.layer = layer
        self.expected = expected
        self.computed = computed
    }

    var message: String {
        "layer \(layer): uncompressed content has diff ID \(computed), but the image config's rootfs.diff_ids says \(expected)"
    }

    var error: RuntimeError { .io(message) }
}
