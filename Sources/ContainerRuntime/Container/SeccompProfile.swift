import CRI
import Foundation

extension OCISpec {
    /// `linux.seccomp` of the OCI runtime spec. Decodes Docker-style profiles too (`archMap`,
    /// `name`), the format Kubernetes' Localhost profiles are usually written in.
    struct Seccomp: Codable, Sendable, Equatable {
        struct Arg: Codable, Sendable, Equatable {
            var index: UInt32
            var value: UInt64
            var valueTwo: UInt64?
            var op: String
        }

        struct Syscall: Codable, Sendable, Equatable {
            var names: [String]
            var action: String
            var errnoRet: UInt32?
            var args: [Arg]?

            init(names: [String], action: String, errnoRet: UInt32? = nil, args: [Arg]? = nil) {
                self.names = names
                self.action = action
                self.errnoRet = errnoRet
                self.args = args
            }

            private enum Keys: String, CodingKey { case names, name, action, errnoRet, args }

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Keys.self)
                names = try c.decodeIfPresent([String].self, forKey: .names) ?? [c.decode(String.self, forKey: .name)]
                action = try c.decode(String.self, forKey: .action)
                errnoRet = try c.decodeIfPresent(UInt32.self, forKey: .errnoRet)
                args = try c.decodeIfPresent([Arg].self, forKey: .args)
            }

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(names, forKey: .names)
                try c.encode(action, forKey: .action)
                try c.encodeIfPresent(errnoRet, forKey: .errnoRet)
                try c.encodeIfPresent(args, forKey: .args)
            }
        }

        var defaultAction: String
        var defaultErrnoRet: UInt32?
        var architectures: [String]?
        var syscalls: [Syscall]?

        init(defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil, syscalls: [Syscall]? = nil) {
            self.defaultAction = defaultAction
            self.defaultErrnoRet = defaultErrnoRet
            self.architectures = architectures
            self.syscalls = syscalls
        }

        private struct ArchMap: Decodable {
            var architecture: String
            var subArchitectures: [String]?
        }

        private enum Keys: String, CodingKey { case defaultAction, defaultErrnoRet, architectures, archMap, syscalls }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            defaultAction = try c.decode(String.self, forKey: .defaultAction)
            defaultErrnoRet = try c.decodeIfPresent(UInt32.self, forKey: .defaultErrnoRet)
            architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
            if architectures == nil, let map = try c.decodeIfPresent([ArchMap].self, forKey: .archMap) {
                architectures = map.flatMap { [$0.architecture] + ($0.subArchitectures ?? []) }
            }
            syscalls = try c.decodeIfPresent([Syscall].self, forKey: .syscalls)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(defaultAction, forKey: .defaultAction)
            try c.encodeIfPresent(defaultErrnoRet, forKey: .defaultErrnoRet)
            try c.encodeIfPresent(architectures, forKey: .architectures)
            try c.encodeIfPresent(syscalls, forKey: .syscalls)
        }
    }
}

/// Which seccomp profile a container gets, from CRI's `security_context.seccomp`: none when the
/// field is absent or Unconfined (as containerd), our default for RuntimeDefault, or the JSON
/// file a Localhost profile names (loaded here, so the spec builder stays pure).
enum SeccompChoice: Sendable, Equatable {
    case unconfined
    case runtimeDefault
    case custom(OCISpec.Seccomp)

    static func resolve(_ security: Runtime_V1_LinuxContainerSecurityContext) throws -> SeccompChoice {
        guard security.hasSeccomp else { return .unconfined }
        let profile = security.seccomp
        switch profile.profileType {
        case .runtimeDefault: return .runtimeDefault
        case .localhost:
            guard !profile.localhostRef.isEmpty else { throw RuntimeError.invalidArgument("seccomp: a Localhost profile needs localhost_ref") }
            guard let data = FileManager.default.contents(atPath: profile.localhostRef) else {
                throw RuntimeError.invalidArgument("seccomp: cannot load profile \(profile.localhostRef): no such file")
            }
            do {
                return .custom(try JSONDecoder().decode(OCISpec.Seccomp.self, from: data))
            } catch {
                throw RuntimeError.invalidArgument("seccomp: profile \(profile.localhostRef) is not a seccomp profile: \(error)")
            }
        default: return .unconfined
        }
    }
}

/// Our RuntimeDefault profile: every system call is allowed except those that reach past the
/// container (kernel modules, keyrings, clocks, reboot, mounts and namespaces, swap, kexec,
/// io_uring, BPF, tracing other processes' memory), which fail with EPERM. A call that a
/// capability the container holds would legitimately allow (CAP_SYS_ADMIN for mount, …) stays
/// allowed, as in Docker's and containerd's default.
enum RuntimeDefaultSeccomp {
    static let architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]

    /// Denied unless the container holds the capability.
    static let byCapability: [(capability: String, syscalls: [String])] = [
        ("CAP_SYS_ADMIN", ["mount", "umount", "umount2", "unshare", "setns", "pivot_root", "quotactl", "swapon", "swapoff",
                           "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
                           "lookup_dcookie", "bpf", "perf_event_open", "name_to_handle_at"]),
        ("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
        ("CAP_SYS_PTRACE", ["process_vm_readv", "process_vm_writev", "kcmp"]),
        ("CAP_SYS_MODULE", ["init_module", "finit_module", "delete_module"]),
        ("CAP_SYS_BOOT", ["reboot", "kexec_load", "kexec_file_load"]),
        ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_adjtime", "adjtimex"]),
        ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
        ("CAP_SYS_PACCT", ["acct"]),
        ("CAP_SYS_NICE", ["mbind", "set_mempolicy", "move_pages"]),
        ("CAP_SYSLOG", ["syslog"]),
    ]

    /// Denied whatever the capabilities: not namespaced, obsolete, or a known escape surface.
    static let always = [
        "add_key", "keyctl", "request_key", "create_module", "get_kernel_syms", "query_module", "nfsservctl",
        "uselib", "userfaultfd", "ustat", "vm86", "vm86old", "sysfs", "_sysctl",
        "io_uring_setup", "io_uring_enter", "io_uring_register",
    ]

    static func profile(capabilities: [String]) -> OCISpec.Seccomp {
        let held = Set(capabilities)
        let denied = always + byCapability.filter { !held.contains($0.capability) }.flatMap(\.syscalls)
        return OCISpec.Seccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: architectures,
                               syscalls: [.init(names: denied.sorted(), action: "SCMP_ACT_ERRNO", errnoRet: 1)])
    }
}
