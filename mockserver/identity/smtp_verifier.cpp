// Exchange's XOAUTH2 check of a bearer token (issue 14 "What the submission endpoint checks";
// reference §1, §5). Every failure is 535 5.7.3 on the wire; the reason names the check and claim.
#include <boost/json.hpp>

#include "identity/jwt.hpp"
#include "identity/service_state.hpp"

namespace exosim::identity {

namespace json = boost::json;
using policy::lower;
using policy::TokenCheck;
using policy::TokenStatus;

namespace {

std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

bool has_word(std::string_view list, std::string_view word) {
    for (const auto& w : split_spaces(list)) {
        if (w == word) return true;
    }
    return false;
}

bool has_role(const json::object& c, std::string_view role) {
    const json::value* v = c.if_contains("roles");
    if (v == nullptr || !v->is_array()) return false;
    for (const auto& r : v->get_array()) {
        if (r.is_string() && r.get_string() == role) return true;
    }
    return false;
}

bool listed(const std::vector<std::string>& v, std::string_view address) {
    for (const auto& a : v) {
        if (lower(a) == lower(address)) return true;
    }
    return false;
}

TokenCheck check_times(const json::object& c, TimePoint now, std::chrono::seconds skew) {
    const auto exp = time_claim(c, "exp");
    if (!exp) return {TokenStatus::bad, "exp claim missing"};
    const std::int64_t t = unix_seconds(now);
    if (t >= *exp + skew.count()) {
        return {TokenStatus::expired, "exp " + std::to_string(*exp) + " passed at " + std::to_string(t) +
                                          " (allowed skew " + std::to_string(skew.count()) + " s)"};
    }
    const auto nbf = time_claim(c, "nbf");
    if (nbf && *nbf > t + skew.count()) {
        return {TokenStatus::not_yet_valid, "nbf " + std::to_string(*nbf) + " is after " + std::to_string(t) +
                                                " (allowed skew " + std::to_string(skew.count()) + " s)"};
    }
    return {};
}

TokenCheck check_delegated(const ServiceState& s, const json::object& c, std::string_view user) {
    const std::string_view aud = string_claim(c, "aud");
    if (aud != outlook_resource && aud != outlook365_resource) {
        return {TokenStatus::wrong_audience, "aud " + quoted(aud) + " is not " + std::string(outlook_resource)};
    }
    if (!has_word(string_claim(c, "scp"), "SMTP.Send")) {
        return {TokenStatus::wrong_scope, "scp " + quoted(string_claim(c, "scp")) + " does not contain SMTP.Send"};
    }
    std::string_view upn = string_claim(c, "upn");
    if (upn.empty()) upn = string_claim(c, "unique_name");
    if (lower(upn) == lower(user)) return {};
    const policy::MailboxAccount* m = s.dir.mail ? s.dir.mail->find_mailbox(upn) : nullptr;
    if (m != nullptr && (listed(m->full_access, user) || listed(m->send_as, user))) return {};
    return {TokenStatus::wrong_user, "user= " + std::string(user) + " is not the token's upn " + quoted(upn) +
                                         " nor a mailbox it has FullAccess or send-as on"};
}

TokenCheck check_app_only(const ServiceState& s, const json::object& c, std::string_view user, std::string_view tid) {
    const std::string_view aud = string_claim(c, "aud");
    if (aud != outlook365_resource) {
        return {TokenStatus::wrong_audience, "aud " + quoted(aud) + " is not " + std::string(outlook365_resource)};
    }
    if (!has_role(c, "SMTP.SendAsApp")) return {TokenStatus::wrong_role, "roles does not contain SMTP.SendAsApp"};
    const std::string_view appid = string_claim(c, "appid");
    const AppRegistration* app = s.dir.find_app(appid);
    const TenantConsent* consent = nullptr;
    if (app != nullptr) {
        const auto it = app->consent.find(std::string(tid));
        if (it != app->consent.end()) consent = &it->second;
    }
    if (consent == nullptr || !listed(consent->full_access, user)) {
        return {TokenStatus::wrong_user, "the service principal of app " + quoted(appid) +
                                             " has no FullAccess on mailbox " + std::string(user)};
    }
    return {};
}

class SmtpVerifier final : public policy::TokenVerifier {
public:
    explicit SmtpVerifier(std::shared_ptr<ServiceState> s) : s_(std::move(s)) {}

    TokenCheck check(std::string_view token, std::string_view user, const policy::Clock& clock) const override {
        std::lock_guard lock(s_->mu);
        const ServiceState& s = *s_;
        const JwtParse p = parse_jwt(token);
        if (!p.jwt) return {TokenStatus::bad, "not a JWT: " + std::string(jwt_error_name(p.error))};
        const Jwt& jwt = *p.jwt;
        if (string_claim(jwt.header, "alg") != "RS256") {
            return {TokenStatus::bad_signature, "alg " + quoted(string_claim(jwt.header, "alg")) + " is not RS256"};
        }
        const std::string_view kid = string_claim(jwt.header, "kid");
        if (!s.crypto.verify_rs256(kid, jwt.signing_input, jwt.signature, clock.now())) {
            return {TokenStatus::bad_signature, "signature does not verify with kid " + quoted(kid) +
                                                    " (unknown, retired or another key)"};
        }
        const IdentityTenant* tenant = s.dir.tenant_of_address(user);
        if (tenant == nullptr) return {TokenStatus::wrong_tenant, "mailbox " + std::string(user) + " has no tenant"};
        const std::string_view tid = string_claim(jwt.payload, "tid");
        if (lower(tid) != tenant->id) {
            return {TokenStatus::wrong_tenant, "tid " + quoted(tid) + " is not " + tenant->name + "'s " + tenant->id};
        }
        const std::string_view iss = string_claim(jwt.payload, "iss");
        if (iss != "https://sts.windows.net/" + tenant->id + "/" &&
            iss != "https://login.microsoftonline.com/" + tenant->id + "/v2.0") {
            return {TokenStatus::wrong_issuer, "iss " + quoted(iss) + " is not https://sts.windows.net/" + tenant->id + "/"};
        }
        if (TokenCheck t = check_times(jwt.payload, clock.now(), s.settings.smtp_clock_skew); !t.ok()) return t;
        if (jwt.payload.contains("scp")) return check_delegated(s, jwt.payload, user);
        if (jwt.payload.contains("roles")) return check_app_only(s, jwt.payload, user, tenant->id);
        return {TokenStatus::wrong_scope, "neither scp (delegated) nor roles (app-only) is present"};
    }

private:
    std::shared_ptr<ServiceState> s_;
};

}  // namespace

std::shared_ptr<const policy::TokenVerifier> IdentityService::smtp_verifier() const {
    return std::make_shared<SmtpVerifier>(state_);
}

}  // namespace exosim::identity
