import PaceCore
import PaceStore
import Vapor

/// The host's dashboard is Pace's costliest page: every site of the host, measured on the day. Every
/// change to Pace's data appends to the audit trail in the same transaction, so the trail's last
/// sequence number says whether anything the dashboard shows may have changed. The computed dashboard
/// is reused until that number or the day moves. Each server keeps its own copy and reads the number
/// from the database, so several servers on one PostgreSQL never show each other's stale figures.
actor DashboardCache {
    struct Key: Equatable, Sendable {
        let sequence: Int
        let day: Day
        let host: String
    }

    struct Value: Sendable {
        let dashboard: PortfolioDashboard
        let rules: MetricRules
        let setUp: SetUpSummary
    }

    /// The one dashboard kept, or being computed: requests arriving meanwhile wait for the same work.
    private var current: (key: Key, work: Task<Value, any Error>)?

    func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let current, current.key == key {
            return try await current.work.value
        }
        let work = Task { try await compute() }
        current = (key, work)
        do {
            return try await work.value
        } catch {
            if current?.key == key { current = nil }
            throw error
        }
    }
}

struct DashboardCacheKey: StorageKey {
    typealias Value = DashboardCache
}

extension Application {
    /// Set once while the application is configured, before any request, so reading it needs no lock.
    var dashboardCache: DashboardCache {
        get { storage[DashboardCacheKey.self] ?? DashboardCache() }
        set { storage[DashboardCacheKey.self] = newValue }
    }
}
