import ArgumentParser

@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "A small Kubernetes-compatible container orchestrator.",
        subcommands: [ServerCommand.self, AgentCommand.self, KubeconfigCommand.self, RuntimeCommand.self, CRICommand.self,
                      ImagesCommand.self, DatastoreCommand.self, CSIHostPathCommand.self,
                      SimulateCommand.self]
    )
}
