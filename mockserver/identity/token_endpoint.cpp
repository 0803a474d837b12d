// POST /{tenant}/oauth2/v2.0/token and v1 /oauth2/token (reference §3): request checks, faults,
// client authentication, then the grant (token_grants.cpp).
#include <boost/json.hpp>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "identity/client_assertion.hpp"
#include "identity/jwt.hpp"
#include "identity/service_state.hpp"
#include "identity/token_grants.hpp"

namespace exosim::identity {

using policy::lower;

std::optional<AadError> form_error(const FormResult& f) {
    switch (f.error) {
        case FormError::none: return std::nullopt;
        case FormError::duplicate_parameter:
            return aad_error(9002313, {"parameter '" + f.offending_name + "' is duplicated."});
        default: return aad_error(9002313, {"form body: " + std::string(form_error_name(f.error)) + "."});
    }
}

std::optional<AadError> check_form_request(const HttpRequest& r) {
    if (r.method != "POST") return aad_error(900561, {"POST, OPTIONS", r.method});
    std::string_view type = r.header("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (r.header_count("Content-Type") != 1 || !core::ascii::iequals(type, "application/x-www-form-urlencoded")) {
        return aad_error(90023, {std::string(type)});
    }
    return std::nullopt;
}

namespace {

// issue 14 "Faults": the next N token requests (or all, count 0) fail, stall or drop. A delay
// alone still runs the grant; the transport waits before sending its answer.
struct FaultOutcome {
    std::optional<HttpResponse> early;
    std::chrono::milliseconds delay{0};
};

FaultOutcome apply_fault(ServiceState& s, Ctx& ctx) {
    if (!s.fault) return {};
    const TokenEndpointFault f = *s.fault;
    if (f.count > 0 && --s.fault->count == 0) {
        s.fault.reset();
        if (!s.next_faults.empty()) {
            s.fault = s.next_faults.front();
            s.next_faults.pop_front();
        }
    }
    FaultOutcome out{std::nullopt, f.delay};
    if (f.close_connection) {
        ctx.event.ok = false;
        ctx.event.error = "connection_closed";
        HttpResponse r;
        r.close_without_response = true;
        r.delay = f.delay;
        out.early = std::move(r);
    } else if (f.status != 0) {
        AadError e = aad_error(90033);
        e.status = f.status;
        HttpResponse r = fail(ctx, e);
        if (f.retry_after) {
            r.headers.emplace_back("Retry-After", std::to_string(f.retry_after->count()));
            ctx.event.retry_after = static_cast<unsigned>(f.retry_after->count());
        }
        r.delay = f.delay;
        out.early = std::move(r);
    }
    return out;
}

struct BasicCredentials {
    std::string client_id, secret;
};

// RFC 6749 2.3.1: client_secret_basic; both parts form-urlencoded inside the base64.
std::optional<BasicCredentials> basic_auth(const HttpRequest& r) {
    const std::string_view h = r.header("Authorization");
    if (!core::ascii::istarts_with(h, "Basic ")) return std::nullopt;
    const auto decoded = core::base64_decode(h.substr(6));
    if (!decoded) return std::nullopt;
    const std::size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    const FormResult id = decode_form("a=" + decoded->substr(0, colon));
    const FormResult secret = decode_form("a=" + decoded->substr(colon + 1));
    if (!id.ok() || !secret.ok()) return std::nullopt;
    return BasicCredentials{std::string(id.params.get("a")), std::string(secret.params.get("a"))};
}

std::vector<std::string> assertion_audiences(const ServiceState& s, const TenantSegment& t, std::string_view tid) {
    std::vector<std::string> names = {std::string(tid), t.text};
    if (const IdentityTenant* it = s.dir.tenant_by_id(tid)) names.insert(names.end(), it->domains.begin(), it->domains.end());
    std::vector<std::string> out;
    for (const char* host : {"login.microsoftonline.com", "login.microsoft.com", "login.windows.net"}) {
        for (const auto& n : names) {
            out.push_back("https://" + std::string(host) + "/" + n + "/oauth2/v2.0/token");
            out.push_back("https://" + std::string(host) + "/" + n + "/oauth2/token");
        }
    }
    return out;
}

std::optional<AadError> check_secret(const ServiceState& s, const AppRegistration& app, std::string_view secret) {
    bool expired_match = false;
    for (const auto& sec : app.secrets) {
        if (sec.value != secret) continue;
        if (sec.expires && s.now() >= *sec.expires) {
            expired_match = true;
            continue;
        }
        return std::nullopt;
    }
    return expired_match ? aad_error(7000222, {app.client_id}) : aad_error(7000215, {app.client_id});
}

}  // namespace

// Entra's client authentication: a public client must not present a credential, a confidential
// one must (reference §4 7000218; 700025).
std::optional<AadError> authenticate_client(ServiceState& s, const TokenRequest& req, int& appidacr) {
    const AppRegistration& app = *req.app;
    const bool has_secret = !req.secret.empty();
    const bool has_assertion = req.form.has("client_assertion") || req.form.has("client_assertion_type");
    if (app.public_client) {
        if (has_secret || has_assertion) return aad_error(700025);
        appidacr = 0;
        return std::nullopt;
    }
    if (has_assertion) {
        if (req.form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
            return aad_error(90100, {"client_assertion_type"});
        }
        AssertionContext actx;
        actx.client_id = app.client_id;
        actx.audiences = assertion_audiences(s, req.tenant, req.tenant_id);
        actx.certificates_pem = app.certificates_pem;
        actx.now = s.now();
        actx.skew = s.settings.assertion_clock_skew;
        actx.consume_jti = [&s](std::string_view jti, std::int64_t exp) {
            const std::int64_t now = unix_seconds(s.now());
            std::erase_if(s.used_jtis, [&](const auto& kv) { return kv.second + 600 < now; });
            return s.used_jtis.emplace(std::string(jti), exp).second;
        };
        appidacr = 2;
        return check_client_assertion(req.form.get("client_assertion"), actx, s.crypto);
    }
    if (!has_secret) return aad_error(7000218);
    appidacr = 1;
    return check_secret(s, app, req.secret);
}

HttpResponse token_request(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1);

HttpResponse token_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1) {
    FaultOutcome fault = apply_fault(s, ctx);
    if (fault.early) return std::move(*fault.early);
    HttpResponse r = token_request(s, ctx, t, v1);
    r.delay = fault.delay;
    return r;
}

