extension Day {
    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// "1 March 2026": how a person reads a date, on pages and in messages.
    public var longText: String {
        let parts = parts
        return "\(parts.day) \(Day.monthNames[parts.month - 1]) \(parts.year)"
    }
}
