import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore

/// Tells a database that cannot be reached (stopped, restarting, refusing connections, the pool
/// waiting too long, SQLite still busy with another write after the wait) from a query that went
/// wrong. The first passes by itself, so Pace answers 503 and tries again on the next request; the
/// second is a bug, answered 500.
public enum DatabaseAvailability {
    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let postgres as PSQLError:
            return isUnavailable(postgres)
        case is ConnectionPoolTimeoutError, is ConnectionPoolError:
            return true
        case let statement as SQLiteStatementError:
            return statement.isBusy
        case let sqlite as SQLiteError:
            switch sqlite.reason {
            case .busy, .locked, .busyTimeout, .busyInRecovery, .busyInSnapshot: return true
            default: return false
            }
        case let channel as ChannelError:
            return [.ioOnClosedChannel, .alreadyClosed, .eof, .connectPending, .inputClosed, .outputClosed].contains(channel)
        case let io as IOError:
            return [ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(io.errnoCode)
        default:
            return false
        }
    }

    private static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return true
        case .server:
            // Class 08 is "connection exception"; 57P01–57P03 are the server shutting down or starting
            // up; 53300 is every connection slot taken.
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
        default:
            return false
        }
    }
}