HttpResponse token_request(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1) {
    if (auto e = check_form_request(ctx.http)) return fail(ctx, *e);
    FormResult form = decode_form(ctx.http.body, s.settings.form_limits);
    if (auto e = form_error(form)) return fail(ctx, *e);
    TokenRequest req{std::move(form.params), t, {}, nullptr, {}, v1};
    const auto basic = basic_auth(ctx.http);
    std::string client_id(req.form.get("client_id"));
    if (basic) {
        if (!client_id.empty() && lower(client_id) != lower(basic->client_id)) return fail(ctx, aad_error(700021));
        client_id = basic->client_id;
        req.secret = basic->secret;
    } else {
        req.secret = std::string(req.form.get("client_secret"));
    }
    const std::string grant(req.form.get("grant_type"));
    ctx.event.grant = grant;
    ctx.event.client_id = client_id;
    ctx.event.scope = std::string(req.form.has("scope") ? req.form.get("scope") : req.form.get("resource"));
    if (grant == "refresh_token" && req.form.has("refresh_token"))
        ctx.event.refresh_used = token_fingerprint(s, req.form.get("refresh_token"));
    if (grant.empty()) return fail(ctx, aad_error(900144, {"grant_type"}));
    if (client_id.empty()) return fail(ctx, aad_error(900144, {"client_id"}));
    req.app = s.dir.find_app(client_id);
    if (req.app == nullptr) return fail(ctx, aad_error(700016, {client_id, t.tenant ? t.tenant->id : t.text}));
    if (t.tenant != nullptr && !req.app->multi_tenant && t.tenant->id != req.app->home_tenant_id) {
        return fail(ctx, aad_error(700016, {client_id, t.tenant->id}));
    }
    req.tenant_id = t.tenant ? t.tenant->id : req.app->home_tenant_id;
    return run_grant(s, ctx, req, grant);
}

}  // namespace exosim::identity
