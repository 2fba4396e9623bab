import PaceCore
import PaceStore
import Vapor

/// The R&D manager's page for the thresholds behind every measure.
struct MetricRulesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rules = routes.grouped("admin", "metric-rules")
        rules.get(use: list).requires(.readPortfolio)
        rules.get(":rule", use: form).requires(.changeMetricRules)
        rules.post(":rule", use: change).requires(.changeMetricRules)
        routes.get("api", "v1", "metric-rules", use: listAPI).requires(.readPortfolio)
    }

    func list(request: Request) async throws -> Response {
        MetricRulesPage(
            rules: try await request.register.storedMetricRules(),
            changes: try await request.register.metricRuleChanges(),
            changed: request.query[String.self, at: "changed"].flatMap { MetricRuleDefinition.named($0)?.key }
        ).render(hostName: try await request.hostName()).response()
    }

    func form(request: Request) async throws -> Response {
        let rule = try await storedRule(request)
        return MetricRuleFormPage(rule: rule, form: FormState(values: [rule.definition.key: rule.value]))
            .render(hostName: try await request.hostName()).response()
    }

    func change(request: Request) async throws -> Response {
        let rule = try await storedRule(request)
        let values = try request.formValues()
        let key = rule.definition.key
        do {
            try await request.register.changeMetricRule(key, to: values[key] ?? "", reason: values["reason"] ?? "", by: request.auditContext)
            return seeOther(Paths.metricRules + "?changed=" + key)
        } catch let problem as FieldProblem {
            return MetricRuleFormPage(rule: rule, form: FormState(values: values, problems: [problem]))
                .render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func listAPI(request: Request) async throws -> Response {
        let rules = try await request.register.storedMetricRules()
        return try JSONValue.array(rules.map { rule in
            .object([
                ("rule", .string(rule.definition.key)), ("name", .string(rule.definition.name)), ("value", .string(rule.value)),
                ("meaning", .string(rule.definition.meaning)), ("source", .string(rule.definition.source)),
                ("changed_at", .string(rule.changedAt)), ("changed_by", .string(rule.changedBy)),
            ])
        }).jsonResponse(status: .ok)
    }

    private func storedRule(_ request: Request) async throws -> StoredMetricRule {
        let key = request.parameters.get("rule") ?? ""
        guard let rule = try await request.register.storedMetricRules().first(where: { $0.definition.key == key }) else {
            throw Abort(.notFound, reason: "There is no metric rule called '\(key)'.")
        }
        return rule
    }
}
