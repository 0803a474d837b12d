#include "policy/token.hpp"

#include <array>
#include <charconv>
#include <map>
#include <stdexcept>

#include "policy/exchange_online/hmac_sha256.hpp"
#include "policy/tenant.hpp"

namespace exosim::policy {

std::string_view token_status_name(TokenStatus s) {
    switch (s) {
        case TokenStatus::ok: return "ok";
        case TokenStatus::bad: return "bad";
        case TokenStatus::expired: return "expired";
        case TokenStatus::wrong_audience: return "wrong_audience";
        case TokenStatus::wrong_user: return "wrong_user";
        case TokenStatus::wrong_scope: return "wrong_scope";
        case TokenStatus::bad_signature: return "bad_signature";
        case TokenStatus::wrong_issuer: return "wrong_issuer";
        case TokenStatus::wrong_tenant: return "wrong_tenant";
        case TokenStatus::not_yet_valid: return "not_yet_valid";
        case TokenStatus::wrong_role: return "wrong_role";
    }
    return "bad";
}

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64_value(char c) {
    const auto pos = alphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;  // never in addresses or scopes
        out += c;
    }
    return out;
}

// Reads the flat object this file writes: {"k":"v","n":123,...}. nullopt on anything else.
std::optional<std::map<std::string, std::string>> parse_flat_json(std::string_view s) {
    std::map<std::string, std::string> out;
    std::size_t i = 0;
    auto expect = [&](char c) { return i < s.size() && s[i++] == c; };
    auto read_string = [&]() -> std::optional<std::string> {
        if (!expect('"')) return std::nullopt;
        std::string v;
        while (i < s.size() && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < s.size()) ++i;
            v += s[i++];
        }
        if (!expect('"')) return std::nullopt;
        return v;
    };
    if (!expect('{')) return std::nullopt;
    while (i < s.size() && s[i] != '}') {
        auto key = read_string();
        if (!key || !expect(':')) return std::nullopt;
        if (i < s.size() && s[i] == '"') {
            auto v = read_string();
            if (!v) return std::nullopt;
            out[*key] = *v;
        } else {
            const std::size_t start = i;
            while (i < s.size() && (s[i] == '-' || (s[i] >= '0' && s[i] <= '9'))) ++i;
            if (i == start) return std::nullopt;
            out[*key] = std::string(s.substr(start, i - start));
        }
        if (i < s.size() && s[i] == ',') ++i;
    }
    if (!expect('}') || i != s.size()) return std::nullopt;
    return out;
}

std::optional<std::int64_t> to_int(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) return std::nullopt;
    std::int64_t v = 0;
    const auto* end = it->second.data() + it->second.size();
    auto [p, ec] = std::from_chars(it->second.data(), end, v);
    if (ec != std::errc{} || p != end) return std::nullopt;
    return v;
}

std::string signature(std::string_view secret, std::string_view signing_input) {
    const auto d = exo::hmac_sha256(secret, signing_input);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::int64_t unix_seconds(const Clock& clock) {
    return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

bool has_scope(std::string_view scp) {
    // Space-separated scopes; the bare and resource-qualified forms both grant SMTP.Send.
    std::size_t i = 0;
    while (i < scp.size()) {
        std::size_t j = scp.find(' ', i);
        if (j == std::string_view::npos) j = scp.size();
        const auto s = scp.substr(i, j - i);
        if (s == "SMTP.Send" || s == "https://outlook.office.com/SMTP.Send" ||
            s == "https://outlook.office365.com/SMTP.Send") {
            return true;
        }
        i = j + 1;
    }
    return false;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                       (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += alphabet[(n >> s) & 0x3F];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += alphabet[(n >> 18) & 0x3F];
        out += alphabet[(n >> 12) & 0x3F];
        if (rest == 2) out += alphabet[(n >> 6) & 0x3F];
    }
    return out;  // unpadded (RFC 7515 2)
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = b64_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

TokenIssuer::TokenIssuer(std::string secret) : secret_(std::move(secret)) {
    if (secret_.empty()) throw std::invalid_argument("token secret must not be empty");
}

std::string TokenIssuer::mint(std::string_view user, std::chrono::seconds ttl, const Clock& clock) const {
    TokenClaims c;
    c.sub = std::string(user);
    c.aud = std::string(default_audience);
    c.scp = std::string(default_scope);
    c.iat = unix_seconds(clock);
    c.exp = c.iat + ttl.count();
    return mint(c);
}

std::string TokenIssuer::mint(const TokenClaims& c) const {
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";
    const std::string payload = R"({"sub":")" + json_escape(c.sub) + R"(","aud":")" + json_escape(c.aud) +
                                R"(","scp":")" + json_escape(c.scp) + R"(","iat":)" + std::to_string(c.iat) +
                                R"(,"exp":)" + std::to_string(c.exp) + "}";
    const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + signature(secret_, input);
}

std::optional<TokenClaims> TokenIssuer::decode(std::string_view token) const {
    const auto d1 = token.find('.');
    const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
    const auto given = base64url_decode(token.substr(d2 + 1));
    if (!given || given->size() != 32) return std::nullopt;
    exo::Sha256Digest g{};
    std::copy(given->begin(), given->end(), g.begin());
    if (!exo::digest_equal(g, exo::hmac_sha256(secret_, token.substr(0, d2)))) return std::nullopt;
    const auto header = base64url_decode(token.substr(0, d1));
    const auto payload = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
    if (!header || !payload) return std::nullopt;
    const auto h = parse_flat_json(*header);
    const auto p = parse_flat_json(*payload);
    if (!h || !p || h->count("alg") == 0 || h->at("alg") != "HS256") return std::nullopt;
    const auto iat = to_int(*p, "iat");
    const auto exp = to_int(*p, "exp");
    if (!iat || !exp || p->count("sub") == 0) return std::nullopt;
    TokenClaims c;
    c.sub = p->at("sub");
    c.aud = p->count("aud") ? p->at("aud") : "";
    c.scp = p->count("scp") ? p->at("scp") : "";
    c.iat = *iat;
    c.exp = *exp;
    return c;
}

TokenCheck TokenIssuer::check(std::string_view token, std::string_view expected_user, const Clock& clock) const {
    const auto c = decode(token);
    if (!c) return {TokenStatus::bad, "HS256 token malformed or signed with another secret"};
    if (unix_seconds(clock) >= c->exp) return {TokenStatus::expired, "exp " + std::to_string(c->exp) + " has passed"};
    if (c->aud != "https://outlook.office.com" && c->aud != "https://outlook.office365.com") {
        return {TokenStatus::wrong_audience, "aud \"" + c->aud + "\" is not https://outlook.office.com"};
    }
    if (!has_scope(c->scp)) return {TokenStatus::wrong_scope, "scp \"" + c->scp + "\" lacks SMTP.Send"};
    if (lower(c->sub) != lower(expected_user)) {
        return {TokenStatus::wrong_user, "user= " + std::string(expected_user) + " is not sub " + c->sub};
    }
    return {};
}

}  // namespace exosim::policy
