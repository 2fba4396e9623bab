import PaceCore
import Plot

/// What a form shows: the values the user typed (kept when something is wrong) and the problems found.
struct FormState: Sendable {
    var values: [String: String]
    var problems: [FieldProblem]

    init(values: [String: String] = [:], problems: [FieldProblem] = []) {
        self.values = values
        self.problems = problems
    }

    func value(_ name: String) -> String { values[name] ?? "" }

    /// The field's problems as sentences a research manager reads ("Enter the CPMS ID").
    func error(_ name: String, label: String? = nil, verb: String = "Enter") -> String? {
        let messages = problems.filter { $0.column == name }.map { PlainMessage.sentence($0.message, label: label ?? name, verb: verb) }
        return messages.isEmpty ? nil : messages.joined(separator: " ")
    }

    /// Problems on fields the form does not show (e.g. a key clash), listed in the summary only.
    var hasProblems: Bool { !problems.isEmpty }
}

/// Builders for the pieces every form uses, with labels, hints and errors tied to their inputs.
enum FormField {
    static func errorSummary(_ form: FormState, labels: [String: String]) -> Node<HTML.BodyContext> {
        .if(form.hasProblems, .div(
            .class("error-summary"),
            .attribute(named: "role", value: "alert"),
            .attribute(named: "tabindex", value: "-1"),
            // Focus moves to the summary when the page loads, so a keyboard or screen reader user starts there.
            .attribute(named: "autofocus", value: "autofocus"),
            .h2(.safe("There is a problem")),
            .ul(.forEach(form.problems) { problem in
                .li(.a(.href("#" + escapedAttribute(problem.column)), .safe(PlainMessage.sentence(problem.message, label: labels[problem.column] ?? PlainMessage.fieldName(problem.column)))))
            })
        ))
    }

    static func input(
        _ name: String, _ label: String, form: FormState, type: HTMLInputType = .text, hint: String? = nil,
        required: Bool = false, extra: [Attribute<HTML.InputContext>] = []
    ) -> Node<HTML.BodyContext> {
        let error = form.error(name, label: label)
        var attributes: [Attribute<HTML.InputContext>] = [
            .type(type), .id(escapedAttribute(name)), .name(escapedAttribute(name)), .value(escapedAttribute(form.value(name))),
            .attribute(named: "aria-describedby", value: escapedAttribute(optional: describedBy(name, hint: hint, error: error))),
            .attribute(named: "aria-invalid", value: error == nil ? nil : escapedAttribute("true")),
        ]
        if required { attributes.append(.required(true)) }
        attributes += extra
        return wrapper(name, label, hint: hint, error: error, control: .element(named: "input", attributes: attributes))
    }

    /// The NHS.UK date input: day, month and year boxes in a fieldset (and a time box where the moment
    /// matters). The day box carries the field's id, so the error summary's link lands on it; the
    /// boxes come back through `DateParts` as one value.
    static func date(
        _ name: String, _ label: String, form: FormState, hint: String? = nil, required: Bool = false, withTime: Bool = false
    ) -> Node<HTML.BodyContext> {
        let error = form.error(name, label: label)
        let typed = form.values[name + DateParts.day] != nil
        let stored = DateParts.split(form.value(name))
        let part = { (suffix: String, fallback: String) in typed ? form.value(name + suffix) : fallback }
        let hintText = hint.map { "\($0). " } ?? ""
        let example = withTime ? "For example, 15 3 2026 and 14:30 (UK time)" : "For example, 15 3 2026"
        func box(_ suffix: String, _ boxLabel: String, _ value: String, id: String, className: String, mode: String = "numeric") -> Node<HTML.BodyContext> {
            .div(.class("item"),
                 .label(.for(escapedAttribute(id)), .safe(boxLabel)),
                 .element(named: "input", attributes: [
                     .type(.text), .id(escapedAttribute(id)), .name(escapedAttribute(name + suffix)), .value(escapedAttribute(value)),
                     .class(escapedAttribute(className)), .attribute(named: "inputmode", value: escapedAttribute(mode)),
                     .attribute(named: "aria-invalid", value: error == nil ? nil : escapedAttribute("true")),
                 ]))
        }
        var boxes: [Node<HTML.BodyContext>] = [
            box(DateParts.day, "Day", part(DateParts.day, stored.day), id: name, className: "day"),
            box(DateParts.month, "Month", part(DateParts.month, stored.month), id: name + DateParts.month, className: "month"),
            box(DateParts.year, "Year", part(DateParts.year, stored.year), id: name + DateParts.year, className: "year"),
        ]
        if withTime {
            boxes.append(box(DateParts.time, "Time", part(DateParts.time, stored.time), id: name + DateParts.time, className: "time", mode: "text"))
        }
        return .div(
            .class(error == nil ? "field" : "field invalid"),
            .element(named: "fieldset", nodes: [
                .attribute(named: "role", value: "group"),
                .attribute(named: "aria-describedby", value: escapedAttribute(describedBy(name, hint: "", error: error) ?? "")),
                .element(named: "legend", nodes: [.safe(label), .if(required, .empty)]),
                .span(.class("hint"), .id(escapedAttribute("\(name)-hint")), .safe(hintText + example)),
                .unwrap(error) { .span(.class("error-message"), .id(escapedAttribute("\(name)-error")), .span(.class("visually-hidden"), .safe("Error: ")), .safe($0)) },
                .div(.class("date-input"), .group(boxes)),
            ])
        )
    }

