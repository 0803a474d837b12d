// /tenants, /clock, /tokens: the Exchange Online runtime (app::ExchangeRuntime via services).
#include <boost/json/array.hpp>

#include "control/event_json.hpp"
#include "control/request_json.hpp"
#include "control/routes.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

// Longest single clock step and token lifetime: a year is past every throttle window, and
// bigger values are far more likely to be a unit mistake than a test.
inline constexpr std::int64_t max_clock_step_seconds = 366LL * 24 * 3600;
inline constexpr std::int64_t max_token_ttl_seconds = 366LL * 24 * 3600;

bool names_domain(const json::value& tenant, const std::string& domain) {
    if (!tenant.is_object()) return false;
    const auto& o = tenant.as_object();
    for (const char* key : {"domain", "name"})
        if (const json::value* v = o.if_contains(key); v && v->is_string() && v->as_string() == domain) return true;
    if (const json::value* v = o.if_contains("accepted_domains"); v && v->is_array())
        for (const json::value& d : v->as_array())
            if (d.is_string() && d.as_string() == domain) return true;
    return false;
}

// The tenants document may be an array of tenants or an object keyed by domain.
json::value find_tenant(const json::value& tenants, const std::string& domain) {
    if (tenants.is_object()) {
        const auto& o = tenants.as_object();
        if (const json::value* t = o.if_contains(domain)) return *t;
        if (const json::value* list = o.if_contains("tenants")) return find_tenant(*list, domain);
        for (const auto& kv : o)
            if (names_domain(kv.value(), domain)) return kv.value();
    } else if (tenants.is_array()) {
        for (const json::value& t : tenants.as_array())
            if (names_domain(t, domain)) return t;
    }
    throw ApiError(404, "not_found", "no tenant with domain " + domain);
}

json::value clock_json(RouteContext& ctx) {
    const bool is_virtual = require_service(ctx.services.virtual_clock, "the Exchange Online clock")();
    json::object o{{"virtual", is_virtual}};
    if (ctx.services.now) o["now"] = utc_text(ctx.services.now());
    return o;
}

ApiResponse advance_clock(RouteContext& ctx, const ApiRequest& req) {
    const json::object body = parse_object_body(req);
    check_fields(body, {"seconds"});
    const std::int64_t seconds = *integer_field(body, "seconds", true);
    if (seconds <= 0 || seconds > max_clock_step_seconds)
        throw ApiError(400, "bad_field", "seconds: must be between 1 and " + std::to_string(max_clock_step_seconds));
    if (!require_service(ctx.services.virtual_clock, "the Exchange Online clock")())
        throw ApiError(409, "real_clock", "the clock is real; start exosim with `clock: virtual` to advance it");
    call_service("clock", [&] { require_service(ctx.services.advance_clock, "clock advance")(std::chrono::seconds(seconds)); });
    return json_response(200, clock_json(ctx));
}

ApiResponse mint_token(RouteContext& ctx, const ApiRequest& req) {
    const json::object body = parse_object_body(req);
    check_fields(body, {"user", "ttl", "audience"});
    const std::string user = *string_field(body, "user", true);
    if (user.empty()) throw ApiError(400, "bad_field", "user: must not be empty");
    const std::int64_t ttl = integer_field(body, "ttl", false).value_or(3600);
    if (ttl <= 0 || ttl > max_token_ttl_seconds)
        throw ApiError(400, "bad_field", "ttl: must be between 1 and " + std::to_string(max_token_ttl_seconds));
    const std::string audience = string_field(body, "audience", false).value_or("https://outlook.office.com");
    const auto& mint = require_service(ctx.services.mint_token, "token minting");
    const std::string token = call_service("tokens", [&] { return mint(user, std::chrono::seconds(ttl), audience); });
    json::object out{{"token", token}, {"user", user}, {"audience", audience}, {"ttl", ttl}};
    if (ctx.services.now) out["expires_at"] = utc_text(ctx.services.now() + std::chrono::seconds(ttl));
    return json_response(201, out);
}

}  // namespace

void add_exchange_routes(Router& router, RouteContext& ctx) {
    const std::string p = api_prefix;
    router.add(Method::get, p + "/tenants", [&ctx](const ApiRequest&) {
        return json_response(200, require_service(ctx.services.tenants, "the tenant directory")());
    });
    router.add(Method::get, p + "/tenants/{domain}", [&ctx](const ApiRequest& req) {
        return json_response(200, find_tenant(require_service(ctx.services.tenants, "the tenant directory")(),
                                              req.param("domain")));
    });
    router.add(Method::patch, p + "/tenants/{domain}", [&ctx](const ApiRequest& req) {
        const std::string& domain = req.param("domain");
        const json::value body = parse_body(req);
        if (!body.is_object()) throw ApiError(400, "bad_json", "request body must be a JSON object");
        const auto& tenants = require_service(ctx.services.tenants, "the tenant directory");
        find_tenant(tenants(), domain);  // 404 before 400 for an unknown domain
        call_service("tenant", [&] { require_service(ctx.services.patch_tenant, "tenant patching")(domain, body); });
        return json_response(200, find_tenant(tenants(), domain));
    });
    router.add(Method::get, p + "/clock", [&ctx](const ApiRequest&) { return json_response(200, clock_json(ctx)); });
    router.add(Method::post, p + "/clock/advance", [&ctx](const ApiRequest& req) { return advance_clock(ctx, req); });
    router.add(Method::post, p + "/tokens", [&ctx](const ApiRequest& req) { return mint_token(ctx, req); });
}

}  // namespace exosim::control
