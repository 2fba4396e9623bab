import Foundation
import PaceCore

/// The sentence at the top of a report: the figure, its target, and the period, so a reader has the
/// answer before the table ("Q3 2025–26 return: 4 of 6 trials met the 70-day benchmark (67%)").
enum ReportHeadline {
    /// How many rows say yes in a yes/no column, of those that say either.
    static func count(_ report: Report, _ field: String) -> (yes: Int, of: Int) {
        guard let index = report.fields.firstIndex(of: field) else { return (0, 0) }
        let answers = report.rows.compactMap { row -> Bool? in
            guard index < row.count, case .boolean(let flag) = row[index] else { return nil }
            return flag
        }
        return (answers.filter { $0 }.count, answers.count)
    }

    static func share(_ yes: Int, of total: Int) -> String {
        String(format: "%.0f%%", Double(yes) * 100 / Double(max(total, 1)))
    }

    static func percent(_ ambition: Double) -> String { "\(Int((ambition * 100).rounded()))%" }

    static func pidInitiating(_ report: Report, quarter: FinancialQuarter, rules: MetricRules) -> String {
        let (met, total) = count(report, "benchmark_met")
        guard total > 0 else { return "\(quarter.longText) return: no trial's benchmark date fell in the 12 months to \(quarter.lastDay.longText)." }
        return "\(quarter.longText) return: \(met) of \(total) \(total == 1 ? "trial" : "trials") met the \(rules.pidInitiatingDays)-day benchmark (\(share(met, of: total))); the ambition is \(percent(rules.pidInitiatingAmbition))."
    }

    static func pidDelivering(_ report: Report, quarter: FinancialQuarter) -> String {
        let (met, total) = count(report, "target_met")
        guard total > 0 else { return "\(quarter.longText) return: no commercial contract trial's recruitment period ended in the 12 months to \(quarter.lastDay.longText)." }
        return "\(quarter.longText) return: \(met) of \(total) commercial contract \(total == 1 ? "trial" : "trials") recruited to time and target (\(share(met, of: total)))."
    }

    static func kpis(_ report: Report, from start: Day, to end: Day, rules: MetricRules) -> String {
        let ambitions: [String: Double] = [
            KPIReport.KPI.open60.rawValue: rules.kpiOpenAmbition, KPIReport.KPI.first30.rawValue: rules.kpiFirstParticipantAmbition,
            KPIReport.KPI.setUp150.rawValue: rules.kpiSetUpAmbition,
        ]
        let parts = KPIReport.KPI.allCases.compactMap { kpi -> String? in
            // The whole period's row: a month-by-month report lists each month's first.
            let monthIndex = report.fields.firstIndex(of: "month")
            guard let row = report.rows.first(where: { candidate in
                candidate.first == .text(kpi.rawValue) && (monthIndex.map { index in index < candidate.count && candidate[index] == .null } ?? true)
            }), row.count >= 3,
                  case .integer(let due) = row[1], case .integer(let met) = row[2] else { return nil }
            let ambition = percent(ambitions[kpi.rawValue] ?? 0.9)
            return due == 0 ? "\(kpi.name(rules)): none due (ambition \(ambition))"
                : "\(kpi.name(rules)): \(met) of \(due) (\(share(met, of: due)); ambition \(ambition))"
        }
        return "\(start.longText) to \(end.longText). " + parts.joined(separator: ". ") + "."
    }
}
