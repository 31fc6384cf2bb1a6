import CSI

/// Which volume capabilities a host-path volume can honour: filesystem access on one node, or
/// read-only from many; no raw block devices.
enum CapabilityCheck {
    static let supportedModes: Set<Csi_V1_VolumeCapability.AccessMode.Mode> = [
        .singleNodeWriter, .singleNodeReaderOnly, .singleNodeSingleWriter, .singleNodeMultiWriter, .multiNodeReaderOnly,
    ]

    /// Nil when supported, else why not.
    static func problem(_ c: Csi_V1_VolumeCapability) -> String? {
        if case .block = c.accessType { return "block access type is not supported" }
        guard c.hasAccessMode, c.accessMode.mode != .unknown else { return "access mode is required" }
        guard supportedModes.contains(c.accessMode.mode) else { return "access mode \(c.accessMode.mode) is not supported" }
        return nil
    }

    static func readOnlyMode(_ c: Csi_V1_VolumeCapability) -> Bool {
        c.accessMode.mode == .singleNodeReaderOnly || c.accessMode.mode == .multiNodeReaderOnly
    }
}
