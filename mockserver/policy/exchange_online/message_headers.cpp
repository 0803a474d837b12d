#include "policy/exchange_online/message_headers.hpp"

#include "policy/tenant.hpp"

namespace exosim::policy::exo {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Next line of `content` from `pos` without its CR LF (or bare LF); advances `pos`.
std::string_view next_line(std::string_view content, std::size_t& pos) {
    const auto nl = content.find('\n', pos);
    const auto end = nl == std::string_view::npos ? content.size() : nl;
    auto line = content.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl == std::string_view::npos ? content.size() : nl + 1;
    return line;
}

// Drops RFC 5322 comments "(...)" and quoted strings' quotes are kept as-is.
std::string strip_comments(std::string_view s) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (char c : s) {
        if (c == '"' && depth == 0) quoted = !quoted;
        if (!quoted && c == '(') { ++depth; continue; }
        if (!quoted && c == ')' && depth > 0) { --depth; continue; }
        if (depth == 0) out += c;
    }
    return out;
}

}  // namespace

std::optional<std::string> header_value(std::string_view content, std::string_view name) {
    std::size_t pos = 0;
    std::optional<std::string> found;
    while (pos < content.size()) {
        const auto line = next_line(content, pos);
        if (line.empty()) break;  // end of the header section
        if (line.front() == ' ' || line.front() == '\t') {
            if (found) *found += " " + std::string(trim(line));
            continue;
        }
        if (found) return found;
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && lower(trim(line.substr(0, colon))) == lower(name)) {
            found = std::string(trim(line.substr(colon + 1)));
        }
    }
    return found;
}

std::optional<std::string> from_address(std::string_view content) {
    const auto v = header_value(content, "From");
    if (!v) return std::nullopt;
    const std::string s = strip_comments(*v);
    const auto open = s.find('<');
    if (open != std::string::npos) {
        const auto close = s.find('>', open);
        if (close == std::string::npos) return std::nullopt;
        auto addr = trim(std::string_view(s).substr(open + 1, close - open - 1));
        return addr.empty() ? std::nullopt : std::optional<std::string>(std::string(addr));
    }
    auto addr = trim(std::string_view(s).substr(0, s.find(',')));
    if (addr.find('@') == std::string_view::npos) return std::nullopt;
    return std::string(addr);
}

std::optional<std::string> message_id(std::string_view content) {
    const auto v = header_value(content, "Message-ID");
    if (!v) return std::nullopt;
    const auto open = v->find('<');
    const auto close = v->find('>', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos || close < open + 2) return std::nullopt;
    return v->substr(open, close - open + 1);
}

std::string prepend_headers(std::string_view content, std::string_view headers) {
    std::string out(headers);
    out.append(content);
    return out;
}

}  // namespace exosim::policy::exo
