import CustosCore
import ServiceLifecycle

/// Closes the database after the HTTP server has drained, on SIGINT or SIGTERM.
struct StorageCloser: Service {
    let storage: any Storage

    func run() async throws {
        try? await gracefulShutdown()
        try await storage.close()
    }
}
