@testable import ContainerRuntime
import CRI
import Testing

@Suite struct ContainerPhaseTests {
    static func exit(_ code: Int32, oom: Bool = false) -> ContainerExit { ContainerExit(code: code, finishedAt: 1, oomKilled: oom) }

    @Test(arguments: [
        (false, nil, nil, false, Runtime_V1_ContainerState.containerCreated, "", Int32(0)),
        (true, nil, nil, true, .containerRunning, "", 0),
        (true, exit(0), nil, false, .containerExited, "Completed", 0),
        (true, exit(3), nil, false, .containerExited, "Error", 3),
        (true, exit(137, oom: true), nil, false, .containerExited, "OOMKilled", 137),
        (true, exit(137), nil, false, .containerExited, "Error", 137),
        (true, nil, "exec: not found", false, .containerExited, "StartError", 128),
        (true, nil, nil, false, .containerUnknown, "Unknown", 0),
    ] as [(Bool, ContainerExit?, String?, Bool, Runtime_V1_ContainerState, String, Int32)])
    func derives(started: Bool, exit: ContainerExit?, startError: String?, alive: Bool,
                 state: Runtime_V1_ContainerState, reason: String, code: Int32) {
        let phase = ContainerPhase.derive(started: started, exit: exit, startError: startError, processAlive: alive)
        #expect(phase == ContainerPhase(state: state, reason: reason, exitCode: code))
    }
}
