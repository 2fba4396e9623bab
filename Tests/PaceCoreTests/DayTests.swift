import PaceCore
import Testing

struct DayTests {
    @Test(arguments: ["2025-04-01", "2024-02-29", "2000-02-29", "1999-12-31", "2026-11-27"])
    func parsesAndFormatsRealDays(text: String) throws {
        let day = try #require(Day(iso: text))
        #expect(day.iso == text)
    }

    @Test(arguments: ["2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31", "2025-4-01", "2025/04/01", "01-04-2025", "", "2025-04-01T00:00", "２０２５-04-01", "2025-00-10"])
    func rejectsAnythingButRealISODays(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func countsCalendarDaysAcrossLeapYears() throws {
        let before = try #require(Day(iso: "2024-02-28"))
        #expect(before.days(to: try #require(Day(iso: "2024-03-01"))) == 2)
        #expect(try #require(Day(iso: "2023-02-28")).days(to: try #require(Day(iso: "2023-03-01"))) == 1)
        #expect(try #require(Day(iso: "2025-04-01")).days(to: try #require(Day(iso: "2026-04-01"))) == 365)
        #expect(try #require(Day(iso: "2023-04-01")).days(to: try #require(Day(iso: "2024-04-01"))) == 366)
        #expect(before.adding(days: 2).iso == "2024-03-01")
        #expect(before.adding(days: -59).iso == "2023-12-31")
    }

    @Test func onlyYearsAResearchSystemMeansAreRead() {
        #expect(Day(iso: "1899-12-31") == nil)
        #expect(Day(iso: "2200-01-01") == nil)
        #expect(Day(iso: "9999-12-31") == nil)
        #expect(Day(iso: "0001-01-01") == nil)
        #expect(Day(iso: "1900-01-01") != nil)
        #expect(Day(iso: "2199-12-31")?.endOfMonth.adding(days: 1).startOfMonth.iso == "2200-01-01")
        #expect(FinancialYear("9999-00") == nil)
        #expect(FinancialYear("0000-01") == nil)
        #expect(FinancialYear("2199-00")?.lastDay.iso == "2200-03-31")
        #expect(FinancialYear("+202-03") == nil)
        #expect(FinancialQuarter("0001-02-Q1") == nil)
        #expect(FinancialQuarter("9999-00-Q4") == nil)
        #expect(FinancialQuarter("2025-26-Q+") == nil)
        #expect(FinancialQuarter("1900-01-Q1")?.previous.firstDay.iso == "1900-01-01")
    }

    @Test func ordinalsRoundTripEveryDayOfFourCenturies() throws {
        var previous: Day?
        let first = try #require(Day(year: 1900, month: 1, day: 1)).ordinal
        let last = try #require(Day(year: 2199, month: 12, day: 31)).ordinal
        for ordinal in stride(from: first, through: last, by: 1) {
            let day = Day(ordinal: ordinal)
            let (year, month, dayOfMonth) = day.parts
            #expect(Day(year: year, month: month, day: dayOfMonth) == day)
            if let previous { #expect(previous < day) }
            previous = day
        }
    }

    @Test func epochAndStartOfMonth() throws {
        #expect(Day(ordinal: 0).iso == "1970-01-01")
        #expect(try #require(Day(iso: "2024-02-29")).startOfMonth.iso == "2024-02-01")
    }

    @Test(arguments: [("2024-02-10", "2024-02-29"), ("2023-02-01", "2023-02-28"), ("2026-12-31", "2026-12-31"), ("2026-04-15", "2026-04-30")])
    func endOfMonth(day: String, end: String) throws {
        #expect(try #require(Day(iso: day)).endOfMonth.iso == end)
    }
}

struct FinancialPeriodTests {
    @Test func financialYearsRunAprilToMarch() throws {
        #expect(FinancialYear(containing: try #require(Day(iso: "2025-03-31"))).description == "2024-25")
        #expect(FinancialYear(containing: try #require(Day(iso: "2025-04-01"))).description == "2025-26")
        let year = try #require(FinancialYear("2025-26"))
        #expect(year.firstDay.iso == "2025-04-01")
        #expect(year.lastDay.iso == "2026-03-31")
        #expect(FinancialYear("1999-00")?.startYear == 1999)
        #expect(FinancialYear("2025-27") == nil)
        #expect(FinancialYear("25-26") == nil)
    }

    @Test func quartersFollowTheFinancialYear() throws {
        let q1 = try #require(FinancialQuarter("2025-26-Q1"))
        #expect(q1.firstDay.iso == "2025-04-01")
        #expect(q1.lastDay.iso == "2025-06-30")
        let q4 = try #require(FinancialQuarter("2025-26-Q4"))
        #expect(q4.firstDay.iso == "2026-01-01")
        #expect(q4.lastDay.iso == "2026-03-31")
        #expect(FinancialQuarter(containing: try #require(Day(iso: "2026-01-15"))) == q4)
        #expect(FinancialQuarter(containing: try #require(Day(iso: "2025-09-30"))).description == "2025-26-Q2")
        #expect(q4.next.description == "2026-27-Q1")
        #expect(q1.previous.description == "2024-25-Q4")
        // A leap year's last quarter ends on 31 March and holds 29 February.
        let leap = try #require(FinancialQuarter("2023-24-Q4"))
        #expect(leap.contains(try #require(Day(iso: "2024-02-29"))))
        #expect(leap.firstDay.days(to: leap.lastDay) == 90)
        #expect(FinancialQuarter("2025-26-Q5") == nil)
        #expect(FinancialQuarter("2025-26Q1") == nil)
    }
}
