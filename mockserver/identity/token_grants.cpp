// The grants of the token endpoint (reference §3).
#include "identity/token_grants.hpp"

#include "identity/jwt.hpp"

namespace exosim::identity {

using policy::lower;

namespace {

// v2 takes `scope`, v1 `resource` (reference §3).
std::optional<ScopeRequest> requested_scope(const TokenRequest& req, std::optional<AadError>& error) {
    if (req.v1) {
        ScopeRequest sc = scope_from_resource(req.form.get("resource").empty() ? std::string_view(outlook_resource)
                                                                                : req.form.get("resource"));
        sc.openid = true;  // v1 always returns an id_token with a user
        sc.offline_access = true;
        return sc;
    }
    if (!req.form.has("scope")) {
        error = aad_error(900144, {"scope"});
        return std::nullopt;
    }
    std::string bad;
    auto sc = parse_scope(req.form.get("scope"), &bad);
    if (!sc) error = aad_error(70011, {bad});
    return sc;
}

const AppRegistration& app_of(const TokenRequest& r) { return *r.app; }

HttpResponse password_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req) {
    if (!app_of(req).ropc_allowed) return fail(ctx, aad_error(70001, {app_of(req).display_name, "password"}));
    if (!req.form.has("username")) return fail(ctx, aad_error(900144, {"username"}));
    if (!req.form.has("password")) return fail(ctx, aad_error(900144, {"password"}));
    int acr = 0;
    if (auto e = authenticate_client(s, req, acr)) return fail(ctx, *e);
    std::optional<AadError> err;
    auto scope = requested_scope(req, err);
    if (!scope) return fail(ctx, *err);
    ctx.event.user = lower(req.form.get("username"));
    const UserCheck u = check_user(s, req.form.get("username"), std::string(req.form.get("password")), req.tenant,
                                   scope->resource);
    if (u.error) return fail(ctx, *u.error);
    if (auto e = check_delegated(s, app_of(req), *u.user, *scope)) return fail(ctx, *e);
    return issue_tokens(s, ctx, IssueSpec{req.app, u.user, u.user->tenant_id, *scope, {}, s.now(), req.v1, acr});
}

HttpResponse client_credentials_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req) {
    if (req.tenant.tenant == nullptr) return fail(ctx, aad_error(50059));
    int acr = 0;
    if (auto e = authenticate_client(s, req, acr)) return fail(ctx, *e);
    ScopeRequest scope;
    if (req.v1) {
        scope = scope_from_resource(req.form.get("resource"));
    } else {
        if (!req.form.has("scope")) return fail(ctx, aad_error(900144, {"scope"}));
        std::string bad;
        auto sc = parse_scope(req.form.get("scope"), &bad);
        if (!sc || sc->permissions.size() != 1 || !sc->has_default() || sc->openid || sc->offline_access) {
            return fail(ctx, aad_error(1002012, {std::string(req.form.get("scope"))}));
        }
        scope = *sc;
    }
    // reference §3: client credentials for Exchange SMTP must ask for outlook.office365.com/.default.
    if (scope.resource != outlook365_resource) return fail(ctx, aad_error(70011, {std::string(req.form.get("scope"))}));
    const auto c = req.app->consent.find(req.tenant_id);
    if (!req.app->smtp_send_as_app || c == req.app->consent.end() || !c->second.admin_app_roles) {
        return fail(ctx, aad_error(65001, {req.app->client_id, req.app->display_name}));
    }
    return issue_tokens(s, ctx, IssueSpec{req.app, nullptr, req.tenant_id, scope, {}, s.now(), req.v1, acr});
}

HttpResponse refresh_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req) {
    if (!req.form.has("refresh_token")) return fail(ctx, aad_error(900144, {"refresh_token"}));
    int acr = 0;
    if (auto e = authenticate_client(s, req, acr)) return fail(ctx, *e);
    const std::string token(req.form.get("refresh_token"));
    const RefreshGrant* g = s.refresh.find(token);
    if (g == nullptr) return fail(ctx, aad_error(70000));
    ctx.event.user = g->user;
    if (lower(g->client_id) != lower(req.app->client_id)) return fail(ctx, aad_error(70000));
    if (req.tenant.tenant != nullptr && req.tenant.tenant->id != g->tenant_id) return fail(ctx, aad_error(7000012));
    const TimePoint now = s.now();
    if (g->revoked) return fail(ctx, aad_error(50173, {entra_timestamp(g->issued), entra_timestamp(*g->revoked)}));
    if (now - g->last_used > s.settings.refresh_inactivity) {
        const auto days = std::chrono::duration_cast<std::chrono::hours>(now - g->last_used).count() / 24;
        return fail(ctx, aad_error(700082, {entra_timestamp(g->issued), std::to_string(days) + " days"}));
    }
    const UserSignIn* user = s.dir.find_user(g->user);
    if (user == nullptr) return fail(ctx, aad_error(70000));
    if (user->sign_in_frequency && now - g->auth_time > *user->sign_in_frequency) {
        return fail(ctx, aad_error(70043, {entra_timestamp(g->auth_time),
                                           std::to_string(user->sign_in_frequency->count()) + " seconds"}));
    }
    ScopeRequest scope;
    if (req.v1) {
        scope = scope_from_resource(req.form.get("resource").empty() ? std::string_view(outlook_resource)
                                                                      : req.form.get("resource"));
        scope.openid = scope.offline_access = true;
    } else {
        std::optional<AadError> err;
        auto sc = requested_scope(req, err);
        if (!sc) return fail(ctx, *err);
        scope = *sc;
    }
    const UserCheck u = check_user(s, g->user, std::nullopt, req.tenant, scope.resource);
    if (u.error) return fail(ctx, *u.error);
    if (auto e = check_delegated(s, *req.app, *u.user, scope)) return fail(ctx, *e);
    const TimePoint auth_time = g->auth_time;
    s.refresh.mark_used(token, now);
    return issue_tokens(s, ctx, IssueSpec{req.app, u.user, u.user->tenant_id, scope, {}, auth_time, req.v1, acr});
}

