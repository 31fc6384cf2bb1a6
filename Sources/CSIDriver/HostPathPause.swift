/// Test only: a call the driver holds half-done for a while, so that a test can `kill -9` it
/// at a known point and check what a restart makes of it. CreateVolume stops after the data
/// directory is made and before its record; DeleteVolume after the volume went to the trash
/// and before the trash is emptied; NodeStageVolume and NodePublishVolume after the bind mount
/// and before the answer (the CO never hears that it worked and retries).
public enum HostPathPause: String, Sendable, CaseIterable {
    case createVolume = "CreateVolume"
    case deleteVolume = "DeleteVolume"
    case nodeStageVolume = "NodeStageVolume"
    case nodePublishVolume = "NodePublishVolume"

    /// Calls by their CSI names, comma-separated ("CreateVolume,NodePublishVolume"); a failure
    /// names the first word that is none.
    public static func parse(_ list: String) -> Result<Set<HostPathPause>, UnknownCall> {
        var out = Set<HostPathPause>()
        for word in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let p = HostPathPause(rawValue: word) else { return .failure(UnknownCall(name: word)) }
            out.insert(p)
        }
        return .success(out)
    }

    public struct UnknownCall: Error, CustomStringConvertible, Equatable {
        public var name: String
        public var description: String {
            "unknown call \(name) (one of \(HostPathPause.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
