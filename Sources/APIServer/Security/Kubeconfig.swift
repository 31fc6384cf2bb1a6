import Foundation

/// A kubeconfig with one cluster (the cluster CA inline), one user and one context.
enum Kubeconfig {
    /// `credentials` are the user's lines, e.g. `token: T` or `client-certificate-data: …`.
    static func text(server: String, caPEM: String, user: String, context: String, credentials: [String]) -> String {
        let ca = Data(caPEM.utf8).base64EncodedString()
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: skiff
          cluster:
            server: \(server)
            certificate-authority-data: \(ca)
        users:
        - name: \(user)
          user:
        \(credentials.map { "    " + $0 }.joined(separator: "\n"))
        contexts:
        - name: \(context)
          context:
            cluster: skiff
            user: \(user)
        current-context: \(context)

        """
    }
}
