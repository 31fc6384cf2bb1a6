import ArgumentParser
import Foundation
import KubeClient

/// How a node process reaches the API server: `skiff agent` and `skiff simulate`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "The API server, e.g. https://10.0.0.1:6443.") var server: String
    @Option(help: "The cluster's join token (data-dir/pki/join-token on the server: each node gets its own credentials), or a bearer token to use as is.")
    var token: String
    @Option(help: "CA certificate (PEM file) that signed the API server's certificate.") var caFile: String?
    @Flag(help: "Do not verify the API server's certificate.") var insecureSkipTLSVerify = false

    func clientConfiguration(userAgent: String) throws -> KubeClientConfiguration {
        var config = KubeClientConfiguration(
            server: server, token: token, caCertificatePEM: try caFile.map { try String(contentsOfFile: $0, encoding: .utf8) })
        config.insecureSkipTLSVerify = insecureSkipTLSVerify
        config.userAgent = userAgent
        return config
    }

    /// Where pods are told the API server is (KUBERNETES_SERVICE_HOST/PORT).
    var apiServerAddress: (host: String, port: Int)? {
        guard let url = URL(string: server), let host = url.host else { return nil }
        return (host, url.port ?? 443)
    }
}
