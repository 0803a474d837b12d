// Capabilities queries over the EHLO keyword lines (RFC 5321 4.1.1.1).
#include "core/ascii.hpp"
#include "core/ehlo_keywords.hpp"
#include "core/session_policy.hpp"

namespace exosim::core {

namespace {

const std::string* find_keyword(const std::vector<std::string>& lines, std::string_view keyword) {
    for (const auto& line : lines) {
        const auto l = parse_ehlo_line(line);
        if (l && ascii::iequals(l->keyword, keyword)) return &line;
    }
    return nullptr;
}

}  // namespace

bool Capabilities::has(std::string_view keyword) const { return find_keyword(lines, keyword) != nullptr; }

std::vector<std::string> Capabilities::auth_mechanisms() const {
    const std::string* line = find_keyword(lines, "AUTH");
    if (line == nullptr) return {};
    return ehlo_auth_mechanisms(*line, false);
}

// RFC 1870 3: "SIZE" with an optional limit; a missing or zero limit means no fixed maximum.
std::optional<std::uint64_t> Capabilities::size_limit() const {
    const std::string* line = find_keyword(lines, "SIZE");
    if (line == nullptr) return std::nullopt;
    const auto l = parse_ehlo_line(*line);
    if (l->params.empty()) return std::nullopt;
    auto v = ascii::parse_u64(l->params.front());
    if (!v || *v == 0) return std::nullopt;
    return v;
}

namespace ascii {

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) { ++i; continue; }
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return false;
        if (s.size() - i <= n) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace ascii

}  // namespace exosim::core
