import PaceCore
import PaceStore
import Vapor

/// Something computed from Pace's data and kept until the data may have changed. Every change to
/// Pace's data appends to the audit trail in the same transaction, so the trail's last sequence number
/// (in the key) says whether it may have. Each server keeps its own copy and reads the number from the
/// database, so several servers on one PostgreSQL never show each other's stale figures.
actor AuditKeyedCache<Key: Equatable & Sendable, Value: Sendable> {
    /// The one value kept, or being computed: requests arriving meanwhile wait for the same work.
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

/// The host's dashboard is Pace's costliest page: every site of the host, measured on the day.
enum DashboardCache {
    struct Key: Equatable, Sendable {
        let sequence: Int
        let day: Day
        let host: String
    }

    /// The page's content, drawn once: reading it again costs nothing but sending it.
    struct Value: Sendable {
        let content: String
    }
}

/// What most pages show beside their own data: the host's name, and the organisations and themes a
/// filter offers. They change only through audited writes, and reading them on every page cost more
/// than the page's own query.
struct ReferenceLists: Sendable {
    let hostName: String
    let organisations: [Organisation]
    let themes: [String]

    struct Key: Equatable, Sendable {
        let sequence: Int
        let host: String
    }
}

/// The number of studies the last filter asked for found.
struct StudyCountKey: Equatable, Sendable {
    let sequence: Int
    let host: String
    let filter: StudyFilter
}

struct StudyCountCacheKey: StorageKey {
    typealias Value = AuditKeyedCache<StudyCountKey, Int>
}

struct DashboardCacheKey: StorageKey {
    typealias Value = AuditKeyedCache<DashboardCache.Key, DashboardCache.Value>
}

struct ReferenceListsCacheKey: StorageKey {
    typealias Value = AuditKeyedCache<ReferenceLists.Key, ReferenceLists>
}

extension Application {
    /// Set once while the application is configured, before any request, so reading it needs no lock.
    var dashboardCache: AuditKeyedCache<DashboardCache.Key, DashboardCache.Value> {
        get { storage[DashboardCacheKey.self] ?? AuditKeyedCache() }
        set { storage[DashboardCacheKey.self] = newValue }
    }

    var studyCountCache: AuditKeyedCache<StudyCountKey, Int> {
        get { storage[StudyCountCacheKey.self] ?? AuditKeyedCache() }
        set { storage[StudyCountCacheKey.self] = newValue }
    }

    var referenceListsCache: AuditKeyedCache<ReferenceLists.Key, ReferenceLists> {
        get { storage[ReferenceListsCacheKey.self] ?? AuditKeyedCache() }
        set { storage[ReferenceListsCacheKey.self] = newValue }
    }
}
