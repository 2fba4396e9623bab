import PaceCore
import PaceStore
import Plot

/// One site of one study: milestones, recruitment against target, and the forms to record recruitment.
struct SiteDetailPage {
    let detail: SiteDetail
    let organisations: [Organisation]
    var participantForm = FormState(values: ["status": ParticipantStatus.recruited.rawValue])
    var countForm = FormState()
    /// The count is above the plausible limit: the form asks the person to confirm it (a second step).
    var countNeedsConfirmation = false
    var performance: PerformanceSection?
    /// The host trust: a study team records recruitment at its sites only.
    var hostODS = ""
    /// The site's measures today and the rules behind them, for the summary the page opens with.
    var measures: SiteMeasures? = nil
    var rules = MetricRules.national
    var today = Day.today()

    static let participantLabels = [
        "participant_id": "Participant ID", "status": "Status", "consent_date": "Consent date", "recruited_date": "Recruited date",
        "withdrawn_date": "Withdrawn date", "identified_by_ods": "Identified by (PIC)", "site_ods": "Site", "cpms_id": "Study",
    ]
    static let countLabels = [
        "period_start": "Period start", "period_end": "Period end", "count": "Number recruited", "confirmed": "Confirmation", "site_ods": "Site", "cpms_id": "Study",
    ]

    func render(hostName: String) -> HTML {
        let site = detail.site
        let title = "\(detail.studyShortName) at \(detail.organisation.name)"
        let mayRecord = PageContext.current.allows(.recordRecruitment, study: site.cpmsID, atHostSite: site.siteODS == hostODS)
        // A site records its recruitment one way: once it has counts it takes no participant records, and the reverse.
        let recordsCounts = detail.counts.contains { $0.count > 0 }
        // Participants who never count (consented, failed screening) do not stop a site recording counts.
        let recordsParticipants = !recordsCounts && detail.recruited > 0
        let mayEdit = PageContext.current.allows(.changePortfolio)
        return Layout(title: title, section: .studies, hostName: hostName,
                      breadcrumbs: [Crumb("Studies", Paths.studies), Crumb(detail.studyShortName, Paths.study(site.cpmsID))]).render(
            .h1(.safe(title)),
            .p(.class("lede"), .safe("\(site.role.label) · local PI \(Show.text(site.localPI))")),
            .p(.a(.href(Paths.siteSetUp(site.cpmsID, site.siteODS)), .safe("Set-up board")), .safe(" · "),
               .a(.href(Paths.siteAmendments(site.cpmsID, site.siteODS)), .safe("Amendments"))),
            FormField.errorSummary(participantForm, labels: SiteDetailPage.participantLabels),
            FormField.errorSummary(countForm, labels: SiteDetailPage.countLabels),
            // The summary first, then the form the page is used for, then the detail (NHS.UK: put the
            // answer before the evidence; on a phone the form is not below a long table).
            .div(
                .class("grid-2"),
                summaryCard,
                site.role.recruits
                    ? .div(.class("card"), !mayRecord
                        ? .group(.h2(.safe("Recruitment")), .p(.safe("Your role reads this site's recruitment; the study team and the R&D office record it.")))
                        : recordsCounts
                            ? .group(.h2(.safe("Recruitment")), .p(.safe("This site records its recruitment as a count for each period: add the next period's count below. Recording participants as well would count the same people twice.")))
                            : participantFormNode)
                    : .div(.class("card"), .h2(.safe("Recruitment")), .p(.safe("A Participant Identification Centre identifies and refers people; their recruitment is recorded at the site that consents them.")))
            ),
            .div(.class("card"), .h2(.safe("Recruitment against target")), recruitment, monthlyTable),
            .unwrap(performance) { $0.node },
            .div(
                .class("grid-2"),
                .div(.class("card"), .h2(.safe("Set-up milestones")), .ol(.class("timeline"), .forEach(site.milestones) { item in
                    .li(.class(item.day == nil ? "" : "done"), .strong(.safe(item.milestone.label)), .safe(" "), .span(.class("when"), .safe(Show.day(item.day))))
                }), .dl(
                    .class("facts"),
                    Show.fact("Planned recruitment", "\(Show.day(site.plannedRecruitmentStart)) to \(Show.day(site.plannedRecruitmentEnd))"),
                    Show.fact("Non-confirmation", Show.text(site.nonConfirmationStatus)),
                    Show.fact("Reason for delay", Show.text(site.delayReason)),
                    Show.fact("Delay attributed to", Show.text(site.delayAttribution?.label)),
                    Show.fact("Sponsor's agreed intention", Show.text(site.sponsorIntention))
                ), .if(mayEdit, .div(.class("actions"), .a(.class("button"), .href(Paths.editSite(site.cpmsID, site.siteODS)), .safe("Edit milestones"))))),
                .if(site.role.recruits && mayRecord && !recordsParticipants, .div(.class("card"), countFormNode))
            ),
            participantsTable(mayCorrect: mayRecord),
            countsTable(mayCorrect: mayRecord),
            .if(mayEdit, .p(.a(.href(Paths.siteRemoval(site.cpmsID, site.siteODS)), .safe("Remove this site")),
                            .safe(" — only for a site added by mistake, with no recruitment or GCP records.")))
        )
    }

