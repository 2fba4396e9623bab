import PaceCore
import PaceStore
import Plot

/// Upload an interchange CSV file; shows what was imported, or every problem with row and column.
struct ImportPage {
    var form = FormState()
    var summary: ImportSummary?
    var rejected: ImportRejected?
    let uploadLimitBytes: Int

    func render(hostName: String) -> HTML {
        Layout(title: "Import", section: .importData, hostName: hostName).render(
            .h1(.safe("Import CSV files")),
            .p(.class("lede"), .safe("Files in Pace's interchange format. A file is imported whole or not at all; importing the same file twice changes nothing.")),
            .unwrap(summary) { .div(.class("notice"), .attribute(named: "role", value: "status"), .safe($0.description)) },
            .unwrap(rejected) { rejected in
                .div(
                    .class("error-summary"), .attribute(named: "role", value: "alert"),
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
                FormField.submit("Import")
            ),
            .h2(.safe("Columns")),
            .div(.class("table-wrap"), .table(
                .thead(.tr(.th(.safe("File")), .th(.safe("Columns (required first)")))),
                .tbody(.forEach(InterchangeKind.allCases) { kind in
                    .tr(.td(.safe(kind.rawValue)), .td(.safe(
                        kind.columns.filter(\.required).map { $0.name + "*" }.joined(separator: ", ") + ", "
                            + kind.columns.filter { !$0.required }.map(\.name).joined(separator: ", ")
                    )))
                })
            ))
        )
    }
}

struct ErrorPage {
    let status: Int
    let title: String
    let message: String

    func render(hostName: String) -> HTML {
        Layout(title: title, section: nil, hostName: hostName).render(
            .h1(.safe(title)),
            .p(.safe(message)),
            .p(.a(.href(Paths.home), .safe("Go to the portfolio")))
        )
    }
}
