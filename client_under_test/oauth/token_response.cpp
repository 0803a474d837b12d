#include "oauth/token_response.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

namespace exosim::client::oauth {
namespace json = boost::json;
namespace {

// reference §4: the invalid_grant codes that mean the refresh token (or grant) is dead and only a
// new sign-in helps. 700082 inactivity, 50173 revoked, 70043 sign-in frequency, 70008 expired.
constexpr std::array<std::int64_t, 4> sign_in_again_codes{700082, 50173, 70043, 70008};

std::string text(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::int64_t> integer(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= 1u << 31) return static_cast<std::int64_t>(v->as_uint64());
    // Older v1 endpoints send numbers as strings ("expires_in": "3599").
    if (v->is_string()) return parse_retry_after(v->as_string());
    return std::nullopt;
}

std::optional<json::object> parse_object(std::string_view body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

ErrorClass classify(const TokenError& e) {
    if (e.http_status == 0 || e.http_status >= 500 || e.http_status == 429) return ErrorClass::transient;
    if (e.error == "authorization_pending") return ErrorClass::pending;
    if (e.error == "slow_down") return ErrorClass::slow_down;
    if (e.error == "authorization_declined") return ErrorClass::declined;
    if (e.error == "expired_token") return ErrorClass::expired;
    if (e.error == "bad_verification_code") return ErrorClass::bad_code;
    if (e.error == "invalid_grant") {
        for (std::int64_t c : e.codes) {
            if (std::find(sign_in_again_codes.begin(), sign_in_again_codes.end(), c) != sign_in_again_codes.end())
                return ErrorClass::sign_in_again;
        }
    }
    return ErrorClass::fatal;
}

TokenError error_of(const HttpAnswer& a, const std::optional<json::object>& o) {
    TokenError e;
    e.http_status = a.status;
    e.retry_after = parse_retry_after(a.retry_after);
    if (o && o->contains("error")) {
        e.error = text(*o, "error");
        e.description = text(*o, "error_description");
        e.suberror = text(*o, "suberror");
        if (const json::value* codes = o->if_contains("error_codes"); codes && codes->is_array()) {
            for (const json::value& c : codes->as_array()) {
                if (c.is_int64()) e.codes.push_back(c.as_int64());
            }
        }
    } else if (a.status == 0) {
        e.error = "no_answer";
        e.description = a.transport_error;
    } else {
        e.error = "http_" + std::to_string(a.status);
        e.description = "the token endpoint answered HTTP " + std::to_string(a.status) + " without an OAuth error";
    }
    e.kind = classify(e);
    return e;
}

TokenError invalid_response(int status, std::string why) {
    TokenError e;
    e.http_status = status;
    e.error = "invalid_response";
    e.description = std::move(why);
    return e;
}

}  // namespace

std::optional<std::int64_t> parse_retry_after(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    // More than 9 digits is years: refuse rather than overflow.
    if (value.empty() || value.size() > 9) return std::nullopt;
    std::int64_t n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

TokenReply parse_token_reply(const HttpAnswer& a) {
    const std::optional<json::object> o = a.status == 0 ? std::nullopt : parse_object(a.body);
    if (a.status == 200 && o && !o->contains("error")) {
        TokenSuccess s;
        s.access_token = text(*o, "access_token");
        s.token_type = text(*o, "token_type");
        s.refresh_token = text(*o, "refresh_token");
        s.scope = text(*o, "scope");
        s.id_token = text(*o, "id_token");
        s.expires_in = integer(*o, "expires_in").value_or(0);
        if (!s.access_token.empty() && s.expires_in > 0) return s;
        return invalid_response(a.status, "the token response lacks access_token or expires_in");
    }
    return error_of(a, o);
}

DeviceCodeReply parse_device_code_reply(const HttpAnswer& a) {
    const std::optional<json::object> o = a.status == 0 ? std::nullopt : parse_object(a.body);
    if (a.status == 200 && o && !o->contains("error")) {
        DeviceCode d;
        d.device_code = text(*o, "device_code");
        d.user_code = text(*o, "user_code");
        d.verification_uri = text(*o, "verification_uri");
        d.message = text(*o, "message");
        d.expires_in = integer(*o, "expires_in").value_or(900);
        d.interval = std::max<std::int64_t>(1, integer(*o, "interval").value_or(5));
        if (!d.device_code.empty() && !d.user_code.empty() && !d.verification_uri.empty()) return d;
        return invalid_response(a.status, "the device code response lacks device_code, user_code or verification_uri");
    }
    return error_of(a, o);
}

std::string describe(const TokenError& e) {
    std::string line = e.description.substr(0, e.description.find_first_of("\r\n"));
    std::string out = e.error;
    if (e.http_status != 0) out += " (HTTP " + std::to_string(e.http_status) + ")";
    return line.empty() ? out : out + ": " + line;
}

}  // namespace exosim::client::oauth
