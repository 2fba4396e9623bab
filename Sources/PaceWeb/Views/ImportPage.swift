import PaceCore
import PaceStore
import Plot

/// Upload an interchange CSV file; shows what was imported, or every problem with row and column.
struct ImportPage {
    var form = FormState()
    var summary: ImportSummary?
    var rejected: ImportRejected?
    /// What the uploaded file would do, and the token that confirms it.
    var preview: ImportSummary?
    var token: String?
    let uploadLimitBytes: Int

    func render(hostName: String) -> HTML {
        Layout(title: "Import", section: .importData, hostName: hostName).render(
            .h1(.safe("Import CSV files")),
            .p(.class("lede"), .safe("Files in Pace's interchange format. You see what a file would change before anything is written; it is then imported whole or not at all, and importing the same file twice changes nothing.")),
            .unwrap(summary) { .div(.class("notice"), .attribute(named: "role", value: "status"), .safe($0.description)) },
            .unwrap(preview) { previewSection($0) },
            .unwrap(rejected) { rejected in
                .div(
                    .class("error-summary"), .attribute(named: "role", value: "alert"),
                    .attribute(named: "tabindex", value: "-1"), .attribute(named: "autofocus", value: "autofocus"),
                    .h2(.safe("The file was not imported")),
                    .p(.safe("Nothing was written. Correct these problems and import the file again:")),
                    .ul(.forEach(rejected.issues) { .li(.safe($0.description)) }),
                    .if(rejected.moreIssues > 0, .p(.safe("… and \(rejected.moreIssues) more problems.")))
                )
            },
            FormField.form(
                Paths.importData, multipart: true, label: "Import a file",
                FormField.errorSummary(form, labels: ["kind": "What the file holds", "file": "File", "reason": "Reason for the changes"]),
                FormField.select("kind", "What the file holds", form: form, options: InterchangeKind.allCases.map { ($0.rawValue, $0.rawValue) }, required: true),
                FormField.input("file", "File", form: form, type: .file, hint: "CSV, UTF-8, at most \(uploadLimitBytes / 1_048_576) MB; larger files: pace import KIND FILE", required: true,
                                extra: [.attribute(named: "accept", value: ".csv,text/csv")]),
                FormField.input("reason", "Reason for the changes (if the file corrects records)", form: form,
                                hint: "Needed when the file changes a site milestone already reported in an earlier quarter, e.g. corrected from the sponsor's site file; recorded with every change"),
                .div(
                    .class("field checkbox"),
                    .element(named: "input", attributes: [
                        .type(.checkbox), .id("confirm_counts"), .name("confirm_counts"), .value("yes"),
                        .attribute(named: "checked", value: form.value("confirm_counts") == "yes" ? "checked" : nil),
                    ]),
                    .label(.for("confirm_counts"), .safe("The file's counts above the plausible limit have been checked and are right"))
                ),
                FormField.submit("Check the file")
            ),
            .h2(.safe("Columns")),
            Show.tableRegion("Columns", .table(
                .thead(.tr(.th(.safe("File")), .th(.safe("Columns (required first)")))),
                .tbody(.forEach(InterchangeKind.allCases) { kind in
                    .tr(.td(.safe(kind.rawValue)), .td(.safe(
                        kind.columns.filter(\.required).map { $0.name + "*" }.joined(separator: ", ") + ", "
                            + kind.columns.filter { !$0.required }.map(\.name).joined(separator: ", ") + ", " + InterchangeKind.lastChangedColumn
                    )))
                })
            )),
            .p(.class("hint"), .safe("Every export ends with last_changed, when the record last changed in Pace. Leave it as exported: a row older than the record in Pace that would change it is refused, so an old file cannot undo later work."))
        )
    }

    private func previewSection(_ preview: ImportSummary) -> Node<HTML.BodyContext> {
        let listed = preview.changes.count
        let nothing = preview.created == 0 && preview.changed == 0
        return .div(
            .class("card"),
            .h2(.safe("Check the changes before importing")),
            .p(.safe("\(preview.file): \(preview.records) \(preview.kind.rawValue) records read. Nothing has been written yet.")),
            .dl(.class("facts"), Show.fact("New records", String(preview.created)), Show.fact("Records that change", String(preview.changed)),
                Show.fact("Records already as the file has them", String(preview.unchanged))),
            .if(listed > 0, .group(
                .h3(.safe(preview.changed > listed ? "The first \(listed) changes" : "What changes")),
                Show.tableRegion("Check the changes before importing", .table(
                    .thead(.tr(.th(.safe("Record")), .th(.safe("Field")), .th(.safe("Now")), .th(.safe("After the import")))),
                    .tbody(.forEach(preview.changes.flatMap { change in change.fields.map { (change.record, $0) } }) { record, field in
                        .tr(.td(.safe(record)), .td(.safe(field.field)), .td(.safe(field.old ?? "—")), .td(.safe(field.new ?? "—")))
                    })
                ))
            )),
            nothing
                ? .p(.safe("Nothing would change: every record is already held as the file has it."))
                : .unwrap(token) { token in
                    FormField.form(
                        Paths.importConfirm, label: "Import these changes",
                        hiddenField("token", token),
                        FormField.submit("Import these changes")
                    )
                },
            .p(.a(.href(Paths.importData), .safe("Cancel: import nothing")))
        )
    }
}

struct ErrorPage {
    let status: Int
    let title: String
    let message: String
    var signedIn = true

    func render(hostName: String) -> HTML {
        Layout(title: title, section: nil, hostName: hostName).render(
            .h1(.safe(title)),
            .p(.safe(message)),
            .if(status == 403, .p(.safe("Your R&D office decides who may see and change each part of Pace. If you need this page for your work, ask them to change your account's role or studies."))),
            .if(status == 404, .p(.safe("If you typed the address, check it is correct. If you followed a link from Pace, the record may have been removed; the R&D office can tell you what happened to it."))),
            .if(status >= 500, .p(.safe("If this keeps happening, tell your system administrator, with the time it happened."))),
            .p(signedIn ? .a(.href(Paths.home), .safe("Go to your home page")) : .a(.href(Paths.signIn), .safe("Sign in to Pace")))
        )
    }
}
