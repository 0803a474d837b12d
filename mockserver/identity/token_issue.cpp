// Sign-in checks shared by grants and pages, and the tokens the service issues (reference §3
// success JSON, §5 claims).
#include <boost/json.hpp>

#include "core/ascii.hpp"
#include "identity/jwt.hpp"
#include "identity/service_state.hpp"

namespace exosim::identity {

namespace json = boost::json;
using policy::lower;

std::string token_fingerprint(const ServiceState& s, std::string_view token) {
    const std::string h = s.crypto.sha256(token);
    std::string out;
    for (std::size_t i = 0; i < 6 && i < h.size(); ++i) core::ascii::append_hex(out, static_cast<unsigned char>(h[i]));
    return out;
}

UserCheck check_user(const ServiceState& s, std::string_view address, const std::optional<std::string>& password,
                     const TenantSegment& t, std::string_view resource) {
    const UserSignIn* u = s.dir.find_user(address);
    if (u == nullptr || (t.tenant != nullptr && u->tenant_id != t.tenant->id)) {
        const IdentityTenant* in = t.tenant != nullptr ? t.tenant : s.dir.tenant_of_address(address);
        return {nullptr, aad_error(50034, {lower(address), in != nullptr ? in->name : std::string(t.text)})};
    }
    if (u->locked) return {u, aad_error(50053)};  // smart lockout answers before the password
    if (password && (u->password.empty() || *password != u->password)) return {u, aad_error(50126)};
    if (u->disabled) return {u, aad_error(50057)};
    if (password && u->password_expired) return {u, aad_error(50055)};
    if (u->ca_blocked) return {u, aad_error(53003)};
    // Exchange Online's first-party app id when no resource was named (reference §4 50076 quote).
    const std::string res = resource.empty() ? "00000002-0000-0ff1-ce00-000000000000" : std::string(resource);
    if (password && u->mfa_required) return {u, aad_error(50076, {res})};
    return {u, std::nullopt};
}

bool consented(const AppRegistration& app, const UserSignIn& user, const ScopeRequest&) {
    const auto c = app.consent.find(user.tenant_id);
    if (c == app.consent.end()) return false;
    return c->second.admin_delegated || c->second.users_consented.count(user.address) > 0;
}

std::optional<AadError> check_delegated(const ServiceState&, const AppRegistration& app, const UserSignIn& user,
                                        ScopeRequest& scope) {
    if (!scope.resource.empty()) {
        std::vector<std::string> registered;
        for (const auto& d : app.delegated_scopes) {
            const std::size_t slash = d.rfind('/');
            if (slash != std::string::npos && lower(d.substr(0, slash)) == scope.resource) registered.push_back(d.substr(slash + 1));
        }
        std::vector<std::string> granted;
        for (const auto& p : scope.permissions) {
            // reference §5 [WIRE]: there is no delegated SMTP.SendAsApp.
            if (lower(p) == "smtp.sendasapp") return aad_error(70011, {scope.resource + "/" + p});
            if (p == ".default") {
                granted.insert(granted.end(), registered.begin(), registered.end());
                continue;
            }
            const bool known = std::any_of(registered.begin(), registered.end(),
                                           [&](const std::string& r) { return lower(r) == lower(p); });
            if (!known) return aad_error(65001, {app.client_id, app.display_name});
            granted.push_back(p);
        }
        if (granted.empty()) return aad_error(70011, {scope.resource + "/.default"});
        scope.permissions = granted;
    }
    if (!consented(app, user, scope)) return aad_error(65001, {app.client_id, app.display_name});
    return std::nullopt;
}

namespace {

json::object jwt_header(const ServiceState& s) {
    const std::string kid = s.crypto.current_kid();
    json::object h{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", kid}};
    for (const Jwk& k : s.crypto.published_keys(s.now())) {
        if (k.kid == kid) h["x5t"] = k.x5t;
    }
    return h;
}

std::string short_scopes(const ScopeRequest& sc) {
    std::string out;
    for (const auto& p : sc.permissions) out += (out.empty() ? "" : " ") + p;
    return out;
}

// Dated on the client's clock (policy::Clock::ahead_of_clients): only the client reads it.
json::object id_token_claims(ServiceState& s, const IssueSpec& spec) {
    const std::int64_t now = unix_seconds(s.now()) - s.clock->ahead_of_clients().count();
    json::object c{{"aud", spec.app->client_id},
                   {"iss", "https://login.microsoftonline.com/" + spec.tenant_id + "/v2.0"},
                   {"iat", now}, {"nbf", now}, {"exp", now + 3600},
                   {"name", spec.user->display_name}, {"oid", spec.user->object_id},
                   {"preferred_username", spec.user->address},
                   {"sub", stable_guid(spec.user->object_id + spec.app->client_id)},
                   {"tid", spec.tenant_id}, {"ver", "2.0"}};
    if (!spec.nonce.empty()) c["nonce"] = spec.nonce;
    return c;
}

// reference §5: v1 claims as Exchange receives them [INFER: RS256 JWT v1].
json::object access_token_claims(ServiceState& s, const IssueSpec& spec, std::chrono::seconds lifetime) {
    const std::int64_t now = unix_seconds(s.now());
    const std::string aud = spec.scope.resource.empty() ? "00000003-0000-0000-c000-000000000000" : spec.scope.resource;
    json::object c{{"aud", aud},
                   {"iss", "https://sts.windows.net/" + spec.tenant_id + "/"},
                   {"iat", now}, {"nbf", now + s.nbf_skew.count()}, {"exp", now + lifetime.count()},
                   {"appid", spec.app->client_id}, {"appidacr", std::to_string(spec.appidacr)},
                   {"tid", spec.tenant_id}, {"ver", "1.0"}, {"uti", s.random_token(16)}};
    if (spec.user != nullptr) {
        c["oid"] = spec.user->object_id;
        c["sub"] = stable_guid(spec.user->object_id + spec.app->client_id);
        c["upn"] = spec.user->address;
        c["unique_name"] = spec.user->address;
        c["name"] = spec.user->display_name;
        c["scp"] = short_scopes(spec.scope);
    } else {
        const std::string sp = stable_guid("service-principal:" + spec.app->client_id + ":" + spec.tenant_id);
        c["oid"] = sp;
        c["sub"] = sp;
        c["roles"] = json::array{"SMTP.SendAsApp"};
    }
    return c;
}

}  // namespace

std::string deferred_jwt(Ctx& ctx, const json::object& header, const json::object& payload) {
    std::string input = jwt_signing_input(header, payload);
    std::string placeholder = jwt_placeholder(input, ctx.to_sign.size());
    ctx.to_sign.push_back(std::move(input));
    return placeholder;
}

std::string mint_access_token(ServiceState& s, const IssueSpec& spec, std::chrono::seconds lifetime) {
    return sign_jwt(jwt_header(s), access_token_claims(s, spec, lifetime), s.crypto);
}

HttpResponse issue_tokens(ServiceState& s, Ctx& ctx, const IssueSpec& spec) {
    const auto lifetime = s.access_lifetime();
    const TimePoint now = s.now();
    json::object o;
    o["token_type"] = "Bearer";
    o["scope"] = spec.user == nullptr ? spec.scope.resource + "/.default" : join_spaces(spec.scope.granted());
    o["expires_in"] = lifetime.count();
    o["ext_expires_in"] = lifetime.count();
    if (spec.v1) {
        o["expires_on"] = std::to_string(unix_seconds(now) + lifetime.count());
        o["not_before"] = std::to_string(unix_seconds(now) + s.nbf_skew.count());
        o["resource"] = spec.scope.resource;
    }
    o["access_token"] = deferred_jwt(ctx, jwt_header(s), access_token_claims(s, spec, lifetime));
    ctx.event.access_token_issued = true;
    ctx.event.expires_in = lifetime.count();
    if (spec.user != nullptr && spec.scope.offline_access) {
        const std::string refresh = s.refresh.prepare_issue(
            RefreshGrant{spec.app->client_id, spec.user->tenant_id, spec.user->address, spec.scope.granted(),
                         spec.auth_time, now, now, std::nullopt},
            ctx.durable);
        ctx.event.refresh_issued = token_fingerprint(s, refresh);
        o["refresh_token"] = refresh;
    }
    if (spec.user != nullptr && spec.scope.openid) o["id_token"] = deferred_jwt(ctx, jwt_header(s), id_token_claims(s, spec));
    if (spec.user != nullptr) ctx.event.user = spec.user->address;
    return json_no_store(json::serialize(o), ctx.ids);
}

}  // namespace exosim::identity
