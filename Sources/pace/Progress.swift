import Foundation
import PaceCore

/// Progress on standard error while a long command runs: a line redrawn in place on a terminal, a plain
/// line every few seconds otherwise (so logs stay readable). Used from one task at a time.
final class Progress: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let started = Date()
    private var lastShown = Date.distantPast
    private(set) var rows = 0
    private var fraction: Double?

    init(_ label: String) {
        self.label = label
    }

    func update(rows: Int, fraction: Double?) {
        self.rows = rows
        self.fraction = fraction
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= (isTerminal ? 0.2 : 5) else { return }
        lastShown = now
        show(now)
    }

    /// The last line, with the final count, left on the screen (or in the log).
    func finish(rows: Int) {
        self.rows = rows
        fraction = fraction == nil ? nil : 1
        show(Date(), final: true)
    }

    private func show(_ now: Date, final: Bool = false) {
        let seconds = now.timeIntervalSince(started)
        let text: String
        if isTerminal {
            // Clear to the end of the line, so a shorter line leaves nothing of the last one behind.
            text = "\r" + ProgressLine.terminal(label: label, rows: rows, fraction: fraction, seconds: seconds) + "\u{1B}[K" + (final ? "\n" : "")
        } else {
            text = ProgressLine.plain(label: label, rows: rows, fraction: fraction, seconds: seconds) + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