    static func select(
        _ name: String, _ label: String, form: FormState, options: [(value: String, label: String)],
        blank: String? = "—", hint: String? = nil, required: Bool = false
    ) -> Node<HTML.BodyContext> {
        let error = form.error(name, label: label, verb: "Select")
        let current = form.value(name)
        // Written as text rather than one Plot element per option: a filter offers every organisation,
        // and building those elements was a quarter of the studies list's time.
        var choices = ""
        choices.reserveCapacity(64 * (options.count + 1))
        if let blank { appendOption("", blank, selected: current.isEmpty, to: &choices) }
        for choice in options { appendOption(choice.value, choice.label, selected: choice.value == current, to: &choices) }
        let control: Node<HTML.BodyContext> = .element(named: "select", nodes: [
            .id(escapedAttribute(name)), .attribute(named: "name", value: escapedAttribute(name)),
            .attribute(named: "aria-describedby", value: escapedAttribute(optional: describedBy(name, hint: hint, error: error))),
            .attribute(named: "aria-invalid", value: error == nil ? nil : escapedAttribute("true")),
            .attribute(named: "required", value: required ? "required" : nil),
            .raw(choices),
        ])
        return wrapper(name, label, hint: hint, error: error, control: control)
    }

    /// The same markup `option` builds, through the same escaping.
    static func appendOption(_ value: String, _ label: String, selected: Bool, to html: inout String) {
        // Plot writes an empty value as the bare attribute, which means the same.
        html += value.isEmpty ? "<option value" : "<option value=\"" + escapedAttribute(value) + "\""
        html += selected ? " selected=\"selected\">" : ">"
        html += escapedText(label)
        html += "</option>"
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> Node<HTML.BodyContext> {
        .element(named: "option", nodes: [
            .attribute(named: "value", value: escapedAttribute(value), ignoreIfValueIsEmpty: false),
            .attribute(named: "selected", value: selected ? "selected" : nil),
            .safe(label),
        ])
    }

    static func codeOptions<Code: DomainCode>(_ type: Code.Type) -> [(value: String, label: String)] {
        Code.allCases.map { ($0.rawValue, $0.label) }
    }

    /// A form whose content is ordinary page content (Plot's form context would refuse our field builders).
    static func form(
        _ action: String, method: String = "post", class className: String = "stack", multipart: Bool = false,
        label: String? = nil, csrfToken: String? = nil, _ content: Node<HTML.BodyContext>...
    ) -> Node<HTML.BodyContext> {
        // Every posted form carries the session's token; signing in brings its own.
        let token = method == "post" ? (csrfToken ?? PageContext.current.csrfToken) : nil
        return .element(named: "form", nodes: [
            .attribute(named: "action", value: escapedAttribute(action)),
            .attribute(named: "method", value: escapedAttribute(method)),
            .attribute(named: "class", value: escapedAttribute(className)),
            .attribute(named: "enctype", value: multipart ? "multipart/form-data" : nil),
            .attribute(named: "aria-label", value: escapedAttribute(optional: label)),
            .attribute(named: "novalidate", value: method == "post" ? "novalidate" : nil),
            .unwrap(token) { .input(.type(.hidden), .name(Credentials.csrfField), .value(escapedAttribute($0))) },
        ] + content)
    }

    /// The second step for a count above the plausible limit: the person confirms they checked it.
    static var countConfirmation: Node<HTML.BodyContext> { .div(
        .class("field checkbox"),
        .input(.type(.checkbox), .id("confirmed"), .name("confirmed"), .value("yes")),
        .label(.for("confirmed"), .safe("I have checked this number against the study's records and it is right"))
    ) }

    static func submit(_ label: String) -> Node<HTML.BodyContext> {
        .button(.type(.submit), .safe(label))
    }

    private static func describedBy(_ name: String, hint: String?, error: String?) -> String? {
        let ids = [hint == nil ? nil : "\(name)-hint", error == nil ? nil : "\(name)-error"].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }

    private static func wrapper(_ name: String, _ label: String, hint: String?, error: String?, control: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .div(
            .class(error == nil ? "field" : "field invalid"),
            .label(.for(name), .safe(label)),
            .unwrap(hint) { .span(.class("hint"), .id("\(name)-hint"), .safe($0)) },
            .unwrap(error) { .span(.class("error-message"), .id("\(name)-error"), .span(.class("visually-hidden"), .safe("Error: ")), .safe($0)) },
            control
        )
    }
}

/// Escapes text for an attribute value: Plot escapes text but writes attribute values as given.
func escapedAttribute(_ text: String) -> String {
    escapedText(text)
}

/// An optional attribute value, escaped; nil leaves the attribute out.
func escapedAttribute(optional text: String?) -> String? {
    text.map { escapedText($0) }
}

/// A hidden field carrying a record's key through an edit form.
func hiddenField(_ name: String, _ value: String) -> Node<HTML.BodyContext> {
    .input(.type(.hidden), .name(name), .value(escapedAttribute(value)))
}

/// Small formatting helpers shared by the pages.
enum Show {
    /// "1 March 2026", as a person reads a date; "—" when there is none.
    static func day(_ day: Day?) -> String { day?.longText ?? "—" }

