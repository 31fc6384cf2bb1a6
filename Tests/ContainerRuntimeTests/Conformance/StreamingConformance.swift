import CRI
import Foundation
import GRPCCore
import Testing

extension Conformance {
    /// Exec, Attach and PortForward URLs, driven by a WebSocket client of the channel protocols.
    /// containerd 1.6 speaks up to v4.channel.k8s.io; ours also v5 (which can half-close stdin).
    @Suite struct StreamingConformance {
        static func newest(_ target: CRITarget) -> String { target.isSkiff ? "v5.channel.k8s.io" : "v4.channel.k8s.io" }

        @Test(arguments: TestEnvironment.targets)
        func execReportsOutputAndExitCode(target: CRITarget) async throws {
            let pod = PodFixture(target, "stream-exec")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
                let command = ["sh", "-c", "echo out; echo err >&2; exit 3"]
                let url = try await runtime.exec(.with {
                    $0.containerID = id; $0.cmd = command; $0.stdout = true; $0.stderr = true
                }).url
                #expect(url.hasPrefix("http://127.0.0.1:"))
                #expect(url.contains("/exec/"))
                let reply = try await StreamClient.run(url, ["--protocol", StreamingConformance.newest(target)])
                #expect(reply.protocolName == StreamingConformance.newest(target))
                #expect(reply.stream(1) == "out\n")
                #expect(reply.stream(2) == "err\n")
                #expect(reply.exitStatus?["status"] as? String == "Failure")
                #expect(reply.exitStatus?["reason"] as? String == "NonZeroExitCode")
                #expect(reply.exitCodeCause == "3")
                #expect((reply.exitStatus?["message"] as? String)?.hasSuffix("exit code 3") == true)

                let ok = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["true"]; $0.stdout = true }).url
                let success = try await StreamClient.run(ok, ["--protocol", "v4.channel.k8s.io"])
                #expect(success.stream(3) == #"{"metadata":{},"status":"Success"}"#)
                // The first message opens the lowest writable stream, empty.
                #expect(success.frames?.first == [1, 0])

                // Single use: the same URL again is not found.
                let again = try await StreamClient.run(ok, ["--protocol", "v4.channel.k8s.io"])
                #expect(again.status == 404)
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func execStdin(target: CRITarget) async throws {
            let pod = PodFixture(target, "stream-stdin")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
                // v4 cannot end stdin: the command stops by itself after 5 bytes.
                let counted = try await runtime.exec(.with {
                    $0.containerID = id; $0.cmd = ["head", "-c", "5"]; $0.stdin = true; $0.stdout = true
                }).url
                let reply = try await StreamClient.run(counted, ["--protocol", "v4.channel.k8s.io", "--stdin", "hello world"])
                #expect(reply.stream(1) == "hello")
                #expect(reply.exitStatus?["status"] as? String == "Success")

                guard target.isSkiff else { return }
                let cat = try await runtime.exec(.with {
                    $0.containerID = id; $0.cmd = ["sh", "-c", "cat; echo done"]; $0.stdin = true; $0.stdout = true
                }).url
                let closed = try await StreamClient.run(cat, ["--protocol", "v5.channel.k8s.io", "--stdin", "ping\n", "--close-stdin"])
                #expect(closed.stream(1) == "ping\ndone\n")
                #expect(closed.exitStatus?["status"] as? String == "Success")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func execWithTerminal(target: CRITarget) async throws {
            let pod = PodFixture(target, "stream-tty")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
                let url = try await runtime.exec(.with {
                    $0.containerID = id; $0.cmd = ["sh", "-c", "sleep 1; tty; stty size; exit 2"]; $0.tty = true; $0.stdin = true; $0.stdout = true
                }).url
                let reply = try await StreamClient.run(url, ["--protocol", StreamingConformance.newest(target), "--resize", "100x30"])
                let output = reply.stream(1)
                #expect(output.contains("/dev/pts/"))
                #expect(output.contains("30 100"))
                // A terminal turns newlines into CR LF.
                #expect(output.contains("\r\n"))
                #expect(reply.exitCodeCause == "2")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func execRequestsAreValidated(target: CRITarget) async throws {
            let pod = PodFixture(target, "stream-validate")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
                let (both, _) = await rpcCode {
                    _ = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["ls"]; $0.tty = true; $0.stdout = true; $0.stderr = true })
                }
                #expect(both == .invalidArgument)
                let (none, _) = await rpcCode { _ = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["ls"] }) }
                #expect(none == .invalidArgument)
                let (missing, _) = await rpcCode { _ = try await runtime.exec(.with { $0.containerID = "nope"; $0.cmd = ["ls"]; $0.stdout = true }) }
                #expect(missing == .notFound)
                let done = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("done", ["true"]))
                _ = try await PodFixture.waitForExit(runtime, done)
                let (exited, _) = await rpcCode { _ = try await runtime.exec(.with { $0.containerID = done; $0.cmd = ["ls"]; $0.stdout = true }) }
                #expect(exited != nil)
                // Both runtimes: a command that cannot start is an internal error, not an exit code.
                let url = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["nope"]; $0.stdout = true; $0.stderr = true }).url
                let unknown = try await StreamClient.run(url, ["--protocol", "v4.channel.k8s.io"])
                #expect(unknown.exitStatus?["reason"] as? String == "InternalError")
                #expect((unknown.exitStatus?["message"] as? String)?.contains("executable file not found") == true)
                if target.isSkiff {
                    #expect(exited == .failedPrecondition)
                    let (empty, _) = await rpcCode { _ = try await runtime.exec(.with { $0.containerID = id; $0.stdout = true }) }
                    #expect(empty == .invalidArgument)
                    let spdy = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["true"]; $0.stdout = true }).url
                    let refused = try await StreamClient.run(spdy, ["--protocol", "SPDY/3.1"])
                    #expect(refused.status == 403)
                }
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func attachFollowsTheMainProcess(target: CRITarget) async throws {
            let pod = PodFixture(target, "stream-attach")
            try await pod.run { runtime, _, sandbox, config in
                let echo = pod.containerConfig("echo", ["sh", "-c", "while read line; do echo \"got $line\"; echo \"err $line\" >&2; done"]) {
                    $0.stdin = true
                }
                let id = try await PodFixture.start(runtime, sandbox, config, echo)
                let url = try await runtime.attach(.with { $0.containerID = id; $0.stdin = true; $0.stdout = true; $0.stderr = true }).url
                #expect(url.contains("/attach/"))
                let reply = try await StreamClient.run(url, ["--protocol", StreamingConformance.newest(target), "--stdin", "hi\n", "--close-after", "1.5"])
                #expect(reply.stream(1) == "got hi\n")
                #expect(reply.stream(2) == "err hi\n")
                // Detaching leaves the container running.
                #expect(try await PodFixture.status(runtime, id).state == .containerRunning)
            }
        }
    }
}

