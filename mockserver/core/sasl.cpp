#include "core/sasl.hpp"

#include "core/ascii.hpp"
#include "core/base64.hpp"

namespace exosim::core {

Credentials parse_plain(std::string_view decoded) {
    Credentials c;
    c.mechanism = "PLAIN";
    const std::size_t first = decoded.find('\0');
    if (first == std::string_view::npos) return c;
    const std::size_t second = decoded.find('\0', first + 1);
    if (second == std::string_view::npos) return c;
    c.authzid = std::string(decoded.substr(0, first));
    c.user = std::string(decoded.substr(first + 1, second - first - 1));
    c.secret = std::string(decoded.substr(second + 1));
    return c;
}

Credentials parse_xoauth2(std::string_view decoded) {
    Credentials c;
    c.mechanism = "XOAUTH2";
    std::size_t i = 0;
    while (i < decoded.size()) {
        std::size_t j = decoded.find('\x01', i);
        if (j == std::string_view::npos) j = decoded.size();
        const std::string_view field = decoded.substr(i, j - i);
        if (field.substr(0, 5) == "user=") c.user = std::string(field.substr(5));
        if (field.substr(0, 5) == "auth=" && ascii::istarts_with(field.substr(5), "Bearer ")) {
            c.secret = std::string(field.substr(12));
        }
        i = j + 1;
    }
    return c;
}

std::string format_plain(std::string_view authzid, std::string_view user, std::string_view password) {
    std::string out(authzid);
    out += '\0';
    out += user;
    out += '\0';
    out += password;
    return out;
}

std::string format_xoauth2(std::string_view user, std::string_view token) {
    return "user=" + std::string(user) + "\x01" + "auth=Bearer " + std::string(token) + "\x01\x01";
}

std::optional<SaslExchange> SaslExchange::create(std::string_view mechanism) {
    const std::string m = ascii::upper(mechanism);
    if (m == "PLAIN" || m == "LOGIN" || m == "XOAUTH2") return SaslExchange(m);
    return std::nullopt;
}

SaslExchange::Step SaslExchange::begin(std::optional<std::string_view> initial) {
    if (!initial) {
        // RFC 4954 4: an empty challenge for PLAIN/XOAUTH2; LOGIN asks "Username:".
        if (mechanism_ == "LOGIN") return Step{Status::challenge, "VXNlcm5hbWU6", {}};
        return Step{Status::challenge, "", {}};
    }
    return respond(*initial);
}

SaslExchange::Step SaslExchange::respond(std::string_view line) {
    if (line == "*") return Step{Status::cancelled, {}, {}};  // RFC 4954 4
    std::optional<std::string> decoded = line == "=" ? std::optional<std::string>{std::string{}} : base64_decode(line);
    if (!decoded) return Step{Status::bad_base64, {}, {}};
    return absorb(*decoded);
}

SaslExchange::Step SaslExchange::absorb(const std::string& decoded) {
    if (mechanism_ == "PLAIN") return Step{Status::done, {}, parse_plain(decoded)};
    if (mechanism_ == "XOAUTH2") return Step{Status::done, {}, parse_xoauth2(decoded)};
    if (step_ == 0) {
        ++step_;
        login_user_ = decoded;
        return Step{Status::challenge, "UGFzc3dvcmQ6", {}};  // "Password:"
    }
    Credentials c;
    c.mechanism = "LOGIN";
    c.user = login_user_;
    c.secret = decoded;
    return Step{Status::done, {}, std::move(c)};
}

}  // namespace exosim::core
