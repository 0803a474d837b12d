// XOAUTH2 attempts, JWT claims and identity-request quotes for the OAuth verdict rules.
#include "scenario/oauth_view.hpp"

#include <boost/json.hpp>

#include "core/ascii.hpp"
#include "core/base64.hpp"

namespace exosim::scenario::oauth {

namespace {

namespace json = boost::json;

std::optional<std::string> base64url_decode(std::string_view in) {
    std::string s(in);
    for (char& ch : s) ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
    while (s.size() % 4 != 0) s += '=';
    return core::base64_decode(s);
}

// RFC 7519 7.2 without the signature check: the payload's claims, or nullopt.
std::optional<json::object> jwt_claims(std::string_view token) {
    const std::size_t a = token.find('.');
    const std::size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
    if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) return std::nullopt;
    const auto payload = base64url_decode(token.substr(a + 1, b - a - 1));
    if (!payload) return std::nullopt;
    boost::system::error_code ec;
    json::value v = json::parse(*payload, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return v.as_object();
}

std::string claim_text(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t claim_int(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->as_uint64()) : 0;
}

// RFC 7628 / Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
void read_sasl(std::string_view b64, Xoauth2Attempt& a) {
    const auto decoded = core::base64_decode(b64);
    if (!decoded) return;
    std::string_view rest = *decoded;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\x01');
        const std::string_view field = rest.substr(0, end);
        if (field.starts_with("user=")) a.user = std::string(field.substr(5));
        if (core::ascii::istarts_with(field, "auth=Bearer ")) a.bearer = std::string(field.substr(12));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    if (const auto claims = jwt_claims(a.bearer)) {
        a.jwt = true;
        a.upn = claim_text(*claims, "upn");
        if (a.upn.empty()) a.upn = claim_text(*claims, "unique_name");
        a.app_only = claims->contains("roles") && !claims->contains("scp");
        a.exp = claim_int(*claims, "exp");
        a.nbf = claim_int(*claims, "nbf");
    }
}

}  // namespace

std::vector<Xoauth2Attempt> xoauth2_attempts(const rules::Context& c) {
    std::vector<Xoauth2Attempt> out;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        const Millis start = i < c.trace.connections.size() ? c.trace.connections[i].start : Millis(0);
        for (std::size_t k = 0; k < v.lines.size(); ++k) {
            const ClientLine& l = v.lines[k];
            if (l.word != "AUTH") continue;
            const std::string upper = core::ascii::upper(l.text);
            if (upper.rfind("AUTH XOAUTH2", 0) != 0) continue;
            Xoauth2Attempt a;
            a.conn = i;
            a.line = k;
            a.at = start + l.t;
            std::string_view ir = std::string_view(l.text).substr(std::min<std::size_t>(l.text.size(), 12));
            while (!ir.empty() && ir.front() == ' ') ir.remove_prefix(1);
            if (ir.empty() && k + 1 < v.lines.size() && v.lines[k + 1].kind == ClientLine::Kind::auth_response)
                ir = v.lines[k + 1].text;
            read_sasl(ir, a);
            // The final reply: the AUTH line's, or its SASL response's.
            std::optional<std::size_t> r = l.reply;
            if (k + 1 < v.lines.size() && v.lines[k + 1].kind == ClientLine::Kind::auth_response && v.lines[k + 1].reply)
                r = v.lines[k + 1].reply;
            if (r && *r < v.replies.size()) a.reply = &v.replies[*r];
            out.push_back(std::move(a));
        }
    }
    return out;
}

std::string identity_line(const IdentityRecord& r) {
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

std::string quote_attempt(const rules::Context& c, const Xoauth2Attempt& a) {
    const ClientLine& l = c.views[a.conn].lines[a.line];
    std::string text = "AUTH XOAUTH2 user=" + a.user;
    if (a.jwt) {
        text += " token(" + (a.app_only ? std::string("app-only") : "upn=" + a.upn) + ", nbf=" + std::to_string(a.nbf) +
                ", exp=" + std::to_string(a.exp) + ")";
    } else {
        text += " token(not a JWT, " + std::to_string(a.bearer.size()) + " octets)";
    }
    std::string q = rules::quote_text(c, a.conn, 'C', l.t, l.tls, text);
    if (a.reply) q += " -> " + std::to_string(a.reply->code) + (a.reply->lines.empty() ? "" : " " + a.reply->lines.front());
    return q;
}

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
bool is_device_poll(const IdentityRecord& r) {
    return is_token_request(r) && (r.grant == "urn:ietf:params:oauth:grant-type:device_code" || r.grant == "device_code");
}
bool is_terminal_device_error(const IdentityRecord& r) {
    return r.error == "expired_token" || r.error == "authorization_declined" || r.error == "bad_verification_code";
}
bool is_delegated_flow(const Scenario& s) { return s.identity.expect_flow != ExpectFlow::client_credentials; }

}  // namespace exosim::scenario::oauth