HttpResponse auth_code_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req) {
    if (!req.form.has("code")) return fail(ctx, aad_error(900144, {"code"}));
    int acr = 0;
    if (auto e = authenticate_client(s, req, acr)) return fail(ctx, *e);
    auto it = s.codes.find(std::string(req.form.get("code")));
    if (it == s.codes.end()) return fail(ctx, aad_error(70000));
    AuthCode& code = it->second;
    ctx.event.user = code.user;
    if (s.now() - code.created > s.settings.auth_code_lifetime) return fail(ctx, aad_error(70008));
    if (code.redeemed) return fail(ctx, aad_error(54005));
    if (lower(code.client_id) != lower(req.app->client_id)) return fail(ctx, aad_error(70000));
    if (req.tenant.tenant != nullptr && req.tenant.tenant->id != code.tenant_id) return fail(ctx, aad_error(7000012));
    if (req.form.get("redirect_uri") != code.redirect_uri) {
        return fail(ctx, aad_error(50011, {std::string(req.form.get("redirect_uri")), req.app->client_id}));
    }
    if (!code.challenge.empty()) {
        if (!req.form.has("code_verifier")) return fail(ctx, aad_error(900144, {"code_verifier"}));
        const std::string verifier(req.form.get("code_verifier"));
        const std::string derived =
            code.challenge_method == "S256" ? base64url_encode(s.crypto.sha256(verifier)) : verifier;
        if (derived != code.challenge) return fail(ctx, aad_error(501481));
    }
    code.redeemed = true;
    const UserSignIn* user = s.dir.find_user(code.user);
    if (user == nullptr) return fail(ctx, aad_error(70000));
    return issue_tokens(s, ctx,
                        IssueSpec{req.app, user, code.tenant_id, code.scope, code.nonce, code.auth_time, req.v1, acr});
}

HttpResponse device_code_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req) {
    const std::string device_code(req.form.get(req.v1 ? "code" : "device_code"));
    if (device_code.empty()) return fail(ctx, aad_error(900144, {req.v1 ? "code" : "device_code"}));
    int acr = 0;
    if (auto e = authenticate_client(s, req, acr)) return fail(ctx, *e);
    auto it = s.devices.find(device_code);
    if (it == s.devices.end() || lower(it->second.client_id) != lower(req.app->client_id)) {
        return fail(ctx, aad_error_as(70000, "bad_verification_code"));
    }
    DeviceFlow& flow = it->second;
    const TimePoint now = s.now();
    apply_auto_approve(s, flow);
    const bool too_fast = flow.last_poll && now - *flow.last_poll < s.settings.device_code_interval;
    flow.last_poll = now;
    ctx.event.user = flow.user;
    if (now >= flow.expires && flow.status != DeviceStatus::approved) return fail(ctx, aad_error(70020));
    switch (flow.status) {
        case DeviceStatus::pending:
            if (s.settings.slow_down && too_fast) return fail(ctx, aad_error(50196));
            return fail(ctx, aad_error(70016));
        case DeviceStatus::declined: return fail(ctx, aad_error_as(65004, "authorization_declined"));
        case DeviceStatus::failed: return fail(ctx, *flow.failure);
        case DeviceStatus::redeemed: return fail(ctx, aad_error_as(70000, "bad_verification_code"));
        case DeviceStatus::approved: break;
    }
    if (now >= flow.expires) return fail(ctx, aad_error(70020));
    const UserSignIn* user = s.dir.find_user(flow.user);
    const UserCheck u = check_user(s, flow.user, std::nullopt, req.tenant, flow.scope.resource);
    if (user == nullptr || u.error) return fail(ctx, u.error ? *u.error : aad_error(70000));
    ScopeRequest scope = flow.scope;
    if (auto e = check_delegated(s, *req.app, *user, scope)) return fail(ctx, *e);
    flow.status = DeviceStatus::redeemed;
    return issue_tokens(s, ctx, IssueSpec{req.app, user, user->tenant_id, scope, {}, flow.created, req.v1, acr});
}

}  // namespace

HttpResponse run_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req, const std::string& grant) {
    if (grant == "authorization_code") return auth_code_grant(s, ctx, req);
    if (grant == "refresh_token") return refresh_grant(s, ctx, req);
    if (grant == "urn:ietf:params:oauth:grant-type:device_code" || (req.v1 && grant == "device_code")) {
        return device_code_grant(s, ctx, req);
    }
    if (grant == "client_credentials") return client_credentials_grant(s, ctx, req);
    if (grant == "password") return password_grant(s, ctx, req);
    return fail(ctx, aad_error(70003, {grant}));
}

}  // namespace exosim::identity