extension Conformance.StreamingConformance {
    @Test(arguments: TestEnvironment.targets)
    func portForwardReachesThePod(target: CRITarget) async throws {
        let pod = PodFixture(target, "stream-portforward")
        try await pod.run { runtime, _, sandbox, config in
            let web = pod.containerConfig("web", ["sh", "-c", "mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www"])
            _ = try await PodFixture.start(runtime, sandbox, config, web)
            let request = "GET /index.html HTTP/1.0\r\n\r\n"
            var reply = StreamClient.Reply()
            for _ in 0..<20 {
                let url = try await runtime.portForward(.with { $0.podSandboxID = sandbox; $0.port = [8080] }).url
                #expect(url.contains("/portforward/"))
                reply = try await StreamClient.run(url, ["--protocol", "v4.channel.k8s.io", "--portforward", "--send", "0:" + request])
                if reply.stream(0).contains("hello-pf") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(reply.protocolName == "v4.channel.k8s.io")
            #expect(reply.ports == ["0": 8080, "1": 8080])
            #expect(reply.stream(0).hasPrefix("HTTP/1."))
            #expect(reply.stream(0).contains("hello-pf"))

            // Nothing listens on 8081: its error stream says so, and the connection ends.
            let url = try await runtime.portForward(.with { $0.podSandboxID = sandbox; $0.port = [8081] }).url
            let refused = try await StreamClient.run(url, ["--protocol", "v4.channel.k8s.io", "--portforward"])
            #expect(refused.timeout == nil)
            #expect(refused.stream(1).contains("8081"))
            #expect(refused.stream(0).isEmpty)
        }
    }
}

extension Conformance.StreamingConformance {
    @Test(arguments: TestEnvironment.targets)
    func disconnectingKillsTheCommand(target: CRITarget) async throws {
        let pod = PodFixture(target, "stream-disconnect")
        try await pod.run { runtime, _, sandbox, config in
            let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
            let url = try await runtime.exec(.with { $0.containerID = id; $0.cmd = ["sleep", "999"]; $0.stdout = true }).url
            let reply = try await StreamClient.run(url, ["--protocol", Self.newest(target), "--close-after", "1"])
            #expect(reply.stream(3).isEmpty)
            // containerd 1.6 leaves the command running once the client is gone (the known
            // kubernetes/kubernetes#89031); ours kills it, so abandoned sessions leave nothing behind.
            guard target.isSkiff else { return }
            var left = ""
            for _ in 0..<50 {
                left = try await PodFixture.exec(runtime, id, ["sh", "-c", "ps -o args | grep '^sleep 999' || true"]).output
                if left.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(left.isEmpty)
        }
    }

    @Test(arguments: TestEnvironment.targets)
    func attachEndsWhenTheContainerExits(target: CRITarget) async throws {
        let pod = PodFixture(target, "stream-attach-exit")
        try await pod.run { runtime, _, sandbox, config in
            let once = pod.containerConfig("once", ["sh", "-c", "read line; echo \"bye $line\"; exit 4"]) { $0.stdin = true; $0.stdinOnce = true }
            let id = try await PodFixture.start(runtime, sandbox, config, once)
            let url = try await runtime.attach(.with { $0.containerID = id; $0.stdin = true; $0.stdout = true }).url
            let reply = try await StreamClient.run(url, ["--protocol", Self.newest(target), "--stdin", "now\n", "--timeout", "10"])
            #expect(reply.timeout == nil)
            #expect(reply.stream(1) == "bye now\n")
            #expect(reply.exitStatus?["status"] as? String == "Success")
            #expect(try await PodFixture.waitForExit(runtime, id).exitCode == 4)
        }
    }
}
