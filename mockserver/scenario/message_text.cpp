#include "scenario/message_text.hpp"

#include <algorithm>
#include <cctype>

#include "core/base64.hpp"

namespace exosim::scenario {

namespace {

// Nested multiparts deeper than this are not searched (a hostile message is not a reason to
// recurse without bound).
inline constexpr int max_mime_depth = 8;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

const HeaderField* field(const std::vector<HeaderField>& h, std::string_view name) {
    auto it = std::find_if(h.begin(), h.end(), [&](const HeaderField& f) { return lower(f.name) == name; });
    return it == h.end() ? nullptr : &*it;
}

// RFC 2045 5.1 parameter value: `key=token` or `key="quoted"`; case-insensitive key.
std::optional<std::string> parameter(std::string_view value, std::string_view key) {
    const std::string l = lower(value);
    for (std::size_t at = l.find(key); at != std::string::npos; at = l.find(key, at + 1)) {
        const bool boundary = at == 0 || l[at - 1] == ';' || l[at - 1] == ' ' || l[at - 1] == '\t';
        std::size_t i = at + key.size();
        if (!boundary || i >= l.size() || l[i] != '=') continue;
        ++i;
        if (i < value.size() && value[i] == '"') {
            const std::size_t end = value.find('"', i + 1);
            return std::string(value.substr(i + 1, end == std::string_view::npos ? end : end - i - 1));
        }
        std::size_t end = i;
        while (end < value.size() && value[end] != ';' && value[end] != ' ' && value[end] != '\t') ++end;
        return std::string(value.substr(i, end - i));
    }
    return std::nullopt;
}

std::size_t header_end(std::string_view m) {
    for (std::size_t pos = 0; pos < m.size();) {
        const std::size_t lf = m.find('\n', pos);
        if (lf == std::string_view::npos) return m.size();
        if (trim(m.substr(pos, lf - pos)).empty()) return lf + 1;
        pos = lf + 1;
    }
    return m.size();
}

std::string decode_qp(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') { out += s[i]; continue; }
        if (i + 1 < s.size() && (s[i + 1] == '\r' || s[i + 1] == '\n')) {  // soft line break
            i += (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') ? 2 : 1;
            continue;
        }
        if (i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

std::optional<std::string> decode_part(const std::vector<HeaderField>& h, std::string_view body) {
    const HeaderField* cte = field(h, "content-transfer-encoding");
    const std::string enc = cte ? lower(trim(cte->value)) : "";
    if (enc == "base64") {
        std::string compact;
        for (char ch : body)
            if (!std::isspace(static_cast<unsigned char>(ch))) compact += ch;
        return core::base64_decode(compact);
    }
    if (enc == "quoted-printable") return decode_qp(body);
    return std::string(body);
}

// The MIME entity `m` (headers + body); recurses into multiparts.
std::optional<std::string> search(std::string_view m, std::string_view filename, int depth) {
    const std::size_t split = header_end(m);
    const std::vector<HeaderField> h = header_fields(m.substr(0, split));
    const std::string_view body = m.substr(split);
    const HeaderField* ct = field(h, "content-type");
    const HeaderField* cd = field(h, "content-disposition");
    const auto name = cd ? parameter(cd->value, "filename") : std::nullopt;
    const auto alt = ct ? parameter(ct->value, "name") : std::nullopt;
    if ((name && *name == filename) || (alt && *alt == filename)) {
        // The CRLF before the next boundary belongs to the boundary (RFC 2046 5.1.1).
        std::string_view content = body;
        if (content.ends_with("\r\n")) content.remove_suffix(2);
        return decode_part(h, content);
    }
    const auto boundary = ct ? parameter(ct->value, "boundary") : std::nullopt;
    if (!boundary || depth >= max_mime_depth) return std::nullopt;
    const std::string delim = "--" + *boundary;
    std::size_t at = body.starts_with(delim) ? 0 : body.find("\n" + delim);
    while (at != std::string_view::npos) {
        const std::size_t start = body.find('\n', at + (at == 0 ? 0 : 1));
        if (start == std::string_view::npos) break;
        std::size_t next = body.find("\n" + delim, start);
        const std::size_t end = next == std::string_view::npos ? body.size() : next - (body[next - 1] == '\r' ? 1 : 0);
        if (auto found = search(body.substr(start + 1, end - start - 1), filename, depth + 1)) return found;
        at = next;
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string_view> body_lines(std::string_view raw) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0; start < raw.size();) {
        const std::size_t lf = raw.find('\n', start);
        const std::size_t end = lf == std::string_view::npos ? raw.size() : lf + 1;
        out.push_back(raw.substr(start, end - start));
        start = end;
    }
    return out;
}

std::string message_text(const Body& body) {
    if (body.kind == Body::Kind::bdat) return body.raw;
    std::string out;
    std::string_view raw = body.raw;
    if (body.terminated) raw.remove_suffix(3);  // ".\r\n"; the CRLF before it ends the last line
    for (std::string_view line : body_lines(raw)) {
        if (line.starts_with('.')) line.remove_prefix(1);
        out += line;
    }
    return out;
}

std::vector<HeaderField> header_fields(std::string_view message) {
    std::vector<HeaderField> out;
    for (std::string_view line : body_lines(message.substr(0, header_end(message)))) {
        if (trim(line).empty()) break;
        if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
            out.back().value += " " + std::string(trim(line));
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        out.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    }
    return out;
}

std::optional<std::string> find_attachment(std::string_view message, std::string_view filename) {
    return search(message, filename, 0);
}

}  // namespace exosim::scenario