    /// "1 April 2026", for headings a board reads.
    static func longDate(_ day: Day) -> String { day.longText }

    /// "Apr 2026", for chart axes.
    static func shortMonth(_ day: Day) -> String { "\(Day.monthNames[day.month - 1].prefix(3)) \(day.year)" }
    static func number(_ value: Int?) -> String { value.map(String.init) ?? "—" }
    /// A median of whole days: exact, or to one place when it falls between two (12.5).
    static func median(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
    static func text(_ value: String?) -> String { value ?? "—" }

    static func fact(_ term: String, _ value: String) -> Node<HTML.DescriptionListContext> {
        .group(.dt(.safe(term)), .dd(.safe(value)))
    }

    /// A table in its own region that scrolls sideways when it is wider than the screen; the region
    /// takes focus so a keyboard can scroll it, and is named for a screen reader.
    static func tableRegion(_ label: String, _ table: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .div(.class("table-wrap"), .attribute(named: "tabindex", value: "0"), .attribute(named: "role", value: "region"),
             .attribute(named: "aria-label", value: escapedAttribute(label)), table)
    }

    /// A study's status as an NHS.UK tag: green while open, blue in set-up, grey once closed, red when
    /// suspended or withdrawn. The words carry the meaning; the colour only repeats it.
    static func statusTag(_ status: StudyStatus?) -> Node<HTML.BodyContext> {
        guard let status else { return .safe("—") }
        let colour = switch status {
        case .suspended, .withdrawnDuringSetup: "red"
        default: switch status.phase { case .open: "green"; case .setUp: "blue"; case .closed: "grey" }
        }
        return .span(.class("tag \(colour)"), .safe(status.label))
    }

    static func link(_ text: String, _ href: String) -> Node<HTML.BodyContext> {
        .a(.href(href), .safe(text))
    }
}
