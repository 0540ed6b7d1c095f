import CustosCore
import Logging
import ServiceLifecycle

/// Runs `KeyRotation.maintain` every `keyRefreshInterval` on this node: promotes keys that are
/// due, starts scheduled rotations, and picks up keys rotated on other nodes.
struct KeyMaintenanceService: Service {
    let rotation: KeyRotation
    let interval: Double
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Wakes at once on SIGTERM/SIGINT instead of holding shutdown for a whole interval.
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            } catch {
                return
            }
            do {
                try await rotation.maintain()
            } catch {
                logger.warning("key maintenance failed; will retry", metadata: ["error.type": "\(type(of: error))"])
            }
        }
    }
}
