#include "scenario/report_text.hpp"

#include <cstdint>
#include <cstdio>

namespace exosim::scenario {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629 4 table).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(k) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;   // surrogates
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;   // > U+10FFFF
    return n;
}

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += replacement;
            ++i;
            continue;
        }
        const char ch = s[i];
        if (n > 1) out.append(s.substr(i, n));
        else if (ch == '&') out += "&amp;";
        else if (ch == '<') out += "&lt;";
        else if (ch == '>') out += "&gt;";
        else if (ch == '"') out += "&quot;";
        else if (ch == '\'') out += "&#39;";
        else if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f) out += replacement;
        else out += ch;
        i += n;
    }
    return out;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += replacement;
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string xml_escape(std::string_view s) { return escape(s); }
std::string html_escape(std::string_view s) { return escape(s); }

std::string seconds_text(std::chrono::milliseconds t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(t.count()) / 1000.0);
    return buf;
}

std::string findings_text(const RunResult& r) {
    std::string out;
    if (!r.error.empty()) out += "[error] " + r.error + "\n";
    for (const Finding& f : r.findings) {
        if (f.as_expected) continue;
        out += "[" + std::string(verdict_name(f.verdict)) + "] " + f.rule + ": " + f.message;
        if (f.expected) out += " (expected " + std::string(verdict_name(*f.expected)) + ")";
        out += "\n";
        for (const std::string& q : f.quotes) out += "    " + q + "\n";
    }
    return out;
}

}  // namespace exosim::scenario
