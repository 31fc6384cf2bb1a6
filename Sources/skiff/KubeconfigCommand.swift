import APIServer
import ArgumentParser
import Foundation

/// `skiff kubeconfig --user jane --group dev`: a client certificate for a new user, signed by the
/// cluster CA, and a kubeconfig that uses it. What the user may do is up to RBAC bindings.
struct KubeconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeconfig", abstract: "Issue a client certificate and kubeconfig for a user.")

    @Option(help: "The server's data directory (holds the cluster CA).") var dataDir = "/var/lib/skiff"
    @Option(help: "The user name (the certificate's CN).") var user: String
    @Option(name: .customLong("group"), help: "A group (the certificate's O); repeat for several.") var groups: [String] = []
    @Option(help: "The API server URL the kubeconfig points at.") var server = "https://127.0.0.1:6443"
    @Option(help: "Days the certificate is valid.") var days = 365
    @Option(name: .shortAndLong, help: "Write the kubeconfig here instead of standard output.") var output: String?

    func run() throws {
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        let issued = try ClientCertificates.issue(dir: dataDir, user: user, groups: groups, validFor: days)
        let ca = try String(contentsOfFile: dataDir + "/pki/ca.crt", encoding: .utf8)
        let text = ClientCertificates.kubeconfig(server: server, caPEM: ca, user: user,
                                                 certificatePEM: issued.certificatePEM, keyPEM: issued.keyPEM)
        if let output {
            FileManager.default.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
