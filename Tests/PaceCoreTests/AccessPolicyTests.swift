import PaceCore
import Testing

struct AccessPolicyTests {
    let today = Day(iso: "2026-11-27")!

    func account(_ role: Role, studies: Set<Int> = [], until: Day? = nil, active: Bool = true) -> Account {
        Account(id: 1, email: "a@b.nhs.uk", name: "A", role: role, studies: studies, accessUntil: until, isActive: active)
    }

    /// What each role may do with a study it is not assigned to (assigned studies are tested below).
    static let unassigned: [(Role, Set<Permission>)] = [
        (.admin, [.open, .signedIn, .readPortfolio, .readStudy, .administer, .readAuditTrail]),
        (.rdManager, [.open, .signedIn, .readPortfolio, .readStudy, .recordRecruitment, .recordStudyEvents, .changePortfolio, .changeMetricRules, .readAuditTrail]),
        (.studyTeam, [.open, .signedIn]),
        (.viewer, [.open, .signedIn, .readPortfolio, .readStudy]),
        (.monitor, [.open, .signedIn]),
    ]

    @Test(arguments: unassigned)
    func eachRoleMayDoExactlyItsShare(role: Role, allowed: Set<Permission>) {
        let person = account(role, studies: role.isStudyScoped ? [42] : [], until: role == .monitor ? today : nil)
        for permission in Permission.allCases {
            #expect(AccessPolicy.allows(person, permission, study: 7, on: today) == allowed.contains(permission), "\(role) \(permission)")
        }
    }

    @Test func aStudyTeamReadsAndRecordsOnlyItsOwnStudies() {
        let team = account(.studyTeam, studies: [42, 43])
        #expect(AccessPolicy.allows(team, .readStudy, study: 42, on: today))
        #expect(AccessPolicy.allows(team, .recordRecruitment, study: 43, atHostSite: true, on: today))
        #expect(!AccessPolicy.allows(team, .recordRecruitment, study: 44, atHostSite: true, on: today))
        // Only at its own trust's sites: another trust's site of the same study, or a site not known, is refused.
        #expect(!AccessPolicy.allows(team, .recordRecruitment, study: 43, atHostSite: false, on: today))
        #expect(!AccessPolicy.allows(team, .recordRecruitment, study: 43, on: today))
        #expect(AccessPolicy.allows(account(.rdManager), .recordRecruitment, study: 43, atHostSite: false, on: today))
        #expect(!AccessPolicy.allows(team, .readStudy, study: nil, on: today))
        #expect(!AccessPolicy.allows(team, .changePortfolio, on: today))
        // Research nurses record safety events and deviations for their own studies only.
        #expect(AccessPolicy.allows(team, .recordStudyEvents, study: 42, on: today))
        #expect(!AccessPolicy.allows(team, .recordStudyEvents, study: 44, on: today))
        #expect(!AccessPolicy.allows(account(.viewer), .recordStudyEvents, study: 42, on: today))
        #expect(!AccessPolicy.allows(account(.monitor, studies: [42], until: today), .recordStudyEvents, study: 42, on: today))
        #expect(AccessPolicy.visibleStudies(team) == [42, 43])
        #expect(AccessPolicy.visibleStudies(account(.viewer)) == nil)
    }

    @Test func aMonitorReadsOneStudyUntilTheirAccessEnds() {
        let monitor = account(.monitor, studies: [42], until: today)
        #expect(AccessPolicy.allows(monitor, .readStudy, study: 42, on: today))
        #expect(!AccessPolicy.allows(monitor, .recordRecruitment, study: 42, on: today))
        let dayAfter = today.adding(days: 1)
        #expect(!AccessPolicy.allows(monitor, .readStudy, study: 42, on: dayAfter))
        #expect(!AccessPolicy.allows(monitor, .signedIn, on: dayAfter))
        #expect(AccessPolicy.allows(monitor, .open, on: dayAfter))
    }

    @Test func aClosedAccountOrNoAccountMayOnlySeeOpenPages() {
        for permission in Permission.allCases {
            #expect(AccessPolicy.allows(account(.rdManager, active: false), permission, study: 1, on: today) == (permission == .open))
            #expect(AccessPolicy.allows(nil, permission, study: 1, on: today) == (permission == .open))
        }
    }
}

struct AccountFormTests {
    @Test func aGoodAccountIsNormalised() throws {
        let checked = try AccountForm(email: "  Jane.Smith@NHS.net ", name: " Jane Smith ", role: "study-team", studies: "42, 43;42").checked()
        #expect(checked.email == "jane.smith@nhs.net")
        #expect(checked.name == "Jane Smith")
        #expect(checked.role == .studyTeam)
        #expect(checked.studies == [42, 43])
    }

    @Test(arguments: [
        (AccountForm(email: "not an email", name: "A", role: "viewer"), "email"),
        (AccountForm(email: "a@b", name: "A", role: "viewer"), "email"),
        (AccountForm(email: "<a@b.nhs.uk>", name: "A", role: "viewer"), "email"),
        (AccountForm(email: "a@b.nhs.uk", name: "", role: "viewer"), "name"),
        (AccountForm(email: "a@b.nhs.uk", name: "A\u{7}", role: "viewer"), "name"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "superuser"), "role"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "study-team"), "studies"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "study-team", studies: "CALM"), "studies"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "monitor", studies: "1,2", accessUntil: "2027-01-01"), "studies"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "monitor", studies: "1"), "access_until"),
        (AccountForm(email: "a@b.nhs.uk", name: "A", role: "monitor", studies: "1", accessUntil: "31/03/2027"), "access_until"),
    ])
    func badAccountsNameTheField(form: AccountForm, field: String) {
        #expect(throws: FieldProblem.self) { try form.checked() }
        #expect((try? form.checked()) == nil)
        do { _ = try form.checked() } catch let problem as FieldProblem { #expect(problem.column == field) } catch { Issue.record("\(error)") }
    }

    @Test func portfolioWideRolesCarryNoStudyList() throws {
        #expect(try AccountForm(email: "a@b.nhs.uk", name: "A", role: "viewer", studies: "42").checked().studies.isEmpty)
    }

    @Test func theAuditRecordsTheFieldsThatChanged() throws {
        let old = Account(id: 1, email: "a@b.nhs.uk", name: "A", role: .viewer)
        let checked = try AccountForm(email: "a@b.nhs.uk", name: "A", role: "study-team", studies: "42").checked()
        #expect(checked.auditFields(old: old) == [FieldChange(field: "role", old: "viewer", new: "study-team"), FieldChange(field: "studies", old: nil, new: "42")])
    }
}
