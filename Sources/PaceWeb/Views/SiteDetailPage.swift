import PaceCore
import PaceStore
import Plot

/// One site of one study: milestones, recruitment against target, and the forms to record recruitment.
struct SiteDetailPage {
    let detail: SiteDetail
    let organisations: [Organisation]
    var participantForm = FormState(values: ["status": ParticipantStatus.recruited.rawValue])
    var countForm = FormState()
    var notice: String?

    static let participantLabels = [
        "participant_id": "Participant ID", "status": "Status", "consent_date": "Consent date", "recruited_date": "Recruited date",
        "withdrawn_date": "Withdrawn date", "identified_by_ods": "Identified by (PIC)", "site_ods": "Site", "cpms_id": "Study",
    ]
    static let countLabels = ["period_start": "Period start", "period_end": "Period end", "count": "Number recruited", "site_ods": "Site", "cpms_id": "Study"]

    func render(hostName: String) -> HTML {
        let site = detail.site
        let title = "\(detail.studyShortName) at \(detail.organisation.name)"
        return Layout(title: title, section: .studies, hostName: hostName).render(
            .p(.a(.href(Paths.study(site.cpmsID)), .text("← \(detail.studyShortName) (CPMS \(site.cpmsID))"))),
            .h1(.text(title)),
            .p(.class("lede"), .text("\(site.role.label) · local PI \(Show.text(site.localPI))")),
            .unwrap(notice) { .div(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
            FormField.errorSummary(participantForm, labels: SiteDetailPage.participantLabels),
            FormField.errorSummary(countForm, labels: SiteDetailPage.countLabels),
            .div(
                .class("grid-2"),
                .div(.class("card"), .h2(.text("Recruitment against target")), recruitment, monthlyTable),
                site.role.recruits
                    ? .div(.class("card"), participantFormNode)
                    : .div(.class("card"), .h2(.text("Recruitment")), .p(.text("A Participant Identification Centre identifies and refers people; their recruitment is recorded at the site that consents them.")))
            ),
            .div(
                .class("grid-2"),
                .div(.class("card"), .h2(.text("Set-up milestones")), .ol(.class("timeline"), .forEach(site.milestones) { item in
                    .li(.class(item.day == nil ? "" : "done"), .strong(.text(item.milestone.label)), .text(" "), .span(.class("when"), .text(Show.day(item.day))))
                }), .dl(
                    .class("facts"),
                    Show.fact("Planned recruitment", "\(Show.day(site.plannedRecruitmentStart)) to \(Show.day(site.plannedRecruitmentEnd))"),
                    Show.fact("Non-confirmation", Show.text(site.nonConfirmationStatus)),
                    Show.fact("Reason for delay", Show.text(site.delayReason)),
                    Show.fact("Delay attributed to", Show.text(site.delayAttribution?.label)),
                    Show.fact("Sponsor's agreed intention", Show.text(site.sponsorIntention))
                ), .div(.class("actions"), .a(.class("button"), .href(Paths.editSite(site.cpmsID, site.siteODS)), .text("Edit milestones")))),
                .if(site.role.recruits, .div(.class("card"), countFormNode))
            ),
            participantsTable,
            countsTable
        )
    }

    private var recruitment: Node<HTML.BodyContext> {
        let recruited = detail.recruited
        guard let target = detail.site.siteTarget, target > 0 else {
            return .p(.text("\(recruited) recruited. No site target recorded."))
        }
        return .group(
            .p(.strong(.text("\(recruited) of \(target)")), .text(" recruited (\(recruited * 100 / target)% of the site target)")),
            .element(named: "progress", nodes: [
                .attribute(named: "max", value: String(target)), .attribute(named: "value", value: String(min(recruited, target))),
                .attribute(named: "aria-label", value: "Recruited against site target"),
                .text("\(recruited) of \(target)"),
            ])
        )
    }

    private var participantFormNode: Node<HTML.BodyContext> {
        let site = detail.site
        return FormField.form(
            Paths.participants(site.cpmsID, site.siteODS), label: "Record a participant",
            .h2(.text("Record a participant")),
            .p(.class("hint"), .text("Use the study pseudonym only: never a name, NHS number or date of birth.")),
            FormField.input("participant_id", "Participant ID", form: participantForm, hint: "e.g. CALM-RT5-0042", required: true),
            FormField.select("status", "Status", form: participantForm, options: FormField.codeOptions(ParticipantStatus.self), blank: nil, required: true),
            FormField.input("consent_date", "Consent date", form: participantForm, type: .date, hint: "YYYY-MM-DD"),
            FormField.input("recruited_date", "Recruited date", form: participantForm, type: .date, hint: "When eligibility was confirmed; YYYY-MM-DD"),
            FormField.input("withdrawn_date", "Withdrawn date", form: participantForm, type: .date, hint: "Only for withdrawn participants"),
            FormField.select("identified_by_ods", "Identified by (PIC)", form: participantForm, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }),
            FormField.submit("Record participant")
        )
    }

    private var countFormNode: Node<HTML.BodyContext> {
        let site = detail.site
        return FormField.form(
            Paths.counts(site.cpmsID, site.siteODS), label: "Record a count",
            .h2(.text("Record a count for a period")),
            .p(.class("hint"), .text("For studies recorded in aggregate. The count is dated on the period's last day.")),
            FormField.input("period_start", "Period start", form: countForm, type: .date, hint: "YYYY-MM-DD", required: true),
            FormField.input("period_end", "Period end", form: countForm, type: .date, hint: "YYYY-MM-DD", required: true),
            FormField.input("count", "Number recruited", form: countForm, required: true, extra: [.attribute(named: "inputmode", value: "numeric")]),
            FormField.submit("Record count")
        )
    }

    private var monthlyTable: Node<HTML.BodyContext> {
        guard !detail.monthly.isEmpty else { return .empty }
        var running = 0
        let rows = detail.monthly.map { month -> (String, Int, Int) in
            running += month.recruited
            return (String(month.month.iso.prefix(7)), month.recruited, running)
        }
        return .group(.h3(.text("Recruitment by month")), .div(.class("table-wrap"), .table(
            .thead(.tr(.th(.text("Month")), .th(.class("number"), .text("Recruited")), .th(.class("number"), .text("Cumulative")))),
            .tbody(.forEach(rows) { row in
                .tr(.td(.class("nowrap"), .text(row.0)), .td(.class("number"), .text(String(row.1))), .td(.class("number"), .text(String(row.2))))
            })
        )))
    }

    private var participantsTable: Node<HTML.BodyContext> {
        guard !detail.participants.isEmpty else { return .empty }
        let caption = detail.participantCount > detail.participants.count
            ? "Latest \(detail.participants.count) of \(detail.participantCount) participants"
            : "\(detail.participantCount) participants"
        return .group(.h2(.text("Participants")), .div(.class("table-wrap"), .table(
            .caption(.text(caption)),
            .thead(.tr(.th(.text("Participant ID")), .th(.text("Status")), .th(.text("Consented")), .th(.text("Recruited")), .th(.text("Withdrawn")), .th(.text("Identified by")))),
            .tbody(.forEach(detail.participants) { participant in
                .tr(
                    .td(.text(participant.participantID)), .td(.text(participant.status.label)), .td(.class("nowrap"), .text(Show.day(participant.consentDate))),
                    .td(.class("nowrap"), .text(Show.day(participant.recruitedDate))), .td(.class("nowrap"), .text(Show.day(participant.withdrawnDate))), .td(.text(Show.text(participant.identifiedByODS)))
                )
            })
        )))
    }

    private var countsTable: Node<HTML.BodyContext> {
        guard !detail.counts.isEmpty else { return .empty }
        return .group(.h2(.text("Recruitment counts")), .div(.class("table-wrap"), .table(
            .thead(.tr(.th(.text("From")), .th(.text("To")), .th(.class("number"), .text("Recruited")))),
            .tbody(.forEach(detail.counts) { count in
                .tr(.td(.class("nowrap"), .text(count.periodStart.iso)), .td(.class("nowrap"), .text(count.periodEnd.iso)), .td(.class("number"), .text(String(count.count))))
            })
        )))
    }
}
