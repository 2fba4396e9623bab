/// The thresholds behind every national measure, kept as data so an R&D office can follow a change in
/// the national definitions without a new release. `national` holds the current defaults (domain.md §5).
public struct MetricRules: Sendable, Codable, Equatable {
    /// PID initiating: days from site selected to first participant.
    public var pidInitiatingDays: Int
    /// UK KPI: days from HRA approval to site open.
    public var kpiOpenDays: Int
    /// UK KPI: days from site open to first participant.
    public var kpiFirstParticipantDays: Int
    /// UK KPI: days from regulatory submission to first participant (commercial contract CTIMPs).
    public var kpiSetUpDays: Int
    /// Traffic light: green when RTT + 1 is at least this.
    public var greenFrom: Double
    /// Traffic light: amber when RTT + 1 is at least this (and below green).
    public var amberFrom: Double
    /// Days of recent recruitment the forecast extrapolates from.
    public var forecastWindowDays: Int
    /// The sponsor's agreed intention that counts a site as on track whatever its RTT.
    public var onTrackIntention: String
    /// Days GCP training stays current: the trust's renewal policy (often 2 years).
    public var gcpTrainingRenewalDays: Int
    /// A count above this many participants for each month of its period (or above the site's whole
    /// target) is refused until a person confirms it: a typing slip must not reach a national return.
    public var countConfirmationPerMonth: Int
    /// The share of open studies on track the dashboard's light is measured against (domain.md §5: 80%).
    public var onTrackAmbition: Double
    /// The share of trials meeting the PID initiating benchmark aimed for.
    public var pidInitiatingAmbition: Double
    /// The share of sites aimed to open within the KPI's days of HRA approval (90%, commercial).
    public var kpiOpenAmbition: Double
    /// The share of sites aimed to recruit a first participant within the KPI's days of opening (90%).
    public var kpiFirstParticipantAmbition: Double
    /// The share of commercial contract CTIMPs aimed to be set up within the 150 days.
    public var kpiSetUpAmbition: Double
    /// Days a trust has to assess an amendment and raise any objection before the sponsor may implement it.
    public var amendmentAssessmentDays: Int
    /// Days kept between the last review and the opening deadline for the confirmation of capacity and
    /// capability and the initiation visit: an open review must finish this long before the site must open.
    public var setUpClosingDays: Int

    public init(
        pidInitiatingDays: Int = 70, kpiOpenDays: Int = 60, kpiFirstParticipantDays: Int = 30, kpiSetUpDays: Int = 150,
        greenFrom: Double = 1.0, amberFrom: Double = 0.8, forecastWindowDays: Int = 90,
        onTrackIntention: String = "on track as per study milestones", gcpTrainingRenewalDays: Int = 730,
        countConfirmationPerMonth: Int = 100, onTrackAmbition: Double = 0.8, pidInitiatingAmbition: Double = 0.8,
        kpiOpenAmbition: Double = 0.9, kpiFirstParticipantAmbition: Double = 0.9, kpiSetUpAmbition: Double = 0.9,
        amendmentAssessmentDays: Int = 35, setUpClosingDays: Int = 10
    ) {
        self.pidInitiatingDays = pidInitiatingDays
        self.kpiOpenDays = kpiOpenDays
        self.kpiFirstParticipantDays = kpiFirstParticipantDays
        self.kpiSetUpDays = kpiSetUpDays
        self.greenFrom = greenFrom
        self.amberFrom = amberFrom
        self.forecastWindowDays = forecastWindowDays
        self.onTrackIntention = onTrackIntention
        self.gcpTrainingRenewalDays = gcpTrainingRenewalDays
        self.countConfirmationPerMonth = countConfirmationPerMonth
        self.onTrackAmbition = onTrackAmbition
        self.pidInitiatingAmbition = pidInitiatingAmbition
        self.kpiOpenAmbition = kpiOpenAmbition
        self.kpiFirstParticipantAmbition = kpiFirstParticipantAmbition
        self.kpiSetUpAmbition = kpiSetUpAmbition
        self.amendmentAssessmentDays = amendmentAssessmentDays
        self.setUpClosingDays = setUpClosingDays
    }

    public static let national = MetricRules()
}

public enum TrafficLight: String, Sendable, Codable, CaseIterable {
    case green, amber, red
}
