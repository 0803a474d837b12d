// XOAUTH2 attempts, JWT claims and identity-request quotes for the OAuth verdict rules.
#include "scenario/oauth_view.hpp"

#include <algorithm>

namespace exosim::scenario::oauth {

std::vector<const Xoauth2Attempt*> xoauth2_attempts(const Trace& t) {
    std::vector<const Xoauth2Attempt*> out;
    for (const IdentityRecord& r : t.identity)
        if (is_xoauth2(r)) out.push_back(&r);
    return out;
}

namespace {

std::string xoauth2_line(const IdentityRecord& r) {
    std::string out = "AUTH XOAUTH2 user=" + r.user + " token(";
    if (!r.token_jwt) out += "not a JWT, #" + r.token_fingerprint;
    else out += (r.token_app_only ? std::string("app-only") : "upn=" + r.token_upn) + ", nbf=" + std::to_string(r.token_nbf) +
                ", exp=" + std::to_string(r.token_exp) + ", #" + r.token_fingerprint;
    out += ") -> " + (r.ok ? std::string("accepted") : "535 5.7.3 (" + r.error + ")");
    return out;
}

}  // namespace

std::string identity_line(const IdentityRecord& r) {
    if (is_xoauth2(r)) return xoauth2_line(r);
    std::string out = r.method + " " + r.host + r.path;
    if (!r.grant.empty()) out += " grant=" + r.grant;
    if (!r.client_id.empty()) out += " client=" + r.client_id;
    if (!r.scope.empty()) out += " scope=\"" + r.scope + "\"";
    if (!r.refresh_used.empty()) out += " refresh_token=#" + r.refresh_used;
    out += " -> " + std::to_string(r.status);
    if (!r.error.empty()) out += " " + r.error;
    if (r.aadsts != 0) out += " AADSTS" + std::to_string(r.aadsts);
    if (r.retry_after != 0) out += " Retry-After: " + std::to_string(r.retry_after);
    if (r.interval != 0) out += " interval=" + std::to_string(r.interval);
    if (r.access_token_issued) out += " access_token(expires_in=" + std::to_string(r.token_expires_in) + ")";
    if (!r.refresh_issued.empty()) out += " refresh_token=#" + r.refresh_issued + " issued";
    if (!r.user.empty()) out += " user=" + r.user;
    return out;
}

std::string quote_identity(const IdentityRecord& r) { return "I " + rules::seconds(r.t) + " " + identity_line(r); }

std::string quote_attempt(const Xoauth2Attempt& a) { return "X " + rules::seconds(a.t) + " " + xoauth2_line(a); }

std::optional<std::int64_t> identity_time(const Trace& t, Millis at) {
    if (t.identity_clock_start == 0) return std::nullopt;
    std::int64_t s = t.identity_clock_start + at.count() / 1000;
    for (const ClockAdvance& a : t.clock_advances)
        if (a.t <= at) s += a.by.count();
    return s;
}

std::size_t job_at(const Trace& t, Millis at) {
    std::size_t job = 0;
    for (std::size_t i = 0; i < t.job_starts.size(); ++i)
        if (t.job_starts[i] <= at) job = i;
    return job;
}

bool is_token_request(const IdentityRecord& r) { return r.endpoint == "token"; }
bool is_xoauth2(const IdentityRecord& r) { return r.endpoint == "xoauth2"; }
bool is_flow_request(const IdentityRecord& r) {
    return r.endpoint == "token" || r.endpoint == "devicecode" || r.endpoint == "authorize";
}
bool asked_for_token(const Trace& t) { return std::any_of(t.identity.begin(), t.identity.end(), is_flow_request); }
bool is_device_poll(const IdentityRecord& r) {
    return is_token_request(r) && (r.grant == "urn:ietf:params:oauth:grant-type:device_code" || r.grant == "device_code");
}
bool is_terminal_device_error(const IdentityRecord& r) {
    return r.error == "expired_token" || r.error == "authorization_declined" || r.error == "bad_verification_code";
}
bool is_delegated_flow(const Scenario& s) { return s.identity.expect_flow != ExpectFlow::client_credentials; }

}  // namespace exosim::scenario::oauth
