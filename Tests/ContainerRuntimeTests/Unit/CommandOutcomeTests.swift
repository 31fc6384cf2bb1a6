@testable import ContainerRuntime
import Foundation
import Testing

@Suite struct CommandOutcomeTests {
    private func json(_ outcome: CommandOutcome) throws -> [String: Any] {
        let payload = try #require(outcome.errorPayload(for: .v5))
        return try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
    }

    @Test func successIsABareStatus() throws {
        let payload = try #require(CommandOutcome.success.errorPayload(for: .v4))
        #expect(String(decoding: payload, as: UTF8.self) == #"{"metadata":{},"status":"Success"}"#)
    }

    @Test func nonZeroExitNamesTheCode() throws {
        let status = try json(.exited(code: 3, command: ["sh", "-c", "exit 3"]))
        #expect(status["status"] as? String == "Failure")
        #expect(status["reason"] as? String == "NonZeroExitCode")
        #expect(status["message"] as? String == "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")
        let causes = (status["details"] as? [String: Any])?["causes"] as? [[String: String]]
        #expect(causes == [["reason": "ExitCode", "message": "3"]])
        #expect(status["code"] == nil)
    }

    @Test func fieldsInTheKubeletsOrder() throws {
        let payload = try #require(CommandOutcome.exited(code: 137, command: ["sh", "-c", "kill -9 $$"]).errorPayload(for: .v4))
        #expect(String(decoding: payload, as: UTF8.self) == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c kill -9 $$], exit code 137","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"137"}]}}"#)
    }

    @Test func runcErrorsComeFromItsLog() {
        let log = #"""
        {"level":"warning","msg":"something minor","time":"2026-12-01T11:29:16Z"}
        {"level":"error","msg":"exec failed: exec: \"nope\": executable file not found in $PATH","time":"2026-12-01T11:29:16Z"}

        """#
        let message = RuncLog.lastError(Data(log.utf8))
        #expect(message == #"exec failed: exec: "nope": executable file not found in $PATH"#)
        #expect(RuncLog.lastError(Data(#"{"level":"info","msg":"fine"}"#.utf8)) == nil)
        #expect(RuncLog.lastError(Data()) == nil)
    }

    @Test func internalErrors() throws {
        let status = try json(.failed("boom"))
        #expect(status["reason"] as? String == "InternalError")
        #expect(status["code"] as? Int == 500)
        #expect(status["message"] as? String == "Internal error occurred: boom")
    }

    @Test func olderProtocolsGetText() {
        #expect(CommandOutcome.success.errorPayload(for: .v1) == nil)
        #expect(CommandOutcome.failed("boom").errorPayload(for: .unnamed).map { String(decoding: $0, as: UTF8.self) } == "Internal error occurred: boom")
    }
}
