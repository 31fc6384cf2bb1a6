import ArgumentParser
import ContainerRuntime
import CShims
import Foundation
import Logging
import ServiceLifecycle

struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Run the CRI server alone.")

    @OptionGroup var runtime: RuntimeOptions
    @Option(help: "Log level.") var logLevel = "info"

    func run() async throws {
        // Few malloc arenas: the runtime's many short-lived threads (one per child process wait)
        // would otherwise each keep an arena of megabytes.
        skiff_limit_malloc_arenas(2)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "skiff.runtime")
        let config = try runtime.configuration()
        let node = try await NodeRuntime(configuration: config, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: CRIServer(runtime: node, logger: logger)), .init(service: FreeMemoryReturner())],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
