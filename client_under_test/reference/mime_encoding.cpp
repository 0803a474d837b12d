#include "reference/mime_encoding.hpp"

#include <array>
#include <cstdio>

#include "reference/base64.hpp"
#include "core/ascii.hpp"

namespace exosim::client {
namespace {

bool is_ascii(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

// "=XX" (RFC 2045 6.7) or "%XX" (RFC 2231 4): upper-case hex after the prefix.
void append_hex(std::string& out, unsigned char c, char prefix) {
    out += prefix;
    core::ascii::append_hex(out, c, core::ascii::HexCase::upper);
}

// One line (without CRLF) as quoted-printable, with soft breaks.
void qp_line(std::string& out, std::string_view line) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        bool last = i + 1 == line.size();
        std::string token;
        // RFC 2045 6.7 (3): white space at the end of a line must be encoded.
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) token = static_cast<char>(c);
        else append_hex(token, c, '=');
        // Room for the token plus a soft break "=" within 76 characters.
        if (column + token.size() > (last ? 76u : 75u)) {
            out += "=\r\n";
            column = 0;
        }
        out += token;
        column += token.size();
    }
}

}  // namespace

std::string normalize_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' || text[i] == '\n') {
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\r\n";
        } else {
            out += text[i];
        }
    }
    return out;
}

bool fits_7bit(std::string_view text) {
    std::size_t line = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            line = 0;
            ++i;
            continue;
        }
        if (c >= 0x80 || c == 0 || c == '\r' || c == '\n' || (c < 32 && c != '\t') || c == 127) return false;
        if (++line > 998) return false;
    }
    return true;
}

std::string quoted_printable(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find("\r\n", pos);
        qp_line(out, text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) break;
        out += "\r\n";
        pos = end + 2;
    }
    return out;
}

std::string encode_header_text(std::string_view utf8) {
    if (is_ascii(utf8)) return std::string(utf8);
    // "=?UTF-8?B?" + base64 + "?=" within 75 characters leaves 63 base64 characters: 45 octets.
    constexpr std::size_t max_octets = 45;
    std::string out;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        std::size_t n = std::min(max_octets, utf8.size() - pos);
        // Back off so the chunk does not end inside a multi-octet character (RFC 2047 5 (3)).
        while (pos + n < utf8.size() && n > 1 && (static_cast<unsigned char>(utf8[pos + n]) & 0xC0) == 0x80) --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64_encode(utf8.substr(pos, n)) + "?=";
        pos += n;
    }
    return out;
}

std::string rfc5322_date(std::time_t when) {
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&when, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string filename_parameter(std::string_view name) {
    if (is_ascii(name)) return "filename=\"" + std::string(name) + "\"";
    std::string out = "filename*=UTF-8''";
    for (char ch : name) {
        unsigned char c = static_cast<unsigned char>(ch);
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '-' || c == '_';
        if (plain) out += ch;
        else append_hex(out, c, '%');
    }
    return out;
}

}  // namespace exosim::client
