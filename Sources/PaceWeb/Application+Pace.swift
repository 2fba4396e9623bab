import Fluent
import PaceCore
import PaceStore
import Vapor

/// Builds the Pace web application: the one function `pace serve` and every web test use.
public func buildApplication(_ configuration: AppConfiguration, environment: Environment = .production) async throws -> Application {
    let app = try await Application.make(environment)
    do {
        try await configure(app, configuration)
        return app
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

func configure(_ app: Application, _ configuration: AppConfiguration) async throws {
    app.paceConfiguration = configuration
    app.dashboardCache = AuditKeyedCache()
    app.referenceListsCache = AuditKeyedCache()
    app.studyCountCache = AuditKeyedCache()
    app.databases.use(try configuration.database.configuration(), as: configuration.database.databaseID)
    try await PaceDatabase.migrate(databases: app.databases, location: configuration.database, logger: app.logger, on: app.eventLoopGroup.any())

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(PaceErrorMiddleware())
    app.middleware.use(AccessMiddleware())
    app.routes.defaultMaxBodySize = "1mb"
    app.routes.caseInsensitive = false

    try app.register(collection: SignInController())
    try app.register(collection: AccountController())
    try app.register(collection: UsersController())
    try app.register(collection: AuditController())
    try app.register(collection: PeopleController())
    try app.register(collection: StudyRecordsController())
    try app.register(collection: PortfolioController())
    try app.register(collection: StudyController())
    try app.register(collection: SiteController())
    try app.register(collection: SetUpController())
    try app.register(collection: AmendmentController())
    try app.register(collection: CorrectionController())
    try app.register(collection: OrganisationController())
    try app.register(collection: ReportController())
    try app.register(collection: MetricRulesController())
    try app.register(collection: ImportController(uploadLimitBytes: configuration.uploadLimitBytes))
    try app.register(collection: APIController(uploadLimitBytes: configuration.uploadLimitBytes))
}
