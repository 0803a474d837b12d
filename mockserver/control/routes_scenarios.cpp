// /scenarios: arm a scenario (the JSON form of the YAML model), read its run, clear it.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "control/request_json.hpp"
#include "control/routes.hpp"
#include "scenario/json_io.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

json::value findings_json(const scenario::Findings& f) {
    json::array rules;
    for (const scenario::Finding& r : f.rules) {
        json::array quotes;
        for (const std::string& q : r.quotes) quotes.push_back(json_text(q));
        rules.push_back({{"rule", r.rule},
                         {"verdict", scenario::verdict_name(r.verdict)},
                         {"severity", scenario::severity_name(r.severity)},
                         {"message", json_text(r.message)},
                         {"quotes", std::move(quotes)},
                         {"expected", r.expected ? json::value(scenario::verdict_name(*r.expected)) : json::value(nullptr)},
                         {"as_expected", r.as_expected}});
    }
    json::array tls;
    for (const std::string& v : f.tls_versions) tls.push_back(json::string(v));
    return json::object{{"verdict", scenario::verdict_name(f.verdict)},
                        {"outcome", scenario::outcome_name(f.outcome)},
                        {"expected_outcome", scenario::outcome_name(f.expected_outcome)},
                        {"error", f.error},
                        {"attempts", f.attempts},
                        {"tls_versions", std::move(tls)},
                        {"rules", std::move(rules)}};
}

ApiResponse arm(RouteContext& ctx, const ApiRequest& req) {
    const json::value body = parse_body(req);
    std::shared_ptr<const scenario::Scenario> s;
    try {
        s = std::make_shared<const scenario::Scenario>(scenario::scenario_from_json(body, "request body"));
    } catch (const scenario::ScenarioError& e) {
        throw ApiError(400, "invalid_scenario", e.what());
    }
    const auto& arm_fn = require_service(ctx.services.arm_scenario, "the scenario slot");
    call_service("scenario", [&] { arm_fn(s); });
    return json_response(201, json::object{{"armed", s->id}, {"scenario", scenario::to_json(*s)}});
}

ApiResponse armed(RouteContext& ctx) {
    auto s = require_service(ctx.services.armed_scenario, "the scenario slot")();
    if (!s) throw ApiError(404, "not_found", "no scenario is armed");
    json::object out{{"id", s->id}, {"title", s->title}, {"endpoint", s->endpoint}};
    if (ctx.services.scenario_connections) out["connections"] = ctx.services.scenario_connections();
    if (ctx.services.scenario_active) out["active"] = ctx.services.scenario_active();
    if (ctx.services.judge_scenario) out["findings"] = findings_json(call_service("judge", ctx.services.judge_scenario));
    return json_response(200, out);
}

}  // namespace

void add_scenario_routes(Router& router, RouteContext& ctx) {
    const std::string p = std::string(api_prefix) + "/scenarios";
    router.add(Method::post, p, [&ctx](const ApiRequest& req) { return arm(ctx, req); });
    router.add(Method::get, p + "/armed", [&ctx](const ApiRequest&) { return armed(ctx); });
    router.add(Method::delete_, p + "/armed", [&ctx](const ApiRequest&) {
        auto s = require_service(ctx.services.armed_scenario, "the scenario slot")();
        if (!s) throw ApiError(404, "not_found", "no scenario is armed");
        require_service(ctx.services.clear_scenario, "the scenario slot")();
        return json_response(200, json::object{{"cleared", s->id}});
    });
}

}  // namespace exosim::control
