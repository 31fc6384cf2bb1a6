import CRI

/// The files a pod's containers see as `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`.
enum PodFiles {
    static func hosts(hostname: String, ips: [String]) -> String {
        var lines = [
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "fe00::0\tip6-mcastprefix",
            "fe00::1\tip6-allnodes",
            "fe00::2\tip6-allrouters",
        ]
        lines += ips.map { "\($0)\t\(hostname)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// From the pod's DNS config; nil means "use the node's resolv.conf".
    static func resolvConf(_ dns: Runtime_V1_DNSConfig?) -> String? {
        guard let dns, !dns.servers.isEmpty || !dns.searches.isEmpty || !dns.options.isEmpty else { return nil }
        var lines: [String] = []
        if !dns.searches.isEmpty { lines.append("search " + dns.searches.joined(separator: " ")) }
        lines += dns.servers.map { "nameserver \($0)" }
        if !dns.options.isEmpty { lines.append("options " + dns.options.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The pod's hostname: the config's, else the pod name, as a kubelet would give it.
    static func hostname(_ config: Runtime_V1_PodSandboxConfig) -> String {
        config.hostname.isEmpty ? config.metadata.name : config.hostname
    }
}
