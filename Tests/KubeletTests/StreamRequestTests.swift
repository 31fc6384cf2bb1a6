import Testing
@testable import Kubelet

struct StreamRequestTests {
    @Test func execQueryAsKubectlSendsIt() throws {
        let r = try #require(StreamRequest(target: "/exec/default/web/main?command=sh&command=-c&command=echo+hi%3B+exit+3&stdout=true&stderr=true&tty=false"))
        #expect(r.kind == .exec && r.namespace == "default" && r.pod == "web" && r.container == "main")
        #expect(r.command == ["sh", "-c", "echo hi; exit 3"])
        #expect(r.stdout && r.stderr && !r.stdin && !r.tty)
        #expect(r.exec(containerID: "c1").stderr)
    }

    @Test func ttyMergesStderr() throws {
        let r = try #require(StreamRequest(target: "/attach/ns/p/c?stdin=true&stdout=true&stderr=true&tty=true"))
        #expect(r.kind == .attach && !r.attach(containerID: "c").stderr)
    }

    @Test(arguments: ["/containerLogs/ns/p/c", "/exec/ns/p", "/portforward/ns/p/c"])
    func notAStream(target: String) { #expect(StreamRequest(target: target) == nil) }
}
