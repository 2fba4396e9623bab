import PaceCore
import Testing

struct SiteMeasuresTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    /// A recruiting site open through 2025, target 100, planned to recruit over 2025-01-01 … 2026-01-01 (365 days).
    func site(target: Int? = 100, intention: String? = nil) -> Site {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.siteTarget = target
        site.plannedRecruitmentStart = day("2025-01-01")
        site.plannedRecruitmentEnd = day("2026-01-01")
        site.dateSiteOpen = day("2025-01-01")
        site.sponsorIntention = intention
        return site
    }

    func history(_ count: Int, on text: String) -> RecruitmentHistory {
        RecruitmentHistory([(day(text), count)])
    }

    @Test func theWorkedExample25PercentRecruitedAtHalfTimeIsMinusHalfAndRed() throws {
        // Half of 365 days: 182.5, so use a 364-day plan for an exact half.
        var site = site()
        site.plannedRecruitmentEnd = day("2025-12-31")
        let measures = SiteMeasures(site: site, history: history(25, on: "2025-03-01"), on: day("2025-07-02"))
        #expect(measures.rtt == -0.5)
        #expect(measures.onTrack == false)
        #expect(measures.trafficLight == .red)
    }

    @Test func trafficLightBandsFollowTheRules() {
        var site = site()
        site.plannedRecruitmentEnd = day("2025-12-31")
        let half = day("2025-07-02")
        #expect(SiteMeasures(site: site, history: history(50, on: "2025-02-01"), on: half).trafficLight == .green)
        #expect(SiteMeasures(site: site, history: history(50, on: "2025-02-01"), on: half).rtt == 0)
        #expect(SiteMeasures(site: site, history: history(40, on: "2025-02-01"), on: half).trafficLight == .amber)
        #expect(SiteMeasures(site: site, history: history(39, on: "2025-02-01"), on: half).trafficLight == .red)
        var strict = MetricRules.national
        strict.amberFrom = 0.9
        #expect(SiteMeasures(site: site, history: history(40, on: "2025-02-01"), on: half, rules: strict).trafficLight == .red)
    }

    @Test func theSponsorsAgreedIntentionCountsAsOnTrack() {
        var site = site(intention: " On track as per study milestones ")
        site.plannedRecruitmentEnd = day("2025-12-31")
        let measures = SiteMeasures(site: site, history: history(10, on: "2025-02-01"), on: day("2025-07-02"))
        #expect(measures.onTrack == true)
        #expect(measures.trafficLight == .red)
    }

    @Test func noTargetNoPlanOrAFutureStartGiveNoRTT() {
        #expect(SiteMeasures(site: site(target: nil), history: history(10, on: "2025-02-01"), on: day("2025-06-01")).rtt == nil)
        #expect(SiteMeasures(site: site(target: 0), history: history(10, on: "2025-02-01"), on: day("2025-06-01")).rtt == nil)
        var noPlan = site()
        noPlan.plannedRecruitmentEnd = nil
        #expect(SiteMeasures(site: noPlan, history: .empty, on: day("2025-06-01")).rtt == nil)
        var future = site()
        future.plannedRecruitmentStart = day("2025-09-01")
        let early = SiteMeasures(site: future, history: history(3, on: "2025-02-01"), on: day("2025-06-01"))
        #expect(early.rtt == nil)
        #expect(early.onTrack == nil)
        #expect(early.trafficLight == nil)
    }

    @Test func pastThePlannedEndTimeStopsAtOne() {
        let measures = SiteMeasures(site: site(), history: history(120, on: "2025-06-01"), on: day("2026-06-01"))
        #expect(abs((measures.rtt ?? 0) - 0.2) < 1e-12)
        #expect(measures.trafficLight == .green)
    }

    @Test func closedAndUnopenedSitesHaveNoOpenMeasures() {
        var closed = site()
        closed.closedToRecruitment = day("2025-06-01")
        let measures = SiteMeasures(site: closed, history: history(30, on: "2025-03-01"), on: day("2025-06-01"))
        #expect(!measures.isOpen)
        #expect(measures.rtt == nil && measures.onTrack == nil && measures.trafficLight == nil && measures.forecastTargetDate == nil)
        #expect(measures.recruitedToDate == 30)
        #expect(SiteMeasures(site: closed, history: .empty, on: day("2025-05-31")).isOpen)
        #expect(!SiteMeasures(site: site(), history: .empty, on: day("2024-12-31")).isOpen)
        var pic = Site(cpmsID: 1, siteODS: "C82001", role: .pic)
        pic.dateSiteOpen = day("2025-01-01")
        #expect(SiteMeasures(site: pic, history: .empty, on: day("2025-06-01")).rtt == nil)
    }

    @Test func recruitmentCountsUpToAndIncludingTheDay() {
        let history = RecruitmentHistory([(day("2025-03-01"), 2), (day("2025-03-31"), 5), (day("2025-03-01"), 1)])
        #expect(history.recruited(through: day("2025-02-28")) == 0)
        #expect(history.recruited(through: day("2025-03-01")) == 3)
        #expect(history.recruited(through: day("2025-03-30")) == 3)
        #expect(history.recruited(through: day("2025-03-31")) == 8)
        #expect(history.recruited(from: day("2025-03-02"), through: day("2025-03-31")) == 5)
        #expect(history.firstDay == day("2025-03-01"))
    }

    @Test func withdrawnCountFailedScreeningAndConsentedDoNot() {
        let participants = [
            Participant(cpmsID: 1, siteODS: "RT5", participantID: "A", status: .recruited, consentDate: day("2025-01-01"), recruitedDate: day("2025-01-05")),
            Participant(cpmsID: 1, siteODS: "RT5", participantID: "B", status: .withdrawn, consentDate: day("2025-01-02")),
            Participant(cpmsID: 1, siteODS: "RT5", participantID: "C", status: .failedScreening, consentDate: day("2025-01-03")),
            Participant(cpmsID: 1, siteODS: "RT5", participantID: "D", status: .consented, consentDate: day("2025-01-04")),
        ]
        let counts = [RecruitmentCount(cpmsID: 1, siteODS: "RT5", periodStart: day("2025-02-01"), periodEnd: day("2025-02-28"), count: 4)]
        let history = RecruitmentHistory(participants: participants, counts: counts)
        #expect(history.recruited(through: day("2025-01-31")) == 2)
        // A count is dated on its period's last day.
        #expect(history.recruited(through: day("2025-02-27")) == 2)
        #expect(history.recruited(through: day("2025-02-28")) == 6)
        #expect(history.firstDay == day("2025-01-02"))
    }

    @Test func setUpIntervalsAndTheFirstParticipant() {
        var site = site()
        site.dateSiteSelected = day("2024-10-01")
        site.hraApproval = day("2024-11-01")
        site.regulatorySubmission = day("2024-08-01")
        site.firstParticipantRecruited = day("2025-01-20")
        let fromRecord = SiteMeasures(site: site, history: .empty, on: day("2025-06-01"))
        #expect(fromRecord.hlo9Days == 111)
        #expect(fromRecord.kpiOpen60Days == 61)
        #expect(fromRecord.kpiFirst30Days == 19)
        #expect(fromRecord.kpi150Days == 172)
        // Recorded recruitment wins over the date typed on the site record.
        let fromRows = SiteMeasures(site: site, history: history(1, on: "2025-01-10"), on: day("2025-06-01"))
        #expect(fromRows.firstParticipant == day("2025-01-10"))
        #expect(fromRows.kpiFirst30Days == 9)
    }

    @Test func theForecastExtrapolatesTheLast90DaysInWholeDays() {
        // 10 recruited in the 90 days to 2025-06-30, 40 to go: 40 × 90 ÷ 10 = 360 days.
        let history = RecruitmentHistory([(day("2025-03-01"), 50), (day("2025-06-30"), 10)])
        let measures = SiteMeasures(site: site(), history: history, on: day("2025-06-30"))
        #expect(measures.forecastTargetDate == day("2025-06-30").adding(days: 360))
        // 7 in the window, 40 to go: ⌈3600 ÷ 7⌉ = 515 days.
        let uneven = RecruitmentHistory([(day("2025-03-01"), 53), (day("2025-04-02"), 7)])
        #expect(SiteMeasures(site: site(), history: uneven, on: day("2025-06-30")).forecastTargetDate == day("2025-06-30").adding(days: 515))
        // The window is D−89 … D: recruitment 90 days before D is outside it.
        let outside = RecruitmentHistory([(day("2025-04-01"), 10)])
        #expect(SiteMeasures(site: site(), history: outside, on: day("2025-06-30")).forecastTargetDate == nil)
        let inside = RecruitmentHistory([(day("2025-04-02"), 10)])
        #expect(SiteMeasures(site: site(), history: inside, on: day("2025-06-30")).forecastTargetDate != nil)
        // At or above target there is nothing to forecast.
        #expect(SiteMeasures(site: site(), history: self.history(100, on: "2025-06-01"), on: day("2025-06-30")).forecastTargetDate == nil)
    }

    @Test func leapDaysCountAsDays() {
        var site = site()
        site.plannedRecruitmentStart = day("2024-02-01")
        site.plannedRecruitmentEnd = day("2024-03-02")
        site.dateSiteOpen = day("2024-02-01")
        // 2024-02-01 … 2024-03-02 is 30 days in a leap year; 2024-02-16 is half way.
        let measures = SiteMeasures(site: site, history: history(50, on: "2024-02-10"), on: day("2024-02-16"))
        #expect(measures.rtt == 0)
    }
}
