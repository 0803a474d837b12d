// Reply text and raw byte notations of scenario files.
#include "scenario/reply_text.hpp"

#include <vector>

#include "core/ascii.hpp"

namespace exosim::scenario {

namespace {

namespace ascii = core::ascii;

std::vector<std::string_view> split_lines(std::string_view text) {
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        lines.push_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) return lines;
        start = nl + 1;
    }
}

// The code of one line, or 0 when the line does not start "DDD" followed by ' ', '-' or nothing.
int line_code(std::string_view line) {
    if (line.size() < 3 || !ascii::is_digit(line[0]) || !ascii::is_digit(line[1]) || !ascii::is_digit(line[2])) {
        return 0;
    }
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return 0;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

int hex_value(char c) {
    if (ascii::is_digit(c)) return c - '0';
    return ascii::to_upper(c) - 'A' + 10;
}

}  // namespace

std::optional<core::Reply> parse_reply_text(std::string_view text, std::string& error) {
    if (text.empty()) {
        error = "reply is empty";
        return std::nullopt;
    }
    if (text.find('\r') != std::string_view::npos) {
        error = "reply text must not contain CR (lines are separated by \\n; use raw for exact bytes)";
        return std::nullopt;
    }
    core::Reply reply;
    for (std::string_view line : split_lines(text)) {
        const int code = line_code(line);
        if (code == 0) {
            error = "reply line \"" + std::string(line) + "\" does not start with a 3-digit code (use raw for malformed replies)";
            return std::nullopt;
        }
        if (code < 200 || code > 599) {
            error = "reply code " + std::to_string(code) + " is outside 200..599 (use raw for other codes)";
            return std::nullopt;
        }
        if (reply.code != 0 && code != reply.code) {
            error = "reply code changes from " + std::to_string(reply.code) + " to " + std::to_string(code) +
                    " (use raw for malformed replies)";
            return std::nullopt;
        }
        reply.code = code;
        reply.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
    }
    return reply;
}

// Decodes UTF-8 (which yaml-cpp and Boost.JSON produce) into code points, keeping those <= 0xFF.
std::optional<std::string> bytes_from_text(std::string_view utf8, std::string& error) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        // Two-byte sequences C2 80..C3 BF are exactly U+0080..U+00FF.
        if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size() &&
            (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) {
            out += static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
            i += 2;
            continue;
        }
        error = "character at offset " + std::to_string(i) +
                " is not in U+0000..U+00FF, so it is not one byte (write such bytes with raw_hex)";
        return std::nullopt;
    }
    return out;
}

std::string text_from_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += ch;
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::optional<std::string> bytes_from_hex(std::string_view hex, std::string& error) {
    std::string out;
    std::size_t i = 0;
    while (i < hex.size()) {
        if (hex[i] == ' ' || hex[i] == '\n' || hex[i] == '\t') {
            ++i;
            continue;
        }
        if (i + 1 >= hex.size() || !ascii::is_hex(hex[i]) || !ascii::is_hex(hex[i + 1])) {
            error = "expected a pair of hex digits at offset " + std::to_string(i);
            return std::nullopt;
        }
        out += static_cast<char>(hex_value(hex[i]) * 16 + hex_value(hex[i + 1]));
        i += 2;
    }
    if (out.empty()) {
        error = "no bytes given";
        return std::nullopt;
    }
    return out;
}

}  // namespace exosim::scenario