    /// Where the site stands: its stage, recruitment against target with its light, the next step and
    /// its due date, and what needs attention.
    private var summaryCard: Node<HTML.BodyContext> {
        let site = detail.site
        let stage = site.milestones.last { $0.day != nil && $0.milestone != .lastParticipant }
        // A site whose study has ended (or that declined) waits for nothing.
        let next = measures?.isOpen == false && site.dateSiteOpen != nil ? nil : NextStep.of(site, recruited: detail.recruited, rules: rules)
        let light = measures?.trafficLight
        var attention: [String] = []
        if let next, next.isOverdue(on: today), let due = next.dueBy { attention.append("\(next.label) was due by \(due.longText).") }
        if light == .red { attention.append("Recruitment is below \(Int((rules.amberFrom * 100).rounded()))% of its pro-rata target.") }
        if site.role.recruits && (site.siteTarget ?? 0) == 0 && site.dateSiteOpen != nil { attention.append("No site target is recorded, so progress cannot be measured.") }
        let recruitmentText: String = {
            guard let target = site.siteTarget, target > 0 else { return "\(detail.recruited) recruited" }
            return "\(detail.recruited) of \(target) (\(detail.recruited * 100 / target)%)"
        }()
        return .section(
            .class("card"), .attribute(named: "aria-labelledby", value: "summary-heading"),
            .h2(.id("summary-heading"), .safe("At a glance")),
            .dl(
                .class("facts"),
                Show.fact("Stage", stage.map { "\($0.milestone.label), \(Show.day($0.day))" } ?? "Not started"),
                .dt(.safe("Recruitment")),
                .dd(.safe(recruitmentText), .unwrap(light) { light in
                    .group(.safe(" "), .span(.class("tag \(light.rawValue)"), .safe(light.rawValue.capitalized)),
                           .unwrap(measures?.rtt) { .safe(" RTT \(Percent.signed($0))") })
                }),
                .dt(.safe("Next")),
                .dd(next.map { step -> Node<HTML.BodyContext> in
                    .group(.safe(step.label), .unwrap(step.dueBy) { due in
                        .group(.safe(" by \(due.longText)"), .unwrap(step.basis) { .span(.class("hint"), .safe($0)) },
                               .if(step.isOverdue(on: today), .span(.class("tag red"), .safe("Overdue"))))
                    })
                } ?? .safe("Nothing: recruitment here is complete or recorded elsewhere")),
                .dt(.safe("Needs attention")),
                .dd(attention.isEmpty ? .safe("Nothing") : .ul(.forEach(attention) { .li(.safe($0)) }))
            )
        )
    }

    private var recruitment: Node<HTML.BodyContext> {
        let recruited = detail.recruited
        guard let target = detail.site.siteTarget, target > 0 else {
            return .p(.safe("\(recruited) recruited. No site target recorded."))
        }
        return .group(
            .p(.strong(.safe("\(recruited) of \(target)")), .safe(" recruited (\(recruited * 100 / target)% of the site target)")),
            .element(named: "progress", nodes: [
                .attribute(named: "max", value: escapedAttribute(String(target))), .attribute(named: "value", value: escapedAttribute(String(min(recruited, target)))),
                .attribute(named: "aria-label", value: "Recruited against site target"),
                .safe("\(recruited) of \(target)"),
            ])
        )
    }

