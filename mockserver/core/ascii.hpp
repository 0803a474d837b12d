#pragma once
// Locale-independent ASCII helpers for the parsers (never std::isalpha & co: they depend on locale
// and are undefined for negative char values).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::core::ascii {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
constexpr bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
constexpr char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_upper(c);
    return out;
}

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_upper(a[i]) != to_upper(b[i])) return false;
    }
    return true;
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline bool has_non_ascii(std::string_view s) {
    for (char c : s) {
        if (is_non_ascii(c)) return true;
    }
    return false;
}

// 1*DIGIT into uint64; nullopt on empty, non-digit or overflow.
inline std::optional<std::uint64_t> parse_u64(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

enum class HexCase { lower, upper };

// The two hex digits of one octet, appended to `out` ("0a" or "0A").
inline void append_hex(std::string& out, unsigned char octet, HexCase letters = HexCase::lower) {
    const char* digits = letters == HexCase::lower ? "0123456789abcdef" : "0123456789ABCDEF";
    out += digits[octet >> 4];
    out += digits[octet & 0xF];
}

// Every octet of `bytes` as two hex digits.
inline std::string hex(std::string_view bytes, HexCase letters = HexCase::lower) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) append_hex(out, static_cast<unsigned char>(c), letters);
    return out;
}

// RFC 3629 well-formedness (no overlongs, no surrogates, max U+10FFFF).
bool valid_utf8(std::string_view s);

}  // namespace exosim::core::ascii
