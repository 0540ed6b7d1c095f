import Foundation
import PackagePlugin

/// Build-tool plugin: turns the JSON files under `<target>/OpenAPI/Document/` into one Swift
/// constant in the build directory (`EmbeddedOpenAPIDocument.json`), so the document is edited
/// as JSON, checked when the package builds, and still compiled into the one binary (a SwiftPM
/// resource would put a bundle beside the executable on Linux). No generated file is checked in.
@main
struct EmbedOpenAPIDocument: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let folder = target.directoryURL.appending(path: "OpenAPI/Document")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedOpenAPIDocument.swift")
        return [
            .buildCommand(
                displayName: "Embedding the OpenAPI document (\(files.count) files)",
                executable: try context.tool(named: "openapi-embed").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
