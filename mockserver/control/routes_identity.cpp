// /identity/...: the sign-in service's control operations (issue 14 "Approval without a person",
// "Faults", "Observability"), over identity::IdentityService.
#include <boost/json/array.hpp>

#include "control/event_json.hpp"
#include "control/identity_requests.hpp"
#include "control/request_json.hpp"
#include "control/routes.hpp"
#include "identity/identity_service.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

// Longest key-rotation grace, fault delay and skew the API takes: beyond these a value is more
// likely a unit mistake than a test.
inline constexpr std::int64_t max_grace_seconds = 366LL * 24 * 3600;
inline constexpr std::int64_t max_fault_delay_ms = 10LL * 60 * 1000;
inline constexpr std::int64_t max_skew_seconds = 24LL * 3600;
inline constexpr std::size_t default_requests_listed = 100;

identity::IdentityService& service(RouteContext& ctx) {
    if (!ctx.services.identity) throw ApiError(409, "not_available", "the sign-in service is not available in this server");
    return *ctx.services.identity;
}

std::optional<bool> bool_field(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_bool()) throw ApiError(400, "bad_field", std::string(key) + ": must be true or false");
    return v->as_bool();
}

std::int64_t bounded(const json::object& o, std::string_view key, std::int64_t fallback, std::int64_t min,
                     std::int64_t max) {
    const std::int64_t v = integer_field(o, key, false).value_or(fallback);
    if (v < min || v > max)
        throw ApiError(400, "bad_field", std::string(key) + ": must be between " + std::to_string(min) + " and " +
                                             std::to_string(max));
    return v;
}

// ControlStatus -> the API's status: ok 200, unknown things 404, a bad value 400.
ApiResponse status_response(identity::ControlStatus s, json::object ok_body, const std::string& what) {
    using S = identity::ControlStatus;
    if (s == S::ok) return json_response(200, ok_body);
    const std::string name(identity::control_status_name(s));
    if (s == S::invalid) throw ApiError(400, name, what + ": " + name);
    throw ApiError(404, name, what + ": " + name);
}

json::value pending_json(const std::vector<identity::PendingDeviceCode>& codes) {
    json::array out;
    for (const auto& c : codes)
        out.push_back(json::object{{"user_code", c.user_code}, {"client_id", c.client_id}, {"app", c.app_name},
                                   {"scope", c.scope}, {"created", utc_text(c.created)}, {"expires", utc_text(c.expires)}});
    return json::object{{"device_codes", std::move(out)}};
}

ApiResponse device_code_action(RouteContext& ctx, const ApiRequest& req, const std::string& action) {
    const std::string& code = req.param("code");
    identity::IdentityService& svc = service(ctx);
    if (action == "approve") {
        const json::object body = parse_object_body(req);
        check_fields(body, {"user"});
        const std::string user = *string_field(body, "user", true);
        return status_response(svc.approve_device_code(code, user), {{"user_code", code}, {"approved_as", user}},
                               "device code " + code);
    }
    if (action == "decline") return status_response(svc.decline_device_code(code), {{"user_code", code}, {"declined", true}}, "device code " + code);
    return status_response(svc.expire_device_code(code), {{"user_code", code}, {"expired", true}}, "device code " + code);
}

ApiResponse patch_user(RouteContext& ctx, const ApiRequest& req) {
    const json::object body = parse_object_body(req);
    check_fields(body, {"mfa_required", "disabled", "password_expired", "locked", "ca_blocked", "password",
                        "sign_in_frequency"});
    identity::SignInChange change;
    change.mfa_required = bool_field(body, "mfa_required");
    change.disabled = bool_field(body, "disabled");
    change.password_expired = bool_field(body, "password_expired");
    change.locked = bool_field(body, "locked");
    change.ca_blocked = bool_field(body, "ca_blocked");
    change.new_password = string_field(body, "password", false);
    if (const json::value* v = body.if_contains("sign_in_frequency")) {
        if (v->is_null()) change.sign_in_frequency = std::optional<std::chrono::seconds>{};
        else change.sign_in_frequency = std::chrono::seconds(bounded(body, "sign_in_frequency", 0, 1, max_grace_seconds));
    }
    const std::string& user = req.param("user");
    return status_response(service(ctx).change_sign_in(user, change), {{"user", user}, {"changed", true}}, "user " + user);
}

ApiResponse put_token_fault(RouteContext& ctx, const ApiRequest& req) {
    const json::object body = parse_object_body(req);
    check_fields(body, {"status", "retry_after", "delay_ms", "close", "count"});
    identity::TokenEndpointFault f;
    f.status = static_cast<unsigned>(bounded(body, "status", 0, 0, 599));
    if (f.status != 0 && f.status != 500 && f.status != 503)
        throw ApiError(400, "bad_field", "status: 500, 503 or 0 (no status fault)");
    if (body.contains("retry_after")) f.retry_after = std::chrono::seconds(bounded(body, "retry_after", 0, 0, 86400));
    f.delay = std::chrono::milliseconds(bounded(body, "delay_ms", 0, 0, max_fault_delay_ms));
    f.close_connection = bool_field(body, "close").value_or(false);
    f.count = static_cast<unsigned>(bounded(body, "count", 0, 0, 1000000));
    if (f.status == 0 && f.delay.count() == 0 && !f.close_connection)
        throw ApiError(400, "bad_fault", "a fault needs status, delay_ms or close");
    service(ctx).set_token_fault(f);
    return json_response(200, body);
}

