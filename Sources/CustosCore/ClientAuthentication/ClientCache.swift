import Foundation
import Synchronization

/// Clients and their secret records as the token, introspection and revocation endpoints
/// see them, kept for a short `lifetime` so that a client asking for thousands of tokens a
/// second costs no database read per request.
///
/// Every change made through `ClientManagement` on this node drops the client's entry at
/// once. Changes made elsewhere (another node, the `custos admin` command) reach this node
/// when the entry expires: a deleted client or a revoked secret may still authenticate here
/// for up to `lifetime` (default 5 s, `CUSTOS_CLIENT_CACHE_TTL`; 0 turns the cache off).
/// Time limits of secrets are checked against the clock on every use, not when loaded.
public final class ClientCache: ClientLookup {
    private struct Entry {
        /// `.some(nil)` caches "no such client"; nil means not loaded.
        var client: OAuthClient??
        var secrets: [ClientSecretRecord]?
        let loadedAt: Date
    }

    private struct Key: Hashable {
        let tenant: TenantID
        let clientID: String
    }

    private let clients: any ClientStore
    private let secrets: any ClientSecretStore
    private let lifetime: TimeInterval
    private let clock: any WallClock
    private let entries = Mutex<[Key: Entry]>([:])
    private let recordedUses = Mutex<[String: Date]>([:])
    /// Bumped by every invalidation: a load that began before one is not stored, so a read
    /// racing a change cannot put the old state back.
    private let generation = Atomic<Int>(0)
    /// Bounds memory when many distinct client ids are tried (an attacker guessing ids).
    private let capacity = 10_000

    public init(clients: any ClientStore, secrets: any ClientSecretStore, lifetime: TimeInterval, clock: any WallClock) {
        self.clients = clients
        self.secrets = secrets
        self.lifetime = max(0, lifetime)
        self.clock = clock
    }

    public func client(clientID: String, tenant: TenantID) async throws -> OAuthClient? {
        let key = Key(tenant: tenant, clientID: clientID)
        if let entry = fresh(key), let cached = entry.client { return cached }
        let started = generation.load(ordering: .acquiring)
        let client = try await clients.client(clientID: clientID, tenant: tenant)
        store(key, loadedIn: started) { $0.client = .some(client) }
        return client
    }

    /// The secret records of `client` (as returned by `client(clientID:tenant:)`).
    public func secrets(of client: OAuthClient) async throws -> [ClientSecretRecord] {
        let key = Key(tenant: client.tenant, clientID: client.clientID)
        if let entry = fresh(key), let cached = entry.secrets { return cached }
        let started = generation.load(ordering: .acquiring)
        let records = try await secrets.secrets(clientRecordID: client.id, tenant: client.tenant)
        store(key, loadedIn: started) { $0.secrets = records }
        return records
    }

    /// Whether this use of a secret should be written as its `last_used_at`: at most once a
    /// minute per secret from this node, whatever the (possibly cached) record says. Without
    /// it every request served from the cache saw an old `last_used_at` and queued a write.
    public func shouldRecordUse(ofSecret secretID: String, lastRecorded: Date?, at now: Date) -> Bool {
        if let lastRecorded, now.timeIntervalSince(lastRecorded) < 60, now >= lastRecorded { return false }
        return recordedUses.withLock { uses in
            if let noted = uses[secretID], now.timeIntervalSince(noted) < 60, now >= noted { return false }
            if uses.count >= capacity { uses.removeAll(keepingCapacity: true) }
            uses[secretID] = now
            return true
        }
    }

    /// Drops what is known about `clientID`; the next request reads the database.
    public func invalidate(clientID: String, tenant: TenantID) {
        entries.withLock { entries in
            generation.add(1, ordering: .releasing)
            entries.removeValue(forKey: Key(tenant: tenant, clientID: clientID))
        }
    }

    private func fresh(_ key: Key) -> Entry? {
        guard lifetime > 0 else { return nil }
        let now = clock.now
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard Self.isFresh(entry, at: now, lifetime: lifetime) else {
                entries.removeValue(forKey: key)
                return nil
            }
            return entry
        }
    }

    private func store(_ key: Key, loadedIn started: Int, _ update: (inout Entry) -> Void) {
        guard lifetime > 0 else { return }
        let now = clock.now
        entries.withLock { entries in
            guard generation.load(ordering: .acquiring) == started else { return }
            if entries.count >= capacity { entries = entries.filter { Self.isFresh($0.value, at: now, lifetime: lifetime) } }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            var entry = entries[key].flatMap { Self.isFresh($0, at: now, lifetime: lifetime) ? $0 : nil } ?? Entry(loadedAt: now)
            update(&entry)
            entries[key] = entry
        }
    }

    /// Fresh for `lifetime` after loading; an entry from the future (the clock was set back)
    /// is not trusted.
    private static func isFresh(_ entry: Entry, at now: Date, lifetime: TimeInterval) -> Bool {
        let age = now.timeIntervalSince(entry.loadedAt)
        return age >= 0 && age < lifetime
    }
}
