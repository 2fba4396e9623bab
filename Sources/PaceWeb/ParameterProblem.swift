import PaceCore
import Vapor

/// A query parameter that could not be read: the API answers 400 naming it, and a report page is
/// shown again with the message beside the field, so nobody meets a dead end.
struct ParameterProblem: AbortError {
    let name: String
    let value: String
    /// What is wrong, in words that follow the parameter's name ("is not a date: write it as …").
    let message: String

    init(_ name: String, _ value: String, _ message: String) {
        self.name = name
        self.value = value
        self.message = message
    }

    var status: HTTPResponseStatus { .badRequest }

    var reason: String { "\(name)='\(Self.quoted(value))' \(message)." }

    var fieldProblem: FieldProblem { FieldProblem(column: name, message: "'\(Self.quoted(value))' \(message)") }

    /// Enough of what was sent to recognise it, never the whole of a long or hostile value.
    static func quoted(_ value: String) -> String {
        let plain = RowReader.replacingControlCharacters(value)
        return plain.count > 40 ? plain.prefix(40) + "…" : plain
    }
}

/// Reading typed report parameters from a query, once, at the edge.
struct ReportQuery {
    let request: Request

    /// The parameter's text, or nil when it is absent or empty; a date typed into a page's day, month
    /// and year boxes counts as the parameter.
    func text(_ name: String) -> String? {
        if let text = request.query[String.self, at: name], !text.isEmpty { return text }
        guard let day = request.query[String.self, at: name + DateParts.day], let month = request.query[String.self, at: name + DateParts.month],
              let year = request.query[String.self, at: name + DateParts.year] else { return nil }
        let joined = DateParts.joined(day: day, month: month, year: year, time: nil)
        return joined.isEmpty ? nil : joined
    }

    func day(_ name: String) throws -> Day? {
        try text(name).map { text in
            guard let day = Day(iso: text) else { throw ParameterProblem(name, text, "is not a date from \(Self.years): write it as YYYY-MM-DD") }
            return day
        }
    }

    /// A calendar month written `YYYY-MM` (a whole date is taken as its month), as its first day.
    func month(_ name: String) throws -> Day? {
        try text(name).map { text in
            guard let month = ActivityReport.month(text) else { throw ParameterProblem(name, text, "is not a month from \(Self.years): write it as YYYY-MM") }
            return month
        }
    }

    func quarter(_ name: String) throws -> FinancialQuarter? {
        try text(name).map { text in
            guard let quarter = FinancialQuarter(text) else {
                throw ParameterProblem(name, text, "is not a financial quarter from \(Self.years): write it as 2025-26-Q4")
            }
            return quarter
        }
    }

    func financialYear(_ name: String) throws -> FinancialYear? {
        try text(name).map { text in
            guard let year = FinancialYear(text) else { throw ParameterProblem(name, text, "is not a financial year from \(Self.years): write it as 2025-26") }
            return year
        }
    }

    func organisation(_ name: String = "organisation") throws -> String? {
        try text(name).map { text in
            guard let code = Identifiers.normalisedODSCode(text) else { throw ParameterProblem(name, text, "is not an organisation code (2–12 letters or digits, e.g. RT5)") }
            return code
        }
    }

    private static var years: String { "\(Day.meaningfulYears.lowerBound) to \(Day.meaningfulYears.upperBound)" }
}