    private var participantFormNode: Node<HTML.BodyContext> {
        let site = detail.site
        return FormField.form(
            Paths.participants(site.cpmsID, site.siteODS), label: "Record a participant",
            .h2(.safe("Record a participant")),
            .p(.class("hint"), .safe("Use the study pseudonym only: never a name, NHS number or date of birth.")),
            FormField.input("participant_id", "Participant ID", form: participantForm, hint: "e.g. CALM-RT5-0042", required: true),
            FormField.select("status", "Status", form: participantForm, options: FormField.codeOptions(ParticipantStatus.self), blank: nil, required: true),
            FormField.date("consent_date", "Consent date", form: participantForm),
            FormField.date("recruited_date", "Recruited date", form: participantForm, hint: "When eligibility was confirmed"),
            FormField.date("withdrawn_date", "Withdrawn date", form: participantForm, hint: "Only for withdrawn participants"),
            FormField.select("identified_by_ods", "Identified by (PIC)", form: participantForm, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }),
            FormField.submit("Record participant")
        )
    }

    private var countFormNode: Node<HTML.BodyContext> {
        let site = detail.site
        return FormField.form(
            Paths.counts(site.cpmsID, site.siteODS), label: "Record a count",
            .h2(.safe("Record a count for a period")),
            .p(.class("hint"), .safe("For studies recorded in aggregate. The count is dated on the period's last day.")),
            FormField.date("period_start", "Period start", form: countForm, required: true),
            FormField.date("period_end", "Period end", form: countForm, required: true),
            FormField.input("count", "Number recruited", form: countForm, required: true, extra: [.attribute(named: "inputmode", value: "numeric")]),
            .if(countNeedsConfirmation, FormField.countConfirmation),
            FormField.submit(countNeedsConfirmation ? "Confirm and record count" : "Record count")
        )
    }

    private var monthlyTable: Node<HTML.BodyContext> {
        guard let first = detail.monthly.first?.month, let last = detail.monthly.last?.month else { return .empty }
        // Every month from the first recruitment to now (or to closing), a month with nobody shown as 0.
        let closed = detail.site.closedToRecruitment?.startOfMonth
        let through = max(last, min(Day.today().startOfMonth, closed ?? Day.today().startOfMonth))
        let recruited = Dictionary(detail.monthly.map { ($0.month, $0.recruited) }, uniquingKeysWith: +)
        var running = 0
        let rows = ActivityReport.months(from: first, to: through).map { month -> (String, Int, Int) in
            let count = recruited[month] ?? 0
            running += count
            return ("\(Day.monthNames[month.month - 1]) \(month.year)", count, running)
        }
        return .group(.h3(.safe("Recruitment by month")), Show.tableRegion("Recruitment by month", .table(
            .thead(.tr(.th(.safe("Month")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Cumulative")))),
            .tbody(.forEach(rows) { row in
                .tr(.td(.class("nowrap"), .safe(row.0)), .td(.class("number"), .safe(String(row.1))), .td(.class("number"), .safe(String(row.2))))
            })
        )))
    }

    private func participantsTable(mayCorrect: Bool) -> Node<HTML.BodyContext> {
        guard !detail.participants.isEmpty else { return .empty }
        let site = detail.site
        let rows = Array(zip(detail.participants, detail.participantRowIDs))
        let caption = detail.participantCount > detail.participants.count
            ? "Latest \(detail.participants.count) of \(detail.participantCount) participants"
            : "\(detail.participantCount) participants"
        return .group(.h2(.safe("Participants")), Show.tableRegion("Participants", .table(
            .caption(.safe(caption)),
            .thead(.tr(
                .th(.safe("Participant ID")), .th(.safe("Status")), .th(.safe("Consented")), .th(.safe("Recruited")), .th(.safe("Withdrawn")), .th(.safe("Identified by")),
                .if(mayCorrect, .th(.span(.class("visually-hidden"), .safe("Actions"))))
            )),
            .tbody(.forEach(rows) { participant, rowID in
                .tr(
                    .td(.safe(participant.participantID)), .td(.safe(participant.status.label)), .td(.class("nowrap"), .safe(Show.day(participant.consentDate))),
                    .td(.class("nowrap"), .safe(Show.day(participant.recruitedDate))), .td(.class("nowrap"), .safe(Show.day(participant.withdrawnDate))), .td(.safe(Show.text(participant.identifiedByODS))),
                    .if(mayCorrect, .td(.a(
                        .href(Paths.participantCorrection(site.cpmsID, site.siteODS, rowID)),
                        .safe("Correct or withdraw"), .span(.class("visually-hidden"), .safe(" participant \(participant.participantID)"))
                    )))
                )
            })
        )))
    }

    private func countsTable(mayCorrect: Bool) -> Node<HTML.BodyContext> {
        guard !detail.counts.isEmpty else { return .empty }
        let site = detail.site
        return .group(.h2(.safe("Recruitment counts")), Show.tableRegion("Recruitment counts", .table(
            .thead(.tr(.th(.safe("From")), .th(.safe("To")), .th(.class("number"), .safe("Recruited")), .if(mayCorrect, .th(.span(.class("visually-hidden"), .safe("Actions")))))),
            .tbody(.forEach(detail.counts) { count in
                .tr(
                    .td(.class("nowrap"), .safe(count.periodStart.longText)), .td(.class("nowrap"), .safe(count.periodEnd.longText)),
                    .td(.class("number"), .safe(String(count.count) + (count.confirmed ? " (confirmed)" : ""))),
                    .if(mayCorrect, .td(.a(
                        .href(Paths.countCorrection(site.cpmsID, site.siteODS, count.periodStart)),
                        .safe("Correct"), .span(.class("visually-hidden"), .safe(" the count from \(count.periodStart.longText)"))
                    )))
                )
            })
        )))
    }
}
