import Testing

/// The CRI conformance suite: every nested suite runs against each target in
/// `TestEnvironment.targets`, one test at a time, since they share one runtime and one registry.
@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct Conformance {}
