import Plot

/// A long table shown a page at a time (the NHS.UK pagination pattern: previous, the pages, next);
/// the downloads always hold every row.
struct Pagination {
    static let perPage = 50

    let total: Int
    /// 1-based, already checked against the range at the edge; clamped here to the pages there are.
    let page: Int
    /// The page's address with its other parameters, without `page`.
    let path: String
    let query: [(String, String)]

    init(total: Int, page: Int?, path: String, query: [(String, String)]) {
        self.total = total
        self.path = path
        self.query = query.filter { $0.0 != "page" }
        self.page = min(max(page ?? 1, 1), max(1, (total + Self.perPage - 1) / Self.perPage))
    }

    var pages: Int { max(1, (total + Self.perPage - 1) / Self.perPage) }

    func slice<Row>(_ rows: [Row]) -> ArraySlice<Row> {
        let start = min((page - 1) * Self.perPage, rows.count)
        return rows[start..<min(start + Self.perPage, rows.count)]
    }

    /// "Rows 51 to 100 of 228".
    var caption: String {
        guard pages > 1 else { return "\(total) \(total == 1 ? "row" : "rows")" }
        let first = (page - 1) * Self.perPage + 1
        return "Rows \(first) to \(min(page * Self.perPage, total)) of \(total)"
    }

    private func address(_ number: Int) -> String {
        escapedAttribute(Paths.withQuery(path, query + (number == 1 ? [] : [("page", String(number))])))
    }

    var node: Node<HTML.BodyContext> {
        .if(pages > 1, .nav(
            .class("pagination"), .attribute(named: "aria-label", value: "Pages of the table"),
            .ul(
                .if(page > 1, .li(.a(.href(address(page - 1)), .attribute(named: "rel", value: "prev"), .safe("‹ Previous"), .span(.class("visually-hidden"), .safe(" page"))))),
                .forEach(Array(1...pages)) { number in
                    number == page
                        ? .li(.class("current"), .attribute(named: "aria-current", value: "page"), .safe("Page \(number)"))
                        : .li(.a(.href(address(number)), .span(.class("visually-hidden"), .safe("Page ")), .safe(String(number))))
                },
                .if(page < pages, .li(.a(.href(address(page + 1)), .attribute(named: "rel", value: "next"), .safe("Next"), .span(.class("visually-hidden"), .safe(" page")), .safe(" ›"))))
            )
        ))
    }
}