ApiResponse mint(RouteContext& ctx, const ApiRequest& req) {
    const json::object body = parse_object_body(req);
    check_fields(body, {"user", "client_id", "tenant", "audience", "ttl"});
    identity::MintRequest m;
    m.user = string_field(body, "user", false).value_or("");
    m.client_id = string_field(body, "client_id", false).value_or("");
    m.tenant = string_field(body, "tenant", false).value_or("");
    m.audience = string_field(body, "audience", false).value_or("");
    if (body.contains("ttl")) m.lifetime = std::chrono::seconds(bounded(body, "ttl", 3600, 1, max_grace_seconds));
    const identity::MintResult r = service(ctx).mint(m);
    return status_response(r.status, {{"token", r.access_token}, {"expires_at", utc_text(r.expires)},
                                      {"user", m.user}, {"app_only", m.user.empty()}},
                           "token");
}

void add_flow_routes(Router& router, RouteContext& ctx, const std::string& p) {
    router.add(Method::get, p + "/device-codes", [&ctx](const ApiRequest&) {
        return json_response(200, pending_json(service(ctx).pending_device_codes()));
    });
    for (const char* action : {"approve", "decline", "expire"})
        router.add(Method::post, p + "/device-codes/{code}/" + action,
                   [&ctx, a = std::string(action)](const ApiRequest& req) { return device_code_action(ctx, req, a); });
    router.add(Method::patch, p + "/users/{user}", [&ctx](const ApiRequest& req) { return patch_user(ctx, req); });
    router.add(Method::get, p + "/users/{user}/mfa-code", [&ctx](const ApiRequest& req) {
        auto code = service(ctx).mfa_code(req.param("user"));
        if (!code) throw ApiError(404, "no_mfa", req.param("user") + " does not need MFA (or is unknown)");
        return json_response(200, json::object{{"user", req.param("user")}, {"code", *code}});
    });
}

void add_fault_routes(Router& router, RouteContext& ctx, const std::string& p) {
    router.add(Method::post, p + "/refresh-tokens/revoke", [&ctx](const ApiRequest& req) {
        const json::object body = parse_object_body(req, false);
        check_fields(body, {"user"});
        const std::string user = string_field(body, "user", false).value_or("");
        return json_response(200, json::object{{"revoked", service(ctx).revoke_refresh_tokens(user)}});
    });
    router.add(Method::post, p + "/apps/{client}/consent", [&ctx](const ApiRequest& req) {
        const json::object body = parse_object_body(req);
        check_fields(body, {"tenant", "granted"});
        const std::string tenant = *string_field(body, "tenant", true);
        const bool granted = bool_field(body, "granted").value_or(true);
        return status_response(service(ctx).set_consent(req.param("client"), tenant, granted),
                               {{"client_id", req.param("client")}, {"tenant", tenant}, {"granted", granted}}, "consent");
    });
    router.add(Method::post, p + "/apps/{client}/expire-secrets", [&ctx](const ApiRequest& req) {
        return status_response(service(ctx).expire_app_secrets(req.param("client")),
                               {{"client_id", req.param("client")}, {"secrets_expired", true}}, "app");
    });
    router.add(Method::post, p + "/keys/rotate", [&ctx](const ApiRequest& req) {
        const json::object body = parse_object_body(req, false);
        check_fields(body, {"grace_seconds"});
        std::optional<std::chrono::seconds> grace;
        if (body.contains("grace_seconds")) grace = std::chrono::seconds(bounded(body, "grace_seconds", 0, 0, max_grace_seconds));
        return json_response(200, json::object{{"kid", service(ctx).rotate_signing_key(grace)}});
    });
    router.add(Method::put, p + "/faults/token", [&ctx](const ApiRequest& req) { return put_token_fault(ctx, req); });
    router.add(Method::delete_, p + "/faults/token", [&ctx](const ApiRequest&) {
        service(ctx).set_token_fault(std::nullopt);
        return json_response(200, json::object{{"cleared", true}});
    });
    router.add(Method::put, p + "/skew", [&ctx](const ApiRequest& req) {
        const json::object body = parse_object_body(req);
        check_fields(body, {"seconds"});
        const std::int64_t s = bounded(body, "seconds", 0, 0, max_skew_seconds);
        service(ctx).set_clock_skew(std::chrono::seconds(s));
        return json_response(200, json::object{{"nbf_ahead_seconds", s}});
    });
}

}  // namespace

void add_identity_routes(Router& router, RouteContext& ctx) {
    const std::string p = std::string(api_prefix) + "/identity";
    add_flow_routes(router, ctx, p);
    add_fault_routes(router, ctx, p);
    router.add(Method::post, p + "/tokens", [&ctx](const ApiRequest& req) { return mint(ctx, req); });
    router.add(Method::get, p + "/requests", [&ctx](const ApiRequest& req) {
        std::size_t limit = default_requests_listed;
        if (std::string l = req.query_value("limit"); !l.empty()) {
            try {
                limit = std::stoul(l);
            } catch (const std::exception&) {
                throw ApiError(400, "bad_query", "limit: must be a number");
            }
        }
        return json_response(200, ctx.identity_requests.json(limit));
    });
}

}  // namespace exosim::control
