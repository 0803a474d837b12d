// RFC 5321 4.1.2 Path grammar with the 4.5.3.1 limits. The scanner works on indexes into the
// input and allocates only once a path is known to be valid and within limits.
#include "core/address.hpp"

#include "core/ascii.hpp"
#include "core/limits.hpp"

namespace exosim::core {

namespace {

// RFC 5322 3.2.3 atext; non-ASCII octets are allowed here and checked by the caller (RFC 6531).
bool is_atext(char c) {
    if (ascii::is_alnum(c) || ascii::is_non_ascii(c)) return true;
    constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
    return specials.find(c) != std::string_view::npos;
}

// Dot-string = Atom *("." Atom); returns the end index or npos.
std::size_t dot_string(std::string_view in, std::size_t i) {
    bool need_atom = true;
    std::size_t j = i;
    while (j < in.size()) {
        if (is_atext(in[j])) { need_atom = false; ++j; continue; }
        if (in[j] == '.' && !need_atom) { need_atom = true; ++j; continue; }
        break;
    }
    return (need_atom || j == i) ? std::string_view::npos : j;
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE (qtextSMTP / quoted-pairSMTP).
std::size_t quoted_string(std::string_view in, std::size_t i) {
    if (i >= in.size() || in[i] != '"') return std::string_view::npos;
    std::size_t j = i + 1;
    while (j < in.size()) {
        const auto c = static_cast<unsigned char>(in[j]);
        if (c == '"') return j + 1;
        if (c == '\\') {
            if (j + 1 >= in.size()) return std::string_view::npos;
            const auto n = static_cast<unsigned char>(in[j + 1]);
            if (n < 32 || n > 126) return std::string_view::npos;
            j += 2;
            continue;
        }
        if (c < 32 || c == 127) return std::string_view::npos;
        ++j;
    }
    return std::string_view::npos;
}

// sub-domain = Let-dig [Ldh-str]; U-labels (RFC 6531) admit non-ASCII octets.
bool is_let_dig(char c) { return ascii::is_alnum(c) || ascii::is_non_ascii(c); }

std::size_t domain_end(std::string_view in, std::size_t i) {
    std::size_t j = i;
    for (;;) {
        const std::size_t label = j;
        if (j >= in.size() || !is_let_dig(in[j])) return std::string_view::npos;
        while (j < in.size() && (is_let_dig(in[j]) || in[j] == '-')) ++j;
        if (in[j - 1] == '-' || j - label > 63) return std::string_view::npos;
        if (j < in.size() && in[j] == '.') { ++j; continue; }
        return j;
    }
}

bool ipv4(std::string_view s) {
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        std::size_t j = i;
        while (j < s.size() && ascii::is_digit(s[j]) && j - i < 3) ++j;
        if (j == i) return false;
        if (std::stoi(std::string(s.substr(i, j - i))) > 255) return false;
        ++parts;
        if (parts == 4) return j == s.size();
        if (j >= s.size() || s[j] != '.') return false;
        i = j + 1;
    }
    return false;
}

// RFC 5321 4.1.3 IPv6-addr, checked structurally: hex groups, one "::" at most, optional IPv4 tail.
bool ipv6(std::string_view s) {
    if (s.empty() || s.size() > 45) return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") { compressed = true; i = 2; }
    else if (s[0] == ':') return false;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && ascii::is_hex(s[j]) && j - i < 4) ++j;
        if (j < s.size() && s[j] == '.') return ipv4(s.substr(i)) && (compressed ? groups <= 5 : groups == 6);
        if (j == i) return false;
        ++groups;
        if (j == s.size()) break;
        if (s[j] != ':') return false;
        if (j + 1 < s.size() && s[j + 1] == ':') {
            if (compressed) return false;
            compressed = true;
            i = j + 2;
        } else {
            if (j + 1 == s.size()) return false;
            i = j + 1;
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

}  // namespace

bool is_valid_address_literal(std::string_view d) {
    if (d.size() < 3 || d.front() != '[' || d.back() != ']') return false;
    const std::string_view inner = d.substr(1, d.size() - 2);
    if (ipv4(inner)) return true;
    if (ascii::istarts_with(inner, "IPv6:")) return ipv6(inner.substr(5));
    // General-address-literal = Standardized-tag ":" 1*dcontent
    const std::size_t colon = inner.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == inner.size()) return false;
    for (std::size_t i = 0; i < colon; ++i) {
        if (!ascii::is_alnum(inner[i]) && inner[i] != '-') return false;
    }
    for (std::size_t i = colon + 1; i < inner.size(); ++i) {
        const auto c = static_cast<unsigned char>(inner[i]);
        if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') return false;
    }
    return true;
}

bool is_valid_domain(std::string_view d) {
    if (d.empty() || d.size() > limits::max_domain) return false;
    if (d.front() == '[') return is_valid_address_literal(d);
    return domain_end(d, 0) == d.size() && !ascii::has_non_ascii(d);
}

namespace {

// A-d-l = At-domain *( "," At-domain ) ":"; returns the index after ':' (or i when absent).
std::size_t source_route(std::string_view in, std::size_t i) {
    if (i >= in.size() || in[i] != '@') return i;
    std::size_t j = i;
    for (;;) {
        if (j >= in.size() || in[j] != '@') return std::string_view::npos;
        j = domain_end(in, j + 1);
        if (j == std::string_view::npos || j >= in.size()) return std::string_view::npos;
        if (in[j] == ',') { ++j; continue; }
        if (in[j] == ':') return j + 1;
        return std::string_view::npos;
    }
}

std::size_t domain_or_literal(std::string_view in, std::size_t i) {
    if (i < in.size() && in[i] == '[') {
        const std::size_t close = in.find(']', i);
        if (close == std::string_view::npos) return std::string_view::npos;
        return is_valid_address_literal(in.substr(i, close - i + 1)) ? close + 1 : std::string_view::npos;
    }
    return domain_end(in, i);
}

PathParse fail(PathError e) { return PathParse{std::nullopt, e, 0}; }

}  // namespace

PathParse parse_path(std::string_view in, bool allow_utf8) {
    if (in.empty() || in[0] != '<') return fail(PathError::syntax);
    if (in.size() >= 2 && in[1] == '>') return PathParse{Path{true, {}}, PathError::none, 2};
    const std::size_t lp_begin = source_route(in, 1);
    if (lp_begin == std::string_view::npos) return fail(PathError::syntax);
    const bool quoted = lp_begin < in.size() && in[lp_begin] == '"';
    const std::size_t lp_end = quoted ? quoted_string(in, lp_begin) : dot_string(in, lp_begin);
    if (lp_end == std::string_view::npos || lp_end >= in.size() || in[lp_end] != '@') return fail(PathError::syntax);
    const std::size_t d_begin = lp_end + 1;
    const std::size_t d_end = domain_or_literal(in, d_begin);
    if (d_end == std::string_view::npos || d_end >= in.size() || in[d_end] != '>') return fail(PathError::syntax);
    // RFC 5321 4.5.3.1.1-3, checked before anything is copied.
    if (lp_end - lp_begin > limits::max_local_part) return fail(PathError::local_part_too_long);
    if (d_end - d_begin > limits::max_domain) return fail(PathError::domain_too_long);
    if (d_end + 1 > limits::max_path) return fail(PathError::too_long);
    const std::string_view whole = in.substr(0, d_end + 1);
    if (ascii::has_non_ascii(whole) && (!allow_utf8 || !ascii::valid_utf8(whole))) {
        return fail(allow_utf8 ? PathError::syntax : PathError::non_ascii);
    }
    Path p;
    p.mailbox.local_part = std::string(in.substr(lp_begin, lp_end - lp_begin));
    p.mailbox.domain = std::string(in.substr(d_begin, d_end - d_begin));
    return PathParse{std::move(p), PathError::none, d_end + 1};
}

}  // namespace exosim::core
