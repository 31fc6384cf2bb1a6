/// OCI layer whiteouts: `.wh.NAME` deletes NAME from lower layers; `.wh..wh..opq` hides every
/// lower entry of its directory. On overlayfs they become a 0/0 character device and the
/// `trusted.overlay.opaque` xattr.
enum Whiteout: Equatable {
    static let prefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    case none
    case opaque
    case remove(String)

    init(fileName: String) {
        if fileName == Whiteout.opaqueMarker {
            self = .opaque
        } else if fileName.hasPrefix(Whiteout.prefix), fileName.count > Whiteout.prefix.count {
            self = .remove(String(fileName.dropFirst(Whiteout.prefix.count)))
        } else {
            self = .none
        }
    }
}
