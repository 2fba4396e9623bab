import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

@Suite(.serialized)
struct MetricRulePageTests {
    @Test func anRAndDManagerChangesAThresholdAndEveryReportUsesIt() async throws {
        try await withPace { manager, _ in
            let app = manager
            let administrator = try await manager.client(as: .admin)
            let list = try await app.get("/admin/metric-rules")
            #expect(list.status == .ok)
            #expect(list.text.contains("PID initiating benchmark"))
            #expect(list.text.contains("national default"))
            #expect(list.text.contains("No rule has been changed"))

            let bad = try await app.postForm("/admin/metric-rules/pid_initiating_days", [("pid_initiating_days", "seventy <b>"), ("reason", "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"pid_initiating_days-error\""))
            #expect(bad.text.contains("value=\"seventy &lt;b&gt;\""))

            // Administrators manage accounts; the measures are the R&D office's.
            let refused = try await administrator.postForm("/admin/metric-rules/pid_initiating_days", [("pid_initiating_days", "90"), ("reason", "Trust stretch target")])
            #expect(refused.status == .forbidden)
            let good = try await app.postForm("/admin/metric-rules/pid_initiating_days", [("pid_initiating_days", "90"), ("reason", "Trust stretch target")])
            #expect(good.status == .seeOther)
            let changed = try await app.get("/admin/metric-rules?changed=pid_initiating_days")
            #expect(changed.text.contains("Changed PID initiating benchmark"))
            #expect(changed.text.contains("Trust stretch target"))

            let api = try await app.get("/api/v1/metric-rules")
            #expect(api.text.contains("\"rule\":\"pid_initiating_days\",\"name\":\"PID initiating benchmark\",\"value\":\"90\""))
            #expect(try await app.get("/admin/metric-rules/no_such_rule").status == .notFound)

            let quarter = FinancialQuarter(containing: Day.today()).previous
            let report = try await manager.get("/api/v1/reports/pid-initiating?quarter=\(quarter)&format=csv")
            let register = Register(database: manager.db)
            #expect(try await register.metricRules().pidInitiatingDays == 90)
            #expect(report.text == (try await register.pidInitiatingReport(quarter: quarter, organisation: "RT5")).csv)
        }
    }
}
