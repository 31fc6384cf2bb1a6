import ArgumentParser

struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "Manage the local image store.")
    func run() async throws {}
}
