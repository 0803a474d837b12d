#include "identity/jwt.hpp"

#include <array>
#include <boost/json.hpp>
#include <cmath>

namespace exosim::identity {

namespace json = boost::json;

namespace {

constexpr char url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char std_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode(std::string_view in, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                           static_cast<unsigned char>(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
    }
    const std::size_t rest = in.size() - i;
    if (rest == 0) return out;
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out.append(rest == 1 ? 2 : 1, '=');
    return out;
}

int url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode(bytes, url_alphabet, false); }
std::string base64_encode_std(std::string_view bytes) { return encode(bytes, std_alphabet, true); }

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
    return out;
}

std::string_view jwt_error_name(JwtError e) {
    switch (e) {
        case JwtError::none: return "none";
        case JwtError::too_long: return "too long";
        case JwtError::not_three_parts: return "not three dot-separated parts";
        case JwtError::bad_base64: return "bad base64url";
        case JwtError::bad_json: return "bad JSON";
        case JwtError::not_object: return "header or payload is not a JSON object";
    }
    return "?";
}

namespace {

std::optional<json::object> decode_object(std::string_view part, JwtError& error) {
    const auto bytes = base64url_decode(part);
    if (!bytes) {
        error = JwtError::bad_base64;
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(*bytes, ec);
    if (ec) {
        error = JwtError::bad_json;
        return std::nullopt;
    }
    if (!v.is_object()) {
        error = JwtError::not_object;
        return std::nullopt;
    }
    return std::move(v.as_object());
}

}  // namespace

JwtParse parse_jwt(std::string_view token) {
    JwtParse out;
    if (token.size() > max_jwt_length) return {std::nullopt, JwtError::too_long};
    const std::size_t a = token.find('.');
    const std::size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
    if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
        return {std::nullopt, JwtError::not_three_parts};
    }
    auto header = decode_object(token.substr(0, a), out.error);
    if (!header) return out;
    auto payload = decode_object(token.substr(a + 1, b - a - 1), out.error);
    if (!payload) return out;
    auto signature = base64url_decode(token.substr(b + 1));
    if (!signature) return {std::nullopt, JwtError::bad_base64};
    out.jwt = Jwt{std::move(*header), std::move(*payload), std::string(token.substr(0, b)), std::move(*signature)};
    return out;
}

std::string jwt_signing_input(const json::object& header, const json::object& payload) {
    return base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(payload));
}

std::string sign_jwt_input(std::string signing_input, const Crypto& crypto) {
    const std::string signature = crypto.sign_rs256(signing_input);
    return std::move(signing_input) + "." + base64url_encode(signature);
}

std::string sign_jwt(const json::object& header, const json::object& payload, const Crypto& crypto) {
    return sign_jwt_input(jwt_signing_input(header, payload), crypto);
}

std::string_view string_claim(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return {};
    return v->get_string();
}

// NumericDate (RFC 7519 2): seconds, possibly fractional. Out-of-range values are not dates: a
// date must fit the system clock (nanoseconds: years 1678 to 2262) with a day to spare, so adding a
// skew or rendering it as a time stamp cannot overflow (a fuzzer found nbf 9671465400 doing that).
std::optional<std::int64_t> time_claim(const json::object& o, std::string_view name) {
    constexpr std::int64_t limit =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()).count() - 86400;
    const json::value* v = o.if_contains(name);
    if (v == nullptr) return std::nullopt;
    std::optional<std::int64_t> t;
    if (v->is_int64()) t = v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(limit)) t = static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double() && std::isfinite(v->get_double()) && std::fabs(v->get_double()) < static_cast<double>(limit)) {
        t = static_cast<std::int64_t>(v->get_double());
    }
    if (!t || *t > limit || *t < -limit) return std::nullopt;
    return t;
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace exosim::identity
